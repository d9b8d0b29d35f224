//! The advice engine as the seeds describe it: each use case gets the seeds' archetype, every point
//! traces to a fired rule, and every tipping point really flips the recommendation — and is the
//! nearest answer that does.

use proptest::prelude::*;
use statecraft::domain::answers::Answers;
use statecraft::domain::json_source::SourceText;
use statecraft::domain::knowledge::{AnswerValue, Archetype, Knowledge, QuestionKind, StackTier};
use statecraft::domain::rules::{Advice, Engine};
use statecraft::domain::wizard;

use crate::support::{fixtures, statecraft, stderr, stdout};

fn shipped() -> Knowledge {
    Knowledge::shipped().expect("the shipped knowledge is valid")
}

/// A use-case fixture: its answers, expected archetype and stack.
fn usecase(name: &str, k: &Knowledge) -> (Answers, Archetype, Option<String>) {
    let path = fixtures().join("usecases").join(format!("{name}.json"));
    let src = SourceText::read(&path, "answers").expect("fixture readable");
    let answers = Answers::parse(&src, k).expect("fixture answers are valid");
    // what each use case should get lives beside the answers files, which hold answers only
    let all = std::fs::read_to_string(fixtures().join("usecase-expectations/expected.json"))
        .expect("expectations readable");
    let all: serde_json::Value = serde_json::from_str(&all).expect("json");
    let raw = &all[name];
    let expected: Archetype =
        serde_json::from_value(raw["expected"].clone()).expect("expected archetype");
    let stack = raw["expected_stack"].as_str().map(str::to_string);
    (answers, expected, stack)
}

fn assert_usecase(name: &str) {
    let k = shipped();
    let (answers, expected, stack) = usecase(name, &k);
    let advice = Engine::new(&k).advise(&answers);
    assert_eq!(
        advice.recommendation, expected,
        "{name}: scores {:?}",
        advice.scores
    );
    if let Some(stack) = stack {
        assert_eq!(
            advice.stack.id, stack,
            "{name}: stack ranking {:?}",
            advice.stack_ranking
        );
    }
    assert_meets_its_requirements(&k, &advice);
    assert_tipping_points_flip(&k, &answers, &advice);
}

/// The stack meets every requirement the answers imply, no service is there without the answers
/// that put it there, and the rest of Statecraft can read the stack by its id.
fn assert_meets_its_requirements(k: &Knowledge, advice: &Advice) {
    for r in &advice.requirements {
        assert!(
            r.met,
            "{}: the stack breaks requirement {}",
            advice.stack.id, r.id
        );
        assert!(
            !r.because.is_empty(),
            "requirement {} names its answers",
            r.id
        );
    }
    for s in &advice.stack.services {
        assert!(
            !s.because.is_empty(),
            "{} is in the stack without a because",
            s.id
        );
        assert!(!s.why.is_empty(), "{} says why it is there", s.id);
    }
    let stack = k
        .stack(&advice.stack.id)
        .expect("the stack resolves by its id");
    assert_eq!(stack.archetype, advice.recommendation);
    let listed: Vec<&str> = advice
        .stack
        .services
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    for s in &stack.services {
        assert!(
            listed.contains(&s.service.as_str()),
            "{} is explained",
            s.service
        );
    }
}

macro_rules! usecases {
    ($($test:ident => $file:literal),* $(,)?) => {
        $(#[test] fn $test() { assert_usecase($file); })*
    };
}

usecases! {
    a_rest_api_is_stateless => "rest-api",
    microservices_are_stateless => "microservices",
    a_web_app_is_stateless => "web-app",
    a_serverless_app_is_stateless => "serverless",
    a_static_site_is_stateless_on_a_cdn => "static-site",
    dns_and_api_gateways_are_stateless => "dns-or-api-gateway",
    iot_telemetry_is_stateless => "iot-telemetry",
    streaming_and_publishing_are_stateless => "streaming-publishing",
    a_realtime_game_is_stateful => "realtime-game",
    websockets_chat_is_stateful => "websockets-chat",
    a_collaborative_editor_is_stateful => "collaborative-editor",
    an_ftp_server_is_stateful => "ftp-server",
    sub_millisecond_trading_is_stateful => "sub-ms-trading",
    a_financial_ledger_is_hybrid_on_aurora_and_elasticache => "financial-ledger",
    lambda_with_dynamodb_user_state_is_hybrid => "lambda-dynamodb-with-user-state",
    microservices_with_auth_state_are_hybrid => "microservices-with-auth-state",
    realtime_analytics_is_hybrid => "realtime-analytics",
    the_chaos_monkey_cart_shop_externalises_sessions => "chaos-monkey-cart-shop",
    a_dns_style_lookup_is_stateless_behind_an_nlb => "dns-lookup",
    serverless_upload_processing_is_stateless => "upload-processing",
    a_b2b_marketplace_externalises_sessions_and_files => "b2b-marketplace",
    a_netflix_like_three_tier_keeps_sessions_in_dynamodb => "netflix-three-tier",
}

fn tier_of(advice: &Advice, tier: StackTier) -> Option<&str> {
    advice.stack.in_tier(tier)
}

#[test]
fn sub_millisecond_session_context_decides_stateful_whatever_the_points() {
    let k = shipped();
    let (answers, _, _) = usecase("sub-ms-trading", &k);
    // pile every stateless point a team could add on top
    let piled = answers
        .with("budget", AnswerValue::Choice("minimize-cost".into()))
        .with("ops-experience", AnswerValue::Choice("low".into()))
        .with("burstiness", AnswerValue::Choice("spiky".into()))
        .with("session-loss", AnswerValue::Choice("unacceptable".into()))
        .with("peak-rps", AnswerValue::Number(200_000.0));
    let advice = Engine::new(&k).advise(&piled);
    assert!(
        advice.scores.stateless > advice.scores.stateful
            || advice.scores.hybrid > advice.scores.stateful,
        "the points alone favour another archetype: {:?}",
        advice.scores
    );
    assert_eq!(advice.recommendation, Archetype::Stateful);
    assert_eq!(tier_of(&advice, StackTier::Session), Some("server-memory"));
    let decisive = advice
        .decisive
        .iter()
        .find(|d| d.requirement == "session-context-sub-ms")
        .expect("the sub-ms answer is decisive");
    assert_eq!(decisive.because, ["sub-ms-session"]);
    assert!(decisive.rules_out.contains(&Archetype::Hybrid));
    assert!(
        advice
            .excluded
            .iter()
            .any(|e| e.kind == "archetype" && e.requirement == "session-context-sub-ms")
    );
}

#[test]
fn an_alb_is_ruled_out_for_clients_that_speak_tcp() {
    let k = shipped();
    // a custom protocol over raw TCP (a file-transfer workload's TCP is SFTP or FTP, which its own
    // requirement states)
    let (answers, _, _) = usecase("ftp-server", &k);
    let answers = answers.with("workload", AnswerValue::Choice("realtime-game".into()));
    let advice = Engine::new(&k).advise(&answers);
    assert_eq!(tier_of(&advice, StackTier::Front), Some("nlb"));
    let alb = advice
        .excluded
        .iter()
        .find(|e| e.id == "alb")
        .expect("the ALB is ruled out");
    assert_eq!(alb.requirement, "clients-speak-tcp");
    assert!(
        alb.why
            .starts_with("ALB speaks HTTP(S) and WebSocket; clients speak raw TCP"),
        "{}",
        alb.why
    );
    // and every reference stack behind an ALB with it
    assert!(
        advice
            .excluded
            .iter()
            .any(|e| e.kind == "stack" && e.id == "alb-sticky-ec2-memory")
    );
}

#[test]
fn a_shop_gets_only_the_tiers_its_answers_call_for() {
    let k = shipped();
    let (answers, _, _) = usecase("chaos-monkey-cart-shop", &k);
    let shop = answers
        .with("file-uploads", AnswerValue::Bool(false))
        .with("auth", AnswerValue::Choice("cookie-session".into()))
        .with("consistency", AnswerValue::Choice("transactions".into()));
    let advice = Engine::new(&k).advise(&shop);
    assert_eq!(
        tier_of(&advice, StackTier::Auth),
        None,
        "no Cognito for cookie sessions"
    );
    let db = tier_of(&advice, StackTier::Database).expect("a database");
    assert!(
        ["rds-postgres", "aurora-serverless"].contains(&db),
        "transactions go relational: {db}"
    );
    let s3 = advice
        .stack
        .services
        .iter()
        .find(|s| s.id == "s3")
        .expect("static assets");
    assert!(s3.why.contains("static assets"), "{}", s3.why);
    assert!(!s3.because.contains(&"file-uploads".to_string()));
}

#[test]
fn telemetry_from_devices_gets_an_ingest_service_and_no_session_store() {
    let k = shipped();
    let (answers, _, _) = usecase("iot-telemetry", &k);
    let advice = Engine::new(&k).advise(&answers);
    assert_eq!(tier_of(&advice, StackTier::Front), Some("iot-core"));
    assert!(tier_of(&advice, StackTier::Ingest).is_some());
    assert_eq!(tier_of(&advice, StackTier::Session), None);
    assert!(advice.omitted.contains(&StackTier::Session));
}

#[test]
fn a_dns_style_lookup_has_no_session_store_and_no_alb() {
    let k = shipped();
    let (answers, _, _) = usecase("dns-lookup", &k);
    let advice = Engine::new(&k).advise(&answers);
    assert_eq!(tier_of(&advice, StackTier::Front), Some("nlb"));
    assert_eq!(tier_of(&advice, StackTier::Session), None);
    assert_eq!(tier_of(&advice, StackTier::Dns), Some("route53"));
    let alb = advice
        .excluded
        .iter()
        .find(|e| e.id == "alb")
        .expect("ALB ruled out");
    assert!(alb.why.contains("UDP"), "{}", alb.why);
}

#[test]
fn chat_and_editors_get_a_front_door_that_carries_websockets() {
    let k = shipped();
    for name in ["websockets-chat", "collaborative-editor"] {
        let (answers, _, _) = usecase(name, &k);
        let advice = Engine::new(&k).advise(&answers);
        let front = tier_of(&advice, StackTier::Front).expect("a front door");
        let caps = k
            .service(front)
            .and_then(|s| s.capabilities.clone())
            .expect("capabilities");
        assert!(
            caps.protocols.iter().any(|p| p == "websocket"),
            "{name}: {front}"
        );
    }
}

#[test]
fn tipping_points_a_team_can_act_on_come_before_being_a_different_product() {
    let k = shipped();
    let (answers, _, _) = usecase("web-app", &k);
    let advice = Engine::new(&k).advise(&answers);
    let first_product = advice
        .tipping_points
        .iter()
        .position(|t| t.different_product);
    let last_requirement = advice
        .tipping_points
        .iter()
        .rposition(|t| t.requirement && !t.different_product);
    if let (Some(p), Some(r)) = (first_product, last_requirement) {
        assert!(
            r < p,
            "requirement answers first: {:?}",
            advice
                .tipping_points
                .iter()
                .map(|t| &t.question)
                .collect::<Vec<_>>()
        );
    }
    for t in advice.tipping_points.iter().filter(|t| t.different_product) {
        assert_eq!(t.question, "workload");
        assert!(t.sentence().contains("different product"));
    }
}

#[test]
fn the_chaos_monkey_cart_shop_is_never_stateful() {
    let k = shipped();
    let (answers, _, _) = usecase("chaos-monkey-cart-shop", &k);
    let advice = Engine::new(&k).advise(&answers);
    assert_ne!(advice.recommendation, Archetype::Stateful);
    let stack = k.stack(&advice.stack.id).expect("stack");
    assert_ne!(
        stack.topology.session,
        statecraft::domain::knowledge::SessionPlacement::InProcessSticky,
        "carts must not live in one server's memory"
    );
}

#[test]
fn with_no_answers_the_general_rule_says_stateless() {
    let k = shipped();
    let advice = Engine::new(&k).advise(&Answers::default());
    assert_eq!(advice.recommendation, Archetype::Stateless);
    assert!(
        advice
            .fired_rules
            .iter()
            .any(|r| r.id == "general-rule-go-stateless")
    );
}

#[test]
fn every_point_traces_to_a_fired_rule() {
    let k = shipped();
    for name in ["web-app", "realtime-game", "financial-ledger"] {
        let (answers, _, _) = usecase(name, &k);
        let advice = Engine::new(&k).advise(&answers);
        for a in Archetype::ALL {
            let sum: i32 = advice.fired_rules.iter().map(|r| r.scores.get(a)).sum();
            assert_eq!(
                sum,
                advice.scores.get(a),
                "{name}: {a} score is the sum of its fired rules"
            );
        }
        for r in &advice.fired_rules {
            assert!(
                k.source(&r.source).is_some(),
                "rule {} cites a known source",
                r.id
            );
            assert!(!r.citation.is_empty());
        }
    }
}

#[test]
fn answers_to_hidden_questions_do_not_count() {
    let k = shipped();
    let base = Answers::default().with("keeps-sessions", AnswerValue::Bool(false));
    // session size is asked only when the app keeps sessions
    let hidden = base.with("session-size-kb", AnswerValue::Number(10_000.0));
    let engine = Engine::new(&k);
    assert_eq!(engine.advise(&base).scores, engine.advise(&hidden).scores);
    assert!(
        engine
            .advise(&hidden)
            .answers
            .get("session-size-kb")
            .is_none()
    );
}

#[test]
fn a_real_time_answer_tips_a_web_app_away_from_stateless() {
    let k = shipped();
    let (answers, _, _) = usecase("websockets-chat", &k);
    let advice = Engine::new(&k).advise(&answers);
    let tip = advice
        .tipping_points
        .iter()
        .find(|t| t.question == "realtime");
    if let Some(tip) = tip {
        assert_eq!(tip.to, AnswerValue::Bool(false));
        assert_ne!(tip.recommendation, Archetype::Stateful);
        assert!(
            tip.sentence().starts_with("Answer “no” to "),
            "{}",
            tip.sentence()
        );
    }
}

/// Applying each tipping point gives its recommendation; for numbers, one step less far does not.
fn assert_tipping_points_flip(k: &Knowledge, answers: &Answers, advice: &Advice) {
    let engine = Engine::new(k);
    for tip in &advice.tipping_points {
        let changed = answers.with(&tip.question, tip.to.clone());
        let after = engine.evaluate_only(&changed);
        assert_eq!(
            after.recommendation,
            tip.recommendation,
            "{}",
            tip.sentence()
        );
        assert_ne!(
            after.recommendation,
            advice.recommendation,
            "{}",
            tip.sentence()
        );
        let q = k.question(&tip.question).expect("question");
        if let (AnswerValue::Number(from), AnswerValue::Number(to)) = (&tip.from, &tip.to) {
            let closer = if to > from {
                to - q.step()
            } else {
                to + q.step()
            };
            if (closer - from).abs() > f64::EPSILON && (closer > *from) == (to > from) {
                let before =
                    engine.evaluate_only(&answers.with(&tip.question, AnswerValue::Number(closer)));
                assert_eq!(
                    before.recommendation,
                    advice.recommendation,
                    "{} is the nearest such value",
                    tip.sentence()
                );
            }
        }
    }
}

#[test]
fn advise_json_has_the_contract_fields() {
    let out = statecraft(&[
        "advise",
        "--answers",
        "tests/fixtures/usecases/web-app.json",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(v["recommendation"], "stateless");
    for key in ["stateless", "stateful", "hybrid"] {
        assert!(v["scores"][key].is_i64(), "scores.{key}");
    }
    // JWT sign-in takes its issuer (Cognito), which makes the composition the reference stack
    assert_eq!(v["stack"]["id"], "alb-fargate-jwt");
    let first = &v["stack"]["services"][0];
    assert!(first["role"].is_string());
    assert!(first["why"].as_str().is_some_and(|w| !w.is_empty()));
    assert!(first["because"].as_array().is_some_and(|b| !b.is_empty()));
    let req = &v["requirements"][0];
    assert!(req["id"].is_string() && req["text"].is_string() && req["because"].is_array());
    let excluded = &v["excluded"][0];
    assert!(excluded["id"].is_string() && excluded["why"].is_string());
    let rule = &v["fired_rules"][0];
    assert!(rule["id"].is_string() && rule["rationale"].is_string() && rule["source"].is_string());
    assert!(v["tipping_points"].is_array());
    assert_eq!(
        v["knowledge_version"],
        "Statecraft shipped knowledge 2026.12.1"
    );
}

#[test]
fn advise_text_explains_rules_sources_and_tipping_points() {
    let out = statecraft(&[
        "advise",
        "--answers",
        "tests/fixtures/usecases/chaos-monkey-cart-shop.json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("Recommendation: hybrid"), "{text}");
    assert!(
        text.contains(
            "source: Should cloud services be Stateful or Stateless? — The \"Chaos Monkey\" Test"
        ),
        "{text}"
    );
    assert!(text.contains("What would change it:"));
}

#[test]
fn questions_json_lists_the_wizard_in_order_with_branching() {
    let out = statecraft(&["questions", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let list = v.as_array().expect("array");
    assert!(list.len() >= 15);
    assert_eq!(list[0]["id"], "workload");
    for q in list {
        for key in [
            "id", "text", "help", "kind", "options", "min", "max", "unit", "show_if",
        ] {
            assert!(q.get(key).is_some(), "question {} has `{key}`", q["id"]);
        }
    }
    assert!(
        list.iter().filter(|q| !q["show_if"].is_null()).count() >= 3,
        "branching in at least three places"
    );
}

#[test]
fn a_team_pack_overlays_its_rules_and_switches_shipped_ones_off() {
    let pack = "tests/fixtures/packs/team-pack";
    let check = statecraft(&["check-knowledge", pack]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(stdout(&check).starts_with("ok: Acme platform team rules 3"));

    let shipped = statecraft(&[
        "advise",
        "--answers",
        "tests/fixtures/usecases/web-app.json",
        "--format",
        "json",
    ]);
    let with_pack = statecraft(&[
        "--knowledge",
        pack,
        "advise",
        "--answers",
        "tests/fixtures/usecases/web-app.json",
        "--format",
        "json",
    ]);
    assert_eq!(with_pack.status.code(), Some(0), "{}", stderr(&with_pack));
    let before: serde_json::Value = serde_json::from_str(&stdout(&shipped)).expect("json");
    let after: serde_json::Value = serde_json::from_str(&stdout(&with_pack)).expect("json");
    assert_eq!(before["recommendation"], "stateless");
    assert_eq!(after["recommendation"], "hybrid");
    // the reference stack's tiers, with the token issuer JWT sign-in asks for
    assert_eq!(
        after["stack"]["id"],
        "hybrid+front=alb+compute=ec2+session=elasticache-redis+database=rds-postgres+files=s3+auth=cognito"
    );
    let fired: Vec<&str> = after["fired_rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert!(fired.contains(&"acme-web-apps-use-shared-cache"));
    assert!(
        !fired.contains(&"general-rule-go-stateless"),
        "disabled by the pack"
    );
}

/// A valid answer set drawn from `picks`: each question answered or not, with a value of its kind.
pub fn answers_from(k: &Knowledge, picks: &[u32]) -> Answers {
    let mut answers = Answers::default();
    for (q, pick) in k.questions.iter().zip(picks.iter().cycle()) {
        if pick % 5 == 0 {
            continue; // unanswered
        }
        let value = match q.kind {
            QuestionKind::Bool => AnswerValue::Bool(pick % 2 == 0),
            QuestionKind::Number => {
                let (min, max) = (q.min.unwrap_or(0.0), q.max.unwrap_or(1.0));
                let raw = min + (max - min) * f64::from(pick % 1001) / 1000.0;
                AnswerValue::Number(((raw / q.step()).round() * q.step()).clamp(min, max))
            }
            QuestionKind::Single => {
                AnswerValue::Choice(q.options[*pick as usize % q.options.len()].id.clone())
            }
            QuestionKind::Multi => AnswerValue::Choices(
                q.options
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| pick >> i & 1 == 1)
                    .map(|(_, o)| o.id.clone())
                    .collect(),
            ),
        };
        answers.set(q.id.clone(), value);
    }
    answers
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_valid_answers_give_an_explained_recommendation(picks in proptest::collection::vec(any::<u32>(), 30)) {
        let k = shipped();
        let answers = answers_from(&k, &picks);
        let advice = Engine::new(&k).advise(&answers);
        // the points decide, unless a requirement rules their winner out
        if advice.decisive.is_empty() {
            prop_assert_eq!(advice.recommendation, advice.scores.winner());
        } else {
            prop_assert!(advice.decisive.iter().all(|d| !d.rules_out.contains(&advice.recommendation)));
        }
        prop_assert_eq!(k.stack(&advice.stack.id).map(|s| s.archetype), Some(advice.recommendation));
        // the stack meets every requirement, or says which it cannot (nothing in the catalogue can)
        for s in &advice.stack.services {
            prop_assert!(!s.because.is_empty(), "{} has no because", s.id);
        }
        let unmet: Vec<&str> = advice.requirements.iter().filter(|r| !r.met).map(|r| r.id.as_str()).collect();
        let pinned = advice.stack.services.iter().all(|s| s.because == ["pin-stack"]);
        if !unmet.is_empty() && !pinned {
            prop_assert!(!Engine::new(&k).feasible_anywhere(&answers), "unmet {:?} though some archetype meets all", unmet);
        }
        prop_assert!(!advice.fired_rules.is_empty());
        let (answered, total) = wizard::progress(&k, &answers);
        prop_assert!(answered <= total);
    }

    #[test]
    fn tipping_points_really_flip_the_result(picks in proptest::collection::vec(any::<u32>(), 30)) {
        let k = shipped();
        let answers = answers_from(&k, &picks);
        let advice = Engine::new(&k).advise(&answers);
        assert_tipping_points_flip(&k, &answers, &advice);
    }
}

#[test]
fn a_team_can_pin_a_reference_stack_and_sees_the_requirements_it_breaks() {
    let k = shipped();
    let (answers, _, _) = usecase("ftp-server", &k);
    let composed = Engine::new(&k).advise(&answers);
    let pinned = Engine::new(&k).advise(&answers.with(
        "pin-stack",
        AnswerValue::Choice("alb-sticky-ec2-memory".into()),
    ));
    assert_eq!(pinned.recommendation, composed.recommendation);
    assert_eq!(pinned.stack.id, "alb-sticky-ec2-memory");
    assert!(!pinned.stack.composed);
    assert!(
        pinned
            .stack
            .services
            .iter()
            .all(|s| s.because == ["pin-stack"])
    );
    assert!(pinned.stack.services[0].why.contains(&composed.stack.name));
    // an ALB does not carry SFTP or FTP: the pin breaks that requirement, and says so
    let broken: Vec<&str> = pinned
        .requirements
        .iter()
        .filter(|r| !r.met)
        .map(|r| r.id.as_str())
        .collect();
    // and it has no object storage for the uploads
    assert_eq!(broken, ["file-transfer-protocol", "files-uploaded"]);
    // a pin of another archetype is not applied
    let other = Engine::new(&k).advise(&answers.with(
        "pin-stack",
        AnswerValue::Choice("apigw-lambda-dynamodb".into()),
    ));
    assert_eq!(other.stack.id, composed.stack.id);
    assert!(
        other
            .excluded
            .iter()
            .any(|e| e.requirement == "pin-stack" && e.why.contains("composed instead"))
    );
}
