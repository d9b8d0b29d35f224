//! The decision record: options (layout, status, date, people), a preview drawn from comrak's parse
//! of the record (or its markdown source), and Save, which writes it atomically through
//! `domain::export::write_record` — with a self-contained HTML copy when asked.

use std::path::Path;

use egui::{RichText, Ui};

use super::widgets;
use super::{Command, Notice};
use crate::domain::answers::Answers;
use crate::domain::export::{
    ExportOptions, PreviewBlock, Record, RecordMeta, Style, Template, build_record, today,
    write_record,
};
use crate::domain::knowledge::Knowledge;
use crate::domain::project::Project;
use crate::domain::rules::Advice;
use crate::domain::wizard;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    #[default]
    Preview,
    Markdown,
}

/// What the record is built from; the cached record is rebuilt when it changes.
#[derive(Clone, Debug, PartialEq)]
struct Inputs {
    answers: Answers,
    style: Style,
    status: String,
    date: String,
    decision_makers: String,
}

pub struct ExportUi {
    pub style: Style,
    pub status: String,
    pub date: String,
    /// Comma-separated names.
    pub decision_makers: String,
    /// Also write a self-contained HTML file beside the markdown.
    pub html: bool,
    pub view: View,
    cache: Option<(Inputs, Result<Record, String>, Vec<PreviewBlock>)>,
    /// The decision makers' field has the focus.
    typing_names: bool,
}

impl Default for ExportUi {
    fn default() -> Self {
        ExportUi {
            style: Style::Madr,
            status: "accepted".into(),
            date: today(),
            decision_makers: String::new(),
            html: true,
            view: View::Preview,
            cache: None,
            typing_names: false,
        }
    }
}

impl ExportUi {
    fn inputs(&self, k: &Knowledge, project: &Project) -> Inputs {
        Inputs {
            // the record carries the answers the recommendation screen shows: defaults filled in
            answers: wizard::with_defaults(k, &project.answers),
            style: self.style,
            status: self.status.clone(),
            date: self.date.trim().to_string(),
            decision_makers: self.decision_makers.clone(),
        }
    }

    /// The record for the current answers and options (cached), or why it cannot be built.
    pub fn record(&mut self, k: &Knowledge, project: &Project) -> Result<&Record, &str> {
        let inputs = self.inputs(k, project);
        if self.cache.as_ref().is_none_or(|(i, _, _)| *i != inputs) {
            let options = ExportOptions {
                template: Template::Shipped(inputs.style),
                meta: RecordMeta {
                    status: inputs.status.clone(),
                    date: inputs.date.clone(),
                    decision_makers: inputs
                        .decision_makers
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect(),
                    ..RecordMeta::default()
                },
                stem: None,
            };
            let record = build_record(k, &inputs.answers, &options).map_err(|e| e.to_string());
            let blocks = record.as_ref().map(Record::preview).unwrap_or_default();
            self.cache = Some((inputs, record, blocks));
        }
        match &self.cache {
            Some((_, Ok(record), _)) => Ok(record),
            Some((_, Err(e), _)) => Err(e.as_str()),
            None => Err("no record"),
        }
    }

    pub fn export_ui(
        &mut self,
        ui: &mut Ui,
        k: &Knowledge,
        project: &Project,
        advice: &Advice,
        commands: &mut Vec<Command>,
    ) {
        // the names are the project's (saved with it, undone with it); the field shows them unless
        // it is being typed in, when it keeps what is typed ("Ana, " is not yet a second name)
        let names = parse_names(&self.decision_makers);
        if names != project.decision_makers && !self.typing_names {
            self.decision_makers = project.decision_makers.join(", ");
        }
        widgets::screen_header(
            ui,
            "Decision record",
            &format!(
                "A markdown architecture decision record of this decision ({}), ready to commit beside the code. Its front matter carries the answers, so it can be opened again.",
                advice.recommendation
            ),
        );
        // the options flow onto as many lines as the window needs
        ui.horizontal_wrapped(|ui| {
            ui.label("Layout");
            ui.radio_value(&mut self.style, Style::Madr, "MADR 4.0");
            ui.radio_value(&mut self.style, Style::Nygard, "Nygard");
            ui.add_space(12.0);
            ui.horizontal(|ui| {
                let label = ui.label("Status");
                ui.add(egui::TextEdit::singleline(&mut self.status).desired_width(120.0))
                    .labelled_by(label.id);
            });
            ui.add_space(12.0);
            ui.horizontal(|ui| {
                let label = ui.label("Date");
                ui.add(egui::TextEdit::singleline(&mut self.date).desired_width(110.0))
                    .labelled_by(label.id);
            });
        });
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Decision makers");
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.decision_makers)
                        .hint_text("names, separated by commas")
                        .desired_width(ui.available_width().clamp(160.0, 320.0)),
                )
                .labelled_by(label.id);
            self.typing_names = field.has_focus();
            let typed = parse_names(&self.decision_makers);
            if field.changed() && typed != project.decision_makers {
                commands.push(Command::SetDecisionMakers(typed));
            }
        });
        ui.horizontal_wrapped(|ui| {
            ui.checkbox(&mut self.html, "Also write an HTML copy");
            ui.separator();
            ui.selectable_value(&mut self.view, View::Preview, "Preview");
            ui.selectable_value(&mut self.view, View::Markdown, "Markdown source");
            ui.separator();
            let ok = self.record(k, project).is_ok();
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
        });
        ui.separator();
        let view = self.view;
        match self.record(k, project) {
            Err(e) => {
                ui.label(RichText::new(e).color(widgets::error_color(ui)).monospace());
            }
            Ok(record) => {
                let markdown = record.markdown.clone();
                egui::ScrollArea::vertical()
                    .id_salt("export_preview")
                    .auto_shrink([false, false])
                    .show(ui, |ui| match view {
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
                        View::Preview => {
                            if let Some((_, _, blocks)) = &self.cache {
                                preview_ui(ui, blocks);
                            }
                        }
                    });
            }
        }
    }

    /// Writes the record to `path` (and the HTML beside it when asked); the notice says what was
    /// written or why nothing was.
    pub fn save_record(
        &mut self,
        k: &Knowledge,
        project: &Project,
        _advice: &Advice,
        path: &Path,
    ) -> Notice {
        if !self.typing_names && parse_names(&self.decision_makers) != project.decision_makers {
            self.decision_makers = project.decision_makers.join(", ");
        }
        let html_path = path.with_extension("html");
        let html = self.html.then_some(html_path.as_path());
        let record = match self.record(k, project) {
            Ok(record) => record.clone(),
            Err(e) => return Notice::error("The decision record could not be built", e),
        };
        match write_record(&record, path, html, true) {
            Ok(written) => {
                let mut title = format!("Wrote the decision record {}", written.record.display());
                if let Some(html) = &written.html {
                    title += &format!(" and {}", html.display());
                }
                Notice::info(title)
            }
            Err(e) => Notice::error(
                format!("Could not write {} — nothing was written", path.display()),
                e.to_string(),
            ),
        }
    }
}

/// The comma-separated names of a text field, trimmed, empty ones dropped.
pub fn parse_names(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
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
                ui.horizontal_wrapped(|ui| {
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
    fn decision_makers_are_read_from_a_comma_separated_field() {
        assert_eq!(
            parse_names(" Ana Lima, ,Ben Okafor , "),
            ["Ana Lima", "Ben Okafor"]
        );
        assert!(parse_names("  ").is_empty());
    }
}
