//! The advice engine: which rules fire, the archetype scores they add up to, the stack, and the
//! tipping points — for each answered question, the nearest other answer that changes the
//! recommendation, found by re-running the engine on each alternative (so it is exact).
//!
//! Re-running is cheap because an `Engine` indexes, per question, the rules that can change when its
//! answer does (rules that read it, or read a question whose visibility depends on it): an
//! alternative answer re-evaluates only those.

use serde::Serialize;

use super::answers::Answers;
use std::sync::Arc;

use super::condition::{self, Comparison, Compiled, Slot};
use super::knowledge::collect_refs;
use super::knowledge::{AnswerValue, Archetype, Knowledge, QuestionKind, ScoreDelta};
use super::wizard;

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
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StackChoice {
    pub id: String,
    pub name: String,
    pub archetype: Archetype,
    pub points: i32,
    pub services: Vec<StackService>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TippingPoint {
    pub question: String,
    pub question_text: String,
    pub from: AnswerValue,
    pub to: AnswerValue,
    pub from_label: String,
    pub to_label: String,
    pub recommendation: Archetype,
    pub stack: String,
    pub scores: Scores,
}

impl TippingPoint {
    /// "Answer “yes” to “…” (now “no”) and the recommendation becomes stateful."
    pub fn sentence(&self) -> String {
        format!(
            "Answer “{}” to “{}” (now “{}”) and the recommendation becomes {}.",
            self.to_label, self.question_text, self.from_label, self.recommendation
        )
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
    /// Per rule: (stack index, points).
    rule_stacks: Vec<Vec<(usize, i32)>>,
    /// Per rule: its condition with ids resolved to indices.
    compiled: Vec<Compiled>,
    /// Per rule: its explanation, built once.
    explained: Vec<Arc<FiredRule>>,
    stack_archetypes: Vec<Archetype>,
}

/// The outcome of one evaluation, before it is dressed for people.
#[derive(Clone, Debug)]
struct Outcome {
    /// The answers that counted, by question index.
    slots: Vec<Option<Slot>>,
    fired: Vec<bool>,
    scores: Scores,
    stack_points: Vec<i32>,
}

impl<'k> Engine<'k> {
    pub fn new(k: &'k Knowledge) -> Self {
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
        let thresholds = k
            .questions
            .iter()
            .map(|q| {
                let mut out = Vec::new();
                for c in k
                    .rules
                    .iter()
                    .map(|r| &r.when)
                    .chain(k.questions.iter().filter_map(|q| q.show_if.as_ref()))
                {
                    condition::thresholds(c, &q.id, &mut out);
                }
                out
            })
            .collect();
        let rule_stacks = k
            .rules
            .iter()
            .map(|r| {
                r.stacks
                    .iter()
                    .filter_map(|(id, p)| {
                        k.stacks.iter().position(|s| &s.id == id).map(|i| (i, *p))
                    })
                    .collect()
            })
            .collect();
        let by_id: std::collections::HashMap<&str, String> = k
            .sources
            .iter()
            .map(|s| (s.id.as_str(), s.citation()))
            .collect();
        let explained = k
            .rules
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
            .collect();
        Engine {
            k,
            compiled: k.rules.iter().map(|r| Compiled::new(&r.when, k)).collect(),
            explained,
            reads,
            affected,
            steers,
            thresholds,
            threshold_rules,
            rule_stacks,
            stack_archetypes: k.stacks.iter().map(|s| s.archetype).collect(),
        }
    }

    pub fn knowledge(&self) -> &'k Knowledge {
        self.k
    }

    fn evaluate(&self, effective: &Answers) -> Outcome {
        let mut outcome = Outcome {
            slots: condition::slots(self.k, effective),
            fired: vec![false; self.k.rules.len()],
            scores: Scores::default(),
            stack_points: vec![0; self.k.stacks.len()],
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

    /// Scores and stack points with question `q` answered `alt`.
    fn with_answer(
        &self,
        base: &Outcome,
        q: usize,
        answers: &Answers,
        alt: &AnswerValue,
    ) -> (Scores, Vec<i32>) {
        let question = &self.k.questions[q];
        if self.steers[q] {
            // another answer may show or hide questions: recompute what counts
            let changed = wizard::effective(self.k, &answers.with(&question.id, alt.clone()));
            self.rescore(
                base,
                &self.affected[q],
                &condition::slots(self.k, &changed),
                None,
            )
        } else {
            let over = Slot::of(question, alt).map(|slot| (q, slot));
            self.rescore(base, &self.reads[q], &base.slots, over)
        }
    }

    fn best_stack(&self, archetype: Archetype, points: &[i32]) -> usize {
        let mut best: Option<usize> = None;
        for (i, a) in self.stack_archetypes.iter().enumerate() {
            if *a == archetype && best.is_none_or(|b| points[i] > points[b]) {
                best = Some(i);
            }
        }
        // validation guarantees a stack of every archetype
        best.unwrap_or(0)
    }

    /// The recommendation and its explanation, without tipping points (for live "leaning" displays).
    pub fn evaluate_only(&self, answers: &Answers) -> Advice {
        let effective = wizard::effective(self.k, answers);
        let outcome = self.evaluate(&effective);
        self.dress(&outcome, effective, Vec::new())
    }

    /// The full advice, tipping points included.
    pub fn advise(&self, answers: &Answers) -> Advice {
        let effective = wizard::effective(self.k, answers);
        let outcome = self.evaluate(&effective);
        let tipping = self.tipping_points(answers, &effective, &outcome);
        self.dress(&outcome, effective, tipping)
    }

    fn dress(
        &self,
        outcome: &Outcome,
        effective: Answers,
        tipping_points: Vec<TippingPoint>,
    ) -> Advice {
        let recommendation = outcome.scores.winner();
        let s = self.best_stack(recommendation, &outcome.stack_points);
        let stack = &self.k.stacks[s];
        let mut stack_ranking: Vec<(String, i32)> = self
            .k
            .stacks
            .iter()
            .zip(&outcome.stack_points)
            .map(|(st, p)| (st.id.clone(), *p))
            .collect();
        stack_ranking.sort_by_key(|(_, p)| std::cmp::Reverse(*p));
        let fired_rules = self
            .explained
            .iter()
            .zip(&outcome.fired)
            .filter(|(_, f)| **f)
            .map(|(r, _)| Arc::clone(r))
            .collect();
        Advice {
            recommendation,
            scores: outcome.scores,
            stack: StackChoice {
                id: stack.id.clone(),
                name: stack.name.clone(),
                archetype: stack.archetype,
                points: outcome.stack_points[s],
                services: stack
                    .services
                    .iter()
                    .map(|ss| StackService {
                        id: ss.service.clone(),
                        name: self
                            .k
                            .service(&ss.service)
                            .map_or_else(|| ss.service.clone(), |sv| sv.name.clone()),
                        role: ss.role.clone(),
                    })
                    .collect(),
            },
            stack_ranking,
            fired_rules,
            tipping_points,
            knowledge_version: self.k.version(),
            answers: effective,
        }
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
        let current = base.scores.winner();
        let mut out = Vec::new();
        for (q, question) in self.k.questions.iter().enumerate() {
            let Some(value) = effective.get(&question.id) else {
                continue;
            };
            for direction in self.alternatives(q, value) {
                let found = match value {
                    AnswerValue::Number(v) if !self.steers[q] => {
                        self.sweep(base, q, *v, &direction)
                    }
                    _ => direction.iter().find_map(|alt| {
                        let (scores, points) = self.with_answer(base, q, answers, alt);
                        (scores.winner() != current).then(|| (alt.clone(), scores, points))
                    }),
                };
                if let Some((alt, scores, points)) = found {
                    let now = scores.winner();
                    let s = self.best_stack(now, &points);
                    out.push(TippingPoint {
                        question: question.id.clone(),
                        question_text: question.text.clone(),
                        from_label: question.describe(value),
                        to_label: question.describe(&alt),
                        from: value.clone(),
                        to: alt,
                        recommendation: now,
                        stack: self.k.stacks[s].id.clone(),
                        scores,
                    });
                }
            }
        }
        out
    }

    /// Walks a number answer outward through `candidates` (nearest first) and returns the first that
    /// changes the recommendation. Between two candidates a rule can only change where one of its
    /// thresholds lies, so each step re-evaluates just those rules.
    fn sweep(
        &self,
        base: &Outcome,
        q: usize,
        from: f64,
        candidates: &[AnswerValue],
    ) -> Option<(AnswerValue, Scores, Vec<i32>)> {
        let current = base.scores.winner();
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
            if scores.winner() != current {
                return Some((alt.clone(), scores, points));
            }
        }
        None
    }
}

/// One-shot advice: builds the engine and advises (the CLI's path; the GUI keeps an `Engine`).
pub fn advise(k: &Knowledge, answers: &Answers) -> Advice {
    Engine::new(k).advise(answers)
}
