//! The design review's mitigations applied to the scenario the answers describe, each with the
//! reason it says why (an [`Origin`]): quotas raised through Service Quotas (API Gateway's
//! account throttle, Lambda's concurrency), scheduled scaling ahead of a burst for servers that
//! need a warm-up, a DynamoDB table pre-warmed for the burst, and RDS Proxy where functions would
//! exhaust the database's connections. Sizing (`sizing.rs`) chooses the types; this module adds
//! what an architect adds so that the chosen stack survives the day.

use super::from_answers::Origin;
use super::scenario::Scenario;
use super::sizing::{instances_for, max_connections_figure};
use crate::format;
use crate::knowledge::{ComputeKind, Knowledge, Stack};

/// The mitigations the design review prescribes, applied to the scenario the answers describe:
/// API Gateway's account throttle (check `apigw-account-throttle`) and Lambda's concurrency (check
/// `lambda-concurrency-quota`) raised to the peak with a fifth as headroom, scheduled scaling ahead
/// of a burst (`ec2-warmup-vs-bursts`, `fargate-startup-vs-bursts`), a DynamoDB table pre-warmed
/// for it (`dynamodb-on-demand-burst`) and RDS Proxy (`functions-exhaust-database-connections`).
/// Without them the simulation would refuse what the review accepts with its mitigation; past the
/// review's blocker (five times API Gateway's quota) the composer leaves API Gateway out, and a
/// scenario pinned to it keeps the default quota and its refusals.
pub fn apply(
    k: &Knowledge,
    stack: &Stack,
    s: &mut Scenario,
    origins: &mut Vec<(&'static str, Origin)>,
) {
    let topo = &stack.topology;
    let peak = s.origin_peak_rps(stack);
    let figure = |id: &str| k.figure(id).map(|f| f.value);
    if topo.front.starts_with("apigw")
        && let Some(steady) = figure("apigw-throttle-steady")
        && peak > steady
        && peak <= 5.0 * steady
    {
        let raised = (peak * 1.2).min(5.0 * steady).ceil();
        s.compute.apigw_throttle_rps = Some(raised);
        origins.push((
            "compute.apigw_throttle_rps",
            Origin::Derived {
                how: format!(
                    "the design review's mitigation (`apigw-account-throttle`): API Gateway's account throttle of {} requests/s raised through Service Quotas to {} (the peak of {} and a fifth as headroom); a quota increase is free, and AWS grants it case by case",
                    format::number(steady),
                    format::number(raised),
                    format::number(peak)
                ),
            },
        ));
    }
    // a new server serves after its warm-up (EC2's figure), a new Fargate task after its launch;
    // a warm-up the scenario states is the one its run waits for, as the model reads it
    let (warmup, check) = match topo.compute {
        ComputeKind::Ec2 | ComputeKind::Eks => (figure("ec2-warmup"), "ec2-warmup-vs-bursts"),
        ComputeKind::Fargate => (
            Some(super::model::assumption("fargate-startup")),
            "fargate-startup-vs-bursts",
        ),
        _ => (None, ""),
    };
    let warmup = warmup.map(|default| s.compute.warmup_s.unwrap_or(default));
    if s.traffic.shape == super::traffic::Shape::Spiky
        && s.compute.autoscaling
        && let Some(warmup) = warmup
    {
        // the servers the burst's top needs at the target utilisation, in service before it starts:
        // launched a warm-up and two scaling periods ahead, kept until it ends
        let c = s.compute.clone();
        let workers = if topo.compute == ComputeKind::Fargate {
            c.fargate_task_vcpu.ceil().max(1.0)
        } else {
            c.vcpus_per_instance.max(1.0)
        };
        let need = instances_for(s, peak, workers)
            .ceil()
            .min(f64::from(super::check::MAX_GROUP));
        let burst = s.traffic.burst;
        let at_s = (burst.at_s - warmup - 120.0).max(0.0);
        let until_s = (burst.at_s + burst.duration_s).min(super::traffic::DAY_S);
        if need > f64::from(c.min) {
            s.compute.scheduled = Some(super::scenario::ScheduledMin {
                at_s,
                until_s,
                min: need as u32,
            });
            origins.push((
                "compute.scheduled",
                Origin::Derived {
                    how: format!(
                        "the design review's mitigation (`{check}`): scheduled scaling to {} instances (the burst's {} requests/s at {} % CPU) from {} s, a warm-up of {} s and two scaling periods before the burst, until it ends at {} s; the headroom is billed as instance-hours",
                        format::number(need),
                        format::number(peak),
                        format::number((c.target_utilisation * 100.0).round()),
                        format::number(at_s),
                        format::number(warmup),
                        format::number(until_s)
                    ),
                },
            ));
        }
    }
    if s.traffic.shape == super::traffic::Shape::Spiky {
        prewarm_dynamodb(k, stack, s, origins);
    }
    if topo.compute == ComputeKind::Lambda
        && let Some(limit) = figure("lambda-concurrency-limit")
    {
        // Little's law: requests in flight = rate × time in the function: compute and waiting on
        // stores, the very mean the simulator holds (and bills) an environment for
        let model = super::model::Model::build(k, stack, s, super::model::Inputs::likely(s));
        let needed = peak * (model.service_ms.mean() + model.io_mean_ms()) / 1000.0;
        if needed > limit * 0.8 {
            let raised = (needed * 1.2).ceil().min(100_000.0);
            s.compute.lambda_concurrency = Some(raised as u32);
            origins.push((
                "compute.lambda_concurrency",
                Origin::Derived {
                    how: format!(
                        "the design review's mitigation (`lambda-concurrency-quota`): about {} executions at once at the peak, past Lambda's default quota of {}, raised through Service Quotas to {} (a fifth as headroom; free)",
                        format::number(needed.ceil()),
                        format::number(limit),
                        format::number(raised)
                    ),
                },
            ));
        }
        // each warm environment holds its own database connection: past about half the
        // database's limit, a burst of environments would exhaust it
        let limit_id = max_connections_figure(&s.stores.rds_instance);
        if topo.database.as_deref() == Some("rds-postgres")
            && let Some(connections) = figure(limit_id)
            && needed > connections / 2.0
        {
            s.stores.rds_proxy = true;
            origins.push((
                "stores.rds_proxy",
                Origin::Derived {
                    how: format!(
                        "the design review's mitigation (`functions-exhaust-database-connections`): about {} executions at once at the peak, each holding its own connection, against the database's {} (`{limit_id}`), so RDS Proxy pools them (billed per vCPU of the database)",
                        format::number(needed.ceil()),
                        format::number(connections)
                    ),
                },
            ));
        }
    }
}

/// The design review's mitigation for `dynamodb-on-demand-burst`: where the day's burst needs more
/// read or write units at once than an on-demand table serves (its first partitions, or double the
/// usual peak it served on earlier days), the table is pre-warmed to the burst's peak, an hour of
/// provisioned capacity before each burst.
fn prewarm_dynamodb(
    k: &Knowledge,
    stack: &Stack,
    s: &mut Scenario,
    origins: &mut Vec<(&'static str, Origin)>,
) {
    let model = super::model::Model::build(k, stack, s, super::model::Inputs::likely(s));
    if model.dynamo.is_none() {
        return;
    }
    let need = model.dynamo_demand(model.profile.peak_rps);
    let serves = model.dynamo_capacity(model.dynamo_demand(model.usual_peak_rps));
    if need.0 <= serves.0 && need.1 <= serves.1 {
        return;
    }
    s.stores.dynamodb_prewarm = true;
    origins.push((
        "stores.dynamodb_prewarm",
        Origin::Derived {
            how: format!(
                "the design review's mitigation (`dynamodb-on-demand-burst`): the burst needs {} read and {} write units/s at once, past the {} and {} an on-demand table serves after a usual peak of {} requests/s, so the table is pre-warmed to them, an hour of provisioned capacity before each burst (billed as capacity-hours)",
                format::number(need.0.ceil()),
                format::number(need.1.ceil()),
                format::number(serves.0.floor()),
                format::number(serves.1.floor()),
                format::number(model.usual_peak_rps.round())
            ),
        },
    ));
}
