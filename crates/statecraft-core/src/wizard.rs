//! The question flow: which questions are shown for the answers so far, in wizard order. A question
//! is shown when its `show_if` holds over the answers to the questions shown before it; answers to
//! hidden questions are ignored (they stay in the user's answers, so going back restores them).

use super::answers::Answers;
use super::condition::holds;
use super::knowledge::Knowledge;

/// Indices of the questions shown for `answers`, in wizard order.
pub fn visible(knowledge: &Knowledge, answers: &Answers) -> Vec<usize> {
    let mut shown = Answers::default();
    let mut indices = Vec::with_capacity(knowledge.questions.len());
    for (i, q) in knowledge.questions.iter().enumerate() {
        if q.show_if.as_ref().is_none_or(|c| holds(c, &shown)) {
            indices.push(i);
            if let Some(v) = answers.get(&q.id) {
                shown.set(q.id.clone(), v.clone());
            }
        }
    }
    indices
}

/// The answers that count: those to shown questions.
pub fn effective(knowledge: &Knowledge, answers: &Answers) -> Answers {
    let mut shown = Answers::default();
    for q in &knowledge.questions {
        if q.show_if.as_ref().is_none_or(|c| holds(c, &shown))
            && let Some(v) = answers.get(&q.id)
        {
            shown.set(q.id.clone(), v.clone());
        }
    }
    shown
}

/// Progress through the wizard: how many shown questions are answered, of how many.
pub fn progress(knowledge: &Knowledge, answers: &Answers) -> (usize, usize) {
    let shown = visible(knowledge, answers);
    let answered = shown
        .iter()
        .filter(|&&i| answers.get(&knowledge.questions[i].id).is_some())
        .count();
    (answered, shown.len())
}

/// The shown question after `current` (a question index), if any.
pub fn next(knowledge: &Knowledge, answers: &Answers, current: usize) -> Option<usize> {
    visible(knowledge, answers)
        .into_iter()
        .find(|&i| i > current)
}

/// The shown question before `current`, if any.
pub fn previous(knowledge: &Knowledge, answers: &Answers, current: usize) -> Option<usize> {
    visible(knowledge, answers)
        .into_iter()
        .rev()
        .find(|&i| i < current)
}

/// Answers with each shown, unanswered question set to its default, as the wizard starts from.
pub fn with_defaults(knowledge: &Knowledge, answers: &Answers) -> Answers {
    let mut filled = answers.clone();
    for q in &knowledge.questions {
        if filled.get(&q.id).is_none()
            && let Some(d) = &q.default
        {
            filled.set(q.id.clone(), d.clone());
        }
    }
    filled
}
