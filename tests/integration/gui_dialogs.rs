//! Every dialog owns the keyboard while it is open: Enter confirms it, Escape cancels it, and no key
//! reaches the screen behind (the wizard never takes a dialog's Enter as Next). Every path the app
//! writes to asks before replacing a file that exists, and a folder is a valid target for a record.

use std::path::{Path, PathBuf};

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use statecraft::app::{Pending, StatecraftApp};
use statecraft::domain::knowledge::AnswerValue;
use statecraft::ui::file_menu::ScriptedPicker;
use statecraft::ui::{Command, ScreenId};

use crate::gui_harness::{app, shows, shows_text, temp_dir, wait_until};

/// An answer given elsewhere than the first question, so the project has unsaved changes.
fn make_a_change(h: &mut Harness<'static, StatecraftApp>) {
    h.state_mut().command(Command::SetAnswer {
        question: "peak-rps".into(),
        value: Some(AnswerValue::Number(500.0)),
    });
    h.run_ok();
}

/// Where the wizard is and how many answers the project holds: what a stray Enter would change.
fn wizard_place(h: &Harness<'static, StatecraftApp>) -> (Option<usize>, usize) {
    (
        h.state().screens.wizard.current,
        h.state().doc.project.answers.len(),
    )
}

fn no_dialog_service(picker: &ScriptedPicker) {
    picker
        .unavailable
        .store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Replaces what the typed-path prompt holds with `path`.
fn type_path(h: &mut Harness<'static, StatecraftApp>, path: &Path) {
    h.get_by_label("Path").focus();
    h.run_ok();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_ok();
    h.get_by_label("Path")
        .type_text(&path.display().to_string());
    h.run_ok();
}

/// A project file holding one answer, saved by another app.
fn a_saved_project(dir: &Path, name: &str, peak: f64) -> PathBuf {
    let path = dir.join(name);
    let (mut other, _) = app();
    other.run();
    other.state_mut().command(Command::SetAnswer {
        question: "peak-rps".into(),
        value: Some(AnswerValue::Number(peak)),
    });
    other.run_ok();
    assert!(other.state_mut().save_to(&path));
    path
}

#[test]
fn enter_in_the_quit_dialog_saves_and_never_answers_the_wizard_behind_it() {
    let dir = temp_dir();
    let path = dir.path().join("quit.statecraft.json");
    let (mut h, picker) = app();
    h.run();
    make_a_change(&mut h);
    let before = wizard_place(&h);
    picker.push_all([path.clone()]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Q);
    h.run_ok();
    assert_eq!(h.state().confirm, Some(Pending::Close));
    assert!(shows_text(&h, "Save them before closing?"));
    h.key_press(Key::Enter);
    h.run_ok();
    assert!(h.state().confirm.is_none(), "Enter answered the dialog");
    assert!(path.exists(), "Enter is Save: the project was written");
    assert_eq!(
        wizard_place(&h),
        before,
        "the wizard behind the dialog did not move or take a default"
    );
}

#[test]
fn escape_in_the_quit_dialog_keeps_the_app_open_and_the_wizard_where_it_was() {
    let (mut h, _) = app();
    h.run();
    make_a_change(&mut h);
    let before = wizard_place(&h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Q);
    h.run_ok();
    assert_eq!(h.state().confirm, Some(Pending::Close));
    h.key_press(Key::Escape);
    h.run_ok();
    assert!(h.state().confirm.is_none());
    assert!(h.state().doc.is_dirty(), "the work is kept");
    assert_eq!(wizard_place(&h), before);
}

#[test]
fn enter_in_the_unsaved_changes_dialog_before_opening_saves_first() {
    let dir = temp_dir();
    let saved = dir.path().join("first.statecraft.json");
    let (mut h, picker) = app();
    h.run();
    make_a_change(&mut h);
    let before = wizard_place(&h);
    // Save As, then Open (cancelled)
    picker.push_all([saved.clone()]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run_ok();
    assert_eq!(h.state().confirm, Some(Pending::Open));
    assert!(shows(&h, "Unsaved changes"));
    h.key_press(Key::Enter);
    h.run_ok();
    assert!(h.state().confirm.is_none());
    assert!(saved.exists(), "Enter saved before opening");
    assert_eq!(wizard_place(&h), before, "and did not reach the wizard");
}

#[test]
fn escape_in_the_unsaved_changes_dialog_before_opening_cancels_the_open() {
    let (mut h, picker) = app();
    h.run();
    make_a_change(&mut h);
    let before = wizard_place(&h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run_ok();
    assert_eq!(h.state().confirm, Some(Pending::Open));
    h.key_press(Key::Escape);
    h.run_ok();
    assert!(h.state().confirm.is_none());
    assert!(
        picker.requests.lock().expect("requests").is_empty(),
        "no file dialog opened"
    );
    assert_eq!(wizard_place(&h), before);
}

#[test]
fn enter_in_the_typed_open_prompt_opens_the_file_and_the_wizard_stays() {
    let dir = temp_dir();
    let project = a_saved_project(dir.path(), "marketplace.statecraft.json", 250.0);
    let (mut h, picker) = app();
    h.run();
    no_dialog_service(&picker);
    let question = h.state().screens.wizard.current;
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run_ok();
    h.run_ok();
    assert!(shows(&h, "Open a project"));
    type_path(&mut h, &project);
    h.key_press(Key::Enter);
    h.run_ok();
    assert!(
        h.state().path_prompt.is_none(),
        "Enter confirmed the prompt"
    );
    assert_eq!(h.state().doc.path.as_deref(), Some(project.as_path()));
    assert_eq!(
        h.state().doc.project.answers.get("peak-rps"),
        Some(&AnswerValue::Number(250.0)),
        "the file's answers, and no default the wizard accepted"
    );
    assert_eq!(h.state().doc.project.answers.len(), 1);
    assert_eq!(h.state().screens.wizard.current, question);
}

#[test]
fn escape_in_the_typed_open_prompt_cancels_and_the_wizard_stays() {
    let (mut h, picker) = app();
    h.run();
    no_dialog_service(&picker);
    let before = wizard_place(&h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run_ok();
    h.run_ok();
    assert!(shows(&h, "Open a project"));
    h.key_press(Key::Escape);
    h.run_ok();
    assert!(h.state().path_prompt.is_none());
    assert_eq!(wizard_place(&h), before);
}

#[test]
fn the_typed_save_prompt_asks_before_replacing_another_project() {
    let dir = temp_dir();
    let other = a_saved_project(dir.path(), "marketplace.statecraft.json", 250.0);
    let original = std::fs::read_to_string(&other).expect("the other project");
    let (mut h, picker) = app();
    h.run();
    no_dialog_service(&picker);
    make_a_change(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    h.run_ok();
    h.run_ok();
    assert!(shows(&h, "Save the project"));
    type_path(&mut h, &other);
    h.key_press(Key::Enter);
    h.run_ok();
    assert!(
        shows(&h, "Replace the existing file?"),
        "the app asks first"
    );
    assert!(shows_text(
        &h,
        "“marketplace.statecraft.json” already exists"
    ));
    // Escape: nothing written, and the prompt is back to choose another name
    h.key_press(Key::Escape);
    h.run_ok();
    assert!(h.state().replace.is_none());
    assert_eq!(std::fs::read_to_string(&other).expect("read"), original);
    assert!(h.state().path_prompt.is_some(), "back to the typed path");
    assert!(h.state().doc.is_dirty());
    // Enter, then Enter again: replaced, as the user said
    h.key_press(Key::Enter);
    h.run_ok();
    assert!(shows(&h, "Replace the existing file?"));
    h.key_press(Key::Enter);
    h.run_ok();
    assert!(h.state().replace.is_none());
    let now = std::fs::read_to_string(&other).expect("read");
    assert_ne!(now, original, "replaced only after the user said so");
    assert!(now.contains("500"), "with this project's answers: {now}");
    assert!(!h.state().doc.is_dirty());
}

#[test]
fn quitting_with_save_to_an_existing_file_asks_and_cancel_keeps_the_app_open() {
    let dir = temp_dir();
    let other = a_saved_project(dir.path(), "marketplace.statecraft.json", 250.0);
    let original = std::fs::read_to_string(&other).expect("the other project");
    let (mut h, picker) = app();
    h.run();
    no_dialog_service(&picker);
    make_a_change(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Q);
    h.run_ok();
    h.key_press(Key::Enter); // Save
    h.run_ok();
    h.run_ok();
    assert!(shows(&h, "Save the project"));
    type_path(&mut h, &other);
    h.key_press(Key::Enter);
    h.run_ok();
    assert!(shows(&h, "Replace the existing file?"));
    click_button(&mut h, "Cancel");
    assert_eq!(std::fs::read_to_string(&other).expect("read"), original);
    assert!(
        h.state().path_prompt.is_some(),
        "still choosing where to save"
    );
    h.key_press(Key::Escape);
    h.run_ok();
    assert!(h.state().path_prompt.is_none());
    assert!(h.state().doc.is_dirty(), "nothing saved, nothing lost");
}

#[test]
fn a_name_the_app_completes_is_asked_about_even_after_a_native_dialog() {
    let dir = temp_dir();
    let other = a_saved_project(dir.path(), "plan.statecraft.json", 250.0);
    let original = std::fs::read_to_string(&other).expect("the other project");
    let (mut h, picker) = app();
    h.run();
    make_a_change(&mut h);
    // the dialog was given "plan"; the app adds the project extension, and that file exists
    picker.push_all([dir.path().join("plan")]);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    h.run_ok();
    h.run_ok();
    assert!(shows(&h, "Replace the existing file?"));
    h.key_press(Key::Escape);
    h.run_ok();
    assert_eq!(std::fs::read_to_string(&other).expect("read"), original);
    assert!(
        h.state().path_prompt.is_none(),
        "a native dialog is not reopened"
    );
}

/// Clicks the button labelled `label` in the dialog on top.
fn click_button(h: &mut Harness<'static, StatecraftApp>, label: &str) {
    h.get_by_role_and_label(egui::accesskit::Role::Button, label)
        .click();
    h.run_ok();
    h.run_ok();
}

fn record_ready(h: &mut Harness<'static, StatecraftApp>) {
    h.state_mut().screen = ScreenId::Export;
    h.run_ok();
    wait_until(h, "the record", |h| {
        h.state().screens.export.current_record().is_some()
    });
}

#[test]
fn the_typed_record_path_asks_before_replacing_a_record() {
    let dir = temp_dir();
    let record = dir.path().join("0001-partial.md");
    std::fs::write(&record, "# an older record\n").expect("an older record");
    let (mut h, picker) = app();
    h.run();
    no_dialog_service(&picker);
    record_ready(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run_ok();
    h.run_ok();
    assert!(shows(&h, "Save the decision record"));
    type_path(&mut h, &record);
    h.key_press(Key::Enter);
    h.run_ok();
    assert!(shows(&h, "Replace the existing file?"));
    h.key_press(Key::Escape);
    h.run_ok();
    assert_eq!(
        std::fs::read_to_string(&record).expect("read"),
        "# an older record\n",
        "Escape wrote nothing"
    );
    h.key_press(Key::Enter); // the prompt again
    h.run_ok();
    h.key_press(Key::Enter); // Replace
    h.run_ok();
    wait_until(&mut h, "the record replaced", |_| {
        std::fs::read_to_string(&record).is_ok_and(|t| t.contains("Statecraft"))
    });
    assert!(shows_text(&h, "Wrote the decision record"));
}

#[test]
fn a_folder_is_a_record_target_and_the_record_takes_the_next_number_there() {
    let dir = temp_dir();
    let decisions = dir.path().join("decisions");
    std::fs::create_dir(&decisions).expect("a decisions folder");
    std::fs::write(decisions.join("0003-use-stateless-stack.md"), "# three\n").expect("record 3");
    let (mut h, picker) = app();
    h.run();
    no_dialog_service(&picker);
    record_ready(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run_ok();
    h.run_ok();
    type_path(&mut h, &decisions);
    h.key_press(Key::Enter);
    h.run_ok();
    assert!(h.state().replace.is_none(), "a folder replaces nothing");
    let written: Vec<String> = std::fs::read_dir(&decisions)
        .expect("the folder")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("0004-") && n.ends_with(".md"))
        .collect();
    assert_eq!(written.len(), 1, "the next number: {written:?}");
    assert_eq!(
        std::fs::read_to_string(decisions.join("0003-use-stateless-stack.md")).expect("read"),
        "# three\n"
    );
    assert_eq!(
        h.state().screens.decisions.folder,
        decisions.display().to_string(),
        "the Decision log offers the folder"
    );
    // a folder that does not exist yet, typed with a trailing slash, is made
    let fresh = dir.path().join("adr");
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run_ok();
    h.run_ok();
    type_path(&mut h, Path::new(&format!("{}/", fresh.display())));
    h.key_press(Key::Enter);
    h.run_ok();
    let first = std::fs::read_dir(&fresh)
        .expect("the new folder")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .any(|n| n.starts_with("0001-") && n.ends_with(".md"));
    assert!(first, "record 0001 in the new folder");
}
