//! Whether an archetype can meet every active requirement at all, and when it cannot, which
//! requirements block it. (Requirements are not points: one that no candidate meets rules the
//! archetype out.)

use super::{Active, Composer, tier_index};
use crate::knowledge::{Archetype, Knowledge, StackTier};

impl Composer {
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
}
