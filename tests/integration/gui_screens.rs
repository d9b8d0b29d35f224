//! The Compare, Chaos monkey and Capacity planner screens, driven by label as a user would.

use egui::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, Queryable};
use statecraft::app::StatecraftApp;
use statecraft::domain::sim::Estimate;
use statecraft::ui::ScreenId;

use crate::gui_harness::{app, click, shows, shows_text, wait_for_simulation, wait_until};

/// Types `name` into the simulator's "Name" field and presses "Save scenario".
fn save_scenario(h: &mut Harness<'static, StatecraftApp>, name: &str) {
    h.get_by_label("Name").focus();
    h.run_ok();
    h.get_by_label("Name").type_text(name);
    h.run_ok();
    click(h, "Save scenario");
}

#[test]
fn two_saved_scenarios_are_compared_side_by_side() {
    let (mut h, _) = app();
    h.run();
    click(&mut h, "Simulator");
    wait_for_simulation(&mut h);
    save_scenario(&mut h, "Launch");
    h.get_by_role_and_label(Role::Slider, "Peak traffic")
        .set_value_accesskit(5_000.0);
    h.run_ok();
    save_scenario(&mut h, "Year two");
    let saved: Vec<_> = h
        .state()
        .doc
        .project
        .scenarios
        .iter()
        .map(|s| (s.name.clone(), s.scenario.traffic.peak_rps))
        .collect();
    assert_eq!(
        saved,
        [
            // the peak question's default, the one the record simulates too
            ("Launch".to_string(), Estimate::Exact(100.0)),
            ("Year two".to_string(), Estimate::Exact(5_000.0)),
        ]
    );

    click(&mut h, "Compare");
    assert_eq!(h.state().screen, ScreenId::Compare);
    wait_until(&mut h, "both reports", |h| {
        h.state().screens.compare.report("Launch").is_some()
            && h.state().screens.compare.report("Year two").is_some()
    });
    assert_eq!(h.state().screens.compare.selected, ["Launch", "Year two"]);
    // the table names only what differs: the peak, 600 against 5,000
    assert!(shows(&h, "What differs"));
    assert!(
        shows(&h, "Peak traffic (requests/s)"),
        "the setting goes by its name, not its field in a file"
    );
    assert!(!shows(&h, "traffic.peak_rps"));
    assert!(
        shows(&h, "5,000"),
        "the second scenario's peak is in the table"
    );
    assert!(
        !shows(&h, "Compute per request (ms)"),
        "settings that are the same are left out"
    );
    // and the second scenario, at eight times the traffic, costs more
    let cost = |name: &str| {
        h.state()
            .screens
            .compare
            .report(name)
            .expect("a report")
            .cost
            .monthly_usd
            .0
    };
    assert!(cost("Year two") > cost("Launch"));

    // unticking a scenario takes it off the plots
    h.get_by_role_and_label(Role::CheckBox, "Launch").click();
    h.run_ok();
    assert_eq!(h.state().screens.compare.selected, ["Year two"]);
}

/// Fills every user's cart twice, then kills server B; returns (sessions lost, carts lost).
fn kill_server_b(mode: &str) -> (Harness<'static, StatecraftApp>, u64, u64) {
    let (mut h, _) = app();
    h.run();
    click(&mut h, "Chaos monkey");
    click(&mut h, mode);
    // the seeds' design for the mode, whatever the answers recommend
    h.get_by_label_contains("this mode's design").click();
    h.run_ok();
    click(&mut h, "Every user adds an item");
    click(&mut h, "Every user adds an item");
    click(&mut h, "Server B");
    assert!(
        !h.state().screens.chaos.demo.servers[1].alive,
        "server B is down"
    );
    let demo = &h.state().screens.chaos.demo;
    let lost = (demo.sessions_lost, demo.carts_lost);
    wait_until(&mut h, "the timed run", |h| {
        h.state().screens.chaos.timed.is_some()
    });
    (h, lost.0, lost.1)
}

#[test]
fn killing_a_server_in_stateful_mode_loses_the_sessions_on_it() {
    let (h, sessions, carts) = kill_server_b("Stateful");
    // six users round-robin over three servers: two of them were pinned to B
    assert_eq!(sessions, 2);
    assert_eq!(carts, 2);
    assert!(shows_text(
        &h,
        "server B was killed with 2 sessions in its memory: those users lost their sessions and 2 carts"
    ));
    let timed = h
        .state()
        .screens
        .chaos
        .timed
        .as_ref()
        .expect("the timed run");
    assert!(
        timed.sessions_lost > 0,
        "the ten-minute run loses sessions too"
    );
    assert!(timed.requests_failed > 0);
}

#[test]
fn killing_a_server_in_stateless_mode_loses_no_session() {
    let (h, sessions, carts) = kill_server_b("Stateless");
    assert_eq!(sessions, 0);
    assert_eq!(carts, 0);
    let timed = h
        .state()
        .screens
        .chaos
        .timed
        .as_ref()
        .expect("the timed run");
    assert_eq!(timed.sessions_lost, 0, "sessions live in the shared store");
}

#[test]
fn the_capacity_planner_puts_erlang_c_beside_the_simulation() {
    let (mut h, _) = app();
    h.run();
    click(&mut h, "Capacity planner");
    wait_until(&mut h, "the queue plan", |h| {
        h.state().screens.capacity.report.is_some()
    });
    let report = h.state().screens.capacity.report.clone().expect("a report");
    let exact = report
        .analytic
        .as_ref()
        .expect("Erlang C for exponential service");
    let mean_exact = exact.mean_response_ms.0;
    let mean_sim = report.simulated.mean_response_ms.0;
    assert!(
        (mean_sim - mean_exact).abs() / mean_exact < 0.05,
        "the simulation agrees with Erlang C: {mean_sim} against {mean_exact}"
    );
    assert!(shows_text(&h, "Erlang C"));
}

/// The stack diagram follows a request: the users, the CDN, the front door, the servers, the
/// stores, left to right; the firewall sits beside the flow rather than on it.
#[test]
fn the_stack_diagram_puts_the_cdn_before_the_front_door_and_the_firewall_beside_the_flow() {
    let (mut h, _) = app();
    h.run();
    click(&mut h, "Recommendation");
    h.run_ok();
    let x = |h: &Harness<'static, StatecraftApp>, name: &str| {
        let label = format!("{name}: ");
        h.get(By::new().role(Role::Image).label_contains(&label))
            .rect()
            .center()
            .x
    };
    // the default answers compose ALB + CloudFront + EC2 + DynamoDB + RDS + S3 + WAF
    let users = x(&h, "Users");
    let cdn = x(&h, "Amazon CloudFront");
    let front = x(&h, "Application Load Balancer");
    let compute = x(&h, "Amazon EC2 with Auto Scaling");
    let store = x(&h, "Amazon DynamoDB");
    assert!(
        users < cdn && cdn < front && front < compute && compute < store,
        "{users} {cdn} {front} {compute} {store}"
    );
    // the firewall is drawn with the controls, not between the users and the front door
    assert!(x(&h, "AWS WAF") > compute);
}
