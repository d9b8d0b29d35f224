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
//! What runs is the domain's: [`crate::domain::jobs`] holds the requests and their one implementation,
//! which `statecraft sweep` runs too; this file only owns the threads, the queueing and the messages.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::domain::knowledge::Knowledge;

pub use crate::domain::jobs::{
    FIRST_DAY_REQUESTS, FIRST_DAY_STEP_S, FIRST_MONTE_CARLO_RUNS, Output, Request, execute,
    execute_progressive, likely_only, sweeps,
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

/// The lane that runs `request`: slider replots never wait behind sweeps, maps or Monte Carlo.
pub fn lane(request: &Request) -> Lane {
    match request {
        Request::Simulate { .. } | Request::Queue { .. } => Lane::Quick,
        Request::CostCurves { .. } | Request::LatencyCurve { .. } => Lane::Sweep,
        Request::Regions { .. } => Lane::Map,
        Request::MonteCarlo { .. } | Request::Record { .. } | Request::Review { .. } => Lane::Long,
    }
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
        let lane = lane(&request);
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
