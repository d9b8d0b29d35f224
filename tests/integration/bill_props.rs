//! Property tests of the one pricing path: a bill is the sum of its lines, every line's formula
//! re-multiplies to its amount, and (free tier off) pricing a usage in two halves never costs less
//! than pricing it whole, because tiers only fall.

use proptest::prelude::*;
use statecraft::domain::bill::{self, Usage, UsageItem, formula};

use crate::sim_support::knowledge;

/// Items across services, tiered and flat, with the variant each needs.
const MENU: &[(&str, &str, Option<&str>)] = &[
    ("lambda", "requests", None),
    ("lambda", "gb_seconds", Some("x86")),
    ("lambda", "gb_seconds", Some("arm64")),
    ("apigw-http", "requests", None),
    ("apigw-rest", "requests", None),
    ("apigw-websocket", "messages", None),
    ("cloudfront", "data_out_gb", None),
    ("cloudfront", "https_requests", None),
    ("data-transfer", "out_gb", None),
    ("data-transfer", "cross_az_gb", None),
    ("s3", "storage_gb_months", None),
    ("s3", "get_requests", None),
    ("dynamodb", "write_units", None),
    ("ec2", "instance_hours", Some("m5.large")),
    ("nat-gateway", "data_gb", None),
    ("cloudwatch-logs", "ingest_gb", None),
    ("msk", "broker_hours", Some("kafka.m5.large")),
];

fn item() -> impl Strategy<Value = UsageItem> {
    (0..MENU.len(), 0.0f64..4e10, 0u32..4).prop_map(|(i, q, digits)| {
        let (service, item, variant) = MENU[i];
        // whole numbers and numbers with a few decimals, as usage files hold
        let f = 10f64.powi(digits as i32);
        UsageItem {
            service: service.into(),
            item: item.into(),
            quantity: Some((q * f).round() / f),
            arch: variant
                .filter(|v| *v == "x86" || *v == "arm64")
                .map(Into::into),
            instance: variant
                .filter(|v| v.contains('.') && !v.starts_with("kafka"))
                .map(Into::into),
            broker: variant.filter(|v| v.starts_with("kafka")).map(Into::into),
            ..UsageItem::default()
        }
    })
}

fn usage(free_tier: bool, items: Vec<UsageItem>) -> Usage {
    let mut u = Usage::new("us-east-1", free_tier, 730.0);
    u.usage = items;
    u
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn a_bill_is_the_sum_of_its_lines_and_each_formula_re_multiplies(
        items in prop::collection::vec(item(), 1..12),
        free_tier in any::<bool>(),
    ) {
        let k = knowledge();
        let b = bill::price(&k, &usage(free_tier, items)).expect("priced");
        let sum: f64 = b.lines.iter().map(|l| l.usd).sum();
        prop_assert!((b.monthly_usd - sum).abs() <= 1e-9 * sum.max(1.0));
        for l in &b.lines {
            let again = formula::remultiply(&l.formula);
            prop_assert!(again.is_some(), "{}", l.formula);
            let again = again.unwrap_or_default();
            prop_assert!((again - l.usd).abs() <= 1e-9 * l.usd.max(1.0), "{} is {} not {}", l.formula, again, l.usd);
            // the printed amount is the line's, to the cent (half a cent either way)
            let stated = formula::stated(&l.formula).unwrap_or(f64::NAN);
            prop_assert!((stated - l.usd).abs() <= 0.005 + 1e-12 * l.usd, "{}", &l.formula);
        }
    }

    #[test]
    fn with_the_free_tier_off_two_halves_never_cost_less_than_the_whole(
        items in prop::collection::vec(item(), 1..8),
        share in 0.0f64..1.0,
    ) {
        let k = knowledge();
        let whole = bill::price(&k, &usage(false, items.clone())).expect("priced").monthly_usd;
        let part = |f: &dyn Fn(f64) -> f64| {
            let split: Vec<UsageItem> = items
                .iter()
                .map(|i| UsageItem { quantity: i.quantity.map(f), ..i.clone() })
                .collect();
            bill::price(&k, &usage(false, split)).expect("priced").monthly_usd
        };
        let first = part(&|q| bill::round6(q * share));
        let second = part(&|q| q - bill::round6(q * share));
        prop_assert!(first + second >= whole - 1e-6 * whole.max(1.0), "{first} + {second} < {whole}");
    }
}
