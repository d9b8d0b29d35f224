//! One project, one set of numbers: the Simulator screen, the Compare screen and the decision record
//! show the same monthly cost and p99 for the same project, found by widget label as a user reads
//! them; and the Simulator opens on the domain's working scenario, unanswered questions at their
//! defaults, as the record does.

use egui_kittest::kittest::Queryable;
use statecraft::domain::decision;
use statecraft::domain::knowledge::{AnswerValue, Knowledge};
use statecraft::ui::Command;
use statecraft::ui::simulator::SimulatorUi;

use crate::gui_harness::{app, click, shows, wait_for_simulation, wait_until};

#[test]
fn the_simulator_compare_screen_and_record_show_the_same_cost_and_p99_for_one_project() {
    let k = Knowledge::shipped().expect("shipped knowledge");
    let (mut h, _) = app();
    h.run();
    // a web app; its traffic questions left unanswered
    h.state_mut().command(Command::SetAnswer {
        question: "workload".into(),
        value: Some(AnswerValue::Choice("web-app".into())),
    });
    h.run_ok();
    click(&mut h, "Simulator");
    wait_for_simulation(&mut h);
    let project = h.state().doc.project.clone();
    assert!(project.answers.get("peak-rps").is_none());
    // the scenario the Simulator runs is the domain's working scenario for these answers
    let advice = h.state_mut().advice().map(|(a, _)| a.clone());
    let shown = SimulatorUi::effective(&k, &project, advice.as_ref());
    let working = decision::working_scenario(&k, &project.answers, project.seed);
    assert_eq!(shown, working);
    let report = h
        .state()
        .screens
        .simulator
        .report
        .value
        .clone()
        .expect("the Simulator's report");
    assert_eq!(
        report.scenario, working.name,
        "the report is of the working scenario"
    );

    // saved, the scenario is ticked for the record: the first record carries it
    h.get_by_label("Name").focus();
    h.run_ok();
    h.get_by_label("Name").type_text("Launch");
    h.run_ok();
    click(&mut h, "Save scenario");
    let project = h.state().doc.project.clone();
    assert_eq!(project.record.scenarios, ["Launch"]);

    let record =
        decision::project_record(&k, &project, "2026-11-23", None).expect("the project's record");
    let launch = record
        .data
        .simulations
        .iter()
        .find(|s| s.scenario == "Launch")
        .expect("the record simulates the saved scenario");
    let (cost, p99) = (launch.monthly_usd.clone(), launch.p99.clone());
    assert!(
        cost.starts_with('$') && p99.ends_with(" ms"),
        "{cost} {p99}"
    );
    assert!(
        record.markdown.contains(&cost) && record.markdown.contains(&p99),
        "the record's text carries {cost} and {p99}"
    );

    // the Simulator screen, by label
    assert!(shows(&h, &cost), "the Simulator shows {cost}");
    assert!(shows(&h, &p99), "the Simulator shows {p99}");

    // the Compare screen, by label
    click(&mut h, "Compare");
    wait_until(&mut h, "the Compare screen's report", |h| {
        h.state().screens.compare.report("Launch").is_some()
    });
    assert!(shows(&h, &cost), "the Compare screen shows {cost}");
    assert!(shows(&h, &p99), "the Compare screen shows {p99}");
}

#[test]
fn the_export_screen_says_how_many_questions_are_left_at_their_defaults() {
    let k = Knowledge::shipped().expect("shipped knowledge");
    let (mut h, _) = app();
    h.run();
    h.state_mut().command(Command::SetAnswer {
        question: "workload".into(),
        value: Some(AnswerValue::Choice("web-app".into())),
    });
    h.run_ok();
    let project = h.state().doc.project.clone();
    let defaults = decision::shown_defaults(&k, &project.answers).len();
    click(&mut h, "Export");
    let record =
        decision::project_record(&k, &project, "2026-11-23", None).expect("the project's record");
    let said = format!(
        "{defaults} of the {} questions in the record are left at the wizard's defaults: the record lists them as defaults, not as the team's answers.",
        record.data.answers.len()
    );
    assert!(shows(&h, &said), "the Export screen says: {said}");
    assert_eq!(
        record.data.answers.iter().filter(|a| a.default).count(),
        defaults
    );
}
