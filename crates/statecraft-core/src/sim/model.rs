//! From a scenario and the knowledge base to the model the engine runs: the stack's request path as
//! hops with delay distributions, the compute pool and its scaling rules, the session store and its
//! limits. Figures come from `knowledge/figures.json`; the few the base lacks are listed in
//! [`ASSUMPTIONS`] and shown with every report, so each number stays traceable.

use crate::ids::StackId;
use serde::Serialize;

mod parts;

use super::dist::{Occasional, Sampler, SimRng};
use super::scenario::{ChaosEvent, LambdaArch, Population, Scenario};
use super::traffic::Profile;
use crate::knowledge::{ComputeKind, Knowledge, SessionPlacement, Stack};

/// A figure the simulator needs that the knowledge base does not (yet) hold.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Assumption {
    pub id: &'static str,
    pub what: &'static str,
    pub value: f64,
    pub unit: &'static str,
}

pub const ASSUMPTIONS: &[Assumption] = &[
    Assumption {
        id: "alb-added-latency",
        what: "Application Load Balancer added latency, median (p99 5 ms)",
        value: 1.0,
        unit: "ms",
    },
    Assumption {
        id: "cloudfront-edge-latency",
        what: "CloudFront edge cache hit, median (p99 60 ms)",
        value: 15.0,
        unit: "ms",
    },
    Assumption {
        id: "cloudfront-hit-latency",
        what: "CloudFront answering a cached response in front of the servers or functions, from the request reaching the edge, median (p99 10 ms); as for a regional front door, the client's own round trip is not counted",
        value: 2.0,
        unit: "ms",
    },
    Assumption {
        id: "rds-query-latency",
        what: "RDS / Aurora indexed query, median (p99 10 ms); the database is assumed sized for the load",
        value: 2.0,
        unit: "ms",
    },
    Assumption {
        id: "rds-commit-latency",
        what: "RDS / Aurora write that commits, median (p99 25 ms): the WAL written to storage and, Multi-AZ, the standby in another zone acknowledging it before the commit returns",
        value: 6.0,
        unit: "ms",
    },
    Assumption {
        id: "fargate-startup",
        what: "Fargate task launch until it serves (image pull + health check)",
        value: 60.0,
        unit: "s",
    },
    Assumption {
        id: "lambda-idle-reclaim",
        what: "Lambda keeps an idle execution environment warm for about",
        value: 600.0,
        unit: "s",
    },
    Assumption {
        id: "alb-requests-per-connection",
        what: "Requests per client connection (HTTP keep-alive), for ALB new-connection LCUs",
        value: 10.0,
        unit: "requests",
    },
    Assumption {
        id: "aurora-queries-per-acu",
        what: "Queries per second one Aurora Serverless v2 ACU serves",
        value: 250.0,
        unit: "queries/s",
    },
    Assumption {
        id: "aurora-io-per-query",
        what: "Billed Aurora I/O requests per query (most reads hit the buffer cache)",
        value: 0.2,
        unit: "I/O",
    },
    Assumption {
        id: "dynamodb-initial-partitions",
        what: "Partitions of a new on-demand table (4,000 writes/s, 12,000 reads/s)",
        value: 4.0,
        unit: "partitions",
    },
    Assumption {
        id: "memory-snapshots-kept",
        what: "Snapshots of the state in the servers' memory kept in S3 beside its journal: taken hourly, kept for a day",
        value: 24.0,
        unit: "snapshots",
    },
    Assumption {
        id: "cache-failover-no-replica",
        what: "Time to replace a cache node that has no replica (it comes back empty)",
        value: 300.0,
        unit: "s",
    },
];

pub fn assumption(id: &str) -> f64 {
    ASSUMPTIONS
        .iter()
        .find(|a| a.id == id)
        .map_or(0.0, |a| a.value)
}

/// The values a run draws from the scenario's estimates (the likely ones, or a Monte Carlo draw).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Inputs {
    pub peak_rps: f64,
    pub request_ms: f64,
    pub payload_kb: f64,
    pub session_kb: f64,
    /// Requests a CDN in front of the compute tier can answer from its caches (%).
    pub cacheable_pct: f64,
}

impl Inputs {
    pub fn likely(s: &Scenario) -> Inputs {
        let t = &s.traffic;
        Inputs {
            peak_rps: t.peak_rps.likely(),
            request_ms: t.request_ms.likely(),
            payload_kb: t.payload_kb.likely(),
            session_kb: t.session_kb.likely(),
            cacheable_pct: t.cacheable_pct.likely(),
        }
    }

    pub fn sample(s: &Scenario, rng: &mut SimRng) -> Inputs {
        let t = &s.traffic;
        Inputs {
            peak_rps: t.peak_rps.sample(rng),
            request_ms: t.request_ms.sample(rng).max(1e-6),
            payload_kb: t.payload_kb.sample(rng),
            session_kb: t.session_kb.sample(rng),
            cacheable_pct: t.cacheable_pct.sample(rng).clamp(0.0, 100.0),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FrontKind {
    Alb,
    ApiGateway,
    CloudFront,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Front {
    pub kind: FrontKind,
    pub service: String,
    pub delay_ms: Sampler,
    /// API Gateway's account throttle: steady rate and bucket size.
    pub throttle: Option<(f64, f64)>,
    /// The server-side time of a new client connection's TLS handshake (`tls-handshake-server`),
    /// paid by the share of requests that open one.
    pub handshake: Occasional,
    /// The hop to a server in another zone, paid by the share of requests the load balancer hands
    /// there (cross-zone load balancing spreads them over every zone's servers).
    pub cross_zone: Occasional,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InstanceKind {
    Ec2,
    Fargate,
    Eks,
}

#[derive(Clone, Debug, PartialEq)]
pub struct InstancePool {
    pub kind: InstanceKind,
    /// Requests an instance runs at once (its vCPUs: waiting on I/O does not hold one).
    pub workers: u32,
    pub min: u32,
    pub max: u32,
    pub initial: u32,
    pub target: f64,
    pub warmup_s: f64,
    pub autoscaling: bool,
    /// At least this many instances over a scheduled window: (from, until, min).
    pub scheduled: Option<(f64, f64, u32)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LambdaPool {
    pub limit: u32,
    /// New environments allowed per 10 seconds.
    pub scale_up_per_10s: f64,
    pub cold_start_ms: Sampler,
    pub idle_reclaim_s: f64,
    pub memory_gb: f64,
    pub arch: LambdaArch,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Compute {
    Instances(InstancePool),
    Lambda(LambdaPool),
    None,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SessionStore {
    pub placement: SessionPlacement,
    pub service: Option<String>,
    /// One read or write, where the store is remote.
    pub op_ms: Option<Sampler>,
    /// One write, where it takes longer than a read (a relational store commits).
    pub write_ms: Option<Sampler>,
    pub reads: f64,
    pub writes: f64,
    /// A single-zone primary (ElastiCache, RDS): calls from the other zones' compute cross zones.
    pub zonal: bool,
}

/// The durable store each change to state held in the servers' memory is written to before the
/// change is acknowledged: the request waits for the write, and a killed server's state is restored
/// from it on the server that takes its users.
#[derive(Clone, Debug, PartialEq)]
pub struct Journal {
    pub service: String,
    /// One journal write (one per state change: the profile's state writes a request).
    pub write_ms: Sampler,
    /// A single-zone primary (MemoryDB's), unlike DynamoDB's regional endpoint: writes from the
    /// other zones' servers cross zones.
    pub zonal: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Database {
    pub service: String,
    pub query_ms: Sampler,
    pub queries: f64,
    /// Of `queries`, the writes.
    pub writes: f64,
    /// One write (a relational database commits; DynamoDB writes as fast as it reads).
    pub write_ms: Sampler,
    /// Connections the database accepts, where functions each hold one and no RDS Proxy pools
    /// them (the design review's `functions-exhaust-database-connections`); `None` otherwise.
    pub max_connections: Option<f64>,
    /// A single-zone primary (RDS, Aurora's writer), unlike DynamoDB's regional endpoint.
    pub zonal: bool,
}

/// DynamoDB capacity arithmetic for the session (or data) table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dynamo {
    pub read_units_per_read: f64,
    pub write_units_per_write: f64,
    pub initial_partitions: f64,
    pub partition_rcu: f64,
    pub partition_wcu: f64,
    /// Read and write units/s the table was pre-warmed to before the day's burst
    /// (`stores.dynamodb_prewarm`): it serves them at once, whatever its earlier peak.
    pub prewarmed: (f64, f64),
}

/// A CDN in front of the compute tier: the requests it answers from its caches never reach the
/// origin (the front door, compute and stores the day simulates).
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    /// The share of all requests answered at the edge.
    pub hit: f64,
    pub hit_ms: Sampler,
}

/// Whether `stack` has a CDN in front of a compute tier, whose caches answer part of the requests.
pub fn has_edge_cache(stack: &Stack) -> bool {
    stack.topology.compute != ComputeKind::None
        && stack.services.iter().any(|svc| svc.service == "cloudfront")
}

/// The share of `stack`'s requests a CDN in front of its compute tier answers from its caches: the
/// cacheable requests less those that miss (`billing.lines.cdn_miss_ratio`). Zero without a CDN or
/// without a compute tier (a CDN in front of S3 alone is the whole system, and its misses are S3's
/// GETs). The day and the bill both read it, so the requests the edge answers are the ones the
/// origin does not serve.
pub fn edge_hit_share(stack: &Stack, s: &Scenario, cacheable_pct: f64) -> f64 {
    if !has_edge_cache(stack) {
        return 0.0;
    }
    // at most 99%: an origin always serves the misses and the writes
    (cacheable_pct.clamp(0.0, 100.0) / 100.0
        * (1.0 - s.billing.lines.cdn_miss_ratio.clamp(0.0, 1.0)))
    .min(0.99)
}

/// The fluid step of a first answer (see [`Model::coarse`]).
pub const COARSE_TICK_S: f64 = 60.0;

/// Everything one run needs.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub stack_id: StackId,
    pub stack_name: String,
    pub seed: u64,
    pub inputs: Inputs,
    pub profile: Profile,
    pub horizon_s: f64,
    pub front: Option<Front>,
    /// A CDN answering part of the requests before the front door.
    pub edge: Option<Edge>,
    pub compute: Compute,
    /// Compute time of a request, in ms.
    pub service_ms: Sampler,
    /// What the client sends per request (KB).
    pub request_kb: f64,
    pub session: SessionStore,
    /// Where state kept in the servers' memory is journalled (`None`: it dies with its server).
    pub journal: Option<Journal>,
    pub database: Option<Database>,
    pub dynamo: Option<Dynamo>,
    pub cache_replicas: u32,
    pub cache_failover_s: f64,
    pub aurora_min_acu: f64,
    pub sessions_peak: f64,
    /// The usual daily peak (the peak without a flash-sale burst): an on-demand DynamoDB table has
    /// already served it on earlier days.
    pub usual_peak_rps: f64,
    /// Mean session length: sessions end and new ones start at this pace (sticky placement spreads
    /// the new ones evenly, so the servers' loads even out over about this long).
    pub session_s: f64,
    pub population: Option<Population>,
    pub chaos: Vec<ChaosEvent>,
    pub availability_zones: u32,
    /// What a call from compute to a single-zone primary adds when it crosses zones
    /// (`cross-az-added-latency`), paid by the share of calls that do (compute spread evenly over
    /// the zones).
    pub cross_zone: Occasional,
    pub detect_s: f64,
    pub timeout_s: f64,
    pub sample_requests: u64,
    pub timeline_step_s: f64,
    pub full: bool,
    /// The fluid step: [`super::day::TICK_S`], or a multiple of it for a fast first answer
    /// ([`Model::coarse`]).
    pub tick_s: f64,
}

impl Model {
    /// Connections the database accepts from functions that each hold one (`None`: no such limit).
    pub fn max_connections(&self) -> Option<f64> {
        self.database.as_ref().and_then(|d| d.max_connections)
    }
}

/// A knowledge-base figure. Loading checks every figure the model reads against the catalogue
/// (`knowledge::catalogue::FIGURES`), so a validated knowledge base has it, in range.
pub(crate) fn figure(k: &Knowledge, id: &str) -> f64 {
    debug_assert!(
        crate::knowledge::catalogue::figure_spec(id).is_some(),
        "figure `{id}` is not in the catalogue"
    );
    // Only a knowledge base built in code without validation lacks it; the catalogue's floor keeps
    // such a model finite rather than inventing a figure.
    k.figure(id).map_or_else(
        || crate::knowledge::catalogue::figure_spec(id).map_or(0.0, |s| s.min),
        |f| f.value,
    )
}

/// The knowledge base's latency figure read as a median and a 99th percentile.
fn figure_delay(k: &Knowledge, id: &str) -> Sampler {
    let value = figure(k, id);
    match k.figure(id) {
        // API Gateway's figure is a p99 ("under ~10 ms"), its low end the typical value
        Some(f) if id == "apigw-http-added-latency" => {
            Sampler::from_median_p99(f.low.unwrap_or(value / 3.0), value)
        }
        Some(f) => {
            let high = f.high.filter(|h| *h > value).unwrap_or(value * 2.0);
            Sampler::from_median_p99(value, high)
        }
        None => Sampler::from_median_p99(value, value * 2.0),
    }
}

impl Model {
    /// The same model with a fluid step of [`COARSE_TICK_S`] (six of the exact 10 s steps, one
    /// scaling period): a first answer for sweeps in a sixth of the time, within the tolerances the
    /// tests state (`explore`'s tests), never the figure a plot settles on.
    pub fn coarse(mut self) -> Model {
        if !self.full {
            self.tick_s = COARSE_TICK_S;
        }
        self
    }

    /// The model for `scenario` on `stack` with the given drawn inputs.
    pub fn build(k: &Knowledge, stack: &Stack, s: &Scenario, inputs: Inputs) -> Model {
        let c = &s.compute;
        let hit = edge_hit_share(stack, s, inputs.cacheable_pct);
        let edge = (hit > 0.0).then(|| Edge {
            hit,
            hit_ms: Sampler::from_median_p99(assumption("cloudfront-hit-latency"), 10.0),
        });
        // the day simulates the origin: the requests the edge does not answer
        let origin_peak = inputs.peak_rps * (1.0 - hit);
        let zones = c.availability_zones.max(1);
        // compute spread evenly over the zones: a call from the other zones crosses
        let cross_zone = Occasional::new(
            f64::from(zones - 1) / f64::from(zones),
            figure_delay(k, "cross-az-added-latency"),
        );
        let front = parts::front_door(k, stack, s, cross_zone);
        let compute = parts::compute_pool(k, stack, s, inputs, origin_peak);
        let parts::Stores {
            session,
            journal,
            database,
            dynamo,
        } = parts::stores(k, stack, s, inputs);
        let t = &s.traffic;
        let mut chaos = s.chaos.clone();
        chaos.sort_by(|a, b| a.at_s().total_cmp(&b.at_s()));
        let mut model = Model {
            stack_id: stack.id.clone().into(),
            stack_name: stack.name.clone(),
            seed: s.seed,
            inputs,
            profile: Profile {
                peak_rps: origin_peak,
                shape: t.shape,
                burst: t.burst,
            },
            horizon_s: s.horizon_s,
            front,
            edge,
            compute,
            service_ms: Sampler::service(t.request_dist, inputs.request_ms, t.request_cv),
            request_kb: t.request_kb,
            session,
            journal,
            database,
            dynamo,
            cache_replicas: s.stores.cache_replicas,
            cache_failover_s: figure(k, "elasticache-failover"),
            aurora_min_acu: s.stores.aurora_min_acu,
            sessions_peak: t.sessions,
            usual_peak_rps: origin_peak * t.usual_peak_share(),
            session_s: t.session_minutes * 60.0,
            population: s.population.clone(),
            chaos,
            availability_zones: zones,
            cross_zone,
            detect_s: c.detect_s,
            timeout_s: c.timeout_s,
            sample_requests: s.sampling.requests,
            timeline_step_s: s.sampling.timeline_step_s,
            full: s.sampling.full,
            tick_s: super::day::TICK_S,
        };
        if s.stores.dynamodb_prewarm {
            // pre-warmed to the day's top rate: the units its requests need at the peak
            let demand = model.dynamo_demand(model.profile.peak_rps);
            if let Some(d) = model.dynamo.as_mut() {
                d.prewarmed = demand;
            }
        }
        model
    }

    /// DynamoDB read and write units/s the requests need at `rps` (the session table's and the data
    /// table's), zero without DynamoDB.
    pub fn dynamo_demand(&self, rps: f64) -> (f64, f64) {
        let Some(d) = &self.dynamo else {
            return (0.0, 0.0);
        };
        let mut rcu = 0.0;
        let mut wcu = 0.0;
        if self.session.placement == SessionPlacement::Dynamodb {
            rcu += self.session.reads * d.read_units_per_read;
            wcu += self.session.writes * d.write_units_per_write;
        }
        if let Some(db) = self.database.as_ref().filter(|db| db.service == "dynamodb") {
            // data items of up to 4 KB: one read unit per read, one write unit per write
            rcu += db.queries - db.writes;
            wcu += db.writes;
        }
        if self
            .journal
            .as_ref()
            .is_some_and(|j| j.service == "dynamodb")
        {
            // every state change is journalled as an item of the session's size
            wcu += self.session.writes * d.write_units_per_write;
        }
        (rps * rcu, rps * wcu)
    }

    /// What an on-demand table serves at once: its first partitions' capacity, double the peak
    /// it served before (`peak_before`), or what it was pre-warmed to, whichever is most.
    pub fn dynamo_capacity(&self, peak_before: (f64, f64)) -> (f64, f64) {
        let Some(d) = &self.dynamo else {
            return (0.0, 0.0);
        };
        (
            (d.initial_partitions * d.partition_rcu)
                .max(2.0 * peak_before.0)
                .max(d.prewarmed.0),
            (d.initial_partitions * d.partition_wcu)
                .max(2.0 * peak_before.1)
                .max(d.prewarmed.1),
        )
    }

    /// Mean time a request waits on its session store and database, in ms (added to its latency; a
    /// Lambda environment is held, and billed, through it).
    pub fn io_mean_ms(&self) -> f64 {
        let hop = |zonal: bool| if zonal { self.cross_zone.mean() } else { 0.0 };
        let session = self.session.op_ms.map_or(0.0, |d| {
            let write = self.session.write_ms.unwrap_or(d);
            (d.mean() + hop(self.session.zonal)) * self.session.reads
                + (write.mean() + hop(self.session.zonal)) * self.session.writes
        });
        let journal = self
            .journal
            .as_ref()
            .map_or(0.0, |j| j.write_ms.mean() * self.session.writes);
        let db = self.database.as_ref().map_or(0.0, |d| {
            (d.query_ms.mean() + hop(d.zonal)) * (d.queries - d.writes)
                + (d.write_ms.mean() + hop(d.zonal)) * d.writes
        });
        session + journal + db
    }

    /// Are sessions kept in the servers' memory (a client stays on its server)?
    pub fn sessions_on_servers(&self) -> bool {
        self.session.placement == SessionPlacement::InProcessSticky
    }

    /// Does killing a server lose the sessions on it? Not when a journal holds every acknowledged
    /// change: the server that takes its users restores them.
    pub fn sessions_die_with_server(&self) -> bool {
        self.sessions_on_servers() && self.journal.is_none()
    }
}
