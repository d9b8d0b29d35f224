//! Tipping points: for each answered question, the nearest other answer that changes the
//! recommendation, found by re-evaluating only the rules the answer can change.

use super::*;

impl Engine<'_> {
    /// Other answers to question `q`, nearest first; for numbers, two lists (below, then above).
    pub(super) fn alternatives(&self, q: usize, current: &AnswerValue) -> Vec<Vec<AnswerValue>> {
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

    pub(super) fn tipping_points(
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
    pub(super) fn sweep(
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
