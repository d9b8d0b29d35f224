//! Simulator speed, against the figures:
//! - the queue engine, M/M/8 at rho = 0.9: at least 5 million requests per second on one core
//!   (the specialised engine; the general event-heap engine is measured beside it);
//! - the default 24-hour scenario (`assets/scenarios/default.json`): under 50 ms;
//! - 1,000 Monte Carlo runs (`assets/scenarios/uncertain-web-app.json`): under 2 s;
//! - the simulator screen's sweeps on the default scenario, as the GUI asks for them: cost against
//!   traffic for every stack (16 rates), latency against load (13 rates) and the decision map
//!   (11 rates × 6 session sizes × every candidate stack).
//!
//! `cargo bench --bench sim` also prints the large-N accuracy check against erlang-c.md (10 million
//! requests per row) before the timings. Under `cargo test` each benchmark runs once on a small size.

use std::hint::black_box;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group};
use statecraft::domain::knowledge::Knowledge;
use statecraft::domain::sim::queue::{self, QueueParams};
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

criterion_group!(benches, queue_engines, day, monte_carlo, sweeps);

fn main() {
    if benchmarking() {
        accuracy_report();
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
