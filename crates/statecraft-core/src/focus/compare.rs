//! A record's predictions against an observed bill: which of the bill's charges are the record's
//! (those tagged with its number; failing any, the untagged ones in its region for the services it
//! predicted), per service the predicted band beside the billed cost scaled to the predicted month,
//! and the usage the bill implies.

use std::collections::BTreeMap;

use serde::Serialize;

use super::metrics::ObservedMetrics;
use super::read::{ObservedBill, ObservedCharge};
use crate::export::predictions::Predictions;
use crate::knowledge::Knowledge;
use crate::sim::stats::Band;

/// One service of a record: predicted, billed, and whether the bill lies outside the band.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObservedLine {
    /// The service id (`lambda`), or the bill's `ServiceName` for a charge the record did not predict.
    pub service: String,
    pub predicted: Band,
    /// The billed cost, scaled to the predicted month.
    pub observed: f64,
    pub outside: bool,
    /// Per price: the predicted month's usage and the billed one, scaled alike.
    pub usage: Vec<UsageLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UsageLine {
    pub price: String,
    pub unit: String,
    pub predicted: f64,
    pub observed: f64,
}

/// What the bill implies about the workload, and the factors the re-simulation applies.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Implied {
    /// `requests_per_month`, `peak_rps`, `response_kb`, `instance_hours`, `average_instances`,
    /// `p99_ms`: whichever the bill (and the metrics) let Statecraft work out.
    pub values: BTreeMap<String, f64>,
    /// Observed requests over predicted ones.
    pub request_factor: Option<f64>,
    /// Observed bytes per response over predicted ones.
    pub payload_factor: Option<f64>,
    /// Which figure the requests were read from (`cloudwatch`, or a price id).
    pub requests_from: Option<String>,
}

/// A record's comparison.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// `tag` (rows tagged with the record's number) or `service and region`.
    pub matched_by: String,
    pub lines: Vec<ObservedLine>,
    pub implied: Implied,
    /// The bill's hours, and the factor that scaled it to the predicted month.
    pub bill_hours: f64,
    pub scale: f64,
}

/// Compares `p` (record `number`, scenario payload `payload_kb`) with `bill`. `None` when nothing in
/// the bill is the record's. `threshold` widens the band on each side (0.10 = 10 %).
pub fn compare(
    k: &Knowledge,
    number: Option<u32>,
    p: &Predictions,
    payload_kb: f64,
    bill: &ObservedBill,
    metrics: Option<&ObservedMetrics>,
    threshold: f64,
) -> Option<Comparison> {
    let mapped: Vec<(&ObservedCharge, Option<(String, String)>)> = bill
        .charges
        .iter()
        .map(|c| (c, price_of(k, p, c)))
        .collect();
    let tagged: Vec<_> = mapped
        .iter()
        .filter(|(c, _)| number.is_some() && c.decision == number)
        .collect();
    let (matched_by, mine) = if tagged.is_empty() {
        let by_service: Vec<_> = mapped
            .iter()
            .filter(|(c, m)| {
                c.decision.is_none()
                    && (c.region.is_empty() || c.region == p.region)
                    && m.as_ref().is_some_and(|(s, _)| p.services.contains_key(s))
            })
            .collect();
        ("service and region", by_service)
    } else {
        ("tag", tagged)
    };
    if mine.is_empty() {
        return None;
    }
    let scale = p.month_hours / bill.hours;
    let mut lines: Vec<ObservedLine> = p
        .services
        .iter()
        .map(|(id, s)| ObservedLine {
            service: id.clone(),
            predicted: s.monthly_usd,
            observed: 0.0,
            outside: false,
            usage: s
                .usage
                .iter()
                .map(|(price, u)| UsageLine {
                    price: price.clone(),
                    unit: u.unit.clone(),
                    predicted: u.quantity,
                    observed: 0.0,
                })
                .collect(),
        })
        .collect();
    for (c, m) in &mine {
        let (service, price) = match m {
            Some((s, price)) if p.services.contains_key(s) => (s.clone(), price.clone()),
            _ => (
                if c.service_name.is_empty() {
                    c.service_code.clone()
                } else {
                    c.service_name.clone()
                },
                String::new(),
            ),
        };
        let line = match lines.iter().position(|l| l.service == service) {
            Some(i) => &mut lines[i],
            None => {
                lines.push(ObservedLine {
                    service: service.clone(),
                    predicted: Band::default(),
                    observed: 0.0,
                    outside: false,
                    usage: Vec::new(),
                });
                let last = lines.len() - 1;
                &mut lines[last]
            }
        };
        line.observed += c.cost * scale;
        if !price.is_empty() {
            match line.usage.iter_mut().find(|u| u.price == price) {
                Some(u) => u.observed += c.quantity * scale,
                None => line.usage.push(UsageLine {
                    price,
                    unit: c.unit.clone(),
                    predicted: 0.0,
                    observed: c.quantity * scale,
                }),
            }
        }
    }
    for l in &mut lines {
        l.observed = round2(l.observed);
        for u in &mut l.usage {
            u.observed = round6(u.observed);
        }
        let low = l.predicted.p10 * (1.0 - threshold) - 0.01;
        let high = l.predicted.p90 * (1.0 + threshold) + 0.01;
        l.outside = l.observed < low || l.observed > high;
    }
    let implied = implied(k, p, payload_kb, &lines, metrics);
    Some(Comparison {
        matched_by: matched_by.to_string(),
        lines,
        implied,
        bill_hours: bill.hours,
        scale,
    })
}

/// The record's service and price a charge is billed under: by `x_PriceId`; else by AWS's service
/// code and usage type (the knowledge's `offer`), preferring a price the record predicted; else the
/// first predicted price of the same service code.
fn price_of(k: &Knowledge, p: &Predictions, c: &ObservedCharge) -> Option<(String, String)> {
    if let Some(price) = k.price(&c.price_id) {
        return Some((price.service.clone(), price.id.clone()));
    }
    let predicted = |id: &str| p.services.values().any(|s| s.usage.contains_key(id));
    // an export without `x_ServiceCode` names the service only by its `ServiceName`
    let code = if c.service_code.is_empty() {
        k.billed_by_name(&c.service_name)
            .map_or("", |b| b.service_code.as_str())
    } else {
        c.service_code.as_str()
    };
    if code.is_empty() {
        return None;
    }
    let offers = || {
        k.prices
            .iter()
            .filter(move |price| price.offer.as_ref().is_some_and(|o| o.servicecode == code))
    };
    if !c.usage_type.is_empty() {
        let same: Vec<_> = offers()
            .filter(|price| {
                price
                    .offer
                    .as_ref()
                    .is_some_and(|o| o.usagetype == c.usage_type)
            })
            .collect();
        if let Some(price) = same
            .iter()
            .find(|price| predicted(&price.id))
            .or(same.first())
        {
            return Some((price.service.clone(), price.id.clone()));
        }
    }
    offers()
        .find(|price| predicted(&price.id))
        .map(|price| (price.service.clone(), price.id.clone()))
}

fn implied(
    k: &Knowledge,
    p: &Predictions,
    payload_kb: f64,
    lines: &[ObservedLine],
    metrics: Option<&ObservedMetrics>,
) -> Implied {
    let mut out = Implied::default();
    let usage = || lines.iter().flat_map(|l| l.usage.iter());
    let meter = |u: &UsageLine| {
        k.price(&u.price)
            .and_then(|price| price.meter.clone())
            .unwrap_or_default()
    };
    // the requests: from CloudWatch where given, else the request-metered price the record predicted
    // the most of (API Gateway's or Lambda's requests count every request the stack serves)
    let request_factor = match metrics.filter(|m| m.requests > 0.0) {
        Some(m) if p.requests_per_month > 0.0 => {
            out.requests_from = Some("cloudwatch".into());
            Some(m.requests * p.month_hours / m.hours / p.requests_per_month)
        }
        _ => usage()
            .filter(|u| meter(u) == "requests" && u.predicted > 0.0 && u.observed > 0.0)
            // two meters that count the same requests (API Gateway's and Lambda's) and disagree:
            // the larger count is the traffic (retries, or calls that bypass the front door)
            .max_by(|a, b| {
                a.predicted
                    .total_cmp(&b.predicted)
                    .then(a.observed.total_cmp(&b.observed))
            })
            .map(|u| {
                out.requests_from = Some(u.price.clone());
                u.observed / u.predicted
            }),
    };
    if let Some(f) = request_factor {
        out.request_factor = Some(f);
        out.values.insert(
            "requests_per_month".into(),
            (p.requests_per_month * f).round(),
        );
        out.values.insert("peak_rps".into(), round2(p.peak_rps * f));
    }
    let out_gb = usage().find(|u| meter(u) == "out_gb" && u.predicted > 0.0 && u.observed > 0.0);
    if let Some(u) = out_gb {
        let bytes = u.observed / u.predicted;
        let f = bytes / request_factor.unwrap_or(1.0);
        out.payload_factor = Some(f);
        if payload_kb > 0.0 {
            out.values
                .insert("response_kb".into(), round2(payload_kb * f));
        }
    }
    let hours: f64 = usage()
        .filter(|u| matches!(meter(u).as_str(), "instance_hours"))
        .map(|u| u.observed)
        .sum();
    if hours > 0.0 {
        out.values.insert("instance_hours".into(), round2(hours));
        out.values
            .insert("average_instances".into(), round2(hours / p.month_hours));
    }
    if let Some(m) = metrics
        && let Some(p99) = m.p99_ms
    {
        out.values.insert("p99_ms".into(), round2(p99));
    }
    out
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}
