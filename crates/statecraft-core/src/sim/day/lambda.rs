//! Lambda in the simulated day: the execution environments (a warm pool that grows toward the need at
//! the scale-up rate, up to the concurrency limit, and is reclaimed once idle), the fluid step's pool and
//! cold starts, and the walk's request-by-request environments (a cold one when none is idle, a 429 when
//! the limit or the scale-up rate refuses).

use std::collections::VecDeque;

use super::fleet::FailKind;
use super::{Ev, Sim};
use crate::sim::dist;
use crate::sim::model::{Compute, LambdaPool, Model};

/// Lambda's execution environments: the warm pool (fluid level), the scale-up allowance, and the
/// walk's idle and busy environments.
pub(crate) struct Environments {
    /// Warm environments (fluid level).
    pub pool: f64,
    /// Concurrency needed over the recent steps, to know which environments stay warm: a sliding
    /// maximum, (step, need) with needs decreasing, so the largest is the front (not a scan a step).
    pub recent_need: VecDeque<(u64, f64)>,
    pub steps: u64,
    /// New environments allowed right now (scale-up rate).
    pub tokens: f64,
    // the walk's state: idle environments by the time they were last used, oldest first
    pub idle: VecDeque<f64>,
    pub total: u32,
    /// Environments the walk has busy, and its scale-up allowance.
    pub busy: u32,
    pub walk_tokens: f64,
    pub walk_tokens_at: f64,
}

impl Environments {
    /// The share of warm environments without a database connection: each holds its own, and the
    /// database accepts `max_connections` (none without a limit, as behind RDS Proxy).
    pub(super) fn share_without_connection(&self, m: &Model) -> f64 {
        match m.max_connections() {
            Some(max) if self.pool > max => 1.0 - max / self.pool,
            _ => 0.0,
        }
    }

    /// Lambda's pool for one step: environments grow toward the need (plus Poisson headroom) at the
    /// scale-up rate up to the concurrency limit, and idle ones are reclaimed once unused for a while.
    /// Returns (throttled share, cold starts).
    pub(super) fn step(&mut self, l: &LambdaPool, tick_s: f64, need: f64, dt: f64) -> (f64, f64) {
        let limit = f64::from(l.limit);
        let target = (need + 3.0 * need.sqrt()).ceil().min(limit);
        let keep = (l.idle_reclaim_s / tick_s).ceil().max(1.0) as usize;
        // the largest need of the last `keep` steps, this one included
        let step = self.steps;
        self.steps += 1;
        let recent = &mut self.recent_need;
        while recent.back().is_some_and(|&(_, v)| v <= target) {
            recent.pop_back();
        }
        recent.push_back((step, target));
        while recent
            .front()
            .is_some_and(|&(at, _)| at + keep as u64 <= step)
        {
            recent.pop_front();
        }
        // the allowance refills every 10 s and does not pile up beyond one step's worth
        self.tokens = (self.tokens + l.scale_up_per_10s * dt / 10.0)
            .min(l.scale_up_per_10s * (tick_s / 10.0).max(1.0));
        let mut cold = 0.0;
        let pool = self.pool;
        if target > pool {
            let grow = (target - pool).min(self.tokens).min(limit - pool).max(0.0);
            self.pool += grow;
            self.tokens -= grow;
            cold = grow;
        } else {
            let warm = self.recent_need.front().map_or(0.0, |&(_, v)| v.max(0.0));
            self.pool = pool.min(warm);
        }
        let throttled = if need > self.pool && need > 0.0 {
            1.0 - self.pool / need
        } else {
            0.0
        };
        (throttled, cold)
    }
}

impl Sim<'_> {
    pub(super) fn lambda_arrival(&mut self, user: u32, arrival: f64, record: bool) {
        let Compute::Lambda(l) = &self.m.compute else {
            return;
        };
        let hold = (self.m.service_ms.sample(&mut self.rng) + self.io_ms()) / 1000.0;
        // reclaim environments idle too long (only matters when every request is walked)
        while let Some(&oldest) = self.lambda.idle.front() {
            if self.now - oldest <= l.idle_reclaim_s {
                break;
            }
            self.lambda.idle.pop_front();
            self.lambda.total = self.lambda.total.saturating_sub(1);
        }
        let hold = if self.lambda.idle.pop_back().is_some() {
            hold
        } else {
            self.lambda.walk_tokens = (self.lambda.walk_tokens
                + l.scale_up_per_10s * (self.now - self.lambda.walk_tokens_at) / 10.0)
                .min(l.scale_up_per_10s);
            self.lambda.walk_tokens_at = self.now;
            if self.lambda.total < l.limit && self.lambda.walk_tokens >= 1.0 {
                self.lambda.walk_tokens -= 1.0;
                self.lambda.total += 1;
                self.interval_walk_cold(1.0);
                hold + l.cold_start_ms.sample(&mut self.rng) / 1000.0
            } else {
                return self.walk_failure(user, FailKind::Lambda, None);
            }
        };
        // an environment past the database's connection limit fails its request
        if let Some(max) = self.m.max_connections()
            && f64::from(self.lambda.total) > max
            && dist::uniform(&mut self.rng) < 1.0 - max / f64::from(self.lambda.total)
        {
            return self.walk_failure(user, FailKind::DbConnections, None);
        }
        self.lambda.busy += 1;
        self.ev.push(
            self.now + hold,
            Ev::LambdaDone {
                user,
                arrival,
                record,
            },
        );
    }

    /// Cold starts the walk sees are the run's count only when every request is walked; otherwise the
    /// fluid step counts them.
    fn interval_walk_cold(&mut self, n: f64) {
        if self.full {
            self.ledger.out.usage.lambda_cold_starts += n;
            self.ledger.interval.cold_starts += n;
        }
    }

    pub(super) fn lambda_done(&mut self, user: u32, arrival: f64, record: bool) {
        self.lambda.busy = self.lambda.busy.saturating_sub(1);
        self.lambda.idle.push_back(self.now);
        let ms = (self.now - arrival) * 1000.0 + self.front_ms();
        self.record(record, ms);
        self.user_success(user, None);
    }
}
