//! The record's context: the problem as the answers state it, who answered what (and what was left
//! to defaults), the requirements that decided, and why the chosen option won.

use super::{AnswerView, Citations, RequirementView};
use crate::format;
use crate::knowledge::{Archetype, Knowledge};
use crate::rules::Advice;

/// Why the chosen option: the scores (or the requirement that decides whatever they say), and how
/// the stack was put together.
pub(super) fn because(advice: &Advice) -> String {
    let sc = &advice.scores;
    let others: Vec<String> = Archetype::ALL
        .iter()
        .filter(|&&a| a != advice.recommendation)
        .map(|&a| format!("{a} {}", signed(sc.get(a))))
        .collect();
    let decided: Vec<&crate::rules::Decisive> = advice
        .decisive
        .iter()
        .filter(|d| d.outvoted != advice.recommendation)
        .collect();
    let lead = if decided.is_empty() {
        format!(
            "it scores highest — {} {} against {}",
            advice.recommendation,
            signed(sc.get(advice.recommendation)),
            others.join(" and ")
        )
    } else {
        format!(
            "a requirement decides it — {} — whatever the points say ({} {} against {})",
            decided
                .iter()
                .map(|d| crate::compose::lower_first(&d.text))
                .collect::<Vec<_>>()
                .join("; "),
            advice.recommendation,
            signed(sc.get(advice.recommendation)),
            others.join(" and ")
        )
    };
    if advice.stack.composed {
        format!(
            "{lead} — and {} is composed tier by tier: each tier the answers call for holds the service that meets every requirement and scores best under the rules",
            advice.stack.name
        )
    } else {
        format!(
            "{lead} — and {} is what that composition comes to, a reference stack with {} stack points",
            advice.stack.name, advice.stack.points
        )
    }
}

/// The hard requirements read from the answers, and whether the stack meets each.
pub(super) fn requirement_views(advice: &Advice) -> Vec<RequirementView> {
    advice
        .requirements
        .iter()
        .map(|r| RequirementView {
            text: r.text.clone(),
            tier: r.tier.label().to_string(),
            because: r.because.join(", "),
            met: r.met,
            note: if r.met {
                String::new()
            } else {
                " — not met: nothing in the catalogue meets it together with the others".into()
            },
        })
        .collect()
}

pub(super) fn signed(n: i32) -> String {
    if n < 0 {
        format!("−{}", n.unsigned_abs())
    } else {
        n.to_string()
    }
}

pub(super) fn problem_statement(k: &Knowledge, advice: &Advice, answers: &[AnswerView]) -> String {
    let system = advice
        .answers
        .get("workload")
        .zip(k.question("workload"))
        .map(|(v, q)| format!("We are building: {}. ", q.describe(v)))
        .unwrap_or_default();
    format!(
        "{system}Should it keep user state on its servers (stateful), keep none there (stateless), or run stateless compute around a stateful tier (hybrid) on AWS — and on which stack? {} the advice follows from them and from the knowledge base “{}”.",
        who_answered(answers),
        advice.knowledge_version
    )
}

/// Who answered what: the team's answers, and the questions left at their defaults said to be so.
fn who_answered(answers: &[AnswerView]) -> String {
    let defaults = answers.iter().filter(|a| a.default).count();
    if defaults == 0 {
        return "The team answered Statecraft's questions as below;".to_string();
    }
    let answered = answers.len() - defaults;
    if answered == 0 {
        return format!(
            "The team answered none of the {} questions below: all are the wizard's defaults, marked “default: not answered”;",
            format::number(answers.len() as f64)
        );
    }
    format!(
        "The team answered {} of the {} questions below; the other {} are the wizard's defaults, marked “default: not answered”;",
        format::number(answered as f64),
        format::number(answers.len() as f64),
        format::number(defaults as f64)
    )
}

pub(super) fn answer_views(
    k: &Knowledge,
    advice: &Advice,
    defaults: &[String],
    cites: &mut Citations,
) -> Vec<AnswerView> {
    k.questions
        .iter()
        .filter_map(|q| {
            let value = advice.answers.get(&q.id)?;
            let default = defaults.contains(&q.id);
            let answer = q.describe(value);
            Some(AnswerView {
                id: q.id.clone(),
                question: q.text.clone(),
                answer: if default {
                    format!("{answer} (default: not answered)")
                } else {
                    answer
                },
                default,
                sources: cites.cite(k, q.source.as_deref()),
            })
        })
        .collect()
}
