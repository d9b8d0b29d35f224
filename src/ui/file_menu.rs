//! The menu bar (File, Edit, View, Help), its keyboard shortcuts, and the file dialogs behind it.
//!
//! Native dialogs (rfd) run on their own thread and answer through a channel, so the window keeps
//! drawing while one is open. When no dialog can open (no desktop portal on a bare X session), the
//! picker says so and the app asks for a path in its own window instead of doing nothing. Tests
//! swap in a [`ScriptedPicker`] that answers with paths they chose.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use egui::{Key, KeyboardShortcut, Modifiers, RichText, Ui};

use super::{Command, ScreenId};

pub const SHORTCUT_NEW: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
pub const SHORTCUT_OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
pub const SHORTCUT_SAVE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
pub const SHORTCUT_SAVE_AS: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S);
pub const SHORTCUT_EXPORT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::E);
pub const SHORTCUT_UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
pub const SHORTCUT_REDO: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
/// Redo's second shortcut, as on Windows and in GNOME apps.
pub const SHORTCUT_REDO_Y: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);
pub const SHORTCUT_QUIT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);

/// A native dialog that answers "cancelled" sooner than this did not open: nobody cancels a
/// dialog in a fifth of a second.
const NO_DIALOG_WITHIN: Duration = Duration::from_millis(200);

/// How many recent files the File menu lists.
pub const MAX_RECENT: usize = 8;

/// Why a file is being chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PickPurpose {
    OpenProject,
    SaveProject,
    ExportRecord,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PickRequest {
    pub purpose: PickPurpose,
    /// The file name the save dialog suggests.
    pub suggested_name: String,
    /// The folder the dialog starts in.
    pub folder: Option<PathBuf>,
}

/// What a file dialog answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Picked {
    Path(PathBuf),
    Cancelled,
    /// No dialog could be shown; the text says why.
    Unavailable(String),
}

/// The dialog's answer, with what it was for.
pub type PickReply = (PickPurpose, Picked);

/// Chooses files for the app. `pick` must not block: it answers on `reply`, now or later.
pub trait FilePicker: Send {
    fn pick(&mut self, request: PickRequest, reply: Sender<PickReply>, ctx: egui::Context);
}

/// The operating system's dialogs, each on its own thread.
#[derive(Default)]
pub struct NativePicker;

impl FilePicker for NativePicker {
    fn pick(&mut self, request: PickRequest, reply: Sender<PickReply>, ctx: egui::Context) {
        let purpose = request.purpose;
        if let Some(why) = no_dialog_service() {
            let _ = reply.send((purpose, Picked::Unavailable(why)));
            ctx.request_repaint();
            return;
        }
        let fallback = reply.clone();
        let spawned = std::thread::Builder::new()
            .name("file-dialog".into())
            .spawn(move || {
                let opened = Instant::now();
                let mut dialog = rfd::FileDialog::new();
                if let Some(folder) = &request.folder {
                    dialog = dialog.set_directory(folder);
                }
                let chosen = match request.purpose {
                    PickPurpose::OpenProject => dialog
                        .set_title("Open a Statecraft project")
                        .add_filter("Statecraft project", &["json"])
                        .add_filter("All files", &["*"])
                        .pick_file(),
                    PickPurpose::SaveProject => dialog
                        .set_title("Save the Statecraft project")
                        .add_filter("Statecraft project", &["json"])
                        .set_file_name(&request.suggested_name)
                        .save_file(),
                    PickPurpose::ExportRecord => dialog
                        .set_title("Save the decision record")
                        .add_filter("Markdown", &["md"])
                        .add_filter("HTML", &["html"])
                        .set_file_name(&request.suggested_name)
                        .save_file(),
                };
                let answer = match chosen {
                    Some(path) => Picked::Path(path),
                    None if opened.elapsed() < NO_DIALOG_WITHIN => Picked::Unavailable(
                        "the desktop answered at once, without showing one".to_string(),
                    ),
                    None => Picked::Cancelled,
                };
                // the app may have closed meanwhile; nothing to do then
                let _ = reply.send((request.purpose, answer));
                ctx.request_repaint();
            });
        if spawned.is_err() {
            // no thread, no dialog: the app asks for a path itself
            let _ = fallback.send((
                purpose,
                Picked::Unavailable("no thread could be started for the file dialog".into()),
            ));
        }
    }
}

/// Why no native dialog can open here, found before trying: on Linux the dialogs go through the
/// desktop portal on the session bus, and without a session bus there is none.
fn no_dialog_service() -> Option<String> {
    if cfg!(target_os = "linux") && std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        Some("this session has no desktop message bus (D-Bus) to reach one through".to_string())
    } else {
        None
    }
}

/// Answers each request with the next path its script holds (`None` plays a cancelled dialog); for
/// tests and demos. Keep a clone of `script` to add paths while the app runs.
#[derive(Clone, Default)]
pub struct ScriptedPicker {
    pub script: Arc<Mutex<VecDeque<Option<PathBuf>>>>,
    /// Every request made, oldest first.
    pub requests: Arc<Mutex<Vec<PickRequest>>>,
    /// Plays a desktop where no dialog can open.
    pub unavailable: Arc<AtomicBool>,
}

impl ScriptedPicker {
    pub fn new(paths: impl IntoIterator<Item = PathBuf>) -> Self {
        let picker = ScriptedPicker::default();
        picker.push_all(paths);
        picker
    }

    pub fn push_all(&self, paths: impl IntoIterator<Item = PathBuf>) {
        if let Ok(mut script) = self.script.lock() {
            script.extend(paths.into_iter().map(Some));
        }
    }
}

impl FilePicker for ScriptedPicker {
    fn pick(&mut self, request: PickRequest, reply: Sender<PickReply>, ctx: egui::Context) {
        if let Ok(mut requests) = self.requests.lock() {
            requests.push(request.clone());
        }
        let answer = if self.unavailable.load(Ordering::Relaxed) {
            Picked::Unavailable("no file dialog service (test)".to_string())
        } else {
            match self
                .script
                .lock()
                .ok()
                .and_then(|mut s| s.pop_front())
                .flatten()
            {
                Some(path) => Picked::Path(path),
                None => Picked::Cancelled,
            }
        };
        let _ = reply.send((request.purpose, answer));
        ctx.request_repaint();
    }
}

/// What the menu bar shows besides its fixed items.
pub struct MenuState<'a> {
    pub recent: &'a [PathBuf],
    pub dark: bool,
    /// The names of the edits Undo and Redo would act on.
    pub undo: Option<&'a str>,
    pub redo: Option<&'a str>,
}

/// The menu bar; choices become commands.
pub fn menu_bar_ui(ui: &mut Ui, state: &MenuState<'_>, commands: &mut Vec<Command>) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            let ctx = ui.ctx().clone();
            let item = |ui: &mut Ui, text: &str, shortcut: Option<&KeyboardShortcut>| {
                let mut button = egui::Button::new(text);
                if let Some(s) = shortcut {
                    button = button.shortcut_text(ctx.format_shortcut(s));
                }
                ui.add(button).clicked()
            };
            if item(ui, "New", Some(&SHORTCUT_NEW)) {
                commands.push(Command::New);
            }
            if item(ui, "Open…", Some(&SHORTCUT_OPEN)) {
                commands.push(Command::Open);
            }
            ui.menu_button("Open recent", |ui| {
                if state.recent.is_empty() {
                    ui.label("No recent files");
                }
                for path in state.recent {
                    if ui
                        .button(display_name(path))
                        .on_hover_text(path.display().to_string())
                        .clicked()
                    {
                        commands.push(Command::OpenPath(path.clone()));
                    }
                }
            });
            ui.separator();
            if item(ui, "Save", Some(&SHORTCUT_SAVE)) {
                commands.push(Command::Save);
            }
            if item(ui, "Save As…", Some(&SHORTCUT_SAVE_AS)) {
                commands.push(Command::SaveAs);
            }
            ui.separator();
            if item(ui, "Export decision record…", Some(&SHORTCUT_EXPORT)) {
                commands.push(Command::ExportRecord);
            }
            ui.separator();
            if item(ui, "Quit", Some(&SHORTCUT_QUIT)) {
                commands.push(Command::Quit);
            }
        });
        ui.menu_button("Edit", |ui| {
            let ctx = ui.ctx().clone();
            let undo = state
                .undo
                .map_or_else(|| "Undo".to_string(), |l| format!("Undo {l}"));
            let button = egui::Button::new(undo).shortcut_text(ctx.format_shortcut(&SHORTCUT_UNDO));
            if ui.add_enabled(state.undo.is_some(), button).clicked() {
                commands.push(Command::Undo);
            }
            let redo = state
                .redo
                .map_or_else(|| "Redo".to_string(), |l| format!("Redo {l}"));
            let button = egui::Button::new(redo).shortcut_text(ctx.format_shortcut(&SHORTCUT_REDO));
            if ui.add_enabled(state.redo.is_some(), button).clicked() {
                commands.push(Command::Redo);
            }
        });
        ui.menu_button("View", |ui| {
            if ui.radio(!state.dark, "Light theme").clicked() {
                commands.push(Command::SetDark(false));
            }
            if ui.radio(state.dark, "Dark theme").clicked() {
                commands.push(Command::SetDark(true));
            }
            ui.separator();
            for screen in ScreenId::ALL {
                if ui.button(screen.title()).clicked() {
                    commands.push(Command::Goto(screen));
                }
            }
        });
        ui.menu_button("Help", |ui| {
            ui.label(RichText::new(format!("Statecraft {}", env!("CARGO_PKG_VERSION"))).strong());
            ui.label("Decide stateless, stateful or hybrid on AWS — and show the work.");
            ui.separator();
            ui.label(RichText::new("Keyboard").strong());
            let ctx = ui.ctx().clone();
            egui::Grid::new("help_shortcuts")
                .num_columns(2)
                .show(ui, |ui| {
                    for (shortcut, what) in [
                        (ctx.format_shortcut(&SHORTCUT_NEW), "New project"),
                        (ctx.format_shortcut(&SHORTCUT_OPEN), "Open a project"),
                        (ctx.format_shortcut(&SHORTCUT_SAVE), "Save"),
                        (ctx.format_shortcut(&SHORTCUT_SAVE_AS), "Save as"),
                        (
                            ctx.format_shortcut(&SHORTCUT_EXPORT),
                            "Export the decision record",
                        ),
                        (ctx.format_shortcut(&SHORTCUT_UNDO), "Undo"),
                        (ctx.format_shortcut(&SHORTCUT_REDO), "Redo"),
                        (ctx.format_shortcut(&SHORTCUT_QUIT), "Quit"),
                        ("Enter".to_string(), "Next question; confirm a dialog"),
                        ("Escape".to_string(), "Cancel a dialog"),
                        (
                            "↑ ↓ Space".to_string(),
                            "Choose and tick options in the wizard",
                        ),
                    ] {
                        ui.label(RichText::new(shortcut).monospace());
                        ui.label(what);
                        ui.end_row();
                    }
                });
            ui.separator();
            ui.label(
                "Every screen is explained in the README that comes with Statecraft \
                 (README.md in the source, /usr/share/doc/statecraft/README.md when installed).",
            );
        });
    });
}

/// Reads the File and Edit shortcuts from the input (once each) as commands. While a text field
/// has the focus, Ctrl+Z and Ctrl+Shift+Z are left to it (they undo the typing, as everywhere),
/// unless it is a number field with nothing typed in it yet.
pub fn shortcuts(ctx: &egui::Context, commands: &mut Vec<Command>) {
    let typing = ctx.text_edit_focused() && !super::number_field::focused_field_is_unedited(ctx);
    ctx.input_mut(|i| {
        if !typing {
            if i.consume_shortcut(&SHORTCUT_REDO) || i.consume_shortcut(&SHORTCUT_REDO_Y) {
                commands.push(Command::Redo);
            }
            if i.consume_shortcut(&SHORTCUT_UNDO) {
                commands.push(Command::Undo);
            }
        }
        if i.consume_shortcut(&SHORTCUT_QUIT) {
            commands.push(Command::Quit);
        }
        // the longer shortcut first: Ctrl+S would also match Ctrl+Shift+S
        if i.consume_shortcut(&SHORTCUT_SAVE_AS) {
            commands.push(Command::SaveAs);
        }
        if i.consume_shortcut(&SHORTCUT_SAVE) {
            commands.push(Command::Save);
        }
        if i.consume_shortcut(&SHORTCUT_NEW) {
            commands.push(Command::New);
        }
        if i.consume_shortcut(&SHORTCUT_OPEN) {
            commands.push(Command::Open);
        }
        if i.consume_shortcut(&SHORTCUT_EXPORT) {
            commands.push(Command::ExportRecord);
        }
    });
}

/// The file name alone, for menus and titles.
pub fn display_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Puts `path` first in `recent`, without duplicates, keeping at most [`MAX_RECENT`].
pub fn remember(recent: &mut Vec<PathBuf>, path: &Path) {
    recent.retain(|p| p != path);
    recent.insert(0, path.to_path_buf());
    recent.truncate(MAX_RECENT);
}
