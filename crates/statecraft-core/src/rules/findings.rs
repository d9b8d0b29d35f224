//! What a founder must see beside the stack, and what an architect checks before signing it: the
//! design review's findings (the composer steers around blockers where any stack can), the
//! requirements no stack meets with the answers that would relax them, answers that contradict each
//! other, a close call with its runner-up, and the Region the advice is for.

use crate::ids::{QuestionId, StackId};
use serde::Serialize;

use super::{Engine, Outcome, StackChoice};
use crate::answers::{self, Answers};
use crate::compose::{Avoid, Composition, Points};
use crate::condition::{Compiled, Slot};
use crate::design_review::Finding;
use crate::knowledge::{AnswerValue, Archetype, Severity, StackTier, catalogue, question_refs};
use crate::wizard;

/// A requirement (or a design-review blocker) no stack meets with these answers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Unmet {
    /// The requirement's id, or the design-review check's.
    pub requirement: String,
    pub why: String,
    /// Answers that would relax it, nearest first: one per question that can.
    pub relax: Vec<Relax>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Relax {
    pub question: QuestionId,
    pub to: AnswerValue,
    /// "Answer “annoying” to “How bad is …”".
    pub label: String,
}

/// Answers that cannot all be true of one product.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConflictFound {
    pub id: String,
    pub questions: Vec<String>,
    pub text: String,
}

/// The advice won by a margin under the knowledge's `close_call_points` (ties included).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CloseCall {
    pub runner_up: RunnerUp,
    /// The recommendation's points minus the runner-up's.
    pub margin: i32,
    pub differences: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunnerUp {
    pub archetype: Archetype,
    pub stack: StackId,
}

/// The AWS Region the advice and its prices are for.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Region {
    pub code: String,
    pub name: String,
    /// The questions that placed it (none when it is the default).
    pub because: Vec<String>,
}

/// Checks and conflicts compiled once per engine.
pub(super) struct ConflictConditions {
    pub conflicts: Vec<Compiled>,
}

impl ConflictConditions {
    pub fn new(k: &crate::knowledge::Knowledge) -> Self {
        ConflictConditions {
            conflicts: k
                .conflicts
                .iter()
                .map(|c| Compiled::new(&c.when, k))
                .collect(),
        }
    }
}

/// A stack's services as (tier, id); companions carry the tier of the service they run under.
pub fn tiered(stack: &StackChoice) -> Vec<(StackTier, String)> {
    stack
        .services
        .iter()
        .filter_map(|s| s.tier.map(|t| (t, s.id.clone())))
        .collect()
}

fn picks_tiered(c: &Composition) -> Vec<(StackTier, String)> {
    c.chosen
        .iter()
        .map(|x| (x.tier, x.service.clone()))
        .collect()
}

impl Engine<'_> {
    /// The composition for `archetype`, steered around the design review's blockers: where a
    /// blocker names a service another candidate can replace without breaking a requirement, the
    /// composer leaves it out, and the exclusions say why. Blockers no stack avoids stay.
    pub(super) fn compose_reviewed(
        &self,
        outcome: &Outcome,
        archetype: Archetype,
        points: &Points,
    ) -> Composition {
        let k = self.k;
        let mut avoid: Vec<Avoid> = Vec::new();
        let mut comp = self
            .composer
            .compose(k, &outcome.active, archetype, points, &avoid);
        // each round removes at least one blocker; a stack has few tiers
        for _ in 0..4 {
            let picks = picks_tiered(&comp);
            let blockers = self
                .reviewer
                .blockers(k, &outcome.slots, &outcome.fired, &picks);
            if blockers.is_empty() {
                break;
            }
            let findings = self
                .reviewer
                .review(k, &outcome.slots, &outcome.fired, &picks);
            let mut best: Option<(Composition, Vec<Avoid>, usize, i32)> = None;
            for &b in &blockers {
                let check = &k.checks[b];
                let text = findings
                    .iter()
                    .find(|f| f.check == check.id)
                    .map_or_else(|| check.text.clone(), |f| f.text.clone());
                for (tier, sid) in &picks {
                    if !check.services.contains(sid) && !check.with.contains(sid) {
                        continue;
                    }
                    let Some(service) = k.services.iter().position(|s| &s.id == sid) else {
                        continue;
                    };
                    let mut trial = avoid.clone();
                    trial.push(Avoid {
                        tier: *tier,
                        service,
                        check: check.id.clone(),
                        reason: format!(
                            "{}: design review ({}): {text}",
                            k.services[service].name, check.id
                        ),
                    });
                    let c = self
                        .composer
                        .compose(k, &outcome.active, archetype, points, &trial);
                    if c.unmet.len() > comp.unmet.len() || c.picks() == comp.picks() {
                        continue;
                    }
                    let left = self
                        .reviewer
                        .blockers(k, &outcome.slots, &outcome.fired, &picks_tiered(&c))
                        .len();
                    if left >= blockers.len() {
                        continue;
                    }
                    let score: i32 = c.chosen.iter().map(|x| x.score).sum();
                    if best
                        .as_ref()
                        .is_none_or(|(_, _, bl, bs)| (left, -score) < (*bl, -*bs))
                    {
                        best = Some((c, trial, left, score));
                    }
                }
            }
            match best {
                Some((c, trial, _, _)) => {
                    comp = c;
                    avoid = trial;
                }
                None => break,
            }
        }
        comp
    }

    /// The requirements the stack breaks and the blockers it keeps, each with the answers that
    /// would relax it.
    pub(super) fn unmet(
        &self,
        effective: &Answers,
        unmet_ids: &[String],
        review: &[Finding],
        relax: bool,
    ) -> Vec<Unmet> {
        let k = self.k;
        let mut out = Vec::new();
        for id in unmet_ids {
            let Some(r) = k.requirements.iter().position(|x| &x.id == id) else {
                out.push(Unmet {
                    requirement: id.clone(),
                    why: match id.as_str() {
                        "front-reaches-compute" => {
                            "no front door that meets the requirements can send requests to a compute service that meets them".into()
                        }
                        other => format!("the stack cannot meet `{other}`"),
                    },
                    relax: Vec::new(),
                });
                continue;
            };
            let req = &k.requirements[r];
            let relax = self.relax(relax, effective, self.composer.because(r), |o| {
                let rec = self.decide(&o.scores, &o.active);
                let pts = self.points(&o.stack_points);
                !o.active.on[r]
                    || !self
                        .composer
                        .compose(k, &o.active, rec, &pts, &[])
                        .unmet
                        .contains(id)
            });
            out.push(Unmet {
                requirement: id.clone(),
                why: format!("{} — no service in the catalogue meets it together with the other requirements", req.text.trim_end_matches('.')),
                relax,
            });
        }
        for f in review.iter().filter(|f| f.severity == Severity::Blocker) {
            let Some(c) = k.checks.iter().position(|x| x.id == f.check) else {
                continue;
            };
            let check = &k.checks[c];
            let mut questions: Vec<String> =
                check.when.as_ref().map(question_refs).unwrap_or_default();
            for t in [&check.exceeds, &check.under].into_iter().flatten() {
                questions.push(t.answer.clone());
            }
            for r in k.rules.iter().filter(|r| r.review.contains(&check.id)) {
                questions.extend(question_refs(&r.when));
            }
            questions.sort();
            questions.dedup();
            let relax = self.relax(relax, effective, &questions, |o| {
                !self.reviewer.applies(c, &o.slots, &o.fired)
            });
            out.push(Unmet {
                requirement: f.check.clone(),
                why: f.text.clone(),
                relax,
            });
        }
        out
    }

    /// For each of `questions`, the nearest valid other answer under which `relaxed` holds.
    fn relax(
        &self,
        wanted: bool,
        effective: &Answers,
        questions: &[String],
        relaxed: impl Fn(&Outcome) -> bool,
    ) -> Vec<Relax> {
        let k = self.k;
        let mut out = Vec::new();
        if !wanted {
            return out;
        }
        for qid in questions {
            if qid == catalogue::PIN_STACK {
                continue;
            }
            let Some(q) = k.question_index(qid) else {
                continue;
            };
            let question = &k.questions[q];
            let current = match effective.get(qid) {
                Some(v) => v.clone(),
                None => match &question.default {
                    Some(d) => d.clone(),
                    None => continue,
                },
            };
            let found = self
                .alternatives(q, &current)
                .into_iter()
                .flat_map(|direction| direction.into_iter().take(12))
                .filter(|alt| answers::check_answer(k, qid, alt).is_ok())
                .find(|alt| {
                    let changed = wizard::effective(k, &effective.with(qid, alt.clone()));
                    relaxed(&self.evaluate(&changed))
                });
            if let Some(to) = found {
                out.push(Relax {
                    question: qid.clone().into(),
                    label: format!(
                        "Answer “{}” to “{}” (now “{}”)",
                        question.describe(&to),
                        question.text,
                        question.describe(&current)
                    ),
                    to,
                });
            }
        }
        out
    }

    /// Answers that contradict each other, with the questions involved.
    pub(super) fn conflicts(&self, slots: &[Option<Slot>]) -> Vec<ConflictFound> {
        self.conflict_conditions
            .conflicts
            .iter()
            .zip(&self.k.conflicts)
            .filter(|(c, _)| c.holds(slots, None))
            .map(|(_, c)| ConflictFound {
                id: c.id.clone(),
                questions: question_refs(&c.when),
                text: c.text.clone(),
            })
            .collect()
    }

    /// The runner-up when the recommendation won by `close_call_points` or less.
    pub(super) fn close_call(
        &self,
        outcome: &Outcome,
        recommendation: Archetype,
        stack: &StackChoice,
    ) -> Option<CloseCall> {
        let k = self.k;
        let mut ranked = Archetype::PREFERENCE;
        ranked.sort_by_key(|a| std::cmp::Reverse(outcome.scores.get(*a)));
        let runner = ranked
            .into_iter()
            .find(|&a| a != recommendation && self.composer.feasible(k, &outcome.active, a))?;
        let margin = outcome.scores.get(recommendation) - outcome.scores.get(runner);
        if margin > k.manifest.close_call_points {
            return None;
        }
        let points = self.points(&outcome.stack_points);
        let other = self.compose_reviewed(outcome, runner, &points);
        let (other_id, _) = self.composed_stack(&other);
        let mine = tiered(stack);
        let theirs = picks_tiered(&other);
        let name = |id: &str| {
            k.service(id)
                .map_or_else(|| id.to_string(), |s| s.name.clone())
        };
        let mut differences = Vec::new();
        differences.push(if margin == 0 {
            format!(
                "a tie: {recommendation} and {runner} both score {}; ties go to stateless, then hybrid, then stateful",
                outcome.scores.get(recommendation)
            )
        } else {
            format!(
                "{recommendation} scores {} and {runner} {}, {margin} point{} apart (a close call is {} points or fewer)",
                outcome.scores.get(recommendation),
                outcome.scores.get(runner),
                if margin == 1 { "" } else { "s" },
                k.manifest.close_call_points
            )
        });
        for tier in StackTier::ALL {
            let a = mine
                .iter()
                .find(|(t, _)| *t == tier)
                .map(|(_, s)| s.as_str());
            let b = theirs
                .iter()
                .find(|(t, _)| *t == tier)
                .map(|(_, s)| s.as_str());
            if a == b {
                continue;
            }
            differences.push(format!(
                "{}: {} here, {} in the {runner} stack",
                tier.label(),
                a.map_or_else(|| "none".to_string(), name),
                b.map_or_else(|| "none".to_string(), name)
            ));
        }
        Some(CloseCall {
            runner_up: RunnerUp {
                archetype: runner,
                stack: other_id.into(),
            },
            margin,
            differences,
        })
    }

    /// The Region the data must stay in (the answer, or the question's default).
    pub(super) fn region(&self, effective: &Answers) -> Region {
        let k = self.k;
        let answered = effective.get(catalogue::DATA_RESIDENCY);
        let code = match answered.or_else(|| {
            k.question(catalogue::DATA_RESIDENCY)
                .and_then(|q| q.default.as_ref())
        }) {
            Some(AnswerValue::Choice(c)) => c.clone(),
            _ => k
                .base_region()
                .map(|r| r.region.clone())
                .unwrap_or_default(),
        };
        let name = k
            .price_regions()
            .into_iter()
            .find(|(c, _)| *c == code)
            .map_or_else(|| code.clone(), |(_, n)| n);
        Region {
            code,
            name,
            because: answered
                .map(|_| vec![catalogue::DATA_RESIDENCY.to_string()])
                .unwrap_or_default(),
        }
    }
}
