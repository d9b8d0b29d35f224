//! Request profiles (figures.json, `profiles`): what one request of each kind of workload costs the
//! system — compute time, response and request sizes, store reads and writes, log volume, users per
//! request rate, data kept — each figure with the range it is known to, its basis, source and date.
//!
//! The scenario the answers describe starts from the profile of the answered workload
//! (`sim::from_answers`), so a DNS-style lookup and a media service are not simulated as the same
//! 50 ms, 20 KB web request. Loading checks that every workload the wizard offers has a profile.

use serde::{Deserialize, Serialize};

/// The question whose options name the profiles.
pub const WORKLOAD: &str = "workload";

/// One figure of a profile: a likely value and the range it is known to (the Monte Carlo bands draw
/// from it), with why it is that value and where that comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileFigure {
    pub value: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<f64>,
    /// How the value follows from the source (the arithmetic, or what was measured).
    pub basis: String,
    pub source: String,
    pub as_of: String,
    /// An engineer's estimate from the source rather than a figure the source states.
    #[serde(default)]
    pub estimate: bool,
}

impl ProfileFigure {
    pub fn low(&self) -> f64 {
        self.low.unwrap_or(self.value)
    }
    pub fn high(&self) -> f64 {
        self.high.unwrap_or(self.value)
    }
}

/// What one request of a kind of workload asks of the system.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The `workload` option it describes.
    pub id: String,
    pub what: String,
    /// CPU time of one request on one vCPU, without waiting on stores (ms).
    pub request_ms: ProfileFigure,
    /// Bytes sent back to the client per request (KB).
    pub response_kb: ProfileFigure,
    /// Bytes the client sends per request (KB).
    pub request_kb: ProfileFigure,
    /// Session-store reads per request (where the stack keeps sessions in a store).
    pub state_reads: ProfileFigure,
    /// Session-store writes per request: the share of requests that change the session.
    pub state_writes: ProfileFigure,
    /// Database queries per request, besides the session.
    pub db_queries: ProfileFigure,
    /// Of those queries, the writes (a stored reading, a posted entry): billed as writes.
    pub db_writes: ProfileFigure,
    /// Log written per request (KB).
    pub log_kb: ProfileFigure,
    /// Monthly active users per request/s of the peak.
    pub users_per_peak_rps: ProfileFigure,
    /// Data kept in the database (GB).
    pub stored_gb: ProfileFigure,
    /// Objects kept in S3 (GB) when the product stores or serves files.
    pub files_gb: ProfileFigure,
    /// Requests whose answer is the same for everyone and fresh for a minute or more (%): what a CDN
    /// in front of the servers or functions answers from its edge caches.
    pub edge_cacheable_pct: ProfileFigure,
}

/// A profile field: its name in the file, what it is, the range the loader accepts, and how to read it.
pub struct FieldSpec {
    pub name: &'static str,
    pub unit: &'static str,
    pub min: f64,
    pub max: f64,
    pub get: fn(&Profile) -> &ProfileFigure,
}

pub const FIELDS: &[FieldSpec] = &[
    FieldSpec {
        name: "request_ms",
        unit: "ms",
        min: 0.001,
        max: 60_000.0,
        get: |p| &p.request_ms,
    },
    FieldSpec {
        name: "response_kb",
        unit: "KB",
        min: 0.0,
        max: 100_000.0,
        get: |p| &p.response_kb,
    },
    FieldSpec {
        name: "request_kb",
        unit: "KB",
        min: 0.0,
        max: 100_000.0,
        get: |p| &p.request_kb,
    },
    FieldSpec {
        name: "state_reads",
        unit: "reads/request",
        min: 0.0,
        max: 100.0,
        get: |p| &p.state_reads,
    },
    FieldSpec {
        name: "state_writes",
        unit: "writes/request",
        min: 0.0,
        max: 100.0,
        get: |p| &p.state_writes,
    },
    FieldSpec {
        name: "db_queries",
        unit: "queries/request",
        min: 0.0,
        max: 100.0,
        get: |p| &p.db_queries,
    },
    FieldSpec {
        name: "db_writes",
        unit: "writes/request",
        min: 0.0,
        max: 100.0,
        get: |p| &p.db_writes,
    },
    FieldSpec {
        name: "log_kb",
        unit: "KB/request",
        min: 0.0,
        max: 1_024.0,
        get: |p| &p.log_kb,
    },
    FieldSpec {
        name: "users_per_peak_rps",
        unit: "users per request/s",
        min: 0.0,
        max: 1_000_000.0,
        get: |p| &p.users_per_peak_rps,
    },
    FieldSpec {
        name: "stored_gb",
        unit: "GB",
        min: 0.0,
        max: 1_000_000.0,
        get: |p| &p.stored_gb,
    },
    FieldSpec {
        name: "files_gb",
        unit: "GB",
        min: 0.0,
        max: 10_000_000.0,
        get: |p| &p.files_gb,
    },
    FieldSpec {
        name: "edge_cacheable_pct",
        unit: "%",
        min: 0.0,
        max: 100.0,
        get: |p| &p.edge_cacheable_pct,
    },
];
