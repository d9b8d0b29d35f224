//! The decision record: the advice (and any simulated scenarios) written as a markdown architecture
//! decision record — MADR 4.0 by default, Nygard's short form or a team's own minijinja template —
//! whose front matter carries the answers, scenarios, seed and knowledge version with a hash, so the
//! record can be opened again and gives the same advice. Plus the plots beside it, a self-contained
//! HTML rendering by comrak, and the parse the app's preview draws.
//!
//! The command line's `export` and the app's Export screen both reach `build_record` and the
//! writers here through `decision` (`decision::record`, `decision::write`); `advise --answers` and
//! the app's Open read records back through `import`.

mod confirm;
mod content;
mod curves;
mod diagram;
pub mod folder;
pub mod front_matter;
mod html;
mod import;
mod numbering;
mod plots;
pub mod predictions;
mod preview;
mod simulation;
pub mod supersede;
mod template;
mod write;

use std::path::Path;

pub use confirm::{Experiment, chaos_experiment};
pub use content::{
    AnswerView, Claim, Confirmation, Consequences, OptionView, RecordData, SourceView,
};
pub use front_matter::{
    FORMAT, Figures, PriceUse, Provenance, RecordMeta, canonical, has_front_matter, text_hash,
};
pub use html::comrak_options;
pub use import::{
    ImportedRecord, KnowledgeChange, TEXT_EDITED, import, import_answers, verify_only,
};
pub use numbering::{write_next, write_next_with};
pub use plots::{Chart, Marker, Series};
pub use preview::{Heading, PreviewBlock, blocks, cited_sources, outline};
pub use simulation::{CostRow, PlotView, SimulationView};
pub use template::{Style, Template, escape_markdown};
pub use write::{Written, next_file_name, write_record, write_record_with};

use super::answers::Answers;
use super::diagnostic::{self, Diagnostic, Diagnostics};
use super::knowledge::Knowledge;
use super::rules::Engine;
use super::sim::chaos::{self, ChaosChoice};
use super::sim::from_answers::{self, Expectations};
use super::sim::{self, Scenario};

/// The status a generated record gets: it goes to review before anyone accepts it.
pub const DEFAULT_STATUS: &str = "proposed";

/// MADR 4.0's statuses (plus `superseded by ADR-NNNN`).
pub const STATUSES: [&str; 4] = ["proposed", "accepted", "rejected", "deprecated"];

/// Checks a status as MADR writes them: `proposed`, `accepted`, `rejected`, `deprecated`, or
/// `superseded by ADR-0007`.
pub fn check_status(status: &str) -> Result<(), String> {
    if STATUSES.contains(&status) {
        return Ok(());
    }
    if let Some(number) = status.strip_prefix("superseded by ADR-")
        && number.len() >= 4
        && number.chars().all(|c| c.is_ascii_digit())
    {
        return Ok(());
    }
    Err(format!(
        "`{status}` is not one of MADR's statuses: {}, or `superseded by ADR-NNNN`",
        STATUSES.join(", ")
    ))
}

/// What a record carries besides the advice.
#[derive(Clone, Debug, PartialEq)]
pub struct Evidence {
    /// The team's scenarios, simulated in order. With none, the record simulates the scenario the
    /// answers describe (and `from_answers` is set on the record's evidence).
    pub scenarios: Vec<Scenario>,
    /// The scenarios were derived from the answers, not given by the team.
    pub from_answers: bool,
    /// The Chaos Monkey test the user ran, run again on the chosen stack and the other options.
    pub chaos: Option<ChaosChoice>,
    /// Monte Carlo bands for scenarios with ranges; off, their likely values only.
    pub bands: bool,
    /// The seed of the scenario derived from the answers and of the chaos test.
    pub seed: u64,
    /// The questions the answers hold only at their defaults (the team did not answer them): the
    /// record lists them as defaults, not as the team's answers.
    pub defaults: Vec<String>,
}

impl Default for Evidence {
    fn default() -> Self {
        Evidence {
            scenarios: Vec::new(),
            from_answers: false,
            chaos: None,
            bands: true,
            seed: sim::scenario::DEFAULT_SEED,
            defaults: Vec::new(),
        }
    }
}

/// How to write a record.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportOptions {
    pub template: Template,
    /// Status, date (`YYYY-MM-DD`) and people, as MADR's front matter has them.
    pub meta: RecordMeta,
    /// The record's file name without `.md`; the plots are named after it. Defaults to the slug.
    pub stem: Option<String>,
    /// The record this one supersedes: its number and file name, for the link back.
    pub supersedes: Option<(u32, String)>,
}

impl Default for ExportOptions {
    /// MADR, status `proposed`, today's date (UTC).
    fn default() -> Self {
        ExportOptions {
            template: Template::default(),
            meta: RecordMeta {
                status: DEFAULT_STATUS.into(),
                date: today(),
                ..RecordMeta::default()
            },
            stem: None,
            supersedes: None,
        }
    }
}

/// Today's date (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    let date = time::OffsetDateTime::now_utc().date();
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Checks a `YYYY-MM-DD` date (a real one: no 2026-02-30).
pub fn check_date(date: &str) -> Result<(), String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(date, &format)
        .map(|_| ())
        .map_err(|_| format!("`{date}` is not a date written YYYY-MM-DD"))
}

/// A record simulates at most this many scenarios: each takes a fraction of a second, with its
/// plots and bands, and a record of more is read by nobody; a project from elsewhere ticking a
/// thousand would take minutes.
pub const MAX_RECORD_SCENARIOS: usize = 20;

/// The error for more scenarios than a record takes, for `file`.
pub fn too_many_scenarios(count: usize, file: &str) -> Diagnostic {
    Diagnostic::new(
        file,
        format!(
            "{count} scenarios are ticked for the record; a record simulates at most {MAX_RECORD_SCENARIOS}"
        ),
        format!("tick at most {MAX_RECORD_SCENARIOS} scenarios (the ones the decision turns on)"),
    )
}

/// A plot or other file written beside the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Asset {
    /// `cost-vs-traffic`.
    pub kind: String,
    pub title: String,
    /// `0007-use-hybrid-stack-cost-vs-traffic.svg`.
    pub file_name: String,
    pub svg: String,
}

/// A rendered record.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// The whole file: front matter and body.
    pub markdown: String,
    /// The file name without `.md`.
    pub stem: String,
    pub data: RecordData,
    pub provenance: Provenance,
    pub assets: Vec<Asset>,
    /// The chosen stack drawn as SVG (the HTML shows it in place of the mermaid block).
    pub diagram_svg: String,
    template: Template,
}

impl Record {
    /// `use-hybrid-stack`: the name part of the record's file name.
    pub fn slug(&self) -> String {
        format!("use-{}-stack", self.data.recommendation)
    }

    /// The next free numbered name in a decisions folder: `0007-use-hybrid-stack.md`.
    pub fn file_name(&self, decisions_dir: &Path) -> Result<String, Diagnostic> {
        next_file_name(decisions_dir, &self.slug())
    }

    /// The same record for another file name (the plot links follow the name).
    pub fn with_stem(&self, stem: &str) -> Result<Record, Diagnostics> {
        let mut data = self.data.clone();
        let mut assets = self.assets.clone();
        for plot in data.simulations.iter_mut().flat_map(|s| s.plots.iter_mut()) {
            if let Some(asset) = assets.iter().find(|a| a.file_name == plot.file) {
                plot.file = asset_file_name(stem, &asset.kind);
            }
        }
        for asset in &mut assets {
            asset.file_name = asset_file_name(stem, &asset.kind);
        }
        render(
            data,
            self.provenance.clone(),
            assets,
            self.diagram_svg.clone(),
            &self.template,
            stem,
        )
    }

    /// One self-contained HTML file (plots embedded), rendered by comrak from `markdown`.
    pub fn to_html(&self) -> String {
        let diagram = (!self.diagram_svg.is_empty()).then(|| html::Diagram {
            mermaid: &self.data.diagram,
            svg: &self.diagram_svg,
        });
        html::document(
            &self.markdown,
            &self.data.title,
            &self.data.meta,
            &self.assets,
            diagram,
        )
    }

    /// The blocks the app's preview draws, from comrak's parse of `markdown`.
    pub fn preview(&self) -> Vec<PreviewBlock> {
        blocks(&self.markdown)
    }
}

fn asset_file_name(stem: &str, kind: &str) -> String {
    format!("{stem}-{kind}.svg")
}

/// Builds the record for `answers` (already checked against `k`) with `evidence`: each scenario's
/// cost table, latency figures, plots and crossovers join the record (the scenario the answers
/// describe when the team gave none), with where a scenario disagrees with the answers; the chaos
/// test's outcome on the chosen stack and the other options; and everything it was computed from goes into the evidence block.
pub fn build_record(
    k: &Knowledge,
    answers: &Answers,
    evidence: &Evidence,
    options: &ExportOptions,
) -> Result<Record, Diagnostics> {
    match build(k, answers, evidence, options, Detail::Record)? {
        Built::Record(r) => Ok(*r),
        // `Detail::Record` builds the whole record
        Built::Provenance(p) => Err(Diagnostic::new(
            "the record",
            format!("only its provenance ({}) was built", p.hash),
            "export it again",
        )
        .into()),
    }
}

/// The provenance `build_record` seals for the same input (recommendation, stack, each scenario's
/// figures and predictions), without what only the text needs: the plots' curves over a grid of
/// rates, the Chaos Monkey test's outcome, the prose. A review compares provenances, and the
/// curves are most of a record's simulation time.
pub fn record_provenance(
    k: &Knowledge,
    answers: &Answers,
    evidence: &Evidence,
    options: &ExportOptions,
) -> Result<Provenance, Diagnostics> {
    match build(k, answers, evidence, options, Detail::Provenance)? {
        Built::Record(r) => Ok(r.provenance),
        Built::Provenance(p) => Ok(*p),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Detail {
    Record,
    Provenance,
}

enum Built {
    Record(Box<Record>),
    Provenance(Box<Provenance>),
}

fn build(
    k: &Knowledge,
    answers: &Answers,
    evidence: &Evidence,
    options: &ExportOptions,
    detail: Detail,
) -> Result<Built, Diagnostics> {
    check_date(&options.meta.date).map_err(|why| {
        Diagnostic::new(
            "the record's date",
            why,
            "give the date as YYYY-MM-DD, like 2026-11-23",
        )
    })?;
    check_status(&options.meta.status).map_err(|why| {
        Diagnostic::new(
            "the record's status",
            why,
            "use proposed (the default for a generated record), accepted, rejected or deprecated",
        )
    })?;
    let advice = Engine::new(k).advise(answers);
    let stem = options
        .stem
        .clone()
        .unwrap_or_else(|| format!("use-{}-stack", advice.recommendation));
    let mut evidence = evidence.clone();
    if !evidence.from_answers
        && let Some(first) = evidence.scenarios.first()
    {
        // the record's seed is its first scenario's, as the team simulated it
        evidence.seed = first.seed;
    }
    // where the answers' scenario's figures came from, one line each (empty for a team's scenarios)
    let mut origins = Vec::new();
    if evidence.scenarios.is_empty() || evidence.from_answers {
        // the answers as the team gave them: a default is said to be one in the figures' origins
        let mut given = answers.clone();
        for id in &evidence.defaults {
            given.remove(id);
        }
        let described = from_answers::describe(k, &advice.stack.id, &given, evidence.seed);
        origins = described
            .origins
            .iter()
            // the record escapes markdown in data, so code quotes would show as backslashes
            .map(|(field, origin)| format!("{field}: {}", origin.sentence().replace('`', "")))
            .collect();
        evidence.scenarios = vec![described.scenario];
        evidence.from_answers = true;
    }
    let expect = Expectations::of(answers);
    let option_stacks = content::option_stacks(k, &advice);
    let mut simulated = content::Simulated::default();
    let mut assets = Vec::new();
    let mut figures = Vec::new();
    if evidence.scenarios.len() > MAX_RECORD_SCENARIOS {
        return Err(too_many_scenarios(evidence.scenarios.len(), "the record").into());
    }
    let runs = with_the_chosen_stack(k, &evidence.scenarios, &advice.stack.id);
    let count = runs.len();
    for (i, given) in runs.iter().enumerate() {
        crate::interrupt::progress(&format!(
            "simulating scenario {} of {count} ({})",
            i + 1,
            diagnostic::shown(&given.name)
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
            given.clone()
        } else {
            from_answers::likely_only(given)
        };
        let report = match sim::simulate(k, &scenario) {
            Ok(report) => report,
            // the chosen stack's extra run is the record's own addition: a team's scenario that
            // does not fit that stack leaves it out (Confirmation then says there is no figure)
            Err(_) if i >= evidence.scenarios.len() => break,
            Err(e) => return Err(e),
        };
        let mut view = simulation::view(k, &scenario, i, &report, &advice.stack.id, &expect);
        view.from_answers = evidence.from_answers;
        view.origins = origins.clone();
        let suffix = if i == 0 {
            String::new()
        } else {
            format!("-{}", i + 1)
        };
        // the chosen stack's extra run repeats a scenario whose plots and option figures (every
        // option's stack at its peak) the record already has
        let extra = i >= evidence.scenarios.len();
        let found = match detail {
            Detail::Record if !extra => curves::curves(
                k,
                &scenario,
                &option_stacks,
                &suffix,
                &view.scenario,
                &expect,
            ),
            _ => curves::Curves::default(),
        };
        for mut asset in found.assets {
            asset.file_name = asset_file_name(&stem, &asset.kind);
            view.plots.push(PlotView {
                title: asset.title.clone(),
                file: asset.file_name.clone(),
            });
            assets.push(asset);
        }
        simulated.tripwires.extend(found.tripwires);
        let options = if extra {
            Vec::new()
        } else {
            curves::option_figures(k, &scenario, &option_stacks, &view.scenario, &expect)
        };
        let target_ms = expect
            .latency_target_ms
            .unwrap_or(report.latency.target_ms.0);
        // what the server kills lost, without scaling in's losses (a kill in production is checked
        // against this)
        let kills = scenario
            .chaos
            .iter()
            .any(|c| matches!(c, sim::scenario::ChaosEvent::KillServer { .. }))
            .then_some(view.sessions_lost_to_kills);
        let predictions = predictions::Predictions::of(
            &report,
            &scenario.billing.region,
            scenario.traffic.peak_rps.likely(),
            target_ms,
            kills,
        );
        view.predictions = predictions.sentences();
        figures.push(Figures {
            scenario: view.scenario.clone(),
            stack: report.stack.id.clone(),
            monthly_usd: report.cost.monthly_usd.0,
            p99_ms: report.latency.p99_ms.0,
            target_ms,
            meets_target: view.meets_target,
            cheapest: if extra {
                // the same scenario as the first: the same options at the same peak
                figures.first().and_then(|f: &Figures| f.cheapest.clone())
            } else {
                options.iter().find(|o| o.cheapest).map(|o| o.stack.clone())
            },
            prices: report
                .cost
                .by_service
                .iter()
                .filter(|l| !l.price_id.is_empty())
                .fold(std::collections::BTreeMap::new(), |mut m, l| {
                    let u: &mut PriceUse = m.entry(l.price_id.clone()).or_default();
                    u.as_of = l.price_as_of.clone();
                    u.monthly_usd += l.monthly_usd.0;
                    m
                }),
            predictions: Some(predictions),
        });
        simulated.options.extend(options);
        simulated.views.push(view);
    }
    if let Some(choice) = evidence.chaos.as_ref().filter(|_| detail == Detail::Record) {
        // the kill on the chosen stack's own servers (the size the team's scenario gave them), and
        // on the other options' stacks for comparison
        let scenarios = &runs;
        let like = |id: &str| {
            scenarios
                .iter()
                .find(|s| sim::stack_for(k, s).is_ok_and(|st| st.id == id))
        };
        let outcomes = chaos::on_stacks(k, choice, &option_stacks, evidence.seed, &like)?;
        simulated.chaos = Some(content::ChaosView::of(choice, outcomes));
    }
    let provenance = Provenance::sealed(
        k.version(),
        serde_json::to_value(&answers.answers).unwrap_or_default(),
        &evidence,
        advice.recommendation.to_string(),
        advice.stack.id.clone(),
        figures,
    );
    if detail == Detail::Provenance {
        return Ok(Built::Provenance(Box::new(provenance)));
    }
    let mut data = content::build(
        k,
        &advice,
        options.meta.clone(),
        &provenance.hash,
        simulated,
        &evidence.defaults,
    );
    data.supersedes = options
        .supersedes
        .as_ref()
        .map(|(number, file)| content::RecordLink {
            id: supersede::adr_id(*number),
            number: *number,
            file: file.clone(),
        });
    let diagram_svg = k
        .stack(&advice.stack.id)
        .map(|s| diagram::StackGraph::of(k, s).to_svg())
        .unwrap_or_default();
    render(
        data,
        provenance,
        assets,
        diagram_svg,
        &options.template,
        &stem,
    )
    .map(|r| Built::Record(Box::new(r)))
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

fn render(
    data: RecordData,
    provenance: Provenance,
    assets: Vec<Asset>,
    diagram_svg: String,
    template: &Template,
    stem: &str,
) -> Result<Record, Diagnostics> {
    let body = drop_unused_footnotes(&template.render(&data, stem)?);
    let markdown = format!(
        "{}\n{body}\n{}",
        front_matter::write(&data.meta, &provenance, &front_matter::text_hash(&body)),
        front_matter::write_evidence(&provenance)
    );
    Ok(Record {
        markdown,
        stem: stem.to_string(),
        data,
        provenance,
        assets,
        diagram_svg,
        template: template.clone(),
    })
}

/// The body without footnote definitions nothing in it cites: a layout that leaves out part of
/// the record (Nygard's has no pros and cons) would otherwise list sources it never refers to.
fn drop_unused_footnotes(body: &str) -> String {
    let lines: Vec<&str> = body.split('\n').collect();
    let label = |line: &str| -> Option<String> {
        let rest = line.strip_prefix("[^")?;
        let end = rest.find("]:")?;
        Some(rest[..end].to_string())
    };
    let text: String = lines
        .iter()
        .filter(|l| label(l).is_none())
        .copied()
        .collect::<Vec<_>>()
        .join("\n");
    let mut out: Vec<&str> = Vec::with_capacity(lines.len());
    let mut skip_blank = false;
    for line in lines {
        if let Some(id) = label(line)
            && !text.contains(&format!("[^{id}]"))
        {
            skip_blank = true;
            continue;
        }
        if skip_blank && line.is_empty() {
            skip_blank = false;
            continue;
        }
        skip_blank = false;
        out.push(line);
    }
    out.join("\n")
}
