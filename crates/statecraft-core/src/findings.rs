//! What a decision found, as one value: the advice (with its design review), the scenarios the record
//! simulates (the one the answers describe, with where each figure came from, when the team gave
//! none), each scenario's simulation and predictions, the curves its plots draw, each considered
//! option's figures at the scenario's peak, and the Chaos Monkey test's outcome on the chosen stack.
//!
//! `decision::findings` computes it (every call into the simulator and the advice engine is
//! there); `export` only words and renders it. The types live here, apart from both, so that the
//! record reads what the decision layer computed without reaching back into it.

pub mod predictions;

use crate::ids::StackId;
use std::collections::BTreeMap;

use crate::answers::Answers;
use crate::rules::Advice;
use crate::sim::chaos::{ChaosChoice, ChaosOutcome};
use crate::sim::explore::{CostCurve, Crossover, LatencyCurve, LatencyPoint};
use crate::sim::from_answers::{Disagreement, Expectations, Origin};
use crate::sim::{Scenario, SimReport};

use predictions::Predictions;

/// What a record carries besides the advice.
#[derive(Clone, Debug, PartialEq)]
pub struct Evidence {
    /// The team's scenarios, simulated in order. With none, the record simulates the scenario the
    /// answers describe (and `from_answers` is set on the record's evidence).
    pub scenarios: Vec<Scenario>,
    /// The scenarios were derived from the answers, not given by the team.
    pub from_answers: bool,
    /// The Chaos Monkey test the user ran, run again on the chosen stack and the other options.
    pub chaos: Option<ChaosChoice>,
    /// Monte Carlo bands for scenarios with ranges; off, their likely values only.
    pub bands: bool,
    /// The seed of the scenario derived from the answers and of the chaos test.
    pub seed: u64,
    /// The questions the answers hold only at their defaults (the team did not answer them): the
    /// record lists them as defaults, not as the team's answers.
    pub defaults: Vec<String>,
}

impl Default for Evidence {
    fn default() -> Self {
        Evidence {
            scenarios: Vec::new(),
            from_answers: false,
            chaos: None,
            bands: true,
            seed: crate::sim::scenario::DEFAULT_SEED,
            defaults: Vec::new(),
        }
    }
}

/// How much to compute: the whole record, or only what its provenance seals (a review compares
/// provenances, and the plots' curves and the chaos test are most of a record's time).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    Record,
    Provenance,
}

/// Everything a decision record states, computed once.
#[derive(Clone, Debug, PartialEq)]
pub struct Findings {
    pub detail: Detail,
    /// The answers the record carries (already checked against the knowledge).
    pub answers: Answers,
    /// The advice for them, with its design review (`advice.review`).
    pub advice: Advice,
    /// What the team expects (peak, p99 target), read from the answers: every figure is judged
    /// against these.
    pub expect: Expectations,
    /// The evidence as the record states it: the team's scenarios, or the scenario the answers
    /// describe (`from_answers` set), and the seed of the first scenario.
    pub evidence: Evidence,
    /// For the scenario the answers describe (the working scenario): where each of its figures came
    /// from. Empty when the team gave scenarios.
    pub origins: BTreeMap<&'static str, Origin>,
    /// The considered options' stacks: the chosen one first, then each other archetype's best.
    pub option_stacks: Vec<StackId>,
    /// Each simulated scenario, in the order the record lists them.
    pub runs: Vec<Run>,
    /// The Chaos Monkey test on the chosen stack and the other options' (with `Detail::Record`).
    pub chaos: Option<ChaosFound>,
}

impl Findings {
    /// The run the record's headline reads: the first on the chosen stack (the record adds one when
    /// every scenario of the team's pins another stack).
    pub fn headline(&self) -> Option<&Run> {
        self.runs
            .iter()
            .find(|r| r.report.stack.id == self.advice.stack.id)
    }
}

/// One simulated scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// The scenario as simulated (its likely values only when the bands are off).
    pub scenario: Scenario,
    pub report: SimReport,
    /// The record's own run of the first scenario on the chosen stack, not one of the team's.
    pub extra: bool,
    /// The p99 target the run is judged against: the team's where they answered one.
    pub target_ms: f64,
    /// The sessions the scenario's server kills lost (not scaling in's losses).
    pub sessions_lost_to_kills: u64,
    /// Where the scenario's figures differ from the team's answers.
    pub disagreements: Vec<Disagreement>,
    pub predictions: Predictions,
    /// The plots' curves (none for the extra run, or with `Detail::Provenance`).
    pub curves: Option<RunCurves>,
    /// Each considered option's figures at the scenario's peak (none for the extra run).
    pub options: Vec<OptionAtPeak>,
}

/// The curves a scenario's plots draw and the tripwires they give.
#[derive(Clone, Debug, PartialEq)]
pub struct RunCurves {
    /// The chosen stack as the curves compare it (the first option the simulator can price).
    pub chosen: StackId,
    /// The scenario's peak rate.
    pub peak_rps: f64,
    /// Cost against peak traffic for each option the simulator prices, the chosen one first.
    pub cost: Vec<CostCurve>,
    /// Where another option's cost curve crosses the chosen stack's.
    pub crossings: Vec<Crossing>,
    /// The serverless-versus-instances crossover, where the chosen stack is one side of it and
    /// the curves cross.
    pub lambda: Option<Crossover>,
    /// Latency against steady load for the chosen stack.
    pub latency: Option<LatencyCurve>,
}

/// A rate where another option's cost curve crosses the chosen stack's.
#[derive(Clone, Debug, PartialEq)]
pub struct Crossing {
    pub other: StackId,
    pub at_rps: f64,
    /// Past the crossing, the other option is the cheaper one.
    pub other_cheaper_above: bool,
}

/// A considered option at the scenario's peak.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionAtPeak {
    pub stack: StackId,
    /// Its monthly cost, where the simulator can price it.
    pub monthly_usd: Option<f64>,
    /// Its latency with the peak held steady.
    pub latency: Option<LatencyPoint>,
}

/// The Chaos Monkey test the team ran, run on the chosen stack first and the other options'.
#[derive(Clone, Debug, PartialEq)]
pub struct ChaosFound {
    pub choice: ChaosChoice,
    pub outcomes: Vec<ChaosOutcome>,
}
