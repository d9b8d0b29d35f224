//! The limits of a run: its horizon, sampling and Monte Carlo runs within what finishes in
//! seconds, and chaos events a stack can suffer.

use super::*;

pub(super) fn check_sampling(c: &mut Checker, s: &Scenario) {
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

pub(super) fn check_chaos(c: &mut Checker, s: &Scenario, stack: &Stack) {
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
                if super::super::day::server_index(server).is_none() {
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
