//! Reads an AWS Price List bulk offer file (the public JSON: `products` by SKU with `attributes`,
//! `terms.OnDemand` with `priceDimensions`, `beginRange`/`endRange`, `unit`, `pricePerUnit.USD`, and
//! the file's `publicationDate`) into a region's price pack, tiers included, dated from the file. Which
//! product carries which price is data: each price's `offer` match in `prices.json`.

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Diagnostics, JsonPath};
use crate::json_source::SourceText;
use crate::knowledge::{Knowledge, OfferMatch, Price, RegionPack, RegionPrice, Tier};

/// The region code of an offer file's `location` (AWS's region name, as the region packs hold it),
/// for files that give no `regionCode`.
fn region_of_location(k: &Knowledge, location: &str) -> Option<String> {
    k.regions
        .iter()
        .find(|r| r.name == location)
        .map(|r| r.region.clone())
}

struct Reader<'a> {
    src: &'a SourceText,
    problems: Diagnostics,
}

impl Reader<'_> {
    fn fail(&mut self, path: &JsonPath, message: String, fix: &str) {
        self.problems
            .push(self.src.diagnostic_at(path, message, fix.to_string()));
    }

    fn text<'v>(&mut self, v: &'v Value, path: &JsonPath, key: &str) -> Option<&'v str> {
        match v.get(key) {
            Some(Value::String(s)) => Some(s),
            Some(_) => {
                self.fail(
                    &path.key(key),
                    format!("`{key}` is not a string"),
                    "write it as AWS's offer files do: a JSON string",
                );
                None
            }
            None => {
                self.fail(
                    path,
                    format!("`{key}` is missing"),
                    "this does not look like an AWS Price List offer file; download one from the Price List bulk API",
                );
                None
            }
        }
    }

    /// A number written as AWS writes it: a string ("0.0000166667", "Inf" for an open end).
    fn number(&mut self, v: &Value, path: &JsonPath, key: &str) -> Option<f64> {
        let s = self.text(v, path, key)?;
        if s == "Inf" {
            return Some(f64::INFINITY);
        }
        match s.parse::<f64>() {
            Ok(x) if x.is_finite() && x >= 0.0 => Some(x),
            _ => {
                self.fail(
                    &path.key(key),
                    format!("`{key}` is \"{s}\", which is not a number of 0 or more"),
                    "an offer file writes numbers as strings of digits, such as \"0.20\"",
                );
                None
            }
        }
    }
}

fn strip_region_prefix(usagetype: &str) -> &str {
    // "EU-Request", "USE1-NatGateway-Hours", "APS2-BoxUsage:m5.large": the prefix has no ':' or '.'
    match usagetype.split_once('-') {
        Some((prefix, rest))
            if prefix.len() <= 5
                && prefix
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) =>
        {
            rest
        }
        _ => usagetype,
    }
}

fn matches(m: &OfferMatch, servicecode: &str, attrs: &Value) -> bool {
    let usagetype = attrs.get("usagetype").and_then(Value::as_str).unwrap_or("");
    m.servicecode == servicecode
        && strip_region_prefix(usagetype) == m.usagetype
        && m.attributes
            .iter()
            .all(|(k, v)| attrs.get(k).and_then(Value::as_str) == Some(v.as_str()))
}

/// The price pack an offer file holds, for the region it prices; the file's name is shown in each source.
pub fn import(k: &Knowledge, src: &SourceText) -> Result<RegionPack, Diagnostics> {
    let value: Value =
        src.parse("an AWS Price List offer file (a JSON object with \"products\" and \"terms\")")?;
    let mut r = Reader {
        src,
        problems: Diagnostics::default(),
    };
    let root = JsonPath::root();
    let servicecode = r.text(&value, &root, "offerCode").map(str::to_string);
    let published = r.text(&value, &root, "publicationDate").map(str::to_string);
    let (Some(servicecode), Some(published)) = (servicecode, published) else {
        return Err(r.problems);
    };
    let known: Vec<&str> = k
        .prices
        .iter()
        .filter_map(|p| p.offer.as_ref().map(|o| o.servicecode.as_str()))
        .collect();
    if !known.contains(&servicecode.as_str()) {
        let mut codes = known.clone();
        codes.sort_unstable();
        codes.dedup();
        r.fail(
            &root.key("offerCode"),
            format!(
                "the offer is for `{servicecode}`, a service Statecraft has no prices for; the services it imports are {}",
                codes.join(", ")
            ),
            "download the offer file of one of those services",
        );
        return Err(r.problems);
    }
    let as_of = published.get(..10).unwrap_or(&published).to_string();
    let Some(products) = value.get("products").and_then(Value::as_object) else {
        r.fail(
            &root,
            "`products` is missing or not an object".into(),
            "an offer file has \"products\": {SKU: {...}}",
        );
        return Err(r.problems);
    };
    let on_demand = value
        .get("terms")
        .and_then(|t| t.get("OnDemand"))
        .and_then(Value::as_object);
    let Some(on_demand) = on_demand else {
        r.fail(
            &root.key("terms"),
            "`terms.OnDemand` is missing".into(),
            "an offer file has \"terms\": {\"OnDemand\": {SKU: {...}}}",
        );
        return Err(r.problems);
    };
    let mut region: Option<String> = None;
    let mut location: Option<String> = None;
    let mut prices: Vec<RegionPrice> = Vec::new();
    for (sku, product) in products {
        let at = root.key("products").key(sku);
        let Some(attrs) = product.get("attributes") else {
            r.fail(
                &at,
                "`attributes` is missing".into(),
                "each product has \"attributes\"",
            );
            continue;
        };
        let Some(price) = k.prices.iter().find(|p| {
            p.offer
                .as_ref()
                .is_some_and(|m| matches(m, &servicecode, attrs))
        }) else {
            continue; // a product Statecraft does not price
        };
        let code = match attrs.get("regionCode").and_then(Value::as_str) {
            Some(c) => Some(c.to_string()),
            None => {
                let loc = r.text(attrs, &at.key("attributes"), "location");
                loc.and_then(|l| region_of_location(k, l))
            }
        };
        let Some(code) = code else {
            r.fail(&at.key("attributes"), "the product names no region Statecraft knows (`regionCode` or `location`)".into(), "import an offer file for one region (the region index of the Price List API lists them)");
            continue;
        };
        if region.as_ref().is_some_and(|seen| *seen != code) {
            r.fail(
                &at.key("attributes"),
                format!(
                    "the product is for `{code}`, another region than the file's first ({})",
                    region.clone().unwrap_or_default()
                ),
                "import one region's offer file at a time",
            );
            continue;
        }
        region = Some(code);
        if location.is_none() {
            location = attrs
                .get("location")
                .and_then(Value::as_str)
                .map(str::to_string);
        }
        let Some(terms) = on_demand.get(sku).and_then(Value::as_object) else {
            r.fail(
                &root.key("terms").key("OnDemand"),
                format!("product `{sku}` has no on-demand terms"),
                "each product priced has an entry under terms.OnDemand",
            );
            continue;
        };
        let ladder = ladder(&mut r, &root, sku, terms);
        if ladder.is_empty() {
            continue;
        }
        let origin = format!(
            "AWS Price List offer file {} ({servicecode}, publicationDate {published}, SKU {sku})",
            src.name
        );
        prices.push(region_price(price, ladder, &as_of, origin));
    }
    if !r.problems.is_empty() {
        return Err(r.problems);
    }
    let Some(region) = region else {
        return Err(Diagnostic::new(
            &src.name,
            format!("no product of the `{servicecode}` offer matches a price Statecraft uses"),
            "check that this is the offer file of the service and region you meant (each price's `offer` in prices.json says what it matches)",
        )
        .into());
    };
    prices.sort_by(|a, b| a.id.cmp(&b.id));
    let name = k
        .regions
        .iter()
        .find(|p| p.region == region)
        .map(|p| p.name.clone())
        .or(location)
        .unwrap_or_else(|| region.clone());
    Ok(RegionPack {
        region,
        name,
        base: false,
        as_of: Some(as_of),
        source: Some(format!("AWS Price List offer file {}", src.name)),
        prices,
        missing: None,
    })
}

/// A product's on-demand price steps, (units from, USD per unit), from its terms' price
/// dimensions; what is missing is said to `r`.
fn ladder(
    r: &mut Reader<'_>,
    root: &JsonPath,
    sku: &str,
    terms: &serde_json::Map<String, Value>,
) -> Vec<(f64, f64)> {
    let mut ladder: Vec<(f64, f64)> = Vec::new();
    for (term_id, term) in terms {
        let tp = root.key("terms").key("OnDemand").key(sku).key(term_id);
        let Some(dims) = term.get("priceDimensions").and_then(Value::as_object) else {
            r.fail(
                &tp,
                "`priceDimensions` is missing".into(),
                "each term has \"priceDimensions\"",
            );
            continue;
        };
        for (dim_id, dim) in dims {
            let dp = tp.key("priceDimensions").key(dim_id);
            let begin = dim
                .get("beginRange")
                .map_or(Some(0.0), |_| r.number(dim, &dp, "beginRange"));
            let _end = dim.get("endRange").map(|_| r.number(dim, &dp, "endRange"));
            let _unit = r.text(dim, &dp, "unit");
            let usd = match dim.get("pricePerUnit") {
                Some(ppu) => r.number(ppu, &dp.key("pricePerUnit"), "USD"),
                None => {
                    r.fail(
                        &dp,
                        "`pricePerUnit` is missing".into(),
                        "each price dimension has \"pricePerUnit\": {\"USD\": \"…\"}",
                    );
                    None
                }
            };
            if let (Some(b), Some(u)) = (begin, usd) {
                ladder.push((b, u));
            }
        }
    }
    ladder
}

/// The knowledge's price `price` from an offer's ladder: its first step and the tiers above, per
/// the price's `per` units.
fn region_price(
    price: &Price,
    mut ladder: Vec<(f64, f64)>,
    as_of: &str,
    origin: String,
) -> RegionPrice {
    ladder.sort_by(|a, b| a.0.total_cmp(&b.0));
    // an offer prices one unit; the knowledge's price is per `per` units
    let first = ladder[0].1 * price.per;
    let tiers: Vec<Tier> = ladder[1..]
        .iter()
        .map(|(above, usd)| Tier {
            above: *above,
            usd: usd * price.per,
        })
        .collect();
    RegionPrice {
        id: price.id.clone(),
        usd: round12(first),
        tiers: tiers
            .into_iter()
            .map(|t| Tier {
                above: t.above,
                usd: round12(t.usd),
            })
            .collect(),
        free: None,
        as_of: Some(as_of.to_string()),
        source: Some(origin),
        note: None,
    }
}

/// Offer prices times `per` pick up binary noise (0.2 × 10⁶ × 10⁻⁶); twelve decimals keep the digits AWS wrote.
fn round12(x: f64) -> f64 {
    (x * 1e12).round() / 1e12
}

#[cfg(test)]
mod tests {
    use super::strip_region_prefix;

    #[test]
    fn a_usagetype_loses_its_region_prefix_and_nothing_else() {
        assert_eq!(strip_region_prefix("EUC1-Request"), "Request");
        assert_eq!(
            strip_region_prefix("APS2-BoxUsage:m5.large"),
            "BoxUsage:m5.large"
        );
        assert_eq!(
            strip_region_prefix("EU-Lambda-GB-Second"),
            "Lambda-GB-Second"
        );
        // US East files often write no prefix
        assert_eq!(strip_region_prefix("Lambda-GB-Second"), "Lambda-GB-Second");
        assert_eq!(strip_region_prefix("NatGateway-Hours"), "NatGateway-Hours");
        assert_eq!(
            strip_region_prefix("BoxUsage:t3.micro"),
            "BoxUsage:t3.micro"
        );
    }
}
