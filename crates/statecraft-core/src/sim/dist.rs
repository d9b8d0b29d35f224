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
