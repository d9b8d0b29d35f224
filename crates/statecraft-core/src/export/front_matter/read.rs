//! Reading a record back: cutting it into front matter, body and evidence (with the record's own
//! line numbers), and what any markdown record's front matter says of it.

use super::yaml::{FrontMatter, Refix};
use super::{EVIDENCE_CLOSE, EVIDENCE_OPEN, FORMAT, FORMAT_1, Stamp, text_hash};
use crate::diagnostic::{Diagnostic, Diagnostics, JsonPath};
use crate::json_source::SourceText;

/// A record cut into its parts: the front matter's values, the body, and the evidence JSON (with the
/// record's own line numbers).
#[derive(Clone, Debug)]
pub struct Embedded {
    /// The evidence JSON, as a source of its own.
    pub source: SourceText,
    /// Lines of the record before the evidence JSON's first line.
    pub line_offset: usize,
    /// The human part, as written (for the app's Open).
    pub status: Option<String>,
    pub date: Option<String>,
    pub decision_makers: Vec<String>,
    pub consulted: Vec<String>,
    pub informed: Vec<String>,
    pub stamp: Stamp,
    /// The body's hash now: it differs from `stamp.text` when the prose was edited.
    pub text_now: String,
    /// The record's file name, for messages about the front matter.
    pub name: String,
}

impl Embedded {
    /// A diagnostic at `path` inside the evidence, placed at the record's own line and column.
    pub fn diagnostic_at(
        &self,
        path: &JsonPath,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Diagnostic {
        self.shift(self.source.diagnostic_at(path, message, fix))
    }

    /// Moves a diagnostic found in the evidence to the record's lines.
    pub fn shift(&self, mut d: Diagnostic) -> Diagnostic {
        if let Some(line) = d.line.as_mut() {
            *line += self.line_offset;
        }
        d
    }

    pub fn shift_all(&self, ds: Diagnostics) -> Diagnostics {
        Diagnostics(ds.0.into_iter().map(|d| self.shift(d)).collect())
    }

    /// The prose was edited since the record was written.
    pub fn text_edited(&self) -> bool {
        self.stamp.text != self.text_now
    }
}

const FIX_NOT_A_RECORD: &str = "give an answers JSON file, or a decision record written by `statecraft export` with its front matter and evidence block intact";

/// The index of the line that closes a front matter opened on the first line (`---` or `...`).
/// A second `---` right after the first, followed by YAML, is the document's explicit start as
/// PyYAML writes it (`explicit_start=True`, and always in its canonical style), not an empty front
/// matter: the front matter then closes at the next one.
pub fn closing_line<S: AsRef<str>>(lines: &[S]) -> Option<usize> {
    let line = |i: usize| lines.get(i).map(|l| l.as_ref().trim_end());
    let closes = |l: &str| matches!(l, "---" | "...");
    let explicit_start = line(1) == Some("---")
        && line(2).is_some_and(|l| !l.is_empty() && !l.starts_with('#') && !closes(l));
    let from = if explicit_start { 2 } else { 1 };
    let found = (from..lines.len()).find(|&i| line(i).is_some_and(closes));
    match found {
        Some(i) => Some(i),
        // no second close after all: the second line closed an empty front matter
        None if explicit_start => Some(1),
        None => None,
    }
}

/// What any markdown record's front matter says of it, read with the same YAML parser as a
/// Statecraft record's: status, date, whether Statecraft stamped it, and the line its body starts on.
/// `None` when the text has no front matter, or one that is not YAML.
#[derive(Clone, Debug, PartialEq)]
pub struct Human {
    pub status: Option<String>,
    pub date: Option<String>,
    pub stamped: bool,
    /// Index of the body's first line.
    pub body_line: usize,
}

pub fn human_fields(text: &str) -> Option<Human> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.split('\n').collect();
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return None;
    }
    let close = closing_line(&lines)?;
    let front = FrontMatter::parse("", &lines[1..close].join("\n")).ok()?;
    Some(Human {
        status: front.status,
        date: front.date,
        stamped: front.stamp.is_some(),
        body_line: close + 1,
    })
}

/// Why a markdown file's front matter cannot be read, for a file that opens one (`---`): never
/// closed, not valid YAML, past the size or alias limits, or not a mapping. `None` when it reads,
/// or when there is none (a hand-written record without one).
pub fn front_matter_problem(name: &str, text: &str) -> Option<Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.split('\n').collect();
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return None;
    }
    let Some(close) = closing_line(&lines) else {
        return Some(
            Diagnostic::new(
                name,
                "the front matter is never closed: there is no second `---` line",
                FIX_NOT_A_RECORD,
            )
            .at(1, 1),
        );
    };
    FrontMatter::parse(name, &lines[1..close].join("\n")).err()
}

/// Cuts `src` into front matter, body and evidence.
pub fn embedded(src: &SourceText) -> Result<Embedded, Diagnostic> {
    let text = src.text.strip_prefix('\u{feff}').unwrap_or(&src.text);
    let lines: Vec<&str> = text.split('\n').collect();
    let not_a_record = |message: String, line: usize| {
        Diagnostic::new(&src.name, message, FIX_NOT_A_RECORD).at(line, 1)
    };
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return Err(not_a_record(
            "this is not a decision record: it does not start with a `---` front matter line"
                .into(),
            1,
        ));
    }
    let Some(close) = closing_line(&lines) else {
        return Err(not_a_record(
            "the front matter is never closed: there is no second `---` line".into(),
            1,
        ));
    };
    let front = FrontMatter::parse(&src.name, &lines[1..close].join("\n"))?;
    let stamp = front.stamp.ok_or_else(|| {
        not_a_record(
            "the front matter has no `statecraft:` entry, so this record was not written by `statecraft export` (or the entry was removed)".into(),
            2,
        )
    })?;
    if stamp.format == FORMAT_1 {
        return Err(not_a_record(
            format!("this record was written in the earlier layout `{FORMAT_1}`, which kept its evidence in the front matter; this Statecraft reads `{FORMAT}`"),
            2,
        ).refixed("export it again from its answers with the Statecraft that wrote it, or answer the wizard again and export"));
    }
    if stamp.format != FORMAT {
        return Err(not_a_record(
            format!(
                "the record's layout is `{}`; this Statecraft reads `{FORMAT}`",
                stamp.format
            ),
            2,
        )
        .refixed("open the record with the Statecraft version that wrote it, or export it again"));
    }
    let Some(open) = lines
        .iter()
        .rposition(|l| l.starts_with(EVIDENCE_OPEN))
        .filter(|&i| i > close)
    else {
        return Err(not_a_record(
            format!(
                "the record has no evidence block: the `{EVIDENCE_OPEN}` comment at its end is missing, so it holds no answers"
            ),
            lines.len(),
        ));
    };
    let Some(end) = (open + 1..lines.len()).find(|&i| lines[i].trim_end() == EVIDENCE_CLOSE) else {
        return Err(not_a_record(
            "the evidence block is never closed: there is no `-->` line after it".into(),
            open + 1,
        ));
    };
    if let Some(extra) = (end + 1..lines.len()).find(|&i| !lines[i].trim().is_empty()) {
        return Err(not_a_record(
            "there is text after the evidence block; the block must end the record".into(),
            extra + 1,
        )
        .refixed("move the text above the `<!-- statecraft-evidence:` comment"));
    }
    let body = lines[close + 1..open].join("\n");
    Ok(Embedded {
        source: SourceText::new(&src.name, lines[open + 1..end].join("\n")),
        line_offset: open + 1,
        status: front.status,
        date: front.date,
        decision_makers: front.decision_makers,
        consulted: front.consulted,
        informed: front.informed,
        stamp,
        text_now: text_hash(&body),
        name: src.name.clone(),
    })
}
