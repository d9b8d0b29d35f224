//! A simulated month as a FOCUS CSV: one row per bill line and day of a billing month, so a team can
//! load a prediction into the FinOps tools it already runs, and a test has a realistic bill to start
//! from.
//!
//! The simulator prices a month of `month_hours` (730 by AWS convention); a calendar month has 672 to
//! 744 hours. Each day's row carries 24 hours' worth of the month's usage and charge (the month's
//! figure × 24 / `month_hours`), so a file covers exactly the calendar month at the simulated rate,
//! and `review --observed` (which scales what a file covers back to `month_hours`) gets the
//! simulated month again.

use serde::Serialize;

use super::columns::{self, COLUMNS, CURRENCY, PROVIDER, PUBLISHER};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::knowledge::Knowledge;
use crate::sim::SimReport;

/// The calendar month a FOCUS file bills.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct BillingMonth {
    pub year: i32,
    /// 1 to 12.
    pub month: u8,
}

impl BillingMonth {
    /// `2026-11`.
    pub fn parse(text: &str) -> Result<BillingMonth, Diagnostic> {
        let bad = || {
            Diagnostic::new(
                "--month",
                format!("`{text}` is not a month written YYYY-MM"),
                "give the billing month like --month 2026-11",
            )
        };
        let (y, m) = text.split_once('-').ok_or_else(bad)?;
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u8 = m.parse().map_err(|_| bad())?;
        if y.len() != 4 || m.len() != 2 || !(1..=12).contains(&month) || year < 2000 {
            return Err(bad());
        }
        Ok(BillingMonth { year, month })
    }

    /// The current month (UTC).
    pub fn current() -> BillingMonth {
        let now = time::OffsetDateTime::now_utc();
        BillingMonth {
            year: now.year(),
            month: u8::from(now.month()),
        }
    }

    pub fn days(self) -> u8 {
        time::Month::try_from(self.month).map_or(30, |m| m.length(self.year))
    }

    fn next(self) -> BillingMonth {
        if self.month == 12 {
            BillingMonth {
                year: self.year + 1,
                month: 1,
            }
        } else {
            BillingMonth {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// `2026-11-05T00:00:00Z`, FOCUS's date-time form (UTC, ISO 8601).
    fn at(self, day: u8) -> String {
        format!("{:04}-{:02}-{day:02}T00:00:00Z", self.year, self.month)
    }
}

/// The CSV text of `report`'s bill over `month`.
pub fn write_csv(
    k: &Knowledge,
    report: &SimReport,
    region: &str,
    month: BillingMonth,
) -> Result<String, Diagnostics> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let fail = |e: csv::Error| -> Diagnostics {
        Diagnostic::new(
            "the FOCUS file",
            format!("could not write a row: {e}"),
            "report this as a bug",
        )
        .into()
    };
    w.write_record(COLUMNS).map_err(fail)?;
    let region_name = k
        .price_regions()
        .into_iter()
        .find(|(code, _)| code == region)
        .map(|(_, name)| name)
        .unwrap_or_default();
    let tags = serde_json::json!({
        "statecraft-stack": report.stack.id,
        "statecraft-scenario": report.scenario,
    })
    .to_string();
    let per_day = 24.0 / report.cost.month_hours.max(1.0);
    let period_start = month.at(1);
    let period_end = month.next().at(1);
    for line in &report.cost.by_service {
        if line.price_id.is_empty() {
            continue;
        }
        let price = k.price(&line.price_id);
        let offer = price.and_then(|p| p.offer.as_ref());
        let billed = price.and_then(|p| k.billed_for(p));
        let code = billed.map_or("", |b| b.service_code.as_str());
        let (service_name, category) = billed.map_or(columns::UNNAMED, |b| {
            (b.service_name.as_str(), b.category.as_str())
        });
        let usage_type = offer.map_or("", |o| o.usagetype.as_str());
        let sku = if code.is_empty() || usage_type.is_empty() {
            String::new()
        } else {
            format!("{code}:{usage_type}")
        };
        let cost = line.monthly_usd.0 * per_day;
        let quantity = line.quantity * per_day;
        let unit_price = if quantity > 0.0 {
            number(cost / quantity)
        } else {
            String::new()
        };
        let description = format!("{}: {}", line.item, line.formula);
        let cost = number(cost);
        let quantity = number(quantity);
        for day in 1..=month.days() {
            let start = month.at(day);
            let end = if day == month.days() {
                period_end.clone()
            } else {
                month.at(day + 1)
            };
            let row: [&str; 48] = [
                "",
                &cost,
                "000000000000",
                "Statecraft simulation",
                CURRENCY,
                &period_end,
                &period_start,
                "Usage",
                "",
                &description,
                "Usage-Based",
                &end,
                &start,
                "",
                "",
                "",
                "",
                "",
                &quantity,
                &line.unit,
                &cost,
                &unit_price,
                &cost,
                PUBLISHER,
                &cost,
                &unit_price,
                "Standard",
                &quantity,
                &line.unit,
                PROVIDER,
                PUBLISHER,
                region,
                &region_name,
                "",
                "",
                "",
                category,
                service_name,
                &sku,
                &line.price_id,
                "000000000000",
                "Statecraft simulation",
                &tags,
                code,
                usage_type,
                &line.price_id,
                &line.price_source,
                &line.price_as_of,
            ];
            w.write_record(row).map_err(fail)?;
        }
    }
    let bytes = w.into_inner().map_err(|e| {
        Diagnostics::from(Diagnostic::new(
            "the FOCUS file",
            format!("could not finish the file: {e}"),
            "report this as a bug",
        ))
    })?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// A decimal with a point and no exponent (FOCUS's Decimal), to the precision a bill needs.
fn number(v: f64) -> String {
    let s = format!("{v:.10}");
    let s = s.trim_end_matches('0');
    if s.ends_with('.') {
        format!("{s}0")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_is_read_as_yyyy_mm_and_knows_its_days() {
        let m = BillingMonth::parse("2026-02").unwrap();
        assert_eq!(m.days(), 28);
        assert_eq!(BillingMonth::parse("2028-02").unwrap().days(), 29);
        assert_eq!(m.at(3), "2026-02-03T00:00:00Z");
        assert_eq!(
            BillingMonth::parse("2026-12").unwrap().next().at(1),
            "2027-01-01T00:00:00Z"
        );
        assert!(BillingMonth::parse("2026-13").is_err());
        assert!(BillingMonth::parse("26-01").is_err());
    }

    #[test]
    fn numbers_are_plain_decimals() {
        assert_eq!(number(100.0), "100.0");
        assert_eq!(number(0.0000001), "0.0000001");
        assert_eq!(number(1.25), "1.25");
    }
}
