//! Writing a record and the files beside it without ever leaving a half-written one: each file goes
//! to a temporary file in its own folder and is renamed into place only once every file is complete.
//! An existing record is kept unless the caller asks to replace it; the plots go first and the record
//! last, so a record never links to a plot that is not there.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::super::diagnostic::{Diagnostic, Diagnostics};
use super::Record;

/// What `write_record` wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    pub record: PathBuf,
    pub assets: Vec<PathBuf>,
    pub html: Option<PathBuf>,
}

/// Writes `record` to `out` (its plots beside it, named after `out`), and the HTML to `html` when
/// given. Refuses to replace an existing file unless `overwrite`.
pub fn write_record(
    record: &Record,
    out: &Path,
    html: Option<&Path>,
    overwrite: bool,
) -> Result<Written, Diagnostics> {
    write_record_with(record, out, html, overwrite, Vec::new())
}

/// [`write_record`], with `also`: files of the record's folder that are replaced in the same set
/// (the record a new one supersedes), so that either every file is written or none is.
pub fn write_record_with(
    record: &Record,
    out: &Path,
    html: Option<&Path>,
    overwrite: bool,
    also: Vec<(PathBuf, Vec<u8>)>,
) -> Result<Written, Diagnostics> {
    let stem = out
        .file_stem()
        .and_then(|s| s.to_str())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            Diagnostic::new(
                out.display().to_string(),
                "the record's file name is empty or not valid UTF-8",
                "name the record like `0007-use-hybrid-stack.md`",
            )
        })?;
    let renamed;
    let record = if stem == record.stem {
        record
    } else {
        renamed = record.with_stem(stem)?;
        &renamed
    };
    let folder = parent(out);
    let mut files: Vec<(PathBuf, Vec<u8>)> = record
        .assets
        .iter()
        .map(|a| (folder.join(&a.file_name), a.svg.clone().into_bytes()))
        .collect();
    if let Some(html) = html {
        files.push((html.to_path_buf(), record.to_html().into_bytes()));
    }
    files.push((out.to_path_buf(), record.markdown.clone().into_bytes()));

    if !overwrite {
        let existing: Vec<Diagnostic> = files
            .iter()
            .filter(|(path, _)| std::fs::symlink_metadata(path).is_ok())
            .map(|(path, _)| {
                Diagnostic::new(
                    path.display().to_string(),
                    "the file already exists and was left as it is",
                    "pass --force to replace it, or choose another --out (with --decisions-dir the next number is taken for you)",
                )
            })
            .collect();
        if !existing.is_empty() {
            return Err(Diagnostics(existing));
        }
    }
    // the files the user asked to replace must be what a record replaces: regular files, or links to
    // one inside the same folder (written through); never a pipe, a device or a link out
    let mut files: Vec<(PathBuf, Vec<u8>, bool)> = files
        .into_iter()
        .map(|(path, bytes)| (path, bytes, false))
        .chain(also.into_iter().map(|(path, bytes)| (path, bytes, true)))
        .collect();
    let mut problems = Diagnostics::default();
    for (path, _, _) in &mut files {
        match crate::safe_fs::write_target(path, &parent(path), "record") {
            Ok(target) => *path = target,
            Err(d) => problems.push(d),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    // Temporary files left by a run that was killed are finished or removed first.
    let folders: Vec<PathBuf> = files.iter().map(|(path, _, _)| parent(path)).collect();
    recover_stale(&folders)?;

    // Every file complete on disk first…
    let mut staged = Vec::with_capacity(files.len());
    for (path, bytes, replace) in &files {
        staged.push((path, stage(path, bytes)?, *replace));
        pause_for_tests();
    }
    // …then renamed into place, with the set written down first so that a run killed half-way
    // through the renames is finished by the next one. A signal handler that calls `abandon` waits
    // for this lock, so SIGINT/SIGTERM never splits the set either.
    let mut pending = crate::interrupt::pending();
    let journal = write_journal(&folder, &staged, &mut pending);
    let mut created: Vec<&PathBuf> = Vec::new();
    for (path, temp, replace) in staged {
        let existed = path.exists();
        let temp_path = temp.path().to_path_buf();
        let result = if overwrite || replace {
            temp.persist(path).map(|_| ())
        } else {
            temp.persist_noclobber(path).map(|_| ())
        };
        pending.retain(|p| p != &temp_path);
        if let Err(e) = result {
            for p in created {
                let _ = std::fs::remove_file(p);
            }
            if let Some(journal) = &journal {
                let _ = std::fs::remove_file(journal);
            }
            let message = if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                "the file appeared while the record was being written and was left as it is"
                    .to_string()
            } else {
                format!("cannot write the file: {}", e.error)
            };
            return Err(Diagnostic::new(
                path.display().to_string(),
                message,
                "check that the folder is writable, then export again",
            )
            .into());
        }
        if !existed {
            created.push(path);
        }
        pause_for_tests();
    }
    if let Some(journal) = &journal {
        let _ = std::fs::remove_file(journal);
        pending.retain(|p| p != journal);
    }
    drop(pending);
    Ok(Written {
        record: out.to_path_buf(),
        assets: record
            .assets
            .iter()
            .map(|a| folder.join(&a.file_name))
            .collect(),
        html: html.map(Path::to_path_buf),
    })
}

/// `STATECRAFT_WRITE_PAUSE_MS` (at most a second) slows each step of a write, so that a test can
/// interrupt an export while it stages and while it renames, not only before or after.
fn pause_for_tests() {
    if let Some(ms) = std::env::var("STATECRAFT_WRITE_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms.min(1_000)));
    }
}

pub use crate::interrupt::TEMP_PREFIX;
use crate::interrupt::temp_prefix;

/// The journal of a set about to be renamed: each temporary file and its target, by base name in
/// the journal's own folder. A journal is data a cloned repository can carry, so a later run follows
/// one only if every entry is a base name (an older Statecraft wrote absolute paths: those are taken
/// only when they name the journal's own folder), every temporary file is one of the journal's own
/// process (`.statecraft-<pid>-….tmp`, a regular file) and no target is a Statecraft temporary file.
#[derive(serde::Serialize, serde::Deserialize)]
struct Journal {
    renames: Vec<(PathBuf, PathBuf)>,
}

fn write_journal(
    folder: &Path,
    staged: &[(&PathBuf, tempfile::NamedTempFile, bool)],
    pending: &mut Vec<PathBuf>,
) -> Option<PathBuf> {
    let home = std::fs::canonicalize(folder).ok()?;
    let in_folder = |p: &Path| -> Option<PathBuf> {
        let dir = std::fs::canonicalize(parent(p)).ok()?;
        (dir == home).then_some(())?;
        Some(PathBuf::from(p.file_name()?))
    };
    // a file in another folder (an HTML copy named elsewhere) is renamed, but not journaled: a
    // journal names only files beside it
    let renames: Vec<(PathBuf, PathBuf)> = staged
        .iter()
        .filter_map(|(target, temp, _)| Some((in_folder(temp.path())?, in_folder(target)?)))
        .collect();
    let text = serde_json::to_vec(&Journal { renames }).ok()?;
    let path = folder.join(format!("{}commit.journal", temp_prefix()));
    // the journal itself appears whole or not at all
    let mut temp = tempfile::Builder::new()
        .prefix(&temp_prefix())
        .suffix(".tmp")
        .tempfile_in(folder)
        .ok()?;
    temp.write_all(&text).ok()?;
    temp.as_file().sync_all().ok()?;
    temp.persist(&path).ok()?;
    pending.push(path.clone());
    Some(path)
}

use crate::interrupt::{stale_temps, temp_owner};

/// Journals are a few hundred bytes; a larger one was not written by Statecraft.
const MAX_JOURNAL_BYTES: u64 = 64 * 1024;

/// The renames a journal asks for, as paths in `folder`, or why it is not to be followed.
fn trusted_renames(journal: &Path, folder: &Path) -> Result<Vec<(PathBuf, PathBuf)>, String> {
    let meta = std::fs::symlink_metadata(journal).map_err(|e| e.to_string())?;
    if !meta.is_file() || meta.len() > MAX_JOURNAL_BYTES {
        return Err(format!(
            "it is {} of {} bytes, not a journal Statecraft writes",
            crate::safe_fs::special_kind(&meta.file_type()).replace("a special file", "a file"),
            meta.len()
        ));
    }
    let bytes = std::fs::read(journal).map_err(|e| e.to_string())?;
    let j: Journal = serde_json::from_slice(&bytes)
        .map_err(|_| "it is not the JSON a Statecraft journal holds".to_string())?;
    let owner = journal
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(temp_owner);
    let home = std::fs::canonicalize(folder).map_err(|e| e.to_string())?;
    let base = |p: &Path| -> Result<String, String> {
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .filter(|n| *n != ".." && *n != ".")
            .ok_or_else(|| format!("it names `{}`, which is not a file name", p.display()))?;
        let dir = p.parent().unwrap_or(Path::new(""));
        if !dir.as_os_str().is_empty() && dir != home {
            return Err(format!(
                "it names `{}`, outside its own folder",
                p.display()
            ));
        }
        Ok(name.to_string())
    };
    let mut out = Vec::with_capacity(j.renames.len());
    for (temp, target) in &j.renames {
        let (temp_name, target_name) = (base(temp)?, base(target)?);
        if temp_owner(&temp_name) != owner || !temp_name.ends_with(".tmp") {
            return Err(format!(
                "it would rename `{temp_name}`, which is not a temporary file of the run that wrote the journal"
            ));
        }
        if target_name.starts_with(TEMP_PREFIX) {
            return Err(format!(
                "it would rename a file over `{target_name}`, a Statecraft temporary file"
            ));
        }
        out.push((folder.join(temp_name), folder.join(target_name)));
    }
    Ok(out)
}

/// Finishes the renames of a set whose run was killed half-way (its journal says which), then
/// removes every other temporary file of a run that is no longer running. A journal that names
/// anything but its own run's temporary files and their targets beside it is refused, whole: it
/// was not written by Statecraft, and following it could rename a file over any path.
pub fn recover_stale(folders: &[PathBuf]) -> Result<(), Diagnostic> {
    let mut seen = std::collections::HashSet::new();
    let mut stale: Vec<(PathBuf, PathBuf)> = Vec::new();
    for folder in folders.iter().filter(|f| seen.insert((*f).clone())) {
        stale.extend(stale_temps(folder).into_iter().map(|p| (folder.clone(), p)));
    }
    for (folder, journal) in stale
        .iter()
        .filter(|(_, p)| p.extension().is_some_and(|e| e == "journal"))
    {
        let renames = trusted_renames(journal, folder).map_err(|why| {
            Diagnostic::new(
                journal.display().to_string(),
                format!(
                    "this commit journal was not written by Statecraft and was not followed: {why}"
                ),
                "remove the file (a journal of a killed Statecraft run names only its own temporary files and the records beside it), then run the command again",
            )
        })?;
        for (temp, target) in renames {
            let temp_is_file = std::fs::symlink_metadata(&temp).is_ok_and(|m| m.is_file());
            let target_ok = crate::safe_fs::write_target(&target, folder, "record").is_ok();
            if temp_is_file && target_ok {
                let _ = std::fs::rename(&temp, &target);
            }
        }
        let _ = std::fs::remove_file(journal);
    }
    for (_, path) in &stale {
        let _ = std::fs::remove_file(path);
    }
    Ok(())
}

fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A complete temporary copy of the file, in the folder it will be renamed into.
fn stage(path: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile, Diagnostic> {
    let folder = parent(path);
    let fail = |e: std::io::Error| {
        let message = if e.kind() == std::io::ErrorKind::NotFound {
            format!("the folder `{}` does not exist", folder.display())
        } else {
            format!("cannot write the file: {e}")
        };
        Diagnostic::new(
            path.display().to_string(),
            message,
            "create the folder or choose another path, then export again",
        )
    };
    // A temporary file is private (0600) by default; the record gets the permissions of the file it
    // replaces, or those of any new file (0666 less the umask).
    let permissions = crate::safe_fs::kept_permissions(path);
    let mut temp = crate::interrupt::temp_file_in(&folder, permissions).map_err(fail)?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(fail)?;
    Ok(temp)
}

/// The next record name in a decisions folder: one more than the highest `NNNN-*.md` there
/// (`0001` in an empty or missing folder), then the slug.
pub fn next_file_name(decisions_dir: &Path, slug: &str) -> Result<String, Diagnostic> {
    let highest = match std::fs::read_dir(decisions_dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().into_string().ok())
            .filter_map(|name| super::folder::number_of(&name))
            .max()
            .unwrap_or(0),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
        Err(e) => {
            return Err(Diagnostic::new(
                decisions_dir.display().to_string(),
                format!("cannot read the decisions folder: {e}"),
                "check the folder's permissions",
            ));
        }
    };
    Ok(format!("{:04}-{slug}.md", highest + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Above any Linux pid_max (2^22), so never a live process.
    const DEAD_PID: u32 = 4_194_305;

    #[test]
    fn a_set_whose_run_was_killed_mid_rename_is_finished_by_the_next_run() {
        let dir = tempfile::tempdir().expect("temp dir");
        let folder = std::fs::canonicalize(dir.path()).expect("canonical");
        let temp_md = folder.join(format!("{TEMP_PREFIX}{DEAD_PID}-a.tmp"));
        let temp_svg = folder.join(format!("{TEMP_PREFIX}{DEAD_PID}-b.tmp"));
        std::fs::write(&temp_md, "new record").expect("write");
        // the plot was renamed already; the record was not
        std::fs::write(folder.join("0001-x-plot.svg"), "new plot").expect("write");
        let journal = Journal {
            renames: vec![
                (temp_svg, folder.join("0001-x-plot.svg")),
                (temp_md.clone(), folder.join("0001-x.md")),
            ],
        };
        std::fs::write(
            folder.join(format!("{TEMP_PREFIX}{DEAD_PID}-commit.journal")),
            serde_json::to_vec(&journal).expect("json"),
        )
        .expect("write");
        let stray = folder.join(format!("{TEMP_PREFIX}{DEAD_PID}-half-written.tmp"));
        std::fs::write(&stray, "half").expect("write");
        let live = folder.join(format!("{TEMP_PREFIX}{}-mine.tmp", std::process::id()));
        std::fs::write(&live, "still being written").expect("write");

        recover_stale(std::slice::from_ref(&folder)).expect("a journal of its own");

        assert_eq!(
            std::fs::read_to_string(folder.join("0001-x.md")).expect("the record"),
            "new record"
        );
        assert_eq!(
            std::fs::read_to_string(folder.join("0001-x-plot.svg")).expect("the plot"),
            "new plot"
        );
        let mut left: Vec<String> = std::fs::read_dir(&folder)
            .expect("read")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .collect();
        left.sort();
        // a live run's temporary file is left alone
        assert_eq!(
            left,
            vec![
                format!("{TEMP_PREFIX}{}-mine.tmp", std::process::id()),
                "0001-x-plot.svg".to_string(),
                "0001-x.md".to_string()
            ]
        );
    }

    #[test]
    fn record_numbers_come_from_adr_file_names() {
        assert_eq!(
            crate::export::folder::number_of("0007-use-hybrid-stack.md"),
            Some(7)
        );
        assert_eq!(crate::export::folder::number_of("0012-x.md"), Some(12));
        assert_eq!(
            crate::export::folder::number_of("0007-use-hybrid-stack-cost-vs-traffic.svg"),
            None
        );
        assert_eq!(crate::export::folder::number_of("README.md"), None);
        assert_eq!(crate::export::folder::number_of("12.md"), None);
    }
}
