//! Helpers for the simulator's tests: run `simulate` / `queue` through the real binary and read the JSON.

use serde_json::Value;
use statecraft::domain::knowledge::Knowledge;
use statecraft::domain::sim::Scenario;

use crate::support::{repo, statecraft, stderr, stdout};

/// `statecraft simulate --scenario FILE --format json`, which must succeed.
pub fn simulate_json(file: &str) -> Value {
    let out = statecraft(&["simulate", "--scenario", file, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{file}: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("simulate prints JSON")
}

/// `statecraft queue ARGS --format json`, which must succeed.
pub fn queue_json(args: &[&str]) -> Value {
    let mut all = vec!["queue"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let out = statecraft(&all);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("queue prints JSON")
}

/// Runs the binary expecting bad input: exit 2, nothing on stdout, no panic; returns stderr.
pub fn bad_input(args: &[&str]) -> String {
    let out = statecraft(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "nothing on stdout on failure");
    assert!(err.starts_with("error: "), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

pub fn knowledge() -> Knowledge {
    Knowledge::shipped().expect("the shipped knowledge loads")
}

pub fn scenario(k: &Knowledge, path: &str) -> Scenario {
    Scenario::read(&repo().join(path), k).expect("the scenario reads")
}

pub fn num(v: &Value, path: &str) -> f64 {
    let mut node = v;
    for key in path.split('.') {
        node = match key.parse::<usize>() {
            Ok(i) => &node[i],
            Err(_) => &node[key],
        };
    }
    node.as_f64()
        .unwrap_or_else(|| panic!("`{path}` is a number in {v}"))
}

/// The cost line for `service` whose item is `item`.
pub fn line<'a>(report: &'a Value, service: &str, item: &str) -> &'a Value {
    report["cost"]["by_service"]
        .as_array()
        .expect("by_service is a list")
        .iter()
        .find(|l| l["service"] == service && l["item"] == item)
        .unwrap_or_else(|| panic!("no `{service}` line `{item}` in {}", report["cost"]))
}

/// The answers of a product as its founder gives them: its workload, its peak and its daily shape
/// (`steady`, `daily-cycle`, `spiky`); the rest unanswered.
pub fn product_answers(
    workload: &str,
    rps: f64,
    shape: &str,
) -> statecraft::domain::answers::Answers {
    use statecraft::domain::knowledge::AnswerValue;
    let mut a = statecraft::domain::answers::Answers::default();
    a.set("workload", AnswerValue::Choice(workload.into()));
    a.set("peak-rps", AnswerValue::Number(rps));
    a.set("burstiness", AnswerValue::Choice(shape.into()));
    a
}

/// Each stack answers before the next on both mean and p99 (`runs`: each stack's (mean, p99) in ms).
pub fn assert_answer_in_order(stacks: &[&str], runs: &[(f64, f64)]) {
    for (pair, names) in runs.windows(2).zip(stacks.windows(2)) {
        assert!(
            pair[0].0 < pair[1].0 && pair[0].1 < pair[1].1,
            "{} (mean {:.3} ms, p99 {:.3} ms) should answer before {} (mean {:.3} ms, p99 {:.3} ms)",
            names[0],
            pair[0].0,
            pair[0].1,
            names[1],
            pair[1].0,
            pair[1].1
        );
    }
}
