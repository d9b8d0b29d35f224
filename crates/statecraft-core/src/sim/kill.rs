//! What killing a server does to its users' state, in one place: the day's simulation
//! (`day::fleet`: chaos kills, zone losses, scale-in, an empty cache node) and the Chaos Monkey demo
//! ([`super::chaos::ChaosMonkey`]) both count a kill with [`Loss`] and word it with [`Kill`], so the
//! screen's step-by-step demo and the simulated day cannot disagree on what a kill loses.
//!
//! The rule is the source guide's: a session (and the cart in it) lives either in the memory of the
//! server that created it, and dies with that server, or in a shared store every server reads, and
//! survives it.

use serde::Serialize;

use crate::format;

/// What a failure took with it: sessions, the carts among them that held items, and those items.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Loss {
    pub sessions: u64,
    pub carts: u64,
    pub items: u64,
}

impl Loss {
    /// The sessions a dying server (or an empty cache node) held, given each one's cart in items:
    /// every session is lost, and every cart with an item in it.
    pub fn of_sessions(carts: impl IntoIterator<Item = u32>) -> Loss {
        carts.into_iter().fold(Loss::default(), |mut loss, items| {
            loss.sessions += 1;
            if items > 0 {
                loss.carts += 1;
                loss.items += u64::from(items);
            }
            loss
        })
    }

    /// Sessions counted without their carts (open traffic, where the simulation follows sessions as a
    /// level, not users with carts).
    pub fn sessions(n: u64) -> Loss {
        Loss {
            sessions: n,
            ..Loss::default()
        }
    }

    pub fn add(&mut self, other: Loss) {
        self.sessions += other.sessions;
        self.carts += other.carts;
        self.items += other.items;
    }
}

/// Where the killed server's users keep their sessions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Holds {
    /// In the server's memory (sticky sessions): they go with the server.
    ServerMemory,
    /// In a shared store every server reads: none goes with the server.
    SharedStore,
    /// In the server's memory, with every change journalled to a durable store before it was
    /// acknowledged: the servers that take its users restore their sessions.
    Journal,
}

/// One server's kill and what it lost, for the sentence both the demo and the day's record print.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Kill {
    pub server: String,
    pub holds: Holds,
    pub loss: Loss,
    /// The run follows users with carts (the demo, a population); open traffic counts sessions only.
    pub carts_followed: bool,
    /// Seconds until the load balancer's health check took the server out (a run over time); `None`
    /// in the step-by-step demo, which has no clock.
    pub detect_s: Option<f64>,
}

impl Kill {
    /// "server B was killed with 2 sessions in its memory: those users lost their sessions and 2
    /// carts (3 items); the load balancer sent it requests for 10 s until its health check failed,
    /// then the group launched a replacement"
    pub fn sentence(&self) -> String {
        let server = &self.server;
        match self.holds {
            Holds::ServerMemory => {
                let lost = self.loss.sessions;
                let carts = if self.carts_followed {
                    format!(
                        " and {} ({})",
                        plural(self.loss.carts, "cart"),
                        plural(self.loss.items, "item")
                    )
                } else {
                    String::new()
                };
                let after = match self.detect_s {
                    Some(d) => format!(
                        "the load balancer sent it requests for {d} s until its health check failed, then the group launched a replacement"
                    ),
                    None => {
                        "their next requests go to the other servers and start over".to_string()
                    }
                };
                format!(
                    "server {server} was killed with {} in its memory: those users lost their sessions{carts}; {after}",
                    plural(lost, "session")
                )
            }
            Holds::Journal => {
                let after = match self.detect_s {
                    Some(d) => format!(
                        "requests in flight there failed, and for {d} s until its health check failed"
                    ),
                    None => "the other servers restore them and carry on".to_string(),
                };
                format!(
                    "server {server} was killed; the sessions in its memory were journalled before each change was acknowledged, so the servers that took its users restored them and none was lost; {after}"
                )
            }
            Holds::SharedStore => {
                let after = match self.detect_s {
                    Some(d) => format!(
                        "requests in flight there failed, and for {d} s until its health check failed"
                    ),
                    None => "the load balancer sends its requests to the other servers".to_string(),
                };
                format!(
                    "server {server} was killed; sessions live in the shared store, so none was lost; {after}"
                )
            }
        }
    }
}

fn plural(n: u64, one: &str) -> String {
    format!(
        "{} {one}{}",
        format::number(n as f64),
        if n == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_takes_every_session_in_its_memory_and_the_carts_that_held_items() {
        let loss = Loss::of_sessions([2, 0, 1]);
        assert_eq!(
            loss,
            Loss {
                sessions: 3,
                carts: 2,
                items: 3
            }
        );
        let kill = Kill {
            server: "B".into(),
            holds: Holds::ServerMemory,
            loss,
            carts_followed: true,
            detect_s: None,
        };
        assert_eq!(
            kill.sentence(),
            "server B was killed with 3 sessions in its memory: those users lost their sessions and 2 carts (3 items); their next requests go to the other servers and start over"
        );
    }

    #[test]
    fn a_shared_store_keeps_them_and_the_run_over_time_says_how_long_the_server_got_requests() {
        let kill = Kill {
            server: "A".into(),
            holds: Holds::SharedStore,
            loss: Loss::default(),
            carts_followed: false,
            detect_s: Some(30.0),
        };
        assert_eq!(
            kill.sentence(),
            "server A was killed; sessions live in the shared store, so none was lost; requests in flight there failed, and for 30 s until its health check failed"
        );
    }
}
