//! The seeds' "Chaos Monkey" test: users with carts behind a load balancer and three servers; kill one
//! and see what happens to their sessions. Two ways to run it:
//!
//! - [`ChaosMonkey`], step by step with no clock, as the seed's interactive demo does it: send a
//!   request for a user, watch the session appear on a server (stateful) or in the shared store
//!   (stateless), kill a server, send again.
//! - [`scenario`] and [`compare`], in one call over simulated time: the same test as the
//!   `assets/scenarios/chaos-monkey-*.json` files, through the full engine; [`on_stacks`], the
//!   record's test, on the chosen stack's own servers and the other options'.
//!
//! Both count exactly: a stateful kill loses precisely the sessions (and carts) held on that server;
//! a stateless one loses none.

use crate::ids::StackId;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::kill::{self, Holds, Loss};
use super::scenario::{ChaosEvent, Population, SCHEMA_VERSION, Scenario};
use super::{SimReport, simulate};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::format;
use crate::knowledge::{Knowledge, SessionPlacement};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Sessions in the servers' memory, sticky load balancing.
    Stateful,
    /// Sessions in a shared store every server reads.
    Stateless,
}

/// The chaos test the user ran: which server was killed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChaosChoice {
    /// `A`, `B` or `C`.
    pub server: String,
}

impl Default for ChaosChoice {
    fn default() -> Self {
        ChaosChoice { server: "B".into() }
    }
}

/// A server as the demo shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Server {
    pub name: String,
    pub alive: bool,
    /// Stateful mode: the carts (item counts) of the sessions in this server's memory, by user.
    pub sessions: BTreeMap<u32, u32>,
    pub requests_served: u64,
}

/// What one request did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcome {
    pub user: u32,
    pub served_by: Option<String>,
    /// The user's cart after the request.
    pub cart_items: u32,
    /// The request found no session and started a new one.
    pub new_session: bool,
    pub message: String,
}

/// What a kill did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Kill {
    pub server: String,
    pub sessions_lost: u64,
    pub carts_lost: u64,
    pub items_lost: u64,
    pub message: String,
}

/// The interactive demo's state.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChaosMonkey {
    pub mode: Mode,
    pub servers: Vec<Server>,
    /// Stateless mode: the shared store's carts, by user.
    pub shared: BTreeMap<u32, u32>,
    /// The server each user's stickiness cookie names (stateful mode).
    pub pinned: BTreeMap<u32, usize>,
    pub sessions_lost: u64,
    pub carts_lost: u64,
    pub items_lost: u64,
    pub log: Vec<String>,
    next: usize,
}

impl ChaosMonkey {
    /// `servers` servers named A, B, C, …
    pub fn new(mode: Mode, servers: usize) -> ChaosMonkey {
        let servers = servers.clamp(1, 26);
        let mut demo = ChaosMonkey {
            mode,
            servers: (0..servers)
                .map(|i| Server {
                    name: super::day::server_name(i as u32),
                    alive: true,
                    sessions: BTreeMap::new(),
                    requests_served: 0,
                })
                .collect(),
            shared: BTreeMap::new(),
            pinned: BTreeMap::new(),
            sessions_lost: 0,
            carts_lost: 0,
            items_lost: 0,
            log: Vec::new(),
            next: 0,
        };
        demo.log.push(format!(
            "Simulator initialized. Mode: {}.",
            match mode {
                Mode::Stateful => "Stateful",
                Mode::Stateless => "Stateless",
            }
        ));
        demo
    }

    /// The mode a stack stands for: sessions in server memory are stateful, anything else stateless.
    pub fn for_stack(
        k: &Knowledge,
        stack_id: &str,
        servers: usize,
    ) -> Result<ChaosMonkey, Diagnostics> {
        let stack = k.stack(stack_id).ok_or_else(|| {
            Diagnostics::from(Diagnostic::new(
                "(request)",
                format!("there is no stack `{stack_id}` in the knowledge base"),
                "pick a stack from the knowledge base",
            ))
        })?;
        Ok(ChaosMonkey::new(mode_of(stack), servers))
    }

    fn next_alive(&mut self) -> Option<usize> {
        let n = self.servers.len();
        for k in 0..n {
            let i = (self.next + k) % n;
            if self.servers[i].alive {
                self.next = (i + 1) % n;
                return Some(i);
            }
        }
        None
    }

    /// The user sends a request; `add_item` puts one more item in the cart.
    pub fn send(&mut self, user: u32, add_item: bool) -> Outcome {
        let target = match self.mode {
            Mode::Stateful => match self.pinned.get(&user) {
                Some(&i) if self.servers[i].alive => Some(i),
                _ => self.next_alive(),
            },
            Mode::Stateless => self.next_alive(),
        };
        let Some(i) = target else {
            let message = format!("user {user}: no server is alive; the load balancer answers 503");
            self.log.push(message.clone());
            return Outcome {
                user,
                served_by: None,
                cart_items: 0,
                new_session: false,
                message,
            };
        };
        let name = self.servers[i].name.clone();
        self.servers[i].requests_served += 1;
        let (cart, new_session) = match self.mode {
            Mode::Stateful => {
                self.pinned.insert(user, i);
                let new = !self.servers[i].sessions.contains_key(&user);
                let cart = self.servers[i].sessions.entry(user).or_insert(0);
                *cart += u32::from(add_item);
                (*cart, new)
            }
            Mode::Stateless => {
                let new = !self.shared.contains_key(&user);
                let cart = self.shared.entry(user).or_insert(0);
                *cart += u32::from(add_item);
                (*cart, new)
            }
        };
        let message = format!(
            "user {user} → server {name}: cart {cart} item{}{}",
            if cart == 1 { "" } else { "s" },
            if new_session { " (new session)" } else { "" }
        );
        self.log.push(message.clone());
        Outcome {
            user,
            served_by: Some(name),
            cart_items: cart,
            new_session,
            message,
        }
    }

    /// Kills a server by name. In stateful mode every session in its memory, and the cart in it, is lost.
    pub fn kill(&mut self, server: &str) -> Kill {
        let Some(i) = self.servers.iter().position(|s| s.name == server) else {
            return Kill {
                server: server.to_string(),
                sessions_lost: 0,
                carts_lost: 0,
                items_lost: 0,
                message: format!("there is no server {server}"),
            };
        };
        let s = &mut self.servers[i];
        s.alive = false;
        // the day's simulation counts a kill with the same model (`kill::Loss`)
        let loss = Loss::of_sessions(std::mem::take(&mut s.sessions).into_values());
        self.sessions_lost += loss.sessions;
        self.carts_lost += loss.carts;
        self.items_lost += loss.items;
        let message = kill::Kill {
            server: server.to_string(),
            holds: match self.mode {
                Mode::Stateful => Holds::ServerMemory,
                Mode::Stateless => Holds::SharedStore,
            },
            loss,
            carts_followed: true,
            detect_s: None,
        }
        .sentence();
        self.log.push(message.clone());
        Kill {
            server: server.to_string(),
            sessions_lost: loss.sessions,
            carts_lost: loss.carts,
            items_lost: loss.items,
            message,
        }
    }

    /// Brings a server back, empty.
    pub fn restart(&mut self, server: &str) {
        if let Some(s) = self.servers.iter_mut().find(|s| s.name == server) {
            s.alive = true;
            self.log
                .push(format!("server {server} restarted, with empty memory"));
        }
    }

    /// The user's cart as the user would now see it (0 if the session is gone).
    pub fn cart(&self, user: u32) -> u32 {
        match self.mode {
            Mode::Stateful => self
                .pinned
                .get(&user)
                .and_then(|&i| self.servers[i].sessions.get(&user))
                .copied()
                .unwrap_or(0),
            Mode::Stateless => self.shared.get(&user).copied().unwrap_or(0),
        }
    }
}

/// The Chaos Monkey test over simulated time: `servers` servers (no scaling), `users` users with carts,
/// server `kill` killed at `kill_at_s` of a `horizon_s` run.
pub fn scenario(
    stack: &str,
    servers: u32,
    users: u32,
    kill: &str,
    kill_at_s: f64,
    horizon_s: f64,
) -> Scenario {
    let mut s = Scenario::new(stack, f64::from(users) / 5.0);
    s.schema_version = SCHEMA_VERSION;
    s.name = format!("Chaos Monkey on {stack}");
    s.traffic.shape = super::traffic::Shape::Flat;
    s.traffic.request_ms = 20.0.into();
    s.population = Some(Population {
        users,
        think_time_s: 5.0,
        cart_add_probability: 0.5,
        session_timeout_s: 1800.0,
    });
    s.compute.min = servers;
    s.compute.max = servers;
    s.compute.initial = Some(servers);
    s.compute.autoscaling = false;
    s.compute.detect_s = 10.0;
    s.compute.instance_price = "ec2-t3-medium".to_string();
    s.horizon_s = horizon_s;
    s.sampling.timeline_step_s = 30.0;
    s.chaos = vec![ChaosEvent::KillServer {
        at_s: kill_at_s,
        server: kill.to_string(),
    }];
    s
}

/// The seeds' comparison in one call: the stateful stack and the stateless one, same users, same kill.
pub fn compare(
    k: &Knowledge,
    users: u32,
    kill: &str,
    kill_at_s: f64,
) -> Result<(SimReport, SimReport), Diagnostics> {
    let stateful = simulate(
        k,
        &scenario(STATEFUL_STACK, SERVERS, users, kill, kill_at_s, 600.0),
    )?;
    let stateless = simulate(
        k,
        &scenario(STATELESS_STACK, SERVERS, users, kill, kill_at_s, 600.0),
    )?;
    Ok((stateful, stateless))
}

// ---- the record's chaos test ----------------------------------------------------------------

/// The record's chaos test: the kill the user chose on the chaos screen, over simulated time, on the
/// chosen stack's own servers and on the other considered options' stacks that run servers.
///
/// The seeds' two designs — sessions in the servers' memory and in a shared store — as stack ids in
/// the knowledge base: the chaos screen's demo runs them when the user's own stack has no servers.
pub const STATEFUL_STACK: &str = "alb-sticky-ec2-memory";
pub const STATELESS_STACK: &str = "alb-ec2-elasticache-rds";

/// The over-time run: three servers, users with carts, the kill five minutes in, fifteen minutes
/// in all, so the replacement server's recovery shows.
pub const SERVERS: u32 = 3;
pub const USERS: u32 = 30;
pub const KILL_AT_S: f64 = 300.0;
pub const HORIZON_S: f64 = 900.0;

/// One stack's outcome.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChaosOutcome {
    /// `stateful` or `stateless`: where the stack keeps its sessions.
    pub design: String,
    pub stack_id: StackId,
    pub stack_name: String,
    /// The stack the record chose (the others are its considered options).
    pub chosen: bool,
    /// The durable store the servers journal their state to, where the stack has one: the kill's
    /// sessions are restored from it, not lost.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub journal: Option<String>,
    /// Sessions the killed server held that the journal restored on the others.
    #[serde(skip_serializing_if = "crate::sim::is_zero")]
    pub sessions_restored: u64,
    pub sessions_lost: u64,
    pub carts_lost: u64,
    pub cart_items_lost: u64,
    pub requests_failed: u64,
    pub requests_total: u64,
    pub seed: u64,
}

/// The mode a stack stands for: sessions in server memory are stateful, anything else stateless.
pub fn mode_of(stack: &crate::knowledge::Stack) -> Mode {
    if stack.topology.session == SessionPlacement::InProcessSticky {
        Mode::Stateful
    } else {
        Mode::Stateless
    }
}

/// The stack for `design` over simulated time.
pub fn scenario_for(design: Mode, server: &str, seed: u64) -> Scenario {
    let stack = match design {
        Mode::Stateful => STATEFUL_STACK,
        Mode::Stateless => STATELESS_STACK,
    };
    let mut s = scenario(stack, SERVERS, USERS, server, KILL_AT_S, HORIZON_S);
    s.seed = seed;
    s
}

/// The over-time kill on `stack_id`'s servers; with `like`, a scenario of the team's on that stack,
/// its instance type and task size (the servers the team would run).
pub fn scenario_on(stack_id: &str, server: &str, seed: u64, like: Option<&Scenario>) -> Scenario {
    let mut s = scenario(stack_id, SERVERS, USERS, server, KILL_AT_S, HORIZON_S);
    s.seed = seed;
    if let Some(like) = like {
        s.compute.instance_price = like.compute.instance_price.clone();
        s.compute.vcpus_per_instance = like.compute.vcpus_per_instance;
        s.compute.fargate_task_vcpu = like.compute.fargate_task_vcpu;
        s.compute.fargate_task_gb = like.compute.fargate_task_gb;
    }
    s
}

/// Whether a stack runs servers (instances, tasks, pods or functions) a kill can take away.
pub fn has_servers(k: &Knowledge, stack_id: &str) -> bool {
    k.stack(stack_id)
        .is_some_and(|s| s.topology.compute != crate::knowledge::ComputeKind::None)
}

/// Runs the kill on each of `stacks` that runs servers, the chosen stack first (`stacks[0]`);
/// `like` gives, for a stack, the team's scenario on it (its servers' size).
pub fn on_stacks<'s, S: AsRef<str>>(
    k: &Knowledge,
    choice: &ChaosChoice,
    stacks: &[S],
    seed: u64,
    like: &dyn Fn(&str) -> Option<&'s Scenario>,
) -> Result<Vec<ChaosOutcome>, Diagnostics> {
    if !["A", "B", "C"].contains(&choice.server.as_str()) {
        return Err(Diagnostic::new(
            "the chaos test",
            format!("there is no server `{}` to kill", choice.server),
            "kill server A, B or C",
        )
        .into());
    }
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for (i, id) in stacks.iter().map(AsRef::as_ref).enumerate() {
        if seen.contains(&id) || !has_servers(k, id) {
            continue;
        }
        seen.push(id);
        let Some(stack) = k.stack(id) else { continue };
        let report = simulate(k, &scenario_on(id, &choice.server, seed, like(id)))?;
        out.push(ChaosOutcome {
            design: match mode_of(stack) {
                Mode::Stateful => "stateful".into(),
                Mode::Stateless => "stateless".into(),
            },
            stack_id: report.stack.id.clone().into(),
            stack_name: report.stack.name.clone(),
            chosen: i == 0,
            journal: stack.topology.journal.clone(),
            sessions_restored: report.sessions_restored,
            sessions_lost: report.sessions_lost,
            carts_lost: report.carts_lost,
            cart_items_lost: report.cart_items_lost,
            requests_failed: report.requests_failed,
            requests_total: report.requests_total,
            seed,
        });
    }
    Ok(out)
}

impl ChaosOutcome {
    /// "NLB + EC2 + sessions in server memory (the chosen stack; sessions in the servers' memory):
    /// killing server B lost 10 sessions and 5 carts (7 items); 12 of 5,400 requests failed (seed 42)."
    pub fn sentence(&self, server: &str) -> String {
        let journalled;
        let design = match (self.design.as_str(), &self.journal) {
            ("stateful", Some(j)) => {
                journalled = format!("sessions in the servers' memory, journalled to {j}");
                journalled.as_str()
            }
            ("stateful", None) => "sessions in the servers' memory",
            _ => "sessions in a shared store",
        };
        let chosen = if self.chosen {
            "the chosen stack; "
        } else {
            ""
        };
        format!(
            "{} ({chosen}{design}): killing server {server} lost {} sessions and {} carts ({} items); {} of {} requests failed (seed {}).",
            self.stack_name,
            format::number(self.sessions_lost as f64),
            format::number(self.carts_lost as f64),
            format::number(self.cart_items_lost as f64),
            format::number(self.requests_failed as f64),
            format::number(self.requests_total as f64),
            self.seed
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stateful_kill_loses_exactly_the_sessions_on_that_server() {
        let mut demo = ChaosMonkey::new(Mode::Stateful, 3);
        for user in 0..9 {
            demo.send(user, true);
            demo.send(user, true);
        }
        // round robin pinned users 0, 3, 6 to A; 1, 4, 7 to B; 2, 5, 8 to C
        assert_eq!(demo.servers[1].sessions.len(), 3);
        let kill = demo.kill("B");
        assert_eq!(
            (kill.sessions_lost, kill.carts_lost, kill.items_lost),
            (3, 3, 6)
        );
        let again = demo.send(1, false);
        assert!(again.new_session);
        assert_eq!(again.cart_items, 0);
        assert_eq!(demo.cart(0), 2);
    }

    #[test]
    fn a_stateless_kill_loses_nothing() {
        let mut demo = ChaosMonkey::new(Mode::Stateless, 3);
        for user in 0..9 {
            demo.send(user, true);
            demo.send(user, true);
        }
        let kill = demo.kill("B");
        assert_eq!(kill.sessions_lost, 0);
        for user in 0..9 {
            let o = demo.send(user, false);
            assert_eq!(o.cart_items, 2);
            assert_ne!(o.served_by.as_deref(), Some("B"));
        }
    }

    #[test]
    fn killing_a_server_loses_sessions_only_where_they_live_in_memory() {
        let k = Knowledge::shipped().expect("shipped knowledge");
        let stacks = [
            StackId::from(STATEFUL_STACK),
            StackId::from(STATELESS_STACK),
        ];
        let found = on_stacks(&k, &ChaosChoice::default(), &stacks, 42, &|_| None).expect("runs");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].design, "stateful");
        assert!(found[0].sessions_lost > 0, "{:?}", found[0]);
        assert_eq!(found[1].design, "stateless");
        assert_eq!(found[1].sessions_lost, 0);
        assert_eq!(found[1].carts_lost, 0);
    }

    #[test]
    fn an_unknown_server_is_refused() {
        let k = Knowledge::shipped().expect("shipped knowledge");
        let stacks = [StackId::from(STATEFUL_STACK)];
        let err = on_stacks(&k, &ChaosChoice { server: "Z".into() }, &stacks, 1, &|_| {
            None
        })
        .unwrap_err();
        assert!(err.to_string().contains("no server `Z`"), "{err}");
    }
}
