//! The chaos a scenario schedules, as it happens to the day: a server killed (its sessions, its
//! queued and running requests), a zone lost, the cache node failing over. What a kill loses is
//! `sim::kill`'s one model; this books it in the day's ledger and the chaos records.

use super::fleet::FailKind;
use super::{ChaosRecord, Ev, InstState, Sim, User, server_index, server_name};
use crate::knowledge::SessionPlacement;
use crate::sim::kill::{Holds, Kill, Loss};
use crate::sim::model::{Compute, assumption};
use crate::sim::scenario::ChaosEvent;
use crate::sim::units::Seconds;

impl Sim<'_> {
    /// Kills a server: its sessions are lost (if it held them), its queued and running requests fail,
    /// and the load balancer keeps sending it requests until the health check fails `detect_s` later.
    fn kill(&mut self, i: u32, record: usize) -> Loss {
        let state = self.fleet.inst[i as usize].state;
        if !matches!(state, InstState::InService | InstState::Pending) {
            return Loss::default();
        }
        let loss = self.drop_server_sessions(i);
        self.ledger.lose(loss, Some(record));
        if state == InstState::InService {
            // requests in flight there fail: the fluid level counts them from Little's law
            if !self.full {
                let in_flight =
                    self.fleet.share(i) * self.compute_rate() * self.m.service_ms.mean() / 1000.0
                        + self.fleet.inst[i as usize].backlog;
                self.ledger.fail_dead(in_flight, record);
            }
            let queued: Vec<_> = self.fleet.inst[i as usize].queue.drain(..).collect();
            for w in queued {
                self.walk_failure(w.user, FailKind::Dead, Some(record));
            }
            self.fleet.set_state(i, InstState::Dead);
            self.fleet.inst[i as usize].backlog = 0.0;
            self.ev.push(self.now + self.m.detect_s, Ev::Detect(i));
        } else {
            self.fleet.set_state(i, InstState::Gone);
            self.ev.push(self.now + self.m.detect_s, Ev::Detect(i));
        }
        self.ledger.kill_records.push((i, record));
        self.fleet.routing_changed();
        loss
    }

    /// The chaos record of the kill that took down server `i`, if any.
    pub(super) fn record_of(&self, i: u32) -> Option<usize> {
        self.ledger
            .kill_records
            .iter()
            .rev()
            .find(|(s, _)| *s == i)
            .map(|(_, r)| *r)
    }

    pub(super) fn chaos(&mut self, index: usize) {
        let Some(event) = self.m.chaos.get(index).cloned() else {
            return;
        };
        let record = self.ledger.out.chaos.len();
        self.ledger.out.chaos.push(ChaosRecord {
            at_s: Seconds(self.now),
            event: event.describe(),
            effect: String::new(),
            sessions_lost: 0,
            carts_lost: 0,
            requests_failed: 0,
        });
        let effect = match &event {
            ChaosEvent::KillServer { server, .. } => self.chaos_kill(server, record),
            ChaosEvent::LoseAz { az, .. } => self.chaos_lose_az(*az, record),
            ChaosEvent::CacheFailover { .. } => self.cache_failover(record),
        };
        if let Some(r) = self.ledger.out.chaos.get_mut(record) {
            r.effect = effect;
        }
    }

    fn chaos_kill(&mut self, server: &str, record: usize) -> String {
        match &self.m.compute {
            Compute::Lambda(_) => {
                // one execution environment dies: its request fails, a new one replaces it
                if self.lambda.total > 0 {
                    self.lambda.total -= 1;
                    self.lambda.idle.pop_front();
                    self.lambda.pool = (self.lambda.pool - 1.0).max(0.0);
                }
                return "a Lambda execution environment died; the next request gets a new one, and no session is lost (sessions are in the shared store)".to_string();
            }
            Compute::None => return "there is no server in this stack to kill".to_string(),
            Compute::Instances(_) => {}
        }
        let Some(i) = server_index(server).filter(|&i| (i as usize) < self.fleet.inst.len()) else {
            return format!("server {server} had not been launched: nothing happened");
        };
        let state = self.fleet.inst[i as usize].state;
        if !matches!(state, InstState::InService | InstState::Pending) {
            return format!("server {server} was no longer running: nothing happened");
        }
        let loss = self.kill(i, record);
        Kill {
            server: server.to_string(),
            holds: if self.m.sessions_die_with_server() {
                Holds::ServerMemory
            } else if self.m.sessions_on_servers() {
                Holds::Journal
            } else {
                Holds::SharedStore
            },
            loss,
            carts_followed: self.m.population.is_some(),
            detect_s: Some(self.m.detect_s),
        }
        .sentence()
    }

    fn chaos_lose_az(&mut self, az: u32, record: usize) -> String {
        if let Some(down) = self.fleet.az_down.get_mut(az as usize) {
            *down = true;
        }
        let victims: Vec<u32> = (0..self.fleet.inst.len() as u32)
            .filter(|&i| {
                let inst = &self.fleet.inst[i as usize];
                inst.az == az && matches!(inst.state, InstState::InService | InstState::Pending)
            })
            .collect();
        let names: Vec<String> = victims.iter().map(|&i| server_name(i)).collect();
        for &i in &victims {
            self.kill(i, record);
        }
        let mut effect = match &self.m.compute {
            Compute::Instances(_) if names.is_empty() => format!("no server ran in zone {az}"),
            Compute::Instances(_) => format!(
                "servers {} in zone {az} were lost; replacements launch in the other zones",
                names.join(", ")
            ),
            Compute::Lambda(_) => "Lambda runs in several zones: the loss is absorbed".to_string(),
            Compute::None => "the edge and S3 are regional: no effect".to_string(),
        };
        if az == 0 && self.m.session.placement == SessionPlacement::SharedCache {
            effect += "; the cache primary was in this zone: ";
            effect += &self.cache_failover(record);
        }
        effect
    }

    /// The session cache's primary fails: a replica takes over after the failover time (sessions kept,
    /// requests needing the session fail meanwhile), or with no replica the node comes back empty.
    pub(super) fn cache_failover(&mut self, record: usize) -> String {
        if self.m.session.placement != SessionPlacement::SharedCache {
            return "this stack keeps no sessions in a cache".to_string();
        }
        if self.m.cache_replicas > 0 {
            self.stores.store_down_until = self.now + self.m.cache_failover_s;
            self.ev.push(self.stores.store_down_until, Ev::StoreBack);
            format!(
                "a replica was promoted after {} s; no session was lost, but requests that needed the session failed meanwhile",
                self.m.cache_failover_s
            )
        } else {
            let down = assumption("cache-failover-no-replica");
            self.stores.store_down_until = self.now + down;
            self.ev.push(self.stores.store_down_until, Ev::StoreBack);
            // the node held every session, as a server holds its own: the same loss
            let loss = if self.m.population.is_some() {
                Loss::of_sessions(
                    self.users
                        .iter_mut()
                        .filter(|u| u.has_session)
                        .map(User::end_session),
                )
            } else {
                let lost = self.stores.sessions_shared.round() as u64;
                self.stores.sessions_shared = 0.0;
                Loss::sessions(lost)
            };
            self.ledger.lose(loss, Some(record));
            format!(
                "the cache had no replica: the node was replaced empty after {down} s and its {} sessions were lost",
                loss.sessions
            )
        }
    }
}
