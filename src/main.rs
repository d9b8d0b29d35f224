//! `statecraft` with no arguments opens the desktop app; with a subcommand it runs the command line.

fn main() -> std::process::ExitCode {
    statecraft::cli::main()
}
