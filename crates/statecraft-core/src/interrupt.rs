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

/// The permissions a file written to `path` gets: those of the file it replaces, or those of any
/// new file (0666 less the umask). A temporary file is private (0600) by default, and a record or
/// project renamed from one would stay unreadable to the rest of a team on a shared checkout.
pub(crate) fn permissions_for(path: &Path) -> Option<std::fs::Permissions> {
    match std::fs::metadata(path) {
        Ok(existing) => Some(existing.permissions()),
        Err(_) => new_file_permissions(),
    }
}

/// 0666 less the umask, as for any new file (elsewhere than Unix, the system's default).
fn new_file_permissions() -> Option<std::fs::Permissions> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(std::fs::Permissions::from_mode(0o666))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// A temporary file in `folder`, named with `TEMP_PREFIX` and registered, so that a stop removes it.
pub(crate) fn temp_file_in(
    folder: &Path,
    permissions: Option<std::fs::Permissions>,
) -> std::io::Result<tempfile::NamedTempFile> {
    let prefix = temp_prefix();
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    if let Some(permissions) = permissions {
        builder.permissions(permissions);
    }
    let mut pending = pending();
    let temp = builder.tempfile_in(folder)?;
    pending.push(temp.path().to_path_buf());
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
/// file at `path` is always either the complete old one or the complete new one.
pub fn write_atomically(path: &Path, bytes: &[u8], what: &str) -> Result<(), Diagnostic> {
    let name = path.display().to_string();
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
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
    // named and registered like the record's temporary files, so Ctrl+C removes it and a later
    // export removes it if the run was killed
    let mut temp = temp_file_in(&folder, permissions_for(path)).map_err(|e| fail(&e))?;
    temp.write_all(bytes).map_err(|e| fail(&e))?;
    temp.as_file().sync_all().map_err(|e| fail(&e))?;
    persist(temp, path).map_err(|e| fail(&e.error))?;
    Ok(())
}
