//! The command line (`docs/CONTRACT.md`): each subcommand runs the same domain functions as the
//! desktop app. Problems go to stderr as `error: file:line:column: …` with the fix, and exit 2.
//!
//! Here: `main` and the dispatch of each subcommand. `args.rs` declares the arguments, `advise.rs`
//! prints the questions, the advice and the knowledge; the other files are one command group each.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;

use crate::domain::decision;
use crate::domain::diagnostic::Diagnostics;
use crate::domain::knowledge::Knowledge;

mod advise;
mod args;
pub mod bill;
pub mod export;
pub mod prices;
pub mod review;
pub mod scenario;
pub mod simulate;
pub mod sweep;

use advise::knowledge_summary;
pub use advise::{advice_json, advice_text, questions_output};
pub use args::{Cli, Command, Format, PricesAction};

/// Exit code for bad input, as the contract says.
pub const EXIT_BAD_INPUT: u8 = 2;

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
