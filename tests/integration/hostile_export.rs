//! Exports interrupted at every moment: a set of outputs (record, plots, HTML) appears whole or not
//! at all, SIGINT/SIGTERM leave no temporary file, and what a SIGKILL leaves is cleaned (or
//! finished) by the next run. The README's own `--out docs/decisions/` works.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{repo, stderr};

const ANSWERS: &str = "tests/fixtures/usecases/web-app.json";
const SCENARIO: &str = "assets/examples/launch-week.scenario.json";

fn spawn_export(out: &Path, html: &Path) -> Child {
    spawn_export_paused(out, html, 0)
}

/// An export whose every write step (staging each file, renaming each into place) takes `pause_ms`.
fn spawn_export_paused(out: &Path, html: &Path, pause_ms: u64) -> Child {
    Command::new(env!("CARGO_BIN_EXE_statecraft"))
        .env("STATECRAFT_WRITE_PAUSE_MS", pause_ms.to_string())
        .args([
            "export",
            "--answers",
            ANSWERS,
            "--scenario",
            SCENARIO,
            "--out",
        ])
        .arg(out)
        .arg("--html")
        .arg(html)
        .current_dir(repo())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn export")
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    names
}

fn temporaries(dir: &Path) -> Vec<String> {
    names(dir)
        .into_iter()
        .filter(|n| n.starts_with(".statecraft-"))
        .collect()
}

/// The record, its two plots and the HTML: all there or none.
fn set_of(dir: &Path, stem: &str) -> Vec<PathBuf> {
    [
        format!("{stem}.md"),
        format!("{stem}-cost-vs-traffic.svg"),
        format!("{stem}-latency-vs-load.svg"),
        format!("{stem}.html"),
    ]
    .iter()
    .map(|n| dir.join(n))
    .collect()
}

fn assert_whole_or_absent(dir: &Path, stem: &str, context: &str) {
    let present: Vec<bool> = set_of(dir, stem).iter().map(|p| p.exists()).collect();
    assert!(
        present.iter().all(|p| *p) || present.iter().all(|p| !*p),
        "{context}: a partial set {present:?} in {:?}",
        names(dir)
    );
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success() || name == "KILL");
}

/// How long one whole export takes here, to spread the kills over it.
fn export_duration() -> Duration {
    let dir = tempfile::tempdir().expect("temp dir");
    let started = Instant::now();
    let child = spawn_export(
        &dir.path().join("0001-x.md"),
        &dir.path().join("0001-x.html"),
    );
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success(), "{}", stderr(&out));
    started.elapsed()
}

#[test]
fn an_export_stopped_by_sigint_or_sigterm_leaves_a_whole_set_or_nothing_and_no_temporary_file() {
    let full = export_duration();
    for i in 0..12u32 {
        let dir = tempfile::tempdir().expect("temp dir");
        let child = spawn_export(
            &dir.path().join("0001-x.md"),
            &dir.path().join("0001-x.html"),
        );
        // from the start to just past the end, so some kills land in the writes
        std::thread::sleep(full.mul_f64(f64::from(i) / 10.0));
        signal(&child, if i % 2 == 0 { "INT" } else { "TERM" });
        let out = child.wait_with_output().expect("wait");
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{err}");
        if let Some(code) = out.status.code()
            && code != 0
        {
            assert!(code == 130 || code == 143, "exit {code}: {err}");
            assert!(err.contains("error: interrupted"), "{err}");
        }
        assert_eq!(temporaries(dir.path()), Vec::<String>::new(), "run {i}");
        assert_whole_or_absent(dir.path(), "0001-x", &format!("run {i}"));
    }
}

#[test]
fn what_a_sigkill_leaves_is_cleaned_or_finished_by_the_next_export() {
    let full = export_duration();
    for i in 0..8u32 {
        let dir = tempfile::tempdir().expect("temp dir");
        let child = spawn_export(
            &dir.path().join("0001-x.md"),
            &dir.path().join("0001-x.html"),
        );
        std::thread::sleep(full.mul_f64(f64::from(i) / 7.0));
        signal(&child, "KILL");
        let _ = child.wait_with_output();
        // the next run in the same folder
        let next = spawn_export(
            &dir.path().join("0002-y.md"),
            &dir.path().join("0002-y.html"),
        )
        .wait_with_output()
        .expect("wait");
        assert!(next.status.success(), "{}", stderr(&next));
        assert_eq!(temporaries(dir.path()), Vec::<String>::new(), "run {i}");
        assert_whole_or_absent(dir.path(), "0001-x", &format!("run {i}"));
        assert_whole_or_absent(dir.path(), "0002-y", &format!("run {i}"));
    }
}

#[test]
fn stale_temporary_files_of_a_dead_run_are_removed_by_the_next_export() {
    let dir = tempfile::tempdir().expect("temp dir");
    // a pid above Linux's pid_max: that run is certainly gone
    let stale = dir.path().join(".statecraft-4194305-abc123.tmp");
    std::fs::write(&stale, "half a record").expect("write");
    let out = spawn_export(
        &dir.path().join("0001-x.md"),
        &dir.path().join("0001-x.html"),
    )
    .wait_with_output()
    .expect("wait");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stale.exists());
    assert_eq!(
        names(dir.path()),
        vec![
            "0001-x-cost-vs-traffic.svg",
            "0001-x-latency-vs-load.svg",
            "0001-x.html",
            "0001-x.md"
        ]
    );
}

#[test]
fn the_readme_command_writes_into_a_decisions_folder_under_the_next_number() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(repo().join(ANSWERS), dir.path().join("answers.json")).expect("copy");
    std::fs::copy(repo().join(SCENARIO), dir.path().join("launch.json")).expect("copy");
    let run = |html: &str| {
        Command::new(env!("CARGO_BIN_EXE_statecraft"))
            .args([
                "export",
                "--answers",
                "answers.json",
                "--scenario",
                "launch.json",
                "--out",
                "docs/decisions/",
                "--html",
                html,
            ])
            .current_dir(dir.path())
            .output()
            .expect("run")
    };
    let out = run("decision.html");
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run("decision-2.html");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        names(&dir.path().join("docs/decisions")),
        vec![
            "0001-use-stateless-stack-cost-vs-traffic.svg",
            "0001-use-stateless-stack-latency-vs-load.svg",
            "0001-use-stateless-stack.md",
            "0002-use-stateless-stack-cost-vs-traffic.svg",
            "0002-use-stateless-stack-latency-vs-load.svg",
            "0002-use-stateless-stack.md",
        ]
    );
    assert!(dir.path().join("decision.html").exists());
    assert!(dir.path().join("decision-2.html").exists());
}

/// Waits until the export has started writing (its first temporary file is there).
fn wait_for_writing(dir: &Path) -> bool {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if !temporaries(dir).is_empty() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    false
}

#[test]
fn an_export_killed_while_it_stages_or_renames_its_files_is_whole_or_absent() {
    // four files, 60 ms a step: staging takes about 240 ms, renaming (under the lock) as long
    for (i, delay_ms) in [0u64, 100, 200, 260, 330, 420].iter().enumerate() {
        for sig in ["INT", "TERM", "KILL"] {
            let dir = tempfile::tempdir().expect("temp dir");
            let child = spawn_export_paused(
                &dir.path().join("0001-x.md"),
                &dir.path().join("0001-x.html"),
                60,
            );
            assert!(wait_for_writing(dir.path()), "the export began writing");
            std::thread::sleep(Duration::from_millis(*delay_ms));
            signal(&child, sig);
            let out = child.wait_with_output().expect("wait");
            let err = stderr(&out);
            assert!(!err.contains("panicked"), "{err}");
            let context = format!("{sig} {delay_ms} ms into the writes (case {i})");
            if sig != "KILL" {
                assert_eq!(temporaries(dir.path()), Vec::<String>::new(), "{context}");
            } else {
                // the next run finishes or removes what the killed one left
                let next = spawn_export(
                    &dir.path().join("0002-y.md"),
                    &dir.path().join("0002-y.html"),
                )
                .wait_with_output()
                .expect("wait");
                assert!(next.status.success(), "{}", stderr(&next));
                assert_eq!(temporaries(dir.path()), Vec::<String>::new(), "{context}");
            }
            assert_whole_or_absent(dir.path(), "0001-x", &context);
        }
    }
}
