//! A record against the team's real bill: its first scenario's predictions set against a FOCUS
//! export (and, where given, CloudWatch's requests and p99), and the decision simulated again at the
//! usage the bill implies, with the same code that wrote the record. `--calibrate` keeps that
//! re-simulation as a new record superseding the old one, beside the calibrated scenario.

use crate::ids::StackId;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use super::{Change, RecordReview, ReviewOptions, change};
use crate::decision;
use crate::diagnostic::Diagnostics;
use crate::export::predictions::Predictions;
use crate::export::{
    self, ExportOptions, ImportedRecord, Record, RecordMeta, Supersedes, Template,
};
use crate::focus::{self, Comparison, Implied, ObservedBill, ObservedMetrics};
use crate::format;
use crate::knowledge::Knowledge;
use crate::sim::{Estimate, Scenario};

/// A real bill and metrics to review records against.
#[derive(Clone, Debug, PartialEq)]
pub struct Observed {
    pub bill: Arc<ObservedBill>,
    pub metrics: Option<Arc<ObservedMetrics>>,
    /// Build the record at the observed usage, superseding the old one, for `--calibrate`.
    pub calibrate: bool,
}

/// The decision at the observed usage.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AtObserved {
    /// The peak and response size simulated (the scenario's, times what the bill implies).
    pub peak_rps: f64,
    pub payload_kb: f64,
    pub monthly_usd: f64,
    pub p99_ms: f64,
    pub meets_target: bool,
    /// The cheapest option at that peak, and the one the record names.
    pub cheapest: Option<StackId>,
    /// The cheapest option's name (`EKS StatefulSets…`), for a reader.
    pub cheapest_name: Option<String>,
    pub recorded_cheapest: Option<StackId>,
    /// The decision still holds there: the same cheapest option, the target still met.
    pub holds: bool,
}

/// A calibrated record ready to write: the record at the observed usage and its scenario.
#[derive(Clone, Debug)]
pub struct Calibrated {
    pub record: Box<Record>,
    pub scenario: Scenario,
    /// The record it supersedes.
    pub supersedes: Supersedes,
}

/// A factor that moves a figure by less than this is taken as no change (no re-simulation).
const SAME: f64 = 0.01;

/// Sets `record` against the observed bill, filling `review`'s `observed`, `implied` and
/// `at_observed`, and pushing a change for each line outside its band and for a decision that no
/// longer holds.
pub fn check(
    record: &ImportedRecord,
    k: &Knowledge,
    options: &ReviewOptions,
    observed: &Observed,
    review: &mut RecordReview,
) {
    let Some((figures, scenario)) = record
        .provenance
        .figures
        .first()
        .zip(record.scenarios.first())
    else {
        return;
    };
    let Some(p) = &figures.predictions else {
        review.notes.push(
            "this record states no predictions (it was written before records did): export it again to check it against a bill".into(),
        );
        return;
    };
    let Some(cmp) = focus::compare(
        k,
        review.number,
        p,
        scenario.traffic.payload_kb.likely(),
        &observed.bill,
        observed.metrics.as_deref(),
        options.threshold,
    ) else {
        review.notes.push(format!(
            "nothing in {} is this record's: no row is tagged `{}` with its number, and none in {} bills a service it predicts",
            observed.bill.file,
            focus::columns::DECISION_TAG,
            p.region
        ));
        return;
    };
    review.notes.push(format!(
        "{} matched by {}; its {} hours scaled to the predicted month of {} hours",
        observed.bill.file,
        cmp.matched_by,
        format::number((cmp.bill_hours * 100.0).round() / 100.0),
        format::number(p.month_hours)
    ));
    review
        .changes
        .extend(bill_changes(&cmp, p, options.threshold));
    review.implied = Some(cmp.implied.values.clone());
    review.observed = Some(cmp.lines);
    let (calibrated, moved) = calibrated_scenario(scenario, &cmp.implied, &observed.bill);
    if !moved && !observed.calibrate {
        return;
    }
    judge_at_observed(record, k, options, observed.calibrate, calibrated, review);
}

/// A change for each line of the bill outside its predicted band, and for a p99 CloudWatch gives
/// over the team's target.
fn bill_changes(cmp: &Comparison, p: &Predictions, threshold: f64) -> Vec<Change> {
    let mut changes = Vec::new();
    for l in cmp.lines.iter().filter(|l| l.outside) {
        let usage: Vec<String> = l
            .usage
            .iter()
            .filter(|u| u.predicted > 0.0 || u.observed > 0.0)
            .map(|u| {
                format!(
                    "`{}` {} {} predicted, {} billed",
                    u.price,
                    format::number(u.predicted),
                    u.unit,
                    format::number(u.observed)
                )
            })
            .collect();
        changes.push(change(
            format!(
                "the bill's `{}` is outside its predicted band (P10 {} · P90 {}, ±{} %){}",
                l.service,
                format::usd(l.predicted.p10),
                format::usd(l.predicted.p90),
                format::number(threshold * 100.0),
                if usage.is_empty() {
                    String::new()
                } else {
                    format!(": {}", usage.join(", "))
                }
            ),
            // the band is in the sentence and in `observed`: the likely figure is what moved
            l.predicted.p50,
            l.observed,
            true,
        ));
    }
    if let Some(p99) = cmp.implied.values.get("p99_ms")
        && *p99 > p.target_ms
    {
        changes.push(change(
            format!(
                "CloudWatch's p99 misses the team's target of {} ms",
                format::number(p.target_ms)
            ),
            p.p99_ms.p50,
            *p99,
            true,
        ));
    }
    changes
}

/// Simulates the record's decision again at the usage the bill implies (the scenario
/// `calibrated`): whether the cheapest option and the p99 target still hold, and, with
/// `calibrate`, the record that supersedes it.
fn judge_at_observed(
    record: &ImportedRecord,
    k: &Knowledge,
    options: &ReviewOptions,
    calibrate: bool,
    calibrated: Scenario,
    review: &mut RecordReview,
) {
    let Some(figures) = record.provenance.figures.first() else {
        return;
    };
    let supersedes = review.number.map(|number| Supersedes {
        number,
        file: review.file.clone(),
    });
    let evidence = export::Evidence {
        scenarios: vec![calibrated.clone()],
        from_answers: false,
        chaos: record.evidence.chaos.clone(),
        bands: record.evidence.bands,
        seed: calibrated.seed,
        defaults: record.evidence.defaults.clone(),
    };
    let export_options = ExportOptions {
        template: Template::default(),
        meta: RecordMeta {
            status: export::DEFAULT_STATUS.into(),
            date: options.today.clone(),
            ..record.meta.clone()
        },
        stem: None,
        supersedes: supersedes.clone(),
    };
    // the whole record (plots, prose) only to write it; judging the decision needs its figures
    let again = if calibrate {
        decision::record(k, &record.answers, &evidence, &export_options)
            .map(|r| (r.provenance.clone(), Some(r)))
    } else {
        decision::provenance(k, &record.answers, &evidence, &export_options).map(|p| (p, None))
    };
    let (provenance, again) = match again {
        Ok(again) => again,
        Err(e) => {
            review.notes.push(format!(
                "the scenario at the observed usage does not simulate: {e}"
            ));
            return;
        }
    };
    let Some(now) = provenance.figures.first() else {
        return;
    };
    let holds = now.cheapest == figures.cheapest && (now.meets_target || !figures.meets_target);
    let at = AtObserved {
        peak_rps: calibrated.traffic.peak_rps.likely(),
        payload_kb: calibrated.traffic.payload_kb.likely(),
        monthly_usd: (now.monthly_usd * 100.0).round() / 100.0,
        p99_ms: now.p99_ms,
        meets_target: now.meets_target,
        cheapest: now.cheapest.clone(),
        cheapest_name: now
            .cheapest
            .as_deref()
            .and_then(|id| k.stack(id))
            .map(|s| s.name.clone()),
        recorded_cheapest: figures.cheapest.clone(),
        holds,
    };
    if now.cheapest != figures.cheapest {
        review.changes.push(change(
            format!(
                "at the observed usage (a peak of {} requests/s) the cheapest option is {}, not {} as recorded (a cost crossover passed)",
                format::number(at.peak_rps),
                stack_named(k, now.cheapest.as_deref()),
                stack_named(k, figures.cheapest.as_deref()),
            ),
            &figures.cheapest,
            &now.cheapest,
            true,
        ));
    }
    if figures.meets_target && !now.meets_target {
        review.changes.push(change(
            format!(
                "at the observed usage the p99 misses the team's target of {} ms",
                format::number(now.target_ms)
            ),
            figures.p99_ms,
            now.p99_ms,
            true,
        ));
    }
    review.at_observed = Some(at);
    if let Some(again) = again
        && let Some(supersedes) = supersedes
    {
        review.calibrated = Some(Calibrated {
            record: Box::new(again),
            scenario: calibrated,
            supersedes,
        });
    }
}

/// A stack as a reader and a script both find it: its name, then its id (`none` for no stack).
fn stack_named(k: &Knowledge, id: Option<&str>) -> String {
    match id {
        None => "none".into(),
        Some(id) => match k.stack(id) {
            Some(s) if s.name != id => format!("{} (`{id}`)", s.name),
            _ => format!("`{id}`"),
        },
    }
}

/// The scenario at the observed usage: its peak (and every point of a range) times the request
/// factor, its response size times the bytes-per-response factor. `true` when a figure moved.
pub fn calibrated_scenario(
    s: &Scenario,
    implied: &Implied,
    bill: &ObservedBill,
) -> (Scenario, bool) {
    let mut out = s.clone();
    let mut moved = false;
    if let Some(f) = implied.request_factor.filter(|f| (f - 1.0).abs() > SAME) {
        out.traffic.peak_rps = scaled(s.traffic.peak_rps, f);
        moved = true;
    }
    if let Some(f) = implied.payload_factor.filter(|f| (f - 1.0).abs() > SAME) {
        out.traffic.payload_kb = scaled(s.traffic.payload_kb, f);
        moved = true;
    }
    let base = if s.name.trim().is_empty() {
        "Scenario".to_string()
    } else {
        s.name.clone()
    };
    out.name = format!("{base}, calibrated to {}", bill_name(bill));
    (out, moved)
}

fn bill_name(bill: &ObservedBill) -> String {
    let from = bill.from.get(..10).unwrap_or(&bill.from);
    let to = bill.to.get(..10).unwrap_or(&bill.to);
    format!("the bill of {from} to {to}")
}

fn scaled(e: Estimate, f: f64) -> Estimate {
    let r = |v: f64| (v * f * 1000.0).round() / 1000.0;
    match e {
        Estimate::Exact(v) => Estimate::Exact(r(v)),
        Estimate::Range { low, likely, high } => Estimate::Range {
            low: r(low),
            likely: r(likely),
            high: r(high),
        },
    }
}

/// What `--calibrate` wrote for one record.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CalibrationWritten {
    pub superseded: String,
    pub record: PathBuf,
    pub scenario: PathBuf,
}

/// Writes each calibrated record under the next number of `dir`, its scenario beside it
/// (`NNNN-….scenario.json`), and marks the record it replaces superseded.
pub fn write_calibrated(
    dir: &Path,
    reviews: &mut [RecordReview],
) -> Result<Vec<CalibrationWritten>, Diagnostics> {
    let mut out = Vec::new();
    for r in reviews.iter_mut() {
        let Some(c) = r.calibrated.take() else {
            continue;
        };
        let (written, number) = export::write_next(&c.record, dir, None, false, false)?;
        let file = written
            .record
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let scenario_path = written.record.with_extension("scenario.json");
        let mut json = serde_json::to_string_pretty(&c.scenario).unwrap_or_default();
        json.push('\n');
        crate::interrupt::write_atomically(&scenario_path, json.as_bytes(), "calibrated scenario")?;
        export::supersede::mark_superseded(&dir.join(&c.supersedes.file), number, &file)?;
        r.notes.push(format!(
            "calibrated: {} supersedes it, simulated at the observed usage ({})",
            file,
            scenario_path.display()
        ));
        out.push(CalibrationWritten {
            superseded: c.supersedes.file,
            record: written.record,
            scenario: scenario_path,
        });
    }
    Ok(out)
}
