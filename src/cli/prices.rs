//! `statecraft prices import --offer FILE.json [--out DIR]`: an AWS Price List offer file into a
//! region's price pack, written to `DIR/prices/<region>.json` (a knowledge pack `--knowledge DIR`
//! then uses). Nothing is written on failure; the pack is written whole or not at all, only when the
//! loader accepts it, never outside `DIR`, and never over a pack that does not load unless `--force`.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::domain::bill::page;
use crate::domain::diagnostic::{Diagnostic, Diagnostics, shown};
use crate::domain::json_source::SourceText;
use crate::domain::knowledge::regions::{check_pack, is_region_code};
use crate::domain::knowledge::{Knowledge, RegionPack};
use crate::domain::project::write_atomically;
use crate::domain::safe_fs::is_inside;

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

/// `DIR/prices/<region>.json`, once the region code is known to be one (letters, digits and `-`
/// only: an offer file's `regionCode` is data, and `../` or `/` in it must never become a path) and
/// the `prices` folder, links resolved, is inside `DIR`.
fn pack_path(dir: &Path, offer_name: &str, region: &str) -> Result<PathBuf, Diagnostic> {
    if !is_region_code(region) {
        return Err(Diagnostic::new(
            offer_name,
            format!(
                "the offer's region code `{region}` is not an AWS region code (lowercase letters and digits joined by `-`, such as `eu-west-1`), so no pack was written"
            ),
            "download the offer file of one region from the AWS Price List API; its products' `regionCode` is a code such as `eu-west-1`",
        ));
    }
    let folder = dir.join("prices");
    if !is_inside(&folder, dir) {
        return Err(Diagnostic::new(
            folder.display().to_string(),
            format!(
                "this folder leads outside the --out folder `{}` (a symbolic link), so no pack was written",
                dir.display()
            ),
            "make `prices` a real folder inside the pack, or name another --out",
        ));
    }
    Ok(folder.join(format!("{region}.json")))
}

/// The pack already at `target`: none, or one the loader accepts. A file there that does not load
/// is refused unless `force`: merging into it would silently drop every price it held.
fn existing_pack(
    k: &Knowledge,
    target: &Path,
    force: bool,
) -> Result<Option<RegionPack>, Diagnostics> {
    if std::fs::symlink_metadata(target).is_err() {
        return Ok(None);
    }
    let loaded = SourceText::read(target, "price pack")
        .map_err(Diagnostics::from)
        .and_then(|src| check_pack(k, &src));
    match loaded {
        Ok(pack) => Ok(Some(pack)),
        Err(_) if force => Ok(None),
        Err(problems) => {
            let mut out = Diagnostics::from(Diagnostic::new(
                target.display().to_string(),
                "the price pack already here does not load, so it was left as it is and nothing was written (merging into it would drop its prices)",
                "fix the pack (its problems follow), or pass --force to replace it with the imported prices alone",
            ));
            out.0.extend(problems.0);
            Err(out)
        }
    }
}

pub fn run_import(
    offer_file: &Path,
    region: Option<&str>,
    out_dir: Option<PathBuf>,
    force: bool,
    pack: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), Diagnostics> {
    let k = Knowledge::load(pack)?;
    let src = SourceText::read(offer_file, "offer")?;
    let imported = page::import_either(&k, &src, region)?;
    let dir = out_dir.unwrap_or_else(|| PathBuf::from("."));
    let target = pack_path(&dir, &src.name, &imported.region)?;
    // two imports into one pack at once would each merge into the pack as it was and the second
    // rename would drop the first's prices: the folder is locked while the pack is read and written
    let folder = target.parent().map(Path::to_path_buf).unwrap_or_default();
    std::fs::create_dir_all(&folder).map_err(|e| {
        Diagnostic::new(
            folder.display().to_string(),
            format!("cannot create the folder: {e}"),
            "check that the --out folder can be written",
        )
    })?;
    let lock = std::fs::File::open(&folder).and_then(|f| f.lock().map(|()| f));
    let _lock = lock.map_err(|e| {
        Diagnostic::new(
            folder.display().to_string(),
            format!("cannot lock the folder: {e}"),
            "check the folder's permissions",
        )
    })?;
    let existing = existing_pack(&k, &target, force)?;
    let count = imported.prices.len();
    let pack_out = merged(existing, imported);
    let mut text = serde_json::to_string_pretty(&pack_out).unwrap_or_default();
    text.push('\n');
    // written only if the loader accepts it: a price that overflowed (`"1e308"` per unit becomes
    // infinity, which JSON writes as null), overlapping tiers, a region code it refuses
    let written = SourceText::new(target.display().to_string(), text.clone());
    if let Err(problems) = check_pack(&k, &written) {
        let mut out = Diagnostics::from(Diagnostic::new(
            &src.name,
            format!(
                "the price pack this offer makes would not load, so nothing was written to {}",
                target.display()
            ),
            "check the offer file's prices (its problems follow, as they would be in the pack)",
        ));
        out.0.extend(problems.0);
        return Err(out);
    }
    write_atomic(&target, &text)?;
    let manifest = dir.join("manifest.json");
    if std::fs::symlink_metadata(&manifest).is_err() {
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
        shown(&pack_out.name),
        pack_out.region,
        shown(&pack_out.as_of.clone().unwrap_or_default()),
        target.display()
    );
    Ok(())
}
