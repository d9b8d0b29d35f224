//! The app's own "where to?" dialog, for desktops where no native file dialog can open: it says
//! why, offers a path field that starts at the name a dialog would have suggested, and keeps the
//! keyboard promises of every dialog (Enter confirms, Escape cancels).

use std::path::PathBuf;

use egui::{Key, Modifiers, RichText};

use crate::ui::file_menu::PickPurpose;

#[derive(Clone, Debug, PartialEq)]
pub struct PathPrompt {
    pub purpose: PickPurpose,
    /// Why no native dialog opened.
    pub why: String,
    /// The path being typed.
    pub text: String,
    focused_once: bool,
}

impl PathPrompt {
    pub fn new(purpose: PickPurpose, why: String, suggested: PathBuf) -> Self {
        PathPrompt {
            purpose,
            why,
            text: suggested.display().to_string(),
            focused_once: false,
        }
    }

    /// The prompt again, as the user left it, taking the keyboard again.
    pub fn reopened(mut self) -> Self {
        self.focused_once = false;
        self
    }

    fn wording(&self) -> (&'static str, &'static str) {
        match self.purpose {
            PickPurpose::OpenProject => ("Open a project", "Open"),
            PickPurpose::SaveProject => ("Save the project", "Save"),
            PickPurpose::ExportRecord => ("Save the decision record", "Save record"),
        }
    }

    /// Draws the prompt. `Some(Some(path))` when confirmed, `Some(None)` when cancelled, `None`
    /// while it stays open.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<Option<PathBuf>> {
        let (title, confirm) = self.wording();
        let mut answer = None;
        let modal = egui::Modal::new(egui::Id::unique("path_prompt")).show(ctx, |ui| {
            ui.set_width(520.0_f32.min(ctx.content_rect().width() - 40.0));
            ui.heading(title);
            ui.label(format!(
                "No file dialog could open: {}. Type the path instead:",
                self.why
            ));
            ui.add_space(4.0);
            let label = ui.label("Path");
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.text)
                        .desired_width(f32::INFINITY)
                        .hint_text("/home/you/decisions/decision-record.md"),
                )
                .labelled_by(label.id);
            if !self.focused_once {
                field.request_focus();
                self.focused_once = true;
            }
            let typed = self.text.trim().to_string();
            let entered =
                field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) && !typed.is_empty();
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                let ok = ui.add_enabled(
                    !typed.is_empty(),
                    egui::Button::new(RichText::new(confirm).strong()),
                );
                if ok.clicked() || entered {
                    answer = Some(Some(PathBuf::from(&typed)));
                }
                if ui.button("Cancel").clicked() {
                    answer = Some(None);
                }
            });
            ui.label(
                RichText::new("Enter: confirm · Escape: cancel")
                    .small()
                    .weak(),
            );
        });
        // Enter confirms wherever the focus is in the dialog (a focused Cancel took it already)
        let typed = self.text.trim().to_string();
        if answer.is_none()
            && !typed.is_empty()
            && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter))
        {
            answer = Some(Some(PathBuf::from(&typed)));
        }
        let escape = ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape));
        if answer.is_none() && (escape || modal.backdrop_response.clicked()) {
            answer = Some(None);
        }
        answer
    }
}
