//! The limits of a scenario, checked all at once with the place of each problem. Caps on rates,
//! horizons and request counts keep every run bounded in time and memory; within them nothing panics.

use crate::answers::Answers;
use crate::diagnostic::{Diagnostics, JsonPath};
use crate::format;
use crate::json_source::SourceText;
use crate::knowledge::{Knowledge, SessionPlacement, Stack};
use crate::rules;

use super::scenario::{ChaosEvent, Estimate, Scenario};
use super::traffic::{DAY_S, Profile};

pub const MAX_PEAK_RPS: f64 = 1_000_000.0;
/// The largest instance group a scenario (or a sweep that grows one) may have.
pub const MAX_GROUP: u32 = 10_000;
pub const MAX_HORIZON_S: f64 = 7.0 * DAY_S;
// The caps below keep every command within seconds on a two-core machine (measured on a debug
// build with others' builds running): each says so in its message, so a user knows why.
/// Requests walked one by one in a sampled run (a week at 1,000,000 requests/s: about 3 s).
pub const MAX_SAMPLE_REQUESTS: u64 = 2_000_000;
/// Requests in a run that walks every request (`sampling.full`, or a population of users): 20
/// million took 22 s over a week-long horizon, 5 million about 5 s.
pub const MAX_FULL_REQUESTS: f64 = 5_000_000.0;
/// Simulated users: each carries a session and a cart through the whole horizon, so the cost grows
/// with users × horizon as well as with requests (100,000 users over a week took 16 s for 5 million
/// requests; 20,000 about 4 s).
pub const MAX_POPULATION: u32 = 20_000;
pub const MAX_CHAOS_EVENTS: usize = 1_000;
pub const MAX_TIMELINE_POINTS: f64 = 10_000.0;
/// Monte Carlo runs: 100,000 runs took about four minutes; 2,000 runs of 4,000 requests about 2 s.
pub const MAX_RUNS: u32 = 2_000;
/// Monte Carlo runs × requests per run (2,000 runs × 20,000 requests took 14 s; this is ~5 s).
pub const MAX_MONTE_CARLO_REQUESTS: f64 = 8_000_000.0;
/// Why the caps are where they are, for the messages.
pub const WHY_CAPPED: &str = "the cap keeps a run within seconds";

struct Checker<'a> {
    src: &'a SourceText,
    problems: Diagnostics,
}

impl Checker<'_> {
    fn fail(&mut self, path: &JsonPath, message: String, fix: String) {
        self.problems
            .push(self.src.diagnostic_at(path, message, fix));
    }

    /// `lo <= v <= hi` (NaN fails too).
    fn range(&mut self, path: &JsonPath, v: f64, lo: f64, hi: f64, unit: &str) {
        if !(v >= lo && v <= hi) {
            let unit = if unit.is_empty() {
                String::new()
            } else {
                format!(" {unit}")
            };
            self.fail(
                path,
                format!(
                    "`{path}` is {}; expected a number from {} to {}{unit}",
                    show(v),
                    format::number(lo),
                    format::number(hi)
                ),
                format!(
                    "set it to a value from {} to {}",
                    format::number(lo),
                    format::number(hi)
                ),
            );
        }
    }

    /// `lo < v <= hi`.
    fn positive(&mut self, path: &JsonPath, v: f64, hi: f64, unit: &str) {
        if !(v > 0.0 && v <= hi) {
            self.fail(
                path,
                format!(
                    "`{path}` is {}; expected a number above 0 and at most {} {unit}",
                    show(v),
                    format::number(hi)
                ),
                format!(
                    "set it to a value above 0 and at most {}",
                    format::number(hi)
                ),
            );
        }
    }

    fn estimate(
        &mut self,
        path: &JsonPath,
        e: &Estimate,
        lo: f64,
        hi: f64,
        unit: &str,
        strict: bool,
    ) {
        match *e {
            Estimate::Exact(v) => self.bound(path, v, lo, hi, unit, strict),
            Estimate::Range { low, likely, high } => {
                self.bound(&path.key("low"), low, lo, hi, unit, strict);
                self.bound(&path.key("likely"), likely, lo, hi, unit, strict);
                self.bound(&path.key("high"), high, lo, hi, unit, strict);
                if !(low <= likely && likely <= high) {
                    self.fail(
                        path,
                        format!(
                            "`{path}` has low {}, likely {}, high {}; expected low ≤ likely ≤ high",
                            show(low),
                            show(likely),
                            show(high)
                        ),
                        "order the three values from low to high".to_string(),
                    );
                }
            }
        }
    }

    fn bound(&mut self, path: &JsonPath, v: f64, lo: f64, hi: f64, unit: &str, strict: bool) {
        if strict {
            self.positive(path, v, hi, unit);
        } else {
            self.range(path, v, lo, hi, unit);
        }
    }
}

fn show(v: f64) -> String {
    if v.is_finite() {
        format::number(v)
    } else {
        v.to_string()
    }
}

/// Every problem of `scenario`, placed in `src` (the file, or the scenario's own JSON for one built in memory).
pub fn check(scenario: &Scenario, src: &SourceText, k: &Knowledge) -> Result<(), Diagnostics> {
    let mut c = Checker {
        src,
        problems: Diagnostics::default(),
    };
    let root = JsonPath::root();
    // a file's version is checked before its shape (`Scenario::parse`); this catches one held inside
    // a project, or built in memory
    if let Some((message, fix)) =
        super::scenario::version_problem(u64::from(scenario.schema_version))
    {
        c.fail(&root.key("schema_version"), message, fix);
    }
    let stack = resolve_stack_checked(scenario, src, k, &mut c.problems);

    let t = &scenario.traffic;
    let tp = root.key("traffic");
    c.estimate(
        &tp.key("peak_rps"),
        &t.peak_rps,
        0.0,
        MAX_PEAK_RPS,
        "requests/s",
        false,
    );
    c.estimate(
        &tp.key("request_ms"),
        &t.request_ms,
        0.0,
        900_000.0,
        "ms",
        true,
    );
    c.estimate(
        &tp.key("payload_kb"),
        &t.payload_kb,
        0.0,
        100_000.0,
        "KB",
        false,
    );
    c.range(&tp.key("request_kb"), t.request_kb, 0.0, 100_000.0, "KB");
    c.estimate(
        &tp.key("session_kb"),
        &t.session_kb,
        0.0,
        100_000.0,
        "KB",
        false,
    );
    c.estimate(
        &tp.key("cacheable_pct"),
        &t.cacheable_pct,
        0.0,
        100.0,
        "%",
        false,
    );
    if let Some(rate) = t.live_messages_rps {
        c.range(
            &tp.key("live_messages_rps"),
            rate,
            0.0,
            100_000_000.0,
            "messages/s",
        );
    }
    // the media meters: the same ranges as the questions that set them
    c.range(
        &tp.key("video_minutes"),
        t.video_minutes,
        0.0,
        100_000_000.0,
        "minutes/month",
    );
    c.range(
        &tp.key("live_hours"),
        t.live_hours,
        0.0,
        1_000_000.0,
        "hours/month",
    );
    c.range(
        &tp.key("viewer_hours_per_user"),
        t.viewer_hours_per_user,
        0.0,
        744.0,
        "hours/user/month",
    );
    c.positive(&tp.key("request_cv"), t.request_cv, 10.0, "");
    c.range(
        &tp.key("state_reads"),
        t.state_reads,
        0.0,
        100.0,
        "per request",
    );
    c.range(
        &tp.key("state_writes"),
        t.state_writes,
        0.0,
        100.0,
        "per request",
    );
    c.range(
        &tp.key("db_queries"),
        t.db_queries,
        0.0,
        100.0,
        "per request",
    );
    c.range(
        &tp.key("db_writes"),
        t.db_writes,
        0.0,
        t.db_queries.clamp(0.0, 100.0),
        "per request (at most `db_queries`)",
    );
    c.range(&tp.key("stored_gb"), t.stored_gb, 0.0, 1_000_000.0, "GB");
    c.range(&tp.key("files_gb"), t.files_gb, 0.0, 10_000_000.0, "GB");
    c.range(&tp.key("users"), t.users, 0.0, 1e9, "users");
    c.range(&tp.key("sessions"), t.sessions, 0.0, 1e8, "sessions");
    c.range(
        &tp.key("session_minutes"),
        t.session_minutes,
        1.0,
        1_000_000.0,
        "minutes",
    );
    let bp = tp.key("burst");
    c.range(&bp.key("at_s"), t.burst.at_s, 0.0, DAY_S, "s");
    c.positive(&bp.key("duration_s"), t.burst.duration_s, DAY_S, "s");
    c.range(&bp.key("multiplier"), t.burst.multiplier, 1.0, 1000.0, "");

    c.positive(
        &root.key("horizon_s"),
        scenario.horizon_s,
        MAX_HORIZON_S,
        "s (a week)",
    );
    c.positive(
        &root.key("latency_target_ms"),
        scenario.latency_target_ms,
        600_000.0,
        "ms",
    );
    let bl = root.key("billing");
    c.positive(
        &bl.key("month_hours"),
        scenario.billing.month_hours,
        744.0,
        "hours (31 days)",
    );

    check_compute(&mut c, scenario, k);
    check_stores(&mut c, scenario, k);
    check_sampling(&mut c, scenario);
    check_billing(&mut c, scenario, k);
    if let Some(stack) = stack {
        check_chaos(&mut c, scenario, stack);
    }
    c.problems.into_result(())
}

/// The bill's region must have prices, and the MSK broker type one of them.
fn check_billing(c: &mut Checker, s: &Scenario, k: &Knowledge) {
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

fn check_compute(c: &mut Checker, s: &Scenario, k: &Knowledge) {
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

fn check_stores(c: &mut Checker, s: &Scenario, k: &Knowledge) {
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
        && (super::cost::cache_node_gib(node).is_none() || k.price(node).is_none())
    {
        c.fail(
            &sp.key("cache_node"),
            format!("there is no ElastiCache node price `{node}` the simulator knows"),
            format!(
                "use one of: {}",
                super::cost::CACHE_NODES
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

fn check_sampling(c: &mut Checker, s: &Scenario) {
    let sp = JsonPath::root().key("sampling");
    let sm = &s.sampling;
    c.range(
        &sp.key("requests"),
        sm.requests as f64,
        100.0,
        MAX_SAMPLE_REQUESTS as f64,
        &format!("requests ({WHY_CAPPED})"),
    );
    c.range(
        &sp.key("timeline_step_s"),
        sm.timeline_step_s,
        10.0,
        DAY_S,
        "s",
    );
    if s.horizon_s.is_finite()
        && sm.timeline_step_s > 0.0
        && s.horizon_s / sm.timeline_step_s > MAX_TIMELINE_POINTS
    {
        c.fail(
            &sp.key("timeline_step_s"),
            format!(
                "a {} s run in {} s steps gives more than {} timeline points",
                format::number(s.horizon_s),
                format::number(sm.timeline_step_s),
                format::number(MAX_TIMELINE_POINTS)
            ),
            "use a longer timeline step".to_string(),
        );
    }
    let up = JsonPath::root().key("uncertainty");
    let u = &s.uncertainty;
    c.range(
        &up.key("runs"),
        f64::from(u.runs),
        1.0,
        f64::from(MAX_RUNS),
        &format!("runs ({WHY_CAPPED})"),
    );
    c.range(
        &up.key("requests_per_run"),
        u.requests_per_run as f64,
        100.0,
        1_000_000.0,
        "requests",
    );
    if f64::from(u.runs) * u.requests_per_run as f64 > MAX_MONTE_CARLO_REQUESTS {
        c.fail(
            &up.key("runs"),
            format!(
                "{} runs × {} requests is more than the cap of {} requests",
                u.runs,
                u.requests_per_run,
                format::number(MAX_MONTE_CARLO_REQUESTS)
            ),
            format!("use fewer runs or fewer requests per run ({WHY_CAPPED}; 200 runs already give steady P10/P50/P90 bands)"),
        );
    }
    let [_, _, peak_high] = s.traffic.peak_rps.values();
    let horizon = s.horizon_s;
    if let Some(p) = &s.population {
        let pp = JsonPath::root().key("population");
        c.range(
            &pp.key("users"),
            f64::from(p.users),
            1.0,
            f64::from(MAX_POPULATION),
            &format!("users ({WHY_CAPPED})"),
        );
        c.positive(&pp.key("think_time_s"), p.think_time_s, DAY_S, "s");
        c.range(
            &pp.key("cart_add_probability"),
            p.cart_add_probability,
            0.0,
            1.0,
            "",
        );
        c.positive(
            &pp.key("session_timeout_s"),
            p.session_timeout_s,
            MAX_HORIZON_S,
            "s",
        );
        let expected = f64::from(p.users) * horizon / p.think_time_s.max(1e-9);
        if expected.is_finite() && expected > MAX_FULL_REQUESTS {
            c.fail(
                &pp.key("users"),
                format!(
                    "{} users thinking {} s for {} s send about {} requests, more than the cap of {}",
                    p.users,
                    format::number(p.think_time_s),
                    format::number(horizon),
                    format::number(expected.round()),
                    format::number(MAX_FULL_REQUESTS)
                ),
                format!("use fewer users, a longer think time or a shorter horizon ({WHY_CAPPED})"),
            );
        }
    } else if sm.full && peak_high.is_finite() && horizon.is_finite() {
        let profile = Profile {
            peak_rps: peak_high,
            shape: s.traffic.shape,
            burst: s.traffic.burst,
        };
        let expected = profile.mean_rate(0.0, horizon.min(MAX_HORIZON_S)) * horizon;
        if expected > MAX_FULL_REQUESTS {
            c.fail(
                &sp.key("full"),
                format!(
                    "walking every request means about {} requests, more than the cap of {}",
                    format::number(expected.round()),
                    format::number(MAX_FULL_REQUESTS)
                ),
                format!(
                    "set \"full\": false to sample requests, or shorten the horizon ({WHY_CAPPED})"
                ),
            );
        }
    }
}

fn check_chaos(c: &mut Checker, s: &Scenario, stack: &Stack) {
    let cp = JsonPath::root().key("chaos");
    if s.chaos.len() > MAX_CHAOS_EVENTS {
        c.fail(
            &cp,
            format!("{} chaos events; at most {MAX_CHAOS_EVENTS}", s.chaos.len()),
            "remove some events".to_string(),
        );
        return;
    }
    for (i, event) in s.chaos.iter().enumerate() {
        let ep = cp.index(i);
        let at = event.at_s();
        if !(at >= 0.0 && at < s.horizon_s) {
            c.fail(
                &ep.key("at_s"),
                format!(
                    "the event is at {} s, outside the run (0 to {} s)",
                    show(at),
                    format::number(s.horizon_s)
                ),
                "move the event inside the horizon, or lengthen `horizon_s`".to_string(),
            );
        }
        match event {
            ChaosEvent::KillServer { server, .. } => {
                if super::day::server_index(server).is_none() {
                    c.fail(
                        &ep.key("server"),
                        format!("`{server}` is not a server name; servers are named A, B, C, … in launch order"),
                        "name a server by its letters, e.g. \"B\"".to_string(),
                    );
                }
            }
            ChaosEvent::LoseAz { az, .. } => {
                if *az >= s.compute.availability_zones {
                    c.fail(
                        &ep.key("az"),
                        format!(
                            "zone {az} does not exist: the run uses {} zones, numbered from 0",
                            s.compute.availability_zones
                        ),
                        format!(
                            "use a zone from 0 to {}",
                            s.compute.availability_zones.saturating_sub(1)
                        ),
                    );
                }
            }
            ChaosEvent::CacheFailover { .. } => {
                if stack.topology.session != SessionPlacement::SharedCache {
                    c.fail(
                        &ep.key("event"),
                        format!("stack `{}` keeps no sessions in a cache, so there is nothing to fail over", stack.id),
                        "remove the event, or simulate a stack with ElastiCache sessions".to_string(),
                    );
                }
            }
        }
    }
}

/// The stack a scenario names, or the one advised for its answers; problems go to `problems`.
fn resolve_stack_checked<'k>(
    scenario: &Scenario,
    src: &SourceText,
    k: &'k Knowledge,
    problems: &mut Diagnostics,
) -> Option<&'k Stack> {
    let root = JsonPath::root();
    if let Some(id) = &scenario.stack {
        return match k.stack(id) {
            Some(stack) => Some(stack),
            None => {
                let ids: Vec<&str> = k.stacks.iter().map(|s| s.id.as_str()).collect();
                let hint = ids
                    .iter()
                    // the distance is at least the difference in length: a huge id costs nothing
                    .filter(|c| c.chars().count().abs_diff(id.chars().count()) <= 4)
                    .map(|c| (strsim::levenshtein(id, c), *c))
                    .filter(|(d, _)| *d <= 4)
                    .min()
                    .map(|(_, c)| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                problems.push(src.diagnostic_at(
                    &root.key("stack"),
                    format!("there is no stack `{id}` in the knowledge base{hint}"),
                    format!("use one of: {}", ids.join(", ")),
                ));
                None
            }
        };
    }
    if scenario.answers.is_some() {
        let value: serde_json::Value = serde_json::from_str(&src.text).unwrap_or_default();
        return match Answers::from_json(&value, src, &root.key("answers"), k) {
            Ok(answers) => k.stack(&rules::advise(k, &answers).stack.id),
            Err(more) => {
                problems.0.extend(more.0);
                None
            }
        };
    }
    problems.push(src.diagnostic_at(
        &root,
        "the scenario names no `stack` and has no `answers` to choose one".to_string(),
        "add \"stack\": \"<stack id>\" (see `statecraft check-knowledge`) or the wizard's \"answers\"".to_string(),
    ));
    None
}

/// The stack to simulate: the named one, or the advised one for the answers.
pub fn resolve_stack<'k>(scenario: &Scenario, k: &'k Knowledge) -> Option<&'k Stack> {
    if let Some(id) = &scenario.stack {
        return k.stack(id);
    }
    let answers = Answers {
        answers: scenario.answers.clone()?,
    };
    k.stack(&rules::advise(k, &answers).stack.id)
}
