//! The monthly bill, one line per charge, each with its formula in words and numbers
//! ("10.0 M requests × $0.20 per M = $2.00") and its price's source and date from the knowledge base.
//! A run's usage over its horizon is scaled to a month of `month_hours` (730 by AWS convention).

use serde::Serialize;

use super::day::Usage;
use super::model::{Inputs, assumption};
use super::scenario::{LambdaArch, Scenario};
use super::units::Usd;
use crate::format;
use crate::knowledge::{ComputeKind, Knowledge, Price, Stack};

/// ElastiCache node types the simulator can size, with their memory in GiB (AWS node specifications).
pub const CACHE_NODES: &[(&str, f64)] = &[
    ("elasticache-t4g-micro", 0.5),
    ("elasticache-t4g-small", 1.37),
    ("elasticache-t4g-medium", 3.09),
    ("elasticache-r7g-large", 13.07),
];

pub fn cache_node_gib(price_id: &str) -> Option<f64> {
    CACHE_NODES
        .iter()
        .find(|(id, _)| *id == price_id)
        .map(|(_, g)| *g)
}

/// One charge on the bill.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CostLine {
    /// The service id (`lambda`, `dynamodb`, …), or `data-transfer`.
    pub service: String,
    pub item: String,
    pub monthly_usd: Usd,
    pub formula: String,
    pub price_id: String,
    pub price_source: String,
    pub price_as_of: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CostBreakdown {
    pub monthly_usd: Usd,
    pub month_hours: f64,
    pub lines: Vec<CostLine>,
    /// What the bill leaves out or assumes, said plainly.
    pub assumptions: Vec<String>,
}

/// Builds lines against the knowledge base's prices.
pub struct Bill<'k> {
    k: &'k Knowledge,
    lines: Vec<CostLine>,
}

impl<'k> Bill<'k> {
    pub fn new(k: &'k Knowledge) -> Bill<'k> {
        Bill {
            k,
            lines: Vec::new(),
        }
    }

    /// `quantity` units at the price `price_id`, less `free` units.
    pub fn charge(&mut self, service: &str, price_id: &str, quantity: f64, free: f64, what: &str) {
        let Some(price) = self.k.price(price_id) else {
            self.lines.push(CostLine {
                service: service.to_string(),
                item: what.to_string(),
                monthly_usd: Usd(0.0),
                formula: format!("not priced: `{price_id}` is not in the knowledge base"),
                price_id: price_id.to_string(),
                price_source: String::new(),
                price_as_of: String::new(),
                note: Some("add the price to the knowledge base to include this charge".into()),
            });
            return;
        };
        let quantity = quantity.max(0.0);
        let billed = (quantity - free).max(0.0);
        let usd = billed * price.unit_usd();
        let formula = if free > 0.0 {
            format!(
                "({} − {} free) × {} = {}",
                amount(quantity, price),
                amount(free, price),
                per(price),
                format::usd(usd)
            )
        } else {
            format!(
                "{} × {} = {}",
                amount(quantity, price),
                per(price),
                format::usd(usd)
            )
        };
        self.lines.push(CostLine {
            service: service.to_string(),
            item: if what.is_empty() {
                price.item.clone()
            } else {
                what.to_string()
            },
            monthly_usd: Usd(usd),
            formula,
            price_id: price.id.clone(),
            price_source: price.source.clone().unwrap_or_default(),
            price_as_of: price.as_of.clone().unwrap_or_default(),
            note: None,
        });
    }

    /// Adds a note to the last line.
    pub fn note(&mut self, note: impl Into<String>) {
        if let Some(line) = self.lines.last_mut() {
            line.note = Some(note.into());
        }
    }

    /// A charge for a service the knowledge base has no price for.
    pub fn unpriced(&mut self, service: &str, why: &str) {
        self.lines.push(CostLine {
            service: service.to_string(),
            item: service.to_string(),
            monthly_usd: Usd(0.0),
            formula: format!("not priced: {why}"),
            price_id: String::new(),
            price_source: String::new(),
            price_as_of: String::new(),
            note: Some("this stack costs more than the total shows".into()),
        });
    }

    pub fn finish(self, month_hours: f64, assumptions: Vec<String>) -> CostBreakdown {
        CostBreakdown {
            monthly_usd: self.lines.iter().map(|l| l.monthly_usd).sum(),
            month_hours,
            lines: self.lines,
            assumptions,
        }
    }
}

/// "10.0 M requests", "125,000 GB-seconds", "730 ALB-hours".
fn amount(q: f64, price: &Price) -> String {
    if price.per >= 1e6 {
        format!("{:.1} M {}", q / 1e6, price.unit)
    } else {
        format!("{} {}", format::number(round_sig(q)), price.unit)
    }
}

/// A unit price with all its digits: "$0.20", "$0.0225", "$0.0000166667".
fn price_usd(usd: f64) -> String {
    let s = format::number(usd);
    match s.split_once('.') {
        None => format!("${s}.00"),
        Some((_, frac)) if frac.len() == 1 => format!("${s}0"),
        Some(_) => format!("${s}"),
    }
}

/// "$0.20 per M", "$0.0000166667 per GB-second", "$0.01 per 10,000".
fn per(price: &Price) -> String {
    let usd = price_usd(price.usd);
    if price.per >= 1e6 && price.per == 1e6 {
        format!("{usd} per M")
    } else if price.per == 1.0 {
        format!("{usd} per {}", singular(&price.unit))
    } else {
        format!("{usd} per {}", format::number(price.per))
    }
}

fn singular(unit: &str) -> String {
    let first = unit.split_whitespace().next().unwrap_or(unit);
    first.strip_suffix('s').unwrap_or(first).to_string()
}

/// Quantities on the bill to four significant figures (an hour count of 730 stays 730).
fn round_sig(q: f64) -> f64 {
    if q == 0.0 || !q.is_finite() {
        return q;
    }
    let digits = 4 - q.abs().log10().floor() as i32 - 1;
    if digits <= 0 {
        q.round()
    } else {
        let f = 10f64.powi(digits);
        (q * f).round() / f
    }
}

/// Lambda's two charges: requests and GB-seconds, with the free tier when it applies.
pub fn lambda(
    bill: &mut Bill,
    invocations: f64,
    gb_seconds: f64,
    arch: LambdaArch,
    free_tier: bool,
) {
    let (free_req, free_gbs) = if free_tier {
        (1e6, 400_000.0)
    } else {
        (0.0, 0.0)
    };
    bill.charge(
        "lambda",
        "lambda-requests",
        invocations,
        free_req,
        "Lambda requests",
    );
    let price = match arch {
        LambdaArch::X86 => "lambda-duration-x86",
        LambdaArch::Arm64 => "lambda-duration-arm64",
    };
    bill.charge("lambda", price, gb_seconds, free_gbs, "Lambda duration");
}

/// The month's bill for a run's usage on `stack`.
pub fn monthly(
    k: &Knowledge,
    stack: &Stack,
    s: &Scenario,
    inputs: &Inputs,
    usage: &Usage,
) -> CostBreakdown {
    let month_hours = s.billing.month_hours;
    let scale = month_hours * 3600.0 / usage.horizon_s.max(1e-9);
    let free = s.billing.free_tier;
    let t = &s.traffic;
    let mut bill = Bill::new(k);
    let mut assumptions = vec![
        format!(
            "usage over the {} s run, scaled to a month of {} hours",
            format::number(usage.horizon_s),
            format::number(month_hours)
        ),
        "no NAT gateway: servers reach AWS services through VPC endpoints or public subnets"
            .to_string(),
        "US East (N. Virginia) on-demand prices; no savings plans or reserved capacity".to_string(),
    ];
    let requests = usage.compute_requests * scale;
    let mut cdn = false;
    for svc in &stack.services {
        let optional = svc.role.to_lowercase().starts_with("optional");
        if optional && !s.billing.optional_services {
            assumptions.push(format!(
                "`{}` is optional in this stack and not counted (`billing.optional_services: true` counts it)",
                svc.service
            ));
            continue;
        }
        let id = svc.service.as_str();
        match id {
            "apigw-http" => bill.charge(
                id,
                "apigw-http-requests",
                usage.requests * scale,
                0.0,
                "API Gateway HTTP API requests",
            ),
            "apigw-rest" => bill.charge(
                id,
                "apigw-rest-requests",
                usage.requests * scale,
                0.0,
                "API Gateway REST API requests",
            ),
            "apigw-websocket" => {
                bill.charge(
                    id,
                    "apigw-websocket-messages",
                    usage.requests * scale,
                    0.0,
                    "WebSocket messages",
                );
                bill.charge(
                    id,
                    "apigw-websocket-connection-minutes",
                    usage.session_seconds / 60.0 * scale,
                    0.0,
                    "WebSocket connection minutes",
                );
                bill.note("one open connection per session");
            }
            "alb" | "nlb" => {
                bill.charge(id, "alb-hours", month_hours, 0.0, "Load balancer hours");
                bill.charge(
                    id,
                    "alb-lcu",
                    usage.alb_lcu_hours * scale,
                    0.0,
                    "Load balancer capacity units",
                );
                bill.note(format!(
                    "LCUs from new connections ({} requests per connection), active connections and bytes processed",
                    assumption("alb-requests-per-connection")
                ));
            }
            "cloudfront" => {
                cdn = true;
                bill.charge(
                    id,
                    "cloudfront-https-requests",
                    usage.requests * scale,
                    0.0,
                    "CloudFront HTTPS requests",
                );
                bill.charge(
                    id,
                    "cloudfront-data-out",
                    usage.data_out_gb * scale,
                    0.0,
                    "CloudFront data out",
                );
            }
            "ec2" => {
                bill.charge(
                    id,
                    &s.compute.instance_price,
                    usage.instance_seconds / 3600.0 * scale,
                    0.0,
                    "EC2 instances",
                );
                bill.note("instance-hours from launch, warm-up included, as Auto Scaling ran them");
            }
            "ecs" => bill.charge(
                id,
                "ecs-control-plane",
                month_hours,
                0.0,
                "ECS control plane",
            ),
            "fargate" => {
                let task_hours = usage.instance_seconds / 3600.0 * scale;
                bill.charge(
                    id,
                    "fargate-vcpu",
                    task_hours * s.compute.fargate_task_vcpu,
                    0.0,
                    "Fargate vCPU",
                );
                bill.note(format!(
                    "{} vCPU per task",
                    format::number(s.compute.fargate_task_vcpu)
                ));
                bill.charge(
                    id,
                    "fargate-memory",
                    task_hours * s.compute.fargate_task_gb,
                    0.0,
                    "Fargate memory",
                );
                bill.note(format!(
                    "{} GB per task",
                    format::number(s.compute.fargate_task_gb)
                ));
            }
            "eks" => {
                bill.charge(
                    id,
                    "eks-control-plane",
                    month_hours,
                    0.0,
                    "EKS control plane",
                );
                if stack.topology.compute == ComputeKind::Eks {
                    bill.charge(
                        id,
                        &s.compute.instance_price,
                        usage.instance_seconds / 3600.0 * scale,
                        0.0,
                        "EKS worker nodes (EC2)",
                    );
                }
            }
            "lambda" => lambda(
                &mut bill,
                usage.lambda_invocations * scale,
                usage.lambda_gb_seconds * scale,
                s.compute.lambda_arch,
                free,
            ),
            "dynamodb" => {
                bill.charge(
                    id,
                    "dynamodb-read-units",
                    usage.dynamodb_read_units * scale,
                    0.0,
                    "DynamoDB reads",
                );
                bill.note(format!(
                    "a {} KB item costs {} read units per {} read",
                    format::number(inputs.session_kb),
                    format::number(
                        ((inputs.session_kb / 4.0).ceil().max(1.0))
                            * if s.stores.dynamodb_reads == super::scenario::Consistency::Strong {
                                1.0
                            } else {
                                0.5
                            }
                    ),
                    if s.stores.dynamodb_reads == super::scenario::Consistency::Strong {
                        "strongly consistent"
                    } else {
                        "eventually consistent"
                    }
                ));
                bill.charge(
                    id,
                    "dynamodb-write-units",
                    usage.dynamodb_write_units * scale,
                    0.0,
                    "DynamoDB writes",
                );
                bill.note(format!(
                    "a {} KB item costs {} write units",
                    format::number(inputs.session_kb),
                    format::number(inputs.session_kb.ceil().max(1.0))
                ));
                let session_gb = usage.peak_sessions * inputs.session_kb / 1e6;
                let free_gb = if free { 25.0 } else { 0.0 };
                bill.charge(
                    id,
                    "dynamodb-storage",
                    t.stored_gb + session_gb,
                    free_gb,
                    "DynamoDB storage",
                );
            }
            "elasticache-redis" | "elasticache-memcached" => {
                let (node, count) = cache_nodes(s, usage.peak_sessions * inputs.session_kb);
                bill.charge(id, &node, month_hours * count, 0.0, "ElastiCache nodes");
                bill.note(format!(
                    "{} node(s): primary{} sized for {} sessions of {} KB",
                    format::number(count),
                    if s.stores.cache_replicas > 0 {
                        format!(" + {} replica(s)", s.stores.cache_replicas)
                    } else {
                        String::new()
                    },
                    format::number(usage.peak_sessions.round()),
                    format::number(inputs.session_kb)
                ));
            }
            "rds-postgres" => {
                let copies = if s.stores.rds_multi_az { 2.0 } else { 1.0 };
                bill.charge(
                    id,
                    &s.stores.rds_instance,
                    month_hours * copies,
                    0.0,
                    "RDS instance",
                );
                if copies > 1.0 {
                    bill.note("Multi-AZ: a standby doubles the instance-hours");
                }
                bill.charge(
                    id,
                    "rds-gp3-storage",
                    t.stored_gb * copies,
                    0.0,
                    "RDS storage",
                );
            }
            "aurora-serverless" => {
                bill.charge(
                    id,
                    "aurora-serverless-acu",
                    usage.aurora_acu_seconds / 3600.0 * scale,
                    0.0,
                    "Aurora Serverless v2 capacity",
                );
                bill.note(format!(
                    "{} queries/s per ACU, minimum {} ACU",
                    assumption("aurora-queries-per-acu"),
                    format::number(s.stores.aurora_min_acu.max(0.5))
                ));
                bill.charge(id, "aurora-storage", t.stored_gb, 0.0, "Aurora storage");
                bill.charge(id, "aurora-io", usage.aurora_io * scale, 0.0, "Aurora I/O");
            }
            "s3" => {
                if t.files_gb > 0.0 {
                    bill.charge(id, "s3-storage", t.files_gb, 0.0, "S3 storage");
                }
                if cdn {
                    // the edge serves most requests; the origin sees the misses
                    bill.charge(
                        id,
                        "s3-get",
                        usage.requests * scale * 0.1,
                        0.0,
                        "S3 GET requests (cache misses)",
                    );
                    bill.note("a 90% CloudFront cache hit ratio assumed");
                }
            }
            "cognito" => {
                bill.charge(
                    id,
                    "cognito-mau",
                    t.users,
                    10_000.0,
                    "Cognito monthly active users",
                );
                if optional {
                    bill.note(
                        "optional in this stack; counted because `billing.optional_services` is on",
                    );
                }
            }
            "msk" => bill.unpriced(id, "the knowledge base has no MSK broker price"),
            other => bill.unpriced(other, "the simulator has no cost model for this service"),
        }
    }
    if !cdn && usage.data_out_gb > 0.0 {
        let free_gb = if free {
            assumption("free-data-transfer")
        } else {
            0.0
        };
        bill.charge(
            "data-transfer",
            "data-transfer-out",
            usage.data_out_gb * scale,
            free_gb,
            "Data transfer out to the internet",
        );
        bill.note(format!(
            "{} KB per response",
            format::number(inputs.payload_kb)
        ));
    }
    if requests > 300e6
        && stack
            .services
            .iter()
            .any(|sv| sv.service.starts_with("apigw"))
    {
        assumptions.push("API Gateway's first-tier price is applied to every request (requests beyond the first tier cost a little less)".into());
    }
    if free {
        assumptions.push("free tier on: Lambda's 1 M requests and 400,000 GB-seconds, DynamoDB's 25 GB, 100 GB of data transfer out (Cognito's first 10,000 MAU are free either way)".into());
    } else {
        assumptions.push("free tier off (Cognito's first 10,000 MAU are always free)".into());
    }
    bill.finish(month_hours, assumptions)
}

/// The cache node type and count: the named type, or the smallest that holds the sessions with 25%
/// headroom (sharded over several primaries when none does), times primary + replicas.
fn cache_nodes(s: &Scenario, session_kb_total: f64) -> (String, f64) {
    let need_gib = session_kb_total * 1.25 / (1024.0 * 1024.0);
    let copies = 1.0 + f64::from(s.stores.cache_replicas);
    if let Some(node) = &s.stores.cache_node {
        let gib = cache_node_gib(node).unwrap_or(1.0);
        let shards = (need_gib / gib).ceil().max(1.0);
        return (node.clone(), shards * copies);
    }
    for (id, gib) in CACHE_NODES {
        if need_gib <= *gib {
            return (id.to_string(), copies);
        }
    }
    let (id, gib) = CACHE_NODES[CACHE_NODES.len() - 1];
    (id.to_string(), (need_gib / gib).ceil() * copies)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_million_lambda_requests_at_128_mb_for_100_ms() {
        let k = Knowledge::shipped().expect("shipped knowledge");
        let mut bill = Bill::new(&k);
        // 10 M × 0.1 s × 0.125 GB = 125,000 GB-s
        lambda(&mut bill, 10e6, 125_000.0, LambdaArch::X86, false);
        let cost = bill.finish(730.0, vec![]);
        assert_eq!(
            cost.lines[0].formula,
            "10.0 M requests × $0.20 per M = $2.00"
        );
        assert!((cost.lines[0].monthly_usd.0 - 2.0).abs() < 1e-9);
        assert!((cost.lines[1].monthly_usd.0 - 2.083_337_5).abs() < 1e-6);
        assert_eq!(
            cost.lines[1].formula,
            "125,000 GB-seconds × $0.0000166667 per GB-second = $2.08"
        );
        assert_eq!(cost.lines[0].price_source, "aws.amazon.com/lambda/pricing");
        assert_eq!(cost.lines[0].price_as_of, "2026-01");
    }

    #[test]
    fn the_free_tier_takes_its_share_off() {
        let k = Knowledge::shipped().expect("shipped knowledge");
        let mut bill = Bill::new(&k);
        lambda(&mut bill, 10e6, 125_000.0, LambdaArch::X86, true);
        let cost = bill.finish(730.0, vec![]);
        assert!((cost.lines[0].monthly_usd.0 - 1.8).abs() < 1e-9);
        assert_eq!(cost.lines[1].monthly_usd.0, 0.0);
        assert_eq!(
            cost.lines[0].formula,
            "(10.0 M requests − 1.0 M requests free) × $0.20 per M = $1.80"
        );
    }
}
