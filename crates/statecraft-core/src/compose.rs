//! Stacks composed from the answers, tier by tier.
//!
//! A requirement (rules.json's `requirements`) is a hard constraint read from the answers: when its
//! condition holds, the service in its tier must have the capability it names, or the tier must be
//! there (or must not). For an archetype, each tier the requirements call for gets the service that
//! meets every active requirement and scores best under the fired rules; a tier nothing calls for is
//! left out. An archetype for which some called-for tier has no candidate is ruled out, whatever its
//! points: requirements are not points, and no pile of points outvotes one.
//!
//! Here: the types and the requirements that hold. `candidates.rs` ranks a tier's candidates,
//! `pick.rs` composes an archetype's stack, `doors.rs` finds doors that carry every protocol,
//! `feasible.rs` says whether an archetype can meet the requirements (and what blocks it), and
//! `reference.rs` reads the reference stacks as tiers and what they break.

mod candidates;
mod doors;
mod feasible;
mod pick;
mod reference;

pub use reference::reference_tiers;

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

/// The review's request to leave service `s` out of `tier`, if any.
fn avoided(avoid: &[Avoid], tier: StackTier, s: usize) -> Option<&Avoid> {
    avoid.iter().find(|a| a.tier == tier && a.service == s)
}

fn caps(svc: &Service) -> Option<&Capabilities> {
    svc.capabilities.as_ref()
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
}
