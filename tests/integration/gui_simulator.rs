//! The simulator screen: it replots when a slider moves, refuses out-of-range input with a message,
//! and runs Monte Carlo with progress and Cancel — all through the worker thread.

use egui::Role;
use egui_kittest::kittest::Queryable;
use statecraft::domain::sim::Estimate;
use statecraft::ui::ScreenId;

use crate::gui_harness::{app, click, shows_text, wait_for_simulation, wait_until};

fn peak_of_report(
    h: &egui_kittest::Harness<'static, statecraft::app::StatecraftApp>,
) -> Option<f64> {
    h.state()
        .screens
        .simulator
        .report
        .value
        .as_ref()
        .map(|r| r.timeline.iter().map(|p| p.rps.0).fold(0.0, f64::max))
}

#[test]
fn moving_the_peak_slider_changes_the_plotted_day() {
    let (mut h, _) = app();
    h.run();
    click(&mut h, "Simulator");
    wait_until(&mut h, "the first simulation", |h| {
        h.state().screens.simulator.report.value.is_some()
    });
    let before = peak_of_report(&h).expect("a report");
    let revision = h.state().screens.simulator.revision;
    h.get_by_role_and_label(Role::Slider, "Peak traffic")
        .set_value_accesskit(5_000.0);
    h.run_ok();
    let working = h
        .state()
        .doc
        .project
        .working
        .clone()
        .expect("a working scenario");
    assert_eq!(working.traffic.peak_rps, Estimate::Exact(5_000.0));
    wait_until(&mut h, "the replot", |h| {
        h.state().screens.simulator.revision > revision
            && peak_of_report(h).is_some_and(|p| (p - before).abs() > 1.0)
    });
    let after = peak_of_report(&h).expect("a report");
    assert!(
        after > before * 2.0,
        "the day's peak rate follows the slider: {before} → {after}"
    );
}

#[test]
fn an_out_of_range_peak_is_refused_with_a_message() {
    let (mut h, _) = app();
    h.run();
    click(&mut h, "Simulator");
    wait_for_simulation(&mut h);
    let before = h.state().doc.project.working.clone();
    let field = h.get_by_label("Peak (requests/s)");
    field.focus();
    h.run_ok();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_ok();
    h.get_by_label("Peak (requests/s)").type_text("2000000");
    h.run_ok();
    assert!(
        shows_text(&h, "is out of range: enter a number from 1..1,000,000"),
        "the field says why the value is refused"
    );
    assert_eq!(
        h.state().doc.project.working,
        before,
        "the scenario is unchanged"
    );
    assert_eq!(h.state().screen, ScreenId::Simulator);
}

#[test]
fn monte_carlo_shows_progress_and_can_be_cancelled() {
    let (mut h, _) = app();
    h.run();
    click(&mut h, "Simulator");
    wait_for_simulation(&mut h);
    h.get_by_role_and_label(Role::Slider, "± uncertainty")
        .set_value_accesskit(30.0);
    h.get_by_role_and_label(Role::Slider, "Monte Carlo runs")
        .set_value_accesskit(2_000.0);
    h.run_ok();
    click(&mut h, "Run Monte Carlo");
    wait_until(&mut h, "progress", |h| shows_text(h, "of 2000 runs"));
    click(&mut h, "Cancel");
    wait_until(&mut h, "the cancellation", |h| {
        let s = &h.state().screens.simulator.monte_carlo;
        s.job.is_none()
    });
    assert!(
        h.state()
            .screens
            .simulator
            .monte_carlo
            .value
            .as_ref()
            .is_none_or(|m| m.runs < 2_000),
        "the run stopped early"
    );
}

#[test]
fn choosing_a_region_prices_the_bill_with_its_pack_and_says_how_old_the_prices_are() {
    let (mut h, _) = app();
    h.run();
    click(&mut h, "Simulator");
    wait_until(&mut h, "the first simulation", |h| {
        h.state().screens.simulator.report.value.is_some()
    });
    assert!(shows_text(&h, "prices as of"), "the prices' age is shown");
    let before = h
        .state()
        .screens
        .simulator
        .report
        .value
        .as_ref()
        .map(|r| r.cost.monthly_usd.0)
        .expect("a bill");
    let revision = h.state().screens.simulator.revision;
    h.get_by_role_and_label(Role::ComboBox, "Prices of region")
        .click();
    h.run_ok();
    click(&mut h, "EU (Frankfurt) (eu-central-1)");
    let working = h
        .state()
        .doc
        .project
        .working
        .clone()
        .expect("a working scenario");
    assert_eq!(working.billing.region, "eu-central-1");
    wait_until(&mut h, "the new bill", |h| {
        h.state().screens.simulator.revision > revision
    });
    let after = h
        .state()
        .screens
        .simulator
        .report
        .value
        .as_ref()
        .map(|r| r.cost.monthly_usd.0)
        .expect("a bill");
    assert!(
        after > before,
        "Frankfurt is dearer than N. Virginia: {before} → {after}"
    );
}

#[test]
fn a_composed_stack_being_simulated_is_on_the_decision_map_under_its_name() {
    use statecraft::domain::sim::Scenario;
    use statecraft::ui::Command;
    let composed = "stateful+front=nlb+compute=ec2+session=server-memory+database=rds-postgres";
    let (mut h, _) = app();
    h.run();
    let mut s = Scenario::new(composed, 600.0);
    s.name = "TCP service".into();
    h.state_mut().command(Command::SetWorking(Box::new(s)));
    click(&mut h, "Simulator");
    wait_until(&mut h, "the exact decision map", |h| {
        let r = &h.state().screens.simulator.regions;
        r.value.is_some() && !r.provisional && r.job.is_none()
    });
    let map = h
        .state()
        .screens
        .simulator
        .regions
        .value
        .clone()
        .expect("a map");
    assert!(
        map.cells
            .iter()
            .all(|c| c.candidates.iter().any(|c| c.stack == composed)),
        "the composed stack is a candidate in every cell"
    );
    let name = h
        .state()
        .knowledge
        .as_ref()
        .expect("the knowledge")
        .stack(composed)
        .expect("the composed stack")
        .name
        .clone();
    let won = map
        .cells
        .iter()
        .filter(|c| c.best.as_deref() == Some(composed))
        .count();
    assert!(
        won > 0,
        "it is the cheapest that meets the target somewhere"
    );
    assert!(shows_text(&h, &name), "the map's legend names it: {name}");
}

/// Where the simulated stack has a CDN in front of its servers, a slider sets how much of the
/// traffic its caches answer; the servers and their stores then serve, and bill, only the rest.
#[test]
fn the_cacheable_share_slider_moves_traffic_from_the_servers_to_the_edge() {
    let (mut h, _) = app();
    h.run();
    click(&mut h, "Simulator");
    wait_for_simulation(&mut h);
    let origin = |h: &egui_kittest::Harness<'static, statecraft::app::StatecraftApp>| {
        h.state().screens.simulator.report.value.as_ref().map(|r| {
            r.cost
                .by_service
                .iter()
                .filter(|l| l.service == "dynamodb" && l.item.contains("read"))
                .map(|l| l.quantity)
                .sum::<f64>()
        })
    };
    let before = origin(&h).expect("a report");
    let revision = h.state().screens.simulator.revision;
    // the default answers compose ALB + CloudFront + EC2: the slider is there
    h.get_by_role_and_label(Role::Slider, "Cacheable at the edge")
        .set_value_accesskit(90.0);
    h.run_ok();
    let working = h
        .state()
        .doc
        .project
        .working
        .clone()
        .expect("a working scenario");
    assert_eq!(working.traffic.cacheable_pct, Estimate::Exact(90.0));
    wait_until(&mut h, "the replot", |h| {
        h.state().screens.simulator.revision > revision
            && origin(h).is_some_and(|q| (q - before).abs() > 1e-6)
    });
    let after = origin(&h).expect("a report");
    // the sessions' reads fall to the 19 % of requests that still reach the servers (90 % cacheable,
    // of which the default 10 % still miss)
    assert!(
        (after / before - 0.19).abs() < 0.03,
        "session reads {before} → {after}"
    );
    let report = h
        .state()
        .screens
        .simulator
        .report
        .value
        .clone()
        .expect("a report");
    let edge: f64 = report
        .cost
        .by_service
        .iter()
        .filter(|l| {
            l.service == "cloudfront"
                && l.note
                    .as_deref()
                    .is_some_and(|n| n.contains("answered from the edge"))
        })
        .count() as f64;
    assert_eq!(
        edge, 1.0,
        "the CloudFront line says how much the edge answered"
    );
}
