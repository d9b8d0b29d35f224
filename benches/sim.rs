//! Simulator speed, against the figures:
//! - the queue engine, M/M/8 at rho = 0.9: at least 5 million requests per second on one core
//!   (the specialised engine; the general event-heap engine is measured beside it);
//! - the default 24-hour scenario (`assets/scenarios/default.json`): under 50 ms;
//! - 1,000 Monte Carlo runs (`assets/scenarios/uncertain-web-app.json`): under 2 s;
//! - the simulator screen's sweeps on the default scenario, as the GUI asks for them: cost against
//!   traffic for every stack (16 rates), latency against load (13 rates) and the decision map
//!   (11 rates × 6 session sizes × every candidate stack).
//!
//! Issue 15's rows (`cargo bench --bench sim -- what-if`), each what the worker runs for it:
//! - `what-if/slider-move`: one scenario change, the worker's `Simulate` request (the day's report);
//! - `what-if/cost-curves`: cost against traffic for every candidate stack (16 rates each);
//! - `what-if/decision-map`: 11 rates × 6 session sizes × every candidate stack, as the GUI asks;
//! - `what-if/monte-carlo-1000`: 1,000 runs of the default day with the uncertain inputs;
//! - `what-if/default-day`: the default 24-hour scenario;
//! - `what-if/sticky-fleet-step/N`: one 10-second fluid step of a sticky-session fleet of N servers
//!   (an hour of steps at a fixed fleet; the throughput is per step).
//!
//! And `what-if/first-answer/…`, the time to the worker's provisional answer; and `scaling/…`: how time grows with horizon, traffic, fleet size and runs (the README's table).
//!
//! `cargo bench --bench sim` also prints the large-N accuracy check against erlang-c.md (10 million
//! requests per row) before the timings. Under `cargo test` each benchmark runs once on a small size.

use std::hint::black_box;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group};
use statecraft::domain::knowledge::Knowledge;
use statecraft::domain::sim::capacity::{self as queue, QueueParams};
use statecraft::domain::sim::units::Millis;
use statecraft::domain::sim::{self, Scenario};

fn benchmarking() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn scenario(k: &Knowledge, name: &str) -> Scenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/scenarios")
        .join(name);
    Scenario::read(&path, k).expect("the shipped scenario reads")
}

fn mmc(requests: u64) -> QueueParams {
    let mut p = QueueParams::new(8, 7200.0, 1.0);
    p.requests = requests;
    p
}

fn queue_engines(c: &mut Criterion) {
    let n = if benchmarking() { 1_000_000 } else { 10_000 };
    let mut g = c.benchmark_group("queue");
    g.throughput(Throughput::Elements(n));
    g.sample_size(20);
    g.bench_function("mmc8-rho0.9/specialised", |b| {
        b.iter(|| queue::simulate(black_box(&mmc(n))))
    });
    g.bench_function("mmc8-rho0.9/event-heap", |b| {
        b.iter(|| queue::simulate_events(black_box(&mmc(n))))
    });
    g.finish();
}

fn day(c: &mut Criterion) {
    let k = Knowledge::shipped().expect("shipped knowledge");
    let s = scenario(&k, "default.json");
    let mut g = c.benchmark_group("simulate");
    g.sample_size(20);
    g.bench_function("default-24h", |b| {
        b.iter(|| sim::simulate(&k, black_box(&s)).expect("simulates"))
    });
    let chaos = scenario(&k, "chaos-monkey-stateful.json");
    g.bench_function("chaos-monkey-stateful", |b| {
        b.iter(|| sim::simulate(&k, black_box(&chaos)).expect("simulates"))
    });
    g.finish();
}

fn monte_carlo(c: &mut Criterion) {
    let k = Knowledge::shipped().expect("shipped knowledge");
    let s = scenario(&k, "uncertain-web-app.json");
    let runs = if benchmarking() { 1000 } else { 4 };
    let never = AtomicBool::new(false);
    let mut g = c.benchmark_group("monte-carlo");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(20));
    g.bench_function(format!("{runs}-runs"), |b| {
        b.iter(|| sim::monte_carlo(&k, black_box(&s), runs, &|_| {}, &never).expect("runs"))
    });
    g.finish();
}

/// The erlang-c.md table at 10 million requests per row: mean and p99 against the exact figures.
fn accuracy_report() {
    let rows = [
        (1, 0.5, 2.0000, 9.2103),
        (1, 0.9, 10.0000, 46.0517),
        (2, 0.8, 2.7778, 11.9374),
        (4, 0.7, 1.3572, 5.4926),
        (8, 0.9, 1.8769, 7.0873),
        (16, 0.85, 1.1805, 4.8745),
        (32, 0.9, 1.1432, 4.7944),
        (64, 0.95, 1.1838, 4.8420),
    ];
    println!("accuracy against erlang-c.md, 10,000,000 requests per row, seed 42:");
    println!("   c   rho    mean W (exact)   error    p99 (exact)   error   time");
    for (c, rho, w, p99) in rows {
        let mut p = QueueParams::new(c, rho * f64::from(c) * 1000.0, 1.0);
        p.requests = 10_000_000;
        let t = Instant::now();
        let s = queue::simulate(&p);
        let dt = t.elapsed();
        println!(
            "  {c:>2}  {rho:>4}  {:>7.4} ({w:.4})  {:>+6.2}%  {:>7.4} ({p99:.4})  {:>+6.2}%  {:>4} ms",
            s.mean_response_ms.0,
            (s.mean_response_ms.0 - w) / w * 100.0,
            s.p99_ms.0,
            (s.p99_ms.0 - p99) / p99 * 100.0,
            dt.as_millis()
        );
    }
    let analytic = queue::erlang_c(8, 7200.0, Millis(1.0));
    println!(
        "  (analytic M/M/8 at rho 0.9: W {:.4}, p99 {:.4})\n",
        analytic.mean_response_ms.0, analytic.p99_ms.0
    );
}

fn sweeps(c: &mut Criterion) {
    use statecraft::domain::sim::explore::{self, SweepInput};
    use statecraft::ui::simulator::log_space;
    let k = Knowledge::shipped().expect("shipped knowledge");
    let s = scenario(&k, "default.json");
    let stacks = explore::default_candidates(&k);
    let (cost_n, latency_n, map) = if benchmarking() {
        (16, 13, (11, 6))
    } else {
        (3, 2, (2, 2))
    };
    let mut g = c.benchmark_group("sweeps");
    g.sample_size(10);
    g.bench_function("cost-curves/every-stack", |b| {
        let rps = log_space(1.0, 100_000.0, cost_n);
        b.iter(|| {
            for st in &stacks {
                black_box(sim::cost_curve(&k, st, &s, &rps).expect("curve"));
            }
        })
    });
    g.bench_function("latency-curve", |b| {
        let rps = log_space(1.0, 100_000.0, latency_n);
        b.iter(|| sim::latency_curve(&k, "alb-ec2-elasticache-rds", &s, &rps).expect("curve"))
    });
    g.measurement_time(Duration::from_secs(20));
    g.bench_function("decision-map", |b| {
        let rps = log_space(1.0, 100_000.0, map.0);
        let kb = log_space(1.0, 1024.0, map.1);
        b.iter(|| {
            explore::decision_regions(&k, &s, &rps, SweepInput::SessionKb, &kb, &stacks)
                .expect("regions")
        })
    });
    g.finish();
}

/// Issue 15's target rows, each what the worker (or the CLI's `sweep`) runs for it.
fn what_if(c: &mut Criterion) {
    use statecraft::domain::sim::explore;
    use statecraft::worker::{self, Request, sweeps};
    let k = Knowledge::shipped().expect("shipped knowledge");
    let s = scenario(&k, "default.json");
    let never = AtomicBool::new(false);
    let quiet = |_: u64, _: u64| {};
    let mut g = c.benchmark_group("what-if");
    g.sample_size(10);
    let mut high = false;
    g.bench_function("slider-move", |b| {
        b.iter(|| {
            // the peak slider moves between two values, as a user drags it
            high = !high;
            let mut v = s.clone();
            v.traffic.peak_rps = sim::Estimate::Exact(if high { 700.0 } else { 500.0 });
            let r = Request::Simulate {
                scenario: Box::new(v),
            };
            worker::execute(&k, r, &never, &quiet).expect("runs")
        })
    });
    g.bench_function("default-day", |b| {
        b.iter(|| sim::simulate(&k, black_box(&s)).expect("simulates"))
    });
    let every = explore::default_candidates(&k);
    let cost_n = if benchmarking() { 16 } else { 2 };
    g.bench_function("cost-curves", |b| {
        b.iter(|| {
            let r = Request::CostCurves {
                scenario: Box::new(sweeps::swept(&s)),
                stacks: every.clone(),
                rps: sweeps::log_space(1.0, 100_000.0, cost_n),
            };
            worker::execute(&k, r, &never, &quiet).expect("runs")
        })
    });
    g.measurement_time(Duration::from_secs(20));
    g.bench_function("decision-map", |b| {
        b.iter(|| {
            let mut r = sweeps::decision_map(&k, &s);
            if !benchmarking()
                && let Request::Regions { rps, y, .. } = &mut r
            {
                rps.truncate(2);
                y.truncate(2);
            }
            worker::execute(&k, r, &never, &quiet).expect("runs")
        })
    });
    let uncertain = scenario(&k, "uncertain-web-app.json");
    let runs = if benchmarking() { 1000 } else { 4 };
    g.bench_function(format!("monte-carlo-{runs}"), |b| {
        b.iter(|| {
            let r = sweeps::monte_carlo(&uncertain, runs);
            worker::execute(&k, r, &never, &quiet).expect("runs")
        })
    });
    g.finish();

    let mut g = c.benchmark_group("what-if/sticky-fleet-step");
    g.sample_size(10);
    let sticky = scenario(&k, "alb-sticky-ec2-memory.json");
    let stack = k.stack("alb-sticky-ec2-memory").expect("the sticky stack");
    for n in [10u32, 100, 1000] {
        let mut v = sticky.clone();
        v.horizon_s = 3600.0;
        v.compute.min = n;
        v.compute.max = n;
        v.compute.initial = Some(n);
        v.compute.autoscaling = false;
        // enough traffic and sessions that every server holds some
        v.traffic.peak_rps = sim::Estimate::Exact(f64::from(n) * 15.0);
        v.traffic.sessions = f64::from(n) * 200.0;
        let inputs = sim::model::Inputs::likely(&v);
        let model = sim::model::Model::build(&k, stack, &v, inputs);
        let steps = (v.horizon_s / sim::day::TICK_S) as u64;
        g.throughput(Throughput::Elements(steps));
        g.bench_function(n.to_string(), |b| {
            b.iter(|| sim::day::run_fluid(black_box(&model)))
        });
    }
    g.finish();
}

/// How long until the worker's first answer (the provisional one) for the slow requests.
fn first_answers(c: &mut Criterion) {
    use statecraft::worker::{self, Request, sweeps};
    let k = Knowledge::shipped().expect("shipped knowledge");
    let s = scenario(&k, "default.json");
    let uncertain = scenario(&k, "uncertain-web-app.json");
    let never = AtomicBool::new(false);
    let mut g = c.benchmark_group("what-if/first-answer");
    g.sample_size(10);
    let small = !benchmarking();
    let requests: Vec<(&str, Request)> = vec![
        (
            "slider-move",
            Request::Simulate {
                scenario: Box::new(s.clone()),
            },
        ),
        ("cost-curves", {
            let every = statecraft::domain::sim::explore::default_candidates(&k);
            Request::CostCurves {
                scenario: Box::new(sweeps::swept(&s)),
                stacks: every,
                rps: sweeps::log_space(1.0, 100_000.0, if small { 2 } else { 16 }),
            }
        }),
        ("decision-map", {
            let mut r = sweeps::decision_map(&k, &s);
            if small && let Request::Regions { rps, y, .. } = &mut r {
                rps.truncate(2);
                y.truncate(2);
            }
            r
        }),
        (
            "monte-carlo-1000",
            sweeps::monte_carlo(&uncertain, if small { 60 } else { 1000 }),
        ),
    ];
    for (name, request) in requests {
        g.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    let first = std::sync::Mutex::new(None);
                    let r = request.clone();
                    worker::execute_progressive(&k, r, &never, &|_, _| {}, &|_| {
                        first.lock().expect("lock").get_or_insert(start.elapsed());
                    })
                    .expect("runs");
                    let at = first
                        .lock()
                        .expect("lock")
                        .unwrap_or_else(|| start.elapsed());
                    total += at;
                }
                total
            })
        });
    }
    g.finish();
}

/// How time grows with the horizon, the traffic and the Monte Carlo runs (the README's table; the
/// fleet size is `what-if/sticky-fleet-step`).
fn scaling(c: &mut Criterion) {
    let k = Knowledge::shipped().expect("shipped knowledge");
    let s = scenario(&k, "default.json");
    let never = AtomicBool::new(false);
    let mut g = c.benchmark_group("scaling");
    g.sample_size(10);
    let full = benchmarking();
    for hours in [6.0, 24.0, 168.0] {
        if !full && hours > 6.0 {
            continue;
        }
        let mut v = s.clone();
        v.horizon_s = hours * 3600.0;
        g.bench_function(format!("horizon/{hours}h"), |b| {
            b.iter(|| sim::simulate(&k, black_box(&v)).expect("simulates"))
        });
    }
    for rps in [60.0, 600.0, 6000.0, 60000.0] {
        if !full && rps > 60.0 {
            continue;
        }
        let mut v = s.clone();
        v.traffic.peak_rps = sim::Estimate::Exact(rps);
        v.compute.max = 4000;
        g.bench_function(format!("traffic/{rps}rps"), |b| {
            b.iter(|| sim::simulate(&k, black_box(&v)).expect("simulates"))
        });
    }
    let uncertain = scenario(&k, "uncertain-web-app.json");
    for runs in [10u32, 100, 1000] {
        if !full && runs > 10 {
            continue;
        }
        g.bench_function(format!("monte-carlo/{runs}"), |b| {
            b.iter(|| sim::monte_carlo(&k, &uncertain, runs, &|_| {}, &never).expect("runs"))
        });
    }
    g.finish();
}

criterion_group!(
    benches,
    queue_engines,
    day,
    monte_carlo,
    sweeps,
    what_if,
    first_answers,
    scaling
);

fn main() {
    if benchmarking() {
        accuracy_report();
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
