//! A stack with two front doors (requests over HTTP beside live MQTT or WebSocket connections)
//! bills each door on its own traffic: the request door on the requests, the live door on the
//! messages its connections carry, not both on every request.

use statecraft::domain::decision::{Origin, describe, likely_only};
use statecraft::domain::knowledge::AnswerValue;
use statecraft::domain::sim::simulate;

use crate::sim_support::{knowledge, product_answers};

const DISPATCH: &str = "stateless+front=alb+live=iot-core+compute=fargate+database=dynamodb";

fn dispatch(messages: Option<f64>) -> statecraft::domain::answers::Answers {
    // riders' apps call a JSON API; drivers' phones publish their position over MQTT
    let mut a = product_answers("microservices", 10_000.0, "steady");
    a.set(
        "client-protocols",
        AnswerValue::Choices(vec!["http".into(), "mqtt".into()]),
    );
    a.set("realtime", AnswerValue::Bool(true));
    a.set("keeps-sessions", AnswerValue::Bool(false));
    if let Some(m) = messages {
        a.set("messages-per-second", AnswerValue::Number(m));
    }
    a
}

fn line_quantity(r: &statecraft::domain::sim::SimReport, service: &str, item: &str) -> f64 {
    r.cost
        .by_service
        .iter()
        .find(|l| l.service == service && l.item.starts_with(item))
        .map(|l| l.quantity)
        .unwrap_or_else(|| panic!("no {service} line {item}"))
}

#[test]
fn the_live_door_meters_the_connections_messages_and_the_request_door_the_requests() {
    let k = knowledge();
    let described = describe(&k, DISPATCH, &dispatch(Some(2_000.0)), 42);
    let s = likely_only(&described.scenario);
    assert_eq!(s.traffic.live_messages_rps, Some(2_000.0));
    assert!(matches!(
        described.origins["traffic.live_messages_rps"],
        Origin::Answered { .. }
    ));
    let r = simulate(&k, &s).expect("simulates");
    // a steady 2,000 messages/s for a month of 730 hours
    let month_s = s.billing.month_hours * 3600.0;
    let messages = line_quantity(&r, "iot-core", "IoT Core messages");
    assert!(
        (messages - 2_000.0 * month_s).abs() / messages < 1e-6,
        "{messages}"
    );
    // the requests still reach the load balancer and the compute: five times the messages
    assert!(r.requests_total as f64 > 4.9 * 2_000.0 * 86_400.0);

    // unanswered, the question's default, marked as one
    let unanswered = describe(&k, DISPATCH, &dispatch(None), 42);
    assert_eq!(unanswered.scenario.traffic.live_messages_rps, Some(100.0));
    assert!(matches!(
        unanswered.origins["traffic.live_messages_rps"],
        Origin::Default { .. }
    ));
}

#[test]
fn a_stack_whose_only_door_is_live_still_meters_its_requests() {
    let k = knowledge();
    let stack = "stateless+front=iot-core+compute=lambda+database=dynamodb";
    let s = likely_only(&describe(&k, stack, &dispatch(Some(2_000.0)), 42).scenario);
    assert_eq!(s.traffic.live_messages_rps, None);
    let r = simulate(&k, &s).expect("simulates");
    let messages = line_quantity(&r, "iot-core", "IoT Core messages");
    let requests = r.requests_total as f64 * s.billing.month_hours * 3600.0 / s.horizon_s;
    assert!(
        (messages - requests).abs() / requests < 1e-6,
        "{messages} {requests}"
    );
}
