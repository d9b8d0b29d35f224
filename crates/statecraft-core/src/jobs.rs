//! The work both front ends run: one request type and its one implementation. The app runs these
//! on its worker threads (`src/worker.rs`: lanes, cancelling, first answers sent to the screen); the
//! command line (`statecraft sweep`) runs them on its own thread. Neither adds logic of its own: every
//! request calls `sim`, `sim::explore`, `review` or `decision`.
//!
//! Work too slow for one frame can answer twice ([`execute_progressive`]): a first answer at once
//! (the decision map's middle row drawn for every row; the first Monte Carlo runs' bands), then the
//! exact one, which is the same as if no first answer had been sent.

use crate::ids::StackId;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::decision;
use crate::export::Record;
use crate::knowledge::Knowledge;
use crate::project::Project;
use crate::review::{self, ReviewReport};
use crate::sim::explore::{self, SweepInput};
use crate::sim::{
    self, CostCurve, DecisionRegions, LatencyCurve, MonteCarlo, QueueParams, QueueReport, Scenario,
};

pub use crate::decision::likely_only;

/// What a screen asks for.
#[derive(Clone, Debug)]
pub enum Request {
    /// One run at the likely inputs (ranges collapsed): the live replot.
    Simulate { scenario: Box<Scenario> },
    /// The P10–P90 bands over the inputs' ranges.
    MonteCarlo { scenario: Box<Scenario>, runs: u32 },
    /// Monthly cost against peak traffic for each of `stacks`.
    CostCurves {
        scenario: Box<Scenario>,
        stacks: Vec<String>,
        rps: Vec<f64>,
    },
    /// p50 and p99 against steady load for one stack.
    LatencyCurve {
        scenario: Box<Scenario>,
        stack: StackId,
        rps: Vec<f64>,
    },
    /// The cheapest stack meeting the latency target over peak traffic × a second input.
    Regions {
        scenario: Box<Scenario>,
        rps: Vec<f64>,
        y_input: SweepInput,
        y: Vec<f64>,
        candidates: Vec<String>,
    },
    /// Erlang C beside a simulated M/M/c run.
    Queue { params: QueueParams },
    /// Re-checks every record of a decisions folder against the knowledge loaded now.
    /// Review a decisions folder; with `observed`, against that FOCUS bill too (each record's
    /// calibrated scenario kept, for the Decision log to save).
    Review {
        dir: std::path::PathBuf,
        observed: Option<std::path::PathBuf>,
    },
    /// The decision record for a project, as the Export screen shows it (it simulates).
    Record { project: Box<Project>, date: String },
}

impl Request {
    /// A short name for status lines ("Monte Carlo").
    pub fn title(&self) -> &'static str {
        match self {
            Request::Simulate { .. } => "Simulation",
            Request::MonteCarlo { .. } => "Monte Carlo",
            Request::CostCurves { .. } => "Cost curves",
            Request::LatencyCurve { .. } => "Latency curve",
            Request::Regions { .. } => "Decision map",
            Request::Queue { .. } => "Capacity plan",
            Request::Record { .. } => "Decision record",
            Request::Review { .. } => "Review",
        }
    }
}

/// What came back.
#[derive(Debug)]
pub enum Output {
    Report(Box<sim::SimReport>),
    MonteCarlo(MonteCarlo),
    CostCurves(Vec<CostCurve>),
    LatencyCurve(LatencyCurve),
    Regions(Box<DecisionRegions>),
    Queue(Box<QueueReport>),
    Record(Box<Record>),
    Review(Box<ReviewReport>),
}

/// Monte Carlo runs whose bands are sent first, before the rest are run.
pub const FIRST_MONTE_CARLO_RUNS: u32 = 50;

/// Runs one request on the calling thread. Public so that benchmarks and tests can time exactly what
/// a lane runs.
pub fn execute(
    k: &Knowledge,
    request: Request,
    cancel: &AtomicBool,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Output, String> {
    run(k, request, cancel, progress, None)
}

/// Requests walked one by one in the first answer of a day with more: its cost, scaling, errors and
/// sessions are the exact run's (they come from the fluid step); its percentiles are rougher and its
/// timeline hourly.
pub const FIRST_DAY_REQUESTS: u64 = 6_000;
/// The first answer's timeline step: its plot is hourly until the exact day replaces it.
pub const FIRST_DAY_STEP_S: f64 = 3_600.0;

/// [`execute`], handing `provisional` a first answer before the exact one for the slow requests (the
/// day, the cost curves, the decision map, Monte Carlo); the exact answer is the same either way.
pub fn execute_progressive(
    k: &Knowledge,
    request: Request,
    cancel: &AtomicBool,
    progress: &(dyn Fn(u64, u64) + Sync),
    provisional: &(dyn Fn(Output) + Sync),
) -> Result<Output, String> {
    run(k, request, cancel, progress, Some(provisional))
}

/// Where a slow request sends its first answer, when the caller wants one.
type Provisional<'a> = Option<&'a (dyn Fn(Output) + Sync)>;

/// The requests' one implementation: with `provisional`, the slow ones send a first answer to it;
/// without (the command line, [`execute`]), only the exact answer is computed.
fn run(
    k: &Knowledge,
    request: Request,
    cancel: &AtomicBool,
    progress: &(dyn Fn(u64, u64) + Sync),
    provisional: Provisional<'_>,
) -> Result<Output, String> {
    match request {
        Request::Simulate { scenario } => simulate(k, &scenario, cancel, provisional),
        Request::MonteCarlo { scenario, runs } => {
            monte_carlo(k, &scenario, runs, cancel, progress, provisional)
        }
        Request::CostCurves {
            scenario,
            stacks,
            rps,
        } => cost_curves(k, &scenario, &stacks, &rps, cancel, provisional),
        Request::LatencyCurve {
            scenario,
            stack,
            rps,
        } => explore::latency_curve(k, &stack, &likely_only(&scenario), &rps)
            .map(Output::LatencyCurve)
            .map_err(|e| e.to_string()),
        Request::Regions {
            scenario,
            rps,
            y_input,
            y,
            candidates,
        } => {
            let sweep = RegionsSweep {
                rps: &rps,
                y_input,
                y: &y,
                candidates: &candidates,
            };
            regions(k, &scenario, &sweep, cancel, provisional)
        }
        Request::Queue { params } => sim::queue(&params)
            .map(|r| Output::Queue(Box::new(r)))
            .map_err(|e| e.to_string()),
        Request::Review { dir, observed } => review_folder(k, &dir, observed),
        Request::Record { project, date } => decision::project_record(k, &project, &date, None)
            .map(|r| Output::Record(Box::new(r)))
            .map_err(|e| e.to_string()),
    }
}

/// A day of the scenario's likely values; with `provisional`, a first answer from fewer walked
/// requests on the other core while the exact day runs.
fn simulate(
    k: &Knowledge,
    scenario: &Scenario,
    cancel: &AtomicBool,
    provisional: Provisional<'_>,
) -> Result<Output, String> {
    let s = likely_only(scenario);
    let exact = || {
        sim::simulate(k, &s)
            .map(|r| Output::Report(Box::new(r)))
            .map_err(|e| e.to_string())
    };
    let Some(provisional) = provisional.filter(|_| {
        !s.sampling.full && s.population.is_none() && s.sampling.requests > FIRST_DAY_REQUESTS
    }) else {
        return exact();
    };
    // the first answer beside the exact run, on the other core; it is sent before the exact
    // one can be, since the scope waits for it
    let mut first = s.clone();
    first.sampling.requests = FIRST_DAY_REQUESTS;
    // hourly windows, so that 6,000 requests are not padded up to 50 in each of 288 windows
    first.sampling.timeline_step_s = s.sampling.timeline_step_s.max(FIRST_DAY_STEP_S);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            if let Ok(r) = sim::simulate(k, &first)
                && !cancel.load(Ordering::Relaxed)
            {
                provisional(Output::Report(Box::new(r)));
            }
        });
        exact()
    })
}

/// `runs` Monte Carlo runs, reporting progress; with `provisional`, bands from the first runs at
/// once.
fn monte_carlo(
    k: &Knowledge,
    scenario: &Scenario,
    runs: u32,
    cancel: &AtomicBool,
    progress: &(dyn Fn(u64, u64) + Sync),
    provisional: Provisional<'_>,
) -> Result<Output, String> {
    let done = AtomicU64::new(0);
    // progress at most every 1% of the runs, so the channel is not flooded
    let step = u64::from(runs / 100).max(1);
    let total = u64::from(runs);
    let on_run = |_: usize| {
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        if n.is_multiple_of(step) || n == total {
            progress(n, total);
        }
    };
    let first = runs.min(FIRST_MONTE_CARLO_RUNS);
    let Some(provisional) =
        provisional.filter(|_| first < runs && runs <= crate::sim::check::MAX_RUNS)
    else {
        return sim::monte_carlo(k, scenario, runs, &on_run, cancel)
            .map(Output::MonteCarlo)
            .map_err(|e| e.to_string());
    };
    // the same runs as one call, in two parts: bands from the first ones at once
    sim::monte_carlo(k, scenario, first, &on_run, cancel)
        .and_then(|head| {
            if !head.cancelled {
                provisional(Output::MonteCarlo(head.clone()));
            }
            let tail = explore::monte_carlo_runs(k, scenario, first..runs, &on_run, cancel)?;
            let mut samples = head.samples;
            samples.extend(tail);
            Ok(MonteCarlo::of(samples, runs))
        })
        .map(Output::MonteCarlo)
        .map_err(|e| e.to_string())
}

/// Each stack's cost at each rate; with `provisional`, a first answer from 60 s fluid steps
/// (within 0.1% of the exact curves), then the exact one.
fn cost_curves(
    k: &Knowledge,
    scenario: &Scenario,
    stacks: &[String],
    rps: &[f64],
    cancel: &AtomicBool,
    provisional: Provisional<'_>,
) -> Result<Output, String> {
    let s = likely_only(scenario);
    let curves = |pass| {
        let mut curves = Vec::with_capacity(stacks.len());
        for stack in stacks {
            if cancel.load(Ordering::Relaxed) {
                break;
            }
            curves.push(
                explore::cost_curve_pass(k, stack, &s, rps, pass).map_err(|e| e.to_string())?,
            );
        }
        Ok::<_, String>(curves)
    };
    if let Some(provisional) = provisional {
        let first = curves(explore::Pass::First)?;
        if !cancel.load(Ordering::Relaxed) {
            provisional(Output::CostCurves(first));
        }
    }
    curves(explore::Pass::Exact).map(Output::CostCurves)
}

/// The decision map's axes and the stacks it compares.
struct RegionsSweep<'a> {
    rps: &'a [f64],
    y_input: SweepInput,
    y: &'a [f64],
    candidates: &'a [String],
}

/// The decision map; with `provisional`, two first answers (the middle row drawn for every row,
/// then every cell from a first pass), then the exact map.
fn regions(
    k: &Knowledge,
    scenario: &Scenario,
    sweep: &RegionsSweep<'_>,
    cancel: &AtomicBool,
    provisional: Provisional<'_>,
) -> Result<Output, String> {
    let s = likely_only(scenario);
    let RegionsSweep {
        rps,
        y_input,
        y,
        candidates,
    } = *sweep;
    if let Some(provisional) = provisional {
        if y.len() > 1
            && let Ok(first) = explore::decision_regions_first(k, &s, rps, y_input, y, candidates)
            && !cancel.load(Ordering::Relaxed)
        {
            provisional(Output::Regions(Box::new(first)));
        }
        if !cancel.load(Ordering::Relaxed)
            && let Ok(first) =
                explore::decision_regions_first_pass(k, &s, rps, y_input, y, candidates)
            && !cancel.load(Ordering::Relaxed)
        {
            provisional(Output::Regions(Box::new(first)));
        }
    }
    if cancel.load(Ordering::Relaxed) {
        return Err("cancelled".into());
    }
    explore::decision_regions(k, &s, rps, y_input, y, candidates)
        .map(|r| Output::Regions(Box::new(r)))
        .map_err(|e| e.to_string())
}

/// A decisions folder re-checked, against a real bill when one is given (then calibrated).
fn review_folder(
    k: &Knowledge,
    dir: &std::path::Path,
    observed: Option<std::path::PathBuf>,
) -> Result<Output, String> {
    let mut options = review::ReviewOptions::default();
    if let Some(bill) = observed {
        let bill = crate::focus::read_file(&bill).map_err(|e| e.to_string())?;
        options.observed = Some(review::Observed {
            bill: std::sync::Arc::new(bill),
            metrics: None,
            calibrate: true,
        });
    }
    review::review_dir(dir, k, &options)
        .map(|r| Output::Review(Box::new(r)))
        .map_err(|e| e.to_string())
}

/// What the Simulator screen's plots sweep, built one way for the screen and for `statecraft sweep`.
pub mod sweeps {
    use super::{Knowledge, Request, Scenario, SweepInput, explore};
    use crate::sim::Estimate;

    /// Stacks drawn on the cost plot besides the one simulated: one of each kind of compute and
    /// state (declared in the knowledge catalogue, so a pack cannot remove them).
    pub const COMPARED_STACKS: [&str; 4] = [
        "apigw-lambda-dynamodb",
        "alb-fargate-jwt",
        "alb-ec2-elasticache-rds",
        "alb-sticky-ec2-memory",
    ];

    /// `n` points from `lo` to `hi`, evenly spaced on a log scale and rounded to two significant
    /// digits so the axis reads cleanly.
    pub fn log_space(lo: f64, hi: f64, n: usize) -> Vec<f64> {
        let (a, b) = (lo.log10(), hi.log10());
        (0..n)
            .map(|i| {
                let v = 10f64.powf(a + (b - a) * i as f64 / (n.max(2) - 1) as f64);
                let mag = 10f64.powf(v.log10().floor() - 1.0);
                (v / mag).round() * mag
            })
            .collect()
    }

    /// The scenario the curves sweep: they vary the peak themselves, so a new peak alone does not
    /// redraw them.
    pub fn swept(s: &Scenario) -> Scenario {
        let mut sweep = s.clone();
        sweep.traffic.peak_rps = Estimate::Exact(1.0);
        sweep
    }

    /// Monthly cost against peak traffic for the simulated stack and the compared ones.
    pub fn cost_curves(k: &Knowledge, s: &Scenario) -> Request {
        let stack = s.stack.clone().unwrap_or_default();
        let mut stacks = vec![stack];
        for id in COMPARED_STACKS {
            if !stacks.iter().any(|x| x == id) && k.stack(id).is_some() {
                stacks.push(id.to_string());
            }
        }
        Request::CostCurves {
            scenario: Box::new(swept(s)),
            stacks,
            rps: log_space(1.0, 100_000.0, 16),
        }
    }

    /// p50 and p99 against steady load for the simulated stack.
    pub fn latency_curve(s: &Scenario) -> Request {
        Request::LatencyCurve {
            scenario: Box::new(swept(s)),
            stack: s.stack.clone().unwrap_or_default().into(),
            rps: log_space(1.0, 100_000.0, 13),
        }
    }

    /// The cheapest stack meeting the target over peak traffic × session size: the reference stacks
    /// worth comparing, and the simulated stack when it is a composed one (the advice's own stack
    /// competes with the references on the same map).
    pub fn decision_map(k: &Knowledge, s: &Scenario) -> Request {
        let mut candidates = explore::default_candidates(k);
        if let Some(id) = s.stack.as_deref()
            && !candidates.iter().any(|c| c == id)
            && explore::comparable(k, id)
        {
            candidates.push(id.to_string());
        }
        Request::Regions {
            scenario: Box::new(swept(s)),
            rps: log_space(1.0, 100_000.0, 11),
            y_input: SweepInput::SessionKb,
            y: log_space(1.0, 1024.0, 6),
            candidates,
        }
    }

    /// The P10–P90 bands over the scenario's ranges.
    pub fn monte_carlo(s: &Scenario, runs: u32) -> Request {
        Request::MonteCarlo {
            scenario: Box::new(s.clone()),
            runs,
        }
    }
}
