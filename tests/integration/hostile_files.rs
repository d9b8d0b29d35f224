//! Files that are not what they seem, fed to the real binary: each is named as what it is, with the
//! place and the fix, exit code 2, never a hang or a panic, and nothing echoed raw to the terminal.

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{repo, statecraft, stderr};

fn bad(args: &[&str]) -> String {
    let out = statecraft(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "exit 2 for {args:?}: {err}");
    assert!(out.stdout.is_empty(), "nothing on stdout on failure");
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path.display().to_string()
}

#[test]
fn a_key_given_twice_in_an_answers_file_names_both_places() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(
        dir.path(),
        "a.json",
        "{\"answers\": {\n  \"workload\": \"web-app\",\n  \"workload\": \"static-site\"\n}}",
    );
    let err = bad(&["advise", "--answers", &file]);
    assert_eq!(
        err,
        format!(
            "error: {file}:3:3: the key `workload` is given twice in one object: first at line 2, column 3, again here\n  fix: keep one of the two (JSON readers disagree about which one counts)\n"
        )
    );
}

#[test]
fn a_key_given_twice_in_a_scenario_or_a_knowledge_file_is_refused_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = write(
        dir.path(),
        "s.json",
        "{\"schema_version\": 1, \"stack\": \"apigw-lambda-dynamodb\",\n \"traffic\": {\"peak_rps\": 10, \"peak_rps\": 1000}}",
    );
    let err = bad(&["simulate", "--scenario", &scenario]);
    assert!(
        err.contains(
            ":2:30: the key `peak_rps` is given twice in one object: first at line 2, column 14"
        ),
        "{err}"
    );
    let pack = dir.path().join("pack");
    std::fs::create_dir(&pack).expect("mkdir");
    write(
        &pack,
        "manifest.json",
        r#"{"name": "t", "version": "1", "name": "u"}"#,
    );
    let err = bad(&["check-knowledge", &pack.display().to_string()]);
    assert!(
        err.contains("manifest.json:1:31: the key `name` is given twice in one object: first at line 1, column 2"),
        "{err}"
    );
}

#[test]
fn an_answers_file_with_an_unknown_field_or_a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(
        dir.path(),
        "a.json",
        "{\"schema_version\": 2,\n \"answer\": {\"workload\": \"web-app\"}, \"answers\": {}}",
    );
    let err = bad(&["advise", "--answers", &file]);
    assert_eq!(
        err,
        format!(
            "error: {file}:1:2: at `schema_version`: this answers file uses schema version 2, newer than this Statecraft reads (version 1)\n  fix: open it with a newer Statecraft, or save it from there as schema version 1\n\
             error: {file}:2:2: at `answer`: unknown field `answer` (did you mean `answers`?); an answers file has only `answers`, `schema_version` and `description`\n  fix: remove the field, or move the answer inside \"answers\"\n"
        )
    );
}

#[test]
#[cfg(unix)]
fn a_named_pipe_is_refused_at_once_without_opening_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("answers.json");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let started = Instant::now();
    let err = bad(&["advise", "--answers", &fifo.display().to_string()]);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "no wait on the pipe"
    );
    assert!(
        err.contains("this is a named pipe (FIFO), not a regular file; it was not opened, so nothing waits on it"),
        "{err}"
    );
    assert!(err.contains("pass `-` and pipe into statecraft"), "{err}");
}

#[test]
#[cfg(unix)]
fn a_rules_file_that_is_a_symlink_loop_is_reported_not_taken_as_absent() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "manifest.json",
        r#"{"name": "t", "version": "1", "mode": "overlay"}"#,
    );
    let rules = dir.path().join("rules.json");
    std::os::unix::fs::symlink(&rules, &rules).expect("a link to itself");
    let err = bad(&["check-knowledge", &dir.path().display().to_string()]);
    assert_eq!(
        err,
        format!(
            "error: {}: cannot read the knowledge file: it is a symbolic link that loops (too many levels of links)\n  fix: point the link at the real file, or replace it with the file\n",
            rules.display()
        )
    );
}

#[test]
fn answers_piped_on_standard_input_are_read_and_a_flood_is_refused_not_cut() {
    let run = |input: Vec<u8>| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_statecraft"))
            .args(["advise", "--answers", "-", "--format", "json"])
            .current_dir(repo())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let mut stdin = child.stdin.take().expect("stdin");
        // the program may stop reading at the cap: a broken pipe here is expected
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let out = child.wait_with_output().expect("wait");
        let _ = writer.join();
        out
    };
    let out = run(br#"{"answers": {"workload": "static-site"}}"#.to_vec());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"recommendation\""));

    let mut flood = b"{\"answers\": {\"workload\": \"".to_vec();
    flood.resize(9 * 1024 * 1024, b'x');
    let out = run(flood);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: <stdin>: the piped answers input is more than 8 MB and was refused (not cut)\n  fix: check that the right file is piped in; an answers file is a few kilobytes of JSON\n"
    );
}

#[test]
fn control_characters_and_a_megabyte_id_are_escaped_and_cut_in_messages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let long = "y".repeat(1_000_000);
    let file = write(
        dir.path(),
        "a.json",
        &format!("{{\"answers\": {{\"x\\u001b[2Jz\": 1, \"{long}\": 2}}}}"),
    );
    let err = bad(&["advise", "--answers", &file]);
    assert!(
        !err.contains('\u{1b}'),
        "no raw escape reaches the terminal"
    );
    assert!(err.contains("there is no question `x\\u{1b}[2Jz`"), "{err}");
    assert!(
        err.contains(&format!(
            "there is no question `{}…(999,920 characters cut)…{}`",
            "y".repeat(40),
            "y".repeat(40)
        )),
        "{err}"
    );
    assert!(err.len() < 2_000, "{} bytes", err.len());
}

#[test]
fn sixteen_thousand_unknown_ids_are_reported_in_well_under_a_second_and_capped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ids: Vec<String> = (0..16_000)
        .map(|i| format!("\"unknown-{i:05}\": 1"))
        .collect();
    let text = format!("{{\"answers\": {{{}}}}}", ids.join(",\n"));
    assert!(text.len() > 250_000);
    let file = write(dir.path(), "a.json", &text);
    let started = Instant::now();
    let err = bad(&["advise", "--answers", &file]);
    // was 66 s when each problem re-parsed the file; now one pass (about 0.3 s)
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(err.matches("there is no question").count(), 100);
    assert!(
        err.contains(&format!("error: {file}:2:1: at `answers.unknown-00001`")),
        "{}",
        &err[..400]
    );
    assert!(
        err.ends_with("error: … and 15,900 more problems (the first 100 are shown)\n"),
        "{}",
        &err[err.len() - 300..]
    );
}

#[test]
fn a_pack_of_five_thousand_bad_rules_is_reported_in_well_under_a_second() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "manifest.json",
        r#"{"name": "t", "version": "1", "mode": "overlay"}"#,
    );
    let rules: Vec<String> = (0..5_000)
        .map(|i| {
            format!(
                "{{\"id\": \"bad-{i}\", \"when\": {{\"q\": \"nope-{i}\", \"eq\": \"x\"}}, \"scores\": {{\"stateless\": 1}}, \"rationale\": \"r\", \"source\": \"nope\"}}"
            )
        })
        .collect();
    write(
        dir.path(),
        "rules.json",
        &format!("{{\"rules\": [\n{}\n]}}", rules.join(",\n")),
    );
    let started = Instant::now();
    let err = bad(&["check-knowledge", &dir.path().display().to_string()]);
    // was 52 s; now about 0.3 s
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(
        err.contains("rules.json:2:26: at `rules[0].when.q`: the condition names question `nope-0`, which questions.json does not define"),
        "{}",
        &err[..600]
    );
    assert!(
        err.ends_with("error: … and 9,900 more problems (the first 100 are shown)\n"),
        "{}",
        &err[err.len() - 300..]
    );
}

#[test]
fn a_disabled_rule_named_twice_is_called_a_duplicate_not_an_unknown_rule() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "manifest.json",
        "{\"name\": \"t\", \"version\": \"1\", \"mode\": \"overlay\",\n \"disable_rules\": [\"use-case-chat\", \"use-case-chat\"]}",
    );
    let err = bad(&["check-knowledge", &dir.path().display().to_string()]);
    assert!(
        err.contains("manifest.json:2:37: at `disable_rules[1]`: `disable_rules` names `use-case-chat` twice (first at line 2, column 20)"),
        "{err}"
    );
    assert!(!err.contains("not a rule"), "{err}");
}

#[test]
fn a_million_servers_is_told_the_upper_bound_not_to_give_at_least_one() {
    let err = bad(&[
        "queue",
        "--servers",
        "1000000",
        "--arrival-rps",
        "10",
        "--service-ms",
        "10",
    ]);
    assert!(
        err.contains("`--servers`: 1,000,000 servers; expected 1 to 10,000\n  fix: give at most 10,000 servers"),
        "{err}"
    );
    assert!(!err.contains("at least one"), "{err}");
}

#[test]
fn an_arrival_rate_of_1e_minus_300_is_refused_rather_than_simulated_into_nan() {
    let err = bad(&[
        "queue",
        "--servers",
        "1",
        "--arrival-rps",
        "1e-300",
        "--service-ms",
        "10",
    ]);
    assert_eq!(
        err,
        "error: command line: `--arrival-rps`: 1e-300 requests/s is below the smallest rate the simulator keeps exact (0.001 requests/s)\n  fix: give a rate of at least 0.001 requests/s (one request in about 17 minutes)\n"
    );
}
