//! The advice engine: which rules fire, the archetype scores they add up to, the stack, and the
//! tipping points — for each answered question, the nearest other answer that changes the
//! recommendation, found by re-running the engine on each alternative (so it is exact).
//!
//! Re-running is cheap because an `Engine` indexes, per question, the rules that can change when its
//! answer does (rules that read it, or read a question whose visibility depends on it): an
//! alternative answer re-evaluates only those.

use crate::ids::{QuestionId, StackId};
use serde::Serialize;

use super::answers::{self, Answers};
use std::sync::Arc;

use super::compose::{self, Active, Composer, Composition, Points};
use super::condition::{self, Comparison, Compiled, Slot};
use super::design_review::{Finding, Reviewer};
use super::knowledge::{AnswerValue, Archetype, Knowledge, QuestionKind, ScoreDelta, StackTier};
use super::knowledge::{catalogue, stack_ids};
use super::knowledge::{collect_refs, question_refs};
use super::wizard;

mod dress;
mod findings;
mod index;
mod tipping;
use findings::ConflictConditions;
pub use findings::{CloseCall, ConflictFound, Region, Relax, RunnerUp, Unmet, tiered};

/// Points per archetype, each the sum of fired rules' points.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Scores {
    pub stateless: i32,
    pub stateful: i32,
    pub hybrid: i32,
}

impl Scores {
    pub fn get(&self, a: Archetype) -> i32 {
        match a {
            Archetype::Stateless => self.stateless,
            Archetype::Stateful => self.stateful,
            Archetype::Hybrid => self.hybrid,
        }
    }

    fn add(&mut self, d: &ScoreDelta, sign: i32) {
        self.stateless += sign * d.stateless;
        self.stateful += sign * d.stateful;
        self.hybrid += sign * d.hybrid;
    }

    /// The highest score; ties go to stateless, then hybrid, then stateful.
    pub fn winner(&self) -> Archetype {
        let mut best = Archetype::PREFERENCE[0];
        for a in Archetype::PREFERENCE {
            if self.get(a) > self.get(best) {
                best = a;
            }
        }
        best
    }

    /// How far the winner leads the runner-up.
    pub fn margin(&self) -> i32 {
        let w = self.winner();
        let runner_up = Archetype::ALL
            .iter()
            .filter(|&&a| a != w)
            .map(|&a| self.get(a))
            .max()
            .unwrap_or(0);
        self.get(w) - runner_up
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FiredRule {
    pub id: String,
    pub rationale: String,
    /// The source id in the knowledge base.
    pub source: String,
    /// The source as a reader can follow it (seed file and section, or AWS page).
    pub citation: String,
    pub scores: ScoreDelta,
    pub stacks: Vec<(String, i32)>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StackService {
    pub id: String,
    pub name: String,
    pub role: String,
    /// The tier it fills. A companion (ECS, which Fargate runs under) carries the tier of the service
    /// it comes with; `None` where a pinned reference stack lists a service no tier names.
    pub tier: Option<StackTier>,
    /// One sentence: why it is in the stack.
    pub why: String,
    /// The questions whose answers put it there.
    pub because: Vec<String>,
    /// It comes with another service of its tier rather than filling the tier itself.
    #[serde(skip)]
    pub companion: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StackChoice {
    pub id: StackId,
    pub name: String,
    pub archetype: Archetype,
    pub points: i32,
    pub services: Vec<StackService>,
    /// Composed from the answers tier by tier (the id spells out the tiers), or, when the
    /// composition equals one, the reference stack it equals.
    pub composed: bool,
    pub reference: Option<StackId>,
}

impl StackChoice {
    /// The service that fills `tier`, if the stack has that tier (not a companion that comes with
    /// it, whichever the stack lists first).
    pub fn in_tier(&self, tier: StackTier) -> Option<&str> {
        self.services
            .iter()
            .find(|s| s.tier == Some(tier) && !s.companion)
            .map(|s| s.id.as_str())
    }
}

/// A hard requirement read from the answers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RequirementMet {
    pub id: String,
    pub text: String,
    pub tier: StackTier,
    pub because: Vec<String>,
    /// Whether the stack meets it (false only when nothing in the catalogue can, with the rest).
    pub met: bool,
}

/// A stack, service or archetype a requirement rules out.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Excluded {
    pub id: String,
    /// "ALB speaks http and websocket; clients speak raw TCP".
    pub why: String,
    pub requirement: String,
    /// `service`, `stack` or `archetype`.
    pub kind: &'static str,
}

/// An answer that decides the archetype: a requirement that only some archetypes can meet.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Decisive {
    pub requirement: String,
    pub text: String,
    pub because: Vec<String>,
    pub rules_out: Vec<Archetype>,
    /// What the points alone would have recommended.
    pub outvoted: Archetype,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TippingPoint {
    pub question: QuestionId,
    pub question_text: String,
    pub from: AnswerValue,
    pub to: AnswerValue,
    pub from_label: String,
    pub to_label: String,
    pub recommendation: Archetype,
    pub stack: StackId,
    pub scores: Scores,
    /// Answering otherwise means building a different product (`workload`), not a choice the
    /// team can make for this one.
    pub different_product: bool,
    /// Whether the question is one a requirement reads (connections, sessions, latency, uploads…).
    pub requirement: bool,
}

impl TippingPoint {
    /// "Answer “yes” to “…” (now “no”) and the recommendation becomes stateful."
    pub fn sentence(&self) -> String {
        let s = format!(
            "Answer “{}” to “{}” (now “{}”) and the recommendation becomes {}.",
            self.to_label, self.question_text, self.from_label, self.recommendation
        );
        if self.different_product {
            format!("{s} (That is a different product, not a choice for this one.)")
        } else {
            s
        }
    }
}

/// A reference stack and the points the fired rules gave it. Written as `["id", points]`, as the
/// command line's contract has always had it.
#[derive(Clone, Debug, PartialEq)]
pub struct RankedStack {
    pub stack: crate::ids::StackId,
    pub points: i32,
}

impl Serialize for RankedStack {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (&self.stack, self.points).serialize(s)
    }
}

/// An explained recommendation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Advice {
    pub recommendation: Archetype,
    pub scores: Scores,
    pub stack: StackChoice,
    /// Every reference stack with its points, best first.
    pub stack_ranking: Vec<RankedStack>,
    /// Shared with the engine: an explanation is built once per rule, not once per advice.
    pub fired_rules: Vec<Arc<FiredRule>>,
    pub tipping_points: Vec<TippingPoint>,
    /// The hard requirements read from the answers.
    pub requirements: Vec<RequirementMet>,
    /// Services, reference stacks and archetypes a requirement rules out.
    pub excluded: Vec<Excluded>,
    /// Requirements that decide the archetype whatever the points say.
    pub decisive: Vec<Decisive>,
    /// Tiers the answers do not call for, left out of the stack.
    pub omitted: Vec<StackTier>,
    /// The design review of the stack: blockers first, then risks with their mitigations, then notes.
    pub review: Vec<Finding>,
    /// Requirements and blockers the stack cannot meet, with the answers that would relax them.
    pub unmet: Vec<Unmet>,
    /// Answers that contradict each other.
    pub conflicts: Vec<ConflictFound>,
    /// The runner-up, when the recommendation won by a few points or a tie.
    pub close_call: Option<CloseCall>,
    /// The Region the advice and its prices are for.
    pub region: Region,
    pub knowledge_version: String,
    /// The answers that counted (answers to hidden questions are dropped); serialised as `"answers": {...}`.
    #[serde(flatten)]
    pub answers: Answers,
}

impl Advice {
    /// Fired rules that pushed the recommended archetype, strongest first: the decision's drivers.
    pub fn drivers(&self) -> Vec<&FiredRule> {
        let a = self.recommendation;
        let mut drivers: Vec<&FiredRule> = self
            .fired_rules
            .iter()
            .map(|r| r.as_ref())
            .filter(|r| r.scores.get(a) > 0)
            .collect();
        drivers.sort_by_key(|r| std::cmp::Reverse(r.scores.get(a)));
        drivers
    }
}

/// The knowledge plus the indexes that make tipping points cheap. Build once, advise many times.
pub struct Engine<'k> {
    k: &'k Knowledge,
    /// Per question: rules that read it.
    reads: Vec<Vec<usize>>,
    /// Per question: rules whose outcome may change when its answer does (they read it, or read a
    /// question whose visibility depends on it).
    affected: Vec<Vec<usize>>,
    /// Per question: whether a `show_if` reads it, so that another answer can show or hide questions.
    steers: Vec<bool>,
    /// Per question: the numbers its conditions compare it with (the candidates for tipping points).
    thresholds: Vec<Vec<(f64, Comparison)>>,
    /// Per question: (threshold, rule) sorted by threshold, to re-evaluate only the rules whose
    /// boundary a number sweep crosses.
    threshold_rules: Vec<Vec<(f64, usize)>>,
    /// Per rule: (index, points) into the points vector: reference stacks first, then services.
    rule_stacks: Vec<Vec<(usize, i32)>>,
    /// Per rule: the question ids its condition reads.
    rule_refs: Vec<Vec<String>>,
    /// Per question: whether a requirement reads it.
    requirement_questions: Vec<bool>,
    composer: Composer,
    /// Per rule: its condition with ids resolved to indices.
    compiled: Vec<Compiled>,
    /// Per rule: its explanation, built once.
    explained: Vec<Arc<FiredRule>>,
    /// The design review's checks, compiled.
    reviewer: Reviewer,
    conflict_conditions: ConflictConditions,
}

/// The outcome of one evaluation, before it is dressed for people.
#[derive(Clone, Debug)]
struct Outcome {
    /// The answers that counted, by question index.
    slots: Vec<Option<Slot>>,
    fired: Vec<bool>,
    scores: Scores,
    /// Points per reference stack, then per service.
    stack_points: Vec<i32>,
    /// The requirements that hold.
    active: Active,
}

impl<'k> Engine<'k> {
    pub fn knowledge(&self) -> &'k Knowledge {
        self.k
    }

    fn evaluate(&self, effective: &Answers) -> Outcome {
        let slots = condition::slots(self.k, effective);
        let active = self.composer.active(&slots, None);
        let mut outcome = Outcome {
            slots,
            fired: vec![false; self.k.rules.len()],
            scores: Scores::default(),
            stack_points: vec![0; self.k.stacks.len() + self.k.services.len()],
            active,
        };
        for (i, rule) in self.compiled.iter().enumerate() {
            if rule.holds(&outcome.slots, None) {
                outcome.fired[i] = true;
                self.apply(&mut outcome.scores, &mut outcome.stack_points, i, 1);
            }
        }
        outcome
    }

    fn apply(&self, scores: &mut Scores, stack_points: &mut [i32], rule: usize, sign: i32) {
        scores.add(&self.k.rules[rule].scores, sign);
        for &(s, points) in &self.rule_stacks[rule] {
            stack_points[s] += sign * points;
        }
    }

    /// Scores and stack points after re-evaluating `rules` against `slots` with the `over` answer
    /// replaced (all other rules keep their outcome in `base`).
    fn rescore(
        &self,
        base: &Outcome,
        rules: &[usize],
        slots: &[Option<Slot>],
        over: Option<(usize, Slot)>,
    ) -> (Scores, Vec<i32>) {
        let mut scores = base.scores;
        let mut points = base.stack_points.clone();
        for &r in rules {
            let now = self.compiled[r].holds(slots, over);
            if now != base.fired[r] {
                self.apply(&mut scores, &mut points, r, if now { 1 } else { -1 });
            }
        }
        (scores, points)
    }

    /// Scores, points and requirements with question `q` answered `alt`.
    fn with_answer(
        &self,
        base: &Outcome,
        q: usize,
        answers: &Answers,
        alt: &AnswerValue,
    ) -> (Scores, Vec<i32>, Active) {
        let question = &self.k.questions[q];
        if self.steers[q] {
            // another answer may show or hide questions: recompute what counts
            let changed = wizard::effective(self.k, &answers.with(&question.id, alt.clone()));
            let slots = condition::slots(self.k, &changed);
            let (scores, points) = self.rescore(base, &self.affected[q], &slots, None);
            (scores, points, self.composer.active(&slots, None))
        } else {
            let over = Slot::of(question, alt).map(|slot| (q, slot));
            let (scores, points) = self.rescore(base, &self.reads[q], &base.slots, over);
            (scores, points, self.composer.active(&base.slots, over))
        }
    }

    /// The recommendation: the best-scoring archetype that can meet every requirement (ties go to
    /// stateless, then hybrid, then stateful). When none can, the best-scoring one, whose stack
    /// then lists what it breaks.
    fn decide(&self, scores: &Scores, active: &Active) -> Archetype {
        let mut ranked = Archetype::PREFERENCE;
        // stable: equal scores keep the preference order
        ranked.sort_by_key(|a| std::cmp::Reverse(scores.get(*a)));
        ranked
            .into_iter()
            .find(|a| self.composer.feasible(self.k, active, *a))
            .unwrap_or_else(|| scores.winner())
    }

    fn points<'a>(&self, points: &'a [i32]) -> Points<'a> {
        let n = self.k.stacks.len();
        Points {
            stacks: &points[..n],
            services: &points[n..],
        }
    }

    /// The stack the composition makes, named after the reference stack it equals, if any.
    fn composed_stack(&self, c: &Composition) -> (String, Option<usize>) {
        let picks = c.picks();
        let mut mine: Vec<(StackTier, usize)> = picks
            .iter()
            .filter_map(|(t, s)| {
                self.k
                    .services
                    .iter()
                    .position(|x| &x.id == s)
                    .map(|i| (*t, i))
            })
            .collect();
        mine.sort_unstable();
        let reference = (0..self.k.stacks.len()).find(|&i| {
            self.k.stacks[i].archetype == c.archetype && self.composer.stack_tiers(i) == mine
        });
        match reference {
            Some(i) => (self.k.stacks[i].id.clone(), Some(i)),
            None => (stack_ids::composed_id(c.archetype, &picks), None),
        }
    }

    /// The recommendation and its explanation, without tipping points, the answers that relax an
    /// unmet requirement or a close call's runner-up (for live "leaning" displays).
    pub fn evaluate_only(&self, answers: &Answers) -> Advice {
        let effective = wizard::effective(self.k, answers);
        let outcome = self.evaluate(&effective);
        self.dress(&outcome, effective, Vec::new(), false)
    }

    /// Whether some archetype can meet every requirement these answers imply.
    pub fn feasible_anywhere(&self, answers: &Answers) -> bool {
        let effective = wizard::effective(self.k, answers);
        let slots = condition::slots(self.k, &effective);
        let active = self.composer.active(&slots, None);
        Archetype::ALL
            .iter()
            .any(|a| self.composer.feasible(self.k, &active, *a))
    }

    /// The full advice, tipping points included.
    pub fn advise(&self, answers: &Answers) -> Advice {
        let effective = wizard::effective(self.k, answers);
        let outcome = self.evaluate(&effective);
        let tipping = self.tipping_points(answers, &effective, &outcome);
        self.dress(&outcome, effective, tipping, true)
    }
}

/// One-shot advice: builds the engine and advises. The front ends reach it through
/// `decision::advise`; the simulator's checks call it here, below the use-case layer (the app keeps
/// an [`Engine`] to advise again as answers change).
pub fn advise(k: &Knowledge, answers: &Answers) -> Advice {
    Engine::new(k).advise(answers)
}
