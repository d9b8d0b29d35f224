//! Image snapshots of every screen at the smallest window the app allows (800×600) and at a
//! common desktop size (1400×900), rendered headless through wgpu (Mesa's software drivers on CI)
//! and compared with the PNGs under `tests/snapshots/`. Regenerate with `UPDATE_SNAPSHOTS=1`.
//!
//! Each screen is shown in a realistic state, and the snapshot waits until the worker has answered,
//! so the plots are drawn; nothing on screen depends on the clock (the record's date is fixed).

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use statecraft::app::{MIN_WINDOW, Settings, StatecraftApp};
use statecraft::domain::sim::Scenario;
use statecraft::ui::{Command, ScreenId};

use crate::gui_harness::{app_sized, click, wait_until};

/// The window sizes every screen is drawn at, with the suffix of their snapshot names.
const SIZES: [(f32, f32, &str); 2] = [
    (MIN_WINDOW[0], MIN_WINDOW[1], "800x600"),
    (1400.0, 900.0, "1400x900"),
];

fn settle(h: &mut Harness<'static, StatecraftApp>) {
    wait_until(h, "the worker to finish", |h| {
        h.state().worker.as_ref().is_none_or(|w| !w.busy())
    });
    h.run_ok();
}

/// The app at each size on `screen`, after `setup`; snapshots named `<name>_<size>`.
fn snapshot_at_every_size(
    name: &str,
    screen: ScreenId,
    setup: impl Fn(&mut Harness<'static, StatecraftApp>),
) {
    // one set of results for the test, so that UPDATE_SNAPSHOTS rewrites every size at once
    let mut results = egui_kittest::SnapshotResults::new();
    for (w, h_points, suffix) in SIZES {
        let (mut h, _) = app_sized(Settings::default(), egui::vec2(w, h_points));
        h.state_mut().screens.export.date = "2026-11-23".into();
        // the prices' age is told against a fixed day, so the snapshots do not age
        h.state_mut().screens.simulator.prices_today =
            time::Date::from_calendar_date(2026, time::Month::December, 1).ok();
        h.state_mut().screen = screen;
        h.run_ok();
        setup(&mut h);
        settle(&mut h);
        h.snapshot(format!("{name}_{suffix}"));
        results.extend_harness(&mut h);
    }
}

fn save_two_scenarios(h: &mut Harness<'static, StatecraftApp>) {
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
fn snapshot_wizard() {
    snapshot_at_every_size("wizard", ScreenId::Wizard, |h| {
        click(h, "REST / HTTP API");
        click(h, "Next");
    });
}

#[test]
fn snapshot_recommendation() {
    snapshot_at_every_size("recommendation", ScreenId::Recommendation, |_| {});
}

#[test]
fn snapshot_simulator() {
    snapshot_at_every_size("simulator", ScreenId::Simulator, |h| {
        // every plot's exact answer, not a first one: which first answer a frame shows depends on
        // the machine's speed
        wait_until(h, "the exact plots", |h| {
            let sim = &h.state().screens.simulator;
            sim.regions.value.is_some()
                && sim.report.value.is_some()
                && sim.curves.value.is_some()
                && !(sim.regions.provisional || sim.report.provisional || sim.curves.provisional)
        });
    });
}

#[test]
fn snapshot_compare() {
    snapshot_at_every_size("compare", ScreenId::Compare, |h| {
        save_two_scenarios(h);
        wait_until(h, "both reports", |h| {
            h.state().screens.compare.report("Launch").is_some()
                && h.state().screens.compare.report("Year two").is_some()
        });
    });
}

#[test]
fn snapshot_chaos() {
    snapshot_at_every_size("chaos", ScreenId::Chaos, |h| {
        click(h, "Stateful");
        click(h, "Every user adds an item");
        click(h, "Every user adds an item");
        click(h, "Server B");
        wait_until(h, "the timed run", |h| {
            h.state().screens.chaos.timed.is_some()
        });
    });
}

#[test]
fn snapshot_capacity() {
    snapshot_at_every_size("capacity", ScreenId::Capacity, |h| {
        wait_until(h, "the queue plan", |h| {
            h.state().screens.capacity.report.is_some()
        });
    });
}

#[test]
fn snapshot_export() {
    snapshot_at_every_size("export", ScreenId::Export, |h| {
        wait_until(h, "the record", |h| {
            h.state().screens.export.current_record().is_some()
        });
    });
}

#[test]
fn snapshot_decisions() {
    snapshot_at_every_size("decisions", ScreenId::Decisions, |_| {});
}

/// Compare at the smallest window with three scenarios: the side-by-side table wraps its columns
/// so that every scenario reads whole (past four columns of 130 points it scrolls sideways, with a
/// bar, instead of cutting one off). The snapshot is of the table, scrolled to as a user does.
#[test]
fn snapshot_compare_three_scenarios_at_800x600() {
    let (mut h, _) = app_sized(
        Settings::default(),
        egui::vec2(MIN_WINDOW[0], MIN_WINDOW[1]),
    );
    h.run_ok();
    save_two_scenarios(&mut h);
    let mut s = Scenario::new("alb-fargate-jwt", 250.0);
    s.name = "Black Friday".into();
    h.state_mut().command(Command::SaveScenario {
        name: "Black Friday".into(),
        scenario: Box::new(s),
    });
    h.run_ok();
    // the first visit ticks the saved scenarios
    h.state_mut().screen = ScreenId::Compare;
    h.run_ok();
    wait_until(&mut h, "three reports", |h| {
        ["Launch", "Year two", "Black Friday"]
            .iter()
            .all(|n| h.state().screens.compare.report(n).is_some())
    });
    settle(&mut h);
    // the table, reached as a user reaches it: the wheel down the page, then sideways over the
    // table (the wheel with Shift)
    let wheel = |h: &mut Harness<'static, StatecraftApp>, at: egui::Pos2, delta: egui::Vec2| {
        h.event(egui::Event::PointerMoved(at));
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
            modifiers: egui::Modifiers::NONE,
        });
        for _ in 0..30 {
            h.step();
        }
    };
    wheel(&mut h, egui::pos2(480.0, 400.0), egui::vec2(0.0, -4000.0));
    let row = h
        .query_all_by_label("Black Friday")
        .last()
        .map(|n| n.rect().center().y)
        .expect("the table heading");
    // and sideways, in case it overflows: the third column must be in the window either way
    wheel(&mut h, egui::pos2(480.0, row), egui::vec2(-4000.0, 0.0));
    h.run_ok();
    let rect = h
        .query_all_by_label("Black Friday")
        .last()
        .map(|n| n.rect())
        .expect("the third scenario's column heading");
    assert!(
        rect.max.x <= MIN_WINDOW[0] && rect.min.x >= 0.0 && rect.max.y <= MIN_WINDOW[1],
        "the third scenario's heading is inside the window: {rect:?}"
    );
    h.snapshot("compare_three_800x600");
}
