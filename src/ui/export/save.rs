//! Writing the record: to a file (an existing one only when the user said to replace it), or into
//! a decisions folder under its next number, as `statecraft export --decisions-dir` does; the
//! files a save would write, for the "replace?" question; and the name and folder a save starts at.

use std::path::{Path, PathBuf};

use super::ExportUi;
use crate::domain::decision::{self, Html, Target, Wrote};
use crate::ui::Notice;

/// Where a record is written.
#[derive(Clone, Debug, PartialEq)]
pub enum SaveTarget {
    /// This file; `replace` when the user said to replace the files there.
    File { path: PathBuf, replace: bool },
    /// This decisions folder, under its next number.
    Folder(PathBuf),
}

/// True when `path` names a folder: one that exists, or one typed with a trailing slash.
pub fn is_folder_target(path: &Path) -> bool {
    let text = path.as_os_str().to_string_lossy();
    path.is_dir() || text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR)
}

impl ExportUi {
    /// The HTML copy the "Also write an HTML copy" box asks for: beside the record.
    fn html_beside(&self) -> Html<'static> {
        if self.html { Html::Beside } else { Html::None }
    }

    /// Writes the record into the chosen decisions folder under the next number, marking the record
    /// it supersedes; the notice says what was written, and true when it was.
    pub fn write_into_folder(&mut self) -> (Notice, bool) {
        let Some(dir) = self.folder.clone() else {
            return (
                Notice::error(
                    "No decisions folder chosen",
                    "open one on the Decision log screen",
                ),
                false,
            );
        };
        let Some(record) = self.current_record() else {
            return (
                Notice::error(
                    "The decision record is not ready",
                    "it is still being built; write it again in a moment",
                ),
                false,
            );
        };
        match decision::write(record, Target::Folder(&dir), self.html_beside()) {
            Ok(Wrote { said, .. }) => {
                self.last_target = Some(dir);
                (Notice::info(said), true)
            }
            Err(e) => (
                Notice::error(
                    format!(
                        "Could not write into {} — nothing was written",
                        dir.display()
                    ),
                    e.to_string(),
                ),
                false,
            ),
        }
    }

    /// The save that waited for the record, once the record is built: what it wrote.
    pub fn finish_waiting_save(&mut self) -> Option<Notice> {
        if self.current_record().is_none() && !matches!(self.record, Some(Err(_))) {
            return None;
        }
        Some(match self.save_when_built.take()? {
            SaveTarget::File { path, replace } => self.save_record(&path, replace),
            SaveTarget::Folder(dir) => self.save_into_folder(&dir),
        })
    }

    /// The files a save to `path` writes: the record, its HTML copy when asked, and its plots
    /// (known once the record is built).
    pub fn files_for(&self, path: &Path) -> Vec<PathBuf> {
        let mut files = vec![path.to_path_buf()];
        if self.html {
            files.push(path.with_extension("html"));
        }
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if let Some(record) = self.current_record()
            && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
            && let Ok(renamed) = record.with_stem(stem)
        {
            files.extend(renamed.assets.iter().map(|a| folder.join(&a.file_name)));
        }
        files
    }

    /// The name the save dialog suggests: the next numbered record of the folder the last record
    /// went to (or of `folder`), as the command line names it.
    pub fn suggested_name(&self) -> String {
        match self.current_record() {
            Some(record) => {
                let folder = self.last_folder().unwrap_or_else(|| PathBuf::from("."));
                crate::domain::export::next_file_name(&folder, &record.slug())
                    .unwrap_or_else(|_| format!("0001-{}.md", record.slug()))
            }
            None => "decision-record.md".to_string(),
        }
    }

    /// The folder the last record was written to.
    pub fn last_folder(&self) -> Option<PathBuf> {
        self.last_target.as_ref().map(|t| {
            if is_folder_target(t) {
                t.clone()
            } else {
                t.parent().map(Path::to_path_buf).unwrap_or_default()
            }
        })
    }

    /// Writes the record into the decisions folder `dir` under its next number (creating the
    /// folder), marking the record it supersedes there; never replaces a file.
    pub fn save_into_folder(&mut self, dir: &Path) -> Notice {
        if let Some(Err(e)) = &self.record
            && self.pending.is_none()
        {
            return Notice::error("The decision record could not be built", e.clone());
        }
        let Some(record) = self.current_record() else {
            self.save_when_built = Some(SaveTarget::Folder(dir.to_path_buf()));
            return Notice::info(format!(
                "Building the decision record: it is written into {} as soon as it is ready",
                dir.display()
            ));
        };
        match decision::write(record, Target::Folder(dir), self.html_beside()) {
            Ok(Wrote { said, .. }) => {
                self.last_target = Some(dir.to_path_buf());
                Notice::info(said)
            }
            Err(e) => Notice::error(
                format!(
                    "Could not write into {} — nothing was written",
                    dir.display()
                ),
                e.to_string(),
            ),
        }
    }

    /// Writes the record to `path` (and the HTML beside it when asked); the notice says what was
    /// written or why nothing was. An existing file is replaced only with `replace` (the user said
    /// so). While the record is still being built, the save waits for it.
    pub fn save_record(&mut self, path: &Path, replace: bool) -> Notice {
        if let Some(Err(e)) = &self.record
            && self.pending.is_none()
        {
            return Notice::error("The decision record could not be built", e.clone());
        }
        let Some(record) = self.current_record() else {
            self.save_when_built = Some(SaveTarget::File {
                path: path.to_path_buf(),
                replace,
            });
            return Notice::info(format!(
                "Building the decision record: it is written to {} as soon as it is ready",
                path.display()
            ));
        };
        // the one writer the command line and the folder's "Write into" use too: a record that
        // supersedes another in this folder marks it so
        match decision::write(record, Target::File { path, replace }, self.html_beside()) {
            Ok(Wrote { said, .. }) => {
                self.last_target = Some(path.to_path_buf());
                Notice::info(said.replacen("Wrote ", "Wrote the decision record ", 1))
            }
            Err(e) => Notice::error(
                format!("Could not write {} — nothing was written", path.display()),
                e.to_string(),
            ),
        }
    }
}
