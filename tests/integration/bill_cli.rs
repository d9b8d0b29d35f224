//! `statecraft bill --usage` and `statecraft prices import --offer`, through the real binary: the
//! contract's JSON, bad input placed at its line and column with what exists, and an imported offer
//! file pricing a later bill, dated from the file.

use serde_json::Value;

use crate::support::{statecraft, stderr, stdout};

fn bill_json(args: &[&str]) -> Value {
    let o = statecraft(args);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("JSON")
}

fn bad_input(args: &[&str]) -> String {
    let o = statecraft(args);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(o.stdout.is_empty());
    stderr(&o)
}

#[test]
fn the_contracts_usage_example_is_priced_line_by_line() {
    let b = bill_json(&[
        "bill",
        "--usage",
        "tests/fixtures/bill/contract-example.json",
        "--format",
        "json",
    ]);
    assert_eq!(b["region"], "us-east-1");
    assert_eq!(b["free_tier"], false);
    let lines = b["lines"].as_array().expect("lines");
    assert_eq!(lines.len(), 3);
    // 3 M requests × $0.20 per M, 1.5 M GB-s × $0.0000166667, 1 M requests of 1 MB metered as 2 M
    assert_eq!(
        lines[0]["formula"],
        "3,000,000 requests × $0.20 per M = $0.60"
    );
    assert_eq!(
        lines[1]["formula"],
        "1,500,000 GB-seconds × $0.0000166667 per GB-second = $25.00"
    );
    assert_eq!(lines[2]["quantity"], 2_000_000.0);
    assert_eq!(lines[2]["unit"], "requests");
    assert_eq!(
        lines[2]["price_source"],
        "aws.amazon.com/api-gateway/pricing"
    );
    assert_eq!(lines[2]["price_as_of"], "2026-01");
    let total = b["monthly_usd"].as_f64().expect("total");
    assert!((total - (0.6 + 1_500_000.0 * 0.0000166667 + 2.0)).abs() < 1e-9);
}

#[test]
fn a_bill_in_frankfurt_uses_frankfurts_prices_and_says_which_are_us_east_ones() {
    let b = bill_json(&[
        "bill",
        "--usage",
        "tests/fixtures/bill/frankfurt-nat.json",
        "--format",
        "json",
    ]);
    assert_eq!(b["region_name"], "EU (Frankfurt)");
    let lines = b["lines"].as_array().expect("lines");
    assert_eq!(
        lines[0]["formula"],
        "730 NAT gateway-hours × $0.052 per NAT gateway-hour = $37.96"
    );
    assert_eq!(
        lines[0]["price_source"],
        "b0.p.awsstatic.com/pricing/2.0/meteredUnitMaps/natgateway/USD/current/natgateway.json (EU (Frankfurt)), hawkFilePublicationDate 2025-10-28T17:54:55Z, as kept in github.com/lamngockhuong/aws-price lib/data/pricing/natgateway.json (commit ce57d15)"
    );
    assert_eq!(lines[0]["price_as_of"], "2025-10");
    // no source at hand publishes Frankfurt's ALB hours: the US East rate, and the line says so
    assert_eq!(
        lines[3]["formula"],
        "730 ALB-hours × $0.0225 per ALB-hour = $16.43"
    );
    assert_eq!(
        lines[3]["note"],
        "no eu-central-1 price in the pack: the base region's price is used"
    );
    assert!(b["assumptions"].as_array().expect("assumptions").iter().any(|a| a
        == "the eu-central-1 price pack has no figure for `alb-hours`: priced at us-east-1 rates, as those lines say"));
}

#[test]
fn an_unknown_region_is_bad_input_that_lists_the_regions_there_are() {
    let err = bad_input(&["bill", "--usage", "tests/fixtures/bill/unknown-region.json"]);
    assert_eq!(
        err.lines().next().unwrap_or(""),
        "error: tests/fixtures/bill/unknown-region.json:1:2: at `region`: there are no prices for region `us-west-9`; the regions with prices are `us-east-1` (US East (N. Virginia)), `ap-southeast-2` (Asia Pacific (Sydney)), `eu-central-1` (EU (Frankfurt)), `eu-west-1` (EU (Ireland))"
    );
}

#[test]
fn an_unknown_service_item_or_type_is_bad_input_that_lists_what_exists() {
    let err = bad_input(&[
        "bill",
        "--usage",
        "tests/fixtures/bill/unknown-service.json",
    ]);
    assert!(err.starts_with("error: tests/fixtures/bill/unknown-service.json:3:13: at `usage[1].service`: there is no service `lightsail` to price; the services are `alb`, "), "{err}");
    assert!(
        err.contains("`nat-gateway`") && err.contains("`public-ipv4`"),
        "{err}"
    );
    let err = bad_input(&["bill", "--usage", "tests/fixtures/bill/unknown-item.json"]);
    assert!(err.contains(":1:30: at `usage[0].item`: `s3` has no item `delete_requests`; its items are `get_requests`, `put_requests`, `storage_gb_months`"), "{err}");
    let err = bad_input(&[
        "bill",
        "--usage",
        "tests/fixtures/bill/unknown-instance.json",
    ]);
    assert!(err.contains("there is no price for `ec2` `instance_hours` of type `x9.huge`; the types priced are `c7g.large`, `m5.large`, `m7g.large`, `t3.medium`, `t3.micro`"), "{err}");
}

#[test]
fn the_contracts_service_names_rds_and_elasticache_bill_as_the_knowledges_ids() {
    let dir = tempfile::tempdir().expect("temp dir");
    let usage = dir.path().join("usage.json");
    std::fs::write(
        &usage,
        r#"{"region": "eu-west-1", "usage": [
            {"service": "rds", "item": "instance_hours", "quantity": 730, "instance": "db.t4g.micro", "multi_az": true},
            {"service": "rds-postgres", "item": "instance_hours", "quantity": 730, "instance": "db.t4g.micro"},
            {"service": "elasticache", "item": "node_hours", "quantity": 730, "node": "cache.t4g.micro"},
            {"service": "elasticache-redis", "item": "node_hours", "quantity": 730, "node": "cache.t4g.micro"}]}"#,
    )
    .expect("write");
    let b = bill_json(&[
        "bill",
        "--usage",
        usage.to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    let lines = b["lines"].as_array().expect("lines");
    let row = |i: usize| {
        (
            lines[i]["service"].as_str().unwrap_or_default(),
            lines[i]["formula"].as_str().unwrap_or_default(),
        )
    };
    // Ireland's figures: db.t4g.micro $0.017 (Multi-AZ doubles the hours), cache.t4g.micro $0.017
    assert_eq!(
        row(0),
        (
            "rds",
            "1,460 instance-hours × $0.017 per instance-hour = $24.82"
        )
    );
    assert_eq!(
        row(1),
        (
            "rds-postgres",
            "730 instance-hours × $0.017 per instance-hour = $12.41"
        )
    );
    assert_eq!(
        row(2),
        (
            "elasticache",
            "730 node-hours × $0.017 per node-hour = $12.41"
        )
    );
    assert_eq!(row(3).1, row(2).1);
    assert_eq!(lines[0]["price_id"], "rds-t4g-micro");
    assert_eq!(lines[2]["price_id"], "elasticache-t4g-micro");
}

#[test]
fn an_unknown_service_is_refused_with_the_knowledges_ids_and_the_contracts_names() {
    let err = bad_input(&[
        "bill",
        "--usage",
        "tests/fixtures/bill/unknown-service.json",
    ]);
    assert!(
        err.contains("`rds-postgres`, `route53`, `s3`"),
        "the ids: {err}"
    );
    assert!(
        err.contains(", and by their other names `elasticache` for `elasticache-redis`, `rds` for `rds-postgres`\n"),
        "the contract's names: {err}"
    );
    assert!(
        err.contains("fix: use one of those service ids or names"),
        "{err}"
    );
}

/// A price of a pack: its id, first rate and tiers (above, rate).
type Figure = (String, f64, Vec<(f64, f64)>);

#[test]
fn pricing_page_data_imports_one_region_into_a_pack_the_loader_accepts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().to_str().expect("utf-8 path");
    let o = statecraft(&[
        "prices",
        "import",
        "--offer",
        "tests/fixtures/pages/apigateway.json",
        "--region",
        "eu-central-1",
        "--out",
        out,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).trim_end(),
        format!(
            "4 prices for EU (Frankfurt) (eu-central-1) as of 2025-10-20 written to {out}/prices/eu-central-1.json"
        )
    );
    let pack: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("prices/eu-central-1.json")).expect("the pack"),
    )
    .expect("JSON");
    let figures: Vec<Figure> = pack["prices"]
        .as_array()
        .expect("prices")
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap_or_default().to_string(),
                p["usd"].as_f64().unwrap_or(-1.0),
                p["tiers"]
                    .as_array()
                    .map(|t| {
                        t.iter()
                            .map(|t| {
                                (
                                    t["above"].as_f64().unwrap_or(-1.0),
                                    t["usd"].as_f64().unwrap_or(-1.0),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            )
        })
        .collect();
    // Frankfurt's rows, per unit in the map, per million in the pack, with the base's breakpoints;
    // the hash-named row and the cache sizes are not prices Statecraft uses
    assert_eq!(
        figures,
        [
            ("apigw-http-requests".into(), 1.2, vec![(3e8, 1.08)]),
            (
                "apigw-rest-requests".into(),
                3.7,
                vec![(3.33e8, 3.19), (1e9, 2.71), (2e10, 1.72)]
            ),
            ("apigw-websocket-connection-minutes".into(), 0.285, vec![]),
            ("apigw-websocket-messages".into(), 1.14, vec![(1e9, 0.94)]),
        ]
    );
    assert_eq!(pack["prices"][0]["as_of"], "2025-10-20");
    assert_eq!(
        pack["prices"][0]["source"],
        "AWS pricing-page data tests/fixtures/pages/apigateway.json (meteredUnitMaps `apigateway`, hawkFilePublicationDate 2025-10-20T13:22:36Z, EU (Frankfurt); keys 'ApiGatewayHttpApi First 300 million', 'ApiGatewayHttpApi more than 300 million')"
    );
    // the loader accepts the pack, and a bill in Frankfurt prices from it
    let o = statecraft(&["--knowledge", out, "check-knowledge"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let usage = dir.path().join("usage.json");
    std::fs::write(
        &usage,
        r#"{"region": "eu-central-1", "usage": [{"service": "apigw-http", "item": "requests", "quantity": 400000000}]}"#,
    )
    .expect("write");
    let b = bill_json(&[
        "--knowledge",
        out,
        "bill",
        "--usage",
        usage.to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    assert_eq!(
        b["lines"][0]["formula"],
        "400,000,000 requests: 300,000,000 × $1.20 per M + 100,000,000 × $1.08 per M = $468.00"
    );
    assert!(
        b["lines"][0]["price_source"].as_str().is_some_and(
            |s| s.starts_with("AWS pricing-page data tests/fixtures/pages/apigateway.json")
        ),
        "{}",
        b["lines"][0]
    );
}

#[test]
fn pricing_page_data_asks_which_region_and_places_a_bad_price() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().to_str().expect("utf-8 path");
    let err = bad_input(&[
        "prices",
        "import",
        "--offer",
        "tests/fixtures/pages/apigateway.json",
        "--out",
        out,
    ]);
    assert_eq!(
        err.lines().next().unwrap_or_default(),
        "error: tests/fixtures/pages/apigateway.json: the file prices 3 Regions, 3 of them with a price pack; say which to read"
    );
    assert!(
        err.contains("fix: pass --region with one of `us-east-1` (US East (N. Virginia)), "),
        "{err}"
    );
    let err = bad_input(&[
        "prices",
        "import",
        "--offer",
        "tests/fixtures/pages/apigateway-bad-price.json",
        "--region",
        "eu-central-1",
        "--out",
        out,
    ]);
    assert!(
        err.starts_with("error: tests/fixtures/pages/apigateway-bad-price.json:136:9: at `regions.EU (Frankfurt).ApiGatewayHttpApi First 300 million.price`: `price` is \"1.2 USD per million\", which is not a number of 0 or more"),
        "{err}"
    );
    let err = bad_input(&[
        "prices",
        "import",
        "--offer",
        "tests/fixtures/pages/apigateway.json",
        "--region",
        "sa-east-1",
        "--out",
        out,
    ]);
    assert!(
        err.contains("there is no price pack for region `sa-east-1` to read from the file"),
        "{err}"
    );
    // nothing is written on failure
    assert!(!dir.path().join("prices").exists());
}

#[test]
fn malformed_json_is_placed_at_its_line_and_column() {
    let err = bad_input(&["bill", "--usage", "tests/fixtures/bill/bad-json.json"]);
    assert!(
        err.starts_with("error: tests/fixtures/bill/bad-json.json:2:44: "),
        "{err}"
    );
    assert!(err.contains("expected `,` or `}`"), "{err}");
}

#[test]
fn an_imported_offer_file_prices_the_next_bill_dated_from_the_file_and_warns_it_is_old() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().to_str().expect("utf-8 path");
    let o = statecraft(&[
        "prices",
        "import",
        "--offer",
        "tests/fixtures/offers/lambda-eu-central-1.json",
        "--out",
        out,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pack: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("prices/eu-central-1.json")).expect("the pack"),
    )
    .expect("JSON");
    assert_eq!(pack["as_of"], "2024-05-01");
    let prices = pack["prices"].as_array().expect("prices");
    // the Lambda@Edge product is not one Statecraft prices; requests and the tiered duration are
    assert_eq!(prices.len(), 2);
    assert_eq!(prices[0]["id"], "lambda-duration-x86");
    assert_eq!(prices[0]["usd"], 0.0000166667);
    assert_eq!(prices[0]["tiers"][0]["above"], 6_000_000_000.0);
    assert_eq!(prices[0]["tiers"][0]["usd"], 0.000015);
    assert_eq!(prices[0]["tiers"][1]["usd"], 0.0000133334);
    assert_eq!(prices[1]["id"], "lambda-requests");
    assert_eq!(prices[1]["usd"], 0.21);

    let b = bill_json(&[
        "--knowledge",
        out,
        "bill",
        "--usage",
        "tests/fixtures/bill/frankfurt-nat.json",
        "--format",
        "json",
    ]);
    let requests = &b["lines"][2];
    assert_eq!(
        requests["formula"],
        "10,000,000 requests × $0.21 per M = $2.10"
    );
    assert_eq!(requests["price_as_of"], "2024-05-01");
    assert!(requests["price_source"].as_str().is_some_and(|s| s.contains("lambda-eu-central-1.json (AWSLambda, publicationDate 2024-05-01T00:00:00Z, SKU SKUREQUEST1)")));
    assert_eq!(b["price_age"]["oldest"], "2024-05-01");
    assert!(
        b["price_age"]["warning"]
            .as_str()
            .is_some_and(|w| w.starts_with("some eu-central-1 prices are ")),
        "{}",
        b["price_age"]
    );
}

#[test]
fn an_offer_file_with_an_unknown_service_a_missing_field_or_a_non_numeric_price_is_bad_input() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().to_str().expect("utf-8 path");
    let err = bad_input(&[
        "prices",
        "import",
        "--offer",
        "tests/fixtures/offers/unknown-service.json",
        "--out",
        out,
    ]);
    assert!(err.starts_with("error: tests/fixtures/offers/unknown-service.json:4:3: at `offerCode`: the offer is for `AmazonLightsail`, a service Statecraft has no prices for; the services it imports are AWSDataTransfer, AWSELB, AWSLambda, "), "{err}");
    let err = bad_input(&[
        "prices",
        "import",
        "--offer",
        "tests/fixtures/offers/missing-price.json",
        "--out",
        out,
    ]);
    assert!(
        err.starts_with("error: tests/fixtures/offers/missing-price.json:52:13: "),
        "{err}"
    );
    assert!(err.contains("`pricePerUnit` is missing"), "{err}");
    let err = bad_input(&[
        "prices",
        "import",
        "--offer",
        "tests/fixtures/offers/non-numeric-price.json",
        "--out",
        out,
    ]);
    assert!(
        err.starts_with("error: tests/fixtures/offers/non-numeric-price.json:83:34: "),
        "{err}"
    );
    assert!(
        err.contains("`USD` is \"0.000015 USD\", which is not a number of 0 or more"),
        "{err}"
    );
    // nothing is written on failure
    assert!(!dir.path().join("prices").exists());
}

#[test]
fn an_offer_file_for_a_region_without_a_shipped_pack_adds_that_region() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().to_str().expect("utf-8 path");
    let o = statecraft(&[
        "prices",
        "import",
        "--offer",
        "tests/fixtures/offers/lambda-us-west-2.json",
        "--out",
        out,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).trim_end(),
        format!(
            "2 prices for US West (Oregon) (us-west-2) as of 2024-05-01 written to {out}/prices/us-west-2.json"
        )
    );
    let usage = dir.path().join("usage.json");
    std::fs::write(
        &usage,
        r#"{"region": "us-west-2", "usage": [{"service": "lambda", "item": "requests", "quantity": 1000000},
                                           {"service": "s3", "item": "get_requests", "quantity": 1000000}]}"#,
    )
    .expect("write");
    let b = bill_json(&[
        "--knowledge",
        out,
        "bill",
        "--usage",
        usage.to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    assert_eq!(b["region_name"], "US West (Oregon)");
    assert_eq!(
        b["lines"][0]["formula"],
        "1,000,000 requests × $0.21 per M = $0.21"
    );
    // S3 has no us-west-2 figure in the pack: the line says it is a US East price
    assert_eq!(
        b["lines"][1]["note"],
        "no us-west-2 price in the pack: the base region's price is used"
    );
}
