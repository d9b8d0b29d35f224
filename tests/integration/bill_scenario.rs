//! The simulator's bill is the one pricing path applied to the month it simulated, in the scenario's
//! region, with the lines real bills carry each switchable.

use statecraft::domain::bill;
use statecraft::domain::sim::{self, cost};

use crate::sim_support::{knowledge, scenario};
use crate::support::{statecraft, stderr};

#[test]
fn the_simulators_cost_is_the_bill_of_the_usage_it_simulated() {
    let k = knowledge();
    let s = scenario(&k, "assets/scenarios/alb-ec2-elasticache-rds.json");
    let (model, outcome, cost) = sim::run_once(&k, &s).expect("runs");
    let stack = k.stack(&model.stack_id).expect("stack");
    let (usage, _) = cost::month_usage(&k, stack, &s, &model.inputs, &outcome.usage);
    let billed = bill::price(&k, &usage).expect("priced");
    assert_eq!(billed.monthly_usd, cost.monthly_usd.0);
    assert_eq!(billed.lines.len(), cost.lines.len());
    for (b, c) in billed.lines.iter().zip(&cost.lines) {
        assert_eq!((b.usd, &b.formula), (c.monthly_usd.0, &c.formula));
    }
}

#[test]
fn a_stack_in_private_subnets_carries_nat_gateways_addresses_logs_cross_az_ebs_and_backups() {
    let k = knowledge();
    let s = scenario(&k, "tests/fixtures/scenarios/ec2-two-fixed.json");
    let r = sim::simulate(&k, &s).expect("simulates");
    let ids: Vec<&str> = r
        .cost
        .by_service
        .iter()
        .map(|l| l.price_id.as_str())
        .collect();
    for id in [
        "nat-gateway-hours",
        "nat-gateway-data",
        "public-ipv4-hours",
        "cloudwatch-logs-ingest",
        "cloudwatch-logs-storage",
        "data-transfer-cross-az",
        "ebs-gp3-storage",
        "backup-rds",
    ] {
        assert!(ids.contains(&id), "no `{id}` line in {ids:?}");
    }
    let nat = r
        .cost
        .by_service
        .iter()
        .find(|l| l.price_id == "nat-gateway-hours")
        .expect("NAT");
    // two zones, a gateway in each, all month
    assert_eq!(
        nat.formula,
        "1,460 NAT gateway-hours × $0.045 per NAT gateway-hour = $65.70"
    );
    let ipv4 = r
        .cost
        .by_service
        .iter()
        .find(|l| l.price_id == "public-ipv4-hours")
        .expect("IPv4");
    // the load balancer's address in each of 2 zones and each NAT gateway's: 4 × 730 hours
    assert_eq!(
        ipv4.formula,
        "2,920 address-hours × $0.005 per address-hour = $14.60"
    );
    let ebs = r
        .cost
        .by_service
        .iter()
        .find(|l| l.price_id == "ebs-gp3-storage")
        .expect("EBS");
    assert_eq!(ebs.formula, "16 GB-months × $0.08 per GB-month = $1.28");
    assert!(
        r.cost
            .assumptions
            .iter()
            .any(|a| a.starts_with("compute in private subnets: a NAT gateway in each of 2 zones"))
    );
}

#[test]
fn each_real_bill_line_can_be_switched_off() {
    let k = knowledge();
    let mut s = scenario(&k, "tests/fixtures/scenarios/ec2-two-fixed.json");
    let all = sim::simulate(&k, &s).expect("simulates").cost;
    let l = &mut s.billing.lines;
    (
        l.nat_gateway,
        l.public_ipv4,
        l.cloudwatch_logs,
        l.cross_az,
        l.ebs,
        l.backup,
    ) = (false, false, false, false, false, false);
    let none = sim::simulate(&k, &s).expect("simulates").cost;
    let extra = [
        "nat-gateway",
        "public-ipv4",
        "cloudwatch-logs",
        "ebs",
        "backup",
    ];
    assert!(
        none.by_service
            .iter()
            .all(|l| !extra.contains(&l.service.as_str()))
    );
    assert!(
        none.by_service
            .iter()
            .all(|l| l.price_id != "data-transfer-cross-az")
    );
    let removed: f64 = all
        .by_service
        .iter()
        .filter(|l| extra.contains(&l.service.as_str()) || l.price_id == "data-transfer-cross-az")
        .map(|l| l.monthly_usd.0)
        .sum();
    assert!((all.monthly_usd.0 - removed - none.monthly_usd.0).abs() < 1e-6);
}

#[test]
fn msk_bills_three_brokers_and_their_storage_by_default() {
    let k = knowledge();
    let s = scenario(&k, "assets/scenarios/msk-fargate-event-streaming.json");
    let r = sim::simulate(&k, &s).expect("simulates");
    let brokers = r
        .cost
        .by_service
        .iter()
        .find(|l| l.price_id == "msk-kafka-m5-large")
        .expect("brokers");
    assert_eq!(
        brokers.formula,
        "2,190 broker-hours × $0.21 per broker-hour = $459.90"
    );
    let storage = r
        .cost
        .by_service
        .iter()
        .find(|l| l.price_id == "msk-storage")
        .expect("storage");
    assert_eq!(
        storage.formula,
        "3,000 GB-months × $0.10 per GB-month = $300.00"
    );
    assert!(
        r.cost
            .by_service
            .iter()
            .all(|l| !l.formula.contains("not priced"))
    );
}

#[test]
fn a_scenario_in_sydney_is_priced_at_sydney_rates_and_names_the_us_east_ones() {
    let k = knowledge();
    let s = scenario(&k, "tests/fixtures/bill/scenario-sydney.json");
    let r = sim::simulate(&k, &s).expect("simulates");
    let ec2 = r
        .cost
        .by_service
        .iter()
        .find(|l| l.price_id == "ec2-m5-large")
        .expect("EC2");
    assert!(
        ec2.formula.ends_with("× $0.12 per instance-hour = $175.20"),
        "{}",
        ec2.formula
    );
    assert_eq!(
        ec2.price_source,
        "b0.p.awsstatic.com/pricing/2.0/meteredUnitMaps/ec2/USD/current/ec2.json (Asia Pacific (Sydney)) key 'OnDemand Linux-instancetype-m5.large', as transformed in github.com/lamngockhuong/aws-price lib/data/pricing/ec2-transformed.json (commit ce57d15, 2025-11-03)"
    );
    assert_eq!(ec2.price_as_of, "2025-11");
    let nat = r
        .cost
        .by_service
        .iter()
        .find(|l| l.price_id == "nat-gateway-hours")
        .expect("NAT");
    assert_eq!(
        nat.formula,
        "1,460 NAT gateway-hours × $0.059 per NAT gateway-hour = $86.14"
    );
    // Sydney's RDS instance-hours are in the pack (coroot/cloud-pricing, 2024-08)…
    let rds = r
        .cost
        .by_service
        .iter()
        .find(|l| l.price_id == "rds-t4g-medium")
        .expect("RDS");
    assert!(
        rds.formula.contains("× $0.102 per instance-hour"),
        "{}",
        rds.formula
    );
    assert_eq!(rds.price_as_of, "2024-08");
    // …its ALB hours are in no source at hand: the US East rate, and the line says so
    let alb = r
        .cost
        .by_service
        .iter()
        .find(|l| l.price_id == "alb-hours")
        .expect("ALB");
    assert_eq!(
        alb.note
            .as_deref()
            .map(|n| n
                .ends_with("no ap-southeast-2 price in the pack: the base region's price is used")),
        Some(true)
    );
    assert!(
        r.cost
            .assumptions
            .iter()
            .any(|a| a.starts_with("Asia Pacific (Sydney) (ap-southeast-2) on-demand prices"))
    );
}

#[test]
fn a_region_without_prices_and_billing_lines_out_of_range_are_bad_input() {
    let o = statecraft(&[
        "simulate",
        "--scenario",
        "tests/fixtures/bill/scenario-bad-region.json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: tests/fixtures/bill/scenario-bad-region.json:6:15: at `billing.region`: there are no prices for region `sa-east-1`; the regions with prices are `us-east-1` (US East (N. Virginia)), `ap-southeast-2` (Asia Pacific (Sydney)), `eu-central-1` (EU (Frankfurt)), `eu-west-1` (EU (Ireland))\n  fix: use one of those region codes, or add a price pack for the region (statecraft prices import)\n\
         error: tests/fixtures/bill/scenario-bad-region.json:6:48: at `billing.lines.azs`: `billing.lines.azs` is 0; expected a number from 1 to 6 zones\n  fix: set it to a value from 1 to 6\n\
         error: tests/fixtures/bill/scenario-bad-region.json:6:58: at `billing.lines.cdn_miss_ratio`: `billing.lines.cdn_miss_ratio` is 1.5; expected a number from 0 to 1\n  fix: set it to a value from 0 to 1\n"
    );
}

#[test]
fn the_regions_with_prices_and_their_age_are_domain_functions_for_the_app() {
    let k = knowledge();
    let regions: Vec<String> = k
        .price_regions()
        .into_iter()
        .map(|(code, _)| code)
        .collect();
    assert_eq!(
        regions,
        ["us-east-1", "ap-southeast-2", "eu-central-1", "eu-west-1"]
    );
    let day = |s: &str| bill::age::parse_date(s).expect("a date");
    // the oldest figure in Ireland's pack is its RDS instance-hours', from August 2024
    let fresh = bill::age::price_age(&k, "eu-west-1", day("2025-06-01")).expect("an age");
    assert_eq!(
        (fresh.oldest.as_str(), fresh.days, fresh.warning.is_none()),
        ("2024-08", 304, true)
    );
    let stale = bill::age::price_age(&k, "eu-west-1", day("2026-06-01")).expect("an age");
    assert_eq!(stale.days, 669);
    assert_eq!(
        stale.warning.as_deref(),
        Some(
            "some eu-west-1 prices are 669 days old (as of 2024-08); AWS changes prices: refresh them from AWS's Price List with `statecraft prices import --offer FILE.json`"
        )
    );
    assert!(bill::age::price_age(&k, "sa-east-1", day("2026-12-01")).is_none());

    // a bill is as old as the prices it reads: DynamoDB's provisioned capacity (August 2025) makes
    // the base pack's oldest figure, but a bill of Lambda requests alone reads a January one
    let pack = bill::age::price_age(&k, "us-east-1", day("2026-12-07")).expect("an age");
    assert_eq!(pack.oldest, "2025-08");
    assert!(pack.warning.is_some());
    let used = bill::age::price_age_of(&k, "us-east-1", day("2026-12-07"), &["lambda-requests"])
        .expect("an age");
    assert_eq!(
        (used.oldest.as_str(), used.warning.is_none()),
        ("2026-01", true)
    );
}

#[test]
fn every_line_of_every_shipped_scenario_re_multiplies_to_its_amount() {
    let k = knowledge();
    let dir = crate::support::repo().join("assets/scenarios");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).expect("scenarios") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let s = sim::Scenario::read(&path, &k).expect("reads");
        let (_, _, cost) = sim::run_once(&k, &s).expect("runs");
        for l in &cost.lines {
            let again = bill::formula::remultiply(&l.formula)
                .unwrap_or_else(|| panic!("{}: {}", path.display(), l.formula));
            assert!(
                (again - l.monthly_usd.0).abs() < 0.005,
                "{}: {} re-multiplies to {again}",
                path.display(),
                l.formula
            );
            checked += 1;
        }
    }
    assert!(checked > 150, "{checked} lines");
}
