//! Eight products of very different shapes, each priced by hand from AWS's list prices (US East,
//! on demand, as knowledge/prices.json dates them), against the month the simulator gives for the
//! scenario their answers describe, on the stack an architect would draw for them.
//!
//! The hand prices take the product's figures from its workload's request profile (compute per
//! request, response size, store reads and writes, logs: knowledge/figures.json `profiles`) and do
//! the arithmetic an architect does on the back of an envelope: the month is 730 hours of steady
//! traffic; a fleet is sized for the load at 50 % CPU; every line is list price × quantity. The
//! simulation must land within a factor of 1.25 of it. The factor is that of the two things the hand
//! price leaves coarse: traffic between zones (the hand takes ~2 KB per database answer where the
//! simulator takes a response's size) and fleets (the simulator scales minute by minute and bills
//! instance-hours from launch). Everything else is the same arithmetic and agrees to the cent.
//!
//! Sources of the prices: aws.amazon.com/{elasticloadbalancing,fargate,ec2/pricing/on-demand,
//! lambda,api-gateway,dynamodb/pricing/on-demand,s3,cloudfront,cloudwatch,vpc (NAT gateway, public
//! IPv4),msk,rds/postgresql,rds/aurora,elasticache,cognito}/pricing, read 2026-01 to 2026-12.

use statecraft::domain::decision::{describe, likely_only};
use statecraft::domain::knowledge::AnswerValue;
use statecraft::domain::sim::simulate;

use crate::sim_support::{knowledge, product_answers};

/// A month of steady traffic, in seconds (730 hours).
const MONTH_S: f64 = 730.0 * 3600.0;
const HOURS: f64 = 730.0;
/// KB (KiB) to GB (GiB), as AWS meters bytes.
const KB_PER_GB: f64 = 1_048_576.0;

// list prices, us-east-1
const ALB_HOUR: f64 = 0.0225;
const ALB_LCU_HOUR: f64 = 0.008;
const FARGATE_TASK_HOUR: f64 = 0.04048 + 2.0 * 0.004445; // 1 vCPU + 2 GB
/// A compute-optimised c7g.large (2 vCPU, 4 GiB): what the sizing picks for servers bound by CPU.
const EC2_C7G_LARGE_HOUR: f64 = 0.0725;
const EBS_GB_MONTH: f64 = 0.08;
const LAMBDA_PER_M: f64 = 0.20;
const LAMBDA_GB_S: f64 = 0.000_016_666_7;
const DYNAMO_READ_PER_M: f64 = 0.125;
const DYNAMO_WRITE_PER_M: f64 = 0.625;
const DYNAMO_GB_MONTH: f64 = 0.25;
const S3_GB_MONTH: f64 = 0.023;
const S3_GET_PER_K: f64 = 0.0004;
const S3_PUT_PER_K: f64 = 0.005;
const LOGS_INGEST_GB: f64 = 0.50;
const LOGS_STORE_GB_MONTH: f64 = 0.03;
const NAT_HOUR: f64 = 0.045;
const NAT_GB: f64 = 0.045;
const IPV4_HOUR: f64 = 0.005;
const CROSS_AZ_GB: f64 = 0.01;
const RDS_T4G_MEDIUM_HOUR: f64 = 0.065;
const RDS_T4G_MICRO_HOUR: f64 = 0.016;
const RDS_GB_MONTH: f64 = 0.115;
const CACHE_T4G_MICRO_HOUR: f64 = 0.016;

/// A monthly volume priced tier by tier (each tier's size in GB and its price per GB), the rest at
/// `beyond`.
fn tiered(gb: f64, tiers: &[(f64, f64)], beyond: f64) -> f64 {
    let (mut left, mut usd) = (gb, 0.0);
    for &(size, price) in tiers {
        let here = left.min(size);
        usd += here * price;
        left -= here;
    }
    usd + left * beyond
}

/// Data out to the internet, AWS's monthly tiers: 10 TB at $0.09, 40 TB at $0.085, 100 TB at $0.07.
fn data_out(gb: f64) -> f64 {
    tiered(
        gb,
        &[(10_240.0, 0.09), (40_960.0, 0.085), (102_400.0, 0.07)],
        0.05,
    )
}

/// CloudFront data out (North America, Europe), its monthly tiers.
fn cloudfront_out(gb: f64) -> f64 {
    tiered(
        gb,
        &[
            (10_240.0, 0.085),
            (40_960.0, 0.080),
            (102_400.0, 0.060),
            (358_400.0, 0.040),
            (536_576.0, 0.030),
            (4_194_304.0, 0.025),
        ],
        0.020,
    )
}

/// Logs ingested and kept a month.
fn logs(gb: f64) -> f64 {
    gb * (LOGS_INGEST_GB + LOGS_STORE_GB_MONTH)
}

/// Two NAT gateways (one per zone) with the logs shipped through them, and the public IPv4
/// addresses of the load balancer's and the gateways' interfaces (four).
fn vpc(log_gb: f64) -> f64 {
    2.0 * HOURS * NAT_HOUR + log_gb * NAT_GB + 4.0 * HOURS * IPV4_HOUR
}

/// An ALB: its hours and its capacity units (the largest of new connections / 25 per second, at
/// 10 requests per connection, and GB processed per hour).
fn alb(rps: f64, kb_both_ways: f64) -> f64 {
    let new_conns = rps / 10.0 / 25.0;
    let gb_per_hour = rps * 3600.0 * kb_both_ways / 1e6;
    HOURS * ALB_HOUR + new_conns.max(gb_per_hour) * HOURS * ALB_LCU_HOUR
}

/// The simulated month of `stack` for a product: its workload, steady peak and whether it keeps
/// sessions (the likely run: no Monte Carlo).
fn simulated(workload: &str, rps: f64, sessions: bool, stack: &str) -> f64 {
    let k = knowledge();
    let mut a = product_answers(workload, rps, "steady");
    a.set("keeps-sessions", AnswerValue::Bool(sessions));
    let s = likely_only(&describe(&k, stack, &a, 42).scenario);
    let r = simulate(&k, &s).expect("the scenario simulates");
    assert_eq!(
        r.requests_failed, 0,
        "{workload} on {stack} serves every request"
    );
    r.cost.monthly_usd.0
}

fn assert_within_factor(product: &str, simulated: f64, by_hand: f64) {
    let ratio = simulated / by_hand;
    assert!(
        (1.0 / 1.25..=1.25).contains(&ratio),
        "{product}: simulated ${simulated:.2} a month, ${by_hand:.2} by hand (ratio {ratio:.3})"
    );
}

#[test]
fn dns_style_lookups_at_20000_requests_a_second_cost_thousands_not_hundreds_of_thousands() {
    // routing profile: 0.2 ms CPU, 0.5 KB answers, 0.3 KB queries, one table read in ten, 0.05 KB
    // of sampled logs; ALB + Fargate (1 vCPU tasks) + DynamoDB
    let rps = 20_000.0;
    let r = rps * MONTH_S;
    let tasks = (rps * 0.2 / 1000.0 / 0.5_f64).ceil();
    let log_gb = r * 0.05 / KB_PER_GB;
    let by_hand = tasks * HOURS * FARGATE_TASK_HOUR
        + alb(rps, 0.5 + 0.3)
        + data_out(r * 0.5 / KB_PER_GB)
        + r * 0.1 / 1e6 * DYNAMO_READ_PER_M
        + 1.0 * DYNAMO_GB_MONTH
        + logs(log_gb)
        + vpc(log_gb);
    let month = simulated("routing", rps, false, "alb-fargate-jwt");
    assert_within_factor("lookups", month, by_hand);
    assert!(month < 10_000.0, "${month:.0}");
}

#[test]
fn heavy_functions_are_mostly_lambda_duration() {
    // event-functions: 200 ms a request in a 512 MB function (and ~5 ms waiting on DynamoDB), one
    // result written per event, 1 KB out, 0.5 KB of logs; S3 holds 500 GB of uploads
    let rps = 200.0;
    let r = rps * MONTH_S;
    let log_gb = r * 0.5 / KB_PER_GB;
    let by_hand = 300.0 * 1.00 + (r / 1e6 - 300.0) * 0.90 // API Gateway HTTP API, tiered
        + r / 1e6 * LAMBDA_PER_M
        + r * 0.205 * 0.5 * LAMBDA_GB_S
        + r / 1e6 * DYNAMO_WRITE_PER_M
        + 20.0 * DYNAMO_GB_MONTH
        + 500.0 * S3_GB_MONTH
        + r * 0.1 / 1000.0 * S3_GET_PER_K
        + r * 0.01 / 1000.0 * S3_PUT_PER_K
        + logs(log_gb)
        + data_out(r * 1.0 / KB_PER_GB);
    let month = simulated("event-functions", rps, false, "apigw-lambda-dynamodb");
    assert_within_factor("functions", month, by_hand);
}

#[test]
fn a_web_shop_with_sessions_in_a_cache_is_mostly_data_out_and_servers() {
    // web-app: 20 ms CPU, 20 KB pages, a session read each request and a write in five (4 KB),
    // three queries; 40 c7g.large at 50 % CPU; ElastiCache pair; RDS Multi-AZ (6,000 queries/s:
    // the largest class priced, a db.t4g.medium, and the record says it is a floor)
    let rps = 2_000.0;
    let r = rps * MONTH_S;
    let instances = (rps * 20.0 / 1000.0 / (2.0 * 0.5_f64)).ceil();
    let log_gb = r * 0.5 / KB_PER_GB;
    // session (4 KB × 1.2 operations) and three ~2 KB answers, half of them from the other zone,
    // billed each way
    let cross_az_gb = r * (4.0 * 1.2 + 3.0 * 2.0) / KB_PER_GB * 0.5 * 2.0;
    let by_hand = instances * HOURS * EC2_C7G_LARGE_HOUR
        + instances * 8.0 * EBS_GB_MONTH
        + alb(rps, 20.0 + 1.0)
        + data_out(r * 20.0 / KB_PER_GB)
        + 2.0 * HOURS * CACHE_T4G_MICRO_HOUR
        + 2.0 * HOURS * RDS_T4G_MEDIUM_HOUR
        + 2.0 * 20.0 * RDS_GB_MONTH
        + 100.0 * S3_GB_MONTH
        + r * 0.1 / 1000.0 * S3_GET_PER_K
        + r * 0.01 / 1000.0 * S3_PUT_PER_K
        + logs(log_gb)
        + vpc(log_gb)
        + cross_az_gb * CROSS_AZ_GB;
    let month = simulated("web-app", rps, true, "alb-ec2-elasticache-rds");
    assert_within_factor("web shop", month, by_hand);
}

#[test]
fn streaming_media_is_priced_at_cloudfronts_volume_tiers() {
    // streaming-publishing: 1.5 MB segments, 500 a second, a tenth missing the edge to S3 (5 TB)
    let rps = 500.0;
    let r = rps * MONTH_S;
    let by_hand = cloudfront_out(r * 1500.0 / KB_PER_GB)
        + r / 10_000.0 * 0.01
        + 5_000.0 * S3_GB_MONTH
        + r * 0.1 / 1000.0 * S3_GET_PER_K;
    let month = simulated("streaming-publishing", rps, false, "cloudfront-s3-static");
    assert_within_factor("media", month, by_hand);
}

#[test]
fn telemetry_into_kafka_is_mostly_the_writes_that_store_each_reading() {
    // event-processing: 2 ms CPU, 1 KB in, an acknowledgement out, each reading written once;
    // MSK (3 kafka.m5.large, 1 TB each) + Fargate consumers + DynamoDB
    let rps = 5_000.0;
    let r = rps * MONTH_S;
    let tasks = (rps * 2.0 / 1000.0 / 0.5_f64).ceil();
    let log_gb = r * 0.05 / KB_PER_GB;
    let by_hand = tasks * HOURS * FARGATE_TASK_HOUR
        + 3.0 * HOURS * 0.21 // kafka.m5.large broker-hours
        + 3.0 * 1_000.0 * 0.10 // broker storage
        + alb(rps, 0.2 + 1.0)
        + r / 1e6 * DYNAMO_WRITE_PER_M
        + 200.0 * DYNAMO_GB_MONTH
        + logs(log_gb)
        + data_out(r * 0.2 / KB_PER_GB)
        + vpc(log_gb);
    let month = simulated(
        "event-processing",
        rps,
        false,
        "msk-fargate-event-streaming",
    );
    assert_within_factor("telemetry", month, by_hand);
}

#[test]
fn a_chat_over_websockets_pays_per_message_and_per_stored_message() {
    // chat: 1 ms CPU, 0.5 KB messages, a session read each and a write in twenty (4 KB), each
    // message stored; 1,000 connections open all month
    let rps = 1_000.0;
    let r = rps * MONTH_S;
    let messages_m = r / 1e6;
    let by_hand = 1_000.0 * 1.00 + (messages_m - 1_000.0) * 0.80 // WebSocket messages, tiered
        + 1_000.0 * HOURS * 60.0 / 1e6 * 0.25 // connection-minutes
        + messages_m * LAMBDA_PER_M
        + r * 0.010 * 0.5 * LAMBDA_GB_S // 1 ms CPU + ~9 ms waiting on DynamoDB
        + messages_m * DYNAMO_READ_PER_M
        + (messages_m * 0.05 * 4.0 + messages_m) * DYNAMO_WRITE_PER_M
        + 50.0 * DYNAMO_GB_MONTH
        + logs(r * 0.1 / KB_PER_GB)
        + data_out(r * 0.5 / KB_PER_GB);
    let month = simulated("chat", rps, true, "apigw-websocket-lambda-dynamodb");
    assert_within_factor("chat", month, by_hand);
}

#[test]
fn a_ledger_pays_for_its_database_capacity_and_its_users_sign_in() {
    // financial-ledger: 10 ms CPU, five statements a transaction (250 a second per ACU), 1 KB of
    // audit log; 90,000 monthly users (300 per request/s) signing in with Cognito
    let rps = 300.0;
    let r = rps * MONTH_S;
    let tasks = (rps * 10.0 / 1000.0 / 0.5_f64).ceil();
    let log_gb = r * 1.0 / KB_PER_GB;
    let cross_az_gb = r * (4.0 * 1.1 + 5.0 * 2.0) / KB_PER_GB;
    let by_hand = tasks * HOURS * FARGATE_TASK_HOUR
        + rps * 5.0 / 250.0 * HOURS * 0.12 // Aurora Serverless v2 ACU-hours
        + r * 5.0 * 0.2 / 1e6 * 0.20 // Aurora I/O: a fifth of the statements reach storage
        + 100.0 * 0.10
        + 2.0 * HOURS * CACHE_T4G_MICRO_HOUR
        + rps * 300.0 * 0.015 // Cognito MAU
        + alb(rps, 2.0 + 1.0)
        + logs(log_gb)
        + data_out(r * 2.0 / KB_PER_GB)
        + cross_az_gb * CROSS_AZ_GB
        + vpc(log_gb);
    let month = simulated("financial-ledger", rps, true, "aurora-elasticache-ledger");
    assert_within_factor("ledger", month, by_hand);
}

#[test]
fn a_game_server_keeping_rooms_in_memory_costs_two_servers_and_its_bandwidth() {
    // realtime-game: 0.5 ms per input, 0.5 KB snapshots, state in the server's memory; two
    // c7g.large carry 3,000 inputs/s (1.5 vCPU busy, a few MB of sessions each); results saved at
    // the end of a match, 30 queries/s on a db.t4g.micro
    let rps = 3_000.0;
    let r = rps * MONTH_S;
    let log_gb = r * 0.01 / KB_PER_GB;
    let by_hand = 2.0 * HOURS * EC2_C7G_LARGE_HOUR
        + 2.0 * 8.0 * EBS_GB_MONTH
        + 2.0 * HOURS * RDS_T4G_MICRO_HOUR
        + 2.0 * 10.0 * RDS_GB_MONTH
        + alb(rps, 0.5 + 0.1)
        + data_out(r * 0.5 / KB_PER_GB)
        + logs(log_gb)
        + vpc(log_gb);
    let month = simulated("realtime-game", rps, true, "alb-sticky-ec2-memory");
    assert_within_factor("game", month, by_hand);
    assert!(month < 1_000.0, "${month:.0}");
}

mod properties {
    use proptest::prelude::*;
    use statecraft::domain::decision::{describe, likely_only};
    use statecraft::domain::sim::simulate;

    use crate::sim_support::{knowledge, product_answers};

    const STACKS: [&str; 8] = [
        "apigw-lambda-dynamodb",
        "alb-fargate-jwt",
        "alb-ec2-dynamodb-sessions",
        "alb-ec2-elasticache-rds",
        "ecs-fargate-elasticache-aurora",
        "alb-sticky-ec2-memory",
        "msk-fargate-event-streaming",
        "cloudfront-s3-static",
    ];

    fn month(workload: &str, stack: &str, rps: f64) -> (f64, u64) {
        let k = knowledge();
        let a = product_answers(workload, rps, "steady");
        let s = likely_only(&describe(&k, stack, &a, 7).scenario);
        let r = simulate(&k, &s).expect("the scenario simulates");
        (r.cost.monthly_usd.0, r.requests_failed)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

        /// More traffic never makes the month cheaper while every request is served (a run that
        /// refuses requests bills fewer of them, and says so as failed requests instead).
        #[test]
        fn the_monthly_cost_never_falls_when_the_traffic_grows(
            workload in prop::sample::select(vec![
                "routing", "rest-api", "web-app", "event-processing", "chat",
                "financial-ledger", "realtime-game", "streaming-publishing",
            ]),
            stack in prop::sample::select(STACKS.to_vec()),
            rps in 1.0f64..2_000.0,
            growth in 1.1f64..4.0,
        ) {
            let (low, failed_low) = month(workload, stack, rps);
            let (high, failed_high) = month(workload, stack, rps * growth);
            prop_assume!(failed_low == 0 && failed_high == 0);
            prop_assert!(
                high >= low - 0.01,
                "{workload} on {stack}: ${low:.2} at {rps:.0} req/s, ${high:.2} at {:.0}",
                rps * growth
            );
        }
    }
}
