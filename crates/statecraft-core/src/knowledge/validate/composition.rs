//! Checks of what the composer reads: the services' capabilities and the requirements, so that
//! whatever `check-knowledge` accepts can be composed (no requirement that no service can meet, no
//! tier called for that no service fills, no capability naming an unknown protocol).

use super::super::model::*;
use super::super::stack_ids::unmet_need;
use super::super::{KnowledgeFile, load::Origin};
use super::{Validator, is_date, suggest};
use crate::diagnostic::JsonPath;

impl Validator<'_> {
    /// A word of a capability list that must come from a fixed vocabulary.
    fn vocabulary(
        &mut self,
        origin: Origin,
        path: JsonPath,
        owner: &str,
        what: &str,
        value: &str,
        allowed: &[&str],
    ) {
        if !allowed.contains(&value) {
            let hint = suggest(value, allowed.iter().copied());
            self.report(
                origin,
                &path,
                format!("{owner} names {what} `{value}`, which is not one Statecraft knows{hint}"),
                format!("use one of: {}", allowed.join(", ")),
            );
        }
    }

    pub(super) fn capabilities(&mut self) {
        for (service, &origin) in self.k.services.iter().zip(&self.k.origins.services) {
            let path = self
                .item_path(KnowledgeFile::Services, origin)
                .key("capabilities");
            let owner = format!("service `{}`", service.id);
            let Some(c) = &service.capabilities else {
                self.report(
                    origin,
                    &self.item_path(KnowledgeFile::Services, origin),
                    format!("{owner} declares no `capabilities`, so no stack can be composed with it"),
                    "add \"capabilities\": {\"tiers\": [...], \"protocols\": [...], …} (see knowledge/SCHEMA.md)",
                );
                continue;
            };
            self.capability_words(origin, &path, &owner, service, c);
            self.capability_doors(origin, &path, &owner, c);
            self.capability_limits(origin, &path, &owner, c);
            self.capability_usage(origin, &path, &owner, service, c);
        }
    }

    /// A service's tiers, and the words and services its capabilities name.
    fn capability_words(
        &mut self,
        origin: Origin,
        path: &JsonPath,
        owner: &str,
        service: &Service,
        c: &Capabilities,
    ) {
        let companion = self.k.services.iter().any(|o| {
            o.capabilities
                .as_ref()
                .is_some_and(|oc| oc.companions.contains(&service.id))
        });
        if c.tiers.is_empty() && !companion {
            self.report(
                origin,
                &path.key("tiers"),
                format!("{owner} fills no tier"),
                "list the tiers it can fill (front, cdn, dns, compute, session, database, files, auth, ingest)",
            );
        }
        for (i, p) in c.protocols.iter().enumerate() {
            self.vocabulary(
                origin,
                path.key("protocols").index(i),
                owner,
                "protocol",
                p,
                &PROTOCOLS,
            );
        }
        for (i, p) in c.consistency.iter().enumerate() {
            self.vocabulary(
                origin,
                path.key("consistency").index(i),
                owner,
                "consistency level",
                p,
                &CONSISTENCY_LEVELS,
            );
        }
        for (i, t) in c.targets.iter().enumerate() {
            if t != "none" {
                self.service_ref(origin, path.key("targets").index(i), owner, t);
            }
        }
        for (i, t) in c.companions.iter().enumerate() {
            self.service_ref(origin, path.key("companions").index(i), owner, t);
        }
        if let Some(s) = &c.simulated_as {
            self.service_ref(origin, path.key("simulated_as"), owner, s);
        }
    }

    /// What a front door hands its targets, and the firewall it can carry.
    fn capability_doors(&mut self, origin: Origin, path: &JsonPath, owner: &str, c: &Capabilities) {
        // what a door hands a target must be a target it has and a protocol it carries
        for (target, protocols) in &c.target_protocols {
            let at = path.key("target_protocols").key(target);
            if !c.targets.contains(target) || target == "none" {
                self.report(
                    origin,
                    &at,
                    format!(
                        "{owner} says what it hands `{target}`, which is not one of its `targets`"
                    ),
                    "name a compute service listed in `targets`, or add it there",
                );
            }
            for (i, p) in protocols.iter().enumerate() {
                if !super::super::carries(&c.protocols, p) {
                    self.report(
                        origin,
                        &at.index(i),
                        format!(
                            "{owner} hands `{target}` {p}, a protocol it does not speak itself"
                        ),
                        "list only protocols among its `protocols` (or carried over them)",
                    );
                }
            }
        }
        if (c.tiers.contains(&StackTier::Front) || c.tiers.contains(&StackTier::Live))
            && c.targets.is_empty()
        {
            self.report(
                origin,
                &path.key("targets"),
                format!("{owner} is a front door but names no `targets`"),
                "list the compute services it can send requests to, or [\"none\"]",
            );
        }
        if c.firewall {
            self.firewall_target(origin, path, owner, c);
        }
    }

    /// What a session store says of itself, and the limits a service has.
    fn capability_limits(
        &mut self,
        origin: Origin,
        path: &JsonPath,
        owner: &str,
        c: &Capabilities,
    ) {
        if c.tiers.contains(&StackTier::Session) {
            if c.placement.is_none() {
                self.report(
                    origin,
                    &path.key("placement"),
                    format!("{owner} can hold sessions but says not how (`placement`)"),
                    "add \"placement\": one of in-process-sticky, shared-cache, dynamodb, database, client-token",
                );
            }
            if c.archetypes.is_empty() {
                self.report(
                    origin,
                    &path.key("archetypes"),
                    format!("{owner} can hold sessions but names no archetype they make"),
                    "add \"archetypes\": e.g. [\"hybrid\"] for a shared cache",
                );
            }
        }
        for (key, value) in [
            ("max_connection_minutes", c.max_connection_minutes),
            ("idle_timeout_s", c.idle_timeout_s),
            ("max_item_kb", c.max_item_kb),
        ] {
            if let Some(v) = value
                && !(v.is_finite() && v > 0.0 && v <= super::MAX_FIGURE)
            {
                self.report(
                    origin,
                    &path.key(key),
                    format!(
                        "{owner} has `{key}` {}, which is not a positive finite figure",
                        super::figure_text(v)
                    ),
                    "give the limit AWS documents, or null when there is none",
                );
            }
        }
    }

    /// What a service bills (each meter priced), and where its capabilities come from.
    fn capability_usage(
        &mut self,
        origin: Origin,
        path: &JsonPath,
        owner: &str,
        service: &Service,
        c: &Capabilities,
    ) {
        for (i, u) in c.usage.iter().enumerate() {
            let at = path.key("usage").index(i);
            let priced =
                self.k.prices.iter().any(|p| {
                    p.service == service.id && p.meter.as_deref() == Some(u.meter.as_str())
                });
            if !priced {
                let meters = self
                    .k
                    .prices
                    .iter()
                    .filter(|p| p.service == service.id)
                    .filter_map(|p| p.meter.clone())
                    .collect::<Vec<_>>();
                self.report(
                    origin,
                    &at.key("meter"),
                    format!(
                        "{owner} bills `{}`, which no price of the service meters",
                        u.meter
                    ),
                    if meters.is_empty() {
                        format!("add a price for `{}` to prices.json", service.id)
                    } else {
                        format!("use one of its meters: {}", meters.join(", "))
                    },
                );
            }
            if !(u.factor.is_finite() && u.factor >= 0.0 && u.factor <= super::MAX_FIGURE) {
                self.report(
                    origin,
                    &at.key("factor"),
                    format!(
                        "{owner} has a usage factor {}",
                        super::figure_text(u.factor)
                    ),
                    "use a finite factor of 0 or more",
                );
            }
        }
        if let Some(d) = &c.as_of
            && !is_date(d)
        {
            self.report(
                origin,
                &path.key("as_of"),
                format!("{owner}'s capabilities have `as_of` \"{d}\", which is not a date"),
                "write the date as YYYY-MM or YYYY-MM-DD",
            );
        }
        self.check_source_ref(
            origin,
            path.key("source"),
            owner,
            c.source.as_deref(),
            false,
        );
    }

    /// A service that says a web application firewall can be associated with it must be a place
    /// one can be: AWS WAF inspects HTTP requests at a front door, a CDN or a sign-in endpoint, so
    /// it cannot sit on a layer-4 load balancer or anything off the request path.
    fn firewall_target(
        &mut self,
        origin: Origin,
        path: &JsonPath,
        owner: &str,
        c: &crate::knowledge::Capabilities,
    ) {
        let at = path.key("firewall");
        let edge = c
            .tiers
            .iter()
            .any(|t| matches!(t, StackTier::Front | StackTier::Cdn));
        if !edge && !c.tiers.contains(&StackTier::Auth) {
            self.report(
                origin,
                &at,
                format!(
                    "{owner} says a web application firewall can be associated with it, but it is not a front door, a CDN or a sign-in service"
                ),
                "remove `firewall`: AWS WAF protects CloudFront, Application Load Balancers, API Gateway REST APIs, AppSync, Cognito user pools, App Runner and Verified Access",
            );
        } else if edge && !c.protocols.iter().any(|p| p == "http") {
            // speaking HTTP itself, not carrying it over TCP: a layer-4 balancer passes HTTP
            // through without reading it, so a firewall has nothing to inspect there
            self.report(
                origin,
                &at,
                format!(
                    "{owner} says a web application firewall can be associated with it, but it does not speak HTTP itself (it speaks {})",
                    if c.protocols.is_empty() { "nothing".to_string() } else { c.protocols.join(", ") }
                ),
                "remove `firewall`: AWS WAF inspects HTTP requests and cannot protect a Network Load Balancer or raw TCP/UDP traffic",
            );
        }
    }

    pub(super) fn requirements(&mut self) {
        let k = self.k;
        for (req, &origin) in k.requirements.iter().zip(&k.origins.requirements) {
            let path = JsonPath::root().key("requirements").index(origin.index);
            let owner = format!("requirement `{}`", req.id);
            if !super::is_kebab_id(&req.id) {
                self.report(
                    origin,
                    &path.key("id"),
                    format!("id `{}` is not lowercase kebab-case", req.id),
                    "use lowercase letters, digits and dashes",
                );
            }
            self.condition(origin, path.key("when"), &req.when, None);
            if req.text.trim().is_empty() {
                self.report(
                    origin,
                    &path.key("text"),
                    format!("{owner} has no text"),
                    "say in a few words what is required",
                );
            }
            self.check_source_ref(
                origin,
                path.key("source"),
                &owner,
                req.source.as_deref(),
                true,
            );
            let n = &req.needs;
            let np = path.key("needs");
            if n.present && n.absent {
                self.report(
                    origin,
                    &np,
                    format!("{owner} both calls for its tier and rules it out"),
                    "keep `present` or `absent`, not both",
                );
            }
            self.requirement_needs(origin, &np, &owner, &req.needs);
            self.requirement_met(origin, &path, &np, &owner, req);
        }
        // every tier some requirement calls for has a candidate (checked above per requirement);
        // and the composer always has a front door to compose from
        if !k.requirements.is_empty()
            && !k.services.iter().any(|s| {
                s.capabilities
                    .as_ref()
                    .is_some_and(|c| c.tiers.contains(&StackTier::Front))
            })
        {
            let origin = self.list_origin(KnowledgeFile::Services);
            self.report(
                origin,
                &JsonPath::root().key("services"),
                "no service can be a stack's front door".to_string(),
                "give a load balancer or gateway \"tiers\": [\"front\"]",
            );
        }
    }

    /// The words and the questions and services a requirement's `needs` name.
    fn requirement_needs(&mut self, origin: Origin, np: &JsonPath, owner: &str, n: &Needs) {
        let k = self.k;
        if let Some(p) = &n.protocol {
            self.vocabulary(origin, np.key("protocol"), owner, "protocol", p, &PROTOCOLS);
        }
        if let Some(c) = &n.consistency {
            self.vocabulary(
                origin,
                np.key("consistency"),
                owner,
                "consistency level",
                c,
                &CONSISTENCY_LEVELS,
            );
        }
        for (key, from) in [
            ("connection_minutes_from", &n.connection_minutes_from),
            ("item_kb_from", &n.item_kb_from),
        ] {
            let Some(id) = from else { continue };
            match k.question(id) {
                Some(q) if q.kind == QuestionKind::Number => {}
                Some(_) => self.report(
                    origin,
                    &np.key(key),
                    format!("{owner} reads `{id}` as a number, but it is not a number question"),
                    "name a question of kind \"number\"",
                ),
                None => {
                    let hint = suggest(id, k.questions.iter().map(|q| q.id.as_str()));
                    self.report(
                        origin,
                        &np.key(key),
                        format!("{owner} reads question `{id}`, which questions.json does not define{hint}"),
                        "name a question of questions.json",
                    );
                }
            }
        }
        for (j, s) in n.one_of.iter().enumerate() {
            self.service_ref(origin, np.key("one_of").index(j), owner, s);
        }
    }

    /// Some service of a requirement's tier can meet it (numbers read from answers aside).
    fn requirement_met(
        &mut self,
        origin: Origin,
        path: &JsonPath,
        np: &JsonPath,
        owner: &str,
        req: &Requirement,
    ) {
        let k = self.k;
        let n = &req.needs;
        // a requirement no service of its tier can meet (numbers read from answers aside)
        let fillers: Vec<&Service> = k
            .services
            .iter()
            .filter(|s| {
                s.capabilities
                    .as_ref()
                    .is_some_and(|c| c.tiers.contains(&req.tier))
            })
            .collect();
        if fillers.is_empty() {
            self.report(
                origin,
                &path.key("tier"),
                format!(
                    "{owner} is about the {} tier, which no service can fill",
                    req.tier.label()
                ),
                format!(
                    "add \"{}\" to the `tiers` of a service's capabilities",
                    req.tier
                ),
            );
            return;
        }
        if n.absent
            || n.present
                && n == &(Needs {
                    present: true,
                    ..Needs::default()
                })
        {
            return;
        }
        // the composer's own check, limits read from answers aside
        if !fillers.iter().any(|s| unmet_need(s, req, None).is_none()) {
            self.report(
                origin,
                np,
                format!(
                    "{owner}: no service that can be the {} meets it ({} considered)",
                    req.tier.label(),
                    fillers.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join(", ")
                ),
                "add the capability to a service that has it, add a service that does, or loosen the requirement",
            );
        }
    }
}
