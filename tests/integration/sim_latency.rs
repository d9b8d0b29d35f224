//! Latency composed by design: the same product answers faster with its sessions in the server's
//! memory than in a cache, in a cache than in DynamoDB, and in DynamoDB than in a relational table
//! (whose writes commit); a lookup answers in milliseconds; a cold start appears only where
//! functions scale from zero.

use statecraft::domain::answers::Answers;
use statecraft::domain::decision::{describe, likely_only};
use statecraft::domain::knowledge::AnswerValue;
use statecraft::domain::sim::scenario::{Estimate, Scenario};
use statecraft::domain::sim::{SimReport, simulate};

use crate::sim_support::{assert_answer_in_order, knowledge, product_answers};

fn product(workload: &str, rps: f64, shape: &str, stack: &str) -> Scenario {
    let k = knowledge();
    let a = product_answers(workload, rps, shape);
    likely_only(&describe(&k, stack, &a, 42).scenario)
}

fn run(s: &Scenario) -> SimReport {
    simulate(&knowledge(), s).expect("the scenario simulates")
}

#[test]
fn sessions_in_ram_answer_before_a_cache_a_cache_before_dynamodb_and_dynamodb_before_a_relational_table()
 {
    let stacks = [
        "alb-sticky-ec2-memory",
        "alb-ec2-elasticache-rds",
        "alb-ec2-dynamodb-sessions",
        "stateless+front=alb+compute=ec2+session=rds-postgres+database=rds-postgres",
    ];
    let runs: Vec<(f64, f64)> = stacks
        .iter()
        .map(|stack| {
            // a chatty product whose requests are mostly session work: 1 ms of CPU, a session read
            // and a write each
            let mut s = product("web-app", 200.0, "steady", stack);
            s.traffic.request_ms = Estimate::Exact(1.0);
            s.traffic.state_writes = 1.0;
            let r = run(&s);
            assert_eq!(r.requests_failed, 0, "{stack}");
            (r.latency.mean_ms.0, r.latency.p99_ms.0)
        })
        .collect();
    assert_answer_in_order(&stacks, &runs);
}

#[test]
fn dns_style_lookups_answer_in_milliseconds_not_hundreds() {
    let r = run(&product("routing", 20_000.0, "steady", "alb-fargate-jwt"));
    assert!(r.latency.p99_ms.0 < 20.0, "p99 {}", r.latency.p99_ms);
    assert!(r.latency.meets_target);
}

#[test]
fn the_same_product_is_not_the_same_p99_on_every_design() {
    let memory = run(&product(
        "realtime-game",
        3_000.0,
        "steady",
        "alb-sticky-ec2-memory",
    ));
    let dynamo = run(&product(
        "realtime-game",
        3_000.0,
        "steady",
        "alb-ec2-dynamodb-sessions",
    ));
    assert!(
        dynamo.latency.p99_ms.0 > memory.latency.p99_ms.0 * 1.5,
        "in memory {}, in DynamoDB {}",
        memory.latency.p99_ms,
        dynamo.latency.p99_ms
    );
}

#[test]
fn cold_starts_appear_only_where_functions_scale_from_zero() {
    let functions = run(&product(
        "rest-api",
        500.0,
        "spiky",
        "apigw-lambda-dynamodb",
    ));
    let servers = run(&product(
        "rest-api",
        500.0,
        "spiky",
        "alb-ec2-dynamodb-sessions",
    ));
    assert!(
        functions.cold_starts > 0,
        "a spike makes Lambda start environments"
    );
    assert_eq!(servers.cold_starts, 0, "servers have no cold starts");
}

#[test]
fn a_run_that_fails_more_than_one_request_in_a_hundred_misses_its_p99_target_and_says_why() {
    let mut s = product("rest-api", 500.0, "steady", "apigw-lambda-dynamodb");
    s.compute.lambda_concurrency = Some(1);
    s.traffic.request_ms = Estimate::Exact(60_000.0);
    s.compute.timeout_s = 1.0;
    let r = run(&s);
    assert!(r.requests_failed > 0);
    assert!(!r.latency.meets_target);
    assert!(r.latency.missed_because.is_some(), "the report says why");
}

#[test]
fn the_wizard_offers_the_profiles_figures_as_usual_answers_and_a_measured_one_replaces_them() {
    use statecraft::domain::sim::from_answers;
    let k = knowledge();
    let mut a = Answers::default();
    a.set("workload", AnswerValue::Choice("routing".into()));
    a.set("peak-rps", AnswerValue::Number(20_000.0));
    let usual = |a: &Answers, id: &str| {
        let q = k.question(id).expect("question");
        from_answers::usual_answer(&k, a, q).expect("a usual answer")
    };
    let (ms, from) = usual(&a, "request-ms");
    assert_eq!(ms, AnswerValue::Number(0.2));
    assert!(
        from.expect("its origin")
            .contains("`routing` request profile")
    );
    // users: the profile's 50 per request/s of the peak
    assert_eq!(
        usual(&a, "monthly-users").0,
        AnswerValue::Number(1_000_000.0)
    );
    // a team that measured its requests replaces the profile's figure, and the origin says so
    a.set("adjust-profile", AnswerValue::Bool(true));
    a.set("request-ms", AnswerValue::Number(3.0));
    a.set("data-gb", AnswerValue::Number(250.0));
    let d = describe(&k, "alb-fargate-jwt", &a, 42);
    assert_eq!(d.scenario.traffic.request_ms, Estimate::Exact(3.0));
    assert_eq!(d.scenario.traffic.stored_gb, 250.0);
    assert_eq!(d.origins["traffic.request_ms"].word(), "answered");
    assert_eq!(d.origins["traffic.payload_kb"].word(), "profile");
}

#[test]
fn a_call_to_a_single_zone_primary_crosses_zones_from_the_other_zones_and_dynamodb_does_not() {
    // the same chatty product (1 ms of CPU, a session read and write) on servers in one zone and
    // in three: with three, two calls in three reach the cache's primary in another zone
    let mean = |stack: &str, zones: u32| {
        let mut s = product("web-app", 200.0, "steady", stack);
        s.traffic.request_ms = Estimate::Exact(1.0);
        s.traffic.state_writes = 1.0;
        s.compute.availability_zones = zones;
        let r = run(&s);
        assert_eq!(r.requests_failed, 0, "{stack} in {zones} zone(s)");
        r.latency.mean_ms.0
    };
    let k = knowledge();
    let hop = k.figure("cross-az-added-latency").expect("sourced").value;
    let cache = mean("alb-ec2-elasticache-rds", 3) - mean("alb-ec2-elasticache-rds", 1);
    let dynamo = mean("alb-ec2-dynamodb-sessions", 3) - mean("alb-ec2-dynamodb-sessions", 1);
    // both designs cross zones from the load balancer to a server and to the relational database;
    // only the cache's session read and write cross zones too, DynamoDB's regional endpoint
    // answering from every zone: two calls in two-thirds of requests, ~`hop` ms each on median
    assert!(dynamo > 0.0, "three zones add {dynamo:.2} ms with DynamoDB");
    let sessions = cache - dynamo;
    let expected = 2.0 * 2.0 / 3.0 * hop;
    assert!(
        (sessions - expected).abs() < 0.5,
        "the cache's two calls add {sessions:.2} ms across zones, about {expected:.2} expected"
    );
}
