//! Service-time and delay distributions, sampled with `rand_distr` and a portable seeded generator
//! (xoshiro256++), so one seed gives the same numbers on every machine.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Exp1, StandardNormal};
use serde::{Deserialize, Serialize};

/// The simulator's generator: fast, portable, and the same stream for the same seed everywhere.
pub type SimRng = Xoshiro256PlusPlus;

/// A generator for `seed`, with `stream` selecting an independent sub-stream (one per Monte Carlo run,
/// per window, …) so that adding a run does not shift the numbers of the others.
pub fn rng(seed: u64, stream: u64) -> SimRng {
    SimRng::seed_from_u64(splitmix(
        seed ^ splitmix(stream.wrapping_add(0x9e37_79b9_7f4a_7c15)),
    ))
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// How service times vary around their mean.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ServiceDist {
    /// Exponential (the M in M/M/c): the only one with a closed form for every quantile.
    #[default]
    Exp,
    /// Every request takes exactly the mean.
    Det,
    /// Lognormal with a given coefficient of variation (a long right tail, as real request times have).
    Lognormal,
}

impl ServiceDist {
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceDist::Exp => "exp",
            ServiceDist::Det => "det",
            ServiceDist::Lognormal => "lognormal",
        }
    }
}

/// A positive random duration (in whatever unit its mean is given), ready to sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Sampler {
    Constant(f64),
    Exp {
        mean: f64,
    },
    /// exp(mu + sigma·Z)
    Lognormal {
        mu: f64,
        sigma: f64,
    },
}

impl Sampler {
    /// A service time with `mean` and the given shape (`cv` is used by the lognormal only).
    pub fn service(dist: ServiceDist, mean: f64, cv: f64) -> Sampler {
        match dist {
            ServiceDist::Det => Sampler::Constant(mean),
            ServiceDist::Exp => Sampler::Exp { mean },
            ServiceDist::Lognormal => {
                let sigma2 = (1.0 + cv * cv).ln();
                Sampler::Lognormal {
                    mu: mean.max(f64::MIN_POSITIVE).ln() - sigma2 / 2.0,
                    sigma: sigma2.sqrt(),
                }
            }
        }
    }

    /// A lognormal delay with the given median and 99th percentile (how the knowledge base's latency
    /// figures are read: a typical value and a high one).
    pub fn from_median_p99(median: f64, p99: f64) -> Sampler {
        const Z99: f64 = 2.326_347_874;
        let median = median.max(1e-9);
        let sigma = ((p99.max(median) / median).ln() / Z99).max(0.05);
        Sampler::Lognormal {
            mu: median.ln(),
            sigma,
        }
    }

    pub fn mean(&self) -> f64 {
        match *self {
            Sampler::Constant(v) => v,
            Sampler::Exp { mean } => mean,
            Sampler::Lognormal { mu, sigma } => (mu + sigma * sigma / 2.0).exp(),
        }
    }

    #[inline]
    pub fn sample(&self, rng: &mut SimRng) -> f64 {
        match *self {
            Sampler::Constant(v) => v,
            Sampler::Exp { mean } => {
                let e: f64 = Exp1.sample(rng);
                mean * e
            }
            Sampler::Lognormal { mu, sigma } => {
                let z: f64 = StandardNormal.sample(rng);
                (mu + sigma * z).exp()
            }
        }
    }
}

/// The standard normal distribution's quantile at `p` in (0, 1): Acklam's rational approximation,
/// with a relative error under 1.2e-9 (the distribution crates at hand sample, but give no inverse).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const LOW: f64 = 0.024_25;
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - LOW {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// How many quantiles an [`Occasional`] delay keeps.
const OCCASIONAL_STEPS: usize = 128;

/// A delay that only some events pay (a new connection's handshake, a call that crosses zones),
/// drawn with one uniform number: below `share` it is paid, and the same number, rescaled, picks
/// the delay from its quantiles at evenly spaced probabilities. The walk draws one per request and
/// per store call, so this is the cheap way (no normal and no exponential to compute); the extreme
/// tail above the last step's probability (99.6 %) is cut.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Occasional {
    pub share: f64,
    quantiles: [f64; OCCASIONAL_STEPS],
}

impl Occasional {
    /// `delay`, paid by `share` of the events.
    pub fn new(share: f64, delay: Sampler) -> Occasional {
        let mut quantiles = [0.0; OCCASIONAL_STEPS];
        for (i, q) in quantiles.iter_mut().enumerate() {
            let p = (i as f64 + 0.5) / OCCASIONAL_STEPS as f64;
            *q = match delay {
                Sampler::Constant(v) => v,
                Sampler::Exp { mean } => -mean * (1.0 - p).ln(),
                Sampler::Lognormal { mu, sigma } => (mu + sigma * normal_quantile(p)).exp(),
            };
        }
        Occasional {
            share: share.clamp(0.0, 1.0),
            quantiles,
        }
    }

    /// Nobody pays it.
    pub fn never() -> Occasional {
        Occasional {
            share: 0.0,
            quantiles: [0.0; OCCASIONAL_STEPS],
        }
    }

    /// The delay one event adds: zero for the events that do not pay it.
    #[inline]
    pub fn draw(&self, rng: &mut SimRng) -> f64 {
        if self.share <= 0.0 {
            return 0.0;
        }
        let u = uniform(rng);
        if u >= self.share {
            return 0.0;
        }
        let i = (u / self.share * OCCASIONAL_STEPS as f64) as usize;
        self.quantiles[i.min(OCCASIONAL_STEPS - 1)]
    }

    /// The mean an event adds, over those that pay it and those that do not.
    pub fn mean(&self) -> f64 {
        self.share * self.quantiles.iter().sum::<f64>() / OCCASIONAL_STEPS as f64
    }
}

/// An exponential inter-arrival gap for `rate` events per unit of time.
#[inline]
pub fn exp_gap(rng: &mut SimRng, rate: f64) -> f64 {
    let e: f64 = Exp1.sample(rng);
    e / rate
}

/// A uniform number in [0, 1).
#[inline]
pub fn uniform(rng: &mut SimRng) -> f64 {
    rng.random::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_normal_quantile_matches_the_tables() {
        for (p, z) in [
            (0.5, 0.0),
            (0.975, 1.959_963_985),
            (0.99, 2.326_347_874),
            (0.999, 3.090_232_306),
            (0.01, -2.326_347_874),
            (0.001, -3.090_232_306),
        ] {
            assert!(
                (normal_quantile(p) - z).abs() < 1e-6,
                "{p}: {}",
                normal_quantile(p)
            );
        }
    }

    #[test]
    fn an_occasional_delay_is_paid_by_its_share_with_its_distribution() {
        let hop = Sampler::from_median_p99(0.8, 2.0);
        let o = Occasional::new(2.0 / 3.0, hop);
        let mut r = rng(7, 0);
        let n = 300_000;
        let draws: Vec<f64> = (0..n).map(|_| o.draw(&mut r)).collect();
        let paid: Vec<f64> = draws.iter().copied().filter(|d| *d > 0.0).collect();
        let share = paid.len() as f64 / n as f64;
        assert!((share - 2.0 / 3.0).abs() < 0.01, "{share}");
        let mut sorted = paid.clone();
        sorted.sort_by(f64::total_cmp);
        let median = sorted[sorted.len() / 2];
        assert!((median - 0.8).abs() < 0.02, "{median}");
        let mean = draws.iter().sum::<f64>() / n as f64;
        assert!((mean - o.mean()).abs() / o.mean() < 0.01, "{mean}");
        // within 1 % of the lognormal's own mean (the cut tail above 99.6 % is small)
        assert!((o.mean() - 2.0 / 3.0 * hop.mean()).abs() / o.mean() < 0.01);
        assert_eq!(Occasional::never().draw(&mut r), 0.0);
    }

    #[test]
    fn lognormal_service_times_have_the_asked_mean() {
        let s = Sampler::service(ServiceDist::Lognormal, 50.0, 1.0);
        assert!((s.mean() - 50.0).abs() < 1e-9);
        let mut r = rng(1, 0);
        let n = 200_000;
        let mean = (0..n).map(|_| s.sample(&mut r)).sum::<f64>() / n as f64;
        assert!((mean - 50.0).abs() < 1.0, "{mean}");
    }

    #[test]
    fn streams_of_one_seed_differ_and_repeat() {
        let a: f64 = rng(7, 1).random();
        let b: f64 = rng(7, 2).random();
        assert_ne!(a, b);
        assert_eq!(a, rng(7, 1).random::<f64>());
    }
}
