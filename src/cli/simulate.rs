//! `statecraft simulate` and `statecraft queue`: read the input, run the simulator's domain functions,
//! print the contract's JSON or a readable report.

use std::io::Write;
use std::path::Path;

use crate::domain::diagnostic::Diagnostics;
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

pub fn run_simulate(
    scenario: &Path,
    format: Format,
    pack: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), Diagnostics> {
    let k = Knowledge::load(pack)?;
    let scenario = Scenario::read(scenario, &k)?;
    let r = sim::simulate(&k, &scenario)?;
    let text = match format {
        Format::Json => report::to_json(&r),
        Format::Text => report::simulate_text(&r),
    };
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    Ok(())
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
