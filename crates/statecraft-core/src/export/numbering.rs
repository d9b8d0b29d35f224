//! Writing a record under the next free number of a decisions folder, when several exports write
//! into the folder at once: the folder is locked (an advisory `flock` on the folder itself, so no
//! lock file is left behind) while the number is chosen and the record written, so each export gets
//! its own number and none fails.

use std::fs::File;
use std::path::Path;

use super::super::diagnostic::{Diagnostic, Diagnostics};
use super::Record;
use super::write::{Written, next_file_name, write_record};

/// Writes `record` into `dir` as `NNNN-<slug>.md` with the next free number (its plots renamed to
/// match) and returns what was written and the number taken. The HTML copy goes to `html`, or beside
/// the record (`0007-use-hybrid-stack.html`) with `html_beside`.
pub fn write_next(
    record: &Record,
    dir: &Path,
    html: Option<&Path>,
    html_beside: bool,
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
    let number = name
        .split('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let path = dir.join(&name);
    let beside = path.with_extension("html");
    let html = html.or(html_beside.then_some(beside.as_path()));
    let written = write_record(record, &path, html, false);
    // the lock goes with the file handle, on success and on error alike
    drop(folder);
    Ok((written?, number))
}
