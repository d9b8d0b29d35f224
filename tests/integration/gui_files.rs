//! The File menu: open, save, save as, recent files, the unsaved-changes question, and bad files —
//! broken, truncated, foreign or newer — which show an error naming the file and leave the user's
//! work exactly as it was.

use std::path::Path;

use egui_kittest::Harness;
use statecraft::app::StatecraftApp;
use statecraft::domain::knowledge::AnswerValue;
use statecraft::domain::project::Project;
use statecraft::ui::{NoticeLevel, ScreenId};

use crate::gui_harness::{app, click, shows, shows_text, temp_dir};

/// Answers the first question, so there is work to lose.
fn some_work(h: &mut Harness<'static, StatecraftApp>) {
    click(h, "REST / HTTP API");
    click(h, "Next");
    assert!(h.state().doc.is_dirty());
}

fn rest_api(h: &Harness<'static, StatecraftApp>) -> bool {
    h.state().doc.project.answers.get("workload") == Some(&AnswerValue::Choice("rest-api".into()))
}

fn open_via_menu(h: &mut Harness<'static, StatecraftApp>) {
    click(h, "File");
    click(h, "Open… Ctrl+O");
}

/// Opens `path` over unsaved work (answering "Don't save") and returns the error banner's text.
fn open_bad(path: &Path) -> (Harness<'static, StatecraftApp>, String) {
    let (mut h, picker) = app();
    h.run();
    some_work(&mut h);
    picker.push_all([path.to_path_buf()]);
    open_via_menu(&mut h);
    assert!(
        shows(&h, "Unsaved changes"),
        "opening over unsaved work asks first"
    );
    click(&mut h, "Don't save");
    let notice = h.state().notice.clone().expect("a banner");
    assert_eq!(notice.level, NoticeLevel::Error);
    let text = format!("{}\n{}", notice.title, notice.detail);
    assert!(
        shows_text(&h, "your current project is unchanged"),
        "the banner is on screen"
    );
    assert!(rest_api(&h), "the work is still there");
    (h, text)
}

#[test]
fn opening_a_broken_file_shows_the_error_and_keeps_the_work() {
    let dir = temp_dir();
    let path = dir.path().join("broken.statecraft.json");
    std::fs::write(
        &path,
        "{\"kind\": \"statecraft-project\",\n \"schema_version\": 1,\n \"seed\": 42,,\n}",
    )
    .expect("write");
    let (h, text) = open_bad(&path);
    assert!(
        text.contains("broken.statecraft.json:3:"),
        "names the file and line: {text}"
    );
    assert!(
        text.contains("not valid JSON"),
        "says what is wrong: {text}"
    );
    assert!(
        h.state().doc.path.is_none(),
        "the untitled project stays open"
    );
}

#[test]
fn opening_a_truncated_file_says_it_ends_early() {
    let dir = temp_dir();
    let path = dir.path().join("cut.statecraft.json");
    std::fs::write(&path, "{\"kind\": \"statecraft-project\", \"schema_version\": 1, \"answers\": {\"workload\": \"rest").expect("write");
    let (_, text) = open_bad(&path);
    assert!(text.contains("cut.statecraft.json"), "{text}");
    assert!(text.contains("ends early"), "{text}");
}

#[test]
fn opening_a_foreign_file_says_it_is_not_a_project() {
    let dir = temp_dir();
    let path = dir.path().join("package.json");
    std::fs::write(&path, "{\"name\": \"left-pad\", \"version\": \"1.3.0\"}").expect("write");
    let (_, text) = open_bad(&path);
    assert!(text.contains("package.json"), "{text}");
    assert!(text.contains("not a Statecraft project"), "{text}");
}

#[test]
fn opening_a_newer_file_names_its_version() {
    let dir = temp_dir();
    let path = dir.path().join("future.statecraft.json");
    std::fs::write(&path, "{\"kind\": \"statecraft-project\", \"schema_version\": 7, \"seed\": 1, \"hologram\": true}").expect("write");
    let (_, text) = open_bad(&path);
    assert!(text.contains("future.statecraft.json:1:"), "{text}");
    assert!(
        text.contains("newer Statecraft (schema_version 7)"),
        "{text}"
    );
}

#[test]
fn an_out_of_range_answer_in_a_file_is_refused_with_its_place() {
    let dir = temp_dir();
    let path = dir.path().join("range.statecraft.json");
    std::fs::write(
        &path,
        "{\"kind\": \"statecraft-project\", \"schema_version\": 1, \"seed\": 1,\n \"answers\": {\"peak-rps\": 5000000}}",
    )
    .expect("write");
    let (_, text) = open_bad(&path);
    assert!(text.contains("range.statecraft.json:2:"), "{text}");
    assert!(text.contains("peak-rps"), "{text}");
}

#[test]
fn save_as_then_open_brings_the_project_back() {
    let dir = temp_dir();
    let path = dir.path().join("shop.statecraft.json");
    let (mut h, picker) = app();
    h.run();
    some_work(&mut h);
    picker.push_all([path.clone()]);
    click(&mut h, "File");
    click(&mut h, "Save As… Ctrl+Shift+S");
    assert!(path.exists(), "the file was written");
    assert!(!h.state().doc.is_dirty(), "saved");
    assert!(shows(&h, "saved"), "the status bar says so");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left beside it");
    let k = statecraft::domain::knowledge::Knowledge::shipped().expect("knowledge");
    let saved = Project::read(&path, &k).expect("the saved file reads back");
    assert_eq!(saved, h.state().doc.project);

    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    h.run_ok();
    assert!(
        h.state().doc.project.answers.is_empty(),
        "Ctrl+N started a new project"
    );
    picker.push_all([path.clone()]);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    h.run_ok();
    assert!(rest_api(&h), "Ctrl+O opened the saved answers");
    assert_eq!(h.state().doc.path.as_deref(), Some(path.as_path()));
}

#[test]
fn ctrl_s_saves_to_the_open_file() {
    let dir = temp_dir();
    let path = dir.path().join("p.statecraft.json");
    let (mut h, picker) = app();
    h.run();
    picker.push_all([path.clone()]);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_ok();
    assert!(path.exists(), "the first save asks where");
    some_work(&mut h);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_ok();
    assert!(!h.state().doc.is_dirty());
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(
        text.contains("rest-api"),
        "the second save wrote to the same file"
    );
}

#[test]
fn a_save_that_cannot_be_written_says_so_and_writes_nothing() {
    let dir = temp_dir();
    let path = dir.path().join("no-such-folder").join("p.statecraft.json");
    let (mut h, picker) = app();
    h.run();
    some_work(&mut h);
    picker.push_all([path.clone()]);
    click(&mut h, "File");
    click(&mut h, "Save As… Ctrl+Shift+S");
    let notice = h.state().notice.clone().expect("a banner");
    assert_eq!(notice.level, NoticeLevel::Error);
    assert!(
        notice.title.contains("nothing was written"),
        "{}",
        notice.title
    );
    assert!(!path.exists());
    assert!(
        h.state().doc.is_dirty(),
        "the work is still unsaved, and still there"
    );
}

#[test]
fn the_recent_files_menu_lists_what_was_saved() {
    let dir = temp_dir();
    let path = dir.path().join("recent.statecraft.json");
    let (mut h, picker) = app();
    h.run();
    picker.push_all([path.clone()]);
    click(&mut h, "File");
    click(&mut h, "Save As… Ctrl+Shift+S");
    click(&mut h, "File");
    click(&mut h, "Open recent");
    assert!(shows(&h, "recent.statecraft.json"));
}

#[test]
fn new_over_unsaved_work_asks_and_cancel_keeps_it() {
    let (mut h, _) = app();
    h.run();
    some_work(&mut h);
    click(&mut h, "File");
    click(&mut h, "New Ctrl+N");
    assert!(shows(&h, "Unsaved changes"));
    click(&mut h, "Cancel");
    assert!(rest_api(&h), "Cancel kept the work");
    click(&mut h, "File");
    click(&mut h, "New Ctrl+N");
    click(&mut h, "Don't save");
    assert!(
        h.state().doc.project.answers.is_empty(),
        "Don't save started afresh"
    );
    assert_eq!(h.state().screen, ScreenId::Wizard);
}

#[test]
fn closing_the_window_with_unsaved_work_asks_first() {
    let (mut h, _) = app();
    h.run();
    some_work(&mut h);
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.run_ok();
    assert!(
        shows(&h, "Unsaved changes"),
        "the close was held back to ask"
    );
    let cancelled = h
        .output()
        .viewport_output
        .values()
        .any(|v| v.commands.contains(&egui::ViewportCommand::CancelClose));
    let asked = h.state().confirm.is_some();
    assert!(cancelled || asked);
}
