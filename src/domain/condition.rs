//! Evaluating a knowledge condition against answers. An atom about an unanswered question is false.

use super::answers::Answers;
use super::knowledge::{AnswerValue, Condition};

/// Where a condition reads answers from: an answer set, or one with a single answer replaced (so the
/// engine can try an alternative answer without copying the set).
pub trait Lookup {
    fn answer(&self, question: &str) -> Option<&AnswerValue>;
}

impl Lookup for Answers {
    fn answer(&self, question: &str) -> Option<&AnswerValue> {
        self.get(question)
    }
}

/// `base` with the answer to `question` replaced by `value`.
pub struct Overlay<'a> {
    pub base: &'a Answers,
    pub question: &'a str,
    pub value: &'a AnswerValue,
}

impl Lookup for Overlay<'_> {
    fn answer(&self, question: &str) -> Option<&AnswerValue> {
        if question == self.question {
            Some(self.value)
        } else {
            self.base.get(question)
        }
    }
}

/// Whether `c` holds for `answers` (answers to hidden questions must already be pruned).
pub fn holds(c: &Condition, answers: &impl Lookup) -> bool {
    if let Some(all) = &c.all {
        return all.iter().all(|inner| holds(inner, answers));
    }
    if let Some(any) = &c.any {
        return any.iter().any(|inner| holds(inner, answers));
    }
    if let Some(inner) = &c.not {
        return !holds(inner, answers);
    }
    let Some(answer) = c.q.as_deref().and_then(|q| answers.answer(q)) else {
        return false;
    };
    if let Some(v) = &c.eq {
        return same(answer, v);
    }
    if let Some(v) = &c.ne {
        return !same(answer, v);
    }
    if let Some(options) = &c.one_of {
        return matches!(answer, AnswerValue::Choice(id) if options.contains(id));
    }
    if let Some(option) = &c.has {
        return matches!(answer, AnswerValue::Choices(ids) if ids.contains(option));
    }
    let AnswerValue::Number(n) = answer else {
        return false;
    };
    let n = *n;
    c.gte
        .map(|b| n >= b)
        .or(c.gt.map(|b| n > b))
        .or(c.lte.map(|b| n <= b))
        .or(c.lt.map(|b| n < b))
        .unwrap_or(false)
}

fn same(a: &AnswerValue, b: &AnswerValue) -> bool {
    match (a, b) {
        (AnswerValue::Number(x), AnswerValue::Number(y)) => x == y,
        _ => a == b,
    }
}

/// The numbers a condition compares question `q` with, and how: the places where a number answer's
/// effect can change.
pub fn thresholds(c: &Condition, q: &str, out: &mut Vec<(f64, Comparison)>) {
    for inner in c.all.iter().chain(c.any.iter()).flatten() {
        thresholds(inner, q, out);
    }
    if let Some(inner) = &c.not {
        thresholds(inner, q, out);
    }
    if c.q.as_deref() != Some(q) {
        return;
    }
    for (bound, cmp) in [
        (c.gte, Comparison::AtLeast),
        (c.gt, Comparison::Above),
        (c.lte, Comparison::AtMost),
        (c.lt, Comparison::Below),
    ] {
        if let Some(b) = bound {
            out.push((b, cmp));
        }
    }
    for v in c.eq.iter().chain(c.ne.iter()) {
        if let AnswerValue::Number(b) = v {
            out.push((*b, Comparison::Equal));
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    AtLeast,
    Above,
    AtMost,
    Below,
    Equal,
}
