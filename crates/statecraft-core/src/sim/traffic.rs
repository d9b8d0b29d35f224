//! The daily shape of traffic: how the request rate moves over a day, as a share of the peak. Shapes
//! repeat every 24 hours, so a horizon longer than a day sees the same day again.

use serde::{Deserialize, Serialize};

/// Seconds in a day: shapes repeat with this period.
pub const DAY_S: f64 = 86_400.0;

/// Night-time traffic as a share of the business-hours peak.
const NIGHT_SHARE: f64 = 0.1;
/// Business hours: traffic rises from 07:00, peaks at 13:00 and falls back by 19:00.
const DAY_START_H: f64 = 7.0;
const DAY_LENGTH_H: f64 = 12.0;
/// The flash-sale burst ramps up and down over this many seconds rather than jumping.
const BURST_RAMP_S: f64 = 30.0;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    /// The peak rate all day.
    Flat,
    /// A night floor of 10% of the peak and a smooth business-hours hump peaking at 13:00.
    #[default]
    BusinessHours,
    /// Business hours at a fraction of the peak, plus a flash-sale burst that reaches the peak.
    Spiky,
}

impl Shape {
    pub fn as_str(self) -> &'static str {
        match self {
            Shape::Flat => "flat",
            Shape::BusinessHours => "business-hours",
            Shape::Spiky => "spiky",
        }
    }
}

/// A flash-sale burst: `multiplier` times the usual daily peak, from `at_s` for `duration_s`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Burst {
    #[serde(default = "default_burst_at")]
    pub at_s: f64,
    #[serde(default = "default_burst_duration")]
    pub duration_s: f64,
    #[serde(default = "default_burst_multiplier")]
    pub multiplier: f64,
}

fn default_burst_at() -> f64 {
    12.0 * 3600.0
}
fn default_burst_duration() -> f64 {
    900.0
}
fn default_burst_multiplier() -> f64 {
    5.0
}

impl Default for Burst {
    fn default() -> Self {
        Burst {
            at_s: default_burst_at(),
            duration_s: default_burst_duration(),
            multiplier: default_burst_multiplier(),
        }
    }
}

/// A shape with its peak: the rate at any second of the run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Profile {
    pub peak_rps: f64,
    pub shape: Shape,
    pub burst: Burst,
}

impl Profile {
    /// The rate at `t_s` seconds from the start (midnight).
    pub fn rate(&self, t_s: f64) -> f64 {
        self.peak_rps * self.share(t_s)
    }

    /// The rate as a share of the peak, in [0, 1].
    pub fn share(&self, t_s: f64) -> f64 {
        let t = t_s.rem_euclid(DAY_S);
        match self.shape {
            Shape::Flat => 1.0,
            Shape::BusinessHours => business_hours(t),
            Shape::Spiky => {
                let base = business_hours(t) / self.burst.multiplier.max(1.0);
                base.max(self.burst_share(t))
            }
        }
    }

    fn burst_share(&self, t: f64) -> f64 {
        let b = &self.burst;
        let (start, end) = (b.at_s, b.at_s + b.duration_s);
        if t < start || t > end {
            0.0
        } else {
            let ramp = BURST_RAMP_S.min(b.duration_s / 2.0).max(1e-9);
            ((t - start) / ramp).min((end - t) / ramp).clamp(0.0, 1.0)
        }
    }

    /// The mean rate over `[from, to)`, by the midpoint rule on 10-second steps (exact for flat traffic,
    /// within 0.01% for the smooth shapes).
    pub fn mean_rate(&self, from_s: f64, to_s: f64) -> f64 {
        if to_s <= from_s {
            return self.rate(from_s);
        }
        let steps = (((to_s - from_s) / 10.0).ceil() as usize).clamp(1, 1_000_000);
        let dt = (to_s - from_s) / steps as f64;
        (0..steps)
            .map(|i| self.rate(from_s + (i as f64 + 0.5) * dt))
            .sum::<f64>()
            / steps as f64
    }
}

/// Share of the peak during business hours: a raised-cosine hump over a night floor.
fn business_hours(t: f64) -> f64 {
    let h = t / 3600.0;
    let hump = if (DAY_START_H..=DAY_START_H + DAY_LENGTH_H).contains(&h) {
        let x = std::f64::consts::PI * (h - DAY_START_H) / DAY_LENGTH_H;
        x.sin().powi(2)
    } else {
        0.0
    };
    NIGHT_SHARE + (1.0 - NIGHT_SHARE) * hump
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(shape: Shape) -> Profile {
        Profile {
            peak_rps: 100.0,
            shape,
            burst: Burst::default(),
        }
    }

    #[test]
    fn business_hours_peak_at_one_pm_and_floor_at_night() {
        let p = profile(Shape::BusinessHours);
        assert!((p.rate(13.0 * 3600.0) - 100.0).abs() < 1e-9);
        assert!((p.rate(3.0 * 3600.0) - 10.0).abs() < 1e-9);
        // floor + half the hump for half the day
        let mean = p.mean_rate(0.0, DAY_S);
        assert!((mean - (10.0 + 90.0 * 0.5 * 0.5)).abs() < 0.01, "{mean}");
    }

    #[test]
    fn the_flash_sale_burst_reaches_the_peak() {
        let p = profile(Shape::Spiky);
        assert!((p.rate(12.0 * 3600.0 + 300.0) - 100.0).abs() < 1e-9);
        assert!(p.rate(11.0 * 3600.0) < 20.0);
    }
}
