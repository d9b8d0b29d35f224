//! The use cases both front ends call, so the desktop app and the command line give one decision and
//! one evidence trail: answers → advice → the scenario the answers describe → the simulations the
//! team chose (their scenarios, the chaos test, the Monte Carlo bands) → the record.
//!
//! `statecraft export --project FILE` and the app's Export screen both call [`project_record`], so
//! they write the same bytes for the same project; `export`, the app's Save and its "Write into" a
//! decisions folder all write through [`write`]. The Simulator opens on [`working_scenario`], the
//! scenario the record simulates when the team gave none.

mod findings;
mod write;

use std::path::Path;

use crate::answers::Answers;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::export::{self, Evidence, ExportOptions, Record, RecordMeta, Template};
use crate::json_source::SourceText;
use crate::knowledge::Knowledge;
use crate::project::{Project, RecordSettings};
use crate::rules::Advice;
use crate::sim::Scenario;
use crate::wizard;

pub use self::findings::{findings, kill_losses, option_stacks, with_the_chosen_stack};
pub use self::write::{Html, Target, Wrote, write};
pub use crate::findings::{Detail, Findings};
pub use crate::sim::from_answers::{
    Described, Disagreement, Expectations, FROM_ANSWERS, Origin, describe, disagreements,
    likely_only, scenario_from_answers,
};

/// The advice for `answers` (already checked against `k`).
pub fn advise(k: &Knowledge, answers: &Answers) -> Advice {
    crate::rules::advise(k, answers)
}

/// The scenario the simulator opens with for `answers`: the advised stack with the workload's
/// request profile and the answers' peak, shape, latency target and session size (each unanswered
/// question's default where the team gave none).
pub fn working_scenario(k: &Knowledge, answers: &Answers, seed: u64) -> Scenario {
    described_scenario(k, answers, seed).scenario
}

/// [`working_scenario`] with the advice already given for the answers with their defaults (the app
/// keeps it): the same scenario, without advising again.
pub fn working_scenario_for(
    k: &Knowledge,
    advice: &Advice,
    answers: &Answers,
    seed: u64,
) -> Scenario {
    describe(k, &advice.stack.id, answers, seed).scenario
}

/// As [`working_scenario`], with where each value came from (`statecraft scenario --answers`).
pub fn described_scenario(k: &Knowledge, answers: &Answers, seed: u64) -> Described {
    let advice = advise(k, &wizard::with_defaults(k, answers));
    describe(k, &advice.stack.id, answers, seed)
}

/// What an answers file or a decision record holds: the answers, and a record's evidence (its
/// scenarios, chaos test and seed) so a record exports again as it was.
pub struct Inputs {
    pub answers: Answers,
    pub evidence: Evidence,
    /// Set when the input was a record: what it says about itself on opening (another knowledge
    /// version, an edited body).
    pub warnings: Vec<String>,
}

/// Reads `--answers FILE`: an answers JSON file, or a decision record that `export` wrote.
pub fn read_inputs(path: &Path, k: &Knowledge) -> Result<Inputs, Diagnostics> {
    let src = SourceText::read(path, "answers")?;
    let markdown = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"));
    if markdown || export::has_front_matter(&src.text) {
        let record = export::import(&src, k)?;
        let warnings = record.warnings();
        return Ok(Inputs {
            answers: record.answers,
            evidence: record.evidence,
            warnings,
        });
    }
    Ok(Inputs {
        answers: Answers::parse(&src, k)?,
        evidence: Evidence::default(),
        warnings: Vec::new(),
    })
}

/// The record for `answers` with `evidence`: the [`findings`], computed once, rendered by
/// `export::record`. Without scenarios of the team's, it simulates the scenario the answers
/// describe, so every record has its cost table and plots.
pub fn record(
    k: &Knowledge,
    answers: &Answers,
    evidence: &Evidence,
    options: &ExportOptions,
) -> Result<Record, Diagnostics> {
    // a wrong date or status is said before a second is spent simulating
    export::check_options(options)?;
    let found = findings(k, answers, evidence, Detail::Record)?;
    export::record(k, &found, options)
}

/// What `record` would seal for the same input, without its plots, chaos test and prose: what a
/// review compares. The plots' curves are most of a record's simulation time, so the findings
/// are computed without them (`Detail::Provenance`).
pub fn provenance(
    k: &Knowledge,
    answers: &Answers,
    evidence: &Evidence,
    options: &ExportOptions,
) -> Result<export::Provenance, Diagnostics> {
    export::check_options(options)?;
    let found = findings(k, answers, evidence, Detail::Provenance)?;
    Ok(export::provenance(k, &found))
}

/// The questions a project's record holds at their defaults for `answers`: every one the team has
/// not answered that [`wizard::with_defaults`] fills in. The record keeps them apart from the team's
/// answers, so opening it again leaves them unanswered.
pub fn defaulted(k: &Knowledge, answers: &Answers) -> Vec<String> {
    let filled = wizard::with_defaults(k, answers);
    k.questions
        .iter()
        .filter(|q| answers.get(&q.id).is_none() && filled.get(&q.id).is_some())
        .map(|q| q.id.clone())
        .collect()
}

/// Of [`defaulted`], those the wizard shows, which the record lists as “default: not answered”:
/// the count the Export screen gives.
pub fn shown_defaults(k: &Knowledge, answers: &Answers) -> Vec<String> {
    let filled = wizard::with_defaults(k, answers);
    let shown: Vec<&str> = wizard::visible(k, &filled)
        .into_iter()
        .map(|i| k.questions[i].id.as_str())
        .collect();
    defaulted(k, answers)
        .into_iter()
        .filter(|id| shown.contains(&id.as_str()))
        .collect()
}

/// The options the project's record settings give, for `date` (`YYYY-MM-DD`) and a file `stem`.
pub fn project_options(
    settings: &RecordSettings,
    date: &str,
    stem: Option<String>,
) -> ExportOptions {
    ExportOptions {
        template: Template::Shipped(settings.layout),
        meta: RecordMeta {
            status: settings.status.clone(),
            date: date.to_string(),
            decision_makers: settings.decision_makers.clone(),
            consulted: settings.consulted.clone(),
            informed: settings.informed.clone(),
        },
        stem,
        supersedes: settings.supersedes.clone(),
    }
}

/// What the project's record carries: the working scenario and the saved ones ticked for the
/// record (in the order saved), the chaos test the user ran, and whether to run the bands.
pub fn project_evidence(project: &Project) -> Result<Evidence, Diagnostics> {
    let settings = &project.record;
    let mut scenarios = Vec::new();
    if settings.working
        && let Some(working) = &project.working
    {
        // as the simulator screen runs it: with the project's seed
        let mut s = working.clone();
        s.seed = project.seed;
        scenarios.push(s);
    }
    for name in &settings.scenarios {
        match project.scenario(name) {
            Some(saved) => {
                let mut s = saved.scenario.clone();
                if s.name.trim().is_empty() {
                    s.name = saved.name.clone();
                }
                // the project's seed is the seed of every simulation in it, as the app runs them: a
                // scenario saved or loaded with another seed is not simulated with that one
                s.seed = project.seed;
                scenarios.push(s);
            }
            None => {
                return Err(Diagnostic::new(
                    "the project's record settings",
                    format!("the record names a saved scenario `{name}` the project does not have"),
                    "tick only saved scenarios on the Export screen",
                )
                .into());
            }
        }
    }
    Ok(Evidence {
        scenarios,
        from_answers: false,
        chaos: settings.chaos.clone(),
        bands: settings.bands,
        seed: project.seed,
        defaults: Vec::new(),
    })
}

/// The record the app's Export screen shows for `project`, and `export --project` writes.
pub fn project_record(
    k: &Knowledge,
    project: &Project,
    date: &str,
    stem: Option<String>,
) -> Result<Record, Diagnostics> {
    project_record_with(k, project, &project_options(&project.record, date, stem))
}

/// The project's record with other options (a team's template, a record it supersedes).
pub fn project_record_with(
    k: &Knowledge,
    project: &Project,
    options: &ExportOptions,
) -> Result<Record, Diagnostics> {
    // the record carries the answers the recommendation screen shows: defaults filled in, and
    // said to be defaults
    let answers = wizard::with_defaults(k, &project.answers);
    let mut evidence = project_evidence(project)?;
    evidence.defaults = defaulted(k, &project.answers);
    record(k, &answers, &evidence, options)
}

/// A record opened as a project: its answers, its scenarios (the first as the working one, each saved
/// under its name), its seed, chaos test and people; the warnings the record gives on opening (another
/// knowledge version, an edited text). The project is new: saving it asks where.
pub fn project_from_record(
    k: &Knowledge,
    path: &Path,
) -> Result<(Project, Vec<String>), Diagnostics> {
    let src = SourceText::read(path, "decision record")?;
    let record = export::import(&src, k)?;
    let mut answers = record.answers.clone();
    // the questions the record holds only at their defaults are unanswered again in the project
    for id in &record.evidence.defaults {
        answers.remove(id);
    }
    let mut project = Project {
        answers,
        seed: record.evidence.seed,
        ..Project::default()
    };
    if !record.evidence.from_answers {
        for (i, s) in record.scenarios.iter().enumerate() {
            let name = if s.name.trim().is_empty() {
                format!("Scenario {}", i + 1)
            } else {
                s.name.trim().to_string()
            };
            project.put_scenario(&name, s.clone());
            project.record.scenarios.push(name);
        }
        project.working = record.scenarios.first().cloned();
        // the first scenario is the working one and a saved one: the record carries it once
        project.record.working = false;
    }
    project.record.chaos = record.evidence.chaos.clone();
    project.record.bands = record.evidence.bands;
    project.record.decision_makers = record.meta.decision_makers.clone();
    project.record.consulted = record.meta.consulted.clone();
    project.record.informed = record.meta.informed.clone();
    Ok((project, record.warnings()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::AnswerValue;

    #[test]
    fn the_working_scenario_follows_the_answers_and_the_advised_stack() {
        let k = Knowledge::shipped().expect("shipped knowledge");
        let mut answers = Answers::default();
        answers.set("peak-rps", AnswerValue::Number(1500.0));
        let s = working_scenario(&k, &answers, 9);
        let advised = advise(&k, &wizard::with_defaults(&k, &answers));
        assert_eq!(s.stack.as_deref(), Some(advised.stack.id.as_str()));
        assert_eq!(s.traffic.peak_rps.likely(), 1500.0);
        assert_eq!(s.seed, 9);
    }

    #[test]
    fn the_provenance_a_review_compares_is_the_one_the_whole_record_seals() {
        let k = Knowledge::shipped().expect("shipped knowledge");
        let mut answers = Answers::default();
        answers.set("peak-rps", AnswerValue::Number(400.0));
        let answers = wizard::with_defaults(&k, &answers);
        let evidence = Evidence {
            seed: 7,
            ..Evidence::default()
        };
        let options = ExportOptions::default();
        let whole = record(&k, &answers, &evidence, &options).expect("record");
        let figures_only = provenance(&k, &answers, &evidence, &options).expect("provenance");
        assert!(!whole.assets.is_empty(), "the whole record has its plots");
        assert!(whole.provenance.figures[0].cheapest.is_some());
        assert_eq!(figures_only, whole.provenance);
    }

    #[test]
    fn a_project_record_names_a_missing_saved_scenario() {
        let mut p = Project::default();
        p.record.scenarios = vec!["launch".into()];
        let err = project_evidence(&p).unwrap_err();
        assert!(err.to_string().contains("`launch`"), "{err}");
    }
}
