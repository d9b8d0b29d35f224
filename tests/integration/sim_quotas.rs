//! Quotas in the simulation are the design review's: what API Gateway's account throttle refuses
//! shows as failed requests, the review names the same quota, and the scenario the answers describe
//! applies the review's mitigation (a quota increase), so the advice is not simulated failing.

use statecraft::domain::answers::Answers;
use statecraft::domain::decision::{advise, describe, likely_only};
use statecraft::domain::knowledge::AnswerValue;
use statecraft::domain::sim::simulate;

use crate::sim_support::{knowledge, product_answers};

fn lookups(rps: f64) -> Answers {
    let mut a = product_answers("routing", rps, "steady");
    a.set("keeps-sessions", AnswerValue::Bool(false));
    a
}

#[test]
fn api_gateways_throttle_refuses_in_the_simulation_what_the_review_names_and_its_mitigation_lifts()
{
    let k = knowledge();
    let answers = lookups(30_000.0);
    let described = describe(&k, "apigw-lambda-dynamodb", &answers, 42);
    let mitigated = likely_only(&described.scenario);
    // the scenario carries the quota increase, and says it is the review's mitigation
    assert_eq!(mitigated.compute.apigw_throttle_rps, Some(36_000.0));
    let why = described.origins["compute.apigw_throttle_rps"].sentence();
    assert!(why.contains("apigw-account-throttle"), "{why}");
    let with_increase = simulate(&k, &mitigated).expect("simulates");
    assert_eq!(with_increase.requests_failed, 0);
    assert!(with_increase.latency.meets_target);

    // at the default quota the same month refuses a third of the requests: 30,000 asked, 10,000 a
    // second allowed
    let mut default_quota = mitigated.clone();
    default_quota.compute.apigw_throttle_rps = None;
    let refused = simulate(&k, &default_quota).expect("simulates");
    let share = refused.failures.front_throttled / refused.requests_total as f64;
    assert!((share - 2.0 / 3.0).abs() < 0.01, "{share}");
    assert!(!refused.latency.meets_target);
    assert!(refused.latency.missed_because.is_some());

    // and the review of an API Gateway stack at that peak names the same quota
    let mut pinned = answers.clone();
    pinned.set(
        "pin-stack",
        AnswerValue::Choice("apigw-lambda-dynamodb".into()),
    );
    let advice = advise(&k, &pinned);
    assert_eq!(advice.stack.id, "apigw-lambda-dynamodb");
    assert!(
        advice
            .review
            .iter()
            .any(|f| f.check == "apigw-account-throttle"),
        "{:?}",
        advice.review.iter().map(|f| &f.check).collect::<Vec<_>>()
    );
}

#[test]
fn lambdas_concurrency_is_raised_as_the_review_prescribes_where_the_peak_needs_it() {
    let k = knowledge();
    let mut a = lookups(2_000.0);
    a.set("workload", AnswerValue::Choice("event-functions".into()));
    let described = describe(&k, "apigw-lambda-dynamodb", &a, 42);
    // 2,000 events/s of ~205 ms in flight: ~410 at once, under the default 1,000: nothing raised
    assert_eq!(described.scenario.compute.lambda_concurrency, None);
    a.set("peak-rps", AnswerValue::Number(8_000.0));
    let described = describe(&k, "apigw-lambda-dynamodb", &a, 42);
    let raised = described
        .scenario
        .compute
        .lambda_concurrency
        .expect("raised");
    assert!(raised >= 1_900, "{raised}");
    let r = simulate(&k, &likely_only(&described.scenario)).expect("simulates");
    assert_eq!(r.failures.lambda_throttled, 0.0);
}
