//! The desktop app: owns the knowledge, the open project and each screen's UI state; draws the menu
//! bar, the navigation and the status bar around the current screen; applies the screens' commands
//! (the only place the project is written, so every edit can be undone); and talks to the worker
//! thread. Nothing here computes advice or simulates: that is `domain`.

mod chrome;
mod commands;
mod files;
pub mod history;
mod path_prompt;
mod replace;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use egui::{RichText, Ui};
use serde::{Deserialize, Serialize};

use crate::domain::answers::Answers;
use crate::domain::decision;
use crate::domain::json_source::SourceText;
use crate::domain::knowledge::Knowledge;
use crate::domain::project::Project;
use crate::domain::rules::{Advice, Engine};
use crate::domain::wizard;
use crate::ui::file_menu::{self, FilePicker, MenuState, NativePicker, PickPurpose, PickReply};
use crate::ui::number_field::{self, DecimalMark};
use crate::ui::screen::{Frame, Screens};
use crate::ui::{Command, Notice, ScreenId};
use crate::worker::Worker;
use history::History;
pub use path_prompt::PathPrompt;

/// The navigation's width on wide and on narrow windows.
const NAV_WIDE: f32 = 200.0;
const NAV_NARROW: f32 = 172.0;

/// The smallest window every screen is laid out for.
pub const MIN_WINDOW: [f32; 2] = [800.0, 600.0];

/// The application icon (window and taskbar), the same PNG the desktop entry installs.
const ICON_PNG: &[u8] = include_bytes!("../assets/icons/statecraft.png");

/// Opens the window; `pack` is a team's knowledge folder to overlay, `project` a file to open.
pub fn run(pack: Option<PathBuf>, project: Option<PathBuf>) -> eframe::Result {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Statecraft")
        .with_app_id("statecraft")
        .with_inner_size([1280.0, 820.0])
        .with_min_inner_size(MIN_WINDOW);
    // a broken icon is no reason not to start: the window manager's default icon stands in
    if let Ok(icon) = eframe::icon_data::from_png_bytes(ICON_PNG) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        persist_window: true,
        ..Default::default()
    };
    eframe::run_native(
        "Statecraft",
        options,
        Box::new(move |cc| {
            let mut app = StatecraftApp::with_storage(pack.as_deref(), cc.storage);
            if let Some(path) = project {
                app.open_at_start(path);
            }
            Ok(Box::new(app))
        }),
    )
}

/// The key the app's settings are stored under in eframe's storage.
pub const SETTINGS_KEY: &str = "statecraft.settings";

/// What persists between runs (window size and place are eframe's own).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub dark: bool,
    pub recent: Vec<PathBuf>,
    pub screen: ScreenId,
    /// The project as it was when the app closed (JSON), with its file and whether it was saved.
    pub last_project: Option<String>,
    pub last_path: Option<PathBuf>,
    pub last_dirty: bool,
}

/// The open project, where it lives, and what it was when last saved (to know when it changed).
#[derive(Clone, Debug, Default)]
pub struct Document {
    pub project: Project,
    pub path: Option<PathBuf>,
    saved: Project,
}

impl Document {
    pub fn new() -> Self {
        Document::default()
    }

    pub fn opened(project: Project, path: PathBuf) -> Self {
        Document {
            saved: project.clone(),
            project,
            path: Some(path),
        }
    }

    /// True when the project differs from the file (or is new and not empty).
    pub fn is_dirty(&self) -> bool {
        self.project != self.saved
    }

    pub fn mark_saved(&mut self, path: PathBuf) {
        self.saved = self.project.clone();
        self.path = Some(path);
    }

    /// Drops the changes: the project as it was last saved (or a new one, if it never was).
    pub fn discard_changes(&mut self) {
        if self.path.is_some() {
            self.project = self.saved.clone();
        } else {
            *self = Document::new();
        }
    }

    /// "Untitled" or the file's name.
    pub fn title(&self) -> String {
        self.path
            .as_deref()
            .map_or_else(|| "Untitled".to_string(), file_menu::display_name)
    }
}

/// What to do once the user has answered "unsaved changes?".
#[derive(Clone, Debug, PartialEq)]
pub enum Pending {
    New,
    Open,
    OpenPath(PathBuf),
    OpenRecord(PathBuf),
    Close,
}

/// Full advice for the current answers, recomputed only when they change.
struct AdviceCache {
    answers: Answers,
    advice: Advice,
    assumed: usize,
}

pub struct StatecraftApp {
    /// The knowledge, or why it could not be loaded (shown instead of the screens).
    pub knowledge: Result<Arc<Knowledge>, String>,
    pub doc: Document,
    pub screen: ScreenId,
    pub settings: Settings,
    /// Each screen with its own state (the one shown is `screen`).
    pub screens: Screens,
    /// The worker threads (none when the knowledge did not load).
    pub worker: Option<Worker>,
    /// The banner above the screens.
    pub notice: Option<Notice>,
    /// The "unsaved changes" question on screen, and what waits on its answer.
    pub confirm: Option<Pending>,
    /// What to do after the Save As dialog has saved (a New or Open that asked to save first).
    after_save: Option<Pending>,
    allow_close: bool,
    dialogs: FileDialogs,
    /// A dialog is open for this.
    pub picking: Option<PickPurpose>,
    /// No file dialog could open: the app asks for a path itself.
    pub path_prompt: Option<PathPrompt>,
    /// The typed-path prompt last confirmed (a "replace?" cancelled goes back to it).
    last_prompt: Option<PathPrompt>,
    /// "Replace the existing file?" on screen.
    pub replace: Option<replace::ReplaceQuestion>,
    /// Undo and redo of the project's edits.
    pub history: History,
    /// How the number fields read and write decimals (the locale's, found at start).
    pub decimal_mark: DecimalMark,
    advice: Option<AdviceCache>,
    commands: Vec<Command>,
    window: Window,
}

/// The file dialogs, and the channel their answers come back on (a dialog runs off the UI thread).
struct FileDialogs {
    picker: Box<dyn FilePicker>,
    tx: Sender<PickReply>,
    rx: Receiver<PickReply>,
}

/// What the window was last given, so that a frame sends it only what changed.
#[derive(Default)]
struct Window {
    /// Dark (`true`) or light.
    theme: Option<bool>,
    title: String,
    fonts_installed: bool,
}

impl StatecraftApp {
    /// The app with no saved settings and the native file dialogs (headless tests build it so).
    pub fn new(pack: Option<&Path>) -> Self {
        Self::with_storage(pack, None)
    }

    /// The app with the settings eframe saved last time, if any.
    pub fn with_storage(pack: Option<&Path>, storage: Option<&dyn eframe::Storage>) -> Self {
        let knowledge = Knowledge::load(pack)
            .map(Arc::new)
            .map_err(|e| e.to_string());
        let settings: Settings = storage
            .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
            .unwrap_or_default();
        Self::from_parts(knowledge, settings)
    }

    /// The app over given knowledge and settings.
    pub fn from_parts(knowledge: Result<Arc<Knowledge>, String>, settings: Settings) -> Self {
        let (pick_tx, pick_rx) = channel();
        let worker = knowledge
            .as_ref()
            .ok()
            .map(|k| Worker::start(Arc::clone(k)));
        let mut app = StatecraftApp {
            worker,
            knowledge,
            doc: Document::new(),
            screen: settings.screen,
            screens: Screens::default(),
            notice: None,
            confirm: None,
            after_save: None,
            allow_close: false,
            dialogs: FileDialogs {
                picker: Box::new(NativePicker),
                tx: pick_tx,
                rx: pick_rx,
            },
            picking: None,
            path_prompt: None,
            last_prompt: None,
            replace: None,
            history: History::default(),
            decimal_mark: DecimalMark::from_environment(),
            advice: None,
            commands: Vec::new(),
            window: Window::default(),
            settings,
        };
        app.restore_last_project();
        app
    }

    /// Replaces the file dialogs (tests script them).
    pub fn with_picker(mut self, picker: Box<dyn FilePicker>) -> Self {
        self.dialogs.picker = picker;
        self
    }

    /// The project as the app closed, read back through the same checks as a file.
    fn restore_last_project(&mut self) {
        let (Ok(k), Some(text)) = (&self.knowledge, self.settings.last_project.clone()) else {
            return;
        };
        let src = SourceText::new("(the project from the last session)", text);
        match Project::parse(&src, k) {
            Ok(project) => {
                self.doc = match self.settings.last_path.clone() {
                    Some(path) if !self.settings.last_dirty => Document::opened(project, path),
                    path => Document {
                        project,
                        path,
                        saved: Project::default(),
                    },
                };
            }
            Err(e) => {
                self.notice = Some(Notice::error(
                    "The project from the last session could not be restored; a new project is open",
                    e.to_string(),
                ));
            }
        }
    }

    /// Queues a command as if a screen had issued it (tests and the benchmark use this).
    pub fn command(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// Full advice (tipping points included) for the current answers, with unanswered shown questions
    /// taking their defaults; and how many were assumed so.
    pub fn advice(&mut self) -> Option<(&Advice, usize)> {
        let k = self.knowledge.as_ref().ok()?;
        let answers = &self.doc.project.answers;
        let stale = self.advice.as_ref().is_none_or(|c| &c.answers != answers);
        if stale {
            let filled = wizard::with_defaults(k, answers);
            // the shown questions that take a default, counted as the Export screen and the
            // record count them (a question with no default, such as the data size, assumes none)
            let assumed = decision::shown_defaults(k, answers).len();
            let advice = Engine::new(k).advise(&filled);
            self.advice = Some(AdviceCache {
                answers: answers.clone(),
                advice,
                assumed,
            });
        }
        self.advice.as_ref().map(|c| (&c.advice, c.assumed))
    }

    fn screen_ui(&mut self, ui: &mut Ui) {
        let Ok(k) = self.knowledge.clone() else {
            return;
        };
        if self.screens.get_mut(self.screen).reads_advice() {
            // brings the advice up to date with the answers; the screen reads it below
            self.advice();
        }
        let mut commands = Vec::new();
        let screen = self.screens.get_mut(self.screen);
        let advice = self
            .advice
            .as_ref()
            .filter(|_| screen.reads_advice())
            .map(|c| (&c.advice, c.assumed));
        let mut frame = Frame {
            k: &k,
            project: &self.doc.project,
            advice,
            worker: self.worker.as_mut(),
            commands: &mut commands,
        };
        screen.ui(ui, &mut frame);
        self.commands.extend(commands);
    }

    fn update_title_and_theme(&mut self, ctx: &egui::Context) {
        if self.window.theme != Some(self.settings.dark) {
            ctx.set_theme(if self.settings.dark {
                egui::ThemePreference::Dark
            } else {
                egui::ThemePreference::Light
            });
            self.window.theme = Some(self.settings.dark);
        }
        let title = format!(
            "{}{} — Statecraft",
            self.doc.title(),
            if self.doc.is_dirty() { " •" } else { "" }
        );
        if title != self.window.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window.title = title;
        }
    }
}

impl StatecraftApp {
    /// Hands each reply of the worker to the screen that asked for it.
    pub fn poll_worker(&mut self, ctx: &egui::Context) {
        let Some(worker) = self.worker.as_mut() else {
            return;
        };
        worker.set_context(ctx);
        for reply in worker.poll() {
            let mut reply = Some(reply);
            self.screens.on_reply(&mut reply);
            if let Some(notice) = self.screens.export.finish_waiting_save() {
                self.notice = Some(notice);
            }
        }
    }
}

/// Takes the keyboard's events out of this frame's input, so that no widget behind a dialog acts
/// on them.
fn withhold_keyboard(ctx: &egui::Context) {
    ctx.input_mut(|i| {
        i.events.retain(|e| {
            !matches!(
                e,
                egui::Event::Key { .. }
                    | egui::Event::Text(_)
                    | egui::Event::Paste(_)
                    | egui::Event::Copy
                    | egui::Event::Cut
                    | egui::Event::Ime(_)
            )
        });
        i.keys_down.clear();
    });
}

impl eframe::App for StatecraftApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        while let Ok(reply) = self.dialogs.rx.try_recv() {
            self.on_picked(reply, ctx);
            // the prompt or the result of the dialog shows at once
            ctx.request_repaint();
        }
        self.poll_worker(ctx);
        if ctx.input(|i| i.viewport().close_requested()) && self.doc.is_dirty() && !self.allow_close
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.confirm = Some(Pending::Close);
        }
    }

    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        if !self.window.fonts_installed {
            crate::ui::widgets::install_fonts(&ctx);
            self.window.fonts_installed = true;
        }
        self.update_title_and_theme(&ctx);
        number_field::set_decimal_mark(&ctx, self.decimal_mark);
        // A dialog owns the keyboard: it is drawn before the screens, takes its Enter and Escape,
        // and whatever keys it leaves never reach the screen behind it (the wizard would take an
        // Enter as Next) nor the menu's shortcuts.
        let dialog_was_open = self.dialog_open();
        self.dialogs_ui(&ctx);
        if dialog_was_open || self.dialog_open() {
            withhold_keyboard(&ctx);
        } else {
            let mut shortcuts = Vec::new();
            file_menu::shortcuts(&ctx, &mut shortcuts);
            self.commands.extend(shortcuts);
        }
        egui::Panel::top("menu_bar").show(ui, |ui| {
            let mut commands = Vec::new();
            file_menu::menu_bar_ui(
                ui,
                &MenuState {
                    recent: &self.settings.recent,
                    dark: self.settings.dark,
                    undo: self.history.undo_label(),
                    redo: self.history.redo_label(),
                },
                &mut commands,
            );
            self.commands.extend(commands);
        });
        egui::Panel::bottom("status_bar").show(ui, |ui| self.status_ui(ui));
        if self.knowledge.is_ok() {
            // a narrow window gives the screens the room: the navigation shrinks first
            let nav = if ctx.content_rect().width() < 1100.0 {
                NAV_NARROW
            } else {
                NAV_WIDE
            };
            egui::Panel::left("navigation")
                .resizable(false)
                .exact_size(nav)
                .show(ui, |ui| self.nav_ui(ui));
        }
        egui::CentralPanel::default().show(ui, |ui| {
            self.notice_ui(ui);
            match &self.knowledge {
                Ok(_) => self.screen_ui(ui),
                Err(e) => {
                    ui.heading("The knowledge base could not be loaded");
                    ui.label(RichText::new(e).monospace());
                }
            }
        });
        let before = self.doc.project.answers.clone();
        let dialog_before = self.dialog_open();
        self.apply_commands(&ctx);
        // a dialog opened (or closed) by a command is drawn now, not at the next mouse move
        if self.doc.project.answers != before || self.dialog_open() != dialog_before {
            ctx.request_repaint();
        }
        self.settings.screen = self.screen;
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.settings.last_project = Some(self.doc.project.to_json());
        self.settings.last_path = self.doc.path.clone();
        self.settings.last_dirty = self.doc.is_dirty();
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_icon_is_a_256_pixel_png() {
        let icon = eframe::icon_data::from_png_bytes(ICON_PNG).expect("the icon decodes");
        assert_eq!((icon.width, icon.height), (256, 256));
        assert_eq!(icon.rgba.len(), 256 * 256 * 4);
    }
}
