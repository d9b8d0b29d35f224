//! "Replace the existing file?": asked before the app writes over a file that exists (a project
//! saved under another project's name, a decision record over an older one). Enter replaces,
//! Escape cancels, as in every dialog of the app.

use std::path::PathBuf;

use egui::{Key, Modifiers, RichText};

use super::PathPrompt;
use crate::ui::file_menu::{PickPurpose, display_name};

/// The question on screen, and what waits on its answer.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplaceQuestion {
    pub purpose: PickPurpose,
    /// Where the file would be written.
    pub path: PathBuf,
    /// The files that exist and would be replaced (the record, its HTML copy, its plots).
    pub existing: Vec<PathBuf>,
    /// The typed-path prompt the path came from: Cancel goes back to it.
    pub typed: Option<PathPrompt>,
}

impl ReplaceQuestion {
    /// Draws the question. `Some(true)` to replace, `Some(false)` to cancel, `None` while open.
    pub fn ui(&self, ctx: &egui::Context) -> Option<bool> {
        let mut answer = None;
        let what = match self.purpose {
            PickPurpose::ExportRecord => "decision record",
            _ => "project",
        };
        let modal = egui::Modal::new(egui::Id::unique("replace_file")).show(ctx, |ui| {
            ui.set_width(440.0_f32.min(ctx.content_rect().width() - 40.0));
            ui.heading("Replace the existing file?");
            let name = display_name(&self.path);
            let folder = self
                .path
                .parent()
                .map(|p| p.display().to_string())
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| ".".to_string());
            ui.add(
                egui::Label::new(format!(
                    "“{name}” already exists in {folder}. Saving the {what} there replaces what it holds."
                ))
                .wrap(),
            );
            if self.existing.len() > 1 || self.existing.first() != Some(&self.path) {
                ui.label("These files would be replaced:");
                for file in &self.existing {
                    ui.label(RichText::new(format!("• {}", display_name(file))).monospace());
                }
            }
            ui.add_space(8.0);
            ui.horizontal_wrapped(|ui| {
                if ui.button(RichText::new("Replace").strong()).clicked() {
                    answer = Some(true);
                }
                if ui.button("Cancel").clicked() {
                    answer = Some(false);
                }
            });
            ui.label(
                RichText::new("Enter: replace · Escape: cancel, nothing is written")
                    .small()
                    .weak(),
            );
        });
        // Enter takes the default unless a button of the dialog has the focus (Enter pressed it)
        if answer.is_none() && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter)) {
            answer = Some(true);
        }
        if answer.is_none() && modal.should_close() {
            answer = Some(false);
        }
        answer
    }
}
