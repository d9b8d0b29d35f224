//! The reference stacks (stacks.json) read as tiers, and the requirements each of them breaks for
//! the answers given.

use super::{Active, Composer, caps, lower_first, tier_index};
use crate::knowledge::stack_ids;
use crate::knowledge::{Knowledge, StackTier};

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
