//! `statecraft export`: the decision record for an answers file, a record, or the app's saved
//! project, written atomically, with its plots beside it and, on request, a self-contained HTML copy.
//! The record is built by the domain's decision layer, the same call the app's Export screen makes.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::domain::decision;
use crate::domain::diagnostic::{Diagnostic, Diagnostics};
use crate::domain::export::supersede;
use crate::domain::export::{self, ExportOptions, Record, RecordMeta, Style, Supersedes, Template};
use crate::domain::knowledge::Knowledge;
use crate::domain::project::Project;
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
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "project",
        conflicts_with = "project"
    )]
    pub answers: Option<PathBuf>,
    /// The app's saved project: writes the record its Export screen shows (its ticked scenarios,
    /// chaos test, bands, layout, status and people).
    #[arg(long, value_name = "FILE")]
    pub project: Option<PathBuf>,
    /// A simulator scenario to include (cost table, plots, tripwires); repeatable. Without one, the
    /// record simulates the scenario the answers describe.
    #[arg(long, value_name = "FILE", conflicts_with = "project")]
    pub scenario: Vec<PathBuf>,
    /// Run the Chaos Monkey test (kill server A, B or C) on the chosen stack and the other options' stacks, and report what each lost.
    #[arg(long, value_name = "SERVER", conflicts_with = "project")]
    pub chaos: Option<String>,
    /// The seed of the simulations (default: the record's own, or 42).
    #[arg(long, value_name = "N", conflicts_with = "project")]
    pub seed: Option<u64>,
    /// Where to write the record.
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
    /// This record supersedes record N of the same decisions folder: it links back, and record N's
    /// status becomes "superseded by ADR-NNNN" with a link forward (its evidence untouched).
    #[arg(long, value_name = "N")]
    pub supersedes: Option<u32>,
    /// A team's own minijinja template for the record's body.
    #[arg(long, value_name = "FILE", conflicts_with = "style")]
    pub template: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = RecordStyle::Madr)]
    pub style: RecordStyle,
    /// The decision's date (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// MADR status: proposed (the default: a generated record goes to review), accepted, rejected,
    /// deprecated, or "superseded by ADR-NNNN".
    #[arg(long)]
    pub status: Option<String>,
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

/// Progress goes to stderr once an export has taken this long (`STATECRAFT_PROGRESS_AFTER_MS`
/// sets it, for tests): a record of many scenarios takes a while, and silence reads as a hang.
fn progress_after() -> std::time::Duration {
    let ms = std::env::var("STATECRAFT_PROGRESS_AFTER_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(2_000);
    std::time::Duration::from_millis(ms)
}

/// Builds and writes the record, then says what was written.
pub fn run(args: ExportArgs, pack: Option<&Path>, out: &mut dyn Write) -> Result<(), Diagnostics> {
    let start = std::time::Instant::now();
    let after = progress_after();
    crate::domain::interrupt::set_progress(Some(Box::new(move |message| {
        if start.elapsed() >= after {
            eprintln!("export: {message}");
        }
    })));
    let result = run_export(args, pack, out);
    crate::domain::interrupt::set_progress(None);
    result
}

fn run_export(
    args: ExportArgs,
    pack: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), Diagnostics> {
    let k = Knowledge::load(pack)?;
    let date = checked_date(&args)?;
    let places = Places::of(&args);
    let superseded = match (args.supersedes, &places.folder) {
        (Some(number), Some(dir)) => {
            let old = supersede::find(dir, number)?;
            let file = old
                .file_name()
                .and_then(|f| f.to_str())
                .unwrap_or_default()
                .to_string();
            Some(Supersedes { number, file })
        }
        _ => None,
    };
    let stem = places.stem.clone();
    let record = match (&args.project, &args.answers) {
        (Some(path), _) => project_record(&args, &k, path, &date, stem, superseded.clone())?,
        (None, Some(path)) => answers_record(&args, &k, path, date, stem, superseded.clone())?,
        (None, None) => {
            return Err(Diagnostic::new(
                "export",
                "nothing to export",
                "pass --answers FILE (answers or a record) or --project FILE (the app's project)",
            )
            .into());
        }
    };
    // In a decisions folder the name comes from the advice and the next free number
    // (`0007-use-hybrid-stack.md`), taken under a lock so parallel exports each get their own. The
    // record superseded is rewritten in the same set as the new one: both files or neither.
    let numbered_dir = args.decisions_dir.as_ref().or(places.out_dir.as_ref());
    let target = match (numbered_dir, &args.out) {
        (Some(dir), _) => decision::Target::Folder(dir),
        (None, Some(path)) => decision::Target::File {
            path,
            replace: args.force,
        },
        (None, None) => {
            return Err(Diagnostic::new(
                "export",
                "no place to write the record",
                "pass --out FILE.md or --decisions-dir DIR",
            )
            .into());
        }
    };
    let html = match &args.html {
        Some(path) => decision::Html::At {
            path,
            replace: args.force,
        },
        None => decision::Html::None,
    };
    let wrote = decision::write(&record, target, html)?;
    let text = what_was_written(&record, &wrote, superseded.as_ref());
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    Ok(())
}

/// `--date` (today, UTC, without one) and `--status`, checked before anything is computed.
fn checked_date(args: &ExportArgs) -> Result<String, Diagnostics> {
    let date = args.date.clone().unwrap_or_else(export::today);
    export::check_date(&date).map_err(|why| {
        Diagnostic::new(
            "--date",
            why,
            "give the date as YYYY-MM-DD, like --date 2026-11-23",
        )
    })?;
    if let Some(status) = &args.status {
        export::check_status(status).map_err(|why| {
            Diagnostic::new(
                "--status",
                why,
                "pass --status proposed, accepted, rejected, deprecated or \"superseded by ADR-0001\"",
            )
        })?;
    }
    Ok(date)
}

/// Where the record goes, read from `--out` and `--decisions-dir`.
struct Places {
    /// `--out` naming a folder (or ending in `/`): "the next number in that folder".
    out_dir: Option<PathBuf>,
    /// The decisions folder the record joins (where the record it supersedes is).
    folder: Option<PathBuf>,
    /// The record's file name without `.md`, when `--out` names a file.
    stem: Option<String>,
}

impl Places {
    fn of(args: &ExportArgs) -> Places {
        let out_dir = args
            .out
            .as_ref()
            .filter(|p| {
                p.is_dir()
                    || p.as_os_str()
                        .to_string_lossy()
                        .ends_with(std::path::MAIN_SEPARATOR)
            })
            .cloned();
        let folder = args
            .decisions_dir
            .clone()
            .or_else(|| out_dir.clone())
            .or_else(|| args.out.as_deref().map(parent_of));
        let stem = if out_dir.is_some() {
            None
        } else {
            args.out
                .as_deref()
                .and_then(Path::file_stem)
                .and_then(|s| s.to_str())
                .map(str::to_string)
        };
        Places {
            out_dir,
            folder,
            stem,
        }
    }
}

/// The record of the app's saved project, with the flags given on the command line over its
/// settings.
fn project_record(
    args: &ExportArgs,
    k: &Knowledge,
    path: &Path,
    date: &str,
    stem: Option<String>,
    superseded: Option<Supersedes>,
) -> Result<Record, Diagnostics> {
    let mut project = Project::read_for_export(path, k)?;
    // flags given on the command line win over the project's settings
    let r = &mut project.record;
    if let Some(status) = &args.status {
        r.status = status.clone();
    }
    for (flag, field) in [
        (&args.decision_makers, &mut r.decision_makers),
        (&args.consulted, &mut r.consulted),
        (&args.informed, &mut r.informed),
    ] {
        if !flag.is_empty() {
            *field = flag.clone();
        }
    }
    if args.style != RecordStyle::Madr {
        r.layout = Style::Nygard;
    }
    let mut options = decision::project_options(&project.record, date, stem);
    if let Some(template) = &args.template {
        options.template = Template::read(template)?;
    }
    options.supersedes = superseded;
    decision::project_record_with(k, &project, &options)
}

/// The record of an answers file or a record, with the scenarios, chaos test and seed the command
/// line gives.
fn answers_record(
    args: &ExportArgs,
    k: &Knowledge,
    path: &Path,
    date: String,
    stem: Option<String>,
    superseded: Option<Supersedes>,
) -> Result<Record, Diagnostics> {
    let mut inputs = decision::read_inputs(path, k)?;
    for warning in &inputs.warnings {
        eprintln!(
            "warning: {}: {}",
            path.display(),
            crate::domain::diagnostic::shown(warning)
        );
    }
    if !args.scenario.is_empty() {
        // Scenarios named on the command line replace those of a record given as --answers.
        inputs.evidence.scenarios = read_scenarios(&args.scenario, k)?;
        inputs.evidence.from_answers = false;
    }
    if let Some(server) = &args.chaos {
        inputs.evidence.chaos = Some(crate::domain::sim::chaos::ChaosChoice {
            server: server.clone(),
        });
    }
    if let Some(seed) = args.seed {
        inputs.evidence.seed = seed;
        for s in &mut inputs.evidence.scenarios {
            s.seed = seed;
        }
    }
    let mut options = options(args, date, stem)?;
    options.supersedes = superseded;
    decision::record(k, &inputs.answers, &inputs.evidence, &options)
}

/// "wrote FILE (archetype: stack)", each plot and the HTML copy, and the record marked superseded.
fn what_was_written(
    record: &Record,
    wrote: &decision::Wrote,
    superseded: Option<&Supersedes>,
) -> String {
    let written = &wrote.written;
    let mut superseded_note = String::new();
    if let (Some(old), Some(new_number)) = (&wrote.superseded, wrote.number)
        && let Some(Supersedes { number: n, .. }) = superseded
    {
        superseded_note = format!(
            "marked {} superseded by {} ({n:04} → {new_number:04})\n",
            old.display(),
            supersede::adr_id(new_number)
        );
    }
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
    text += &superseded_note;
    text
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn read_scenarios(paths: &[PathBuf], k: &Knowledge) -> Result<Vec<Scenario>, Diagnostics> {
    let mut scenarios = Vec::with_capacity(paths.len());
    let mut problems = Diagnostics::default();
    for path in paths {
        match Scenario::read(path, k) {
            Ok(s) => scenarios.push(s),
            Err(found) => problems.0.extend(found.0),
        }
    }
    problems.into_result(scenarios)
}

/// The record's options from the flags.
fn options(
    args: &ExportArgs,
    date: String,
    stem: Option<String>,
) -> Result<ExportOptions, Diagnostics> {
    let template = match (&args.template, args.style) {
        (Some(path), _) => Template::read(path)?,
        (None, RecordStyle::Madr) => Template::Shipped(Style::Madr),
        (None, RecordStyle::Nygard) => Template::Shipped(Style::Nygard),
    };
    Ok(ExportOptions {
        template,
        meta: RecordMeta {
            status: args
                .status
                .clone()
                .unwrap_or_else(|| export::DEFAULT_STATUS.to_string()),
            date,
            decision_makers: args.decision_makers.clone(),
            consulted: args.consulted.clone(),
            informed: args.informed.clone(),
        },
        stem,
        supersedes: None,
    })
}
