//! Re-checking a decisions folder: every record Statecraft wrote is exported again from its own
//! evidence (answers, scenarios, chaos test, seed) against today's knowledge and prices, and what
//! came out is set against what the record says. A record holds when the recommendation, the stack,
//! each scenario's cost (within a threshold), its latency against the team's target and the cheapest
//! option are all as recorded. A price more than a year old is a note on a record younger than a
//! year, and drift on an older one.
//!
//! Records written by hand are listed as such; superseded and rejected ones are skipped; a record
//! that cannot be read (an edited evidence block, a scenario the knowledge no longer accepts) is
//! `unreadable`, with the reason.
//!
//! `changes.rs` sets a record against its re-export; `observed.rs` against a real bill; `index.rs`
//! writes the folder's README table.

use std::path::Path;

use serde::Serialize;

use crate::decision;
use crate::diagnostic::Diagnostics;
use crate::export::{self, ExportOptions, Template};
use crate::json_source::SourceText;
use crate::knowledge::Knowledge;

mod changes;
pub mod index;
pub mod observed;

pub(crate) use changes::change;
use changes::{changes, prose_changes};

pub use observed::{AtObserved, Observed};

pub use crate::export::folder::{number_of, record_entries, record_files};

/// Default: a cost that moved by more than 10 % is drift.
pub const DEFAULT_THRESHOLD: f64 = 0.10;

/// Prices dated more than this many days before the review are stale.
pub const STALE_AFTER_DAYS: i64 = 365;

#[derive(Clone, Debug, PartialEq)]
pub struct ReviewOptions {
    /// The fraction a cost may move before it counts as drift.
    pub threshold: f64,
    /// The review's date, `YYYY-MM-DD` (prices older than a year before it are stale).
    pub today: String,
    /// A real bill (and metrics) to check each record's predictions against.
    pub observed: Option<Observed>,
}

impl Default for ReviewOptions {
    fn default() -> Self {
        ReviewOptions {
            threshold: DEFAULT_THRESHOLD,
            today: export::today(),
            observed: None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Holds,
    Drifted,
    Unreadable,
    /// Not written by Statecraft: nothing to re-run.
    HandWritten,
    /// Superseded or rejected: no longer in force.
    Skipped,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::Drifted => "drifted",
            Verdict::Unreadable => "unreadable",
            Verdict::HandWritten => "hand-written",
            Verdict::Skipped => "skipped",
        }
    }
}

/// One thing that differs between the record and its re-run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    pub what: String,
    pub was: serde_json::Value,
    pub now: serde_json::Value,
    /// Whether it makes the record drift (a changed knowledge version alone does not).
    pub drift: bool,
}

/// A record and its verdict.
#[derive(Clone, Debug, Serialize)]
pub struct RecordReview {
    /// The file name inside the folder.
    pub file: String,
    /// `7` for `0007-use-hybrid-stack.md`.
    pub number: Option<u32>,
    pub title: String,
    pub status: String,
    pub date: String,
    pub verdict: Verdict,
    pub changes: Vec<Change>,
    /// What the record decided, for the decision log.
    pub archetype: Option<String>,
    pub stack: Option<String>,
    pub stack_name: Option<String>,
    pub monthly_usd: Option<f64>,
    /// Why an unreadable record could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// Against a real bill (`--observed`): per service the predicted band, the billed cost scaled to
    /// the predicted month, and whether it lies outside.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observed: Option<Vec<crate::focus::ObservedLine>>,
    /// The usage the bill implies: `requests_per_month`, `peak_rps`, `response_kb`,
    /// `instance_hours`, `average_instances`, `p99_ms`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub implied: Option<std::collections::BTreeMap<String, f64>>,
    /// The decision simulated again at that usage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_observed: Option<AtObserved>,
    /// What the review says beside the changes (how the bill was matched, rows skipped).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The record at the observed usage, for `--calibrate` to write.
    #[serde(skip)]
    pub calibrated: Option<observed::Calibrated>,
}

impl PartialEq for RecordReview {
    /// Everything but the calibrated record (which is written, not compared).
    fn eq(&self, o: &Self) -> bool {
        (
            &self.file,
            self.number,
            &self.title,
            &self.status,
            &self.date,
            self.verdict,
            &self.changes,
            &self.archetype,
            &self.stack,
        ) == (
            &o.file,
            o.number,
            &o.title,
            &o.status,
            &o.date,
            o.verdict,
            &o.changes,
            &o.archetype,
            &o.stack,
        ) && (
            &self.stack_name,
            self.monthly_usd,
            &self.problem,
            &self.observed,
        ) == (&o.stack_name, o.monthly_usd, &o.problem, &o.observed)
            && (&self.implied, &self.at_observed, &self.notes)
                == (&o.implied, &o.at_observed, &o.notes)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReviewReport {
    pub records: Vec<RecordReview>,
}

impl ReviewReport {
    /// 0 when every record holds (or is hand-written or skipped), 1 when any drifted, 2 when any
    /// could not be read.
    pub fn exit_code(&self) -> u8 {
        if self
            .records
            .iter()
            .any(|r| r.verdict == Verdict::Unreadable)
        {
            2
        } else if self.records.iter().any(|r| r.verdict == Verdict::Drifted) {
            1
        } else {
            0
        }
    }
}

/// Reviews every record in `dir`.
pub fn review_dir(
    dir: &Path,
    k: &Knowledge,
    options: &ReviewOptions,
) -> Result<ReviewReport, Diagnostics> {
    review_dir_with_progress(dir, k, options, &|_, _, _| {})
}

/// Reviews every record in `dir`, telling `progress` (records done, records in all, the file being
/// reviewed) as each one starts: each re-simulates, so a large folder takes a while. Records are
/// reviewed on every core (each is independent of the others); the report keeps the folder's order.
pub fn review_dir_with_progress(
    dir: &Path,
    k: &Knowledge,
    options: &ReviewOptions,
    progress: &(dyn Fn(usize, usize, &str) + Sync),
) -> Result<ReviewReport, Diagnostics> {
    use rayon::prelude::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    // every entry named like a record, whatever it is: a pipe, a dangling link or a folder named
    // `0003-x.md` is reported unreadable, never left out
    let files = record_entries(dir)?;
    let started = AtomicUsize::new(0);
    let records = files
        .par_iter()
        .map(|path| {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            progress(started.fetch_add(1, Ordering::Relaxed), files.len(), name);
            review_file(path, k, options)
        })
        .collect();
    Ok(ReviewReport { records })
}

/// Reviews one record file.
pub fn review_file(path: &Path, k: &Knowledge, options: &ReviewOptions) -> RecordReview {
    let file = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string();
    let mut review = RecordReview {
        number: number_of(&file),
        file,
        title: String::new(),
        status: String::new(),
        date: String::new(),
        verdict: Verdict::HandWritten,
        changes: Vec::new(),
        archetype: None,
        stack: None,
        stack_name: None,
        monthly_usd: None,
        problem: None,
        observed: None,
        implied: None,
        at_observed: None,
        notes: Vec::new(),
        calibrated: None,
    };
    let src = match SourceText::read(path, "decision record") {
        Ok(src) => src,
        Err(e) => {
            review.verdict = Verdict::Unreadable;
            review.problem = Some(e.to_string());
            return review;
        }
    };
    let plain = PlainRecord::of(&src.text);
    review.title = plain.title;
    review.status = plain.status;
    review.date = plain.date;
    if let Some(problem) = export::front_matter::front_matter_problem(&src.name, &src.text) {
        // `advise` refuses the same file: a review cannot call it hand-written
        review.verdict = Verdict::Unreadable;
        review.problem = Some(Diagnostics::from(problem).to_string());
        return review;
    }
    if !plain.written_by_statecraft {
        return review;
    }
    let status = review.status.to_ascii_lowercase();
    if status.starts_with("superseded") || status == "rejected" {
        // no longer re-run, but a tampered record is refused all the same
        review.verdict = match export::verify_only(&src) {
            Ok(was) => {
                // what it decided still belongs in the decision log
                review.archetype = Some(was.recommendation.clone());
                review.stack_name = k.stack(&was.stack).map(|s| s.name.clone());
                review.stack = Some(was.stack.to_string());
                review.monthly_usd = chosen_cost(&was);
                Verdict::Skipped
            }
            Err(e) => {
                review.problem = Some(e.to_string());
                Verdict::Unreadable
            }
        };
        return review;
    }
    let record = match export::import(&src, k) {
        Ok(r) => r,
        Err(e) => {
            review.verdict = Verdict::Unreadable;
            review.problem = Some(e.to_string());
            return review;
        }
    };
    let was = &record.provenance;
    review.archetype = Some(was.recommendation.clone());
    review.stack = Some(was.stack.to_string());
    review.stack_name = k.stack(&was.stack).map(|s| s.name.clone());
    review.monthly_usd = chosen_cost(was);
    let export_options = ExportOptions {
        template: Template::default(),
        meta: record.meta.clone(),
        stem: None,
        supersedes: None,
    };
    // the provenance is what is compared; the whole record (plots and prose) only where the text
    // was edited and must be set against the text its evidence gives
    let again = if record.text_edited {
        decision::record(k, &record.answers, &record.evidence, &export_options)
            .map(|r| (r.provenance, Some(r.markdown)))
    } else {
        decision::provenance(k, &record.answers, &record.evidence, &export_options)
            .map(|p| (p, None))
    };
    let (now, markdown) = match again {
        Ok(again) => again,
        Err(e) => {
            review.verdict = Verdict::Unreadable;
            review.problem = Some(format!("the record's evidence no longer simulates: {e}"));
            return review;
        }
    };
    review.changes = changes(was, &now, options, &review.date);
    if let Some(markdown) = markdown {
        review.changes.extend(prose_changes(&src.text, &markdown));
    }
    if let Some(o) = &options.observed {
        observed::check(&record, k, options, o, &mut review);
    }
    review.verdict = if review.changes.iter().any(|c| c.drift) {
        Verdict::Drifted
    } else {
        Verdict::Holds
    };
    review
}

/// The chosen stack's monthly cost as the record simulated it: its first scenario on that stack
/// (a record whose scenarios pin other stacks runs one on the chosen stack too), else the first.
pub fn chosen_cost(p: &export::Provenance) -> Option<f64> {
    p.figures
        .iter()
        .find(|f| f.stack == p.stack)
        .or_else(|| p.figures.first())
        .map(|f| f.monthly_usd)
}

/// What any markdown record says of itself, Statecraft's or a hand-written one: its title (first
/// `# ` heading), status and date (front matter, or a Nygard `## Status` section).
struct PlainRecord {
    title: String,
    status: String,
    date: String,
    written_by_statecraft: bool,
}

impl PlainRecord {
    fn of(text: &str) -> PlainRecord {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let lines: Vec<&str> = text.split('\n').collect();
        let front = export::front_matter::human_fields(text);
        let front_end = front.as_ref().map_or(0, |f| f.body_line);
        let mut status = front
            .as_ref()
            .and_then(|f| f.status.clone())
            .unwrap_or_default();
        let date = front
            .as_ref()
            .and_then(|f| f.date.clone())
            .unwrap_or_default();
        let stamped = front.as_ref().is_some_and(|f| f.stamped);
        // the evidence block alone makes it Statecraft's: removing the stamp must not turn an edited
        // record into a "hand-written" one
        let evidence = lines
            .iter()
            .any(|l| l.starts_with("<!-- statecraft-evidence:"));
        let body = &lines[front_end.min(lines.len())..];
        let title = body
            .iter()
            .find_map(|l| l.strip_prefix("# "))
            .unwrap_or_default()
            .trim()
            .to_string();
        if status.is_empty()
            && let Some(i) = body.iter().position(|l| l.trim() == "## Status")
        {
            status = body[i + 1..]
                .iter()
                .find(|l| !l.trim().is_empty())
                .map(|l| l.trim().to_string())
                .unwrap_or_default();
        }
        PlainRecord {
            title,
            status,
            date,
            written_by_statecraft: stamped || evidence,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::changes::days;
    use super::*;

    #[test]
    fn numbers_come_from_the_file_name() {
        assert_eq!(number_of("0007-use-hybrid-stack.md"), Some(7));
        assert_eq!(number_of("notes.md"), None);
        assert_eq!(number_of("2024notes.md"), None);
    }

    #[test]
    fn a_hand_written_nygard_record_gives_its_title_and_status() {
        let r = PlainRecord::of("# 3. Use Postgres\n\nDate: 2024-01-02\n\n## Status\n\nAccepted\n");
        assert_eq!(r.title, "3. Use Postgres");
        assert_eq!(r.status, "Accepted");
        assert!(!r.written_by_statecraft);
    }

    #[test]
    fn prices_more_than_a_year_old_are_stale() {
        assert_eq!(
            days("2026-01").zip(days("2026-01-01")).map(|(a, b)| a - b),
            Some(0)
        );
        assert!(days("2027-02-02").unwrap() - days("2026-01").unwrap() > STALE_AFTER_DAYS);
        assert_eq!(days("not a date"), None);
    }
}
