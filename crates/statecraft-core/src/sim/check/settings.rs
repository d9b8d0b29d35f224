//! The limits of a scenario's billing, compute and store settings: a priced instance type and
//! node, group bounds a run can keep, figures within what AWS allows.

use super::*;

/// The bill's region must have prices, and the MSK broker type one of them.
pub(super) fn check_billing(c: &mut Checker, s: &Scenario, k: &Knowledge) {
    let bp = JsonPath::root().key("billing");
    if let Err(message) = k.prices_in(&s.billing.region) {
        c.fail(
            &bp.key("region"),
            message,
            "use one of those region codes, or add a price pack for the region (statecraft prices import)".to_string(),
        );
    }
    let brokers: Vec<&str> = k
        .prices
        .iter()
        .filter(|p| p.service == "msk")
        .filter_map(|p| p.variant.as_deref())
        .collect();
    let l = &s.billing.lines;
    let lp = bp.key("lines");
    c.range(&lp.key("azs"), f64::from(l.azs), 1.0, 6.0, "zones");
    c.range(
        &lp.key("msk_brokers"),
        f64::from(l.msk_brokers),
        1.0,
        60.0,
        "brokers",
    );
    for (key, v, hi, unit) in [
        ("nat_extra_gb", l.nat_extra_gb, 1e9, "GB"),
        ("log_kb_per_request", l.log_kb_per_request, 1024.0, "KB"),
        (
            "log_retention_months",
            l.log_retention_months,
            120.0,
            "months",
        ),
        ("ebs_root_gb", l.ebs_root_gb, 16_384.0, "GB"),
        ("ebs_data_gb", l.ebs_data_gb, 16_384.0, "GB"),
        (
            "backup_retention_days",
            l.backup_retention_days,
            35.0,
            "days",
        ),
        ("backup_daily_change", l.backup_daily_change, 1.0, ""),
        (
            "msk_storage_gb_per_broker",
            l.msk_storage_gb_per_broker,
            16_384.0,
            "GB",
        ),
        ("s3_gets_per_request", l.s3_gets_per_request, 1000.0, ""),
        ("s3_puts_per_request", l.s3_puts_per_request, 1000.0, ""),
        ("cdn_miss_ratio", l.cdn_miss_ratio, 1.0, ""),
    ] {
        c.range(&lp.key(key), v, 0.0, hi, unit);
    }
    if !brokers.contains(&s.billing.lines.msk_broker.as_str()) {
        c.fail(
            &bp.key("lines").key("msk_broker"),
            format!(
                "there is no MSK broker price `{}`",
                s.billing.lines.msk_broker
            ),
            format!("use one of: {}", brokers.join(", ")),
        );
    }
}

pub(super) fn check_compute(c: &mut Checker, s: &Scenario, k: &Knowledge) {
    check_compute_size(c, s, k);
    check_compute_group(c, s);
    check_compute_limits(c, s);
}

/// The instance or task each server is: a priced EC2 type, whole vCPUs, a Fargate size.
fn check_compute_size(c: &mut Checker, s: &Scenario, k: &Knowledge) {
    let cp = JsonPath::root().key("compute");
    let m = &s.compute;
    match k.price(&m.instance_price) {
        Some(p) if p.service == "ec2" && p.unit == "instance-hours" => {}
        _ => {
            let ids: Vec<&str> = k
                .prices
                .iter()
                .filter(|p| p.service == "ec2" && p.unit == "instance-hours")
                .map(|p| p.id.as_str())
                .collect();
            c.fail(
                &cp.key("instance_price"),
                format!(
                    "there is no EC2 instance price `{}` in the knowledge base",
                    m.instance_price
                ),
                format!("use one of: {}", ids.join(", ")),
            );
        }
    }
    c.positive(
        &cp.key("vcpus_per_instance"),
        m.vcpus_per_instance,
        192.0,
        "vCPUs",
    );
    if m.vcpus_per_instance.is_finite() && m.vcpus_per_instance.fract() != 0.0 {
        let at = cp.key("vcpus_per_instance");
        c.fail(
            &at,
            format!(
                "`{at}` is {}; an EC2 instance has a whole number of vCPUs",
                show(m.vcpus_per_instance)
            ),
            "write the instance type's vCPUs, such as 2 for an m5.large".into(),
        );
    }
    c.range(
        &cp.key("fargate_task_vcpu"),
        m.fargate_task_vcpu,
        0.25,
        16.0,
        "vCPUs",
    );
    c.range(
        &cp.key("fargate_task_gb"),
        m.fargate_task_gb,
        0.5,
        120.0,
        "GB",
    );
}

/// The auto-scaling group: its bounds, start, target and warm-up.
fn check_compute_group(c: &mut Checker, s: &Scenario) {
    let cp = JsonPath::root().key("compute");
    let m = &s.compute;
    if m.max == 0 {
        c.fail(
            &cp.key("max"),
            "`compute.max` is 0: a group of zero servers cannot serve anything".to_string(),
            "allow at least one server (\"max\": 1 or more)".to_string(),
        );
    }
    c.range(
        &cp.key("max"),
        f64::from(m.max),
        0.0,
        f64::from(MAX_GROUP),
        "servers",
    );
    if m.min == 0 {
        c.fail(
            &cp.key("min"),
            "`compute.min` is 0: target tracking cannot start from zero servers".to_string(),
            "keep at least one server (\"min\": 1 or more)".to_string(),
        );
    } else if m.min > m.max {
        c.fail(
            &cp.key("min"),
            format!(
                "`compute.min` ({}) is above `compute.max` ({})",
                m.min, m.max
            ),
            "make min at most max".to_string(),
        );
    }
    if let Some(initial) = m.initial
        && (initial < m.min || initial > m.max)
    {
        c.fail(
            &cp.key("initial"),
            format!(
                "`compute.initial` is {initial}; expected a count from min ({}) to max ({})",
                m.min, m.max
            ),
            "start within the group's min and max".to_string(),
        );
    }
    c.range(
        &cp.key("target_utilisation"),
        m.target_utilisation,
        0.05,
        0.95,
        "",
    );
    if let Some(w) = m.warmup_s {
        c.range(&cp.key("warmup_s"), w, 0.0, 3600.0, "s");
    }
}

/// Lambda's and API Gateway's limits, the scheduled scaling, the zones and the timings.
fn check_compute_limits(c: &mut Checker, s: &Scenario) {
    let cp = JsonPath::root().key("compute");
    let m = &s.compute;
    c.range(
        &cp.key("lambda_memory_mb"),
        m.lambda_memory_mb,
        128.0,
        10_240.0,
        "MB",
    );
    if let Some(t) = m.apigw_throttle_rps {
        c.range(
            &cp.key("apigw_throttle_rps"),
            t,
            1.0,
            MAX_PEAK_RPS,
            "requests/s",
        );
    }
    if let Some(sch) = m.scheduled {
        let sp = cp.key("scheduled");
        c.range(&sp.key("at_s"), sch.at_s, 0.0, DAY_S, "s");
        c.range(
            &sp.key("until_s"),
            sch.until_s,
            sch.at_s.clamp(0.0, DAY_S),
            DAY_S,
            "s (after `at_s`)",
        );
        c.range(
            &sp.key("min"),
            f64::from(sch.min),
            0.0,
            f64::from(MAX_GROUP),
            "instances",
        );
    }
    if let Some(l) = m.lambda_concurrency {
        c.range(
            &cp.key("lambda_concurrency"),
            f64::from(l),
            1.0,
            100_000.0,
            "",
        );
    }
    c.range(
        &cp.key("availability_zones"),
        f64::from(m.availability_zones),
        1.0,
        6.0,
        "",
    );
    c.range(&cp.key("detect_s"), m.detect_s, 0.0, 600.0, "s");
    c.positive(&cp.key("timeout_s"), m.timeout_s, 900.0, "s");
}

pub(super) fn check_stores(c: &mut Checker, s: &Scenario, k: &Knowledge) {
    let sp = JsonPath::root().key("stores");
    let st = &s.stores;
    c.range(
        &sp.key("cache_replicas"),
        f64::from(st.cache_replicas),
        0.0,
        5.0,
        "",
    );
    c.range(
        &sp.key("aurora_min_acu"),
        st.aurora_min_acu,
        0.0,
        256.0,
        "ACUs",
    );
    if let Some(node) = &st.cache_node
        && (super::super::cost::cache_node_gib(node).is_none() || k.price(node).is_none())
    {
        c.fail(
            &sp.key("cache_node"),
            format!("there is no ElastiCache node price `{node}` the simulator knows"),
            format!(
                "use one of: {}",
                super::super::cost::CACHE_NODES
                    .iter()
                    .map(|(id, _)| *id)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    match k.price(&st.rds_instance) {
        Some(p) if p.service == "rds-postgres" && p.unit == "instance-hours" => {}
        _ => {
            let ids: Vec<&str> = k
                .prices
                .iter()
                .filter(|p| p.service == "rds-postgres" && p.unit == "instance-hours")
                .map(|p| p.id.as_str())
                .collect();
            c.fail(
                &sp.key("rds_instance"),
                format!(
                    "there is no RDS instance price `{}` in the knowledge base",
                    st.rds_instance
                ),
                format!("use one of: {}", ids.join(", ")),
            );
        }
    }
}
