//! Where Statecraft may write and what it may read, when the folders it works in come from someone
//! else (a cloned repository, a downloaded file): a write replaces only a regular file, never a
//! named pipe, a device or a link that leads out of the folder the user named; a read refuses what
//! is not a regular file, and the system's own files (`/proc`, `/sys`, `/dev`), which may block or
//! never end. docs/SECURITY.md sets out the whole threat model.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

/// A named pipe, a socket, a device: what a path that is not a regular file or folder is.
pub fn special_kind(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
    }
    if file_type.is_dir() {
        return "a folder";
    }
    if file_type.is_symlink() {
        return "a symbolic link";
    }
    "a special file"
}

/// The folder a file is in (`.` for a bare name).
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The place to write `path` to, checked before anything is written. A missing file or a regular
/// file is written where it is; a symbolic link only when it leads to a regular file inside
/// `confine` (checked after resolving every link), and then the file it leads to is written, so the
/// link stays a link. A folder, a named pipe, a device, a socket, a dangling link or a link out of
/// `confine` is refused: replacing it would destroy something that is not a Statecraft output, or
/// write where the user did not ask.
pub fn write_target(path: &Path, confine: &Path, what: &str) -> Result<PathBuf, Diagnostic> {
    let name = path.display().to_string();
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(path.to_path_buf()),
        Err(e) => {
            return Err(Diagnostic::new(
                name,
                format!("cannot look at the {what} to replace: {e}"),
                "check the folder's permissions",
            ));
        }
    };
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(path.to_path_buf());
    }
    if kind.is_dir() {
        return Err(Diagnostic::new(
            name,
            format!("this is a folder; expected a file name to write the {what} to"),
            "name a file, like `decisions/0007-use-hybrid-stack.md`",
        ));
    }
    if !kind.is_symlink() {
        return Err(Diagnostic::new(
            name,
            format!(
                "this is {}, not a regular file; Statecraft replaces only regular files, so the {what} was not written",
                special_kind(&kind)
            ),
            "remove it or choose another path",
        ));
    }
    let refuse = |why: String| {
        Diagnostic::new(
            &name,
            format!("this is a symbolic link {why}; the {what} was not written through it"),
            "replace the link with the file itself, or name the real file",
        )
    };
    let real = std::fs::canonicalize(path)
        .map_err(|_| refuse("that leads nowhere (its target does not exist)".into()))?;
    let real_meta = std::fs::metadata(&real)
        .map_err(|_| refuse("that leads nowhere (its target does not exist)".into()))?;
    if !real_meta.is_file() {
        return Err(refuse(format!(
            "to {}, not a regular file",
            special_kind(&real_meta.file_type())
        )));
    }
    let inside = std::fs::canonicalize(confine)
        .ok()
        .is_some_and(|root| real.parent().is_some_and(|p| p.starts_with(&root)));
    if !inside {
        return Err(refuse(format!(
            "to `{}`, outside the folder `{}` it was asked to write in",
            real.display(),
            confine.display()
        )));
    }
    Ok(real)
}

/// The permissions a replacement of `path` gets: exactly those of the file it replaces, or `None`
/// for a new file (which gets 0666 less the umask). A temporary file is private (0600) by default;
/// left so, every save would make a shared README or record unreadable to the rest of the team.
pub fn kept_permissions(path: &Path) -> Option<std::fs::Permissions> {
    match std::fs::metadata(path) {
        Ok(existing) if existing.is_file() => Some(existing.permissions()),
        _ => None,
    }
}

/// A new file's permissions before the umask: 0666 on Unix, as `open` gives.
pub fn new_file_permissions() -> Option<std::fs::Permissions> {
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

/// Whether `path` is one of the system's own files (`/proc/kmsg`, `/sys/…`, `/dev/zero`): these
/// say they are regular files of size 0, or are devices, and reading them blocks or never ends.
pub fn is_system_file(path: &Path) -> bool {
    if !cfg!(unix) {
        return false;
    }
    let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    ["/proc", "/sys", "/dev"]
        .iter()
        .any(|root| real.starts_with(root))
}

/// `path` with every link resolved; a part that does not exist yet is taken as written, after the
/// nearest folder that does (`None` when such a part is `..`, which could lead anywhere once made).
fn resolved(path: &Path) -> Option<PathBuf> {
    let mut probe = path.to_path_buf();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(&probe) {
            if rest.iter().any(|p| p == ".." || p == ".") {
                return None;
            }
            return Some(rest.iter().rev().fold(real, |p, part| p.join(part)));
        }
        match (probe.file_name(), probe.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                probe = if parent.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    parent.to_path_buf()
                };
            }
            _ => return None,
        }
    }
}

/// Whether `inner`, once every link is resolved, is inside `root` (also resolved). Parts that do not
/// exist yet are judged by their nearest existing folder.
pub fn is_inside(inner: &Path, root: &Path) -> bool {
    match (resolved(inner), resolved(root)) {
        (Some(inner), Some(root)) => inner.starts_with(root),
        _ => false,
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_link_to_a_regular_file_inside_the_folder_is_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.md");
        std::fs::write(&real, "x").unwrap();
        let link = dir.path().join("README.md");
        std::os::unix::fs::symlink("real.md", &link).unwrap();
        let target = write_target(&link, dir.path(), "README").unwrap();
        assert_eq!(target, std::fs::canonicalize(&real).unwrap());
    }

    #[test]
    fn a_link_out_of_the_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::NamedTempFile::new().unwrap();
        let link = dir.path().join("README.md");
        std::os::unix::fs::symlink(outside.path(), &link).unwrap();
        let e = write_target(&link, dir.path(), "README").unwrap_err();
        assert!(e.message.contains("outside the folder"), "{e}");
    }

    #[test]
    fn a_path_not_yet_made_is_judged_by_its_nearest_folder() {
        let dir = tempfile::tempdir().unwrap();
        assert!(is_inside(&dir.path().join("prices/x.json"), dir.path()));
        assert!(!is_inside(&dir.path().join("../x.json"), dir.path()));
        assert!(!is_inside(Path::new("/etc/x.json"), dir.path()));
    }
}
