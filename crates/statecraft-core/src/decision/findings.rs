//! Computes a decision's [`Findings`] once: the advice, the scenario the answers describe (when the
//! team gave none), each scenario's simulation, its plots' curves and the options' figures at its
//! peak, and the Chaos Monkey test. Every call into the simulator and the advice engine a record
//! needs is here; `export` words what this computes.

use std::collections::BTreeMap;

use crate::answers::Answers;
use crate::diagnostic::{self, Diagnostic, Diagnostics};
use crate::export::{self, MAX_RECORD_SCENARIOS};
use crate::findings::predictions::Predictions;
use crate::findings::{
    ChaosFound, Crossing, Detail, Evidence, Findings, OptionAtPeak, Run, RunCurves,
};
use crate::ids::StackId;
use crate::knowledge::{Archetype, Knowledge};
use crate::rules::{Advice, Engine};
use crate::sim::from_answers::{self, Expectations, disagreements};
use crate::sim::scenario::ChaosEvent;
use crate::sim::{self, Scenario, chaos, explore};

/// The findings for `answers` (already checked against `k`) with `evidence`: without scenarios of
/// the team's, the scenario the answers describe is simulated, so every record has its figures.
/// With `Detail::Provenance`, the plots' curves and the chaos test are left out.
pub fn findings(
    k: &Knowledge,
    answers: &Answers,
    evidence: &Evidence,
    detail: Detail,
) -> Result<Findings, Diagnostics> {
    let advice = Engine::new(k).advise(answers);
    let mut evidence = evidence.clone();
    if !evidence.from_answers
        && let Some(first) = evidence.scenarios.first()
    {
        // the record's seed is its first scenario's, as the team simulated it
        evidence.seed = first.seed;
    }
    let mut origins = BTreeMap::new();
    if evidence.scenarios.is_empty() || evidence.from_answers {
        // the answers as the team gave them: a default is said to be one in the figures' origins
        let mut given = answers.clone();
        for id in &evidence.defaults {
            given.remove(id);
        }
        let described = from_answers::describe(k, &advice.stack.id, &given, evidence.seed);
        origins = described.origins;
        evidence.scenarios = vec![described.scenario];
        evidence.from_answers = true;
    }
    if evidence.scenarios.len() > MAX_RECORD_SCENARIOS {
        return Err(export::too_many_scenarios(evidence.scenarios.len(), "the record").into());
    }
    let expect = Expectations::of(answers);
    let option_stacks = option_stacks(k, &advice);
    let given = with_the_chosen_stack(k, &evidence.scenarios, &advice.stack.id);
    let runs = simulate_all(k, &given, &evidence, &option_stacks, &expect, detail)?;
    let chaos = match evidence.chaos.as_ref().filter(|_| detail == Detail::Record) {
        Some(choice) => {
            // the kill on the chosen stack's own servers (the size the team's scenario gave them),
            // and on the other options' stacks for comparison
            let like = |id: &str| {
                given
                    .iter()
                    .find(|s| sim::stack_for(k, s).is_ok_and(|st| st.id == id))
            };
            let outcomes = chaos::on_stacks(k, choice, &option_stacks, evidence.seed, &like)?;
            Some(ChaosFound {
                choice: choice.clone(),
                outcomes,
            })
        }
        None => None,
    };
    Ok(Findings {
        detail,
        answers: answers.clone(),
        advice,
        expect,
        evidence,
        origins,
        option_stacks,
        runs,
        chaos,
    })
}

/// Simulates each of `given` (the team's scenarios and the record's extra run on the chosen stack)
/// with what the record draws from it.
fn simulate_all(
    k: &Knowledge,
    given: &[Scenario],
    evidence: &Evidence,
    option_stacks: &[StackId],
    expect: &Expectations,
    detail: Detail,
) -> Result<Vec<Run>, Diagnostics> {
    let count = given.len();
    let mut runs = Vec::with_capacity(count);
    for (i, scenario) in given.iter().enumerate() {
        crate::interrupt::progress(&format!(
            "simulating scenario {} of {count} ({})",
            i + 1,
            diagnostic::shown(&scenario.name)
        ));
        if crate::interrupt::stop_requested() {
            return Err(Diagnostic::new(
                "the record",
                "stopped before every scenario was simulated; nothing was written",
                "run the export again",
            )
            .into());
        }
        let scenario = if evidence.bands {
            scenario.clone()
        } else {
            from_answers::likely_only(scenario)
        };
        // the chosen stack's extra run repeats a scenario whose plots and option figures (every
        // option's stack at its peak) the record already has
        let extra = i >= evidence.scenarios.len();
        let report = match sim::simulate(k, &scenario) {
            Ok(report) => report,
            // the chosen stack's extra run is the record's own addition: a team's scenario that
            // does not fit that stack leaves it out (Confirmation then says there is no figure)
            Err(_) if extra => break,
            Err(e) => return Err(e),
        };
        runs.push(run(
            k,
            scenario,
            report,
            extra,
            option_stacks,
            expect,
            detail,
        ));
    }
    Ok(runs)
}

/// What the record draws from one simulated scenario.
fn run(
    k: &Knowledge,
    scenario: Scenario,
    report: sim::SimReport,
    extra: bool,
    option_stacks: &[StackId],
    expect: &Expectations,
    detail: Detail,
) -> Run {
    let curves = match detail {
        Detail::Record if !extra => curves(k, &scenario, option_stacks),
        _ => None,
    };
    let options = if extra {
        Vec::new()
    } else {
        options_at_peak(k, &scenario, option_stacks)
    };
    let target_ms = expect
        .latency_target_ms
        .unwrap_or(report.latency.target_ms.0);
    let sessions_lost_to_kills = kill_losses(&scenario, &report);
    // what the server kills lost, without scaling in's losses (a kill in production is checked
    // against this)
    let kills = scenario
        .chaos
        .iter()
        .any(|c| matches!(c, ChaosEvent::KillServer { .. }))
        .then_some(sessions_lost_to_kills);
    let predictions = Predictions::of(
        &report,
        &scenario.billing.region,
        scenario.traffic.peak_rps.likely(),
        target_ms,
        kills,
    );
    Run {
        disagreements: disagreements(expect, &scenario),
        scenario,
        report,
        extra,
        target_ms,
        sessions_lost_to_kills,
        predictions,
        curves,
        options,
    }
}

/// The sessions the scenario's server kills lost: its chaos records of `kill server …` events, not
/// what scaling in or a lost zone took.
pub fn kill_losses(scenario: &Scenario, report: &sim::SimReport) -> u64 {
    let kills: Vec<String> = scenario
        .chaos
        .iter()
        .filter(|e| matches!(e, ChaosEvent::KillServer { .. }))
        .map(ChaosEvent::describe)
        .collect();
    report
        .chaos
        .iter()
        .filter(|c| kills.contains(&c.event))
        .map(|c| c.sessions_lost)
        .sum()
}

/// Peak rates from a hundredth to a hundred times the scenario's peak, on a 1-2-5 grid.
fn rates(peak: f64) -> Vec<f64> {
    let lo = (peak / 100.0).max(1.0);
    let hi = (peak * 100.0).min(sim::check::MAX_PEAK_RPS);
    let mut out = Vec::new();
    let mut decade = 10f64.powf(lo.log10().floor());
    while decade <= hi && out.len() < 40 {
        for m in [1.0, 2.0, 5.0] {
            let r = decade * m;
            if r >= lo && r <= hi {
                out.push(r);
            }
        }
        decade *= 10.0;
    }
    out
}

/// Loads from a tenth to twice the peak, for the latency curve.
fn loads(peak: f64) -> Vec<f64> {
    [0.1, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0]
        .iter()
        .map(|f| (peak * f).clamp(1.0, sim::check::MAX_PEAK_RPS))
        .collect()
}

/// The curves for one scenario. `stacks` are the considered options' stacks, the chosen one first;
/// stacks the simulator cannot price are left out (none left: no curves).
fn curves(k: &Knowledge, scenario: &Scenario, stacks: &[StackId]) -> Option<RunCurves> {
    let stacks: Vec<&StackId> = stacks
        .iter()
        .filter(|s| explore::comparable(k, s))
        .collect();
    let chosen = stacks.first().copied()?;
    let peak = scenario.traffic.peak_rps.likely();
    let grid = rates(peak);
    let cost: Vec<explore::CostCurve> = stacks
        .iter()
        .filter_map(|id| sim::cost_curve(k, id, scenario, &grid).ok())
        .collect();
    let mut crossings = Vec::new();
    if let Some(mine) = cost.iter().find(|c| &c.stack == chosen) {
        for other in cost.iter().filter(|c| &c.stack != chosen) {
            for r in explore::crossings(mine, other) {
                // Which is cheaper past the crossing: the first grid point above it tells.
                let after = mine
                    .points
                    .iter()
                    .zip(&other.points)
                    .find(|((rate, _), _)| rate.0 > r.0);
                crossings.push(Crossing {
                    other: other.stack.clone(),
                    at_rps: r.0,
                    other_cheaper_above: after.is_some_and(|((_, a), (_, b))| b.0 < a.0),
                });
            }
        }
    }
    // The seeds' serverless-versus-instances question, when the chosen stack is one side of it.
    let lambda = explore::lambda_crossover_for(k, scenario, chosen).filter(|c| {
        (c.lambda_stack == *chosen || c.instance_stack == *chosen) && c.peak_rps.is_some()
    });
    let latency = sim::latency_curve(k, chosen, scenario, &loads(peak)).ok();
    Some(RunCurves {
        chosen: chosen.clone(),
        peak_rps: peak,
        cost,
        crossings,
        lambda,
        latency,
    })
}

/// Each considered option's monthly cost and latency at the scenario's peak (options the
/// simulator cannot price are left out).
fn options_at_peak(k: &Knowledge, scenario: &Scenario, stacks: &[StackId]) -> Vec<OptionAtPeak> {
    let peak = scenario.traffic.peak_rps.likely();
    stacks
        .iter()
        .filter(|id| explore::comparable(k, id))
        .map(|id| OptionAtPeak {
            stack: id.clone(),
            monthly_usd: sim::cost_curve(k, id, scenario, &[peak])
                .ok()
                .and_then(|c| c.points.first().map(|p| p.1.0)),
            latency: sim::latency_curve(k, id, scenario, &[peak])
                .ok()
                .and_then(|c| c.points.first().copied()),
        })
        .collect()
}

/// The scenarios a record simulates: the team's, and, when every one of them pins a stack other
/// than the chosen one, the first again on the chosen stack — the record is about that stack, so
/// its Confirmation, its index entry and its review read the chosen stack's own figures, never
/// another stack's. The extra run is computed, not evidence: the evidence block keeps the team's.
pub fn with_the_chosen_stack(k: &Knowledge, given: &[Scenario], chosen: &str) -> Vec<Scenario> {
    let mut runs = given.to_vec();
    let on_chosen = |s: &Scenario| sim::stack_for(k, s).is_ok_and(|st| st.id == chosen);
    if let Some(first) = given.first()
        && !given.iter().any(on_chosen)
        && k.stack(chosen).is_some()
    {
        let mut again = first.clone();
        let name = if first.name.trim().is_empty() {
            "Scenario 1".to_string()
        } else {
            first.name.trim().to_string()
        };
        again.name = format!("{name}, on the chosen stack");
        again.stack = Some(chosen.to_string());
        runs.push(again);
    }
    runs
}

/// The considered options' stacks: the chosen one first, then the best-ranked stack of each other
/// archetype.
pub fn option_stacks(k: &Knowledge, advice: &Advice) -> Vec<StackId> {
    let mut out = vec![advice.stack.id.clone()];
    for a in Archetype::ALL {
        if a == advice.recommendation {
            continue;
        }
        if let Some(r) = advice
            .stack_ranking
            .iter()
            .find(|r| k.stack(&r.stack).is_some_and(|s| s.archetype == a))
        {
            out.push(r.stack.clone());
        }
    }
    out
}
