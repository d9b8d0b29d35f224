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

    for (path, _) in &files {
        if path.is_dir() {
            return Err(Diagnostic::new(
                path.display().to_string(),
                "this is a folder; expected a file name to write",
                "name a file, like `decisions/0007-use-hybrid-stack.md`",
            )
            .into());
        }
    }
    if !overwrite {
        let existing: Vec<Diagnostic> = files
            .iter()
            .filter(|(path, _)| path.exists())
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

    // Temporary files left by a run that was killed are finished or removed first.
    let folders: Vec<PathBuf> = files.iter().map(|(path, _)| parent(path)).collect();
    recover_stale(&folders);

    // Every file complete on disk first…
    let mut staged = Vec::with_capacity(files.len());
    for (path, bytes) in &files {
        staged.push((path, stage(path, bytes)?));
        pause_for_tests();
    }
    // …then renamed into place, with the set written down first so that a run killed half-way
    // through the renames is finished by the next one. A signal handler that calls `abandon` waits
    // for this lock, so SIGINT/SIGTERM never splits the set either.
    let mut pending = crate::interrupt::pending();
    let journal = write_journal(&folder, &staged, &mut pending);
    let mut created: Vec<&PathBuf> = Vec::new();
    for (path, temp) in staged {
        let existed = path.exists();
        let temp_path = temp.path().to_path_buf();
        let result = if overwrite {
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

/// The journal of a set about to be renamed: each temporary file and its target, absolute.
#[derive(serde::Serialize, serde::Deserialize)]
struct Journal {
    renames: Vec<(PathBuf, PathBuf)>,
}

fn write_journal(
    folder: &Path,
    staged: &[(&PathBuf, tempfile::NamedTempFile)],
    pending: &mut Vec<PathBuf>,
) -> Option<PathBuf> {
    let absolute = |p: &Path| -> Option<PathBuf> {
        let dir = std::fs::canonicalize(parent(p)).ok()?;
        Some(dir.join(p.file_name()?))
    };
    let renames = staged
        .iter()
        .map(|(target, temp)| Some((absolute(temp.path())?, absolute(target)?)))
        .collect::<Option<Vec<_>>>()?;
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

/// `.statecraft-<pid>-…` → the pid.
fn temp_owner(name: &str) -> Option<u32> {
    name.strip_prefix(TEMP_PREFIX)?
        .split('-')
        .next()?
        .parse()
        .ok()
}

/// Whether the process that made a temporary file may still be writing it.
fn owner_alive(pid: u32, path: &Path) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        return Path::new("/proc").join(pid.to_string()).exists();
    }
    // elsewhere: a file untouched for ten minutes is stale
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_none_or(|age| age.as_secs() < 600)
}

/// Finishes the renames of a set whose run was killed half-way (its journal says which), then
/// removes every other temporary file of a run that is no longer running.
pub fn recover_stale(folders: &[PathBuf]) {
    let mut seen = std::collections::HashSet::new();
    let stale: Vec<PathBuf> = folders
        .iter()
        .filter(|f| seen.insert((*f).clone()))
        .filter_map(|f| std::fs::read_dir(f).ok())
        .flat_map(|entries| entries.filter_map(Result::ok))
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let pid = temp_owner(&name)?;
            let path = e.path();
            (!owner_alive(pid, &path)).then_some(path)
        })
        .collect();
    for journal in stale
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "journal"))
    {
        if let Some(j) = std::fs::read(journal)
            .ok()
            .and_then(|b| serde_json::from_slice::<Journal>(&b).ok())
        {
            for (temp, target) in j.renames {
                let is_ours = temp
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(TEMP_PREFIX));
                if is_ours && temp.exists() {
                    let _ = std::fs::rename(&temp, &target);
                }
            }
        }
        let _ = std::fs::remove_file(journal);
    }
    for path in &stale {
        let _ = std::fs::remove_file(path);
    }
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
    // the record gets the permissions of the file it replaces, or those of any new file
    let permissions = crate::interrupt::permissions_for(path);
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
            .filter_map(|name| record_number(&name))
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

/// `0007-use-hybrid-stack.md` → 7.
pub fn record_number(name: &str) -> Option<u32> {
    let stem = name.strip_suffix(".md")?;
    let (digits, rest) = stem.split_at(stem.find(|c: char| !c.is_ascii_digit())?);
    (digits.len() >= 3 && rest.starts_with('-'))
        .then(|| digits.parse().ok())
        .flatten()
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

        recover_stale(std::slice::from_ref(&folder));

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
        assert_eq!(record_number("0007-use-hybrid-stack.md"), Some(7));
        assert_eq!(record_number("0012-x.md"), Some(12));
        assert_eq!(
            record_number("0007-use-hybrid-stack-cost-vs-traffic.svg"),
            None
        );
        assert_eq!(record_number("README.md"), None);
        assert_eq!(record_number("12.md"), None);
    }
}
