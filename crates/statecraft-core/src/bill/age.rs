//! How old the prices in use are, and the warning past a year: prices go stale, and a team that
//! refreshes them (`statecraft prices import`) should know when it is time.

use serde::Serialize;
use time::{Date, Month};

use crate::knowledge::Knowledge;

/// Prices older than this many days get a warning.
pub const STALE_AFTER_DAYS: i64 = 365;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PriceAge {
    pub region: String,
    /// The oldest `as_of` among the region's prices (`YYYY-MM` or `YYYY-MM-DD`).
    pub oldest: String,
    pub newest: String,
    /// Days from the oldest date (the first of its month, for `YYYY-MM`) to `today`.
    pub days: i64,
    pub warning: Option<String>,
}

/// `YYYY-MM` (the first of the month) or `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<Date> {
    if !crate::format::is_calendar_date(s) {
        return None;
    }
    let mut parts = s.split('-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    let d: u8 = parts.next().map_or(Some(1), |d| d.parse().ok())?;
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

/// The age of every price the region's pack holds, on `today`; None when the region has no prices.
pub fn price_age(k: &Knowledge, region: &str, today: Date) -> Option<PriceAge> {
    price_age_of(k, region, today, &[])
}

/// The age of the prices a bill in `region` uses (`used`: their ids; empty, or none of them in the
/// pack: every price), on `today`. A price no line of the bill reads does not make it stale.
pub fn price_age_of(k: &Knowledge, region: &str, today: Date, used: &[&str]) -> Option<PriceAge> {
    let prices = k.prices_in(region).ok()?;
    let any_used = prices
        .prices
        .iter()
        .any(|p| used.contains(&p.price.id.as_str()));
    let dates: Vec<&str> = prices
        .prices
        .iter()
        .filter(|p| !any_used || used.contains(&p.price.id.as_str()))
        .filter_map(|p| p.price.as_of.as_deref())
        .filter(|d| parse_date(d).is_some())
        .collect();
    let oldest = dates.iter().min_by_key(|d| parse_date(d))?.to_string();
    let newest = dates.iter().max_by_key(|d| parse_date(d))?.to_string();
    let days = (today - parse_date(&oldest)?).whole_days();
    let warning = (days > STALE_AFTER_DAYS).then(|| {
        format!(
            "some {region} prices are {days} days old (as of {oldest}); AWS changes prices: refresh them from AWS's Price List with `statecraft prices import --offer FILE.json`"
        )
    });
    Some(PriceAge {
        region: prices.region,
        oldest,
        newest,
        days,
        warning,
    })
}
