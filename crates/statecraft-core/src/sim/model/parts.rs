//! The parts of a [`Model`](super::Model), each built from the scenario and the knowledge: the front
//! door (its added latency, TLS handshakes, throttle and zone crossings), the compute pool, and the
//! stores a request reads and writes (session, journal, database, DynamoDB's capacity).

use super::super::dist::{Occasional, Sampler};
use super::super::scenario::{Consistency, Scenario};
use super::{
    Compute, Database, Dynamo, Front, FrontKind, Inputs, InstanceKind, InstancePool, Journal,
    LambdaPool, SessionStore, assumption, figure, figure_delay,
};
use crate::knowledge::{ComputeKind, Knowledge, SessionPlacement, Stack};

/// The front door, where the simulator has a model of it (or of the door it declares it behaves
/// like), with the TLS handshake of a new connection and, in front of servers, the hop to another
/// zone's server (`cross_zone`: the same crossing a call to a single-zone store pays).
pub(super) fn front_door(
    k: &Knowledge,
    stack: &Stack,
    s: &Scenario,
    cross_zone: Occasional,
) -> Option<Front> {
    let topo = &stack.topology;
    let c = &s.compute;
    // a front door the simulator has no model of runs as the one it is declared to behave like
    let front_model = k
        .service(&topo.front)
        .and_then(|svc| svc.capabilities.as_ref())
        .and_then(|c| c.simulated_as.as_deref())
        .unwrap_or(topo.front.as_str());
    let front = match front_model {
        "alb" | "nlb" => Some(Front {
            kind: FrontKind::Alb,
            service: topo.front.clone(),
            delay_ms: Sampler::from_median_p99(assumption("alb-added-latency"), 5.0),
            throttle: None,
            handshake: Occasional::never(),
            cross_zone: Occasional::never(),
        }),
        "cloudfront" => Some(Front {
            kind: FrontKind::CloudFront,
            service: topo.front.clone(),
            delay_ms: Sampler::from_median_p99(assumption("cloudfront-edge-latency"), 60.0),
            throttle: None,
            handshake: Occasional::never(),
            cross_zone: Occasional::never(),
        }),
        id if id.starts_with("apigw") => Some(Front {
            kind: FrontKind::ApiGateway,
            service: topo.front.clone(),
            delay_ms: figure_delay(k, "apigw-http-added-latency"),
            // API Gateway's account throttle is API Gateway's own quota (the one the design
            // review checks): a front door only simulated like it (IoT Core, AppSync) has
            // quotas of its own, and is not refused at API Gateway's 10,000 requests/s
            throttle: topo.front.starts_with("apigw").then(|| {
                let steady = figure(k, "apigw-throttle-steady");
                let burst = figure(k, "apigw-throttle-burst");
                // a raised quota keeps the default's burst-to-steady ratio
                match c.apigw_throttle_rps {
                    Some(raised) if steady > 0.0 => (raised, burst * raised / steady),
                    _ => (steady, burst),
                }
            }),
            handshake: Occasional::never(),
            cross_zone: Occasional::never(),
        }),
        _ => None,
    };
    let mut front = front;
    if let Some(f) = front.as_mut() {
        // every front door terminates TLS: a new client connection pays the handshake's work
        f.handshake = Occasional::new(
            1.0 / assumption("alb-requests-per-connection").max(1.0),
            figure_delay(k, "tls-handshake-server"),
        );
        // a load balancer in front of servers spreads requests over every zone's servers
        if f.kind == FrontKind::Alb
            && matches!(
                topo.compute,
                ComputeKind::Ec2 | ComputeKind::Eks | ComputeKind::Fargate
            )
        {
            f.cross_zone = cross_zone;
        }
    }
    front
}

/// The compute pool: instances (EC2, EKS nodes, Fargate tasks) or functions; `origin_peak` is the
/// rate the origin serves at the peak (the requests the edge does not answer).
pub(super) fn compute_pool(
    k: &Knowledge,
    stack: &Stack,
    s: &Scenario,
    inputs: Inputs,
    origin_peak: f64,
) -> Compute {
    let topo = &stack.topology;
    let c = &s.compute;
    let warmup = |default: f64| c.warmup_s.unwrap_or(default);
    let t = &s.traffic;
    // without a stated start, the group starts where target tracking settled for the traffic
    // at the start of the run (the night before was no different)
    let settled = |workers: f64| {
        let load = origin_peak * t.shape_share_at_start() * inputs.request_ms / 1000.0;
        ((load / workers.max(1.0) / c.target_utilisation - 1e-9)
            .ceil()
            .max(0.0)) as u32
    };
    let instances = |kind: InstanceKind, workers: f64, warmup_s: f64| {
        let initial = c
            .initial
            .unwrap_or_else(|| settled(workers.round()))
            .clamp(c.min.min(c.max), c.max);
        Compute::Instances(InstancePool {
            kind,
            workers: (workers.round() as u32).max(1),
            min: c.min,
            max: c.max,
            initial,
            target: c.target_utilisation,
            warmup_s,
            autoscaling: c.autoscaling,
            scheduled: c.scheduled.map(|s| (s.at_s, s.until_s, s.min.min(c.max))),
        })
    };
    match topo.compute {
        ComputeKind::Ec2 => instances(
            InstanceKind::Ec2,
            c.vcpus_per_instance,
            warmup(figure(k, "ec2-warmup")),
        ),
        ComputeKind::Eks => instances(
            InstanceKind::Eks,
            c.vcpus_per_instance,
            warmup(figure(k, "ec2-warmup")),
        ),
        ComputeKind::Fargate => instances(
            InstanceKind::Fargate,
            c.fargate_task_vcpu.ceil(),
            warmup(assumption("fargate-startup")),
        ),
        ComputeKind::Lambda => Compute::Lambda(LambdaPool {
            limit: c
                .lambda_concurrency
                .unwrap_or(figure(k, "lambda-concurrency-limit") as u32)
                .max(1),
            scale_up_per_10s: figure(k, "lambda-scale-up-rate"),
            cold_start_ms: figure_delay(k, "lambda-cold-start-duration"),
            idle_reclaim_s: assumption("lambda-idle-reclaim"),
            memory_gb: c.lambda_memory_mb / 1024.0,
            arch: c.lambda_arch,
        }),
        ComputeKind::None => Compute::None,
    }
}

/// What a request reads and writes: its session store, the journal of state kept in the servers'
/// memory, the database, and DynamoDB's capacity arithmetic where any of them is DynamoDB.
pub(super) struct Stores {
    pub session: SessionStore,
    pub journal: Option<Journal>,
    pub database: Option<Database>,
    pub dynamo: Option<Dynamo>,
}

pub(super) fn stores(k: &Knowledge, stack: &Stack, s: &Scenario, inputs: Inputs) -> Stores {
    let topo = &stack.topology;
    let t = &s.traffic;
    // a relational store's read and (committing) write, and DynamoDB's either way
    let rds_read = Sampler::from_median_p99(assumption("rds-query-latency"), 10.0);
    let commit = Sampler::from_median_p99(assumption("rds-commit-latency"), 25.0);
    let dynamo_op = figure_delay(k, "dynamodb-getitem-latency");
    // MemoryDB reads from memory like a cache, and writes once its Multi-AZ transaction log
    // has the change: the hot path's store sits between ElastiCache and DynamoDB
    let memorydb_read = figure_delay(k, "memorydb-get-latency");
    let memorydb_write = figure_delay(k, "memorydb-write-latency");
    let op_ms = match topo.session {
        SessionPlacement::InProcessSticky => Some(figure_delay(k, "in-process-session-read")),
        SessionPlacement::SharedCache => Some(figure_delay(k, "elasticache-get-latency")),
        SessionPlacement::DurableMemory => Some(memorydb_read),
        SessionPlacement::Dynamodb => Some(dynamo_op),
        SessionPlacement::Database => Some(rds_read),
        SessionPlacement::ClientToken | SessionPlacement::None => None,
    };
    let session = SessionStore {
        placement: topo.session,
        service: topo.session_service.clone(),
        op_ms,
        write_ms: match topo.session {
            SessionPlacement::Database => Some(commit),
            SessionPlacement::DurableMemory => Some(memorydb_write),
            _ => None,
        },
        reads: t.state_reads,
        writes: t.state_writes,
        zonal: matches!(
            topo.session,
            SessionPlacement::SharedCache
                | SessionPlacement::Database
                | SessionPlacement::DurableMemory
        ),
    };
    // a journal only for state kept in the servers' memory: a shared store is durable itself
    let journal = topo
        .journal
        .as_ref()
        .filter(|_| topo.session == SessionPlacement::InProcessSticky)
        .map(|service| Journal {
            zonal: service != "dynamodb",
            service: service.clone(),
            write_ms: match service.as_str() {
                "memorydb" => memorydb_write,
                "dynamodb" => dynamo_op,
                _ => commit,
            },
        });
    let database = topo
        .database
        .as_ref()
        .filter(|_| t.db_queries > 0.0)
        .map(|db| {
            let (query_ms, write_ms) = if db == "dynamodb" {
                (dynamo_op, dynamo_op)
            } else {
                (rds_read, commit)
            };
            Database {
                zonal: db != "dynamodb",
                service: db.clone(),
                query_ms,
                queries: t.db_queries,
                writes: t.db_writes.clamp(0.0, t.db_queries),
                write_ms,
                max_connections: (db == "rds-postgres"
                    && topo.compute == ComputeKind::Lambda
                    && !s.stores.rds_proxy)
                    .then(|| {
                        figure(
                            k,
                            super::super::sizing::max_connections_figure(&s.stores.rds_instance),
                        )
                    }),
            }
        });
    let uses_dynamo = topo.session == SessionPlacement::Dynamodb
        || topo.database.as_deref() == Some("dynamodb")
        || journal.as_ref().is_some_and(|j| j.service == "dynamodb");
    let kb = inputs.session_kb.max(0.0);
    let dynamo = uses_dynamo.then(|| Dynamo {
        read_units_per_read: (kb / 4.0).ceil().max(1.0)
            * match s.stores.dynamodb_reads {
                Consistency::Strong => 1.0,
                Consistency::Eventual => 0.5,
            },
        write_units_per_write: kb.ceil().max(1.0),
        initial_partitions: assumption("dynamodb-initial-partitions"),
        partition_rcu: figure(k, "dynamodb-partition-rcu"),
        partition_wcu: figure(k, "dynamodb-partition-wcu"),
        prewarmed: (0.0, 0.0),
    });
    Stores {
        session,
        journal,
        database,
        dynamo,
    }
}
