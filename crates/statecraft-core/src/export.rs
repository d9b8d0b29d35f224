//! The decision record: the advice (and any simulated scenarios) written as a markdown architecture
//! decision record — MADR 4.0 by default, Nygard's short form or a team's own minijinja template —
//! whose front matter carries the answers, scenarios, seed and knowledge version with a hash, so the
//! record can be opened again and gives the same advice. Plus the plots beside it, a self-contained
//! HTML rendering by comrak, and the parse the app's preview draws.
//!
//! The command line's `export` and the app's export screen both call `build_record` and
//! `write_record`; `advise --answers` and the app's Open read records back through `import`.

mod confirm;
mod content;
mod curves;
mod diagram;
mod front_matter;
mod html;
mod import;
mod plots;
mod preview;
mod simulation;
mod template;
mod write;

use std::path::Path;

pub use confirm::Experiment;
pub use content::{
    AnswerView, Claim, Confirmation, Consequences, OptionView, RecordData, SourceView,
};
pub use front_matter::{FORMAT, Provenance, RecordMeta, canonical, has_front_matter};
pub use html::comrak_options;
pub use import::{ImportedRecord, KnowledgeChange, import, import_answers};
pub use plots::{Chart, Marker, Series};
pub use preview::{Heading, PreviewBlock, blocks, cited_sources, outline};
pub use simulation::{CostRow, PlotView, SimulationView};
pub use template::{Style, Template, escape_markdown};
pub use write::{Written, next_file_name, write_record};

use super::answers::Answers;
use super::diagnostic::{Diagnostic, Diagnostics};
use super::knowledge::Knowledge;
use super::rules::Engine;
use super::sim::{self, Scenario};

/// How to write a record.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportOptions {
    pub template: Template,
    /// Status, date (`YYYY-MM-DD`) and people, as MADR's front matter has them.
    pub meta: RecordMeta,
    /// The record's file name without `.md`; the plots are named after it. Defaults to the slug.
    pub stem: Option<String>,
}

impl Default for ExportOptions {
    /// MADR, status `accepted`, today's date (UTC).
    fn default() -> Self {
        ExportOptions {
            template: Template::default(),
            meta: RecordMeta {
                status: "accepted".into(),
                date: today(),
                ..RecordMeta::default()
            },
            stem: None,
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

/// Builds the record for `answers` (already checked against `k`), without simulated scenarios.
pub fn build_record(
    k: &Knowledge,
    answers: &Answers,
    options: &ExportOptions,
) -> Result<Record, Diagnostics> {
    build_record_with_scenarios(k, answers, &[], options)
}

/// Builds the record for `answers` (already checked against `k`), simulating each scenario: their
/// cost tables, latency figures, plots and crossovers join the record, and they and the first one's
/// seed go into the front matter.
pub fn build_record_with_scenarios(
    k: &Knowledge,
    answers: &Answers,
    scenarios: &[Scenario],
    options: &ExportOptions,
) -> Result<Record, Diagnostics> {
    check_date(&options.meta.date).map_err(|why| {
        Diagnostic::new(
            "the record's date",
            why,
            "give the date as YYYY-MM-DD, like 2026-11-23",
        )
    })?;
    let advice = Engine::new(k).advise(answers);
    let stem = options
        .stem
        .clone()
        .unwrap_or_else(|| format!("use-{}-stack", advice.recommendation));
    let option_stacks = content::option_stacks(k, &advice);
    let mut simulated = content::Simulated::default();
    let mut assets = Vec::new();
    for (i, scenario) in scenarios.iter().enumerate() {
        let report = sim::simulate(k, scenario)?;
        let mut view = simulation::view(k, scenario, i, &report, &advice.stack.id);
        let suffix = if i == 0 {
            String::new()
        } else {
            format!("-{}", i + 1)
        };
        let found = curves::curves(k, scenario, &option_stacks, &suffix, &view.scenario);
        for mut asset in found.assets {
            asset.file_name = asset_file_name(&stem, &asset.kind);
            view.plots.push(PlotView {
                title: asset.title.clone(),
                file: asset.file_name.clone(),
            });
            assets.push(asset);
        }
        simulated.tripwires.extend(found.tripwires);
        simulated.options.extend(curves::option_figures(
            k,
            scenario,
            &option_stacks,
            &view.scenario,
        ));
        simulated.views.push(view);
    }
    let provenance = Provenance::sealed(
        k.version(),
        serde_json::to_value(&answers.answers).unwrap_or_default(),
        scenarios
            .iter()
            .map(|s| serde_json::to_value(s).unwrap_or_default())
            .collect(),
        scenarios.first().map(|s| s.seed),
        advice.recommendation.to_string(),
        advice.stack.id.clone(),
    );
    let data = content::build(
        k,
        &advice,
        options.meta.clone(),
        &provenance.hash,
        simulated,
    );
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
}

fn render(
    data: RecordData,
    provenance: Provenance,
    assets: Vec<Asset>,
    diagram_svg: String,
    template: &Template,
    stem: &str,
) -> Result<Record, Diagnostics> {
    let body = template.render(&data, stem)?;
    let markdown = format!("{}\n{body}", front_matter::write(&data.meta, &provenance));
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
