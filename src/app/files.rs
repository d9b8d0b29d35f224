//! Files: opening a project or a decision record, saving, the file dialogs and the typed-path
//! prompt, and the question every path the app writes to asks first: a file that exists is replaced
//! only when the user says so. A native save dialog asks that itself for the path chosen in it; a
//! typed path, or a name the app completes (the project extension), is asked here. A folder is a
//! valid target for a decision record: the record takes the folder's next number, as
//! `statecraft export --decisions-dir` does.

use std::path::{Path, PathBuf};

use super::PathPrompt;
use super::replace::ReplaceQuestion;
use super::{Document, Pending, StatecraftApp};
use crate::domain::project::{PROJECT_EXTENSION, Project};
use crate::ui::export::is_folder_target;
use crate::ui::file_menu::{self, PickPurpose, PickReply, PickRequest, Picked};
use crate::ui::results::ResultsUi;
use crate::ui::{Notice, ScreenId};

impl StatecraftApp {
    /// Opens the file dialog for `purpose` (or, where none can open, the typed-path prompt).
    pub(super) fn pick(&mut self, purpose: PickPurpose, ctx: &egui::Context) {
        if self.picking.is_some() {
            return;
        }
        let folder = self.start_folder(purpose);
        let suggested_name = self.suggested_name(purpose);
        self.picking = Some(purpose);
        self.dialogs.picker.pick(
            PickRequest {
                purpose,
                suggested_name,
                folder,
            },
            self.dialogs.tx.clone(),
            ctx.clone(),
        );
    }

    /// Opens the file the app was started with; unsaved work restored from the last session is
    /// not dropped for it without asking.
    pub fn open_at_start(&mut self, path: PathBuf) {
        if self.doc.is_dirty() {
            self.confirm = Some(Pending::OpenPath(path));
        } else {
            self.open_path(&path);
        }
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
                self.screen = ScreenId::Recommendation;
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

    pub(super) fn after_open(&mut self) {
        self.history.clear();
        self.screens.wizard.reset();
        self.screens.results = ResultsUi::default();
        self.advice = None;
        self.screens.simulator.project_changed(&self.doc.project);
        self.screens.compare.project_changed(&self.doc.project);
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

    pub(super) fn new_project(&mut self) {
        self.doc = Document::new();
        self.after_open();
        self.screen = ScreenId::Wizard;
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

    pub(super) fn on_picked(&mut self, (purpose, picked): PickReply, ctx: &egui::Context) {
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
        // the native save dialog asked before choosing a file that exists
        self.picked_path(purpose, path, true, ctx);
    }

    /// Where the typed-path prompt starts: the project's folder (or the working folder) and the name
    /// a dialog would suggest.
    fn suggested_path(&self, purpose: PickPurpose) -> PathBuf {
        self.start_folder(purpose)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default()
            .join(self.suggested_name(purpose))
    }

    /// Where a dialog starts: a record where the last record went, else the project's folder.
    fn start_folder(&self, purpose: PickPurpose) -> Option<PathBuf> {
        let last_record = match purpose {
            PickPurpose::ExportRecord => self.screens.export.last_folder(),
            _ => None,
        };
        last_record.or_else(|| {
            self.doc
                .path
                .as_deref()
                .and_then(Path::parent)
                .map(Path::to_path_buf)
        })
    }

    pub(super) fn suggested_name(&self, purpose: PickPurpose) -> String {
        match purpose {
            PickPurpose::ExportRecord => self.screens.export.suggested_name(),
            _ => self.doc.path.as_deref().map_or_else(
                || format!("project.{PROJECT_EXTENSION}"),
                file_menu::display_name,
            ),
        }
    }

    /// Acts on a path chosen in a dialog or typed in the prompt. `asked`: a native dialog chose
    /// it and has already asked whether to replace it, if it exists.
    pub(super) fn picked_path(
        &mut self,
        purpose: PickPurpose,
        path: PathBuf,
        asked: bool,
        ctx: &egui::Context,
    ) {
        // the prompt the path was typed in, for a "replace?" cancelled to go back to
        let typed = self.last_prompt.take().filter(|_| !asked);
        match purpose {
            PickPurpose::OpenProject => self.open_path(&path),
            PickPurpose::SaveProject => {
                let target = with_project_extension(path.clone());
                // the dialog asked about the name chosen in it, not the one the app completed
                let asked = asked && target == path;
                if !asked && target.exists() {
                    self.ask_replace(purpose, target.clone(), vec![target], typed);
                } else {
                    self.write_project(&target, ctx);
                }
            }
            PickPurpose::ExportRecord => {
                if is_folder_target(&path) {
                    self.write_record_into(&path);
                    return;
                }
                let existing: Vec<PathBuf> = self
                    .screens
                    .export
                    .files_for(&path)
                    .into_iter()
                    .filter(|f| f.exists() && !(asked && *f == path))
                    .collect();
                if existing.is_empty() {
                    // what the dialog asked about may be replaced; nothing else is
                    let replace = asked && path.exists();
                    self.notice = Some(self.screens.export.save_record(&path, replace));
                    self.offer_to_decision_log(path.parent());
                } else {
                    self.ask_replace(purpose, path, existing, typed);
                }
            }
        }
    }

    /// Saves the project to `path`, then does what waited on the save (a New, an Open, a Quit).
    fn write_project(&mut self, path: &Path, ctx: &egui::Context) {
        if self.save_to(path)
            && let Some(next) = self.after_save.take()
        {
            self.proceed(next, ctx);
        }
    }

    /// Writes the record into a decisions folder under its next number; the Decision log then
    /// offers that folder.
    fn write_record_into(&mut self, dir: &Path) {
        let notice = self.screens.export.save_into_folder(dir);
        self.offer_to_decision_log(Some(dir));
        self.notice = Some(notice);
    }

    /// The Decision log starts on the folder the last record went to, unless the user chose one.
    fn offer_to_decision_log(&mut self, dir: Option<&Path>) {
        if let Some(dir) = dir.filter(|d| !d.as_os_str().is_empty())
            && self.screens.decisions.folder.trim().is_empty()
        {
            self.screens.decisions.folder = dir.display().to_string();
        }
    }

    /// Asks "replace?" before writing `path` over the `existing` files.
    fn ask_replace(
        &mut self,
        purpose: PickPurpose,
        path: PathBuf,
        existing: Vec<PathBuf>,
        typed: Option<PathPrompt>,
    ) {
        self.replace = Some(ReplaceQuestion {
            purpose,
            path,
            existing,
            typed,
        });
    }

    /// The answer to "replace?": write over the files, or go back to choosing.
    pub(super) fn replace_answered(&mut self, replace: bool, ctx: &egui::Context) {
        let Some(question) = self.replace.take() else {
            return;
        };
        if !replace {
            match question.typed {
                // back to the typed path, to choose another name
                Some(prompt) => self.path_prompt = Some(prompt.reopened()),
                None => self.after_save = None,
            }
            self.notice = Some(Notice::info(format!(
                "Nothing was written: {} was left as it is",
                question.path.display()
            )));
            return;
        }
        match question.purpose {
            PickPurpose::SaveProject => self.write_project(&question.path, ctx),
            PickPurpose::ExportRecord => {
                self.notice = Some(self.screens.export.save_record(&question.path, true));
                self.offer_to_decision_log(question.path.parent());
            }
            PickPurpose::OpenProject => {}
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
