//! `statecraft review DIR` and `statecraft index DIR`: the decision log re-checked against today's
//! knowledge and prices (exit 0 when every record holds, 1 when any drifted, 2 when one cannot be
//! read), and written as a table in `DIR/README.md`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Format;
use super::simulate::Progress;
use crate::domain::diagnostic::{Diagnostic, Diagnostics};
use crate::domain::focus;
use crate::domain::knowledge::Knowledge;
use crate::domain::review::{self, Observed, ReviewOptions, ReviewReport, Verdict, index};

/// `review`'s flags.
pub struct ReviewArgs {
    pub threshold: f64,
    pub date: Option<String>,
    pub observed: Option<PathBuf>,
    pub cloudwatch: Option<PathBuf>,
    pub calibrate: bool,
}

/// Reviews `dir`, prints the report, and returns the exit code.
pub fn run_review(
    dir: &Path,
    args: &ReviewArgs,
    format: Format,
    pack: Option<&Path>,
    out: &mut dyn Write,
) -> Result<u8, Diagnostics> {
    let k = Knowledge::load(pack)?;
    let mut options = options(args.threshold, args.date.as_deref())?;
    if let Some(bill) = &args.observed {
        let progress = Progress::new("Reading the bill", "MB");
        let size_mb = std::fs::metadata(bill).map_or(0, |m| m.len() / 1_000_000);
        let read = focus::read::read_file_with_progress(bill, &|bytes, rows| {
            progress.show_also(
                (bytes / 1_000_000) as usize,
                size_mb,
                &format!(", {} rows", crate::domain::format::number(rows as f64)),
            )
        });
        progress.finish();
        let metrics = match &args.cloudwatch {
            Some(path) => Some(Arc::new(focus::read_metrics(path)?)),
            None => None,
        };
        options.observed = Some(Observed {
            bill: Arc::new(read?),
            metrics,
            calibrate: args.calibrate,
        });
    }
    // each record re-simulates: once a second has passed, say how far the review is (in place on
    // a terminal, a line at a time otherwise)
    let records = Progress::new("Reviewing records", "records");
    let progress = |started: usize, all: usize, _file: &str| {
        records.show(started + 1, all as u64);
    };
    let mut report = review::review_dir_with_progress(dir, &k, &options, &progress)?;
    records.finish();
    if let Some(o) = &options.observed {
        for note in o.bill.notes() {
            eprintln!("note: {note}");
        }
        if o.calibrate {
            review::observed::write_calibrated(dir, &mut report.records)?;
        }
    }
    let text = match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&report).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Text => text(&report, dir, &options),
    };
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    Ok(report.exit_code())
}

/// Writes `dir/README.md` from a review of `dir`.
pub fn run_index(dir: &Path, pack: Option<&Path>, out: &mut dyn Write) -> Result<(), Diagnostics> {
    let k = Knowledge::load(pack)?;
    let report = review::review_dir(dir, &k, &ReviewOptions::default())?;
    let path = index::write(dir, &report)?;
    let text = format!(
        "wrote {} ({} record{})\n",
        path.display(),
        report.records.len(),
        if report.records.len() == 1 { "" } else { "s" }
    );
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    Ok(())
}

fn options(threshold_percent: f64, date: Option<&str>) -> Result<ReviewOptions, Diagnostics> {
    if !threshold_percent.is_finite() || !(0.0..=1000.0).contains(&threshold_percent) {
        return Err(Diagnostic::new(
            "--threshold",
            format!("{threshold_percent} is not a percentage between 0 and 1000"),
            "pass the cost change that counts as drift in percent, like --threshold 10",
        )
        .into());
    }
    let mut options = ReviewOptions {
        threshold: threshold_percent / 100.0,
        ..ReviewOptions::default()
    };
    if let Some(date) = date {
        crate::domain::export::check_date(date).map_err(|why| {
            Diagnostic::new(
                "--date",
                why,
                "give the date as YYYY-MM-DD, like --date 2027-06-01",
            )
        })?;
        options.today = date.to_string();
    }
    Ok(options)
}

/// Text from a folder's files with its control characters escaped (`\u{1b}`), nothing cut.
fn plain(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn usd(v: f64) -> String {
    crate::domain::format::usd(v)
}

/// The report as a CI log reads it: one line per record, its changes indented under it.
fn text(report: &ReviewReport, dir: &Path, options: &ReviewOptions) -> String {
    let mut out = String::new();
    for r in &report.records {
        let mark = match r.verdict {
            Verdict::Holds => "ok     ",
            Verdict::Drifted => "DRIFTED",
            Verdict::Unreadable => "ERROR  ",
            Verdict::HandWritten => "by hand",
            Verdict::Skipped => "skipped",
        };
        let status = if r.status.is_empty() {
            String::new()
        } else {
            format!(" [{}]", r.status)
        };
        // names, titles and statuses come from the folder's files: escaped, so that a newline or an
        // escape sequence in them cannot forge a line of the report or drive the terminal
        out += &format!(
            "{mark} {}{} {}\n",
            plain(&r.file),
            plain(&status),
            plain(&r.title)
        );
        for c in &r.changes {
            out += &format!(
                "          {}{}\n",
                if c.drift { "" } else { "(note) " },
                plain(&c.line())
            );
        }
        if let Some(lines) = &r.observed {
            for l in lines {
                out += &format!(
                    "          {} {:<18} predicted {} (P10 {} · P90 {}), billed {}\n",
                    if l.outside { "OUTSIDE" } else { "within " },
                    l.service,
                    usd(l.predicted.p50),
                    usd(l.predicted.p10),
                    usd(l.predicted.p90),
                    usd(l.observed)
                );
            }
        }
        if let Some(implied) = &r.implied
            && !implied.is_empty()
        {
            let parts: Vec<String> = implied
                .iter()
                .map(|(k, v)| format!("{k} {}", crate::domain::format::number(*v)))
                .collect();
            out += &format!("          implied by the bill: {}\n", parts.join(", "));
        }
        if let Some(at) = &r.at_observed {
            out += &format!(
                "          at that usage: {} a month, p99 {} ms, cheapest {}: the decision {}\n",
                usd(at.monthly_usd),
                crate::domain::format::number(at.p99_ms),
                at.cheapest_name
                    .as_deref()
                    .or(at.cheapest.as_deref())
                    .unwrap_or("none"),
                if at.holds { "holds" } else { "no longer holds" }
            );
        }
        for note in &r.notes {
            out += &format!("          ({note})\n");
        }
        if let Some(problem) = &r.problem {
            for line in problem.lines() {
                out += &format!("          {line}\n");
            }
        }
    }
    let count = |v: Verdict| report.records.iter().filter(|r| r.verdict == v).count();
    out += &format!(
        "{}: {} hold, {} drifted, {} unreadable, {} by hand, {} skipped (costs may move {} %; reviewed {})\n",
        dir.display(),
        count(Verdict::Holds),
        count(Verdict::Drifted),
        count(Verdict::Unreadable),
        count(Verdict::HandWritten),
        count(Verdict::Skipped),
        crate::domain::format::number(options.threshold * 100.0),
        options.today
    );
    out
}
