//! What a simulated day gives back: the timeline, the failures by cause, the usage the bill is
//! priced from, the chaos events' records and the day's totals.

use serde::Serialize;

use super::super::stats::Latency;
use super::super::units::{Millis, Rps, Seconds};

/// One point of the timeline: the interval starting at `t_s`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct TimelinePoint {
    pub t_s: Seconds,
    /// Mean offered rate over the interval.
    pub rps: Rps,
    /// Instances in service (Lambda: warm execution environments) at the end of the interval.
    pub instances: f64,
    /// Instances launched and still warming up.
    pub pending: f64,
    pub p50_ms: Millis,
    pub p99_ms: Millis,
    /// Requests the interval's percentiles come from (0: no traffic to sample).
    pub samples: u64,
    pub errors: u64,
    pub sessions_lost: u64,
    pub cold_starts: u64,
}

/// Failed requests by cause.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Failures {
    /// API Gateway's account throttle (429).
    pub front_throttled: f64,
    /// Lambda's concurrency limit or scale-up rate (429).
    pub lambda_throttled: f64,
    /// DynamoDB partition limits (ProvisionedThroughputExceeded after retries).
    pub store_throttled: f64,
    /// Sent to a server that had died, before its health check failed (502).
    pub dead_server: f64,
    /// The session store was failing over.
    pub store_unavailable: f64,
    /// Waited past the timeout (504), or no server in service (503).
    pub timeouts: f64,
    /// The database refused the connection: more function environments, each holding its own
    /// connection, than its `max_connections` (no RDS Proxy pools them).
    pub db_connections: f64,
}

impl Failures {
    pub fn total(&self) -> f64 {
        self.front_throttled
            + self.lambda_throttled
            + self.store_throttled
            + self.dead_server
            + self.store_unavailable
            + self.timeouts
            + self.db_connections
    }
}

/// What the run used, for the bill (over the horizon; `cost` scales it to a month).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Usage {
    pub horizon_s: f64,
    /// Requests that reached the origin (the front door the day simulates).
    pub requests: f64,
    /// Requests a CDN in front of the compute tier answered from its caches (not in `requests`).
    pub edge_hits: f64,
    /// Requests that reached compute (past the front door's throttle).
    pub compute_requests: f64,
    /// Instance (or task, or node) seconds, billed from launch.
    pub instance_seconds: f64,
    pub lambda_invocations: f64,
    /// Billed Lambda compute, init of cold starts included.
    pub lambda_gb_seconds: f64,
    pub lambda_cold_starts: f64,
    pub dynamodb_read_units: f64,
    pub dynamodb_write_units: f64,
    pub alb_lcu_hours: f64,
    pub aurora_acu_seconds: f64,
    pub aurora_io: f64,
    pub data_out_gb: f64,
    /// Session-seconds (WebSocket connection time, cache sizing).
    pub session_seconds: f64,
    pub peak_sessions: f64,
}

/// What a chaos event did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChaosRecord {
    pub at_s: Seconds,
    pub event: String,
    pub effect: String,
    pub sessions_lost: u64,
    pub carts_lost: u64,
    pub requests_failed: u64,
}

/// The outcome of a run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DayOutcome {
    pub latency: Latency,
    pub timeline: Vec<TimelinePoint>,
    pub failures: Failures,
    pub requests_failed: u64,
    pub sessions_lost: u64,
    pub carts_lost: u64,
    pub cart_items_lost: u64,
    /// Population runs: items users put in carts, items still in carts at the end, and items in carts
    /// whose session expired while idle (not a loss). added = held + lost + expired, exactly.
    pub cart_items_added: u64,
    pub cart_items_held: u64,
    pub cart_items_expired: u64,
    /// Sessions lost when scaling in removed a server that held them.
    pub sessions_lost_to_scale_in: u64,
    /// Sessions a killed or removed server held in its memory that its journal restored on the
    /// servers that took its users (not lost).
    pub sessions_restored: u64,
    pub cold_starts: u64,
    pub usage: Usage,
    pub chaos: Vec<ChaosRecord>,
    /// Requests walked one by one.
    pub walked_requests: u64,
    pub events: u64,
    pub full: bool,
    /// Peak instances in service (Lambda: environments).
    pub peak_instances: f64,
}

impl DayOutcome {
    /// Every request of the run: those the origin saw (each one walked, or the fluid count) and
    /// those a CDN answered from its caches.
    pub fn requests_total(&self) -> f64 {
        let origin = if self.full {
            self.walked_requests as f64
        } else {
            self.usage.requests
        };
        origin + self.usage.edge_hits
    }
}
