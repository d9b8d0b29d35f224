//! The compute fleet as AWS runs it: an Auto Scaling group with target tracking (evaluated each
//! minute on the in-service instances' average CPU, warm-up before a new instance serves, scale-in
//! only after 15 minutes below target), health-check replacement, the load balancer's routing
//! (round robin, or sticky by session), sessions held in servers' memory, and the chaos that kills them
//! (the scheduled chaos events themselves are `chaos_events.rs`).

use super::sessions::StickySessions;
use super::{Ev, InstState, Instance, SCALE_IN_PERIODS, Sim, User};
use crate::sim::kill::Loss;
use crate::sim::model::{Compute, Model};

/// The compute fleet's own state: its instances and their zones, the in-service list, the load
/// balancer's shares (sticky by session weight or round robin), target tracking's tallies and the
/// sessions in the servers' memory. What happens *to* it (launches, kills, chaos) is the day's
/// doing, in `impl Sim` below; what it *is* answers here.
pub(in crate::sim) struct Fleet {
    pub inst: Vec<Instance>,
    pub desired: u32,
    pub util_sum: f64,
    pub util_n: u32,
    pub low_streak: u32,
    pub az_down: Vec<bool>,
    pub rr: usize,
    /// In-service instances, and the cumulative session weights for sticky routing (built when the
    /// walk needs them: `sticky_stale` says they are out of date).
    pub serving: Vec<u32>,
    pub sticky_cum: Vec<f64>,
    pub sticky_stale: bool,
    /// Open traffic's sessions in the servers' memory, per zone.
    pub sticky: StickySessions,
    /// Sticky routing by session weight (open traffic with sessions in servers' memory); otherwise
    /// round robin, every server in service getting the same share.
    pub sticky_on: bool,
    /// The largest share of traffic one in-service instance gets.
    pub max_share: f64,
    /// Some instance has a fluid backlog (it was over its capacity).
    pub backlogged: bool,
    /// Instances in each zone by state (`InstState as usize`), kept as states change so that
    /// counting live or pending instances costs the number of zones, not the size of the fleet.
    pub per_az: Vec<[u32; 5]>,
    pub dead_routable: u32,
}

impl Fleet {
    pub(super) fn new(m: &Model) -> Fleet {
        let zones = m.availability_zones as usize;
        Fleet {
            inst: Vec::new(),
            desired: 0,
            util_sum: 0.0,
            util_n: 0,
            low_streak: 0,
            az_down: vec![false; zones],
            rr: 0,
            serving: Vec::new(),
            sticky_cum: Vec::new(),
            sticky_stale: true,
            sticky: StickySessions::new(zones),
            sticky_on: m.sessions_on_servers() && m.population.is_none(),
            max_share: 0.0,
            backlogged: false,
            per_az: vec![[0; 5]; zones.max(1)],
            dead_routable: 0,
        }
    }

    fn add_instance(&mut self, state: InstState) -> u32 {
        let azs = self.per_az.len();
        let live = |z: usize| {
            let c = &self.per_az[z];
            c[InstState::Pending as usize] + c[InstState::InService as usize]
        };
        // Auto Scaling balances instances across the zones that are up
        let az = (0..azs)
            .filter(|&z| !self.az_down.get(z).copied().unwrap_or(false))
            .min_by_key(|&z| (live(z), z))
            .unwrap_or(0);
        self.per_az[az][state as usize] += 1;
        let index = self.inst.len() as u32;
        let mut base = 0.0;
        if state == InstState::InService {
            // the newest instance has the highest index, so `serving` stays in index order
            self.serving.push(index);
            if self.sticky_on {
                base = self.sticky.enter(az);
            }
        }
        self.inst.push(Instance {
            az: az as u32,
            state,
            base,
            backlog: 0.0,
            busy: 0,
            queue: Default::default(),
        });
        index
    }

    fn in_state(&self, state: InstState) -> u32 {
        self.per_az.iter().map(|c| c[state as usize]).sum()
    }

    pub(super) fn live_count(&self) -> u32 {
        self.in_state(InstState::Pending) + self.in_state(InstState::InService)
    }

    pub(super) fn pending_count(&self) -> u32 {
        self.in_state(InstState::Pending)
    }

    /// Moves instance `i` to `state`, keeping the per-zone counts and the in-service list.
    pub(super) fn set_state(&mut self, i: u32, state: InstState) {
        let inst = &mut self.inst[i as usize];
        let (az, was) = (inst.az as usize, inst.state);
        inst.state = state;
        self.per_az[az][was as usize] -= 1;
        self.per_az[az][state as usize] += 1;
        let sticky = self.sticky_on;
        if was == InstState::InService
            && let Ok(k) = self.serving.binary_search(&i)
        {
            self.serving.remove(k);
            if sticky {
                // its sessions go with it (counted as lost by whoever took it out of service)
                self.sticky.leave(az, self.inst[i as usize].base);
            }
        }
        if state == InstState::InService
            && let Err(k) = self.serving.binary_search(&i)
        {
            self.serving.insert(k, i);
            if sticky {
                self.inst[i as usize].base = self.sticky.enter(az);
            }
        }
    }

    /// After servers came or went: how many dead ones the load balancer still routes to, and the
    /// shares of the rest.
    pub(super) fn routing_changed(&mut self) {
        self.dead_routable = self.in_state(InstState::Dead);
        self.refresh_shares();
    }

    /// The share of the compute traffic the load balancer sends to in-service instance `i`.
    pub(super) fn share(&self, i: u32) -> f64 {
        if self.sticky_on {
            self.sticky.share(self.inst[i as usize].base)
        } else {
            1.0 / self.serving.len().max(1) as f64
        }
    }

    /// Which servers get traffic, and in what shares (sticky: in proportion to the sessions they hold,
    /// which the walk's routing table is rebuilt from when it next routes a request).
    pub(super) fn refresh_shares(&mut self) {
        if !self.sticky_on {
            self.max_share = 1.0 / self.serving.len().max(1) as f64;
            return;
        }
        self.sticky_stale = true;
        let (inst, serving) = (&self.inst, &self.serving);
        self.max_share = self
            .sticky
            .max_share(serving.iter().map(|&i| inst[i as usize].base));
    }

    /// The walk's table for sticky routing: cumulative session shares over the servers in service.
    pub(super) fn sticky_table(&mut self) -> &[f64] {
        if self.sticky_stale {
            self.sticky_cum.clear();
            let mut acc = 0.0;
            for &i in &self.serving {
                acc += self.sticky.share(self.inst[i as usize].base);
                self.sticky_cum.push(acc);
            }
            self.sticky_stale = false;
        }
        &self.sticky_cum
    }
}

impl Sim<'_> {
    pub(super) fn start_fleet(&mut self) {
        match &self.m.compute {
            Compute::Instances(p) => {
                self.fleet.desired = p.initial;
                for _ in 0..p.initial {
                    self.fleet.add_instance(InstState::InService);
                }
                self.fleet.routing_changed();
            }
            Compute::Lambda(l) => {
                self.lambda.tokens = l.scale_up_per_10s;
                if self.m.population.is_none() {
                    // traffic was already flowing before the run starts: environments are warm for it
                    let d = (self.m.service_ms.mean() + self.m.io_mean_ms()) / 1000.0;
                    let need = self.m.profile.rate(0.0) * d;
                    let pool = (need + 3.0 * need.sqrt()).ceil().min(f64::from(l.limit));
                    self.lambda.pool = pool;
                    self.lambda.total = pool as u32;
                    self.lambda.idle = std::iter::repeat_n(0.0, pool as usize).collect();
                }
            }
            Compute::None => {}
        }
    }

    fn launch(&mut self, n: u32) {
        let Compute::Instances(p) = &self.m.compute else {
            return;
        };
        let warmup = p.warmup_s;
        for _ in 0..n {
            let i = self.fleet.add_instance(InstState::Pending);
            self.ev.push(self.now + warmup, Ev::Ready(i));
        }
    }

    pub(super) fn ready(&mut self, i: u32) {
        self.transition(i, InstState::Pending, InstState::InService);
    }

    /// Moves instance `i` from `from` to `to` (nothing when it is in another state) and updates the
    /// routing.
    fn transition(&mut self, i: u32, from: InstState, to: InstState) {
        if self
            .fleet
            .inst
            .get(i as usize)
            .is_some_and(|inst| inst.state == from)
        {
            self.fleet.set_state(i, to);
            self.fleet.routing_changed();
        }
    }

    /// The health check has failed: the load balancer stops routing to it, and the group replaces it.
    pub(super) fn detect(&mut self, i: u32) {
        self.transition(i, InstState::Dead, InstState::Gone);
        let live = self.fleet.live_count();
        if live < self.fleet.desired {
            self.launch(self.fleet.desired - live);
        }
    }

    /// Target tracking, once a minute.
    pub(super) fn evaluate_scaling(&mut self) {
        let Compute::Instances(p) = &self.m.compute else {
            return;
        };
        let metric = if self.fleet.util_n > 0 {
            self.fleet.util_sum / f64::from(self.fleet.util_n)
        } else {
            0.0
        };
        self.fleet.util_sum = 0.0;
        self.fleet.util_n = 0;
        let live = self.fleet.live_count();
        if !p.autoscaling || self.fleet.serving.is_empty() {
            return;
        }
        let n = self.fleet.serving.len() as f64;
        // the small epsilon keeps float noise (4.0000000001) from launching a fifth instance
        // a scheduled action raises the floor over its window
        let min = match p.scheduled {
            Some((from, until, floor)) if self.now >= from && self.now < until => p.min.max(floor),
            _ => p.min,
        };
        let want = ((n * metric / p.target - 1e-9).ceil().max(0.0) as u32).clamp(min, p.max);
        if want > live {
            self.fleet.desired = want;
            self.launch(want - live);
            self.fleet.low_streak = 0;
        } else if want < self.fleet.desired {
            self.fleet.low_streak += 1;
            if self.fleet.low_streak >= SCALE_IN_PERIODS {
                self.fleet.desired = want;
                self.scale_in(live.saturating_sub(want));
                self.fleet.low_streak = 0;
            }
        } else {
            self.fleet.low_streak = 0;
        }
    }

    /// Terminates `n` in-service instances: from the zone with the most, the newest first (Auto
    /// Scaling's `NewestInstance` termination policy, the kindest to sticky sessions: new instances
    /// hold the fewest). Sessions in their memory go with them.
    fn scale_in(&mut self, n: u32) {
        let azs = self.fleet.per_az.len();
        for _ in 0..n {
            let serving_in = |z: usize| self.fleet.per_az[z][InstState::InService as usize];
            let Some(az) = (0..azs).max_by_key(|&z| (serving_in(z), std::cmp::Reverse(z))) else {
                return;
            };
            let Some(&victim) = self
                .fleet
                .serving
                .iter()
                .rev()
                .find(|&&i| self.fleet.inst[i as usize].az as usize == az)
            else {
                return;
            };
            let loss = self.drop_server_sessions(victim);
            self.ledger.out.sessions_lost_to_scale_in += loss.sessions;
            self.ledger.lose(loss, None);
            self.fleet.set_state(victim, InstState::Terminated);
            self.fleet.routing_changed();
        }
    }

    /// The sessions a journalled server held, handed to the servers its users reach next (they keep
    /// their carts): how many.
    fn restore_server_sessions(&mut self, i: u32) -> u64 {
        if self.m.population.is_some() {
            let mut n = 0;
            for u in self
                .users
                .iter_mut()
                .filter(|u| u.has_session && u.session_on == Some(i))
            {
                u.session_on = None;
                n += 1;
            }
            n
        } else if self.fleet.inst[i as usize].state == InstState::InService {
            self.fleet
                .sticky
                .held(self.fleet.inst[i as usize].base)
                .round() as u64
        } else {
            0
        }
    }

    /// Sessions (and carts) in a server's memory, lost when it goes (the one rule of a kill,
    /// [`Loss`]).
    pub(super) fn drop_server_sessions(&mut self, i: u32) -> Loss {
        if !self.m.sessions_on_servers() {
            return Loss::default();
        }
        if !self.m.sessions_die_with_server() {
            // the journal has every acknowledged change: the servers that take the users restore
            // their sessions (and carts) from it, so nothing is lost
            self.ledger.out.sessions_restored += self.restore_server_sessions(i);
            return Loss::default();
        }
        if self.m.population.is_some() {
            let on_it = self
                .users
                .iter_mut()
                .filter(|u| u.has_session && u.session_on == Some(i));
            Loss::of_sessions(on_it.map(User::end_session))
        } else if self.fleet.inst[i as usize].state == InstState::InService {
            // the server leaves the session aggregates when it leaves service (`set_state`)
            Loss::sessions(
                self.fleet
                    .sticky
                    .held(self.fleet.inst[i as usize].base)
                    .round() as u64,
            )
        } else {
            Loss::default()
        }
    }

    /// Open-traffic sessions (fluid level): users open sessions in proportion to traffic, each lasting
    /// `session_s` on average; new sessions are spread evenly over the servers in service (sticky: a
    /// session stays where it started, so a new server only fills as old sessions end; kept per zone,
    /// see `sessions.rs`). Lost sessions are re-opened by their returning users.
    pub(super) fn update_sessions(&mut self, dt: f64) {
        if self.m.population.is_some() {
            return;
        }
        let target = (self.m.sessions_peak * self.m.profile.share(self.now))
            .round()
            .max(0.0);
        if !self.m.sessions_on_servers() {
            if self.now >= self.stores.store_down_until || self.m.cache_replicas > 0 {
                self.stores.sessions_shared = target;
            }
            return;
        }
        if self.fleet.serving.is_empty() {
            return;
        }
        // sessions end at the same pace on every server; new ones spread evenly over the servers in
        // service (a session stays where it started, so a new server only fills as old ones end)
        let pace = if self.m.session_s > 0.0 {
            dt / self.m.session_s
        } else {
            0.0
        };
        self.fleet.sticky.step(pace, target);
        if self.fleet.sticky.needs_rebase() {
            let f = self.fleet.sticky.rebase();
            for k in 0..self.fleet.serving.len() {
                self.fleet.inst[self.fleet.serving[k] as usize].base *= f;
            }
        }
        self.fleet.refresh_shares();
    }

    pub(super) fn sessions_now(&self) -> f64 {
        if self.m.population.is_some() {
            self.users.iter().filter(|u| u.has_session).count() as f64
        } else if self.m.sessions_on_servers() {
            self.fleet.sticky.total()
        } else {
            self.stores.sessions_shared
        }
    }
}

/// Why a walked request failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum FailKind {
    Front,
    Lambda,
    StoreThrottle,
    StoreDown,
    Dead,
    Timeout,
    DbConnections,
}
