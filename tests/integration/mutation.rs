//! The mutation test: every shipped and fixture file (answers, records in every YAML tool's style,
//! scenarios, projects, knowledge files and region price packs, usage and offer files, templates),
//! mutated by a seeded generator (truncation, byte flips, type swaps, huge, tiny, negative and
//! non-finite numbers, deep nesting, duplicate keys, unicode, a BOM, YAML anchors, aliases, tags and
//! flow style), fed to every loader in-process: no panic, an error that says something, and bounded
//! time. What a loader accepts must be what its writer may use: a bill of finite dollars, an offer
//! whose pack the pack loader accepts, written only inside the folder named. A sample goes through
//! the real binary too: exit 0 or 2 with an `error:` line, never a panic.
//!
//! `cargo test` runs a short fixed-seed pass. The long run is
//! `STATECRAFT_MUTATIONS=200000 cargo test --release --test integration mutation -- --nocapture`
//! (it prints its case count; `STATECRAFT_MUTATION_SEED` picks another seed and
//! `STATECRAFT_MUTATION_ONLY=N` replays case N alone).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use statecraft::domain::answers::Answers;
use statecraft::domain::bill::{self, Usage};
use statecraft::domain::decision;
use statecraft::domain::export::{self, ExportOptions, Template};
use statecraft::domain::json_source::SourceText;
use statecraft::domain::knowledge::{Knowledge, KnowledgeFile};
use statecraft::domain::project::Project;
use statecraft::domain::sim::Scenario;

use crate::mutation_gen::{Gen, mutate};
use crate::support::{repo, statecraft, stderr};

/// What a file is, so it goes to the loader that reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Answers,
    Record,
    Scenario,
    Project,
    Knowledge(KnowledgeFile),
    /// A region's prices, `prices/<region>.json` in a pack.
    RegionPrices,
    /// A month of usage for `bill --usage`.
    Usage,
    /// An AWS Price List offer file for `prices import`.
    Offer,
    Template,
}

struct Seed {
    name: String,
    kind: Kind,
    bytes: Vec<u8>,
}

fn files_in(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.to_string_lossy().ends_with(ext))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Every shipped and fixture file the tool reads, by kind.
fn seeds() -> Vec<Seed> {
    let root = repo();
    let mut seeds = Vec::new();
    let mut add = |path: &Path, kind: Kind| {
        if let Ok(bytes) = std::fs::read(path) {
            seeds.push(Seed {
                name: path
                    .strip_prefix(&root)
                    .unwrap_or(path)
                    .display()
                    .to_string(),
                kind,
                bytes,
            });
        }
    };
    for dir in ["tests/fixtures/answers", "tests/fixtures/usecases"] {
        for p in files_in(&root.join(dir), ".json") {
            add(&p, Kind::Answers);
        }
    }
    for dir in [
        "assets/scenarios",
        "tests/fixtures/scenarios",
        "assets/examples",
    ] {
        for p in files_in(&root.join(dir), ".json") {
            add(&p, Kind::Scenario);
        }
    }
    for p in files_in(&root.join("tests/fixtures/bill"), ".json") {
        let scenario = p
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("scenario-"));
        add(
            &p,
            if scenario {
                Kind::Scenario
            } else {
                Kind::Usage
            },
        );
    }
    for p in files_in(&root.join("tests/fixtures/offers"), ".json") {
        add(&p, Kind::Offer);
    }
    for p in files_in(&root.join("knowledge/prices"), ".json") {
        add(&p, Kind::RegionPrices);
    }
    for dir in ["assets/examples", "tests/fixtures/records/yaml-styles"] {
        for p in files_in(&root.join(dir), ".md") {
            add(&p, Kind::Record);
        }
    }
    for p in files_in(&root.join("assets/templates"), ".j2") {
        add(&p, Kind::Template);
    }
    // the shipped knowledge, the team pack and the broken packs the knowledge tests use
    let mut packs = vec![root.join("knowledge")];
    for dir in ["tests/fixtures/packs", "tests/fixtures/broken"] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .map(|e| e.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        found.sort();
        packs.extend(found.into_iter().filter(|p| p.is_dir()));
    }
    for pack in &packs {
        for kind in KnowledgeFile::ALL {
            add(&pack.join(kind.file_name()), Kind::Knowledge(kind));
        }
    }
    // a project as the app saves it, empty and with saved scenarios ticked for the record
    let project = Project::default().to_json();
    seeds.push(Seed {
        name: "(a saved project)".into(),
        kind: Kind::Project,
        bytes: project.into_bytes(),
    });
    if let Ok(text) = std::fs::read_to_string(root.join("assets/scenarios/default.json"))
        && let Ok(scenario) = serde_json::from_str::<serde_json::Value>(&text)
    {
        let project = serde_json::json!({
            "kind": "statecraft-project", "schema_version": 1, "seed": 7,
            "answers": {"workload": "web-app", "peak-rps": 600},
            "working": scenario,
            "scenarios": [{"name": "launch", "scenario": scenario}, {"name": "quiet", "scenario": scenario}],
            "record": {"working": true, "scenarios": ["launch", "quiet"], "status": "accepted",
                       "supersedes": {"number": 1, "file": "0001-use-hybrid-stack.md"}}
        });
        seeds.push(Seed {
            name: "(a project with scenarios ticked for its record)".into(),
            kind: Kind::Project,
            bytes: serde_json::to_vec_pretty(&project).unwrap_or_default(),
        });
    }
    seeds
}

/// One record, built once, whose data every mutated template renders.
fn base_record(k: &Knowledge) -> &'static export::Record {
    static RECORD: std::sync::OnceLock<export::Record> = std::sync::OnceLock::new();
    RECORD.get_or_init(|| {
        decision::record(
            k,
            &Answers::default(),
            &export::Evidence::default(),
            &ExportOptions::default(),
        )
        .expect("the record for no answers")
    })
}

/// Feeds `bytes` to the loader for `kind`. A failure must say something.
fn load(kind: Kind, name: &str, bytes: Vec<u8>, k: &Knowledge) {
    let says_something = |text: String| {
        assert!(
            !text.trim().is_empty(),
            "{name}: an error without a message"
        );
    };
    let src = match SourceText::from_bytes(name.to_string(), bytes.clone(), "input") {
        Ok(src) => src,
        Err(d) => return says_something(d.to_string()),
    };
    match kind {
        Kind::Answers => {
            if let Err(e) = Answers::parse(&src, k) {
                says_something(e.to_string());
            }
        }
        Kind::Record => match export::import(&src, k) {
            Ok(_) => {}
            Err(e) => says_something(e.to_string()),
        },
        Kind::Scenario => {
            if let Err(e) = Scenario::parse(&src, k) {
                says_something(e.to_string());
            }
        }
        Kind::Project => match Project::parse(&src, k) {
            Err(e) => says_something(e.to_string()),
            Ok(project) => {
                // a project the loader accepts names the record it supersedes by a plain file name
                if let Some(old) = &project.record.supersedes {
                    assert!(
                        !old.file.contains('/') && !old.file.starts_with('.'),
                        "{name}: a project passed with `{}` as the record to supersede",
                        old.file
                    );
                }
            }
        },
        Kind::Knowledge(file) => {
            let dir = tempfile::tempdir().expect("temp dir");
            if file != KnowledgeFile::Manifest {
                std::fs::write(
                    dir.path().join("manifest.json"),
                    r#"{"name": "m", "version": "1", "mode": "overlay"}"#,
                )
                .expect("write");
            }
            std::fs::write(dir.path().join(file.file_name()), &bytes).expect("write");
            if let Err(e) = Knowledge::with_pack(dir.path()) {
                says_something(e.to_string());
            }
        }
        Kind::RegionPrices => {
            let dir = tempfile::tempdir().expect("temp dir");
            std::fs::write(
                dir.path().join("manifest.json"),
                r#"{"name": "m", "version": "1", "mode": "overlay"}"#,
            )
            .expect("write");
            std::fs::create_dir(dir.path().join("prices")).expect("mkdir");
            std::fs::write(dir.path().join("prices/eu-central-1.json"), &bytes).expect("write");
            if let Err(e) = Knowledge::with_pack(dir.path()) {
                says_something(e.to_string());
            }
        }
        Kind::Usage => match src.parse::<Usage>("a usage file") {
            Err(d) => says_something(d.to_string()),
            Ok(usage) => match bill::price(k, &usage) {
                Err(e) => says_something(e.message),
                // a bill the loader accepts is finite dollars, line by line and in all
                Ok(b) => {
                    assert!(
                        b.monthly_usd.is_finite(),
                        "{name}: a total of {}",
                        b.monthly_usd
                    );
                    for line in &b.lines {
                        assert!(
                            line.usd.is_finite() && line.quantity.is_finite(),
                            "{name}: {line:?}"
                        );
                    }
                }
            },
        },
        Kind::Offer => {
            // the whole import, as `prices import` runs it, into a pack folder of its own: what it
            // writes, the pack loader accepts, and nothing lands outside the folder
            let outside = tempfile::tempdir().expect("temp dir");
            let dir = outside.path().join("pack");
            let offer = outside.path().join("offer.json");
            std::fs::write(&offer, &bytes).expect("write");
            let mut said = Vec::new();
            match statecraft::cli::prices::run_import(
                &offer,
                None,
                Some(dir.clone()),
                false,
                None,
                &mut said,
            ) {
                Err(e) => says_something(e.to_string()),
                Ok(()) => {
                    if let Err(e) = Knowledge::with_pack(&dir) {
                        panic!("{name}: prices import wrote a pack its loader refuses: {e}");
                    }
                }
            }
            let mut names: Vec<String> = std::fs::read_dir(outside.path())
                .expect("read")
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .collect();
            names.sort();
            assert!(
                names == ["offer.json"] || names == ["offer.json", "pack"],
                "{name}: prices import wrote outside its folder: {names:?}"
            );
        }
        Kind::Template => {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("t.md.j2");
            std::fs::write(&path, &bytes).expect("write");
            match Template::read(&path) {
                Err(d) => says_something(d.to_string()),
                Ok(template) => {
                    if let Err(e) = template.render(&base_record(k).data, "0001-x") {
                        says_something(e.to_string());
                    }
                }
            }
        }
    }
}

fn cases() -> (u64, u64) {
    let cases = std::env::var("STATECRAFT_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let seed = std::env::var("STATECRAFT_MUTATION_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(14);
    (cases, seed)
}

#[test]
fn every_loader_survives_mutated_files_with_a_message_and_in_bounded_time() {
    let k = Knowledge::shipped().expect("the shipped knowledge");
    let seeds = seeds();
    assert!(seeds.len() > 60, "{} seed files", seeds.len());
    let kinds = [
        Kind::Answers,
        Kind::Record,
        Kind::Scenario,
        Kind::Project,
        Kind::Template,
        Kind::RegionPrices,
        Kind::Usage,
        Kind::Offer,
    ];
    for kind in kinds {
        assert!(seeds.iter().any(|s| s.kind == kind), "no seed of {kind:?}");
    }
    let (cases, seed) = cases();
    // `STATECRAFT_MUTATION_ONLY=N` replays case N alone (the generator still runs through the rest)
    let only: Option<u64> = std::env::var("STATECRAFT_MUTATION_ONLY")
        .ok()
        .and_then(|v| v.parse().ok());
    let mut g = Gen(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let started = Instant::now();
    let mut slowest = (Duration::ZERO, String::new());
    for case in 0..cases {
        let s = &seeds[g.below(seeds.len())];
        let mut bytes = mutate(&mut g, &s.bytes);
        if g.below(3) == 0 {
            bytes = mutate(&mut g, &bytes);
        }
        if only.is_some_and(|only| only != case) {
            continue;
        }
        let name = format!("{} (case {case}, seed {seed})", s.name);
        let one = Instant::now();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            load(s.kind, &name, bytes, &k)
        }));
        assert!(result.is_ok(), "{name}: a loader panicked");
        let took = one.elapsed();
        if took > slowest.0 {
            slowest = (took, name.clone());
        }
        // one file, however hostile, is read (or refused) within seconds
        assert!(took < Duration::from_secs(10), "{name} took {took:?}");
    }
    eprintln!(
        "mutation: {cases} cases over {} files in {:.1} s (slowest {:?}: {})",
        seeds.len(),
        started.elapsed().as_secs_f64(),
        slowest.0,
        slowest.1
    );
}

#[test]
fn a_sample_of_mutated_files_through_the_binary_exits_0_or_2_with_an_error_line() {
    let seeds = seeds();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut g = Gen(0x5eed_0014);
    let mut refused = 0;
    for case in 0..24 {
        let s = loop {
            let s = &seeds[g.below(seeds.len())];
            if matches!(s.kind, Kind::Answers | Kind::Scenario | Kind::Record) {
                break s;
            }
        };
        let bytes = mutate(&mut g, &s.bytes);
        let ext = if s.kind == Kind::Record { "md" } else { "json" };
        let path = dir.path().join(format!("case-{case}.{ext}"));
        std::fs::write(&path, &bytes).expect("write");
        let shown = path.display().to_string();
        let out = match s.kind {
            Kind::Scenario => statecraft(&["simulate", "--scenario", &shown, "--format", "json"]),
            _ => statecraft(&["advise", "--answers", &shown, "--format", "json"]),
        };
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{}: {err}", s.name);
        match out.status.code() {
            Some(0) => {}
            Some(2) => {
                refused += 1;
                assert!(err.starts_with("error: "), "{}: {err}", s.name);
                assert!(out.stdout.is_empty(), "{}", s.name);
            }
            other => panic!("{} case {case}: exit {other:?}: {err}", s.name),
        }
    }
    assert!(
        refused > 0,
        "no mutated file was refused: the sample proves nothing"
    );
}
