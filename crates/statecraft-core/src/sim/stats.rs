//! Latency statistics in bounded memory: quantiles from an HDR histogram (0.1% resolution), the mean
//! from a running sum, never a vector of every request.

use hdrhistogram::Histogram;
use serde::Serialize;

use super::units::Millis;

/// Latencies recorded in microseconds, from 1 µs to one hour.
pub struct LatencyHist {
    hist: Histogram<u64>,
    sum_ms: f64,
    count: u64,
}

const MAX_US: u64 = 3_600_000_000;

impl LatencyHist {
    /// `sigfig` 3 for results (0.1%), 2 for the timeline's per-interval figures (1%, and cheaper to reset).
    pub fn new(sigfig: u8) -> LatencyHist {
        LatencyHist {
            // constant bounds and a clamped precision: within hdrhistogram's limits, so it cannot fail
            hist: Histogram::new_with_bounds(1, MAX_US, sigfig.clamp(1, 5))
                .expect("constant histogram bounds are valid"),
            sum_ms: 0.0,
            count: 0,
        }
    }

    #[inline]
    pub fn record(&mut self, ms: f64) {
        let us = (ms * 1000.0).round();
        let us = if us.is_finite() {
            us.clamp(1.0, MAX_US as f64) as u64
        } else {
            MAX_US
        };
        self.hist.saturating_record(us);
        self.sum_ms += ms;
        self.count += 1;
    }

    /// Records one latency standing for `weight` requests.
    #[inline]
    pub fn record_n(&mut self, ms: f64, weight: u64) {
        let us = (ms * 1000.0).round();
        let us = if us.is_finite() {
            us.clamp(1.0, MAX_US as f64) as u64
        } else {
            MAX_US
        };
        let _ = self.hist.record_n(us, weight);
        self.sum_ms += ms * weight as f64;
        self.count += weight;
    }

    pub fn add(&mut self, other: &LatencyHist) {
        // same bounds and precision by construction; a failure would only lose the other's counts
        let _ = self.hist.add(&other.hist);
        self.sum_ms += other.sum_ms;
        self.count += other.count;
    }

    pub fn reset(&mut self) {
        if self.count == 0 {
            // nothing recorded: clearing every bucket would only cost time
            return;
        }
        self.hist.reset();
        self.sum_ms = 0.0;
        self.count = 0;
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    pub fn mean(&self) -> Millis {
        Millis(if self.count == 0 {
            0.0
        } else {
            self.sum_ms / self.count as f64
        })
    }

    /// The `q` quantile (0–1), at the middle of its histogram bucket.
    pub fn quantile(&self, q: f64) -> Millis {
        if self.count == 0 {
            return Millis(0.0);
        }
        let v = self.hist.value_at_quantile(q);
        Millis(self.hist.median_equivalent(v) as f64 / 1000.0)
    }

    pub fn summary(&self) -> Latency {
        Latency {
            mean_ms: self.mean(),
            p50_ms: self.quantile(0.50),
            p95_ms: self.quantile(0.95),
            p99_ms: self.quantile(0.99),
            max_ms: if self.count == 0 {
                Millis(0.0)
            } else {
                Millis(self.hist.max() as f64 / 1000.0)
            },
            samples: self.count,
        }
    }
}

/// Latency percentiles of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Latency {
    pub mean_ms: Millis,
    pub p50_ms: Millis,
    pub p95_ms: Millis,
    pub p99_ms: Millis,
    pub max_ms: Millis,
    /// Requests the percentiles come from.
    pub samples: u64,
}

/// P10 / P50 / P90 of a list of values (nearest rank on the sorted list).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
}

impl Band {
    pub fn point(v: f64) -> Band {
        Band {
            p10: v,
            p50: v,
            p90: v,
        }
    }

    pub fn of(values: &mut [f64]) -> Band {
        if values.is_empty() {
            return Band::default();
        }
        values.sort_by(f64::total_cmp);
        let at = |q: f64| {
            let i = ((q * values.len() as f64).ceil() as usize).clamp(1, values.len()) - 1;
            values[i]
        };
        Band {
            p10: at(0.1),
            p50: at(0.5),
            p90: at(0.9),
        }
    }
}
