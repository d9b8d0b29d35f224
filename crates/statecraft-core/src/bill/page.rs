//! Reads AWS's pricing-page data into a region's price pack: the `meteredUnitMaps` JSON behind the
//! region selector of AWS's pricing pages (`b0.p.awsstatic.com/pricing/2.0/meteredUnitMaps/<service>/
//! USD/current/<service>.json`). One file covers every Region of a service:
//! `{"manifest": {"serviceId", "hawkFilePublicationDate", "currencyCode"}, "regions": {"EU (Ireland)":
//! {"Lambda Requests": {"rateCode", "price": "0.0000002000"}}}}`, a price per unit under a named key.
//! The map carries no tier breakpoints, so which keys make a price, in tier order, is data: each
//! price's `page` match in `prices.json`, whose tiers give the breakpoints.
//!
//! [`import_either`] takes this or a Price List offer file ([`super::offer`]), whichever it is given,
//! so a team can refresh a region from either of AWS's publications.

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Diagnostics, JsonPath};
use crate::json_source::SourceText;
use crate::knowledge::{Knowledge, RegionPack, RegionPrice, Tier};

const EXPECTED: &str = "AWS pricing-page data (a JSON object with \"manifest\" and \"regions\") or an AWS Price List offer file (\"products\" and \"terms\")";

/// Reads `src` as AWS's pricing-page data when it has `manifest` and `regions`, and as a Price
/// List offer file otherwise. `region` (a code with a price pack) picks the Region of a
/// pricing-page file, which holds them all; an offer file holds one, which must be `region` if given.
pub fn import_either(
    k: &Knowledge,
    src: &SourceText,
    region: Option<&str>,
) -> Result<RegionPack, Diagnostics> {
    let value: Value = src.parse(EXPECTED)?;
    let is_page = value.get("manifest").is_some() && value.get("regions").is_some();
    if is_page {
        return import(k, src, &value, region);
    }
    let pack = super::offer::import(k, src)?;
    match region {
        Some(code) if code != pack.region => Err(Diagnostic::new(
            &src.name,
            format!(
                "the offer file prices `{}`, not `{code}`: an offer file holds one Region",
                pack.region
            ),
            format!(
                "drop --region, or download the {code} offer file from the Price List bulk API"
            ),
        )
        .into()),
        _ => Ok(pack),
    }
}

fn fail(src: &SourceText, path: &JsonPath, message: String, fix: &str) -> Diagnostics {
    src.diagnostic_at(path, message, fix.to_string()).into()
}

fn text<'v>(
    src: &SourceText,
    v: &'v Value,
    path: &JsonPath,
    key: &str,
) -> Result<&'v str, Diagnostics> {
    match v.get(key) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(fail(
            src,
            &path.key(key),
            format!("`{key}` is not a string"),
            "write it as AWS's pricing-page data does: a JSON string",
        )),
        None => Err(fail(
            src,
            path,
            format!("`{key}` is missing"),
            "this does not look like AWS's pricing-page data (meteredUnitMaps): its manifest names the service and its publication date",
        )),
    }
}

/// The Region the file is read for: `wanted`'s pack, or the one Region with a pack the file prices.
fn pick_region<'k>(
    k: &'k Knowledge,
    src: &SourceText,
    regions: &serde_json::Map<String, Value>,
    wanted: Option<&str>,
) -> Result<&'k RegionPack, Diagnostics> {
    let codes = || {
        k.regions
            .iter()
            .map(|r| format!("`{}` ({})", r.region, r.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(code) = wanted {
        return k.regions.iter().find(|r| r.region == code).ok_or_else(|| {
            Diagnostic::new(
                &src.name,
                format!(
                    "there is no price pack for region `{code}` to read from the file; the regions with packs are {}",
                    codes()
                ),
                "pass one of those codes with --region",
            )
            .into()
        });
    }
    let held: Vec<&RegionPack> = k
        .regions
        .iter()
        .filter(|r| regions.contains_key(&r.name))
        .collect();
    match held.as_slice() {
        [one] => Ok(one),
        _ => Err(Diagnostic::new(
            &src.name,
            format!(
                "the file prices {} Regions, {} of them with a price pack; say which to read",
                regions.len(),
                held.len()
            ),
            format!("pass --region with one of {}", codes()),
        )
        .into()),
    }
}

/// A price as the map writes it: a string of digits per unit ("0.0000002000").
fn rate(src: &SourceText, row: &Value, path: &JsonPath) -> Result<f64, Diagnostics> {
    let s = text(src, row, path, "price")?;
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err(fail(
            src,
            &path.key("price"),
            format!("`price` is \"{s}\", which is not a number of 0 or more"),
            "the pricing-page data writes prices as strings of digits, such as \"0.0000002000\"",
        )),
    }
}

/// The pack that `value` (pricing-page data) gives for one Region.
fn import(
    k: &Knowledge,
    src: &SourceText,
    value: &Value,
    wanted: Option<&str>,
) -> Result<RegionPack, Diagnostics> {
    let root = JsonPath::root();
    let manifest = value.get("manifest").unwrap_or(&Value::Null);
    let at_manifest = root.key("manifest");
    let service = text(src, manifest, &at_manifest, "serviceId")?;
    let published = text(src, manifest, &at_manifest, "hawkFilePublicationDate")?;
    if let Some(currency) = manifest.get("currencyCode").and_then(Value::as_str)
        && currency != "USD"
    {
        return Err(fail(
            src,
            &at_manifest.key("currencyCode"),
            format!("the prices are in {currency}; Statecraft's are in USD"),
            "download the USD file (…/meteredUnitMaps/<service>/USD/current/<service>.json)",
        ));
    }
    let mine: Vec<_> = k
        .prices
        .iter()
        .filter_map(|p| {
            p.page
                .as_ref()
                .filter(|m| m.service == service)
                .map(|m| (p, m))
        })
        .collect();
    if mine.is_empty() {
        let mut known: Vec<&str> = k
            .prices
            .iter()
            .filter_map(|p| p.page.as_ref().map(|m| m.service.as_str()))
            .collect();
        known.sort_unstable();
        known.dedup();
        return Err(fail(
            src,
            &at_manifest.key("serviceId"),
            format!(
                "the data is for `{service}`, a service Statecraft reads no pricing-page prices of; the services it reads are {}",
                known.join(", ")
            ),
            "download the pricing-page data of one of those services",
        ));
    }
    let Some(regions) = value.get("regions").and_then(Value::as_object) else {
        return Err(fail(
            src,
            &root.key("regions"),
            "`regions` is not an object".into(),
            "pricing-page data has \"regions\": {\"EU (Ireland)\": {\"<key>\": {\"price\": \"…\"}}}",
        ));
    };
    let pack = pick_region(k, src, regions, wanted)?;
    let as_of = published.get(..10).unwrap_or(published).to_string();
    let mut prices = Vec::new();
    for (price, m) in mine {
        let location = m.location.as_deref().unwrap_or(&pack.name);
        let Some(rows) = regions.get(location) else {
            continue; // the service is not offered there
        };
        let at_region = root.key("regions").key(location);
        let mut rates = Vec::new();
        for key in &m.keys {
            if let Some(row) = rows.get(key) {
                rates.push(rate(src, row, &at_region.key(key))?);
            }
        }
        if rates.is_empty() {
            continue; // not priced in this Region
        }
        if rates.len() != m.keys.len() {
            return Err(fail(
                src,
                &at_region,
                format!(
                    "`{location}` has {} of the {} keys of price `{}` ({}): its tiers cannot be read",
                    rates.len(),
                    m.keys.len(),
                    price.id,
                    m.keys.join(", ")
                ),
                "check that the file is AWS's current data; if AWS renamed a key, correct the price's `page.keys` in prices.json",
            ));
        }
        // the map prices one unit; the knowledge's price is per `per` units, with the base's breakpoints
        let tiers = price
            .tiers
            .iter()
            .zip(&rates[1..])
            .map(|(t, r)| Tier {
                above: t.above,
                usd: round12(r * price.per),
            })
            .collect();
        prices.push(RegionPrice {
            id: price.id.clone(),
            usd: round12(rates[0] * price.per),
            tiers,
            free: None,
            as_of: Some(as_of.clone()),
            source: Some(format!(
                "AWS pricing-page data {} (meteredUnitMaps `{service}`, hawkFilePublicationDate {published}, {location}; key{} {})",
                src.name,
                if m.keys.len() > 1 { "s" } else { "" },
                m.keys
                    .iter()
                    .map(|k| format!("'{k}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            note: None,
        });
    }
    if prices.is_empty() {
        return Err(Diagnostic::new(
            &src.name,
            format!(
                "the `{service}` data has no price Statecraft uses for {} ({})",
                pack.name, pack.region
            ),
            "check that this is the service and Region you meant (each price's `page` in prices.json names the keys it reads)",
        )
        .into());
    }
    prices.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(RegionPack {
        region: pack.region.clone(),
        name: pack.name.clone(),
        base: false,
        as_of: Some(as_of),
        source: Some(format!("AWS pricing-page data {}", src.name)),
        prices,
        missing: None,
    })
}

/// Rates times `per` pick up binary noise (2e-7 × 10⁶); twelve decimals keep the digits AWS wrote.
fn round12(x: f64) -> f64 {
    (x * 1e12).round() / 1e12
}
