//! Image snapshots of every screen, rendered headless through wgpu (Mesa's software drivers on CI),
//! compared with the PNGs under `tests/snapshots/`. Regenerate with `UPDATE_SNAPSHOTS=1`.

use statecraft::ui::Screen;

use crate::gui_harness::app;

fn snapshot_of(screen: Screen, name: &str) {
    let (mut h, _) = app();
    h.state_mut().screen = screen;
    h.run_ok();
    h.snapshot(name);
}

#[test]
fn snapshot_wizard() {
    snapshot_of(Screen::Wizard, "wizard");
}

#[test]
fn snapshot_recommendation() {
    snapshot_of(Screen::Recommendation, "recommendation");
}
