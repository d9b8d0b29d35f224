//! The run's state, in parts that each answer for themselves: an instance and its queue, the events
//! on the queue, a population's users, the sampling windows (`Walk`), the stores between steps
//! (`Stores`) and the outcome being written (`Ledger`).

use std::collections::VecDeque;

use super::super::kill::Loss;
use super::super::stats::LatencyHist;
use super::DayOutcome;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::sim) enum InstState {
    Pending,
    InService,
    /// Killed; the load balancer still sends it requests until the health check fails.
    Dead,
    /// Killed and taken out of the load balancer.
    Gone,
    /// Scaled in: drained gracefully.
    Terminated,
}

pub(in crate::sim) struct Waiting {
    pub(super) arrival: f64,
    pub(super) user: u32,
    pub(super) record: bool,
}

pub(in crate::sim) struct Instance {
    pub az: u32,
    pub state: InstState,
    /// Open traffic with sticky sessions: the server's base in [`StickySessions`] (what it holds
    /// follows from it), set when it entered service.
    pub base: f64,
    /// Requests queued beyond capacity (fluid level).
    pub backlog: f64,
    // the walk's state
    pub busy: u32,
    pub queue: VecDeque<Waiting>,
}

pub(in crate::sim) const NO_USER: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
pub(in crate::sim) enum Ev {
    Ready(u32),
    Detect(u32),
    Chaos(u32),
    StoreBack,
    Arrival,
    User(u32),
    Done {
        inst: u32,
        user: u32,
        arrival: f64,
        record: bool,
    },
    LambdaDone {
        user: u32,
        arrival: f64,
        record: bool,
    },
    Unblock(u32),
}

/// A user of the population: a session (on a server, or in the shared store) and a cart.
#[derive(Clone, Copy, Debug, Default)]
pub(in crate::sim) struct User {
    /// The server the load balancer's stickiness cookie names.
    pub pinned: Option<u32>,
    pub has_session: bool,
    /// For sticky stacks, the server whose memory holds the session.
    pub session_on: Option<u32>,
    pub cart: u32,
    pub last_seen: f64,
}

impl User {
    /// The session ends (lost with a server or a cache node, or expired): returns the items its cart
    /// held.
    pub fn end_session(&mut self) -> u32 {
        let items = self.cart;
        self.has_session = false;
        self.session_on = None;
        self.cart = 0;
        items
    }
}

/// The request-level sampling window in progress.
pub(in crate::sim) struct Window {
    pub end: f64,
    pub remaining: u64,
    pub warmup: u64,
    /// Traffic each walked request stands for, as an integer weight.
    pub weight: u64,
    pub rate_max: f64,
}

/// Per-interval tallies for the timeline.
#[derive(Default)]
pub(in crate::sim) struct Interval {
    pub errors: f64,
    pub sessions_lost: u64,
    pub cold_starts: f64,
    pub requests: f64,
}

/// The request-level walk's state: the sampling windows (one per timeline interval, opened in order at
/// `k × step` and kept out of the event queue, as the fluid steps are), the window in progress and the
/// run's traffic it takes its share of, and the fractions the front door and the session store refuse
/// during the current step.
pub(in crate::sim) struct Walk {
    pub window: Option<Window>,
    pub next_window: u32,
    pub windows: u32,
    /// Requests the traffic profile sends over the whole run (the sampling windows' budget).
    pub total_requests: f64,
    pub f_front: f64,
    pub f_store: f64,
    /// Full runs: requests that arrived in the current fluid step.
    pub arrivals_this_tick: u64,
}

/// The state of the stores and the front door between steps: API Gateway's token bucket, what an
/// on-demand DynamoDB table has already served, a session store that is down, and open traffic's
/// sessions in a shared store.
pub(in crate::sim) struct Stores {
    pub store_down_until: f64,
    pub apigw_bucket: f64,
    pub dynamo_peak_before: (f64, f64),
    pub dynamo_recent: VecDeque<(f64, f64, f64)>,
    pub sessions_shared: f64,
}

/// The day's ledger: the outcome being written (usage, failures, losses, chaos records), the
/// timeline's interval in progress and the latency histograms.
pub(in crate::sim) struct Ledger {
    pub out: DayOutcome,
    pub interval: Interval,
    pub day_hist: LatencyHist,
    pub window_hist: LatencyHist,
    pub ticks_since_point: u32,
    pub interval_rate_sum: f64,
    /// (server, chaos record) of every kill, to credit the failures it causes.
    pub kill_records: Vec<(u32, usize)>,
}

impl Ledger {
    /// Books a loss in the day's ledger: the totals, the timeline's interval and, for a chaos
    /// event's doing, its record.
    pub(in crate::sim) fn lose(&mut self, loss: Loss, record: Option<usize>) {
        self.out.sessions_lost += loss.sessions;
        self.out.carts_lost += loss.carts;
        self.out.cart_items_lost += loss.items;
        self.interval.sessions_lost += loss.sessions;
        if let Some(r) = record.and_then(|r| self.out.chaos.get_mut(r)) {
            r.sessions_lost += loss.sessions;
            r.carts_lost += loss.carts;
        }
    }

    pub(in crate::sim) fn fail_dead(&mut self, n: f64, record: usize) {
        if n <= 0.0 {
            return;
        }
        self.out.failures.dead_server += n;
        self.interval.errors += n;
        if let Some(r) = self.out.chaos.get_mut(record) {
            r.requests_failed += n.round() as u64;
        }
    }
}
