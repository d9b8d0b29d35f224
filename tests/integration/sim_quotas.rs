//! Quotas in the simulation are the design review's: what API Gateway's account throttle refuses
//! shows as failed requests, the review names the same quota, and the scenario the answers describe
//! applies the review's mitigation (a quota increase), so the advice is not simulated failing.

use statecraft::domain::answers::Answers;
use statecraft::domain::decision::{advise, describe, likely_only};
use statecraft::domain::knowledge::AnswerValue;
use statecraft::domain::sim::{SimReport, simulate};

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

#[test]
fn functions_past_the_databases_connection_limit_fail_until_rds_proxy_pools_their_connections() {
    let k = knowledge();
    // a JSON API on functions and PostgreSQL at 30,000 requests/s: hundreds of environments at once
    let mut answers = product_answers("rest-api", 30_000.0, "steady");
    answers.set("keeps-sessions", AnswerValue::Bool(false));
    let stack = "stateless+front=apigw-http+compute=lambda+database=rds-postgres";
    let described = describe(&k, stack, &answers, 42);
    let pooled = likely_only(&described.scenario);
    // the scenario applies the review's mitigation and says so
    assert!(pooled.stores.rds_proxy);
    let why = described.origins["stores.rds_proxy"].sentence();
    assert!(
        why.contains("functions-exhaust-database-connections"),
        "{why}"
    );
    let with_proxy = simulate(&k, &pooled).expect("simulates");
    assert_eq!(with_proxy.failures.db_connections, 0.0);
    assert!(
        with_proxy
            .cost
            .by_service
            .iter()
            .any(|l| l.item.starts_with("RDS Proxy") && l.monthly_usd.0 > 0.0),
        "RDS Proxy is on the bill"
    );

    // without it, the environments past the database's ~450 connections fail their requests
    let mut direct = pooled.clone();
    direct.stores.rds_proxy = false;
    let refused = simulate(&k, &direct).expect("simulates");
    assert!(
        refused.failures.db_connections > 0.0,
        "{:?}",
        refused.failures
    );
    assert!(refused.requests_failed > with_proxy.requests_failed);

    // and it is the limit the design review checks on the same services
    let check = k
        .checks
        .iter()
        .find(|c| c.id == "functions-exhaust-database-connections")
        .expect("the review's check");
    assert!(check.services.iter().any(|s| s == "rds-postgres"));
    assert!(check.with.iter().any(|s| s == "lambda"));
}

/// A spiky product on `stack`: the scenario its answers describe schedules the fleet up ahead of
/// the burst (a warm-up of at least `lead_s` before it starts, until it ends) as the review's
/// `check` prescribes, and fails no request; without the schedule, the burst's requests wait past
/// the timeout. Returns the two runs (scheduled, reactive).
fn scheduled_ahead_of_the_burst(
    workload: &str,
    peak: f64,
    stack: &str,
    check: &str,
    lead_s: f64,
) -> (SimReport, SimReport) {
    let k = knowledge();
    let mut answers = product_answers(workload, peak, "spiky");
    answers.set("keeps-sessions", AnswerValue::Bool(false));
    let described = describe(&k, stack, &answers, 42);
    let scheduled = likely_only(&described.scenario);
    let window = scheduled
        .compute
        .scheduled
        .expect("the review's mitigation is applied");
    let burst = scheduled.traffic.burst;
    // in service before the burst starts: launched at least a warm-up ahead, kept until it ends
    assert!(window.at_s + lead_s <= burst.at_s, "{window:?}");
    assert!(window.until_s >= burst.at_s + burst.duration_s);
    let why = described.origins["compute.scheduled"].sentence();
    assert!(why.contains(check), "{why}");
    assert!(k.checks.iter().any(|c| c.id == check));
    let ready = simulate(&k, &scheduled).expect("simulates");
    assert_eq!(ready.failures.timeouts, 0.0, "{:?}", ready.failures);

    // without it, target tracking launches only once the burst has begun, and the requests wait
    // past the timeout while the new capacity starts
    let mut reactive = scheduled.clone();
    reactive.compute.scheduled = None;
    let late = simulate(&k, &reactive).expect("simulates");
    assert!(late.failures.timeouts > 0.0, "{:?}", late.failures);
    (ready, late)
}

#[test]
fn servers_are_scheduled_up_ahead_of_a_known_burst_so_their_warm_up_fails_no_request() {
    // a web app whose on-sale bursts to 8,000 requests/s at noon, on servers that take minutes to
    // warm up, sessions in the servers' memory
    let (ready, late) = scheduled_ahead_of_the_burst(
        "web-app",
        8_000.0,
        "alb-sticky-ec2-memory",
        "ec2-warmup-vs-bursts",
        300.0,
    );
    // the headroom is paid as instance-hours
    assert!(ready.cost.monthly_usd.0 > late.cost.monthly_usd.0);
}

#[test]
fn an_on_demand_table_is_pre_warmed_before_a_known_burst_so_it_throttles_nothing() {
    let k = knowledge();
    // a booking site whose on-sale bursts to 8,000 requests/s, five times its usual peak, with its
    // sessions and data in DynamoDB on demand
    let mut answers = product_answers("web-app", 8_000.0, "spiky");
    answers.set("keeps-sessions", AnswerValue::Bool(true));
    let stack = "apigw-lambda-dynamodb";
    let described = describe(&k, stack, &answers, 42);
    let warmed = likely_only(&described.scenario);
    assert!(warmed.stores.dynamodb_prewarm, "the review's mitigation");
    let why = described.origins["stores.dynamodb_prewarm"].sentence();
    assert!(why.contains("dynamodb-on-demand-burst"), "{why}");
    let ready = simulate(&k, &warmed).expect("simulates");
    assert_eq!(ready.failures.store_throttled, 0.0, "{:?}", ready.failures);
    // the hour before each burst is billed as provisioned capacity at the burst's peak, once a day
    let hours: Vec<_> = ready
        .cost
        .by_service
        .iter()
        .filter(|l| l.item.starts_with("DynamoDB provisioned"))
        .collect();
    assert_eq!(hours.len(), 2, "read and write capacity");
    for line in &hours {
        assert!(line.monthly_usd.0 > 0.0, "{line:?}");
        assert!(line.note.as_deref().unwrap_or("").contains("30.4 bursts"));
    }

    // without it, the table serves at once only double the usual peak it saw: the burst's top is
    // throttled while it adds partitions
    let mut cold = warmed.clone();
    cold.stores.dynamodb_prewarm = false;
    let throttled = simulate(&k, &cold).expect("simulates");
    assert!(
        throttled.failures.store_throttled > 0.0,
        "{:?}",
        throttled.failures
    );
    assert!(ready.cost.monthly_usd.0 > throttled.cost.monthly_usd.0);

    // and the review of the same stack names the same limit, with a priced mitigation
    let check = k
        .checks
        .iter()
        .find(|c| c.id == "dynamodb-on-demand-burst")
        .expect("the review's check");
    assert!(check.services.iter().any(|s| s == "dynamodb"));
}

#[test]
fn a_steady_table_is_not_pre_warmed() {
    let k = knowledge();
    let mut answers = product_answers("web-app", 8_000.0, "steady");
    answers.set("keeps-sessions", AnswerValue::Bool(true));
    let described = describe(&k, "apigw-lambda-dynamodb", &answers, 42);
    assert!(!described.scenario.stores.dynamodb_prewarm);
    assert!(!described.origins.contains_key("stores.dynamodb_prewarm"));
}

#[test]
fn fargate_tasks_are_scheduled_up_ahead_of_a_known_burst_so_their_launch_fails_no_request() {
    // live scores on Fargate behind a load balancer: the final whistle bursts to 5,000 requests/s,
    // and a task serves about a minute after its launch
    scheduled_ahead_of_the_burst(
        "rest-api",
        5_000.0,
        "stateless+front=alb+compute=fargate+database=dynamodb",
        "fargate-startup-vs-bursts",
        60.0,
    );
}
