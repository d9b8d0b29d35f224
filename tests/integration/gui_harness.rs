//! Helpers for the GUI tests: the real app in egui_kittest's headless harness, with scripted file
//! dialogs, and waiting for the worker thread.

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use statecraft::app::{Settings, StatecraftApp};
use statecraft::domain::knowledge::Knowledge;
use statecraft::ui::file_menu::ScriptedPicker;

/// The window size the tests and snapshots use.
pub const SIZE: egui::Vec2 = egui::vec2(1280.0, 820.0);

/// The app over the shipped knowledge, light theme, no saved settings; file dialogs answer from
/// the returned picker's script.
pub fn app() -> (Harness<'static, StatecraftApp>, ScriptedPicker) {
    app_with(Settings::default())
}

pub fn app_with(settings: Settings) -> (Harness<'static, StatecraftApp>, ScriptedPicker) {
    app_sized(settings, SIZE)
}

/// The app in a window of `size` points.
pub fn app_sized(
    settings: Settings,
    size: egui::Vec2,
) -> (Harness<'static, StatecraftApp>, ScriptedPicker) {
    let picker = ScriptedPicker::default();
    let for_app = picker.clone();
    let harness = Harness::builder()
        .with_size(size)
        .with_max_steps(40)
        .build_eframe(move |_cc| {
            let k = Knowledge::shipped()
                .map(std::sync::Arc::new)
                .map_err(|e| e.to_string());
            StatecraftApp::from_parts(k, settings).with_picker(Box::new(for_app))
        });
    (harness, picker)
}

/// Steps the app (letting the worker answer) until `done` holds, or fails after a few seconds.
pub fn wait_until(
    harness: &mut Harness<'static, StatecraftApp>,
    what: &str,
    done: impl Fn(&Harness<'static, StatecraftApp>) -> bool,
) {
    let start = Instant::now();
    while !done(harness) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "timed out waiting for {what}"
        );
        harness.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    harness.run_ok();
}

/// Clicks the widget labelled `label` and lets the app settle.
/// Scrolls it into view first, as a user would.
pub fn click(harness: &mut Harness<'static, StatecraftApp>, label: &str) {
    harness.get_by_label(label).scroll_to_me();
    harness.run_ok();
    harness.get_by_label(label).click();
    harness.run_ok();
}

/// True when some widget is labelled exactly `label`.
pub fn shows(harness: &Harness<'static, StatecraftApp>, label: &str) -> bool {
    harness.query_all_by_label(label).next().is_some()
}

/// True when some widget's label contains `part`.
pub fn shows_text(harness: &Harness<'static, StatecraftApp>, part: &str) -> bool {
    harness.query_all_by_label_contains(part).next().is_some()
}

/// Waits until the simulator's first report is on screen.
pub fn wait_for_simulation(harness: &mut Harness<'static, StatecraftApp>) {
    wait_until(harness, "the first simulation", |h| {
        h.state().screens.simulator.report.value.is_some()
    });
}

/// A fresh temporary folder for files a test writes.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}
