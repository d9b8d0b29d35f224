//! The options a record weighs: each archetype's stack with the rules for it, its reference stack's
//! pros and cons, and the good and bad points the simulation gives it.

use super::super::curves::OptionFigures;
use super::context::signed;
use super::{Citations, Claim, OptionView, ServiceView, label};
use crate::knowledge::{Archetype, Knowledge, Stack};
use crate::rules::{Advice, FiredRule};

/// Each archetype's option, with the good and bad points the simulation gives its stack.
pub(super) fn option_views(
    k: &Knowledge,
    advice: &Advice,
    figures: &[OptionFigures],
    cites: &mut Citations,
) -> Vec<OptionView> {
    let mut options: Vec<OptionView> = Archetype::ALL
        .iter()
        .filter_map(|&a| option_view(k, advice, a, cites))
        .collect();
    for option in &mut options {
        for f in figures.iter().filter(|f| f.stack == option.stack_id) {
            option.good.extend(f.good.iter().cloned());
            option.bad.extend(f.bad.iter().cloned());
        }
    }
    options
}

pub(super) fn rule_claim(
    k: &Knowledge,
    r: &FiredRule,
    a: Archetype,
    cites: &mut Citations,
) -> Claim {
    let points = r.scores.get(a);
    Claim {
        text: r.rationale.clone(),
        sources: cites.cite(k, Some(&r.source)),
        rule: Some(r.id.clone()),
        points: Some(format!(
            "{}{} {a}",
            if points >= 0 { "+" } else { "" },
            signed(points)
        )),
    }
}

fn stack_claims(
    k: &Knowledge,
    items: &[String],
    stack: &Stack,
    cites: &mut Citations,
) -> Vec<Claim> {
    items
        .iter()
        .map(|text| Claim {
            text: text.clone(),
            sources: cites.cite(k, stack.source.as_deref()),
            ..Claim::default()
        })
        .collect()
}

/// A stack's pros and cons. A composed stack has none of its own: those of the reference stack of
/// its archetype it shares most services with (the same compute) stand in, and say so.
pub(super) fn pros_and_cons(
    k: &Knowledge,
    stack: &Stack,
    cites: &mut Citations,
) -> (Vec<Claim>, Vec<Claim>) {
    let (from, prefix) = match nearest_reference(k, stack) {
        Some(r) if stack.pros.is_empty() && stack.cons.is_empty() => {
            (r, format!("As for the reference stack {}: ", r.name))
        }
        _ => (stack, String::new()),
    };
    let mut good = stack_claims(k, &from.pros, from, cites);
    let mut bad = stack_claims(k, &from.cons, from, cites);
    for c in good.iter_mut().chain(bad.iter_mut()) {
        c.text = format!("{prefix}{}", c.text);
    }
    (good, bad)
}

/// The reference stack of a composed stack's archetype with its compute that shares most of its
/// services (none for a reference stack itself).
fn nearest_reference<'k>(k: &'k Knowledge, stack: &Stack) -> Option<&'k Stack> {
    if k.stacks.iter().any(|s| s.id == stack.id) {
        return None;
    }
    let mine: Vec<&str> = stack.services.iter().map(|s| s.service.as_str()).collect();
    k.stacks
        .iter()
        .filter(|r| r.archetype == stack.archetype && r.topology.compute == stack.topology.compute)
        .max_by_key(|r| {
            (
                r.services
                    .iter()
                    .filter(|s| mine.contains(&s.service.as_str()))
                    .count(),
                std::cmp::Reverse(r.services.len()),
            )
        })
}

/// The option for archetype `a`: the chosen stack for the recommendation, else that archetype's
/// best-ranked stack.
fn option_view(
    k: &Knowledge,
    advice: &Advice,
    a: Archetype,
    cites: &mut Citations,
) -> Option<OptionView> {
    let chosen = a == advice.recommendation;
    let (stack_id, stack_points) = if chosen {
        (advice.stack.id.to_string(), advice.stack.points)
    } else {
        advice
            .stack_ranking
            .iter()
            .find(|r| k.stack(&r.stack).is_some_and(|s| s.archetype == a))
            .map(|r| (r.stack.to_string(), r.points))?
    };
    let stack = k.stack(&stack_id)?;
    let (mut good, mut bad) = pros_and_cons(k, stack, cites);
    let mut rules: Vec<&FiredRule> = advice
        .fired_rules
        .iter()
        .map(|r| r.as_ref())
        .filter(|r| r.scores.get(a) != 0)
        .collect();
    rules.sort_by_key(|r| std::cmp::Reverse(r.scores.get(a).abs()));
    for r in rules {
        let claim = rule_claim(k, r, a, cites);
        if r.scores.get(a) > 0 {
            good.push(claim);
        } else {
            bad.push(claim);
        }
    }
    Some(OptionView {
        archetype: a,
        title: format!("{} — {}", label(a), stack.name),
        chosen,
        score: advice.scores.get(a),
        stack_id: stack.id.clone().into(),
        stack_name: stack.name.clone(),
        stack_points,
        summary: stack.summary.clone(),
        services: stack
            .services
            .iter()
            .map(|s| {
                let explained = advice
                    .stack
                    .services
                    .iter()
                    .find(|x| chosen && x.id == s.service);
                ServiceView {
                    id: s.service.clone(),
                    name: k
                        .service(&s.service)
                        .map_or_else(|| s.service.clone(), |sv| sv.name.clone()),
                    role: s.role.clone(),
                    why: explained.map(|x| x.why.clone()).unwrap_or_default(),
                    because: explained.map(|x| x.because.join(", ")).unwrap_or_default(),
                    text: explained.map_or_else(|| s.role.clone(), |x| x.why.clone()),
                    because_note: explained
                        .map(|x| format!(" (because of {})", x.because.join(", ")))
                        .unwrap_or_default(),
                }
            })
            .collect(),
        good,
        bad,
    })
}

pub(super) fn fallback_option(advice: &Advice) -> OptionView {
    OptionView {
        archetype: advice.recommendation,
        title: format!("{} — {}", label(advice.recommendation), advice.stack.name),
        chosen: true,
        score: advice.scores.get(advice.recommendation),
        stack_id: advice.stack.id.clone(),
        stack_name: advice.stack.name.clone(),
        stack_points: advice.stack.points,
        summary: String::new(),
        services: advice
            .stack
            .services
            .iter()
            .map(|s| ServiceView {
                id: s.id.clone(),
                name: s.name.clone(),
                role: s.role.clone(),
                why: s.why.clone(),
                because: s.because.join(", "),
                text: s.why.clone(),
                because_note: format!(" (because of {})", s.because.join(", ")),
            })
            .collect(),
        good: Vec::new(),
        bad: Vec::new(),
    }
}
