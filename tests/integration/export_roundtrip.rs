//! A record opened again: the same answers and the same advice, through the app's import and through
//! `advise --answers`; an edited record is refused with the edit named, at its line and column.

use statecraft::domain::export;
use statecraft::domain::knowledge::Knowledge;
use statecraft::domain::rules::Engine;

use crate::export_support::{madr, shipped, source, usecase, usecase_names};
use crate::support::{statecraft, stderr, stdout};

/// The 1-based line of the first line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).expect(needle) + 1
}

#[test]
fn every_use_case_round_trips_to_the_same_advice() {
    let k = shipped();
    let engine = Engine::new(&k);
    for name in usecase_names() {
        let answers = usecase(&name, &k);
        let record = madr(&name, &k);
        let back = export::import(&source("r.md", &record.markdown), &k)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(back.answers, answers, "{name}");
        assert_eq!(
            engine.advise(&back.answers),
            engine.advise(&answers),
            "{name}"
        );
        assert_eq!(
            back.provenance.recommendation,
            record.data.recommendation.as_str()
        );
        assert_eq!(back.status.as_deref(), Some("accepted"));
        assert_eq!(back.date.as_deref(), Some("2026-11-23"));
        assert_eq!(back.knowledge_changed, None);
    }
}

#[test]
fn advise_reads_a_record_and_gives_the_same_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("0001-use-hybrid-stack.md");
    let fixture = "tests/fixtures/usecases/chaos-monkey-cart-shop.json";
    let export = statecraft(&[
        "export",
        "--answers",
        fixture,
        "--out",
        out.to_str().expect("utf-8 path"),
        "--date",
        "2026-11-23",
    ]);
    assert_eq!(export.status.code(), Some(0), "{}", stderr(&export));
    let from_json = statecraft(&["advise", "--answers", fixture, "--format", "json"]);
    let from_record = statecraft(&[
        "advise",
        "--answers",
        out.to_str().expect("utf-8 path"),
        "--format",
        "json",
    ]);
    assert_eq!(
        from_record.status.code(),
        Some(0),
        "{}",
        stderr(&from_record)
    );
    assert_eq!(stdout(&from_record), stdout(&from_json));
}

#[test]
fn an_edited_answer_is_refused_with_the_question_named() {
    let k = shipped();
    let record = madr("chaos-monkey-cart-shop", &k);
    let tampered = record
        .markdown
        .replacen("\"peak-rps\": 600.0", "\"peak-rps\": 6000.0", 1);
    let err = export::import(&source("0001-use-hybrid-stack.md", &tampered), &k)
        .expect_err("an edited record is refused");
    let line = line_of(&tampered, "\"peak-rps\": 6000.0");
    assert_eq!(
        err.to_string(),
        format!(
            "error: 0001-use-hybrid-stack.md:{line}:5: at `answers.peak-rps`: the record was edited after `statecraft export` wrote it: the answer to `peak-rps` was changed (it now reads `6000`), so its hash no longer matches\n  fix: undo the edit, or write a new record from the answers you want: `statecraft export --answers FILE --out FILE.md`"
        )
    );
}

#[test]
fn added_and_removed_answers_are_named_too() {
    let k = shipped();
    let record = madr("chaos-monkey-cart-shop", &k);
    let tampered = record
        .markdown
        .replacen("    \"multi-region\": false,\n", "", 1)
        .replacen(
            "    \"auth\": \"cookie-session\",\n",
            "    \"auth\": \"cookie-session\",\n    \"user-history\": true,\n",
            1,
        );
    let err = export::import(&source("r.md", &tampered), &k).expect_err("refused");
    let messages: Vec<&str> = err.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "the record was edited after `statecraft export` wrote it: the answer to `multi-region` was removed, so its hash no longer matches",
            "the record was edited after `statecraft export` wrote it: an answer to `user-history` was added, so its hash no longer matches",
        ]
    );
    assert_eq!(err.len(), 2);
}

#[test]
fn an_edited_knowledge_version_or_recommendation_is_named() {
    let k = shipped();
    let record = madr("chaos-monkey-cart-shop", &k);
    let tampered = record.markdown.replacen(
        "\"recommendation\": \"hybrid\"",
        "\"recommendation\": \"stateless\"",
        1,
    );
    let err = export::import(&source("r.md", &tampered), &k).expect_err("refused");
    assert_eq!(err.len(), 1);
    assert!(
        err.0[0]
            .message
            .contains("the recorded recommendation or stack was changed"),
        "{err}"
    );
    assert_eq!(err.0[0].path.as_deref(), Some("recommendation"));

    let tampered = record.markdown.replacen(
        "\"knowledge_version\": \"Statecraft shipped knowledge 2026.12.1\"",
        "\"knowledge_version\": \"Statecraft shipped knowledge 2027.1.1\"",
        1,
    );
    let err = export::import(&source("r.md", &tampered), &k).expect_err("refused");
    assert!(
        err.0[0]
            .message
            .contains("the knowledge version was changed"),
        "{err}"
    );
}

#[test]
fn an_edited_hash_is_named_as_such() {
    let k = shipped();
    let record = madr("web-app", &k);
    let hash = record.provenance.hash.clone();
    let forged = format!("sha256:{}", "0".repeat(64));
    // in the evidence block
    let in_evidence = format!("\"hash\": \"{hash}\"");
    let tampered = record
        .markdown
        .replacen(&in_evidence, &format!("\"hash\": \"{forged}\""), 1);
    let err = export::import(&source("r.md", &tampered), &k).expect_err("refused");
    assert_eq!(err.len(), 1, "{err}");
    assert_eq!(
        err.0[0].message,
        format!(
            "the record's hash was edited: it says `{forged}` but the record hashes to `{hash}`"
        )
    );
    // in the front matter
    let tampered = record.markdown.replacen(&hash, &forged, 1);
    let err = export::import(&source("r.md", &tampered), &k).expect_err("refused");
    assert_eq!(err.len(), 1);
    let d = &err.0[0];
    assert_eq!(
        d.message,
        format!(
            "the front matter's `statecraft.evidence` says `{forged}` but the record's evidence says `{hash}`: the front matter was edited after `statecraft export` wrote it"
        )
    );
    assert_eq!((d.line, d.column), (Some(12), Some(3)));
}

#[test]
fn advise_refuses_a_tampered_record_with_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let k = shipped();
    let record = madr("chaos-monkey-cart-shop", &k);
    let path = dir.path().join("0001-use-hybrid-stack.md");
    std::fs::write(
        &path,
        record.markdown.replacen(
            "\"session-loss\": \"unacceptable\"",
            "\"session-loss\": \"fine\"",
            1,
        ),
    )
    .expect("write");
    let o = statecraft(&["advise", "--answers", path.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("at `answers.session-loss`: the record was edited after `statecraft export` wrote it: the answer to `session-loss` was changed (it now reads `\"fine\"`)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_record_opened_with_other_knowledge_says_so() {
    let k = shipped();
    let record = madr("web-app", &k);
    let pack = Knowledge::with_pack(std::path::Path::new("tests/fixtures/packs/team-pack"))
        .expect("the team pack loads");
    let back = export::import(&source("r.md", &record.markdown), &pack).expect("still readable");
    let change = back.knowledge_changed.expect("the knowledge differs");
    assert_eq!(change.recorded, "Statecraft shipped knowledge 2026.12.1");
    assert_eq!(change.current, "Acme platform team rules 3");
}

#[test]
fn markdown_that_is_not_a_record_is_refused_clearly() {
    let k = shipped();
    let err =
        export::import(&source("notes.md", "# Notes\n\nNothing here.\n"), &k).expect_err("refused");
    assert_eq!(
        err.to_string(),
        "error: notes.md:1:1: this is not a decision record: it does not start with a `---` front matter line\n  fix: give an answers JSON file, or a decision record written by `statecraft export` with its front matter and evidence block intact"
    );
    let err = export::import(
        &source("adr.md", "---\nstatus: accepted\n---\n# An ADR by hand\n"),
        &k,
    )
    .expect_err("refused");
    assert!(
        err.to_string()
            .contains("adr.md:2:1: the front matter has no `statecraft:` entry"),
        "{err}"
    );
}

#[test]
fn a_broken_entry_is_placed_at_the_records_own_line() {
    let k = shipped();
    let record = madr("web-app", &k);
    // Cut the JSON short: drop everything from the fingerprints on, keep the closing `-->`.
    let cut = record
        .markdown
        .find("  \"fingerprints\"")
        .expect("fingerprints");
    let end = record.markdown.rfind("\n-->").expect("closing line");
    let broken = format!("{}{}", &record.markdown[..cut], &record.markdown[end + 1..]);
    let err = export::import(&source("r.md", &broken), &k).expect_err("refused");
    let d = &err.0[0];
    assert!(
        d.message.contains("not valid JSON") || d.message.contains("ends early"),
        "{err}"
    );
    let line = d.line.expect("a line");
    assert!(
        line > line_of(&broken, "<!-- statecraft-evidence:"),
        "the error points into the entry, not at the top of the file: {err}"
    );
}

mod never_panics {
    use proptest::prelude::*;
    use statecraft::domain::export;

    use crate::export_support::{madr, shipped, source};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Any text after a front matter line is read or refused with diagnostics, never a panic.
        #[test]
        fn any_text_is_read_or_refused(text in "(?s).{0,600}") {
            let k = shipped();
            let _ = export::import(&source("r.md", &format!("---\n{text}")), &k);
            let _ = export::import(&source("r.md", &format!("---\nstatecraft:{text}\n---\n")), &k);
        }

        /// A real record with a stretch cut out is refused (or, when the cut is harmless, read), never
        /// a panic, and a refusal always names a place in the file.
        #[test]
        fn a_cut_record_is_refused_with_a_place(start in 0usize..6000, len in 1usize..400) {
            let k = shipped();
            let md = madr("web-app", &k).markdown;
            let chars: Vec<char> = md.chars().collect();
            let start = start.min(chars.len());
            let end = (start + len).min(chars.len());
            let cut: String = chars[..start].iter().chain(&chars[end..]).collect();
            if let Err(problems) = export::import(&source("r.md", &cut), &k) {
                prop_assert!(!problems.is_empty());
                for d in problems.iter() {
                    prop_assert!(d.line.is_some(), "{d}");
                }
            }
        }
    }
}

#[test]
fn the_shipped_example_record_opens_again() {
    let k = shipped();
    let path = crate::support::repo().join("assets/examples/0001-use-hybrid-stack.md");
    let src = statecraft::domain::json_source::SourceText::read(&path, "answers").expect("read");
    let back = export::import(&src, &k).expect("the example's hash matches");
    assert_eq!(back.answers, usecase("chaos-monkey-cart-shop", &k));
    assert_eq!(back.scenarios.len(), 1);
    assert_eq!(back.provenance.seed, Some(7));
}
