//! `statecraft export`: the decision record for an answers file (or a record), written atomically,
//! with its plots beside it and, on request, a self-contained HTML copy.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::domain::answers::Answers;
use crate::domain::diagnostic::{Diagnostic, Diagnostics};
use crate::domain::export::{self, ExportOptions, RecordMeta, Style, Template};
use crate::domain::json_source::SourceText;
use crate::domain::knowledge::Knowledge;
use crate::domain::sim::Scenario;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum RecordStyle {
    /// MADR 4.0 (the default).
    #[default]
    Madr,
    /// Michael Nygard's short form.
    Nygard,
}

#[derive(Args, Debug, Clone)]
pub struct ExportArgs {
    /// An answers file (`{"answers": {...}}`) or a decision record that `export` wrote.
    #[arg(long, value_name = "FILE")]
    pub answers: PathBuf,
    /// A simulator scenario to include (cost table, plots, tripwires); repeatable.
    #[arg(long, value_name = "FILE")]
    pub scenario: Vec<PathBuf>,
    /// Where to write the record: a file, or a folder (an existing one, or a path ending in `/`)
    /// to write under the next number there, as `--decisions-dir` does.
    #[arg(
        long,
        value_name = "FILE.md",
        required_unless_present = "decisions_dir",
        conflicts_with = "decisions_dir"
    )]
    pub out: Option<PathBuf>,
    /// Write into this decisions folder under the next number (`0007-use-hybrid-stack.md`).
    #[arg(long, value_name = "DIR")]
    pub decisions_dir: Option<PathBuf>,
    /// Also write one self-contained HTML file.
    #[arg(long, value_name = "FILE.html")]
    pub html: Option<PathBuf>,
    /// Replace files that already exist.
    #[arg(long)]
    pub force: bool,
    /// A team's own minijinja template for the record's body.
    #[arg(long, value_name = "FILE", conflicts_with = "style")]
    pub template: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = RecordStyle::Madr)]
    pub style: RecordStyle,
    /// The decision's date (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// MADR status: proposed, accepted, rejected, deprecated, superseded by ADR-NNNN.
    #[arg(long, default_value = "accepted")]
    pub status: String,
    /// Who made the decision; repeatable.
    #[arg(long = "decision-maker", value_name = "NAME")]
    pub decision_makers: Vec<String>,
    /// Who was consulted; repeatable.
    #[arg(long, value_name = "NAME")]
    pub consulted: Vec<String>,
    /// Who is kept informed; repeatable.
    #[arg(long, value_name = "NAME")]
    pub informed: Vec<String>,
}

/// Builds and writes the record, then says what was written.
pub fn run(args: ExportArgs, pack: Option<&Path>, out: &mut dyn Write) -> Result<(), Diagnostics> {
    let k = Knowledge::load(pack)?;
    let (answers, mut scenarios) = read_answers(&args.answers, &k)?;
    if !args.scenario.is_empty() {
        // Scenarios named on the command line replace those of a record given as --answers.
        scenarios = Vec::with_capacity(args.scenario.len());
        let mut problems = Diagnostics::default();
        for path in &args.scenario {
            match Scenario::read(path, &k) {
                Ok(s) => scenarios.push(s),
                Err(found) => problems.0.extend(found.0),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
    }
    let template = match (&args.template, args.style) {
        (Some(path), _) => Template::read(path)?,
        (None, RecordStyle::Madr) => Template::Shipped(Style::Madr),
        (None, RecordStyle::Nygard) => Template::Shipped(Style::Nygard),
    };
    let date = args.date.clone().unwrap_or_else(export::today);
    export::check_date(&date).map_err(|why| {
        Diagnostic::new(
            "--date",
            why,
            "give the date as YYYY-MM-DD, like --date 2026-11-23",
        )
    })?;
    // `--out docs/decisions/` (an existing folder, or a path ending in `/`) means "the next number
    // in that folder", as `--decisions-dir` does.
    let (out_file, decisions_dir) = match &args.out {
        Some(path) if names_folder(path) => (None, Some(path.clone())),
        other => (other.clone(), args.decisions_dir.clone()),
    };
    let options = ExportOptions {
        template,
        meta: RecordMeta {
            status: args.status.clone(),
            date,
            decision_makers: args.decision_makers.clone(),
            consulted: args.consulted.clone(),
            informed: args.informed.clone(),
        },
        stem: out_file
            .as_deref()
            .and_then(Path::file_stem)
            .and_then(|s| s.to_str())
            .map(str::to_string),
    };
    let record = export::build_record_with_scenarios(&k, &answers, &scenarios, &options)?;
    // With --decisions-dir the name comes from the advice (`0007-use-hybrid-stack.md`); writing
    // under it renames the record's plot links to match, without simulating again.
    let target = match (&out_file, &decisions_dir) {
        (Some(path), _) => path.clone(),
        (None, Some(dir)) => {
            std::fs::create_dir_all(dir).map_err(|e| {
                Diagnostic::new(
                    dir.display().to_string(),
                    format!("cannot create the decisions folder: {e}"),
                    "check the path and its permissions",
                )
            })?;
            dir.join(record.file_name(dir)?)
        }
        (None, None) => {
            return Err(Diagnostic::new(
                "export",
                "no place to write the record",
                "pass --out FILE.md or --decisions-dir DIR",
            )
            .into());
        }
    };
    let written = export::write_record(&record, &target, args.html.as_deref(), args.force)?;
    let mut text = format!(
        "wrote {} ({}: {})\n",
        written.record.display(),
        record.data.recommendation,
        record.data.chosen.stack_name
    );
    for asset in &written.assets {
        text += &format!("wrote {}\n", asset.display());
    }
    if let Some(html) = &written.html {
        text += &format!("wrote {}\n", html.display());
    }
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    Ok(())
}

/// Whether `--out` names a folder: one that exists, or a path written with a trailing separator.
fn names_folder(path: &Path) -> bool {
    let text = path.as_os_str().to_string_lossy();
    text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR) || path.is_dir()
}

/// The answers, and the scenarios too when the file is a record (so a record exports again as it was).
fn read_answers(path: &Path, k: &Knowledge) -> Result<(Answers, Vec<Scenario>), Diagnostics> {
    let src = SourceText::read(path, "answers")?;
    if export::has_front_matter(&src.text) {
        let record = export::import(&src, k)?;
        return Ok((record.answers, record.scenarios));
    }
    // parsed from the text already read: `-` (standard input) can be read only once
    Ok((Answers::parse(&src, k)?, Vec::new()))
}
