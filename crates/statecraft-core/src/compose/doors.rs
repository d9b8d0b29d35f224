//! The doors of a composed stack: which front door, and where the live connections need one of
//! their own, which live-connection door, carry every protocol from the client to the compute. One
//! door per protocol group, checked end to end (client → door → compute).

use super::{Active, Avoid, Composer, Points, avoided, caps, tier_index};
use crate::knowledge::{Archetype, Knowledge, StackTier};

impl Composer {
    /// Whether the live connections may have a door of their own: the live-connection tier is
    /// called for and the front door has a protocol of its own to carry (HTTP beside WebSocket or
    /// MQTT). Otherwise one door carries everything, and the live tier's requirements fall on it.
    pub fn split_doors(&self, k: &Knowledge, active: &Active) -> bool {
        self.present(k, active, StackTier::Live)
            && self
                .tier_reqs(active, StackTier::Front)
                .any(|r| k.requirements[r].needs.protocol.is_some())
    }

    /// The requirements a tier's service must meet: its own, and for the front door, the live
    /// connections' too where they cannot have a door of their own.
    pub(super) fn door_reqs(&self, k: &Knowledge, active: &Active, tier: StackTier) -> Vec<usize> {
        let mut out: Vec<usize> = self.tier_reqs(active, tier).collect();
        if tier == StackTier::Front && !self.split_doors(k, active) {
            out.extend(self.tier_reqs(active, StackTier::Live));
        }
        out
    }

    /// The protocols the active requirements of `tier` ask its door to carry.
    fn protocols(&self, k: &Knowledge, active: &Active, tier: StackTier) -> Vec<String> {
        self.tier_reqs(active, tier)
            .filter_map(|r| k.requirements[r].needs.protocol.clone())
            .collect()
    }

    /// Whether door `door` hands each of `protocols` to `compute` (or needs no compute): the
    /// protocol path client → door → compute, end to end.
    pub fn carries_to(
        &self,
        k: &Knowledge,
        door: usize,
        compute: Option<usize>,
        protocols: &[String],
    ) -> bool {
        if !self.reaches(door, compute) {
            return false;
        }
        let (Some(c), Some(caps)) = (compute, caps(&k.services[door])) else {
            return true;
        };
        match caps.target_protocols.get(&k.services[c].id) {
            Some(taken) => protocols
                .iter()
                .all(|p| crate::knowledge::carries(taken, p)),
            None => true,
        }
    }

    /// Whether a separate live-connection door serves `compute`: it hands its protocols to it, or
    /// holds the connections itself and needs no compute of its own (IoT Core, AppSync).
    fn live_serves(
        &self,
        k: &Knowledge,
        door: usize,
        compute: Option<usize>,
        protocols: &[String],
    ) -> bool {
        self.reaches[door].1 || self.carries_to(k, door, compute, protocols)
    }

    /// The best front door, compute and (where the live connections need a door of their own)
    /// live-connection door that carry every protocol from the client to the compute, by points
    /// (without points: the first that works). One door that carries everything is preferred on a
    /// tie; a door for the live connections is added only where the front door cannot carry them
    /// or a door of their own scores better.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn doors(
        &self,
        k: &Knowledge,
        active: &Active,
        archetype: Archetype,
        points: Option<&Points>,
        fronts: &[usize],
        computes: &[Option<usize>],
        lives: &[usize],
    ) -> Option<(usize, Option<usize>, Option<usize>, i32)> {
        let split = self.split_doors(k, active);
        let front_p = self.protocols(k, active, StackTier::Front);
        let live_p = self.protocols(k, active, StackTier::Live);
        let all_p: Vec<String> = front_p.iter().chain(&live_p).cloned().collect();
        let live_reqs: Vec<usize> = self.tier_reqs(active, StackTier::Live).collect();
        // each candidate's points once: the pairs below reuse them
        let sc_of = |list: &[usize], tier: StackTier| -> Vec<i32> {
            list.iter()
                .map(|&s| points.map_or(0, |p| self.score(k, s, tier, archetype, p)))
                .collect()
        };
        let front_sc = sc_of(fronts, StackTier::Front);
        let live_sc = sc_of(lives, StackTier::Front);
        let compute_list: Vec<usize> = computes.iter().flatten().copied().collect();
        let compute_sc = sc_of(&compute_list, StackTier::Compute);
        let sc_compute = |c: Option<usize>| {
            c.and_then(|c| compute_list.iter().position(|&x| x == c))
                .map_or(0, |i| compute_sc[i])
        };
        let mut best: Option<(usize, Option<usize>, Option<usize>, i32)> = None;
        let mut consider = |f, c, l, total: i32| {
            if best.is_none_or(|(_, _, _, b)| total > b) {
                best = Some((f, c, l, total));
            }
        };
        for (fi, &f) in fronts.iter().enumerate() {
            let carries_live = !split
                || live_reqs
                    .iter()
                    .all(|&r| self.fails(k, f, r, active).is_none());
            for &c in computes {
                let base = front_sc[fi] + sc_compute(c);
                if carries_live && self.carries_to(k, f, c, &all_p) {
                    let live_role = if split { front_sc[fi] } else { 0 };
                    consider(f, c, None, base + live_role);
                    if points.is_none() {
                        return best;
                    }
                }
                if split && self.carries_to(k, f, c, &front_p) {
                    for (li, &l) in lives.iter().enumerate() {
                        if l != f && self.live_serves(k, l, c, &live_p) {
                            consider(f, c, Some(l), base + live_sc[li]);
                            if points.is_none() {
                                return best;
                            }
                        }
                    }
                }
            }
        }
        best
    }

    /// The doors must carry every protocol to the compute: the best front door, compute and
    /// (where the live connections need one) live-connection door that do, together. Rewrites
    /// their picks; returns whether the live connections merged into the front door.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn settle_doors(
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
}
