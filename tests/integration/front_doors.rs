//! One door per protocol group: where clients speak HTTP beside live connections (WebSocket, MQTT,
//! raw TCP or UDP) and no one door carries them all to the compute, the stack has a front door for
//! the requests and a live-connection door for the connections, each priced and explained. The
//! protocol path client → door → compute is checked end to end (an ALB never hands a WebSocket to
//! a Lambda function).

use std::path::Path;

use proptest::prelude::*;
use serde_json::Value;
use statecraft::domain::answers::Answers;
use statecraft::domain::compose::Composer;
use statecraft::domain::knowledge::{AnswerValue, Knowledge, StackTier, carries};
use statecraft::domain::rules::{Advice, Engine};

use crate::advice::answers_from;
use crate::sim_support::simulate_json;
use crate::support::{statecraft, stderr, stdout};

fn shipped() -> Knowledge {
    Knowledge::shipped().expect("the shipped knowledge is valid")
}

fn advise_json(name: &str, answers: &Value) -> Value {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("front-doors");
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let file = dir.join(name);
    std::fs::write(&file, answers.to_string()).expect("the file is written");
    let file = file.to_string_lossy().into_owned();
    let out = statecraft(&["advise", "--answers", &file, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("advise prints JSON")
}

fn in_tier(advice: &Advice, tier: StackTier) -> Option<&str> {
    advice.stack.in_tier(tier)
}

fn service_in<'a>(advice: &'a Value, tier: &str) -> Option<&'a Value> {
    advice["stack"]["services"]
        .as_array()
        .expect("services")
        .iter()
        .find(|s| s["tier"] == tier)
}

/// A ride-hailing dispatch: riders' apps call an HTTP API, drivers' phones publish positions over
/// MQTT.
fn ride_hailing() -> Value {
    serde_json::json!({"answers": {
        "workload": "microservices", "client-kind": ["people", "devices"],
        "client-protocols": ["http", "mqtt"], "realtime": true,
        "connection-pattern": "per-client-session", "connection-minutes": 60,
        "keeps-sessions": true, "session-loss": "annoying", "peak-rps": 10000,
        "latency-p99-ms": 200, "auth": "jwt", "ops-experience": "high"}})
}

#[test]
fn http_beside_mqtt_gets_an_http_front_door_and_iot_core_for_the_devices() {
    let advice = advise_json("ride-hailing.json", &ride_hailing());
    let front = service_in(&advice, "front").expect("a front door");
    let live = service_in(&advice, "live").expect("a live-connection door");
    // a load balancer that reads HTTP for the apps; the purpose-built MQTT broker for the devices
    assert_eq!(front["id"], "alb", "{}", advice["stack"]["id"]);
    assert_eq!(live["id"], "iot-core", "{}", advice["stack"]["id"]);
    // each door says why it is there, in the words of its own protocol
    let why = |s: &Value| s["why"].as_str().expect("a why").to_string();
    assert!(
        why(front).contains("clients speak HTTP(S)"),
        "{}",
        why(front)
    );
    assert!(!why(front).contains("MQTT"), "{}", why(front));
    assert!(why(live).contains("devices speak MQTT"), "{}", why(live));
    assert!(why(live).starts_with("In the stack because clients keep live connections open"));
}

#[test]
fn both_doors_of_a_two_door_stack_are_on_the_simulated_bill() {
    let advice = advise_json("ride-hailing-bill.json", &ride_hailing());
    let id = advice["stack"]["id"].as_str().expect("an id");
    assert!(id.contains("front=alb+live=iot-core+"), "{id}");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("front-doors");
    let scenario = serde_json::json!({
        "schema_version": 1, "name": "Two doors", "stack": id,
        "traffic": {"peak_rps": 10, "shape": "flat", "request_ms": 20, "request_dist": "det",
                    "payload_kb": 1, "session_kb": 1, "state_reads": 0, "state_writes": 0,
                    "db_queries": 0, "stored_gb": 0, "users": 0, "sessions": 0},
        "sampling": {"requests": 2000}
    });
    let file = dir.join("two-doors.json");
    std::fs::write(&file, scenario.to_string()).expect("written");
    let r = simulate_json(&file.to_string_lossy());
    let billed = |service: &str| {
        r["cost"]["by_service"]
            .as_array()
            .expect("lines")
            .iter()
            .filter(|l| l["service"] == service)
            .map(|l| l["monthly_usd"].as_f64().expect("usd"))
            .sum::<f64>()
    };
    assert!(billed("alb") > 0.0, "{}", r["cost"]);
    assert!(billed("iot-core") > 0.0, "{}", r["cost"]);
}

#[test]
fn a_udp_only_game_has_one_door_and_a_udp_game_with_an_http_api_has_two() {
    let k = shipped();
    let mut a = Answers::default();
    for (q, v) in [
        ("workload", AnswerValue::Choice("realtime-game".into())),
        ("client-protocols", AnswerValue::Choices(vec!["udp".into()])),
        ("realtime", AnswerValue::Bool(true)),
        ("connection-pattern", AnswerValue::Choice("rooms".into())),
        ("sub-ms-session", AnswerValue::Bool(true)),
    ] {
        a.set(q, v);
    }
    let one = Engine::new(&k).advise(&a);
    assert_eq!(
        in_tier(&one, StackTier::Front),
        Some("nlb"),
        "{}",
        one.stack.id
    );
    assert_eq!(in_tier(&one, StackTier::Live), None, "{}", one.stack.id);

    a.set(
        "client-protocols",
        AnswerValue::Choices(vec!["http".into(), "udp".into()]),
    );
    let two = Engine::new(&k).advise(&a);
    let front = in_tier(&two, StackTier::Front).expect("a front door");
    assert_ne!(front, "nlb", "the HTTP API gets a door that reads HTTP");
    assert_eq!(
        in_tier(&two, StackTier::Live),
        Some("nlb"),
        "{}",
        two.stack.id
    );
}

#[test]
fn an_alb_hands_a_lambda_function_http_but_never_a_websocket() {
    let k = shipped();
    let composer = Composer::new(&k);
    let at = |id: &str| {
        k.services
            .iter()
            .position(|s| s.id == id)
            .expect("a service")
    };
    let http = vec!["http".to_string()];
    let ws = vec!["websocket".to_string()];
    assert!(composer.carries_to(&k, at("alb"), Some(at("lambda")), &http));
    assert!(!composer.carries_to(&k, at("alb"), Some(at("lambda")), &ws));
    assert!(composer.carries_to(&k, at("alb"), Some(at("fargate")), &ws));
    assert!(composer.carries_to(&k, at("apigw-websocket"), Some(at("lambda")), &ws));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Whatever the answers, every protocol the clients speak reaches the compute through a door
    /// of the stack that carries it that far (or the advice lists the requirement it cannot meet):
    /// no advised stack sends a WebSocket through a door that cannot hand it to its compute.
    #[test]
    fn every_client_protocol_reaches_the_compute_through_a_door_that_carries_it(picks in proptest::collection::vec(any::<u32>(), 32)) {
        let k = shipped();
        let composer = Composer::new(&k);
        let a = answers_from(&k, &picks);
        let advice = Engine::new(&k).advise(&a);
        prop_assume!(advice.unmet.is_empty());
        let Some(front) = in_tier(&advice, StackTier::Front) else { return Ok(()) };
        let at = |id: &str| k.services.iter().position(|s| s.id == id);
        let compute = in_tier(&advice, StackTier::Compute).and_then(at);
        let doors: Vec<usize> = [Some(front), in_tier(&advice, StackTier::Live)]
            .into_iter()
            .flatten()
            .filter_map(at)
            .collect();
        let wanted: Vec<&str> = advice
            .requirements
            .iter()
            .filter_map(|r| k.requirements.iter().find(|q| q.id == r.id))
            .filter(|r| matches!(r.tier, StackTier::Front | StackTier::Live))
            .filter_map(|r| r.needs.protocol.as_deref())
            .collect();
        for p in wanted {
            let carried = doors.iter().any(|&d| {
                let speaks = k.services[d]
                    .capabilities
                    .as_ref()
                    .is_some_and(|c| carries(&c.protocols, p));
                let needs_no_compute = k.services[d]
                    .capabilities
                    .as_ref()
                    .is_some_and(|c| c.targets.iter().any(|t| t == "none"));
                speaks
                    && (composer.carries_to(&k, d, compute, &[p.to_string()])
                        || (d != doors[0] && needs_no_compute))
            });
            prop_assert!(carried, "{p} in {}", advice.stack.id);
        }
        // two doors only where the front door cannot carry the live connections itself
        if doors.len() == 2 {
            prop_assert_ne!(doors[0], doors[1]);
        }
    }
}

/// A DNS-style lookup service: other services resolve keys 100,000 times a second, answers that
/// need the origin.
fn lookups_at_100k() -> Value {
    serde_json::json!({"answers": {
        "workload": "routing", "client-kind": ["services"], "client-protocols": ["http"],
        "peak-rps": 100000, "burstiness": "daily-cycle", "keeps-sessions": false,
        "auth": "none", "consistency": "eventual", "latency-p99-ms": 20,
        "ops-experience": "medium", "budget": "minimize-cost"}})
}

#[test]
fn edge_fees_at_high_request_rates_take_the_cdn_out_and_waf_fees_give_way_to_shield_advanced() {
    let advice = advise_json("lookups-100k.json", &lookups_at_100k());
    let id = advice["stack"]["id"].as_str().expect("an id");
    assert!(!id.contains("cdn="), "{id}");
    assert!(id.contains("+firewall=shield-advanced"), "{id}");
    // the firewall sits on a front door AWS WAF can be associated with
    let front = service_in(&advice, "front").expect("a front door");
    let k = shipped();
    assert!(
        k.service(front["id"].as_str().expect("id"))
            .and_then(|s| s.capabilities.as_ref())
            .is_some_and(|c| c.firewall),
        "{id}"
    );
    // the exclusions say which finding took CloudFront and WAF out
    let excluded = advice["excluded"].as_array().expect("exclusions");
    let by = |service: &str| {
        excluded
            .iter()
            .find(|e| e["id"] == service)
            .map(|e| e["requirement"].as_str().unwrap_or_default().to_string())
    };
    assert_eq!(
        by("cloudfront").as_deref(),
        Some("edge-fees-at-high-request-rates")
    );
    assert_eq!(
        by("waf").as_deref(),
        Some("waf-request-fees-at-high-request-rates")
    );
    // no finding is left beside the stack that contradicts the steer
    let checks: Vec<&str> = advice["review"]
        .as_array()
        .expect("review")
        .iter()
        .filter_map(|f| f["check"].as_str())
        .collect();
    assert!(
        !checks.contains(&"cacheable-reads-without-cdn"),
        "{checks:?}"
    );
    assert!(
        !checks.contains(&"public-endpoint-without-firewall"),
        "{checks:?}"
    );
}

#[test]
fn a_dns_style_lookup_at_100k_requests_a_second_costs_near_its_hand_price() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("front-doors");
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let answers = dir.join("lookups-100k-month.json");
    std::fs::write(&answers, lookups_at_100k().to_string()).expect("written");
    let out = statecraft(&[
        "scenario",
        "--answers",
        &answers.to_string_lossy(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let scenario = dir.join("lookups-100k-scenario.json");
    std::fs::write(&scenario, stdout(&out)).expect("written");
    let r = simulate_json(&scenario.to_string_lossy());
    let month = r["cost"]["monthly_usd"].as_f64().expect("a month");
    // by hand: a few load-balanced instances, the load balancer's LCUs, Shield Advanced's $3,000
    // and sampled logs come to about $10,000-15,000; CloudFront and per-request WAF fees put it
    // past $140,000
    assert!((8_000.0..20_000.0).contains(&month), "{month}");
    let shield = r["cost"]["by_service"]
        .as_array()
        .expect("lines")
        .iter()
        .find(|l| l["item"] == "AWS Shield Advanced subscription")
        .expect("Shield Advanced is on the bill");
    assert_eq!(shield["monthly_usd"].as_f64(), Some(3000.0));
    assert_eq!(shield["price_source"], "aws.amazon.com/shield/pricing");
}

#[test]
fn a_public_read_heavy_api_keeps_its_cdn() {
    let advice = advise_json(
        "forecasts.json",
        &serde_json::json!({"answers": {
            "workload": "rest-api", "client-kind": ["people"], "client-protocols": ["http"],
            "peak-rps": 50000, "keeps-sessions": false, "auth": "none",
            "consistency": "eventual"}}),
    );
    let id = advice["stack"]["id"].as_str().expect("an id");
    assert!(id.contains("+cdn=cloudfront+"), "{id}");
}

#[test]
fn a_udp_game_across_regions_enters_through_global_accelerator_and_pays_for_it() {
    let game = serde_json::json!({"answers": {
        "workload": "realtime-game", "client-kind": ["people"], "client-protocols": ["udp", "http"],
        "realtime": true, "connection-pattern": "rooms", "connection-minutes": 20,
        "sub-ms-session": true, "keeps-sessions": true, "session-loss": "annoying",
        "peak-rps": 5000, "latency-p99-ms": 40, "multi-region": true}});
    let advice = advise_json("arena.json", &game);
    let id = advice["stack"]["id"].as_str().expect("an id");
    assert!(id.contains("+dns=global-accelerator+"), "{id}");
    assert_eq!(
        service_in(&advice, "live").map(|s| s["id"].clone()),
        Some(Value::from("nlb"))
    );
    let ga = service_in(&advice, "dns").expect("global routing");
    assert!(
        ga["why"]
            .as_str()
            .is_some_and(|w| w.contains("static anycast")),
        "{}",
        ga["why"]
    );
    // the same answers for an HTTP-only product across Regions keep DNS routing
    let mut http = game.clone();
    http["answers"]["client-protocols"] = serde_json::json!(["http"]);
    http["answers"]["workload"] = serde_json::json!("web-app");
    let web = advise_json("web-two-regions.json", &http);
    assert_eq!(
        service_in(&web, "dns").map(|s| s["id"].clone()),
        Some(Value::from("route53")),
        "{}",
        web["stack"]["id"]
    );
    // both of Global Accelerator's prices are sourced and dated
    let k = shipped();
    for id in ["global-accelerator-hours", "global-accelerator-dt-premium"] {
        let p = k.price(id).expect("the price");
        assert_eq!(
            p.source.as_deref(),
            Some("aws.amazon.com/global-accelerator/pricing")
        );
        assert!(p.as_of.is_some());
    }
}

/// A reference stack lists ECS before Fargate: the compute its front door hands requests to is
/// Fargate, which ECS only orchestrates (found by the property above).
#[test]
fn the_compute_tier_is_the_service_that_fills_it_not_its_companion() {
    let k = shipped();
    let mut a = Answers::default();
    a.set("workload", AnswerValue::Choice("financial-ledger".into()));
    a.set(
        "client-protocols",
        AnswerValue::Choices(vec!["websocket".into()]),
    );
    a.set("auth", AnswerValue::Choice("device-certs".into()));
    a.set("keeps-sessions", AnswerValue::Bool(true));
    a.set("file-uploads", AnswerValue::Bool(true));
    a.set("latency-p99-ms", AnswerValue::Number(10.0));
    a.set("session-loss", AnswerValue::Choice("acceptable".into()));
    let advice = Engine::new(&k).advise(&a);
    assert_eq!(advice.stack.id, "ecs-fargate-elasticache-aurora");
    let tiers: Vec<(&str, Option<StackTier>)> = advice
        .stack
        .services
        .iter()
        .map(|s| (s.id.as_str(), s.tier))
        .collect();
    assert!(
        tiers.contains(&("ecs", Some(StackTier::Compute))),
        "{tiers:?}"
    );
    assert_eq!(advice.stack.in_tier(StackTier::Compute), Some("fargate"));
}
