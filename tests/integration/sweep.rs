//! `statecraft sweep` runs the very requests the Simulator screen's plots send to the worker.

use std::sync::atomic::AtomicBool;

use serde_json::Value;
use statecraft::domain::knowledge::Knowledge;
use statecraft::domain::sim::Scenario;
use statecraft::worker::{self, Output, sweeps};

use crate::support::{repo, statecraft, stderr, stdout};

fn sweep(args: &[&str]) -> String {
    let mut all = vec!["sweep", "--scenario", "assets/scenarios/default.json"];
    all.extend_from_slice(args);
    let o = statecraft(&all);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o)
}

#[test]
fn the_cost_curves_are_the_simulator_screens_own() {
    let json: Value = serde_json::from_str(&sweep(&["--what", "cost-curves"])).expect("json");
    assert_eq!(json["what"], "cost-curves");
    assert!(json["elapsed_ms"].as_f64().is_some_and(|ms| ms > 0.0));
    let k = Knowledge::shipped().expect("knowledge");
    let s = Scenario::read(&repo().join("assets/scenarios/default.json"), &k).expect("scenario");
    let Ok(Output::CostCurves(curves)) = worker::execute(
        &k,
        sweeps::cost_curves(&k, &s),
        &AtomicBool::new(false),
        &|_, _| {},
    ) else {
        panic!("the screen's request runs");
    };
    assert_eq!(json["data"], serde_json::to_value(&curves).expect("json"));
    assert_eq!(json["data"][0]["stack"], s.stack.clone().expect("a stack"));
    // the default scenario's stack is one of the four compared, so four curves
    assert_eq!(curves.len(), 4);
}

#[test]
fn csv_is_one_row_per_point_with_a_header() {
    let csv = sweep(&["--what", "latency-curve", "--format", "csv"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "steady_rps,p50_ms,p99_ms,error_share,instances");
    assert_eq!(lines.len(), 1 + 13, "thirteen steady loads");
    assert!(lines[1].starts_with("1,"), "{}", lines[1]);
}

#[test]
fn a_monte_carlo_sweep_of_no_runs_is_a_clear_error() {
    let o = statecraft(&[
        "sweep",
        "--scenario",
        "assets/scenarios/default.json",
        "--what",
        "monte-carlo",
        "--runs",
        "0",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o)
            .starts_with("error: assets/scenarios/default.json: the monte-carlo sweep cannot run"),
        "{}",
        stderr(&o)
    );
}
