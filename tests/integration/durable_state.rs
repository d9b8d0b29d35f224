//! State that must never be lost reaches a durable store. A whiteboard's documents, an exchange's
//! order book and a Minecraft world live in a server's memory and cannot be moved out of it, so the
//! stateful design journals every change to a durable store before acknowledging it (MemoryDB where
//! the state is read in microseconds, DynamoDB otherwise) and snapshots a persistent world to S3; the
//! Chaos Monkey test on such a stack restores the killed server's sessions instead of losing them.

use serde_json::Value;
use statecraft::domain::knowledge::{AnswerValue, Knowledge, StackTier};
use statecraft::domain::rules::Engine;
use statecraft::domain::sim::chaos::{self, ChaosChoice};
use statecraft::domain::sim::scenario::Estimate;
use statecraft::domain::sim::{SimReport, simulate};

use crate::sim_support::{assert_answer_in_order, knowledge, product_answers};
use crate::support::{fixtures, statecraft, stderr, stdout};

fn advise_product(name: &str) -> Value {
    let file = fixtures()
        .join("products")
        .join(format!("{name}.json"))
        .display()
        .to_string();
    let out = statecraft(&["advise", "--answers", &file, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("advise writes JSON")
}

fn in_tier<'a>(advice: &'a Value, tier: &str) -> Option<&'a str> {
    advice["stack"]["services"]
        .as_array()
        .expect("the stack's services")
        .iter()
        .find(|s| s["tier"] == tier)
        .and_then(|s| s["id"].as_str())
}

#[test]
fn products_that_cannot_lose_in_memory_state_journal_it_to_a_durable_store_and_meet_every_requirement()
 {
    for (product, journal, files) in [
        ("collab-whiteboard", "dynamodb", None),
        ("crypto-exchange", "memorydb", None),
        ("minecraft-host", "memorydb", Some("s3")),
    ] {
        let advice = advise_product(product);
        assert_eq!(advice["recommendation"], "stateful", "{product}");
        let id = advice["stack"]["id"].as_str().expect("a stack id");
        assert_eq!(
            advice["unmet"].as_array().map(Vec::len),
            Some(0),
            "{product}: {id} leaves {}",
            advice["unmet"]
        );
        let blockers: Vec<&Value> = advice["review"]
            .as_array()
            .expect("the review")
            .iter()
            .filter(|f| f["severity"] == "blocker")
            .collect();
        assert!(blockers.is_empty(), "{product}: {blockers:?}");
        // the live state stays in the server's memory, and each change reaches the journal first
        assert_eq!(in_tier(&advice, "session"), Some("server-memory"), "{id}");
        assert_eq!(in_tier(&advice, "journal"), Some(journal), "{id}");
        assert_eq!(in_tier(&advice, "files"), files, "{id}");
        let journalled = advice["requirements"]
            .as_array()
            .expect("the requirements")
            .iter()
            .find(|r| r["id"] == "memory-state-journalled")
            .expect("the journal is a requirement of the product");
        assert_eq!(journalled["met"], true, "{product}");
        assert!(
            advice["review"]
                .as_array()
                .expect("the review")
                .iter()
                .any(|f| f["check"] == "journal-write-before-acknowledging"),
            "{product}: the review says each change waits for the journal"
        );
    }
}

#[test]
fn a_latency_target_no_durable_write_fits_is_named_with_replication_in_memory_as_its_mitigation() {
    let finding = |product: &str| {
        advise_product(product)["review"]
            .as_array()
            .expect("the review")
            .iter()
            .find(|f| f["check"] == "journal-write-over-latency-target")
            .cloned()
    };
    // the exchange answers in 5 ms at the 99th percentile; a durable write takes up to 9 ms
    let risk = finding("crypto-exchange").expect("the exchange's target is under a journal write");
    assert_eq!(risk["severity"], "risk");
    assert!(
        risk["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("A p99 target of 5 ms is under 9 ms")),
        "{}",
        risk["text"]
    );
    assert!(
        risk["mitigation"]
            .as_str()
            .is_some_and(|m| m.contains("standby server in another zone holds it in memory")),
        "{}",
        risk["mitigation"]
    );
    // a Minecraft world's 50 ms fits one
    assert_eq!(finding("minecraft-host"), None);
}

#[test]
fn a_stateless_product_that_cannot_lose_sessions_is_not_asked_for_a_journal() {
    let k = Knowledge::shipped().expect("the shipped knowledge is valid");
    let mut shop = product_answers("web-app", 800.0, "steady");
    shop.set("keeps-sessions", AnswerValue::Bool(true));
    shop.set("session-loss", AnswerValue::Choice("unacceptable".into()));
    let advice = Engine::new(&k).advise(&shop);
    assert_ne!(
        advice.recommendation.to_string(),
        "stateful",
        "{}",
        advice.stack.id
    );
    assert_eq!(advice.stack.in_tier(StackTier::Journal), None);
    assert!(
        advice
            .requirements
            .iter()
            .all(|r| r.id != "memory-state-journalled"),
        "a journal for server memory says nothing about a stack that keeps no state there"
    );
}

#[test]
fn killing_a_server_of_a_journalled_stack_loses_no_acknowledged_state() {
    let k = knowledge();
    let advice = advise_product("minecraft-host");
    let journalled = advice["stack"]["id"]
        .as_str()
        .expect("a stack id")
        .to_string();
    let plain = "stateful+front=nlb+compute=eks+session=server-memory+database=rds-postgres";
    let outcomes = chaos::on_stacks(
        &k,
        &ChaosChoice::default(),
        &[journalled.clone(), plain.to_string()],
        42,
        &|_| None,
    )
    .expect("the chaos test runs");
    assert_eq!(outcomes.len(), 2);
    let (kept, lost) = (&outcomes[0], &outcomes[1]);
    assert_eq!(kept.stack_id, journalled);
    assert_eq!(kept.journal.as_deref(), Some("memorydb"));
    // 30 users over three servers: server B held a third of the sessions, and the journal had them
    assert_eq!(kept.sessions_lost, 0, "{}", kept.sentence("B"));
    assert_eq!(kept.carts_lost, 0);
    assert_eq!(kept.cart_items_lost, 0);
    assert_eq!(kept.sessions_restored, 10, "{}", kept.sentence("B"));
    assert!(
        kept.sentence("B")
            .contains("sessions in the servers' memory, journalled to memorydb"),
        "{}",
        kept.sentence("B")
    );
    // the same servers without the journal lose exactly those sessions
    assert_eq!(lost.stack_id, plain);
    assert_eq!(lost.sessions_lost, 10);
    assert_eq!(lost.sessions_restored, 0);
    // the kill's record says why nothing was lost
    let report = simulate(&k, &chaos::scenario_on(&journalled, "B", 42, None)).expect("runs");
    assert_eq!(report.sessions_lost, 0);
    assert!(
        report.chaos[0]
            .effect
            .contains("journalled before each change was acknowledged"),
        "{}",
        report.chaos[0].effect
    );
}

#[test]
fn the_journal_is_billed_per_state_change_and_each_change_waits_for_it() {
    let k = knowledge();
    let stack = |journal: &str| {
        format!(
            "stateful+front=nlb+compute=ec2+session=server-memory{journal}+database=rds-postgres"
        )
    };
    let run = |stack: &str| {
        let mut s = statecraft::domain::decision::likely_only(
            &statecraft::domain::decision::describe(
                &k,
                stack,
                &product_answers("realtime-game", 300.0, "steady"),
                42,
            )
            .scenario,
        );
        s.traffic.request_ms = Estimate::Exact(2.0);
        s.traffic.state_writes = 1.0;
        let r = simulate(&k, &s).expect("the scenario simulates");
        (r, s)
    };
    let (plain, _) = run(&stack(""));
    let (memorydb, s) = run(&stack("+journal=memorydb"));
    let (dynamodb, _) = run(&stack("+journal=dynamodb"));
    // every request writes once: MemoryDB's write (median 3 ms) and DynamoDB's (median 4 ms) are
    // on the request path; memory alone answers in microseconds
    let mean = |r: &SimReport| r.latency.mean_ms.0;
    assert!(
        mean(&plain) + 2.5 < mean(&memorydb),
        "{} vs {}",
        mean(&plain),
        mean(&memorydb)
    );
    assert!(
        mean(&memorydb) < mean(&dynamodb),
        "{} vs {}",
        mean(&memorydb),
        mean(&dynamodb)
    );
    let line = |r: &SimReport, price: &str| {
        r.cost
            .by_service
            .iter()
            .find(|l| l.price_id == price)
            .map(|l| (l.quantity, l.monthly_usd.0))
    };
    // MemoryDB bills the GB its log is written: one session-sized write a request, over the month
    let (gb, usd) = line(&memorydb, "memorydb-data-written").expect("the journal's writes");
    let month = s.billing.month_hours * 3600.0 / s.horizon_s;
    let expected =
        memorydb.requests_total as f64 * month * s.traffic.session_kb.likely() / (1024.0 * 1024.0);
    assert!(
        (gb - expected).abs() / expected < 0.01,
        "{gb} vs {expected}"
    );
    assert!((usd - gb * 0.2).abs() < 0.01, "{usd} for {gb} GB");
    assert!(line(&memorydb, "memorydb-r6g-large").is_some_and(|(hours, _)| hours >= 730.0));
    // DynamoDB bills a change's write units (a write unit per KB of the item); without a journal
    // there is no DynamoDB at all
    assert_eq!(line(&plain, "dynamodb-write-units"), None);
    let (units, _) = line(&dynamodb, "dynamodb-write-units").expect("the journal's write units");
    let per_change = s.traffic.session_kb.likely().ceil();
    let expected = dynamodb.requests_total as f64 * month * per_change;
    assert!(
        (units - expected).abs() / expected < 0.01,
        "{units} write units vs {expected}"
    );
}

#[test]
fn memorydb_reads_sit_between_elasticache_and_dynamodb_on_the_hot_path() {
    let k = knowledge();
    let stacks = [
        "hybrid+front=alb+compute=ec2+session=elasticache-redis+database=rds-postgres",
        "hybrid+front=alb+compute=ec2+session=memorydb+database=rds-postgres",
        "alb-ec2-dynamodb-sessions",
    ];
    let runs: Vec<(f64, f64)> = stacks
        .iter()
        .map(|stack| {
            // a product whose requests are session reads: 1 ms of CPU, one read, no write
            let mut s = statecraft::domain::decision::likely_only(
                &statecraft::domain::decision::describe(
                    &k,
                    stack,
                    &product_answers("web-app", 200.0, "steady"),
                    42,
                )
                .scenario,
            );
            s.traffic.request_ms = Estimate::Exact(1.0);
            s.traffic.state_reads = 1.0;
            s.traffic.state_writes = 0.0;
            s.traffic.db_queries = 0.0;
            s.traffic.db_writes = 0.0;
            let r = simulate(&k, &s).expect("the scenario simulates");
            assert_eq!(r.requests_failed, 0, "{stack}");
            (r.latency.mean_ms.0, r.latency.p99_ms.0)
        })
        .collect();
    assert_answer_in_order(&stacks, &runs);
}

#[test]
fn check_knowledge_refuses_a_memorydb_price_without_a_source() {
    let out = statecraft(&[
        "check-knowledge",
        "tests/fixtures/broken/memorydb-price-without-source",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: tests/fixtures/broken/memorydb-price-without-source/prices.json:2:5: at `prices[0]`: price `memorydb-r6g-large` has no `source`\n  fix: add \"source\": the AWS page it comes from\n"
    );
    // the shipped prices hold MemoryDB's with their source, and the regions without a figure
    // say so
    let k = Knowledge::shipped().expect("the shipped knowledge is valid");
    for id in ["memorydb-r6g-large", "memorydb-data-written"] {
        let p = k.price(id).expect("a shipped MemoryDB price");
        assert!(p.source.as_deref().is_some_and(|s| s.contains("memorydb")));
        assert_eq!(p.as_of.as_deref(), Some("2026-12"));
    }
}

#[test]
fn the_records_chaos_monkey_test_of_a_journalled_stack_expects_no_acknowledged_change_lost() {
    let k = Knowledge::shipped().expect("the shipped knowledge is valid");
    // the trading engine's order books stay in memory, journalled to MemoryDB
    let record = crate::export_support::madr("sub-ms-trading", &k);
    let experiment = record
        .data
        .confirmation
        .experiment
        .as_ref()
        .expect("a server to kill");
    assert!(
        experiment.expectation.starts_with(
            "No acknowledged change is lost: the killed server's users reach another server, which restores their sessions from the journal (memorydb)"
        ),
        "{}",
        experiment.expectation
    );
    let template: Value =
        serde_json::from_str(&experiment.template_json).expect("the template is JSON");
    assert!(
        template["description"]
            .as_str()
            .is_some_and(|d| d.ends_with("check that no user's session is lost")),
        "{}",
        template["description"]
    );
}

#[test]
fn a_persistent_worlds_snapshots_are_billed_in_its_bucket() {
    let k = knowledge();
    let advice = advise_product("minecraft-host");
    let stack = advice["stack"]["id"].as_str().expect("a stack id");
    assert!(stack.contains("files=s3"), "{stack}");
    let s = statecraft::domain::decision::likely_only(
        &statecraft::domain::decision::describe(
            &k,
            stack,
            &product_answers("realtime-game", 300.0, "steady"),
            42,
        )
        .scenario,
    );
    let r = simulate(&k, &s).expect("the scenario simulates");
    let line = r
        .cost
        .by_service
        .iter()
        .find(|l| l.service == "s3")
        .expect("the bucket is on the bill");
    // the state in memory at the peak, hourly snapshots kept for a day
    let world_gb = s.traffic.sessions * s.traffic.session_kb.likely() / (1024.0 * 1024.0);
    assert!(
        (line.quantity - world_gb * 24.0).abs() / (world_gb * 24.0) < 0.05,
        "{} GB-months for a world of {world_gb} GB",
        line.quantity
    );
    assert!(line.note.as_deref().unwrap_or("").contains("snapshots"));
}
