//! Engine speed: advise with stack composition on the shipped knowledge (target under 1 ms), on a
//! generated pack of 10,000 rules and 200 services (under 10 ms), and `check-knowledge` — load and
//! validate the shipped base (under 20 ms).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use statecraft::domain::answers::Answers;
use statecraft::domain::knowledge::{AnswerValue, Knowledge, QuestionKind};
use statecraft::domain::rules::Engine;
use statecraft::domain::wizard;

/// Every shown question answered: defaults where there are any, else the first option / the middle.
fn full_answers(k: &Knowledge) -> Answers {
    let mut answers = wizard::with_defaults(k, &Answers::default());
    for q in &k.questions {
        if answers.get(&q.id).is_none() {
            let v = match q.kind {
                QuestionKind::Bool => AnswerValue::Bool(true),
                QuestionKind::Number => {
                    AnswerValue::Number((q.min.unwrap_or(0.0) + q.max.unwrap_or(0.0)) / 2.0)
                }
                QuestionKind::Single => AnswerValue::Choice(q.options[0].id.clone()),
                QuestionKind::Multi => AnswerValue::Choices(vec![q.options[0].id.clone()]),
            };
            answers.set(q.id.clone(), v);
        }
    }
    answers
}

/// A pack of `n` rules over the shipped questions and `services` more services (copies of the
/// shipped ones under new ids, so every tier has many candidates), written to a temporary folder.
fn generated_pack(k: &Knowledge, n: usize, services: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut rules = Vec::with_capacity(n);
    let stacks: Vec<&str> = k.stacks.iter().map(|s| s.id.as_str()).collect();
    for i in 0..n {
        let q = &k.questions[i % k.questions.len()];
        let when = match q.kind {
            QuestionKind::Bool => serde_json::json!({"q": q.id, "eq": i % 2 == 0}),
            QuestionKind::Number => {
                let (min, max) = (q.min.unwrap_or(0.0), q.max.unwrap_or(1.0));
                let t = min + (max - min) * ((i * 37 % 100) as f64 / 100.0);
                serde_json::json!({"q": q.id, "gte": t.round()})
            }
            QuestionKind::Single => {
                serde_json::json!({"q": q.id, "eq": q.options[i % q.options.len()].id})
            }
            QuestionKind::Multi => {
                serde_json::json!({"q": q.id, "has": q.options[i % q.options.len()].id})
            }
        };
        let w = (i % 7) as i32 - 3;
        rules.push(serde_json::json!({
            "id": format!("gen-{i}"),
            "when": {"all": [when]},
            "scores": {"stateless": w, "stateful": (i % 5) as i32 - 2, "hybrid": (i % 3) as i32 - 1},
            "stacks": {stacks[i % stacks.len()]: 1},
            "services": {format!("gen-svc-{}", i % services.max(1)): 1},
            "rationale": "Generated for the benchmark.",
            "source": "bench-source"
        }));
    }
    let write = |name: &str, value: serde_json::Value| {
        std::fs::write(
            dir.path().join(name),
            serde_json::to_string(&value).expect("json"),
        )
        .expect("write");
    };
    write(
        "manifest.json",
        serde_json::json!({"name": "bench", "version": "1", "mode": "overlay"}),
    );
    write(
        "sources.json",
        serde_json::json!({"sources": [{"id": "bench-source", "title": "Benchmark", "kind": "aws", "url": "example.invalid"}]}),
    );
    write("rules.json", serde_json::json!({ "rules": rules }));
    let mut generated = Vec::with_capacity(services);
    // copies of the services that fill a tier (ECS only comes with Fargate)
    let fillers: Vec<_> = k
        .services
        .iter()
        .filter(|s| s.capabilities.as_ref().is_some_and(|c| !c.tiers.is_empty()))
        .collect();
    for i in 0..services {
        let base = fillers[i % fillers.len()];
        let mut svc = serde_json::to_value(base).expect("service json");
        svc["id"] = serde_json::json!(format!("gen-svc-{i}"));
        svc["source"] = serde_json::json!("bench-source");
        // a copy may not take the names (`rds`) of the service it copies
        if let Some(obj) = svc.as_object_mut() {
            obj.remove("aliases");
        }
        if let Some(caps) = svc.get_mut("capabilities") {
            caps["source"] = serde_json::json!("bench-source");
            caps["usage"] = serde_json::json!([]);
        }
        generated.push(svc);
    }
    write(
        "services.json",
        serde_json::json!({ "services": generated }),
    );
    dir
}

fn benches(c: &mut Criterion) {
    let shipped = Knowledge::shipped().expect("the shipped knowledge is valid");
    let answers = full_answers(&shipped);
    let engine = Engine::new(&shipped);
    c.bench_function("advise/shipped", |b| {
        b.iter(|| black_box(engine.advise(black_box(&answers))))
    });
    c.bench_function("advise/shipped-with-engine-build", |b| {
        b.iter(|| black_box(Engine::new(&shipped).advise(black_box(&answers))))
    });

    let pack = generated_pack(&shipped, 10_000, 200);
    let big = Knowledge::with_pack(pack.path()).expect("the generated pack is valid");
    assert!(big.rules.len() >= 10_000);
    assert!(big.services.len() >= 200);
    let big_engine = Engine::new(&big);
    c.bench_function("advise/10k-rules-200-services", |b| {
        b.iter(|| black_box(big_engine.advise(black_box(&answers))))
    });
    c.bench_function("evaluate-only/10k-rules", |b| {
        b.iter(|| black_box(big_engine.evaluate_only(black_box(&answers))))
    });

    c.bench_function("check-knowledge/shipped", |b| {
        b.iter(|| black_box(Knowledge::shipped().is_ok()))
    });
}

criterion_group!(engine, benches);
criterion_main!(engine);
