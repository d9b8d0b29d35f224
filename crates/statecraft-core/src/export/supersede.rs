//! Superseding: a new record replaces record N. The new one links back ("Supersedes ADR-0001"); the
//! old one's status becomes `superseded by ADR-0002` and it gains a line linking forward. The old
//! record's evidence is left exactly as it was, so it still opens; its text hash is brought up to
//! date, since Statecraft itself made the edit.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::folder::{number_of, record_files};
use super::{front_matter, text_hash};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::interrupt::write_atomically;
use crate::json_source::SourceText;

/// A record of the decisions folder that a new one replaces: its number and file name (the
/// project file keeps it under `record.supersedes`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Supersedes {
    pub number: u32,
    /// Its file name, `0001-use-hybrid-stack.md`.
    pub file: String,
}

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

/// The line that closes a front matter opened on the first line, as the reader finds it.
fn closing_line(lines: &[String]) -> Option<usize> {
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return None;
    }
    front_matter::closing_line(lines)
}

/// The old record's text with its status set to `superseded by ADR-NNNN`, a note linking to the
/// new record under its title, and (for a Statecraft record) its text hash renewed.
pub fn superseded_text(text: &str, new_number: u32, new_file: &str) -> String {
    let status = format!("superseded by {}", adr_id(new_number));
    let note = format!("{NOTE}[{}](<{new_file}>).", adr_id(new_number));
    let bom = text.starts_with('\u{feff}');
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let front_close = closing_line(&lines);
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
    let out = match front_close {
        Some(close) => {
            let front: Vec<String> = lines[1..close].to_vec();
            let body: Vec<String> = lines[close + 1..].to_vec();
            let body_hash = body_hash(&body);
            let front = new_front(&front, &status, body_hash.as_deref());
            format!("---\n{front}\n{}\n{}", lines[close], body.join("\n"))
        }
        None => lines.join("\n"),
    };
    if bom { format!("\u{feff}{out}") } else { out }
}

/// The hash of a Statecraft record's body (the text above its evidence block), or `None` for a
/// record without one.
fn body_hash(body: &[String]) -> Option<String> {
    let open = body
        .iter()
        .rposition(|l| l.starts_with("<!-- statecraft-evidence:"))?;
    Some(text_hash(&body[..open].join("\n")))
}

/// The front matter with `status` and the stamp's `text` hash set. The lines are edited in place
/// when the front matter is written one `key: value` a line, as Statecraft and most tools write it;
/// when the edit does not read back as meant (a flow-style `{…}` mapping, a hash a tool wrapped
/// onto the next line, a canonical `!!map`), the mapping is parsed and written again in block style,
/// every key kept (comments are not).
fn new_front(front: &[String], status: &str, body_hash: Option<&str>) -> String {
    let edited = edited_lines(front, status, body_hash);
    let reads_as_meant = |yaml: &str| {
        front_matter::status_and_stamp(yaml).is_some_and(|(s, stamp)| {
            s.as_deref() == Some(status)
                && match (body_hash, stamp) {
                    (Some(hash), Some(stamp)) => stamp.text == hash,
                    // a Statecraft record's stamp must survive the edit
                    (Some(_), None) => false,
                    (None, _) => true,
                }
        })
    };
    if reads_as_meant(&edited) {
        return edited;
    }
    re_emitted(&front.join("\n"), status, body_hash)
        .filter(|y| reads_as_meant(y))
        .unwrap_or(edited)
}

fn edited_lines(front: &[String], status: &str, body_hash: Option<&str>) -> String {
    let mut lines = front.to_vec();
    let status_line = format!("status: \"{status}\"");
    match lines.iter().position(|l| l.starts_with("status:")) {
        Some(i) => lines[i] = status_line,
        None => lines.insert(0, status_line),
    }
    if let Some(hash) = body_hash
        && let Some(i) = lines.iter().position(|l| l.starts_with("  text: "))
    {
        lines[i] = format!("  text: \"{hash}\"");
    }
    lines.join("\n")
}

fn re_emitted(yaml: &str, status: &str, body_hash: Option<&str>) -> Option<String> {
    use yaml_rust2::{Yaml, YamlEmitter};
    let mut root = front_matter::load_yaml("", yaml, 2).ok()??;
    let Yaml::Hash(map) = &mut root else {
        return None;
    };
    // `replace` keeps each key where it was
    map.replace(Yaml::String("status".into()), Yaml::String(status.into()));
    if let Some(hash) = body_hash
        && let Some(Yaml::Hash(stamp)) = map.get_mut(&Yaml::String("statecraft".into()))
    {
        stamp.replace(Yaml::String("text".into()), Yaml::String(hash.into()));
    }
    let mut out = String::new();
    YamlEmitter::new(&mut out).dump(&root).ok()?;
    // the emitter opens the document with its own `---`, which the record already has
    Some(out.strip_prefix("---\n").unwrap_or(&out).to_string())
}

/// The old record marked superseded by record `new_number` in file `new_file`: its path and new
/// text, to be written in the same set as the new record. The old record is read as any input is
/// (capped, a regular file), and a record cannot supersede itself.
pub fn superseded_file(
    old: &Path,
    new_number: u32,
    new_file: &str,
) -> Result<(PathBuf, Vec<u8>), Diagnostics> {
    let old_name = old.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    if old_name == new_file {
        return Err(self_supersede(old, new_number));
    }
    let src = SourceText::read(old, "record to supersede")?;
    let next = superseded_text(&src.text, new_number, new_file);
    Ok((old.to_path_buf(), next.into_bytes()))
}

/// [`superseded_file`], and the record's HTML copy beside it (same name, `.html`, written by
/// `statecraft export`) with its status line and a note saying so: a superseded record's HTML must
/// not still say "proposed".
pub fn superseded_files(
    old: &Path,
    new_number: u32,
    new_file: &str,
) -> Result<Vec<(PathBuf, Vec<u8>)>, Diagnostics> {
    let mut out = vec![superseded_file(old, new_number, new_file)?];
    let html = old.with_extension("html");
    if html.is_file()
        && let Ok(src) = SourceText::read(&html, "record's HTML copy")
        && src.text.contains(HTML_GENERATOR)
    {
        let new_html = Path::new(new_file).with_extension("html");
        let new_html = new_html.to_string_lossy();
        out.push((
            html,
            superseded_html(&src.text, new_number, &new_html).into_bytes(),
        ));
    }
    Ok(out)
}

/// What marks an HTML file as a record's copy written by `statecraft export`.
const HTML_GENERATOR: &str = "<meta name=\"generator\" content=\"statecraft export\">";

/// A record's HTML copy with the status superseded by record `new_number` and a note under its
/// status line linking the new record's HTML copy `new_html`.
pub fn superseded_html(html: &str, new_number: u32, new_html: &str) -> String {
    let id = adr_id(new_number);
    let Some(start) = html.find("<p class=\"meta\">Status: ") else {
        return html.to_string();
    };
    let status_at = start + "<p class=\"meta\">Status: ".len();
    let Some(status_len) = html[status_at..].find(" · ") else {
        return html.to_string();
    };
    let line_end = html[start..]
        .find("</p>\n")
        .map(|e| start + e + "</p>\n".len());
    let link: String = new_html
        .chars()
        .map(|c| match c {
            '"' => "%22".to_string(),
            '<' => "%3C".to_string(),
            '>' => "%3E".to_string(),
            '&' => "&amp;".to_string(),
            c => c.to_string(),
        })
        .collect();
    let note = format!(
        "<blockquote class=\"superseded\"><p>Superseded by <a href=\"{link}\">{id}</a>.</p></blockquote>\n"
    );
    let mut out = String::with_capacity(html.len() + note.len());
    out.push_str(&html[..status_at]);
    out.push_str(&format!("superseded by {id}"));
    match line_end {
        Some(end) => {
            out.push_str(&html[status_at + status_len..end]);
            // a note already there (superseded twice) is replaced
            let rest = &html[end..];
            let rest = match rest.strip_prefix("<blockquote class=\"superseded\">") {
                Some(r) => r
                    .find("</blockquote>\n")
                    .map_or(rest, |e| &r[e + "</blockquote>\n".len()..]),
                None => rest,
            };
            out.push_str(&note);
            out.push_str(rest);
        }
        None => out.push_str(&html[status_at + status_len..]),
    }
    out
}

/// The error for a record that would supersede itself.
pub fn self_supersede(old: &Path, number: u32) -> Diagnostics {
    Diagnostic::new(
        old.display().to_string(),
        format!(
            "a record cannot supersede itself: the new record would be {} and replace this file, which --supersedes {number} marks superseded by it",
            adr_id(number)
        ),
        "write the new record under its own number (--decisions-dir DIR takes the next one), or supersede another record",
    )
    .into()
}

/// Marks `old` superseded by record `new_number` in file `new_file`, atomically (on its own: the
/// command line writes it in one set with the new record instead).
pub fn mark_superseded(old: &Path, new_number: u32, new_file: &str) -> Result<(), Diagnostics> {
    for (path, bytes) in superseded_files(old, new_number, new_file)? {
        write_atomically(&path, &bytes, "superseded record")?;
    }
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
