//! The wizard's questions and the answers they take, and the rules that read the answers (their
//! conditions and the points they give), as questions.json and rules.json hold them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Archetype;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuestionKind {
    Single,
    Multi,
    Number,
    Bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionOption {
    pub id: String,
    pub label: String,
    /// "None of these": in a multi-choice question it stands alone, never beside another option.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exclusive: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub text: String,
    pub help: String,
    pub kind: QuestionKind,
    #[serde(default)]
    pub options: Vec<QuestionOption>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub step: Option<f64>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub default: Option<AnswerValue>,
    #[serde(default)]
    pub show_if: Option<Condition>,
    /// The source (an id in sources.json) of why the question matters.
    #[serde(default)]
    pub source: Option<String>,
    /// Answering it otherwise means building a different product (`workload`): its tipping points
    /// come after those a team can act on, and say so.
    #[serde(default)]
    pub product: bool,
    /// A number question whose usual answer is the answered workload's request profile's figure
    /// (`request_ms`, `response_kb`…): the wizard shows that figure as its default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_default: Option<String>,
}

impl Question {
    pub fn option(&self, id: &str) -> Option<&QuestionOption> {
        self.options.iter().find(|o| o.id == id)
    }

    pub fn option_index(&self, id: &str) -> Option<usize> {
        self.options.iter().position(|o| o.id == id)
    }

    pub fn step(&self) -> f64 {
        self.step.filter(|s| *s > 0.0).unwrap_or(1.0)
    }

    /// A readable form of an answer to this question ("Yes", "Sticky sessions", "5000 requests/s").
    pub fn describe(&self, value: &AnswerValue) -> String {
        match value {
            AnswerValue::Bool(true) => "yes".into(),
            AnswerValue::Bool(false) => "no".into(),
            AnswerValue::Number(n) => match &self.unit {
                Some(unit) => format!("{} {unit}", crate::format::number(*n)),
                None => crate::format::number(*n),
            },
            AnswerValue::Choice(id) => self
                .option(id)
                .map_or_else(|| id.clone(), |o| o.label.clone()),
            AnswerValue::Choices(ids) if ids.is_empty() => "none".into(),
            AnswerValue::Choices(ids) => ids
                .iter()
                .map(|id| {
                    self.option(id)
                        .map_or_else(|| id.clone(), |o| o.label.clone())
                })
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// One answer, shaped as its question's kind declares.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AnswerValue {
    Bool(bool),
    Number(f64),
    Choice(String),
    Choices(Vec<String>),
}

impl AnswerValue {
    pub fn kind_name(&self) -> &'static str {
        match self {
            AnswerValue::Bool(_) => "a bool",
            AnswerValue::Number(_) => "a number",
            AnswerValue::Choice(_) => "an option id",
            AnswerValue::Choices(_) => "a list of option ids",
        }
    }
}

/// A condition over answers. Written as one object with exactly one operator; the struct keeps every
/// operator optional so that a malformed condition is reported by validation with its place, not by serde.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<Vec<Condition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any: Option<Vec<Condition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not: Option<Box<Condition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eq: Option<AnswerValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ne: Option<AnswerValue>,
    #[serde(default, rename = "in", skip_serializing_if = "Option::is_none")]
    pub one_of: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gte: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gt: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lte: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lt: Option<f64>,
}

/// Points a fired rule adds to each archetype.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreDelta {
    #[serde(default)]
    pub stateless: i32,
    #[serde(default)]
    pub stateful: i32,
    #[serde(default)]
    pub hybrid: i32,
}

impl ScoreDelta {
    pub fn get(&self, archetype: Archetype) -> i32 {
        match archetype {
            Archetype::Stateless => self.stateless,
            Archetype::Stateful => self.stateful,
            Archetype::Hybrid => self.hybrid,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub when: Condition,
    #[serde(default)]
    pub scores: ScoreDelta,
    #[serde(default)]
    pub stacks: BTreeMap<String, i32>,
    /// Points added to a service when it is a candidate for a tier of the composed stack.
    #[serde(default)]
    pub services: BTreeMap<String, i32>,
    pub rationale: String,
    #[serde(default)]
    pub source: Option<String>,
    /// The design-review checks (`checks`) that carry this rule's warning to the stack: where the
    /// rule fires and the stack has the services a check names, the advice gives the finding and
    /// its mitigation, whatever the points chose.
    #[serde(default)]
    pub review: Vec<String>,
    /// The requirements (`requirements`) that enforce this rule's warning as a hard constraint, so
    /// the stack cannot carry what it warns against.
    #[serde(default)]
    pub constrains: Vec<String>,
}
