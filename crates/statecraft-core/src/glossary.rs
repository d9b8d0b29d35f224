//! The words Statecraft uses that a founder may not know, explained where they first appear: on the
//! screens and in the record. One sentence each, in the terms of the source guides.

use crate::knowledge::Archetype;

/// What an archetype means for where users' state lives.
pub fn archetype(a: Archetype) -> &'static str {
    match a {
        Archetype::Stateless => {
            "Stateless: no server remembers a user between requests; each request carries its state or fetches it from a shared store, so any server can answer it and any server can be lost."
        }
        Archetype::Stateful => {
            "Stateful: a user's state lives in the memory of the server that holds their session or connection; it answers fastest, and losing that server loses what it held."
        }
        Archetype::Hybrid => {
            "Hybrid: stateless services around a stateful core: most requests can go to any server, while the state that must stay consistent or in memory lives in one place."
        }
    }
}

/// The archetype, in one line: what the three words name.
pub const ARCHETYPE: &str = "The archetype is where a user's state lives between requests: on the client or in a shared store (stateless), in one server's memory (stateful), or both (hybrid).";

/// A tipping point, as the recommendation lists them.
pub const TIPPING_POINT: &str =
    "A tipping point is one answer that, changed on its own, changes the recommendation.";

/// The Chaos Monkey test, as the source guide "Should cloud services be Stateful or Stateless?" names
/// it.
pub const CHAOS_MONKEY: &str = "The Chaos Monkey test destroys a server on purpose to see what its users lose: a stateful design loses the sessions in that server's memory, a stateless one loses none.";

/// The design review, as it appears beside the stack.
pub const DESIGN_REVIEW: &str = "The design review is what an architect checks before signing a stack: quotas and limits, scale-out time against your bursts, durability against the loss you can accept, the protocol path from client to code, and compliance.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_archetype_is_explained_by_its_own_name() {
        for a in Archetype::ALL {
            let text = archetype(a);
            assert!(text.to_lowercase().starts_with(a.as_str()), "{a:?}: {text}");
        }
    }
}
