//! A month of usage in AWS's own units (`bill --usage FILE`, CONTRACT.md): the one input of pricing.
//! The simulator builds the same thing from a run, so the app, the CLI and the record price alike.

use serde::{Deserialize, Serialize};

fn default_region() -> String {
    "us-east-1".to_string()
}
fn default_month_hours() -> f64 {
    730.0
}

/// What is used in a month, where, and whether the free tier applies.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Usage {
    #[serde(default = "default_region")]
    pub region: String,
    /// Apply AWS's always-free allowances (off: none at all, as published examples that ignore them).
    #[serde(default)]
    pub free_tier: bool,
    /// With `free_tier`, apply the 12-month allowances of a new account too.
    #[serde(default)]
    pub new_account: bool,
    #[serde(default = "default_month_hours")]
    pub month_hours: f64,
    pub usage: Vec<UsageItem>,
}

impl Usage {
    pub fn new(region: &str, free_tier: bool, month_hours: f64) -> Usage {
        Usage {
            region: region.to_string(),
            free_tier,
            new_account: false,
            month_hours,
            usage: Vec::new(),
        }
    }

    /// Adds `quantity` of `service`'s `item`; returns the item for its details (variant, size, note).
    pub fn add(&mut self, service: &str, item: &str, quantity: f64) -> &mut UsageItem {
        self.usage.push(UsageItem {
            service: service.to_string(),
            item: item.to_string(),
            quantity: Some(quantity),
            ..UsageItem::default()
        });
        let last = self.usage.len() - 1;
        &mut self.usage[last]
    }
}

/// One item: a quantity of a service's unit, and what picks its price.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsageItem {
    pub service: String,
    pub item: String,
    /// In the price's unit (requests, GB-seconds, hours…). A Lambda `gb_seconds` item may give
    /// `invocations`, `duration_ms` and `memory_mb` instead, to be metered as AWS meters them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<f64>,
    /// `x86` or `arm64` (Lambda, Fargate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
    /// An EC2 or RDS instance type: `m5.large`, `db.t4g.micro`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// An ElastiCache node type: `cache.t4g.micro`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    /// An MSK broker type: `kafka.m5.large`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broker: Option<String>,
    /// Which backup: `rds` or `aurora`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// RDS Multi-AZ: a standby doubles the instance-hours.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub multi_az: bool,
    /// The size of each request or message, for AWS's request metering (API Gateway).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_kb: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invocations: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_mb: Option<f64>,
    /// Where the quantity comes from, shown on the line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl UsageItem {
    /// The variant named, whichever field names it.
    pub fn variant(&self) -> Option<&str> {
        self.arch
            .as_deref()
            .or(self.instance.as_deref())
            .or(self.node.as_deref())
            .or(self.broker.as_deref())
            .or(self.kind.as_deref())
    }

    pub fn with_variant(&mut self, variant: &str) -> &mut Self {
        self.instance = Some(variant.to_string());
        self
    }

    pub fn with_note(&mut self, note: impl Into<String>) -> &mut Self {
        self.note = Some(note.into());
        self
    }
}
