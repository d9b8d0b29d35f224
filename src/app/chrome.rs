//! What the app draws around the screens: the navigation, the status bar, the banner and the
//! "unsaved changes" question (Enter saves, Escape cancels).

use egui::{Atom, RichText, Ui};

use super::{Pending, StatecraftApp};
use crate::ui::file_menu::PickPurpose;
use crate::ui::{Command, NoticeLevel, ScreenId};

impl StatecraftApp {
    pub(super) fn nav_ui(&mut self, ui: &mut Ui) {
        ui.add_space(10.0);
        ui.label(RichText::new("Statecraft").size(22.0).strong());
        ui.label(
            RichText::new("stateless · stateful · hybrid")
                .small()
                .weak(),
        );
        ui.add_space(12.0);
        for screen in ScreenId::ALL {
            let selected = self.screen == screen;
            let text = RichText::new(screen.title()).size(14.0);
            let response = ui
                .add(
                    egui::Button::selectable(selected, (text, Atom::grow()))
                        .min_size(egui::vec2(ui.available_width(), 32.0)),
                )
                .on_hover_text(screen.purpose());
            if response.clicked() {
                self.screen = screen;
            }
        }
        ui.with_layout(egui::Layout::bottom_up(egui::Align::Min), |ui| {
            ui.add_space(8.0);
            if let Ok(k) = &self.knowledge {
                ui.label(
                    RichText::new(format!("knowledge {}", k.manifest.version))
                        .small()
                        .weak(),
                )
                .on_hover_text(k.version());
            }
            ui.label(
                RichText::new(format!("seed {}", self.doc.project.seed))
                    .small()
                    .weak(),
            );
            let n = self.doc.project.scenarios.len();
            ui.label(
                RichText::new(format!(
                    "{n} saved scenario{}",
                    if n == 1 { "" } else { "s" }
                ))
                .small()
                .weak(),
            );
        });
    }

    pub(super) fn status_ui(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            let dirty = self.doc.is_dirty();
            ui.label(RichText::new(self.doc.title()).strong());
            if dirty {
                ui.label(RichText::new("● unsaved changes").color(ui.visuals().warn_fg_color));
            } else if self.doc.path.is_some() {
                ui.label(RichText::new("saved").weak());
            }
            if let Some(path) = &self.doc.path {
                ui.label(RichText::new(path.display().to_string()).small().weak());
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if let Some(worker) = self.worker.as_mut() {
                    self.screens.simulator.status_ui(ui, worker);
                    if worker.busy() {
                        ui.spinner();
                    }
                }
            });
        });
    }

    pub(super) fn notice_ui(&mut self, ui: &mut Ui) {
        let Some(notice) = &self.notice else {
            return;
        };
        let error = notice.level == NoticeLevel::Error;
        let color = if error {
            ui.visuals().error_fg_color
        } else {
            ui.visuals().hyperlink_color
        };
        let mut dismiss = false;
        let mut undo = false;
        egui::Frame::new()
            .fill(color.gamma_multiply(0.12))
            .stroke(egui::Stroke::new(1.0, color))
            .corner_radius(4.0)
            .inner_margin(8.0)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(
                        RichText::new(if error { "Error" } else { "Note" })
                            .color(color)
                            .strong(),
                    );
                    // the buttons first, on the right; the title wraps in the room left of them,
                    // so a long one is never cut under "Dismiss" on a narrow window
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        dismiss = ui.button("Dismiss").clicked();
                        if notice.undoable && ui.button("Undo").clicked() {
                            undo = true;
                        }
                        ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                            ui.add(egui::Label::new(RichText::new(&notice.title).strong()).wrap());
                        });
                    });
                });
                if !notice.detail.is_empty() {
                    ui.label(RichText::new(&notice.detail).monospace());
                }
            });
        if dismiss {
            self.notice = None;
        }
        if undo {
            self.commands.push(Command::Undo);
        }
        ui.add_space(6.0);
    }

    /// True while a dialog is on screen (it owns the keyboard).
    pub fn dialog_open(&self) -> bool {
        self.confirm.is_some() || self.path_prompt.is_some() || self.replace.is_some()
    }

    /// The dialogs, the topmost last: "unsaved changes?", the typed path, "replace?".
    pub(super) fn dialogs_ui(&mut self, ctx: &egui::Context) {
        if let Some(question) = &self.replace {
            if let Some(replace) = question.ui(ctx) {
                self.replace_answered(replace, ctx);
            }
            return;
        }
        if self.path_prompt.is_some() {
            self.path_prompt_ui(ctx);
            return;
        }
        self.confirm_ui(ctx);
    }

    pub(super) fn confirm_ui(&mut self, ctx: &egui::Context) {
        let Some(pending) = self.confirm.clone() else {
            return;
        };
        let what = match &pending {
            Pending::New => "starting a new project",
            Pending::Open | Pending::OpenPath(_) | Pending::OpenRecord(_) => {
                "opening another project"
            }
            Pending::Close => "closing",
        };
        let mut choice = None;
        let modal = egui::Modal::new(egui::Id::unique("unsaved_changes")).show(ctx, |ui| {
            ui.set_width(380.0_f32.min(ctx.content_rect().width() - 40.0));
            ui.heading("Unsaved changes");
            ui.label(format!(
                "{} has changes that are not saved. Save them before {what}?",
                self.doc.title()
            ));
            ui.add_space(8.0);
            ui.horizontal_wrapped(|ui| {
                let save = ui.button(RichText::new("Save").strong());
                if save.clicked() {
                    choice = Some(0);
                }
                if ui.button("Don't save").clicked() {
                    choice = Some(1);
                }
                if ui.button("Cancel").clicked() {
                    choice = Some(2);
                }
            });
            ui.label(RichText::new("Enter: save · Escape: cancel").small().weak());
        });
        // Enter takes the default (Save) unless a button of the dialog has the focus: Enter
        // pressed that one
        if choice.is_none()
            && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter))
        {
            choice = Some(0);
        }
        if choice.is_none() && modal.should_close() {
            choice = Some(2);
        }
        match choice {
            Some(0) => {
                self.confirm = None;
                match self.doc.path.clone() {
                    Some(path) => {
                        if self.save_to(&path) {
                            self.proceed(pending, ctx);
                        }
                    }
                    None => {
                        self.after_save = Some(pending);
                        self.pick(PickPurpose::SaveProject, ctx);
                    }
                }
            }
            Some(1) => {
                self.confirm = None;
                self.proceed(pending, ctx);
            }
            Some(2) => self.confirm = None,
            _ => {}
        }
    }

    /// The typed-path prompt, when no file dialog could open.
    pub(super) fn path_prompt_ui(&mut self, ctx: &egui::Context) {
        let Some(prompt) = self.path_prompt.as_mut() else {
            return;
        };
        match prompt.ui(ctx) {
            Some(Some(path)) => {
                let purpose = prompt.purpose;
                self.last_prompt = self.path_prompt.take();
                self.commands.push(match purpose {
                    PickPurpose::ExportRecord => Command::ExportRecordTo(path),
                    PickPurpose::SaveProject => Command::SaveProjectTo(path),
                    PickPurpose::OpenProject => Command::OpenPath(path),
                });
            }
            Some(None) => {
                self.path_prompt = None;
                self.after_save = None;
            }
            None => {}
        }
    }
}
