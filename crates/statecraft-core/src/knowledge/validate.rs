//! Checks a merged knowledge base for everything serde cannot: references between files, ranges,
//! branching, dates and sources. Every problem is placed at its file, line, column and JSON path.

mod billing;
mod composition;
mod review;

use std::collections::HashSet;

use super::catalogue::{self, MAX_FIGURE, MAX_PRICE_PER, MAX_PRICE_USD, MIN_PRICE_PER};
use super::load::Origin;
use super::model::*;
use super::{Knowledge, KnowledgeFile};
use crate::diagnostic::{Diagnostics, JsonPath, nearest};

/// Points a rule may add or take away in one go; larger weights would let one rule drown out the rest.
pub const MAX_WEIGHT: i32 = 10;

pub(super) fn validate(k: &Knowledge, out: &mut Diagnostics) {
    let mut v = Validator { k, out };
    v.sources();
    v.questions();
    v.branching();
    v.rules();
    v.services();
    v.capabilities();
    v.requirements();
    v.checks();
    v.scopes();
    v.conflicts();
    v.warnings();
    v.close_call();
    v.stacks();
    v.prices();
    v.billing();
    v.figures();
    v.profiles();
    v.catalogue();
}

struct Validator<'a> {
    k: &'a Knowledge,
    out: &'a mut Diagnostics,
}

/// A value from a file as a reader wants it: grouped digits, or scientific form for the extremes (so
/// 1e308 reads as `1e308`, not as 309 digits).
fn figure_text(v: f64) -> String {
    if v.is_finite() && (v.abs() >= 1e15 || (v != 0.0 && v.abs() < 1e-6)) {
        format!("{v:e}")
    } else {
        crate::format::number(v)
    }
}

/// " (did you mean `realtime`?)" for a misspelt id, or nothing.
fn suggest<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    nearest(wanted, candidates)
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default()
}

fn is_kebab_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// `YYYY-MM` or `YYYY-MM-DD` with a real month and day.
fn is_date(s: &str) -> bool {
    crate::format::is_calendar_date(s)
}

impl Validator<'_> {
    fn item_path(&self, kind: KnowledgeFile, origin: Origin) -> JsonPath {
        let _ = self;
        JsonPath::root().key(kind.key()).index(origin.index)
    }

    /// Where to report a problem with a whole list: the file of that kind that took part last (the
    /// pack's when it has one), even when the list is empty.
    fn list_origin(&self, kind: KnowledgeFile) -> Origin {
        let file = self
            .k
            .origins
            .files
            .iter()
            .rposition(|f| f.kind == kind)
            .unwrap_or(0);
        Origin { file, index: 0 }
    }

    fn report(&mut self, origin: Origin, path: &JsonPath, message: String, fix: impl Into<String>) {
        let file = &self.k.origins.files[origin.file];
        self.out.push(file.src.diagnostic_at(path, message, fix));
    }

    fn check_id(&mut self, kind: KnowledgeFile, origin: Origin, id: &str) {
        let path = self.item_path(kind, origin).key("id");
        self.check_id_at(origin, path, id);
    }

    /// As `check_id`, for an item of a list other than its file's own (rules.json's `checks`).
    fn check_id_at(&mut self, origin: Origin, path: JsonPath, id: &str) {
        if !is_kebab_id(id) {
            self.report(
                origin,
                &path,
                format!("id `{id}` is not lowercase kebab-case"),
                "use lowercase letters, digits and dashes, starting with a letter or digit (e.g. `session-store`)",
            );
        }
    }

    fn check_source_ref(
        &mut self,
        origin: Origin,
        path: JsonPath,
        owner: &str,
        source: Option<&str>,
        required: bool,
    ) {
        match source {
            Some(id) if id.trim().is_empty() => self.report(
                origin,
                &path,
                format!("{owner} has an empty `source`"),
                "name the id of an entry in sources.json",
            ),
            Some(id) if self.k.source(id).is_none() => {
                let hint = suggest(id, self.k.sources.iter().map(|s| s.id.as_str()));
                self.report(
                    origin,
                    &path,
                    format!("{owner} cites source `{id}`, which sources.json does not define{hint}"),
                    "add the source to sources.json (seed document and section, or AWS page), or cite an existing one",
                )
            }
            None if required => self.report(
                origin,
                &path,
                format!("{owner} has no `source`"),
                "add \"source\": \"<id of an entry in sources.json>\": no rule without a source",
            ),
            _ => {}
        }
    }

    fn sources(&mut self) {
        for (source, &origin) in self.k.sources.iter().zip(&self.k.origins.sources) {
            self.check_id(KnowledgeFile::Sources, origin, &source.id);
            let path = self.item_path(KnowledgeFile::Sources, origin);
            let empty = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
            match source.kind {
                SourceKind::Seed if empty(&source.document) || empty(&source.section) => self
                    .report(
                        origin,
                        &path,
                        format!(
                            "seed source `{}` needs both `document` and `section`",
                            source.id
                        ),
                        "give the seed's file name and the heading or passage it cites",
                    ),
                SourceKind::Aws if empty(&source.url) => self.report(
                    origin,
                    &path,
                    format!("AWS source `{}` has no `url`", source.id),
                    "give the page, e.g. \"aws.amazon.com/lambda/pricing\"",
                ),
                _ => {}
            }
        }
    }

    fn questions(&mut self) {
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
                && let Err(why) = super::values::check_value(question, default)
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
    fn branching(&mut self) {
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

    fn condition(
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
                } else if let Err(why) = super::values::check_value(question, &value) {
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

    fn no_question(&mut self, origin: Origin, path: &JsonPath, c: &Condition, op: &str) {
        if c.q.is_some() {
            self.report(
                origin,
                &path.key("q"),
                format!("`q` has no meaning beside `{op}`"),
                "put `q` inside the conditions that `all`, `any` or `not` combine",
            );
        }
    }

    fn option_ref(&mut self, origin: Origin, path: JsonPath, question: &Question, id: &str) {
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

    fn weight(&mut self, origin: Origin, path: JsonPath, owner: &str, value: i32) {
        if value.abs() > MAX_WEIGHT {
            self.report(
                origin,
                &path,
                format!("{owner} gives {value} points; weights go from -{MAX_WEIGHT} to {MAX_WEIGHT}"),
                format!("use a weight between -{MAX_WEIGHT} and {MAX_WEIGHT}; split a stronger effect over several rules"),
            );
        }
    }

    fn rules(&mut self) {
        for (rule, &origin) in self.k.rules.iter().zip(&self.k.origins.rules) {
            self.check_id(KnowledgeFile::Rules, origin, &rule.id);
            let path = self.item_path(KnowledgeFile::Rules, origin);
            let owner = format!("rule `{}`", rule.id);
            self.condition(origin, path.key("when"), &rule.when, None);
            for archetype in Archetype::ALL {
                self.weight(
                    origin,
                    path.key("scores").key(archetype.as_str()),
                    &owner,
                    rule.scores.get(archetype),
                );
            }
            for (stack, &points) in &rule.stacks {
                if self.k.stack(stack).is_none() {
                    let hint = suggest(stack, self.k.stacks.iter().map(|s| s.id.as_str()));
                    self.report(
                        origin,
                        &path.key("stacks").key(stack),
                        format!(
                            "{owner} names stack `{stack}`, which stacks.json does not define{hint}"
                        ),
                        "use the id of a stack in stacks.json",
                    );
                }
                self.weight(origin, path.key("stacks").key(stack), &owner, points);
            }
            for (svc, &points) in &rule.services {
                self.service_ref(origin, path.key("services").key(svc), &owner, svc);
                self.weight(origin, path.key("services").key(svc), &owner, points);
            }
            if rule.scores == ScoreDelta::default()
                && rule.stacks.values().all(|p| *p == 0)
                && rule.services.values().all(|p| *p == 0)
            {
                self.report(
                    origin,
                    &path,
                    format!("{owner} has no effect: it adds no points to any archetype or stack"),
                    "give it `scores` or `stacks`, or delete it",
                );
            }
            if rule.rationale.trim().is_empty() {
                self.report(
                    origin,
                    &path.key("rationale"),
                    format!("{owner} has no rationale"),
                    "say in one sentence why the rule holds",
                );
            }
            self.check_source_ref(
                origin,
                path.key("source"),
                &owner,
                rule.source.as_deref(),
                true,
            );
        }
    }

    fn service_ref(&mut self, origin: Origin, path: JsonPath, owner: &str, id: &str) {
        if self.k.service(id).is_none() {
            let hint = suggest(id, self.k.services.iter().map(|s| s.id.as_str()));
            self.report(
                origin,
                &path,
                format!("{owner} names service `{id}`, which services.json does not define{hint}"),
                "use the id of a service in services.json, or add the service",
            );
        }
    }

    fn services(&mut self) {
        for (service, &origin) in self.k.services.iter().zip(&self.k.origins.services) {
            self.check_id(KnowledgeFile::Services, origin, &service.id);
            let path = self.item_path(KnowledgeFile::Services, origin);
            let owner = format!("service `{}`", service.id);
            // a service the composer can pick says where its description comes from
            self.check_source_ref(
                origin,
                path.key("source"),
                &owner,
                service.source.as_deref(),
                true,
            );
            for (i, alias) in service.aliases.iter().enumerate() {
                if let Some(problem) = self.alias_problem(&service.id, alias) {
                    self.report(
                        origin,
                        &path.key("aliases").index(i),
                        format!("{owner}: the alias `{alias}` {problem}"),
                        "give each service names no other service or bill line has (lowercase kebab-case), or remove the alias",
                    );
                }
            }
        }
    }

    /// Why `alias` cannot name service `id` in a usage file, if it cannot.
    fn alias_problem(&self, id: &str, alias: &str) -> Option<String> {
        if !is_kebab_id(alias) {
            return Some("is not lowercase kebab-case".to_string());
        }
        if let Some(other) = self.k.services.iter().find(|s| s.id == alias) {
            return Some(format!("is the id of service `{}`", other.id));
        }
        if super::prices::BILL_ONLY_SERVICES
            .iter()
            .any(|(line, _)| *line == alias)
        {
            return Some("is the name of a bill line (data transfer, NAT gateway…)".to_string());
        }
        let owners: Vec<&str> = self
            .k
            .services
            .iter()
            .filter(|s| s.aliases.iter().any(|a| a == alias))
            .map(|s| s.id.as_str())
            .collect();
        (owners.len() > 1 || owners.iter().any(|o| *o != id))
            .then(|| format!("names more than one service ({})", owners.join(", ")))
    }

    fn stacks(&mut self) {
        for (stack, &origin) in self.k.stacks.iter().zip(&self.k.origins.stacks) {
            self.check_id(KnowledgeFile::Stacks, origin, &stack.id);
            let path = self.item_path(KnowledgeFile::Stacks, origin);
            let owner = format!("stack `{}`", stack.id);
            if stack.services.is_empty() {
                self.report(
                    origin,
                    &path.key("services"),
                    format!("{owner} has no services"),
                    "list the services it is built from",
                );
            }
            for (i, s) in stack.services.iter().enumerate() {
                self.service_ref(
                    origin,
                    path.key("services").index(i).key("service"),
                    &owner,
                    &s.service,
                );
            }
            let topo = path.key("topology");
            self.service_ref(origin, topo.key("front"), &owner, &stack.topology.front);
            for (key, value) in [
                ("session_service", &stack.topology.session_service),
                ("database", &stack.topology.database),
                ("static", &stack.topology.static_assets),
            ] {
                if let Some(id) = value {
                    self.service_ref(origin, topo.key(key), &owner, id);
                }
            }
            let needs_store = matches!(
                stack.topology.session,
                SessionPlacement::SharedCache
                    | SessionPlacement::Dynamodb
                    | SessionPlacement::Database
            );
            if needs_store && stack.topology.session_service.is_none() {
                self.report(
                    origin,
                    &topo.key("session"),
                    format!("{owner} keeps sessions in a store but names no `session_service`"),
                    "name the service that holds the sessions (e.g. \"elasticache-redis\" or \"dynamodb\")",
                );
            }
            self.check_source_ref(
                origin,
                path.key("source"),
                &owner,
                stack.source.as_deref(),
                false,
            );
        }
        // The engine picks a stack of the winning archetype: an archetype without one (an empty
        // stacks list in a replace pack included) is a pack that cannot be advised.
        for archetype in Archetype::ALL {
            if !self.k.stacks.iter().any(|s| s.archetype == archetype) {
                let origin = self.list_origin(KnowledgeFile::Stacks);
                let path = JsonPath::root().key("stacks");
                self.report(
                    origin,
                    &path,
                    format!("no stack is of the `{archetype}` archetype, so that recommendation would have no stack"),
                    format!("add a stack with \"archetype\": \"{archetype}\""),
                );
            }
        }
    }

    fn dated(
        &mut self,
        origin: Origin,
        path: &JsonPath,
        owner: &str,
        as_of: Option<&str>,
        source: Option<&str>,
    ) {
        match as_of {
            None => self.report(
                origin,
                path,
                format!("{owner} has no `as_of` date"),
                "add \"as_of\": \"YYYY-MM\" (when the figure was read)",
            ),
            Some(d) if !is_date(d) => self.report(
                origin,
                &path.key("as_of"),
                format!("{owner} has `as_of` \"{d}\", which is not a date"),
                "write a real date from 2000 to 2100 as YYYY-MM or YYYY-MM-DD",
            ),
            _ => {}
        }
        if source.is_none_or(|s| s.trim().is_empty()) {
            self.report(
                origin,
                path,
                format!("{owner} has no `source`"),
                "add \"source\": the AWS page it comes from",
            );
        }
    }

    fn prices(&mut self) {
        for (price, &origin) in self.k.prices.iter().zip(&self.k.origins.prices) {
            self.check_id(KnowledgeFile::Prices, origin, &price.id);
            let path = self.item_path(KnowledgeFile::Prices, origin);
            let owner = format!("price `{}`", price.id);
            if !super::prices::BILL_ONLY_SERVICES
                .iter()
                .any(|(id, _)| *id == price.service)
            {
                self.service_ref(origin, path.key("service"), &owner, &price.service);
            }
            if let Some((t, why)) = super::prices::ladder_problem(price.usd, &price.tiers) {
                self.report(
                    origin,
                    &path.key("tiers").index(t),
                    format!("{owner}: {why}"),
                    "list tiers by rising `above`, each no dearer than the one below",
                );
            }
            for (key, i, why, fix) in super::prices::extras_problems(price) {
                let at = if key == "free" {
                    path.key("free").index(i)
                } else {
                    path.key(&key)
                };
                self.report(origin, &at, format!("{owner}: {why}"), fix);
            }
            if !(price.usd.is_finite() && (0.0..=MAX_PRICE_USD).contains(&price.usd)) {
                self.report(
                    origin,
                    &path.key("usd"),
                    format!(
                        "{owner} is {} USD; a price is an amount from 0 to {} USD",
                        figure_text(price.usd),
                        crate::format::number(MAX_PRICE_USD)
                    ),
                    "correct the amount",
                );
            }
            if !(price.per.is_finite() && price.per >= MIN_PRICE_PER && price.per <= MAX_PRICE_PER)
            {
                self.report(
                    origin,
                    &path.key("per"),
                    format!(
                        "{owner} is per {} units; `per` must be from {} to {}",
                        figure_text(price.per),
                        crate::format::number(MIN_PRICE_PER),
                        crate::format::number(MAX_PRICE_PER)
                    ),
                    "write how many units the price is for, e.g. 1000000",
                );
            }
            self.dated(
                origin,
                &path,
                &owner,
                price.as_of.as_deref(),
                price.source.as_deref(),
            );
        }
    }

    fn figures(&mut self) {
        for (figure, &origin) in self.k.figures.iter().zip(&self.k.origins.figures) {
            self.check_id(KnowledgeFile::Figures, origin, &figure.id);
            let path = self.item_path(KnowledgeFile::Figures, origin);
            let owner = format!("figure `{}`", figure.id);
            if let Some(service) = &figure.service {
                self.service_ref(origin, path.key("service"), &owner, service);
            }
            let low = figure.low.unwrap_or(figure.value);
            let high = figure.high.unwrap_or(figure.value);
            if !(figure.value.is_finite()
                && low.is_finite()
                && high.is_finite()
                && low <= figure.value
                && figure.value <= high)
            {
                self.report(
                    origin,
                    &path.key("value"),
                    format!(
                        "{owner} has value {} outside its range {low}..{high}",
                        figure.value
                    ),
                    "make low ≤ value ≤ high, all finite",
                );
            }
            self.figure_range(origin, &path, &owner, figure);
            self.dated(
                origin,
                &path,
                &owner,
                figure.as_of.as_deref(),
                figure.source.as_deref(),
            );
        }
    }

    /// Every figure of every request profile in range (low ≤ value ≤ high), dated and sourced, and a
    /// profile for every workload the wizard offers (the scenario the answers describe starts there).
    fn profiles(&mut self) {
        let list_path = JsonPath::root().key("profiles");
        let workload = self.k.question(super::profiles::WORKLOAD);
        for (profile, &origin) in self.k.profiles.iter().zip(&self.k.origins.profiles) {
            let path = list_path.index(origin.index);
            self.check_id_at(origin, path.key("id"), &profile.id);
            if let Some(q) = workload
                && q.option(&profile.id).is_none()
            {
                self.report(
                    origin,
                    &path.key("id"),
                    format!(
                        "profile `{}` names no option of question `{}`{}",
                        profile.id,
                        super::profiles::WORKLOAD,
                        suggest(&profile.id, q.options.iter().map(|o| o.id.as_str()))
                    ),
                    "name the profile after a workload option's id, or delete it",
                );
            }
            for spec in super::profiles::FIELDS {
                let f = (spec.get)(profile);
                let at = path.key(spec.name);
                let owner = format!("profile `{}`'s `{}`", profile.id, spec.name);
                let (low, high) = (f.low(), f.high());
                let finite = [f.value, low, high].iter().all(|v| v.is_finite());
                if !finite || low > f.value || f.value > high {
                    self.report(
                        origin,
                        &at.key("value"),
                        format!(
                            "{owner} has value {} outside its range {}..{}",
                            figure_text(f.value),
                            figure_text(low),
                            figure_text(high)
                        ),
                        "make low ≤ value ≤ high, all finite",
                    );
                } else if low < spec.min || high > spec.max {
                    self.report(
                        origin,
                        &at,
                        format!(
                            "{owner} spans {}..{} {}, outside {}..{} {}",
                            figure_text(low),
                            figure_text(high),
                            spec.unit,
                            crate::format::number(spec.min),
                            crate::format::number(spec.max),
                            spec.unit
                        ),
                        format!(
                            "give values from {} to {} {}",
                            crate::format::number(spec.min),
                            crate::format::number(spec.max),
                            spec.unit
                        ),
                    );
                }
                if f.basis.trim().is_empty() {
                    self.report(
                        origin,
                        &at.key("basis"),
                        format!("{owner} does not say how its value follows from its source"),
                        "write the arithmetic or the measurement in `basis`",
                    );
                }
                self.dated(origin, &at, &owner, Some(&f.as_of), Some(&f.source));
            }
        }
        for (q, &origin) in self.k.questions.iter().zip(&self.k.origins.questions) {
            let Some(field) = &q.profile_default else {
                continue;
            };
            let path = self
                .item_path(KnowledgeFile::Questions, origin)
                .key("profile_default");
            if !super::profiles::FIELDS.iter().any(|f| f.name == field) {
                self.report(
                    origin,
                    &path,
                    format!(
                        "question `{}`'s `profile_default` `{field}` is no request profile figure{}",
                        q.id,
                        suggest(field, super::profiles::FIELDS.iter().map(|f| f.name))
                    ),
                    "name a figure of a request profile (request_ms, response_kb, stored_gb, users_per_peak_rps…)",
                );
            } else if q.kind != QuestionKind::Number {
                self.report(
                    origin,
                    &path,
                    format!(
                        "question `{}` takes its usual answer from a request profile but is not a number question",
                        q.id
                    ),
                    "make it \"kind\": \"number\", or drop `profile_default`",
                );
            }
        }
        if let Some(q) = workload {
            for option in &q.options {
                if self.k.profile(&option.id).is_none() {
                    let origin = self.list_origin(KnowledgeFile::Figures);
                    self.report(
                        origin,
                        &list_path,
                        format!(
                            "workload `{}` has no request profile, so the scenario its answers describe would have no figures to start from",
                            option.id
                        ),
                        format!(
                            "add a profile with \"id\": \"{}\" to figures.json's `profiles` (see knowledge/SCHEMA.md)",
                            option.id
                        ),
                    );
                }
            }
        }
    }

    /// A figure's value, low and high within the range its catalogue entry gives (or, for a figure
    /// the code does not read, 0 to `MAX_FIGURE`).
    fn figure_range(&mut self, origin: Origin, path: &JsonPath, owner: &str, figure: &Figure) {
        let spec = catalogue::figure_spec(&figure.id);
        let (min, max) = spec.map_or((0.0, MAX_FIGURE), |s| (s.min, s.max));
        let fields = [
            ("value", Some(figure.value)),
            ("low", figure.low),
            ("high", figure.high),
        ];
        for (field, value) in fields {
            let Some(value) = value else { continue };
            if !value.is_finite() {
                continue; // reported above as not finite
            }
            let why = if value < min || value > max {
                Some(format!(
                    "is {} {}, outside {}..{} {}",
                    figure_text(value),
                    figure.unit,
                    crate::format::number(min),
                    crate::format::number(max),
                    figure.unit
                ))
            } else if spec.is_some_and(|s| s.whole) && value.fract() != 0.0 {
                Some(format!(
                    "is {value} {}; it counts whole {}",
                    figure.unit, figure.unit
                ))
            } else {
                None
            };
            if let Some(why) = why {
                let reason = spec.map_or(String::new(), |s| {
                    format!(" (the simulator reads it for {})", s.used_for)
                });
                self.report(
                    origin,
                    &path.key(field),
                    format!("{owner}'s `{field}` {why}{reason}"),
                    format!(
                        "give a value from {} to {}{}",
                        crate::format::number(min),
                        crate::format::number(max),
                        if spec.is_some_and(|s| s.whole) {
                            ", a whole number"
                        } else {
                            ""
                        }
                    ),
                );
            }
        }
    }

    /// Every figure and question the code reads is there, of the kind the code expects.
    fn catalogue(&mut self) {
        for spec in catalogue::FIGURES {
            if self.k.figure(spec.id).is_none() {
                let origin = self.list_origin(KnowledgeFile::Figures);
                self.report(
                    origin,
                    &JsonPath::root().key("figures"),
                    format!(
                        "there is no figure `{}`; the simulator reads it for {}",
                        spec.id, spec.used_for
                    ),
                    format!("keep figure `{}` (with its value, unit, date and source), or take it from the shipped knowledge with \"mode\": \"overlay\"", spec.id),
                );
            }
        }
        for id in catalogue::PRICES {
            if self.k.price(id).is_none() {
                let origin = self.list_origin(KnowledgeFile::Prices);
                self.report(
                    origin,
                    &JsonPath::root().key("prices"),
                    format!("there is no price `{id}`; the cost model reads it"),
                    format!("keep price `{id}` (with its amount, unit, date and source), or take it from the shipped knowledge with \"mode\": \"overlay\""),
                );
            }
        }
        for (id, used_for) in catalogue::STACKS {
            if self.k.stack(id).is_none() {
                let origin = self.list_origin(KnowledgeFile::Stacks);
                self.report(
                    origin,
                    &JsonPath::root().key("stacks"),
                    format!("there is no stack `{id}`; it is read for {used_for}"),
                    format!("keep stack `{id}`, or take it from the shipped knowledge with \"mode\": \"overlay\""),
                );
            }
        }
        if let Some(at) = self.k.question_index(catalogue::PIN_STACK) {
            let origin = self.k.origins.questions[at];
            for (i, option) in self.k.questions[at].options.iter().enumerate() {
                if option.id != catalogue::COMPOSE
                    && self.k.stacks.iter().all(|s| s.id != option.id)
                {
                    let hint = suggest(&option.id, self.k.stacks.iter().map(|s| s.id.as_str()));
                    self.report(
                        origin,
                        &self
                            .item_path(KnowledgeFile::Questions, origin)
                            .key("options")
                            .index(i)
                            .key("id"),
                        format!(
                            "`{}` offers to pin `{}`, which is not a stack of stacks.json{hint}",
                            catalogue::PIN_STACK,
                            option.id
                        ),
                        "name a reference stack's id, or `compose`",
                    );
                }
            }
        }
        for spec in catalogue::QUESTIONS {
            let origin = self.list_origin(KnowledgeFile::Questions);
            let Some(question) = self.k.question(spec.id) else {
                self.report(
                    origin,
                    &JsonPath::root().key("questions"),
                    format!(
                        "there is no question `{}`; it is read for {}",
                        spec.id, spec.used_for
                    ),
                    format!("keep question `{}`, or take it from the shipped knowledge with \"mode\": \"overlay\"", spec.id),
                );
                continue;
            };
            let at = self
                .k
                .question_index(spec.id)
                .and_then(|i| self.k.origins.questions.get(i).copied())
                .unwrap_or(origin);
            let path = self.item_path(KnowledgeFile::Questions, at);
            if question.kind != spec.kind {
                self.report(
                    at,
                    &path.key("kind"),
                    format!(
                        "question `{}` is a {} question; it is read for {} as a {} question",
                        spec.id,
                        kind_name(question.kind),
                        spec.used_for,
                        kind_name(spec.kind)
                    ),
                    format!("make `{}` a {} question", spec.id, kind_name(spec.kind)),
                );
            }
            for option in spec.options {
                if question.option(option).is_none() {
                    self.report(
                        at,
                        &path.key("options"),
                        format!(
                            "question `{}` has no option `{option}`; it is read for {}",
                            spec.id, spec.used_for
                        ),
                        format!("keep the option `{option}`"),
                    );
                }
            }
        }
    }
}

fn kind_name(kind: QuestionKind) -> &'static str {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_year_month_or_full_dates() {
        assert!(is_date("2026-01"));
        assert!(is_date("2026-01-31"));
        assert!(!is_date("2026-13"));
        assert!(!is_date("Jan 2026"));
        assert!(!is_date(""));
    }

    #[test]
    fn ids_are_kebab_case() {
        assert!(is_kebab_id("alb-ec2-elasticache-rds"));
        assert!(!is_kebab_id("ALB"));
        assert!(!is_kebab_id("-x"));
        assert!(!is_kebab_id("a_b"));
    }
}
