//! Checks of the questions: their ids, kinds, options and defaults, the branching (`show_if`) that
//! shows and hides them (no cycles, no question shown by a later one), and the conditions rules,
//! requirements and checks are written in.

use std::collections::HashSet;

use super::super::KnowledgeFile;
use super::super::load::Origin;
use super::super::model::*;
use super::{Validator, suggest};
use crate::diagnostic::JsonPath;

impl Validator<'_> {
    pub(super) fn questions(&mut self) {
        for (qi, (question, &origin)) in self
            .k
            .questions
            .iter()
            .zip(&self.k.origins.questions)
            .enumerate()
        {
            self.check_id(KnowledgeFile::Questions, origin, &question.id);
            let path = self.item_path(KnowledgeFile::Questions, origin);
            if question.text.trim().is_empty() || question.help.trim().is_empty() {
                self.report(
                    origin,
                    &path,
                    format!(
                        "question `{}` needs a `text` and a `help` that says why it matters",
                        question.id
                    ),
                    "write both",
                );
            }
            match question.kind {
                QuestionKind::Single | QuestionKind::Multi => {
                    if question.options.len() < 2 {
                        self.report(
                            origin,
                            &path.key("options"),
                            format!(
                                "question `{}` is a choice but has {} option(s)",
                                question.id,
                                question.options.len()
                            ),
                            "give at least two options, or make it a `bool`",
                        );
                    }
                    if question.options.len() > 64 {
                        self.report(
                            origin,
                            &path.key("options"),
                            format!(
                                "question `{}` has {} options; a choice question has at most 64",
                                question.id,
                                question.options.len()
                            ),
                            "group the options, or split the question in two",
                        );
                    }
                    let mut seen = HashSet::new();
                    for (oi, option) in question.options.iter().enumerate() {
                        if !seen.insert(option.id.as_str()) {
                            self.report(
                                origin,
                                &path.key("options").index(oi).key("id"),
                                format!(
                                    "question `{}` has option `{}` twice",
                                    question.id, option.id
                                ),
                                "give each option its own id",
                            );
                        }
                    }
                }
                QuestionKind::Number => match (question.min, question.max) {
                    (Some(min), Some(max)) if min.is_finite() && max.is_finite() && min < max => {}
                    _ => self.report(
                        origin,
                        &path,
                        format!(
                            "number question `{}` needs finite `min` and `max` with min < max",
                            question.id
                        ),
                        "set both bounds, e.g. \"min\": 0, \"max\": 100000",
                    ),
                },
                QuestionKind::Bool => {}
            }
            if matches!(question.kind, QuestionKind::Number | QuestionKind::Bool)
                && !question.options.is_empty()
            {
                self.report(
                    origin,
                    &path.key("options"),
                    format!(
                        "question `{}` is a {:?} question and takes no options",
                        question.id, question.kind
                    ),
                    "remove the options, or make it `single`",
                );
            }
            if let Some(step) = question.step
                && !(step.is_finite() && step > 0.0)
            {
                self.report(
                    origin,
                    &path.key("step"),
                    format!(
                        "question `{}` has step {step}; a step must be a positive number",
                        question.id
                    ),
                    "use a positive step such as 1",
                );
            }
            if let Some(default) = &question.default
                && let Err(why) = super::super::values::check_value(question, default)
            {
                self.report(
                    origin,
                    &path.key("default"),
                    format!(
                        "the default of `{}` is not a valid answer: {why}",
                        question.id
                    ),
                    "give a default of the question's kind and range, or remove it",
                );
            }
            if let Some(show_if) = &question.show_if {
                self.condition(origin, path.key("show_if"), show_if, Some(qi));
            }
            let owner = format!("question `{}`", question.id);
            self.check_source_ref(
                origin,
                path.key("source"),
                &owner,
                question.source.as_deref(),
                false,
            );
        }
    }

    /// A question may only depend on questions asked before it; a loop would never settle.
    pub(super) fn branching(&mut self) {
        let index_of = |id: &str| self.k.question_index(id);
        let deps: Vec<Vec<usize>> = self
            .k
            .questions
            .iter()
            .map(|q| {
                let mut refs = Vec::new();
                if let Some(c) = &q.show_if {
                    collect_refs(c, &mut refs);
                }
                refs.iter().filter_map(|r| index_of(r)).collect()
            })
            .collect();
        let n = deps.len();
        let mut in_cycle = vec![false; n];
        for start in 0..n {
            if in_cycle[start] {
                continue;
            }
            if let Some(cycle) = find_cycle(start, &deps) {
                if cycle.iter().any(|&i| in_cycle[i]) {
                    continue;
                }
                for &i in &cycle {
                    in_cycle[i] = true;
                }
                let names: Vec<String> = cycle
                    .iter()
                    .chain(std::iter::once(&cycle[0]))
                    .map(|&i| format!("`{}`", self.k.questions[i].id))
                    .collect();
                let origin = self.k.origins.questions[cycle[0]];
                let path = self
                    .item_path(KnowledgeFile::Questions, origin)
                    .key("show_if");
                self.report(
                    origin,
                    &path,
                    format!("branching cycle: {} (each is shown only if the next is answered)", names.join(" → ")),
                    "break the loop: a question's show_if may only name questions that come before it",
                );
            }
        }
        for (qi, refs) in deps.iter().enumerate() {
            if in_cycle[qi] {
                continue;
            }
            for &r in refs {
                if r >= qi {
                    let origin = self.k.origins.questions[qi];
                    let path = self
                        .item_path(KnowledgeFile::Questions, origin)
                        .key("show_if");
                    self.report(
                        origin,
                        &path,
                        format!(
                            "question `{}` is shown only if `{}` is answered, but `{}` comes later in wizard order",
                            self.k.questions[qi].id, self.k.questions[r].id, self.k.questions[r].id
                        ),
                        format!("move `{}` before `{}` in questions.json", self.k.questions[r].id, self.k.questions[qi].id),
                    );
                }
            }
        }
    }

    pub(super) fn condition(
        &mut self,
        origin: Origin,
        path: JsonPath,
        c: &Condition,
        asked_at: Option<usize>,
    ) {
        let operators = [
            ("all", c.all.is_some()),
            ("any", c.any.is_some()),
            ("not", c.not.is_some()),
            ("eq", c.eq.is_some()),
            ("ne", c.ne.is_some()),
            ("in", c.one_of.is_some()),
            ("has", c.has.is_some()),
            ("gte", c.gte.is_some()),
            ("gt", c.gt.is_some()),
            ("lte", c.lte.is_some()),
            ("lt", c.lt.is_some()),
        ];
        let present: Vec<&str> = operators
            .iter()
            .filter(|(_, p)| *p)
            .map(|(n, _)| *n)
            .collect();
        if present.len() != 1 {
            let found = if present.is_empty() {
                "none".to_string()
            } else {
                present.join(", ")
            };
            self.report(
                origin,
                &path,
                format!("a condition needs exactly one operator (all, any, not, eq, ne, in, has, gte, gt, lte, lt); found {found}"),
                "split it into {\"all\": [ … ]} of single-operator conditions",
            );
            return;
        }
        let op = present[0];
        if let Some(list) = c.all.as_ref().or(c.any.as_ref()) {
            self.no_question(origin, &path, c, op);
            for (i, inner) in list.iter().enumerate() {
                self.condition(origin, path.key(op).index(i), inner, asked_at);
            }
            return;
        }
        if let Some(inner) = &c.not {
            self.no_question(origin, &path, c, op);
            self.condition(origin, path.key("not"), inner, asked_at);
            return;
        }
        let Some(qid) = &c.q else {
            self.report(
                origin,
                &path,
                format!("the `{op}` condition does not say which question: `q` is missing"),
                format!("add \"q\": \"<question id>\" beside \"{op}\""),
            );
            return;
        };
        let Some(question) = self.k.question(qid) else {
            let hint = suggest(qid, self.k.questions.iter().map(|q| q.id.as_str()));
            self.report(
                origin,
                &path.key("q"),
                format!("the condition names question `{qid}`, which questions.json does not define{hint}"),
                "use the id of a question in questions.json",
            );
            return;
        };
        let _ = asked_at; // forward references are reported once, by `branching`
        let kind = question.kind;
        let wrong_kind = |expected: &str| {
            format!(
                "`{op}` does not apply to `{qid}`, a {} question; {expected}",
                kind_name(kind)
            )
        };
        match op {
            "eq" | "ne" => {
                let value =
                    c.eq.as_ref()
                        .or(c.ne.as_ref())
                        .cloned()
                        .unwrap_or(AnswerValue::Bool(false));
                if kind == QuestionKind::Multi {
                    self.report(
                        origin,
                        &path.key(op),
                        wrong_kind("use `has` for multi-choice questions"),
                        "write {\"q\": …, \"has\": \"<option>\"}",
                    );
                } else if let Err(why) = super::super::values::check_value(question, &value) {
                    self.report(
                        origin,
                        &path.key(op),
                        format!("`{op}` compares `{qid}` with a value it can never have: {why}"),
                        "compare with a value of the question's kind (an option id, a bool or a number in range)",
                    );
                }
            }
            "in" => {
                if kind != QuestionKind::Single {
                    self.report(
                        origin,
                        &path.key("in"),
                        wrong_kind("`in` is for single-choice questions"),
                        "use `eq`, `has` or a comparison",
                    );
                } else {
                    for (i, id) in c.one_of.iter().flatten().enumerate() {
                        self.option_ref(origin, path.key("in").index(i), question, id);
                    }
                }
            }
            "has" => {
                if kind != QuestionKind::Multi {
                    self.report(
                        origin,
                        &path.key("has"),
                        wrong_kind("`has` is for multi-choice questions"),
                        "use `eq` or `in`",
                    );
                } else if let Some(id) = &c.has {
                    self.option_ref(origin, path.key("has"), question, id);
                }
            }
            _ => {
                let bound = c.gte.or(c.gt).or(c.lte).or(c.lt).unwrap_or(f64::NAN);
                if kind != QuestionKind::Number {
                    self.report(
                        origin,
                        &path.key(op),
                        wrong_kind("comparisons are for number questions"),
                        "use `eq` or `in`",
                    );
                } else if !bound.is_finite() {
                    self.report(
                        origin,
                        &path.key(op),
                        format!("`{op}` needs a finite number"),
                        "write a number such as 1000",
                    );
                }
            }
        }
    }

    pub(super) fn no_question(&mut self, origin: Origin, path: &JsonPath, c: &Condition, op: &str) {
        if c.q.is_some() {
            self.report(
                origin,
                &path.key("q"),
                format!("`q` has no meaning beside `{op}`"),
                "put `q` inside the conditions that `all`, `any` or `not` combine",
            );
        }
    }

    pub(super) fn option_ref(
        &mut self,
        origin: Origin,
        path: JsonPath,
        question: &Question,
        id: &str,
    ) {
        if question.option(id).is_none() {
            let hint = suggest(id, question.options.iter().map(|o| o.id.as_str()));
            let known: Vec<&str> = question.options.iter().map(|o| o.id.as_str()).collect();
            self.report(
                origin,
                &path,
                format!("question `{}` has no option `{id}`{hint}", question.id),
                format!("use one of: {}", known.join(", ")),
            );
        }
    }
}

pub(super) fn kind_name(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Single => "single-choice",
        QuestionKind::Multi => "multi-choice",
        QuestionKind::Number => "number",
        QuestionKind::Bool => "yes/no",
    }
}

/// The question ids a condition reads.
pub(crate) fn collect_refs(c: &Condition, out: &mut Vec<String>) {
    if let Some(q) = &c.q {
        out.push(q.clone());
    }
    for inner in c.all.iter().chain(c.any.iter()).flatten() {
        collect_refs(inner, out);
    }
    if let Some(inner) = &c.not {
        collect_refs(inner, out);
    }
}

/// The question ids a condition reads, sorted, each once.
pub(crate) fn question_refs(c: &Condition) -> Vec<String> {
    let mut out = Vec::new();
    collect_refs(c, &mut out);
    out.sort();
    out.dedup();
    out
}

/// A cycle through `start` in the dependency graph, as the list of its nodes.
fn find_cycle(start: usize, deps: &[Vec<usize>]) -> Option<Vec<usize>> {
    fn walk(
        node: usize,
        start: usize,
        deps: &[Vec<usize>],
        path: &mut Vec<usize>,
        seen: &mut Vec<bool>,
    ) -> bool {
        for &next in &deps[node] {
            if next == start {
                return true;
            }
            if !seen[next] {
                seen[next] = true;
                path.push(next);
                if walk(next, start, deps, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![start];
    let mut seen = vec![false; deps.len()];
    seen[start] = true;
    walk(start, start, deps, &mut path, &mut seen).then_some(path)
}
