//! The mutation test: every shipped and fixture file (answers, records, scenarios, projects,
//! knowledge files and region price packs, usage and offer files, templates), mutated by a seeded generator (truncation, byte flips, type swaps,
//! huge, tiny, negative and non-finite numbers, deep nesting, duplicate keys, unicode, a BOM), fed to
//! every loader in-process: no panic, an error that says something, and bounded time. A sample goes
//! through the real binary too: exit 0 or 2 with an `error:` line, never a panic.
//!
//! `cargo test` runs a short fixed-seed pass. The long run is
//! `STATECRAFT_MUTATIONS=200000 cargo test --release --test integration mutation -- --nocapture`
//! (it prints its case count; `STATECRAFT_MUTATION_SEED` picks another seed and
//! `STATECRAFT_MUTATION_ONLY=N` replays case N alone).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use statecraft::domain::answers::Answers;
use statecraft::domain::bill::{self, Usage};
use statecraft::domain::export::{self, ExportOptions, Template};
use statecraft::domain::json_source::SourceText;
use statecraft::domain::knowledge::{Knowledge, KnowledgeFile};
use statecraft::domain::project::Project;
use statecraft::domain::sim::Scenario;

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
    for p in files_in(&root.join("assets/examples"), ".md") {
        add(&p, Kind::Record);
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
    // a project as the app saves it
    let project = Project::default().to_json();
    seeds.push(Seed {
        name: "(a saved project)".into(),
        kind: Kind::Project,
        bytes: project.into_bytes(),
    });
    seeds
}

/// xorshift64*: each case replays from its seed.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const NUMBERS: &[&str] = &[
    "1e308",
    "-1e308",
    "1e-300",
    "-0",
    "0",
    "-1",
    "1e999",
    "NaN",
    "Infinity",
    "-Infinity",
    "18446744073709551616",
    "0.5",
    "4294967296",
    "-2147483649",
    "1.7976931348623157e309",
];
const VALUES: &[&str] = &[
    "null",
    "true",
    "false",
    "\"\"",
    "[]",
    "{}",
    "\"x\"",
    "[[[[[[]]]]]]",
    "{\"a\":{\"b\":[]}}",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"é😀\u{202e}\"",
];

/// One mutation of `bytes`.
fn mutate(g: &mut Gen, bytes: &[u8]) -> Vec<u8> {
    let mut b = bytes.to_vec();
    let at = |g: &mut Gen, b: &[u8]| g.below(b.len() + 1);
    match g.below(12) {
        // truncation
        0 => {
            let cut = at(g, &b);
            b.truncate(cut);
        }
        // byte flips
        1 => {
            for _ in 0..=g.below(8) {
                if !b.is_empty() {
                    let i = g.below(b.len());
                    b[i] ^= 1 << g.below(8);
                }
            }
        }
        // a number replaced by a huge, tiny, negative or non-finite one
        2 | 3 => {
            let digits: Vec<usize> = (0..b.len()).filter(|&i| b[i].is_ascii_digit()).collect();
            if !digits.is_empty() {
                let start = *g.pick(&digits);
                let end = (start..b.len())
                    .find(|&i| !(b[i].is_ascii_digit() || b[i] == b'.'))
                    .unwrap_or(b.len());
                let n = g.pick(NUMBERS).as_bytes().to_vec();
                b.splice(start..end, n);
            }
        }
        // a value swapped for one of another type (after a colon)
        4 | 5 => {
            let colons: Vec<usize> = (0..b.len()).filter(|&i| b[i] == b':').collect();
            if !colons.is_empty() {
                let start = *g.pick(&colons) + 1;
                let end = (start..b.len())
                    .find(|&i| matches!(b[i], b',' | b'}' | b'\n'))
                    .unwrap_or(b.len());
                let v = format!(" {}", g.pick(VALUES)).into_bytes();
                b.splice(start..end, v);
            }
        }
        // deep nesting
        6 => {
            let depth = [10, 200, 5_000, 100_000][g.below(4)];
            let i = at(g, &b);
            let mut nested = "[".repeat(depth).into_bytes();
            nested.extend("]".repeat(depth * g.below(2)).into_bytes());
            b.splice(i..i, nested);
        }
        // a key given twice: a `"key": value,` copied right after itself
        7 => {
            let text = String::from_utf8_lossy(&b).into_owned();
            if let Some(start) = text
                .match_indices("\n  \"")
                .map(|(i, _)| i)
                .nth(g.below(20))
            {
                let end = text[start + 1..]
                    .find('\n')
                    .map_or(text.len(), |e| start + 1 + e);
                let line = text[start..end].to_string();
                let mut copy = line.clone();
                if !copy.trim_end().ends_with(',') {
                    copy.push(',');
                }
                b = format!("{}{copy}{}", &text[..start], &text[start..]).into_bytes();
            }
        }
        // unicode: bidi overrides, a surrogate escape, a zero-width space, invalid UTF-8
        8 => {
            let i = at(g, &b);
            let insert: &[u8] = match g.below(4) {
                0 => "\u{202e}\u{2066}".as_bytes(),
                1 => b"\\ud83d",
                2 => "\u{200b}é".as_bytes(),
                _ => &[0xff, 0xfe, 0xc3],
            };
            b.splice(i..i, insert.iter().copied());
        }
        // a byte-order mark
        9 => {
            b.splice(0..0, [0xef, 0xbb, 0xbf]);
        }
        // a long string or key
        10 => {
            let i = at(g, &b);
            let long = format!("\"{}\"", "x".repeat([100, 100_000, 1_000_000][g.below(3)]));
            b.splice(i..i, long.into_bytes());
        }
        // control characters
        _ => {
            let i = at(g, &b);
            b.splice(i..i, [0x1b, b'[', b'2', b'J', 0x07, 0x00]);
        }
    }
    b
}

/// One record, built once, whose data every mutated template renders.
fn base_record(k: &Knowledge) -> &'static export::Record {
    static RECORD: std::sync::OnceLock<export::Record> = std::sync::OnceLock::new();
    RECORD.get_or_init(|| {
        export::build_record(
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
        Kind::Project => {
            if let Err(e) = Project::parse(&src, k) {
                says_something(e.to_string());
            }
        }
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
            Ok(usage) => {
                if let Err(e) = bill::price(k, &usage) {
                    says_something(e.message);
                }
            }
        },
        Kind::Offer => {
            if let Err(e) = bill::offer::import(k, &src) {
                says_something(e.to_string());
            }
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
