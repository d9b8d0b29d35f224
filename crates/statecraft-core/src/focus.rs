//! FOCUS, the FinOps Foundation's open cost and usage format, as AWS Data Exports writes it ("FOCUS
//! 1.0 with AWS columns"): the simulated month written as a FOCUS CSV, and a team's real FOCUS export
//! read back so a decision record's predictions can be set against what was billed.
//!
//! - [`columns`]: the FOCUS 1.0 columns, and the AWS product names and FOCUS service categories of
//!   the services the knowledge prices.
//! - [`write`]: a simulation's bill as one row per bill line and day of a billing month.
//! - [`read`]: a FOCUS CSV summed per service, price and region, with every refused or skipped row
//!   said plainly (another provider, a foreign currency).
//! - [`compare`]: a record's predictions against an observed bill: per service the predicted band,
//!   what was billed and whether it lies outside; and the usage the bill implies.
//! - [`metrics`]: a CloudWatch export's requests and p99, which a bill cannot tell.

pub mod columns;
pub mod compare;
pub mod metrics;
pub mod read;
pub mod write;

pub use compare::{Comparison, Implied, ObservedLine, compare};
pub use metrics::{ObservedMetrics, read_metrics};
pub use read::{ObservedBill, read_file};
pub use write::{BillingMonth, write_csv};
