//! `statecraft prices import --offer FILE.json [--out DIR]`: an AWS Price List offer file into a
//! region's price pack, written to `DIR/prices/<region>.json` (a knowledge pack `--knowledge DIR`
//! then uses). Nothing is written on failure; the pack is written whole or not at all.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::domain::bill::page;
use crate::domain::diagnostic::{Diagnostic, Diagnostics};
use crate::domain::json_source::SourceText;
use crate::domain::knowledge::{Knowledge, RegionPack};
use crate::domain::project::write_atomically;

/// Merges with a pack already in `DIR` for the region, so offers of several services add up.
fn merged(existing: Option<RegionPack>, new: RegionPack) -> RegionPack {
    let Some(mut old) = existing else {
        return new;
    };
    for p in new.prices {
        match old.prices.iter_mut().find(|o| o.id == p.id) {
            Some(slot) => *slot = p,
            None => old.prices.push(p),
        }
    }
    old.prices.sort_by(|a, b| a.id.cmp(&b.id));
    old.as_of = new.as_of;
    old.source = new.source;
    old
}

/// Creates the folder, then writes the file whole (a temporary file and a rename).
fn write_atomic(path: &Path, text: &str) -> Result<(), Diagnostic> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| {
            Diagnostic::new(
                dir.display().to_string(),
                format!("cannot create the folder: {e}"),
                "check that the --out folder can be written",
            )
        })?;
    }
    write_atomically(path, text.as_bytes(), "price pack")
}

pub fn run_import(
    offer_file: &Path,
    region: Option<&str>,
    out_dir: Option<PathBuf>,
    pack: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), Diagnostics> {
    let k = Knowledge::load(pack)?;
    let src = SourceText::read(offer_file, "offer")?;
    let imported = page::import_either(&k, &src, region)?;
    let dir = out_dir.unwrap_or_else(|| PathBuf::from("."));
    let target = dir.join("prices").join(format!("{}.json", imported.region));
    let existing = SourceText::read(&target, "price pack")
        .ok()
        .and_then(|s| s.parse::<RegionPack>("a price pack").ok());
    let count = imported.prices.len();
    let pack_out = merged(existing, imported);
    let mut text = serde_json::to_string_pretty(&pack_out).unwrap_or_default();
    text.push('\n');
    write_atomic(&target, &text)?;
    let manifest = dir.join("manifest.json");
    if !manifest.exists() {
        let m = serde_json::json!({
            "name": format!("prices {}", pack_out.region),
            "version": pack_out.as_of.clone().unwrap_or_default(),
            "description": "Prices imported from AWS Price List offer files (statecraft prices import)",
            "mode": "overlay"
        });
        let mut t = serde_json::to_string_pretty(&m).unwrap_or_default();
        t.push('\n');
        write_atomic(&manifest, &t)?;
    }
    let _ = writeln!(
        out,
        "{} prices for {} ({}) as of {} written to {}",
        count,
        pack_out.name,
        pack_out.region,
        pack_out.as_of.clone().unwrap_or_default(),
        target.display()
    );
    Ok(())
}
