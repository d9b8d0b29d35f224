//! What a record says, as data: built from the advice (and, where scenarios were given, the
//! simulation), and handed to the template. Every claim carries the ids of the sources behind it, so
//! the template can cite them and a test can check that each one exists in the knowledge base.

use crate::ids::StackId;
use serde::Serialize;

use super::super::format;
use super::super::knowledge::{AnswerValue, Archetype, Knowledge, Stack};
use super::super::rules::{Advice, FiredRule, Scores};
use super::super::sim::chaos::{ChaosChoice, ChaosOutcome};
use super::confirm::{self, CHAOS_SOURCE, Experiment};
use super::curves::OptionFigures;
use super::diagram;
use super::front_matter::RecordMeta;
use super::simulation::{SimulationView, link};

/// The template's context: everything a record shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecordData {
    pub title: String,
    pub meta: RecordMeta,
    pub knowledge_version: String,
    pub recommendation: Archetype,
    /// "Hybrid".
    pub recommendation_label: String,
    pub scores: Scores,
    pub problem: String,
    pub answers: Vec<AnswerView>,
    pub drivers: Vec<Claim>,
    /// Drivers left out of the list above (they appear under the options).
    pub more_drivers: usize,
    pub options: Vec<OptionView>,
    pub chosen: OptionView,
    pub because: String,
    pub consequences: Consequences,
    pub diagram: String,
    pub confirmation: Confirmation,
    pub tripwires: Vec<Claim>,
    /// The hard requirements the answers imply, which the stack meets.
    pub requirements: Vec<RequirementView>,
    /// Services, stacks and archetypes a requirement rules out, each with why.
    pub ruled_out: Vec<String>,
    /// The simulated scenarios, in the order given.
    pub simulations: Vec<SimulationView>,
    /// The Chaos Monkey test the team ran, on the chosen stack and the other options that run servers.
    pub chaos: Option<ChaosView>,
    /// The record this one supersedes.
    pub supersedes: Option<RecordLink>,
    pub reproduce: Reproduce,
    pub sources: Vec<SourceView>,
}

/// A sentence and the evidence behind it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Claim {
    pub text: String,
    /// Ids in the knowledge base's sources.
    pub sources: Vec<String>,
    /// The rule that says it, and its points for the archetype at hand ("+4").
    pub rule: Option<String>,
    pub points: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnswerView {
    pub id: String,
    pub question: String,
    /// The answer, or for a default "… (default: not answered)".
    pub answer: String,
    /// The team left the question at its default.
    pub default: bool,
    pub sources: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServiceView {
    pub id: String,
    pub name: String,
    pub role: String,
    /// Why it is in the chosen stack (empty for another option's services).
    pub why: String,
    /// The questions whose answers put it there, comma-separated.
    pub because: String,
    /// What a record's list says of it: why it is there, or else its role.
    pub text: String,
    /// " (because of workload, …)", or nothing.
    pub because_note: String,
}

/// A hard requirement read from the answers, as the record lists it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RequirementView {
    pub text: String,
    pub tier: String,
    pub because: String,
    pub met: bool,
    /// What the record adds after it: nothing, or that the stack cannot meet it.
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OptionView {
    pub archetype: Archetype,
    /// "Hybrid — ALB + EC2 Auto Scaling + ElastiCache sessions + RDS".
    pub title: String,
    pub chosen: bool,
    pub score: i32,
    pub stack_id: StackId,
    pub stack_name: String,
    pub stack_points: i32,
    pub summary: String,
    pub services: Vec<ServiceView>,
    pub good: Vec<Claim>,
    pub bad: Vec<Claim>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Consequences {
    pub good: Vec<Claim>,
    pub bad: Vec<Claim>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Confirmation {
    pub experiment: Option<Experiment>,
    pub experiment_sources: Vec<String>,
    /// Figures that would confirm the decision in production.
    pub checks: Vec<Claim>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reproduce {
    pub hash: String,
    pub seed: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SourceView {
    pub id: String,
    pub title: String,
    /// The seed file and section, or the AWS page.
    pub citation: String,
    /// `https://…` for AWS pages.
    pub link: Option<String>,
}

/// Another record in the decisions folder: `ADR-0001` and its file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecordLink {
    /// `ADR-0001`.
    pub id: String,
    pub number: u32,
    pub file: String,
}

/// The Chaos Monkey test as the record tells it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChaosView {
    pub server: String,
    pub outcomes: Vec<ChaosOutcome>,
    /// One sentence per design.
    pub sentences: Vec<String>,
}

impl ChaosView {
    pub fn of(choice: &ChaosChoice, outcomes: Vec<ChaosOutcome>) -> ChaosView {
        ChaosView {
            server: choice.server.clone(),
            sentences: outcomes
                .iter()
                .map(|o| o.sentence(&choice.server))
                .collect(),
            outcomes,
        }
    }
}

/// What the simulated scenarios add to a record.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Simulated {
    pub views: Vec<SimulationView>,
    pub chaos: Option<ChaosView>,
    /// Where cost curves cross.
    pub tripwires: Vec<Claim>,
    /// Cost and latency points for each considered option.
    pub options: Vec<OptionFigures>,
}

/// Source ids in the order the record first cites them; ids the base does not know are dropped, so
/// the record never points at evidence that is not there.
#[derive(Default)]
struct Citations {
    order: Vec<String>,
}

impl Citations {
    fn cite(&mut self, k: &Knowledge, id: Option<&str>) -> Vec<String> {
        match id.filter(|id| k.source(id).is_some()) {
            Some(id) => {
                if !self.order.iter().any(|o| o == id) {
                    self.order.push(id.to_string());
                }
                vec![id.to_string()]
            }
            None => Vec::new(),
        }
    }

    fn views(&self, k: &Knowledge) -> Vec<SourceView> {
        self.order
            .iter()
            .filter_map(|id| k.source(id))
            .map(|s| SourceView {
                id: s.id.clone(),
                title: s.title.clone(),
                citation: s.citation(),
                link: s.url.as_deref().map(link),
            })
            .collect()
    }
}

pub fn label(a: Archetype) -> &'static str {
    match a {
        Archetype::Stateless => "Stateless",
        Archetype::Stateful => "Stateful",
        Archetype::Hybrid => "Hybrid",
    }
}

/// The most drivers listed by name; the rest are counted (they all appear under the options).
const DRIVERS_LISTED: usize = 8;

/// Builds the record's content from the advice.
pub fn build(
    k: &Knowledge,
    advice: &Advice,
    meta: RecordMeta,
    hash: &str,
    simulated: Simulated,
    defaults: &[String],
) -> RecordData {
    let Simulated {
        views: simulations,
        chaos,
        tripwires: simulated_tripwires,
        options: option_figures,
    } = simulated;
    let mut cites = Citations::default();
    let chosen_stack = k.stack(&advice.stack.id);
    let answers = answer_views(k, advice, defaults, &mut cites);
    let drivers_all = advice.drivers();
    let drivers: Vec<Claim> = drivers_all
        .iter()
        .take(DRIVERS_LISTED)
        .map(|r| rule_claim(k, r, advice.recommendation, &mut cites))
        .collect();
    let options = option_views(k, advice, &option_figures, &mut cites);
    let chosen = options
        .iter()
        .find(|o| o.chosen)
        .cloned()
        .unwrap_or_else(|| fallback_option(advice));
    let consequences = consequences(k, advice, chosen_stack, &mut cites);
    let experiment = chosen_stack.and_then(|s| confirm::chaos_experiment(k, s));
    let experiment_sources = cites.cite(k, Some(CHAOS_SOURCE));
    let main_sim = simulations.iter().find(|s| s.chosen_stack);
    let mut checks = confirmation_checks(k, advice, main_sim, chaos.as_ref());
    checks.extend(mitigations_in_place(k, advice, &mut cites));
    let tripwires = advice
        .tipping_points
        .iter()
        .map(|t| {
            let stack = k.stack(&t.stack).map_or(t.stack.as_str(), |s| &s.name);
            Claim {
                text: format!("{} Its stack would be {stack}.", t.sentence()),
                ..Claim::default()
            }
        })
        .chain(simulated_tripwires)
        .collect();
    let tripwires: Vec<Claim> = tripwires;
    if tripwires.is_empty() {
        // no tripwire to check: the cost line points nowhere else
        for c in &mut checks {
            if let Some(text) = c.text.strip_suffix(", so check the tripwires below.") {
                c.text = format!("{text}.");
            }
        }
    }
    let because = because(advice);
    let problem = problem_statement(k, advice, &answers);
    let diagram = chosen_stack
        .map(|s| diagram::StackGraph::of(k, s).to_mermaid())
        .unwrap_or_default();
    let seed = simulations.first().map(|s| s.seed);
    RecordData {
        title: format!(
            "Use a {} stack: {}",
            advice.recommendation, advice.stack.name
        ),
        meta,
        knowledge_version: advice.knowledge_version.clone(),
        recommendation: advice.recommendation,
        recommendation_label: label(advice.recommendation).to_string(),
        scores: advice.scores,
        problem,
        answers,
        more_drivers: drivers_all.len().saturating_sub(DRIVERS_LISTED),
        drivers,
        options,
        chosen,
        because,
        consequences,
        diagram,
        confirmation: Confirmation {
            experiment,
            experiment_sources,
            checks,
        },
        tripwires,
        requirements: requirement_views(advice),
        ruled_out: advice.excluded.iter().map(|e| e.why.clone()).collect(),
        simulations,
        chaos,
        supersedes: None,
        reproduce: Reproduce {
            hash: hash.to_string(),
            seed,
        },
        sources: cites.views(k),
    }
}

/// Each archetype's option, with the good and bad points the simulation gives its stack.
fn option_views(
    k: &Knowledge,
    advice: &Advice,
    figures: &[OptionFigures],
    cites: &mut Citations,
) -> Vec<OptionView> {
    let mut options: Vec<OptionView> = Archetype::ALL
        .iter()
        .filter_map(|&a| option_view(k, advice, a, cites))
        .collect();
    for option in &mut options {
        for f in figures.iter().filter(|f| f.stack == option.stack_id) {
            option.good.extend(f.good.iter().cloned());
            option.bad.extend(f.bad.iter().cloned());
        }
    }
    options
}

/// The chosen stack's pros and cons, and the design review's blockers and risks as consequences
/// of the choice, with what mitigates them.
fn consequences(
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
fn mitigations_in_place(k: &Knowledge, advice: &Advice, cites: &mut Citations) -> Vec<Claim> {
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

/// Why the chosen option: the scores (or the requirement that decides whatever they say), and how
/// the stack was put together.
fn because(advice: &Advice) -> String {
    let sc = &advice.scores;
    let others: Vec<String> = Archetype::ALL
        .iter()
        .filter(|&&a| a != advice.recommendation)
        .map(|&a| format!("{a} {}", signed(sc.get(a))))
        .collect();
    let decided: Vec<&crate::rules::Decisive> = advice
        .decisive
        .iter()
        .filter(|d| d.outvoted != advice.recommendation)
        .collect();
    let lead = if decided.is_empty() {
        format!(
            "it scores highest — {} {} against {}",
            advice.recommendation,
            signed(sc.get(advice.recommendation)),
            others.join(" and ")
        )
    } else {
        format!(
            "a requirement decides it — {} — whatever the points say ({} {} against {})",
            decided
                .iter()
                .map(|d| crate::compose::lower_first(&d.text))
                .collect::<Vec<_>>()
                .join("; "),
            advice.recommendation,
            signed(sc.get(advice.recommendation)),
            others.join(" and ")
        )
    };
    if advice.stack.composed {
        format!(
            "{lead} — and {} is composed tier by tier: each tier the answers call for holds the service that meets every requirement and scores best under the rules",
            advice.stack.name
        )
    } else {
        format!(
            "{lead} — and {} is what that composition comes to, a reference stack with {} stack points",
            advice.stack.name, advice.stack.points
        )
    }
}

/// The hard requirements read from the answers, and whether the stack meets each.
fn requirement_views(advice: &Advice) -> Vec<RequirementView> {
    advice
        .requirements
        .iter()
        .map(|r| RequirementView {
            text: r.text.clone(),
            tier: r.tier.label().to_string(),
            because: r.because.join(", "),
            met: r.met,
            note: if r.met {
                String::new()
            } else {
                " — not met: nothing in the catalogue meets it together with the others".into()
            },
        })
        .collect()
}

fn signed(n: i32) -> String {
    if n < 0 {
        format!("−{}", n.unsigned_abs())
    } else {
        n.to_string()
    }
}

fn problem_statement(k: &Knowledge, advice: &Advice, answers: &[AnswerView]) -> String {
    let system = advice
        .answers
        .get("workload")
        .zip(k.question("workload"))
        .map(|(v, q)| format!("We are building: {}. ", q.describe(v)))
        .unwrap_or_default();
    format!(
        "{system}Should it keep user state on its servers (stateful), keep none there (stateless), or run stateless compute around a stateful tier (hybrid) on AWS — and on which stack? {} the advice follows from them and from the knowledge base “{}”.",
        who_answered(answers),
        advice.knowledge_version
    )
}

/// Who answered what: the team's answers, and the questions left at their defaults said to be so.
fn who_answered(answers: &[AnswerView]) -> String {
    let defaults = answers.iter().filter(|a| a.default).count();
    if defaults == 0 {
        return "The team answered Statecraft's questions as below;".to_string();
    }
    let answered = answers.len() - defaults;
    if answered == 0 {
        return format!(
            "The team answered none of the {} questions below: all are the wizard's defaults, marked “default: not answered”;",
            format::number(answers.len() as f64)
        );
    }
    format!(
        "The team answered {} of the {} questions below; the other {} are the wizard's defaults, marked “default: not answered”;",
        format::number(answered as f64),
        format::number(answers.len() as f64),
        format::number(defaults as f64)
    )
}

fn answer_views(
    k: &Knowledge,
    advice: &Advice,
    defaults: &[String],
    cites: &mut Citations,
) -> Vec<AnswerView> {
    k.questions
        .iter()
        .filter_map(|q| {
            let value = advice.answers.get(&q.id)?;
            let default = defaults.contains(&q.id);
            let answer = q.describe(value);
            Some(AnswerView {
                id: q.id.clone(),
                question: q.text.clone(),
                answer: if default {
                    format!("{answer} (default: not answered)")
                } else {
                    answer
                },
                default,
                sources: cites.cite(k, q.source.as_deref()),
            })
        })
        .collect()
}

fn rule_claim(k: &Knowledge, r: &FiredRule, a: Archetype, cites: &mut Citations) -> Claim {
    let points = r.scores.get(a);
    Claim {
        text: r.rationale.clone(),
        sources: cites.cite(k, Some(&r.source)),
        rule: Some(r.id.clone()),
        points: Some(format!(
            "{}{} {a}",
            if points >= 0 { "+" } else { "" },
            signed(points)
        )),
    }
}

fn stack_claims(
    k: &Knowledge,
    items: &[String],
    stack: &Stack,
    cites: &mut Citations,
) -> Vec<Claim> {
    items
        .iter()
        .map(|text| Claim {
            text: text.clone(),
            sources: cites.cite(k, stack.source.as_deref()),
            ..Claim::default()
        })
        .collect()
}

/// A stack's pros and cons. A composed stack has none of its own: those of the reference stack of
/// its archetype it shares most services with (the same compute) stand in, and say so.
fn pros_and_cons(k: &Knowledge, stack: &Stack, cites: &mut Citations) -> (Vec<Claim>, Vec<Claim>) {
    let (from, prefix) = match nearest_reference(k, stack) {
        Some(r) if stack.pros.is_empty() && stack.cons.is_empty() => {
            (r, format!("As for the reference stack {}: ", r.name))
        }
        _ => (stack, String::new()),
    };
    let mut good = stack_claims(k, &from.pros, from, cites);
    let mut bad = stack_claims(k, &from.cons, from, cites);
    for c in good.iter_mut().chain(bad.iter_mut()) {
        c.text = format!("{prefix}{}", c.text);
    }
    (good, bad)
}

/// The reference stack of a composed stack's archetype with its compute that shares most of its
/// services (none for a reference stack itself).
fn nearest_reference<'k>(k: &'k Knowledge, stack: &Stack) -> Option<&'k Stack> {
    if k.stacks.iter().any(|s| s.id == stack.id) {
        return None;
    }
    let mine: Vec<&str> = stack.services.iter().map(|s| s.service.as_str()).collect();
    k.stacks
        .iter()
        .filter(|r| r.archetype == stack.archetype && r.topology.compute == stack.topology.compute)
        .max_by_key(|r| {
            (
                r.services
                    .iter()
                    .filter(|s| mine.contains(&s.service.as_str()))
                    .count(),
                std::cmp::Reverse(r.services.len()),
            )
        })
}

/// The option for archetype `a`: the chosen stack for the recommendation, else that archetype's
/// best-ranked stack.
fn option_view(
    k: &Knowledge,
    advice: &Advice,
    a: Archetype,
    cites: &mut Citations,
) -> Option<OptionView> {
    let chosen = a == advice.recommendation;
    let (stack_id, stack_points) = if chosen {
        (advice.stack.id.to_string(), advice.stack.points)
    } else {
        advice
            .stack_ranking
            .iter()
            .find(|(id, _)| k.stack(id).is_some_and(|s| s.archetype == a))
            .cloned()?
    };
    let stack = k.stack(&stack_id)?;
    let (mut good, mut bad) = pros_and_cons(k, stack, cites);
    let mut rules: Vec<&FiredRule> = advice
        .fired_rules
        .iter()
        .map(|r| r.as_ref())
        .filter(|r| r.scores.get(a) != 0)
        .collect();
    rules.sort_by_key(|r| std::cmp::Reverse(r.scores.get(a).abs()));
    for r in rules {
        let claim = rule_claim(k, r, a, cites);
        if r.scores.get(a) > 0 {
            good.push(claim);
        } else {
            bad.push(claim);
        }
    }
    Some(OptionView {
        archetype: a,
        title: format!("{} — {}", label(a), stack.name),
        chosen,
        score: advice.scores.get(a),
        stack_id: stack.id.clone().into(),
        stack_name: stack.name.clone(),
        stack_points,
        summary: stack.summary.clone(),
        services: stack
            .services
            .iter()
            .map(|s| {
                let explained = advice
                    .stack
                    .services
                    .iter()
                    .find(|x| chosen && x.id == s.service);
                ServiceView {
                    id: s.service.clone(),
                    name: k
                        .service(&s.service)
                        .map_or_else(|| s.service.clone(), |sv| sv.name.clone()),
                    role: s.role.clone(),
                    why: explained.map(|x| x.why.clone()).unwrap_or_default(),
                    because: explained.map(|x| x.because.join(", ")).unwrap_or_default(),
                    text: explained.map_or_else(|| s.role.clone(), |x| x.why.clone()),
                    because_note: explained
                        .map(|x| format!(" (because of {})", x.because.join(", ")))
                        .unwrap_or_default(),
                }
            })
            .collect(),
        good,
        bad,
    })
}

fn fallback_option(advice: &Advice) -> OptionView {
    OptionView {
        archetype: advice.recommendation,
        title: format!("{} — {}", label(advice.recommendation), advice.stack.name),
        chosen: true,
        score: advice.scores.get(advice.recommendation),
        stack_id: advice.stack.id.clone(),
        stack_name: advice.stack.name.clone(),
        stack_points: advice.stack.points,
        summary: String::new(),
        services: advice
            .stack
            .services
            .iter()
            .map(|s| ServiceView {
                id: s.id.clone(),
                name: s.name.clone(),
                role: s.role.clone(),
                why: s.why.clone(),
                because: s.because.join(", "),
                text: s.why.clone(),
                because_note: format!(" (because of {})", s.because.join(", ")),
            })
            .collect(),
        good: Vec::new(),
        bad: Vec::new(),
    }
}

fn number_answer(advice: &Advice, question: &str) -> Option<f64> {
    match advice.answers.get(question) {
        Some(AnswerValue::Number(n)) => Some(*n),
        _ => None,
    }
}

/// The latency and cost figures that would confirm the decision once it runs.
fn confirmation_checks(
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
