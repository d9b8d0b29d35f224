//! `statecraft scenario --answers FILE`: the scenario the answers describe, as `simulate --scenario`
//! reads it, with where each value came from (answered, the question's default, the workload's
//! request profile, or a formula over them).

use std::io::Write;
use std::path::Path;

use serde_json::Value;

use super::{Format, json, write_out};
use crate::domain::decision::{self, Described};
use crate::domain::diagnostic::Diagnostics;
use crate::domain::format;
use crate::domain::knowledge::Knowledge;

pub fn run(
    answers: &Path,
    format: Format,
    pack: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), Diagnostics> {
    let k = Knowledge::load(pack)?;
    let inputs = decision::read_inputs(answers, &k)?;
    for warning in &inputs.warnings {
        eprintln!(
            "warning: {}: {}",
            answers.display(),
            crate::domain::diagnostic::shown(warning)
        );
    }
    // on the stack `advise --answers` prints for the same file (and a record of it holds), so the
    // commands tell one story
    let advice = decision::advise(&k, &inputs.answers);
    let described = decision::describe(&k, &advice.stack.id, &inputs.answers, inputs.evidence.seed);
    let text = match format {
        Format::Json => json(&described_json(&described)),
        Format::Text => described_text(&described),
    };
    write_out(out, &text)
}

/// The scenario file's JSON with `origins` (the contract's one word per field) and `basis` (the
/// sentence behind each word) in it; `simulate --scenario` reads it as it is.
pub fn described_json(d: &Described) -> Value {
    let mut scenario = d.scenario.clone();
    for (field, o) in &d.origins {
        scenario
            .origins
            .insert((*field).to_string(), o.word().into());
        scenario.basis.insert((*field).to_string(), o.sentence());
    }
    serde_json::to_value(&scenario).unwrap_or(Value::Null)
}

/// A field's value in the scenario, for the text listing (`traffic.peak_rps` → its likely value).
fn shown_value(scenario: &Value, field: &str) -> String {
    let mut at = scenario;
    for key in field.split('.') {
        match at.get(key) {
            Some(v) => at = v,
            None => return "—".into(),
        }
    }
    match at {
        Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), format::number),
        Value::String(s) => s.clone(),
        Value::Object(range) => {
            let part = |k: &str| range.get(k).and_then(Value::as_f64).map(format::number);
            match (part("low"), part("likely"), part("high")) {
                (Some(l), Some(m), Some(h)) => format!("{m} ({l}–{h})"),
                _ => at.to_string(),
            }
        }
        other => other.to_string(),
    }
}

fn described_text(d: &Described) -> String {
    let scenario = serde_json::to_value(&d.scenario).unwrap_or(Value::Null);
    let mut s = format!(
        "The scenario the answers describe, on stack {} (seed {}):\n",
        d.scenario.stack.as_deref().unwrap_or("—"),
        d.scenario.seed
    );
    for (field, origin) in &d.origins {
        s.push_str(&format!(
            "  {field} = {}\n      {}\n",
            shown_value(&scenario, field),
            crate::domain::diagnostic::shown(&origin.sentence())
        ));
    }
    s.push_str(
        "Write it with --format json and simulate it: statecraft simulate --scenario FILE\n",
    );
    s
}
