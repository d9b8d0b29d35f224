//! The simulator: what a stack costs, how fast it answers, how it scales and what failure does to it.
//! No GUI here; the command line (`simulate`, `queue`) and the desktop app call the same functions.
//!
//! - [`scenario`]: the scenario file and its limits ([`check`]); [`model`]: the stack as the engine
//!   runs it, from the knowledge base's figures.
//! - [`day`]: the discrete-event run over the day (scaling, chaos, sampled requests, timeline), on the
//!   `(time, sequence)` queue of [`engine`].
//! - [`cost`]: the monthly bill, line by line, with formulas and dated prices.
//! - [`queue`]: the M/M/c capacity planner (Erlang C beside a simulated run).
//! - [`chaos`]: the seeds' Chaos Monkey test, step by step or in one call; [`kill`]: what a server's
//!   death loses, the one model the day and the demo share.
//! - [`explore`]: Monte Carlo bands, cost and latency curves, decision regions and crossovers.
//! - [`report`]: the JSON and text the command line prints.

pub mod capacity;
pub mod chaos;
pub mod check;
pub mod cost;
pub mod day;
pub mod dist;
pub mod event_queue;
pub mod explore;
pub mod from_answers;
pub mod kill;
pub mod mitigations;
pub mod model;
pub mod report;
pub mod scenario;
pub mod sizing;
pub mod stats;
pub mod traffic;
pub mod units;

use serde::Serialize;

pub use capacity::{QueueParams, QueueReport, plan as queue};
pub use explore::{
    CostCurve, DecisionRegions, LatencyCurve, MonteCarlo, cost_curve, decision_regions,
    latency_curve, monte_carlo,
};
pub use scenario::{Estimate, Scenario};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::format;
use crate::knowledge::{Archetype, Knowledge, Stack};
use cost::{CostBreakdown, CostLine};
use day::{ChaosRecord, DayOutcome, Failures, TimelinePoint};
use model::{ASSUMPTIONS, Assumption, Inputs, Model};
use stats::Band;
use units::{Millis, Usd};

/// A count that says nothing when it is zero (a report without a journal has no restored sessions).
pub(crate) fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The stack a report is about.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StackRef {
    pub id: String,
    pub name: String,
    pub archetype: Archetype,
    /// True when the stack was advised from the scenario's answers rather than named.
    pub advised: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CostReport {
    pub monthly_usd: Usd,
    pub by_service: Vec<CostLine>,
    /// P10 / P50 / P90 of the monthly cost over the inputs' ranges (one point when nothing is a range).
    pub bands: Band,
    /// The same per service (by service id): a point at the likely run's cost when nothing is a range.
    pub service_bands: std::collections::BTreeMap<String, Band>,
    pub month_hours: f64,
    pub assumptions: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LatencyReport {
    pub mean_ms: Millis,
    pub p50_ms: Millis,
    pub p95_ms: Millis,
    pub p99_ms: Millis,
    pub max_ms: Millis,
    pub target_ms: Millis,
    /// The p99 counts every request: met when the answered requests' p99 is within the target and
    /// no more than [`MAX_FAILED_SHARE`] of the requests failed (past it, the 99th-percentile request
    /// was never answered). A run that answered nothing has no latency (the figures are null).
    pub meets_target: bool,
    /// Why the target is missed though the answered requests' p99 is within it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missed_because: Option<String>,
    /// P10 / P50 / P90 of the p99 over the inputs' ranges.
    pub p99_bands: Band,
}

/// Past this share of failed requests, a p99 target is missed whatever the answered requests took:
/// the 99th-percentile request is one that failed.
pub const MAX_FAILED_SHARE: f64 = 0.01;

impl LatencyReport {
    /// No request was answered: there is no latency to report, only failures.
    pub fn nothing_answered(&self) -> bool {
        !self.p99_ms.0.is_finite()
    }
}

/// Everything `simulate` reports (`docs/CONTRACT.md`, plus explanation fields).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SimReport {
    pub scenario: String,
    pub stack: StackRef,
    pub cost: CostReport,
    pub latency: LatencyReport,
    pub timeline: Vec<TimelinePoint>,
    pub sessions_lost: u64,
    pub carts_lost: u64,
    pub cart_items_lost: u64,
    /// Population runs: added = held + lost + expired, exactly.
    pub cart_items_added: u64,
    pub cart_items_held: u64,
    pub cart_items_expired: u64,
    pub sessions_lost_to_scale_in: u64,
    /// Sessions a killed server held that the stack's journal restored elsewhere (not lost).
    #[serde(skip_serializing_if = "is_zero")]
    pub sessions_restored: u64,
    pub requests_total: u64,
    pub requests_failed: u64,
    pub failures: Failures,
    pub cold_starts: u64,
    pub peak_instances: f64,
    pub chaos: Vec<ChaosRecord>,
    pub seed: u64,
    pub horizon_s: f64,
    /// Requests walked one by one (all of them when `full`).
    pub walked_requests: u64,
    pub full: bool,
    pub events: u64,
    pub monte_carlo_runs: u32,
    pub inputs: Inputs,
    /// Figures the simulator uses that the knowledge base does not hold.
    pub assumptions: Vec<Assumption>,
    pub knowledge_version: String,
}

/// The stack to simulate, or the diagnostic saying why there is none.
pub fn stack_for<'k>(k: &'k Knowledge, s: &Scenario) -> Result<&'k Stack, Diagnostics> {
    check::resolve_stack(s, k).ok_or_else(|| {
        Diagnostic::new(
            "(scenario)",
            "the scenario names no stack the knowledge base has",
            "name a stack id, or give answers",
        )
        .into()
    })
}

/// One run at the likely inputs: what the GUI replots while a slider moves.
pub fn run_once(
    k: &Knowledge,
    s: &Scenario,
) -> Result<(Model, DayOutcome, CostBreakdown), Diagnostics> {
    s.validate(k)?;
    let stack = stack_for(k, s)?;
    let inputs = Inputs::likely(s);
    let model = Model::build(k, stack, s, inputs);
    let outcome = day::run(&model);
    let cost = cost::monthly(k, stack, s, &inputs, &outcome.usage);
    Ok((model, outcome, cost))
}

/// Simulates a scenario: the run at the likely inputs, and, when some input is a range, the Monte Carlo
/// bands around it.
pub fn simulate(k: &Knowledge, s: &Scenario) -> Result<SimReport, Diagnostics> {
    simulate_observed(k, s, &|_, _| {})
}

/// `simulate`, telling `progress` (finished runs, all runs) as the Monte Carlo runs finish, and
/// stopping when `interrupt::request_stop` is called (then nothing is reported: no partial bands).
pub fn simulate_observed<P: Fn(usize, u32) + Sync>(
    k: &Knowledge,
    s: &Scenario,
    progress: &P,
) -> Result<SimReport, Diagnostics> {
    let (model, outcome, cost) = run_once(k, s)?;
    let stack = stack_for(k, s)?;
    let (cost_band, p99_band, service_bands, runs) = if s.has_ranges() {
        let total = s.uncertainty.runs;
        let mc = monte_carlo(
            k,
            s,
            total,
            &|done| progress(done, total),
            crate::interrupt::stop_flag(),
        )?;
        if mc.cancelled {
            return Err(crate::diagnostic::Diagnostic::new(
                "simulate",
                format!("stopped after {} of {total} Monte Carlo runs", mc.runs),
                "run it again to finish; nothing was written",
            )
            .into());
        }
        (mc.cost, mc.p99_ms, mc.service_bands, mc.runs)
    } else {
        (
            Band::point(cost.monthly_usd.0),
            Band::point(outcome.latency.p99_ms.0),
            cost::by_service(&cost.lines)
                .into_iter()
                .map(|(service, usd)| (service, Band::point(usd)))
                .collect(),
            0,
        )
    };
    let bands = Bands {
        cost: cost_band,
        p99: p99_band,
        services: service_bands,
    };
    Ok(report(k, s, stack, &model, outcome, cost, bands, runs))
}

/// The Monte Carlo bands of a report (points when nothing is a range).
struct Bands {
    cost: Band,
    p99: Band,
    services: std::collections::BTreeMap<String, Band>,
}

/// The run's latency against the target, counting failed requests (see [`LatencyReport`]).
fn latency_report(o: &DayOutcome, target: Millis, p99_bands: Band) -> LatencyReport {
    let total = o.requests_total();
    let failed = o.requests_failed as f64;
    let answered = total - failed;
    let none = Millis(f64::NAN);
    let l = &o.latency;
    if answered < 1.0 {
        return LatencyReport {
            mean_ms: none,
            p50_ms: none,
            p95_ms: none,
            p99_ms: none,
            max_ms: none,
            target_ms: target,
            meets_target: false,
            missed_because: Some(format!(
                "no request was answered ({} failed): there is no latency to report",
                format::number(failed)
            )),
            p99_bands,
        };
    }
    let share = if total > 0.0 { failed / total } else { 0.0 };
    let missed_because = (share > MAX_FAILED_SHARE).then(|| {
        format!(
            "{} % of the requests failed ({} of {}), more than the 1 % a p99 allows: the 99th-percentile request was never answered",
            format::number((share * 1000.0).round() / 10.0),
            format::number(failed),
            format::number(total.round())
        )
    });
    LatencyReport {
        mean_ms: l.mean_ms,
        p50_ms: l.p50_ms,
        p95_ms: l.p95_ms,
        p99_ms: l.p99_ms,
        max_ms: l.max_ms,
        target_ms: target,
        meets_target: l.p99_ms <= target && missed_because.is_none(),
        missed_because,
        p99_bands,
    }
}

#[allow(clippy::too_many_arguments)]
fn report(
    k: &Knowledge,
    s: &Scenario,
    stack: &Stack,
    model: &Model,
    o: DayOutcome,
    cost: CostBreakdown,
    bands: Bands,
    runs: u32,
) -> SimReport {
    let target = Millis(s.latency_target_ms);
    let requests_total = o.requests_total().round() as u64;
    SimReport {
        scenario: s.name.clone(),
        stack: StackRef {
            id: stack.id.clone(),
            name: stack.name.clone(),
            archetype: stack.archetype,
            advised: s.stack.is_none(),
        },
        cost: CostReport {
            monthly_usd: cost.monthly_usd,
            by_service: cost.lines,
            bands: bands.cost,
            service_bands: bands.services,
            month_hours: cost.month_hours,
            assumptions: cost.assumptions,
        },
        latency: latency_report(&o, target, bands.p99),
        timeline: o.timeline,
        sessions_lost: o.sessions_lost,
        carts_lost: o.carts_lost,
        cart_items_lost: o.cart_items_lost,
        cart_items_added: o.cart_items_added,
        cart_items_held: o.cart_items_held,
        cart_items_expired: o.cart_items_expired,
        sessions_lost_to_scale_in: o.sessions_lost_to_scale_in,
        sessions_restored: o.sessions_restored,
        requests_total,
        requests_failed: o.requests_failed,
        failures: o.failures,
        cold_starts: o.cold_starts,
        peak_instances: o.peak_instances,
        chaos: o.chaos,
        seed: s.seed,
        horizon_s: s.horizon_s,
        walked_requests: o.walked_requests,
        full: o.full,
        events: o.events,
        monte_carlo_runs: runs,
        inputs: model.inputs,
        assumptions: ASSUMPTIONS.to_vec(),
        knowledge_version: k.version(),
    }
}
