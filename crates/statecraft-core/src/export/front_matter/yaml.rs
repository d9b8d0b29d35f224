//! The front matter's YAML, read with a YAML parser (so that any tool's re-save reads the same) and
//! within size and alias-expansion limits (so that no record can make a reader take minutes or
//! gigabytes).

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::{Yaml, YamlLoader};

use super::Stamp;
use crate::diagnostic::Diagnostic;
use crate::format;

/// The front matter's values, read with a YAML parser so that any tool's re-save reads the same.
pub(super) struct FrontMatter {
    pub(super) status: Option<String>,
    pub(super) date: Option<String>,
    pub(super) decision_makers: Vec<String>,
    pub(super) consulted: Vec<String>,
    pub(super) informed: Vec<String>,
    pub(super) stamp: Option<Stamp>,
}

/// A front matter is a few hundred bytes; one of more than this is not a record's.
pub const MAX_FRONT_MATTER_BYTES: usize = 64 * 1024;

/// YAML nodes a front matter may hold once its aliases are expanded. An alias copies the node it
/// names, so ten levels of ten aliases (a "billion laughs") are 10^10 nodes in a few hundred bytes:
/// yaml-rust2 builds every copy and has no limit of its own, so the events are counted first.
pub const MAX_FRONT_MATTER_NODES: u64 = 10_000;

/// Loads the front matter's YAML (`yaml` starts on the record's line `first_line`) with the size
/// and alias-expansion limits above, so no record can make a reader take minutes or gigabytes.
pub fn load_yaml(name: &str, yaml: &str, first_line: usize) -> Result<Option<Yaml>, Diagnostic> {
    let fix = "fix the YAML between the `---` lines, or export the record again";
    if yaml.len() > MAX_FRONT_MATTER_BYTES {
        return Err(Diagnostic::new(
            name,
            format!(
                "the front matter is {} KB; a decision record's is at most {} KB",
                yaml.len() / 1024,
                MAX_FRONT_MATTER_BYTES / 1024
            ),
            "check that this is a decision record; its front matter holds a dozen short lines",
        )
        .at(first_line, 1));
    }
    let scan_error = |e: yaml_rust2::ScanError| {
        Diagnostic::new(
            name,
            format!("the front matter is not valid YAML: {}", e.info()),
            fix,
        )
        .at(e.marker().line() + first_line - 1, e.marker().col() + 1)
    };
    expanded_nodes(name, yaml, first_line)?;
    let docs = YamlLoader::load_from_str(yaml).map_err(scan_error)?;
    Ok(docs.into_iter().next())
}

/// Counts the nodes the YAML makes with every alias expanded, stopping at the limit.
fn expanded_nodes(name: &str, yaml: &str, first_line: usize) -> Result<u64, Diagnostic> {
    let mut parser = Parser::new_from_str(yaml);
    // the size of each anchored node, and of each collection being read
    let mut anchors: std::collections::HashMap<usize, u64> = Default::default();
    let mut open: Vec<(usize, u64)> = Vec::new();
    let mut total: u64 = 0;
    loop {
        let (event, mark) = parser.next_token().map_err(|e| {
            Diagnostic::new(
                name,
                format!("the front matter is not valid YAML: {}", e.info()),
                "fix the YAML between the `---` lines, or export the record again",
            )
            .at(e.marker().line() + first_line - 1, e.marker().col() + 1)
        })?;
        let size = match event {
            Event::StreamEnd => return Ok(total),
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                open.push((anchor, 1));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (anchor, size) = open.pop().unwrap_or((0, 1));
                if anchor > 0 {
                    anchors.insert(anchor, size);
                }
                size
            }
            Event::Scalar(_, _, anchor, _) => {
                if anchor > 0 {
                    anchors.insert(anchor, 1);
                }
                total = total.saturating_add(1);
                1
            }
            Event::Alias(anchor) => {
                let size = anchors.get(&anchor).copied().unwrap_or(1);
                total = total.saturating_add(size);
                size
            }
            _ => continue,
        };
        if let Some((_, parent)) = open.last_mut() {
            *parent = parent.saturating_add(size);
        }
        if total > MAX_FRONT_MATTER_NODES {
            return Err(Diagnostic::new(
                name,
                format!(
                    "the front matter's aliases expand to more than {} values; a decision record's front matter holds a few dozen",
                    format::number(MAX_FRONT_MATTER_NODES as f64)
                ),
                "remove the YAML anchors (&) and aliases (*) from the front matter, or export the record again",
            )
            .at(mark.line() + first_line - 1, mark.col() + 1));
        }
    }
}

/// The front matter's status and stamp, for a writer checking its own edit.
pub fn status_and_stamp(yaml: &str) -> Option<(Option<String>, Option<Stamp>)> {
    let front = FrontMatter::parse("", yaml).ok()?;
    Some((front.status, front.stamp))
}

/// A date as a YAML tool re-saves it: gray-matter (js-yaml) reads `2026-11-23` as a JavaScript Date
/// and writes it back as `2026-11-23T00:00:00.000Z`; midnight UTC is the same day, anything else is
/// kept as written (and refused where a day is expected).
fn plain_date(date: String) -> String {
    match date.split_once('T') {
        Some((day, time))
            if matches!(
                time,
                "00:00:00Z" | "00:00:00.000Z" | "00:00:00+00:00" | "00:00:00.000+00:00"
            ) && day.len() == 10 =>
        {
            day.to_string()
        }
        _ => date,
    }
}

impl FrontMatter {
    /// `yaml` is the text between the `---` lines, which starts on the record's line 2.
    pub(super) fn parse(name: &str, yaml: &str) -> Result<FrontMatter, Diagnostic> {
        let empty = Yaml::Hash(Default::default());
        let root = load_yaml(name, yaml, 2)?.unwrap_or(empty);
        let root = &root;
        if !root.is_hash() {
            return Err(Diagnostic::new(
                name,
                "the front matter is not a mapping of `key: value` lines",
                "give the front matter MADR's fields (`status: proposed`, `date: 2026-11-23`, ...)",
            )
            .at(2, 1));
        }
        let text = |key: &str| scalar(&root[key]);
        let stamp = match &root["statecraft"] {
            Yaml::Hash(_) => {
                let s = &root["statecraft"];
                Some(Stamp {
                    format: scalar(&s["format"]).unwrap_or_default(),
                    knowledge: scalar(&s["knowledge"]).unwrap_or_default(),
                    recommendation: scalar(&s["recommendation"]).unwrap_or_default(),
                    stack: scalar(&s["stack"]).unwrap_or_default().into(),
                    evidence: scalar(&s["evidence"]).unwrap_or_default(),
                    text: scalar(&s["text"]).unwrap_or_default(),
                })
            }
            Yaml::BadValue | Yaml::Null => None,
            _ => {
                return Err(Diagnostic::new(
                    name,
                    "the front matter's `statecraft` entry is not a mapping",
                    "export the record again",
                )
                .at(2, 1));
            }
        };
        Ok(FrontMatter {
            status: text("status"),
            date: text("date").map(plain_date),
            decision_makers: names(&root["decision-makers"]),
            consulted: names(&root["consulted"]),
            informed: names(&root["informed"]),
            stamp,
        })
    }
}

/// A YAML scalar as text (`2026-11-23` and `"2026-11-23"` alike).
fn scalar(y: &Yaml) -> Option<String> {
    match y {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A YAML list of names, or one name.
fn names(y: &Yaml) -> Vec<String> {
    match y {
        Yaml::Array(items) => items.iter().filter_map(scalar).collect(),
        other => scalar(other).into_iter().collect(),
    }
}

/// A diagnostic with another fix.
pub(super) trait Refix {
    fn refixed(self, fix: &str) -> Self;
}

impl Refix for Diagnostic {
    fn refixed(mut self, fix: &str) -> Self {
        self.fix = fix.to_string();
        self
    }
}
