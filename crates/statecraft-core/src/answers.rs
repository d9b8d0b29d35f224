//! A set of answers to the wizard: reading an answers file (or a decision record that carries one),
//! checking every value against its question, and saying exactly what is wrong and where.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::diagnostic::{Diagnostic, Diagnostics, JsonPath, nearest};
use super::format;
use super::json_source::SourceText;
pub use super::knowledge::values::{check_value, expected_kind};
use super::knowledge::{AnswerValue, Knowledge, Question, QuestionKind};

/// Answers by question id. Serialises as the contract's `{"answers": {...}}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Answers {
    pub answers: BTreeMap<String, AnswerValue>,
}

impl Answers {
    pub fn get(&self, question: &str) -> Option<&AnswerValue> {
        self.answers.get(question)
    }

    pub fn set(&mut self, question: impl Into<String>, value: AnswerValue) {
        self.answers.insert(question.into(), value);
    }

    pub fn remove(&mut self, question: &str) -> Option<AnswerValue> {
        self.answers.remove(question)
    }

    pub fn len(&self) -> usize {
        self.answers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &AnswerValue)> {
        self.answers.iter()
    }

    pub fn with(&self, question: &str, value: AnswerValue) -> Answers {
        let mut next = self.clone();
        next.set(question, value);
        next
    }

    /// Reads an answers file and checks it. (`decision::read_inputs` takes a decision record too.)
    pub fn read(path: &Path, knowledge: &Knowledge) -> Result<Answers, Diagnostics> {
        let src = SourceText::read(path, "answers")?;
        Self::parse(&src, knowledge)
    }

    /// Parses `{"answers": {...}}` from `src` and checks every value against its question.
    pub fn parse(src: &SourceText, knowledge: &Knowledge) -> Result<Answers, Diagnostics> {
        let value: serde_json::Value = src.parse(ANSWERS_SHAPE)?;
        check_envelope(src, &value)?;
        Self::from_json(&value, src, &JsonPath::root().key("answers"), knowledge)
    }

    /// Checks the answers object found at `at` in `src` (the `answers` of a file, a scenario or a record).
    pub fn from_json(
        root: &serde_json::Value,
        src: &SourceText,
        at: &JsonPath,
        knowledge: &Knowledge,
    ) -> Result<Answers, Diagnostics> {
        let mut node = root;
        for seg in &at.0 {
            if let super::diagnostic::PathSeg::Key(key) = seg {
                node = match node.get(key) {
                    Some(inner) => inner,
                    None => {
                        return Err(src
                            .diagnostic_at(
                                &JsonPath::root(),
                                format!("there is no `{key}` object; expected {ANSWERS_SHAPE}"),
                                "put the answers under \"answers\": {\"<question id>\": <value>, ...}",
                            )
                            .into());
                    }
                };
            }
        }
        let Some(object) = node.as_object() else {
            return Err(src
                .diagnostic_at(
                    at,
                    format!("`answers` must be an object; expected {ANSWERS_SHAPE}"),
                    "write the answers as {\"<question id>\": <value>, ...}",
                )
                .into());
        };
        let mut problems = Diagnostics::default();
        let mut answers = Answers::default();
        for (id, raw) in object {
            let path = at.key(id);
            let Some(question) = knowledge.question(id) else {
                let hint = nearest(id, knowledge.questions.iter().map(|q| q.id.as_str()))
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                problems.push(src.diagnostic_at(
                    &path,
                    format!("there is no question `{id}`{hint}"),
                    "use a question id from `statecraft questions`, or remove the entry",
                ));
                continue;
            };
            match value_from_json(question, raw).and_then(|v| check_value(question, &v).map(|()| v))
            {
                Ok(v) => answers.set(id.clone(), v),
                Err(why) => problems.push(src.diagnostic_at(
                    &path,
                    format!("the answer to `{id}` is not valid: {why}"),
                    expected_fix(question),
                )),
            }
        }
        // serde_json's map is sorted by key; report in the order a reader meets them in the file
        problems.0.sort_by_key(|d| (d.line, d.column));
        problems.into_result(answers)
    }
}

/// The answers file format this Statecraft writes and reads; `schema_version` is optional (files
/// written before it existed have none) but a newer one is refused, as for scenarios.
pub const ANSWERS_SCHEMA_VERSION: u64 = 1;

/// The top-level fields an answers file may have (`description` is a note for people).
const ANSWERS_FIELDS: [&str; 3] = ["answers", "schema_version", "description"];

/// Refuses what the reader would see and the parser would ignore: a field other than `answers` and
/// `schema_version`, and a schema version this Statecraft does not know.
fn check_envelope(src: &SourceText, value: &serde_json::Value) -> Result<(), Diagnostics> {
    // a document that is not an object is told so by `from_json`, in the words for a missing `answers`
    let Some(object) = value.as_object() else {
        return Ok(());
    };
    let mut problems = Diagnostics::default();
    for key in object.keys() {
        if !ANSWERS_FIELDS.contains(&key.as_str()) {
            let hint = nearest(key, ANSWERS_FIELDS.iter().copied())
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            problems.push(src.diagnostic_at(
                &JsonPath::root().key(key),
                format!("unknown field `{key}`{hint}; an answers file has only `answers`, `schema_version` and `description`"),
                "remove the field, or move the answer inside \"answers\"",
            ));
        }
    }
    if let Some(v) = object.get("schema_version") {
        let path = JsonPath::root().key("schema_version");
        match v.as_u64() {
            Some(n) if n == ANSWERS_SCHEMA_VERSION => {}
            Some(n) if n > ANSWERS_SCHEMA_VERSION => problems.push(src.diagnostic_at(
                &path,
                format!("this answers file uses schema version {n}, newer than this Statecraft reads (version {ANSWERS_SCHEMA_VERSION})"),
                format!("open it with a newer Statecraft, or save it from there as schema version {ANSWERS_SCHEMA_VERSION}"),
            )),
            _ => problems.push(src.diagnostic_at(
                &path,
                format!("`schema_version` is {v}; expected {ANSWERS_SCHEMA_VERSION}"),
                format!("set \"schema_version\": {ANSWERS_SCHEMA_VERSION}, or remove it"),
            )),
        }
    }
    problems.0.sort_by_key(|d| (d.line, d.column));
    problems.into_result(())
}

const ANSWERS_SHAPE: &str = "a JSON object {\"answers\": {\"<question id>\": <value>, ...}}";

fn expected_fix(question: &Question) -> String {
    match question.kind {
        QuestionKind::Bool => "answer true or false".into(),
        QuestionKind::Number => format!(
            "answer a number from {} to {}{}",
            format::number(question.min.unwrap_or(0.0)),
            format::number(question.max.unwrap_or(0.0)),
            question
                .unit
                .as_deref()
                .map(|u| format!(" ({u})"))
                .unwrap_or_default()
        ),
        QuestionKind::Single => format!("answer one of: {}", option_list(question)),
        QuestionKind::Multi => format!("answer a list of: {}", option_list(question)),
    }
}

fn option_list(question: &Question) -> String {
    question
        .options
        .iter()
        .map(|o| format!("\"{}\"", o.id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads a JSON value as the question's kind expects, so a number is never taken for an option.
pub fn value_from_json(
    question: &Question,
    raw: &serde_json::Value,
) -> Result<AnswerValue, String> {
    use serde_json::Value;
    match (question.kind, raw) {
        (QuestionKind::Bool, Value::Bool(b)) => Ok(AnswerValue::Bool(*b)),
        (QuestionKind::Number, Value::Number(n)) => n
            .as_f64()
            .map(AnswerValue::Number)
            .ok_or_else(|| "the number is out of range".into()),
        (QuestionKind::Single, Value::String(s)) => Ok(AnswerValue::Choice(s.clone())),
        (QuestionKind::Multi, Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str().map(str::to_string).ok_or_else(|| {
                    format!("expected option ids (strings) in the list, found {item}")
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(AnswerValue::Choices),
        (_, other) => Err(format!(
            "expected {}, found {}",
            expected_kind(question.kind),
            json_kind(other)
        )),
    }
}

fn json_kind(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "null".into(),
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Number(n) => format!("the number {n}"),
        serde_json::Value::String(s) => format!("the string \"{s}\""),
        serde_json::Value::Array(_) => "a list".into(),
        serde_json::Value::Object(_) => "an object".into(),
    }
}

/// A file-less diagnostic for answers given in code (the GUI), naming the question.
pub fn check_answer(
    knowledge: &Knowledge,
    question: &str,
    value: &AnswerValue,
) -> Result<(), Diagnostic> {
    let q = knowledge.question(question).ok_or_else(|| {
        Diagnostic::new(
            "answers",
            format!("there is no question `{question}`"),
            "use a question id from `statecraft questions`",
        )
    })?;
    check_value(q, value).map_err(|why| {
        Diagnostic::new(
            "answers",
            format!("the answer to `{question}` is not valid: {why}"),
            expected_fix(q),
        )
    })
}
