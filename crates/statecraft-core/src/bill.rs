//! The one pricing path: a month of [`Usage`] in AWS's own units, priced line by line with the
//! knowledge's prices for its region, tiers, free allowances and metering, into a [`Bill`]. The CLI's
//! `bill --usage` and the simulator's monthly cost both call [`price`]; nothing else multiplies prices.

pub mod age;
pub mod formula;
pub mod offer;
pub mod page;
pub mod usage;

use std::collections::HashMap;

use serde::Serialize;

pub use usage::{Usage, UsageItem};

use crate::diagnostic::JsonPath;
use crate::format;
use crate::knowledge::regions::{RegionPrices, RegionalPrice};
use crate::knowledge::{FreeKind, Knowledge, Price, prices::ladder};

/// One charge: what, how much, the arithmetic, and where the price comes from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BillLine {
    pub service: String,
    pub item: String,
    /// The metered quantity, exactly, in `unit`.
    pub quantity: f64,
    pub unit: String,
    pub usd: f64,
    pub formula: String,
    pub price_id: String,
    pub price_source: String,
    pub price_as_of: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A month's bill: its lines, their sum, and what it assumed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bill {
    pub monthly_usd: f64,
    pub region: String,
    pub region_name: String,
    pub free_tier: bool,
    pub new_account: bool,
    pub month_hours: f64,
    pub lines: Vec<BillLine>,
    pub assumptions: Vec<String>,
    /// The oldest date among the prices used.
    pub prices_as_of: String,
}

/// A usage that cannot be priced, placed at its item in the usage file.
#[derive(Clone, Debug, PartialEq)]
pub struct BillError {
    pub path: JsonPath,
    pub message: String,
    pub fix: String,
}

fn err(path: JsonPath, message: String, fix: impl Into<String>) -> BillError {
    BillError {
        path,
        message,
        fix: fix.into(),
    }
}

/// Running totals within one bill: tiers and free allowances are monthly, per account, so a second
/// line of the same price continues where the first left off.
#[derive(Default)]
struct Ledger {
    used: HashMap<String, f64>,
    free_left: HashMap<String, f64>,
}

/// A month has from 1 to 744 hours (31 days); AWS bills 730 on average.
pub const MONTH_HOURS: std::ops::RangeInclusive<f64> = 1.0..=744.0;

/// No month of any service's usage comes near this many units (a thousand trillion requests); a
/// quantity past it can only make a bill overflow.
pub const MAX_QUANTITY: f64 = 1e15;

/// Prices `usage` in its region.
pub fn price(k: &Knowledge, usage: &Usage) -> Result<Bill, BillError> {
    if !(usage.month_hours.is_finite() && MONTH_HOURS.contains(&usage.month_hours)) {
        return Err(err(
            JsonPath::root().key("month_hours"),
            format!(
                "`month_hours` is {}; a month has from 1 to 744 hours",
                format::number(usage.month_hours)
            ),
            "write the hours of the month billed: 730 (AWS's average), or 672 to 744",
        ));
    }
    let prices = k.prices_in(&usage.region).map_err(|m| {
        err(
            JsonPath::root().key("region"),
            m,
            "use one of those region codes, or add a price pack for the region (statecraft prices import)",
        )
    })?;
    let mut ledger = Ledger::default();
    let mut lines = Vec::new();
    let mut fallbacks: Vec<String> = Vec::new();
    for (i, item) in usage.usage.iter().enumerate() {
        let at = JsonPath::root().key("usage").index(i);
        let rp = find_price(k, &prices, item, &at)?;
        if rp.from_base_region && !fallbacks.contains(&rp.price.id) {
            fallbacks.push(rp.price.id.clone());
        }
        let line = charge(&mut ledger, rp, item, usage, &at)?;
        if !line.usd.is_finite() {
            return Err(err(
                at,
                "the line's charge overflows (it is not a finite number of dollars)".to_string(),
                "check the quantity: no month of usage comes near it",
            ));
        }
        lines.push(line);
    }
    let mut assumptions = vec![format!(
        "{} ({}) on-demand prices; no savings plans, reserved capacity or private pricing",
        prices.name, prices.region
    )];
    if !fallbacks.is_empty() {
        assumptions.push(format!(
            "the {} price pack has no figure for {}: priced at {} rates, as those lines say",
            prices.region,
            fallbacks
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", "),
            prices.base_region
        ));
    }
    assumptions.push(match (usage.free_tier, usage.new_account) {
        (false, _) => "free tier off: no free allowance is applied".to_string(),
        (true, false) => "always-free allowances applied; the 12-month ones are not (`new_account: true` applies them)".to_string(),
        (true, true) => "always-free and a new account's 12-month allowances applied".to_string(),
    });
    let prices_as_of = lines
        .iter()
        .map(|l: &BillLine| l.price_as_of.clone())
        .filter(|d| !d.is_empty())
        .min()
        .unwrap_or_default();
    let monthly_usd: f64 = lines.iter().map(|l| l.usd).sum();
    if !monthly_usd.is_finite() {
        return Err(err(
            JsonPath::root().key("usage"),
            "the month's total overflows (it is not a finite number of dollars)".to_string(),
            "check the quantities: no month of usage comes near them",
        ));
    }
    Ok(Bill {
        monthly_usd,
        region: prices.region.clone(),
        region_name: prices.name.clone(),
        free_tier: usage.free_tier,
        new_account: usage.new_account,
        month_hours: usage.month_hours,
        lines,
        assumptions,
        prices_as_of,
    })
}

fn listing<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let mut v: Vec<&str> = items.collect();
    v.sort_unstable();
    v.dedup();
    v.iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The knowledge's id of the service a usage file names, by its id or by one of its declared
/// aliases (the contract's and AWS's names: `rds`, `elasticache`).
pub fn service_id<'a>(k: &'a Knowledge, name: &'a str) -> &'a str {
    k.services
        .iter()
        .find(|s| s.aliases.iter().any(|a| a == name))
        .map_or(name, |s| s.id.as_str())
}

fn find_price<'p>(
    k: &Knowledge,
    prices: &'p RegionPrices,
    item: &UsageItem,
    at: &JsonPath,
) -> Result<&'p RegionalPrice, BillError> {
    let service = service_id(k, &item.service);
    let priced = prices.prices.iter().filter(|p| p.price.meter.is_some());
    let of_service: Vec<&RegionalPrice> = priced
        .clone()
        .filter(|p| p.price.service == service)
        .collect();
    if of_service.is_empty() {
        let ids: Vec<&str> = priced.map(|p| p.price.service.as_str()).collect();
        let aliases: Vec<String> = k
            .services
            .iter()
            .filter(|s| ids.contains(&s.id.as_str()))
            .flat_map(|s| {
                s.aliases
                    .iter()
                    .map(move |a| format!("`{a}` for `{}`", s.id))
            })
            .collect();
        let also = if aliases.is_empty() {
            String::new()
        } else {
            format!(", and by their other names {}", aliases.join(", "))
        };
        return Err(err(
            at.key("service"),
            format!(
                "there is no service `{}` to price; the services are {}{also}",
                item.service,
                listing(ids.into_iter()),
            ),
            "use one of those service ids or names",
        ));
    }
    let of_item: Vec<&RegionalPrice> = of_service
        .iter()
        .copied()
        .filter(|p| p.price.meter.as_deref() == Some(item.item.as_str()))
        .collect();
    if of_item.is_empty() {
        return Err(err(
            at.key("item"),
            format!(
                "`{}` has no item `{}`; its items are {}",
                item.service,
                item.item,
                listing(of_service.iter().filter_map(|p| p.price.meter.as_deref()))
            ),
            "use one of those items",
        ));
    }
    let variants: Vec<&str> = of_item
        .iter()
        .filter_map(|p| p.price.variant.as_deref())
        .collect();
    if variants.is_empty() {
        return Ok(of_item[0]);
    }
    // Lambda and Fargate default to x86, as AWS does
    let wanted = item
        .variant()
        .or(variants.contains(&"x86").then_some("x86"));
    match wanted.and_then(|w| {
        of_item
            .iter()
            .find(|p| p.price.variant.as_deref() == Some(w))
    }) {
        Some(p) => Ok(p),
        None => Err(err(
            at.clone(),
            match wanted {
                Some(w) => format!(
                    "there is no price for `{}` `{}` of type `{w}`; the types priced are {}",
                    item.service,
                    item.item,
                    listing(variants.into_iter())
                ),
                None => format!(
                    "`{}` `{}` needs a type; the types priced are {}",
                    item.service,
                    item.item,
                    listing(variants.into_iter())
                ),
            },
            "name one of those types (`instance`, `node`, `broker`, `arch` or `kind`, as the item takes)",
        )),
    }
}

/// The quantity AWS meters, and how it was metered (for the line's note).
fn metered(
    price: &Price,
    item: &UsageItem,
    at: &JsonPath,
) -> Result<(f64, Option<String>), BillError> {
    let number = |v: Option<f64>, key: &str| -> Result<Option<f64>, BillError> {
        match v {
            Some(x) if !(x.is_finite() && x >= 0.0) => Err(err(
                at.key(key),
                format!("`{key}` is {x}; it must be a finite number of 0 or more"),
                "correct the number",
            )),
            Some(x) if x > MAX_QUANTITY => Err(err(
                at.key(key),
                format!(
                    "`{key}` is {x:e}; it must be at most {MAX_QUANTITY:e} (no month of usage comes near it)"
                ),
                "correct the number",
            )),
            other => Ok(other),
        }
    };
    let quantity = number(item.quantity, "quantity")?;
    let size = number(item.size_kb, "size_kb")?;
    let lambda_form = (
        number(item.invocations, "invocations")?,
        number(item.duration_ms, "duration_ms")?,
        number(item.memory_mb, "memory_mb")?,
    );
    let mut notes = Vec::new();
    let mut q = match (quantity, lambda_form) {
        (Some(q), _) => q,
        (None, (Some(n), Some(ms), Some(mb))) => {
            let step = price
                .metering
                .as_ref()
                .filter(|m| m.unit == "ms")
                .map_or(1.0, |m| m.increment);
            let billed_ms = (ms / step).ceil() * step;
            notes.push(format!(
                "{} invocations × {} ms (each rounded up to {} ms) × {} MB ÷ 1,024 MB per GB ÷ 1,000 ms per s",
                formula::exact(n),
                formula::exact(billed_ms),
                formula::exact(step),
                formula::exact(mb)
            ));
            round6(n * billed_ms / 1000.0 * mb / 1024.0)
        }
        _ => {
            return Err(err(
                at.clone(),
                "the item has no `quantity`".to_string(),
                "add \"quantity\": the month's amount in the item's unit (a Lambda `gb_seconds` item may give `invocations`, `duration_ms` and `memory_mb` instead)",
            ));
        }
    };
    if let (Some(kb), Some(m)) = (size, price.metering.as_ref().filter(|m| m.unit == "KB")) {
        let steps = (kb / m.increment).ceil().max(1.0);
        if steps > 1.0 {
            notes.push(format!(
                "each of {} of {} KB is metered as {} ({} KB increments)",
                formula::exact(q),
                formula::exact(kb),
                formula::exact(steps),
                formula::exact(m.increment)
            ));
        }
        q *= steps;
    }
    if item.multi_az {
        notes.push("Multi-AZ: a standby doubles the instance-hours".to_string());
        q *= 2.0;
    }
    Ok((q, (!notes.is_empty()).then(|| notes.join("; "))))
}

/// Rounds a derived quantity to a millionth, so that the formula that prints it re-multiplies.
pub fn round6(q: f64) -> f64 {
    (q * 1e6).round() / 1e6
}

fn charge(
    ledger: &mut Ledger,
    rp: &RegionalPrice,
    item: &UsageItem,
    usage: &Usage,
    at: &JsonPath,
) -> Result<BillLine, BillError> {
    let price = &rp.price;
    let (q, metering_note) = metered(price, item, at)?;
    let allowance = price
        .free
        .iter()
        .find(|f| usage.free_tier && (f.kind == FreeKind::Always || usage.new_account));
    let free = allowance.map_or(0.0, |f| {
        let key = f.pool.clone().unwrap_or_else(|| price.id.clone());
        let left = ledger.free_left.entry(key).or_insert(f.quantity);
        let take = left.min(q);
        *left -= take;
        take
    });
    let start = ledger.used.get(&price.id).copied().unwrap_or(0.0);
    ledger.used.insert(price.id.clone(), start + q);
    // free units take the bottom of the ladder, as on a bill
    let (terms, usd) = tiered(price, start + free, start + q);
    let billed = q - free;
    let sum = format!(" = {}", format::usd(usd));
    let formula = match (allowance.filter(|_| free > 0.0), terms.len()) {
        (Some(f), _) => format!(
            "{} {} − {} free ({}) = {} {}: {}{sum}",
            formula::exact(q),
            price.unit,
            formula::exact(free),
            f.kind.as_str(),
            formula::exact(billed),
            price.unit,
            terms.join(" + ")
        ),
        (None, 1) => format!("{} {} × {}{sum}", formula::exact(q), price.unit, {
            let (_, rest) = terms[0].split_once(" × ").unwrap_or(("", &terms[0]));
            rest.to_string()
        }),
        (None, _) => format!(
            "{} {}: {}{sum}",
            formula::exact(q),
            price.unit,
            terms.join(" + ")
        ),
    };
    let mut notes: Vec<String> = Vec::new();
    if let Some(n) = &item.note {
        notes.push(n.clone());
    }
    if let Some(n) = metering_note {
        notes.push(n);
    }
    if rp.from_base_region {
        notes.push(format!(
            "no {} price in the pack: the base region's price is used",
            usage.region
        ));
    }
    Ok(BillLine {
        service: item.service.clone(),
        item: price.item.clone(),
        quantity: q,
        unit: price.unit.clone(),
        usd,
        formula,
        price_id: price.id.clone(),
        price_source: price.source.clone().unwrap_or_default(),
        price_as_of: price.as_of.clone().unwrap_or_default(),
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    })
}

/// The charge for the units from `from` to `to` of the month along the price's tiers: each tier's
/// part as a formula term, and their sum.
fn tiered(price: &Price, from: f64, to: f64) -> (Vec<String>, f64) {
    let steps = ladder(price.usd, &price.tiers);
    let mut terms = Vec::new();
    let mut usd = 0.0;
    for (i, tier) in steps.iter().enumerate() {
        let top = steps.get(i + 1).map_or(f64::INFINITY, |t| t.above);
        let lo = from.max(tier.above);
        let hi = to.min(top);
        if hi > lo {
            let part = round6(hi - lo);
            usd += part * tier.usd / price.per;
            terms.push(formula::term(part, tier.usd, price.per, &price.unit));
        }
    }
    if terms.is_empty() {
        let rate = steps
            .iter()
            .rev()
            .find(|t| t.above <= from)
            .map_or(price.usd, |t| t.usd);
        terms.push(formula::term(0.0, rate, price.per, &price.unit));
    }
    (terms, usd)
}
