//! Number fields never change a valid value, never apply an invalid one, and read the locale's
//! decimal mark or refuse it plainly: the p99 target round-trips 200 exactly and is not answered
//! by arriving at it; a session size past the range, or a seed past it, changes nothing; "16,5" is
//! never 165.

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use statecraft::app::StatecraftApp;
use statecraft::domain::knowledge::{AnswerValue, Knowledge};
use statecraft::ui::number_field::DecimalMark;
use statecraft::ui::{Command, ScreenId};

use crate::gui_harness::{app, click, shows_text, wait_for_simulation};

fn go_to_question(h: &mut Harness<'static, StatecraftApp>, id: &str) {
    let k = Knowledge::shipped().expect("knowledge");
    let index = k
        .questions
        .iter()
        .position(|q| q.id == id)
        .expect("the question");
    h.state_mut().screens.wizard.current = Some(index);
    h.run_ok();
    assert_eq!(
        h.state().screens.wizard.current,
        Some(index),
        "{id} is on screen"
    );
}

fn answer(h: &Harness<'static, StatecraftApp>, id: &str) -> Option<AnswerValue> {
    h.state().doc.project.answers.get(id).cloned()
}

fn field_text(h: &Harness<'static, StatecraftApp>, label: &str) -> String {
    h.get_by_label(label)
        .accesskit_node()
        .value()
        .unwrap_or_default()
}

/// Selects what the field holds and types `text` one key at a time, as a person does; does not
/// leave the field.
fn type_keys(h: &mut Harness<'static, StatecraftApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run_ok();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_ok();
    for c in text.chars() {
        h.get_by_label(label).type_text(&c.to_string());
        h.run_ok();
    }
}

fn with_sessions(h: &mut Harness<'static, StatecraftApp>) {
    h.state_mut().command(Command::SetAnswer {
        question: "keeps-sessions".into(),
        value: Some(AnswerValue::Bool(true)),
    });
    h.run_ok();
}

#[test]
fn the_p99_question_is_not_answered_by_arriving_at_it() {
    let (mut h, _) = app();
    h.run();
    go_to_question(&mut h, "latency-p99-ms");
    for _ in 0..5 {
        h.run_ok();
    }
    assert_eq!(
        answer(&h, "latency-p99-ms"),
        None,
        "not answered on arrival"
    );
    assert!(shows_text(&h, "Not answered yet"));
    assert_eq!(
        field_text(&h, "Your answer"),
        "300",
        "the usual answer, exactly"
    );
    assert!(h.state().history.undo_label().is_none(), "no edit recorded");
}

#[test]
fn the_p99_field_round_trips_200_exactly_and_undo_removes_the_answer() {
    let (mut h, _) = app();
    h.run();
    go_to_question(&mut h, "latency-p99-ms");
    let question = h.state().screens.wizard.current;
    type_keys(&mut h, "Your answer", "200");
    // typing alone applies nothing: the user is not done
    assert_eq!(answer(&h, "latency-p99-ms"), None);
    // Tab leaves the field: the value is applied as typed
    h.key_press(Key::Tab);
    h.run_ok();
    h.run_ok();
    assert_eq!(
        answer(&h, "latency-p99-ms"),
        Some(AnswerValue::Number(200.0)),
        "200, not 200.1"
    );
    assert_eq!(field_text(&h, "Your answer"), "200");
    assert_eq!(
        h.state().screens.wizard.current,
        question,
        "Tab is not Next"
    );
    h.state_mut().command(Command::Undo);
    for _ in 0..5 {
        h.run_ok();
    }
    assert_eq!(
        answer(&h, "latency-p99-ms"),
        None,
        "Undo removed the answer"
    );
    assert_eq!(field_text(&h, "Your answer"), "300");
    assert!(
        h.state().history.redo_label().is_some(),
        "and nothing re-applied it: Redo is there"
    );
}

#[test]
fn enter_in_the_p99_field_answers_200_and_moves_on() {
    let (mut h, _) = app();
    h.run();
    go_to_question(&mut h, "latency-p99-ms");
    let question = h.state().screens.wizard.current;
    type_keys(&mut h, "Your answer", "200");
    h.key_press(Key::Enter);
    h.run_ok();
    assert_eq!(
        answer(&h, "latency-p99-ms"),
        Some(AnswerValue::Number(200.0))
    );
    assert_ne!(h.state().screens.wizard.current, question, "Enter is Next");
    assert_eq!(
        h.state().doc.project.answers.len(),
        1,
        "one answer, no default taken elsewhere"
    );
}

#[test]
fn an_out_of_range_session_size_is_refused_and_not_applied_on_the_way() {
    let (mut h, _) = app();
    h.run();
    with_sessions(&mut h);
    go_to_question(&mut h, "session-size-kb");
    let question = h.state().screens.wizard.current;
    // 9999 is in range on the way to 99999999: it must not be applied either
    type_keys(&mut h, "Your answer", "99999999");
    assert!(shows_text(&h, "99999999 is out of range"));
    h.key_press(Key::Enter);
    h.run_ok();
    assert_eq!(answer(&h, "session-size-kb"), None, "nothing applied");
    assert_eq!(
        h.state().screens.wizard.current,
        question,
        "and Next refused"
    );
    assert!(
        shows_text(&h, "99999999 is out of range"),
        "the field says why"
    );
    assert!(shows_text(&h, "Correct the answer before going on"));
}

#[test]
fn an_out_of_range_seed_is_refused_and_the_seed_stays() {
    let (mut h, _) = app();
    h.run();
    click(&mut h, "Simulator");
    wait_for_simulation(&mut h);
    let seed = h.state().doc.project.seed;
    type_keys(&mut h, "Seed", "99999999999999999999999");
    h.key_press(Key::Enter);
    h.run_ok();
    assert!(shows_text(&h, "is out of range"));
    assert_eq!(h.state().doc.project.seed, seed, "the seed is unchanged");
    assert!(!h.state().doc.is_dirty(), "nothing was applied on the way");
    assert_eq!(h.state().screen, ScreenId::Simulator);
}

#[test]
fn a_peak_of_zero_is_refused_rather_than_simulating_no_traffic() {
    let (mut h, _) = app();
    h.run();
    click(&mut h, "Simulator");
    wait_for_simulation(&mut h);
    let before = h.state().doc.project.working.clone();
    type_keys(&mut h, "Peak (requests/s)", "0");
    h.key_press(Key::Enter);
    h.run_ok();
    assert!(shows_text(
        &h,
        "0 is out of range: enter a number from 1..1,000,000"
    ));
    assert_eq!(h.state().doc.project.working, before);
}

#[test]
fn a_comma_decimal_is_refused_plainly_where_the_locale_writes_a_point() {
    let (mut h, _) = app();
    h.state_mut().decimal_mark = DecimalMark::Point;
    h.run();
    with_sessions(&mut h);
    go_to_question(&mut h, "session-size-kb");
    type_keys(&mut h, "Your answer", "16,5");
    h.key_press(Key::Tab);
    h.run_ok();
    assert!(shows_text(&h, "write a decimal with a point, like 16.5"));
    assert_eq!(answer(&h, "session-size-kb"), None, "never 165");
    // the point decimal is kept as typed, not rounded to 17
    type_keys(&mut h, "Your answer", "16.5");
    h.key_press(Key::Tab);
    h.run_ok();
    assert_eq!(
        answer(&h, "session-size-kb"),
        Some(AnswerValue::Number(16.5))
    );
}

#[test]
fn a_comma_decimal_is_read_where_the_locale_writes_a_comma() {
    let (mut h, _) = app();
    h.state_mut().decimal_mark = DecimalMark::Comma;
    h.run();
    with_sessions(&mut h);
    go_to_question(&mut h, "session-size-kb");
    type_keys(&mut h, "Your answer", "16,5");
    h.key_press(Key::Tab);
    h.run_ok();
    assert_eq!(
        answer(&h, "session-size-kb"),
        Some(AnswerValue::Number(16.5))
    );
    assert_eq!(field_text(&h, "Your answer"), "16,5");
}

#[test]
fn ctrl_z_on_the_next_number_question_takes_back_the_answer_just_given() {
    let (mut h, _) = app();
    h.run();
    with_sessions(&mut h);
    go_to_question(&mut h, "session-size-kb");
    type_keys(&mut h, "Your answer", "64");
    h.key_press(Key::Enter);
    h.run_ok();
    assert_eq!(
        answer(&h, "session-size-kb"),
        Some(AnswerValue::Number(64.0))
    );
    // the next question is a number too: its field has the keyboard, nothing typed in it
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_ok();
    assert_eq!(
        answer(&h, "session-size-kb"),
        None,
        "Ctrl+Z undid the answer, not the empty typing"
    );
}

#[test]
fn a_question_in_the_list_is_shown_when_clicked() {
    let (mut h, _) = app();
    h.run();
    // the list numbers the shown questions; whatever its place, the latency question is one of them
    h.query_all_by_label_contains(". What response-time target")
        .next()
        .expect("the question in the list")
        .click();
    h.run_ok();
    h.run_ok();
    assert!(shows_text(&h, "What response-time target must 99%"));
    let k = Knowledge::shipped().expect("knowledge");
    let shown = h.state().screens.wizard.current.expect("a question");
    assert_eq!(k.questions[shown].id, "latency-p99-ms");
}
