//! Reading a record back: the answers and the rest of the evidence from its evidence block, after
//! checking the hash. An edited record is refused with one error per edited part, each at its line
//! and column, saying what changed; a record written with another knowledge version, or whose prose
//! was edited, is read, and says so.

use std::collections::BTreeSet;

use super::super::answers::Answers;
use super::super::diagnostic::{Diagnostic, Diagnostics, JsonPath};
use super::super::json_source::SourceText;
use super::super::knowledge::Knowledge;
use super::super::sim::Scenario;
use super::super::sim::chaos::ChaosChoice;
use super::Evidence;
use super::front_matter::{self, Embedded, Provenance, RecordMeta};

/// A record as the app's Open reads it.
#[derive(Clone, Debug)]
pub struct ImportedRecord {
    pub answers: Answers,
    /// The simulated scenarios, checked against the knowledge loaded now.
    pub scenarios: Vec<Scenario>,
    pub provenance: Provenance,
    /// What to simulate to write this record again: its scenarios (none when they were derived from
    /// the answers), chaos test, bands and seed.
    pub evidence: Evidence,
    pub status: Option<String>,
    pub date: Option<String>,
    /// MADR's people, as the front matter lists them.
    pub meta: RecordMeta,
    /// Set when the record was written with another knowledge version than the one loaded now: the
    /// advice may differ from the one recorded.
    pub knowledge_changed: Option<KnowledgeChange>,
    /// The prose was edited after export (the evidence was not: the hash checks it).
    pub text_edited: bool,
}

impl ImportedRecord {
    /// What the record says about itself on opening, one sentence each.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(change) = &self.knowledge_changed {
            out.push(change.sentence());
        }
        if self.text_edited {
            out.push(TEXT_EDITED.to_string());
        }
        out
    }
}

/// The warning for a record whose prose no longer matches its text hash.
pub const TEXT_EDITED: &str = "The record's text was edited after `statecraft export` wrote it; the advice and figures come from its evidence block, which is unchanged, not from the edited text. Export the record again to bring its text back in line.";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnowledgeChange {
    pub recorded: String,
    pub current: String,
}

impl KnowledgeChange {
    pub fn sentence(&self) -> String {
        format!(
            "The record was written with the knowledge “{}”; this is “{}”, so the advice may differ from the one recorded (a record written with a team's knowledge pack opens as written only with `--knowledge` and that pack).",
            self.recorded, self.current
        )
    }
}

const FIX_EDITED: &str = "undo the edit, or write a new record from the answers you want: `statecraft export --answers FILE --out FILE.md`";

/// Reads a record written by `statecraft export`: checks its hash, then its answers and scenarios
/// against `k`.
pub fn import(src: &SourceText, k: &Knowledge) -> Result<ImportedRecord, Diagnostics> {
    let (mut record, embedded) = read_record(src, k)?;
    record.scenarios = scenarios(&embedded, &record.provenance, k)?;
    if !record.evidence.from_answers {
        record.evidence.scenarios = record.scenarios.clone();
    }
    Ok(record)
}

/// The answers of a record, after checking its hash (`advise --answers`): the scenarios are covered
/// by the hash but not simulated, so they are not checked here.
pub fn import_answers(src: &SourceText, k: &Knowledge) -> Result<Answers, Diagnostics> {
    read_record(src, k).map(|(record, _)| record.answers)
}

/// Checks a record's evidence against its hash and its front matter's stamp, and nothing else: a
/// superseded record is no longer re-run, but a tampered one is still refused.
pub fn verify_only(src: &SourceText) -> Result<Provenance, Diagnostics> {
    let embedded = front_matter::embedded(src)?;
    let (provenance, _) = read_entry(&embedded)?;
    verify(&embedded, &provenance)?;
    check_stamp(src, &embedded, &provenance)?;
    Ok(provenance)
}

fn read_record(src: &SourceText, k: &Knowledge) -> Result<(ImportedRecord, Embedded), Diagnostics> {
    let embedded = front_matter::embedded(src)?;
    let (provenance, root) = read_entry(&embedded)?;
    verify(&embedded, &provenance)?;
    check_stamp(src, &embedded, &provenance)?;
    let answers = Answers::from_json(&root, &embedded.source, &JsonPath::root().key("answers"), k)
        .map_err(|problems| embedded.shift_all(problems))?;
    let current = k.version();
    let knowledge_changed = (provenance.knowledge_version != current).then(|| KnowledgeChange {
        recorded: provenance.knowledge_version.clone(),
        current,
    });
    let chaos = match &provenance.chaos {
        None | Some(serde_json::Value::Null) => None,
        Some(value) => Some(
            serde_json::from_value::<ChaosChoice>(value.clone()).map_err(|e| {
                embedded.diagnostic_at(
                    &JsonPath::root().key("chaos"),
                    format!("the chaos test is not one this Statecraft reads: {e}"),
                    "export the record again",
                )
            })?,
        ),
    };
    let evidence = Evidence {
        scenarios: Vec::new(),
        from_answers: provenance.from_answers,
        chaos,
        bands: provenance.bands,
        seed: provenance.seed.unwrap_or(Evidence::default().seed),
        defaults: provenance.defaults.clone(),
    };
    let record = ImportedRecord {
        answers,
        scenarios: Vec::new(),
        provenance,
        evidence,
        status: embedded.status.clone(),
        date: embedded.date.clone(),
        meta: RecordMeta {
            status: embedded.status.clone().unwrap_or_default(),
            date: embedded.date.clone().unwrap_or_default(),
            decision_makers: embedded.decision_makers.clone(),
            consulted: embedded.consulted.clone(),
            informed: embedded.informed.clone(),
        },
        knowledge_changed,
        text_edited: embedded.text_edited(),
    };
    Ok((record, embedded))
}

/// The record's scenarios as the simulator reads them; a problem (a stack the knowledge no longer
/// has, say) is placed at the scenario in the record.
fn scenarios(
    embedded: &Embedded,
    provenance: &Provenance,
    k: &Knowledge,
) -> Result<Vec<Scenario>, Diagnostics> {
    let mut out = Vec::with_capacity(provenance.scenarios.len());
    let mut problems = Diagnostics::default();
    for (i, value) in provenance.scenarios.iter().enumerate() {
        let at = JsonPath::root().key("scenarios").index(i);
        let fix = "export the record again with a scenario this Statecraft and knowledge accept";
        match serde_json::from_value::<Scenario>(value.clone()) {
            Ok(scenario) => match scenario.validate(k) {
                Ok(()) => out.push(scenario),
                Err(found) => {
                    for d in found.iter() {
                        let place = d
                            .path
                            .as_deref()
                            .map(|p| format!(" at `{p}`"))
                            .unwrap_or_default();
                        problems.push(embedded.diagnostic_at(
                            &at,
                            format!("scenario {}{place}: {}", i + 1, d.message),
                            if d.fix.is_empty() {
                                fix.to_string()
                            } else {
                                d.fix.clone()
                            },
                        ));
                    }
                }
            },
            Err(e) => problems.push(embedded.diagnostic_at(
                &at,
                format!(
                    "scenario {} is not a scenario this Statecraft reads: {e}",
                    i + 1
                ),
                fix,
            )),
        }
    }
    problems.into_result(out)
}

fn read_entry(embedded: &Embedded) -> Result<(Provenance, serde_json::Value), Diagnostics> {
    const SHAPE: &str = "the JSON object that `statecraft export` writes in the evidence block";
    let root: serde_json::Value = embedded
        .source
        .parse(SHAPE)
        .map_err(|d| embedded.shift(d))?;
    let provenance: Provenance = embedded
        .source
        .parse(SHAPE)
        .map_err(|d| embedded.shift(d))?;
    Ok((provenance, root))
}

/// The front matter's summary of the evidence must agree with it: a hand-edited `recommendation:`
/// or `evidence:` line is an edit like any other.
fn check_stamp(src: &SourceText, embedded: &Embedded, p: &Provenance) -> Result<(), Diagnostics> {
    let stamp = &embedded.stamp;
    let mut problems = Diagnostics::default();
    for (key, front, evidence) in [
        ("evidence", stamp.evidence.as_str(), p.hash.as_str()),
        (
            "recommendation",
            stamp.recommendation.as_str(),
            p.recommendation.as_str(),
        ),
        ("stack", stamp.stack.as_str(), p.stack.as_str()),
        (
            "knowledge",
            stamp.knowledge.as_str(),
            p.knowledge_version.as_str(),
        ),
    ] {
        if front != evidence {
            problems.push(
                Diagnostic::new(
                    &embedded.name,
                    format!(
                        "the front matter's `statecraft.{key}` says `{front}` but the record's evidence says `{evidence}`: the front matter was edited after `statecraft export` wrote it"
                    ),
                    FIX_EDITED,
                )
                .at(front_place(src, key).0, front_place(src, key).1),
            );
        }
    }
    problems.into_result(())
}

/// The line and column of `  key:` in the front matter (line 2 when it cannot be found).
fn front_place(src: &SourceText, key: &str) -> (usize, usize) {
    let wanted = format!("{key}:");
    let lines: Vec<&str> = src.text.lines().collect();
    let close = front_matter::closing_line(&lines).unwrap_or(lines.len());
    src.text
        .lines()
        .enumerate()
        .skip(1)
        .take(close.saturating_sub(1))
        .find(|(_, l)| l.trim_start().starts_with(&wanted) && l.starts_with(' '))
        .map_or((2, 1), |(i, l)| (i + 1, l.len() - l.trim_start().len() + 1))
}

/// Refuses a record whose hash no longer matches, naming each edited part.
fn verify(embedded: &Embedded, recorded: &Provenance) -> Result<(), Diagnostics> {
    if recorded.compute_hash() == recorded.hash {
        return Ok(());
    }
    let now = recorded.compute_fingerprints();
    let keys: BTreeSet<&String> = now.keys().chain(recorded.fingerprints.keys()).collect();
    let mut problems = Diagnostics::default();
    for key in keys {
        let (was, is) = (recorded.fingerprints.get(key), now.get(key));
        if was == is {
            continue;
        }
        let mut what = describe_part(key, was.is_some(), is.is_some());
        if let Some(id) = key.strip_prefix("answers/")
            && let (Some(_), Some(now)) = (was, recorded.answers.get(id))
        {
            what += &format!(" (it now reads `{}`)", front_matter::canonical(now));
        }
        let path = part_path(key, is.is_some());
        problems.push(embedded.diagnostic_at(
            &path,
            format!("the record was edited after `statecraft export` wrote it: {what}, so its hash no longer matches"),
            FIX_EDITED,
        ));
    }
    if problems.is_empty() {
        problems.push(embedded.diagnostic_at(
            &JsonPath::root().key("hash"),
            format!(
                "the record's hash was edited: it says `{}` but the record hashes to `{}`",
                recorded.hash,
                recorded.compute_hash()
            ),
            FIX_EDITED,
        ));
    }
    problems.0.sort_by_key(|d: &Diagnostic| (d.line, d.column));
    Err(problems)
}

/// "the answer to `peak-rps` was changed".
fn describe_part(key: &str, was: bool, is: bool) -> String {
    let verb = match (was, is) {
        (true, true) => "was changed",
        (true, false) => "was removed",
        _ => "was added",
    };
    if let Some(id) = key.strip_prefix("answers/") {
        match (was, is) {
            (false, true) => format!("an answer to `{id}` was added"),
            _ => format!("the answer to `{id}` {verb}"),
        }
    } else if let Some(n) = key.strip_prefix("scenarios/") {
        let ordinal = n
            .parse::<usize>()
            .map_or(n.to_string(), |i| (i + 1).to_string());
        format!("scenario {ordinal} {verb}")
    } else {
        match key {
            "knowledge_version" => format!("the knowledge version {verb}"),
            "seed" => format!("the seed {verb}"),
            "outcome" => format!("the recorded recommendation or stack {verb}"),
            other => format!("`{other}` {verb}"),
        }
    }
}

fn part_path(key: &str, present: bool) -> JsonPath {
    let root = JsonPath::root();
    if let Some(id) = key.strip_prefix("answers/") {
        return if present {
            root.key("answers").key(id)
        } else {
            root.key("answers")
        };
    }
    if let Some(n) = key.strip_prefix("scenarios/") {
        return match n.parse::<usize>() {
            Ok(i) if present => root.key("scenarios").index(i),
            _ => root.key("scenarios"),
        };
    }
    match key {
        "outcome" => root.key("recommendation"),
        other => root.key(other),
    }
}
