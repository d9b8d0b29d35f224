//! Dialogs and screens that keep their word: the wizard refuses a number it cannot read, each
//! question has its own field, `None` excludes the other choices, Ctrl+E opens the save dialog (or,
//! with no dialog service, a path field), the capacity planner starts from the user's traffic and
//! says in words when the servers cannot keep up, and the chaos figures all come from one run on the
//! user's stack.

use egui::{Key, Modifiers, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use statecraft::app::StatecraftApp;
use statecraft::domain::knowledge::AnswerValue;
use statecraft::domain::sim::Scenario;
use statecraft::ui::{Command, ScreenId};

use crate::gui_harness::{
    app, click, shows, shows_text, temp_dir, wait_for_simulation, wait_until,
};

/// Shows question `id` in the wizard, as clicking it in the list of questions does.
fn go_to_question(h: &mut Harness<'static, StatecraftApp>, id: &str) {
    let k = statecraft::domain::knowledge::Knowledge::shipped().expect("knowledge");
    let index = k
        .questions
        .iter()
        .position(|q| q.id == id)
        .expect("the question");
    h.state_mut().screens.wizard.current = Some(index);
    h.run_ok();
}

fn peak_index() -> usize {
    let k = statecraft::domain::knowledge::Knowledge::shipped().expect("knowledge");
    k.questions
        .iter()
        .position(|q| q.id == "peak-rps")
        .expect("the question")
}

fn answer_field_text(h: &Harness<'static, StatecraftApp>) -> String {
    h.get_by_label("Your answer")
        .accesskit_node()
        .value()
        .unwrap_or_default()
}

fn retype_answer(h: &mut Harness<'static, StatecraftApp>, parts: &[&str]) {
    h.get_by_label("Your answer").focus();
    h.run_ok();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_ok();
    for part in parts {
        h.get_by_label("Your answer").type_text(part);
        h.run_ok();
    }
}

#[test]
fn next_refuses_a_number_it_cannot_read() {
    let (mut h, _) = app();
    h.run();
    go_to_question(&mut h, "peak-rps");
    assert!(shows_text(&h, "What peak traffic do you expect?"));
    // typed one key at a time, as a person types: "3", then "oo"
    retype_answer(&mut h, &["3", "oo"]);
    assert!(shows_text(&h, "“3oo” is not a number"));
    h.key_press(Key::Enter);
    h.run_ok();
    assert!(
        shows_text(&h, "What peak traffic do you expect?"),
        "Enter did not move on"
    );
    assert_eq!(h.state().screens.wizard.current, Some(peak_index()));
    assert!(shows_text(&h, "Correct the answer before going on"));
    let next = h.get_by_role_and_label(Role::Button, "Next");
    assert!(next.accesskit_node().is_disabled(), "Next is disabled");
    retype_answer(&mut h, &["300"]);
    assert_eq!(answer_field_text(&h), "300");
    h.key_press(Key::Enter);
    h.run_ok();
    assert_eq!(
        h.state().doc.project.answers.get("peak-rps"),
        Some(&AnswerValue::Number(300.0))
    );
    assert_ne!(
        h.state().screens.wizard.current,
        Some(peak_index()),
        "and Next moved on"
    );
}

#[test]
fn the_next_number_question_does_not_show_the_previous_answer() {
    let (mut h, _) = app();
    h.run();
    // the session questions show once the app is said to keep sessions
    h.state_mut().command(Command::SetAnswer {
        question: "keeps-sessions".into(),
        value: Some(AnswerValue::Bool(true)),
    });
    h.run_ok();
    go_to_question(&mut h, "session-size-kb");
    retype_answer(&mut h, &["64"]);
    assert_eq!(answer_field_text(&h), "64");
    h.key_press(Key::Enter);
    h.run_ok();
    let k = statecraft::domain::knowledge::Knowledge::shipped().expect("knowledge");
    let shown = h.state().screens.wizard.current.expect("a question");
    let q = &k.questions[shown];
    assert_eq!(q.id, "session-lifetime-min", "the next question");
    let Some(AnswerValue::Number(default)) = q.default.clone() else {
        panic!("a number question with a default");
    };
    assert_eq!(
        answer_field_text(&h),
        statecraft::domain::format::number(default),
        "its own default, not the 64 typed before"
    );
}

#[test]
fn none_excludes_the_other_compliance_regimes() {
    let (mut h, _) = app();
    h.run();
    go_to_question(&mut h, "compliance");
    let chosen = |h: &Harness<'static, StatecraftApp>| {
        h.state().doc.project.answers.get("compliance").cloned()
    };
    click(&mut h, "GDPR");
    assert_eq!(
        chosen(&h),
        Some(AnswerValue::Choices(vec!["gdpr".into()])),
        "ticking GDPR unticks None"
    );
    click(&mut h, "HIPAA (health data)");
    click(&mut h, "None in particular");
    assert_eq!(
        chosen(&h),
        Some(AnswerValue::Choices(vec!["none".into()])),
        "ticking None unticks the others"
    );
}

#[test]
fn the_leaning_counts_rules_and_answers_in_good_grammar() {
    let (mut h, _) = app();
    h.run();
    assert!(
        shows_text(&h, "fired from 0 answers"),
        "no answers yet: plural"
    );
    click(&mut h, "REST / HTTP API");
    assert!(shows_text(&h, "fired from 1 answer"));
    assert!(!shows_text(&h, "from 1 answers"));
}

#[test]
fn ctrl_e_opens_the_save_dialog_and_writes_the_record() {
    let dir = temp_dir();
    let path = dir.path().join("0001-decision.md");
    let (mut h, picker) = app();
    h.run();
    picker.push_all([path.clone()]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run_ok();
    h.run_ok();
    assert_eq!(h.state().screen, ScreenId::Export);
    let asked = picker.requests.lock().expect("requests").len();
    assert_eq!(asked, 1, "one save dialog was opened");
    // the record is built on the worker; the save waits for it
    wait_until(&mut h, "the record file", |_| path.exists());
}

#[test]
fn with_no_file_dialog_the_app_says_so_and_offers_a_path_field() {
    let dir = temp_dir();
    let path = dir.path().join("typed-record.md");
    let (mut h, picker) = app();
    h.run();
    picker
        .unavailable
        .store(true, std::sync::atomic::Ordering::Relaxed);
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run_ok();
    h.run_ok();
    assert!(shows_text(&h, "No file dialog could open"));
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_ok();
    h.get_by_label("Path")
        .type_text(&path.display().to_string());
    h.run_ok();
    click(&mut h, "Save record");
    wait_until(&mut h, "the record file where typed", |_| path.exists());
    assert!(
        !shows_text(&h, "No file dialog could open"),
        "the prompt closed"
    );

    // and Escape cancels it, writing nothing
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run_ok();
    h.run_ok();
    assert!(shows_text(&h, "No file dialog could open"));
    h.key_press(Key::Escape);
    h.run_ok();
    assert!(h.state().path_prompt.is_none());
}

#[test]
fn the_capacity_planner_starts_from_the_users_traffic() {
    let (mut h, _) = app();
    h.run();
    let mut s = Scenario::new("alb-fargate-jwt", 1_200.0);
    s.traffic.request_ms = 40.0.into();
    h.state_mut().command(Command::SetWorking(Box::new(s)));
    click(&mut h, "Capacity planner");
    let c = &h.state().screens.capacity;
    assert_eq!(c.arrival_rps, 1_200.0);
    assert_eq!(c.service_ms, 40.0);
    // 1,200 requests/s × 40 ms keep 48 servers busy; at 70% that is 69 servers
    assert_eq!(c.servers, 69.0);
}

#[test]
fn the_capacity_planner_at_full_load_says_so_and_shows_no_stale_figures() {
    let (mut h, _) = app();
    h.run();
    click(&mut h, "Capacity planner");
    wait_until(&mut h, "the queue plan", |h| {
        h.state().screens.capacity.report.is_some()
    });
    assert!(shows(&h, "Erlang C (exact)"));
    h.get_by_role_and_label(Role::Slider, "Servers")
        .set_value_accesskit(1.0);
    h.run_ok();
    h.run_ok();
    assert!(shows_text(&h, "The servers cannot keep up"));
    assert!(shows_text(&h, "Add servers (at least"));
    assert!(
        !shows_text(&h, "--allow-unstable"),
        "no command-line advice"
    );
    assert!(!shows_text(&h, "--arrival-rps"));
    assert!(
        h.state().screens.capacity.report.is_none(),
        "the old figures are gone"
    );
    assert!(!shows(&h, "Erlang C (exact)"), "and so is their table");
}

#[test]
fn the_chaos_figures_all_come_from_the_run_on_the_users_stack() {
    let (mut h, _) = app();
    h.run();
    let s = Scenario::new("alb-fargate-jwt", 300.0);
    h.state_mut().command(Command::SetWorking(Box::new(s)));
    click(&mut h, "Chaos monkey");
    click(&mut h, "Stateful");
    click(&mut h, "Every user adds an item");
    click(&mut h, "Server B");
    wait_until(&mut h, "the timed run", |h| {
        h.state().screens.chaos.timed.is_some()
    });
    let r = h
        .state()
        .screens
        .chaos
        .timed
        .clone()
        .expect("the timed run");
    assert_eq!(
        r.stack.id, "alb-fargate-jwt",
        "the user's stack, not a fixed one"
    );
    for (card, value) in [
        ("Sessions lost (run)", r.sessions_lost),
        ("Carts lost (run)", r.carts_lost),
        ("Requests failed (run)", r.requests_failed),
    ] {
        assert!(
            shows(&h, &format!("{card}: {value}")),
            "the card {card} shows the run's {value}"
        );
    }
    assert!(shows_text(
        &h,
        &format!(
            "Sessions lost: {}, carts lost: {}, requests failed: {}",
            r.sessions_lost,
            r.carts_lost,
            statecraft::domain::format::number(r.requests_failed as f64)
        )
    ));
}

#[test]
fn a_journalled_stack_shows_the_killed_servers_sessions_restored_not_lost() {
    let (mut h, _) = app();
    h.run();
    let stack = "stateful+front=nlb+compute=eks+session=server-memory+journal=memorydb+database=rds-postgres";
    let s = Scenario::new(stack, 300.0);
    h.state_mut().command(Command::SetWorking(Box::new(s)));
    click(&mut h, "Chaos monkey");
    click(&mut h, "Stateful");
    click(&mut h, "Server B");
    wait_until(&mut h, "the timed run", |h| {
        h.state().screens.chaos.timed.is_some()
    });
    let r = h
        .state()
        .screens
        .chaos
        .timed
        .clone()
        .expect("the timed run");
    assert_eq!(r.stack.id, stack);
    assert_eq!(r.sessions_lost, 0, "the journal held every change");
    assert!(r.sessions_restored > 0);
    assert!(shows(
        &h,
        &format!("Sessions restored (run): {}", r.sessions_restored)
    ));
    assert!(shows_text(
        &h,
        &format!(
            "({} restored from the journal on the replacement)",
            r.sessions_restored
        )
    ));
}

#[test]
fn the_instances_plot_is_captioned_for_the_stacks_compute() {
    let (mut h, _) = app();
    h.run();
    let s = Scenario::new("alb-fargate-jwt", 300.0);
    h.state_mut().command(Command::SetWorking(Box::new(s)));
    click(&mut h, "Simulator");
    wait_for_simulation(&mut h);
    h.run_ok();
    assert!(shows(&h, "Tasks in service"));
    assert!(!shows_text(&h, "Lambda: warm execution environments"));
}
