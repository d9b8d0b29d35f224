//! The design review an architect runs before signing a stack: every warning a rule gives reaches
//! the stack it warns about with its mitigation, blockers steer the composer where any stack can
//! avoid them, the protocol path holds end to end, durability meets the answered loss tolerance,
//! contradictory answers are named, close calls show their runner-up, and the Region is stated.

use proptest::prelude::*;
use statecraft::domain::answers::{self, Answers};
use statecraft::domain::knowledge::{AnswerValue, Knowledge, Severity, StackTier};
use statecraft::domain::rules::{Advice, Engine, tiered};

use crate::advice::answers_from;
use crate::support::{statecraft, stderr, stdout};

fn shipped() -> Knowledge {
    Knowledge::shipped().expect("the shipped knowledge is valid")
}

fn answers(pairs: &[(&str, AnswerValue)]) -> Answers {
    let mut a = Answers::default();
    for (q, v) in pairs {
        a.set(*q, v.clone());
    }
    a
}

fn choice(s: &str) -> AnswerValue {
    AnswerValue::Choice(s.into())
}

fn choices(s: &[&str]) -> AnswerValue {
    AnswerValue::Choices(s.iter().map(|x| x.to_string()).collect())
}

fn has(advice: &Advice, service: &str) -> bool {
    advice.stack.services.iter().any(|s| s.id == service)
}

/// Every warning a rule gives about a service in the stack is in the review with what mitigates it
/// (or, for a blocker no stack avoids, among what is not met).
fn assert_warnings_carry_their_mitigation(k: &Knowledge, advice: &Advice) {
    let stack = tiered(&advice.stack);
    for fired in &advice.fired_rules {
        let rule = k
            .rules
            .iter()
            .find(|r| r.id == fired.id)
            .expect("a fired rule exists");
        for id in &rule.review {
            let check = k
                .checks
                .iter()
                .find(|c| &c.id == id)
                .expect("named checks exist");
            let present = check.with.iter().all(|w| stack.iter().any(|(_, s)| s == w))
                && !check
                    .without
                    .iter()
                    .any(|w| stack.iter().any(|(_, s)| s == w))
                && !stack.iter().any(|(t, _)| check.without_tiers.contains(t))
                && stack.iter().any(|(t, s)| {
                    check.services.contains(s) && check.tier.is_none_or(|ct| ct == *t)
                });
            if !present {
                continue;
            }
            let finding = advice.review.iter().find(|f| &f.check == id);
            assert!(
                finding.is_some(),
                "rule `{}` fired beside {:?} but the review says nothing of `{id}`",
                rule.id,
                check.services
            );
            let f = finding.expect("checked above");
            assert!(
                f.mitigation.is_some() || f.severity == Severity::Note,
                "`{id}` gives no mitigation"
            );
            if f.severity == Severity::Blocker {
                assert!(
                    advice.unmet.iter().any(|u| &u.requirement == id),
                    "blocker `{id}` kept on the stack without being listed as unmet"
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn no_warning_fires_beside_its_service_without_its_mitigation(picks in proptest::collection::vec(any::<u32>(), 31)) {
        let k = shipped();
        let a = answers_from(&k, &picks);
        let advice = Engine::new(&k).advise(&a);
        assert_warnings_carry_their_mitigation(&k, &advice);
    }

    #[test]
    fn the_chosen_stack_carries_a_blocker_only_when_unmet_names_it(picks in proptest::collection::vec(any::<u32>(), 31)) {
        let k = shipped();
        let a = answers_from(&k, &picks);
        let advice = Engine::new(&k).advise(&a);
        for f in advice.review.iter().filter(|f| f.severity == Severity::Blocker) {
            prop_assert!(advice.unmet.iter().any(|u| u.requirement == f.check), "{} not in unmet", f.check);
        }
    }

    #[test]
    fn every_tipping_point_is_an_answer_the_wizard_accepts(picks in proptest::collection::vec(any::<u32>(), 31)) {
        let k = shipped();
        let a = answers_from(&k, &picks);
        let advice = Engine::new(&k).advise(&a);
        for t in &advice.tipping_points {
            prop_assert!(answers::check_answer(&k, &t.question, &t.to).is_ok(), "{} -> {:?}", t.question, t.to);
            let applied = Engine::new(&k).advise(&a.with(&t.question, t.to.clone()));
            prop_assert_eq!(applied.recommendation, t.recommendation);
        }
        for u in &advice.unmet {
            for r in &u.relax {
                prop_assert!(answers::check_answer(&k, &r.question, &r.to).is_ok());
            }
        }
    }
}

#[test]
fn an_alb_never_hands_a_websocket_to_a_lambda_function() {
    let k = shipped();
    // a chat that also serves HTTP: the points alone favour functions
    let chat = answers(&[
        ("workload", choice("chat")),
        ("client-protocols", choices(&["http", "websocket"])),
        ("realtime", AnswerValue::Bool(true)),
        ("connection-pattern", choice("push-only")),
        ("ops-experience", choice("low")),
        ("burstiness", choice("spiky")),
    ]);
    let advice = Engine::new(&k).advise(&chat);
    // functions may serve the HTTP requests behind an ALB, but then the WebSocket clients get a
    // door of their own that hands their messages to the functions
    let door = |tier: StackTier| advice.stack.in_tier(tier);
    if door(StackTier::Front) == Some("alb") && has(&advice, "lambda") {
        assert!(
            matches!(door(StackTier::Live), Some("apigw-websocket" | "appsync")),
            "advised {}",
            advice.stack.id
        );
    }
    assert!(
        advice
            .review
            .iter()
            .all(|f| f.check != "alb-websocket-to-lambda")
    );
}

#[test]
fn an_alb_in_front_of_lambda_is_refused_when_the_stack_is_pinned_and_says_what_relaxes_it() {
    let k = shipped();
    let review = Engine::new(&k).advise(&answers(&[
        ("workload", choice("rest-api")),
        ("client-protocols", choices(&["http", "websocket"])),
        ("pin-stack", choice("apigw-lambda-dynamodb")),
    ]));
    // the pinned stack has API Gateway, not an ALB: no such blocker
    assert!(
        review
            .review
            .iter()
            .all(|f| f.check != "alb-websocket-to-lambda")
    );
}

#[test]
fn api_gateway_far_past_its_account_throttle_is_not_advised() {
    let k = shipped();
    let a = answers(&[
        ("workload", choice("event-functions")),
        ("peak-rps", AnswerValue::Number(60000.0)),
        ("burstiness", choice("spiky")),
    ]);
    let advice = Engine::new(&k).advise(&a);
    let apigw = has(&advice, "apigw-http") || has(&advice, "apigw-rest");
    assert!(
        !apigw
            || advice
                .unmet
                .iter()
                .any(|u| u.requirement == "apigw-far-past-throttle"),
        "advised {} with {:?}",
        advice.stack.id,
        advice.review
    );
}

#[test]
fn api_gateway_past_its_default_throttle_carries_the_quota_increase() {
    let k = shipped();
    let a = answers(&[
        ("workload", choice("rest-api")),
        ("peak-rps", AnswerValue::Number(20000.0)),
        ("pin-stack", choice("apigw-lambda-dynamodb")),
    ]);
    let advice = Engine::new(&k).advise(&a);
    let f = advice
        .review
        .iter()
        .find(|f| f.check == "apigw-account-throttle")
        .expect("the throttle finding");
    assert_eq!(f.severity, Severity::Risk);
    assert_eq!(f.service.as_deref(), Some("apigw-http"));
    assert_eq!(
        f.text,
        "API Gateway throttles each account at 10,000 requests/s per Region by default, shared by every API in it; the answered peak is 20,000 requests/s, so the excess is refused with 429 errors."
    );
    assert!(
        f.mitigation
            .as_deref()
            .is_some_and(|m| m.ends_with("No charge: a quota increase is free."))
    );
    assert_eq!(
        f.source,
        "Amazon API Gateway quotas — docs.aws.amazon.com/apigateway/latest/developerguide/limits.html"
    );
}

#[test]
fn unacceptable_loss_never_leaves_sessions_in_memcached_or_unjournalled_memory() {
    let k = shipped();
    let shop = answers(&[
        ("workload", choice("web-app")),
        ("keeps-sessions", AnswerValue::Bool(true)),
        ("session-loss", choice("unacceptable")),
        ("session-lifetime-min", AnswerValue::Number(10080.0)),
    ]);
    let advice = Engine::new(&k).advise(&shop);
    assert!(
        !has(&advice, "elasticache-memcached"),
        "{}",
        advice.stack.id
    );
    if has(&advice, "server-memory") {
        // state left in a server's memory is journalled to a durable store
        assert!(
            advice.stack.in_tier(StackTier::Journal).is_some(),
            "{}",
            advice.stack.id
        );
    }
    if has(&advice, "elasticache-redis") {
        let f = advice
            .review
            .iter()
            .find(|f| f.check == "redis-sessions-unacceptable-loss")
            .expect("the replication risk");
        assert_eq!(f.mitigation_price.as_deref(), Some("elasticache-t4g-small"));
    }
}

#[test]
fn state_that_only_a_servers_memory_can_hold_is_journalled_when_its_loss_is_unacceptable() {
    let k = shipped();
    let game = answers(&[
        ("workload", choice("realtime-game")),
        ("sub-ms-session", AnswerValue::Bool(true)),
        ("client-protocols", choices(&["udp"])),
        ("realtime", AnswerValue::Bool(true)),
        ("keeps-sessions", AnswerValue::Bool(true)),
        ("session-loss", choice("unacceptable")),
    ]);
    let advice = Engine::new(&k).advise(&game);
    assert!(has(&advice, "server-memory"), "{}", advice.stack.id);
    // the match state stays in memory and every change reaches MemoryDB's Multi-AZ log first
    assert_eq!(
        advice.stack.in_tier(StackTier::Journal),
        Some("memorydb"),
        "{}",
        advice.stack.id
    );
    assert!(advice.unmet.is_empty(), "{:?}", advice.unmet);
    assert!(
        advice
            .review
            .iter()
            .all(|f| f.check != "memory-state-unacceptable-loss"),
        "the journal answers the Chaos Monkey finding"
    );
    // where losing a match is only annoying, nothing is journalled and the risk is named instead
    let relaxed = Engine::new(&k).advise(&game.with("session-loss", choice("annoying")));
    assert_eq!(relaxed.stack.in_tier(StackTier::Journal), None);
    assert!(
        relaxed
            .review
            .iter()
            .any(|f| f.check == "memory-state-annoying-loss")
    );
}

#[test]
fn websocket_is_not_invented_for_products_that_speak_udp_tcp_or_mqtt() {
    let k = shipped();
    for protocol in ["udp", "tcp", "mqtt"] {
        let a = answers(&[
            ("workload", choice("realtime-game")),
            ("client-protocols", choices(&["http", protocol])),
            ("realtime", AnswerValue::Bool(true)),
        ]);
        let advice = Engine::new(&k).advise(&a);
        assert!(
            advice
                .requirements
                .iter()
                .all(|r| r.id != "clients-speak-websocket"),
            "{protocol}: {:?}",
            advice.requirements
        );
    }
}

#[test]
fn contradictory_answers_are_named_with_the_questions_involved() {
    let k = shipped();
    let a = answers(&[
        ("workload", choice("static-site")),
        ("sub-ms-session", AnswerValue::Bool(true)),
    ]);
    let advice = Engine::new(&k).advise(&a);
    assert_eq!(advice.conflicts.len(), 1, "{:?}", advice.conflicts);
    assert_eq!(advice.conflicts[0].id, "static-site-with-server-context");
    assert_eq!(
        advice.conflicts[0].questions,
        ["sub-ms-session", "workload"]
    );
    // and on the command line, before the recommendation
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("answers.json");
    std::fs::write(
        &path,
        r#"{"answers": {"workload": "static-site", "sub-ms-session": true}}"#,
    )
    .expect("write");
    let out = statecraft(&["advise", "--answers", path.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with(
        "Answers that contradict each other (the advice below reads them as given):\n  - A static site is served from a CDN"
    ));
}

#[test]
fn a_tie_is_shown_as_a_close_call_with_its_runner_up_and_what_differs() {
    let k = shipped();
    // devices streaming telemetry over MQTT at a steady 20,000 messages a second
    let fleet = answers(&[
        ("workload", choice("event-processing")),
        ("client-kind", choices(&["devices"])),
        ("client-protocols", choices(&["mqtt"])),
        ("realtime", AnswerValue::Bool(true)),
        ("connection-pattern", choice("push-only")),
        ("connection-minutes", AnswerValue::Number(1440.0)),
        ("messages-per-second", AnswerValue::Number(20000.0)),
        ("peak-rps", AnswerValue::Number(20000.0)),
        ("auth", choice("device-certs")),
        ("keeps-sessions", AnswerValue::Bool(false)),
        ("burstiness", choice("steady")),
        ("ops-experience", choice("medium")),
        ("budget", choice("balanced")),
    ]);
    let advice = Engine::new(&k).advise(&fleet);
    assert_eq!(advice.scores.stateless, advice.scores.hybrid);
    assert_eq!(advice.recommendation.as_str(), "stateless");
    let c = advice.close_call.as_ref().expect("a tie is a close call");
    assert_eq!(c.margin, 0);
    assert_eq!(c.runner_up.archetype.as_str(), "hybrid");
    assert_eq!(
        c.differences[0],
        format!(
            "a tie: stateless and hybrid both score {}; ties go to stateless, then hybrid, then stateful",
            advice.scores.stateless
        )
    );
    assert_eq!(
        c.differences[1],
        "session state: Amazon DynamoDB here, Amazon ElastiCache (Redis OSS / Valkey) in the hybrid stack"
    );
    // a clear lead is no close call
    let site = Engine::new(&k).advise(&answers(&[("workload", choice("static-site"))]));
    assert!(site.close_call.is_none(), "{:?}", site.scores);
}

#[test]
fn the_region_is_stated_by_code_and_name_and_says_what_placed_it() {
    let k = shipped();
    let eu = Engine::new(&k).advise(&answers(&[("data-residency", choice("eu-central-1"))]));
    assert_eq!(eu.region.code, "eu-central-1");
    assert_eq!(eu.region.name, "EU (Frankfurt)");
    assert_eq!(eu.region.because, ["data-residency"]);
    let default = Engine::new(&k).advise(&Answers::default());
    assert_eq!(default.region.code, "us-east-1");
    assert!(default.region.because.is_empty());
}

#[test]
fn a_service_that_was_the_only_choice_for_its_tier_is_not_explained_by_an_unrelated_rule() {
    let k = shipped();
    let ledger = answers(&[
        ("workload", choice("financial-ledger")),
        ("file-uploads", AnswerValue::Bool(true)),
        ("consistency", choice("transactions")),
    ]);
    let advice = Engine::new(&k).advise(&ledger);
    let s3 = advice
        .stack
        .services
        .iter()
        .find(|s| s.id == "s3")
        .expect("uploads put S3 in the stack");
    assert!(!s3.why.contains("the rules favour it"), "{}", s3.why);
    assert_eq!(s3.because, ["file-uploads"]);
}

#[test]
fn every_service_of_the_stack_states_its_tier() {
    let k = shipped();
    let out = statecraft(&[
        "advise",
        "--answers",
        "tests/fixtures/usecases/realtime-game.json",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    for s in v["stack"]["services"].as_array().expect("services") {
        assert!(s["tier"].is_string(), "{s}");
    }
    for key in ["review", "unmet", "conflicts"] {
        assert!(v[key].is_array(), "{key}");
    }
    assert!(v["region"]["code"].is_string());
    assert!(v.get("close_call").is_some());
    let _ = k;
}

#[test]
fn partners_dropping_files_over_sftp_get_a_managed_transfer_endpoint() {
    let k = shipped();
    let advice = Engine::new(&k).advise(&answers(&[
        ("workload", choice("file-transfer")),
        ("client-kind", choices(&["services"])),
        ("client-protocols", choices(&["tcp"])),
        ("file-uploads", AnswerValue::Bool(true)),
        ("keeps-sessions", AnswerValue::Bool(false)),
        ("ops-experience", choice("low")),
    ]));
    assert_eq!(
        advice.stack.services.first().map(|s| s.id.as_str()),
        Some("transfer-family"),
        "{}",
        advice.stack.id
    );
    assert!(has(&advice, "s3"));
}

#[test]
fn cacheable_reads_at_tens_of_thousands_a_second_are_told_to_put_a_cdn_in_front() {
    let k = shipped();
    let weather = answers(&[
        ("workload", choice("rest-api")),
        ("client-kind", choices(&["services"])),
        ("client-protocols", choices(&["http"])),
        ("peak-rps", AnswerValue::Number(40000.0)),
        ("consistency", choice("eventual")),
        ("keeps-sessions", AnswerValue::Bool(false)),
    ]);
    // the composed stack has the CDN (a requirement calls for it), so the review has nothing to ask
    let composed = Engine::new(&k).advise(&weather);
    assert!(has(&composed, "cloudfront"), "{}", composed.stack.id);
    assert!(
        composed
            .review
            .iter()
            .all(|f| f.check != "cacheable-reads-without-cdn")
    );
    // a stack pinned without one is told to put it in front
    let weather = weather.with("pin-stack", choice("apigw-lambda-dynamodb"));
    let advice = Engine::new(&k).advise(&weather);
    let f = advice
        .review
        .iter()
        .find(|f| f.check == "cacheable-reads-without-cdn")
        .expect("the CDN finding");
    assert_eq!(
        f.mitigation_price.as_deref(),
        Some("cloudfront-https-requests")
    );
    // reads that must see the latest write are not told to cache
    let fresh = Engine::new(&k).advise(&weather.with("consistency", choice("per-item")));
    assert!(
        fresh
            .review
            .iter()
            .all(|f| f.check != "cacheable-reads-without-cdn")
    );
}

#[test]
fn functions_in_front_of_postgres_are_told_to_pool_their_connections() {
    let k = shipped();
    let advice = Engine::new(&k).advise(&answers(&[
        ("workload", choice("rest-api")),
        ("peak-rps", AnswerValue::Number(2000.0)),
        ("consistency", choice("transactions")),
        ("keeps-sessions", AnswerValue::Bool(false)),
        ("pin-stack", choice("apigw-lambda-dynamodb")),
    ]));
    // the pinned stack keeps its data in DynamoDB: no connection pool to size
    assert!(
        advice
            .review
            .iter()
            .all(|f| f.check != "functions-exhaust-database-connections")
    );
    let composed = Engine::new(&k).advise(&answers(&[
        ("workload", choice("event-functions")),
        ("peak-rps", AnswerValue::Number(2000.0)),
        ("consistency", choice("transactions")),
        ("keeps-sessions", AnswerValue::Bool(false)),
    ]));
    assert_eq!(
        composed.stack.id,
        "stateless+front=alb+compute=lambda+database=rds-postgres+ingest=sqs"
    );
    let f = composed
        .review
        .iter()
        .find(|f| f.check == "functions-exhaust-database-connections")
        .expect("the connection finding");
    assert!(
        f.mitigation
            .as_deref()
            .is_some_and(|m| m.contains("RDS Proxy") && m.contains("$0.015 per vCPU-hour"))
    );
}

#[test]
fn an_edge_in_front_of_a_hundred_thousand_tiny_lookups_a_second_is_flagged_for_its_per_request_fees()
 {
    let k = shipped();
    let lookups = |rps: f64| {
        answers(&[
            ("workload", choice("routing")),
            ("client-kind", choices(&["services"])),
            ("client-protocols", choices(&["http"])),
            ("peak-rps", AnswerValue::Number(rps)),
            ("keeps-sessions", AnswerValue::Bool(false)),
            ("consistency", choice("eventual")),
            ("auth", choice("none")),
        ])
    };
    // the finding steers: the CDN is left out, and the exclusion names the check
    let busy = Engine::new(&k).advise(&lookups(100_000.0));
    assert!(!has(&busy, "cloudfront"), "{}", busy.stack.id);
    let excluded = busy
        .excluded
        .iter()
        .find(|e| e.id == "cloudfront")
        .expect("CloudFront's exclusion is listed");
    assert_eq!(excluded.requirement, "edge-fees-at-high-request-rates");
    assert!(
        excluded.why.contains("$0.01 per 10,000 HTTPS requests"),
        "{}",
        excluded.why
    );
    let check = k
        .checks
        .iter()
        .find(|c| c.id == "edge-fees-at-high-request-rates")
        .expect("the check");
    assert_eq!(check.severity, Severity::Blocker);
    assert!(busy.unmet.is_empty(), "{:?}", busy.unmet);
    let quiet = Engine::new(&k).advise(&lookups(2_000.0));
    assert!(
        !quiet
            .review
            .iter()
            .any(|f| f.check == "edge-fees-at-high-request-rates")
    );
}

#[test]
fn the_scenario_command_describes_the_stack_the_advise_command_prints() {
    let file = "tests/fixtures/usecases/dns-lookup.json";
    let advised: serde_json::Value = serde_json::from_str(&stdout(&statecraft(&[
        "advise",
        "--answers",
        file,
        "--format",
        "json",
    ])))
    .expect("advice JSON");
    let scenario: serde_json::Value = serde_json::from_str(&stdout(&statecraft(&[
        "scenario",
        "--answers",
        file,
        "--format",
        "json",
    ])))
    .expect("scenario JSON");
    assert_eq!(scenario["stack"], advised["stack"]["id"]);
    assert_eq!(scenario["origins"]["traffic.request_ms"], "profile");
}

#[test]
fn a_pinned_reference_stack_keeps_its_session_pattern_and_the_review_checks_it() {
    let k = shipped();
    // a whiteboard whose lost state is unacceptable, pinned to the reference design that keeps
    // sessions in the servers' memory: the review must see the memory as it does in a composed
    // stack, and name the blocker
    let a = answers(&[
        ("workload", choice("collaborative-editor")),
        ("client-protocols", choices(&["http", "websocket"])),
        ("realtime", AnswerValue::Bool(true)),
        ("connection-pattern", choice("shared-state")),
        ("keeps-sessions", AnswerValue::Bool(true)),
        ("session-loss", choice("unacceptable")),
        ("peak-rps", AnswerValue::Number(1_000.0)),
        ("pin-stack", choice("alb-sticky-ec2-memory")),
    ]);
    let advice = Engine::new(&k).advise(&a);
    assert_eq!(advice.stack.id, "alb-sticky-ec2-memory");
    assert_eq!(
        advice.stack.in_tier(StackTier::Session),
        Some("server-memory")
    );
    assert!(
        tiered(&advice.stack)
            .iter()
            .any(|(t, s)| *t == StackTier::Session && s == "server-memory")
    );
    let blocker = advice
        .review
        .iter()
        .find(|f| f.check == "memory-state-unacceptable-loss")
        .expect("the review names the lost state");
    assert_eq!(blocker.severity, Severity::Blocker);
    assert!(
        advice
            .unmet
            .iter()
            .any(|u| u.requirement == "memory-state-unacceptable-loss")
    );
}

#[test]
fn work_taken_from_a_queue_is_made_idempotent_because_queues_deliver_at_least_once() {
    let k = shipped();
    // payment webhooks relayed through a queue to functions: a duplicate would pay twice
    let a = answers(&[
        ("workload", choice("event-functions")),
        ("peak-rps", AnswerValue::Number(500.0)),
        ("burstiness", choice("spiky")),
        ("consistency", choice("transactions")),
    ]);
    let advice = Engine::new(&k).advise(&a);
    let queue =
        advice.stack.services.iter().find(|s| {
            ["sqs", "kinesis-data-streams", "msk", "eventbridge"].contains(&s.id.as_str())
        });
    let Some(queue) = queue else {
        panic!(
            "an event product is given a queue or stream: {:?}",
            advice.stack.id
        );
    };
    let finding = advice
        .review
        .iter()
        .find(|f| f.check == "at-least-once-delivery-duplicates")
        .expect("the review names duplicate deliveries");
    assert_eq!(finding.service.as_deref(), Some(queue.id.as_str()));
    assert_eq!(finding.severity, Severity::Risk);
    assert_eq!(
        finding.mitigation_price.as_deref(),
        Some("dynamodb-write-units")
    );
    assert!(
        finding
            .mitigation
            .as_deref()
            .unwrap_or("")
            .contains("idempotent")
    );
}

/// A rule's reason is its points' reason: one that argues for servers holding sessions in memory
/// gives no points to a design whose functions hold none, so no function's "why" quotes the case
/// for stateful servers.
#[test]
fn no_rule_argues_for_in_memory_servers_and_favours_functions_with_the_same_reason() {
    use statecraft::domain::knowledge::{ComputeKind, SessionPlacement};
    let k = shipped();
    let kind = |id: &str| {
        k.stack(id)
            .map(|s| (s.topology.compute, s.topology.session))
    };
    for rule in &k.rules {
        let favoured: Vec<_> = rule
            .stacks
            .iter()
            .filter(|(_, p)| **p > 0)
            .filter_map(|(id, _)| kind(id))
            .collect();
        let in_memory = favoured
            .iter()
            .any(|(_, s)| *s == SessionPlacement::InProcessSticky);
        let functions = favoured.iter().any(|(c, _)| *c == ComputeKind::Lambda);
        assert!(
            !(in_memory && functions),
            "rule `{}` favours in-memory servers and functions for one reason: {}",
            rule.id,
            rule.rationale
        );
    }
    // a chat advised on functions says why functions
    let chat = Engine::new(&k).advise(&answers(&[
        ("workload", choice("chat")),
        ("client-protocols", choices(&["http", "websocket"])),
        ("realtime", AnswerValue::Bool(true)),
        ("connection-pattern", choice("push-only")),
        ("keeps-sessions", AnswerValue::Bool(false)),
        ("ops-experience", choice("low")),
    ]));
    let lambda = chat
        .stack
        .services
        .iter()
        .find(|s| s.id == "lambda")
        .unwrap_or_else(|| {
            panic!(
                "a small team's push-only chat runs on functions: {}",
                chat.stack.id
            )
        });
    assert!(!lambda.why.contains("stateful servers"), "{}", lambda.why);
    assert!(lambda.why.contains("WebSocket"), "{}", lambda.why);
}
