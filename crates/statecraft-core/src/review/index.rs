//! `statecraft index DIR`: the decision log as a table in `DIR/README.md` — number, title, status,
//! date, archetype, stack, monthly cost and the review's verdict — the overview adr-tools'
//! `generate toc` and log4brains give a team. The table sits between two marker comments, so a
//! README the team wrote keeps its own text and only the table is regenerated in place.

use std::path::{Path, PathBuf};

use super::{ReviewReport, Verdict};
use crate::diagnostic::Diagnostic;
use crate::export::escape_markdown;
use crate::format;
use crate::interrupt::write_atomically;
use crate::json_source::SourceText;

const START: &str = "<!-- statecraft-index:start (written by `statecraft index`; edits between these markers are replaced) -->";
const END: &str = "<!-- statecraft-index:end -->";

/// The decision log's table, between its markers.
pub fn decision_log(report: &ReviewReport) -> String {
    let mut out = format!("{START}\n\n");
    out += "| No. | Decision | Status | Date | Archetype | Stack | Monthly cost | Review |\n";
    out += "| ---: | --- | --- | --- | --- | --- | ---: | --- |\n";
    for r in &report.records {
        let number = r
            .number
            .map_or_else(|| "—".to_string(), |n| format!("{n:04}"));
        let title = if r.title.is_empty() {
            r.file.clone()
        } else {
            r.title.clone()
        };
        let cell = |s: &str| {
            if s.is_empty() {
                "—".to_string()
            } else {
                escape_markdown(s)
            }
        };
        let verdict = match r.verdict {
            Verdict::Drifted => format!(
                "**drifted**: {}",
                escape_markdown(
                    &r.changes
                        .iter()
                        .filter(|c| c.drift)
                        .map(|c| c.what.clone())
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            ),
            other => other.as_str().to_string(),
        };
        out += &format!(
            "| {number} | [{}](<{}>) | {} | {} | {} | {} | {} | {verdict} |\n",
            escape_markdown(&title),
            link_target(&r.file),
            cell(&r.status),
            cell(&r.date),
            cell(r.archetype.as_deref().unwrap_or_default()),
            cell(
                r.stack_name
                    .as_deref()
                    .or(r.stack.as_deref())
                    .unwrap_or_default()
            ),
            r.monthly_usd.map_or_else(|| "—".to_string(), format::usd),
        );
    }
    out += &format!("\n{END}\n");
    out
}

/// A file name as a markdown link target `<…>`: a name is data (a cloned repository chooses it), so
/// what would end the link, the cell or the line (`>`, `<`, `|`, a newline, a backslash) is
/// percent-encoded, which a markdown link resolves back to the same file.
fn link_target(file: &str) -> String {
    let mut out = String::with_capacity(file.len());
    for c in file.chars() {
        match c {
            '<' | '>' | '|' | '\\' | '%' | '`' | '[' | ']' | '(' | ')' => {
                out += &format!("%{:02X}", c as u32)
            }
            c if c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out += &format!("%{b:02X}");
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// The README with the log put in place: a new file with a heading, the old table replaced, or the
/// table added at the end of a README the team wrote.
pub fn merge(existing: Option<&str>, log: &str) -> String {
    match existing {
        None => format!(
            "# Decision log\n\nThe architecture decisions of this project. `statecraft review` re-checks them against today's knowledge and prices; `statecraft index` rewrites this table.\n\n{log}"
        ),
        Some(text) => match (text.find(START), text.find(END)) {
            (Some(a), Some(b)) if b > a => {
                let after = &text[b + END.len()..];
                let after = after.strip_prefix('\n').unwrap_or(after);
                format!("{}{log}{after}", &text[..a])
            }
            _ => {
                let mut out = text.trim_end().to_string();
                out += "\n\n";
                out += log;
                out
            }
        },
    }
}

/// Writes `DIR/README.md` atomically and returns its path. The README a team wrote is read as any
/// input is (at most 8 MB, a regular file: a pipe, a device or a link to one is refused), and is
/// replaced only if it is a regular file, or a link to one inside `DIR`.
pub fn write(dir: &Path, report: &ReviewReport) -> Result<PathBuf, Diagnostic> {
    let path = dir.join("README.md");
    let existing = match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        _ => {
            crate::safe_fs::write_target(&path, dir, "decision log")?;
            let src = SourceText::read(&path, "README").map_err(|mut d| {
                d.message = d.message.replace(" of JSON", "");
                d.fix = "check that this is the decisions folder's README (a few kilobytes of markdown); or move it away, then run `statecraft index` again".into();
                d
            })?;
            Some(src.text)
        }
    };
    let text = merge(existing.as_deref(), &decision_log(report));
    write_atomically(&path, text.as_bytes(), "decision log")?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_readme_the_team_wrote_keeps_its_text_and_the_table_is_replaced_in_place() {
        let first = merge(Some("# Our decisions\n\nRead these first.\n"), "T1\n");
        assert_eq!(first, "# Our decisions\n\nRead these first.\n\nT1\n");
        let log = format!("{START}\nrows\n{END}\n");
        let with_log = merge(Some("# Ours\n"), &log);
        let again = merge(
            Some(&format!("{with_log}\nFooter.\n")),
            &format!("{START}\nnew rows\n{END}\n"),
        );
        assert_eq!(
            again,
            format!("# Ours\n\n{START}\nnew rows\n{END}\n\nFooter.\n")
        );
    }
}
