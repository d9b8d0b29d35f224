//! Image snapshots of every screen, rendered headless through wgpu (Mesa's software drivers on CI),
//! compared with the PNGs under `tests/snapshots/`. Regenerate with `UPDATE_SNAPSHOTS=1`.
//!
//! Each screen is shown in a realistic state, and the snapshot waits until the worker has answered,
//! so the plots are drawn; nothing on screen depends on the clock (the record's date is fixed).

use egui_kittest::Harness;
use statecraft::app::StatecraftApp;
use statecraft::domain::sim::Scenario;
use statecraft::ui::Screen;

use crate::gui_harness::{app, click, wait_until};

fn settle(h: &mut Harness<'static, StatecraftApp>) {
    wait_until(h, "the worker to finish", |h| {
        h.state().worker.as_ref().is_none_or(|w| !w.busy())
    });
    h.run_ok();
}

fn show(screen: Screen) -> Harness<'static, StatecraftApp> {
    let (mut h, _) = app();
    h.state_mut().export.date = "2026-11-23".into();
    h.state_mut().screen = screen;
    h.run_ok();
    h
}

#[test]
fn snapshot_wizard() {
    let mut h = show(Screen::Wizard);
    click(&mut h, "REST / HTTP API");
    click(&mut h, "Next");
    h.snapshot("wizard");
}

#[test]
fn snapshot_recommendation() {
    let mut h = show(Screen::Recommendation);
    h.snapshot("recommendation");
}

#[test]
fn snapshot_simulator() {
    let mut h = show(Screen::Simulator);
    wait_until(&mut h, "the decision map", |h| {
        h.state().simulator.regions.value.is_some()
    });
    settle(&mut h);
    h.snapshot("simulator");
}

#[test]
fn snapshot_compare() {
    let (mut h, _) = app();
    {
        let p = &mut h.state_mut().doc.project;
        let mut small = Scenario::new("apigw-lambda-dynamodb", 50.0);
        small.name = "Launch".into();
        p.put_scenario("Launch", small);
        let mut big = Scenario::new("alb-ec2-elasticache-rds", 2_000.0);
        big.name = "Year two".into();
        p.put_scenario("Year two", big);
    }
    h.state_mut().screen = Screen::Compare;
    h.run_ok();
    wait_until(&mut h, "both reports", |h| {
        h.state().compare.report("Launch").is_some()
            && h.state().compare.report("Year two").is_some()
    });
    settle(&mut h);
    h.snapshot("compare");
}

#[test]
fn snapshot_chaos() {
    let mut h = show(Screen::Chaos);
    click(&mut h, "Stateful");
    click(&mut h, "Every user adds an item");
    click(&mut h, "Every user adds an item");
    click(&mut h, "Server B");
    wait_until(&mut h, "the timed run", |h| h.state().chaos.timed.is_some());
    settle(&mut h);
    h.snapshot("chaos");
}

#[test]
fn snapshot_capacity() {
    let mut h = show(Screen::Capacity);
    wait_until(&mut h, "the queue plan", |h| {
        h.state().capacity.report.is_some()
    });
    settle(&mut h);
    h.snapshot("capacity");
}

#[test]
fn snapshot_export() {
    let mut h = show(Screen::Export);
    wait_until(&mut h, "the record", |h| {
        h.state().export.current_record().is_some()
    });
    settle(&mut h);
    h.snapshot("export");
}
