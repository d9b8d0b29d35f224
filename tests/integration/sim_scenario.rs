//! Scenario files: every shipped example runs, and every kind of bad scenario gets the contract's
//! error (file, line and column, the JSON path, what was expected, the fix), exit 2, no panic.

use crate::sim_support::{bad_input, simulate_json};

fn simulate_error(file: &str) -> String {
    bad_input(&[
        "simulate",
        "--scenario",
        &format!("tests/fixtures/scenarios/{file}"),
        "--format",
        "json",
    ])
}

#[test]
fn every_shipped_scenario_simulates() {
    let dir = crate::support::repo().join("assets/scenarios");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("assets/scenarios")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    assert!(names.len() >= 14, "{names:?}");
    for name in names {
        let r = simulate_json(&format!("assets/scenarios/{name}"));
        assert!(
            r["cost"]["monthly_usd"].as_f64().is_some_and(|c| c > 0.0),
            "{name}"
        );
        assert!(
            r["latency"]["p99_ms"].as_f64().is_some_and(|l| l > 0.0),
            "{name}"
        );
        assert_eq!(r["seed"], 42, "{name}");
        assert!(
            !r["timeline"].as_array().expect("timeline").is_empty(),
            "{name}"
        );
        for field in [
            "t_s",
            "rps",
            "instances",
            "p99_ms",
            "errors",
            "sessions_lost",
        ] {
            assert!(r["timeline"][0][field].is_number(), "{name}: {field}");
        }
    }
}

#[test]
fn one_scenario_per_reference_stack() {
    let k = crate::sim_support::knowledge();
    for stack in &k.stacks {
        let path = crate::support::repo().join(format!("assets/scenarios/{}.json", stack.id));
        assert!(path.exists(), "no example scenario for {}", stack.id);
    }
}

#[test]
fn a_scenario_from_a_newer_schema_is_refused() {
    assert_eq!(
        simulate_error("newer-schema.json"),
        "error: tests/fixtures/scenarios/newer-schema.json:2:3: at `schema_version`: this scenario uses schema version 2, newer than this Statecraft reads (version 1)\n  fix: open it with a newer Statecraft, or save it from there as schema version 1\n"
    );
}

#[test]
fn a_scenario_without_a_schema_version_is_refused() {
    let err = simulate_error("no-schema-version.json");
    assert!(err.contains(":1:1: there is no `schema_version`"), "{err}");
}

#[test]
fn an_unknown_stack_is_named_with_a_suggestion() {
    let err = simulate_error("unknown-stack.json");
    assert!(err.starts_with("error: tests/fixtures/scenarios/unknown-stack.json:3:3: at `stack`: there is no stack `apigw-lamda-dynamodb` in the knowledge base (did you mean `apigw-lambda-dynamodb`?)"), "{err}");
    assert!(
        err.contains("fix: use one of: apigw-lambda-dynamodb, "),
        "{err}"
    );
}

#[test]
fn negative_rates_and_nan_are_refused() {
    let err = simulate_error("negative-rate.json");
    assert!(err.contains(":5:5: at `traffic.peak_rps`: `traffic.peak_rps` is -5; expected a number from 0 to 1,000,000 requests/s"), "{err}");
    let err = simulate_error("nan-rate.json");
    assert!(
        err.contains("nan-rate.json:4:27: at `traffic.peak_rps`: this is not valid JSON"),
        "{err}"
    );
    assert!(err.contains("JSON has no NaN"), "{err}");
}

#[test]
fn zero_servers_are_refused() {
    let err = simulate_error("zero-servers.json");
    assert!(
        err.contains(
            "at `compute.max`: `compute.max` is 0: a group of zero servers cannot serve anything"
        ),
        "{err}"
    );
    assert!(
        err.contains("at `compute.min`: `compute.min` is 0"),
        "{err}"
    );
}

#[test]
fn horizons_and_request_counts_beyond_the_caps_are_refused() {
    let err = simulate_error("horizon-too-long.json");
    assert!(err.contains("at `horizon_s`: `horizon_s` is 2,592,000; expected a number above 0 and at most 604,800 s (a week)"), "{err}");
    let err = simulate_error("too-many-requests.json");
    assert!(err.contains("walking every request means about 4,320,000,000 requests, more than the cap of 5,000,000"), "{err}");
    let err = simulate_error("population-too-large.json");
    assert!(err.contains("at `population.users`"), "{err}");
}

#[test]
fn ranges_must_run_from_low_to_high() {
    let err = simulate_error("range-out-of-order.json");
    assert!(
        err.contains(
            "`traffic.peak_rps` has low 100, likely 50, high 200; expected low ≤ likely ≤ high"
        ),
        "{err}"
    );
}

#[test]
fn unknown_fields_events_and_prices_are_named() {
    let err = simulate_error("unknown-field.json");
    assert!(err.contains("unknown field `trafic`"), "{err}");
    let err = simulate_error("unknown-event.json");
    assert!(
        err.contains("unknown variant `unplug-the-datacenter`"),
        "{err}"
    );
    let err = simulate_error("unknown-price.json");
    assert!(
        err.contains("at `compute.instance_price`: there is no EC2 instance price `ec2-x9-huge`"),
        "{err}"
    );
    assert!(err.contains("fix: use one of: ec2-t3-micro, "), "{err}");
}

#[test]
fn chaos_must_fit_the_run_and_the_stack() {
    let err = simulate_error("chaos-outside-run.json");
    assert!(
        err.contains("at `chaos[0].at_s`: the event is at 900 s, outside the run (0 to 600 s)"),
        "{err}"
    );
    let err = simulate_error("failover-without-cache.json");
    assert!(
        err.contains("stack `apigw-lambda-dynamodb` keeps no sessions in a cache"),
        "{err}"
    );
}

#[test]
fn broken_files_are_placed_by_line_and_column() {
    let err = simulate_error("truncated.json");
    assert!(err.contains("the file ends early"), "{err}");
    let err = simulate_error("not-json.json");
    assert!(
        err.contains("not-json.json:1:1: this is not valid JSON"),
        "{err}"
    );
    let err = simulate_error("empty.json");
    assert!(
        err.contains("the file is empty; expected a scenario object"),
        "{err}"
    );
    let err = simulate_error("no-stack.json");
    assert!(
        err.contains("the scenario names no `stack` and has no `answers`"),
        "{err}"
    );
    let err = bad_input(&[
        "simulate",
        "--scenario",
        "tests/fixtures/scenarios/no-such-file.json",
    ]);
    assert!(
        err.contains("cannot read the scenario file: no such file"),
        "{err}"
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let err = simulate_error("many-problems.json");
    for path in [
        "traffic.peak_rps",
        "traffic.request_ms",
        "traffic.session_kb",
        "billing.month_hours",
        "compute.target_utilisation",
    ] {
        assert!(err.contains(&format!("at `{path}`")), "{path}: {err}");
    }
    assert_eq!(err.matches("error: ").count(), 5, "{err}");
}

#[test]
fn a_scenario_can_name_answers_instead_of_a_stack() {
    let k = crate::sim_support::knowledge();
    let text = std::fs::read_to_string(
        crate::support::repo().join("tests/fixtures/usecases/chaos-monkey-cart-shop.json"),
    )
    .expect("use case");
    let usecase: serde_json::Value = serde_json::from_str(&text).expect("json");
    let scenario = serde_json::json!({
        "schema_version": 1,
        "answers": usecase["answers"],
        "traffic": {"peak_rps": 100},
        "sampling": {"requests": 2000}
    });
    let src =
        statecraft::domain::json_source::SourceText::new("answers.json", scenario.to_string());
    let s = statecraft::domain::sim::Scenario::parse(&src, &k).expect("parses");
    let r = statecraft::domain::sim::simulate(&k, &s).expect("simulates");
    assert!(r.stack.advised);
    let expected = std::fs::read_to_string(
        crate::support::repo().join("tests/fixtures/usecase-expectations/expected.json"),
    )
    .expect("expectations");
    let expected: serde_json::Value = serde_json::from_str(&expected).expect("json");
    assert_eq!(
        r.stack.id,
        expected["chaos-monkey-cart-shop"]["expected_stack"]
            .as_str()
            .expect("expected stack")
    );
}

#[test]
fn a_project_holding_a_scenario_from_a_newer_schema_is_refused_at_its_place() {
    use statecraft::domain::json_source::SourceText;
    use statecraft::domain::project::Project;
    let k = crate::sim_support::knowledge();
    let text = r#"{
  "kind": "statecraft-project",
  "schema_version": 1,
  "seed": 42,
  "scenarios": [
    {"name": "Later", "scenario": {"schema_version": 2, "stack": "apigw-lambda-dynamodb", "traffic": {"peak_rps": 10}}}
  ]
}"#;
    let err = Project::parse(
        &SourceText::new("later.statecraft.json", text.to_string()),
        &k,
    )
    .expect_err("a newer scenario is refused")
    .to_string();
    assert!(
        err.contains("later.statecraft.json:6:36: at `scenarios[0].scenario.schema_version`: this scenario uses schema version 2, newer than this Statecraft reads (version 1)"),
        "{err}"
    );
}
