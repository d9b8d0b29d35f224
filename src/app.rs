//! The desktop app: owns the knowledge, the open project and each screen's UI state; draws the menu
//! bar, the navigation and the status bar around the current screen; applies the screens' commands
//! (the only place the project is written, so every edit can be undone); and talks to the worker
//! thread. Nothing here computes advice or simulates: that is `domain`.

mod chrome;
mod commands;
pub mod history;
mod path_prompt;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use egui::{RichText, Ui};
use serde::{Deserialize, Serialize};

use crate::domain::answers::Answers;
use crate::domain::json_source::SourceText;
use crate::domain::knowledge::Knowledge;
use crate::domain::project::{PROJECT_EXTENSION, Project};
use crate::domain::rules::{Advice, Engine};
use crate::domain::wizard;
use crate::ui::file_menu::{
    self, FilePicker, MenuState, NativePicker, PickPurpose, PickReply, PickRequest, Picked,
};
use crate::ui::results::ResultsUi;
use crate::ui::wizard::WizardUi;
use crate::ui::{Command, Notice, Screen, capacity, chaos, compare, export, simulator};
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

/// Opens the window; `pack` is a team's knowledge folder to overlay.
pub fn run(pack: Option<PathBuf>) -> eframe::Result {
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
            Ok(Box::new(StatecraftApp::with_storage(
                pack.as_deref(),
                cc.storage,
            )))
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
    pub screen: Screen,
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
    pub screen: Screen,
    pub settings: Settings,
    pub wizard: WizardUi,
    pub results: ResultsUi,
    pub simulator: simulator::SimulatorUi,
    pub compare: compare::CompareUi,
    pub chaos: chaos::ChaosUi,
    pub capacity: capacity::CapacityUi,
    pub export: export::ExportUi,
    pub decisions: crate::ui::decisions::DecisionsUi,
    /// The worker threads (none when the knowledge did not load).
    pub worker: Option<Worker>,
    /// The banner above the screens.
    pub notice: Option<Notice>,
    /// The "unsaved changes" question on screen, and what waits on its answer.
    pub confirm: Option<Pending>,
    /// What to do after the Save As dialog has saved (a New or Open that asked to save first).
    after_save: Option<Pending>,
    allow_close: bool,
    picker: Box<dyn FilePicker>,
    pick_tx: Sender<PickReply>,
    pick_rx: Receiver<PickReply>,
    /// A dialog is open for this.
    pub picking: Option<PickPurpose>,
    /// No file dialog could open: the app asks for a path itself.
    pub path_prompt: Option<PathPrompt>,
    /// Undo and redo of the project's edits.
    pub history: History,
    advice: Option<AdviceCache>,
    commands: Vec<Command>,
    applied_theme: Option<bool>,
    shown_title: String,
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
            wizard: WizardUi::default(),
            results: ResultsUi::default(),
            simulator: simulator::SimulatorUi::default(),
            compare: compare::CompareUi::default(),
            chaos: chaos::ChaosUi::default(),
            capacity: capacity::CapacityUi::default(),
            export: export::ExportUi::default(),
            decisions: crate::ui::decisions::DecisionsUi::default(),
            notice: None,
            confirm: None,
            after_save: None,
            allow_close: false,
            picker: Box::new(NativePicker),
            pick_tx,
            pick_rx,
            picking: None,
            path_prompt: None,
            history: History::default(),
            advice: None,
            commands: Vec::new(),
            applied_theme: None,
            shown_title: String::new(),
            fonts_installed: false,
            settings,
        };
        app.restore_last_project();
        app
    }

    /// Replaces the file dialogs (tests script them).
    pub fn with_picker(mut self, picker: Box<dyn FilePicker>) -> Self {
        self.picker = picker;
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
            let assumed = wizard::visible(k, &filled)
                .iter()
                .filter(|&&i| answers.get(&k.questions[i].id).is_none())
                .count();
            let advice = Engine::new(k).advise(&filled);
            self.advice = Some(AdviceCache {
                answers: answers.clone(),
                advice,
                assumed,
            });
        }
        self.advice.as_ref().map(|c| (&c.advice, c.assumed))
    }

    // ---- files -------------------------------------------------------------------------------

    pub(super) fn pick(&mut self, purpose: PickPurpose, ctx: &egui::Context) {
        if self.picking.is_some() {
            return;
        }
        let folder = self
            .doc
            .path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf);
        let suggested_name = self.suggested_name(purpose);
        self.picking = Some(purpose);
        self.picker.pick(
            PickRequest {
                purpose,
                suggested_name,
                folder,
            },
            self.pick_tx.clone(),
            ctx.clone(),
        );
    }

    /// Opens `path`; on any problem the banner names the file and the problem, and the current
    /// project stays as it was.
    pub fn open_path(&mut self, path: &Path) {
        let Ok(k) = &self.knowledge else {
            return;
        };
        match Project::read(path, k) {
            Ok(project) => {
                self.doc = Document::opened(project, path.to_path_buf());
                self.after_open();
                file_menu::remember(&mut self.settings.recent, path);
                self.notice = Some(Notice::info(format!("Opened {}", path.display())));
            }
            Err(problems) => {
                self.notice = Some(Notice::error(
                    format!(
                        "Could not open {} — your current project is unchanged",
                        path.display()
                    ),
                    problems.to_string(),
                ));
            }
        }
    }

    /// Opens a decision record as a new, unsaved project: its answers and scenarios come back; the
    /// banner says what the record says of itself (another knowledge, edited prose).
    pub fn open_record(&mut self, path: &Path) {
        let Ok(k) = &self.knowledge else {
            return;
        };
        match crate::domain::decision::project_from_record(k, path) {
            Ok((project, warnings)) => {
                self.doc = Document::new();
                self.doc.project = project;
                self.after_open();
                self.screen = Screen::Recommendation;
                let mut notice = Notice::info(format!(
                    "Opened the record {} as a new project",
                    path.display()
                ));
                if !warnings.is_empty() {
                    notice.detail = warnings.join("\n");
                }
                self.notice = Some(notice);
            }
            Err(problems) => {
                self.notice = Some(Notice::error(
                    format!(
                        "Could not open {} — your current project is unchanged",
                        path.display()
                    ),
                    problems.to_string(),
                ));
            }
        }
    }

    fn after_open(&mut self) {
        self.history.clear();
        self.wizard.reset();
        self.results = ResultsUi::default();
        self.advice = None;
        self.simulator.project_changed(&self.doc.project);
        self.compare.project_changed(&self.doc.project);
    }

    /// Saves to `path` atomically; true on success.
    pub fn save_to(&mut self, path: &Path) -> bool {
        match self.doc.project.save(path) {
            Ok(()) => {
                self.doc.mark_saved(path.to_path_buf());
                file_menu::remember(&mut self.settings.recent, path);
                self.notice = Some(Notice::info(format!("Saved {}", path.display())));
                true
            }
            Err(problem) => {
                self.notice = Some(Notice::error(
                    format!("Could not save {} — nothing was written", path.display()),
                    format!("error: {problem}"),
                ));
                false
            }
        }
    }

    fn new_project(&mut self) {
        self.doc = Document::new();
        self.after_open();
        self.screen = Screen::Wizard;
        self.notice = Some(Notice::info("New project"));
    }

    /// Runs `action` now, or first asks about unsaved changes.
    pub(super) fn guarded(&mut self, action: Pending, ctx: &egui::Context) {
        if self.doc.is_dirty() {
            self.confirm = Some(action);
        } else {
            self.proceed(action, ctx);
        }
    }

    pub(super) fn proceed(&mut self, action: Pending, ctx: &egui::Context) {
        match action {
            Pending::New => self.new_project(),
            Pending::Open => self.pick(PickPurpose::OpenProject, ctx),
            Pending::OpenPath(path) => self.open_path(&path),
            Pending::OpenRecord(path) => self.open_record(&path),
            Pending::Close => {
                self.allow_close = true;
                // on restart the app brings back what was saved, so whatever was not saved is not
                // kept past this point: "Don't save" and a clean close alike
                self.doc.discard_changes();
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    fn on_picked(&mut self, (purpose, picked): PickReply, ctx: &egui::Context) {
        self.picking = None;
        let path = match picked {
            Picked::Path(path) => path,
            Picked::Cancelled => {
                self.after_save = None;
                return;
            }
            Picked::Unavailable(why) => {
                let suggested = self.suggested_path(purpose);
                self.path_prompt = Some(PathPrompt::new(purpose, why, suggested));
                return;
            }
        };
        self.picked_path(purpose, path, ctx);
    }

    /// Where the typed-path prompt starts: the project's folder (or the working folder) and the name
    /// a dialog would suggest.
    fn suggested_path(&self, purpose: PickPurpose) -> PathBuf {
        let folder = self
            .doc
            .path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        folder.join(self.suggested_name(purpose))
    }

    fn suggested_name(&self, purpose: PickPurpose) -> String {
        match purpose {
            PickPurpose::ExportRecord => "decision-record.md".to_string(),
            _ => self.doc.path.as_deref().map_or_else(
                || format!("project.{PROJECT_EXTENSION}"),
                file_menu::display_name,
            ),
        }
    }

    /// Acts on a path chosen in a dialog or typed in the prompt.
    pub(super) fn picked_path(&mut self, purpose: PickPurpose, path: PathBuf, ctx: &egui::Context) {
        match purpose {
            PickPurpose::OpenProject => self.open_path(&path),
            PickPurpose::SaveProject => {
                let path = with_project_extension(path);
                if self.save_to(&path)
                    && let Some(next) = self.after_save.take()
                {
                    self.proceed(next, ctx);
                }
            }
            PickPurpose::ExportRecord => {
                let notice = self.export.save_record(&path);
                self.notice = Some(notice);
            }
        }
    }

    fn screen_ui(&mut self, ui: &mut Ui) {
        let Ok(k) = self.knowledge.clone() else {
            return;
        };
        let mut commands = Vec::new();
        match self.screen {
            Screen::Wizard => {
                self.wizard
                    .wizard_ui(ui, &k, &self.doc.project.answers, &mut commands);
            }
            Screen::Recommendation => {
                if let Some((advice, assumed)) = self.advice().map(|(a, n)| (a.clone(), n)) {
                    self.results
                        .results_ui(ui, &k, &advice, assumed, &mut commands);
                }
            }
            Screen::Simulator => {
                let advice = self.advice().map(|(a, _)| a.clone());
                if let Some(worker) = self.worker.as_mut() {
                    self.simulator.simulator_ui(
                        ui,
                        &k,
                        &self.doc.project,
                        advice.as_ref(),
                        worker,
                        &mut commands,
                    );
                }
            }
            Screen::Compare => {
                if let Some(worker) = self.worker.as_mut() {
                    self.compare
                        .compare_ui(ui, &k, &self.doc.project, worker, &mut commands);
                }
            }
            Screen::Chaos => {
                let advice = self.advice().map(|(a, _)| a.clone());
                if let Some(worker) = self.worker.as_mut() {
                    let scenario =
                        simulator::SimulatorUi::working(&self.doc.project, advice.as_ref());
                    self.chaos.chaos_ui(
                        ui,
                        &k,
                        &self.doc.project,
                        &scenario,
                        worker,
                        &mut commands,
                    );
                }
            }
            Screen::Capacity => {
                let advice = self.advice().map(|(a, _)| a.clone());
                if let Some(worker) = self.worker.as_mut() {
                    let scenario =
                        simulator::SimulatorUi::working(&self.doc.project, advice.as_ref());
                    self.capacity
                        .capacity_ui(ui, &self.doc.project, &scenario, worker);
                }
            }
            Screen::Decisions => {
                if let Some(worker) = self.worker.as_mut() {
                    self.decisions.decisions_ui(ui, worker, &mut commands);
                }
            }
            Screen::Export => {
                let advice = self.advice().map(|(a, _)| a.clone());
                if let Some(advice) = advice
                    && let Some(worker) = self.worker.as_mut()
                {
                    self.export
                        .export_ui(ui, &self.doc.project, &advice, worker, &mut commands);
                }
            }
        }
        self.commands.extend(commands);
    }

    fn update_title_and_theme(&mut self, ctx: &egui::Context) {
        if self.applied_theme != Some(self.settings.dark) {
            ctx.set_theme(if self.settings.dark {
                egui::ThemePreference::Dark
            } else {
                egui::ThemePreference::Light
            });
            self.applied_theme = Some(self.settings.dark);
        }
        let title = format!(
            "{}{} — Statecraft",
            self.doc.title(),
            if self.doc.is_dirty() { " •" } else { "" }
        );
        if title != self.shown_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.shown_title = title;
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
            self.simulator.on_reply(&mut reply);
            self.compare.on_reply(&mut reply);
            self.chaos.on_reply(&mut reply);
            self.capacity.on_reply(&mut reply);
            self.export.on_reply(&mut reply);
            if let Some(notice) = self.export.finish_waiting_save() {
                self.notice = Some(notice);
            }
            self.decisions.on_reply(&mut reply);
        }
    }
}

/// Adds `.statecraft.json` when the user typed a bare name.
fn with_project_extension(path: PathBuf) -> PathBuf {
    if path.extension().is_some() {
        path
    } else {
        path.with_extension(PROJECT_EXTENSION)
    }
}

impl eframe::App for StatecraftApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        while let Ok(reply) = self.pick_rx.try_recv() {
            self.on_picked(reply, ctx);
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
        if !self.fonts_installed {
            crate::ui::widgets::install_fonts(&ctx);
            self.fonts_installed = true;
        }
        self.update_title_and_theme(&ctx);
        if self.confirm.is_none() && self.path_prompt.is_none() {
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
        self.confirm_ui(&ctx);
        self.path_prompt_ui(&ctx);
        let before = self.doc.project.answers.clone();
        self.apply_commands(&ctx);
        if self.doc.project.answers != before {
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
