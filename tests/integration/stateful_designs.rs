//! Stateful designs differ by product: a live process that cannot be externalised stays on its
//! server, and rooms are placed on servers rather than spread by a load balancer.

use statecraft::domain::answers::Answers;
use statecraft::domain::knowledge::{AnswerValue, Knowledge, Severity};
use statecraft::domain::rules::{Advice, Engine};

fn advise(pairs: &[(&str, AnswerValue)]) -> Advice {
    let k = Knowledge::shipped().expect("the shipped knowledge is valid");
    let mut a = Answers::default();
    for (q, v) in pairs {
        a.set(*q, v.clone());
    }
    Engine::new(&k).advise(&a)
}

fn choice(s: &str) -> AnswerValue {
    AnswerValue::Choice(s.into())
}

fn choices(s: &[&str]) -> AnswerValue {
    AnswerValue::Choices(s.iter().map(|x| x.to_string()).collect())
}

#[test]
fn a_remote_shell_keeps_its_live_process_on_its_server() {
    let advice = advise(&[
        ("workload", choice("file-transfer")),
        ("client-protocols", choices(&["tcp"])),
        ("realtime", AnswerValue::Bool(true)),
        ("connection-pattern", choice("per-client-session")),
        ("connection-minutes", AnswerValue::Number(240.0)),
        ("keeps-sessions", AnswerValue::Bool(true)),
        ("session-loss", choice("annoying")),
    ]);
    let ids: Vec<&str> = advice
        .stack
        .services
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    assert!(ids.contains(&"server-memory"), "{}", advice.stack.id);
    assert!(
        !ids.iter().any(|s| s.starts_with("elasticache")),
        "a shell is not moved into a cache: {}",
        advice.stack.id
    );
    let note = advice
        .review
        .iter()
        .find(|f| f.check == "live-process-stays-on-its-server")
        .expect("the review says the process stays on its server");
    assert_eq!(note.severity, Severity::Note);
    assert!(
        note.text
            .contains("cannot be moved into a cache or a database")
    );
    // a web app's sessions are data, not a process: no such note
    let web = advise(&[
        ("workload", choice("web-app")),
        ("client-protocols", choices(&["http"])),
        ("keeps-sessions", AnswerValue::Bool(true)),
    ]);
    assert!(
        web.review
            .iter()
            .all(|f| f.check != "live-process-stays-on-its-server")
    );
}

#[test]
fn game_rooms_on_servers_the_team_runs_are_placed_by_a_matchmaker() {
    let advice = advise(&[
        ("workload", choice("realtime-game")),
        ("client-protocols", choices(&["udp"])),
        ("realtime", AnswerValue::Bool(true)),
        ("connection-pattern", choice("rooms")),
        ("sub-ms-session", AnswerValue::Bool(true)),
        ("ops-experience", choice("high")),
    ]);
    let compute = advice
        .stack
        .services
        .iter()
        .find(|s| s.tier == Some(statecraft::domain::knowledge::StackTier::Compute))
        .map(|s| s.id.clone())
        .expect("compute");
    if compute != "gamelift" {
        let f = advice
            .review
            .iter()
            .find(|f| f.check == "rooms-need-placement")
            .expect("rooms on self-run servers need placement");
        assert_eq!(f.severity, Severity::Risk);
        assert!(
            f.mitigation
                .as_deref()
                .is_some_and(|m| m.contains("matchmaker") && m.contains("GameLift")),
            "{:?}",
            f.mitigation
        );
    }
}

#[test]
fn regulated_sessions_never_go_to_a_cache_engine_the_regime_does_not_cover() {
    let k = Knowledge::shipped().expect("the shipped knowledge is valid");
    for regime in ["hipaa", "pci-dss"] {
        // a pinned hybrid stack would hold the sessions in a cache: the composer picks the
        // engine the regime covers, and the review blocks the other
        let mut a = Answers::default();
        for (q, v) in [
            ("workload", choice("web-app")),
            ("client-protocols", choices(&["http"])),
            ("keeps-sessions", AnswerValue::Bool(true)),
            ("compliance", choices(&[regime])),
        ] {
            a.set(q, v);
        }
        let advice = Engine::new(&k).advise(&a);
        assert!(
            advice
                .stack
                .services
                .iter()
                .all(|s| s.id != "elasticache-memcached"),
            "{regime}: {}",
            advice.stack.id
        );
        // AWS lists Memcached outside the regime's scope, and the review blocks it there
        let memcached = k.service("elasticache-memcached").expect("the engine");
        assert!(
            memcached
                .in_scope
                .as_ref()
                .is_some_and(|s| !s.iter().any(|p| p == regime))
        );
        let check = k
            .checks
            .iter()
            .find(|c| c.outside_scope.as_deref() == Some(regime))
            .expect("the check");
        assert_eq!(check.severity, Severity::Blocker);
    }
}
