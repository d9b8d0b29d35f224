//! The one writer of a decision record: the command line's `export`, the app's Save and its "Write
//! into" a decisions folder all write through [`write`].

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::export::{self, Record};

/// Where [`write`] puts a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target<'a> {
    /// A decisions folder, under its next number (`0007-use-hybrid-stack.md`), taken under a lock so
    /// parallel writers each get their own.
    Folder(&'a Path),
    /// This file; one that exists is replaced only with `replace` (the user said so). The plots
    /// are named after it.
    File { path: &'a Path, replace: bool },
}

/// The HTML copy [`write`] writes with the record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Html<'a> {
    None,
    /// Beside the record, under its name with `.html`.
    Beside,
    /// At this path; one that exists is replaced only with `replace`.
    At {
        path: &'a Path,
        replace: bool,
    },
}

/// What [`write`] wrote.
#[derive(Clone, Debug, PartialEq)]
pub struct Wrote {
    pub written: export::Written,
    /// The record's number, when its file name has one.
    pub number: Option<u32>,
    /// The record it marked superseded.
    pub superseded: Option<PathBuf>,
    /// A sentence for the user: what was written, and what was superseded or left as it was.
    pub said: String,
}

/// Writes `record` — the one writer of a record, for the command line's `export`, the app's Save and
/// its "Write into" a decisions folder: the record, its plots and its HTML copy in one set with
/// the record it supersedes (in the same folder) marked so, markdown and HTML, or none of them.
pub fn write(record: &Record, target: Target<'_>, html: Html<'_>) -> Result<Wrote, Diagnostics> {
    let folder = match target {
        Target::Folder(dir) => dir.to_path_buf(),
        Target::File { path, .. } => match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        },
    };
    // the superseded record is a file name in the folder, never a path: the file named is rewritten
    let old = record
        .data
        .supersedes
        .as_ref()
        .filter(|link| !link.file.contains(['/', '\\']) && !link.file.starts_with('.'))
        .map(|link| (link, folder.join(&link.file)))
        .filter(|(_, old)| old.is_file());
    let also = |number: u32, file: &str| match &old {
        Some((_, path)) => export::supersede::superseded_files(path, number, file),
        None => Ok(Vec::new()),
    };
    let (html_at, html_beside, replace_html) = match html {
        Html::None => (None, false, false),
        Html::Beside => (None, true, false),
        Html::At { path, replace } => (Some(path), false, replace),
    };
    let (written, number) = match target {
        Target::Folder(dir) => {
            let (written, number) =
                export::write_next_with(record, dir, html_at, html_beside, replace_html, &also)?;
            (written, Some(number))
        }
        Target::File { path, replace } => {
            let name = path
                .file_name()
                .and_then(|f| f.to_str())
                .unwrap_or_default();
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .filter(|s| !s.is_empty())
                .unwrap_or("decision-record");
            let number = export::folder::number_of(name);
            let extra = match (&old, number) {
                (Some((link, old_path)), Some(n)) => {
                    if n == link.number || same_file(old_path, path) {
                        return Err(export::supersede::self_supersede(old_path, link.number));
                    }
                    also(n, name)?
                }
                (Some(_), None) => {
                    return Err(Diagnostic::new(
                        path.display().to_string(),
                        "the record's file name has no number to supersede with, so nothing was written",
                        "write superseding records into a decisions folder (--decisions-dir), or name them `NNNN-title.md`",
                    )
                    .into());
                }
                _ => Vec::new(),
            };
            // the plots are named after the file
            let named = record.with_stem(stem)?;
            let beside = path.with_extension("html");
            let html = html_at.or(html_beside.then_some(beside.as_path()));
            let written =
                export::write_record_with(&named, path, html, replace || replace_html, extra)?;
            (written, number)
        }
    };
    let mut said = format!("Wrote {}", written.record.display());
    if let Some(html) = &written.html {
        said += &format!(" and {}", html.display());
    }
    let superseded = match (&record.data.supersedes, &old, number) {
        (Some(link), Some((_, path)), Some(n)) => {
            said += &format!(
                " and marked {} superseded by {}",
                link.id,
                export::supersede::adr_id(n)
            );
            Some(path.clone())
        }
        (Some(link), None, _) => {
            said += &format!(
                "; {} is not in that folder, so it was left as it is",
                link.file
            );
            None
        }
        _ => None,
    };
    Ok(Wrote {
        written,
        number,
        superseded,
        said,
    })
}

/// Whether two paths name one file (the second may not exist yet).
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
