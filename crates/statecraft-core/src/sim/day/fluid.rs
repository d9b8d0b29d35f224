//! The 10-second fluid step: every request of the traffic profile, as a rate, through the front door's
//! throttle, the session store's limits, the compute fleet's queues (or Lambda's pool of environments),
//! into the bill. It drives scaling and, in sampled runs, counts the errors.

use super::{ASG_PERIOD_S, Sim, Stores, TimelinePoint};
use crate::sim::model::{Compute, FrontKind, InstancePool, LambdaPool, Model, assumption};
use crate::sim::units::{Millis, Rps, Seconds};

impl Sim<'_> {
    /// A fluid step ends at `now`: account for it, evaluate scaling, update sessions, and close the
    /// timeline interval when one ends.
    pub(super) fn tick(&mut self) {
        let t = self.now;
        let dt = t - self.last_tick;
        if dt > 0.0 {
            self.fluid_step(self.last_tick, dt);
            self.ledger.ticks_since_point += 1;
        }
        self.last_tick = t;
        if t > 0.0 && (t / ASG_PERIOD_S).fract() == 0.0 {
            self.evaluate_scaling();
        }
        self.update_sessions(dt);
        self.prepare_walk();
        let step = self.m.timeline_step_s;
        if t > 0.0 && ((t / step).fract() == 0.0 || t >= self.m.horizon_s) {
            self.close_interval();
        }
        self.ticks += 1;
        let next = (t + self.m.tick_s).min(self.m.horizon_s);
        self.next_tick = (next > t).then_some(next);
    }

    /// Requests per second reaching compute right now (for in-flight counts at a kill).
    pub(super) fn compute_rate(&self) -> f64 {
        self.rate * (1.0 - self.walk.f_front)
    }

    /// What the walk applies until the next step: the share the front door throttles and the share the
    /// session store refuses.
    fn prepare_walk(&mut self) {
        let m = self.m;
        let t = self.now;
        self.rate = if self.full {
            self.rate
        } else {
            self.rate_at = Some(t);
            m.profile.rate(t + m.tick_s / 2.0)
        };
        self.walk.f_front = match m.front.as_ref().and_then(|f| f.throttle) {
            Some((steady, burst)) if self.rate > 0.0 => {
                let arrivals = self.rate * m.tick_s;
                let allowed = arrivals
                    .min(self.stores.apigw_bucket.max(0.0) + steady * m.tick_s)
                    .min(burst + steady * m.tick_s);
                1.0 - allowed / arrivals
            }
            _ => 0.0,
        };
        self.walk.f_store = self
            .stores
            .dynamo_throttle(m, self.rate * (1.0 - self.walk.f_front))
            .0;
    }

    fn fluid_step(&mut self, from: f64, dt: f64) {
        let m = self.m;
        let arrivals = self.arrivals(from, dt);
        let mut errors = super::Failures::default();
        let mut pass = self.front_step(arrivals, dt, &mut errors);
        pass = match &m.compute {
            Compute::Instances(p) => self.instances_step(p, pass, dt, &mut errors),
            Compute::Lambda(l) => self.lambda_step(l, pass, dt, &mut errors),
            Compute::None => pass,
        };
        pass = self.stores_step(from, dt, pass, &mut errors);
        self.database_step(pass, dt);

        let sessions = self.sessions_now();
        self.ledger.out.usage.session_seconds += sessions * dt;
        self.ledger.out.usage.peak_sessions = self.ledger.out.usage.peak_sessions.max(sessions);

        if !self.full {
            let f = &mut self.ledger.out.failures;
            f.front_throttled += errors.front_throttled;
            f.lambda_throttled += errors.lambda_throttled;
            f.store_throttled += errors.store_throttled;
            f.store_unavailable += errors.store_unavailable;
            f.timeouts += errors.timeouts;
            f.dead_server += errors.dead_server;
            f.db_connections += errors.db_connections;
            self.ledger.interval.errors += errors.total();
        }
    }

    /// The requests that arrive over the step (accounted in the usage and the timeline), the edge's
    /// answers aside.
    fn arrivals(&mut self, from: f64, dt: f64) -> f64 {
        let m = self.m;
        let rate = if self.full {
            let r = self.walk.arrivals_this_tick as f64 / dt;
            self.walk.arrivals_this_tick = 0;
            self.rate = r;
            r
        } else if dt == super::TICK_S && self.rate_at == Some(from) {
            // prepare_walk evaluated the profile at this step's midpoint: mean_rate over one 10 s
            // step is exactly that value
            self.rate
        } else {
            m.profile.mean_rate(from, from + dt)
        };
        let arrivals = rate * dt;
        // the origin's arrivals are the misses: for each, hit / (1 − hit) answered at the edge
        let edge_hits = m
            .edge
            .as_ref()
            .map_or(0.0, |e| arrivals * e.hit / (1.0 - e.hit));
        let u = &mut self.ledger.out.usage;
        u.requests += arrivals;
        u.edge_hits += edge_hits;
        self.ledger.interval.requests += arrivals;
        // the timeline plots the traffic users offer, the edge's answers included
        self.ledger.interval_rate_sum += arrivals + edge_hits;
        arrivals
    }

    /// The front door: its throttle, and what it bills. Returns the requests it passes on.
    fn front_step(&mut self, arrivals: f64, dt: f64, errors: &mut super::Failures) -> f64 {
        let m = self.m;
        let mut pass = arrivals;
        if let Some((steady, burst)) = m.front.as_ref().and_then(|f| f.throttle) {
            let available = self.stores.apigw_bucket.max(0.0) + steady * dt;
            let allowed = pass.min(available);
            self.stores.apigw_bucket = (available - allowed).min(burst);
            errors.front_throttled = pass - allowed;
            pass = allowed;
        }
        let u = &mut self.ledger.out.usage;
        u.compute_requests += pass;
        let rps = pass / dt;
        u.data_out_gb += pass * m.inputs.payload_kb / 1e6;
        if m.front.as_ref().is_some_and(|f| f.kind == FrontKind::Alb) {
            let per_conn = assumption("alb-requests-per-connection");
            let new_conns = rps / per_conn / 25.0;
            let active = rps / per_conn * 60.0 / 3000.0;
            let gb_per_hour = rps * 3600.0 * (m.inputs.payload_kb + m.request_kb) / 1e6;
            u.alb_lcu_hours += new_conns.max(active).max(gb_per_hour) * dt / 3600.0;
        }
        pass
    }

    /// A fleet of servers: the dead ones' share, the queues, and the instance-seconds billed.
    /// Returns the requests served.
    fn instances_step(
        &mut self,
        p: &InstancePool,
        mut pass: f64,
        dt: f64,
        errors: &mut super::Failures,
    ) -> f64 {
        let m = self.m;
        let s = m.service_ms.mean() / 1000.0;
        let mu = f64::from(p.workers) / s.max(1e-12);
        let routable = self.fleet.serving.len() as f64 + f64::from(self.fleet.dead_routable);
        if routable == 0.0 {
            errors.timeouts += pass;
            pass = 0.0;
        } else if self.fleet.dead_routable > 0 {
            let dead = pass * f64::from(self.fleet.dead_routable) / routable;
            pass -= dead;
            let records: Vec<usize> = self
                .fleet
                .inst
                .iter()
                .enumerate()
                .filter(|(_, i)| i.state == super::InstState::Dead)
                .filter_map(|(k, _)| self.record_of(k as u32))
                .collect();
            if !self.full {
                let each = dead / records.len().max(1) as f64;
                for r in &records {
                    if let Some(rec) = self.ledger.out.chaos.get_mut(*r) {
                        rec.requests_failed += each.round() as u64;
                    }
                }
            }
            errors.dead_server += dead;
        }
        let offered = pass / dt;
        let n = self.fleet.serving.len() as f64;
        let util = if !self.fleet.backlogged && offered * self.fleet.max_share <= mu {
            // no server is past its capacity and none has a queue left over: each one's
            // utilisation is its share over its capacity, and nothing backs up (a large
            // fleet costs the same as a small one here)
            offered / mu
        } else {
            let mut util = 0.0;
            let mut backlogged = false;
            let cap = mu * m.timeout_s;
            for &i in &self.fleet.serving {
                let lambda_i = offered * self.fleet.share(i);
                let inst = &mut self.fleet.inst[i as usize];
                util += lambda_i.min(mu) / mu;
                inst.backlog = (inst.backlog + (lambda_i - mu) * dt).max(0.0);
                if inst.backlog > cap {
                    errors.timeouts += inst.backlog - cap;
                    inst.backlog = cap;
                }
                backlogged |= inst.backlog > 0.0;
            }
            self.fleet.backlogged = backlogged;
            util
        };
        if n > 0.0 {
            self.fleet.util_sum += util / n;
            self.fleet.util_n += 1;
        }
        let billed = self.fleet.live_count() as f64;
        self.ledger.out.usage.instance_seconds += billed * dt;
        pass
    }

    /// Lambda's pool of environments: throttles, cold starts, the GB-seconds billed and the
    /// connections the database refuses. Returns the requests served.
    fn lambda_step(
        &mut self,
        l: &LambdaPool,
        mut pass: f64,
        dt: f64,
        errors: &mut super::Failures,
    ) -> f64 {
        let m = self.m;
        let d = (m.service_ms.mean() + m.io_mean_ms()) / 1000.0;
        let need = pass / dt * d;
        let (throttled, cold) = self.lambda.step(l, m.tick_s, need, dt);
        errors.lambda_throttled = pass * throttled;
        pass -= errors.lambda_throttled;
        let u = &mut self.ledger.out.usage;
        u.lambda_invocations += pass;
        // billed per 1 ms, rounded up; the init of a cold start is billed too
        let billed_s = (d * 1000.0).ceil() / 1000.0;
        u.lambda_gb_seconds +=
            pass * billed_s * l.memory_gb + cold * l.cold_start_ms.mean() / 1000.0 * l.memory_gb;
        if !self.full {
            u.lambda_cold_starts += cold;
            self.ledger.interval.cold_starts += cold;
        }
        // environments past the database's connection limit get no connection: the
        // requests they run fail once compute has run (and Lambda has billed) them
        let refused = self.lambda.share_without_connection(m);
        errors.db_connections = pass * refused;
        pass -= errors.db_connections;
        pass
    }

    /// The session store, called from compute: a refused or unreachable store fails the request
    /// after compute has run it (and Lambda has billed it). Returns the requests that get through.
    fn stores_step(
        &mut self,
        from: f64,
        dt: f64,
        mut pass: f64,
        errors: &mut super::Failures,
    ) -> f64 {
        let m = self.m;
        if self.needs_store() && self.stores.store_down_until > from {
            let overlap = (self.stores.store_down_until.min(from + dt) - from).max(0.0) / dt;
            errors.store_unavailable = pass * overlap;
            pass -= errors.store_unavailable;
        }
        if m.dynamo.is_some() {
            let (f, _, _) = self.stores.dynamo_throttle(m, pass / dt);
            errors.store_throttled = pass * f;
            pass -= errors.store_throttled;
            let (rcu, wcu) = m.dynamo_demand(pass / dt);
            self.ledger.out.usage.dynamodb_read_units += rcu * dt;
            self.ledger.out.usage.dynamodb_write_units += wcu * dt;
            self.stores.served_by_dynamo(from + dt, rcu, wcu);
        }
        pass
    }

    /// The database's serverless capacity and I/O, billed for the queries of the requests served.
    fn database_step(&mut self, pass: f64, dt: f64) {
        let m = self.m;
        if let Some(db) = m
            .database
            .as_ref()
            .filter(|db| db.service == "aurora-serverless")
        {
            let qps = pass / dt * db.queries;
            let acu = (qps / assumption("aurora-queries-per-acu"))
                .max(m.aurora_min_acu)
                .max(0.5);
            let acu = (acu * 2.0).ceil() / 2.0;
            self.ledger.out.usage.aurora_acu_seconds += acu * dt;
            self.ledger.out.usage.aurora_io += qps * dt * assumption("aurora-io-per-query");
        }
    }

    /// Writes the timeline point of the interval that ends now.
    pub(super) fn close_interval(&mut self) {
        let step = self.m.timeline_step_s;
        let elapsed = f64::from(self.ledger.ticks_since_point) * self.m.tick_s;
        let start = (self.now - elapsed.min(step)).max(0.0);
        let span = (self.now - start).max(1e-9);
        let instances = match &self.m.compute {
            Compute::Instances(_) => self.fleet.serving.len() as f64,
            Compute::Lambda(_) if self.full => f64::from(self.lambda.total),
            Compute::Lambda(_) => self.lambda.pool,
            Compute::None => 0.0,
        };
        self.ledger.out.peak_instances = self.ledger.out.peak_instances.max(instances);
        let h = &self.ledger.window_hist;
        self.ledger.out.timeline.push(TimelinePoint {
            t_s: Seconds(start),
            rps: Rps(self.ledger.interval_rate_sum / span),
            instances,
            pending: f64::from(self.fleet.pending_count()),
            p50_ms: h.quantile(0.5),
            p99_ms: h.quantile(0.99),
            samples: h.count(),
            errors: self.ledger.interval.errors.round() as u64,
            sessions_lost: self.ledger.interval.sessions_lost,
            cold_starts: self.ledger.interval.cold_starts.round() as u64,
        });
        if h.count() == 0
            && let Some(p) = self.ledger.out.timeline.last_mut()
        {
            p.p50_ms = Millis(0.0);
            p.p99_ms = Millis(0.0);
        }
        self.ledger.window_hist.reset();
        self.ledger.interval = Default::default();
        self.ledger.interval_rate_sum = 0.0;
        self.ledger.ticks_since_point = 0;
    }
}

impl Stores {
    /// DynamoDB on demand: a new table serves what its initial partitions allow, and instantly up to
    /// double the peak it saw more than 30 minutes ago; beyond that, requests are throttled.
    /// Returns (throttled share, read units/s, write units/s).
    pub(super) fn dynamo_throttle(&self, m: &Model, rps: f64) -> (f64, f64, f64) {
        if m.dynamo.is_none() {
            return (0.0, 0.0, 0.0);
        }
        let (rcu, wcu) = m.dynamo_demand(rps);
        let (cap_r, cap_w) = m.dynamo_capacity(self.dynamo_peak_before);
        let f = (1.0 - cap_r / rcu.max(1e-12))
            .max(1.0 - cap_w / wcu.max(1e-12))
            .clamp(0.0, 1.0);
        (f, rcu, wcu)
    }

    /// The table served `rcu` and `wcu` units/s up to `at`: what it served more than 30 minutes
    /// before becomes the peak it can double at once.
    fn served_by_dynamo(&mut self, at: f64, rcu: f64, wcu: f64) {
        self.dynamo_recent.push_back((at, rcu, wcu));
        while let Some(&(t, r, w)) = self.dynamo_recent.front() {
            if t > at - 1800.0 {
                break;
            }
            self.dynamo_peak_before.0 = self.dynamo_peak_before.0.max(r);
            self.dynamo_peak_before.1 = self.dynamo_peak_before.1.max(w);
            self.dynamo_recent.pop_front();
        }
    }
}
