//! Writing a record under the next free number of a decisions folder, when several exports write
//! into the folder at once: the folder is locked (an advisory `flock` on the folder itself, so no
//! lock file is left behind) while the number is chosen and the record written, so each export gets
//! its own number and none fails.

use std::fs::File;
use std::path::{Path, PathBuf};

use super::super::diagnostic::{Diagnostic, Diagnostics};
use super::Record;
use super::write::{Written, next_file_name, write_record_with};

/// Writes `record` into `dir` as `NNNN-<slug>.md` with the next free number (its plots renamed to
/// match) and returns what was written and the number taken. The HTML copy goes to `html`, or beside
/// the record (`0007-use-hybrid-stack.html`) with `html_beside`; an existing HTML file is replaced
/// only with `overwrite_html`.
pub fn write_next(
    record: &Record,
    dir: &Path,
    html: Option<&Path>,
    html_beside: bool,
    overwrite_html: bool,
) -> Result<(Written, u32), Diagnostics> {
    write_next_with(record, dir, html, html_beside, overwrite_html, &|_, _| {
        Ok(Vec::new())
    })
}

/// Files replaced in the same set as a new record, given its number and file name.
pub type Also<'a> = &'a dyn Fn(u32, &str) -> Result<Vec<(PathBuf, Vec<u8>)>, Diagnostics>;

/// [`write_next`], with `also`: the files (of `dir`) to replace in the same set as the record, made
/// once its number is taken under the lock (a superseded record names the record that supersedes it).
pub fn write_next_with(
    record: &Record,
    dir: &Path,
    html: Option<&Path>,
    html_beside: bool,
    overwrite_html: bool,
    also: Also<'_>,
) -> Result<(Written, u32), Diagnostics> {
    let fail = |e: std::io::Error, what: &str| {
        Diagnostic::new(
            dir.display().to_string(),
            format!("cannot {what} the decisions folder: {e}"),
            "check the path and its permissions",
        )
    };
    std::fs::create_dir_all(dir).map_err(|e| fail(e, "create"))?;
    let folder = File::open(dir).map_err(|e| fail(e, "open"))?;
    folder.lock().map_err(|e| fail(e, "lock"))?;
    let name = next_file_name(dir, &record.slug())?;
    let number = super::folder::number_of(&name).unwrap_or(1);
    let path = dir.join(&name);
    let beside = path.with_extension("html");
    let html = html.or(html_beside.then_some(beside.as_path()));
    // the record's own name is new (the next number, under the lock); only an HTML path the
    // caller named can already exist, and `--force` says to replace it
    let written = also(number, &name)
        .and_then(|extra| write_record_with(record, &path, html, overwrite_html, extra));
    // the lock goes with the file handle, on success and on error alike
    drop(folder);
    Ok((written?, number))
}
