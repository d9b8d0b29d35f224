//! Checks of the design review's data (rules.json's `checks` and `conflicts`) and of the warnings
//! rules give: every check cites a source and a date, every risk says what mitigates it and what the
//! mitigation costs, and every rule that warns against a stack carries its warning to the stack
//! through a check, so that no warning fires beside the service it warns against and changes
//! nothing.

use super::super::model::*;
use super::super::{Check, Severity, Threshold, load::Origin};
use super::{Validator, is_date, suggest};
use crate::diagnostic::JsonPath;

fn check_path(origin: Origin) -> JsonPath {
    JsonPath::root().key("checks").index(origin.index)
}

impl Validator<'_> {
    /// Whether `program` is one of the `compliance` question's options (not "none").
    pub(super) fn is_compliance_program(&self, program: &str) -> bool {
        program != "none"
            && self
                .k
                .question("compliance")
                .is_some_and(|q| q.options.iter().any(|o| o.id == program))
    }

    /// Where a check reviews the compliance programs' scope, every service AWS runs says which
    /// programs list it, each one the `compliance` question offers.
    pub(super) fn scopes(&mut self) {
        if !self.k.checks.iter().any(|c| c.outside_scope.is_some()) {
            return;
        }
        for (service, &origin) in self.k.services.iter().zip(&self.k.origins.services) {
            let path = self.item_path(super::super::KnowledgeFile::Services, origin);
            let owner = format!("service `{}`", service.id);
            match &service.in_scope {
                None if !service.pattern => self.report(
                    origin,
                    &path.key("in_scope"),
                    format!("{owner} does not say which compliance programs list it, and the design review checks them"),
                    "add `in_scope` with the programs AWS's Services in Scope by Compliance Program lists it in (hipaa, pci-dss, soc2), or [] for none",
                ),
                None => {}
                Some(programs) => {
                    for (i, p) in programs.iter().enumerate() {
                        if !self.is_compliance_program(p) {
                            self.report(
                                origin,
                                &path.key("in_scope").index(i),
                                format!("{owner} is in the scope of `{p}`, which is not a compliance program the `compliance` question offers"),
                                "name the `compliance` question's options (hipaa, pci-dss, soc2)",
                            );
                        }
                    }
                }
            }
        }
    }

    pub(super) fn checks(&mut self) {
        for (check, &origin) in self.k.checks.iter().zip(&self.k.origins.checks) {
            let path = check_path(origin);
            let owner = format!("check `{}`", check.id);
            self.check_id_at(origin, path.key("id"), &check.id);
            self.check_services(origin, &path, &owner, check);
            if let Some(c) = &check.when {
                self.condition(origin, path.key("when"), c, None);
            }
            self.check_thresholds(origin, &path, &owner, check);
            if check.text.trim().is_empty() {
                self.report(
                    origin,
                    &path.key("text"),
                    format!("{owner} has no `text`"),
                    "say in one sentence what the check finds, with its numbers",
                );
            }
            self.check_mitigation(origin, &path, &owner, check);
            self.check_source_ref(
                origin,
                path.key("source"),
                &owner,
                check.source.as_deref(),
                true,
            );
            if !is_date(&check.as_of) {
                self.report(
                    origin,
                    &path.key("as_of"),
                    format!(
                        "{owner} has `as_of` \"{}\", which is not a date",
                        check.as_of
                    ),
                    "write when its figures were checked as YYYY-MM or YYYY-MM-DD",
                );
            }
            let named = self.k.rules.iter().any(|r| r.review.contains(&check.id));
            if check.when.is_none() && check.exceeds.is_none() && check.under.is_none() && !named {
                self.report(
                    origin,
                    &path,
                    format!("{owner} never applies: it has no `when`, `exceeds` or `under`, and no rule names it in `review`"),
                    "give it a `when` condition or a figure to compare with, or name it in a warning rule's `review`",
                );
            }
        }
    }

    fn check_services(&mut self, origin: Origin, path: &JsonPath, owner: &str, check: &Check) {
        if let Some(program) = &check.outside_scope
            && !self.is_compliance_program(program)
        {
            self.report(
                origin,
                &path.key("outside_scope"),
                format!("{owner} checks the scope of `{program}`, which is not a compliance program the `compliance` question offers"),
                "name one of the `compliance` question's options (hipaa, pci-dss, soc2)",
            );
        }
        if check.services.is_empty() && check.outside_scope.is_none() {
            self.report(
                origin,
                &path.key("services"),
                format!("{owner} reviews no service"),
                "list the services whose presence in a stack the check is about",
            );
        }
        for (i, id) in check.services.iter().enumerate() {
            self.service_ref(origin, path.key("services").index(i), owner, id);
            if let (Some(tier), Some(svc)) = (check.tier, self.k.service(id))
                && !super::super::stack_ids::fills(svc, tier)
            {
                self.report(
                    origin,
                    &path.key("services").index(i),
                    format!(
                        "{owner} reviews `{id}` in the {tier} tier, which `{id}` does not fill"
                    ),
                    "name a service that fills the check's `tier`, or change the tier",
                );
            }
        }
        for (i, id) in check.with.iter().enumerate() {
            self.service_ref(origin, path.key("with").index(i), owner, id);
        }
        for (i, id) in check.without.iter().enumerate() {
            self.service_ref(origin, path.key("without").index(i), owner, id);
        }
    }

    fn check_thresholds(&mut self, origin: Origin, path: &JsonPath, owner: &str, check: &Check) {
        for (key, t) in [("exceeds", &check.exceeds), ("under", &check.under)] {
            if let Some(t) = t {
                self.check_threshold(origin, path.key(key), owner, t);
            }
        }
    }

    fn check_threshold(&mut self, origin: Origin, at: JsonPath, owner: &str, e: &Threshold) {
        match self.k.question(&e.answer) {
            Some(q) if q.kind == QuestionKind::Number => {}
            Some(_) => self.report(
                origin,
                &at.key("answer"),
                format!(
                    "{owner} compares question `{}`, which is not a number question",
                    e.answer
                ),
                "name a question of kind `number` (peak-rps, latency-p99-ms, …)",
            ),
            None => {
                let hint = suggest(&e.answer, self.k.questions.iter().map(|q| q.id.as_str()));
                self.report(
                    origin,
                    &at.key("answer"),
                    format!("{owner} compares question `{}`, which questions.json does not define{hint}", e.answer),
                    "use the id of a number question",
                )
            }
        }
        if self.k.figure(&e.figure).is_none() {
            let hint = suggest(&e.figure, self.k.figures.iter().map(|f| f.id.as_str()));
            self.report(
                origin,
                &at.key("figure"),
                format!(
                    "{owner} compares with figure `{}`, which figures.json does not define{hint}",
                    e.figure
                ),
                "name a figure in figures.json: the check's numbers must be sourced and dated",
            );
        }
        if !(e.factor.is_finite() && e.factor > 0.0 && e.factor <= 1e6) {
            self.report(
                origin,
                &at.key("factor"),
                format!(
                    "{owner} has `factor` {}, which is not a positive number up to 1,000,000",
                    e.factor
                ),
                "scale the figure by a positive factor (1 keeps it as it is)",
            );
        }
    }

    fn check_mitigation(&mut self, origin: Origin, path: &JsonPath, owner: &str, check: &Check) {
        let Some(m) = &check.mitigation else {
            if check.severity == Severity::Risk {
                self.report(
                    origin,
                    path,
                    format!("{owner} is a risk with no `mitigation`"),
                    "say what mitigates it: \"mitigation\": {\"text\": …, \"price\": PRICE-ID} (or \"no_charge\": why it costs nothing)",
                );
            }
            return;
        };
        let at = path.key("mitigation");
        if m.text.trim().is_empty() {
            self.report(
                origin,
                &at.key("text"),
                format!("{owner}'s mitigation has no `text`"),
                "say in one sentence what to do",
            );
        }
        match (&m.price, &m.no_charge) {
            (Some(p), None) if self.k.price(p).is_none() => {
                let hint = suggest(p, self.k.prices.iter().map(|x| x.id.as_str()));
                self.report(
                    origin,
                    &at.key("price"),
                    format!("{owner}'s mitigation is priced by `{p}`, which prices.json does not define{hint}"),
                    "name the price the mitigation adds to the bill",
                );
            }
            (Some(_), None) => {}
            (None, Some(why)) if !why.trim().is_empty() => {}
            (Some(_), Some(_)) => self.report(
                origin,
                &at,
                format!("{owner}'s mitigation has both a `price` and `no_charge`"),
                "keep `price` if it adds to the bill, `no_charge` if it does not",
            ),
            _ => self.report(
                origin,
                &at,
                format!("{owner}'s mitigation does not say what it costs"),
                "add \"price\": the id of the price it adds to the bill, or \"no_charge\": why it adds nothing",
            ),
        }
    }

    /// Every rule that takes points away from a reference stack (a warning about what is in it)
    /// carries the warning to the composed stack through a design-review check; rules that name
    /// unknown checks are refused.
    pub(super) fn warnings(&mut self) {
        for (rule, &origin) in self.k.rules.iter().zip(&self.k.origins.rules) {
            let path = self.item_path(super::super::KnowledgeFile::Rules, origin);
            let owner = format!("rule `{}`", rule.id);
            for (i, id) in rule.review.iter().enumerate() {
                if !self.k.checks.iter().any(|c| &c.id == id) {
                    let hint = suggest(id, self.k.checks.iter().map(|c| c.id.as_str()));
                    self.report(
                        origin,
                        &path.key("review").index(i),
                        format!("{owner} names check `{id}`, which rules.json's `checks` does not define{hint}"),
                        "use the id of a check in `checks`, or add the check",
                    );
                }
            }
            for (i, id) in rule.constrains.iter().enumerate() {
                if !self.k.requirements.iter().any(|r| &r.id == id) {
                    let hint = suggest(id, self.k.requirements.iter().map(|r| r.id.as_str()));
                    self.report(
                        origin,
                        &path.key("constrains").index(i),
                        format!("{owner} names requirement `{id}`, which rules.json's `requirements` does not define{hint}"),
                        "use the id of a requirement, or add it",
                    );
                }
            }
            let warns = rule.stacks.values().any(|p| *p < 0);
            let penalises_services = rule.services.values().any(|p| *p < 0);
            if warns && !penalises_services && rule.review.is_empty() && rule.constrains.is_empty()
            {
                self.report(
                    origin,
                    &path.key("stacks"),
                    format!("{owner} warns against a reference stack but neither constrains, penalises the services, nor names a design-review check, so a composed stack with the same services would carry the risk without a word"),
                    "name the check that carries the warning and its mitigation in \"review\": [CHECK-ID], the requirement that enforces it in \"constrains\", or take the points from the services themselves in `services`",
                );
            }
        }
    }

    /// The margin under which the advice shows a close call must be a sensible number of points.
    pub(super) fn close_call(&mut self) {
        let points = self.k.manifest.close_call_points;
        if !(0..=2 * super::MAX_WEIGHT).contains(&points) {
            let origin = self.list_origin(super::super::KnowledgeFile::Manifest);
            self.report(
                origin,
                &JsonPath::root().key("close_call_points"),
                format!(
                    "`close_call_points` is {points}, outside 0 to {}",
                    2 * super::MAX_WEIGHT
                ),
                "give the margin, in points, under which the advice shows its runner-up (3 ships)",
            );
        }
    }

    pub(super) fn conflicts(&mut self) {
        for (conflict, &origin) in self.k.conflicts.iter().zip(&self.k.origins.conflicts) {
            let path = JsonPath::root().key("conflicts").index(origin.index);
            let owner = format!("conflict `{}`", conflict.id);
            self.check_id_at(origin, path.key("id"), &conflict.id);
            self.condition(origin, path.key("when"), &conflict.when, None);
            if conflict.text.trim().is_empty() {
                self.report(
                    origin,
                    &path.key("text"),
                    format!("{owner} has no `text`"),
                    "say which answers contradict each other and which to change",
                );
            }
            self.check_source_ref(
                origin,
                path.key("source"),
                &owner,
                conflict.source.as_deref(),
                true,
            );
        }
    }
}
