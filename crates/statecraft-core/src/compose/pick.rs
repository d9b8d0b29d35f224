//! Composing one archetype's stack: each called-for tier's pick (the best candidate the design
//! review does not block), the tiers left out, and the requirements the picks break.

use super::{Active, Avoid, Chosen, Composer, Composition, Exclusion, Points, avoided, tier_index};
use crate::knowledge::{Archetype, Knowledge, StackTier};

/// What composing the tiers found besides the picks.
#[derive(Default)]
struct Found {
    omitted: Vec<StackTier>,
    excluded: Vec<Exclusion>,
    unmet: Vec<String>,
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

impl Composer {
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
}
