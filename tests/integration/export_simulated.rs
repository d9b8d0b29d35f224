//! A record with simulated scenarios: the cost table traces every line to a dated price in the
//! knowledge base, the confirmation quotes the simulated figures, and the scenarios and seed travel
//! in the front matter so that opening the record gives them back (and an edit to them is named).

use statecraft::domain::decision;
use statecraft::domain::export::{self, Style};
use statecraft::domain::sim::Scenario;

use crate::export_support::{options, shipped, source, usecase, with_scenarios};
use crate::support::{statecraft, stderr};

fn launch() -> Scenario {
    let mut s = Scenario::new("alb-ec2-elasticache-rds", 600.0);
    s.name = "Launch week".into();
    s.seed = 7;
    s
}

fn record() -> export::Record {
    let k = shipped();
    let answers = usecase("chaos-monkey-cart-shop", &k);
    decision::record(
        &k,
        &answers,
        &with_scenarios(vec![launch()]),
        &options(Style::Madr, "0001-use-hybrid-stack"),
    )
    .expect("record")
}

#[test]
fn the_cost_table_cites_a_dated_price_from_the_knowledge_base_on_every_line() {
    let k = shipped();
    let record = record();
    let sim = &record.data.simulations[0];
    assert_eq!(sim.scenario, "Launch week");
    assert_eq!(sim.seed, 7);
    assert!(sim.chosen_stack);
    assert!(!sim.cost_rows.is_empty());
    for row in &sim.cost_rows {
        let price = k
            .price(&row.price_id)
            .unwrap_or_else(|| panic!("`{}` is not a price in the knowledge base", row.price_id));
        assert_eq!(Some(&row.price_source), price.source.as_ref());
        assert_eq!(Some(&row.price_as_of), price.as_of.as_ref());
        assert!(row.formula.contains(" = $"), "{}", row.formula);
        assert!(
            record.markdown.contains(&format!(
                "`{}` <https://{}>",
                row.price_id, row.price_source
            )),
            "{} is cited with its page",
            row.price_id
        );
    }
    assert!(
        record
            .markdown
            .contains("\n### Cost and latency: Launch week\n\nSimulated ALB + EC2 Auto Scaling + ElastiCache sessions + RDS with seed 7: ")
    );
    assert!(
        record
            .markdown
            .contains("| Service | Charge | Per month | Formula | Price | Price as of |\n")
    );
}

#[test]
fn the_confirmation_quotes_the_simulated_latency_and_cost() {
    let record = record();
    let sim = &record.data.simulations[0];
    let checks: Vec<&str> = record
        .data
        .confirmation
        .checks
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    assert!(
        checks[0].ends_with(&format!(
            "the simulation of “Launch week” predicts {} ({}).",
            sim.p99,
            if sim.meets_target {
                "within the team's target"
            } else {
                "over the team's target: look at the plots before relying on it"
            }
        )),
        "{}",
        checks[0]
    );
    assert!(
        checks[1].starts_with(&format!(
            "Cost: the monthly bill for the stack's services is close to the simulated {};",
            sim.monthly_usd
        )),
        "{}",
        checks[1]
    );
}

#[test]
fn the_scenarios_and_seed_come_back_when_the_record_is_opened() {
    let k = shipped();
    let record = record();
    assert_eq!(record.provenance.seed, Some(7));
    let back = export::import(&source("r.md", &record.markdown), &k).expect("imports");
    assert_eq!(back.scenarios, [launch()]);
    assert_eq!(back.provenance.seed, Some(7));
}

#[test]
fn an_edited_scenario_or_seed_is_named() {
    let k = shipped();
    let record = record();
    let tampered = record
        .markdown
        .replacen("\n  \"seed\": 7,\n", "\n  \"seed\": 8,\n", 1);
    assert!(tampered != record.markdown, "the record holds the seed 7");
    let err = export::import(&source("r.md", &tampered), &k).expect_err("refused");
    let messages: Vec<&str> = err.iter().map(|d| d.message.as_str()).collect();
    assert!(
        messages.iter().any(|m| m.contains("the seed was changed")),
        "{err}"
    );
    let tampered =
        record
            .markdown
            .replacen("\"name\": \"Launch week\"", "\"name\": \"Launch month\"", 1);
    let err = export::import(&source("r.md", &tampered), &k).expect_err("refused");
    assert!(err.to_string().contains("scenario 1 was changed"), "{err}");
    assert_eq!(err.0[0].path.as_deref(), Some("scenarios[0]"));
}

#[test]
fn export_takes_scenario_files_and_a_record_exports_again_with_its_scenarios() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = dir.path().join("launch.json");
    std::fs::write(&scenario, launch().to_json()).expect("write");
    let first = dir.path().join("0001-use-hybrid-stack.md");
    let o = statecraft(&[
        "export",
        "--answers",
        "tests/fixtures/usecases/chaos-monkey-cart-shop.json",
        "--scenario",
        scenario.to_str().expect("utf-8"),
        "--out",
        first.to_str().expect("utf-8"),
        "--date",
        "2026-11-23",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let again_dir = dir.path().join("again");
    std::fs::create_dir(&again_dir).expect("mkdir");
    let again = again_dir.join("0001-use-hybrid-stack.md");
    let o = statecraft(&[
        "export",
        "--answers",
        first.to_str().expect("utf-8"),
        "--out",
        again.to_str().expect("utf-8"),
        "--date",
        "2026-11-23",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(&first).expect("read"),
        std::fs::read_to_string(&again).expect("read")
    );
}

#[test]
fn a_broken_scenario_file_is_reported_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = dir.path().join("broken.json");
    std::fs::write(
        &scenario,
        "{\"schema_version\": 1, \"traffic\": {\"peak_rps\": -5}",
    )
    .expect("write");
    let out = dir.path().join("0001.md");
    let o = statecraft(&[
        "export",
        "--answers",
        "tests/fixtures/usecases/chaos-monkey-cart-shop.json",
        "--scenario",
        scenario.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with(&format!("error: {}:", scenario.display())),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
}

#[test]
fn the_plots_are_svg_files_beside_the_record_linked_from_it_and_embedded_in_the_html() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = dir.path().join("launch.json");
    std::fs::write(&scenario, launch().to_json()).expect("write");
    let out = dir.path().join("0004-use-hybrid-stack.md");
    let html = dir.path().join("0004-use-hybrid-stack.html");
    let o = statecraft(&[
        "export",
        "--answers",
        "tests/fixtures/usecases/chaos-monkey-cart-shop.json",
        "--scenario",
        scenario.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
        "--html",
        html.to_str().expect("utf-8"),
        "--date",
        "2026-11-23",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = std::fs::read_to_string(&out).expect("read");
    for (kind, title) in [
        ("cost-vs-traffic", "Cost versus traffic — Launch week"),
        (
            "latency-vs-load",
            "Latency versus load — ALB + EC2 Auto Scaling + ElastiCache sessions + RDS, Launch week",
        ),
    ] {
        let file = format!("0004-use-hybrid-stack-{kind}.svg");
        let svg = std::fs::read_to_string(dir.path().join(&file)).expect("the plot is written");
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains(&format!("<title>{title}</title>")));
        assert!(
            md.contains(&format!("![{title}](<{file}>)")),
            "{file} is linked"
        );
    }
    let html = std::fs::read_to_string(&html).expect("read");
    assert_eq!(html.matches("src=\"data:image/svg+xml;base64,").count(), 2);
    assert!(!html.contains("src=\"0004-use-hybrid-stack-"));
    assert!(
        html.contains("<figure class=\"diagram\">\n<svg"),
        "the stack is drawn inline"
    );
}

#[test]
fn a_record_renamed_takes_its_plots_along() {
    let record = record();
    assert_eq!(record.assets.len(), 2);
    let renamed = record.with_stem("0009-use-hybrid-stack").expect("renders");
    let names: Vec<&str> = renamed
        .assets
        .iter()
        .map(|a| a.file_name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "0009-use-hybrid-stack-cost-vs-traffic.svg",
            "0009-use-hybrid-stack-latency-vs-load.svg"
        ]
    );
    assert!(
        renamed
            .markdown
            .contains("](<0009-use-hybrid-stack-cost-vs-traffic.svg>)")
    );
    assert!(!renamed.markdown.contains("0001-use-hybrid-stack"));
    assert_eq!(renamed.assets[0].svg, record.assets[0].svg);
}

#[test]
fn where_cost_curves_cross_becomes_a_tripwire() {
    let k = shipped();
    let answers = usecase("rest-api", &k);
    let mut api = Scenario::new("apigw-lambda-dynamodb", 800.0);
    api.name = "Public API".into();
    let record = decision::record(
        &k,
        &answers,
        &with_scenarios(vec![api]),
        &options(Style::Madr, "0001-use-stateless-stack"),
    )
    .expect("record");
    assert_eq!(
        record.data.chosen.stack_id,
        "stateless+front=apigw-http+compute=lambda+database=dynamodb+auth=cognito"
    );
    let simulated: Vec<&str> = record
        .data
        .tripwires
        .iter()
        .map(|t| t.text.as_str())
        .filter(|t| t.contains("scenario “Public API”"))
        .collect();
    assert!(
        simulated.iter().any(
            |t| t.contains("the instance stack ALB + EC2 + DynamoDB + Cognito")
                && t.contains(
                    "than the Lambda stack API Gateway HTTP + Lambda + DynamoDB + Cognito"
                )
        ),
        "{simulated:#?}"
    );
    for t in &simulated {
        assert!(
            record.markdown.contains(&format!("* {t}\n")),
            "the tripwire is listed: {t}"
        );
    }
    // The crossing is marked on the cost plot.
    let cost = &record.assets[0];
    assert_eq!(cost.kind, "cost-vs-traffic");
    assert!(cost.svg.contains("req/s</text>"));
}

#[test]
fn a_simulated_record_is_the_same_bytes_every_time() {
    let (a, b) = (record(), record());
    assert_eq!(a.markdown, b.markdown);
    assert_eq!(a.assets, b.assets);
    assert_eq!(a.to_html(), b.to_html());
}

#[test]
fn a_numbered_record_names_its_plots_after_itself() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = dir.path().join("launch.json");
    std::fs::write(&scenario, launch().to_json()).expect("write");
    let decisions = dir.path().join("decisions");
    std::fs::create_dir(&decisions).expect("mkdir");
    std::fs::write(decisions.join("0002-use-postgres.md"), "# by hand\n").expect("write");
    let o = statecraft(&[
        "export",
        "--answers",
        "tests/fixtures/usecases/chaos-monkey-cart-shop.json",
        "--scenario",
        scenario.to_str().expect("utf-8"),
        "--decisions-dir",
        decisions.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = std::fs::read_to_string(decisions.join("0003-use-hybrid-stack.md")).expect("read");
    assert!(md.contains("](<0003-use-hybrid-stack-cost-vs-traffic.svg>)"));
    assert!(
        decisions
            .join("0003-use-hybrid-stack-cost-vs-traffic.svg")
            .exists()
    );
    assert!(
        decisions
            .join("0003-use-hybrid-stack-latency-vs-load.svg")
            .exists()
    );
}
