//! Units that cross module boundaries: milliseconds, seconds, dollars and requests per second. Each is a
//! thin wrapper over `f64` so that a cost is never added to a latency by accident, and each serialises as
//! the bare number the command-line contract shows.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Mul, Sub};

use serde::{Deserialize, Serialize};

use crate::format;

macro_rules! unit {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub f64);

        impl $name {
            pub const ZERO: $name = $name(0.0);

            pub fn get(self) -> f64 {
                self.0
            }

            pub fn max(self, other: $name) -> $name {
                $name(self.0.max(other.0))
            }

            pub fn min(self, other: $name) -> $name {
                $name(self.0.min(other.0))
            }
        }

        impl Add for $name {
            type Output = $name;
            fn add(self, rhs: $name) -> $name {
                $name(self.0 + rhs.0)
            }
        }

        impl Sub for $name {
            type Output = $name;
            fn sub(self, rhs: $name) -> $name {
                $name(self.0 - rhs.0)
            }
        }

        impl AddAssign for $name {
            fn add_assign(&mut self, rhs: $name) {
                self.0 += rhs.0;
            }
        }

        impl Mul<f64> for $name {
            type Output = $name;
            fn mul(self, rhs: f64) -> $name {
                $name(self.0 * rhs)
            }
        }

        impl Sum for $name {
            fn sum<I: Iterator<Item = $name>>(iter: I) -> $name {
                $name(iter.map(|x| x.0).sum())
            }
        }
    };
}

unit!(
    /// A duration in milliseconds (latencies, service times).
    Millis
);
unit!(
    /// A duration or an instant in seconds (simulated time, warm-up, horizons).
    Seconds
);
unit!(
    /// US dollars.
    Usd
);
unit!(
    /// A rate in requests per second.
    Rps
);

impl Millis {
    pub fn to_seconds(self) -> Seconds {
        Seconds(self.0 / 1000.0)
    }
}

impl Seconds {
    pub fn to_millis(self) -> Millis {
        Millis(self.0 * 1000.0)
    }
}

impl fmt::Display for Usd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format::usd(self.0))
    }
}

impl fmt::Display for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // a run that answered nothing has no latency: say so rather than print 0 ms or NaN
        if !self.0.is_finite() {
            return f.write_str("none (nothing answered)");
        }
        write!(f, "{} ms", format::number(self.0))
    }
}

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} s", format::number(self.0))
    }
}

impl fmt::Display for Rps {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} requests/s", format::number(self.0))
    }
}
