//! Sizing from the request profile, as an architect sizes a design for a product: the instance type
//! from whether the servers are bound by CPU or by the sessions they hold, and the database class from
//! the queries at the peak and the data kept. Each choice says why (an [`Origin`]), and a scenario file
//! that names a type keeps it: only the scenario the answers describe is sized here.
//!
//! The types are price ids that the cost model reads (`knowledge::catalogue::PRICES`), so loading
//! checks every one is priced.

use super::from_answers::Origin;
use super::model::figure;
use super::scenario::Scenario;
use crate::format;
use crate::knowledge::{ComputeKind, Knowledge, SessionPlacement, Stack};

/// A compute-optimised 2-vCPU, 4 GiB type (Graviton): the cheapest 2-vCPU type priced here.
pub const COMPUTE_INSTANCE: &str = "ec2-c7g-large";
/// A general-purpose 2-vCPU, 8 GiB type (x86), for servers that hold sessions in memory.
pub const MEMORY_INSTANCE: &str = "ec2-m5-large";
/// Memory a server's sessions may take on the compute-optimised type (half its 4 GiB; the runtime
/// and the operating system need the rest).
const COMPUTE_INSTANCE_SESSION_GIB: f64 = 2.0;

/// The smallest RDS class priced here and what it carries (burstable, 2 vCPU, 1 GiB).
pub const SMALL_DB: &str = "rds-t4g-micro";
/// The largest RDS class priced here (burstable, 2 vCPU, 4 GiB).
pub const LARGER_DB: &str = "rds-t4g-medium";
/// Instances of `vcpus` each that keep `rps` requests/s of the scenario's compute at its target
/// utilisation (not rounded).
pub(crate) fn instances_for(s: &Scenario, rps: f64, vcpus: f64) -> f64 {
    rps * s.traffic.request_ms.likely() / 1000.0 / (vcpus * s.compute.target_utilisation.max(0.05))
}

/// The knowledge figure of the connections an RDS class accepts by default (`max_connections`).
pub(crate) fn max_connections_figure(rds_instance: &str) -> &'static str {
    if rds_instance == SMALL_DB {
        "rds-t4g-micro-max-connections"
    } else {
        "rds-t4g-medium-max-connections"
    }
}

/// Picks the instance type, the database class and MSK's brokers for `stack`'s tiers, with why.
/// The database's capacity and the brokers' throughput are knowledge figures (`rds-t4g-micro-qps`,
/// `rds-t4g-micro-cached-gb`, `rds-t4g-medium-qps`, `msk-broker-ingress-mbps`,
/// `kafka-retention-hours`, `msk-replication-factor`), each with its source.
pub fn size(
    k: &Knowledge,
    stack: &Stack,
    s: &mut Scenario,
    origins: &mut Vec<(&'static str, Origin)>,
) {
    let small_db_qps = figure(k, "rds-t4g-micro-qps");
    let small_db_gb = figure(k, "rds-t4g-micro-cached-gb");
    let larger_db_qps = figure(k, "rds-t4g-medium-qps");
    let topo = &stack.topology;
    let t = &s.traffic;
    let peak = s.origin_peak_rps(stack);
    if matches!(topo.compute, ComputeKind::Ec2 | ComputeKind::Eks) {
        let busy_vcpus = peak * t.request_ms.likely() / 1000.0;
        // the types sized here (c7g.large, m5.large) have 2 vCPUs
        let servers = instances_for(s, peak, 2.0)
            .ceil()
            .max(f64::from(s.compute.min.max(1)));
        let in_memory = topo.session == SessionPlacement::InProcessSticky;
        let session_gib = if in_memory {
            t.sessions * t.session_kb.likely() / (1024.0 * 1024.0) / servers
        } else {
            0.0
        };
        let (price, how) = if session_gib > COMPUTE_INSTANCE_SESSION_GIB {
            (
                MEMORY_INSTANCE,
                format!(
                    "memory-bound: each of ~{} servers holds {} GiB of sessions in memory, more than the {} GiB a 4 GiB compute-optimised type leaves them, so a general-purpose m5.large (2 vCPU, 8 GiB)",
                    format::number(servers),
                    format::number(session_gib),
                    format::number(COMPUTE_INSTANCE_SESSION_GIB)
                ),
            )
        } else {
            (
                COMPUTE_INSTANCE,
                format!(
                    "CPU-bound: {} ms of CPU a request at {} requests/s keep {} vCPUs busy{}, so a compute-optimised c7g.large (2 vCPU, 4 GiB, Graviton: the code must build for arm64; set `compute.instance_price` to `{MEMORY_INSTANCE}` otherwise)",
                    format::number(t.request_ms.likely()),
                    format::number(peak),
                    format::number(busy_vcpus),
                    if in_memory {
                        format!(
                            " and each server holds only {} GiB of sessions",
                            format::number(session_gib)
                        )
                    } else {
                        String::new()
                    }
                ),
            )
        };
        s.compute.instance_price = price.to_string();
        origins.push(("compute.instance_price", Origin::Derived { how }));
    }
    if topo.database.as_deref() == Some("rds-postgres") {
        let qps = peak * t.db_queries;
        let (class, how) = if qps <= small_db_qps && t.stored_gb <= small_db_gb {
            (
                SMALL_DB,
                format!(
                    "{} queries/s at the peak and {} GB kept fit a db.t4g.micro (up to ~{} queries/s and {} GB, an estimate)",
                    format::number(qps),
                    format::number(t.stored_gb),
                    format::number(small_db_qps),
                    format::number(small_db_gb)
                ),
            )
        } else if qps <= larger_db_qps {
            (
                LARGER_DB,
                format!(
                    "{} queries/s at the peak and {} GB kept need more than a db.t4g.micro: a db.t4g.medium (up to ~{} queries/s, an estimate)",
                    format::number(qps),
                    format::number(t.stored_gb),
                    format::number(larger_db_qps)
                ),
            )
        } else {
            (
                LARGER_DB,
                format!(
                    "{} queries/s at the peak are more than a db.t4g.medium carries (~{} queries/s, an estimate): size up to a db.m or db.r class, which is not priced here, so this month is a floor; or read from a cache",
                    format::number(qps),
                    format::number(larger_db_qps)
                ),
            )
        };
        s.stores.rds_instance = class.to_string();
        origins.push(("stores.rds_instance", Origin::Derived { how }));
    }
    if stack.services.iter().any(|svc| svc.service == "msk") {
        size_msk(k, s, peak, origins);
    }
}

/// MSK's brokers from the message rate and their storage from the messages kept: each request the
/// ingest tier receives is one message of `request_kb`. Brokers come in threes, one per zone, as
/// many as the peak's megabytes a second need; each keeps its share of the replicated retention.
fn size_msk(k: &Knowledge, s: &mut Scenario, peak: f64, origins: &mut Vec<(&'static str, Origin)>) {
    let t = &s.traffic;
    let per_broker = figure(k, "msk-broker-ingress-mbps");
    let retention_h = figure(k, "kafka-retention-hours");
    let replicas = figure(k, "msk-replication-factor");
    let peak_mbps = peak * t.request_kb / 1000.0;
    let brokers = ((peak_mbps / per_broker / 3.0).ceil() * 3.0).max(3.0);
    // the day's messages from the traffic's shape: its mean rate, not its peak
    let mean_rps = super::traffic::Profile {
        peak_rps: peak,
        shape: t.shape,
        burst: t.burst,
    }
    .mean_rate(0.0, 86_400.0);
    let kept_gb = mean_rps * t.request_kb / 1e6 * retention_h * 3600.0 * replicas;
    // a fifth as headroom, never under the console's smallest volume of 1 GB
    let per_broker_gb = (kept_gb * 1.2 / brokers).ceil().max(1.0);
    let lines = &mut s.billing.lines;
    lines.msk_broker = "kafka.m5.large".into();
    lines.msk_brokers = brokers as u32;
    lines.msk_storage_gb_per_broker = per_broker_gb;
    origins.push((
        "billing.lines.msk_brokers",
        Origin::Derived {
            how: format!(
                "{} messages/s of {} KB at the peak are {} MB/s; a kafka.m5.large broker sustains ~{} MB/s with three replicas (`msk-broker-ingress-mbps`), so {} brokers, in threes, one per zone",
                format::number(peak),
                format::number(t.request_kb),
                format::number((peak_mbps * 10.0).round() / 10.0),
                format::number(per_broker),
                format::number(brokers)
            ),
        },
    ));
    origins.push((
        "billing.lines.msk_storage_gb_per_broker",
        Origin::Derived {
            how: format!(
                "{} messages/s on average of {} KB, kept {} hours (`kafka-retention-hours`) in {} copies (`msk-replication-factor`): {} GB, with a fifth as headroom, over {} brokers",
                format::number(mean_rps.round()),
                format::number(t.request_kb),
                format::number(retention_h),
                format::number(replicas),
                format::number(kept_gb.round()),
                format::number(brokers)
            ),
        },
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::Estimate;

    fn sized(stack: &str, f: impl Fn(&mut Scenario)) -> (Scenario, Vec<(&'static str, Origin)>) {
        let k = Knowledge::shipped().unwrap();
        let mut s = Scenario::new(stack, 1_000.0);
        f(&mut s);
        let mut origins = Vec::new();
        size(&k, k.stack(stack).unwrap(), &mut s, &mut origins);
        (s, origins)
    }

    #[test]
    fn servers_bound_by_cpu_get_a_compute_optimised_type_and_say_why() {
        let (s, origins) = sized("alb-ec2-elasticache-rds", |_| {});
        assert_eq!(s.compute.instance_price, COMPUTE_INSTANCE);
        assert!(
            matches!(&origins[0], ("compute.instance_price", Origin::Derived { how }) if how.starts_with("CPU-bound"))
        );
    }

    #[test]
    fn servers_holding_many_sessions_in_memory_get_the_memory() {
        // 5 million sessions of 16 KB on the 20 servers 1,000 requests/s of 20 ms need: ~3.8 GiB each
        let (s, origins) = sized("alb-sticky-ec2-memory", |s| {
            s.traffic.sessions = 5_000_000.0;
            s.traffic.session_kb = Estimate::Exact(16.0);
            s.traffic.request_ms = Estimate::Exact(20.0);
        });
        assert_eq!(s.compute.instance_price, MEMORY_INSTANCE);
        assert!(
            matches!(&origins[0], (_, Origin::Derived { how }) if how.starts_with("memory-bound"))
        );
    }

    #[test]
    fn the_database_class_follows_the_queries_and_says_when_none_priced_here_is_enough() {
        let small = sized("alb-sticky-ec2-memory", |s| {
            s.traffic.peak_rps = Estimate::Exact(50.0);
            s.traffic.db_queries = 1.0;
        });
        assert_eq!(small.0.stores.rds_instance, SMALL_DB);
        let big = sized("alb-sticky-ec2-memory", |s| s.traffic.db_queries = 5.0);
        assert_eq!(big.0.stores.rds_instance, LARGER_DB);
        let (_, how) = &big.1[1];
        assert!(matches!(how, Origin::Derived { how } if how.contains("not priced here")));
        // no database tier, no database class
        let (s, origins) = sized("apigw-lambda-dynamodb", |_| {});
        assert_eq!(
            s.stores.rds_instance,
            Scenario::new("x", 1.0).stores.rds_instance
        );
        assert!(origins.is_empty());
    }

    #[test]
    fn msk_brokers_follow_the_message_rate_in_threes_and_their_storage_the_messages_kept() {
        // 1,000 messages/s of 1 KB: 1 MB/s, well within three brokers
        let (small, origins) = sized("msk-fargate-event-streaming", |s| {
            s.traffic.request_kb = 1.0;
            s.traffic.shape = crate::sim::traffic::Shape::Flat;
        });
        assert_eq!(small.billing.lines.msk_brokers, 3);
        // a day of 86.4 M messages of 1 KB kept 7 days in 3 copies: 1,814 GB, +20 %, over 3 brokers
        let kept = 1_000.0 * 86_400.0 * 1.0 / 1e6 * 7.0 * 3.0;
        assert_eq!(
            small.billing.lines.msk_storage_gb_per_broker,
            (kept * 1.2 / 3.0_f64).ceil()
        );
        assert!(
            origins
                .iter()
                .any(|(f, o)| *f == "billing.lines.msk_brokers"
                    && matches!(o, Origin::Derived { how } if how.contains("1 MB/s")))
        );
        // 100,000 messages/s of 2 KB: 200 MB/s at ~27 MB/s a broker = 8 → 9 brokers
        let (big, _) = sized("msk-fargate-event-streaming", |s| {
            s.traffic.peak_rps = Estimate::Exact(100_000.0);
            s.traffic.request_kb = 2.0;
        });
        assert_eq!(big.billing.lines.msk_brokers, 9);
    }
}
