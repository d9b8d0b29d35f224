//! Scaling as AWS does it: target tracking with warm-up, Lambda cold starts on a burst, throttles, and
//! one seed giving the same run twice.

use statecraft::domain::sim::scenario::Scenario;
use statecraft::domain::sim::simulate;
use statecraft::domain::sim::traffic::Shape;

use crate::sim_support::{knowledge, scenario, simulate_json};

fn flat(stack: &str, rps: f64) -> Scenario {
    let mut s = Scenario::new(stack, rps);
    s.traffic.shape = Shape::Flat;
    s.traffic.request_ms = 50.0.into();
    s.traffic.request_dist = statecraft::domain::sim::dist::ServiceDist::Det;
    s.horizon_s = 3.0 * 3600.0;
    s.sampling.requests = 3_000;
    s.sampling.timeline_step_s = 60.0;
    s
}

#[test]
fn autoscaling_reaches_its_target_after_warm_up() {
    let k = knowledge();
    // 400 requests/s × 50 ms = 20 vCPUs of work; at a 50% target on 2-vCPU instances: 20 instances
    let mut s = flat("alb-ec2-elasticache-rds", 400.0);
    s.compute.min = 1;
    s.compute.initial = Some(1);
    s.compute.max = 100;
    let r = simulate(&k, &s).expect("simulates");
    let at = |t: f64| r.timeline.iter().find(|p| p.t_s.0 == t).expect("a point");
    // nothing joins before the 300 s warm-up is over
    assert_eq!(at(240.0).instances, 1.0);
    assert!(at(240.0).pending >= 1.0);
    // target tracking doubles the group each warm-up until it holds the target, then stays
    let settled = r
        .timeline
        .iter()
        .position(|p| p.instances == 20.0)
        .expect("reaches 20");
    assert!(
        r.timeline[settled].t_s.0 >= 1200.0,
        "not before several warm-ups"
    );
    assert!(
        r.timeline[settled..]
            .iter()
            .all(|p| p.instances == 20.0 && p.pending == 0.0)
    );
    // before it got there the overloaded servers timed requests out
    assert!(r.failures.timeouts > 0.0);
    assert_eq!(r.peak_instances, 20.0);
}

#[test]
fn a_group_started_where_target_tracking_settles_stays_there() {
    let k = knowledge();
    let mut s = flat("alb-ec2-elasticache-rds", 400.0);
    s.compute.max = 100;
    let r = simulate(&k, &s).expect("simulates");
    assert!(r.timeline.iter().all(|p| p.instances == 20.0));
    assert_eq!(r.requests_failed, 0);
}

#[test]
fn cold_starts_appear_on_a_burst() {
    let r = simulate_json("assets/scenarios/flash-sale-lambda.json");
    let timeline = r["timeline"].as_array().expect("timeline");
    let at = |t: f64| timeline.iter().find(|p| p["t_s"] == t).expect("a point");
    let cold = |t: f64| at(t)["cold_starts"].as_f64().expect("a count");
    // the flash sale starts at noon: over a hundred environments are created for it, where the
    // slow climb of the hour before needed one now and then
    assert!(cold(43_200.0) > 100.0, "{}", at(43_200.0));
    assert!(cold(39_600.0) <= 2.0, "{}", at(39_600.0));
    assert!(at(43_200.0)["instances"].as_f64() > at(42_900.0)["instances"].as_f64());
}

#[test]
fn lambda_throttles_past_its_concurrency_limit() {
    let k = knowledge();
    let mut s = flat("apigw-lambda-dynamodb", 5_000.0);
    // 5,000 requests/s × ~60 ms ≈ 300 concurrent; a limit of 100 throttles two thirds
    s.compute.lambda_concurrency = Some(100);
    s.horizon_s = 3600.0;
    let r = simulate(&k, &s).expect("simulates");
    let share = r.failures.lambda_throttled / r.requests_total as f64;
    assert!(share > 0.5 && share < 0.8, "{share}");
}

#[test]
fn api_gateway_throttles_above_its_account_rate() {
    let k = knowledge();
    let mut s = flat("apigw-lambda-dynamodb", 12_000.0);
    s.horizon_s = 600.0;
    s.compute.lambda_concurrency = Some(100_000);
    s.traffic.state_reads = 0.0;
    s.traffic.state_writes = 0.0;
    s.traffic.db_queries = 0.0;
    let r = simulate(&k, &s).expect("simulates");
    // 12,000 arrive, 10,000 pass each second (plus the 5,000 burst once)
    let expected = 2_000.0 * 600.0 - 5_000.0;
    assert!(
        (r.failures.front_throttled - expected).abs() / expected < 0.01,
        "{}",
        r.failures.front_throttled
    );
}

#[test]
fn dynamodb_throttles_when_traffic_jumps_past_double_its_usual_peak() {
    let r = simulate_json("assets/scenarios/flash-sale-lambda.json");
    assert!(r["failures"]["store_throttled"].as_f64().expect("a count") > 0.0);
    let k = knowledge();
    let mut s = scenario(&k, "assets/scenarios/flash-sale-lambda.json");
    s.traffic.shape = Shape::BusinessHours;
    let calm = simulate(&k, &s).expect("simulates");
    assert_eq!(calm.failures.store_throttled, 0.0);
}

#[test]
fn sticky_sessions_are_lost_when_scaling_in() {
    let r = simulate_json("assets/scenarios/alb-sticky-ec2-memory.json");
    let lost = r["sessions_lost_to_scale_in"].as_f64().expect("a count");
    assert!(lost > 0.0);
    let shared = simulate_json("assets/scenarios/alb-ec2-elasticache-rds.json");
    assert_eq!(shared["sessions_lost"], 0);
}

#[test]
fn the_same_seed_gives_identical_output_twice() {
    for file in [
        "assets/scenarios/default.json",
        "assets/scenarios/chaos-monkey-stateful.json",
        "assets/scenarios/flash-sale-lambda.json",
    ] {
        let a = crate::support::statecraft(&["simulate", "--scenario", file, "--format", "json"]);
        let b = crate::support::statecraft(&["simulate", "--scenario", file, "--format", "json"]);
        assert_eq!(a.stdout, b.stdout, "{file}");
        assert!(!a.stdout.is_empty());
    }
    let k = knowledge();
    let mut s = scenario(&k, "assets/scenarios/default.json");
    let one = simulate(&k, &s).expect("simulates");
    s.seed += 1;
    let other = simulate(&k, &s).expect("simulates");
    assert_eq!(one.seed, 42);
    assert_ne!(one.latency.p99_ms, other.latency.p99_ms);
    // the bill does not depend on which requests were sampled
    assert_eq!(one.cost.monthly_usd, other.cost.monthly_usd);
}
