//! A decisions folder: which of its markdown files are records, and the number each one's name
//! starts with.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics};

/// The markdown files of a decisions folder that are records (not its README or index).
pub fn record_files(dir: &Path) -> Result<Vec<PathBuf>, Diagnostics> {
    let fail = |e: std::io::Error| {
        Diagnostic::new(
            dir.display().to_string(),
            format!("cannot read the decisions folder: {e}"),
            "name the folder that holds the decision records (docs/decisions, say)",
        )
    };
    let meta = std::fs::metadata(dir).map_err(fail)?;
    if !meta.is_dir() {
        return Err(Diagnostic::new(
            dir.display().to_string(),
            "this is not a folder",
            "name the folder that holds the decision records (docs/decisions, say)",
        )
        .into());
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(fail)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md")))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            !name.starts_with('.')
                && !matches!(
                    name.to_ascii_lowercase().as_str(),
                    "readme.md" | "index.md" | "template.md" | "adr-template.md"
                )
        })
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    Ok(files)
}

/// Every entry of a decisions folder named like a record (`*.md`, not its README or index), whatever
/// it is: `statecraft review` reports a named pipe, a dangling link or a folder among them as
/// unreadable instead of leaving it out.
pub fn record_entries(dir: &Path) -> Result<Vec<PathBuf>, Diagnostics> {
    let fail = |e: std::io::Error| {
        Diagnostic::new(
            dir.display().to_string(),
            format!("cannot read the decisions folder: {e}"),
            "name the folder that holds the decision records (docs/decisions, say)",
        )
    };
    record_files(dir)?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(fail)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| is_record_name(p))
        .collect();
    files.sort();
    Ok(files)
}

fn is_record_name(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"))
        && !name.starts_with('.')
        && !matches!(
            name.to_ascii_lowercase().as_str(),
            "readme.md" | "index.md" | "template.md" | "adr-template.md"
        )
}

/// The number a record's file name starts with: `0007-use-hybrid-stack.md` → 7 (the rule the
/// next number is chosen by).
/// A record's number from its file name, `0007-use-hybrid-stack.md` → 7: the one place a record's
/// number is read (numbering, superseding, reviewing and the decision log all ask here).
pub fn number_of(name: &str) -> Option<u32> {
    let stem = name.strip_suffix(".md")?;
    let (digits, rest) = stem.split_at(stem.find(|c: char| !c.is_ascii_digit())?);
    (digits.len() >= 3 && rest.starts_with('-'))
        .then(|| digits.parse().ok())
        .flatten()
}
