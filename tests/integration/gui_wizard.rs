//! The wizard and the recommendation, driven by label as a user would: click through every question,
//! see the recommendation, apply a tipping point.

use egui_kittest::kittest::{NodeT, Queryable};
use statecraft::domain::knowledge::AnswerValue;
use statecraft::ui::ScreenId;

use crate::gui_harness::{app, click, shows, shows_text};

#[test]
fn answering_the_whole_wizard_by_clicking_shows_the_recommendation() {
    let (mut h, _) = app();
    h.run();
    assert!(shows(&h, "Decision wizard"));
    click(&mut h, "Real-time multiplayer game server");
    click(&mut h, "Next");
    // sub-millisecond session access: yes
    click(&mut h, "Yes");
    let mut steps = 0;
    while !shows(&h, "See recommendation") {
        click(&mut h, "Next");
        steps += 1;
        assert!(steps < 40, "the wizard never reached its end");
    }
    click(&mut h, "See recommendation");
    assert_eq!(h.state().screen, ScreenId::Recommendation);
    assert!(
        shows(&h, "Go Stateful"),
        "a real-time game with sub-ms sessions goes stateful"
    );
    assert!(shows_text(&h, "Why: the rules that fired"));
    let answers = &h.state().doc.project.answers;
    assert_eq!(
        answers.get("workload"),
        Some(&AnswerValue::Choice("realtime-game".into()))
    );
    assert_eq!(
        answers.get("sub-ms-session"),
        Some(&AnswerValue::Bool(true))
    );
}

#[test]
fn going_back_keeps_the_answers() {
    let (mut h, _) = app();
    h.run();
    click(&mut h, "REST / HTTP API");
    click(&mut h, "Next");
    assert!(shows_text(&h, "Question 2 of"));
    click(&mut h, "Back");
    assert!(shows_text(&h, "Question 1 of"));
    let rest = h.get_by_label("REST / HTTP API");
    assert_eq!(
        rest.accesskit_node().data().toggled(),
        Some(egui::accesskit::Toggled::True),
        "the answer given before is still chosen"
    );
}

#[test]
fn enter_goes_to_the_next_question_and_arrows_choose_options() {
    let (mut h, _) = app();
    h.run();
    // the default is "Web app with user logins"; one step down is "A set of microservices"
    h.key_press(egui::Key::ArrowDown);
    h.run();
    assert_eq!(
        h.state().doc.project.answers.get("workload"),
        Some(&AnswerValue::Choice("microservices".into()))
    );
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(shows_text(&h, "Question 2 of"));
}

#[test]
fn applying_a_tipping_point_shows_the_new_result() {
    let (mut h, _) = app();
    h.run();
    click(&mut h, "Recommendation");
    let before = h
        .state_mut()
        .advice()
        .map(|(a, _)| a.recommendation)
        .expect("advice");
    let tipping = h
        .query_all_by_label_contains("and the recommendation becomes")
        .next()
        .expect("a tipping point button")
        .accesskit_node()
        .label()
        .expect("labelled");
    click(&mut h, &tipping);
    let after = h
        .state_mut()
        .advice()
        .map(|(a, _)| a.recommendation)
        .expect("advice");
    assert_ne!(
        before, after,
        "the tipping point flipped the recommendation"
    );
    assert!(shows_text(
        &h,
        &format!("The recommendation is now {after} (was {before}).")
    ));
    click(&mut h, "Undo");
    let undone = h
        .state_mut()
        .advice()
        .map(|(a, _)| a.recommendation)
        .expect("advice");
    assert_eq!(undone, before);
}
