//! The simulator's monthly bill: a run's usage over its horizon, scaled to a month of `month_hours`
//! (730 by AWS convention), written as a month of usage in AWS's own units and priced by the one
//! pricing path, [`crate::bill::price`]. The lines real bills carry beyond the stack's services (NAT
//! gateways, public IPv4, logs, cross-AZ traffic, EBS, backups, MSK, S3 requests) live in `cost/extra.rs`.

use serde::Serialize;

mod extra;
mod services;

use super::day::Usage;
use super::model::Inputs;
use super::scenario::Scenario;
use super::units::Usd;
use crate::bill::{self, BillLine};
use crate::format;
use crate::knowledge::{Knowledge, Stack};

/// ElastiCache node types the simulator can size, with their memory in GiB (AWS node specifications).
pub const CACHE_NODES: &[(&str, f64)] = &[
    ("elasticache-t4g-micro", 0.5),
    ("elasticache-t4g-small", 1.37),
    ("elasticache-t4g-medium", 3.09),
    ("elasticache-r7g-large", 13.07),
];

pub fn cache_node_gib(price_id: &str) -> Option<f64> {
    CACHE_NODES
        .iter()
        .find(|(id, _)| *id == price_id)
        .map(|(_, g)| *g)
}

/// One charge on the bill.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CostLine {
    /// The service id (`lambda`, `dynamodb`, …), or `data-transfer`.
    pub service: String,
    pub item: String,
    /// The metered quantity, exactly, in `unit`.
    pub quantity: f64,
    pub unit: String,
    pub monthly_usd: Usd,
    pub formula: String,
    pub price_id: String,
    pub price_source: String,
    pub price_as_of: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CostBreakdown {
    pub monthly_usd: Usd,
    pub month_hours: f64,
    pub lines: Vec<CostLine>,
    /// What the bill leaves out or assumes, said plainly.
    pub assumptions: Vec<String>,
}

impl CostLine {
    fn from_bill(line: BillLine) -> CostLine {
        CostLine {
            service: line.service,
            item: line.item,
            quantity: line.quantity,
            unit: line.unit,
            monthly_usd: Usd(line.usd),
            formula: line.formula,
            price_id: line.price_id,
            price_source: line.price_source,
            price_as_of: line.price_as_of,
            note: line.note,
        }
    }
}

/// A run's usage as a month of usage in AWS's units, and what that translation assumed.
pub fn month_usage(
    k: &Knowledge,
    stack: &Stack,
    s: &Scenario,
    inputs: &Inputs,
    usage: &Usage,
) -> (bill::Usage, Vec<String>) {
    let month_hours = s.billing.month_hours;
    let scale = month_hours * 3600.0 / usage.horizon_s.max(1e-9);
    let mut out = bill::Usage::new(&s.billing.region, s.billing.free_tier, month_hours);
    out.new_account = s.billing.new_account;
    let mut assumptions = vec![format!(
        "usage over the {} s run, scaled to a month of {} hours",
        format::number(usage.horizon_s),
        format::number(month_hours)
    )];
    let month = services::Month {
        k,
        stack,
        s,
        inputs,
        usage,
        scale,
    };
    services::stack_services(&month, &mut out, &mut assumptions);
    extra::real_bill_lines(&month, &mut out, &mut assumptions);
    for item in &mut out.usage {
        if let Some(q) = item.quantity {
            item.quantity = Some(bill::round6(q.max(0.0)));
        }
    }
    (out, assumptions)
}

/// What each service's lines came to, by service id in the bill's order.
pub fn by_service(lines: &[CostLine]) -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = Vec::new();
    for l in lines.iter().filter(|l| !l.price_id.is_empty()) {
        match out.iter_mut().find(|(s, _)| *s == l.service) {
            Some((_, usd)) => *usd += l.monthly_usd.0,
            None => out.push((l.service.clone(), l.monthly_usd.0)),
        }
    }
    out
}

/// The month's bill for a run's usage on `stack`.
pub fn monthly(
    k: &Knowledge,
    stack: &Stack,
    s: &Scenario,
    inputs: &Inputs,
    usage: &Usage,
) -> CostBreakdown {
    let (month, mut assumptions) = month_usage(k, stack, s, inputs, usage);
    match bill::price(k, &month) {
        Ok(priced) => {
            assumptions.extend(priced.assumptions);
            CostBreakdown {
                monthly_usd: Usd(priced.monthly_usd),
                month_hours: s.billing.month_hours,
                lines: priced.lines.into_iter().map(CostLine::from_bill).collect(),
                assumptions,
            }
        }
        // the scenario check refuses an unknown region first; this keeps a bad pack from panicking
        Err(e) => CostBreakdown {
            monthly_usd: Usd(0.0),
            month_hours: s.billing.month_hours,
            lines: vec![CostLine {
                service: String::new(),
                item: "not priced".into(),
                quantity: 0.0,
                unit: String::new(),
                monthly_usd: Usd(0.0),
                formula: format!("not priced: {}", e.message),
                price_id: String::new(),
                price_source: String::new(),
                price_as_of: String::new(),
                note: Some(e.fix),
            }],
            assumptions,
        },
    }
}

/// The cache node type and count: the named type, or the smallest that holds the sessions with 25%
/// headroom (sharded over several primaries when none does), times primary + replicas.
pub(crate) fn cache_nodes(s: &Scenario, session_kb_total: f64) -> (String, f64) {
    let need_gib = session_kb_total * 1.25 / (1024.0 * 1024.0);
    let copies = 1.0 + f64::from(s.stores.cache_replicas);
    if let Some(node) = &s.stores.cache_node {
        let gib = cache_node_gib(node).unwrap_or(1.0);
        let shards = (need_gib / gib).ceil().max(1.0);
        return (node.clone(), shards * copies);
    }
    for (id, gib) in CACHE_NODES {
        if need_gib <= *gib {
            return (id.to_string(), copies);
        }
    }
    let (id, gib) = CACHE_NODES[CACHE_NODES.len() - 1];
    (id.to_string(), (need_gib / gib).ceil() * copies)
}
