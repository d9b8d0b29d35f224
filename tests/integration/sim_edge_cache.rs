//! A CDN in front of the servers or functions answers the cacheable requests from its edge caches:
//! only the rest reach the origin, which is sized and billed for them, while CloudFront bills every
//! request. Without a CDN the same answer changes nothing.

use statecraft::domain::decision::{describe, likely_only};
use statecraft::domain::knowledge::AnswerValue;
use statecraft::domain::sim::scenario::Scenario;
use statecraft::domain::sim::{SimReport, simulate};

use crate::sim_support::{knowledge, product_answers};

/// A public read API (a forecast, a catalogue) behind a CDN and servers.
const WITH_CDN: &str = "stateless+front=alb+cdn=cloudfront+compute=fargate+database=dynamodb";
const WITHOUT_CDN: &str = "stateless+front=alb+compute=fargate+database=dynamodb";

/// A public read API at a steady 5,000 requests/s whose founder says `cacheable` % of the requests
/// get the same answer for everyone.
fn public_api(stack: &str, cacheable: Option<f64>) -> Scenario {
    let k = knowledge();
    let mut a = product_answers("rest-api", 5_000.0, "steady");
    a.set("keeps-sessions", AnswerValue::Bool(false));
    if let Some(pct) = cacheable {
        a.set("cacheable-share", AnswerValue::Number(pct));
    }
    likely_only(&describe(&k, stack, &a, 42).scenario)
}

fn run(s: &Scenario) -> SimReport {
    simulate(&knowledge(), s).expect("the scenario simulates")
}

fn quantity(r: &SimReport, service: &str, item: &str) -> f64 {
    r.cost
        .by_service
        .iter()
        .filter(|l| l.service == service && l.item.starts_with(item))
        .map(|l| l.quantity)
        .sum()
}

#[test]
fn a_cdn_answers_the_cacheable_requests_and_the_origin_serves_and_pays_for_the_rest() {
    let none = run(&public_api(WITH_CDN, Some(0.0)));
    let most = run(&public_api(WITH_CDN, Some(80.0)));
    // every request is still counted, and none fails
    assert_eq!(none.requests_total, most.requests_total);
    assert_eq!(most.requests_failed, 0);
    // CloudFront bills every request either way
    let edge_none = quantity(&none, "cloudfront", "CloudFront HTTPS requests");
    let edge_most = quantity(&most, "cloudfront", "CloudFront HTTPS requests");
    assert!(
        (edge_most / edge_none - 1.0).abs() < 0.01,
        "{edge_most} vs {edge_none}"
    );
    // 80 % cacheable, of which the default 10 % still miss: 72 % answered at the edge, so the
    // origin's database reads and its tasks fall to about 28 %
    let reads = quantity(&most, "dynamodb", "DynamoDB on-demand read")
        / quantity(&none, "dynamodb", "DynamoDB on-demand read");
    assert!(
        (reads - 0.28).abs() < 0.02,
        "database reads fell to {reads}"
    );
    let tasks =
        quantity(&most, "fargate", "Fargate vCPU") / quantity(&none, "fargate", "Fargate vCPU");
    assert!(tasks < 0.45, "task hours fell only to {tasks}");
    assert!(most.cost.monthly_usd.0 < none.cost.monthly_usd.0);
    // most answers come from the edge's cache, faster than the origin's
    assert!(
        most.latency.p50_ms.0 < none.latency.p50_ms.0,
        "median {} ms with the cache, {} ms without",
        most.latency.p50_ms.0,
        none.latency.p50_ms.0
    );
}

#[test]
fn without_a_cdn_the_cacheable_share_changes_nothing() {
    let a = run(&public_api(WITHOUT_CDN, Some(0.0)));
    let b = run(&public_api(WITHOUT_CDN, Some(80.0)));
    assert_eq!(a.cost.monthly_usd, b.cost.monthly_usd);
    assert_eq!(a.latency.p99_ms, b.latency.p99_ms);
    assert_eq!(a.requests_total, b.requests_total);
}

#[test]
fn the_cacheable_share_is_the_profiles_until_the_team_answers_it_and_only_where_a_cdn_fronts_compute()
 {
    let k = knowledge();
    let mut a = product_answers("rest-api", 5_000.0, "steady");
    let profile = describe(&k, WITH_CDN, &a, 42);
    assert_eq!(profile.origins["traffic.cacheable_pct"].word(), "profile");
    assert_eq!(profile.scenario.traffic.cacheable_pct.likely(), 20.0);
    a.set("cacheable-share", AnswerValue::Number(90.0));
    let answered = describe(&k, WITH_CDN, &a, 42);
    assert_eq!(answered.origins["traffic.cacheable_pct"].word(), "answered");
    assert_eq!(answered.scenario.traffic.cacheable_pct.likely(), 90.0);
    let no_cdn = describe(&k, WITHOUT_CDN, &a, 42);
    assert!(!no_cdn.origins.contains_key("traffic.cacheable_pct"));
    assert_eq!(no_cdn.scenario.traffic.cacheable_pct.likely(), 0.0);
}
