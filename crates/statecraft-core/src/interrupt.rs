//! What an interrupted run (Ctrl+C, SIGTERM) must undo, and how long work learns that it should
//! stop. The front end installs the signal handler; the domain only keeps the list of temporary
//! files it has not yet renamed into place, and a flag that long loops poll.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::diagnostic::Diagnostic;

/// Every temporary file (and journal) this process has made and not yet renamed or removed.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Where long work reports how far it is (the command line prints it once a run has taken more
/// than two seconds); none by default.
type ProgressFn = Box<dyn Fn(&str) + Send + Sync>;
static PROGRESS: Mutex<Option<ProgressFn>> = Mutex::new(None);

/// Installs (or removes) the progress reporter.
pub fn set_progress(report: Option<ProgressFn>) {
    *PROGRESS.lock().unwrap_or_else(PoisonError::into_inner) = report;
}

/// Tells the progress reporter, if any, how far long work is ("simulating scenario 3 of 20").
pub(crate) fn progress(message: &str) {
    if let Some(report) = PROGRESS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .as_ref()
    {
        report(message);
    }
}

/// Set once a stop has been asked for.
static STOP: AtomicBool = AtomicBool::new(false);

/// The list of pending temporary files. Writers hold it while they rename a set into place, so a
/// stop waits for the set to be whole.
pub(crate) fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Asks long work to stop (Monte Carlo runs, sweeps), as a Ctrl+C handler does.
pub fn request_stop() {
    STOP.store(true, Ordering::SeqCst);
}

/// The flag long work polls.
pub fn stop_flag() -> &'static AtomicBool {
    &STOP
}

pub fn stop_requested() -> bool {
    STOP.load(Ordering::SeqCst)
}

/// For a SIGINT/SIGTERM handler, just before the process exits: removes this process's temporary
/// files and keeps the lock, so that no rename starts after it. A set being renamed is finished
/// first (its writer holds the lock), so outputs are whole or absent.
pub fn abandon() {
    request_stop();
    let mut pending = pending();
    for path in pending.drain(..) {
        let _ = std::fs::remove_file(path);
    }
    std::mem::forget(pending);
}

/// The prefix of every temporary file Statecraft writes: `.statecraft-<pid>-`, so that a later run
/// can tell a file of a process that has died from one that another run is still writing.
pub const TEMP_PREFIX: &str = ".statecraft-";

pub(crate) fn temp_prefix() -> String {
    format!("{TEMP_PREFIX}{}-", std::process::id())
}

/// A temporary file in `folder`, named with `TEMP_PREFIX` and registered, so that a stop removes it;
/// `permissions` are those of the file it will replace, if any.
pub(crate) fn temp_file_in(
    folder: &Path,
    permissions: Option<std::fs::Permissions>,
) -> std::io::Result<tempfile::NamedTempFile> {
    let prefix = temp_prefix();
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // made as any new file is (0666 less the umask), then, when it replaces a file, given exactly
    // that file's mode (set after creation, so the umask does not narrow it)
    if let Some(new_file) = crate::safe_fs::new_file_permissions() {
        builder.permissions(new_file);
    }
    let mut pending = pending();
    let temp = builder.tempfile_in(folder)?;
    pending.push(temp.path().to_path_buf());
    if let Some(permissions) = permissions {
        temp.as_file().set_permissions(permissions)?;
    }
    Ok(temp)
}

/// Renames one registered temporary file into place, under the lock a stop waits for.
pub(crate) fn persist(
    temp: tempfile::NamedTempFile,
    path: &Path,
) -> Result<(), tempfile::PersistError> {
    let mut pending = pending();
    let temp_path = temp.path().to_path_buf();
    let result = temp.persist(path).map(|_| ());
    pending.retain(|p| p != &temp_path);
    result
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so that the
/// file at `path` is always either the complete old one or the complete new one. Only a regular file
/// is replaced (or, through a link, a regular file in the same folder: see
/// [`crate::safe_fs::write_target`]), and it keeps its permissions. Temporary files that a killed
/// run left in the folder are removed first.
pub fn write_atomically(path: &Path, bytes: &[u8], what: &str) -> Result<(), Diagnostic> {
    let name = path.display().to_string();
    let folder = crate::safe_fs::folder_of(path);
    let target = crate::safe_fs::write_target(path, &folder, what)?;
    let folder = crate::safe_fs::folder_of(&target);
    let fail = |e: &dyn std::fmt::Display| {
        Diagnostic::new(
            &name,
            format!("cannot save the {what}: {e}"),
            format!(
                "check that the folder `{}` exists and is writable, and that the disk has room",
                folder.display()
            ),
        )
    };
    remove_stale_temps(&folder);
    // named and registered like the record's temporary files, so Ctrl+C removes it and a later
    // run removes it if this one was killed
    let permissions = crate::safe_fs::kept_permissions(&target);
    let mut temp = temp_file_in(&folder, permissions).map_err(|e| fail(&e))?;
    temp.write_all(bytes).map_err(|e| fail(&e))?;
    temp.as_file().sync_all().map_err(|e| fail(&e))?;
    persist(temp, &target).map_err(|e| fail(&e.error))?;
    Ok(())
}

/// `.statecraft-<pid>-…` → the pid.
pub(crate) fn temp_owner(name: &str) -> Option<u32> {
    name.strip_prefix(TEMP_PREFIX)?
        .split('-')
        .next()?
        .parse()
        .ok()
}

/// Whether the process that made a temporary file may still be writing it.
pub(crate) fn owner_alive(pid: u32, path: &Path) -> bool {
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

/// The `.statecraft-<pid>-*.tmp` files in `folder` whose process is no longer running.
pub(crate) fn stale_temps(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let pid = temp_owner(&name)?;
            let path = e.path();
            (!owner_alive(pid, &path)).then_some(path)
        })
        .collect()
}

/// Removes the temporary files (`.tmp`, never a journal) of runs that were killed: a killed
/// `prices import` or `index` leaves one, and nothing else would ever clean it. A file of a process
/// still running is another run's work in progress and is left alone; `remove_file` on a link
/// removes the link, never what it points at.
pub fn remove_stale_temps(folder: &Path) {
    for path in stale_temps(folder)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "tmp"))
    {
        let _ = std::fs::remove_file(path);
    }
}
