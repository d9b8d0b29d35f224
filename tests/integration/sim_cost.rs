//! The bill: hand-computed cases, each line with its formula, price source and date.

use statecraft::domain::bill::{self, Usage};

use crate::sim_support::{knowledge, line, num, simulate_json};

#[test]
fn ten_million_lambda_requests_at_128_mb_for_100_ms_cost_2_00_plus_2_08() {
    let k = knowledge();
    // 10 M invocations × 0.1 s × 0.125 GB = 125,000 GB-seconds; no free tier
    let mut u = Usage::new("us-east-1", false, 730.0);
    u.add("lambda", "requests", 10e6);
    u.add("lambda", "gb_seconds", 10e6 * 0.1 * 0.125);
    let c = bill::price(&k, &u).expect("priced");
    assert_eq!(
        c.lines[0].formula,
        "10,000,000 requests × $0.20 per M = $2.00"
    );
    assert_eq!(
        c.lines[1].formula,
        "125,000 GB-seconds × $0.0000166667 per GB-second = $2.08"
    );
    assert!((c.lines[0].usd - 2.00).abs() < 1e-9);
    assert!((c.lines[1].usd - 2.0833375).abs() < 1e-9);
    assert!((c.monthly_usd - 4.0833375).abs() < 1e-9);
    for l in &c.lines {
        assert_eq!(l.price_source, "aws.amazon.com/lambda/pricing");
        assert_eq!(l.price_as_of, "2026-01");
    }
}

#[test]
fn graviton_lambda_duration_costs_less() {
    let k = knowledge();
    let mut u = Usage::new("us-east-1", false, 730.0);
    u.add("lambda", "gb_seconds", 125_000.0).arch = Some("arm64".into());
    let c = bill::price(&k, &u).expect("priced");
    assert!((c.lines[0].usd - 125_000.0 * 0.0000133334).abs() < 1e-9);
}

#[test]
fn a_flat_10_rps_lambda_month_is_26_28_million_requests() {
    // 10 requests/s × 3,600 s × 730 h = 26.28 M requests; 100 ms at 128 MB = 0.0125 GB-s each
    let r = simulate_json("tests/fixtures/scenarios/lambda-flat-10rps.json");
    let req = line(&r, "lambda", "Lambda requests");
    assert_eq!(req["formula"], "26,280,000 requests × $0.20 per M = $5.26");
    assert!((num(req, "monthly_usd") - 26.28 * 0.20).abs() < 1e-6);
    let dur = line(&r, "lambda", "Lambda duration (x86)");
    assert!((num(dur, "monthly_usd") - 26.28e6 * 0.0125 * 0.0000166667).abs() < 1e-6);
    assert_eq!(
        dur["formula"],
        "328,500 GB-seconds × $0.0000166667 per GB-second = $5.48"
    );
    let gw = line(&r, "apigw-http", "API Gateway HTTP API requests");
    assert!((num(gw, "monthly_usd") - 26.28).abs() < 1e-6);
    assert_eq!(gw["price_source"], "aws.amazon.com/api-gateway/pricing");
    assert_eq!(gw["price_as_of"], "2026-01");
    // and the month's logs: 26.28 M requests × 0.25 KB, ingested and kept a month
    let logs = line(
        &r,
        "cloudwatch-logs",
        "CloudWatch Logs ingestion (Standard)",
    );
    let log_gb = 26.28e6 * 0.25 / (1024.0 * 1024.0);
    assert!((num(logs, "quantity") - log_gb).abs() < 1e-6);
    let stored = line(&r, "cloudwatch-logs", "CloudWatch Logs storage");
    // (S3 holds no files in this scenario, so it bills no requests)
    let expected = 5.256 + 5.4750109 + 26.28 + log_gb * 0.5 + log_gb * 0.03;
    assert!((num(&r, "cost.monthly_usd") - expected).abs() < 1e-3);
    assert_eq!(stored["price_source"], "aws.amazon.com/cloudwatch/pricing");
}

#[test]
fn dynamodb_request_units_follow_the_item_size() {
    // a 6 KB session: 2 read units per strongly consistent read, 6 write units per write
    let r = simulate_json("tests/fixtures/scenarios/dynamodb-units-10rps.json");
    let reads = line(&r, "dynamodb", "DynamoDB on-demand read request units");
    assert!(
        (num(reads, "monthly_usd") - 26.28 * 2.0 * 0.125).abs() < 1e-6,
        "{reads}"
    );
    let writes = line(&r, "dynamodb", "DynamoDB on-demand write request units");
    assert!(
        (num(writes, "monthly_usd") - 26.28 * 6.0 * 0.625).abs() < 1e-6,
        "{writes}"
    );
    assert_eq!(
        writes["formula"],
        "157,680,000 write request units × $0.625 per M = $98.55"
    );
    assert_eq!(
        writes["price_source"],
        "aws.amazon.com/dynamodb/pricing/on-demand"
    );
}

#[test]
fn two_fixed_instances_and_their_cache_for_a_month() {
    let r = simulate_json("tests/fixtures/scenarios/ec2-two-fixed.json");
    let ec2 = line(&r, "ec2", "EC2 m5.large / m6i.large (2 vCPU, 8 GiB)");
    assert!(
        (num(ec2, "monthly_usd") - 2.0 * 730.0 * 0.096).abs() < 1e-6,
        "{ec2}"
    );
    assert_eq!(
        ec2["formula"],
        "1,460 instance-hours × $0.096 per instance-hour = $140.16"
    );
    let alb = line(&r, "alb", "Application Load Balancer hours");
    assert!((num(alb, "monthly_usd") - 730.0 * 0.0225).abs() < 1e-9);
    // 1,000 sessions of 4 KB fit a cache.t4g.micro; primary + replica for 730 hours
    let cache = line(&r, "elasticache-redis", "ElastiCache cache.t4g.micro");
    assert_eq!(cache["price_id"], "elasticache-t4g-micro");
    assert!((num(cache, "monthly_usd") - 2.0 * 730.0 * 0.016).abs() < 1e-9);
    let rds = line(&r, "rds-postgres", "RDS PostgreSQL db.t4g.medium");
    assert!((num(rds, "monthly_usd") - 2.0 * 730.0 * 0.065).abs() < 1e-9);
}

#[test]
fn every_line_names_its_price_source_and_date() {
    let r = simulate_json("assets/scenarios/default.json");
    for l in r["cost"]["by_service"].as_array().expect("lines") {
        assert!(
            l["price_source"]
                .as_str()
                .is_some_and(|s| s.starts_with("aws.amazon.com")),
            "{l}"
        );
        let date = l["price_as_of"].as_str().unwrap_or("");
        assert!(
            statecraft::domain::bill::age::parse_date(date).is_some(),
            "{l}"
        );
        assert!(
            l["formula"]
                .as_str()
                .is_some_and(|f| f.contains(" × ") && f.contains(" = $")),
            "{l}"
        );
    }
}

#[test]
fn the_month_length_can_be_changed() {
    let k = knowledge();
    let mut s = crate::sim_support::scenario(&k, "tests/fixtures/scenarios/ec2-two-fixed.json");
    s.billing.month_hours = 744.0;
    let r = statecraft::domain::sim::simulate(&k, &s).expect("simulates");
    let ec2 = r
        .cost
        .by_service
        .iter()
        .find(|l| l.service == "ec2")
        .expect("ec2 line");
    assert!((ec2.monthly_usd.0 - 2.0 * 744.0 * 0.096).abs() < 1e-6);
}

#[test]
fn the_free_tier_takes_lambdas_free_requests_off() {
    let k = knowledge();
    let mut s = crate::sim_support::scenario(&k, "tests/fixtures/scenarios/lambda-flat-10rps.json");
    s.billing.free_tier = true;
    let r = statecraft::domain::sim::simulate(&k, &s).expect("simulates");
    let req = r
        .cost
        .by_service
        .iter()
        .find(|l| l.item == "Lambda requests")
        .expect("line");
    assert!((req.monthly_usd.0 - 25.28 * 0.20).abs() < 1e-6);
    let dur = r
        .cost
        .by_service
        .iter()
        .find(|l| l.item == "Lambda duration (x86)")
        .expect("line");
    assert!((dur.monthly_usd.0 - (328_500.0 - 400_000.0f64).max(0.0) * 0.0000166667).abs() < 1e-9);
}

#[test]
fn an_optional_service_is_left_off_the_bill_unless_the_scenario_asks_for_it() {
    let k = knowledge();
    let mut s = crate::sim_support::scenario(&k, "assets/scenarios/apigw-lambda-dynamodb.json");
    s.sampling.requests = 1000;
    let r = statecraft::domain::sim::simulate(&k, &s).expect("simulates");
    assert!(r.cost.by_service.iter().all(|l| l.service != "cognito"));
    assert!(r.cost.assumptions.iter().any(|a| a
        == "`cognito` is optional in this stack and not counted (`billing.optional_services: true` counts it)"));
    let without = r.cost.monthly_usd.0;

    s.billing.optional_services = true;
    let r = statecraft::domain::sim::simulate(&k, &s).expect("simulates");
    let cognito = r
        .cost
        .by_service
        .iter()
        .find(|l| l.service == "cognito")
        .expect("a Cognito line");
    // 50,000 monthly active users at $0.015; the first 10,000 are an always-free allowance, and the
    // free tier is off in this scenario, so none is taken off (CONTRACT.md: `free_tier: false`)
    assert_eq!(cognito.formula, "50,000 MAU × $0.015 per MAU = $750.00");
    assert!((r.cost.monthly_usd.0 - without - 750.0).abs() < 1e-6);

    s.billing.free_tier = true;
    let r = statecraft::domain::sim::simulate(&k, &s).expect("simulates");
    let cognito = r
        .cost
        .by_service
        .iter()
        .find(|l| l.service == "cognito")
        .expect("a Cognito line");
    assert_eq!(
        cognito.formula,
        "50,000 MAU − 10,000 free (always free) = 40,000 MAU: 40,000 × $0.015 per MAU = $600.00"
    );
}
