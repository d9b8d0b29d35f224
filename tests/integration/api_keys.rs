//! API keys are a way callers sign in, not a protocol: they favour the front door that checks them
//! (API Gateway REST's usage plans) without ruling out any design, and where another door is
//! advised the review says the service checks the keys itself.

use statecraft::domain::answers::Answers;
use statecraft::domain::knowledge::{AnswerValue, Knowledge, Severity, StackTier};
use statecraft::domain::rules::{Advice, Engine};

fn keyed_api(peak_rps: f64) -> Advice {
    let k = Knowledge::shipped().expect("the shipped knowledge is valid");
    let mut a = Answers::default();
    for (q, v) in [
        ("workload", AnswerValue::Choice("rest-api".into())),
        ("client-kind", AnswerValue::Choices(vec!["services".into()])),
        (
            "client-protocols",
            AnswerValue::Choices(vec!["http".into()]),
        ),
        ("auth", AnswerValue::Choice("api-key".into())),
        ("keeps-sessions", AnswerValue::Bool(false)),
        ("peak-rps", AnswerValue::Number(peak_rps)),
    ] {
        a.set(q, v);
    }
    Engine::new(&k).advise(&a)
}

#[test]
fn api_keys_rule_out_no_design_and_no_door() {
    for rps in [100.0, 100_000.0] {
        let advice = keyed_api(rps);
        assert!(
            advice
                .requirements
                .iter()
                .all(|r| !r.because.contains(&"auth".to_string())),
            "{:?}",
            advice.requirements
        );
        assert!(
            advice
                .decisive
                .iter()
                .all(|d| !d.because.contains(&"auth".to_string())),
            "API keys decided the archetype: {:?}",
            advice.decisive
        );
        assert!(advice.unmet.is_empty(), "{rps}: {:?}", advice.unmet);
    }
}

#[test]
fn past_api_gateway_s_throttle_the_keys_are_checked_behind_a_load_balancer() {
    // 100,000 requests/s is a blocker for API Gateway: the keys no longer force it
    let advice = keyed_api(100_000.0);
    assert_eq!(
        advice.stack.in_tier(StackTier::Front),
        Some("alb"),
        "{}",
        advice.stack.id
    );
    assert!(
        advice
            .review
            .iter()
            .all(|f| f.severity != Severity::Blocker)
    );
    let note = advice
        .review
        .iter()
        .find(|f| f.check == "api-keys-checked-by-the-service")
        .expect("the review says who checks the keys");
    assert_eq!(note.severity, Severity::Note);
    assert!(
        note.text.starts_with("ALB does not check API keys"),
        "{}",
        note.text
    );
    assert!(
        note.mitigation
            .as_deref()
            .is_some_and(|m| m.contains("hash of each key")),
        "{:?}",
        note.mitigation
    );
}

#[test]
fn the_rule_for_usage_plans_fires_for_api_keys_and_favours_api_gateway_rest() {
    let advice = keyed_api(100.0);
    let fired = advice
        .fired_rules
        .iter()
        .find(|r| r.id == "api-keys-usage-plans")
        .expect("the usage-plans rule fires on API keys");
    assert!(fired.rationale.contains("usage plans"));
    // at 100 requests/s nothing weighs against it: API Gateway REST is the door, and nobody else
    // has to check the keys
    assert_eq!(
        advice.stack.in_tier(StackTier::Front),
        Some("apigw-rest"),
        "{}",
        advice.stack.id
    );
    assert!(
        advice
            .review
            .iter()
            .all(|f| f.check != "api-keys-checked-by-the-service")
    );
}
