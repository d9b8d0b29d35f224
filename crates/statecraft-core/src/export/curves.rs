//! The record's plots and the tripwires the simulator's curves give: cost against traffic for the
//! considered options' stacks (where the curves cross, the cheaper stack changes), and latency against
//! load for the chosen stack with its p99 target. The curves come computed in the decision's
//! findings (`findings::RunCurves`, `findings::OptionAtPeak`); this words and draws them.

use super::super::findings::{OptionAtPeak, RunCurves};
use super::super::format;
use super::super::knowledge::Knowledge;
use super::super::sim::from_answers::Expectations;
use super::Asset;
use super::content::Claim;
use super::plots::{Chart, Marker, Series};
use crate::ids::StackId;

/// What a scenario adds beyond its own run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Curves {
    pub assets: Vec<Asset>,
    pub tripwires: Vec<Claim>,
}

/// Two significant figures: 3,871 → 3,900.
fn round2(n: f64) -> f64 {
    if n <= 0.0 || !n.is_finite() {
        return n;
    }
    let magnitude = 10f64.powf(n.log10().floor() - 1.0);
    (n / magnitude).round() * magnitude
}

/// The plots and tripwires for one scenario's curves. `suffix` tells the files of a second or later
/// scenario apart.
pub fn curves(
    k: &Knowledge,
    found: &RunCurves,
    scenario_target_ms: f64,
    suffix: &str,
    scenario_name: &str,
    expect: &Expectations,
) -> Curves {
    let chosen = &found.chosen;
    let name = |id: &str| {
        k.stack(id)
            .map_or_else(|| id.to_string(), |s| s.name.clone())
    };
    let peak = found.peak_rps;
    let cost = &found.cost;
    let mut out = Curves::default();
    let mut markers = Vec::new();
    for crossing in &found.crossings {
        let at = round2(crossing.at_rps);
        let (at_text, now) = (format::number(at), format::number(peak));
        let (o, c) = (name(&crossing.other), name(chosen));
        let source = format!("simulated cost curves, scenario “{scenario_name}”");
        let text = match (crossing.other_cheaper_above, peak > crossing.at_rps) {
            (true, false) => format!(
                "Past {at_text} requests/s at peak, {o} becomes cheaper than {c} ({source}; now {now} requests/s)."
            ),
            (true, true) => format!(
                "Above {at_text} requests/s at peak, {o} is cheaper than {c}, and the scenario's {now} requests/s is already above it: weigh that cost against the reasons for the chosen stack ({source})."
            ),
            (false, true) => format!(
                "If the peak falls below {at_text} requests/s, {o} becomes cheaper than {c} ({source}; now {now} requests/s)."
            ),
            (false, false) => format!(
                "Below {at_text} requests/s at peak, {o} is cheaper than {c}, and the scenario's {now} requests/s is below it: weigh that cost against the reasons for the chosen stack ({source})."
            ),
        };
        out.tripwires.push(Claim {
            text,
            ..Claim::default()
        });
        markers.push(Marker {
            at: crossing.at_rps,
            label: format!("{} req/s", format::number(at)),
        });
    }
    // The seeds' serverless-versus-instances question, when the chosen stack is one side of it.
    if let Some(c) = &found.lambda
        && let Some(r) = c.peak_rps
    {
        let (at, now) = (format::number(round2(r)), format::number(peak));
        let (instances, lambda) = (name(&c.instance_stack), name(&c.lambda_stack));
        let text = if peak < r {
            format!(
                "Past {at} requests/s at peak, the instance stack {instances} becomes cheaper than the Lambda stack {lambda} (simulated crossover, scenario “{scenario_name}”; now {now} requests/s)."
            )
        } else {
            format!(
                "Above {at} requests/s at peak, the instance stack {instances} is cheaper than the Lambda stack {lambda}, and the scenario's {now} requests/s is already above it (simulated crossover, scenario “{scenario_name}”)."
            )
        };
        if !out.tripwires.iter().any(|t| t.text == text) {
            out.tripwires.push(Claim {
                text,
                ..Claim::default()
            });
        }
    }
    let peaks = peak_markers(peak, expect);
    if !cost.is_empty() {
        markers.extend(peaks.iter().cloned());
        let chart = Chart {
            title: format!("Cost versus traffic — {scenario_name}"),
            x_label: "Peak requests/s (log scale)".into(),
            y_label: "USD per month (log scale)".into(),
            log_x: true,
            log_y: true,
            series: cost
                .iter()
                .map(|c| Series {
                    name: if &c.stack == chosen {
                        format!("{} (chosen)", name(&c.stack))
                    } else {
                        name(&c.stack)
                    },
                    points: c.points.iter().map(|(r, u)| (r.0, u.0)).collect(),
                })
                .collect(),
            markers,
            y_markers: Vec::new(),
        };
        out.assets.push(Asset {
            kind: format!("cost-vs-traffic{suffix}"),
            title: chart.title.clone(),
            file_name: String::new(),
            svg: chart.to_svg(),
        });
    }
    if let Some(curve) = &found.latency {
        let chart = Chart {
            title: format!("Latency versus load — {}, {scenario_name}", name(chosen)),
            x_label: "Steady requests/s".into(),
            y_label: "Milliseconds".into(),
            log_x: false,
            log_y: false,
            series: vec![
                Series {
                    name: "p99".into(),
                    points: curve.points.iter().map(|p| (p.rps.0, p.p99_ms.0)).collect(),
                },
                Series {
                    name: "p50".into(),
                    points: curve.points.iter().map(|p| (p.rps.0, p.p50_ms.0)).collect(),
                },
            ],
            markers: peaks,
            y_markers: target_markers(scenario_target_ms, expect),
        };
        out.assets.push(Asset {
            kind: format!("latency-vs-load{suffix}"),
            title: chart.title.clone(),
            file_name: String::new(),
            svg: chart.to_svg(),
        });
    }
    out
}

/// The scenario's peak, and the team's expected peak where it differs.
fn peak_markers(peak: f64, expect: &Expectations) -> Vec<Marker> {
    match expect.peak_rps {
        Some(team) if (team - peak).abs() > 0.01 * peak => vec![
            Marker {
                at: peak,
                label: format!("simulated peak {}", format::number(peak)),
            },
            Marker {
                at: team,
                label: format!("team's peak {}", format::number(team)),
            },
        ],
        Some(_) => vec![Marker {
            at: peak,
            label: format!("team's peak {}", format::number(peak)),
        }],
        None => vec![Marker {
            at: peak,
            label: "peak".into(),
        }],
    }
}

/// The team's p99 target, and the scenario's where it differs.
fn target_markers(scenario_ms: f64, expect: &Expectations) -> Vec<Marker> {
    let marker = |at: f64, whose: &str| Marker {
        at,
        label: format!("{whose}p99 target {} ms", format::number(at)),
    };
    match expect.latency_target_ms {
        Some(team) if (team - scenario_ms).abs() > 0.01 * scenario_ms => {
            vec![marker(team, "team's "), marker(scenario_ms, "scenario's ")]
        }
        Some(team) => vec![marker(team, "team's ")],
        None => vec![marker(scenario_ms, "")],
    }
}

/// Good and bad points the simulation gives each considered option: its monthly cost at the
/// scenario's peak against the cheapest option, and its p99 at that peak against the target.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OptionFigures {
    pub stack: StackId,
    pub good: Vec<Claim>,
    pub bad: Vec<Claim>,
    /// The option's monthly cost at the scenario's peak, where the simulator can price it.
    pub monthly_usd: Option<f64>,
    /// It is the cheapest of the options at that peak.
    pub cheapest: bool,
}

pub fn option_figures(
    k: &Knowledge,
    figures: &[OptionAtPeak],
    peak: f64,
    scenario_target_ms: f64,
    scenario_name: &str,
    expect: &Expectations,
) -> Vec<OptionFigures> {
    let name = |id: &str| {
        k.stack(id)
            .map_or_else(|| id.to_string(), |s| s.name.clone())
    };
    let cheapest = figures
        .iter()
        .filter_map(|f| f.monthly_usd.map(|c| (&f.stack, c)))
        .min_by(|a, b| a.1.total_cmp(&b.1));
    let at = format!(
        "at a peak of {} requests/s in the simulated scenario “{scenario_name}”",
        format::number(peak)
    );
    let steady = format!(
        "with the peak of {} requests/s held steady in the simulated scenario “{scenario_name}”",
        format::number(peak)
    );
    // the team's target is the one each option is judged against; the scenario's may be a default
    let target = expect.latency_target_ms.unwrap_or(scenario_target_ms);
    figures
        .iter()
        .map(
            |OptionAtPeak {
                 stack: id,
                 monthly_usd: cost,
                 latency,
             }| {
                let mut f = OptionFigures {
                    stack: id.clone(),
                    monthly_usd: *cost,
                    cheapest: cheapest.is_some_and(|(cheap_id, _)| cheap_id == id),
                    ..OptionFigures::default()
                };
                if let (Some(cost), Some((cheap_id, cheap))) = (cost, cheapest) {
                    if id == cheap_id {
                        f.good.push(Claim {
                            text: format!(
                                "it is the cheapest of the options {at}: {} a month",
                                format::usd(*cost)
                            ),
                            ..Claim::default()
                        });
                    } else {
                        f.bad.push(Claim {
                            text: format!(
                                "it costs {} a month {at}, {} more than {}",
                                format::usd(*cost),
                                format::usd(cost - cheap),
                                name(cheap_id)
                            ),
                            ..Claim::default()
                        });
                    }
                }
                if let Some(l) = latency {
                    let errors = if l.error_share >= 0.001 {
                        format!(
                            ", and {}% of requests fail",
                            format::number((l.error_share * 1000.0).round() / 10.0)
                        )
                    } else {
                        String::new()
                    };
                    let claim = |verdict: &str| Claim {
                        text: format!(
                            "its p99 is {} {steady}, {verdict} the {} ms target{errors}",
                            l.p99_ms,
                            format::number(target)
                        ),
                        ..Claim::default()
                    };
                    if l.p99_ms.0 <= target && errors.is_empty() {
                        f.good.push(claim("within"));
                    } else {
                        f.bad.push(claim("against"));
                    }
                }
                f
            },
        )
        .collect()
}
