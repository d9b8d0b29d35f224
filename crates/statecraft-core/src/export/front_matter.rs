//! A record's machine part, in two places a reader doesn't trip over:
//!
//! - The YAML front matter holds MADR 4.0's fields first (`status`, `date`, `decision-makers`,
//!   `consulted`, `informed`), then a short `statecraft` mapping: the layout, the knowledge, the
//!   outcome, and two hashes — one over the evidence, one over the record's text.
//! - The evidence itself (answers, scenarios, seed, chaos test, knowledge version) is a JSON object in
//!   an HTML comment at the end of the file, which markdown renderers hide. `statecraft advise
//!   --answers FILE.md` and the app's Open read it back.
//!
//! The evidence hash is over the parsed values (canonical JSON), not the text, so a YAML tool that
//! re-saves the front matter, or an editor that re-indents the JSON, changes nothing. Each part of the
//! evidence also has a short fingerprint, so an edited record is refused with the edit named: "the
//! answer to `peak-rps` was changed". An edit to the prose is detected by the text hash and reported
//! as a warning: the advice comes from the evidence, and the record says so.

use crate::ids::StackId;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::{Yaml, YamlLoader};

use super::super::diagnostic::{Diagnostic, Diagnostics, JsonPath};
use super::super::json_source::SourceText;
use super::Evidence;
use crate::format;

/// Names the layout of the machine part, so a later layout can still read this one.
pub const FORMAT: &str = "statecraft-decision-record/2";

/// The layout before the evidence moved out of the front matter: refused with a way forward.
const FORMAT_1: &str = "statecraft-decision-record/1";

/// The HTML comment that holds the evidence: its first line, and its last.
const EVIDENCE_OPEN: &str = "<!-- statecraft-evidence:";
const EVIDENCE_CLOSE: &str = "-->";

/// MADR's human part of the front matter.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RecordMeta {
    pub status: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub decision_makers: Vec<String>,
    pub consulted: Vec<String>,
    pub informed: Vec<String>,
}

/// What one simulated scenario came to, kept in the evidence so `statecraft review` can tell when a
/// re-run no longer agrees.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figures {
    pub scenario: String,
    pub stack: StackId,
    pub monthly_usd: f64,
    pub p99_ms: f64,
    /// The team's p99 target where it answered one, else the scenario's.
    pub target_ms: f64,
    pub meets_target: bool,
    /// The cheapest of the considered options at the scenario's peak.
    #[serde(default)]
    pub cheapest: Option<StackId>,
    /// The prices the bill used, by id: their date and what their lines came to.
    #[serde(default)]
    pub prices: BTreeMap<String, PriceUse>,
    /// What the record predicts, for `review --observed` to set against a real bill. Absent from
    /// records written before predictions were stated (and so left out of their hash).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predictions: Option<super::predictions::Predictions>,
}

/// One price as a bill used it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceUse {
    /// `2026-01`.
    pub as_of: String,
    /// The month's charge of the lines priced with it.
    pub monthly_usd: f64,
}

/// What the decision was computed from, and the hash that vouches for it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    pub format: String,
    pub knowledge_version: String,
    /// The answers as given (`{"<question id>": value}`), hidden ones included, so re-advising them
    /// gives the same tipping points too.
    pub answers: serde_json::Value,
    /// The simulator scenarios, as simulated.
    #[serde(default)]
    pub scenarios: Vec<serde_json::Value>,
    /// The scenarios were derived from the answers (the team gave none).
    #[serde(default)]
    pub from_answers: bool,
    /// The simulator's seed.
    #[serde(default)]
    pub seed: Option<u64>,
    /// The Chaos Monkey test the team ran (`{"server": "B"}`), if any.
    #[serde(default)]
    pub chaos: Option<serde_json::Value>,
    /// Monte Carlo bands were run for scenarios with ranges.
    #[serde(default = "yes")]
    pub bands: bool,
    /// The questions in `answers` the team left at their defaults (a project's record carries every
    /// default, and says which are not the team's). Absent when there are none, and then out of
    /// the hash, as records written before it have it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub defaults: Vec<String>,
    pub recommendation: String,
    pub stack: String,
    /// What each scenario came to.
    #[serde(default)]
    pub figures: Vec<Figures>,
    /// `sha256:` and the hex digest of the canonical JSON of everything above.
    pub hash: String,
    /// A short digest per part: `answers/<id>`, `scenarios/<n>`, `seed`, `knowledge_version`, `outcome`.
    pub fingerprints: BTreeMap<String, String>,
}

impl Provenance {
    /// A provenance with its hash and fingerprints computed.
    pub fn sealed(
        knowledge_version: String,
        answers: serde_json::Value,
        evidence: &Evidence,
        recommendation: String,
        stack: String,
        figures: Vec<Figures>,
    ) -> Provenance {
        let mut p = Provenance {
            format: FORMAT.to_string(),
            knowledge_version,
            answers,
            scenarios: evidence
                .scenarios
                .iter()
                .map(|s| serde_json::to_value(s).unwrap_or_default())
                .collect(),
            from_answers: evidence.from_answers,
            seed: Some(evidence.seed),
            chaos: evidence
                .chaos
                .as_ref()
                .map(|c| serde_json::to_value(c).unwrap_or_default()),
            bands: evidence.bands,
            defaults: evidence.defaults.clone(),
            recommendation,
            stack,
            figures,
            hash: String::new(),
            fingerprints: BTreeMap::new(),
        };
        p.hash = p.compute_hash();
        p.fingerprints = p.compute_fingerprints();
        p
    }

    fn hashed_value(&self) -> serde_json::Value {
        let mut value = serde_json::json!({
            "format": self.format,
            "knowledge_version": self.knowledge_version,
            "answers": self.answers,
            "scenarios": self.scenarios,
            "from_answers": self.from_answers,
            "seed": self.seed,
            "chaos": self.chaos,
            "bands": self.bands,
            "outcome": self.outcome(),
            "figures": self.figures,
        });
        if !self.defaults.is_empty()
            && let Some(map) = value.as_object_mut()
        {
            map.insert("defaults".into(), serde_json::json!(self.defaults));
        }
        value
    }

    fn outcome(&self) -> serde_json::Value {
        serde_json::json!({"recommendation": self.recommendation, "stack": self.stack})
    }

    /// `sha256:<hex>` over the canonical JSON of the record's inputs and outcome.
    pub fn compute_hash(&self) -> String {
        format!("sha256:{}", hex_digest(&canonical(&self.hashed_value())))
    }

    /// One short digest per part, keyed as the error messages name the parts.
    pub fn compute_fingerprints(&self) -> BTreeMap<String, String> {
        let mut parts: Vec<(String, serde_json::Value)> = vec![
            (
                "knowledge_version".into(),
                serde_json::Value::String(self.knowledge_version.clone()),
            ),
            ("seed".into(), serde_json::json!(self.seed)),
            ("outcome".into(), self.outcome()),
            ("from_answers".into(), serde_json::json!(self.from_answers)),
            ("chaos".into(), serde_json::json!(self.chaos)),
            ("bands".into(), serde_json::json!(self.bands)),
            ("figures".into(), serde_json::json!(self.figures)),
        ];
        if !self.defaults.is_empty() {
            parts.push(("defaults".into(), serde_json::json!(self.defaults)));
        }
        if let Some(answers) = self.answers.as_object() {
            for (id, value) in answers {
                parts.push((format!("answers/{id}"), value.clone()));
            }
        }
        for (i, scenario) in self.scenarios.iter().enumerate() {
            parts.push((format!("scenarios/{i}"), scenario.clone()));
        }
        parts
            .into_iter()
            .map(|(key, value)| {
                let digest = hex_digest(&format!("{key}\n{}", canonical(&value)));
                (key, digest[..16].to_string())
            })
            .collect()
    }
}

fn yes() -> bool {
    true
}

/// The front matter text, `---` to `---` with the closing line's newline. `text_hash` is the hash
/// of the record's body ([`text_hash`]).
pub fn write(meta: &RecordMeta, provenance: &Provenance, text_hash: &str) -> String {
    let list = |items: &[String]| serde_json::to_string(items).unwrap_or_else(|_| "[]".into());
    let quoted = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    let mut out = String::from("---\n");
    out += &format!("status: {}\n", quoted(&meta.status));
    out += &format!("date: {}\n", meta.date);
    out += &format!("decision-makers: {}\n", list(&meta.decision_makers));
    out += &format!("consulted: {}\n", list(&meta.consulted));
    out += &format!("informed: {}\n", list(&meta.informed));
    out += "statecraft:\n";
    out += &format!("  format: {}\n", quoted(&provenance.format));
    out += &format!("  knowledge: {}\n", quoted(&provenance.knowledge_version));
    out += &format!("  recommendation: {}\n", quoted(&provenance.recommendation));
    out += &format!("  stack: {}\n", quoted(&provenance.stack));
    out += &format!("  evidence: {}\n", quoted(&provenance.hash));
    out += &format!("  text: {}\n", quoted(text_hash));
    out += "---\n";
    out
}

/// The evidence block that ends a record: the provenance as JSON in an HTML comment.
pub fn write_evidence(provenance: &Provenance) -> String {
    let json = serde_json::to_string_pretty(provenance).unwrap_or_else(|_| "{}".into());
    // `-->` can only occur inside a JSON string; written as `--\u003e` it cannot end the comment.
    let json = json.replace("-->", "--\\u003e");
    format!(
        "{EVIDENCE_OPEN} what this record was computed from; `statecraft advise --answers` and the app's Open read it, and the front matter's `evidence` hash vouches for it. Export again rather than edit it.\n{json}\n{EVIDENCE_CLOSE}\n"
    )
}

/// `sha256:<hex>` of a record's body with line endings and the blank lines around it normalised, so
/// a checkout with CRLF line endings reads the same.
pub fn text_hash(body: &str) -> String {
    let normal = body.replace("\r\n", "\n");
    format!("sha256:{}", hex_digest(normal.trim()))
}

/// Whether `text` starts like a decision record (a `---` front matter line).
pub fn has_front_matter(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines()
        .next()
        .is_some_and(|line| line.trim_end() == "---")
}

/// The front matter's `statecraft` mapping.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stamp {
    pub format: String,
    pub knowledge: String,
    pub recommendation: String,
    pub stack: StackId,
    /// The evidence hash.
    pub evidence: String,
    /// The body's hash when it was written.
    pub text: String,
}

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

/// The front matter's values, read with a YAML parser so that any tool's re-save reads the same.
struct FrontMatter {
    status: Option<String>,
    date: Option<String>,
    decision_makers: Vec<String>,
    consulted: Vec<String>,
    informed: Vec<String>,
    stamp: Option<Stamp>,
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
    fn parse(name: &str, yaml: &str) -> Result<FrontMatter, Diagnostic> {
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
trait Refix {
    fn refixed(self, fix: &str) -> Self;
}

impl Refix for Diagnostic {
    fn refixed(mut self, fix: &str) -> Self {
        self.fix = fix.to_string();
        self
    }
}

/// serde_json's text of a value with object keys sorted and numbers written one way (`600` and
/// `600.0` hash alike), so the hash does not depend on how the JSON was laid out.
pub fn canonical(value: &serde_json::Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => out.push_str(&i.to_string()),
            (_, Some(u), _) => out.push_str(&u.to_string()),
            (_, _, Some(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
                out.push_str(&(f as i64).to_string())
            }
            (_, _, Some(f)) => out.push_str(&format!("{f:?}")),
            _ => out.push_str(&n.to_string()),
        },
        Value::String(s) => {
            out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into()))
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(key).unwrap_or_else(|_| "\"\"".into()));
                out.push(':');
                write_canonical(&map[key], out);
            }
            out.push('}');
        }
    }
}

fn hex_digest(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_ignores_key_order_and_number_spelling() {
        let a: serde_json::Value = serde_json::from_str(r#"{"b": 600.0, "a": [1, 0.5]}"#).unwrap();
        let b: serde_json::Value = serde_json::from_str(r#"{"a": [1.0, 0.5], "b": 600}"#).unwrap();
        assert_eq!(canonical(&a), canonical(&b));
        assert_eq!(canonical(&a), r#"{"a":[1,0.5],"b":600}"#);
    }

    fn sample() -> Provenance {
        Provenance::sealed(
            "k 1".into(),
            serde_json::json!({"peak-rps": 600.0, "name": "a --> b"}),
            &Evidence::default(),
            "hybrid".into(),
            "s".into(),
            Vec::new(),
        )
    }

    fn record(p: &Provenance, body: &str) -> String {
        format!(
            "{}\n{body}\n{}",
            write(&RecordMeta::default(), p, &text_hash(body)),
            write_evidence(p)
        )
    }

    #[test]
    fn the_evidence_keeps_the_records_lines_and_columns() {
        let p = sample();
        let src = SourceText::new("r.md", record(&p, "# Title\n"));
        let e = embedded(&src).unwrap();
        let back: Provenance = e.source.parse("x").unwrap();
        assert_eq!(back, p);
        assert!(!e.text_edited());
        let d = e.diagnostic_at(&JsonPath::root().key("answers").key("peak-rps"), "m", "f");
        let line = src
            .text
            .lines()
            .position(|l| l.contains("\"peak-rps\""))
            .unwrap()
            + 1;
        assert_eq!((d.line, d.column), (Some(line), Some(5)));
    }

    #[test]
    fn a_string_holding_the_comment_end_cannot_close_the_evidence_block() {
        let p = sample();
        let text = record(&p, "# Title\n");
        assert_eq!(text.matches("-->").count(), 1, "{text}");
        let e = embedded(&SourceText::new("r.md", text)).unwrap();
        let back: Provenance = e.source.parse("x").unwrap();
        assert_eq!(back.answers["name"], "a --> b");
    }

    #[test]
    fn an_edited_body_is_told_apart_from_line_ending_changes() {
        let p = sample();
        let text = record(&p, "# Title\n\nSome prose.\n");
        let crlf = text.replace('\n', "\r\n");
        assert!(
            !embedded(&SourceText::new("r.md", crlf))
                .unwrap()
                .text_edited()
        );
        let edited = text.replace("Some prose.", "Other prose.");
        assert!(
            embedded(&SourceText::new("r.md", edited))
                .unwrap()
                .text_edited()
        );
    }

    #[test]
    fn the_front_matter_reads_the_same_in_block_style() {
        let p = sample();
        let text = record(&p, "# Title\n");
        // as PyYAML's safe_dump re-saves it: block lists, plain scalars, keys sorted
        let from = text.find("statecraft:\n").unwrap();
        let resaved = format!(
            "---\nconsulted: []\ndate: '2026-11-23'\ndecision-makers:\n- Ana\n- Bo\ninformed: []\nstatus: proposed\n{}",
            &text[from..]
        );
        let e = embedded(&SourceText::new("r.md", resaved)).unwrap();
        assert_eq!(e.decision_makers, ["Ana", "Bo"]);
        assert_eq!(e.stamp.evidence, p.hash);
    }
}
