//! Stacks composed tier by tier from the catalogue's services, as opposed to the reference stacks that
//! `stacks.json` names. A composed stack is fully given by the service in each of its tiers, so its id
//! spells them out (`front=nlb+compute=ec2+session=server-memory+database=rds-postgres`) and every
//! part of Statecraft that reads a stack by id (simulator, cost model, Chaos Monkey test, records,
//! scenario files) can rebuild it from the id alone.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use super::{Archetype, LatencyClass, Requirement, Service};
use super::{ComputeKind, Knowledge, SessionPlacement, Stack, StackService, StackTier, Topology};

/// The service in each tier a stack has, in tier order.
pub type Picks = Vec<(StackTier, String)>;

/// Whether `id` is a composed stack's id rather than a reference stack's.
pub fn is_composed_id(id: &str) -> bool {
    id.contains('=')
}

/// `hybrid+front=alb+compute=ec2+…`: the id of the stack of `archetype` with these picks.
pub fn composed_id(archetype: Archetype, picks: &[(StackTier, String)]) -> String {
    std::iter::once(archetype.as_str().to_string())
        .chain(picks.iter().map(|(t, s)| format!("{}={s}", t.as_str())))
        .collect::<Vec<_>>()
        .join("+")
}

/// The service a composed stack uses as its second door for live connections (its `live` tier),
/// beside the request door; none for a reference stack or a stack with one door.
pub fn live_door(k: &Knowledge, id: &str) -> Option<String> {
    if !is_composed_id(id) {
        return None;
    }
    let (_, picks) = parse_id(k, id).ok()?;
    picks
        .into_iter()
        .find(|(tier, _)| *tier == StackTier::Live)
        .map(|(_, service)| service)
}

/// The archetype and picks a composed id names, or why it names none: an unknown archetype, tier or
/// service, a service that cannot fill the tier, a tier named twice or out of order.
pub fn parse_id(k: &Knowledge, id: &str) -> Result<(Archetype, Picks), String> {
    let mut parts = id.split('+');
    let first = parts.next().unwrap_or_default();
    let Some(archetype) = Archetype::ALL.into_iter().find(|a| a.as_str() == first) else {
        return Err(format!(
            "a composed stack's id starts with its archetype (stateless, hybrid or stateful), not `{first}`"
        ));
    };
    let mut picks: Picks = Vec::new();
    for part in parts {
        let Some((tier, service)) = part.split_once('=') else {
            return Err(format!("`{part}` is not `tier=service`"));
        };
        let Some(tier) = StackTier::parse(tier) else {
            let tiers: Vec<&str> = StackTier::ALL.iter().map(|t| t.as_str()).collect();
            return Err(format!(
                "`{tier}` is not a tier (the tiers are {})",
                tiers.join(", ")
            ));
        };
        let Some(svc) = k.service(service) else {
            return Err(format!(
                "`{service}` is not a service of the knowledge base"
            ));
        };
        if !fills(svc, tier) {
            return Err(format!(
                "{} cannot be the {} of a stack",
                svc.name,
                tier.label()
            ));
        }
        if picks.last().is_some_and(|(t, _)| *t >= tier) {
            return Err(format!(
                "the {} is named out of order or twice (tiers go {})",
                tier.label(),
                StackTier::ALL.map(|t| t.as_str()).join(", ")
            ));
        }
        picks.push((tier, service.to_string()));
    }
    if !picks
        .iter()
        .any(|(t, _)| matches!(t, StackTier::Front | StackTier::Cdn))
    {
        return Err("a stack needs a front door (or a CDN for a static site)".into());
    }
    Ok((archetype, picks))
}

/// Whether the service declares the tier among its capabilities.
pub fn fills(svc: &Service, tier: StackTier) -> bool {
    svc.capabilities
        .as_ref()
        .is_some_and(|c| c.tiers.contains(&tier))
}

/// The service's short name for a stack's title ("ALB"), or its full name.
pub fn short_name(svc: &Service) -> &str {
    svc.short.as_deref().unwrap_or(&svc.name)
}

/// The compute model the simulator runs for a compute service (its own, or the one it is simulated as).
pub fn compute_kind(k: &Knowledge, service: &str) -> ComputeKind {
    let model = k
        .service(service)
        .and_then(|s| s.capabilities.as_ref())
        .and_then(|c| c.simulated_as.as_deref())
        .unwrap_or(service);
    match model {
        "ec2" => ComputeKind::Ec2,
        "fargate" => ComputeKind::Fargate,
        "lambda" => ComputeKind::Lambda,
        "eks" => ComputeKind::Eks,
        _ => ComputeKind::Ec2,
    }
}

/// The stack these picks make, of `archetype`. Services that come with a pick (ECS with Fargate)
/// follow it.
pub fn build(k: &Knowledge, archetype: Archetype, picks: &[(StackTier, String)]) -> Stack {
    let pick = |tier: StackTier| {
        picks
            .iter()
            .find(|(t, _)| *t == tier)
            .map(|(_, s)| s.clone())
    };
    let session = pick(StackTier::Session);
    let placement = session
        .as_deref()
        .and_then(|s| k.service(s))
        .and_then(|s| s.capabilities.as_ref())
        .and_then(|c| c.placement)
        .unwrap_or(SessionPlacement::None);
    let session_service = session.filter(|s| k.service(s).is_some_and(|svc| !svc.pattern));
    let compute = pick(StackTier::Compute);
    let topology = Topology {
        front: pick(StackTier::Front)
            .or_else(|| pick(StackTier::Cdn))
            .unwrap_or_default(),
        compute: compute
            .as_deref()
            .map_or(ComputeKind::None, |c| compute_kind(k, c)),
        session: placement,
        session_service,
        database: pick(StackTier::Database),
        static_assets: pick(StackTier::Files),
        journal: pick(StackTier::Journal),
    };
    let mut services: Vec<StackService> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for (tier, id) in picks {
        let Some(svc) = k.service(id) else { continue };
        let label = match tier {
            StackTier::Session if svc.pattern => short_name(svc).to_string(),
            StackTier::Session => format!("{} sessions", short_name(svc)),
            StackTier::Journal => format!("{} journal", short_name(svc)),
            _ => short_name(svc).to_string(),
        };
        if !names.contains(&label) {
            names.push(label);
        }
        if !services.iter().any(|s| &s.service == id) {
            services.push(StackService {
                service: id.clone(),
                role: svc.role.clone(),
            });
        }
        for companion in svc.capabilities.iter().flat_map(|c| &c.companions) {
            if let Some(c) = k.service(companion)
                && !services.iter().any(|s| &s.service == companion)
            {
                services.push(StackService {
                    service: companion.clone(),
                    role: c.role.clone(),
                });
            }
        }
    }
    Stack {
        id: composed_id(archetype, picks),
        // a title starts with a capital, whichever tier's name comes first
        name: crate::format::capitalised(&names.join(" + ")),
        archetype,
        summary: format!(
            "Composed from the answers, one service per tier: {}.",
            picks
                .iter()
                .map(|(t, s)| format!(
                    "{}: {}",
                    t.label(),
                    k.service(s).map_or(s.as_str(), |svc| svc.name.as_str())
                ))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        services,
        topology,
        pros: Vec::new(),
        cons: Vec::new(),
        source: None,
    }
}

/// A composed stack by its id, built once per knowledge content and kept for the life of the
/// program, so that `Knowledge::stack` can lend it like a reference stack. The number of distinct
/// compositions is bounded by the catalogue (one service per tier), so the set stays small.
pub(super) fn resolve(k: &Knowledge, id: &str) -> Option<&'static Stack> {
    let (archetype, picks) = parse_id(k, id).ok()?;
    let stack = build(k, archetype, &picks);
    intern(stack)
}

/// The one shared copy of `stack`.
pub(super) fn intern(stack: Stack) -> Option<&'static Stack> {
    static INTERNED: OnceLock<Mutex<HashMap<String, &'static Stack>>> = OnceLock::new();
    let key = serde_json::to_string(&stack).ok()?;
    let mut map = INTERNED
        .get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    Some(map.entry(key).or_insert_with(|| Box::leak(Box::new(stack))))
}

/// Why `svc` does not meet `req`, or `None` when it does. `wanted` is the number a `…_from` need
/// reads from the answers; without one, limits on numbers are not checked.
pub fn unmet_need(svc: &Service, req: &Requirement, wanted: Option<f64>) -> Option<String> {
    let n = &req.needs;
    let name = short_name(svc);
    let Some(c) = svc.capabilities.as_ref() else {
        return Some(format!("{name} declares no capabilities"));
    };
    if let Some(p) = &n.protocol
        && !super::carries(&c.protocols, p)
    {
        let spoken: Vec<String> = c.protocols.iter().map(|p| protocol_name(p)).collect();
        return Some(format!(
            "{name} speaks {}; {}",
            list(&spoken),
            lower_first(&req.text)
        ));
    }
    if let Some(want) = n.latency_class
        && svc.latency_class > want
    {
        return Some(format!(
            "{name} answers in {}; {}",
            latency_label(svc.latency_class),
            lower_first(&req.text)
        ));
    }
    if n.connection_minutes_from.is_some()
        && let (Some(want), Some(max)) = (wanted, c.max_connection_minutes)
        && want > max
    {
        return Some(format!(
            "{name} closes a connection after {} minutes; connections stay open {} minutes",
            crate::format::number(max),
            crate::format::number(want)
        ));
    }
    if n.item_kb_from.is_some()
        && let (Some(want), Some(max)) = (wanted, c.max_item_kb)
        && want > max
    {
        return Some(format!(
            "{name} holds at most {} KB per item; {} ({} KB)",
            crate::format::number(max),
            lower_first(&req.text),
            crate::format::number(want)
        ));
    }
    if let Some(level) = &n.consistency
        && !c.consistency.contains(level)
    {
        return Some(format!(
            "{name} offers {} consistency, not {level}; {}",
            list(&c.consistency),
            lower_first(&req.text)
        ));
    }
    if let Some(auth) = &n.client_auth
        && !c.client_auth.contains(auth)
    {
        return Some(format!(
            "{name} cannot verify {auth} itself; {}",
            lower_first(&req.text)
        ));
    }
    if n.multi_region && !c.multi_region {
        return Some(format!(
            "{name} has no multi-Region option; {}",
            lower_first(&req.text)
        ));
    }
    if n.multi_az && !c.multi_az {
        return Some(format!(
            "{name} does not span Availability Zones; {}",
            lower_first(&req.text)
        ));
    }
    if n.sticky && !c.sticky {
        return Some(format!(
            "{name} cannot keep a client on one server; {}",
            lower_first(&req.text)
        ));
    }
    if n.firewall && !c.firewall {
        return Some(format!(
            "AWS WAF cannot be associated with {name}; {}",
            lower_first(&req.text)
        ));
    }
    if n.private && !c.private {
        return Some(format!(
            "{name} has no private endpoint (it answers only on the internet); {}",
            lower_first(&req.text)
        ));
    }
    if !n.one_of.is_empty() && !n.one_of.contains(&svc.id) {
        return Some(format!(
            "{name} is not one of the services {}",
            lower_first(&req.text)
        ));
    }
    None
}

fn latency_label(c: LatencyClass) -> &'static str {
    match c {
        LatencyClass::Microseconds => "microseconds",
        LatencyClass::SubMs => "under a millisecond",
        LatencyClass::SingleDigitMs => "single-digit milliseconds",
        LatencyClass::TensOfMs => "tens of milliseconds",
    }
}

/// A protocol as people write it.
pub fn protocol_name(p: &str) -> String {
    match p {
        "http" => "HTTP(S)".into(),
        "websocket" => "WebSocket".into(),
        "graphql" => "GraphQL".into(),
        other => other.to_uppercase(),
    }
}

fn list(items: &[String]) -> String {
    match items {
        [] => "nothing".into(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// "Clients speak raw TCP" → "clients speak raw TCP", to follow a semicolon; "TCP clients" stays.
pub fn lower_first(s: &str) -> String {
    let first_word = s.split_whitespace().next().unwrap_or_default();
    let acronym =
        first_word.chars().count() > 1 && first_word.chars().skip(1).all(|c| !c.is_lowercase());
    let mut c = s.chars();
    match c.next() {
        Some(f) if !acronym => f.to_lowercase().chain(c).collect(),
        _ => s.to_string(),
    }
}
