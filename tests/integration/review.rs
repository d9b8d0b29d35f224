//! A decisions folder kept for years: `review` re-checks every record against today's knowledge and
//! prices, `index` writes the decision log, `--supersedes` updates both records, and parallel
//! exports each take their own number.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::support::{fixtures, statecraft, stderr, stdout, usecase_file};

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8")
}

/// A folder with three records: a shop (hybrid, ALB + EC2), a REST API (Lambda) and a hand-written one.
fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["chaos-monkey-cart-shop", "rest-api"] {
        let o = statecraft(&[
            "export",
            "--answers",
            &usecase_file(name),
            "--decisions-dir",
            s(dir.path()),
            "--date",
            "2026-11-23",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    std::fs::write(
        dir.path().join("0003-use-postgres.md"),
        "# 3. Use Postgres\n\nDate: 2024-01-02\n\n## Status\n\nAccepted\n",
    )
    .expect("write");
    dir
}

fn review(dir: &Path, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["review", s(dir), "--format", "json"];
    if !extra.contains(&"--date") {
        args.extend_from_slice(&["--date", "2026-12-01"]);
    }
    args.extend_from_slice(extra);
    let o = statecraft(&args);
    let json = serde_json::from_str(&stdout(&o))
        .unwrap_or_else(|e| panic!("review prints JSON ({e}): {} {}", stdout(&o), stderr(&o)));
    (o.status.code().expect("an exit code"), json)
}

fn verdicts(report: &Value) -> Vec<(String, String)> {
    report["records"]
        .as_array()
        .expect("records")
        .iter()
        .map(|r| {
            (
                r["file"].as_str().unwrap_or_default().to_string(),
                r["verdict"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// A pack that changes one price by `factor` (copied from the shipped prices).
fn price_pack(dir: &Path, id: &str, factor: f64) -> PathBuf {
    let pack = dir.join("pack");
    std::fs::create_dir_all(&pack).expect("pack folder");
    let prices: Value = serde_json::from_str(
        &std::fs::read_to_string(crate::support::repo().join("knowledge/prices.json"))
            .expect("prices"),
    )
    .expect("json");
    let mut price = prices["prices"]
        .as_array()
        .expect("list")
        .iter()
        .find(|p| p["id"] == id)
        .cloned()
        .expect("the price exists");
    let usd = price["usd"].as_f64().expect("usd") * factor;
    price["usd"] = serde_json::json!(usd);
    std::fs::write(
        pack.join("manifest.json"),
        r#"{"name": "Price check", "version": "1", "mode": "overlay"}"#,
    )
    .expect("manifest");
    std::fs::write(
        pack.join("prices.json"),
        serde_json::json!({ "prices": [price] }).to_string(),
    )
    .expect("prices");
    pack
}

#[test]
fn a_folder_reviewed_against_the_knowledge_it_was_written_with_holds() {
    let dir = folder();
    let (code, report) = review(dir.path(), &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        verdicts(&report),
        [
            ("0001-use-hybrid-stack.md".into(), "holds".into()),
            ("0002-use-stateless-stack.md".into(), "holds".into()),
            ("0003-use-postgres.md".into(), "hand-written".into()),
        ]
    );
    assert_eq!(report["records"][0]["number"], 1);
    assert_eq!(report["records"][0]["status"], "proposed");
    assert_eq!(report["records"][2]["status"], "Accepted");
    assert_eq!(report["records"][0]["changes"], serde_json::json!([]));
}

#[test]
fn a_price_up_30_percent_drifts_exactly_the_records_that_use_it_and_names_it() {
    let dir = folder();
    let pack = price_pack(dir.path(), "alb-hours", 30.0);
    let (code, report) = review(dir.path(), &["--knowledge", s(&pack)]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        verdicts(&report),
        [
            ("0001-use-hybrid-stack.md".into(), "drifted".into()),
            ("0002-use-stateless-stack.md".into(), "holds".into()),
            ("0003-use-postgres.md".into(), "hand-written".into()),
        ]
    );
    let changes = report["records"][0]["changes"].as_array().expect("changes");
    let cost = changes
        .iter()
        .find(|c| {
            c["what"]
                .as_str()
                .is_some_and(|w| w.contains("monthly cost"))
        })
        .expect("the cost change");
    let what = cost["what"].as_str().expect("text");
    assert!(what.contains("`alb-hours`"), "the price is named: {what}");
    assert!(cost["now"].as_f64() > cost["was"].as_f64(), "{cost}");
    // the knowledge version changed too, as a note
    assert!(
        changes
            .iter()
            .any(|c| c["what"] == "the knowledge version" && c["drift"] == false),
        "{changes:?}"
    );
}

#[test]
fn a_pack_that_flips_the_advice_drifts_with_the_old_and_new_recommendation() {
    let dir = tempfile::tempdir().expect("temp dir");
    let o = statecraft(&[
        "export",
        "--answers",
        &usecase_file("web-app"),
        "--decisions-dir",
        s(dir.path()),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (code, report) = review(
        dir.path(),
        &["--knowledge", s(&fixtures().join("packs/team-pack"))],
    );
    assert_eq!(code, 1, "{report:#}");
    let web = &report["records"][0];
    assert_eq!(web["verdict"], "drifted", "{web:#}");
    let changes = web["changes"].as_array().expect("changes");
    let flip = changes
        .iter()
        .find(|c| c["what"] == "the recommendation")
        .expect("the advice changed");
    assert_eq!(
        (&flip["was"], &flip["now"]),
        (&"stateless".into(), &"hybrid".into())
    );
}

#[test]
fn the_text_report_reads_well_in_a_ci_log() {
    let dir = folder();
    let o = statecraft(&["review", s(dir.path()), "--date", "2026-12-01"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("ok      0001-use-hybrid-stack.md [proposed] Use a hybrid stack:"),
        "{text}"
    );
    assert!(
        text.contains("by hand 0003-use-postgres.md [Accepted] 3. Use Postgres"),
        "{text}"
    );
    assert!(
        text.ends_with(&format!(
            "{}: 2 hold, 0 drifted, 0 unreadable, 1 by hand, 0 skipped (costs may move 10 %; reviewed 2026-12-01)\n",
            dir.path().display()
        )),
        "{text}"
    );
}

#[test]
fn half_a_year_later_stale_prices_are_notes_and_a_year_later_they_drift() {
    let dir = folder();
    // the records are of 2026-11-23: on 2027-06-01 the base prices of 2026-01 are over a year old,
    // the records are not
    let (code, report) = review(dir.path(), &["--date", "2027-06-01"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["records"][0]["verdict"], "holds");
    let changes = report["records"][0]["changes"].as_array().expect("changes");
    let stale = changes
        .iter()
        .find(|c| {
            c["what"]
                .as_str()
                .is_some_and(|w| w.starts_with("the price `alb-hours`"))
        })
        .unwrap_or_else(|| panic!("a note on the ALB price: {changes:#?}"));
    assert_eq!(
        stale["what"],
        "the price `alb-hours` is dated 2026-01 (516 days before this review, more than a year): refresh it when you can (`statecraft prices import`)"
    );
    assert_eq!(
        (&stale["was"], &stale["now"]),
        (&json!("2026-01"), &json!("2026-01"))
    );
    // on 2027-12-01 the record of 2026-11-23 is more than a year old itself: the same price drifts
    let (code, report) = review(dir.path(), &["--date", "2027-12-01"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["records"][0]["verdict"], "drifted");
    let changes = report["records"][0]["changes"].as_array().expect("changes");
    assert!(
        changes.iter().any(|c| c["what"]
            == "the price `alb-hours` is dated 2026-01 (699 days before this review) and the record, of 2026-11-23, is more than a year old too: refresh the prices (`statecraft prices import`) and review the decision"),
        "{changes:#?}"
    );
}

/// The cart shop whose data must stay in the EU, exported on `date` into a fresh folder.
fn ireland_record(date: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut answers: Value = serde_json::from_str(
        &std::fs::read_to_string(usecase_file("chaos-monkey-cart-shop")).expect("answers"),
    )
    .expect("json");
    answers["answers"]["data-residency"] = json!("eu-west-1");
    let file = dir.path().join("answers.json");
    std::fs::write(&file, answers.to_string()).expect("write");
    let decisions = dir.path().join("decisions");
    let o = statecraft(&[
        "export",
        "--answers",
        s(&file),
        "--decisions-dir",
        s(&decisions),
        "--date",
        date,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    dir
}

#[test]
fn a_freshly_exported_ireland_record_holds_and_its_old_prices_are_notes() {
    let dir = ireland_record("2026-12-01");
    let decisions = dir.path().join("decisions");
    let (code, report) = review(&decisions, &["--date", "2026-12-07"]);
    assert_eq!(code, 0, "{report:#}");
    let record = &report["records"][0];
    assert_eq!(record["verdict"], "holds");
    let notes: Vec<&str> = record["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .inspect(|c| assert_eq!(c["drift"], false, "{c}"))
        .filter_map(|c| c["what"].as_str())
        .collect();
    // Ireland's RDS instance-hours are from August 2024 (the newest source found), its ElastiCache
    // nodes from April 2025: over a year old, and only notes on a record of this week
    assert!(
        notes.contains(&"the price `rds-t4g-medium` is dated 2024-08 (858 days before this review, more than a year): refresh it when you can (`statecraft prices import`)"),
        "{notes:#?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("the price `elasticache-")),
        "{notes:#?}"
    );
    let text = stdout(&statecraft(&[
        "review",
        s(&decisions),
        "--date",
        "2026-12-07",
    ]));
    assert!(text.starts_with("ok      0001-"), "{text}");
    assert!(
        text.contains("(note) the price `rds-t4g-medium` is dated 2024-08 (858 days before this review, more than a year): refresh it when you can (`statecraft prices import`)\n"),
        "{text}"
    );
    assert!(!text.contains("now null"), "{text}");
}

#[test]
fn an_ireland_record_more_than_a_year_old_with_stale_prices_drifts() {
    let dir = ireland_record("2025-11-01");
    let (code, report) = review(&dir.path().join("decisions"), &["--date", "2026-12-07"]);
    assert_eq!(code, 1, "{report:#}");
    let record = &report["records"][0];
    assert_eq!(record["verdict"], "drifted");
    assert!(
        record["changes"].as_array().expect("changes").iter().any(|c| c["drift"] == true
            && c["what"] == "the price `rds-t4g-medium` is dated 2024-08 (858 days before this review) and the record, of 2025-11-01, is more than a year old too: refresh the prices (`statecraft prices import`) and review the decision"),
        "{record:#}"
    );
}

#[test]
fn a_tampered_record_is_unreadable_and_fails_the_review() {
    let dir = folder();
    let path = dir.path().join("0001-use-hybrid-stack.md");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(
        &path,
        text.replacen("\"peak-rps\": 600.0", "\"peak-rps\": 60.0", 1),
    )
    .expect("write");
    let (code, report) = review(dir.path(), &[]);
    assert_eq!(code, 2);
    assert_eq!(report["records"][0]["verdict"], "unreadable");
    assert!(
        report["records"][0]["problem"]
            .as_str()
            .is_some_and(|p| p.contains("the answer to `peak-rps` was changed")),
        "{report:#}"
    );
}

#[test]
fn superseding_updates_both_records_and_both_still_open() {
    let dir = folder();
    let o = statecraft(&[
        "export",
        "--answers",
        &usecase_file("realtime-game"),
        "--decisions-dir",
        s(dir.path()),
        "--supersedes",
        "1",
        "--date",
        "2026-11-30",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("superseded by ADR-0004"),
        "{}",
        stdout(&o)
    );
    let old = std::fs::read_to_string(dir.path().join("0001-use-hybrid-stack.md")).expect("old");
    assert!(
        old.contains("\nstatus: \"superseded by ADR-0004\"\n"),
        "{old}"
    );
    assert!(old.contains("> Superseded by [ADR-0004](<0004-use-stateful-stack.md>)."));
    let new = std::fs::read_to_string(dir.path().join("0004-use-stateful-stack.md")).expect("new");
    assert!(
        new.contains("Supersedes [ADR-0001](<0001-use-hybrid-stack.md>)."),
        "{new}"
    );
    for file in ["0001-use-hybrid-stack.md", "0004-use-stateful-stack.md"] {
        let o = statecraft(&["advise", "--answers", s(&dir.path().join(file))]);
        assert_eq!(o.status.code(), Some(0), "{file}: {}", stderr(&o));
        assert_eq!(stderr(&o), "", "{file} opens without a warning");
    }
    let (code, report) = review(dir.path(), &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["records"][0]["verdict"], "skipped");
    assert_eq!(report["records"][3]["verdict"], "holds");
}

#[test]
fn superseding_a_record_that_is_not_there_names_the_ones_that_are() {
    let dir = folder();
    let o = statecraft(&[
        "export",
        "--answers",
        &usecase_file("web-app"),
        "--decisions-dir",
        s(dir.path()),
        "--supersedes",
        "9",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        format!(
            "error: {}: there is no record number 9 (ADR-0009) in this folder\n  fix: supersede one of: 0001-use-hybrid-stack.md, 0002-use-stateless-stack.md, 0003-use-postgres.md\n",
            dir.path().display()
        )
    );
}

#[test]
fn the_index_lists_every_record_and_keeps_the_teams_own_text() {
    let dir = folder();
    std::fs::write(
        dir.path().join("README.md"),
        "# Our decisions\n\nAsk Ana.\n",
    )
    .expect("write");
    for _ in 0..2 {
        let o = statecraft(&["index", s(dir.path())]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let readme = std::fs::read_to_string(dir.path().join("README.md")).expect("readme");
    assert!(
        readme.starts_with("# Our decisions\n\nAsk Ana.\n\n<!-- statecraft-index:start"),
        "{readme}"
    );
    assert_eq!(
        readme.matches("statecraft-index:start").count(),
        1,
        "regenerated in place"
    );
    assert!(readme.contains(
        "| No. | Decision | Status | Date | Archetype | Stack | Monthly cost | Review |"
    ));
    assert!(readme.contains("| 0001 | [Use a hybrid stack: ALB + EC2 Auto Scaling + ElastiCache sessions + RDS](<0001-use-hybrid-stack.md>) | proposed | 2026-11-23 | hybrid |"), "{readme}");
    assert!(readme.contains("| 0003 | [3. Use Postgres](<0003-use-postgres.md>) | Accepted | — | — | — | — | hand-written |"), "{readme}");
    assert_eq!(readme.matches("\n| 000").count(), 3);
}

#[test]
fn ten_parallel_exports_get_ten_distinct_numbers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let answers = usecase_file("static-site");
    let spawned: Vec<_> = (0..10)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_statecraft"))
                .args([
                    "export",
                    "--answers",
                    &answers,
                    "--decisions-dir",
                    s(dir.path()),
                ])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawns")
        })
        .collect();
    for child in spawned {
        let o = child.wait_with_output().expect("finishes");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    let expected: Vec<String> = (1..=10)
        .map(|n| format!("{n:04}-use-stateless-stack.md"))
        .collect();
    assert_eq!(names, expected, "ten exports, ten numbers");
}

#[test]
fn the_shipped_example_record_still_holds() {
    let examples = crate::support::repo().join("assets/examples");
    let (code, report) = review(&examples, &[]);
    assert_eq!(
        code, 0,
        "export the example again (README, the command under assets/examples): {report:#}"
    );
    assert_eq!(
        verdicts(&report),
        [("0001-use-hybrid-stack.md".into(), "holds".into())]
    );
}
