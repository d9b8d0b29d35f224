//! `statecraft sweep`: the very requests the Simulator screen's plots send to the worker, run on
//! the calling thread, with their data as JSON (`{"what", "elapsed_ms", "data"}`) or CSV (the data
//! alone, one row per point), so architects can take the numbers into their own tools.

use std::io::Write;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use clap::ValueEnum;

use super::simulate::Progress;
use crate::domain::diagnostic::{Diagnostic, Diagnostics};
use crate::domain::jobs::{self, Output, sweeps};
use crate::domain::knowledge::Knowledge;
use crate::domain::sim::Scenario;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum What {
    /// The cheapest stack meeting the p99 target over peak traffic × session size.
    DecisionMap,
    /// Monthly cost against peak traffic for the simulated stack and the compared ones.
    CostCurves,
    /// p50 and p99 against steady load for the simulated stack.
    LatencyCurve,
    /// The P10–P90 bands of cost and p99 over the scenario's ranges.
    MonteCarlo,
}

impl What {
    fn name(self) -> &'static str {
        match self {
            What::DecisionMap => "decision-map",
            What::CostCurves => "cost-curves",
            What::LatencyCurve => "latency-curve",
            What::MonteCarlo => "monte-carlo",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum SweepFormat {
    #[default]
    Json,
    Csv,
}

/// Runs one sweep of `scenario` and writes its data.
pub fn run_sweep(
    scenario: &Path,
    what: What,
    runs: u32,
    format: SweepFormat,
    pack: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), Diagnostics> {
    let k = Knowledge::load(pack)?;
    let s = Scenario::read(scenario, &k)?;
    let request = match what {
        What::DecisionMap => sweeps::decision_map(&k, &s),
        What::CostCurves => sweeps::cost_curves(&k, &s),
        What::LatencyCurve => sweeps::latency_curve(&s),
        What::MonteCarlo => sweeps::monte_carlo(&s, runs),
    };
    let progress = Progress::new("Monte Carlo", "runs");
    let started = Instant::now();
    let output = jobs::execute(&k, request, &AtomicBool::new(false), &|done, total| {
        progress.show(usize::try_from(done).unwrap_or(usize::MAX), total)
    });
    progress.finish();
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    let output = output.map_err(|e| {
        Diagnostic::new(
            scenario.display().to_string(),
            format!("the {} sweep cannot run: {e}", what.name()),
            "fix the scenario, then sweep again",
        )
    })?;
    let text = match format {
        SweepFormat::Json => {
            let data = match &output {
                Output::CostCurves(c) => serde_json::to_value(c),
                Output::LatencyCurve(c) => serde_json::to_value(c),
                Output::Regions(r) => serde_json::to_value(r),
                Output::MonteCarlo(m) => serde_json::to_value(m),
                _ => Ok(serde_json::Value::Null),
            }
            .unwrap_or_default();
            let doc = serde_json::json!({
                "what": what.name(),
                "elapsed_ms": (elapsed_ms * 10.0).round() / 10.0,
                "seed": s.seed,
                "data": data,
            });
            let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
            text.push('\n');
            text
        }
        SweepFormat::Csv => csv(&output),
    };
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    Ok(())
}

/// One row per point, with a header.
fn csv(output: &Output) -> String {
    let mut out = String::new();
    match output {
        Output::CostCurves(curves) => {
            out += "stack,peak_rps,monthly_usd\n";
            for c in curves {
                for (rps, usd) in &c.points {
                    out += &format!("{},{},{:.2}\n", c.stack, rps.0, usd.0);
                }
            }
        }
        Output::LatencyCurve(curve) => {
            out += "steady_rps,p50_ms,p99_ms,error_share,instances\n";
            for p in &curve.points {
                out += &format!(
                    "{},{:.3},{:.3},{},{}\n",
                    p.rps.0, p.p50_ms.0, p.p99_ms.0, p.error_share, p.instances
                );
            }
        }
        Output::Regions(r) => {
            out += "peak_rps,y,cheapest_stack,monthly_usd\n";
            for c in &r.cells {
                out += &format!(
                    "{},{},{},{}\n",
                    c.peak_rps,
                    c.y,
                    c.best.as_deref().unwrap_or(""),
                    c.best_usd.map_or(String::new(), |u| format!("{:.2}", u.0))
                );
            }
        }
        Output::MonteCarlo(m) => {
            out += "run,monthly_usd,p99_ms,requests_failed\n";
            for r in &m.samples {
                out += &format!(
                    "{},{:.2},{:.3},{}\n",
                    r.index, r.monthly_usd.0, r.p99_ms.0, r.requests_failed
                );
            }
        }
        _ => {}
    }
    out
}
