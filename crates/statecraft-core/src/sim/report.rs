//! What `simulate` and `queue` print: the contract's JSON (with extra explanation fields), or a
//! readable summary where every cost shows its formula, price source and date.

use super::SimReport;
use super::capacity::QueueReport;
use crate::format;

pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}

fn ms(v: f64) -> String {
    if !v.is_finite() {
        "none".to_string()
    } else if v >= 100.0 {
        format!("{v:.0} ms")
    } else if v >= 1.0 {
        format!("{v:.1} ms")
    } else {
        format!("{v:.3} ms")
    }
}

/// A readable report of a simulation.
pub fn simulate_text(r: &SimReport) -> String {
    let mut s = String::new();
    heading(r, &mut s);
    cost(r, &mut s);
    latency(r, &mut s);
    failures(r, &mut s);
    chaos(r, &mut s);
    timeline(r, &mut s);
    assumptions(r, &mut s);
    s
}

/// The scenario, the stack and the run.
fn heading(r: &SimReport, s: &mut String) {
    let name = if r.scenario.is_empty() {
        "scenario".to_string()
    } else {
        r.scenario.clone()
    };
    *s += &format!(
        "{name}: {} [{}], {}{}\n",
        r.stack.name,
        r.stack.id,
        r.stack.archetype,
        if r.stack.advised {
            " (advised from the answers)"
        } else {
            ""
        }
    );
    *s += &format!(
        "Seed {}; {} s simulated; {} requests, {}.\n\n",
        r.seed,
        format::number(r.horizon_s),
        format::number(r.requests_total as f64),
        if r.full {
            "every request walked".to_string()
        } else {
            format!(
                "{} walked one by one for the latency",
                format::number(r.walked_requests as f64)
            )
        }
    );
}

/// The month's bill, line by line with each price's source.
fn cost(r: &SimReport, s: &mut String) {
    let c = &r.cost;
    *s += &format!(
        "Cost per month ({} hours): {}",
        format::number(c.month_hours),
        format::usd(c.monthly_usd.0)
    );
    if r.monte_carlo_runs > 0 {
        *s += &format!(
            "  (over {} runs: P10 {}, P50 {}, P90 {})",
            r.monte_carlo_runs,
            format::usd(c.bands.p10),
            format::usd(c.bands.p50),
            format::usd(c.bands.p90)
        );
    }
    *s += "\n";
    for l in &c.by_service {
        *s += &format!(
            "  {:<18} {:>11}  {}: {}\n",
            l.service,
            format::usd(l.monthly_usd.0),
            l.item,
            l.formula
        );
        if !l.price_source.is_empty() {
            *s += &format!(
                "  {:<18} {:>11}  price: {}, as of {}\n",
                "", "", l.price_source, l.price_as_of
            );
        }
        if let Some(note) = &l.note {
            *s += &format!("  {:<18} {:>11}  ({note})\n", "", "");
        }
    }
    for a in &c.assumptions {
        *s += &format!("  · {a}\n");
    }
}

/// The latency percentiles against the target.
fn latency(r: &SimReport, s: &mut String) {
    let l = &r.latency;
    *s += &format!(
        "\nLatency: p50 {}, p95 {}, p99 {} (mean {}); target p99 {}: {}\n",
        ms(l.p50_ms.0),
        ms(l.p95_ms.0),
        ms(l.p99_ms.0),
        ms(l.mean_ms.0),
        ms(l.target_ms.0),
        if l.meets_target { "met" } else { "MISSED" }
    );
    if let Some(why) = &l.missed_because {
        *s += &format!("  missed: {why}\n");
    }
    if r.monte_carlo_runs > 0 {
        *s += &format!(
            "  p99 over the runs: P10 {}, P50 {}, P90 {}\n",
            ms(l.p99_bands.p10),
            ms(l.p99_bands.p50),
            ms(l.p99_bands.p90)
        );
    }
}

/// Failed requests by cause, lost sessions and cold starts.
fn failures(r: &SimReport, s: &mut String) {
    let f = &r.failures;
    *s += &format!(
        "Requests failed: {}",
        format::number(r.requests_failed as f64)
    );
    let causes: Vec<String> = [
        (f.front_throttled, "throttled by API Gateway"),
        (f.lambda_throttled, "throttled by Lambda"),
        (f.store_throttled, "throttled by DynamoDB"),
        (f.dead_server, "sent to a dead server"),
        (f.store_unavailable, "session store failing over"),
        (f.timeouts, "timed out or no server"),
        (f.db_connections, "refused a database connection"),
    ]
    .iter()
    .filter(|(n, _)| n.round() > 0.0)
    .map(|(n, what)| format!("{} {what}", format::number(n.round())))
    .collect();
    if !causes.is_empty() {
        *s += &format!(" ({})", causes.join(", "));
    }
    *s += "\n";
    *s += &format!("Sessions lost: {}", r.sessions_lost);
    if r.carts_lost > 0 || r.cart_items_lost > 0 {
        *s += &format!(" ({} carts with {} items)", r.carts_lost, r.cart_items_lost);
    }
    if r.sessions_lost_to_scale_in > 0 {
        *s += &format!(
            ", {} of them when scaling in removed a server",
            r.sessions_lost_to_scale_in
        );
    }
    if r.sessions_restored > 0 {
        *s += &format!(
            "; {} restored from the journal on the servers that took a killed server's users",
            r.sessions_restored
        );
    }
    *s += "\n";
    if r.cold_starts > 0 {
        *s += &format!(
            "Lambda cold starts: {}\n",
            format::number(r.cold_starts as f64)
        );
    }
}

/// What each chaos event did.
fn chaos(r: &SimReport, s: &mut String) {
    if !r.chaos.is_empty() {
        *s += "\nChaos:\n";
        for c in &r.chaos {
            *s += &format!(
                "  at {} s, {}: {}\n",
                format::number(c.at_s.0),
                c.event,
                c.effect
            );
            *s += &format!(
                "    sessions lost {}, carts lost {}, requests failed {}\n",
                c.sessions_lost, c.carts_lost, c.requests_failed
            );
        }
    }
}

/// The timeline, thinned to about 24 rows.
fn timeline(r: &SimReport, s: &mut String) {
    if !r.timeline.is_empty() {
        let stride = r.timeline.len().div_ceil(24).max(1);
        *s += &format!(
            "\nTimeline{}:\n  {:>8} {:>10} {:>9} {:>10} {:>8} {:>8}\n",
            if stride > 1 {
                format!(" (every {stride}th point; --format json has all)")
            } else {
                String::new()
            },
            "t (s)",
            "req/s",
            "instances",
            "p99",
            "errors",
            "sessions lost"
        );
        for p in r.timeline.iter().step_by(stride) {
            *s += &format!(
                "  {:>8} {:>10} {:>9} {:>10} {:>8} {:>8}\n",
                format::number(p.t_s.0),
                format::number((p.rps.0 * 10.0).round() / 10.0),
                format::number(p.instances.round()),
                if p.samples > 0 {
                    ms(p.p99_ms.0)
                } else {
                    "-".into()
                },
                p.errors,
                p.sessions_lost
            );
        }
    }
}

/// The simulator's own assumptions and the knowledge's version.
fn assumptions(r: &SimReport, s: &mut String) {
    *s += "\nSimulator assumptions not in the knowledge base:\n";
    for a in &r.assumptions {
        *s += &format!(
            "  · {}: {} {} ({})\n",
            a.id,
            format::number(a.value),
            a.unit,
            a.what
        );
    }
    *s += &format!("Knowledge: {}\n", r.knowledge_version);
}

/// A readable report of the capacity planner: analytic and simulated side by side.
pub fn queue_text(r: &QueueReport) -> String {
    let p = &r.params;
    let mut s = format!(
        "M/{}/{} tier: {} requests/s, mean service {} ({}), rho {:.4}{}\n\n",
        match p.service_dist {
            super::dist::ServiceDist::Exp => "M",
            super::dist::ServiceDist::Det => "D",
            super::dist::ServiceDist::Lognormal => "G",
        },
        p.servers,
        format::number(p.arrival_rps),
        ms(p.service_ms.0),
        p.service_dist.as_str(),
        r.rho,
        if r.stable {
            ""
        } else {
            " — UNSTABLE: the queue grows without end"
        }
    );
    let sim = &r.simulated;
    s += &format!(
        "  {:<16} {:>14} {:>14} {:>10}\n",
        "", "analytic", "simulated", "diff"
    );
    let row = |name: &str, a: Option<f64>, b: f64, unit_ms: bool| {
        let show = |v: f64| if unit_ms { ms(v) } else { format!("{v:.4}") };
        match a {
            Some(a) => format!(
                "  {:<16} {:>14} {:>14} {:>9.2}%\n",
                name,
                show(a),
                show(b),
                if a != 0.0 { (b - a) / a * 100.0 } else { 0.0 }
            ),
            None => format!("  {:<16} {:>14} {:>14} {:>10}\n", name, "-", show(b), ""),
        }
    };
    let a = r.analytic.as_ref();
    s += &row("P(wait)", a.map(|a| a.p_wait), sim.p_wait, false);
    s += &row(
        "mean wait",
        a.map(|a| a.mean_wait_ms.0),
        sim.mean_wait_ms.0,
        true,
    );
    s += &row(
        "mean response",
        a.map(|a| a.mean_response_ms.0),
        sim.mean_response_ms.0,
        true,
    );
    s += &row("p50 response", a.map(|a| a.p50_ms.0), sim.p50_ms.0, true);
    s += &row("p95 response", a.map(|a| a.p95_ms.0), sim.p95_ms.0, true);
    s += &row("p99 response", a.map(|a| a.p99_ms.0), sim.p99_ms.0, true);
    s += &format!(
        "  {:<16} {:>14} {:>14.4}\n",
        "utilisation", "", sim.utilisation
    );
    if a.is_none() {
        s += "\n(no closed form: Erlang C needs exponential service times and rho < 1)\n";
    }
    s += &format!(
        "\n{} requests simulated in {:.0} ms (seed {})\n",
        format::number(sim.requests as f64),
        r.elapsed_ms,
        r.seed
    );
    s
}
