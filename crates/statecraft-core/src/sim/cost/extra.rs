//! The lines a real AWS bill carries that an estimate of the stack's services leaves out, each a
//! switch in the scenario's `billing.lines` (on by default where AWS would bill it for the stack), each
//! explained in the bill's assumptions with the figures it used.

use super::services::Month;
use crate::bill;
use crate::format;
use crate::knowledge::ComputeKind;

/// The simulator counts data in decimal GB (KB ÷ 10⁶); AWS's GB is 2³⁰ bytes and its KB 1,024 bytes.
pub(super) const SIM_GB_TO_AWS_GB: f64 = 1e6 / (1024.0 * 1024.0);

/// KB → AWS GB.
fn kb_to_gb(kb: f64) -> f64 {
    kb / (1024.0 * 1024.0)
}

/// What the extra lines share: the month's switches and the shape of the stack they bill.
struct Shape {
    hours: f64,
    azs: f64,
    compute: ComputeKind,
    /// Requests the compute serves in the month.
    requests: f64,
    /// A store that lives in the VPC (so the compute reaching it does too).
    vpc_store: bool,
    /// Compute that runs on servers in the team's VPC.
    servers: bool,
    /// GameLift runs its fleets in its own VPC, with their addresses and volumes in its
    /// instance-hour: none of the team's NAT gateways, volumes or addresses serve them.
    managed_fleet: bool,
    private_compute: bool,
    /// A load balancer in front.
    lb: bool,
    /// CloudWatch Logs ingested in the month, in AWS GB.
    log_gb: f64,
}

impl Shape {
    fn of(m: &Month) -> Shape {
        let (s, u, scale) = (m.s, m.usage, m.scale);
        let l = &s.billing.lines;
        let hours = s.billing.month_hours;
        let azs = f64::from(l.azs.max(1));
        let compute = m.stack.topology.compute;
        let requests = u.compute_requests * scale;
        let vpc_store = m.has("elasticache-redis")
            || m.has("elasticache-memcached")
            || m.has("memorydb")
            || m.has("rds-postgres")
            || m.has("aurora-serverless");
        let managed_fleet = m.has("gamelift");
        let servers = !managed_fleet
            && matches!(
                compute,
                ComputeKind::Ec2 | ComputeKind::Fargate | ComputeKind::Eks
            );
        let private_compute = servers || (compute == ComputeKind::Lambda && vpc_store);
        let lb = m.has("alb") || m.has("nlb");
        let log_gb = if l.cloudwatch_logs && compute != ComputeKind::None {
            kb_to_gb(requests * l.log_kb_per_request)
        } else {
            0.0
        };
        Shape {
            hours,
            azs,
            compute,
            requests,
            vpc_store,
            servers,
            managed_fleet,
            private_compute,
            lb,
            log_gb,
        }
    }
}

pub(super) fn real_bill_lines(m: &Month, out: &mut bill::Usage, assumptions: &mut Vec<String>) {
    let sh = &Shape::of(m);
    if sh.managed_fleet {
        assumptions.push("GameLift runs its fleet in its own VPC: no NAT gateway, EBS volume or public address of the team's serves it, as the instance-hour includes them (reaching the team's own VPC is a VPC peering, which carries no hourly charge)".into());
    }
    cloudwatch_logs(m, sh, out, assumptions);
    let nat = nat_gateway(m, sh, out, assumptions);
    public_ipv4(m, sh, nat, out, assumptions);
    cross_az(m, sh, out, assumptions);
    ebs(m, sh, out, assumptions);
    backup(m, out, assumptions);
    msk(m, sh, out, assumptions);
    s3_requests(m, sh, out, assumptions);
}

/// CloudWatch Logs: what the compute writes, ingested and kept.
fn cloudwatch_logs(m: &Month, sh: &Shape, out: &mut bill::Usage, assumptions: &mut Vec<String>) {
    let l = &m.s.billing.lines;
    let Shape {
        compute, log_gb, ..
    } = *sh;
    if l.cloudwatch_logs && compute != ComputeKind::None {
        out.add("cloudwatch-logs", "ingest_gb", log_gb);
        out.add(
            "cloudwatch-logs",
            "storage_gb_months",
            log_gb * l.log_retention_months,
        );
        assumptions.push(format!(
            "CloudWatch Logs: {} KB of logs per request, kept {} month(s), stored as ingested (AWS bills compressed bytes, so storage is an upper bound) (`billing.lines.cloudwatch_logs`, `log_kb_per_request`, `log_retention_months`)",
            format::number(l.log_kb_per_request),
            format::number(l.log_retention_months)
        ));
    }
}

/// A NAT gateway per zone for compute in private subnets; returns whether there is one.
fn nat_gateway(
    m: &Month,
    sh: &Shape,
    out: &mut bill::Usage,
    assumptions: &mut Vec<String>,
) -> bool {
    let l = &m.s.billing.lines;
    let Shape {
        hours,
        azs,
        servers,
        private_compute,
        log_gb,
        ..
    } = *sh;
    let nat = l.nat_gateway && private_compute;
    if nat {
        out.add("nat-gateway", "hours", azs * hours)
            .with_note(format!("{} gateway(s), one per zone", format::number(azs)));
        // servers ship their logs through the gateway; Lambda's go through the Lambda service
        let shipped = if servers { log_gb } else { 0.0 };
        out.add("nat-gateway", "data_gb", shipped + l.nat_extra_gb)
            .with_note(if servers {
                "log shipping to CloudWatch, plus `nat_extra_gb`"
            } else {
                "`nat_extra_gb` (Lambda's logs do not pass the gateway)"
            });
        assumptions.push(format!(
            "compute in private subnets: a NAT gateway in each of {} zones carries the servers' log shipping and {} GB of other egress (image pulls and third-party calls are not counted unless `nat_extra_gb` says so); DynamoDB and S3 are reached through free gateway endpoints (`billing.lines.nat_gateway`, `azs`, `nat_extra_gb`)",
            format::number(azs),
            format::number(l.nat_extra_gb)
        ));
    }
    nat
}

/// The public IPv4 addresses of the load balancer and the NAT gateways.
fn public_ipv4(
    m: &Month,
    sh: &Shape,
    nat: bool,
    out: &mut bill::Usage,
    assumptions: &mut Vec<String>,
) {
    let l = &m.s.billing.lines;
    let Shape { hours, azs, lb, .. } = *sh;
    if l.public_ipv4 && (lb || nat) {
        let per_hour = if lb { azs } else { 0.0 } + if nat { azs } else { 0.0 };
        out.add("public-ipv4", "address_hours", per_hour * hours)
            .with_note(format!(
                "{} address(es): {}",
                format::number(per_hour),
                match (lb, nat) {
                    (true, true) => "the load balancer's one per zone and each NAT gateway's",
                    (true, false) => "the load balancer's one per zone",
                    _ => "each NAT gateway's",
                }
            ));
        assumptions.push("public IPv4: every public address is billed hourly since February 2024; servers sit behind the load balancer without their own (`billing.lines.public_ipv4`)".into());
    }
}

/// Traffic from compute in every zone to a single-zone store.
fn cross_az(m: &Month, sh: &Shape, out: &mut bill::Usage, assumptions: &mut Vec<String>) {
    let (l, t) = (&m.s.billing.lines, &m.s.traffic);
    let Shape {
        azs,
        compute,
        requests,
        vpc_store,
        ..
    } = *sh;
    if l.cross_az && vpc_store && compute != ComputeKind::None {
        let mut kb_per_request = 0.0;
        if m.has("elasticache-redis") || m.has("elasticache-memcached") {
            kb_per_request += m.inputs.session_kb * (t.state_reads + t.state_writes);
        }
        if m.has("memorydb") {
            // read and written as the session store; only written as a journal
            let reads = if m.stack.topology.journal.as_deref() == Some("memorydb") {
                0.0
            } else {
                t.state_reads
            };
            kb_per_request += m.inputs.session_kb * (reads + t.state_writes);
        }
        if m.has("rds-postgres") || m.has("aurora-serverless") {
            kb_per_request += m.inputs.payload_kb * t.db_queries;
        }
        let crossing = (azs - 1.0) / azs;
        // billed out of one zone and into the other: $0.01 each way
        let gb = kb_to_gb(requests * kb_per_request) * crossing * 2.0;
        out.add("data-transfer", "cross_az_gb", gb).with_note(format!(
            "{} KB per request to the stores, {}% of it across zones, billed in both directions",
            format::number(kb_per_request),
            format::number(crossing * 100.0)
        ));
        assumptions.push(format!(
            "cross-AZ: compute spread over {} zones reaches a single-zone primary store, so {}% of that traffic crosses zones (`billing.lines.cross_az`)",
            format::number(azs),
            format::number(crossing * 100.0)
        ));
    }
}

/// The servers' EBS volumes.
fn ebs(m: &Month, sh: &Shape, out: &mut bill::Usage, assumptions: &mut Vec<String>) {
    let l = &m.s.billing.lines;
    let Shape {
        hours,
        compute,
        managed_fleet,
        ..
    } = *sh;
    if l.ebs && !managed_fleet && matches!(compute, ComputeKind::Ec2 | ComputeKind::Eks) {
        let node_months = m.instance_hours() / hours.max(1e-9);
        let data = if compute == ComputeKind::Eks {
            l.ebs_data_gb
        } else {
            0.0
        };
        out.add(
            "ebs",
            "storage_gb_months",
            node_months * (l.ebs_root_gb + data),
        )
        .with_note(format!(
            "{} instance-months × ({} GB root{})",
            format::number(node_months),
            format::number(l.ebs_root_gb),
            if data > 0.0 {
                format!(" + {} GB StatefulSet data", format::number(data))
            } else {
                String::new()
            }
        ));
        assumptions.push(format!(
            "EBS: a gp3 root volume of {} GB per instance{} (`billing.lines.ebs`, `ebs_root_gb`, `ebs_data_gb`)",
            format::number(l.ebs_root_gb),
            if data > 0.0 {
                format!(" and a {} GB data volume per EKS node", format::number(data))
            } else {
                String::new()
            }
        ));
    }
}

/// A relational database's backups beyond the free allowance.
fn backup(m: &Month, out: &mut bill::Usage, assumptions: &mut Vec<String>) {
    let (l, t) = (&m.s.billing.lines, &m.s.traffic);
    if l.backup && (m.has("rds-postgres") || m.has("aurora-serverless")) {
        let beyond = t.stored_gb * l.backup_daily_change * l.backup_retention_days;
        let kind = if m.has("aurora-serverless") {
            "aurora"
        } else {
            "rds"
        };
        let item = out.add("backup", "storage_gb_months", beyond);
        item.kind = Some(kind.to_string());
        item.note = Some(format!(
            "{} days of {}% daily change of {} GB, beyond the free 100% of the database",
            format::number(l.backup_retention_days),
            format::number(l.backup_daily_change * 100.0),
            format::number(t.stored_gb)
        ));
        assumptions.push("backups: automated backups beyond the free allowance (as much as the database's storage) are billed (`billing.lines.backup`, `backup_retention_days`, `backup_daily_change`)".into());
    }
}

/// MSK's brokers and their storage.
fn msk(m: &Month, sh: &Shape, out: &mut bill::Usage, assumptions: &mut Vec<String>) {
    let l = &m.s.billing.lines;
    let Shape { hours, .. } = *sh;
    if m.has("msk") {
        if l.msk {
            let brokers = f64::from(l.msk_brokers);
            let item = out.add("msk", "broker_hours", brokers * hours);
            item.broker = Some(l.msk_broker.clone());
            item.note = Some(format!(
                "{} brokers of {}",
                format::number(brokers),
                l.msk_broker
            ));
            out.add(
                "msk",
                "storage_gb_months",
                brokers * l.msk_storage_gb_per_broker,
            );
            assumptions.push(format!(
                "MSK: {} {} brokers with {} GB of storage each (`billing.lines.msk`, `msk_brokers`, `msk_broker`, `msk_storage_gb_per_broker`; the scenario the answers describe sizes them from the message rate, the console's default is 3 brokers of 1,000 GB)",
                format::number(brokers),
                l.msk_broker,
                format::number(l.msk_storage_gb_per_broker)
            ));
        } else {
            assumptions
                .push("MSK brokers are not counted (`billing.lines.msk: false`)".to_string());
        }
    }
}

/// S3's requests, where it holds the scenario's files or is a CDN's origin.
fn s3_requests(m: &Month, sh: &Shape, out: &mut bill::Usage, assumptions: &mut Vec<String>) {
    let (l, t) = (&m.s.billing.lines, &m.s.traffic);
    let Shape {
        compute, requests, ..
    } = *sh;
    let (u, scale) = (m.usage, m.scale);
    let cdn = m.has("cloudfront");
    // S3 is billed for requests when it holds the scenario's files, or is a CDN's origin
    if l.s3_requests && m.has("s3") && (t.files_gb > 0.0 || cdn) {
        let gets = if cdn {
            u.requests * scale * l.cdn_miss_ratio
        } else {
            requests * l.s3_gets_per_request
        };
        out.add("s3", "get_requests", gets).with_note(if cdn {
            format!(
                "CloudFront misses: {}% of requests reach the origin",
                format::number(l.cdn_miss_ratio * 100.0)
            )
        } else {
            format!(
                "{} object reads per request",
                format::number(l.s3_gets_per_request)
            )
        });
        if !cdn || compute != ComputeKind::None {
            out.add("s3", "put_requests", requests * l.s3_puts_per_request)
                .with_note(format!(
                    "{} object writes per request",
                    format::number(l.s3_puts_per_request)
                ));
        }
        assumptions.push("S3 requests: the objects' GETs and PUTs are billed per request (`billing.lines.s3_requests`, `s3_gets_per_request`, `s3_puts_per_request`, `cdn_miss_ratio`)".into());
    }
}
