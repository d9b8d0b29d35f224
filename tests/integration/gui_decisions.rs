//! The Decision log screen: review a folder, open a record back into the app, supersede it.

use statecraft::ui::ScreenId;

use crate::gui_harness::{app, click, shows, shows_text, wait_until};
use crate::support::{fixtures, statecraft, stderr};

fn export_into(dir: &std::path::Path, usecase: &str) {
    let answers = fixtures().join("usecases").join(format!("{usecase}.json"));
    let o = statecraft(&[
        "export",
        "--answers",
        answers.to_str().expect("utf-8"),
        "--decisions-dir",
        dir.to_str().expect("utf-8"),
        "--chaos",
        "B",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn the_log_reviews_a_folder_opens_a_record_and_supersedes_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    export_into(dir.path(), "chaos-monkey-cart-shop");
    let (mut h, _) = app();
    h.run();
    click(&mut h, "Decision log");
    h.state_mut().screens.decisions.folder = dir.path().display().to_string();
    click(&mut h, "Review");
    wait_until(&mut h, "the review", |h| {
        h.state().screens.decisions.report.is_some()
    });
    assert!(
        shows_text(&h, "1 record: 1 hold"),
        "the summary says it holds"
    );
    assert!(shows_text(&h, "Use a hybrid stack"));

    click(&mut h, "Open 0001-use-hybrid-stack.md");
    assert_eq!(h.state().screen, ScreenId::Recommendation);
    let project = &h.state().doc.project;
    assert_eq!(
        project.answers.get("workload"),
        Some(&statecraft::domain::knowledge::AnswerValue::Choice(
            "web-app".into()
        )),
        "the record's answers are back"
    );
    assert_eq!(
        project.record.chaos.as_ref().map(|c| c.server.as_str()),
        Some("B"),
        "and the chaos test it carried"
    );
    assert!(
        h.state().doc.path.is_none(),
        "a new project: saving asks where"
    );

    click(&mut h, "Decision log");
    click(&mut h, "Supersede 0001-use-hybrid-stack.md");
    assert_eq!(h.state().screen, ScreenId::Export);
    wait_until(&mut h, "the record", |h| {
        h.state().screens.export.current_record().is_some()
    });
    click(&mut h, &format!("Write into {}", dir.path().display()));
    let old = std::fs::read_to_string(dir.path().join("0001-use-hybrid-stack.md")).expect("old");
    assert!(old.contains("status: \"superseded by ADR-0002\""), "{old}");
    let new = std::fs::read_to_string(dir.path().join("0002-use-hybrid-stack.md")).expect("new");
    assert!(new.contains("Supersedes [ADR-0001](<0001-use-hybrid-stack.md>)."));
    h.run_ok();
    assert!(
        h.state().doc.project.record.supersedes.is_none(),
        "written: the next record supersedes nothing unless asked again"
    );
    assert!(!shows(&h, "Don't supersede"), "the supersede row is gone");
    wait_until(&mut h, "the new review", |h| {
        h.state()
            .screens
            .decisions
            .report
            .as_ref()
            .is_some_and(|r| r.as_ref().is_ok_and(|r| r.records.len() == 2))
    });
    let report = h
        .state()
        .screens
        .decisions
        .report
        .clone()
        .expect("report")
        .expect("ok");
    let verdicts: Vec<&str> = report.records.iter().map(|r| r.verdict.as_str()).collect();
    assert_eq!(verdicts, ["skipped", "holds"]);
}

#[test]
fn the_log_holds_a_fresh_ireland_record_and_shows_its_stale_prices_as_notes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut answers: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("usecases/chaos-monkey-cart-shop.json"))
            .expect("answers"),
    )
    .expect("json");
    answers["answers"]["data-residency"] = serde_json::json!("eu-west-1");
    let file = dir.path().join("answers.json");
    std::fs::write(&file, answers.to_string()).expect("write");
    let decisions = dir.path().join("decisions");
    // exported today, reviewed today: the same review code as `statecraft review`
    let o = statecraft(&[
        "export",
        "--answers",
        file.to_str().expect("utf-8"),
        "--decisions-dir",
        decisions.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (mut h, _) = app();
    h.run();
    click(&mut h, "Decision log");
    h.state_mut().screens.decisions.folder = decisions.display().to_string();
    click(&mut h, "Review");
    wait_until(&mut h, "the review", |h| {
        h.state().screens.decisions.report.is_some()
    });
    assert!(
        shows_text(&h, "1 record: 1 hold"),
        "a record of today holds, whatever its prices' age"
    );
    // Ireland's RDS figures are of August 2024: a note under the record, not drift
    assert!(shows_text(
        &h,
        "Note: the price `rds-t4g-medium` is dated 2024-08 ("
    ));
    assert!(!shows_text(&h, "now null"));
}

#[test]
fn the_log_sets_a_record_beside_the_real_bill_and_saves_the_calibrated_scenario() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = "assets/scenarios/apigw-lambda-dynamodb.json";
    let answers = fixtures().join("usecases/serverless.json");
    let o = statecraft(&[
        "export",
        "--answers",
        answers.to_str().expect("utf-8"),
        "--scenario",
        scenario,
        "--decisions-dir",
        dir.path().to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = statecraft(&[
        "simulate",
        "--scenario",
        scenario,
        "--format",
        "focus",
        "--month",
        "2026-11",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let bills = tempfile::tempdir().expect("temp dir");
    let bill = bills.path().join("bill.csv");
    std::fs::write(&bill, &o.stdout).expect("bill");

    let (mut h, _) = app();
    h.run();
    click(&mut h, "Decision log");
    h.state_mut().screens.decisions.folder = dir.path().display().to_string();
    h.state_mut().screens.decisions.observed = bill.display().to_string();
    click(&mut h, "Review");
    wait_until(&mut h, "the review against the bill", |h| {
        h.state().screens.decisions.report.is_some()
    });
    assert!(
        shows_text(&h, "Against the bill: 5 services, 0 outside their band"),
        "each service beside its band"
    );
    assert!(shows_text(
        &h,
        "Implied by the bill: a peak of 300 requests/s"
    ));
    click(&mut h, "Save calibrated scenario");
    let saved: Vec<String> = h
        .state()
        .doc
        .project
        .scenarios
        .iter()
        .map(|s| s.name.clone())
        .collect();
    assert!(
        saved
            .iter()
            .any(|n| n.contains("calibrated to the bill of 2026-11-01 to 2026-12-01")),
        "{saved:?}"
    );
}
