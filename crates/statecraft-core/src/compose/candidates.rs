//! A tier's candidates: the services the archetype allows that meet every active requirement, and
//! how the rules' and reference stacks' points rank them.

use super::{Active, Composer, Points, caps, tier_index};
use crate::knowledge::{Archetype, Knowledge, Service, StackTier};

impl Composer {
    /// What the archetype itself asks of a tier's service: sessions whose place makes it, and for
    /// state in the server's memory, a server and a front door that keep a client on one server.
    pub(super) fn archetype_allows(
        &self,
        svc: &Service,
        tier: StackTier,
        archetype: Archetype,
    ) -> bool {
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
    pub(super) fn candidates(
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
    pub(super) fn score(
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
    pub(super) fn best(
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

    pub(super) fn reaches(&self, front: usize, compute: Option<usize>) -> bool {
        let (targets, none) = &self.reaches[front];
        match compute {
            Some(cs) => targets.contains(&cs),
            None => *none,
        }
    }
}
