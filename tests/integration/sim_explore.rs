//! Beyond one run: Monte Carlo bands, cost and latency curves, decision regions and the
//! Lambda-versus-instances crossover.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use statecraft::domain::sim::explore::{self, SweepInput};
use statecraft::domain::sim::{self, Estimate};

use crate::sim_support::{knowledge, scenario};

#[test]
fn monte_carlo_gives_ordered_bands_and_the_same_bands_for_the_same_seed() {
    let k = knowledge();
    let mut s = scenario(&k, "assets/scenarios/uncertain-web-app.json");
    s.uncertainty.requests_per_run = 500;
    let never = AtomicBool::new(false);
    let seen = AtomicUsize::new(0);
    let progress = |n: usize| {
        seen.fetch_max(n, Ordering::Relaxed);
    };
    let a = sim::monte_carlo(&k, &s, 24, &progress, &never).expect("runs");
    assert_eq!(a.runs, 24);
    assert_eq!(seen.load(Ordering::Relaxed), 24);
    assert!(
        a.cost.p10 < a.cost.p50 && a.cost.p50 < a.cost.p90,
        "{:?}",
        a.cost
    );
    assert!(a.p99_ms.p10 <= a.p99_ms.p90);
    let b = sim::monte_carlo(&k, &s, 24, &|_| {}, &never).expect("runs");
    assert_eq!(a, b);
}

#[test]
fn monte_carlo_stops_when_cancelled() {
    let k = knowledge();
    let s = scenario(&k, "assets/scenarios/uncertain-web-app.json");
    let cancel = AtomicBool::new(true);
    let r = sim::monte_carlo(&k, &s, 1000, &|_| {}, &cancel).expect("returns");
    assert!(r.cancelled);
    assert_eq!(r.runs, 0);
}

#[test]
fn a_scenario_with_ranges_reports_bands_in_its_bill() {
    let k = knowledge();
    let mut s = scenario(&k, "assets/scenarios/uncertain-web-app.json");
    s.uncertainty.runs = 16;
    s.uncertainty.requests_per_run = 500;
    let r = sim::simulate(&k, &s).expect("simulates");
    assert_eq!(r.monte_carlo_runs, 16);
    assert!(r.cost.bands.p10 < r.cost.bands.p90);
    s.traffic.peak_rps = Estimate::Exact(600.0);
    s.traffic.request_ms = Estimate::Exact(40.0);
    s.traffic.payload_kb = Estimate::Exact(20.0);
    let r = sim::simulate(&k, &s).expect("simulates");
    assert_eq!(r.cost.bands.p10, r.cost.monthly_usd.0);
    assert_eq!(r.cost.bands.p90, r.cost.monthly_usd.0);
}

#[test]
fn lambda_is_cheaper_at_low_traffic_and_instances_at_high_and_the_curves_cross() {
    let k = knowledge();
    let s = scenario(&k, "assets/scenarios/apigw-lambda-dynamodb.json");
    let rates = [1.0, 10.0, 100.0, 1_000.0, 5_000.0];
    let lambda = sim::cost_curve(&k, "apigw-lambda-dynamodb", &s, &rates).expect("curve");
    let ec2 = sim::cost_curve(&k, "alb-ec2-dynamodb-sessions", &s, &rates).expect("curve");
    assert!(lambda.points[0].1 < ec2.points[0].1);
    assert!(lambda.points[4].1 > ec2.points[4].1);
    let cross = explore::crossings(&lambda, &ec2);
    assert_eq!(cross.len(), 1);
    let found = explore::lambda_crossover(&k, &s).expect("a pair of stacks");
    let at = found.peak_rps.expect("they cross");
    assert!(at > 10.0 && at < 5_000.0, "{at}");
    assert_eq!(found.lambda_stack, "apigw-lambda-dynamodb");
    assert_eq!(found.instance_stack, "alb-ec2-dynamodb-sessions");
}

#[test]
fn latency_rises_with_load() {
    let k = knowledge();
    let s = scenario(&k, "assets/scenarios/alb-ec2-elasticache-rds.json");
    let c = sim::latency_curve(&k, "alb-ec2-elasticache-rds", &s, &[50.0, 500.0]).expect("curve");
    assert_eq!(c.points.len(), 2);
    assert!(
        c.points
            .iter()
            .all(|p| p.p99_ms.0 > 40.0 && p.error_share == 0.0)
    );
    assert!(c.points[1].instances > c.points[0].instances);
}

#[test]
fn decision_regions_pick_the_cheapest_stack_that_meets_the_target() {
    let k = knowledge();
    let s = scenario(&k, "assets/scenarios/apigw-lambda-dynamodb.json");
    let stacks = vec![
        "apigw-lambda-dynamodb".to_string(),
        "alb-ec2-dynamodb-sessions".to_string(),
    ];
    let r = explore::decision_regions(
        &k,
        &s,
        &[2.0, 3_000.0],
        SweepInput::SessionKb,
        &[2.0],
        &stacks,
    )
    .expect("regions");
    assert_eq!(r.cells.len(), 2);
    assert_eq!(r.cells[0].best.as_deref(), Some("apigw-lambda-dynamodb"));
    assert_eq!(
        r.cells[1].best.as_deref(),
        Some("alb-ec2-dynamodb-sessions")
    );
    for cell in &r.cells {
        let best = cell
            .candidates
            .iter()
            .find(|c| Some(&c.stack) == cell.best.as_ref())
            .expect("best");
        assert!(
            cell.candidates
                .iter()
                .filter(|c| c.meets_target)
                .all(|c| c.monthly_usd >= best.monthly_usd)
        );
    }
    assert!(r.crossover.as_ref().and_then(|c| c.peak_rps).is_some());
}

#[test]
fn bad_requests_to_the_explorers_are_errors_not_panics() {
    let k = knowledge();
    let s = scenario(&k, "assets/scenarios/default.json");
    assert!(sim::cost_curve(&k, "no-such-stack", &s, &[1.0]).is_err());
    assert!(sim::cost_curve(&k, "apigw-lambda-dynamodb", &s, &[-1.0]).is_err());
    assert!(sim::cost_curve(&k, "apigw-lambda-dynamodb", &s, &[f64::NAN]).is_err());
    assert!(sim::latency_curve(&k, "apigw-lambda-dynamodb", &s, &[f64::INFINITY]).is_err());
    let never = AtomicBool::new(false);
    assert!(sim::monte_carlo(&k, &s, 0, &|_| {}, &never).is_err());
    assert!(explore::decision_regions(&k, &s, &[1.0], SweepInput::RequestMs, &[0.0], &[]).is_err());
}

#[test]
fn a_cost_curve_agrees_with_the_scenarios_own_run_at_its_peak_and_grows_the_group_past_it() {
    let k = knowledge();
    // 600 requests/s at 50 ms on 2-vCPU servers, max 20: the group runs at its max at the peak
    let s = scenario(&k, "assets/scenarios/default.json");
    let stack = s.stack.clone().expect("a stack");
    let own = sim::simulate(&k, &s).expect("simulates").cost.monthly_usd.0;
    let curve = sim::cost_curve(&k, &stack, &s, &[600.0, 6_000.0]).expect("curve");
    let at_peak = curve.points[0].1.0;
    assert!(
        (at_peak - own).abs() / own < 0.001,
        "{at_peak} against {own}"
    );
    // at ten times the traffic the group may be ten times as large, so it costs several times more,
    // not the same 20 servers failing most requests
    assert!(curve.points[1].1.0 > 4.0 * at_peak, "{curve:?}");
}
