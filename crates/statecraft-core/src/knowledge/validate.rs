//! Checks a merged knowledge base for everything serde cannot: references between files, ranges,
//! branching, dates and sources. Every problem is placed at its file, line, column and JSON path.

mod billing;
mod code_refs;
mod composition;
mod prices;
mod questions;
mod review;

pub(crate) use questions::{collect_refs, question_refs};

use super::catalogue::MAX_FIGURE;
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
