//! The record's YAML front matter: MADR's `status`, `date` and people, then a `statecraft` entry that
//! holds what the decision was computed from — answers, scenarios, seed, knowledge version — with a
//! hash over them. The entry is a JSON object (JSON is YAML), so it reads back with serde_json and the
//! line and column of any problem in it are known.
//!
//! Besides the whole-record hash, each part (each answer, each scenario, the seed, the knowledge
//! version, the recorded outcome) has a short fingerprint, so an edited record is not only refused
//! but the edit is named: "the answer to `peak-rps` was changed".

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::super::diagnostic::{Diagnostic, Diagnostics, JsonPath};
use super::super::json_source::SourceText;

/// Names the layout of the `statecraft` entry, so a later layout can still read this one.
pub const FORMAT: &str = "statecraft-decision-record/1";

/// The key under which the machine-readable part sits.
const KEY: &str = "statecraft:";

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

/// What the decision was computed from, and the hash that vouches for it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    pub format: String,
    pub knowledge_version: String,
    /// The answers as given (`{"<question id>": value}`), hidden ones included, so re-advising them
    /// gives the same tipping points too.
    pub answers: serde_json::Value,
    /// The simulator scenarios, as given.
    #[serde(default)]
    pub scenarios: Vec<serde_json::Value>,
    /// The simulator's seed, when a scenario was simulated.
    #[serde(default)]
    pub seed: Option<u64>,
    pub recommendation: String,
    pub stack: String,
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
        scenarios: Vec<serde_json::Value>,
        seed: Option<u64>,
        recommendation: String,
        stack: String,
    ) -> Provenance {
        let mut p = Provenance {
            format: FORMAT.to_string(),
            knowledge_version,
            answers,
            scenarios,
            seed,
            recommendation,
            stack,
            hash: String::new(),
            fingerprints: BTreeMap::new(),
        };
        p.hash = p.compute_hash();
        p.fingerprints = p.compute_fingerprints();
        p
    }

    fn hashed_value(&self) -> serde_json::Value {
        serde_json::json!({
            "format": self.format,
            "knowledge_version": self.knowledge_version,
            "answers": self.answers,
            "scenarios": self.scenarios,
            "seed": self.seed,
            "outcome": self.outcome(),
        })
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
        ];
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

/// The front matter text, `---` to `---` with the closing line's newline.
pub fn write(meta: &RecordMeta, provenance: &Provenance) -> String {
    let list = |items: &[String]| serde_json::to_string(items).unwrap_or_else(|_| "[]".into());
    let quoted = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    let json = serde_json::to_string_pretty(provenance).unwrap_or_else(|_| "{}".into());
    let mut out = String::from("---\n");
    out += &format!("status: {}\n", quoted(&meta.status));
    out += &format!("date: {}\n", meta.date);
    out += &format!("decision-makers: {}\n", list(&meta.decision_makers));
    out += &format!("consulted: {}\n", list(&meta.consulted));
    out += &format!("informed: {}\n", list(&meta.informed));
    out +=
        "# Written by `statecraft export`; `statecraft advise --answers` reads the entry below.\n";
    out += "# Editing it breaks the hash: export the record again instead.\n";
    out += KEY;
    out += "\n";
    // Indented, so YAML reads the JSON object as the value of `statecraft` (a flow mapping).
    for line in json.lines() {
        out += "  ";
        out += line;
        out += "\n";
    }
    out += "---\n";
    out
}

/// Whether `text` starts like a decision record (a `---` front matter line).
pub fn has_front_matter(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines()
        .next()
        .is_some_and(|line| line.trim_end() == "---")
}

/// The `statecraft` entry of a record's front matter, cut out so that its lines and columns are the
/// record's own (the `statecraft:` key is blanked, earlier lines are counted in `line_offset`).
#[derive(Clone, Debug)]
pub struct Embedded {
    pub source: SourceText,
    /// Lines of the record before the entry's first line.
    pub line_offset: usize,
    /// The human part, as written (for the app's Open).
    pub status: Option<String>,
    pub date: Option<String>,
}

impl Embedded {
    /// A diagnostic at `path` inside the entry, placed at the record's own line and column.
    pub fn diagnostic_at(
        &self,
        path: &JsonPath,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Diagnostic {
        self.shift(self.source.diagnostic_at(path, message, fix))
    }

    /// Moves a diagnostic found in the entry to the record's lines.
    pub fn shift(&self, mut d: Diagnostic) -> Diagnostic {
        if let Some(line) = d.line.as_mut() {
            *line += self.line_offset;
        }
        d
    }

    pub fn shift_all(&self, ds: Diagnostics) -> Diagnostics {
        Diagnostics(ds.0.into_iter().map(|d| self.shift(d)).collect())
    }
}

/// Finds the front matter of `src` and its `statecraft` entry.
pub fn embedded(src: &SourceText) -> Result<Embedded, Diagnostic> {
    let text = src.text.strip_prefix('\u{feff}').unwrap_or(&src.text);
    let lines: Vec<&str> = text.split('\n').collect();
    let not_a_record = |message: String, line: usize| {
        Diagnostic::new(
            &src.name,
            message,
            "give an answers JSON file, or a decision record written by `statecraft export` with its front matter intact",
        )
        .at(line, 1)
    };
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return Err(not_a_record(
            "this is not a decision record: it does not start with a `---` front matter line"
                .into(),
            1,
        ));
    }
    let Some(close) = lines
        .iter()
        .skip(1)
        .position(|l| l.trim_end() == "---")
        .map(|i| i + 1)
    else {
        return Err(not_a_record(
            "the front matter is never closed: there is no second `---` line".into(),
            1,
        ));
    };
    let front = &lines[1..close];
    let scalar = |key: &str| {
        front.iter().find_map(|l| {
            let value = l.strip_prefix(key)?.strip_prefix(':')?.trim();
            Some(
                serde_json::from_str::<String>(value)
                    .unwrap_or_else(|_| value.trim_matches('\'').to_string()),
            )
        })
    };
    let (status, date) = (scalar("status"), scalar("date"));
    let Some(start) = front.iter().position(|l| l.starts_with(KEY)).map(|i| i + 1) else {
        return Err(not_a_record(
            "the front matter has no `statecraft:` entry, so it holds no answers (was it written by `statecraft export`, or was the entry removed?)".into(),
            2,
        ));
    };
    // The entry runs to the next top-level key (a line that starts with neither a space nor `}`) or
    // to the closing `---`.
    let end = (start + 1..close)
        .find(|&i| {
            let l = lines[i];
            !l.is_empty() && !l.starts_with([' ', '\t', '}', '\r', '#'])
        })
        .unwrap_or(close);
    let mut json = " ".repeat(KEY.len());
    json += &lines[start][KEY.len()..];
    for line in &lines[start + 1..end] {
        json.push('\n');
        json += line;
    }
    Ok(Embedded {
        source: SourceText::new(&src.name, json),
        line_offset: start,
        status,
        date,
    })
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

    #[test]
    fn the_entry_keeps_the_records_lines_and_columns() {
        let p = Provenance::sealed(
            "k 1".into(),
            serde_json::json!({"peak-rps": 600.0}),
            vec![],
            None,
            "hybrid".into(),
            "s".into(),
        );
        let text = format!("{}\n# Title\n", write(&RecordMeta::default(), &p));
        let src = SourceText::new("r.md", text);
        let e = embedded(&src).unwrap();
        let back: Provenance = e.source.parse("x").unwrap();
        assert_eq!(back, p);
        let d = e.diagnostic_at(&JsonPath::root().key("answers").key("peak-rps"), "m", "f");
        let line = src
            .text
            .lines()
            .position(|l| l.contains("\"peak-rps\""))
            .unwrap()
            + 1;
        assert_eq!((d.line, d.column), (Some(line), Some(7)));
    }
}
