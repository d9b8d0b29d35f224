//! The stack's own services as a month of usage: what each service of the stack meters, from the run.

use super::super::day::Usage;
use super::super::model::{Inputs, assumption};
use super::super::scenario::{Consistency, LambdaArch, Scenario};
use super::{cache_node_gib, cache_nodes};
use crate::bill::{self, UsageItem};
use crate::format;
use crate::knowledge::{ComputeKind, Knowledge, Stack, UsageDriver};

/// A run and what scales it to a month.
pub(super) struct Month<'a> {
    pub k: &'a Knowledge,
    pub stack: &'a Stack,
    pub s: &'a Scenario,
    pub inputs: &'a Inputs,
    pub usage: &'a Usage,
    /// Run → month.
    pub scale: f64,
}

impl Month<'_> {
    pub fn has(&self, service: &str) -> bool {
        self.counted().any(|id| id == service)
    }

    /// The stack's services the bill counts (optional ones only with `billing.optional_services`).
    pub fn counted(&self) -> impl Iterator<Item = &str> {
        self.stack
            .services
            .iter()
            .filter(|svc| {
                !svc.role.to_lowercase().starts_with("optional") || self.s.billing.optional_services
            })
            .map(|svc| svc.service.as_str())
    }

    /// Instance (task, node) hours of the month.
    pub fn instance_hours(&self) -> f64 {
        self.usage.instance_seconds / 3600.0 * self.scale
    }
}

/// An item priced by a price id of the knowledge (a scenario names instance types by price id).
pub(super) fn by_id<'u>(
    k: &Knowledge,
    out: &'u mut bill::Usage,
    price_id: &str,
    quantity: f64,
) -> &'u mut UsageItem {
    let (service, meter, variant) = k.price(price_id).map_or_else(
        || (price_id.to_string(), String::new(), None),
        |p| {
            (
                p.service.clone(),
                p.meter.clone().unwrap_or_default(),
                p.variant.clone(),
            )
        },
    );
    let item = out.add(&service, &meter, quantity);
    item.instance = variant;
    item
}

pub(super) fn stack_services(m: &Month, out: &mut bill::Usage, assumptions: &mut Vec<String>) {
    let (u, scale) = (m.usage, m.scale);
    let cdn = m.has("cloudfront");
    for svc in &m.stack.services {
        let id = svc.service.as_str();
        if !m.counted().any(|c| c == id) {
            assumptions.push(format!(
                "`{id}` is optional in this stack and not counted (`billing.optional_services: true` counts it)"
            ));
            continue;
        }
        let billed = front_door_lines(m, id, out)
            || compute_lines(m, id, out, assumptions)
            || store_lines(m, id, out, assumptions);
        if !billed {
            declared_usage(m, id, out, assumptions);
        }
    }
    if !cdn && u.data_out_gb > 0.0 {
        out.add(
            "data-transfer",
            "out_gb",
            u.data_out_gb * scale * super::extra::SIM_GB_TO_AWS_GB,
        )
        .with_note(format!(
            "{} KB per response",
            format::number(m.inputs.payload_kb)
        ));
    }
}

/// The front door's and the CDN's lines, if `id` is one the cost model knows.
fn front_door_lines(m: &Month, id: &str, out: &mut bill::Usage) -> bool {
    let (u, scale) = (m.usage, m.scale);
    let month_hours = m.s.billing.month_hours;
    match id {
        "apigw-http" | "apigw-rest" => {
            out.add(id, "requests", u.requests * scale).size_kb = Some(m.inputs.payload_kb);
        }
        "apigw-websocket" => {
            out.add(id, "messages", u.requests * scale).size_kb = Some(m.inputs.payload_kb);
            out.add(id, "connection_minutes", u.session_seconds / 60.0 * scale)
                .with_note("one open connection per session");
        }
        "alb" => {
            out.add(id, "hours", month_hours);
            out.add(id, "lcu_hours", u.alb_lcu_hours * scale).with_note(format!(
                "LCUs from new connections ({} requests per connection), active connections and bytes processed",
                assumption("alb-requests-per-connection")
            ));
        }
        "nlb" => {
            out.add(id, "hours", month_hours);
            out.add(id, "nlcu_hours", u.alb_lcu_hours * scale)
                .with_note("NLCUs counted as the ALB's LCUs of the same traffic");
        }
        "cloudfront" => {
            // every request reaches the edge: those it answers from its caches and those it
            // passes to the origin (the origin's answers to the edge are not billed as data out)
            let hits_gb = u.edge_hits * m.inputs.payload_kb / 1e6;
            let requests = out.add(id, "https_requests", (u.requests + u.edge_hits) * scale);
            if u.edge_hits > 0.0 {
                requests.note = Some(format!(
                    "{} % answered from the edge's caches (`traffic.cacheable_pct` less `billing.lines.cdn_miss_ratio`); only the rest reach the origin",
                    format::number(
                        (u.edge_hits / (u.requests + u.edge_hits) * 1000.0).round() / 10.0
                    )
                ));
            }
            out.add(
                id,
                "data_out_gb",
                (u.data_out_gb + hits_gb) * scale * super::extra::SIM_GB_TO_AWS_GB,
            );
        }
        _ => return false,
    }
    true
}

/// The compute tier's lines (instances, tasks, functions), if `id` is one the cost model knows.
fn compute_lines(
    m: &Month,
    id: &str,
    out: &mut bill::Usage,
    assumptions: &mut Vec<String>,
) -> bool {
    let (k, s, u, scale) = (m.k, m.s, m.usage, m.scale);
    let month_hours = s.billing.month_hours;
    match id {
        "ec2" => {
            by_id(k, out, &s.compute.instance_price, m.instance_hours()).with_note(
                "instance-hours from launch, warm-up included, as Auto Scaling ran them",
            );
        }
        "gamelift" => {
            // GameLift's own instance prices are not in AWS's public price data in a form the
            // knowledge can source; its instance-hour includes the EC2 instance, so EC2's rate
            // for the same instance is a floor, and the bill says so
            by_id(k, out, &s.compute.instance_price, m.instance_hours()).with_note(
                "GameLift fleet instance-hours, at EC2's On-Demand rate for the same instance: a floor",
            );
            assumptions.push(format!(
                "`gamelift` is billed at a floor: its fleet's instance-hours at EC2's On-Demand rate for the same instance (`{}`); a GameLift instance-hour includes that instance and costs more (aws.amazon.com/gamelift/pricing), so the stack costs more than the total shows",
                s.compute.instance_price
            ));
        }
        "ecs" => {
            out.add(id, "cluster_hours", month_hours);
        }
        "fargate" => {
            out.add(
                id,
                "vcpu_hours",
                m.instance_hours() * s.compute.fargate_task_vcpu,
            )
            .with_note(format!(
                "{} vCPU per task",
                format::number(s.compute.fargate_task_vcpu)
            ));
            out.add(
                id,
                "gb_hours",
                m.instance_hours() * s.compute.fargate_task_gb,
            )
            .with_note(format!(
                "{} GB per task",
                format::number(s.compute.fargate_task_gb)
            ));
        }
        "eks" => {
            out.add(id, "cluster_hours", month_hours);
            if m.stack.topology.compute == ComputeKind::Eks {
                by_id(k, out, &s.compute.instance_price, m.instance_hours())
                    .with_note("EKS worker nodes (EC2)");
            }
        }
        "lambda" => {
            out.add(id, "requests", u.lambda_invocations * scale);
            let gbs = out.add(id, "gb_seconds", u.lambda_gb_seconds * scale);
            gbs.arch = Some(
                match s.compute.lambda_arch {
                    LambdaArch::X86 => "x86",
                    LambdaArch::Arm64 => "arm64",
                }
                .to_string(),
            );
            gbs.note = Some("billed duration per invocation, cold-start init included".into());
        }
        _ => return false,
    }
    true
}

/// The stores' and sign-in's lines, if `id` is one the cost model knows.
fn store_lines(m: &Month, id: &str, out: &mut bill::Usage, assumptions: &mut Vec<String>) -> bool {
    let (k, s, u, scale) = (m.k, m.s, m.usage, m.scale);
    let t = &s.traffic;
    let month_hours = s.billing.month_hours;
    match id {
        "dynamodb" => dynamodb(m, out),
        "memorydb" => memorydb(m, out),
        "elasticache-redis" | "elasticache-memcached" => {
            let (node, count) = cache_nodes(s, u.peak_sessions * m.inputs.session_kb);
            by_id(k, out, &node, month_hours * count).with_note(format!(
                "{} node(s): primary{} sized for {} sessions of {} KB",
                format::number(count),
                if s.stores.cache_replicas > 0 {
                    format!(" + {} replica(s)", s.stores.cache_replicas)
                } else {
                    String::new()
                },
                format::number(u.peak_sessions.round()),
                format::number(m.inputs.session_kb)
            ));
        }
        "rds-postgres" => {
            let item = by_id(k, out, &s.stores.rds_instance, month_hours);
            item.multi_az = s.stores.rds_multi_az;
            let copies = if s.stores.rds_multi_az { 2.0 } else { 1.0 };
            let storage = out.add(id, "storage_gb_months", t.stored_gb * copies);
            if copies > 1.0 {
                storage.note = Some("Multi-AZ: the standby has its own storage".into());
            }
            if s.stores.rds_proxy {
                // billed per vCPU of the instance behind it, at least 2: the t4g classes have 2
                out.add(id, "proxy_vcpu_hours", 2.0 * month_hours)
                    .with_note("RDS Proxy in front of the database (`stores.rds_proxy`)");
            }
        }
        "aurora-serverless" => {
            out.add(id, "acu_hours", u.aurora_acu_seconds / 3600.0 * scale)
                .with_note(format!(
                    "{} queries/s per ACU, minimum {} ACU",
                    assumption("aurora-queries-per-acu"),
                    format::number(s.stores.aurora_min_acu.max(0.5))
                ));
            out.add(id, "storage_gb_months", t.stored_gb);
            out.add(id, "io_requests", u.aurora_io * scale);
        }
        "s3" => {
            if t.files_gb > 0.0 {
                out.add(id, "storage_gb_months", t.files_gb);
            } else if m.stack.topology.journal.is_some() {
                // the world in the servers' memory, snapshotted so a restore replays only the
                // journal since: hourly snapshots kept for a day
                let world_gb = u.peak_sessions * m.inputs.session_kb / (1024.0 * 1024.0);
                out.add(id, "storage_gb_months", world_gb * assumption("memory-snapshots-kept"))
                    .with_note(format!(
                        "snapshots of the state in the servers' memory ({} sessions of {} KB), taken hourly and kept for a day; their PUT requests (24 a day) are under a cent",
                        format::number(u.peak_sessions.round()),
                        format::number(m.inputs.session_kb)
                    ));
            } else {
                assumptions.push(
                    "`s3` costs nothing: no uploaded files in this scenario (`traffic.files_gb` is 0), and the bucket is billed only for what it holds".to_string(),
                );
            }
        }
        "cognito" => {
            out.add(id, "mau", t.users);
        }
        "msk" => {} // brokers and storage are a switchable line (cost/extra.rs)
        _ => return false,
    }
    true
}

/// A service the cost model has no code for, billed as its capabilities declare (`usage`): each
/// item a multiple of what the run measured. A place for state that is not a service (the server's
/// memory) costs nothing of its own.
fn declared_usage(m: &Month, id: &str, out: &mut bill::Usage, assumptions: &mut Vec<String>) {
    let Some(svc) = m.k.service(id) else {
        return;
    };
    if svc.pattern {
        return;
    }
    let rules = svc.capabilities.as_ref().map_or(&[][..], |c| &c.usage[..]);
    if rules.is_empty() {
        assumptions.push(format!(
            "`{id}` is not priced: the simulator has no cost model for it, so the stack costs more than the total shows"
        ));
        return;
    }
    let (u, scale) = (m.usage, m.scale);
    // a second door for live connections meters their messages over the month, at the traffic's
    // shape, rather than the requests the request door carries
    let live_messages = m.s.traffic.live_messages_rps.filter(|_| {
        crate::knowledge::stack_ids::live_door(m.k, &m.stack.id).as_deref() == Some(id)
    });
    let requests = live_messages.map_or(u.requests * scale, |peak| {
        let shape = super::super::traffic::Profile {
            peak_rps: peak,
            shape: m.s.traffic.shape,
            burst: m.s.traffic.burst,
        };
        shape.mean_rate(0.0, super::super::traffic::DAY_S) * m.s.billing.month_hours * 3600.0
    });
    for r in rules {
        let driver = match r.per {
            UsageDriver::Request => requests,
            UsageDriver::SessionMinute => u.session_seconds / 60.0 * scale,
            UsageDriver::MonthHour => m.s.billing.month_hours,
            UsageDriver::InstanceHour => m.instance_hours(),
            UsageDriver::GbOut => u.data_out_gb * scale * super::extra::SIM_GB_TO_AWS_GB,
            UsageDriver::Month => 1.0,
            UsageDriver::StoredGb => m.s.traffic.stored_gb,
            UsageDriver::VideoMinute => m.s.traffic.video_minutes,
            UsageDriver::LiveHour => m.s.traffic.live_hours,
            UsageDriver::ViewerHour => m.s.traffic.users * m.s.traffic.viewer_hours_per_user,
        };
        let item = out.add(id, &r.meter, driver * r.factor);
        item.instance = r.variant.clone();
        if let Some(note) = &r.note {
            item.note = Some(note.clone());
        }
        if let (UsageDriver::Request, Some(peak)) = (r.per, live_messages) {
            let said = item
                .note
                .take()
                .map_or_else(String::new, |n| format!("; {n}"));
            item.note = Some(format!(
                "the live connections' messages, not the requests: {} messages/s at the peak over the day's shape (`traffic.live_messages_rps`){said}",
                format::number(peak)
            ));
        }
    }
}

/// MemoryDB as the session store or as the journal of state in the servers' memory: its nodes
/// (a primary and the scenario's replicas per shard, each billed every hour) and the data written
/// to its transaction log, one session-sized write per state change.
fn memorydb(m: &Month, out: &mut bill::Usage) {
    let (s, u, scale) = (m.s, m.usage, m.scale);
    let kb = m.inputs.session_kb.max(0.0);
    let need_gib = u.peak_sessions * kb * 1.25 / (1024.0 * 1024.0);
    // an r-class large node holds what ElastiCache's of the same size does
    let shards =
        cache_node_gib("elasticache-r7g-large").map_or(1.0, |gib| (need_gib / gib).ceil().max(1.0));
    let copies = 1.0 + f64::from(s.stores.cache_replicas);
    by_id(
        m.k,
        out,
        "memorydb-r6g-large",
        s.billing.month_hours * shards * copies,
    )
    .with_note(format!(
        "{} shard(s) of a primary{} for {} sessions of {} KB",
        format::number(shards),
        if s.stores.cache_replicas > 0 {
            format!(" + {} replica(s)", s.stores.cache_replicas)
        } else {
            String::new()
        },
        format::number(u.peak_sessions.round()),
        format::number(kb)
    ));
    let journal = m.stack.topology.journal.as_deref() == Some("memorydb");
    let writes = u.requests * s.traffic.state_writes * scale;
    by_id(
        m.k,
        out,
        "memorydb-data-written",
        writes * kb / (1024.0 * 1024.0),
    )
    .with_note(format!(
        "{} writes of {} KB ({} a request){}",
        format::number(writes.round()),
        format::number(kb),
        format::number(s.traffic.state_writes),
        if journal {
            ": every change to the state in the servers' memory, journalled before it is acknowledged"
        } else {
            ""
        }
    ));
}

fn dynamodb(m: &Month, out: &mut bill::Usage) {
    let (s, u, scale) = (m.s, m.usage, m.scale);
    let kb = m.inputs.session_kb;
    let strong = s.stores.dynamodb_reads == Consistency::Strong;
    out.add("dynamodb", "read_units", u.dynamodb_read_units * scale)
        .with_note(format!(
            "a {} KB item costs {} read units per {} read",
            format::number(kb),
            format::number((kb / 4.0).ceil().max(1.0) * if strong { 1.0 } else { 0.5 }),
            if strong {
                "strongly consistent"
            } else {
                "eventually consistent"
            }
        ));
    let journal = if m.stack.topology.journal.as_deref() == Some("dynamodb") {
        "; every change to the state in the servers' memory is journalled as one item"
    } else {
        ""
    };
    out.add("dynamodb", "write_units", u.dynamodb_write_units * scale)
        .with_note(format!(
            "a {} KB item costs {} write units{journal}",
            format::number(kb),
            format::number(kb.ceil().max(1.0))
        ));
    let session_gb = u.peak_sessions * kb / (1024.0 * 1024.0);
    out.add(
        "dynamodb",
        "storage_gb_months",
        s.traffic.stored_gb + session_gb,
    );
    if s.stores.dynamodb_prewarm {
        // the day's burst comes once a day: an hour of provisioned capacity at its peak before each
        let model = super::super::model::Model::build(m.k, m.stack, s, *m.inputs);
        let (rcu, wcu) = model.dynamo.as_ref().map_or((0.0, 0.0), |d| d.prewarmed);
        let bursts = s.billing.month_hours * 3600.0 / super::super::traffic::DAY_S;
        let note = |units: f64, kind: &str| {
            format!(
                "pre-warmed before each of the month's {} bursts: {} {kind} units for an hour of provisioned capacity (`stores.dynamodb_prewarm`); the always-free 25 units of those hours are not counted",
                format::number((bursts * 10.0).round() / 10.0),
                format::number(units.ceil())
            )
        };
        if rcu > 0.0 {
            out.add("dynamodb", "provisioned_rcu_hours", rcu.ceil() * bursts)
                .with_note(note(rcu, "read"));
        }
        if wcu > 0.0 {
            out.add("dynamodb", "provisioned_wcu_hours", wcu.ceil() * bursts)
                .with_note(note(wcu, "write"));
        }
    }
}
