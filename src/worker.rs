//! The background work: simulations, Monte Carlo runs, sweeps and the capacity planner run on worker
//! threads and talk to the UI only through `std::sync::mpsc` messages, so a frame never waits on them.
//!
//! Four lanes, each one thread, so that slow work never delays a replot: the quick lane runs single
//! simulations and queue plans (what a slider moves); the sweep lane runs cost and latency curves;
//! the map lane the decision-region map; the long lane Monte Carlo batches (with progress,
//! cancellable).
//! A new request from a screen supersedes its previous one of the same kind: the old one is cancelled,
//! and a lane skips requests cancelled while they waited, so dragging a slider runs only the latest.
//!
//! Work too slow for one frame answers twice: a first answer at once (`Reply::Provisional`: the
//! decision map's middle row drawn for every row; the first Monte Carlo runs' bands), then the exact
//! one (`Reply::Finished`), which is the same as if no first answer had been sent.
//!
//! Everything here calls `domain::sim`; the only logic of its own is in the thin adapters at the end
//! (collapsing a scenario's ranges for the live replot).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::domain::decision;
use crate::domain::export::Record;
use crate::domain::knowledge::Knowledge;
use crate::domain::project::Project;
use crate::domain::review::{self, ReviewReport};
use crate::domain::sim::explore::{self, SweepInput};
use crate::domain::sim::{
    self, CostCurve, DecisionRegions, LatencyCurve, MonteCarlo, QueueParams, QueueReport, Scenario,
};

/// Identifies one request and every message about it.
pub type JobId = u64;

/// Which thread runs a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lane {
    Quick,
    Sweep,
    Map,
    Long,
}

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
        stack: String,
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
    pub fn lane(&self) -> Lane {
        match self {
            Request::Simulate { .. } | Request::Queue { .. } => Lane::Quick,
            Request::CostCurves { .. } | Request::LatencyCurve { .. } => Lane::Sweep,
            Request::Regions { .. } => Lane::Map,
            Request::MonteCarlo { .. } | Request::Record { .. } | Request::Review { .. } => {
                Lane::Long
            }
        }
    }

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

/// A message from a lane.
#[derive(Debug)]
pub enum Reply {
    /// `done` of `total` steps (Monte Carlo runs).
    Progress {
        id: JobId,
        done: u64,
        total: u64,
    },
    /// The result, or the full text of why there is none; and how long it took.
    Finished {
        id: JobId,
        result: Result<Output, String>,
        elapsed: Duration,
    },
    Cancelled {
        id: JobId,
    },
    /// A first answer while the exact one is computed (the job goes on).
    Provisional {
        id: JobId,
        output: Output,
    },
}

impl Reply {
    pub fn id(&self) -> JobId {
        match self {
            Reply::Progress { id, .. }
            | Reply::Finished { id, .. }
            | Reply::Cancelled { id }
            | Reply::Provisional { id, .. } => *id,
        }
    }
}

/// Monte Carlo runs whose bands are sent first, before the rest are run.
pub const FIRST_MONTE_CARLO_RUNS: u32 = 50;

struct Job {
    id: JobId,
    request: Request,
    cancel: Arc<AtomicBool>,
}

/// A job in flight, as the UI sees it.
#[derive(Clone, Debug)]
pub struct Running {
    pub title: &'static str,
    pub started: Instant,
    pub done: u64,
    pub total: u64,
    cancel: Arc<AtomicBool>,
}

impl Running {
    pub fn fraction(&self) -> f32 {
        if self.total == 0 {
            0.0
        } else {
            (self.done as f32 / self.total as f32).clamp(0.0, 1.0)
        }
    }
}

/// The UI's handle on the lanes.
pub struct Worker {
    lanes: HashMap<Lane, Sender<Job>>,
    replies: Receiver<Reply>,
    repaint: Arc<Mutex<Option<egui::Context>>>,
    next_id: JobId,
    running: HashMap<JobId, Running>,
}

impl Worker {
    /// Starts the two lanes over `knowledge`.
    pub fn start(knowledge: Arc<Knowledge>) -> Worker {
        let (reply_tx, replies) = channel();
        let repaint: Arc<Mutex<Option<egui::Context>>> = Arc::new(Mutex::new(None));
        let mut lanes = HashMap::new();
        for lane in [Lane::Quick, Lane::Sweep, Lane::Map, Lane::Long] {
            let (tx, rx) = channel::<Job>();
            let k = Arc::clone(&knowledge);
            let out = reply_tx.clone();
            let repaint = Arc::clone(&repaint);
            let name = match lane {
                Lane::Quick => "statecraft-quick",
                Lane::Sweep => "statecraft-sweep",
                Lane::Map => "statecraft-map",
                Lane::Long => "statecraft-long",
            };
            // if the thread cannot start, requests on this lane fail with a message (see `submit`)
            if std::thread::Builder::new()
                .name(name.into())
                .spawn(move || lane_loop(&k, &rx, &out, &repaint))
                .is_ok()
            {
                lanes.insert(lane, tx);
            }
        }
        Worker {
            lanes,
            replies,
            repaint,
            next_id: 1,
            running: HashMap::new(),
        }
    }

    /// The context to wake when a reply arrives (set on the first frame).
    pub fn set_context(&self, ctx: &egui::Context) {
        if let Ok(mut slot) = self.repaint.lock()
            && slot.is_none()
        {
            *slot = Some(ctx.clone());
        }
    }

    /// Queues `request`; its replies carry the returned id.
    pub fn submit(&mut self, request: Request) -> JobId {
        let id = self.next_id;
        self.next_id += 1;
        let cancel = Arc::new(AtomicBool::new(false));
        let title = request.title();
        let total = match &request {
            Request::MonteCarlo { runs, .. } => u64::from(*runs),
            _ => 0,
        };
        let lane = request.lane();
        let job = Job {
            id,
            request,
            cancel: Arc::clone(&cancel),
        };
        let sent = self.lanes.get(&lane).is_some_and(|tx| tx.send(job).is_ok());
        if sent {
            self.running.insert(
                id,
                Running {
                    title,
                    started: Instant::now(),
                    done: 0,
                    total,
                    cancel,
                },
            );
        }
        id
    }

    /// Asks job `id` to stop; its lane answers `Cancelled`.
    pub fn cancel(&mut self, id: JobId) {
        if let Some(job) = self.running.get(&id) {
            job.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// Cancels `previous` (if any) and submits `request`: the way a slider asks for a replot.
    pub fn replace(&mut self, previous: Option<JobId>, request: Request) -> JobId {
        if let Some(id) = previous {
            self.cancel(id);
        }
        self.submit(request)
    }

    /// Replies that arrived since the last call; finished jobs leave the running list.
    pub fn poll(&mut self) -> Vec<Reply> {
        let mut out = Vec::new();
        while let Ok(reply) = self.replies.try_recv() {
            match &reply {
                Reply::Progress { id, done, total } => {
                    if let Some(job) = self.running.get_mut(id) {
                        job.done = *done;
                        job.total = *total;
                    }
                }
                Reply::Finished { id, .. } | Reply::Cancelled { id } => {
                    self.running.remove(id);
                }
                Reply::Provisional { .. } => {}
            }
            out.push(reply);
        }
        out
    }

    /// Whether job `id` is still queued or running.
    pub fn is_running(&self, id: JobId) -> bool {
        self.running.contains_key(&id)
    }

    pub fn running(&self, id: JobId) -> Option<&Running> {
        self.running.get(&id)
    }

    /// Whether anything is queued or running.
    pub fn busy(&self) -> bool {
        !self.running.is_empty()
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // stop whatever runs, so that the threads end with the app
        for job in self.running.values() {
            job.cancel.store(true, Ordering::Relaxed);
        }
    }
}

fn lane_loop(
    k: &Knowledge,
    rx: &Receiver<Job>,
    out: &Sender<Reply>,
    repaint: &Mutex<Option<egui::Context>>,
) {
    let wake = || {
        if let Ok(slot) = repaint.lock()
            && let Some(ctx) = slot.as_ref()
        {
            ctx.request_repaint();
        }
    };
    // ends when the Worker (and with it the sender) is dropped
    while let Ok(job) = rx.recv() {
        if job.cancel.load(Ordering::Relaxed) {
            let _ = out.send(Reply::Cancelled { id: job.id });
            wake();
            continue;
        }
        let started = Instant::now();
        let progress = |done: u64, total: u64| {
            let _ = out.send(Reply::Progress {
                id: job.id,
                done,
                total,
            });
            wake();
        };
        let partial = |output: Output| {
            if !job.cancel.load(Ordering::Relaxed) {
                let _ = out.send(Reply::Provisional { id: job.id, output });
                wake();
            }
        };
        let result = execute_progressive(k, job.request, &job.cancel, &progress, &partial);
        let reply = if job.cancel.load(Ordering::Relaxed) {
            Reply::Cancelled { id: job.id }
        } else {
            Reply::Finished {
                id: job.id,
                result,
                elapsed: started.elapsed(),
            }
        };
        if out.send(reply).is_err() {
            return;
        }
        wake();
    }
}

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

/// The requests' one implementation: with `provisional`, the slow ones send a first answer to it;
/// without (the command line, [`execute`]), only the exact answer is computed.
fn run(
    k: &Knowledge,
    request: Request,
    cancel: &AtomicBool,
    progress: &(dyn Fn(u64, u64) + Sync),
    provisional: Option<&(dyn Fn(Output) + Sync)>,
) -> Result<Output, String> {
    match request {
        Request::Simulate { scenario } => {
            let s = likely_only(&scenario);
            let exact = || {
                sim::simulate(k, &s)
                    .map(|r| Output::Report(Box::new(r)))
                    .map_err(|e| e.to_string())
            };
            let Some(provisional) = provisional.filter(|_| {
                !s.sampling.full
                    && s.population.is_none()
                    && s.sampling.requests > FIRST_DAY_REQUESTS
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
        Request::MonteCarlo { scenario, runs } => {
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
                provisional.filter(|_| first < runs && runs <= crate::domain::sim::check::MAX_RUNS)
            else {
                return sim::monte_carlo(k, &scenario, runs, &on_run, cancel)
                    .map(Output::MonteCarlo)
                    .map_err(|e| e.to_string());
            };
            // the same runs as one call, in two parts: bands from the first ones at once
            sim::monte_carlo(k, &scenario, first, &on_run, cancel)
                .and_then(|head| {
                    if !head.cancelled {
                        provisional(Output::MonteCarlo(head.clone()));
                    }
                    let tail =
                        explore::monte_carlo_runs(k, &scenario, first..runs, &on_run, cancel)?;
                    let mut samples = head.samples;
                    samples.extend(tail);
                    Ok(MonteCarlo::of(samples, runs))
                })
                .map(Output::MonteCarlo)
                .map_err(|e| e.to_string())
        }
        Request::CostCurves {
            scenario,
            stacks,
            rps,
        } => {
            let s = likely_only(&scenario);
            let curves = |pass| {
                let mut curves = Vec::with_capacity(stacks.len());
                for stack in &stacks {
                    if cancel.load(Ordering::Relaxed) {
                        break;
                    }
                    curves.push(
                        explore::cost_curve_pass(k, stack, &s, &rps, pass)
                            .map_err(|e| e.to_string())?,
                    );
                }
                Ok::<_, String>(curves)
            };
            // a first answer from 60 s fluid steps (within 0.1% of the exact curves), then the exact one
            if let Some(provisional) = provisional {
                let first = curves(explore::Pass::First)?;
                if !cancel.load(Ordering::Relaxed) {
                    provisional(Output::CostCurves(first));
                }
            }
            curves(explore::Pass::Exact).map(Output::CostCurves)
        }
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
            let s = likely_only(&scenario);
            // two first answers: the middle row drawn for every row, then every cell from a first
            // pass; then the exact map
            if let Some(provisional) = provisional {
                if y.len() > 1
                    && let Ok(first) =
                        explore::decision_regions_first(k, &s, &rps, y_input, &y, &candidates)
                    && !cancel.load(Ordering::Relaxed)
                {
                    provisional(Output::Regions(Box::new(first)));
                }
                if !cancel.load(Ordering::Relaxed)
                    && let Ok(first) =
                        explore::decision_regions_first_pass(k, &s, &rps, y_input, &y, &candidates)
                    && !cancel.load(Ordering::Relaxed)
                {
                    provisional(Output::Regions(Box::new(first)));
                }
            }
            if cancel.load(Ordering::Relaxed) {
                return Err("cancelled".into());
            }
            explore::decision_regions(k, &s, &rps, y_input, &y, &candidates)
                .map(|r| Output::Regions(Box::new(r)))
                .map_err(|e| e.to_string())
        }
        Request::Queue { params } => sim::queue(&params)
            .map(|r| Output::Queue(Box::new(r)))
            .map_err(|e| e.to_string()),
        Request::Review { dir, observed } => {
            let mut options = review::ReviewOptions::default();
            if let Some(bill) = observed {
                let bill = crate::domain::focus::read_file(&bill).map_err(|e| e.to_string())?;
                options.observed = Some(review::Observed {
                    bill: std::sync::Arc::new(bill),
                    metrics: None,
                    calibrate: true,
                });
            }
            review::review_dir(&dir, k, &options)
                .map(|r| Output::Review(Box::new(r)))
                .map_err(|e| e.to_string())
        }
        Request::Record { project, date } => decision::project_record(k, &project, &date, None)
            .map(|r| Output::Record(Box::new(r)))
            .map_err(|e| e.to_string()),
    }
}

// ---- thin adapters ---------------------------------------------------------------------------

/// What the Simulator screen's plots sweep, built one way for the screen and for `statecraft sweep`.
pub mod sweeps {
    use super::{Knowledge, Request, Scenario, SweepInput, explore};
    use crate::domain::sim::Estimate;

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
            stack: s.stack.clone().unwrap_or_default(),
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

/// The scenario with every range replaced by its likely value: one run, no Monte Carlo, so a slider
/// replots at once. The bands come from a separate `MonteCarlo` request.
pub use crate::domain::decision::likely_only;

/// The scenario the simulator opens with for a set of answers (the domain's mapping).
pub fn scenario_from_answers(
    k: &Knowledge,
    stack: &str,
    answers: &crate::domain::answers::Answers,
) -> Scenario {
    crate::domain::decision::scenario_from_answers(
        k,
        stack,
        answers,
        crate::domain::project::DEFAULT_SEED,
    )
}
