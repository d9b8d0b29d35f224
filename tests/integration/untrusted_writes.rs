//! Files from elsewhere (a cloned decisions folder, a downloaded offer file, another team's pack)
//! never make Statecraft write where the user did not ask: names in data are never paths, a journal
//! is followed only when it names its own run's files beside it, only regular files are replaced
//! (keeping their mode), and a record is superseded in one set with the new one. Each case of
//! issue 23 (1 to 5) with the exact error it gives; docs/SECURITY.md names these tests.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::{repo, statecraft, stderr, stdout};

const OFFER: &str = "tests/fixtures/offers/lambda-eu-central-1.json";
const EXAMPLE: &str = "assets/examples/0001-use-hybrid-stack.md";
const ANSWERS: &str = "tests/fixtures/usecases/web-app.json";

fn s(p: &Path) -> String {
    p.display().to_string()
}

fn run(args: &[&str]) -> Output {
    statecraft(args)
}

/// The fixture offer with every `regionCode` set to `code`, written into `dir`.
fn offer_for_region(dir: &Path, code: &str) -> PathBuf {
    let text = std::fs::read_to_string(repo().join(OFFER)).expect("offer fixture");
    let text = text.replace(
        "\"regionCode\" : \"eu-central-1\"",
        &format!(
            "\"regionCode\" : {}",
            serde_json::to_string(code).expect("json")
        ),
    );
    let path = dir.join("offer.json");
    std::fs::write(&path, text).expect("write offer");
    path
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    names
}

#[test]
fn an_offers_region_code_never_becomes_a_path() {
    for code in [
        "../../escaped",
        "/tmp/statecraft-escaped",
        "eu-west-1/../../x",
    ] {
        let outside = tempfile::tempdir().expect("temp dir");
        let pack = outside.path().join("a/b/pack");
        std::fs::create_dir_all(&pack).expect("mkdir");
        let offer = offer_for_region(outside.path(), code);
        let out = run(&[
            "prices",
            "import",
            "--offer",
            &s(&offer),
            "--out",
            &s(&pack),
        ]);
        assert_eq!(out.status.code(), Some(2), "{code}: {}", stderr(&out));
        assert_eq!(
            stderr(&out),
            format!(
                "error: {}: the offer's region code `{code}` is not an AWS region code (lowercase letters and digits joined by `-`, such as `eu-west-1`), so no pack was written\n  fix: download the offer file of one region from the AWS Price List API; its products' `regionCode` is a code such as `eu-west-1`\n",
                s(&offer)
            )
        );
        assert!(
            listing(&pack).is_empty(),
            "{code}: nothing written in the pack"
        );
        assert_eq!(listing(&outside.path().join("a")), ["b"], "{code}");
        assert!(!Path::new("/tmp/statecraft-escaped.json").exists());
    }
}

#[test]
fn a_prices_folder_that_links_out_of_the_pack_is_refused() {
    let pack = tempfile::tempdir().expect("temp dir");
    let elsewhere = tempfile::tempdir().expect("temp dir");
    std::os::unix::fs::symlink(elsewhere.path(), pack.path().join("prices")).expect("link");
    let out = run(&[
        "prices",
        "import",
        "--offer",
        OFFER,
        "--out",
        &s(pack.path()),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}/prices: this folder leads outside the --out folder `{}` (a symbolic link), so no pack was written\n  fix: make `prices` a real folder inside the pack, or name another --out\n",
            s(pack.path()),
            s(pack.path())
        )
    );
    assert!(listing(elsewhere.path()).is_empty());
}

/// A decisions folder as a cloned repository could carry it: a "journal" of a dead process that
/// renames its temporary file over `victim`.
fn planted_journal(folder: &Path, victim: &str) -> PathBuf {
    std::fs::write(folder.join(".statecraft-4194305-payload.tmp"), "PWNED\n").expect("write");
    let journal = folder.join(".statecraft-4194305-commit.journal");
    let renames = serde_json::json!({"renames": [[".statecraft-4194305-payload.tmp", victim]]});
    std::fs::write(&journal, renames.to_string()).expect("write");
    journal
}

#[test]
fn a_journal_from_a_cloned_repository_cannot_rename_a_file_outside_its_folder() {
    let home = tempfile::tempdir().expect("temp dir");
    let victim = home.path().join(".bashrc");
    std::fs::write(&victim, "# the user's own\n").expect("write");
    let decisions = home.path().join("repo/decisions");
    std::fs::create_dir_all(&decisions).expect("mkdir");
    let journal = planted_journal(&decisions, &s(&victim));
    let out = run(&[
        "export",
        "--answers",
        ANSWERS,
        "--decisions-dir",
        &s(&decisions),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: this commit journal was not written by Statecraft and was not followed: it names `{}`, outside its own folder\n  fix: remove the file (a journal of a killed Statecraft run names only its own temporary files and the records beside it), then run the command again\n",
            s(&journal),
            s(&victim)
        )
    );
    assert_eq!(
        std::fs::read_to_string(&victim).expect("victim"),
        "# the user's own\n"
    );
    assert!(
        !listing(&decisions).iter().any(|n| n.ends_with(".md")),
        "no record was written beside an untrusted journal"
    );
}

#[test]
fn a_journal_renaming_a_file_that_is_not_its_own_runs_is_refused() {
    let decisions = tempfile::tempdir().expect("temp dir");
    std::fs::write(decisions.path().join("0001-kept.md"), "# Kept\n").expect("write");
    std::fs::write(decisions.path().join("notes.txt"), "mine\n").expect("write");
    let journal = decisions.path().join(".statecraft-4194305-commit.journal");
    let renames = serde_json::json!({"renames": [["notes.txt", "0001-kept.md"]]});
    std::fs::write(&journal, renames.to_string()).expect("write");
    let out = run(&[
        "export",
        "--answers",
        ANSWERS,
        "--decisions-dir",
        &s(decisions.path()),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with(&format!(
            "error: {}: this commit journal was not written by Statecraft and was not followed: it would rename `notes.txt`, which is not a temporary file of the run that wrote the journal\n",
            s(&journal)
        )),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(decisions.path().join("0001-kept.md")).expect("kept"),
        "# Kept\n"
    );
}

#[test]
fn prices_import_never_replaces_a_pack_it_cannot_read_unless_forced() {
    let pack = tempfile::tempdir().expect("temp dir");
    let target = pack.path().join("prices/eu-central-1.json");
    std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
    std::fs::write(
        &target,
        "{ \"region\": \"eu-central-1\", \"prices\": [ truncated",
    )
    .expect("write");
    let out = run(&[
        "prices",
        "import",
        "--offer",
        OFFER,
        "--out",
        &s(pack.path()),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with(&format!(
            "error: {}: the price pack already here does not load, so it was left as it is and nothing was written (merging into it would drop its prices)\n  fix: fix the pack (its problems follow), or pass --force to replace it with the imported prices alone\nerror: {}:1:",
            s(&target),
            s(&target)
        )),
        "{}",
        stderr(&out)
    );
    assert!(
        std::fs::read_to_string(&target)
            .expect("pack")
            .ends_with("truncated")
    );
    let forced = run(&[
        "prices",
        "import",
        "--offer",
        OFFER,
        "--out",
        &s(pack.path()),
        "--force",
    ]);
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    let check = run(&["--knowledge", &s(pack.path()), "check-knowledge"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
}

/// The fixture offer with its first price per unit replaced by `usd`.
fn offer_with_price(dir: &Path, usd: &str) -> PathBuf {
    let text = std::fs::read_to_string(repo().join(OFFER)).expect("offer fixture");
    let mut v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let dims = v["terms"]["OnDemand"]["SKUREQUEST1"]
        .as_object_mut()
        .and_then(|t| t.values_mut().next())
        .and_then(|t| t["priceDimensions"].as_object_mut())
        .expect("a term with price dimensions");
    for dim in dims.values_mut() {
        dim["pricePerUnit"]["USD"] = serde_json::Value::String(usd.into());
    }
    let path = dir.join("offer.json");
    std::fs::write(&path, v.to_string()).expect("write");
    path
}

#[test]
fn prices_import_writes_no_pack_its_own_loader_refuses() {
    let dir = tempfile::tempdir().expect("temp dir");
    let offer = offer_with_price(dir.path(), "1e308");
    let pack = dir.path().join("pack");
    let out = run(&[
        "prices",
        "import",
        "--offer",
        &s(&offer),
        "--out",
        &s(&pack),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let target = pack.join("prices/eu-central-1.json");
    assert!(
        stderr(&out).starts_with(&format!(
            "error: {}: the price pack this offer makes would not load, so nothing was written to {}\n  fix: check the offer file's prices (its problems follow, as they would be in the pack)\nerror: {}:",
            s(&offer),
            s(&target),
            s(&target)
        )),
        "{}",
        stderr(&out)
    );
    assert!(!target.exists() && !pack.join("manifest.json").exists());
}

#[test]
fn export_force_replaces_only_regular_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("0001-pipe.md");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo")
            .success()
    );
    let out = run(&[
        "export",
        "--answers",
        ANSWERS,
        "--out",
        &s(&fifo),
        "--force",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: this is a named pipe (FIFO), not a regular file; Statecraft replaces only regular files, so the record was not written\n  fix: remove it or choose another path\n",
            s(&fifo)
        )
    );
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::symlink_metadata(&fifo)
            .expect("fifo")
            .file_type()
            .is_fifo()
    );

    let device = dir.path().join("0002-device.md");
    std::os::unix::fs::symlink("/dev/null", &device).expect("link");
    let out = run(&[
        "export",
        "--answers",
        ANSWERS,
        "--out",
        &s(&device),
        "--force",
    ]);
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: this is a symbolic link to a character device, not a regular file; the record was not written through it\n  fix: replace the link with the file itself, or name the real file\n",
            s(&device)
        )
    );

    let elsewhere = tempfile::tempdir().expect("temp dir");
    let victim = elsewhere.path().join("victim.md");
    std::fs::write(&victim, "theirs\n").expect("write");
    let link = dir.path().join("0003-link.md");
    std::os::unix::fs::symlink(&victim, &link).expect("link");
    let out = run(&[
        "export",
        "--answers",
        ANSWERS,
        "--out",
        &s(&link),
        "--force",
    ]);
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: this is a symbolic link to `{}`, outside the folder `{}` it was asked to write in; the record was not written through it\n  fix: replace the link with the file itself, or name the real file\n",
            s(&link),
            s(&std::fs::canonicalize(&victim).expect("real")),
            s(dir.path())
        )
    );
    assert_eq!(
        std::fs::read_to_string(&victim).expect("victim"),
        "theirs\n"
    );
}

#[test]
fn a_link_to_a_record_in_the_same_folder_is_written_through_and_stays_a_link() {
    let dir = tempfile::tempdir().expect("temp dir");
    let real = dir.path().join("0001-real.md");
    std::fs::write(&real, "old\n").expect("write");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let link = dir.path().join("0001-link.md");
    std::os::unix::fs::symlink("0001-real.md", &link).expect("link");
    let out = run(&[
        "export",
        "--answers",
        ANSWERS,
        "--out",
        &s(&link),
        "--force",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&real)
            .expect("real")
            .starts_with("---\n")
    );
    let mode = std::fs::metadata(&real).expect("real").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640, "the replaced file keeps its mode");
}

#[test]
fn index_never_writes_through_a_readme_link_out_of_its_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let victim = elsewhere.path().join("README.md");
    std::fs::write(&victim, "theirs\n").expect("write");
    std::os::unix::fs::symlink(&victim, dir.path().join("README.md")).expect("link");
    let out = run(&["index", &s(dir.path())]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}/README.md: this is a symbolic link to `{}`, outside the folder `{}` it was asked to write in; the decision log was not written through it\n  fix: replace the link with the file itself, or name the real file\n",
            s(dir.path()),
            s(&std::fs::canonicalize(&victim).expect("real")),
            s(dir.path())
        )
    );
    assert_eq!(
        std::fs::read_to_string(&victim).expect("victim"),
        "theirs\n"
    );
}

#[test]
fn rewritten_readmes_and_superseded_records_keep_their_mode() {
    let dir = tempfile::tempdir().expect("temp dir");
    let old = dir.path().join("0001-use-hybrid-stack.md");
    std::fs::copy(repo().join(EXAMPLE), &old).expect("copy");
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let readme = dir.path().join("README.md");
    std::fs::write(&readme, "# Ours\n").expect("write");
    std::fs::set_permissions(&readme, std::fs::Permissions::from_mode(0o664)).expect("chmod");
    let out = run(&[
        "export",
        "--answers",
        ANSWERS,
        "--decisions-dir",
        &s(dir.path()),
        "--supersedes",
        "1",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let index = run(&["index", &s(dir.path())]);
    assert_eq!(index.status.code(), Some(0), "{}", stderr(&index));
    let mode = |p: &Path| std::fs::metadata(p).expect("file").permissions().mode() & 0o777;
    assert!(
        std::fs::read_to_string(&old)
            .expect("old")
            .contains("superseded by ADR-0002")
    );
    assert_eq!(mode(&old), 0o640, "the superseded record keeps its mode");
    assert!(
        std::fs::read_to_string(&readme)
            .expect("readme")
            .contains("statecraft-index:start")
    );
    assert_eq!(mode(&readme), 0o664, "the README keeps its mode");
}

#[test]
fn a_record_cannot_supersede_itself() {
    let dir = tempfile::tempdir().expect("temp dir");
    let old = dir.path().join("0001-use-hybrid-stack.md");
    std::fs::copy(repo().join(EXAMPLE), &old).expect("copy");
    let before = std::fs::read_to_string(&old).expect("old");
    let out = run(&[
        "export",
        "--answers",
        ANSWERS,
        "--out",
        &s(&old),
        "--force",
        "--supersedes",
        "1",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: a record cannot supersede itself: the new record would be ADR-0001 and replace this file, which --supersedes 1 marks superseded by it\n  fix: write the new record under its own number (--decisions-dir DIR takes the next one), or supersede another record\n",
            s(&old)
        )
    );
    assert_eq!(std::fs::read_to_string(&old).expect("old"), before);
}

/// Supersedes record 1 of `dir` (a copy of `fixture`) and returns the old record's text after.
fn supersede_copy_of(fixture: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let old = dir.path().join("0001-use-hybrid-stack.md");
    std::fs::copy(repo().join(fixture), &old).expect("copy");
    let out = run(&[
        "export",
        "--answers",
        ANSWERS,
        "--decisions-dir",
        &s(dir.path()),
        "--supersedes",
        "1",
    ]);
    assert_eq!(out.status.code(), Some(0), "{fixture}: {}", stderr(&out));
    assert!(stdout(&out).contains("marked "), "{}", stdout(&out));
    let text = std::fs::read_to_string(&old).expect("old");
    (dir, text)
}

#[test]
fn superseding_a_flow_style_or_wrapped_front_matter_keeps_it_whole_and_its_hash_fresh() {
    for fixture in [
        "tests/fixtures/records/yaml-styles/0004-pyyaml-flow.md",
        "tests/fixtures/records/yaml-styles/0008-ruamel-wrapped.md",
        "tests/fixtures/records/yaml-styles/0003-pyyaml-canonical.md",
    ] {
        let (dir, _) = supersede_copy_of(fixture);
        let old = dir.path().join("0001-use-hybrid-stack.md");
        // the superseded record still opens, unedited as far as its hashes say
        let out = run(&["advise", "--answers", &s(&old), "--format", "json"]);
        assert_eq!(out.status.code(), Some(0), "{fixture}: {}", stderr(&out));
        assert!(
            !stderr(&out).contains("text was edited"),
            "{fixture}: the text hash was renewed: {}",
            stderr(&out)
        );
        let review = run(&[
            "review",
            &s(dir.path()),
            "--format",
            "json",
            "--date",
            "2026-12-07",
        ]);
        let report: serde_json::Value = serde_json::from_slice(&review.stdout).expect("json");
        let first = &report["records"][0];
        assert_eq!(first["file"], "0001-use-hybrid-stack.md", "{fixture}");
        assert_eq!(first["status"], "superseded by ADR-0002", "{fixture}");
        assert_eq!(first["verdict"], "skipped", "{fixture}: {first}");
    }
}

#[test]
fn a_killed_supersede_leaves_both_records_or_neither() {
    use std::time::Duration;
    for delay_ms in [100, 400, 900, 1_600, 2_500] {
        let dir = tempfile::tempdir().expect("temp dir");
        let old = dir.path().join("0001-use-hybrid-stack.md");
        std::fs::copy(repo().join(EXAMPLE), &old).expect("copy");
        let before = std::fs::read_to_string(&old).expect("old");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_statecraft"))
            .env("STATECRAFT_WRITE_PAUSE_MS", "300")
            .args([
                "export",
                "--answers",
                ANSWERS,
                "--supersedes",
                "1",
                "--decisions-dir",
            ])
            .arg(dir.path())
            .current_dir(repo())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        // the next run into the folder finishes or removes what the killed one left (a numbered
        // name of its own, so that it cannot take 0002 itself)
        let probe = dir.path().join("0100-probe.md");
        let next = run(&["export", "--answers", ANSWERS, "--out", &s(&probe)]);
        assert_eq!(next.status.code(), Some(0), "{}", stderr(&next));
        let names = listing(dir.path());
        let new_written = names.iter().any(|n| n.starts_with("0002-"));
        let after = std::fs::read_to_string(&old).expect("old");
        let marked = after.contains("superseded by ADR-0002");
        assert_eq!(
            new_written, marked,
            "killed after {delay_ms} ms: 0002 written {new_written}, 0001 marked {marked}: {names:?}"
        );
        if !marked {
            assert_eq!(after, before, "killed after {delay_ms} ms");
        }
        assert!(
            !names.iter().any(|n| n.starts_with(".statecraft-")),
            "{names:?}"
        );
    }
}
