//! The command line's arguments (clap): the global options, the subcommands and their flags, as
//! `docs/CONTRACT.md` names them.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use super::{export, simulate, sweep};

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
