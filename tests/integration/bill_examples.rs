//! Published worked examples, reproduced to the cent by the one pricing path (`bill::price`). Each test
//! names the example's source and the date it was read.

use statecraft::domain::bill::{self, Bill, BillLine, Usage, formula};
use statecraft::domain::knowledge::Knowledge;

use crate::sim_support::knowledge;

pub fn priced(k: &Knowledge, usage: serde_json::Value) -> Bill {
    let u: Usage = serde_json::from_value(usage).expect("a usage");
    bill::price(k, &u).unwrap_or_else(|e| panic!("priced: {}", e.message))
}

fn cents(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

pub fn line<'b>(b: &'b Bill, price_id: &str) -> &'b BillLine {
    b.lines
        .iter()
        .find(|l| l.price_id == price_id)
        .unwrap_or_else(|| panic!("no `{price_id}` line in {b:?}"))
}

/// Every line's formula re-multiplies to its amount, to the cent.
pub fn assert_formulas_hold(b: &Bill) {
    for l in &b.lines {
        let again = formula::remultiply(&l.formula).unwrap_or_else(|| panic!("{}", l.formula));
        assert_eq!(cents(again), cents(l.usd), "{}", l.formula);
        assert_eq!(formula::stated(&l.formula).map(cents), Some(cents(l.usd)));
    }
}

#[test]
fn lambda_pricing_page_example_512_mb_3_million_1_second_invocations_with_free_tier() {
    // AWS Lambda pricing page (aws.amazon.com/lambda/pricing), "Pricing example", read 2026-01:
    // 512 MB, 3 M invocations of 1 s, free tier: compute $18.34, requests $0.40. The example
    // multiplies by $0.00001667 (its own rounding of $0.0000166667), so it is priced here at that rate.
    let mut k = knowledge();
    let x86 = k
        .prices
        .iter_mut()
        .find(|p| p.id == "lambda-duration-x86")
        .expect("x86 price");
    x86.usd = 0.00001667;
    let b = priced(
        &k,
        serde_json::json!({"free_tier": true, "usage": [
            {"service": "lambda", "item": "requests", "quantity": 3_000_000},
            {"service": "lambda", "item": "gb_seconds", "invocations": 3_000_000, "duration_ms": 1000, "memory_mb": 512}
        ]}),
    );
    let compute = line(&b, "lambda-duration-x86");
    assert_eq!(compute.quantity, 1_500_000.0);
    assert_eq!(cents(compute.usd), 18.34);
    assert_eq!(
        compute.formula,
        "1,500,000 GB-seconds − 400,000 free (always free) = 1,100,000 GB-seconds: 1,100,000 × $0.00001667 per GB-second = $18.34"
    );
    let requests = line(&b, "lambda-requests");
    assert_eq!(cents(requests.usd), 0.40);
    assert_eq!(
        requests.formula,
        "3,000,000 requests − 1,000,000 free (always free) = 2,000,000 requests: 2,000,000 × $0.20 per M = $0.40"
    );
    assert_formulas_hold(&b);

    // at the shipped rate, $0.0000166667 per GB-second, the same month is a cent less
    let b = priced(
        &knowledge(),
        serde_json::json!({"free_tier": true, "usage": [
            {"service": "lambda", "item": "gb_seconds", "quantity": 1_500_000}
        ]}),
    );
    assert_eq!(cents(b.lines[0].usd), 18.33);
}

#[test]
fn aws_news_blog_1_ms_billing_example_60_million_invocations_of_28_ms_at_1_gb() {
    // AWS News Blog, "New for AWS Lambda – 1ms Billing Granularity Adds Cost Savings", December 2020,
    // read 2026-01: 60 M invocations of 28 ms at 1 GB cost $12 for requests and $28 for compute.
    let b = priced(
        &knowledge(),
        serde_json::json!({"usage": [
            {"service": "lambda", "item": "requests", "quantity": 60_000_000},
            {"service": "lambda", "item": "gb_seconds", "invocations": 60_000_000, "duration_ms": 28, "memory_mb": 1024}
        ]}),
    );
    assert_eq!(cents(line(&b, "lambda-requests").usd), 12.00);
    let compute = line(&b, "lambda-duration-x86");
    assert_eq!(compute.quantity, 1_680_000.0);
    assert_eq!(cents(compute.usd), 28.00);
    assert_eq!(cents(b.monthly_usd), 40.00);
    assert_formulas_hold(&b);
}

#[test]
fn lambda_rounds_each_invocation_up_to_the_millisecond() {
    // 27.3 ms is billed as 28 ms (the same blog post)
    let b = priced(
        &knowledge(),
        serde_json::json!({"usage": [
            {"service": "lambda", "item": "gb_seconds", "invocations": 60_000_000, "duration_ms": 27.3, "memory_mb": 1024}
        ]}),
    );
    assert_eq!(b.lines[0].quantity, 1_680_000.0);
    assert!(
        b.lines[0]
            .note
            .as_deref()
            .is_some_and(|n| n.contains("28 ms (each rounded up to 1 ms)"))
    );
}

#[test]
fn api_gateway_http_requests_beyond_300_million_cost_the_second_tier() {
    // API Gateway pricing page (aws.amazon.com/api-gateway/pricing), HTTP APIs, read 2026-01:
    // $1.00 per million for the first 300 million requests a month, $0.90 per million after that.
    let b = priced(
        &knowledge(),
        serde_json::json!({"usage": [
            {"service": "apigw-http", "item": "requests", "quantity": 500_000_000}
        ]}),
    );
    assert_eq!(
        b.lines[0].formula,
        "500,000,000 requests: 300,000,000 × $1.00 per M + 200,000,000 × $0.90 per M = $480.00"
    );
    assert_eq!(cents(b.monthly_usd), 480.00);
    assert_formulas_hold(&b);
}

#[test]
fn api_gateway_http_meters_requests_in_512_kb_increments() {
    // the same page: "requests are metered in 512 KB increments": a 1 MB request is two, 512 KB one
    let k = knowledge();
    let b = priced(
        &k,
        serde_json::json!({"usage": [
            {"service": "apigw-http", "item": "requests", "quantity": 1_000_000, "size_kb": 1024},
            {"service": "apigw-websocket", "item": "messages", "quantity": 1_000_000, "size_kb": 33}
        ]}),
    );
    assert_eq!(b.lines[0].quantity, 2_000_000.0);
    assert_eq!(cents(b.lines[0].usd), 2.00);
    // WebSocket messages are metered in 32 KB increments: 33 KB is two
    assert_eq!(b.lines[1].quantity, 2_000_000.0);
    let one = priced(
        &k,
        serde_json::json!({"usage": [
            {"service": "apigw-http", "item": "requests", "quantity": 1_000_000, "size_kb": 512}
        ]}),
    );
    assert_eq!(one.lines[0].quantity, 1_000_000.0);
}

#[test]
fn dynamodb_on_demand_requests_and_storage_beyond_the_free_25_gb() {
    // DynamoDB on-demand pricing page (aws.amazon.com/dynamodb/pricing/on-demand), read 2026-01:
    // $0.625 per million write request units (since the November 2024 cut), $0.125 per million read
    // request units, $0.25 per GB-month with the first 25 GB always free.
    let b = priced(
        &knowledge(),
        serde_json::json!({"free_tier": true, "usage": [
            {"service": "dynamodb", "item": "write_units", "quantity": 10_000_000},
            {"service": "dynamodb", "item": "read_units", "quantity": 10_000_000},
            {"service": "dynamodb", "item": "storage_gb_months", "quantity": 30}
        ]}),
    );
    assert_eq!(cents(line(&b, "dynamodb-write-units").usd), 6.25);
    assert_eq!(cents(line(&b, "dynamodb-read-units").usd), 1.25);
    assert_eq!(cents(line(&b, "dynamodb-storage").usd), 1.25);
    assert_formulas_hold(&b);
}

#[test]
fn an_application_load_balancer_month_with_one_lcu_on_average() {
    // Elastic Load Balancing pricing page (aws.amazon.com/elasticloadbalancing/pricing), read 2026-01:
    // $0.0225 per ALB-hour and $0.008 per LCU-hour; 730 hours at 1 LCU = $16.43 + $5.84
    let b = priced(
        &knowledge(),
        serde_json::json!({"usage": [
            {"service": "alb", "item": "hours", "quantity": 730},
            {"service": "alb", "item": "lcu_hours", "quantity": 730}
        ]}),
    );
    assert_eq!(cents(line(&b, "alb-hours").usd), 16.43);
    assert_eq!(cents(line(&b, "alb-lcu").usd), 5.84);
    assert_formulas_hold(&b);
}

#[test]
fn a_fargate_task_of_1_vcpu_and_4_gb_all_month_is_about_42_dollars() {
    // Wring, "AWS Fargate Pricing: Serverless Container Costs" (wring.co/blog/aws-fargate-pricing-guide),
    // March 2026, read 2026-12: 1 vCPU / 4 GB running 24/7 costs ~$42 a month in US East, at
    // $0.04048 per vCPU-hour and $0.004445 per GB-hour (the Fargate pricing page's rates).
    let b = priced(
        &knowledge(),
        serde_json::json!({"usage": [
            {"service": "fargate", "item": "vcpu_hours", "quantity": 730},
            {"service": "fargate", "item": "gb_hours", "quantity": 2920}
        ]}),
    );
    assert_eq!(cents(line(&b, "fargate-vcpu").usd), 29.55);
    assert_eq!(cents(line(&b, "fargate-memory").usd), 12.98);
    assert_eq!(b.monthly_usd.round(), 43.0);
    // on Graviton (vantage.sh, "AWS Fargate Pricing Explained": $0.03238 and $0.00356)
    let arm = priced(
        &knowledge(),
        serde_json::json!({"usage": [
            {"service": "fargate", "item": "vcpu_hours", "quantity": 730, "arch": "arm64"},
            {"service": "fargate", "item": "gb_hours", "quantity": 2920, "arch": "arm64"}
        ]}),
    );
    assert_eq!(
        cents(arm.monthly_usd),
        cents(730.0 * 0.03238 + 2920.0 * 0.00356)
    );
}

#[test]
fn s3_standard_storage_falls_to_the_second_tier_above_50_tb_and_requests_are_billed() {
    // S3 pricing page (aws.amazon.com/s3/pricing), S3 Standard in US East, read 2026-01: $0.023 per
    // GB-month for the first 50 TB, $0.022 for the next 450 TB; PUT $0.005 and GET $0.0004 per 1,000.
    let b = priced(
        &knowledge(),
        serde_json::json!({"usage": [
            {"service": "s3", "item": "storage_gb_months", "quantity": 61_440},
            {"service": "s3", "item": "put_requests", "quantity": 10_000},
            {"service": "s3", "item": "get_requests", "quantity": 100_000}
        ]}),
    );
    let storage = line(&b, "s3-storage");
    assert_eq!(
        storage.formula,
        "61,440 GB-months: 51,200 × $0.023 per GB-month + 10,240 × $0.022 per GB-month = $1,402.88"
    );
    assert_eq!(cents(line(&b, "s3-put").usd), 0.05);
    assert_eq!(cents(line(&b, "s3-get").usd), 0.04);
    assert_formulas_hold(&b);
}

#[test]
fn cloudfront_credits_its_always_free_1_tb_and_10_million_requests() {
    // CloudFront pricing page (aws.amazon.com/cloudfront/pricing), read 2026-12: "Included in Always
    // Free Tier: 1 TB of data transfer out to the internet per month, 10,000,000 HTTP or HTTPS
    // requests per month"; then $0.085 per GB (first 10 TB) and $0.01 per 10,000 HTTPS requests.
    let b = priced(
        &knowledge(),
        serde_json::json!({"free_tier": true, "usage": [
            {"service": "cloudfront", "item": "data_out_gb", "quantity": 2048},
            {"service": "cloudfront", "item": "https_requests", "quantity": 8_000_000},
            {"service": "cloudfront", "item": "http_requests", "quantity": 7_000_000}
        ]}),
    );
    assert_eq!(cents(line(&b, "cloudfront-data-out").usd), 87.04);
    // the 10 M free requests cover HTTP and HTTPS together: 8 M HTTPS free, then 2 M of the HTTP
    assert_eq!(line(&b, "cloudfront-https-requests").usd, 0.0);
    assert_eq!(
        line(&b, "cloudfront-http-requests").formula,
        "7,000,000 requests − 2,000,000 free (always free) = 5,000,000 requests: 5,000,000 × $0.0075 per 10,000 = $3.75"
    );
    assert_formulas_hold(&b);
}

#[test]
fn one_nat_gateway_processing_500_gb_is_55_35_and_three_processing_2_tb_is_190_71() {
    // Basavytix, "AWS NAT Gateway Pricing" (basavytix.com/blog/aws-nat-gateway-pricing), read 2026-12,
    // at the us-east-1 rates of $0.045 per hour and $0.045 per GB: scenario 1, one gateway and 500 GB,
    // $32.85 + $22.50 = $55.35; scenario 2, three gateways and 2,048 GB, $98.55 + $92.16 = $190.71.
    let one = priced(
        &knowledge(),
        serde_json::json!({"usage": [
            {"service": "nat-gateway", "item": "hours", "quantity": 730},
            {"service": "nat-gateway", "item": "data_gb", "quantity": 500}
        ]}),
    );
    assert_eq!(cents(one.monthly_usd), 55.35);
    let three = priced(
        &knowledge(),
        serde_json::json!({"usage": [
            {"service": "nat-gateway", "item": "hours", "quantity": 2190},
            {"service": "nat-gateway", "item": "data_gb", "quantity": 2048}
        ]}),
    );
    assert_eq!(cents(line(&three, "nat-gateway-hours").usd), 98.55);
    assert_eq!(cents(line(&three, "nat-gateway-data").usd), 92.16);
    assert_eq!(cents(three.monthly_usd), 190.71);
}

#[test]
fn data_transfer_out_takes_100_gb_off_with_the_free_tier_and_falls_after_10_tb() {
    // EC2 on-demand pricing page (aws.amazon.com/ec2/pricing/on-demand), data transfer, read 2026-12:
    // 100 GB a month free, aggregated across services; $0.09 per GB for the first 10 TB, $0.085 next.
    let b = priced(
        &knowledge(),
        serde_json::json!({"free_tier": true, "usage": [
            {"service": "data-transfer", "item": "out_gb", "quantity": 12_288}
        ]}),
    );
    // free units take the bottom of the ladder: 10,140 GB at $0.09, 2,048 GB at $0.085
    assert_eq!(
        cents(b.monthly_usd),
        cents(10_140.0 * 0.09 + 2_048.0 * 0.085)
    );
    assert_formulas_hold(&b);
}

#[test]
fn twelve_month_allowances_apply_only_to_a_new_account() {
    let usage = |new_account: bool| {
        serde_json::json!({"free_tier": true, "new_account": new_account, "usage": [
            {"service": "public-ipv4", "item": "address_hours", "quantity": 1460}
        ]})
    };
    let k = knowledge();
    assert_eq!(cents(priced(&k, usage(false)).monthly_usd), 7.30);
    // 750 address-hours a month are free in a new account's first year
    assert_eq!(cents(priced(&k, usage(true)).monthly_usd), 3.55);
}

#[test]
fn tiers_and_free_allowances_are_monthly_so_a_second_line_continues_where_the_first_left_off() {
    let b = priced(
        &knowledge(),
        serde_json::json!({"free_tier": true, "usage": [
            {"service": "apigw-http", "item": "requests", "quantity": 200_000_000},
            {"service": "apigw-http", "item": "requests", "quantity": 200_000_000},
            {"service": "lambda", "item": "gb_seconds", "quantity": 300_000, "arch": "x86"},
            {"service": "lambda", "item": "gb_seconds", "quantity": 300_000, "arch": "arm64"}
        ]}),
    );
    assert_eq!(
        b.lines[0].formula,
        "200,000,000 requests × $1.00 per M = $200.00"
    );
    assert_eq!(
        b.lines[1].formula,
        "200,000,000 requests: 100,000,000 × $1.00 per M + 100,000,000 × $0.90 per M = $190.00"
    );
    // the 400,000 free GB-seconds cover x86 and arm64 together
    assert_eq!(b.lines[2].usd, 0.0);
    assert_eq!(
        b.lines[3].formula,
        "300,000 GB-seconds − 100,000 free (always free) = 200,000 GB-seconds: 200,000 × $0.0000133334 per GB-second = $2.67"
    );
    assert_formulas_hold(&b);
}
