//! The command line (`docs/CONTRACT.md`): each subcommand runs the same domain functions as the
//! desktop app. Problems go to stderr as `error: file:line:column: …` with the fix, and exit 2.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::domain::decision;
use crate::domain::diagnostic::Diagnostics;
use crate::domain::knowledge::{Knowledge, KnowledgeFile};
use crate::domain::rules::Advice;

pub mod bill;
pub mod export;
pub mod prices;
pub mod review;
pub mod scenario;
pub mod simulate;
pub mod sweep;

/// Exit code for bad input, as the contract says.
pub const EXIT_BAD_INPUT: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "statecraft",
    version,
    about = "Decide stateless, stateful or hybrid on AWS — and show the work."
)]
pub struct Cli {
    /// A team's knowledge pack to overlay on (or replace) the shipped knowledge.
    #[arg(long, global = true, value_name = "DIR")]
    pub knowledge: Option<PathBuf>,

    /// A project file to open in the desktop app (`statecraft plan.statecraft.json`, or a file
    /// manager's "Open with").
    #[arg(value_name = "PROJECT", value_parser = project_file)]
    pub project: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Json,
    #[default]
    Text,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// The wizard's questions, in order.
    Questions {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The recommendation for a set of answers, with the rules that drove it and its tipping points.
    Advise {
        /// An answers file (`{"answers": {...}}`).
        #[arg(long, value_name = "FILE")]
        answers: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Writes the decision as a markdown decision record (MADR 4.0), with plots and optional HTML.
    Export(Box<export::ExportArgs>),
    /// Simulates a scenario: monthly cost line by line, latency, autoscaling, chaos, timeline.
    Simulate {
        /// A scenario file (see assets/scenarios/).
        #[arg(long, value_name = "FILE")]
        scenario: PathBuf,
        /// `focus` writes the simulated month as a FOCUS 1.0 CSV, one row per bill line and day.
        #[arg(long, value_enum, default_value_t = simulate::SimulateFormat::Text)]
        format: simulate::SimulateFormat,
        /// The billing month of `--format focus` (default: the current month, UTC).
        #[arg(long, value_name = "YYYY-MM")]
        month: Option<String>,
    },
    /// Capacity planner: an M/M/c tier by Erlang C beside a simulated run.
    Queue {
        /// Servers (c).
        #[arg(long, value_name = "C")]
        servers: u32,
        /// Arrival rate, requests per second.
        #[arg(long, value_name = "R", allow_negative_numbers = true)]
        arrival_rps: f64,
        /// Mean service time, milliseconds.
        #[arg(long, value_name = "S", allow_negative_numbers = true)]
        service_ms: f64,
        #[arg(long, value_enum, default_value_t = simulate::DistArg::Exp)]
        service_dist: simulate::DistArg,
        /// Coefficient of variation of lognormal service times.
        #[arg(
            long,
            value_name = "CV",
            default_value_t = 1.0,
            allow_negative_numbers = true
        )]
        service_cv: f64,
        /// Requests to simulate.
        #[arg(long, value_name = "N", default_value_t = crate::domain::sim::capacity::DEFAULT_REQUESTS)]
        requests: u64,
        #[arg(long, value_name = "K", default_value_t = 42)]
        seed: u64,
        /// Simulate even when rho >= 1 (the figures then describe a queue that keeps growing).
        #[arg(long)]
        allow_unstable: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Re-checks every decision record in DIR against today's knowledge and prices: exit 0 when
    /// all hold, 1 when any drifted, 2 when one cannot be read.
    Review {
        /// The decisions folder.
        dir: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// How far a scenario's monthly cost may move, in percent, before the record drifts.
        #[arg(long, value_name = "PERCENT", default_value_t = 10.0)]
        threshold: f64,
        /// Review as of this date (default: today, UTC); prices older than a year are stale.
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        /// A real bill: a FOCUS export (CSV) to check each record's predictions against.
        #[arg(long, value_name = "FOCUS.csv")]
        observed: Option<PathBuf>,
        /// CloudWatch's requests and p99 for the same period (CSV: start,end,requests,p99_ms).
        #[arg(long, value_name = "METRICS.csv", requires = "observed")]
        cloudwatch: Option<PathBuf>,
        /// Write the observed usage back: a new scenario and a record superseding each checked one.
        #[arg(long, requires = "observed")]
        calibrate: bool,
    },
    /// Runs one of the Simulator screen's sweeps on a scenario and writes its data (JSON or CSV).
    Sweep {
        /// A scenario file (see assets/scenarios/).
        #[arg(long, value_name = "FILE")]
        scenario: PathBuf,
        #[arg(long, value_enum)]
        what: sweep::What,
        #[arg(long, value_enum, default_value_t = sweep::SweepFormat::Json)]
        format: sweep::SweepFormat,
        /// Monte Carlo runs (`--what monte-carlo`).
        #[arg(long, value_name = "N", default_value_t = 200)]
        runs: u32,
    },
    /// The scenario the answers describe (the workload's request profile and the answers over it),
    /// with where each value came from.
    Scenario {
        /// An answers file (`{"answers": {...}}`) or a decision record.
        #[arg(long, value_name = "FILE")]
        answers: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Writes DIR/README.md: the decision log as a table, regenerated in place.
    Index {
        /// The decisions folder.
        dir: PathBuf,
    },
    /// Prices a month of usage in AWS's own units, line by line, without a simulation.
    Bill {
        /// A usage file (see CONTRACT.md, `bill --usage`).
        #[arg(long, value_name = "FILE")]
        usage: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Price packs: `prices import --offer FILE.json` turns an AWS Price List offer file into one.
    Prices {
        #[command(subcommand)]
        action: PricesAction,
    },
    /// Validates a knowledge folder (default: the shipped one) and reports every problem.
    CheckKnowledge {
        /// The folder to check; without it, the shipped knowledge (with --knowledge, that pack).
        dir: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum PricesAction {
    /// Reads an AWS Price List bulk offer file, or AWS's pricing-page data (meteredUnitMaps), into
    /// `DIR/prices/<region>.json`.
    Import {
        #[arg(long, value_name = "FILE.json")]
        offer: PathBuf,
        /// The Region to read from pricing-page data, which holds every Region (a code with a
        /// price pack, like eu-west-1); an offer file holds one.
        #[arg(long, value_name = "CODE")]
        region: Option<String>,
        /// The knowledge pack folder to write into (default: the current folder).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Replace a region pack already there that does not load (its prices are lost).
        #[arg(long)]
        force: bool,
    },
}

/// A project to open: a file that exists, or a name ending in `.json` (the app then says what is
/// wrong with it). Anything else is a mistyped subcommand, refused as one.
fn project_file(text: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(text);
    if path.is_file() || text.ends_with(".json") {
        Ok(path)
    } else {
        Err(format!(
            "`{text}` is neither a subcommand nor a project file; run `statecraft --help` for the subcommands"
        ))
    }
}

/// Parses the arguments and runs; with no subcommand, opens the desktop app.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => match crate::app::run(cli.knowledge, cli.project) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: the window could not be opened: {e}");
                ExitCode::FAILURE
            }
        },
        Some(command) => {
            install_interrupt_handler();
            let mut out = std::io::stdout().lock();
            match run(command, cli.knowledge.as_deref(), &mut out) {
                Ok(code) => ExitCode::from(code),
                Err(problems) => {
                    eprintln!("{problems}");
                    ExitCode::from(EXIT_BAD_INPUT)
                }
            }
        }
    }
}

/// Ctrl+C (SIGINT) and SIGTERM stop a command cleanly: long work stops, temporary files are
/// removed (a set of outputs being renamed into place is finished first, so it is whole or
/// absent), and the exit code is 128 + the signal, as shells expect.
#[cfg(not(unix))]
fn install_interrupt_handler() {}

#[cfg(unix)]
fn install_interrupt_handler() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            crate::domain::interrupt::abandon();
            let name = if signal == SIGINT {
                "Ctrl+C"
            } else {
                "SIGTERM"
            };
            eprintln!("error: interrupted ({name}); no output file was written or changed");
            std::process::exit(128 + signal);
        }
    });
}

/// Runs one subcommand, writing its output to `out`; the exit code on success (`review` says 1 when
/// a record drifted).
pub fn run(command: Command, pack: Option<&Path>, out: &mut dyn Write) -> Result<u8, Diagnostics> {
    let done = |r: Result<(), Diagnostics>| r.map(|()| 0);
    match command {
        Command::Questions { format } => {
            let k = Knowledge::load(pack)?;
            done(write_out(out, &questions_output(&k, format)))
        }
        Command::Advise { answers, format } => {
            let k = Knowledge::load(pack)?;
            let inputs = decision::read_inputs(&answers, &k)?;
            for warning in &inputs.warnings {
                eprintln!(
                    "warning: {}: {}",
                    answers.display(),
                    crate::domain::diagnostic::shown(warning)
                );
            }
            let advice = decision::advise(&k, &inputs.answers);
            let text = match format {
                Format::Json => json(&advice_json(&advice)),
                Format::Text => advice_text(&k, &advice),
            };
            done(write_out(out, &text))
        }
        Command::Export(args) => done(export::run(*args, pack, out)),
        Command::Bill { usage, format } => done(bill::run_bill(&usage, format, pack, out)),
        Command::Prices {
            action:
                PricesAction::Import {
                    offer,
                    region,
                    out: dir,
                    force,
                },
        } => done(prices::run_import(
            &offer,
            region.as_deref(),
            dir,
            force,
            pack,
            out,
        )),
        Command::Simulate {
            scenario,
            format,
            month,
        } => done(simulate::run_simulate(
            &scenario,
            format,
            month.as_deref(),
            pack,
            out,
        )),
        Command::Queue {
            servers,
            arrival_rps,
            service_ms,
            service_dist,
            service_cv,
            requests,
            seed,
            allow_unstable,
            format,
        } => done(simulate::run_queue(
            simulate::QueueArgs {
                servers,
                arrival_rps,
                service_ms,
                service_dist,
                service_cv,
                requests,
                seed,
                allow_unstable,
            },
            format,
            out,
        )),
        Command::Review {
            dir,
            format,
            threshold,
            date,
            observed,
            cloudwatch,
            calibrate,
        } => review::run_review(
            &dir,
            &review::ReviewArgs {
                threshold,
                date,
                observed,
                cloudwatch,
                calibrate,
            },
            format,
            pack,
            out,
        ),
        Command::Scenario { answers, format } => done(scenario::run(&answers, format, pack, out)),
        Command::Index { dir } => done(review::run_index(&dir, pack, out)),
        Command::Sweep {
            scenario,
            what,
            format,
            runs,
        } => done(sweep::run_sweep(&scenario, what, runs, format, pack, out)),
        Command::CheckKnowledge { dir } => {
            let k = match dir.as_deref().or(pack) {
                Some(dir) => Knowledge::with_pack(dir)?,
                None => Knowledge::shipped()?,
            };
            done(write_out(out, &knowledge_summary(&k)))
        }
    }
}

fn write_out(out: &mut dyn Write, text: &str) -> Result<(), Diagnostics> {
    // A closed pipe (`statecraft questions | head`) is not the user's input being bad: stop quietly.
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    Ok(())
}

fn json(value: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}

/// The contract's `questions --format json` array (or a readable list).
pub fn questions_output(k: &Knowledge, format: Format) -> String {
    match format {
        Format::Json => {
            let list: Vec<serde_json::Value> = k
                .questions
                .iter()
                .map(|q| {
                    serde_json::json!({
                        "id": q.id,
                        "text": q.text,
                        "help": q.help,
                        "kind": q.kind,
                        "options": q.options,
                        "min": q.min,
                        "max": q.max,
                        "step": q.step,
                        "unit": q.unit,
                        "default": q.default,
                        "show_if": q.show_if,
                        "source": q.source,
                    })
                })
                .collect();
            json(&serde_json::Value::Array(list))
        }
        Format::Text => {
            let mut s = String::new();
            for (i, q) in k.questions.iter().enumerate() {
                s += &format!("{}. {} [{}]\n   {}\n", i + 1, q.text, q.id, q.help);
                for o in &q.options {
                    s += &format!("   - {} ({})\n", o.label, o.id);
                }
                if let (Some(min), Some(max)) = (q.min, q.max) {
                    s += &format!(
                        "   a number from {min} to {max} {}\n",
                        q.unit.as_deref().unwrap_or("")
                    );
                }
                if q.show_if.is_some() {
                    s += "   (asked only when earlier answers call for it)\n";
                }
            }
            s
        }
    }
}

/// The contract's `advise --format json` object, plus explanation fields.
pub fn advice_json(advice: &Advice) -> serde_json::Value {
    serde_json::to_value(advice).unwrap_or_default()
}

/// A readable explanation: archetype, scores, stack, the rules that drove it and what would change it.
pub fn advice_text(k: &Knowledge, advice: &Advice) -> String {
    let mut s = String::new();
    if !advice.conflicts.is_empty() {
        s += "Answers that contradict each other (the advice below reads them as given):\n";
        for c in &advice.conflicts {
            s += &format!("  - {} [{}]\n", c.text, c.questions.join(", "));
        }
        s += "\n";
    }
    let sc = &advice.scores;
    s += &format!(
        "Recommendation: {} (scores: stateless {}, stateful {}, hybrid {})\n",
        advice.recommendation, sc.stateless, sc.stateful, sc.hybrid
    );
    s += &format!(
        "Region: {} ({}){}\n",
        advice.region.name,
        advice.region.code,
        if advice.region.because.is_empty() {
            " — the default: no Region was answered"
        } else {
            ""
        }
    );
    if let Some(c) = &advice.close_call {
        s += &format!(
            "A close call: the runner-up is {} ({}).\n",
            c.runner_up.archetype, c.runner_up.stack
        );
        for d in &c.differences {
            s += &format!("  - {d}\n");
        }
    }
    for d in &advice.decisive {
        let out: Vec<&str> = d.rules_out.iter().map(|a| a.as_str()).collect();
        s += &if d.outvoted == advice.recommendation {
            format!(
                "A requirement rules out {}: {} (from {}).\n",
                out.join(" and "),
                d.text,
                d.because.join(", ")
            )
        } else {
            format!(
                "Decided by a requirement: {} (from {}); it rules out {}, whatever the points (which alone said {}).\n",
                d.text,
                d.because.join(", "),
                out.join(" and "),
                d.outvoted
            )
        };
    }
    s += &format!(
        "Stack: {} [{}]{}\n",
        advice.stack.name,
        advice.stack.id,
        if advice.stack.composed {
            " — composed tier by tier from the answers"
        } else {
            ""
        }
    );
    for service in &advice.stack.services {
        s += &format!(
            "  - {}: {}\n      because of: {}\n",
            service.name,
            service.why,
            service.because.join(", ")
        );
    }
    if !advice.requirements.is_empty() {
        s += "\nRequirements (hard constraints from the answers; no points outvote them):\n";
        for r in &advice.requirements {
            s += &format!(
                "  - {}{} [{}; from {}]\n",
                r.text,
                if r.met {
                    ""
                } else {
                    " — NOT MET: nothing in the catalogue meets it with the others"
                },
                r.tier.label(),
                r.because.join(", ")
            );
        }
    }
    if !advice.review.is_empty() {
        s += "\nDesign review (what an architect checks before signing the stack):\n";
        for f in &advice.review {
            s += &format!(
                "  - [{}] {}\n      source: {} ({})\n",
                f.check,
                f.sentence(),
                f.source,
                f.as_of
            );
        }
    }
    if !advice.unmet.is_empty() {
        s += "\nNot met by any stack with these answers:\n";
        for u in &advice.unmet {
            s += &format!("  - {} [{}]\n", u.why, u.requirement);
            for r in &u.relax {
                s += &format!("      relaxed by: {}\n", r.label);
            }
        }
    }
    if !advice.excluded.is_empty() {
        s += "\nRuled out:\n";
        for e in &advice.excluded {
            s += &format!("  - {} [{}]\n", e.why, e.requirement);
        }
    }
    s += "\nWhy (rules that fired, with the points they gave stateless/stateful/hybrid, and stacks):\n";
    for r in &advice.fired_rules {
        let stacks: Vec<String> = r
            .stacks
            .iter()
            .map(|(id, p)| format!("{id} {p:+}"))
            .collect();
        let stacks = if stacks.is_empty() {
            String::new()
        } else {
            format!(" [stacks: {}]", stacks.join(", "))
        };
        s += &format!(
            "  [{:+}/{:+}/{:+}] {}: {}{stacks}\n      source: {}\n",
            r.scores.stateless, r.scores.stateful, r.scores.hybrid, r.id, r.rationale, r.citation
        );
    }
    s += "\nWhat would change it:\n";
    if advice.tipping_points.is_empty() {
        s += "  No single answer changes the recommendation.\n";
    }
    for t in &advice.tipping_points {
        let stack = k
            .stack(&t.stack)
            .map_or(t.stack.as_str(), |st| st.name.as_str());
        s += &format!("  - {} (stack: {stack})\n", t.sentence());
    }
    s += &format!("\nKnowledge: {}\n", advice.knowledge_version);
    s
}

fn knowledge_summary(k: &Knowledge) -> String {
    let files: Vec<String> = KnowledgeFile::ALL
        .iter()
        .map(|f| f.file_name().to_string())
        .collect();
    format!(
        "ok: {} — {} questions, {} rules, {} services, {} stacks, {} prices, {} figures, {} sources ({})\n",
        crate::domain::diagnostic::shown(&k.version()),
        k.questions.len(),
        k.rules.len(),
        k.services.len(),
        k.stacks.len(),
        k.prices.len(),
        k.figures.len(),
        k.sources.len(),
        files.join(", ")
    )
}
