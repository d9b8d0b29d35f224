//! The Export screen writes the record of the work the user did in the app — the saved scenarios
//! they tick, the chaos test they ran — and `statecraft export --project` writes the same bytes.

use egui_kittest::Harness;
use statecraft::app::StatecraftApp;
use statecraft::domain::project::Project;
use statecraft::domain::sim::Scenario;

use crate::export_support::{shipped, usecase};
use crate::gui_harness::{app, click, temp_dir, wait_until};
use crate::support::{statecraft, stderr};

fn record_ready(h: &mut Harness<'static, StatecraftApp>) {
    wait_until(h, "the record", |h| {
        h.state().screens.export.current_record().is_some()
    });
}

#[test]
fn the_app_exports_the_ticked_scenarios_and_chaos_test_and_the_cli_writes_the_same_bytes() {
    let k = shipped();
    let (mut h, picker) = app();
    h.run();
    {
        let app = h.state_mut();
        app.doc.project.answers = usecase("chaos-monkey-cart-shop", &k);
        let mut launch = Scenario::new("alb-ec2-elasticache-rds", 1200.0);
        launch.name = "Launch week".into();
        app.doc.project.put_scenario("Launch week", launch);
        app.doc.project.put_scenario(
            "Quiet month",
            Scenario::new("alb-ec2-elasticache-rds", 50.0),
        );
        app.screens.export.date = "2026-11-23".into();
    }
    // the chaos test, run on its own screen
    click(&mut h, "Chaos monkey");
    click(&mut h, "Server B");
    assert_eq!(
        h.state()
            .doc
            .project
            .record
            .chaos
            .as_ref()
            .map(|c| c.server.as_str()),
        Some("B"),
        "the kill is remembered for the record"
    );
    click(&mut h, "Export");
    click(&mut h, "Saved “Launch week”");
    assert_eq!(h.state().doc.project.record.scenarios, ["Launch week"]);
    record_ready(&mut h);

    let dir = temp_dir();
    let from_app = dir.path().join("app");
    let from_cli = dir.path().join("cli");
    std::fs::create_dir_all(&from_app).expect("folder");
    std::fs::create_dir_all(&from_cli).expect("folder");
    picker.push_all([from_app.join("decision.md")]);
    click(&mut h, "Save record…");
    let md = std::fs::read_to_string(from_app.join("decision.md")).expect("the app wrote it");
    assert!(md.contains("### Cost and latency: Launch week"), "{md}");
    assert!(
        !md.contains("Quiet month"),
        "an unticked scenario stays out"
    );
    assert!(md.contains("### Chaos Monkey test"), "{md}");
    assert!(md.contains("killing server B lost"), "{md}");

    let project = dir.path().join("shop.statecraft.json");
    h.state().doc.project.save(&project).expect("saves");
    let saved = Project::read(&project, &k).expect("reads back");
    assert_eq!(saved.record, h.state().doc.project.record);
    let out = statecraft(&[
        "export",
        "--project",
        project.to_str().expect("utf-8"),
        "--out",
        from_cli.join("decision.md").to_str().expect("utf-8"),
        "--date",
        "2026-11-23",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for file in [
        "decision.md",
        "decision-cost-vs-traffic.svg",
        "decision-latency-vs-load.svg",
    ] {
        let a = std::fs::read(from_app.join(file)).expect("the app's file");
        let b = std::fs::read(from_cli.join(file)).expect("the command line's file");
        assert!(
            a == b,
            "{file} differs between the app and `export --project`"
        );
    }
}

#[test]
fn with_no_scenario_ticked_the_record_simulates_the_answers() {
    let k = shipped();
    let (mut h, _) = app();
    h.run();
    h.state_mut().doc.project.answers = usecase("rest-api", &k);
    click(&mut h, "Export");
    record_ready(&mut h);
    let record = h.state().screens.export.current_record().expect("built");
    assert_eq!(record.data.simulations.len(), 1);
    let sim = &record.data.simulations[0];
    assert_eq!(sim.scenario, "From the answers");
    assert!(sim.from_answers);
    assert!(!record.assets.is_empty(), "the record has its plots");
    assert_eq!(
        h.state().doc.project.record,
        statecraft::domain::project::RecordSettings::default(),
        "viewing the Export screen changes none of its settings"
    );
}
