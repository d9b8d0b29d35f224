//! Evaluating a knowledge condition against answers. An atom about an unanswered question is false.

use super::answers::Answers;
use super::knowledge::{AnswerValue, Condition, Knowledge, Question};

/// Whether `c` holds for `answers` (answers to hidden questions must already be pruned).
pub fn holds(c: &Condition, answers: &Answers) -> bool {
    if let Some(all) = &c.all {
        return all.iter().all(|inner| holds(inner, answers));
    }
    if let Some(any) = &c.any {
        return any.iter().any(|inner| holds(inner, answers));
    }
    if let Some(inner) = &c.not {
        return !holds(inner, answers);
    }
    let Some(answer) = c.q.as_deref().and_then(|q| answers.get(q)) else {
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

/// An answer in index form: options by position, a multi-choice answer as a bit set, so that the
/// engine compares integers instead of strings when it evaluates thousands of rules.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Slot {
    Bool(bool),
    Number(f64),
    Choice(u32),
    Choices(u64),
}

impl Slot {
    /// The index form of `value` as an answer to `question` (`None` for a value it cannot have).
    pub fn of(question: &Question, value: &AnswerValue) -> Option<Slot> {
        Some(match value {
            AnswerValue::Bool(b) => Slot::Bool(*b),
            AnswerValue::Number(n) => Slot::Number(*n),
            AnswerValue::Choice(id) => {
                Slot::Choice(u32::try_from(question.option_index(id)?).ok()?)
            }
            AnswerValue::Choices(ids) => {
                let mut bits = 0u64;
                for id in ids {
                    bits |= 1u64.checked_shl(u32::try_from(question.option_index(id)?).ok()?)?;
                }
                Slot::Choices(bits)
            }
        })
    }
}

/// The answers that count, by question index.
pub fn slots(k: &Knowledge, effective: &Answers) -> Vec<Option<Slot>> {
    k.questions
        .iter()
        .map(|q| effective.get(&q.id).and_then(|v| Slot::of(q, v)))
        .collect()
}

/// A condition with question and option ids resolved to indices.
#[derive(Clone, Debug)]
pub enum Compiled {
    All(Vec<Compiled>),
    Any(Vec<Compiled>),
    Not(Box<Compiled>),
    Atom {
        q: usize,
        test: Test,
    },
    /// A reference the knowledge does not define (validation reports it); never holds.
    Never,
}

#[derive(Clone, Copy, Debug)]
pub enum Test {
    Eq(Slot),
    Ne(Slot),
    In(u64),
    Has(u64),
    Gte(f64),
    Gt(f64),
    Lte(f64),
    Lt(f64),
}

impl Compiled {
    pub fn new(c: &Condition, k: &Knowledge) -> Compiled {
        if let Some(all) = &c.all {
            return Compiled::All(all.iter().map(|i| Compiled::new(i, k)).collect());
        }
        if let Some(any) = &c.any {
            return Compiled::Any(any.iter().map(|i| Compiled::new(i, k)).collect());
        }
        if let Some(inner) = &c.not {
            return Compiled::Not(Box::new(Compiled::new(inner, k)));
        }
        let Some((q, question)) =
            c.q.as_deref()
                .and_then(|id| k.question_index(id).map(|i| (i, &k.questions[i])))
        else {
            return Compiled::Never;
        };
        let bit = |id: &str| {
            question
                .option_index(id)
                .and_then(|i| 1u64.checked_shl(u32::try_from(i).ok()?))
        };
        let test = if let Some(v) = &c.eq {
            Slot::of(question, v).map(Test::Eq)
        } else if let Some(v) = &c.ne {
            Slot::of(question, v).map(Test::Ne)
        } else if let Some(ids) = &c.one_of {
            Some(Test::In(
                ids.iter().filter_map(|id| bit(id)).fold(0, |a, b| a | b),
            ))
        } else if let Some(id) = &c.has {
            bit(id).map(Test::Has)
        } else {
            c.gte
                .map(Test::Gte)
                .or(c.gt.map(Test::Gt))
                .or(c.lte.map(Test::Lte))
                .or(c.lt.map(Test::Lt))
        };
        match test {
            Some(test) => Compiled::Atom { q, test },
            None => Compiled::Never,
        }
    }

    /// Whether the condition holds, with the answer to question `over.0` replaced by `over.1`.
    pub fn holds(&self, slots: &[Option<Slot>], over: Option<(usize, Slot)>) -> bool {
        match self {
            Compiled::All(list) => list.iter().all(|c| c.holds(slots, over)),
            Compiled::Any(list) => list.iter().any(|c| c.holds(slots, over)),
            Compiled::Not(inner) => !inner.holds(slots, over),
            Compiled::Never => false,
            Compiled::Atom { q, test } => {
                let answer = match over {
                    Some((oq, v)) if oq == *q => Some(v),
                    _ => slots.get(*q).copied().flatten(),
                };
                let Some(answer) = answer else { return false };
                match (*test, answer) {
                    (Test::Eq(v), a) => a == v,
                    (Test::Ne(v), a) => a != v,
                    (Test::In(mask), Slot::Choice(i)) => {
                        1u64.checked_shl(i).is_some_and(|b| mask & b != 0)
                    }
                    (Test::Has(bit), Slot::Choices(bits)) => bits & bit != 0,
                    (Test::Gte(b), Slot::Number(n)) => n >= b,
                    (Test::Gt(b), Slot::Number(n)) => n > b,
                    (Test::Lte(b), Slot::Number(n)) => n <= b,
                    (Test::Lt(b), Slot::Number(n)) => n < b,
                    _ => false,
                }
            }
        }
    }
}
