//! Keyboard and screen-reader use: every control on every screen carries a label in the AccessKit
//! tree, and Tab walks the controls with the focus visible on one at a time.

use egui::{Key, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::NodeT;
use statecraft::app::StatecraftApp;
use statecraft::domain::sim::Scenario;
use statecraft::ui::{Command, ScreenId};

use crate::gui_harness::{app, click, wait_until};

/// The roles a user operates, which a screen reader must be able to name.
fn is_control(role: Role) -> bool {
    matches!(
        role,
        Role::Button
            | Role::CheckBox
            | Role::RadioButton
            | Role::Slider
            | Role::TextInput
            | Role::MultilineTextInput
            | Role::ComboBox
            | Role::SpinButton
            | Role::Link
            | Role::Tab
            | Role::MenuItem
            | Role::ListBoxOption
    )
}

/// The controls on screen without a name, described by role and value.
fn unlabelled(h: &Harness<'static, StatecraftApp>) -> Vec<String> {
    h.root()
        .children_recursive()
        .filter(|n| {
            let node = n.accesskit_node();
            is_control(node.role()) && node.label().is_none_or(|l| l.trim().is_empty())
        })
        .map(|n| {
            let node = n.accesskit_node();
            format!("{:?} (value {:?})", node.role(), node.value())
        })
        .collect()
}

#[test]
fn every_control_on_every_screen_has_a_label() {
    let (mut h, _) = app();
    h.run();
    let mut s = Scenario::new("apigw-lambda-dynamodb", 50.0);
    s.name = "Launch".into();
    h.state_mut().command(Command::SaveScenario {
        name: "Launch".into(),
        scenario: Box::new(s),
    });
    h.run_ok();
    let mut problems = Vec::new();
    for screen in ScreenId::ALL {
        click(&mut h, screen.title());
        if screen == ScreenId::Simulator {
            wait_until(&mut h, "the simulation", |h| {
                h.state().screens.simulator.report.value.is_some()
            });
        }
        if screen == ScreenId::Chaos {
            click(&mut h, "Server B");
        }
        let controls = h
            .root()
            .children_recursive()
            .filter(|n| is_control(n.accesskit_node().role()))
            .count();
        // the walk sees the screen's controls (the navigation alone has seven buttons)
        assert!(
            controls > 10,
            "{}: only {controls} controls found",
            screen.title()
        );
        for control in unlabelled(&h) {
            problems.push(format!("{}: {control}", screen.title()));
        }
    }
    assert!(
        problems.is_empty(),
        "controls without a label: {problems:#?}"
    );
}

#[test]
fn tab_walks_the_wizard_controls_one_at_a_time() {
    let (mut h, _) = app();
    h.run();
    let mut visited = Vec::new();
    for _ in 0..60 {
        h.key_press(Key::Tab);
        h.run_ok();
        let focused: Vec<String> = h
            .root()
            .children_recursive()
            .filter(|n| n.accesskit_node().is_focused())
            .filter_map(|n| n.accesskit_node().label())
            .collect();
        assert!(focused.len() <= 1, "one focus at a time: {focused:?}");
        visited.extend(focused);
    }
    for control in ["Wizard", "Recommendation", "REST / HTTP API", "Next"] {
        assert!(
            visited.iter().any(|v| v == control),
            "Tab reaches {control}: {visited:?}"
        );
    }
}
