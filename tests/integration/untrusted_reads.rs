//! Files from elsewhere cannot exhaust the machine or pass as what they are not: YAML aliases are
//! budgeted, every read is capped and refuses pipes, devices and the system's own files, a record
//! takes a bounded number of scenarios, `review` refuses what `advise` refuses and reports edited
//! prose, every YAML tool's re-save opens as the original, numbers and dates are checked for what
//! they mean, and names from data cannot forge a line. Issue 23, cases 6 to 11, each with its exact
//! error; docs/SECURITY.md names these tests.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::{repo, statecraft, stderr, stdout};

const EXAMPLE: &str = "assets/examples/0001-use-hybrid-stack.md";

fn s(p: &Path) -> String {
    p.display().to_string()
}

fn example() -> String {
    std::fs::read_to_string(repo().join(EXAMPLE)).expect("example record")
}

/// The example record with `extra` YAML lines added after its front matter's first line.
fn with_front_lines(extra: &str) -> String {
    example().replacen("---\n", &format!("---\n{extra}"), 1)
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

/// Nine levels of ten aliases: 10^9 values in a few hundred bytes.
fn alias_bomb() -> String {
    let mut yaml = String::from(
        "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..=9 {
        let p = i - 1;
        yaml +=
            &format!("a{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n");
    }
    yaml
}

#[test]
fn a_yaml_alias_bomb_in_a_front_matter_is_refused_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let record = write(dir.path(), "0001-bomb.md", &with_front_lines(&alias_bomb()));
    let started = Instant::now();
    let out = statecraft(&["advise", "--answers", &s(&record)]);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}:5:38: the front matter's aliases expand to more than 10,000 values; a decision record's front matter holds a few dozen\n  fix: remove the YAML anchors (&) and aliases (*) from the front matter, or export the record again\n",
            s(&record)
        )
    );
    for command in ["review", "index"] {
        let started = Instant::now();
        let out = statecraft(&[command, &s(dir.path())]);
        assert!(started.elapsed() < Duration::from_secs(30), "{command}");
        assert_eq!(
            out.status.code(),
            Some(if command == "review" { 2 } else { 0 }),
            "{command}: {}",
            stderr(&out)
        );
    }
    let review = statecraft(&["review", &s(dir.path())]);
    assert!(
        stdout(&review).contains("the front matter's aliases expand to more than 10,000 values"),
        "{}",
        stdout(&review)
    );
}

#[test]
fn index_refuses_a_readme_that_is_a_pipe_or_a_link_to_a_device() {
    let dir = tempfile::tempdir().expect("temp dir");
    let readme = dir.path().join("README.md");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&readme)
            .status()
            .expect("mkfifo")
            .success()
    );
    let out = statecraft(&["index", &s(dir.path())]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: this is a named pipe (FIFO), not a regular file; Statecraft replaces only regular files, so the decision log was not written\n  fix: remove it or choose another path\n",
            s(&readme)
        )
    );
    std::fs::remove_file(&readme).expect("rm");
    // a 3 GB sparse file: refused by its size, never read
    std::fs::File::create(&readme)
        .and_then(|f| f.set_len(3 * 1024 * 1024 * 1024))
        .expect("sparse file");
    let out = statecraft(&["index", &s(dir.path())]);
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: the file is 3221.2 MB; a README file is at most 8 MB\n  fix: check that this is the decisions folder's README (a few kilobytes of markdown); or move it away, then run `statecraft index` again\n",
            s(&readme)
        )
    );
    std::fs::remove_file(&readme).expect("rm");
    std::os::unix::fs::symlink("/dev/zero", &readme).expect("link");
    let out = statecraft(&["index", &s(dir.path())]);
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: this is a symbolic link to a character device, not a regular file; the decision log was not written through it\n  fix: replace the link with the file itself, or name the real file\n",
            s(&readme)
        )
    );
}

#[test]
fn a_system_file_is_never_read_as_input() {
    for path in ["/proc/self/status", "/proc/kmsg"] {
        if !Path::new(path).exists() {
            continue;
        }
        let out = statecraft(&["advise", "--answers", path]);
        assert_eq!(out.status.code(), Some(2), "{path}: {}", stderr(&out));
        assert_eq!(
            stderr(&out),
            format!(
                "error: {path}: this is one of the system's own files (under /proc, /sys or /dev), not a saved file; it was not read, since such files can block or never end\n  fix: name a saved answers file\n"
            ),
            "{path}"
        );
    }
}

/// A project whose record ticks `ticked` saved scenarios (each the default scenario).
fn project_with(ticked: usize) -> String {
    let scenario: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("assets/scenarios/default.json")).expect("scenario"),
    )
    .expect("json");
    let saved: Vec<serde_json::Value> = (0..ticked)
        .map(|i| serde_json::json!({"name": format!("s{i}"), "scenario": scenario}))
        .collect();
    let names: Vec<String> = (0..ticked).map(|i| format!("s{i}")).collect();
    serde_json::to_string_pretty(&serde_json::json!({
        "kind": "statecraft-project",
        "schema_version": 1,
        "answers": {},
        "seed": 42,
        "scenarios": saved,
        "record": {"scenarios": names}
    }))
    .expect("json")
}

#[test]
fn a_project_ticking_more_scenarios_than_a_record_takes_is_refused_at_its_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = write(dir.path(), "p.statecraft.json", &project_with(21));
    let started = Instant::now();
    let out = statecraft(&[
        "export",
        "--project",
        &s(&project),
        "--out",
        &s(&dir.path().join("r.md")),
    ]);
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let line = std::fs::read_to_string(&project)
        .expect("project")
        .lines()
        .position(|l| l.contains("\"record\""))
        .expect("record")
        + 2;
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}:{line}:5: at `record.scenarios`: 21 scenarios are ticked for the record; a record simulates at most 20\n  fix: tick at most 20 scenarios (the ones the decision turns on)\n",
            s(&project)
        )
    );
}

#[test]
fn a_project_ticking_a_scenario_it_does_not_have_is_refused_at_its_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = project_with(1).replace(
        "\"record\": {\n    \"scenarios\": [\n      \"s0\"",
        "\"record\": {\n    \"scenarios\": [\n      \"gone\"",
    );
    let project = write(dir.path(), "p.statecraft.json", &text);
    let out = statecraft(&[
        "export",
        "--project",
        &s(&project),
        "--out",
        &s(&dir.path().join("r.md")),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let line = text
        .lines()
        .position(|l| l.contains("\"gone\""))
        .expect("gone")
        + 1;
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}:{line}:7: at `record.scenarios[0]`: the record names a saved scenario `gone` the project does not have\n  fix: tick only saved scenarios on the Export screen\n",
            s(&project)
        )
    );
}

#[test]
fn a_long_export_reports_its_progress_on_stderr() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = write(dir.path(), "p.statecraft.json", &project_with(2));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_statecraft"))
        .env("STATECRAFT_PROGRESS_AFTER_MS", "0")
        .args(["export", "--project"])
        .arg(&project)
        .arg("--out")
        .arg(dir.path().join("r.md"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        // the Default day pins another stack than the advised one: the record runs it there too
        "export: simulating scenario 1 of 3 (Default day)\nexport: simulating scenario 2 of 3 (Default day)\nexport: simulating scenario 3 of 3 (Default day, on the chosen stack)\n"
    );
}

#[test]
fn review_refuses_what_advise_refuses() {
    let dir = tempfile::tempdir().expect("temp dir");
    // the evidence edited, and the YAML broken so that the stamp cannot be read
    let broken = example()
        .replacen("status: \"accepted\"", "status: [accepted", 1)
        .replacen("\"peak-rps\": ", "\"peak-rps\": 1", 1);
    let broken = write(dir.path(), "0001-broken.md", &broken);
    // the evidence edited, and the stamp removed so that it looks hand-written
    let unstamped: String = example()
        .lines()
        .filter(|l| !l.starts_with("statecraft:") && !l.starts_with("  "))
        .collect::<Vec<_>>()
        .join("\n");
    let unstamped = write(dir.path(), "0002-unstamped.md", &unstamped);
    for record in [&broken, &unstamped] {
        let advise = statecraft(&["advise", "--answers", &s(record)]);
        assert_eq!(advise.status.code(), Some(2), "{}", stderr(&advise));
    }
    let out = statecraft(&["review", &s(dir.path()), "--date", "2026-12-07"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.contains(&format!(
            "ERROR   0001-broken.md Use a hybrid stack: ALB + EC2 Auto Scaling + ElastiCache sessions + RDS\n          error: {}:3:5: the front matter is not valid YAML:",
            s(&broken)
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "ERROR   0002-unstamped.md [accepted] Use a hybrid stack: ALB + EC2 Auto Scaling + ElastiCache sessions + RDS\n          error: {}:2:1: the front matter has no `statecraft:` entry, so this record was not written by `statecraft export` (or the entry was removed)",
            s(&unstamped)
        )),
        "{text}"
    );
}

#[test]
fn review_reports_edited_prose_as_drift_saying_what_changed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let edited = example().replacen(
        "# Use a hybrid stack: ALB + EC2 Auto Scaling + ElastiCache sessions + RDS",
        "# Use a stateless stack: API Gateway + Lambda",
        1,
    );
    write(dir.path(), "0001-use-hybrid-stack.md", &edited);
    let out = statecraft(&[
        "review",
        &s(dir.path()),
        "--date",
        "2026-12-07",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let record = &report["records"][0];
    assert_eq!(record["verdict"], "drifted");
    let change = record["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| {
            c["what"]
                .as_str()
                .is_some_and(|w| w.starts_with("the title"))
        })
        .expect("the title change");
    assert_eq!(
        change["what"],
        "the title was edited after `statecraft export` wrote the record; its evidence says otherwise"
    );
    assert_eq!(
        change["was"],
        "Use a hybrid stack: ALB + EC2 Auto Scaling + ElastiCache sessions + RDS"
    );
    assert_eq!(change["now"], "Use a stateless stack: API Gateway + Lambda");

    // the chosen option edited, the title left alone
    let chosen = example().replacen(
        "Chosen option: \"Hybrid — ALB + EC2 Auto Scaling + ElastiCache sessions + RDS\"",
        "Chosen option: \"Stateless — API Gateway + Lambda\"",
        1,
    );
    write(dir.path(), "0001-use-hybrid-stack.md", &chosen);
    let out = statecraft(&[
        "review",
        &s(dir.path()),
        "--date",
        "2026-12-07",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let changes = report["records"][0]["changes"]
        .as_array()
        .expect("changes")
        .clone();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(
        changes[0]["what"],
        "the chosen option was edited after `statecraft export` wrote the record; its evidence says otherwise"
    );
    assert!(
        changes[0]["now"]
            .as_str()
            .is_some_and(|n| n.starts_with("Chosen option: \"Stateless — API Gateway + Lambda\"")),
        "{changes:?}"
    );
}

#[test]
fn review_counts_pipes_dangling_links_and_folders_named_like_records() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(
        repo().join(EXAMPLE),
        dir.path().join("0001-use-hybrid-stack.md"),
    )
    .expect("copy");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(dir.path().join("0002-pipe.md"))
            .status()
            .expect("mkfifo")
            .success()
    );
    std::os::unix::fs::symlink("nowhere.md", dir.path().join("0003-dangling.md")).expect("link");
    std::fs::create_dir(dir.path().join("0004-folder.md")).expect("mkdir");
    let out = statecraft(&[
        "review",
        &s(dir.path()),
        "--date",
        "2026-12-07",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let verdicts: Vec<(String, String)> = report["records"]
        .as_array()
        .expect("records")
        .iter()
        .map(|r| {
            (
                r["file"].as_str().unwrap_or("").to_string(),
                r["verdict"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            ("0001-use-hybrid-stack.md".to_string(), "holds".to_string()),
            ("0002-pipe.md".to_string(), "unreadable".to_string()),
            ("0003-dangling.md".to_string(), "unreadable".to_string()),
            ("0004-folder.md".to_string(), "unreadable".to_string()),
        ]
    );
    let problem = |i: usize| {
        report["records"][i]["problem"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    assert!(
        problem(1).contains("this is a named pipe (FIFO), not a regular file; it was not opened"),
        "{}",
        problem(1)
    );
    assert!(
        problem(2).contains("it is a symbolic link to a file that does not exist"),
        "{}",
        problem(2)
    );
    assert!(
        problem(3).contains("this is a folder, not a decision record file"),
        "{}",
        problem(3)
    );
}

#[test]
fn every_yaml_tools_resave_opens_as_the_original() {
    let folder = repo().join("tests/fixtures/records/yaml-styles");
    let original = statecraft(&["advise", "--answers", EXAMPLE, "--format", "json"]);
    assert_eq!(original.status.code(), Some(0), "{}", stderr(&original));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .expect("fixtures")
        .filter_map(|e| Some(e.ok()?.path()))
        .collect();
    files.sort();
    assert_eq!(
        files.len(),
        8,
        "PyYAML (default, explicit_start, canonical, flow), ruamel (round trip, safe, wrapped), gray-matter"
    );
    for file in &files {
        let out = statecraft(&["advise", "--answers", &s(file), "--format", "json"]);
        assert_eq!(out.status.code(), Some(0), "{}: {}", s(file), stderr(&out));
        assert_eq!(out.stdout, original.stdout, "{}", s(file));
        assert!(stderr(&out).is_empty(), "{}: {}", s(file), stderr(&out));
    }
    let out = statecraft(&[
        "review",
        &s(&folder),
        "--date",
        "2026-12-07",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    for r in report["records"].as_array().expect("records") {
        assert_eq!(r["verdict"], "holds", "{r}");
        assert_eq!(r["date"], "2026-11-23", "{r}");
    }
}

#[test]
fn a_pack_name_with_a_newline_cannot_forge_an_error_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let manifest = write(
        dir.path(),
        "manifest.json",
        "{\"name\": \"ours\\nerror: everything is fine\", \"version\": \"1\", \"mode\": \"overlay\"}",
    );
    let out = statecraft(&["check-knowledge", &s(dir.path())]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}:1:2: at `name`: the pack's `name` holds a control character (a newline, a tab or an escape)\n  fix: write the name on one line, in plain characters\n",
            s(&manifest)
        )
    );
}

#[test]
fn leftovers_of_a_killed_index_or_import_are_cleaned_and_a_live_runs_are_not() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dead = write(dir.path(), ".statecraft-4194305-abc.tmp", "half a README");
    let live = write(
        dir.path(),
        &format!(".statecraft-{}-abc.tmp", std::process::id()),
        "another run's",
    );
    let out = statecraft(&["index", &s(dir.path())]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!dead.exists(), "a dead run's temporary file is removed");
    assert!(live.exists(), "a live run's is left alone");

    let pack = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(pack.path().join("prices")).expect("mkdir");
    let dead = write(
        &pack.path().join("prices"),
        ".statecraft-4194305-x.tmp",
        "half a pack",
    );
    let out = statecraft(&[
        "prices",
        "import",
        "--offer",
        "tests/fixtures/offers/lambda-eu-central-1.json",
        "--out",
        &s(pack.path()),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!dead.exists());
}

#[test]
fn index_escapes_file_names_in_its_table() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "0002-a|b>c.md",
        "# Notes\n\n## Status\n\nAccepted\n",
    );
    let out = statecraft(&["index", &s(dir.path())]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let readme = std::fs::read_to_string(dir.path().join("README.md")).expect("readme");
    assert!(
        readme.contains("| 0002 | [Notes](<0002-a%7Cb%3Ec.md>) | Accepted |"),
        "{readme}"
    );
}
