//! The simulated day: one discrete-event run in which control events (the 10-second fluid step, Auto
//! Scaling evaluations, instances coming into service, health checks, chaos) and request events share
//! one `(time, sequence)` queue.
//!
//! Two levels, so that a day at thousands of requests per second replots in milliseconds:
//! - the fluid step moves every request of the traffic profile through throttles, queues and stores as
//!   rates: it drives scaling, the cost, the error counts and the session counts;
//! - request by request, the engine walks a budget of sampled requests through the stack (front door,
//!   a compute instance's queue or a Lambda environment, session store, database), in a window at the
//!   start of each timeline interval; their latencies, weighted by the traffic they stand for, give the
//!   percentiles. Each window starts from the fluid state (warm environments, backlog).
//!
//! With `sampling.full`, or a population of users with carts, every request is walked and every count
//! (errors, sessions and carts lost) comes from the walk itself, exactly.
//!
//! The run's state is in parts that own it, each answering for itself:
//! - [`fleet::Fleet`]: instances and their zones, the in-service list, the load balancer's shares
//!   and the sessions in the servers' memory (`sessions.rs`, per zone);
//! - [`Environments`]: Lambda's warm pool and scale-up allowance;
//! - [`Stores`]: API Gateway's bucket, DynamoDB's history, a session store that is down;
//! - [`Ledger`]: the outcome being written — usage, failures, losses (booked as a
//!   [`super::kill::Loss`], the one model of a kill the Chaos Monkey demo shares), chaos records;
//! - [`Walk`]: the sampling windows and what the walk refuses during the current step.
//!
//! `Sim` holds them with the clock, the event queue and the users of a population, and does what
//! happens to them: launches, kills, steps.
//!
//! Files: `outcome.rs` is what a day gives back (`DayOutcome`), `state.rs` the parts' types above,
//! `fleet.rs`, `lambda.rs`, `sessions.rs` the parts that act, `chaos_events.rs` the scheduled chaos, `fluid.rs` the fluid step and
//! `walk.rs` the request-by-request walk; this file runs the day and opens the sampling windows.

mod chaos_events;
mod fleet;
mod fluid;
mod lambda;
mod outcome;
mod sessions;
mod state;
mod walk;

use std::collections::VecDeque;

use super::dist::{self, SimRng};
use super::event_queue::EventQueue;
use super::model::{Compute, Model};
use super::stats::{Latency, LatencyHist};
use fleet::Fleet;
use lambda::Environments;
pub use outcome::{ChaosRecord, DayOutcome, Failures, TimelinePoint, Usage};
use state::{
    Ev, InstState, Instance, Interval, Ledger, NO_USER, Stores, User, Waiting, Walk, Window,
};

/// The fluid step.
pub const TICK_S: f64 = 10.0;
/// Auto Scaling evaluates its target-tracking metric each minute.
const ASG_PERIOD_S: f64 = 60.0;
/// Target tracking scales in only after 15 minutes below target.
const SCALE_IN_PERIODS: u32 = 15;
/// Windows shorter than this share of their interval's traffic are padded up to it.
const MIN_WINDOW_REQUESTS: f64 = 50.0;

/// The server name for a launch index: A, B, …, Z, AA, AB, …
pub fn server_name(index: u32) -> String {
    let mut n = index as u64 + 1;
    let mut name = Vec::new();
    while n > 0 {
        n -= 1;
        name.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// The launch index of a server name ("B" → 1), if it is one.
pub fn server_index(name: &str) -> Option<u32> {
    if name.is_empty() || name.len() > 4 || !name.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let mut n: u64 = 0;
    for b in name.bytes() {
        n = n * 26 + u64::from(b - b'A' + 1);
    }
    u32::try_from(n - 1).ok()
}

pub(super) struct Sim<'m> {
    pub m: &'m Model,
    pub rng: SimRng,
    pub ev: EventQueue<Ev>,
    pub now: f64,
    pub full: bool,
    pub fleet: Fleet,
    pub lambda: Environments,
    pub walk: Walk,
    pub stores: Stores,
    pub ledger: Ledger,
    /// Requests per second in the current fluid step.
    pub rate: f64,
    /// The step start `rate` was evaluated for (the profile at its midpoint), in sampled runs.
    pub rate_at: Option<f64>,
    pub users: Vec<User>,
    pub last_tick: f64,
    /// The next fluid step (kept out of the event queue: see `run_inner`).
    pub next_tick: Option<f64>,
    pub ticks: u64,
}

/// Runs the model's horizon and returns everything the reports need.
pub fn run(m: &Model) -> DayOutcome {
    Sim::new(m).run()
}

/// Like [`run`], without any request walked one by one: scaling, cost, errors and sessions only. For
/// cost curves and sweeps, where latency is not asked for.
pub fn run_fluid(m: &Model) -> DayOutcome {
    let mut sim = Sim::new(m);
    sim.full = false;
    sim.run_inner(false)
}

impl<'m> Sim<'m> {
    fn new(m: &'m Model) -> Sim<'m> {
        let full = m.population.is_some() || m.full;
        Sim {
            m,
            rng: dist::rng(m.seed, 1),
            ev: EventQueue::with_capacity(1024),
            now: 0.0,
            full,
            fleet: Fleet::new(m),
            walk: Walk {
                window: None,
                next_window: 0,
                windows: 0,
                total_requests: 0.0,
                f_front: 0.0,
                f_store: 0.0,
                arrivals_this_tick: 0,
            },
            lambda: Environments {
                pool: 0.0,
                recent_need: VecDeque::new(),
                steps: 0,
                tokens: 0.0,
                idle: VecDeque::new(),
                total: 0,
                busy: 0,
                walk_tokens: 0.0,
                walk_tokens_at: 0.0,
            },
            stores: Stores {
                store_down_until: f64::NEG_INFINITY,
                apigw_bucket: m
                    .front
                    .as_ref()
                    .and_then(|f| f.throttle)
                    .map_or(0.0, |t| t.1),
                dynamo_peak_before: (0.0, 0.0),
                dynamo_recent: VecDeque::new(),
                sessions_shared: 0.0,
            },
            rate: 0.0,
            rate_at: None,
            users: Vec::new(),
            ledger: Ledger {
                out: DayOutcome {
                    latency: Latency::default(),
                    timeline: Vec::new(),
                    failures: Failures::default(),
                    requests_failed: 0,
                    sessions_lost: 0,
                    carts_lost: 0,
                    cart_items_lost: 0,
                    cart_items_added: 0,
                    cart_items_held: 0,
                    cart_items_expired: 0,
                    sessions_lost_to_scale_in: 0,
                    sessions_restored: 0,
                    cold_starts: 0,
                    usage: Usage {
                        horizon_s: m.horizon_s,
                        ..Usage::default()
                    },
                    chaos: Vec::new(),
                    walked_requests: 0,
                    events: 0,
                    full,
                    peak_instances: 0.0,
                },
                interval: Interval::default(),
                day_hist: LatencyHist::new(3),
                window_hist: LatencyHist::new(2),
                ticks_since_point: 0,
                interval_rate_sum: 0.0,
                kill_records: Vec::new(),
            },
            last_tick: 0.0,
            next_tick: None,
            ticks: 0,
        }
    }

    fn run(self) -> DayOutcome {
        let walk = true;
        self.run_inner(walk)
    }

    fn run_inner(mut self, walk: bool) -> DayOutcome {
        let m = self.m;
        self.stores.dynamo_peak_before = m.dynamo_demand(m.usual_peak_rps);
        self.start_fleet();
        self.next_tick = Some(0.0);
        for (i, c) in m.chaos.iter().enumerate() {
            self.ev.push(c.at_s(), Ev::Chaos(i as u32));
        }
        if walk {
            self.schedule_walk();
        }
        loop {
            // the next event's time, and whether it is a chaos event (one peek serves both questions)
            let top = self.ev.peek().map(|(t, e)| (t, matches!(e, Ev::Chaos(_))));
            let event_at = top.map(|(t, _)| t);
            let window_at = (self.walk.next_window < self.walk.windows)
                .then(|| f64::from(self.walk.next_window) * m.timeline_step_s);
            let next = match (event_at, window_at) {
                (Some(e), Some(w)) => Some(e.min(w)),
                (e, w) => e.or(w),
            };
            // the fluid step at a moment comes before anything else at that moment, so that an event
            // at 300 s lands in the interval that starts at 300 s
            if let Some(tick) = self.next_tick
                && next.is_none_or(|t| tick <= t)
            {
                self.now = tick;
                self.tick();
                continue;
            }
            // a window opens before the other events of its moment but after a chaos event there:
            // the order they would have in the queue, where the chaos was scheduled first, then the
            // windows, then everything else
            if let Some(w) = window_at
                && top.is_none_or(|(t, chaos)| w < t || (w == t && !chaos))
            {
                self.now = w;
                let k = self.walk.next_window;
                self.walk.next_window += 1;
                self.open_window(k);
                continue;
            }
            let Some((t, e)) = self.ev.pop() else {
                break;
            };
            if t > m.horizon_s {
                break;
            }
            self.now = t;
            match e {
                Ev::Ready(i) => self.ready(i),
                Ev::Detect(i) => self.detect(i),
                Ev::Chaos(i) => self.chaos(i as usize),
                Ev::StoreBack => {}
                Ev::Arrival => self.arrival(),
                Ev::User(u) => self.user_request(u),
                Ev::Done {
                    inst,
                    user,
                    arrival,
                    record,
                } => self.done(inst, user, arrival, record),
                Ev::LambdaDone {
                    user,
                    arrival,
                    record,
                } => self.lambda_done(user, arrival, record),
                Ev::Unblock(i) => self.unblock(i),
            }
        }
        self.finish()
    }

    /// Windows of sampled requests (or, in full mode, one window over the whole run; or the users).
    fn schedule_walk(&mut self) {
        let m = self.m;
        if let Some(p) = &m.population {
            self.users = vec![User::default(); p.users as usize];
            for u in 0..p.users {
                // users arrive spread over their first think time
                let first = dist::uniform(&mut self.rng) * p.think_time_s;
                self.ev.push(first, Ev::User(u));
            }
            return;
        }
        if self.full {
            self.walk.window = Some(Window {
                end: m.horizon_s,
                remaining: u64::MAX,
                warmup: 0,
                weight: 1,
                rate_max: m.profile.peak_rps,
            });
            self.schedule_next_arrival();
            return;
        }
        let step = m.timeline_step_s;
        let intervals = (m.horizon_s / step).ceil().max(1.0) as u32;
        // the whole run's traffic, which every window's share is taken of: once, not per window
        self.walk.total_requests = m.profile.mean_rate(0.0, m.horizon_s) * m.horizon_s;
        self.walk.windows = intervals;
    }

    /// Opens the sampling window of interval `k`, sized by the traffic it stands for.
    fn open_window(&mut self, k: u32) {
        let m = self.m;
        let step = m.timeline_step_s;
        let start = f64::from(k) * step;
        let end = (start + step).min(m.horizon_s);
        let expected = m.profile.mean_rate(start, end) * (end - start);
        let total = self.walk.total_requests;
        if expected < 1.0 || total <= 0.0 {
            return;
        }
        let share = m.sample_requests as f64 * expected / total;
        let n = share
            .max(MIN_WINDOW_REQUESTS)
            .min(expected)
            .round()
            .max(1.0);
        // a walked request stands for expected / n requests; weights are relative to the budget's
        let weight = ((expected / n) / (total / m.sample_requests as f64) * 1000.0)
            .round()
            .max(1.0) as u64;
        let rate_max = (0..=30)
            .map(|i| m.profile.rate(start + (end - start) * f64::from(i) / 30.0))
            .fold(0.0, f64::max)
            * 1.05;
        self.walk.window = Some(Window {
            end,
            remaining: n as u64,
            warmup: (n * 0.1).floor() as u64,
            weight,
            rate_max,
        });
        self.preload_backlog();
        self.schedule_next_arrival();
    }

    /// The next arrival of the open traffic, by thinning against the window's highest rate.
    fn schedule_next_arrival(&mut self) {
        let Some(w) = &self.walk.window else { return };
        if w.remaining == 0 || w.rate_max <= 0.0 {
            return;
        }
        let (end, rate_max) = (w.end, w.rate_max);
        let mut t = self.now;
        // bounded: at most a few thousand rejections in a window even at a 1000:1 burst ratio
        for _ in 0..100_000 {
            t += dist::exp_gap(&mut self.rng, rate_max);
            if t >= end {
                return;
            }
            let accept = self.m.profile.rate(t) / rate_max;
            if dist::uniform(&mut self.rng) < accept {
                self.ev.push(t, Ev::Arrival);
                return;
            }
        }
    }

    fn finish(mut self) -> DayOutcome {
        // close a partial last interval
        if self.ledger.ticks_since_point > 0 {
            self.close_interval();
        }
        let held: u64 = self
            .users
            .iter()
            .filter(|u| u.has_session)
            .map(|u| u64::from(u.cart))
            .sum();
        let o = &mut self.ledger.out;
        o.cart_items_held = held;
        o.latency = self.ledger.day_hist.summary();
        o.latency.samples = o.walked_requests;
        o.requests_failed = o.failures.total().round() as u64;
        o.cold_starts = o.usage.lambda_cold_starts.round() as u64;
        o.events = self.ev.scheduled() + self.ticks + u64::from(self.walk.windows);
        if let Compute::Lambda(_) = self.m.compute {
            // the pool is the fluid one; in full mode the walk's count of environments is the truth
            if self.full {
                o.peak_instances = o.peak_instances.max(f64::from(self.lambda.total));
            }
        }
        self.ledger.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The session-loss figures of the shipped scenarios with sticky sessions, as the per-server
    /// integer model (before the per-zone aggregates) counted them: (file, lost, to scale-in, by the
    /// chaos events). The aggregates count sessions as a continuous quantity and round each loss, so
    /// a day of scale-ins may differ by a few sessions in thousands; a kill's losses match exactly.
    const PER_SERVER_FIGURES: &[(&str, u64, u64, &[u64])] = &[
        (
            "assets/scenarios/alb-sticky-ec2-memory.json",
            2817,
            2817,
            &[],
        ),
        ("assets/scenarios/eks-statefulsets.json", 1607, 857, &[750]),
        ("assets/scenarios/chaos-monkey-stateful.json", 10, 0, &[10]),
        ("assets/examples/launch-week.scenario.json", 0, 0, &[0]),
    ];

    #[test]
    fn per_zone_sessions_lose_what_per_server_sessions_lost() {
        let k = crate::knowledge::Knowledge::shipped().expect("shipped knowledge");
        for &(file, lost, scale_in, chaos) in PER_SERVER_FIGURES {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../..")
                .join(file);
            let s = crate::sim::Scenario::read(&path, &k).expect("reads");
            let r = crate::sim::simulate(&k, &s).expect("simulates");
            let close = |a: u64, b: u64| a.abs_diff(b) <= 3.max(b / 1000);
            assert!(close(r.sessions_lost, lost), "{file}: {}", r.sessions_lost);
            assert!(
                close(r.sessions_lost_to_scale_in, scale_in),
                "{file}: {}",
                r.sessions_lost_to_scale_in
            );
            let by_chaos: Vec<u64> = r.chaos.iter().map(|c| c.sessions_lost).collect();
            assert_eq!(by_chaos, chaos, "{file}");
        }
    }

    #[test]
    fn servers_are_named_by_letters() {
        assert_eq!(server_name(0), "A");
        assert_eq!(server_name(2), "C");
        assert_eq!(server_name(25), "Z");
        assert_eq!(server_name(26), "AA");
        for i in [0, 1, 25, 26, 700, 5000] {
            assert_eq!(server_index(&server_name(i)), Some(i));
        }
        assert_eq!(server_index("b"), None);
        assert_eq!(server_index(""), None);
    }
}
