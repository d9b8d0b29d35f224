//! Applying the screens' commands: the one place the project is written. Each edit is recorded
//! for undo under a name the Edit menu shows; files, dialogs and navigation are handed on.

use std::time::Instant;

use super::{Pending, StatecraftApp};
use crate::domain::knowledge::AnswerValue;
use crate::domain::project::Project;
use crate::ui::file_menu::PickPurpose;
use crate::ui::{Command, Notice, ScreenId};

impl StatecraftApp {
    /// Applies one edit to the project and records it for undo (when it changed anything).
    fn edit(&mut self, label: &str, key: Option<&str>, change: impl FnOnce(&mut Project)) {
        let before = self.doc.project.clone();
        change(&mut self.doc.project);
        if self.doc.project != before {
            self.history.record(before, label, key, Instant::now());
        }
    }

    fn set_answer(&mut self, question: String, value: Option<AnswerValue>) {
        let label = match &self.knowledge {
            Ok(k) => match k.questions.iter().find(|q| q.id == question) {
                Some(q) => format!("Answer “{}”", short_label(&q.text)),
                None => "Answer".to_string(),
            },
            Err(_) => "Answer".to_string(),
        };
        let key = format!("answer:{question}");
        self.edit(&label, Some(&key), |p| match value {
            Some(v) => p.answers.set(question, v),
            None => {
                p.answers.remove(&question);
            }
        });
    }

    fn undo_or_redo(&mut self, redo: bool) {
        let step = if redo {
            self.history.redo(&self.doc.project)
        } else {
            self.history.undo(&self.doc.project)
        };
        match step {
            Some((project, label)) => {
                self.doc.project = project;
                // the "Applied: …" banner of a tipping point no longer describes the answers
                self.screens.results.applied = None;
                let verb = if redo { "Redid" } else { "Undid" };
                self.notice = Some(Notice::info(format!("{verb}: {label}")));
            }
            None => {
                let what = if redo { "redo" } else { "undo" };
                self.notice = Some(Notice::info(format!("Nothing to {what}")));
            }
        }
    }

    pub(super) fn apply_commands(&mut self, ctx: &egui::Context) {
        let commands = std::mem::take(&mut self.commands);
        for command in commands {
            match command {
                Command::Goto(screen) => self.screen = screen,
                Command::ApplyAnswer { question, value } => {
                    self.set_answer(question, value);
                    self.screen = ScreenId::Recommendation;
                    self.screens.results.scroll_to_top = true;
                }
                Command::SetAnswer { question, value } => self.set_answer(question, value),
                Command::SetWorking(scenario) => {
                    self.edit("Edit the simulated scenario", Some("working"), |p| {
                        p.working = Some(*scenario);
                    });
                }
                Command::SaveScenario { name, scenario } => {
                    self.edit(&format!("Save scenario “{name}”"), None, |p| {
                        p.save_scenario(&name, *scenario);
                    });
                    self.notice = Some(Notice::undoable(format!(
                        "Saved the scenario “{name}” — compare it on the Compare screen; the record carries it (untick it on the Export screen)"
                    )));
                }
                Command::DeleteScenario(name) => {
                    self.edit(&format!("Delete scenario “{name}”"), None, |p| {
                        p.scenarios.retain(|s| s.name != name);
                        // a deleted scenario is no longer ticked for the record either
                        p.record.scenarios.retain(|n| n != &name);
                    });
                    self.notice = Some(Notice::undoable(format!("Deleted the scenario “{name}”")));
                }
                Command::Undo => self.undo_or_redo(false),
                Command::Redo => self.undo_or_redo(true),
                Command::New => self.guarded(Pending::New, ctx),
                Command::Open => self.guarded(Pending::Open, ctx),
                Command::OpenPath(path) => self.guarded(Pending::OpenPath(path), ctx),
                Command::Save => match self.doc.path.clone() {
                    Some(path) => {
                        self.save_to(&path);
                    }
                    None => self.pick(PickPurpose::SaveProject, ctx),
                },
                Command::SaveAs => self.pick(PickPurpose::SaveProject, ctx),
                Command::ExportRecord => {
                    self.screen = ScreenId::Export;
                    self.pick(PickPurpose::ExportRecord, ctx);
                }
                // a typed path: nothing asked yet whether to replace what is there
                Command::ExportRecordTo(path) => {
                    self.picked_path(PickPurpose::ExportRecord, path, false, ctx);
                }
                Command::SaveProjectTo(path) => {
                    self.picked_path(PickPurpose::SaveProject, path, false, ctx);
                }
                Command::SetSeed(seed) => {
                    self.edit("Set the seed", Some("seed"), |p| p.seed = seed);
                }
                Command::SetRecordSettings(settings) => {
                    self.edit("Edit the decision record", Some("record"), |p| {
                        p.record = settings;
                    });
                }
                Command::SetRecordChaos(chaos) => {
                    self.edit("Choose the record's chaos test", None, |p| {
                        p.record.chaos = chaos;
                    });
                }
                Command::OpenRecord(path) => self.guarded(Pending::OpenRecord(path), ctx),
                Command::Supersede { dir, number, file } => {
                    self.edit(&format!("Supersede ADR-{number:04}"), None, |p| {
                        p.record.supersedes =
                            Some(crate::domain::project::Supersedes { number, file });
                    });
                    self.notice = Some(Notice::info(format!(
                        "The record you write next supersedes ADR-{number:04}: write it into {} from this screen",
                        dir.display()
                    )));
                    self.screens.export.folder = Some(dir);
                    self.screen = ScreenId::Export;
                }
                Command::WriteIndex(dir) => {
                    self.notice = Some(match &self.screens.decisions.report {
                        Some(Ok(report)) => match crate::domain::review::index::write(&dir, report)
                        {
                            Ok(path) => {
                                Notice::info(format!("Wrote the decision log {}", path.display()))
                            }
                            Err(e) => Notice::error(
                                format!("Could not write the decision log in {}", dir.display()),
                                e.to_string(),
                            ),
                        },
                        _ => Notice::error("Review the folder first", String::new()),
                    });
                }
                Command::ExportIntoFolder => {
                    let (notice, written) = self.screens.export.write_into_folder();
                    if written && let Some(old) = self.doc.project.record.supersedes.clone() {
                        // done: the next record supersedes nothing unless asked again
                        self.edit(
                            &format!("Write the record superseding ADR-{:04}", old.number),
                            None,
                            |p| p.record.supersedes = None,
                        );
                    }
                    if let Some(dir) = self.screens.export.folder.clone()
                        && self.screens.decisions.reviewed_folder() == Some(dir.as_path())
                        && let Some(worker) = self.worker.as_mut()
                    {
                        // the log shows the new record and the superseded one
                        self.screens.decisions.review(worker);
                    }
                    self.notice = Some(notice);
                }
                Command::SetDark(dark) => self.settings.dark = dark,
                Command::Quit => self.guarded(Pending::Close, ctx),
                Command::Notify(notice) => self.notice = Some(notice),
            }
        }
    }
}

/// A question's text cut to fit an Edit menu item.
fn short_label(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{}…", cut.trim_end())
    }
}
