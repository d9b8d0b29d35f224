//! The design review as data (rules.json's `checks`), and answers that contradict each other
//! (rules.json's `conflicts`).
//!
//! A check is what a principal architect asks of a stack before signing it: a quota against the
//! answered load, a store's durability against the answered loss tolerance, a protocol path end to
//! end. It names the services it reviews, when it applies (a condition over the answers, an answer
//! past a sourced figure, or a warning rule that fired), how bad a finding is, what mitigates it and
//! what the mitigation costs, and the source and date its numbers come from.

use serde::{Deserialize, Serialize};

use super::model::{Condition, StackTier};

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The stack cannot meet what the answers ask: the composer avoids it where any stack can.
    Blocker,
    /// It works with the mitigation, which the advice names (and prices).
    Risk,
    /// Worth knowing; changes nothing.
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Blocker => "blocker",
            Severity::Risk => "risk",
            Severity::Note => "note",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An answer against a sourced figure: `exceeds` applies when `answer` > `figure` × `factor`,
/// `under` when `answer` < `figure` × `factor`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    /// A number question's id.
    pub answer: String,
    /// A figure's id in figures.json (its value, source and date are the check's numbers).
    pub figure: String,
    /// Scales the figure (a Lambda concurrency of 1,000 serves 1,000 / 0.05 s = 20,000 requests/s).
    #[serde(default = "one")]
    pub factor: f64,
}

fn one() -> f64 {
    1.0
}

/// What makes a finding acceptable, and what that costs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mitigation {
    pub text: String,
    /// The price (prices.json) the mitigation adds to the bill, where it has one.
    #[serde(default)]
    pub price: Option<String>,
    /// Why it adds nothing to the bill, where it has no price ("a quota increase is free").
    #[serde(default)]
    pub no_charge: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    pub id: String,
    /// The services it reviews: it applies to a stack that has any of them (in `tier`, when given),
    /// and the finding names the one it found.
    pub services: Vec<String>,
    /// The tier the reviewed service must fill (a DynamoDB session store, not a DynamoDB database).
    #[serde(default)]
    pub tier: Option<StackTier>,
    /// Services that must also be in the stack (an ALB `with` Lambda behind it).
    #[serde(default)]
    pub with: Vec<String>,
    /// Services whose presence already answers the check (a CDN in front of the origin).
    #[serde(default)]
    pub without: Vec<String>,
    /// A compliance program (`hipaa`, `pci-dss`, `soc2`): the check reviews every service of the
    /// stack whose `in_scope` lacks it, instead of the services it lists.
    #[serde(default)]
    pub outside_scope: Option<String>,
    /// Tiers whose presence already answers the check, whatever fills them (a journal tier keeps
    /// state in a server's memory durable).
    #[serde(default)]
    pub without_tiers: Vec<StackTier>,
    /// When it applies, over the answers. With `exceeds` or `under`, every one given must hold; a
    /// rule naming the check in `review` makes it apply whenever the rule fires.
    #[serde(default)]
    pub when: Option<Condition>,
    #[serde(default)]
    pub exceeds: Option<Threshold>,
    #[serde(default)]
    pub under: Option<Threshold>,
    pub severity: Severity,
    /// The finding; `{answer}` and `{figure}` stand for the answered number and the figure × factor.
    pub text: String,
    #[serde(default)]
    pub mitigation: Option<Mitigation>,
    #[serde(default)]
    pub source: Option<String>,
    /// When its figures were checked (`YYYY-MM`).
    pub as_of: String,
}

/// Answers that cannot all be true of one product.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conflict {
    pub id: String,
    /// Holds when the answers contradict each other.
    pub when: Condition,
    /// What contradicts what, and which answer to change.
    pub text: String,
    #[serde(default)]
    pub source: Option<String>,
}
