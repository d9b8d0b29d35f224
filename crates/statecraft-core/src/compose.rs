//! Stacks composed from the answers, tier by tier.
//!
//! A requirement (rules.json's `requirements`) is a hard constraint read from the answers: when its
//! condition holds, the service in its tier must have the capability it names, or the tier must be
//! there (or must not). For an archetype, each tier the requirements call for gets the service that
//! meets every active requirement and scores best under the fired rules; a tier nothing calls for is
//! left out. An archetype for which some called-for tier has no candidate is ruled out, whatever its
//! points: requirements are not points, and no pile of points outvotes one.

mod doors;

use serde::Serialize;

use crate::condition::{Compiled, Slot};
use crate::knowledge::stack_ids::{self, Picks};
pub use crate::knowledge::stack_ids::{lower_first, protocol_name};
use crate::knowledge::{Archetype, Capabilities, Knowledge, Service, StackTier, question_refs};

/// A requirement with its ids resolved.
struct CompiledRequirement {
    when: Compiled,
    tier: StackTier,
    /// The number question `connection_minutes_from` / `item_kb_from` reads.
    from: Option<usize>,
    /// The question ids its condition reads.
    because: Vec<String>,
    /// The archetypes it applies to (empty: every one).
    archetypes: Vec<Archetype>,
}

/// Which requirements hold for some answers, with the number each `…_from` need reads.
#[derive(Clone, Debug, PartialEq)]
pub struct Active {
    pub on: Vec<bool>,
    pub numbers: Vec<Option<f64>>,
}

/// A service the composer placed in a tier.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Chosen {
    pub tier: StackTier,
    pub service: String,
    pub score: i32,
    /// Indices of the active requirements on this tier (the ones it meets).
    #[serde(skip)]
    pub requirements: Vec<usize>,
    /// How many services could have filled the tier: with one, the rules chose nothing.
    #[serde(skip)]
    pub candidates: usize,
}

/// A service ruled out of a tier by a requirement.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Exclusion {
    pub service: String,
    pub tier: StackTier,
    pub requirement: String,
    /// "ALB speaks HTTP and WebSocket; clients speak raw TCP".
    pub reason: String,
}

/// One archetype's composition.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Composition {
    pub archetype: Archetype,
    pub chosen: Vec<Chosen>,
    /// Tiers no requirement calls for, or one rules out.
    pub omitted: Vec<StackTier>,
    pub excluded: Vec<Exclusion>,
    /// Requirements no candidate could meet together with the others (the stack breaks them; the
    /// advice says so).
    pub unmet: Vec<String>,
}

impl Composition {
    pub fn picks(&self) -> Picks {
        self.chosen
            .iter()
            .map(|c| (c.tier, c.service.clone()))
            .collect()
    }
}

/// A service the design review asks the composer to leave out of a tier, where another candidate
/// can fill it: a blocker found on a stack that has it.
#[derive(Clone, Debug, PartialEq)]
pub struct Avoid {
    pub tier: StackTier,
    pub service: usize,
    /// The check that found the blocker, and its finding.
    pub check: String,
    pub reason: String,
}

/// Points per service and per reference stack, as the fired rules add them up.
pub struct Points<'a> {
    pub stacks: &'a [i32],
    pub services: &'a [i32],
}

/// The knowledge's requirements and capabilities, indexed for composing many times.
pub struct Composer {
    reqs: Vec<CompiledRequirement>,
    /// Per tier (in `StackTier::ALL` order): the services that declare it, in services.json order.
    by_tier: Vec<Vec<usize>>,
    /// Per reference stack: its services by tier.
    stack_tiers: Vec<Vec<(StackTier, usize)>>,
    /// Per service: the compute services (by index) it can send requests to, and whether it needs
    /// none.
    reaches: Vec<(Vec<usize>, bool)>,
    /// Feasibility per archetype for the requirement sets already seen (a tipping-point sweep asks
    /// for the same few again and again).
    feasible_seen: std::sync::Mutex<Vec<(Active, [Option<bool>; 3])>>,
}

fn tier_index(t: StackTier) -> usize {
    StackTier::ALL.iter().position(|x| *x == t).unwrap_or(0)
}

/// What composing the tiers found besides the picks.
#[derive(Default)]
struct Found {
    omitted: Vec<StackTier>,
    excluded: Vec<Exclusion>,
    unmet: Vec<String>,
}

/// The review's request to leave service `s` out of `tier`, if any.
fn avoided(avoid: &[Avoid], tier: StackTier, s: usize) -> Option<&Avoid> {
    avoid.iter().find(|a| a.tier == tier && a.service == s)
}

/// Records, for each of `candidates` the review blocks, the exclusion its blocker makes.
fn exclude_avoided(
    k: &Knowledge,
    avoid: &[Avoid],
    tier: StackTier,
    candidates: &[usize],
    excluded: &mut Vec<Exclusion>,
) {
    for &s in candidates {
        if let Some(a) = avoided(avoid, tier, s) {
            excluded.push(Exclusion {
                service: k.services[s].id.clone(),
                tier,
                requirement: a.check.clone(),
                reason: a.reason.clone(),
            });
        }
    }
}

fn caps(svc: &Service) -> Option<&Capabilities> {
    svc.capabilities.as_ref()
}

/// Which tier each service of a reference stack fills.
pub fn reference_tiers(k: &Knowledge, stack: &crate::knowledge::Stack) -> Vec<(StackTier, usize)> {
    let t = &stack.topology;
    let mut out: Vec<(StackTier, usize)> = Vec::new();
    let put = |tier: StackTier, id: &str, out: &mut Vec<(StackTier, usize)>| {
        if let Some(i) = k.services.iter().position(|s| s.id == id)
            && !out.iter().any(|(x, _)| *x == tier)
        {
            out.push((tier, i));
        }
    };
    let compute_kind = t.compute;
    if t.compute == crate::knowledge::ComputeKind::None {
        put(StackTier::Cdn, &t.front, &mut out);
    } else {
        put(StackTier::Front, &t.front, &mut out);
    }
    // the session's place: its service, or the pattern that stands for it
    let placement = t.session;
    match &t.session_service {
        Some(s) => put(StackTier::Session, s, &mut out),
        None => {
            if let Some(p) = k
                .services
                .iter()
                .find(|s| s.pattern && caps(s).is_some_and(|c| c.placement == Some(placement)))
            {
                put(StackTier::Session, &p.id.clone(), &mut out);
            }
        }
    }
    if let Some(db) = &t.database {
        put(StackTier::Database, db, &mut out);
    }
    if let Some(s) = &t.static_assets {
        put(StackTier::Files, s, &mut out);
    }
    if let Some(j) = &t.journal {
        put(StackTier::Journal, j, &mut out);
    }
    for ss in &stack.services {
        let Some(svc) = k.service(&ss.service) else {
            continue;
        };
        let Some(c) = caps(svc) else { continue };
        if c.tiers.contains(&StackTier::Compute)
            && stack_ids::compute_kind(k, &svc.id) == compute_kind
            && compute_kind != crate::knowledge::ComputeKind::None
        {
            put(StackTier::Compute, &ss.service, &mut out);
            continue;
        }
        if out.iter().any(|(_, i)| k.services[*i].id == ss.service) {
            continue;
        }
        if let Some(tier) = c.tiers.iter().copied().find(|tier| {
            !matches!(
                tier,
                StackTier::Compute | StackTier::Front | StackTier::Session
            )
        }) {
            put(tier, &ss.service, &mut out);
        }
    }
    out.sort_by_key(|(t, _)| tier_index(*t));
    out
}

impl Composer {
    pub fn new(k: &Knowledge) -> Composer {
        let reqs = k
            .requirements
            .iter()
            .map(|r| {
                let mut refs = question_refs(&r.when);
                let from_id = r
                    .needs
                    .connection_minutes_from
                    .as_deref()
                    .or(r.needs.item_kb_from.as_deref());
                if let Some(f) = from_id {
                    refs.push(f.to_string());
                }
                refs.sort();
                refs.dedup();
                CompiledRequirement {
                    when: Compiled::new(&r.when, k),
                    tier: r.tier,
                    from: from_id.and_then(|id| k.question_index(id)),
                    because: refs,
                    archetypes: r.archetypes.clone(),
                }
            })
            .collect();
        let by_tier = StackTier::ALL
            .iter()
            .map(|&t| {
                k.services
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| stack_ids::fills(s, t))
                    .map(|(i, _)| i)
                    .collect()
            })
            .collect();
        let stack_tiers = k.stacks.iter().map(|s| reference_tiers(k, s)).collect();
        let reaches = k
            .services
            .iter()
            .map(|s| {
                let targets = caps(s).map_or(&[][..], |c| &c.targets[..]);
                (
                    targets
                        .iter()
                        .filter_map(|t| k.services.iter().position(|x| &x.id == t))
                        .collect(),
                    targets.iter().any(|t| t == "none"),
                )
            })
            .collect();
        Composer {
            reqs,
            by_tier,
            stack_tiers,
            reaches,
            feasible_seen: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Reference stack `i`'s services by tier, in tier order.
    pub fn stack_tiers(&self, i: usize) -> &[(StackTier, usize)] {
        &self.stack_tiers[i]
    }

    /// The question ids requirement `r`'s condition (and the number it reads) depend on.
    pub fn because(&self, r: usize) -> &[String] {
        &self.reqs[r].because
    }

    /// Which requirements hold for these answers (with question `over.0` answered `over.1`).
    pub fn active(&self, slots: &[Option<Slot>], over: Option<(usize, Slot)>) -> Active {
        let number = |q: usize| match over {
            Some((oq, v)) if oq == q => Some(v),
            _ => slots.get(q).copied().flatten(),
        };
        let on: Vec<bool> = self
            .reqs
            .iter()
            .map(|r| r.when.holds(slots, over))
            .collect();
        let numbers = self
            .reqs
            .iter()
            .map(|r| match r.from.and_then(number) {
                Some(Slot::Number(n)) => Some(n),
                _ => None,
            })
            .collect();
        Active { on, numbers }
    }

    /// The requirements that hold for `archetype`'s stacks: those that apply to it alone are off
    /// for the others (a journal for state in the servers' memory is asked of the stateful design).
    fn for_archetype(&self, active: &Active, archetype: Archetype) -> Active {
        let mut own = active.clone();
        for (on, r) in own.on.iter_mut().zip(&self.reqs) {
            if !r.archetypes.is_empty() && !r.archetypes.contains(&archetype) {
                *on = false;
            }
        }
        own
    }

    fn tier_reqs<'a>(
        &'a self,
        active: &'a Active,
        tier: StackTier,
    ) -> impl Iterator<Item = usize> + 'a {
        self.reqs
            .iter()
            .enumerate()
            .filter(move |(i, r)| active.on[*i] && r.tier == tier)
            .map(|(i, _)| i)
    }

    /// Whether the tier is in the stack: some active requirement calls for it and none rules it out.
    pub fn present(&self, k: &Knowledge, active: &Active, tier: StackTier) -> bool {
        let mut called = false;
        for r in self.tier_reqs(active, tier) {
            let needs = &k.requirements[r].needs;
            if needs.absent {
                return false;
            }
            called |= needs.present;
        }
        called
    }

    /// Why service `s` does not meet requirement `r`, or `None` when it does.
    pub fn fails(&self, k: &Knowledge, s: usize, r: usize, active: &Active) -> Option<String> {
        stack_ids::unmet_need(
            &k.services[s],
            &k.requirements[r],
            active.numbers.get(r).copied().flatten(),
        )
    }

    /// What the archetype itself asks of a tier's service: sessions whose place makes it, and for
    /// state in the server's memory, a server and a front door that keep a client on one server.
    fn archetype_allows(&self, svc: &Service, tier: StackTier, archetype: Archetype) -> bool {
        let Some(c) = caps(svc) else { return false };
        match tier {
            StackTier::Session => c.archetypes.contains(&archetype),
            StackTier::Compute | StackTier::Front | StackTier::Live
                if archetype == Archetype::Stateful =>
            {
                c.sticky
            }
            _ => true,
        }
    }

    /// The tier's candidates for the archetype that meet every active requirement.
    fn candidates(
        &self,
        k: &Knowledge,
        active: &Active,
        tier: StackTier,
        archetype: Archetype,
    ) -> Vec<usize> {
        let reqs = self.door_reqs(k, active, tier);
        self.by_tier[tier_index(tier)]
            .iter()
            .copied()
            .filter(|&s| self.archetype_allows(&k.services[s], tier, archetype))
            .filter(|&s| reqs.iter().all(|&r| self.fails(k, s, r, active).is_none()))
            .collect()
    }

    /// A candidate's points in a tier: the rules that name the service, plus the best of the
    /// reference stacks of this archetype that put it in this tier (the best, not the sum, so that a
    /// service is not favoured for appearing in many stacks).
    fn score(
        &self,
        k: &Knowledge,
        s: usize,
        tier: StackTier,
        archetype: Archetype,
        points: &Points,
    ) -> i32 {
        let own = points.services.get(s).copied().unwrap_or(0);
        let from_stacks = self
            .stack_tiers
            .iter()
            .enumerate()
            .filter(|(i, _)| k.stacks[*i].archetype == archetype)
            .filter(|(_, tiers)| tiers.contains(&(tier, s)))
            .map(|(i, _)| points.stacks.get(i).copied().unwrap_or(0))
            .max()
            .unwrap_or(0);
        own + from_stacks
    }

    /// The best of `candidates` (ties go to the earlier in services.json).
    fn best(
        &self,
        k: &Knowledge,
        candidates: &[usize],
        tier: StackTier,
        archetype: Archetype,
        points: &Points,
    ) -> Option<(usize, i32)> {
        let mut best: Option<(usize, i32)> = None;
        for &s in candidates {
            let sc = self.score(k, s, tier, archetype, points);
            if best.is_none_or(|(_, b)| sc > b) {
                best = Some((s, sc));
            }
        }
        best
    }

    fn reaches(&self, front: usize, compute: Option<usize>) -> bool {
        let (targets, none) = &self.reaches[front];
        match compute {
            Some(cs) => targets.contains(&cs),
            None => *none,
        }
    }

    /// Whether the archetype can meet every active requirement (without dressing the result).
    /// Remembered per requirement set: the answer depends on nothing else.
    pub fn feasible(&self, k: &Knowledge, active: &Active, archetype: Archetype) -> bool {
        let slot = Archetype::ALL
            .iter()
            .position(|a| *a == archetype)
            .unwrap_or(0);
        let mut seen = self
            .feasible_seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((_, known)) = seen.iter().find(|(a, _)| a == active)
            && let Some(f) = known[slot]
        {
            return f;
        }
        let f = self.feasible_now(k, active, archetype);
        match seen.iter_mut().find(|(a, _)| a == active) {
            Some((_, known)) => known[slot] = Some(f),
            None => {
                // a sweep meets few distinct sets; keep the memory bounded all the same
                if seen.len() >= 256 {
                    seen.clear();
                }
                let mut known = [None; 3];
                known[slot] = Some(f);
                seen.push((active.clone(), known));
            }
        }
        f
    }

    fn feasible_now(&self, k: &Knowledge, active: &Active, archetype: Archetype) -> bool {
        let active = &self.for_archetype(active, archetype);
        let mut fronts = None;
        let mut computes = None;
        let mut lives = Vec::new();
        for tier in StackTier::ALL {
            if !self.present(k, active, tier) {
                continue;
            }
            let c = self.candidates(k, active, tier, archetype);
            if c.is_empty() {
                return false;
            }
            match tier {
                StackTier::Front => fronts = Some(c),
                StackTier::Compute => computes = Some(c),
                StackTier::Live => lives = c,
                _ => {}
            }
        }
        let Some(fronts) = fronts else { return true };
        let computes: Vec<Option<usize>> =
            computes.map_or_else(|| vec![None], |c| c.into_iter().map(Some).collect());
        self.doors(k, active, archetype, None, &fronts, &computes, &lives)
            .is_some()
    }

    /// The stack for `archetype`: each called-for tier's best candidate. Where no candidate meets
    /// every requirement, the tier takes its best service anyway and the requirements it breaks are
    /// listed as unmet.
    pub fn compose(
        &self,
        k: &Knowledge,
        active: &Active,
        archetype: Archetype,
        points: &Points,
        avoid: &[Avoid],
    ) -> Composition {
        let active = &self.for_archetype(active, archetype);
        let mut found = Found::default();
        let present: Vec<bool> = StackTier::ALL
            .iter()
            .map(|&t| self.present(k, active, t))
            .collect();
        let mut pick_of: Vec<Option<(usize, i32)>> = vec![None; StackTier::ALL.len()];
        let mut counts: Vec<usize> = vec![0; StackTier::ALL.len()];
        for tier in StackTier::ALL {
            let ti = tier_index(tier);
            if !present[ti] {
                found.omitted.push(tier);
                continue;
            }
            match self.pick_tier(k, active, tier, archetype, points, avoid, &mut found) {
                Some((pick, count)) => {
                    counts[ti] = count;
                    pick_of[ti] = pick;
                }
                None => found.omitted.push(tier),
            }
        }
        let live_merged = self.settle_doors(
            k,
            active,
            archetype,
            points,
            avoid,
            &present,
            &mut pick_of,
            &mut found.unmet,
        );
        if live_merged {
            found.excluded.retain(|e| e.tier != StackTier::Live);
            if !found.omitted.contains(&StackTier::Live) {
                found.omitted.push(StackTier::Live);
            }
        }
        let chosen = self.chosen(k, active, &pick_of, &counts, live_merged);
        let Found {
            omitted,
            excluded,
            mut unmet,
        } = found;
        unmet.sort();
        unmet.dedup();
        Composition {
            archetype,
            chosen,
            omitted,
            excluded,
            unmet,
        }
    }

    /// One called-for tier's pick (with how many candidates it had), or `None` where the tier is
    /// left out because the review blocks every service that could fill an optional tier.
    /// Exclusions and broken requirements are added to `found`.
    #[allow(clippy::too_many_arguments)]
    fn pick_tier(
        &self,
        k: &Knowledge,
        active: &Active,
        tier: StackTier,
        archetype: Archetype,
        points: &Points,
        avoid: &[Avoid],
        found: &mut Found,
    ) -> Option<(Option<(usize, i32)>, usize)> {
        let ti = tier_index(tier);
        // one pass: what the archetype allows either meets every requirement (a candidate)
        // or is ruled out by the first it breaks
        let mut allowed: Vec<usize> = Vec::new();
        let mut c: Vec<usize> = Vec::new();
        let reqs = self.door_reqs(k, active, tier);
        for &s in &self.by_tier[ti] {
            if !self.archetype_allows(&k.services[s], tier, archetype) {
                continue;
            }
            allowed.push(s);
            match reqs
                .iter()
                .find_map(|&r| self.fails(k, s, r, active).map(|why| (r, why)))
            {
                Some((r, reason)) => found.excluded.push(Exclusion {
                    service: k.services[s].id.clone(),
                    tier,
                    requirement: k.requirements[r].id.clone(),
                    reason,
                }),
                None => c.push(s),
            }
        }
        // the design review's blockers leave a candidate out where another can take its place
        let kept: Vec<usize> = c
            .iter()
            .copied()
            .filter(|&s| avoided(avoid, tier, s).is_none())
            .collect();
        // a tier that only improves the stack (a CDN) is left out when the review blocks
        // every service that could fill it
        let optional = self
            .tier_reqs(active, tier)
            .filter(|&r| k.requirements[r].needs.present)
            .all(|r| k.requirements[r].optional);
        if kept.is_empty() && !c.is_empty() && optional {
            exclude_avoided(k, avoid, tier, &c, &mut found.excluded);
            return None;
        }
        if !kept.is_empty() && kept.len() < c.len() {
            exclude_avoided(k, avoid, tier, &c, &mut found.excluded);
            c = kept;
        }
        let pick = if c.is_empty() {
            // nothing meets all: the archetype's best, and the requirements it breaks
            let fallback = self
                .best(k, &allowed, tier, archetype, points)
                .or_else(|| self.best(k, &self.by_tier[ti], tier, archetype, points));
            if let Some((s, _)) = fallback {
                for &r in &reqs {
                    if self.fails(k, s, r, active).is_some() {
                        found.unmet.push(k.requirements[r].id.clone());
                    }
                }
                if !self.archetype_allows(&k.services[s], tier, archetype) {
                    found.unmet.push(format!("{tier}-fits-{archetype}"));
                }
            }
            fallback
        } else {
            self.best(k, &c, tier, archetype, points)
        };
        Some((pick, c.len()))
    }

    /// The doors must carry every protocol to the compute: the best front door, compute and
    /// (where the live connections need one) live-connection door that do, together. Rewrites
    /// their picks; returns whether the live connections merged into the front door.
    #[allow(clippy::too_many_arguments)]
    fn settle_doors(
        &self,
        k: &Knowledge,
        active: &Active,
        archetype: Archetype,
        points: &Points,
        avoid: &[Avoid],
        present: &[bool],
        pick_of: &mut [Option<(usize, i32)>],
        unmet: &mut Vec<String>,
    ) -> bool {
        let (fi, ci, li) = (
            tier_index(StackTier::Front),
            tier_index(StackTier::Compute),
            tier_index(StackTier::Live),
        );
        let mut live_merged = false;
        if !(present[fi] && pick_of[fi].is_some()) {
            return live_merged;
        }
        let keep = |tier: StackTier, all: Vec<usize>| -> Vec<usize> {
            let kept: Vec<usize> = all
                .iter()
                .copied()
                .filter(|&s| avoided(avoid, tier, s).is_none())
                .collect();
            if kept.is_empty() { all } else { kept }
        };
        let fronts = keep(
            StackTier::Front,
            self.candidates(k, active, StackTier::Front, archetype),
        );
        let computes: Vec<Option<usize>> = if present[ci] {
            keep(
                StackTier::Compute,
                self.candidates(k, active, StackTier::Compute, archetype),
            )
            .into_iter()
            .map(Some)
            .collect()
        } else {
            vec![None]
        };
        let lives = if present[li] {
            keep(
                StackTier::Live,
                self.candidates(k, active, StackTier::Live, archetype),
            )
        } else {
            Vec::new()
        };
        match self.doors(
            k,
            active,
            archetype,
            Some(points),
            &fronts,
            &computes,
            &lives,
        ) {
            Some((fs, cs, ls, _)) => {
                pick_of[fi] = Some((fs, self.score(k, fs, StackTier::Front, archetype, points)));
                if let Some(c) = cs {
                    pick_of[ci] =
                        Some((c, self.score(k, c, StackTier::Compute, archetype, points)));
                }
                match ls {
                    Some(l) => {
                        pick_of[li] =
                            Some((l, self.score(k, l, StackTier::Front, archetype, points)));
                    }
                    None => {
                        live_merged = pick_of[li].is_some() || present[li];
                        pick_of[li] = None;
                    }
                }
                // a live door's requirements the loop found unmet are met by the doors chosen
                let live_ids: Vec<&str> = self
                    .tier_reqs(active, StackTier::Live)
                    .map(|r| k.requirements[r].id.as_str())
                    .collect();
                unmet.retain(|u| !live_ids.contains(&u.as_str()) || fronts.is_empty());
            }
            None => unmet.push("front-reaches-compute".into()),
        }
        live_merged
    }

    /// The picked services in tier order, each with the requirements it meets (the front door
    /// takes on the live connections' where they merged into it).
    fn chosen(
        &self,
        k: &Knowledge,
        active: &Active,
        pick_of: &[Option<(usize, i32)>],
        counts: &[usize],
        live_merged: bool,
    ) -> Vec<Chosen> {
        let mut chosen = Vec::new();
        for tier in StackTier::ALL {
            let ti = tier_index(tier);
            if let Some((s, score)) = pick_of[ti] {
                let mut requirements = self.door_reqs(k, active, tier);
                if tier == StackTier::Front && live_merged {
                    for r in self.tier_reqs(active, StackTier::Live) {
                        if !requirements.contains(&r) {
                            requirements.push(r);
                        }
                    }
                }
                chosen.push(Chosen {
                    tier,
                    service: k.services[s].id.clone(),
                    score,
                    requirements,
                    candidates: counts[ti],
                });
            }
        }
        chosen
    }

    /// The active requirements that leave the archetype without a candidate in some tier: those
    /// without which the tier would have one (or, when no single one is, all that rule a candidate
    /// out).
    pub fn blocking(&self, k: &Knowledge, active: &Active, archetype: Archetype) -> Vec<usize> {
        let active = &self.for_archetype(active, archetype);
        let mut out = Vec::new();
        for tier in StackTier::ALL {
            if !self.present(k, active, tier)
                || !self.candidates(k, active, tier, archetype).is_empty()
            {
                continue;
            }
            let allowed: Vec<usize> = self.by_tier[tier_index(tier)]
                .iter()
                .copied()
                .filter(|&s| self.archetype_allows(&k.services[s], tier, archetype))
                .collect();
            let reqs = self.door_reqs(k, active, tier);
            let failing: Vec<usize> = reqs
                .iter()
                .copied()
                .filter(|&r| {
                    allowed
                        .iter()
                        .any(|&s| self.fails(k, s, r, active).is_some())
                })
                .collect();
            let alone: Vec<usize> = failing
                .iter()
                .copied()
                .filter(|&r| {
                    allowed.iter().any(|&s| {
                        reqs.iter()
                            .copied()
                            .filter(|&o| o != r)
                            .all(|o| self.fails(k, s, o, active).is_none())
                    })
                })
                .collect();
            let chosen = if alone.is_empty() { failing } else { alone };
            if chosen.is_empty() {
                // the tier is called for, but nothing of this archetype can fill it at all: the
                // requirements that called for it decide
                out.extend(
                    self.tier_reqs(active, tier)
                        .filter(|&r| k.requirements[r].needs.present),
                );
            }
            for r in chosen {
                if !out.contains(&r) {
                    out.push(r);
                }
            }
        }
        out
    }

    /// Every active requirement reference stack `i` breaks, and how.
    pub fn stack_failures(&self, k: &Knowledge, active: &Active, i: usize) -> Vec<(usize, String)> {
        let active = &self.for_archetype(active, k.stacks[i].archetype);
        let tiers = &self.stack_tiers[i];
        let mut out = Vec::new();
        for tier in StackTier::ALL {
            let has = tiers.iter().find(|(t, _)| *t == tier).map(|(_, s)| *s);
            match has {
                // controls (a firewall, keys, an audit trail) are added to any architecture: a
                // reference stack is not ruled out for lacking one, and the review says so when a
                // pinned stack has none
                None if tier.cross_cutting() => {}
                // a reference stack has one door: it carries the live connections too
                None if tier == StackTier::Live => {
                    if let Some(&(_, s)) = tiers.iter().find(|(t, _)| *t == StackTier::Front) {
                        out.extend(
                            self.tier_reqs(active, tier)
                                .filter(|&r| !k.requirements[r].needs.present)
                                .filter_map(|r| self.fails(k, s, r, active).map(|why| (r, why))),
                        );
                    }
                }
                None if self.present(k, active, tier) && tier != StackTier::Front => {
                    if let Some(r) = self
                        .tier_reqs(active, tier)
                        .find(|&r| k.requirements[r].needs.present)
                    {
                        out.push((
                            r,
                            format!(
                                "it has no {}; {}",
                                tier.label(),
                                lower_first(&k.requirements[r].text)
                            ),
                        ));
                    }
                }
                None => {}
                Some(s) => out.extend(
                    self.tier_reqs(active, tier)
                        .filter_map(|r| self.fails(k, s, r, active).map(|why| (r, why))),
                ),
            }
        }
        out
    }

    /// Which reference stacks break an active requirement, and how (the first it breaks).
    pub fn reference_failures(
        &self,
        k: &Knowledge,
        active: &Active,
    ) -> Vec<(usize, usize, String)> {
        (0..self.stack_tiers.len())
            .filter_map(|i| {
                self.stack_failures(k, active, i)
                    .into_iter()
                    .next()
                    .map(|(r, why)| (i, r, why))
            })
            .collect()
    }
}
