//! `statecraft bill --usage FILE`: a month of usage in AWS's units, priced by the same function the
//! simulator's cost uses (`bill::price`), printed as the contract's JSON or a readable bill.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::domain::bill::{self, Bill, Usage, age::PriceAge};
use crate::domain::diagnostic::Diagnostics;
use crate::domain::format;
use crate::domain::json_source::SourceText;
use crate::domain::knowledge::Knowledge;

use super::Format;

const EXPECTED: &str = "a usage file {\"region\", \"free_tier\", \"month_hours\", \"usage\": [{\"service\", \"item\", \"quantity\"}]} (see CONTRACT.md, `bill --usage`)";

#[derive(Serialize)]
struct Output<'a> {
    #[serde(flatten)]
    bill: &'a Bill,
    price_age: Option<PriceAge>,
}

/// Reads and prices a usage file.
pub fn bill_of(k: &Knowledge, usage: &Path) -> Result<Bill, Diagnostics> {
    let src = SourceText::read(usage, "usage")?;
    let u: Usage = src.parse(EXPECTED)?;
    bill::price(k, &u).map_err(|e| src.diagnostic_at(&e.path, e.message, e.fix).into())
}

pub fn run_bill(
    usage: &Path,
    format: Format,
    pack: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), Diagnostics> {
    let k = Knowledge::load(pack)?;
    let b = bill_of(&k, usage)?;
    let today = time::OffsetDateTime::now_utc().date();
    let used: Vec<&str> = b.lines.iter().map(|l| l.price_id.as_str()).collect();
    let age = bill::age::price_age_of(&k, &b.region, today, &used);
    let text = match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&Output {
                bill: &b,
                price_age: age,
            })
            .unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Text => text(&b, age.as_ref()),
    };
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    Ok(())
}

fn text(b: &Bill, age: Option<&PriceAge>) -> String {
    let mut s = format!(
        "Monthly bill: {} in {} ({})\n\n",
        format::usd(b.monthly_usd),
        b.region_name,
        b.region
    );
    for l in &b.lines {
        s.push_str(&format!(
            "  {:<16} {:<40} {:>12}\n      {}\n      price: {}, {}\n",
            l.service,
            l.item,
            format::usd(l.usd),
            l.formula,
            l.price_source,
            l.price_as_of
        ));
        if let Some(n) = &l.note {
            s.push_str(&format!("      note: {n}\n"));
        }
    }
    s.push_str("\nAssumptions:\n");
    for a in &b.assumptions {
        s.push_str(&format!("  - {a}\n"));
    }
    if let Some(a) = age {
        s.push_str(&format!(
            "\nPrices as of {} to {} ({} days old at most)\n",
            a.oldest, a.newest, a.days
        ));
        if let Some(w) = &a.warning {
            s.push_str(&format!("warning: {w}\n"));
        }
    }
    s
}
