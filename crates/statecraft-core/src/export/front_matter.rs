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
//!
//! Here: the types and writing them. `read.rs` cuts a record back into its parts, `yaml.rs` reads
//! the front matter's YAML within limits, `hash.rs` is the canonical JSON the hashes are taken over.

mod hash;
mod read;
mod yaml;

pub use hash::canonical;
use hash::hex_digest;
pub use read::{Embedded, Human, closing_line, embedded, front_matter_problem, human_fields};
pub use yaml::{MAX_FRONT_MATTER_BYTES, MAX_FRONT_MATTER_NODES, load_yaml, status_and_stamp};

use crate::ids::StackId;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Evidence;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::JsonPath;
    use crate::json_source::SourceText;

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
