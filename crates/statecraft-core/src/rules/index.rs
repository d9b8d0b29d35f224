//! The engine's indexes, built once from the knowledge: per question, the rules that read it, the
//! rules its answer may change (through the questions it shows or hides too) and the numbers its
//! conditions compare it with (the candidates for tipping points); per rule, its points and its
//! explanation.

use std::sync::Arc;

use super::*;

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
