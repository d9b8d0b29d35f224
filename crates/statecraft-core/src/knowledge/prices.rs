//! The parts of a price beyond one unit rate: tiers that fall with volume, free allowances (always-free
//! kept apart from the 12-month ones, each with its source), metering increments, the match that finds
//! the price in an AWS Price List offer file, and the regional price packs in `knowledge/prices/`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// From `above` units of the month on, each `per` units cost `usd` (AWS's `beginRange`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub above: f64,
    pub usd: f64,
}

/// Whether an allowance lasts (`always`) or is for a new account's first year (`12-month`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FreeKind {
    #[serde(rename = "always")]
    Always,
    #[serde(rename = "12-month")]
    TwelveMonth,
}

impl FreeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FreeKind::Always => "always free",
            FreeKind::TwelveMonth => "12-month free tier",
        }
    }
}

/// Units of a month that cost nothing, in the price's own unit. Prices naming the same `pool` share
/// one allowance (CloudFront's 10 M requests cover HTTP and HTTPS together).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FreeAllowance {
    pub kind: FreeKind,
    pub quantity: f64,
    #[serde(default)]
    pub pool: Option<String>,
    #[serde(default)]
    pub as_of: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// How AWS counts a unit: a request is metered in `increment` `unit`s of size (API Gateway HTTP: 512 KB),
/// a Lambda invocation's duration is rounded up to `increment` ms.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metering {
    pub increment: f64,
    /// `KB` (of request or message size) or `ms` (of duration).
    pub unit: String,
    #[serde(default)]
    pub source: Option<String>,
}

/// Which products of an AWS Price List offer file carry this price: the offer's `servicecode`, the
/// product's `usagetype` without its region prefix (`EU-Request` matches `Request`), and any other
/// attributes that must be equal (an EC2 instance's `operatingSystem`, say).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfferMatch {
    pub servicecode: String,
    pub usagetype: String,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
}

/// Which rows of AWS's pricing-page data (`meteredUnitMaps`) carry this price: the map's `service`
/// (its manifest's `serviceId`), the `keys` of the first rate and then of each tier in order (the map
/// has no breakpoints: the price's own tiers give them), and a `location` for prices the map lists
/// under no Region of their own (Route 53's `Any`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMatch {
    pub service: String,
    pub keys: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// One region's prices (`knowledge/prices/<code>.json`): figures that replace the base's by price id.
/// The base pack (`"base": true`) is the region `prices.json` itself is priced in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionPack {
    /// AWS's region code: `eu-west-1`.
    pub region: String,
    /// AWS's name for it: `EU (Ireland)`.
    pub name: String,
    #[serde(default)]
    pub base: bool,
    /// When the pack was read or published (an offer file's `publicationDate`).
    #[serde(default)]
    pub as_of: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub prices: Vec<RegionPrice>,
    /// The base's prices with no published figure for this region, and why: each is billed at the
    /// base region's rate, and its bill line says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<MissingFigures>,
}

/// Prices a region's pack knowingly leaves to the base region's rate, and the reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MissingFigures {
    pub note: String,
    pub ids: Vec<String>,
}

/// A price in a region: the figures, with their own source and date; unit, metering and meaning
/// come from the base price of the same id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionPrice {
    pub id: String,
    pub usd: f64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<Tier>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub free: Option<Vec<FreeAllowance>>,
    #[serde(default)]
    pub as_of: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The shipped region packs, compiled in like the rest of the shipped knowledge.
pub(crate) const SHIPPED_REGIONS: [(&str, &str); 4] = [
    (
        "knowledge/prices/us-east-1.json",
        include_str!("../../../../knowledge/prices/us-east-1.json"),
    ),
    (
        "knowledge/prices/eu-west-1.json",
        include_str!("../../../../knowledge/prices/eu-west-1.json"),
    ),
    (
        "knowledge/prices/eu-central-1.json",
        include_str!("../../../../knowledge/prices/eu-central-1.json"),
    ),
    (
        "knowledge/prices/ap-southeast-2.json",
        include_str!("../../../../knowledge/prices/ap-southeast-2.json"),
    ),
];

/// The first price of a ladder and the tiers above it, as one list starting at 0.
pub fn ladder(first_usd: f64, tiers: &[Tier]) -> Vec<Tier> {
    let mut all = vec![Tier {
        above: 0.0,
        usd: first_usd,
    }];
    all.extend(tiers.iter().cloned());
    all
}

/// What is wrong with a ladder of tiers, if anything: `above` must rise, prices must be finite, not
/// negative, and never rise with volume (AWS's tiers only fall, and pricing relies on it).
pub fn ladder_problem(first_usd: f64, tiers: &[Tier]) -> Option<(usize, String)> {
    let mut last = Tier {
        above: 0.0,
        usd: first_usd,
    };
    for (i, tier) in tiers.iter().enumerate() {
        if !(tier.above.is_finite() && tier.above > last.above) {
            return Some((
                i,
                format!(
                    "tier {} starts above {}, which is not more than the tier before it ({})",
                    i + 1,
                    tier.above,
                    last.above
                ),
            ));
        }
        if !(tier.usd.is_finite() && tier.usd >= 0.0) {
            return Some((
                i,
                format!(
                    "tier {} costs {} USD; a price is a finite amount of 0 or more",
                    i + 1,
                    tier.usd
                ),
            ));
        }
        if tier.usd > last.usd {
            return Some((
                i,
                format!(
                    "tier {} costs {} USD, more than the tier below it ({}); AWS's tiers only fall",
                    i + 1,
                    tier.usd,
                    last.usd
                ),
            ));
        }
        last = tier.clone();
    }
    None
}

/// Lines a bill carries that are not services a stack is built from (services.json): a price may name
/// these as its service. Each is a kind of line `bill --usage` prices (see CONTRACT.md).
pub const BILL_ONLY_SERVICES: [(&str, &str); 6] = [
    ("data-transfer", "Data transfer"),
    ("nat-gateway", "NAT gateway"),
    ("public-ipv4", "Public IPv4 addresses"),
    ("cloudwatch-logs", "CloudWatch Logs"),
    ("ebs", "EBS volumes"),
    ("backup", "Backup storage"),
];

/// What is wrong with a price's free allowances and metering, each with the JSON key it is at.
pub fn extras_problems(price: &super::Price) -> Vec<(String, usize, String, String)> {
    let mut out = Vec::new();
    for (i, free) in price.free.iter().enumerate() {
        if !(free.quantity.is_finite() && free.quantity > 0.0) {
            out.push((
                "free".to_string(),
                i,
                format!(
                    "a free allowance of {} {} is not more than 0",
                    free.quantity, price.unit
                ),
                "write how many units a month are free, in the price's unit".to_string(),
            ));
        }
        if free.source.as_deref().is_none_or(|s| s.trim().is_empty())
            || free.as_of.as_deref().is_none_or(|s| s.trim().is_empty())
        {
            out.push((
                "free".to_string(),
                i,
                "a free allowance needs its own `source` and `as_of`".to_string(),
                "add \"source\": the AWS page that grants it, and \"as_of\": \"YYYY-MM\""
                    .to_string(),
            ));
        }
    }
    if let Some(page) = &price.page
        && (page.service.trim().is_empty()
            || page.keys.len() != price.tiers.len() + 1
            || page.keys.iter().any(|k| k.trim().is_empty()))
    {
        out.push((
            "page".to_string(),
            0,
            format!(
                "the pricing-page match names {} key(s) for a price of {} rate(s)",
                page.keys.len(),
                price.tiers.len() + 1
            ),
            "give the map's `service` and one key per rate: the first rate's, then each tier's in order".to_string(),
        ));
    }
    if let Some(m) = &price.metering
        && !(m.increment.is_finite() && m.increment > 0.0 && matches!(m.unit.as_str(), "KB" | "ms"))
    {
        out.push((
            "metering".to_string(),
            0,
            format!("metering in {} {} is not a positive increment of KB or ms", m.increment, m.unit),
            "write {\"increment\": 512, \"unit\": \"KB\"} (request size) or {\"increment\": 1, \"unit\": \"ms\"} (duration)".to_string(),
        ));
    }
    out
}
