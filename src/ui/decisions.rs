//! The decision log: open a decisions folder, see every record with its review verdict (re-checked
//! against the knowledge loaded now, on the worker), open a record — its answers and scenarios come
//! back into the app — supersede one, or write the folder's README table.

use std::path::PathBuf;

use egui::{RichText, Ui};

use super::{Command, widgets};

mod observed;
use crate::domain::review::{RecordReview, ReviewReport, Verdict};
use crate::worker::{JobId, Output, Reply, Request, Worker};

#[derive(Default)]
pub struct DecisionsUi {
    /// The folder as typed.
    pub folder: String,
    /// A FOCUS bill (CSV) to set the records' predictions against, as typed.
    pub observed: String,
    job: Option<JobId>,
    /// The folder the report is about.
    reviewed: Option<PathBuf>,
    pub report: Option<Result<ReviewReport, String>>,
}

impl DecisionsUi {
    pub fn on_reply(&mut self, reply: &mut Option<Reply>) {
        if self.job.is_none() || reply.as_ref().map(Reply::id) != self.job {
            return;
        }
        match reply.take() {
            Some(Reply::Finished { result, .. }) => {
                self.report = Some(match result {
                    Ok(Output::Review(r)) => Ok(*r),
                    Ok(_) => Err("the worker answered with something other than a review".into()),
                    Err(e) => Err(e),
                });
                self.job = None;
            }
            Some(Reply::Cancelled { .. }) => self.job = None,
            other => *reply = other,
        }
    }

    /// Reviews the folder typed in the field (against the bill typed beside it, if any).
    pub fn review(&mut self, worker: &mut Worker) {
        let dir = PathBuf::from(self.folder.trim());
        let observed = Some(self.observed.trim())
            .filter(|o| !o.is_empty())
            .map(PathBuf::from);
        self.reviewed = Some(dir.clone());
        self.report = None;
        self.job = Some(worker.replace(self.job, Request::Review { dir, observed }));
    }

    /// The folder the report shown is about.
    pub fn reviewed_folder(&self) -> Option<&std::path::Path> {
        self.reviewed.as_deref()
    }

    pub fn reviewing(&self) -> bool {
        self.job.is_some()
    }

    pub fn decisions_ui(&mut self, ui: &mut Ui, worker: &mut Worker, commands: &mut Vec<Command>) {
        widgets::screen_header(
            ui,
            "Decision log",
            "The records of a decisions folder, each re-checked against today's knowledge and prices: it holds, or it drifted and here is what changed.",
        );
        let mut go = false;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Decisions folder");
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.folder)
                        .hint_text("docs/decisions")
                        .desired_width(360.0),
                )
                .labelled_by(label.id);
            go |= field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            go |= ui
                .add_enabled(!self.folder.trim().is_empty(), egui::Button::new("Review"))
                .on_hover_text("Re-check every record in the folder")
                .clicked();
            if let Some(dir) = self.reviewed.clone()
                && ui
                    .add_enabled(
                        matches!(self.report, Some(Ok(_))),
                        egui::Button::new("Write README table"),
                    )
                    .on_hover_text("Write the decision log into the folder's README.md")
                    .clicked()
            {
                commands.push(Command::WriteIndex(dir));
            }
            if self.reviewing() {
                ui.spinner();
                ui.label(RichText::new("Reviewing…").weak());
            }
        });
        // the bill on a row of its own: a folder reviewed against it shows each record's
        // predicted bands beside what was billed
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Observed bill (FOCUS CSV, optional)");
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.observed)
                        .hint_text("focus-2026-11.csv")
                        .desired_width(300.0),
                )
                .labelled_by(label.id);
            go |= field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        });
        if go && !self.folder.trim().is_empty() {
            self.review(worker);
        }
        ui.separator();
        match &self.report {
            None if !self.reviewing() => {
                ui.label(
                    RichText::new(
                        "Name the folder your team keeps its decision records in, then Review.",
                    )
                    .weak(),
                );
            }
            None => {}
            Some(Err(e)) => {
                ui.label(RichText::new(e).color(widgets::error_color(ui)).monospace());
            }
            Some(Ok(report)) => {
                let dir = self.reviewed.clone().unwrap_or_default();
                summary_ui(ui, report);
                egui::ScrollArea::vertical()
                    .id_salt("decision_log")
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        for r in &report.records {
                            record_ui(ui, &dir, r, commands);
                        }
                    });
            }
        }
    }
}

fn summary_ui(ui: &mut Ui, report: &ReviewReport) {
    let count = |v: Verdict| report.records.iter().filter(|r| r.verdict == v).count();
    let n = report.records.len();
    ui.label(format!(
        "{n} record{}: {} hold, {} drifted, {} unreadable, {} written by hand, {} superseded or rejected",
        if n == 1 { "" } else { "s" },
        count(Verdict::Holds),
        count(Verdict::Drifted),
        count(Verdict::Unreadable),
        count(Verdict::HandWritten),
        count(Verdict::Skipped),
    ));
    ui.add_space(4.0);
}

fn verdict_text(ui: &Ui, v: Verdict) -> RichText {
    let text = RichText::new(v.as_str()).strong();
    match v {
        Verdict::Holds => text.color(egui::Color32::from_rgb(0x2e, 0x7d, 0x32)),
        Verdict::Drifted => text.color(egui::Color32::from_rgb(0xc6, 0x6a, 0x00)),
        Verdict::Unreadable => text.color(widgets::error_color(ui)),
        Verdict::HandWritten | Verdict::Skipped => text.weak(),
    }
}

fn record_ui(ui: &mut Ui, dir: &std::path::Path, r: &RecordReview, commands: &mut Vec<Command>) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            let number = r.number.map_or_else(|| "—".into(), |n| format!("{n:04}"));
            ui.label(RichText::new(number).monospace());
            let title = if r.title.is_empty() {
                &r.file
            } else {
                &r.title
            };
            ui.label(RichText::new(title).strong());
            ui.label(verdict_text(ui, r.verdict));
        });
        ui.horizontal_wrapped(|ui| {
            let status = if r.status.is_empty() {
                "no status"
            } else {
                &r.status
            };
            let mut facts = vec![status.to_string()];
            if !r.date.is_empty() {
                facts.push(r.date.clone());
            }
            if let Some(stack) = r.stack_name.as_deref().or(r.stack.as_deref()) {
                facts.push(stack.to_string());
            }
            if let Some(usd) = r.monthly_usd {
                facts.push(format!("{} a month", crate::domain::format::usd(usd)));
            }
            facts.push(r.file.clone());
            ui.label(RichText::new(facts.join(" · ")).weak());
        });
        for c in r.changes.iter().filter(|c| c.drift) {
            ui.label(format!("• {}", c.line()));
        }
        // notes (a stale price on a recent record, a new knowledge version) do not drift, but say so
        for c in r.changes.iter().filter(|c| !c.drift) {
            ui.label(RichText::new(format!("Note: {}", c.line())).weak());
        }
        observed::observed_ui(ui, r, commands);
        if let Some(problem) = &r.problem {
            ui.label(
                RichText::new(problem)
                    .color(widgets::error_color(ui))
                    .monospace(),
            );
        }
        let statecraft = matches!(
            r.verdict,
            Verdict::Holds | Verdict::Drifted | Verdict::Skipped
        );
        ui.horizontal(|ui| {
            if statecraft
                && ui
                    .button(format!("Open {}", r.file))
                    .on_hover_text("Bring its answers and scenarios into the app")
                    .clicked()
            {
                commands.push(Command::OpenRecord(dir.join(&r.file)));
            }
            if let Some(number) = r.number
                && r.verdict != Verdict::Skipped
                && ui
                    .button(format!("Supersede {}", r.file))
                    .on_hover_text("Write a new record that replaces this one")
                    .clicked()
            {
                commands.push(Command::Supersede {
                    dir: dir.to_path_buf(),
                    number,
                    file: r.file.clone(),
                });
            }
        });
    });
    ui.add_space(4.0);
}
