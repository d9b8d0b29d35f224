//! A FOCUS export read back: the rows summed per decision tag, region, service, usage type, price and
//! unit, streamed so that a month of a large account (a million rows and more) is never held whole.
//!
//! Only usage charges in US dollars from AWS are summed: the knowledge's prices are AWS's, in USD, and
//! a record predicts usage. A row from another provider, in another currency, or of another charge
//! category (tax, credit, purchase, adjustment) is skipped and counted, and the review says how many
//! and why; a file in which nothing is left is refused. A row that cannot be read is refused with its
//! line, its column and the column's name.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use super::columns::{self, CURRENCY, DECISION_TAG};
use crate::diagnostic::{Diagnostic, Diagnostics};

/// What one group of rows came to.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ObservedCharge {
    /// The record number the rows are tagged with (`statecraft-decision=0007` is 7).
    pub decision: Option<u32>,
    pub region: String,
    /// AWS's service code (`x_ServiceCode`), empty when the export has none (a review then reads
    /// it from `ServiceName` by the knowledge's `billing`).
    pub service_code: String,
    pub service_name: String,
    /// `x_UsageType` without its region prefix.
    pub usage_type: String,
    /// `x_PriceId`, where a file Statecraft wrote carries it.
    pub price_id: String,
    pub unit: String,
    /// The sum of `BilledCost`.
    pub cost: f64,
    /// The sum of `ConsumedQuantity`.
    pub quantity: f64,
}

/// Rows left out, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Skipped {
    pub why: String,
    pub rows: u64,
    /// The line of the first such row.
    pub first_line: u64,
}

/// A FOCUS file summed.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ObservedBill {
    pub file: String,
    /// Data rows in the file.
    pub rows: u64,
    /// Rows summed.
    pub used: u64,
    pub skipped: Vec<Skipped>,
    /// The first charge period's start and the last one's end, as written.
    pub from: String,
    pub to: String,
    /// Hours between them: what the file covers.
    pub hours: f64,
    pub charges: Vec<ObservedCharge>,
}

impl ObservedBill {
    /// The sentences a review prints about skipped rows.
    pub fn notes(&self) -> Vec<String> {
        self.skipped
            .iter()
            .map(|s| {
                format!(
                    "{}: {} row{} skipped ({}; the first on line {})",
                    self.file,
                    s.rows,
                    if s.rows == 1 { "" } else { "s" },
                    s.why,
                    s.first_line
                )
            })
            .collect()
    }
}

/// The columns a review needs, and where they are.
struct Header {
    billed: usize,
    currency: usize,
    category: usize,
    start: usize,
    end: usize,
    service: usize,
    region: Option<usize>,
    quantity: Option<usize>,
    unit: Option<usize>,
    provider: Option<usize>,
    tags: Option<usize>,
    service_code: Option<usize>,
    usage_type: Option<usize>,
    price_id: Option<usize>,
    names: Vec<String>,
}

const FIX_EXPORT: &str = "export the bill from AWS Data Exports as \"FOCUS 1.0 with AWS columns\" in CSV (or write one with `statecraft simulate --format focus`)";

impl Header {
    fn of(names: Vec<String>, file: &str) -> Result<Header, Diagnostics> {
        let find = |name: &str| names.iter().position(|n| n == name);
        let need = |name: &str| {
            find(name).ok_or_else(|| {
                Diagnostic::new(
                    file,
                    format!("the header has no `{name}` column; a FOCUS file has `BilledCost`, `BillingCurrency`, `ChargeCategory`, `ChargePeriodStart`, `ChargePeriodEnd` and `ServiceName`"),
                    FIX_EXPORT,
                )
                .at(1, 1)
            })
        };
        let mut missing = Diagnostics::default();
        let mut take = |name: &str| match need(name) {
            Ok(i) => i,
            Err(d) => {
                missing.push(d);
                0
            }
        };
        let billed = take("BilledCost");
        let currency = take("BillingCurrency");
        let category = take("ChargeCategory");
        let start = take("ChargePeriodStart");
        let end = take("ChargePeriodEnd");
        let service = take("ServiceName");
        if !missing.is_empty() {
            return Err(missing);
        }
        Ok(Header {
            billed,
            currency,
            category,
            start,
            end,
            service,
            region: find("RegionId"),
            quantity: find("ConsumedQuantity"),
            unit: find("ConsumedUnit"),
            // FOCUS 1.0's name, and the 1.0 preview's
            provider: find("ProviderName").or_else(|| find("Provider")),
            tags: find("Tags"),
            service_code: find("x_ServiceCode"),
            usage_type: find("x_UsageType"),
            price_id: find("x_PriceId"),
            names,
        })
    }
}

/// Reads and sums a FOCUS CSV. A `.parquet` file is refused with the way to a CSV.
pub fn read_file(path: &Path) -> Result<ObservedBill, Diagnostics> {
    read_file_with_progress(path, &|_, _| {})
}

/// `read_file`, telling `progress` the bytes and the rows read so far every 64 Ki rows.
pub fn read_file_with_progress(
    path: &Path,
    progress: &dyn Fn(u64, u64),
) -> Result<ObservedBill, Diagnostics> {
    let file = path.display().to_string();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if ext == "parquet" {
        return Err(Diagnostic::new(
            &file,
            "Statecraft reads FOCUS exports as CSV, not Parquet (a Parquet reader would more than double the build for one file format)",
            "choose CSV (gzip-decompressed) as the export's file format in AWS Data Exports, or convert the file, e.g. `duckdb -c \"COPY (SELECT * FROM 'bill.parquet') TO 'bill.csv'\"`",
        )
        .into());
    }
    let handle = std::fs::File::open(path).map_err(|e| {
        Diagnostics::from(Diagnostic::new(
            &file,
            format!("cannot open the FOCUS file: {e}"),
            "check the path and that the file is readable",
        ))
    })?;
    read(
        std::io::BufReader::with_capacity(1 << 20, handle),
        &file,
        progress,
    )
}

/// A CSV error as Statecraft says it: where, what, and how to save the export.
fn csv_error(e: csv::Error, file: &str) -> Diagnostics {
    let (line, why) = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => (
            pos.as_ref().map(|p| p.line()),
            format!("a row with {len} fields where the header has {expected_len}"),
        ),
        csv::ErrorKind::Utf8 { pos, err } => (
            pos.as_ref().map(|p| p.line()),
            format!("text that is not UTF-8 (field {})", err.field() + 1),
        ),
        _ => (e.position().map(|p| p.line()), e.to_string()),
    };
    let d = Diagnostic::new(
        file,
        format!("not a CSV file Statecraft can read: {why}"),
        "save the export as comma-separated UTF-8 text with one header row, every row as long as the header",
    );
    match line {
        Some(l) => d.at(l as usize, 1).into(),
        None => d.into(),
    }
}

/// Why a row is not an AWS usage charge in the knowledge's currency (another provider, another
/// currency, a credit or tax), or none when it is one.
fn not_a_usage_charge<'r>(
    h: &Header,
    field: &dyn Fn(usize) -> Result<&'r str, Diagnostics>,
) -> Result<Option<String>, Diagnostics> {
    if let Some(p) = h.provider {
        let provider = field(p)?;
        if !is_aws(provider) {
            return Ok(Some(format!(
                "`ProviderName` is `{provider}`, not AWS: the knowledge prices AWS's services only"
            )));
        }
    }
    let currency = field(h.currency)?;
    if currency != CURRENCY {
        return Ok(Some(format!(
            "`BillingCurrency` is `{currency}`: the knowledge's prices are in {CURRENCY}, and Statecraft does not convert currencies"
        )));
    }
    let category = field(h.category)?;
    if category != "Usage" {
        return Ok(Some(format!(
            "`ChargeCategory` is `{category}`: a record predicts usage charges"
        )));
    }
    Ok(None)
}

/// The bill once every row is read: refused when no row was a usage charge or the periods cover
/// no time; else with its period.
fn finish(mut bill: ObservedBill, times: &Times, file: &str) -> Result<ObservedBill, Diagnostics> {
    if bill.used == 0 {
        let why = if bill.rows == 0 {
            "the file has a header but no rows".to_string()
        } else {
            format!(
                "none of its {} rows is an AWS usage charge in {CURRENCY}: {}",
                bill.rows,
                bill.notes().join("; ")
            )
        };
        return Err(Diagnostic::new(
            file,
            why,
            "export the AWS account's bill in USD (FOCUS 1.0 with AWS columns); rows from other providers or currencies are never mixed in",
        )
        .into());
    }
    bill.from = times.first_text.clone();
    bill.to = times.last_text.clone();
    bill.hours = (times.last - times.first) as f64 / 3600.0;
    if bill.hours <= 0.0 {
        return Err(Diagnostic::new(
            file,
            format!(
                "the charge periods cover no time ({} to {})",
                bill.from, bill.to
            ),
            "give `ChargePeriodStart` before `ChargePeriodEnd` on every row",
        )
        .into());
    }
    Ok(bill)
}

/// Reads and sums FOCUS CSV text from `input`, naming it `file` in messages.
pub fn read(
    input: impl std::io::Read,
    file: &str,
    progress: &dyn Fn(u64, u64),
) -> Result<ObservedBill, Diagnostics> {
    // records end at `\n` (a `\r` before it is trimmed from the last field): the csv crate's
    // default ends a record at the `\r` of `\r\n` and counts the `\n` into the next record's line,
    // so the lines in messages would be one short in a CRLF file such as AWS writes
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(input);
    let csv_error = |e: csv::Error| csv_error(e, file);
    let names: Vec<String> = reader
        .headers()
        .map_err(csv_error)?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
        .collect();
    if names.len() <= 1 && names.first().is_none_or(|n| n.is_empty()) {
        return Err(
            Diagnostic::new(file, "the file is empty: no header row", FIX_EXPORT)
                .at(1, 1)
                .into(),
        );
    }
    let h = Header::of(names, file)?;
    let mut bill = ObservedBill {
        file: file.to_string(),
        ..ObservedBill::default()
    };
    let mut groups: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut key = Vec::with_capacity(128);
    let mut skipped: Vec<Skipped> = Vec::new();
    let mut times = Times::default();
    let mut record = csv::ByteRecord::new();
    while reader.read_byte_record(&mut record).map_err(csv_error)? {
        bill.rows += 1;
        let line = record.position().map_or(0, |p| p.line());
        if bill.rows.is_multiple_of(65_536) {
            progress(record.position().map_or(0, |p| p.byte()), bill.rows);
        }
        let field = |i: usize| -> Result<&str, Diagnostics> {
            let bytes = record.get(i).unwrap_or_default();
            let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
            std::str::from_utf8(bytes).map_err(|_| {
                Diagnostics::from(
                    Diagnostic::new(
                        file,
                        format!("column `{}` holds text that is not UTF-8", h.names[i]),
                        "save the export as UTF-8",
                    )
                    .at(line as usize, i + 1),
                )
            })
        };
        let skip = |why: String, skipped: &mut Vec<Skipped>| match skipped
            .iter_mut()
            .find(|s| s.why == why)
        {
            Some(s) => s.rows += 1,
            None => skipped.push(Skipped {
                why,
                rows: 1,
                first_line: line,
            }),
        };
        if let Some(why) = not_a_usage_charge(&h, &field)? {
            skip(why, &mut skipped);
            continue;
        }
        let number = |i: usize, required: bool| -> Result<f64, Diagnostics> {
            let text = field(i)?.trim();
            if text.is_empty() && !required {
                return Ok(0.0);
            }
            match text.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(v),
                _ => Err(Diagnostic::new(
                    file,
                    format!(
                        "column `{}` holds `{text}`, which is not a decimal number",
                        h.names[i]
                    ),
                    format!(
                        "write `{}` as a plain decimal like 12.5{}",
                        h.names[i],
                        if required { "" } else { ", or leave it empty" }
                    ),
                )
                .at(line as usize, i + 1)
                .into()),
            }
        };
        let cost = number(h.billed, true)?;
        let quantity = match h.quantity {
            Some(i) => number(i, false)?,
            None => 0.0,
        };
        times.see(field(h.start)?, h.start, line, file, &h.names, true)?;
        times.see(field(h.end)?, h.end, line, file, &h.names, false)?;
        let decision = match h.tags {
            Some(i) => decision_tag(field(i)?),
            None => None,
        };
        let opt = |i: Option<usize>| -> Result<&str, Diagnostics> {
            match i {
                Some(i) => field(i),
                None => Ok(""),
            }
        };
        let region = opt(h.region)?;
        let service_name = field(h.service)?;
        let code = opt(h.service_code)?;
        let usage_type = columns::bare_usage_type(opt(h.usage_type)?);
        let price_id = opt(h.price_id)?;
        let unit = opt(h.unit)?;
        key.clear();
        key.extend_from_slice(&decision.unwrap_or(u32::MAX).to_le_bytes());
        for part in [region, service_name, code, usage_type, price_id, unit] {
            key.extend_from_slice(part.as_bytes());
            key.push(0);
        }
        let at = match groups.get(key.as_slice()) {
            Some(&at) => at,
            None => {
                bill.charges.push(ObservedCharge {
                    decision,
                    region: region.to_string(),
                    service_code: code.to_string(),
                    service_name: service_name.to_string(),
                    usage_type: usage_type.to_string(),
                    price_id: price_id.to_string(),
                    unit: unit.to_string(),
                    cost: 0.0,
                    quantity: 0.0,
                });
                groups.insert(key.clone(), bill.charges.len() - 1);
                bill.charges.len() - 1
            }
        };
        let c = &mut bill.charges[at];
        c.cost += cost;
        c.quantity += quantity;
        bill.used += 1;
    }
    bill.skipped = skipped;
    finish(bill, &times, file)
}

fn is_aws(provider: &str) -> bool {
    let p = provider.trim();
    p.eq_ignore_ascii_case("AWS")
        || p.eq_ignore_ascii_case("Amazon Web Services")
        || p.eq_ignore_ascii_case("Amazon Web Services, Inc.")
}

/// The record number in a `Tags` JSON object: `{"statecraft-decision": "0007"}` is 7. A team tags
/// its resources; AWS's FOCUS export carries the activated cost allocation tags in `Tags`.
fn decision_tag(tags: &str) -> Option<u32> {
    if !tags.contains(DECISION_TAG) {
        return None;
    }
    let value: serde_json::Value = serde_json::from_str(tags).ok()?;
    let v = value.get(DECISION_TAG)?;
    match v {
        serde_json::Value::String(s) => s.trim().trim_start_matches("ADR-").parse().ok(),
        serde_json::Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        _ => None,
    }
}

/// The earliest start and latest end of the charge periods, each parsed once per distinct text.
#[derive(Default)]
struct Times {
    first: i64,
    last: i64,
    first_text: String,
    last_text: String,
    seen: bool,
    cache: Vec<(String, i64)>,
}

impl Times {
    fn see(
        &mut self,
        text: &str,
        column: usize,
        line: u64,
        file: &str,
        names: &[String],
        start: bool,
    ) -> Result<(), Diagnostics> {
        let t = match self.cache.iter().find(|(s, _)| s == text) {
            Some((_, t)) => *t,
            None => {
                let t = timestamp(text).ok_or_else(|| {
                    Diagnostics::from(
                        Diagnostic::new(
                            file,
                            format!(
                                "column `{}` holds `{text}`, which is not a UTC date and time",
                                names[column]
                            ),
                            "write it as FOCUS does, like 2026-11-01T00:00:00Z",
                        )
                        .at(line as usize, column + 1),
                    )
                })?;
                if self.cache.len() >= 64 {
                    self.cache.remove(0);
                }
                self.cache.push((text.to_string(), t));
                t
            }
        };
        if !self.seen {
            self.seen = true;
            self.first = i64::MAX;
            self.last = i64::MIN;
        }
        if start && t < self.first {
            self.first = t;
            self.first_text = text.to_string();
        }
        if !start && t > self.last {
            self.last = t;
            self.last_text = text.to_string();
        }
        Ok(())
    }
}

/// Seconds since 1970 of `2026-11-01T00:00:00Z`, with or without `Z`, milliseconds, a `+00:00`
/// offset, or a space for the `T` (as some exports write it).
pub(super) fn timestamp(text: &str) -> Option<i64> {
    let t = text.trim();
    let b = t.as_bytes();
    if b.len() < 10 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> { t.get(r)?.parse().ok() };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let date = time::Date::from_calendar_date(
        i32::try_from(y).ok()?,
        time::Month::try_from(u8::try_from(m).ok()?).ok()?,
        u8::try_from(d).ok()?,
    )
    .ok()?;
    let mut secs = 0;
    let mut rest = &t[10..];
    if !rest.is_empty() {
        if !(rest.starts_with('T') || rest.starts_with(' ')) || rest.len() < 9 {
            return None;
        }
        let hms = &rest[1..9];
        let part = |r: std::ops::Range<usize>| -> Option<i64> { hms.get(r)?.parse().ok() };
        let (hh, mm, ss) = (part(0..2)?, part(3..5)?, part(6..8)?);
        if hh > 24 || mm > 59 || ss > 60 {
            return None;
        }
        secs = hh * 3600 + mm * 60 + ss;
        rest = &rest[9..];
        if let Some(frac) = rest.strip_prefix('.') {
            let digits = frac.chars().take_while(char::is_ascii_digit).count();
            rest = &frac[digits..];
        }
        if !matches!(rest, "" | "Z" | "+00:00" | "+0000" | " UTC") {
            return None;
        }
    }
    Some((i64::from(date.to_julian_day()) - 2_440_588) * 86_400 + secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> Result<ObservedBill, Diagnostics> {
        read(text.as_bytes(), "bill.csv", &|_, _| {})
    }

    const HEADER: &str = "BilledCost,BillingCurrency,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,ServiceName,RegionId,ConsumedQuantity,ConsumedUnit,ProviderName,Tags\n";

    #[test]
    fn timestamps_are_read_in_the_forms_exports_write() {
        assert_eq!(timestamp("1970-01-02T00:00:00Z"), Some(86_400));
        assert_eq!(timestamp("1970-01-01T01:00:00.000Z"), Some(3_600));
        assert_eq!(timestamp("1970-01-01 00:00:01"), Some(1));
        assert_eq!(timestamp("1970-01-01"), Some(0));
        assert_eq!(timestamp("2026-13-01T00:00:00Z"), None);
        assert_eq!(timestamp("yesterday"), None);
    }

    #[test]
    fn rows_are_summed_per_service_and_the_hours_covered_counted() {
        let bill = read_text(&format!(
            "{HEADER}1.5,USD,Usage,2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,AWS Lambda,us-east-1,100,Requests,AWS,\"{{\"\"statecraft-decision\"\":\"\"0002\"\"}}\"\n\
             2.5,USD,Usage,2026-11-02T00:00:00Z,2026-11-03T00:00:00Z,AWS Lambda,us-east-1,300,Requests,AWS,\"{{\"\"statecraft-decision\"\":\"\"0002\"\"}}\"\n"
        ))
        .unwrap();
        assert_eq!(bill.used, 2);
        assert_eq!(bill.hours, 48.0);
        assert_eq!(bill.charges.len(), 1);
        let c = &bill.charges[0];
        assert_eq!((c.cost, c.quantity, c.decision), (4.0, 400.0, Some(2)));
        assert_eq!(
            (c.service_name.as_str(), c.service_code.as_str()),
            ("AWS Lambda", "")
        );
    }

    #[test]
    fn another_provider_and_a_foreign_currency_are_skipped_and_said() {
        let bill = read_text(&format!(
            "{HEADER}1.0,USD,Usage,2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,AWS Lambda,us-east-1,1,Requests,AWS,\n\
             9.0,EUR,Usage,2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,AWS Lambda,eu-west-1,1,Requests,AWS,\n\
             7.0,USD,Usage,2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,Virtual Machines,eastus,1,Hours,Microsoft,\n"
        ))
        .unwrap();
        assert_eq!((bill.rows, bill.used), (3, 1));
        assert_eq!(bill.charges[0].cost, 1.0);
        let notes = bill.notes().join("\n");
        assert!(notes.contains("`BillingCurrency` is `EUR`"), "{notes}");
        assert!(notes.contains("the first on line 3"), "{notes}");
        assert!(notes.contains("`ProviderName` is `Microsoft`"), "{notes}");
    }

    #[test]
    fn a_file_with_nothing_left_is_refused() {
        let e = read_text(&format!(
            "{HEADER}9.0,EUR,Usage,2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,AWS Lambda,eu-west-1,1,Requests,AWS,\n"
        ))
        .unwrap_err()
        .to_string();
        assert!(e.contains("none of its 1 rows"), "{e}");
        assert!(e.contains("EUR"), "{e}");
    }

    #[test]
    fn a_bad_number_names_its_line_column_and_column_name() {
        let e = read_text(&format!(
            "{HEADER}1.0,USD,Usage,2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,AWS Lambda,us-east-1,lots,Requests,AWS,\n"
        ))
        .unwrap_err();
        let d = &e.0[0];
        assert_eq!((d.line, d.column), (Some(2), Some(8)));
        assert!(
            d.message.contains("`ConsumedQuantity` holds `lots`"),
            "{}",
            d.message
        );
    }

    #[test]
    fn lines_are_counted_in_a_crlf_file_as_an_editor_shows_them() {
        let text = format!(
            "{}1.0,USD,Usage,2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,AWS Lambda,us-east-1,1,Requests,AWS,{{}}\r\n1.0,USD,Usage,2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,AWS Lambda,us-east-1,x,Requests,AWS,{{}}\r\n",
            HEADER.replace('\n', "\r\n")
        );
        let e = read_text(&text).unwrap_err();
        assert_eq!((e.0[0].line, e.0[0].column), (Some(3), Some(8)));
        let ok = read_text(&text.replace(",x,", ",2,")).unwrap();
        assert_eq!(
            (ok.used, ok.charges[0].quantity, ok.charges[0].unit.as_str()),
            (2, 3.0, "Requests")
        );
    }

    #[test]
    fn a_missing_column_is_named() {
        let e = read_text("BilledCost,ServiceName\n1,AWS Lambda\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("no `BillingCurrency` column"), "{e}");
    }

    #[test]
    fn parquet_is_refused_with_the_way_to_csv() {
        let e = read_file(Path::new("bill.parquet"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("not Parquet"), "{e}");
    }

    #[test]
    fn a_decision_tag_gives_the_record_number() {
        assert_eq!(decision_tag(r#"{"statecraft-decision":"0007"}"#), Some(7));
        assert_eq!(decision_tag(r#"{"statecraft-decision":12}"#), Some(12));
        assert_eq!(decision_tag(r#"{"team":"web"}"#), None);
    }
}
