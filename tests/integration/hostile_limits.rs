//! Limits that are limits: the largest run a scenario may ask for finishes within seconds, a larger
//! one is refused with the reason, long work shows progress, and Ctrl+C stops it cleanly.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{repo, statecraft, stderr};

/// The uncertain web app with its Monte Carlo set to `runs` × `requests`.
fn monte_carlo_scenario(dir: &std::path::Path, runs: u64, requests: u64) -> String {
    let text = std::fs::read_to_string(repo().join("assets/scenarios/uncertain-web-app.json"))
        .expect("scenario");
    let mut s: serde_json::Value = serde_json::from_str(&text).expect("json");
    s["uncertainty"] = serde_json::json!({"runs": runs, "requests_per_run": requests});
    let path = dir.join(format!("mc-{runs}-{requests}.json"));
    std::fs::write(&path, s.to_string()).expect("write");
    path.display().to_string()
}

#[test]
fn a_monte_carlo_run_past_the_cap_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = monte_carlo_scenario(dir.path(), 100_000, 4_000);
    let out = statecraft(&["simulate", "--scenario", &file, "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("at `uncertainty.runs`: `uncertainty.runs` is 100,000; expected a number from 1 to 2,000 runs (the cap keeps a run within seconds)"),
        "{err}"
    );
    assert!(
        err.contains("100000 runs × 4000 requests is more than the cap of 8,000,000 requests"),
        "{err}"
    );
}

#[test]
fn the_largest_monte_carlo_run_allowed_finishes_within_seconds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = monte_carlo_scenario(dir.path(), 2_000, 4_000);
    let started = Instant::now();
    let out = statecraft(&["simulate", "--scenario", &file, "--format", "json"]);
    let took = started.elapsed();
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["monte_carlo_runs"], 2000, "{}", &stderr(&out));
    // about 2 s on two idle cores in a debug build; the bound leaves room for a busy machine
    assert!(took < Duration::from_secs(30), "took {took:?}");
    if took > Duration::from_secs(2) {
        assert!(
            stderr(&out).contains("of 2,000 runs"),
            "progress is shown for long work: {}",
            stderr(&out)
        );
    }
}

#[test]
#[cfg(unix)]
fn ctrl_c_stops_a_long_simulation_with_nothing_on_stdout() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = monte_carlo_scenario(dir.path(), 2_000, 4_000);
    let child = Command::new(env!("CARGO_BIN_EXE_statecraft"))
        .args(["simulate", "--scenario", &file, "--format", "json"])
        .current_dir(repo())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    std::thread::sleep(Duration::from_millis(300));
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success());
    let out = child.wait_with_output().expect("wait");
    if out.status.code() == Some(0) {
        return; // a very fast machine finished first: nothing to stop
    }
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out)
            .ends_with("error: interrupted (Ctrl+C); no output file was written or changed\n"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_population_past_the_cap_is_refused_with_the_reason() {
    let out = statecraft(&[
        "simulate",
        "--scenario",
        "tests/fixtures/scenarios/population-too-large.json",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("at `population.users`: `population.users` is 100,000; expected a number from 1 to 20,000 users (the cap keeps a run within seconds)"),
        "{err}"
    );
}
