//! The capacity planner behind `statecraft queue`: one tier of `c` identical servers fed by Poisson
//! arrivals, FIFO. The analytic side is Erlang C with the exact sojourn-time distribution
//! (`docs/erlang-c.md`); the simulated side runs the same tier request by request for
//! exponential, deterministic or lognormal service times.
//!
//! Two engines simulate it. [`simulate`] is the specialised one: under FIFO a request starts at
//! `max(arrival, earliest free server)` (the Kiefer–Wolfowitz recursion), so it needs no event list at
//! all. [`simulate_events`] is the general event-heap engine, kept as its cross-check: with the same
//! seed both see the same arrivals and service times and give the same results.

use std::collections::VecDeque;
use std::time::Instant;

use hdrhistogram::Histogram;
use serde::Serialize;

use super::dist::{self, Sampler, ServiceDist, SimRng};
use super::event_queue::EventQueue;
use super::units::Millis;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::format;

pub const MAX_SERVERS: u32 = 10_000;
/// 100 million requests took about 10 s; 20 million about 2 s.
pub const MAX_REQUESTS: u64 = 20_000_000;
pub const MAX_ARRIVAL_RPS: f64 = 1e9;
pub const MAX_SERVICE_MS: f64 = 3_600_000.0;
/// Below one request in about 17 minutes a run's clock leaves the range where sums of f64 times stay
/// exact (1e-300 requests/s gave NaN means): the floor keeps every figure a real number.
pub const MIN_ARRIVAL_RPS: f64 = 0.001;
/// One microsecond: shorter service times round to nothing in the latency histograms.
pub const MIN_SERVICE_MS: f64 = 0.001;
pub const DEFAULT_REQUESTS: u64 = 1_000_000;

/// What to plan: the tier and how long to simulate it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct QueueParams {
    pub servers: u32,
    pub arrival_rps: f64,
    pub service_ms: Millis,
    pub service_dist: ServiceDist,
    /// Coefficient of variation of lognormal service times.
    pub service_cv: f64,
    pub requests: u64,
    pub seed: u64,
    /// Simulate even when rho ≥ 1 (the queue then grows all run long; the figures describe that run only).
    pub allow_unstable: bool,
}

impl QueueParams {
    pub fn new(servers: u32, arrival_rps: f64, service_ms: f64) -> QueueParams {
        QueueParams {
            servers,
            arrival_rps,
            service_ms: Millis(service_ms),
            service_dist: ServiceDist::Exp,
            service_cv: 1.0,
            requests: DEFAULT_REQUESTS,
            seed: 42,
            allow_unstable: false,
        }
    }

    /// Offered load per server: lambda / (c mu).
    pub fn rho(&self) -> f64 {
        self.arrival_rps * self.service_ms.0 / 1000.0 / f64::from(self.servers.max(1))
    }

    /// Every problem with the parameters, as the command line names them.
    pub fn check(&self) -> Result<(), Diagnostics> {
        let mut problems = Diagnostics::default();
        let fail = |problems: &mut Diagnostics, flag: &str, message: String, fix: &str| {
            problems.push(Diagnostic::new(
                "command line",
                format!("`{flag}`: {message}"),
                fix,
            ));
        };
        if self.servers == 0 {
            fail(
                &mut problems,
                "--servers",
                format!("{} servers; expected 1 to {MAX_SERVERS}", self.servers),
                "give at least one server (a tier of zero servers serves nothing)",
            );
        } else if self.servers > MAX_SERVERS {
            fail(
                &mut problems,
                "--servers",
                format!(
                    "{} servers; expected 1 to {}",
                    format::number(f64::from(self.servers)),
                    format::number(f64::from(MAX_SERVERS))
                ),
                &format!(
                    "give at most {} servers (a tier that large is better planned as several)",
                    format::number(f64::from(MAX_SERVERS))
                ),
            );
        }
        if !(self.arrival_rps > 0.0 && self.arrival_rps <= MAX_ARRIVAL_RPS) {
            fail(
                &mut problems,
                "--arrival-rps",
                format!(
                    "{} requests/s; expected a rate above 0 and at most {}",
                    show(self.arrival_rps),
                    format::number(MAX_ARRIVAL_RPS)
                ),
                "give a positive, finite arrival rate",
            );
        } else if self.arrival_rps < MIN_ARRIVAL_RPS {
            fail(
                &mut problems,
                "--arrival-rps",
                format!(
                    "{} requests/s is below the smallest rate the simulator keeps exact ({} requests/s)",
                    show(self.arrival_rps),
                    format::number(MIN_ARRIVAL_RPS)
                ),
                "give a rate of at least 0.001 requests/s (one request in about 17 minutes)",
            );
        }
        if !(self.service_ms.0 > 0.0 && self.service_ms.0 <= MAX_SERVICE_MS) {
            fail(
                &mut problems,
                "--service-ms",
                format!(
                    "{} ms; expected a mean service time above 0 and at most {} ms (an hour)",
                    show(self.service_ms.0),
                    format::number(MAX_SERVICE_MS)
                ),
                "give a positive, finite mean service time in milliseconds",
            );
        } else if self.service_ms.0 < MIN_SERVICE_MS {
            fail(
                &mut problems,
                "--service-ms",
                format!(
                    "{} ms is below the shortest service time the simulator measures ({} ms, a microsecond)",
                    show(self.service_ms.0),
                    format::number(MIN_SERVICE_MS)
                ),
                "give a mean service time of at least 0.001 ms",
            );
        }
        if !(self.service_cv > 0.0 && self.service_cv <= 10.0) {
            fail(
                &mut problems,
                "--service-cv",
                format!(
                    "{}; expected a coefficient of variation above 0 and at most 10",
                    show(self.service_cv)
                ),
                "give a value such as 0.5 or 1",
            );
        }
        if self.requests == 0 || self.requests > MAX_REQUESTS {
            fail(
                &mut problems,
                "--requests",
                format!(
                    "{} requests; expected 1 to {} (the cap keeps a run to a few seconds)",
                    self.requests,
                    format::number(MAX_REQUESTS as f64)
                ),
                "simulate fewer requests",
            );
        }
        if problems.is_empty() && self.rho() >= 1.0 && !self.allow_unstable {
            let needed = (self.arrival_rps * self.service_ms.0 / 1000.0).floor() as u64 + 1;
            fail(
                &mut problems,
                "--arrival-rps",
                format!(
                    "the tier is unstable: rho = {} ≥ 1, so {} requests/s arrive but {} servers finish at most {} per second, and the queue grows without end (no steady state, no Erlang C)",
                    format::number(self.rho()),
                    format::number(self.arrival_rps),
                    self.servers,
                    format::number(f64::from(self.servers) * 1000.0 / self.service_ms.0)
                ),
                &format!(
                    "use at least {needed} servers, a lower arrival rate or a shorter service time (or --allow-unstable to simulate the overload anyway)"
                ),
            );
        }
        problems.into_result(())
    }
}

fn show(v: f64) -> String {
    // a tiny value in scientific form, so 1e-300 is not shown as 0
    if v != 0.0 && v.abs() < 1e-6 {
        format!("{v:e}")
    } else if v.is_finite() {
        format::number(v)
    } else {
        v.to_string()
    }
}

/// Erlang C and the exact sojourn-time quantiles.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Analytic {
    pub p_wait: f64,
    pub mean_wait_ms: Millis,
    pub mean_response_ms: Millis,
    pub p50_ms: Millis,
    pub p95_ms: Millis,
    pub p99_ms: Millis,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Simulated {
    pub requests: u64,
    pub p_wait: f64,
    pub mean_wait_ms: Millis,
    pub mean_response_ms: Millis,
    pub p50_ms: Millis,
    pub p95_ms: Millis,
    pub p99_ms: Millis,
    /// Busy server time over available server time, up to the last arrival.
    pub utilisation: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QueueReport {
    pub params: QueueParams,
    pub rho: f64,
    pub stable: bool,
    /// None where no closed form applies (service times not exponential, or rho ≥ 1).
    pub analytic: Option<Analytic>,
    pub simulated: Simulated,
    pub seed: u64,
    pub elapsed_ms: f64,
}

/// Checks the parameters, then gives the analytic figures and a simulated run side by side.
pub fn plan(params: &QueueParams) -> Result<QueueReport, Diagnostics> {
    params.check()?;
    let started = Instant::now();
    let rho = params.rho();
    let analytic = if params.service_dist == ServiceDist::Exp && rho < 1.0 {
        Some(erlang_c(
            params.servers,
            params.arrival_rps,
            params.service_ms,
        ))
    } else {
        None
    };
    let simulated = simulate(params);
    Ok(QueueReport {
        params: *params,
        rho,
        stable: rho < 1.0,
        analytic,
        simulated,
        seed: params.seed,
        elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
    })
}

/// P(wait) by Erlang C, through the Erlang B recursion (stable for thousands of servers).
pub fn erlang_c_probability(servers: u32, offered_erlangs: f64) -> f64 {
    let c = f64::from(servers);
    let rho = offered_erlangs / c;
    if rho >= 1.0 {
        return 1.0;
    }
    let mut b = 1.0;
    for k in 1..=servers {
        b = offered_erlangs * b / (f64::from(k) + offered_erlangs * b);
    }
    b / (1.0 - rho * (1.0 - b))
}

/// The analytic M/M/c figures for a stable tier (rho < 1).
pub fn erlang_c(servers: u32, arrival_rps: f64, service_ms: Millis) -> Analytic {
    // work in units of the mean service time (mu = 1), as erlang-c.md does
    let a = arrival_rps * service_ms.0 / 1000.0;
    let pw = erlang_c_probability(servers, a);
    let theta = f64::from(servers) - a;
    let wq = pw / theta;
    let tail = |t: f64| sojourn_tail(pw, theta, t);
    let q = |p: f64| Millis(quantile_of(tail, p) * service_ms.0);
    Analytic {
        p_wait: pw,
        mean_wait_ms: Millis(wq * service_ms.0),
        mean_response_ms: Millis((wq + 1.0) * service_ms.0),
        p50_ms: q(0.50),
        p95_ms: q(0.95),
        p99_ms: q(0.99),
    }
}

/// P(T > t) for mu = 1: (1 − Pw) e^(−t) + Pw (θ e^(−t) − e^(−θ t)) / (θ − 1).
pub fn sojourn_tail(pw: f64, theta: f64, t: f64) -> f64 {
    let e = (-t).exp();
    let waited = if (theta - 1.0).abs() < 1e-9 {
        // the limit as θ → 1: e^(−t) (1 + t)
        e * (1.0 + t)
    } else {
        (theta * e - (-theta * t).exp()) / (theta - 1.0)
    };
    (1.0 - pw) * e + pw * waited
}

/// The t with tail(t) = 1 − p, by bisection on the monotone tail.
fn quantile_of(tail: impl Fn(f64) -> f64, p: f64) -> f64 {
    let target = 1.0 - p;
    let mut hi = 1.0;
    while tail(hi) > target && hi < 1e12 {
        hi *= 2.0;
    }
    let mut lo = 0.0;
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if tail(mid) > target {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-13 * hi {
            break;
        }
    }
    0.5 * (lo + hi)
}

/// Sojourn times are recorded in millionths of the mean service time: 0.1% resolution from a
/// thousandth of a service time up to ten million service times, whatever the unit.
const UNITS_PER_SERVICE: f64 = 1e6;

fn sojourn_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 10_000_000 * UNITS_PER_SERVICE as u64, 3)
        .expect("constant histogram bounds are valid")
}

/// Accumulates one run's figures.
struct Tally {
    hist: Histogram<u64>,
    sum: f64,
    sum_wait: f64,
    waited: u64,
    busy: f64,
    scale: f64,
}

impl Tally {
    fn new(service_ms: f64) -> Tally {
        Tally {
            hist: sojourn_histogram(),
            sum: 0.0,
            sum_wait: 0.0,
            waited: 0,
            busy: 0.0,
            scale: UNITS_PER_SERVICE / service_ms,
        }
    }

    #[inline]
    fn record(&mut self, wait: f64, service: f64) {
        let sojourn = wait + service;
        self.sum += sojourn;
        self.sum_wait += wait;
        self.busy += service;
        if wait > 0.0 {
            self.waited += 1;
        }
        self.hist.saturating_record((sojourn * self.scale) as u64);
    }

    fn finish(self, requests: u64, servers: u32, last_arrival: f64) -> Simulated {
        let n = requests.max(1) as f64;
        let q = |p: f64| {
            let v = self.hist.value_at_quantile(p);
            Millis(self.hist.median_equivalent(v) as f64 / self.scale)
        };
        Simulated {
            requests,
            p_wait: self.waited as f64 / n,
            mean_wait_ms: Millis(self.sum_wait / n),
            mean_response_ms: Millis(self.sum / n),
            p50_ms: q(0.50),
            p95_ms: q(0.95),
            p99_ms: q(0.99),
            utilisation: if last_arrival > 0.0 {
                (self.busy / (f64::from(servers) * last_arrival)).min(1.0)
            } else {
                0.0
            },
        }
    }
}

fn service_sampler(p: &QueueParams) -> Sampler {
    Sampler::service(p.service_dist, p.service_ms.0, p.service_cv)
}

/// The specialised engine: a request starts at max(its arrival, the earliest free server). Times are
/// in ms. Memory is the servers' free times and the histogram, however many requests.
pub fn simulate(p: &QueueParams) -> Simulated {
    let mut rng = dist::rng(p.seed, 0);
    let service = service_sampler(p);
    let rate = p.arrival_rps / 1000.0;
    let c = p.servers.max(1) as usize;
    let mut tally = Tally::new(p.service_ms.0);
    let mut t = 0.0;
    if c <= 64 {
        let mut free = vec![0.0f64; c];
        for _ in 0..p.requests {
            t += dist::exp_gap(&mut rng, rate);
            let s = service.sample(&mut rng);
            let (i, earliest) = earliest(&free);
            let start = if earliest > t { earliest } else { t };
            free[i] = start + s;
            tally.record(start - t, s);
        }
    } else {
        let mut free = FreeHeap::new(c);
        for _ in 0..p.requests {
            t += dist::exp_gap(&mut rng, rate);
            let s = service.sample(&mut rng);
            let earliest = free.min();
            let start = if earliest > t { earliest } else { t };
            free.replace_min(start + s);
            tally.record(start - t, s);
        }
    }
    tally.finish(p.requests, p.servers, t)
}

#[inline]
fn earliest(free: &[f64]) -> (usize, f64) {
    let mut best = 0;
    let mut value = free[0];
    for (i, &f) in free.iter().enumerate().skip(1) {
        if f < value {
            best = i;
            value = f;
        }
    }
    (best, value)
}

/// A binary min-heap of server free times for large tiers, replacing the minimum in place.
struct FreeHeap(Vec<f64>);

impl FreeHeap {
    fn new(c: usize) -> FreeHeap {
        FreeHeap(vec![0.0; c])
    }

    #[inline]
    fn min(&self) -> f64 {
        self.0[0]
    }

    #[inline]
    fn replace_min(&mut self, value: f64) {
        let h = &mut self.0;
        let n = h.len();
        let mut i = 0;
        loop {
            let l = 2 * i + 1;
            if l >= n {
                break;
            }
            let r = l + 1;
            let child = if r < n && h[r] < h[l] { r } else { l };
            if h[child] < value {
                h[i] = h[child];
                i = child;
            } else {
                break;
            }
        }
        h[i] = value;
    }
}

enum QueueEvent {
    Arrival,
    Departure,
}

/// The general event-heap engine on the same tier: arrivals and departures through the
/// `(time, sequence)` event queue and a FIFO waiting line. Slower, and kept to check the specialised one.
pub fn simulate_events(p: &QueueParams) -> Simulated {
    let mut rng: SimRng = dist::rng(p.seed, 0);
    let service = service_sampler(p);
    let rate = p.arrival_rps / 1000.0;
    let servers = p.servers.max(1);
    let mut tally = Tally::new(p.service_ms.0);
    let mut events = EventQueue::with_capacity(servers as usize + 2);
    let mut waiting: VecDeque<(f64, f64)> = VecDeque::new();
    let mut idle = servers;
    let mut arrived = 0u64;
    let mut last_arrival = 0.0;
    events.push(dist::exp_gap(&mut rng, rate), QueueEvent::Arrival);
    while let Some((t, event)) = events.pop() {
        match event {
            QueueEvent::Arrival => {
                arrived += 1;
                last_arrival = t;
                let s = service.sample(&mut rng);
                if arrived < p.requests {
                    events.push(t + dist::exp_gap(&mut rng, rate), QueueEvent::Arrival);
                }
                if idle > 0 {
                    idle -= 1;
                    tally.record(0.0, s);
                    events.push(t + s, QueueEvent::Departure);
                } else {
                    waiting.push_back((t, s));
                }
            }
            QueueEvent::Departure => match waiting.pop_front() {
                Some((arrival, s)) => {
                    tally.record(t - arrival, s);
                    events.push(t + s, QueueEvent::Departure);
                }
                None => idle += 1,
            },
        }
    }
    tally.finish(p.requests, p.servers, last_arrival)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erlang_c_matches_the_reference_table() {
        // c, rho, P(wait), W, p50, p95, p99 from erlang-c.md (mu = 1, so service_ms = 1)
        let table = [
            (1, 0.5, 0.5000, 2.0000, 1.3863, 5.9915, 9.2103),
            (2, 0.8, 0.7111, 2.7778, 2.0400, 7.9107, 11.9374),
            (8, 0.9, 0.7015, 1.8769, 1.4894, 4.9251, 7.0873),
            (64, 0.95, 0.5880, 1.1838, 0.9005, 3.2324, 4.8420),
        ];
        for (c, rho, pw, w, p50, p95, p99) in table {
            let a = erlang_c(c, rho * f64::from(c) * 1000.0, Millis(1.0));
            assert!((a.p_wait - pw).abs() < 1e-4, "c={c}: {}", a.p_wait);
            assert!(
                (a.mean_response_ms.0 - w).abs() < 1e-4,
                "c={c}: {}",
                a.mean_response_ms.0
            );
            assert!((a.p50_ms.0 - p50).abs() < 1e-4, "c={c}: {}", a.p50_ms.0);
            assert!((a.p95_ms.0 - p95).abs() < 1e-4, "c={c}: {}", a.p95_ms.0);
            assert!((a.p99_ms.0 - p99).abs() < 1e-4, "c={c}: {}", a.p99_ms.0);
        }
    }

    #[test]
    fn both_engines_see_the_same_requests() {
        let mut p = QueueParams::new(8, 7200.0, 1.0);
        p.requests = 50_000;
        let a = simulate(&p);
        let b = simulate_events(&p);
        assert_eq!(a.p50_ms, b.p50_ms);
        assert_eq!(a.p99_ms, b.p99_ms);
        assert_eq!(a.p_wait, b.p_wait);
        assert!((a.mean_response_ms.0 - b.mean_response_ms.0).abs() < 1e-9);
    }

    #[test]
    fn the_heap_of_free_times_matches_the_scan() {
        let mut p = QueueParams::new(100, 90_000.0, 1.0);
        p.requests = 20_000;
        let heap = simulate(&p);
        let events = simulate_events(&p);
        assert_eq!(heap.p99_ms, events.p99_ms);
    }
}
