//! One definition of a usable knowledge pack: any pack that loading accepts (which is what
//! `check-knowledge` runs) can be advised, simulated and exported without a panic. Packs are
//! generated from the shipped knowledge by a seeded generator that removes items, empties lists,
//! switches between overlay and replace, and disables rules.

use std::path::{Path, PathBuf};

use statecraft_core::answers::Answers;
use statecraft_core::decision::record as build_record;
use statecraft_core::export::{Evidence, ExportOptions};
use statecraft_core::json_source::SourceText;
use statecraft_core::knowledge::{Knowledge, KnowledgeFile};
use statecraft_core::rules::Engine;
use statecraft_core::sim::{self, Scenario};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A small deterministic generator (xorshift64*), so each case can be replayed from its seed.
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
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn shipped(kind: KnowledgeFile) -> serde_json::Value {
    let text = std::fs::read_to_string(repo().join("knowledge").join(kind.file_name()))
        .expect("the shipped knowledge is readable");
    serde_json::from_str(&text).expect("the shipped knowledge is JSON")
}

/// Writes a generated pack into `dir`.
fn generate(g: &mut Gen, dir: &Path) {
    let replace = g.chance(50);
    let mut manifest = shipped(KnowledgeFile::Manifest);
    manifest["mode"] = if replace { "replace" } else { "overlay" }.into();
    if !replace && g.chance(30) {
        let rules = shipped(KnowledgeFile::Rules);
        let ids: Vec<serde_json::Value> = rules["rules"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|_| g.chance(20))
            .map(|r| r["id"].clone())
            .collect();
        manifest["disable_rules"] = ids.into();
    }
    std::fs::write(dir.join("manifest.json"), manifest.to_string()).expect("write manifest");
    for kind in KnowledgeFile::ALL.into_iter().skip(1) {
        // an overlay pack holds some of the files; a replace pack needs them all
        if !replace && g.chance(50) {
            continue;
        }
        let mut file = shipped(kind);
        let list = file[kind.key()].as_array_mut().expect("a list");
        match g.below(6) {
            0 => list.clear(),
            1 | 2 => {
                let keep = g.below(list.len() + 1);
                let mut kept = Vec::new();
                for item in list.drain(..) {
                    if kept.len() < keep && g.chance(60) {
                        kept.push(item);
                    }
                }
                *list = kept;
            }
            3 if !list.is_empty() => {
                let at = g.below(list.len());
                list.remove(at);
            }
            _ => {}
        }
        std::fs::write(dir.join(kind.file_name()), file.to_string()).expect("write file");
    }
}

fn scenarios(k: &Knowledge) -> Vec<Scenario> {
    ["default.json", "apigw-lambda-dynamodb.json"]
        .iter()
        .filter_map(|name| {
            let path = repo().join("assets/scenarios").join(name);
            let src = SourceText::read(&path, "scenario").ok()?;
            Scenario::parse(&src, k).ok()
        })
        .collect()
}

fn exercise(k: &Knowledge) {
    let engine = Engine::new(k);
    let empty = Answers::default();
    let _ = engine.advise(&empty);
    for q in &k.questions {
        if let Some(default) = &q.default {
            let _ = engine.advise(&empty.with(&q.id, default.clone()));
        }
    }
    let scenarios = scenarios(k);
    for s in &scenarios {
        let _ = sim::simulate(k, s);
    }
    let options = ExportOptions::default();
    let evidence = Evidence {
        scenarios: scenarios.into_iter().take(1).collect(),
        ..Evidence::default()
    };
    let _ = build_record(k, &empty, &evidence, &options);
}

#[test]
fn every_pack_that_loads_can_be_advised_simulated_and_exported() {
    let cases: u64 = std::env::var("STATECRAFT_PACK_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let mut accepted = 0;
    for seed in 1..=cases {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let mut g = Gen(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        generate(&mut g, dir.path());
        let Ok(k) = Knowledge::with_pack(dir.path()) else {
            continue;
        };
        accepted += 1;
        let run = std::panic::catch_unwind(|| exercise(&k));
        assert!(
            run.is_ok(),
            "seed {seed}: a pack that loads panicked in advise/simulate/export"
        );
    }
    eprintln!("{accepted} of {cases} generated packs loaded and were exercised");
    // the generator must also produce packs that pass, or the test proves nothing
    assert!(accepted > 0, "no generated pack was accepted");
}

#[test]
fn a_replace_pack_without_stacks_is_refused_with_its_place() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for kind in KnowledgeFile::ALL {
        let mut file = shipped(kind);
        match kind {
            KnowledgeFile::Manifest => file["mode"] = "replace".into(),
            KnowledgeFile::Stacks => file["stacks"] = serde_json::json!([]),
            KnowledgeFile::Rules => {
                let rules = file["rules"].as_array_mut().expect("rules");
                for r in rules.iter_mut() {
                    r.as_object_mut().expect("a rule").remove("stacks");
                }
                rules.retain(|r| {
                    r["scores"]
                        .as_object()
                        .is_some_and(|s| s.values().any(|v| v.as_i64() != Some(0)))
                });
            }
            _ => {}
        }
        std::fs::write(dir.path().join(kind.file_name()), file.to_string()).expect("write");
    }
    let problems = Knowledge::with_pack(dir.path()).expect_err("a pack without stacks");
    let text = problems.to_string();
    assert!(
        text.contains("stacks.json:1:2: at `stacks`: no stack is of the `stateless` archetype"),
        "{text}"
    );
}

/// A pack overlaying one edited item of `kind` (the shipped item with `id`), as its own folder.
fn overlay_with(kind: KnowledgeFile, id: &str, edit: impl Fn(&mut serde_json::Value)) -> Knowledge {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(
        dir.path().join("manifest.json"),
        r#"{"name": "team", "version": "1", "mode": "overlay"}"#,
    )
    .expect("write");
    let file = shipped(kind);
    let mut item = file[kind.key()]
        .as_array()
        .and_then(|l| l.iter().find(|i| i["id"] == id))
        .cloned()
        .expect("the shipped item");
    edit(&mut item);
    let pack = serde_json::json!({ kind.key(): [item] });
    std::fs::write(dir.path().join(kind.file_name()), pack.to_string()).expect("write");
    match Knowledge::with_pack(dir.path()) {
        Ok(k) => k,
        Err(problems) => panic!("{problems}"),
    }
}

fn refused(kind: KnowledgeFile, id: &str, edit: impl Fn(&mut serde_json::Value)) -> String {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        overlay_with(kind, id, edit);
    }))
    .expect_err("the pack is refused")
    .downcast_ref::<String>()
    .cloned()
    .unwrap_or_default()
}

#[test]
fn a_concurrency_limit_of_half_an_environment_is_refused() {
    let text = refused(KnowledgeFile::Figures, "lambda-concurrency-limit", |f| {
        f["value"] = 0.5.into()
    });
    assert!(
        text.contains("figure `lambda-concurrency-limit`'s `value` is 0.5 execution environments, outside 1..10,000,000 execution environments (the simulator reads it for Lambda's concurrency limit)"),
        "{text}"
    );
}

#[test]
fn a_latency_of_1e300_ms_is_refused() {
    let text = refused(KnowledgeFile::Figures, "dynamodb-getitem-latency", |f| {
        f["value"] = 1e300.into();
        f["high"] = 1e300.into();
    });
    assert!(
        text.contains(
            "figure `dynamodb-getitem-latency`'s `value` is 1e300 ms, outside 0.001..60,000 ms"
        ),
        "{text}"
    );
    assert!(
        text.contains("figure `dynamodb-getitem-latency`'s `high` is 1e300 ms"),
        "{text}"
    );
}

#[test]
fn a_price_of_1e308_is_refused() {
    let text = refused(KnowledgeFile::Prices, "lambda-requests", |p| {
        p["usd"] = 1e308.into()
    });
    assert!(
        text.contains(
            "price `lambda-requests` is 1e308 USD; a price is an amount from 0 to 1,000,000 USD"
        ),
        "{text}"
    );
}

#[test]
fn a_replace_pack_that_drops_a_figure_the_simulator_reads_is_refused() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for kind in KnowledgeFile::ALL {
        let mut file = shipped(kind);
        match kind {
            KnowledgeFile::Manifest => file["mode"] = "replace".into(),
            KnowledgeFile::Figures => file["figures"]
                .as_array_mut()
                .expect("figures")
                .retain(|f| f["id"] != "ec2-warmup"),
            _ => {}
        }
        std::fs::write(dir.path().join(kind.file_name()), file.to_string()).expect("write");
    }
    let text = Knowledge::with_pack(dir.path())
        .expect_err("a pack without ec2-warmup")
        .to_string();
    assert!(
        text.contains("at `figures`: there is no figure `ec2-warmup`; the simulator reads it for how long a new instance warms up"),
        "{text}"
    );
}

#[test]
fn a_pack_that_turns_peak_rps_into_a_choice_is_refused() {
    let text = refused(KnowledgeFile::Questions, "peak-rps", |q| {
        q["kind"] = "bool".into();
        let o = q.as_object_mut().expect("a question");
        for key in ["min", "max", "step", "unit", "default"] {
            o.remove(key);
        }
    });
    assert!(
        text.contains("question `peak-rps` is a yes/no question; it is read for the simulated scenario's peak traffic as a number question"),
        "{text}"
    );
}
