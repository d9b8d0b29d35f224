//! `statecraft simulate` and `statecraft queue`: read the input, run the simulator's domain functions,
//! print the contract's JSON or a readable report.

use std::io::Write;
use std::path::Path;

use crate::domain::diagnostic::Diagnostics;
use crate::domain::focus::{self, BillingMonth};
use crate::domain::knowledge::Knowledge;
use crate::domain::sim::dist::ServiceDist;
use crate::domain::sim::units::Millis;
use crate::domain::sim::{self, QueueParams, Scenario, report};

use super::Format;

/// `--service-dist`: how service times vary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum DistArg {
    /// Exponential (M/M/c: Erlang C applies).
    #[default]
    Exp,
    /// Deterministic: every request takes the mean.
    Det,
    /// Lognormal with `--service-cv` (default 1).
    Lognormal,
}

impl From<DistArg> for ServiceDist {
    fn from(d: DistArg) -> ServiceDist {
        match d {
            DistArg::Exp => ServiceDist::Exp,
            DistArg::Det => ServiceDist::Det,
            DistArg::Lognormal => ServiceDist::Lognormal,
        }
    }
}

/// `simulate --format`: the contract's JSON, a readable report, or the month as a FOCUS CSV.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum SimulateFormat {
    Json,
    #[default]
    Text,
    Focus,
}

pub fn run_simulate(
    scenario: &Path,
    format: SimulateFormat,
    month: Option<&str>,
    pack: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), Diagnostics> {
    let k = Knowledge::load(pack)?;
    let scenario = Scenario::read(scenario, &k)?;
    let month = match month {
        Some(m) => BillingMonth::parse(m)?,
        None => BillingMonth::current(),
    };
    let progress = Progress::new("Monte Carlo", "runs");
    let r = sim::simulate_observed(&k, &scenario, &|done, total| {
        progress.show(done, u64::from(total))
    });
    progress.finish();
    let r = r?;
    let text = match format {
        SimulateFormat::Json => report::to_json(&r),
        SimulateFormat::Text => report::simulate_text(&r),
        SimulateFormat::Focus => focus::write_csv(&k, &r, &scenario.billing.region, month)?,
    };
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    Ok(())
}

/// Progress of long work on stderr: nothing for work that ends within a second, then at most
/// two updates a second (in place on a terminal, one line each otherwise).
pub struct Progress {
    what: &'static str,
    unit: &'static str,
    started: std::time::Instant,
    last: std::sync::Mutex<Option<std::time::Instant>>,
    terminal: bool,
}

impl Progress {
    pub fn new(what: &'static str, unit: &'static str) -> Self {
        use std::io::IsTerminal;
        Progress {
            what,
            unit,
            started: std::time::Instant::now(),
            last: std::sync::Mutex::new(None),
            terminal: std::io::stderr().is_terminal(),
        }
    }

    pub fn show(&self, done: usize, total: u64) {
        self.show_also(done, total, "");
    }

    /// `show`, with `also` after the count (", 400,000 rows").
    pub fn show_also(&self, done: usize, total: u64, also: &str) {
        let now = std::time::Instant::now();
        if now.duration_since(self.started).as_secs_f64() < 1.0 {
            return;
        }
        let Ok(mut last) = self.last.try_lock() else {
            return;
        };
        if last.is_some_and(|t| now.duration_since(t).as_secs_f64() < 0.5) {
            return;
        }
        *last = Some(now);
        let line = format!(
            "{}: {} of {} {}{also} ({:.0} s; Ctrl+C stops, writing nothing)",
            self.what,
            crate::domain::format::number(done as f64),
            crate::domain::format::number(total as f64),
            self.unit,
            now.duration_since(self.started).as_secs_f64()
        );
        if self.terminal {
            eprint!("\r{line}\x1b[K");
        } else {
            eprintln!("{line}");
        }
    }

    /// Clears the in-place line on a terminal.
    pub fn finish(&self) {
        let shown = self.last.lock().map(|l| l.is_some()).unwrap_or(false);
        if self.terminal && shown {
            eprint!("\r\x1b[K");
        }
    }
}

/// The `queue` subcommand's flags.
pub struct QueueArgs {
    pub servers: u32,
    pub arrival_rps: f64,
    pub service_ms: f64,
    pub service_dist: DistArg,
    pub service_cv: f64,
    pub requests: u64,
    pub seed: u64,
    pub allow_unstable: bool,
}

pub fn run_queue(args: QueueArgs, format: Format, out: &mut dyn Write) -> Result<(), Diagnostics> {
    let params = QueueParams {
        servers: args.servers,
        arrival_rps: args.arrival_rps,
        service_ms: Millis(args.service_ms),
        service_dist: args.service_dist.into(),
        service_cv: args.service_cv,
        requests: args.requests,
        seed: args.seed,
        allow_unstable: args.allow_unstable,
    };
    let r = sim::queue(&params)?;
    let text = match format {
        Format::Json => report::to_json(&r),
        Format::Text => report::queue_text(&r),
    };
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    Ok(())
}
