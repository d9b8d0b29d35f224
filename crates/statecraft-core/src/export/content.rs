//! What a record says, as data: built from the advice (and, where scenarios were given, the
//! simulation), and handed to the template. Every claim carries the ids of the sources behind it, so
//! the template can cite them and a test can check that each one exists in the knowledge base.
//!
//! Here: the record's data types and `build`, which assembles them. `context.rs` words the problem,
//! the answers and why the choice won; `options.rs` the options weighed; `consequences.rs` the
//! consequences and the checks that confirm the choice.

mod consequences;
mod context;
mod options;

use consequences::{confirmation_checks, consequences, mitigations_in_place};
use context::{answer_views, because, problem_statement, requirement_views};
use options::{fallback_option, option_views, rule_claim};

use crate::ids::StackId;
use serde::Serialize;

use super::super::knowledge::{Archetype, Knowledge};
use super::super::rules::{Advice, Scores};
use super::super::sim::chaos::{ChaosChoice, ChaosOutcome};
use super::confirm::{self, CHAOS_SOURCE, Experiment};
use super::curves::OptionFigures;
use super::diagram;
use super::front_matter::RecordMeta;
use super::simulation::{SimulationView, link};

/// The template's context: everything a record shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecordData {
    pub title: String,
    pub meta: RecordMeta,
    pub knowledge_version: String,
    pub recommendation: Archetype,
    /// "Hybrid".
    pub recommendation_label: String,
    pub scores: Scores,
    pub problem: String,
    pub answers: Vec<AnswerView>,
    pub drivers: Vec<Claim>,
    /// Drivers left out of the list above (they appear under the options).
    pub more_drivers: usize,
    pub options: Vec<OptionView>,
    pub chosen: OptionView,
    pub because: String,
    pub consequences: Consequences,
    pub diagram: String,
    pub confirmation: Confirmation,
    pub tripwires: Vec<Claim>,
    /// The hard requirements the answers imply, which the stack meets.
    pub requirements: Vec<RequirementView>,
    /// Services, stacks and archetypes a requirement rules out, each with why.
    pub ruled_out: Vec<String>,
    /// The simulated scenarios, in the order given.
    pub simulations: Vec<SimulationView>,
    /// The Chaos Monkey test the team ran, on the chosen stack and the other options that run servers.
    pub chaos: Option<ChaosView>,
    /// The record this one supersedes.
    pub supersedes: Option<RecordLink>,
    pub reproduce: Reproduce,
    pub sources: Vec<SourceView>,
}

/// A sentence and the evidence behind it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Claim {
    pub text: String,
    /// Ids in the knowledge base's sources.
    pub sources: Vec<String>,
    /// The rule that says it, and its points for the archetype at hand ("+4").
    pub rule: Option<String>,
    pub points: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnswerView {
    pub id: String,
    pub question: String,
    /// The answer, or for a default "… (default: not answered)".
    pub answer: String,
    /// The team left the question at its default.
    pub default: bool,
    pub sources: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServiceView {
    pub id: String,
    pub name: String,
    pub role: String,
    /// Why it is in the chosen stack (empty for another option's services).
    pub why: String,
    /// The questions whose answers put it there, comma-separated.
    pub because: String,
    /// What a record's list says of it: why it is there, or else its role.
    pub text: String,
    /// " (because of workload, …)", or nothing.
    pub because_note: String,
}

/// A hard requirement read from the answers, as the record lists it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RequirementView {
    pub text: String,
    pub tier: String,
    pub because: String,
    pub met: bool,
    /// What the record adds after it: nothing, or that the stack cannot meet it.
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OptionView {
    pub archetype: Archetype,
    /// "Hybrid — ALB + EC2 Auto Scaling + ElastiCache sessions + RDS".
    pub title: String,
    pub chosen: bool,
    pub score: i32,
    pub stack_id: StackId,
    pub stack_name: String,
    pub stack_points: i32,
    pub summary: String,
    pub services: Vec<ServiceView>,
    pub good: Vec<Claim>,
    pub bad: Vec<Claim>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Consequences {
    pub good: Vec<Claim>,
    pub bad: Vec<Claim>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Confirmation {
    pub experiment: Option<Experiment>,
    pub experiment_sources: Vec<String>,
    /// Figures that would confirm the decision in production.
    pub checks: Vec<Claim>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reproduce {
    pub hash: String,
    pub seed: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SourceView {
    pub id: String,
    pub title: String,
    /// The seed file and section, or the AWS page.
    pub citation: String,
    /// `https://…` for AWS pages.
    pub link: Option<String>,
}

/// Another record in the decisions folder: `ADR-0001` and its file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecordLink {
    /// `ADR-0001`.
    pub id: String,
    pub number: u32,
    pub file: String,
}

/// The Chaos Monkey test as the record tells it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChaosView {
    pub server: String,
    pub outcomes: Vec<ChaosOutcome>,
    /// One sentence per design.
    pub sentences: Vec<String>,
}

impl ChaosView {
    pub fn of(choice: &ChaosChoice, outcomes: Vec<ChaosOutcome>) -> ChaosView {
        ChaosView {
            server: choice.server.clone(),
            sentences: outcomes
                .iter()
                .map(|o| o.sentence(&choice.server))
                .collect(),
            outcomes,
        }
    }
}

/// What the simulated scenarios add to a record.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Simulated {
    pub views: Vec<SimulationView>,
    pub chaos: Option<ChaosView>,
    /// Where cost curves cross.
    pub tripwires: Vec<Claim>,
    /// Cost and latency points for each considered option.
    pub options: Vec<OptionFigures>,
}

/// Source ids in the order the record first cites them; ids the base does not know are dropped, so
/// the record never points at evidence that is not there.
#[derive(Default)]
struct Citations {
    order: Vec<String>,
}

impl Citations {
    fn cite(&mut self, k: &Knowledge, id: Option<&str>) -> Vec<String> {
        match id.filter(|id| k.source(id).is_some()) {
            Some(id) => {
                if !self.order.iter().any(|o| o == id) {
                    self.order.push(id.to_string());
                }
                vec![id.to_string()]
            }
            None => Vec::new(),
        }
    }

    fn views(&self, k: &Knowledge) -> Vec<SourceView> {
        self.order
            .iter()
            .filter_map(|id| k.source(id))
            .map(|s| SourceView {
                id: s.id.clone(),
                title: s.title.clone(),
                citation: s.citation(),
                link: s.url.as_deref().map(link),
            })
            .collect()
    }
}

pub fn label(a: Archetype) -> &'static str {
    match a {
        Archetype::Stateless => "Stateless",
        Archetype::Stateful => "Stateful",
        Archetype::Hybrid => "Hybrid",
    }
}

/// The most drivers listed by name; the rest are counted (they all appear under the options).
const DRIVERS_LISTED: usize = 8;

/// Builds the record's content from the advice.
pub fn build(
    k: &Knowledge,
    advice: &Advice,
    meta: RecordMeta,
    hash: &str,
    simulated: Simulated,
    defaults: &[String],
) -> RecordData {
    let Simulated {
        views: simulations,
        chaos,
        tripwires: simulated_tripwires,
        options: option_figures,
    } = simulated;
    let mut cites = Citations::default();
    let chosen_stack = k.stack(&advice.stack.id);
    let answers = answer_views(k, advice, defaults, &mut cites);
    let drivers_all = advice.drivers();
    let drivers: Vec<Claim> = drivers_all
        .iter()
        .take(DRIVERS_LISTED)
        .map(|r| rule_claim(k, r, advice.recommendation, &mut cites))
        .collect();
    let options = option_views(k, advice, &option_figures, &mut cites);
    let chosen = options
        .iter()
        .find(|o| o.chosen)
        .cloned()
        .unwrap_or_else(|| fallback_option(advice));
    let consequences = consequences(k, advice, chosen_stack, &mut cites);
    let experiment = chosen_stack.and_then(|s| confirm::chaos_experiment(k, s));
    let experiment_sources = cites.cite(k, Some(CHAOS_SOURCE));
    let main_sim = simulations.iter().find(|s| s.chosen_stack);
    let mut checks = confirmation_checks(k, advice, main_sim, chaos.as_ref());
    checks.extend(mitigations_in_place(k, advice, &mut cites));
    let tripwires = advice
        .tipping_points
        .iter()
        .map(|t| {
            let stack = k.stack(&t.stack).map_or(t.stack.as_str(), |s| &s.name);
            Claim {
                text: format!("{} Its stack would be {stack}.", t.sentence()),
                ..Claim::default()
            }
        })
        .chain(simulated_tripwires)
        .collect();
    let tripwires: Vec<Claim> = tripwires;
    if tripwires.is_empty() {
        // no tripwire to check: the cost line points nowhere else
        for c in &mut checks {
            if let Some(text) = c.text.strip_suffix(", so check the tripwires below.") {
                c.text = format!("{text}.");
            }
        }
    }
    let because = because(advice);
    let problem = problem_statement(k, advice, &answers);
    let diagram = chosen_stack
        .map(|s| diagram::StackGraph::of(k, s).to_mermaid())
        .unwrap_or_default();
    let seed = simulations.first().map(|s| s.seed);
    RecordData {
        title: format!(
            "Use a {} stack: {}",
            advice.recommendation, advice.stack.name
        ),
        meta,
        knowledge_version: advice.knowledge_version.clone(),
        recommendation: advice.recommendation,
        recommendation_label: label(advice.recommendation).to_string(),
        scores: advice.scores,
        problem,
        answers,
        more_drivers: drivers_all.len().saturating_sub(DRIVERS_LISTED),
        drivers,
        options,
        chosen,
        because,
        consequences,
        diagram,
        confirmation: Confirmation {
            experiment,
            experiment_sources,
            checks,
        },
        tripwires,
        requirements: requirement_views(advice),
        ruled_out: advice.excluded.iter().map(|e| e.why.clone()).collect(),
        simulations,
        chaos,
        supersedes: None,
        reproduce: Reproduce {
            hash: hash.to_string(),
            seed,
        },
        sources: cites.views(k),
    }
}
