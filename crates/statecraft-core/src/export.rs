//! The decision record: the advice (and any simulated scenarios) written as a markdown architecture
//! decision record — MADR 4.0 by default, Nygard's short form or a team's own minijinja template —
//! whose front matter carries the answers, scenarios, seed and knowledge version with a hash, so the
//! record can be opened again and gives the same advice. Plus the plots beside it, a self-contained
//! HTML rendering by comrak, and the parse the app's preview draws.
//!
//! The record only words and renders what the decision found: `decision::findings` computes the
//! advice, the simulations, the curves and the chaos test once (a `findings::Findings`), and
//! [`record`] turns that value into a `Record`; nothing here calls the simulator or the advice
//! engine. The command line's `export` and the app's Export screen both reach it and the writers
//! here through `decision` (`decision::record`, `decision::write`); `advise --answers` and the app's
//! Open read records back through `import`.

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
pub use supersede::Supersedes;
pub use template::{Style, Template, escape_markdown};
pub use write::{Written, next_file_name, write_record, write_record_with};

pub use super::findings::{Evidence, predictions};

use super::diagnostic::{Diagnostic, Diagnostics};
use super::findings::{Detail, Findings};
use super::knowledge::Knowledge;

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

/// How to write a record.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportOptions {
    pub template: Template,
    /// Status, date (`YYYY-MM-DD`) and people, as MADR's front matter has them.
    pub meta: RecordMeta,
    /// The record's file name without `.md`; the plots are named after it. Defaults to the slug.
    pub stem: Option<String>,
    /// The record this one supersedes, for the link back.
    pub supersedes: Option<Supersedes>,
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

/// Checks the options a record is written with (its date and status) before anything is computed.
pub fn check_options(options: &ExportOptions) -> Result<(), Diagnostics> {
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
    Ok(())
}

/// The record of `found` (computed with `Detail::Record`): each scenario's cost table, latency
/// figures, plots and crossovers (the scenario the answers describe when the team gave none), with
/// where a scenario disagrees with the answers; the chaos test's outcome on the chosen stack and the
/// other options; and everything it was computed from in the evidence block.
pub fn record(
    k: &Knowledge,
    found: &Findings,
    options: &ExportOptions,
) -> Result<Record, Diagnostics> {
    check_options(options)?;
    if found.detail != Detail::Record {
        return Err(Diagnostic::new(
            "the record",
            "its findings were computed for its provenance only, without its plots and chaos test",
            "compute the findings with `Detail::Record`",
        )
        .into());
    }
    let stem = options
        .stem
        .clone()
        .unwrap_or_else(|| format!("use-{}-stack", found.advice.recommendation));
    let sealed = seal(k, found, &stem);
    let mut simulated = sealed.simulated;
    simulated.chaos = found
        .chaos
        .as_ref()
        .map(|c| content::ChaosView::of(&c.choice, c.outcomes.clone()));
    let mut data = content::build(
        k,
        &found.advice,
        options.meta.clone(),
        &sealed.provenance.hash,
        simulated,
        &found.evidence.defaults,
    );
    data.supersedes = options.supersedes.as_ref().map(|old| content::RecordLink {
        id: supersede::adr_id(old.number),
        number: old.number,
        file: old.file.clone(),
    });
    let diagram_svg = k
        .stack(&found.advice.stack.id)
        .map(|s| diagram::StackGraph::of(k, s).to_svg())
        .unwrap_or_default();
    render(
        data,
        sealed.provenance,
        sealed.assets,
        diagram_svg,
        &options.template,
        &stem,
    )
}

/// The provenance [`record`] seals for the same findings (recommendation, stack, each scenario's
/// figures and predictions), without the prose, the plots or the chaos test: what a review
/// compares. The findings may be computed with `Detail::Provenance`, which skips the curves.
pub fn provenance(k: &Knowledge, found: &Findings) -> Provenance {
    seal(k, found, "").provenance
}

/// What the record seals and draws from its findings.
struct Sealed {
    provenance: Provenance,
    simulated: content::Simulated,
    assets: Vec<Asset>,
}

fn seal(k: &Knowledge, found: &Findings, stem: &str) -> Sealed {
    let expect = &found.expect;
    let chosen = &found.advice.stack.id;
    let origins: Vec<String> = found
        .origins
        .iter()
        // the record escapes markdown in data, so code quotes would show as backslashes
        .map(|(field, origin)| format!("{field}: {}", origin.sentence().replace('`', "")))
        .collect();
    let mut simulated = content::Simulated::default();
    let mut assets = Vec::new();
    let mut figures: Vec<Figures> = Vec::new();
    for (i, run) in found.runs.iter().enumerate() {
        let mut view = simulation::view(k, run, i, chosen, expect);
        view.from_answers = found.evidence.from_answers;
        view.origins = origins.clone();
        let suffix = if i == 0 {
            String::new()
        } else {
            format!("-{}", i + 1)
        };
        let target = run.scenario.latency_target_ms;
        let drawn = run
            .curves
            .as_ref()
            .map(|c| curves::curves(k, c, target, &suffix, &view.scenario, expect))
            .unwrap_or_default();
        for mut asset in drawn.assets {
            asset.file_name = asset_file_name(stem, &asset.kind);
            view.plots.push(PlotView {
                title: asset.title.clone(),
                file: asset.file_name.clone(),
            });
            assets.push(asset);
        }
        simulated.tripwires.extend(drawn.tripwires);
        let peak = run.scenario.traffic.peak_rps.likely();
        let options = curves::option_figures(k, &run.options, peak, target, &view.scenario, expect);
        view.predictions = run.predictions.sentences();
        let report = &run.report;
        figures.push(Figures {
            scenario: view.scenario.clone(),
            stack: report.stack.id.clone().into(),
            monthly_usd: report.cost.monthly_usd.0,
            p99_ms: report.latency.p99_ms.0,
            target_ms: run.target_ms,
            meets_target: view.meets_target,
            cheapest: if run.extra {
                // the same scenario as the first: the same options at the same peak
                figures.first().and_then(|f| f.cheapest.clone())
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
            predictions: Some(run.predictions.clone()),
        });
        simulated.options.extend(options);
        simulated.views.push(view);
    }
    let provenance = Provenance::sealed(
        k.version(),
        serde_json::to_value(&found.answers.answers).unwrap_or_default(),
        &found.evidence,
        found.advice.recommendation.to_string(),
        found.advice.stack.id.to_string(),
        figures,
    );
    Sealed {
        provenance,
        simulated,
        assets,
    }
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
