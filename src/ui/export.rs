//! The decision record: what it carries (the working scenario, the saved scenarios the user ticks,
//! the chaos test they ran, the Monte Carlo bands), its layout, status, date and people, a preview
//! drawn from comrak's parse of the record (or its markdown source), and Save, which writes it
//! atomically through `domain::decision::write` — with a self-contained HTML copy when asked.
//!
//! The record is built on the worker by `domain::decision::project_record`, the call `statecraft
//! export --project FILE` makes, so both write the same bytes. The choices live in the project
//! (`Project::record`) and change through commands, so they are saved, and undone, with it.

use std::path::PathBuf;

use egui::{RichText, Ui};

mod save;

pub use save::{SaveTarget, is_folder_target};

use super::Command;
use super::widgets;
use crate::domain::export::{PreviewBlock, Record, STATUSES, Style, today};
use crate::domain::project::{Project, RecordSettings};
use crate::domain::rules::Advice;
use crate::worker::{JobId, Output, Reply, Request, Worker};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    #[default]
    Preview,
    Markdown,
}

/// What a record was built from: it is rebuilt when this changes.
#[derive(Clone, Debug, PartialEq)]
struct Key {
    project: Project,
    date: String,
}

pub struct ExportUi {
    pub date: String,
    /// The decisions folder to write into, when the Decision log screen chose one (superseding).
    pub folder: Option<std::path::PathBuf>,
    /// Also write a self-contained HTML file beside the markdown.
    pub html: bool,
    pub view: View,
    /// The people fields as typed (comma-separated), committed to the project as they change.
    people: [String; 3],
    job: Option<JobId>,
    /// What the job in flight, or else the record shown, was built from.
    pending: Option<Key>,
    built: Option<Key>,
    record: Option<Result<Record, String>>,
    blocks: Vec<PreviewBlock>,
    /// Where to write the record once it is built (a save asked for while it was being built).
    save_when_built: Option<SaveTarget>,
    /// The last place a record was written (file or folder): the next save starts there.
    pub last_target: Option<PathBuf>,
}

impl Default for ExportUi {
    fn default() -> Self {
        ExportUi {
            date: today(),
            folder: None,
            html: true,
            view: View::Preview,
            people: Default::default(),
            job: None,
            pending: None,
            built: None,
            record: None,
            blocks: Vec::new(),
            save_when_built: None,
            last_target: None,
        }
    }
}

/// How many questions the record takes at their defaults, and the way back to answer them.
fn defaults_ui(ui: &mut Ui, defaults: usize, questions: usize, commands: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        let which = if defaults >= questions {
            format!("All {questions} questions in the record are")
        } else {
            let verb = if defaults == 1 { "is" } else { "are" };
            format!("{defaults} of the {questions} questions in the record {verb}")
        };
        ui.label(
            RichText::new(format!(
                "{which} left at the wizard's defaults: the record lists them as defaults, not as the team's answers."
            ))
            .color(ui.visuals().warn_fg_color),
        );
        if ui.button("Answer them").clicked() {
            commands.push(Command::Goto(super::ScreenId::Wizard));
        }
    });
    ui.add_space(4.0);
}

fn names(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

impl ExportUi {
    pub fn on_reply(&mut self, reply: &mut Option<Reply>) {
        if self.job.is_none() || reply.as_ref().map(Reply::id) != self.job {
            return;
        }
        match reply.take() {
            Some(Reply::Finished { result, .. }) => {
                self.record = Some(match result {
                    Ok(Output::Record(r)) => Ok(*r),
                    Ok(_) => Err("the worker answered with something other than a record".into()),
                    Err(e) => Err(e),
                });
                self.blocks = match &self.record {
                    Some(Ok(r)) => r.preview(),
                    _ => Vec::new(),
                };
                self.built = self.pending.take();
                self.job = None;
            }
            Some(Reply::Cancelled { .. }) => self.job = None,
            other => *reply = other,
        }
    }

    /// Asks the worker for the record when the project or the date changed.
    fn refresh(&mut self, project: &Project, worker: &mut Worker) {
        let key = Key {
            project: project.clone(),
            date: self.date.trim().to_string(),
        };
        let current = self.pending.as_ref().or(self.built.as_ref());
        if current == Some(&key) {
            return;
        }
        self.job = Some(worker.replace(
            self.job,
            Request::Record {
                project: Box::new(key.project.clone()),
                date: key.date.clone(),
            },
        ));
        self.pending = Some(key);
    }

    /// The record shown, when it is built and current.
    pub fn current_record(&self) -> Option<&Record> {
        match (&self.record, self.pending.is_none()) {
            (Some(Ok(r)), true) => Some(r),
            _ => None,
        }
    }

    /// Whether a record is being built.
    pub fn building(&self) -> bool {
        self.job.is_some()
    }

    /// The Export screen for `project`, whose record lists `defaults` questions at their defaults.
    pub fn export_ui(
        &mut self,
        ui: &mut Ui,
        project: &Project,
        advice: &Advice,
        defaults: usize,
        worker: &mut Worker,
        commands: &mut Vec<Command>,
    ) {
        self.refresh(project, worker);
        widgets::screen_header(
            ui,
            "Decision record",
            &format!(
                "A markdown architecture decision record of this decision ({}), ready to commit beside the code. It carries the simulations chosen below, and its evidence block carries the answers and scenarios, so it can be opened again.",
                advice.recommendation
            ),
        );
        if defaults > 0 {
            defaults_ui(ui, defaults, advice.answers.answers.len(), commands);
        }
        let settings = project.record.clone();
        self.options_ui(ui, &settings, commands);
        ui.add_space(4.0);
        self.evidence_ui(ui, project, &settings, commands);
        ui.add_space(4.0);
        if let Some(s) = &settings.supersedes {
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(format!("Supersedes ADR-{:04} ({})", s.number, s.file)).strong(),
                );
                if let Some(dir) = &self.folder
                    && ui
                        .add_enabled(
                            self.current_record().is_some(),
                            egui::Button::new(format!("Write into {}", dir.display())),
                        )
                        .on_hover_text(
                            "Write it as the folder's next record and mark the old one superseded",
                        )
                        .clicked()
                {
                    commands.push(Command::ExportIntoFolder);
                }
                if ui.button("Don't supersede").clicked() {
                    let mut next = settings.clone();
                    next.supersedes = None;
                    commands.push(Command::SetRecordSettings(next));
                }
            });
        }
        ui.horizontal_wrapped(|ui| {
            ui.checkbox(&mut self.html, "Also write an HTML copy");
            ui.separator();
            ui.selectable_value(&mut self.view, View::Preview, "Preview");
            ui.selectable_value(&mut self.view, View::Markdown, "Markdown source");
            ui.separator();
            let ok = self.current_record().is_some();
            if ui
                .add_enabled(
                    ok,
                    egui::Button::new(RichText::new("Save record…").strong()),
                )
                .on_hover_text("Choose where to write the record (Ctrl+E)")
                .clicked()
            {
                commands.push(Command::ExportRecord);
            }
            if self.building() {
                ui.spinner();
                ui.label(RichText::new("Simulating for the record…").weak());
            }
        });
        ui.separator();
        let stale = self.pending.is_some();
        match &self.record {
            None => {
                ui.label(RichText::new("Building the record…").weak());
            }
            Some(Err(e)) => {
                ui.label(RichText::new(e).color(widgets::error_color(ui)).monospace());
            }
            Some(Ok(record)) => {
                let markdown = record.markdown.clone();
                let view = self.view;
                let blocks = &self.blocks;
                egui::ScrollArea::vertical()
                    .id_salt("export_preview")
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        if stale {
                            // the figures below are from the last build: dimmed until the new one lands
                            ui.multiply_opacity(0.45);
                        }
                        match view {
                            View::Markdown => {
                                let mut text = markdown.as_str();
                                let label = ui.label(RichText::new("The record's markdown").weak());
                                ui.add(
                                    egui::TextEdit::multiline(&mut text)
                                        .code_editor()
                                        .desired_width(f32::INFINITY),
                                )
                                .labelled_by(label.id);
                            }
                            View::Preview => preview_ui(ui, blocks),
                        }
                    });
            }
        }
    }

    fn options_ui(&mut self, ui: &mut Ui, settings: &RecordSettings, commands: &mut Vec<Command>) {
        // the project changed under the fields (open, undo): show its people
        let saved = [
            &settings.decision_makers,
            &settings.consulted,
            &settings.informed,
        ];
        for (typed, saved) in self.people.iter_mut().zip(saved) {
            if names(typed) != *saved {
                *typed = saved.join(", ");
            }
        }
        let mut next = settings.clone();
        egui::Grid::new("export_options")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                ui.label("Layout");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut next.layout, Style::Madr, "MADR 4.0");
                    ui.radio_value(&mut next.layout, Style::Nygard, "Nygard");
                });
                ui.end_row();
                let label = ui.label("Status");
                egui::ComboBox::from_id_salt("record_status")
                    .selected_text(next.status.clone())
                    .show_ui(ui, |ui| {
                        for status in STATUSES {
                            ui.selectable_value(&mut next.status, status.to_string(), status);
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label("Date");
                ui.add(egui::TextEdit::singleline(&mut self.date).desired_width(140.0))
                    .labelled_by(label.id);
                ui.end_row();
                for (i, (title, hint)) in [
                    ("Decision makers", "names, separated by commas"),
                    ("Consulted", "names, separated by commas"),
                    ("Informed", "names, separated by commas"),
                ]
                .into_iter()
                .enumerate()
                {
                    let label = ui.label(title);
                    ui.add(
                        egui::TextEdit::singleline(&mut self.people[i])
                            .hint_text(hint)
                            .desired_width(260.0),
                    )
                    .labelled_by(label.id);
                    ui.end_row();
                }
            });
        next.decision_makers = names(&self.people[0]);
        next.consulted = names(&self.people[1]);
        next.informed = names(&self.people[2]);
        if next != *settings {
            commands.push(Command::SetRecordSettings(next));
        }
    }

    fn evidence_ui(
        &mut self,
        ui: &mut Ui,
        project: &Project,
        settings: &RecordSettings,
        commands: &mut Vec<Command>,
    ) {
        let mut next = settings.clone();
        ui.label(RichText::new("What the record carries").strong());
        ui.horizontal_wrapped(|ui| {
            match &project.working {
                Some(w) => {
                    let name = if w.name.trim().is_empty() {
                        "Working scenario".to_string()
                    } else {
                        format!("Working scenario “{}”", w.name.trim())
                    };
                    ui.checkbox(&mut next.working, name)
                        .on_hover_text("The scenario on the Simulator screen");
                }
                None => {
                    ui.label(
                        RichText::new(
                            "Working scenario: the one your answers describe, until you change it on the Simulator screen",
                        )
                        .weak(),
                    );
                }
            }
            for saved in &project.scenarios {
                let mut on = next.scenarios.contains(&saved.name);
                if ui
                    .checkbox(&mut on, format!("Saved “{}”", saved.name))
                    .changed()
                {
                    if on {
                        next.scenarios.push(saved.name.clone());
                    } else {
                        next.scenarios.retain(|n| n != &saved.name);
                    }
                }
            }
            match &next.chaos {
                Some(choice) => {
                    let mut on = true;
                    if ui
                        .checkbox(
                            &mut on,
                            format!("Chaos Monkey test (server {} killed)", choice.server),
                        )
                        .on_hover_text("Run on the chosen stack and the other options: what each loses")
                        .changed()
                        && !on
                    {
                        next.chaos = None;
                    }
                }
                None => {
                    ui.label(
                        RichText::new("Chaos Monkey test: kill a server on the Chaos monkey screen to include it")
                            .weak(),
                    );
                }
            }
            ui.checkbox(&mut next.bands, "Monte Carlo bands")
                .on_hover_text("For scenarios with ranges: P10–P90 of cost and p99");
        });
        let none_chosen = !(next.working && project.working.is_some()) && next.scenarios.is_empty();
        if none_chosen {
            ui.label(
                RichText::new(
                    "No scenario chosen: the record simulates the scenario your answers describe.",
                )
                .weak(),
            );
        }
        // keep the saved order
        next.scenarios.sort_by_key(|n| {
            project
                .scenarios
                .iter()
                .position(|s| &s.name == n)
                .unwrap_or(usize::MAX)
        });
        if next != *settings {
            commands.push(Command::SetRecordSettings(next));
        }
    }
}

/// The footnotes' names in the order they are listed, numbered from 1.
fn footnote_numbers(blocks: &[PreviewBlock]) -> Vec<(String, usize)> {
    blocks
        .iter()
        .filter_map(|b| match b {
            PreviewBlock::Footnote { name, .. } => Some(name.clone()),
            _ => None,
        })
        .enumerate()
        .map(|(i, name)| (name, i + 1))
        .collect()
}

/// `n` in superscript digits ("¹²").
pub fn superscript(n: usize) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    n.to_string()
        .chars()
        .filter_map(|c| c.to_digit(10).map(|d| DIGITS[d as usize]))
        .collect()
}

/// A sentence with its footnote markers (`[seed-blending-hybrid]`) shown as superscript numbers, as a
/// reader of the rendered record sees them.
pub fn with_footnote_marks(text: &str, numbers: &[(String, usize)]) -> String {
    let mut out = text.to_string();
    for (name, n) in numbers {
        out = out.replace(&format!("[{name}]"), &superscript(*n));
    }
    out
}

/// Draws the record's blocks: headings, paragraphs, lists, code, tables and footnotes.
fn preview_ui(ui: &mut Ui, blocks: &[PreviewBlock]) {
    ui.set_max_width(ui.available_width().min(980.0));
    let numbers = footnote_numbers(blocks);
    let marked = |text: &str| with_footnote_marks(text, &numbers);
    for (i, block) in blocks.iter().enumerate() {
        match block {
            PreviewBlock::Heading { level, text } => {
                ui.add_space(if *level <= 2 { 10.0 } else { 6.0 });
                let size = match level {
                    1 => 24.0,
                    2 => 19.0,
                    3 => 16.0,
                    _ => 14.5,
                };
                ui.label(RichText::new(text).size(size).strong());
            }
            PreviewBlock::Paragraph(text) => {
                ui.add(egui::Label::new(marked(text)).wrap());
                ui.add_space(4.0);
            }
            PreviewBlock::Item {
                depth,
                number,
                text,
            } => {
                // left to right, not wrapped: the item's own lines then wrap under its first
                // word, not back under the bullet
                ui.with_layout(egui::Layout::left_to_right(egui::Align::TOP), |ui| {
                    ui.add_space(*depth as f32 * 16.0);
                    let bullet = number.map_or_else(|| "•".to_string(), |n| format!("{n}."));
                    ui.label(bullet);
                    ui.add(egui::Label::new(marked(text)).wrap());
                });
            }
            PreviewBlock::Code { info, text } => {
                egui::Frame::new()
                    .fill(ui.visuals().extreme_bg_color)
                    .inner_margin(8.0)
                    .corner_radius(4.0)
                    .show(ui, |ui| {
                        if !info.is_empty() {
                            ui.label(RichText::new(info).small().weak());
                        }
                        ui.label(RichText::new(text.trim_end()).monospace());
                    });
            }
            PreviewBlock::Table(rows) => {
                // rows grow to their tallest cell, so two-line answers never run into the next row
                let columns = rows.first().map_or(0, Vec::len).max(1);
                let header: Vec<&str> = rows
                    .first()
                    .map(|r| r.iter().map(String::as_str).collect())
                    .unwrap_or_default();
                let body: Vec<Vec<egui::WidgetText>> = rows
                    .iter()
                    .skip(1)
                    .map(|row| {
                        row.iter()
                            .map(|c| RichText::new(marked(c)).into())
                            .collect()
                    })
                    .collect();
                ui.push_id(("record_table", i), |ui| {
                    widgets::table(ui, &vec![1.0; columns], &header, &body);
                });
                ui.add_space(4.0);
            }
            PreviewBlock::Image { alt, url } => {
                ui.label(
                    RichText::new(format!("[plot: {alt} — {url}]"))
                        .italics()
                        .weak(),
                );
            }
            PreviewBlock::Footnote { name, text } => {
                let n = numbers
                    .iter()
                    .find(|(x, _)| x == name)
                    .map_or(0, |(_, n)| *n);
                ui.add(
                    egui::Label::new(RichText::new(format!("{}. {}", n, marked(text))).small())
                        .wrap(),
                );
            }
            PreviewBlock::Rule => {
                ui.separator();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn footnote_markers_read_as_superscript_numbers() {
        let numbers = vec![
            ("seed-blending-hybrid".to_string(), 1),
            ("aws-lambda-quotas".to_string(), 12),
        ];
        assert_eq!(
            with_footnote_marks(
                "Blend the two[seed-blending-hybrid]; mind the quotas[aws-lambda-quotas].",
                &numbers
            ),
            "Blend the two¹; mind the quotas¹²."
        );
    }

    #[test]
    fn people_are_read_from_a_comma_separated_field() {
        assert_eq!(
            names(" Ana Lima, ,Ben Okafor , "),
            ["Ana Lima", "Ben Okafor"]
        );
        assert!(names("  ").is_empty());
    }
}
