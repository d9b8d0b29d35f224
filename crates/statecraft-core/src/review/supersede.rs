//! Superseding: a new record replaces record N. The new one links back ("Supersedes ADR-0001"); the
//! old one's status becomes `superseded by ADR-0002` and it gains a line linking forward. The old
//! record's evidence is left exactly as it was, so it still opens; its text hash is brought up to
//! date, since Statecraft itself made the edit.

use std::path::{Path, PathBuf};

use super::{number_of, record_files};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::export::text_hash;
use crate::project::write_atomically;

/// `ADR-0007`.
pub fn adr_id(number: u32) -> String {
    format!("ADR-{number:04}")
}

/// Record `number` in `dir`.
pub fn find(dir: &Path, number: u32) -> Result<PathBuf, Diagnostics> {
    let files = record_files(dir)?;
    files
        .iter()
        .find(|p| p.file_name().and_then(|n| n.to_str()).and_then(number_of) == Some(number))
        .cloned()
        .ok_or_else(|| {
            let have: Vec<String> = files
                .iter()
                .filter_map(|p| p.file_name().and_then(|n| n.to_str()))
                .filter(|n| number_of(n).is_some())
                .map(str::to_string)
                .collect();
            Diagnostic::new(
                dir.display().to_string(),
                format!(
                    "there is no record number {number} ({}) in this folder",
                    adr_id(number)
                ),
                if have.is_empty() {
                    "the folder has no numbered records; check --decisions-dir".to_string()
                } else {
                    format!("supersede one of: {}", have.join(", "))
                },
            )
            .into()
        })
}

const NOTE: &str = "> Superseded by ";

/// The old record's text with its status set to `superseded by ADR-NNNN`, a note linking to the
/// new record under its title, and (for a Statecraft record) its text hash renewed.
pub fn superseded_text(text: &str, new_number: u32, new_file: &str) -> String {
    let status = format!("superseded by {}", adr_id(new_number));
    let note = format!("{NOTE}[{}](<{new_file}>).", adr_id(new_number));
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let mut front_close = (lines.first().map(|l| l.trim_end()) == Some("---"))
        .then(|| {
            lines
                .iter()
                .skip(1)
                .position(|l| l.trim_end() == "---")
                .map(|i| i + 1)
        })
        .flatten();
    if let Some(close) = front_close {
        match (1..close).find(|&i| lines[i].starts_with("status:")) {
            Some(i) => lines[i] = format!("status: \"{status}\""),
            None => {
                lines.insert(1, format!("status: \"{status}\""));
                front_close = Some(close + 1);
            }
        }
    }
    let body_start = front_close.map_or(0, |c| c + 1);
    // a Nygard record says its status in the body too
    if let Some(i) = (body_start..lines.len()).find(|&i| lines[i].trim() == "## Status")
        && let Some(j) = (i + 1..lines.len()).find(|&j| !lines[j].trim().is_empty())
    {
        lines[j] = format!("Superseded by [{}](<{new_file}>)", adr_id(new_number));
    }
    // the note goes under the title, replacing an earlier one
    if let Some(old) = (body_start..lines.len()).find(|&i| lines[i].starts_with(NOTE)) {
        lines[old] = note;
    } else if let Some(title) = (body_start..lines.len()).find(|&i| lines[i].starts_with("# ")) {
        lines.insert(title + 1, String::new());
        lines.insert(title + 2, note);
    }
    let mut out = lines.join("\n");
    if let Some(close) = front_close {
        out = restamp(&out, close);
    }
    out
}

/// Renews the `text:` hash of a Statecraft record whose body Statecraft edited.
fn restamp(text: &str, close: usize) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let Some(open) = lines
        .iter()
        .rposition(|l| l.starts_with("<!-- statecraft-evidence:"))
    else {
        return text.to_string();
    };
    let Some(stamp) = (1..close).find(|&i| lines[i].starts_with("  text: ")) else {
        return text.to_string();
    };
    let body = lines[close + 1..open].join("\n");
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    out[stamp] = format!("  text: \"{}\"", text_hash(&body));
    out.join("\n")
}

/// Marks `old` superseded by record `new_number` in file `new_file`, atomically.
pub fn mark_superseded(old: &Path, new_number: u32, new_file: &str) -> Result<(), Diagnostics> {
    let text = std::fs::read_to_string(old).map_err(|e| {
        Diagnostic::new(
            old.display().to_string(),
            format!("cannot read the record to supersede: {e}"),
            "check the file and its permissions",
        )
    })?;
    let next = superseded_text(&text, new_number, new_file);
    write_atomically(old, next.as_bytes(), "superseded record")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nygard_record_by_hand_gets_its_status_and_a_link() {
        let text = "# 3. Use Postgres\n\n## Status\n\nAccepted\n\n## Context\n";
        let next = superseded_text(text, 9, "0009-use-aurora.md");
        assert_eq!(
            next,
            "# 3. Use Postgres\n\n> Superseded by [ADR-0009](<0009-use-aurora.md>).\n\n## Status\n\nSuperseded by [ADR-0009](<0009-use-aurora.md>)\n\n## Context\n"
        );
    }

    #[test]
    fn superseding_twice_keeps_one_note() {
        let text = "---\nstatus: accepted\n---\n# Title\n";
        let once = superseded_text(text, 2, "0002-a.md");
        let twice = superseded_text(&once, 3, "0003-b.md");
        assert_eq!(
            twice,
            "---\nstatus: \"superseded by ADR-0003\"\n---\n# Title\n\n> Superseded by [ADR-0003](<0003-b.md>).\n"
        );
    }
}
