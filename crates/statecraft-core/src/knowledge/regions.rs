//! Prices per region: the packs in `knowledge/prices/<code>.json` (and a team's `prices/` folder, which
//! overlays them price by price), checked against the base prices, and resolved into the prices a bill
//! in one region uses. A price a region's pack does not hold is priced at the base region's rate and
//! says so on its line: a bill never silently mixes regions.

use std::path::Path;

use super::Knowledge;
use super::model::Price;
use super::prices::{RegionPack, ladder_problem};
use crate::diagnostic::{Diagnostic, Diagnostics, JsonPath};

use crate::json_source::SourceText;

const EXPECTED: &str = "a JSON object {\"region\", \"name\", \"as_of\", \"source\", \"prices\": [...]} (see knowledge/SCHEMA.md, \"Prices per region\")";

/// Reads every `*.json` in a pack's `prices/` folder, in name order (none is fine).
pub(crate) fn read_dir(dir: &Path, problems: &mut Diagnostics) -> Vec<SourceText> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|p| {
            SourceText::read(p, "price pack")
                .map_err(|d| problems.push(d))
                .ok()
        })
        .collect()
}

/// An AWS region code: lowercase letters and digits in three or more parts joined by `-`, the last
/// all digits (`eu-west-1`, `us-gov-west-1`). Nothing else can become a file name of a pack.
pub fn is_region_code(code: &str) -> bool {
    let parts: Vec<&str> = code.split('-').collect();
    parts.len() >= 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
        && parts
            .last()
            .is_some_and(|p| p.chars().all(|c| c.is_ascii_digit()))
}

/// Checks one pack against the base prices; problems are placed in its file.
fn check(pack: &RegionPack, src: &SourceText, base: &[Price], problems: &mut Diagnostics) {
    let root = JsonPath::root();
    if !is_region_code(&pack.region) {
        problems.push(src.diagnostic_at(
            &root.key("region"),
            format!("`{}` is not an AWS region code", pack.region),
            "write the code AWS uses, such as `eu-west-1`",
        ));
    }
    for (at, as_of) in std::iter::once((root.key("as_of"), &pack.as_of)).chain(
        pack.prices
            .iter()
            .enumerate()
            .map(|(i, p)| (root.key("prices").index(i).key("as_of"), &p.as_of)),
    ) {
        if let Some(d) = as_of
            && !crate::format::is_calendar_date(d)
        {
            problems.push(src.diagnostic_at(
                &at,
                format!("`as_of` is \"{d}\", which is not a real date from 2000 to 2100"),
                "write the date the price was read as YYYY-MM or YYYY-MM-DD",
            ));
        }
    }
    let dated = |as_of: &Option<String>, source: &Option<String>| {
        as_of.as_deref().is_some_and(|d| !d.trim().is_empty())
            && source.as_deref().is_some_and(|s| !s.trim().is_empty())
    };
    for (i, price) in pack.prices.iter().enumerate() {
        let at = root.key("prices").index(i);
        if !base.iter().any(|p| p.id == price.id) {
            let hint = crate::diagnostic::nearest(&price.id, base.iter().map(|p| p.id.as_str()))
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            problems.push(src.diagnostic_at(
                &at.key("id"),
                format!("`{}` is not a price of prices.json{hint}", price.id),
                "a region's pack gives figures for the base's prices: use one of their ids (statecraft check-knowledge lists them)",
            ));
            continue;
        }
        if !(price.usd.is_finite() && (0.0..=super::catalogue::MAX_PRICE_USD).contains(&price.usd))
        {
            problems.push(src.diagnostic_at(
                &at.key("usd"),
                format!(
                    "price `{}` is {} USD; a price is an amount from 0 to 1,000,000 USD",
                    price.id, price.usd
                ),
                "correct the amount",
            ));
        }
        if let Some((t, why)) = ladder_problem(price.usd, &price.tiers) {
            problems.push(src.diagnostic_at(
                &at.key("tiers").index(t),
                format!("price `{}`: {why}", price.id),
                "list tiers by rising `above`, each no dearer than the one below",
            ));
        }
        if !dated(&price.as_of, &price.source) && !dated(&pack.as_of, &pack.source) {
            problems.push(src.diagnostic_at(
                &at,
                format!("price `{}` has no `as_of` and `source`, and neither has its pack", price.id),
                "add \"as_of\": \"YYYY-MM\" and \"source\": the AWS page (or offer file) it comes from",
            ));
        }
    }
}

/// The ids a pack lists as `missing` must be prices of the base it gives no figure for.
fn check_missing(pack: &RegionPack, src: &SourceText, base: &[Price], problems: &mut Diagnostics) {
    let Some(missing) = &pack.missing else {
        return;
    };
    let at = JsonPath::root().key("missing");
    if missing.note.trim().is_empty() {
        problems.push(src.diagnostic_at(
            &at.key("note"),
            "the `missing` list gives no reason".to_string(),
            "say in \"note\" why these prices have no figure for the region",
        ));
    }
    for (i, id) in missing.ids.iter().enumerate() {
        let problem = if !base.iter().any(|p| p.id == *id) {
            Some(format!("`{id}` is not a price of prices.json"))
        } else if pack.prices.iter().any(|p| p.id == *id) {
            Some(format!(
                "`{id}` is listed as missing, but the pack gives it a figure"
            ))
        } else if missing.ids[..i].contains(id) {
            Some(format!("`{id}` is listed twice"))
        } else {
            None
        };
        if let Some(message) = problem {
            problems.push(src.diagnostic_at(
                &at.key("ids").index(i),
                message,
                "list only the base's prices that the pack has no figure for, once each",
            ));
        }
    }
}

/// A region's pack as the loader reads it: parsed and checked against the knowledge's base prices,
/// or every problem, placed in `src`.
pub fn check_pack(k: &Knowledge, src: &SourceText) -> Result<RegionPack, Diagnostics> {
    let pack: RegionPack = src.parse(EXPECTED)?;
    let mut problems = Diagnostics::default();
    check(&pack, src, &k.prices, &mut problems);
    check_missing(&pack, src, &k.prices, &mut problems);
    problems.into_result(pack)
}

/// Parses, checks and merges the shipped packs with a team's; one pack per region results. A pack
/// that replaces the shipped knowledge keeps only the shipped base region's header: the shipped
/// regions' figures are for prices it may not have.
pub(crate) fn load(
    k: &Knowledge,
    shipped: &[SourceText],
    pack: &[SourceText],
    replace: bool,
    problems: &mut Diagnostics,
) -> Vec<RegionPack> {
    let mut out: Vec<RegionPack> = Vec::new();
    let from_pack = |i: usize| i >= shipped.len();
    for (i, src) in shipped.iter().chain(pack).enumerate() {
        let parsed: RegionPack = match src.parse(EXPECTED) {
            Ok(p) => p,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        if replace && !from_pack(i) && !parsed.base {
            continue;
        }
        check(&parsed, src, &k.prices, problems);
        check_missing(&parsed, src, &k.prices, problems);
        match out.iter_mut().find(|r| r.region == parsed.region) {
            None => out.push(parsed),
            Some(known) => {
                // a team's pack overlays the shipped one price by price
                for price in parsed.prices {
                    match known.prices.iter_mut().find(|p| p.id == price.id) {
                        Some(slot) => *slot = price,
                        None => known.prices.push(price),
                    }
                }
                if let Some(missing) = &mut known.missing {
                    // a figure a team's pack now gives is no longer missing
                    missing
                        .ids
                        .retain(|id| !known.prices.iter().any(|p| p.id == *id));
                }
                if parsed.missing.is_some() {
                    known.missing = parsed.missing;
                }
                known.name = parsed.name;
                known.as_of = parsed.as_of.or(known.as_of.take());
                known.source = parsed.source.or(known.source.take());
            }
        }
    }
    let bases = out.iter().filter(|r| r.base).count();
    if bases != 1 && problems.is_empty() {
        problems.push(Diagnostic::new(
            "knowledge/prices",
            format!("{bases} region packs say `\"base\": true`; exactly one must (the region prices.json is priced in)"),
            "mark the base region's pack, and only it, with \"base\": true",
        ));
    }
    residency_has_prices(k, &out, problems);
    out
}

/// The data-residency question prices the scenario in the Region its answer names: every option
/// must be a Region with a price pack.
fn residency_has_prices(k: &Knowledge, regions: &[RegionPack], problems: &mut Diagnostics) {
    let id = super::catalogue::DATA_RESIDENCY;
    let Some(at) = k.question_index(id) else {
        return;
    };
    let origin = k.origins.questions[at];
    let file = &k.origins.files[origin.file];
    let codes: Vec<&str> = regions.iter().map(|r| r.region.as_str()).collect();
    for (i, option) in k.questions[at].options.iter().enumerate() {
        if !codes.contains(&option.id.as_str()) {
            let path = crate::diagnostic::JsonPath::root()
                .key("questions")
                .index(origin.index)
                .key("options")
                .index(i)
                .key("id");
            problems.push(file.src.diagnostic_at(
                &path,
                format!(
                    "`{id}` offers `{}`, which is not a Region with prices (the regions there are: {})",
                    option.id,
                    codes.join(", ")
                ),
                "name a Region code that has a pack in prices/, or add prices/<code>.json",
            ));
        }
    }
}

/// A price as a bill in one region uses it: the base's meaning with the region's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct RegionalPrice {
    pub price: Price,
    /// True when the region's pack has no figure for it and the base region's is used.
    pub from_base_region: bool,
}

/// The prices of one region, resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct RegionPrices {
    pub region: String,
    pub name: String,
    pub base_region: String,
    pub prices: Vec<RegionalPrice>,
}

impl RegionPrices {
    pub fn get(&self, id: &str) -> Option<&RegionalPrice> {
        self.prices.iter().find(|p| p.price.id == id)
    }
}

impl Knowledge {
    /// The regions there are prices for, as (code, name), base region first: what a region selector lists.
    pub fn price_regions(&self) -> Vec<(String, String)> {
        let mut all: Vec<&RegionPack> = self.regions.iter().collect();
        all.sort_by_key(|r| (!r.base, r.region.clone()));
        all.iter()
            .map(|r| (r.region.clone(), r.name.clone()))
            .collect()
    }

    pub fn base_region(&self) -> Option<&RegionPack> {
        self.regions.iter().find(|r| r.base)
    }

    /// The prices in `region`, or a message naming the regions there are.
    pub fn prices_in(&self, region: &str) -> Result<RegionPrices, String> {
        let Some(pack) = self.regions.iter().find(|r| r.region == region) else {
            let codes: Vec<String> = self
                .price_regions()
                .iter()
                .map(|(c, n)| format!("`{c}` ({n})"))
                .collect();
            return Err(format!(
                "there are no prices for region `{region}`; the regions with prices are {}",
                codes.join(", ")
            ));
        };
        let base_region = self
            .base_region()
            .map_or_else(|| "us-east-1".to_string(), |b| b.region.clone());
        let prices = self
            .prices
            .iter()
            .map(|base| match pack.prices.iter().find(|p| p.id == base.id) {
                Some(rp) => RegionalPrice {
                    price: Price {
                        usd: rp.usd,
                        tiers: rp.tiers.clone(),
                        free: rp.free.clone().unwrap_or_else(|| base.free.clone()),
                        as_of: rp.as_of.clone().or_else(|| pack.as_of.clone()),
                        source: rp.source.clone().or_else(|| pack.source.clone()),
                        ..base.clone()
                    },
                    from_base_region: false,
                },
                None => RegionalPrice {
                    price: base.clone(),
                    from_base_region: !pack.base,
                },
            })
            .collect();
        Ok(RegionPrices {
            region: pack.region.clone(),
            name: pack.name.clone(),
            base_region,
            prices,
        })
    }
}
