//! The consequences of the choice (its pros and cons, the design review's blockers and risks, with
//! what mitigates them) and the checks that confirm it (the simulated figures the team can hold the
//! running system to, the mitigations in place).

use super::super::simulation::SimulationView;
use super::options::pros_and_cons;
use super::{ChaosView, Citations, Claim, Consequences};
use crate::format;
use crate::knowledge::{AnswerValue, Knowledge, Stack};
use crate::rules::Advice;

/// The chosen stack's pros and cons, and the design review's blockers and risks as consequences
/// of the choice, with what mitigates them.
pub(super) fn consequences(
    k: &Knowledge,
    advice: &Advice,
    chosen_stack: Option<&Stack>,
    cites: &mut Citations,
) -> Consequences {
    let mut consequences = match chosen_stack {
        Some(stack) => {
            let (good, bad) = pros_and_cons(k, stack, cites);
            Consequences { good, bad }
        }
        None => Consequences::default(),
    };
    for f in advice
        .review
        .iter()
        .filter(|f| f.severity != crate::knowledge::Severity::Note)
    {
        consequences.bad.push(Claim {
            text: format!(
                "{} (design review “{}”, a {}){}",
                f.text.trim_end_matches('.'),
                f.check,
                f.severity,
                f.mitigation
                    .as_deref()
                    .map(|m| format!(". Mitigation: {}", m.trim_end_matches('.')))
                    .unwrap_or_default()
            ),
            sources: cites.cite(k, f.source_id.as_deref()),
            ..Claim::default()
        });
    }
    consequences
}

/// The design review's mitigations, each a check that it is in place.
pub(super) fn mitigations_in_place(
    k: &Knowledge,
    advice: &Advice,
    cites: &mut Citations,
) -> Vec<Claim> {
    let mut checks = Vec::new();
    for f in advice
        .review
        .iter()
        .filter(|f| f.severity != crate::knowledge::Severity::Note)
    {
        if let Some(m) = &f.mitigation_action {
            checks.push(Claim {
                text: format!(
                    "Mitigation in place (design review “{}”, a {}): {}.",
                    f.check,
                    f.severity,
                    m.trim_end_matches('.')
                ),
                sources: cites.cite(k, f.source_id.as_deref()),
                ..Claim::default()
            });
        }
    }
    checks
}

fn number_answer(advice: &Advice, question: &str) -> Option<f64> {
    match advice.answers.get(question) {
        Some(AnswerValue::Number(n)) => Some(*n),
        _ => None,
    }
}

/// The latency and cost figures that would confirm the decision once it runs.
pub(super) fn confirmation_checks(
    k: &Knowledge,
    advice: &Advice,
    simulation: Option<&SimulationView>,
    chaos: Option<&ChaosView>,
) -> Vec<Claim> {
    let front = k
        .stack(&advice.stack.id)
        .and_then(|s| k.service(&s.topology.front))
        .map_or_else(
            || "the front door".to_string(),
            // a door that is not a service of its own (players connecting straight to their
            // server) is measured where the connections end
            |s| {
                if s.pattern {
                    "servers".to_string()
                } else {
                    s.name.clone()
                }
            },
        );
    let mut checks = Vec::new();
    let at_peak = number_answer(advice, "peak-rps")
        .map(|rps| {
            format!(
                " at the expected peak of {} requests/s",
                format::number(rps)
            )
        })
        .unwrap_or_default();
    if let Some(p99) = number_answer(advice, "latency-p99-ms") {
        let predicted = simulation
            .map(|s| {
                format!(
                    "; the simulation of “{}” predicts {} ({})",
                    s.scenario,
                    s.p99,
                    if s.meets_target {
                        "within the team's target"
                    } else {
                        "over the team's target: look at the plots before relying on it"
                    }
                )
            })
            .unwrap_or_default();
        checks.push(Claim {
            text: format!(
                "Latency: p99 measured at the {front} stays under {} ms{at_peak}, before and during the experiment{predicted}.",
                format::number(p99)
            ),
            ..Claim::default()
        });
    }
    if let Some(s) = simulation.filter(|s| !s.chaos.is_empty()) {
        // the experiment kills a server; what scaling in lost in the simulated day is not its doing
        let scale_in = if s.sessions_lost_to_scale_in > 0 {
            format!(
                " (the simulated day also lost {} sessions when scaling in removed servers, which the experiment does not do)",
                format::number(s.sessions_lost_to_scale_in as f64)
            )
        } else {
            String::new()
        };
        checks.push(Claim {
            text: format!(
                "Sessions: the experiment loses no more sessions than the server kills in the simulation of “{}” (seed {}) did: {}{scale_in}. {}",
                s.scenario,
                s.seed,
                format::number(s.sessions_lost_to_kills as f64),
                s.chaos.join(" ")
            ),
            ..Claim::default()
        });
    }
    if let Some(c) = chaos {
        let text = match c.outcomes.iter().find(|o| o.chosen) {
            Some(mine) => format!(
                "Sessions: killing one server of the chosen stack loses no more than the Chaos Monkey test the team ran predicts for it: {}",
                mine.sentence(&c.server)
            ),
            None => format!(
                "Sessions: the chosen stack runs no servers of its own, so no kill can lose a session on it; the Chaos Monkey test the team ran shows what the other options would lose. {}",
                c.sentences.join(" ")
            ),
        };
        checks.push(Claim {
            text,
            ..Claim::default()
        });
    }
    match simulation {
        Some(s) if s.has_band => checks.push(Claim {
            text: format!(
                "Cost: the monthly bill for the stack's services lands within the simulated band ({}); a bill above {} means the traffic or the prices differ from the scenario “{}”, so check the tripwires below.",
                s.bands, s.bands_high, s.scenario
            ),
            ..Claim::default()
        }),
        Some(s) => checks.push(Claim {
            text: format!(
                "Cost: the monthly bill for the stack's services is close to the simulated {}; a bill well above it means the traffic or the prices differ from the scenario “{}”, so check the tripwires below.",
                s.monthly_usd, s.scenario
            ),
            ..Claim::default()
        }),
        None => checks.push(Claim {
            text: "Cost: no simulated scenario runs the chosen stack, so the record has no figure for the monthly bill to match.".to_string(),
            ..Claim::default()
        }),
    }
    checks
}
