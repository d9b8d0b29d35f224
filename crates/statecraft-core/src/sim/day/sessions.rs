//! Sessions held in servers' memory behind a sticky load balancer (open traffic, fluid level), kept as
//! per-zone aggregates so that a step costs the number of zones, not the size of the fleet.
//!
//! Every server in service is treated alike: each step, sessions end at the same pace on every server
//! (a share `pace` of what each holds), new sessions are spread evenly over the servers in service, and
//! when the traffic falls faster than sessions end, every server sheds the same share. So a server's
//! sessions depend only on when it entered service:
//!
//!   held(server) = g − p · base(server)
//!
//! where `g` is what a server in service since the start would hold, `p` the product of every
//! step's shrink factor, and `base = g / p` at the moment the server entered service (it then holds
//! none). A zone keeps its count of servers and the sum of their bases, so its sessions are
//! `n · g − p · Σ base`, and a step only updates `g` and `p`.

/// One zone's servers in service, as far as sessions go.
#[derive(Clone, Copy, Debug, Default)]
struct Zone {
    servers: u32,
    base_sum: f64,
}

/// The sessions in the servers' memory, per zone.
#[derive(Clone, Debug)]
pub(crate) struct StickySessions {
    g: f64,
    p: f64,
    zones: Vec<Zone>,
    /// The smallest base in service (the oldest server: it holds the most), if known.
    min_base: Option<f64>,
}

/// Below this, `p` is folded into the bases (see [`StickySessions::needs_rebase`]).
const REBASE_BELOW: f64 = 1e-150;

impl StickySessions {
    pub fn new(zones: usize) -> StickySessions {
        StickySessions {
            g: 0.0,
            p: 1.0,
            zones: vec![Zone::default(); zones.max(1)],
            min_base: Some(f64::INFINITY),
        }
    }

    /// A server enters service in `zone`, holding no session yet; returns its base.
    pub fn enter(&mut self, zone: usize) -> f64 {
        let base = self.g / self.p;
        let z = &mut self.zones[zone];
        z.servers += 1;
        z.base_sum += base;
        if let Some(m) = &mut self.min_base {
            *m = m.min(base);
        }
        base
    }

    /// A server leaves service (killed, scaled in): its sessions go with it. Returns how many it held.
    pub fn leave(&mut self, zone: usize, base: f64) -> f64 {
        let held = self.held(base);
        let z = &mut self.zones[zone];
        z.servers = z.servers.saturating_sub(1);
        z.base_sum -= base;
        if z.servers == 0 {
            // no rounding left behind in an empty zone
            z.base_sum = 0.0;
        }
        if self.min_base == Some(base) {
            self.min_base = None;
        }
        held
    }

    /// Sessions held by a server of this base.
    pub fn held(&self, base: f64) -> f64 {
        (self.g - self.p * base).max(0.0)
    }

    pub fn servers(&self) -> u32 {
        self.zones.iter().map(|z| z.servers).sum()
    }

    /// Every session in the servers' memory.
    pub fn total(&self) -> f64 {
        self.zones
            .iter()
            .map(|z| (f64::from(z.servers) * self.g - self.p * z.base_sum).max(0.0))
            .sum()
    }

    /// One step: a share `pace` of every server's sessions ends, then new sessions (or a proportional
    /// shedding) bring the total to `target`.
    pub fn step(&mut self, pace: f64, target: f64) {
        let n = self.servers();
        if n == 0 {
            return;
        }
        let keep = (1.0 - pace).clamp(0.0, 1.0);
        self.g *= keep;
        self.p *= keep;
        let current = self.total();
        if target > current {
            self.g += (target - current) / f64::from(n);
        } else if target < current && current > 0.0 {
            let f = target / current;
            self.g *= f;
            self.p *= f;
        }
    }

    /// The share of the sessions a server of this base holds (an even share when none is held).
    pub fn share(&self, base: f64) -> f64 {
        let total = self.total();
        if total > 0.0 {
            self.held(base) / total
        } else {
            1.0 / f64::from(self.servers().max(1))
        }
    }

    /// The largest share one server holds, given the bases in service when the oldest is not known.
    pub fn max_share(&mut self, bases: impl Iterator<Item = f64>) -> f64 {
        let min = match self.min_base {
            Some(m) => m,
            None => {
                let m = bases.fold(f64::INFINITY, f64::min);
                self.min_base = Some(m);
                m
            }
        };
        if self.servers() == 0 {
            return 1.0;
        }
        if min.is_finite() {
            self.share(min)
        } else {
            1.0 / f64::from(self.servers().max(1))
        }
    }

    /// Whether `p` has shrunk so far that the bases should absorb it ([`Self::rebase`]).
    pub fn needs_rebase(&self) -> bool {
        self.p < REBASE_BELOW
    }

    /// Folds `p` into the bases: each server's base is multiplied by the returned factor.
    pub fn rebase(&mut self) -> f64 {
        let f = self.p;
        for z in &mut self.zones {
            z.base_sum *= f;
        }
        if let Some(m) = &mut self.min_base {
            *m *= f;
        }
        self.p = 1.0;
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_sessions_spread_evenly_and_a_leaving_server_takes_its_own() {
        let mut s = StickySessions::new(2);
        let a = s.enter(0);
        let b = s.enter(1);
        s.step(0.0, 1000.0);
        assert!((s.held(a) - 500.0).abs() < 1e-9);
        // a new server starts empty and fills only with new sessions
        let c = s.enter(0);
        assert_eq!(s.held(c), 0.0);
        s.step(0.1, 1000.0);
        assert!((s.total() - 1000.0).abs() < 1e-9);
        assert!(s.held(a) > s.held(c));
        assert!((s.held(a) - s.held(b)).abs() < 1e-9);
        let lost = s.leave(0, a);
        assert!((lost - (450.0 + 100.0 / 3.0)).abs() < 1e-9, "{lost}");
        assert!((s.total() - (1000.0 - lost)).abs() < 1e-9);
    }

    #[test]
    fn rebasing_keeps_every_count() {
        let mut s = StickySessions::new(1);
        let a = s.enter(0);
        s.step(0.0, 100.0);
        let b = s.enter(0);
        s.step(0.5, 100.0);
        let (ha, hb) = (s.held(a), s.held(b));
        let f = s.rebase();
        assert!((s.held(a * f) - ha).abs() < 1e-9);
        assert!((s.held(b * f) - hb).abs() < 1e-9);
    }
}
