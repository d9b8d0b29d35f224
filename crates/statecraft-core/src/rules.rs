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

mod findings;
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

/// An explained recommendation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Advice {
    pub recommendation: Archetype,
    pub scores: Scores,
    pub stack: StackChoice,
    /// Every stack with its points, best first.
    pub stack_ranking: Vec<(String, i32)>,
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
    pub fn new(k: &'k Knowledge) -> Self {
        let (steers, reach) = visibility(k);
        let (reads, affected, threshold_rules) = rule_reads(k, &reach);
        let composer = Composer::new(k);
        Engine {
            k,
            compiled: k.rules.iter().map(|r| Compiled::new(&r.when, k)).collect(),
            explained: explained(k),
            reads,
            affected,
            steers,
            thresholds: thresholds(k),
            threshold_rules,
            rule_stacks: rule_stacks(k),
            rule_refs: k.rules.iter().map(|r| question_refs(&r.when)).collect(),
            requirement_questions: requirement_questions(k, &composer),
            composer,
            reviewer: Reviewer::new(k),
            conflict_conditions: ConflictConditions::new(k),
        }
    }

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

    fn dress(
        &self,
        outcome: &Outcome,
        effective: Answers,
        tipping_points: Vec<TippingPoint>,
        full: bool,
    ) -> Advice {
        let k = self.k;
        let recommendation = self.decide(&outcome.scores, &outcome.active);
        let points = self.points(&outcome.stack_points);
        let composition = self.compose_reviewed(outcome, recommendation, &points);
        let mut stack_ranking: Vec<(String, i32)> = k
            .stacks
            .iter()
            .zip(points.stacks)
            .map(|(st, p)| (st.id.clone(), *p))
            .collect();
        stack_ranking.sort_by_key(|(_, p)| std::cmp::Reverse(*p));
        let fired: Vec<usize> = (0..k.rules.len()).filter(|&r| outcome.fired[r]).collect();
        let fired_rules = fired
            .iter()
            .map(|&r| Arc::clone(&self.explained[r]))
            .collect();
        let mut stack = self.stack_choice(&composition, &fired, &outcome.stack_points);
        let mut unmet = composition.unmet.clone();
        let mut pin_note: Option<Excluded> = None;
        if let Some(AnswerValue::Choice(pin)) = effective.get(catalogue::PIN_STACK)
            && pin != catalogue::COMPOSE
            && let Some(i) = k.stacks.iter().position(|s| &s.id == pin)
        {
            if k.stacks[i].archetype == recommendation {
                let composed = stack.name.clone();
                stack = self.pinned(i, &composed, &outcome.stack_points);
                // the pinned stack answers for every requirement itself
                unmet = self
                    .composer
                    .stack_failures(k, &outcome.active, i)
                    .into_iter()
                    .map(|(r, _)| k.requirements[r].id.clone())
                    .collect();
            } else {
                pin_note = Some(Excluded {
                    id: pin.clone(),
                    why: format!(
                        "{}: pinned, but it is a {} stack and the advice is {}, so the stack is composed instead",
                        k.stacks[i].name, k.stacks[i].archetype, recommendation
                    ),
                    requirement: catalogue::PIN_STACK.to_string(),
                    kind: "stack",
                });
            }
        }
        let requirements = k
            .requirements
            .iter()
            .enumerate()
            .filter(|(i, _)| outcome.active.on[*i])
            // one asked of other archetypes only says nothing about this stack
            .filter(|(_, r)| r.archetypes.is_empty() || r.archetypes.contains(&recommendation))
            .map(|(i, r)| RequirementMet {
                id: r.id.clone(),
                text: r.text.clone(),
                tier: r.tier,
                because: self.composer.because(i).to_vec(),
                met: !unmet.contains(&r.id),
            })
            .collect();
        let mut excluded: Vec<Excluded> = composition
            .excluded
            .iter()
            .map(|e| Excluded {
                id: e.service.clone(),
                why: e.reason.clone(),
                requirement: e.requirement.clone(),
                kind: "service",
            })
            .collect();
        for (i, r, why) in self.composer.reference_failures(k, &outcome.active) {
            excluded.push(Excluded {
                id: k.stacks[i].id.clone(),
                why: format!("{}: {why}", k.stacks[i].name),
                requirement: k.requirements[r].id.clone(),
                kind: "stack",
            });
        }
        excluded.extend(pin_note);
        let decisive = self.decisive(outcome, recommendation, &mut excluded);
        let review = self
            .reviewer
            .review(k, &outcome.slots, &outcome.fired, &tiered(&stack));
        // a live leaning (every frame of the wizard) leaves out what takes more evaluations: the
        // answers that relax an unmet requirement, and the runner-up of a close call
        let unmet = self.unmet(&effective, &unmet, &review, full);
        let conflicts = self.conflicts(&outcome.slots);
        let close_call = full
            .then(|| self.close_call(outcome, recommendation, &stack))
            .flatten();
        let region = self.region(&effective);
        Advice {
            recommendation,
            scores: outcome.scores,
            stack,
            stack_ranking,
            fired_rules,
            tipping_points,
            requirements,
            excluded,
            decisive,
            omitted: composition.omitted.clone(),
            review,
            unmet,
            conflicts,
            close_call,
            region,
            knowledge_version: k.version(),
            answers: effective,
        }
    }

    /// The requirements that rule an archetype out, when the points alone would have chosen it.
    fn decisive(
        &self,
        outcome: &Outcome,
        recommendation: Archetype,
        excluded: &mut Vec<Excluded>,
    ) -> Vec<Decisive> {
        let k = self.k;
        let mut out: Vec<Decisive> = Vec::new();
        for a in Archetype::PREFERENCE {
            if a == recommendation || self.composer.feasible(k, &outcome.active, a) {
                continue;
            }
            for r in self.composer.blocking(k, &outcome.active, a) {
                let req = &k.requirements[r];
                excluded.push(Excluded {
                    id: a.as_str().to_string(),
                    why: format!("{a}: {} — nothing {a} can meet it", req.text),
                    requirement: req.id.clone(),
                    kind: "archetype",
                });
                match out.iter_mut().find(|d| d.requirement == req.id) {
                    Some(d) => d.rules_out.push(a),
                    None => out.push(Decisive {
                        requirement: req.id.clone(),
                        text: req.text.clone(),
                        because: self.composer.because(r).to_vec(),
                        rules_out: vec![a],
                        outvoted: outcome.scores.winner(),
                    }),
                }
            }
        }
        out
    }

    /// The stack the composition makes, each service with why it is there and which answers put it.
    fn stack_choice(&self, c: &Composition, fired: &[usize], points: &[i32]) -> StackChoice {
        let k = self.k;
        let (_, reference) = self.composed_stack(c);
        // the reference stack it equals, or the composition built directly (not rebuilt from its id)
        let stack = match reference {
            Some(i) => k.stacks[i].clone(),
            None => stack_ids::build(k, c.archetype, &c.picks()),
        };
        let n_stacks = k.stacks.len();
        let mut services: Vec<StackService> = Vec::new();
        for chosen in &c.chosen {
            let Some(si) = k.services.iter().position(|s| s.id == chosen.service) else {
                continue;
            };
            let svc = &k.services[si];
            // rules that gave it points, directly or through a reference stack of this archetype
            // that puts it in this tier
            let mut because: Vec<String> = Vec::new();
            for &r in &chosen.requirements {
                because.extend(self.composer.because(r).iter().cloned());
            }
            // the rules that gave it points, directly or through a reference stack of this
            // archetype that puts it in this tier; the strongest of them is the one that put it there
            let mut pushed_by: Vec<(usize, i32)> = Vec::new();
            for &r in fired {
                let gives = self.rule_stacks[r]
                    .iter()
                    .filter(|&&(i, p)| {
                        p > 0
                            && if i >= n_stacks {
                                i - n_stacks == si
                            } else {
                                k.stacks[i].archetype == c.archetype
                                    && self.composer.stack_tiers(i).contains(&(chosen.tier, si))
                            }
                    })
                    .map(|&(_, p)| p)
                    .max();
                if let Some(p) = gives {
                    pushed_by.push((r, p));
                }
            }
            pushed_by.sort_by_key(|&(r, p)| (std::cmp::Reverse(p), r));
            // a rule explains the pick only when it is about this service, or when the tier had a
            // choice the rules made: the only service that can fill a tier is there for the
            // requirement, not for whichever stack rule happened to fire
            let about_it = |r: usize| {
                self.rule_stacks[r]
                    .iter()
                    .any(|&(i, p)| p > 0 && i >= n_stacks && i - n_stacks == si)
            };
            let strongest = pushed_by
                .iter()
                .map(|&(r, _)| r)
                .find(|&r| chosen.candidates > 1 || about_it(r));
            if let Some(r) = strongest {
                because.extend(self.rule_refs[r].iter().cloned());
            }
            if because.is_empty() && chosen.candidates > 1 {
                because.extend(
                    pushed_by
                        .iter()
                        .flat_map(|&(r, _)| self.rule_refs[r].iter().cloned()),
                );
            }
            because.sort();
            because.dedup();
            let why = self.why(chosen, svc, strongest);
            services.push(StackService {
                id: svc.id.clone(),
                name: svc.name.clone(),
                role: svc.role.clone(),
                tier: Some(chosen.tier),
                why,
                because: because.clone(),
                companion: false,
            });
            for companion in svc.capabilities.iter().flat_map(|cap| &cap.companions) {
                if let Some(cs) = k.service(companion) {
                    services.push(StackService {
                        id: cs.id.clone(),
                        name: cs.name.clone(),
                        role: cs.role.clone(),
                        tier: Some(chosen.tier),
                        why: format!("{} runs under it: {}", stack_ids::short_name(svc), cs.role),
                        because: because.clone(),
                        companion: true,
                    });
                }
            }
        }
        // a reference stack may list more than the tiers (its companions): keep its own list's order
        if reference.is_some() {
            let order: Vec<&str> = stack.services.iter().map(|s| s.service.as_str()).collect();
            services.sort_by_key(|s| order.iter().position(|o| *o == s.id).unwrap_or(usize::MAX));
        }
        StackChoice {
            points: reference.map_or_else(|| c.chosen.iter().map(|x| x.score).sum(), |i| points[i]),
            id: stack.id.clone().into(),
            name: stack.name.clone(),
            archetype: c.archetype,
            services,
            composed: reference.is_none(),
            reference: reference.map(|i| k.stacks[i].id.clone().into()),
        }
    }

    /// Reference stack `i`, pinned by the team in place of the composition.
    fn pinned(&self, i: usize, composed: &str, points: &[i32]) -> StackChoice {
        let k = self.k;
        let st = &k.stacks[i];
        let tiers = self.composer.stack_tiers(i);
        StackChoice {
            id: st.id.clone().into(),
            name: st.name.clone(),
            archetype: st.archetype,
            points: points[i],
            services: st
                .services
                .iter()
                .map(|ss| StackService {
                    id: ss.service.clone(),
                    name: k
                        .service(&ss.service)
                        .map_or_else(|| ss.service.clone(), |sv| sv.name.clone()),
                    role: ss.role.clone(),
                    tier: tiers
                        .iter()
                        .find(|(_, s)| k.services[*s].id == ss.service)
                        .map(|(t, _)| *t),
                    why: format!(
                        "Pinned by the team with the reference stack {} (composed from the answers it would be {composed}). {}.",
                        st.name,
                        ss.role.trim_end_matches('.')
                    ),
                    because: vec![catalogue::PIN_STACK.to_string()],
                    companion: false,
                })
                .chain(
                    // the pattern its topology stands for (sessions in the servers' memory, in
                    // the client's token), which the reference stack does not list as a service:
                    // the review checks it as it checks a composed stack's
                    tiers
                        .iter()
                        .map(|&(t, s)| (t, &k.services[s]))
                        .filter(|(_, sv)| {
                            sv.pattern && !st.services.iter().any(|ss| ss.service == sv.id)
                        })
                        .map(|(t, sv)| StackService {
                            id: sv.id.clone(),
                            name: sv.name.clone(),
                            role: sv.role.clone(),
                            tier: Some(t),
                            why: format!(
                                "Pinned by the team with the reference stack {}, whose design keeps the session here (composed from the answers it would be {composed}). {}.",
                                st.name,
                                sv.role.trim_end_matches('.')
                            ),
                            because: vec![catalogue::PIN_STACK.to_string()],
                            companion: false,
                        }),
                )
                .collect(),
            composed: false,
            reference: Some(st.id.clone().into()),
        }
    }

    /// One sentence: why the tier is there (the requirement that calls for it), what shaped the
    /// choice (the requirements it meets, or the rule that favours it), and the service's part.
    fn why(
        &self,
        chosen: &compose::Chosen,
        svc: &crate::knowledge::Service,
        strongest: Option<usize>,
    ) -> String {
        let k = self.k;
        let reqs: Vec<&crate::knowledge::Requirement> = chosen
            .requirements
            .iter()
            .map(|&r| &k.requirements[r])
            .collect();
        let tier = chosen.tier.label();
        let mut out = match reqs.iter().find(|r| r.needs.present) {
            Some(p) => format!(
                "In the stack because {}",
                compose::lower_first(p.text.trim_end_matches('.'))
            ),
            None => format!("The {tier}"),
        };
        let shaping: Vec<String> = reqs
            .iter()
            .filter(|r| !r.needs.present && !r.needs.absent)
            .map(|r| compose::lower_first(r.text.trim_end_matches('.')))
            .collect();
        let name = stack_ids::short_name(svc);
        if !shaping.is_empty() {
            out += &format!("; as the {tier}, {name} meets: {}", shaping.join("; "));
        }
        if let Some(r) = strongest {
            out += &format!(
                "; the rules favour it: {}",
                compose::lower_first(k.rules[r].rationale.trim_end_matches('.'))
            );
        }
        format!("{out}. {}.", svc.role.trim_end_matches('.'))
    }

    /// Other answers to question `q`, nearest first; for numbers, two lists (below, then above).
    fn alternatives(&self, q: usize, current: &AnswerValue) -> Vec<Vec<AnswerValue>> {
        let question = &self.k.questions[q];
        match (question.kind, current) {
            (QuestionKind::Bool, AnswerValue::Bool(b)) => vec![vec![AnswerValue::Bool(!b)]],
            (QuestionKind::Single, AnswerValue::Choice(id)) => {
                let at = question.option_index(id).unwrap_or(0);
                let mut others: Vec<(usize, usize)> = (0..question.options.len())
                    .filter(|&i| i != at)
                    .map(|i| (i.abs_diff(at), i))
                    .collect();
                others.sort_unstable();
                vec![
                    others
                        .into_iter()
                        .map(|(_, i)| AnswerValue::Choice(question.options[i].id.clone()))
                        .collect(),
                ]
            }
            (QuestionKind::Multi, AnswerValue::Choices(ids)) => vec![
                question
                    .options
                    .iter()
                    .map(|o| {
                        let mut next: Vec<String> =
                            ids.iter().filter(|i| **i != o.id).cloned().collect();
                        if !ids.contains(&o.id) {
                            next.push(o.id.clone());
                            // keep the declared option order so answers read the same way
                            next.sort_by_key(|i| question.option_index(i));
                        }
                        AnswerValue::Choices(next)
                    })
                    .collect(),
            ],
            (QuestionKind::Number, AnswerValue::Number(v)) => {
                let step = question.step();
                let (min, max) = (
                    question.min.unwrap_or(f64::MIN),
                    question.max.unwrap_or(f64::MAX),
                );
                let mut points: Vec<f64> = Vec::new();
                for &(t, cmp) in &self.thresholds[q] {
                    // the values on each side of the boundary, one step apart
                    let pair = match cmp {
                        Comparison::AtLeast | Comparison::Below => [t - step, t],
                        Comparison::Above | Comparison::AtMost => [t, t + step],
                        Comparison::Equal => [t - step, t + step],
                    };
                    points.extend(pair);
                    if cmp == Comparison::Equal {
                        points.push(t);
                    }
                }
                points.retain(|p| p.is_finite() && *p >= min && *p <= max && p != v);
                points.sort_by(f64::total_cmp);
                points.dedup();
                let below: Vec<AnswerValue> = points
                    .iter()
                    .rev()
                    .filter(|p| *p < v)
                    .map(|p| AnswerValue::Number(*p))
                    .collect();
                let above: Vec<AnswerValue> = points
                    .iter()
                    .filter(|p| *p > v)
                    .map(|p| AnswerValue::Number(*p))
                    .collect();
                vec![below, above]
            }
            _ => Vec::new(),
        }
    }

    fn tipping_points(
        &self,
        answers: &Answers,
        effective: &Answers,
        base: &Outcome,
    ) -> Vec<TippingPoint> {
        let current = self.decide(&base.scores, &base.active);
        let mut out = Vec::new();
        for (q, question) in self.k.questions.iter().enumerate() {
            // only shown questions have an effective answer: a hidden one never tips anything
            let Some(value) = effective.get(&question.id) else {
                continue;
            };
            for direction in self.alternatives(q, value) {
                // only answers the wizard itself would take ("None in particular" stands alone)
                let direction: Vec<AnswerValue> = direction
                    .into_iter()
                    .filter(|alt| answers::check_answer(self.k, &question.id, alt).is_ok())
                    .collect();
                let found = match value {
                    AnswerValue::Number(v) if !self.steers[q] => {
                        self.sweep(base, q, *v, &direction, current)
                    }
                    _ => direction.iter().find_map(|alt| {
                        let (scores, points, active) = self.with_answer(base, q, answers, alt);
                        (self.decide(&scores, &active) != current)
                            .then(|| (alt.clone(), scores, points, active))
                    }),
                };
                if let Some((alt, scores, points, active)) = found {
                    let now = self.decide(&scores, &active);
                    let composition =
                        self.composer
                            .compose(self.k, &active, now, &self.points(&points), &[]);
                    out.push(TippingPoint {
                        question: question.id.clone().into(),
                        question_text: question.text.clone(),
                        from_label: question.describe(value),
                        to_label: question.describe(&alt),
                        from: value.clone(),
                        to: alt,
                        recommendation: now,
                        stack: self.composed_stack(&composition).0.into(),
                        scores,
                        different_product: question.product,
                        requirement: self.requirement_questions[q],
                    });
                }
            }
        }
        // the answers a founder can act on first: requirements, then other choices, then "be a
        // different product"
        out.sort_by_key(|t| (t.different_product, !t.requirement));
        out
    }

    /// Walks a number answer outward through `candidates` (nearest first) and returns the first that
    /// changes the recommendation. Between two candidates a rule can only change where one of its
    /// thresholds lies, so each step re-evaluates just those rules (requirements, being few, are
    /// re-read at every step).
    fn sweep(
        &self,
        base: &Outcome,
        q: usize,
        from: f64,
        candidates: &[AnswerValue],
        current: Archetype,
    ) -> Option<(AnswerValue, Scores, Vec<i32>, Active)> {
        let step = self.k.questions[q].step();
        let bounds = &self.threshold_rules[q];
        let mut fired = base.fired.clone();
        let mut scores = base.scores;
        let mut points = base.stack_points.clone();
        let mut prev = from;
        for alt in candidates {
            let AnswerValue::Number(to) = alt else {
                continue;
            };
            let (lo, hi) = (prev.min(*to) - step, prev.max(*to) + step);
            let first = bounds.partition_point(|(t, _)| *t < lo);
            let over = Some((q, Slot::Number(*to)));
            for &(t, r) in &bounds[first..] {
                if t > hi {
                    break;
                }
                let now = self.compiled[r].holds(&base.slots, over);
                if now != fired[r] {
                    fired[r] = now;
                    self.apply(&mut scores, &mut points, r, if now { 1 } else { -1 });
                }
            }
            prev = *to;
            let active = self.composer.active(&base.slots, over);
            if self.decide(&scores, &active) != current {
                return Some((alt.clone(), scores, points, active));
            }
        }
        None
    }
}

/// One-shot advice: builds the engine and advises. The front ends reach it through
/// `decision::advise`; the simulator's checks call it here, below the use-case layer (the app keeps
/// an [`Engine`] to advise again as answers change).
pub fn advise(k: &Knowledge, answers: &Answers) -> Advice {
    Engine::new(k).advise(answers)
}

/// Per question: whether a `show_if` reads it, and which questions' visibility it reaches,
/// transitively (itself included).
fn visibility(k: &Knowledge) -> (Vec<bool>, Vec<Vec<bool>>) {
    let nq = k.questions.len();
    // Questions whose visibility depends on each question, transitively (show_if names only
    // earlier questions, so one pass from the end closes the relation).
    let mut shown_by: Vec<Vec<usize>> = vec![Vec::new(); nq];
    for (i, q) in k.questions.iter().enumerate() {
        if let Some(c) = &q.show_if {
            let mut refs = Vec::new();
            collect_refs(c, &mut refs);
            for r in refs.iter().filter_map(|id| k.question_index(id)) {
                shown_by[r].push(i);
            }
        }
    }
    let steers = shown_by.iter().map(|d| !d.is_empty()).collect();
    let mut reach: Vec<Vec<bool>> = vec![vec![false; nq]; nq];
    for q in (0..nq).rev() {
        reach[q][q] = true;
        for &d in &shown_by[q] {
            let through = reach[d].clone();
            for (r, via) in reach[q].iter_mut().zip(through) {
                *r |= via;
            }
        }
    }
    (steers, reach)
}

/// Per question: the rules that read it, the rules its answer may change (through visibility too),
/// and (threshold, rule) sorted by threshold.
#[allow(clippy::type_complexity)]
fn rule_reads(
    k: &Knowledge,
    reach: &[Vec<bool>],
) -> (Vec<Vec<usize>>, Vec<Vec<usize>>, Vec<Vec<(f64, usize)>>) {
    let nq = k.questions.len();
    let mut reads: Vec<Vec<usize>> = vec![Vec::new(); nq];
    let mut affected: Vec<Vec<usize>> = vec![Vec::new(); nq];
    let mut threshold_rules: Vec<Vec<(f64, usize)>> = vec![Vec::new(); nq];
    for (r, rule) in k.rules.iter().enumerate() {
        let mut refs = Vec::new();
        collect_refs(&rule.when, &mut refs);
        let mut idx: Vec<usize> = refs.iter().filter_map(|id| k.question_index(id)).collect();
        idx.sort_unstable();
        idx.dedup();
        for &q in &idx {
            reads[q].push(r);
            let mut bounds = Vec::new();
            condition::thresholds(&rule.when, &k.questions[q].id, &mut bounds);
            threshold_rules[q].extend(bounds.into_iter().map(|(t, _)| (t, r)));
        }
        for (q, reaches) in reach.iter().enumerate() {
            if idx.iter().any(|&j| reaches[j]) {
                affected[q].push(r);
            }
        }
    }
    for list in &mut threshold_rules {
        list.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    (reads, affected, threshold_rules)
}

/// Per question: the numbers its conditions compare it with, and the capability limits a
/// requirement compares it with (the candidates for tipping points).
fn thresholds(k: &Knowledge) -> Vec<Vec<(f64, Comparison)>> {
    let thresholds: Vec<Vec<(f64, Comparison)>> = k
        .questions
        .iter()
        .map(|q| {
            let mut out = Vec::new();
            for c in k
                .rules
                .iter()
                .map(|r| &r.when)
                .chain(k.requirements.iter().map(|r| &r.when))
                .chain(k.questions.iter().filter_map(|q| q.show_if.as_ref()))
            {
                condition::thresholds(c, &q.id, &mut out);
            }
            out
        })
        .collect();
    // a number a requirement compares with a capability (connection minutes, session size) tips
    // where a candidate's limit lies
    let mut thresholds: Vec<Vec<(f64, Comparison)>> = thresholds;
    for req in &k.requirements {
        let n = &req.needs;
        let from = n
            .connection_minutes_from
            .as_deref()
            .or(n.item_kb_from.as_deref());
        let Some(q) = from.and_then(|id| k.question_index(id)) else {
            continue;
        };
        for svc in &k.services {
            let Some(c) = svc
                .capabilities
                .as_ref()
                .filter(|c| c.tiers.contains(&req.tier))
            else {
                continue;
            };
            let limit = if n.connection_minutes_from.is_some() {
                c.max_connection_minutes
            } else {
                c.max_item_kb
            };
            if let Some(l) = limit {
                thresholds[q].push((l, Comparison::AtMost));
            }
        }
    }
    thresholds
}

/// Per rule: (index, points) into the points vector: reference stacks first, then services.
fn rule_stacks(k: &Knowledge) -> Vec<Vec<(usize, i32)>> {
    let n_stacks = k.stacks.len();
    k.rules
        .iter()
        .map(|r| {
            r.stacks
                .iter()
                .filter_map(|(id, p)| k.stacks.iter().position(|s| &s.id == id).map(|i| (i, *p)))
                .chain(r.services.iter().filter_map(|(id, p)| {
                    k.services
                        .iter()
                        .position(|s| &s.id == id)
                        .map(|i| (n_stacks + i, *p))
                }))
                .collect()
        })
        .collect()
}

/// Per question: whether a requirement reads it.
fn requirement_questions(k: &Knowledge, composer: &Composer) -> Vec<bool> {
    let nq = k.questions.len();
    let mut requirement_questions = vec![false; nq];
    for r in 0..k.requirements.len() {
        for id in composer.because(r) {
            if let Some(q) = k.question_index(id) {
                requirement_questions[q] = true;
            }
        }
    }
    requirement_questions
}

/// Per rule: its explanation, built once.
fn explained(k: &Knowledge) -> Vec<Arc<FiredRule>> {
    let by_id: std::collections::HashMap<&str, String> = k
        .sources
        .iter()
        .map(|s| (s.id.as_str(), s.citation()))
        .collect();
    k.rules
        .iter()
        .map(|r| {
            let source = r.source.clone().unwrap_or_default();
            Arc::new(FiredRule {
                id: r.id.clone(),
                rationale: r.rationale.clone(),
                citation: by_id
                    .get(source.as_str())
                    .cloned()
                    .unwrap_or_else(|| source.clone()),
                source,
                scores: r.scores,
                stacks: r.stacks.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            })
        })
        .collect()
}
