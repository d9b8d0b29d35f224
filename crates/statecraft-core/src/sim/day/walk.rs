//! Requests walked one by one: through the front door (and its throttle), to a server picked by the
//! load balancer (round robin, or the one the session is pinned to) and its FIFO queue of workers, or
//! to a warm Lambda environment (a cold one when none is idle, a 429 when the limit or the scale-up rate
//! is reached), then to the session store and the database.

use super::fleet::FailKind;
use super::{Ev, InstState, NO_USER, Sim, Waiting};
use crate::knowledge::SessionPlacement;
use crate::sim::dist;
use crate::sim::model::Compute;

impl Sim<'_> {
    /// An open-traffic arrival in the current window.
    pub(super) fn arrival(&mut self) {
        let Some(w) = self.walk.window.as_mut() else {
            return;
        };
        w.remaining = w.remaining.saturating_sub(1);
        let record = if w.warmup > 0 {
            w.warmup -= 1;
            false
        } else {
            true
        };
        self.walk.arrivals_this_tick += 1;
        self.ledger.out.walked_requests += 1;
        self.schedule_next_arrival();
        self.route(NO_USER, record);
    }

    /// A user of the population sends a request.
    pub(super) fn user_request(&mut self, u: u32) {
        let Some(p) = &self.m.population else {
            return;
        };
        let now = self.now;
        if let Some(user) = self.users.get_mut(u as usize)
            && user.has_session
            && now - user.last_seen > p.session_timeout_s
        {
            // an idle session expires: not a loss
            self.ledger.out.cart_items_expired += u64::from(user.end_session());
        }
        self.walk.arrivals_this_tick += 1;
        self.ledger.out.walked_requests += 1;
        self.route(u, true);
    }

    /// Requests call the session store (a shared one: sticky in-process sessions need none).
    pub(super) fn needs_store(&self) -> bool {
        let s = &self.m.session;
        s.op_ms.is_some()
            && s.placement != SessionPlacement::InProcessSticky
            && (s.reads + s.writes) > 0.0
    }

    fn route(&mut self, user: u32, record: bool) {
        if self.walk.f_front > 0.0 && dist::uniform(&mut self.rng) < self.walk.f_front {
            return self.walk_failure(user, FailKind::Front, None);
        }
        if self.needs_store() && self.now < self.stores.store_down_until {
            return self.walk_failure(user, FailKind::StoreDown, None);
        }
        if self.walk.f_store > 0.0 && dist::uniform(&mut self.rng) < self.walk.f_store {
            return self.walk_failure(user, FailKind::StoreThrottle, None);
        }
        let arrival = self.now;
        match &self.m.compute {
            Compute::None => {
                let ms = self.front_ms();
                self.record(record, ms);
                self.user_success(user, None);
            }
            Compute::Lambda(_) => self.lambda_arrival(user, arrival, record),
            Compute::Instances(_) => match self.pick_instance(user) {
                Ok(i) => self.enqueue(
                    i,
                    Waiting {
                        arrival,
                        user,
                        record,
                    },
                ),
                Err((kind, chaos)) => self.walk_failure(user, kind, chaos),
            },
        }
    }

    /// The load balancer's choice: the pinned server (sticky), else round robin; a dead server that
    /// its health check has not yet caught still gets its share, and those requests fail.
    fn pick_instance(&mut self, user: u32) -> Result<u32, (FailKind, Option<usize>)> {
        let sticky = self.m.sessions_on_servers();
        if user != NO_USER && sticky {
            if let Some(i) = self.users[user as usize].pinned {
                match self.fleet.inst[i as usize].state {
                    InstState::InService => return Ok(i),
                    InstState::Dead => return Err((FailKind::Dead, self.record_of(i))),
                    _ => {}
                }
            }
            let i = self.round_robin().ok_or((FailKind::Timeout, None))?;
            self.users[user as usize].pinned = Some(i);
            return Ok(i);
        }
        let routable = self.fleet.serving.len() + self.fleet.dead_routable as usize;
        if routable == 0 {
            return Err((FailKind::Timeout, None));
        }
        if self.fleet.dead_routable > 0 {
            let k = (dist::uniform(&mut self.rng) * routable as f64) as usize;
            if k >= self.fleet.serving.len() {
                let dead = self
                    .fleet
                    .inst
                    .iter()
                    .enumerate()
                    .filter(|(_, i)| i.state == InstState::Dead)
                    .nth(k - self.fleet.serving.len())
                    .map(|(n, _)| n as u32);
                return Err((FailKind::Dead, dead.and_then(|d| self.record_of(d))));
            }
        }
        if sticky && user == NO_USER {
            let u = dist::uniform(&mut self.rng);
            let table = self.fleet.sticky_table();
            let x = u * table.last().copied().unwrap_or(1.0);
            let k = table
                .partition_point(|&c| c <= x)
                .min(self.fleet.serving.len() - 1);
            return Ok(self.fleet.serving[k]);
        }
        self.round_robin().ok_or((FailKind::Timeout, None))
    }

    fn round_robin(&mut self) -> Option<u32> {
        if self.fleet.serving.is_empty() {
            return None;
        }
        self.fleet.rr = (self.fleet.rr + 1) % self.fleet.serving.len();
        Some(self.fleet.serving[self.fleet.rr])
    }

    fn workers(&self) -> u32 {
        match &self.m.compute {
            Compute::Instances(p) => p.workers,
            _ => 1,
        }
    }

    fn enqueue(&mut self, i: u32, w: Waiting) {
        let workers = self.workers();
        let inst = &mut self.fleet.inst[i as usize];
        if inst.busy < workers {
            inst.busy += 1;
            self.start(i, w);
        } else {
            inst.queue.push_back(w);
        }
    }

    fn start(&mut self, i: u32, w: Waiting) {
        let s = self.m.service_ms.sample(&mut self.rng) / 1000.0;
        self.ev.push(
            self.now + s,
            Ev::Done {
                inst: i,
                user: w.user,
                arrival: w.arrival,
                record: w.record,
            },
        );
    }

    /// Starts queued requests while workers are free; requests that waited past the timeout fail.
    fn pull(&mut self, i: u32) {
        let workers = self.workers();
        let timeout = self.m.timeout_s;
        loop {
            let inst = &mut self.fleet.inst[i as usize];
            if inst.busy >= workers {
                return;
            }
            let Some(w) = inst.queue.pop_front() else {
                return;
            };
            if self.now - w.arrival > timeout {
                self.walk_failure(w.user, FailKind::Timeout, None);
                continue;
            }
            self.fleet.inst[i as usize].busy += 1;
            self.start(i, w);
        }
    }

    pub(super) fn done(&mut self, i: u32, user: u32, arrival: f64, record: bool) {
        let state = self.fleet.inst[i as usize].state;
        match state {
            InstState::InService | InstState::Terminated | InstState::Pending => {
                let ms = (self.now - arrival) * 1000.0 + self.front_ms() + self.io_ms();
                if self.now - arrival > self.m.timeout_s {
                    self.walk_failure(user, FailKind::Timeout, None);
                } else {
                    self.record(record, ms);
                    self.user_success(user, Some(i));
                }
                let inst = &mut self.fleet.inst[i as usize];
                inst.busy = inst.busy.saturating_sub(1);
                // a server scaled in still finishes what was sent to it (deregistration delay)
                self.pull(i);
            }
            InstState::Dead | InstState::Gone => {
                let chaos = self.record_of(i);
                self.walk_failure(user, FailKind::Dead, chaos);
            }
        }
    }

    /// The fluid backlog becomes work that occupies every worker until it is served.
    pub(super) fn preload_backlog(&mut self) {
        let Compute::Instances(p) = &self.m.compute else {
            if let Compute::Lambda(_) = &self.m.compute {
                // the window starts from the fluid pool of warm environments
                let total = self.lambda.pool.round().max(0.0) as u32;
                let idle = total.saturating_sub(self.lambda.busy);
                self.lambda.total = total.max(self.lambda.busy);
                self.lambda.idle = std::iter::repeat_n(self.now, idle as usize).collect();
                self.lambda.walk_tokens = self.lambda.tokens;
                self.lambda.walk_tokens_at = self.now;
            }
            return;
        };
        let mu = f64::from(p.workers) / (self.m.service_ms.mean() / 1000.0).max(1e-12);
        for k in 0..self.fleet.serving.len() {
            let i = self.fleet.serving[k];
            let inst = &mut self.fleet.inst[i as usize];
            if inst.backlog >= 1.0 && inst.busy == 0 && inst.queue.is_empty() {
                inst.busy = p.workers;
                let until = self.now + inst.backlog / mu;
                self.ev.push(until, Ev::Unblock(i));
            }
        }
    }

    pub(super) fn unblock(&mut self, i: u32) {
        if self.fleet.inst[i as usize].state == InstState::InService {
            self.fleet.inst[i as usize].busy = 0;
            self.pull(i);
        }
    }

    /// The front door's own time: its added latency, a new connection's TLS handshake, and the
    /// hop to a server in another zone.
    pub(super) fn front_ms(&mut self) -> f64 {
        let m = self.m;
        let Some(f) = &m.front else {
            return 0.0;
        };
        f.delay_ms.sample(&mut self.rng)
            + f.handshake.draw(&mut self.rng)
            + f.cross_zone.draw(&mut self.rng)
    }

    /// What a call to a store adds when it crosses zones: a single-zone primary is in another zone
    /// for the compute of every other zone.
    #[inline]
    fn hop_ms(&mut self, zonal: bool) -> f64 {
        if zonal {
            self.m.cross_zone.draw(&mut self.rng)
        } else {
            0.0
        }
    }

    /// Session-store reads and writes, then database queries (counts are means: 1.5 means one or two).
    pub(super) fn io_ms(&mut self) -> f64 {
        let m = self.m;
        let mut ms = 0.0;
        if let Some(op) = m.session.op_ms {
            let write = m.session.write_ms.unwrap_or(op);
            let zonal = m.session.zonal;
            let n = self.count(m.session.reads);
            for _ in 0..n {
                ms += op.sample(&mut self.rng) + self.hop_ms(zonal);
            }
            let n = self.count(m.session.writes);
            for _ in 0..n {
                ms += write.sample(&mut self.rng) + self.hop_ms(zonal);
                // the change is acknowledged once the journal has it
                if let Some(j) = &m.journal {
                    ms += j.write_ms.sample(&mut self.rng) + self.hop_ms(j.zonal);
                }
            }
        }
        if let Some(db) = &m.database {
            let n = self.count(db.queries - db.writes);
            for _ in 0..n {
                ms += db.query_ms.sample(&mut self.rng) + self.hop_ms(db.zonal);
            }
            let n = self.count(db.writes);
            for _ in 0..n {
                ms += db.write_ms.sample(&mut self.rng) + self.hop_ms(db.zonal);
            }
        }
        ms
    }

    fn count(&mut self, mean: f64) -> u32 {
        let whole = mean.floor();
        // a whole mean needs no draw (most stacks' reads and writes are 0 or 1 a request)
        if mean == whole {
            return (whole as u32).min(1000);
        }
        let extra = dist::uniform(&mut self.rng) < mean - whole;
        (whole as u32).min(1000) + u32::from(extra)
    }

    pub(super) fn record(&mut self, record: bool, ms: f64) {
        if !record {
            return;
        }
        let weight = self.walk.window.as_ref().map_or(1, |w| w.weight);
        self.ledger.day_hist.record_n(ms, weight);
        self.ledger.window_hist.record(ms);
        // the requests the edge answered in the same moment: hit / (1 − hit) for each one that
        // reached the origin, rounded at random so that their count is right on average
        if let Some(e) = &self.m.edge {
            let per = e.hit / (1.0 - e.hit);
            let n = per.floor() + f64::from(u8::from(dist::uniform(&mut self.rng) < per.fract()));
            if n >= 1.0 {
                let hit_ms = e.hit_ms.sample(&mut self.rng);
                self.ledger.day_hist.record_n(hit_ms, weight * n as u64);
                self.ledger.window_hist.record_n(hit_ms, n as u64);
            }
        }
    }

    pub(super) fn user_success(&mut self, user: u32, server: Option<u32>) {
        let Some(p) = &self.m.population else {
            return;
        };
        let sticky = self.m.sessions_on_servers();
        let now = self.now;
        let add = dist::uniform(&mut self.rng) < p.cart_add_probability;
        let think = dist::exp_gap(&mut self.rng, 1.0 / p.think_time_s);
        let Some(u) = self.users.get_mut(user as usize) else {
            return;
        };
        if !u.has_session {
            u.has_session = true;
            u.session_on = if sticky { server } else { None };
            u.cart = 0;
        } else if sticky && u.session_on.is_none() {
            // a session restored from the journal now lives on the server that took the user
            u.session_on = server;
        }
        if add {
            u.cart += 1;
            self.ledger.out.cart_items_added += 1;
        }
        u.last_seen = now;
        self.ev.push(now + think, Ev::User(user));
    }

    /// A walked request failed. When every request is walked the walk's counts are the run's counts.
    pub(super) fn walk_failure(&mut self, user: u32, kind: FailKind, chaos: Option<usize>) {
        if self.full {
            let f = &mut self.ledger.out.failures;
            match kind {
                FailKind::Front => f.front_throttled += 1.0,
                FailKind::Lambda => f.lambda_throttled += 1.0,
                FailKind::StoreThrottle => f.store_throttled += 1.0,
                FailKind::StoreDown => f.store_unavailable += 1.0,
                FailKind::Dead => f.dead_server += 1.0,
                FailKind::Timeout => f.timeouts += 1.0,
                FailKind::DbConnections => f.db_connections += 1.0,
            }
            self.ledger.interval.errors += 1.0;
            if let Some(r) = chaos.and_then(|r| self.ledger.out.chaos.get_mut(r)) {
                r.requests_failed += 1;
            }
        }
        if let Some(p) = &self.m.population
            && user != NO_USER
        {
            let think = dist::exp_gap(&mut self.rng, 1.0 / p.think_time_s);
            self.ev.push(self.now + think, Ev::User(user));
        }
    }
}
