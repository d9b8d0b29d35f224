//! Running the real `statecraft` binary and reading fixtures.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The path of a use case's answers file, `tests/fixtures/usecases/NAME.json`, as an argument.
pub fn usecase_file(name: &str) -> String {
    fixtures()
        .join("usecases")
        .join(format!("{name}.json"))
        .display()
        .to_string()
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `statecraft ARGS` in the repository root and returns its output.
pub fn statecraft(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_statecraft"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("the statecraft binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
