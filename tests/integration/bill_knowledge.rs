//! Prices are checked at load: tiers rise and only fall in price, every free allowance has its own
//! source and date, metering is in KB or ms, and a region's pack prices only prices that exist.

use crate::support::{statecraft, stderr};

#[test]
fn bad_tiers_free_allowances_metering_and_region_figures_are_each_placed_and_explained() {
    let o = statecraft(&["check-knowledge", "tests/fixtures/bill/bad-prices-pack"]);
    assert_eq!(o.status.code(), Some(2));
    let p = "tests/fixtures/bill/bad-prices-pack";
    assert_eq!(
        stderr(&o),
        format!(
            "error: {p}/prices.json:8:13: at `prices[1].free[0]`: price `lambda-requests`: a free allowance needs its own `source` and `as_of`\n  fix: add \"source\": the AWS page that grants it, and \"as_of\": \"YYYY-MM\"\n\
             error: {p}/prices.json:4:14: at `prices[0].tiers[0]`: price `apigw-http-requests`: tier 1 costs 1.2 USD, more than the tier below it (1); AWS's tiers only fall\n  fix: list tiers by rising `above`, each no dearer than the one below\n\
             error: {p}/prices.json:12:4: at `prices[2].metering`: price `apigw-websocket-messages`: metering in 32 MB is not a positive increment of KB or ms\n  fix: write {{\"increment\": 512, \"unit\": \"KB\"}} (request size) or {{\"increment\": 1, \"unit\": \"ms\"}} (duration)\n\
             error: {p}/prices/eu-west-1.json:2:14: at `prices[0].id`: `lambda-requestz` is not a price of prices.json (did you mean `lambda-requests`?)\n  fix: a region's pack gives figures for the base's prices: use one of their ids (statecraft check-knowledge lists them)\n\
             error: {p}/prices/eu-west-1.json:3:90: at `prices[1].tiers[1]`: price `s3-storage`: tier 2 starts above 51200, which is not more than the tier before it (51200)\n  fix: list tiers by rising `above`, each no dearer than the one below\n\
             error: {p}/prices/eu-west-1.json:3:13: at `prices[1]`: price `s3-storage` has no `as_of` and `source`, and neither has its pack\n  fix: add \"as_of\": \"YYYY-MM\" and \"source\": the AWS page (or offer file) it comes from\n"
        )
    );
}

#[test]
fn the_shipped_prices_and_region_packs_pass_their_checks() {
    let o = statecraft(&["check-knowledge"]);
    assert!(o.status.success(), "{}", stderr(&o));
}
