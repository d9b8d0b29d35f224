//! One writer: every edit goes through the app, so each can be undone and redone (Ctrl+Z,
//! Ctrl+Shift+Z, the Edit menu), a project stays clean while its screens are only looked at, and
//! "Don't save" on quit really leaves the saved project as it was.

use std::collections::HashMap;

use egui::{Key, Modifiers, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use statecraft::app::{SETTINGS_KEY, Settings, StatecraftApp};
use statecraft::domain::knowledge::AnswerValue;
use statecraft::domain::sim::{Estimate, Scenario};
use statecraft::ui::{Command, ScreenId};

use crate::gui_harness::{app, app_with, click, shows, shows_text, temp_dir, wait_for_simulation};

fn undo(h: &mut Harness<'static, StatecraftApp>) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_ok();
}

fn redo(h: &mut Harness<'static, StatecraftApp>) {
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run_ok();
}

fn workload(h: &Harness<'static, StatecraftApp>) -> Option<AnswerValue> {
    h.state().doc.project.answers.get("workload").cloned()
}

fn with_two_saved_scenarios(h: &mut Harness<'static, StatecraftApp>) {
    for (name, stack, peak) in [
        ("Launch", "apigw-lambda-dynamodb", 50.0),
        ("Year two", "alb-ec2-elasticache-rds", 2_000.0),
    ] {
        let mut s = Scenario::new(stack, peak);
        s.name = name.into();
        h.state_mut().command(Command::SaveScenario {
            name: name.into(),
            scenario: Box::new(s),
        });
    }
    h.run_ok();
}

#[test]
fn ctrl_z_takes_back_an_answer_and_ctrl_shift_z_gives_it_again() {
    let (mut h, _) = app();
    h.run();
    click(&mut h, "REST / HTTP API");
    assert_eq!(workload(&h), Some(AnswerValue::Choice("rest-api".into())));
    assert!(h.state().doc.is_dirty());
    undo(&mut h);
    assert_eq!(workload(&h), None, "the answer is taken back");
    assert!(!h.state().doc.is_dirty(), "back to the untouched project");
    redo(&mut h);
    assert_eq!(workload(&h), Some(AnswerValue::Choice("rest-api".into())));
}

#[test]
fn the_edit_menu_names_what_undo_and_redo_would_do() {
    let (mut h, _) = app();
    h.run();
    click(&mut h, "Edit");
    assert!(
        shows(&h, "Undo Ctrl+Z"),
        "nothing to undo yet: a bare, disabled Undo"
    );
    h.key_press(Key::Escape);
    h.run_ok();
    click(&mut h, "REST / HTTP API");
    click(&mut h, "Edit");
    assert!(
        shows_text(&h, "Undo Answer “What is the system mainly?”"),
        "Undo says what it takes back"
    );
    click(&mut h, "Undo Answer “What is the system mainly?” Ctrl+Z");
    assert_eq!(workload(&h), None);
    click(&mut h, "Edit");
    assert!(shows(
        &h,
        "Redo Answer “What is the system mainly?” Ctrl+Shift+Z"
    ));
}

#[test]
fn a_scenario_edit_is_undone_in_one_step() {
    let (mut h, _) = app();
    h.run();
    click(&mut h, "Simulator");
    wait_for_simulation(&mut h);
    assert_eq!(h.state().doc.project.working, None);
    h.get_by_role_and_label(Role::Slider, "Peak traffic")
        .set_value_accesskit(5_000.0);
    h.run_ok();
    let peak = |h: &Harness<'static, StatecraftApp>| {
        h.state()
            .doc
            .project
            .working
            .as_ref()
            .map(|s| s.traffic.peak_rps)
    };
    assert_eq!(peak(&h), Some(Estimate::Exact(5_000.0)));
    undo(&mut h);
    assert_eq!(peak(&h), None, "the scenario follows the answers again");
    assert!(!h.state().doc.is_dirty());
    redo(&mut h);
    assert_eq!(peak(&h), Some(Estimate::Exact(5_000.0)));
}

#[test]
fn enter_saves_a_scenario_name_and_undo_takes_the_save_back() {
    let (mut h, _) = app();
    h.run();
    click(&mut h, "Simulator");
    wait_for_simulation(&mut h);
    h.get_by_label("Name").focus();
    h.run_ok();
    h.get_by_label("Name").type_text("Launch");
    h.run_ok();
    h.key_press(Key::Enter);
    h.run_ok();
    let names = |h: &Harness<'static, StatecraftApp>| -> Vec<String> {
        h.state()
            .doc
            .project
            .scenarios
            .iter()
            .map(|s| s.name.clone())
            .collect()
    };
    assert_eq!(names(&h), ["Launch"], "Enter in the name field saved it");
    undo(&mut h);
    assert!(names(&h).is_empty(), "the save is taken back");
}

#[test]
fn deleting_a_saved_scenario_can_be_undone() {
    let (mut h, _) = app();
    h.run();
    with_two_saved_scenarios(&mut h);
    click(&mut h, "Compare");
    click(&mut h, "Delete Launch");
    assert!(h.state().doc.project.scenario("Launch").is_none());
    assert!(shows_text(&h, "Deleted the scenario “Launch”"));
    // the banner's Undo, as after a delete in any GNOME app
    click(&mut h, "Undo");
    let names: Vec<&str> = h
        .state()
        .doc
        .project
        .scenarios
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, ["Launch", "Year two"], "back, in its place");
}

#[test]
fn looking_at_every_screen_leaves_a_saved_project_clean() {
    let dir = temp_dir();
    let path = dir.path().join("shop.statecraft.json");
    let (mut h, picker) = app();
    h.run();
    with_two_saved_scenarios(&mut h);
    picker.push_all([path.clone()]);
    h.state_mut().command(Command::SaveAs);
    h.run_ok();
    assert!(!h.state().doc.is_dirty(), "saved");
    for screen in ScreenId::ALL {
        click(&mut h, screen.title());
        assert_eq!(h.state().screen, screen);
        if screen == ScreenId::Simulator {
            wait_for_simulation(&mut h);
        }
        assert!(
            !h.state().doc.is_dirty(),
            "showing {} changed the project",
            screen.title()
        );
    }
    assert_eq!(h.state().doc.project.working, None);
}

/// eframe's storage, in memory.
#[derive(Default)]
struct MemoryStorage(HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_string(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn dont_save_on_quit_discards_the_changes_for_good() {
    let dir = temp_dir();
    let path = dir.path().join("shop.statecraft.json");
    let (mut h, picker) = app();
    h.run();
    picker.push_all([path.clone()]);
    h.state_mut().command(Command::SaveAs);
    h.run_ok();
    click(&mut h, "REST / HTTP API");
    assert!(h.state().doc.is_dirty());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Q);
    h.run_ok();
    assert!(shows(&h, "Unsaved changes"));
    click(&mut h, "Don't save");
    assert_eq!(workload(&h), None, "the edit is dropped");
    // what eframe keeps for the next start
    let mut storage = MemoryStorage::default();
    eframe::App::save(h.state_mut(), &mut storage);
    let settings: Settings = eframe::get_value(&storage, SETTINGS_KEY).expect("saved settings");
    let (mut again, _) = app_with(settings);
    again.run();
    assert_eq!(
        workload(&again),
        None,
        "and it does not come back on restart"
    );
    assert!(!again.state().doc.is_dirty());
    assert_eq!(again.state().doc.path.as_deref(), Some(path.as_path()));
}

#[test]
fn decision_makers_typed_on_the_export_screen_are_saved_with_the_project() {
    let dir = temp_dir();
    let path = dir.path().join("shop.statecraft.json");
    let (mut h, picker) = app();
    h.run();
    click(&mut h, "Export");
    h.get_by_label("Decision makers").focus();
    h.run_ok();
    h.get_by_label("Decision makers")
        .type_text("Ana Lima, Ben Okafor");
    h.run_ok();
    assert!(h.state().doc.is_dirty(), "typing names is a change");
    assert_eq!(
        h.state().doc.project.record.decision_makers,
        ["Ana Lima", "Ben Okafor"]
    );
    picker.push_all([path.clone()]);
    h.state_mut().command(Command::SaveAs);
    h.run_ok();
    let text = std::fs::read_to_string(&path).expect("the saved project");
    assert!(text.contains("\"Ben Okafor\""), "{text}");
}

#[test]
fn escape_cancels_the_unsaved_changes_question() {
    let (mut h, _) = app();
    h.run();
    click(&mut h, "REST / HTTP API");
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run_ok();
    assert!(shows(&h, "Unsaved changes"));
    h.key_press(Key::Escape);
    h.run_ok();
    assert!(!shows(&h, "Unsaved changes"), "the question is gone");
    assert!(h.state().confirm.is_none());
    assert_eq!(
        workload(&h),
        Some(AnswerValue::Choice("rest-api".into())),
        "and the work is kept"
    );
}
