//! Bad input on the command line: every kind gets the contract's `error:` message naming the file,
//! the line and column, what was expected and the fix; exit code 2; never a panic.

use proptest::prelude::*;
use statecraft::domain::answers::Answers;
use statecraft::domain::json_source::SourceText;
use statecraft::domain::knowledge::Knowledge;

use crate::support::{statecraft, stderr};

fn advise_error(file: &str) -> String {
    let out = statecraft(&["advise", "--answers", file, "--format", "json"]);
    assert_eq!(out.status.code(), Some(2), "exit code 2 for {file}");
    assert!(out.stdout.is_empty(), "nothing on stdout on failure");
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn a_mistyped_subcommand_is_refused_not_opened_as_a_project() {
    // `statecraft FILE.statecraft.json` opens a project in the app; a word that is neither a
    // subcommand nor a project file is a mistake, said as one, with exit 2
    let out = statecraft(&["advize"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("`advize` is neither a subcommand nor a project file"),
        "{err}"
    );
}

#[test]
fn a_missing_file_is_named_with_the_fix() {
    assert_eq!(
        advise_error("tests/fixtures/answers/no-such-file.json"),
        "error: tests/fixtures/answers/no-such-file.json: cannot read the answers file: no such file\n  fix: check the path; expected an existing answers file\n"
    );
}

#[test]
fn a_folder_is_not_an_answers_file() {
    assert_eq!(
        advise_error("tests/fixtures"),
        "error: tests/fixtures: this is a folder, not an answers file\n  fix: name the answers file itself\n"
    );
}

#[test]
fn a_100_mb_file_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("huge.json");
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(100 * 1024 * 1024).expect("sparse file");
    let err = advise_error(path.to_str().expect("utf-8 path"));
    assert!(
        err.contains("the file is 104.9 MB; an answers file is at most 8 MB"),
        "{err}"
    );
}

#[test]
fn a_minimal_answers_file_is_enough() {
    let out = statecraft(&[
        "advise",
        "--answers",
        "tests/fixtures/answers/ok-minimal.json",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn an_unknown_subcommand_or_flag_exits_2() {
    let out = statecraft(&["advise", "--answer", "x.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("error:"));
}

#[test]
fn an_empty_file_says_it_is_empty() {
    assert_eq!(
        advise_error("tests/fixtures/answers/empty.json"),
        r#"error: tests/fixtures/answers/empty.json:1:1: the file is empty; expected a JSON object {"answers": {"<question id>": <value>, ...}}
  fix: write a JSON object {"answers": {"<question id>": <value>, ...}} into the file
"#
    );
}

#[test]
fn a_truncated_file_says_it_ends_early() {
    assert_eq!(
        advise_error("tests/fixtures/answers/truncated.json"),
        r#"error: tests/fixtures/answers/truncated.json:3:1: at `answers`: the file ends early (EOF while parsing an object); it may be truncated
  fix: close every open bracket, brace and quote, or restore the file from a copy
"#
    );
}

#[test]
fn text_that_is_not_json_is_refused_at_its_place() {
    assert_eq!(
        advise_error("tests/fixtures/answers/not-json.json"),
        r#"error: tests/fixtures/answers/not-json.json:1:1: this is not valid JSON: expected value
  fix: correct the JSON at that place (a missing comma, quote or bracket is the usual cause; JSON has no NaN, Infinity or comments)
"#
    );
}

#[test]
fn wrong_types_name_the_expected_kind_in_file_order() {
    assert_eq!(
        advise_error("tests/fixtures/answers/wrong-types.json"),
        r#"error: tests/fixtures/answers/wrong-types.json:3:3: at `answers.realtime`: the answer to `realtime` is not valid: expected true or false, found the string "maybe"
  fix: answer true or false
error: tests/fixtures/answers/wrong-types.json:4:3: at `answers.peak-rps`: the answer to `peak-rps` is not valid: expected a number, found the string "lots"
  fix: answer a number from 0 to 1,000,000 (requests/s)
"#
    );
}

#[test]
fn unknown_questions_and_options_suggest_the_near_ones() {
    assert_eq!(
        advise_error("tests/fixtures/answers/unknown-ids.json"),
        r#"error: tests/fixtures/answers/unknown-ids.json:2:3: at `answers.workload`: the answer to `workload` is not valid: there is no option "web-ap" (did you mean "web-app"?)
  fix: answer one of: "static-site", "routing", "rest-api", "web-app", "microservices", "event-processing", "event-functions", "streaming-publishing", "realtime-analytics", "financial-ledger", "chat", "collaborative-editor", "realtime-game", "trading-engine", "file-transfer"
error: tests/fixtures/answers/unknown-ids.json:3:3: at `answers.realtme`: there is no question `realtme` (did you mean `realtime`?)
  fix: use a question id from `statecraft questions`, or remove the entry
"#
    );
}

#[test]
fn a_number_out_of_range_names_the_range_and_unit() {
    assert_eq!(
        advise_error("tests/fixtures/answers/out-of-range.json"),
        r#"error: tests/fixtures/answers/out-of-range.json:2:3: at `answers.peak-rps`: the answer to `peak-rps` is not valid: 5,000,000 is outside 0..1,000,000 requests/s
  fix: answer a number from 0 to 1,000,000 (requests/s)
"#
    );
}

#[test]
fn nan_is_not_json_and_says_so() {
    assert_eq!(
        advise_error("tests/fixtures/answers/nan.json"),
        r#"error: tests/fixtures/answers/nan.json:2:15: at `answers.peak-rps`: this is not valid JSON: expected value
  fix: correct the JSON at that place (a missing comma, quote or bracket is the usual cause; JSON has no NaN, Infinity or comments)
"#
    );
}

#[test]
fn non_utf8_bytes_are_placed_by_line_and_column() {
    assert_eq!(
        advise_error("tests/fixtures/answers/not-utf8.json"),
        r#"error: tests/fixtures/answers/not-utf8.json:1:29: the answers file is not UTF-8 text (byte 28 is not valid UTF-8)
  fix: save the file as UTF-8 JSON
"#
    );
}

#[test]
fn an_option_listed_twice_is_refused() {
    assert_eq!(
        advise_error("tests/fixtures/answers/duplicate-option.json"),
        r#"error: tests/fixtures/answers/duplicate-option.json:1:14: at `answers.compliance`: the answer to `compliance` is not valid: option "gdpr" is listed twice
  fix: answer a list of: "none", "gdpr", "pci-dss", "hipaa", "soc2"
"#
    );
}

#[test]
fn a_document_without_answers_says_what_is_expected() {
    assert_eq!(
        advise_error("tests/fixtures/answers/array.json"),
        r#"error: tests/fixtures/answers/array.json:1:1: there is no `answers` object; expected a JSON object {"answers": {"<question id>": <value>, ...}}
  fix: put the answers under "answers": {"<question id>": <value>, ...}
"#
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever bytes an answers file holds, reading it gives answers or diagnostics, never a panic.
    #[test]
    fn any_bytes_give_answers_or_an_error(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let k = Knowledge::shipped().expect("valid");
        if let Ok(src) = SourceText::from_bytes("fuzz.json".into(), bytes, "answers") {
            let _ = Answers::parse(&src, &k);
        }
    }

    /// JSON-shaped input with arbitrary keys and values is checked, never trusted.
    #[test]
    fn any_json_answers_give_answers_or_an_error(key in "[a-z-]{1,16}", value in prop_oneof![
        any::<bool>().prop_map(|b| b.to_string()),
        any::<f64>().prop_map(|n| if n.is_finite() { n.to_string() } else { "0".into() }),
        "[a-z-]{0,12}".prop_map(|s| format!("\"{s}\"")),
        Just("[\"gdpr\", 3]".to_string()),
        Just("null".to_string()),
    ]) {
        let k = Knowledge::shipped().expect("valid");
        let src = SourceText::new("fuzz.json", format!("{{\"answers\": {{\"{key}\": {value}}}}}"));
        let _ = Answers::parse(&src, &k);
    }
}

#[test]
fn none_of_these_cannot_stand_beside_another_choice() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("a.json");
    std::fs::write(&path, r#"{"answers": {"compliance": ["none", "gdpr"]}}"#).expect("write");
    let o = crate::support::statecraft(&["advise", "--answers", path.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2));
    let err = crate::support::stderr(&o);
    assert!(
        err.contains("option \"none\" means none of the others, so it cannot be listed with them: give [\"none\"] alone, or leave it out"),
        "{err}"
    );
    assert!(err.contains("a.json:1:"), "placed at its line: {err}");
}
