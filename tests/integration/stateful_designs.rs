//! Stateful designs differ by product: a live process that cannot be externalised stays on its
//! server, and rooms are placed on servers rather than spread by a load balancer.

use statecraft::domain::answers::Answers;
use statecraft::domain::knowledge::{AnswerValue, Knowledge, Severity, StackTier};
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

/// A game of rooms over UDP whose state is read in microseconds, run by a team of `ops` experience.
fn rooms_game_answers(ops: &str) -> Answers {
    let mut a = Answers::default();
    for (q, v) in [
        ("workload", choice("realtime-game")),
        ("client-protocols", choices(&["udp"])),
        ("realtime", AnswerValue::Bool(true)),
        ("connection-pattern", choice("rooms")),
        ("sub-ms-session", AnswerValue::Bool(true)),
        ("ops-experience", choice(ops)),
    ] {
        a.set(q, v);
    }
    a
}

fn rooms_game(ops: &str) -> Advice {
    let k = Knowledge::shipped().expect("the shipped knowledge is valid");
    Engine::new(&k).advise(&rooms_game_answers(ops))
}

fn tier_service(advice: &Advice, tier: StackTier) -> String {
    advice
        .stack
        .services
        .iter()
        .find(|s| s.tier == Some(tier))
        .map(|s| s.id.clone())
        .unwrap_or_else(|| panic!("no {tier:?} in {}", advice.stack.id))
}

#[test]
fn game_rooms_on_servers_the_team_runs_are_placed_by_a_matchmaker() {
    // a team that runs fleets well keeps its own servers, behind a load balancer that can carry
    // UDP, and the review asks for the matchmaker GameLift would otherwise be
    let advice = rooms_game("high");
    assert!(
        ["ec2", "eks"].contains(&tier_service(&advice, StackTier::Compute).as_str()),
        "{}",
        advice.stack.id
    );
    assert_eq!(tier_service(&advice, StackTier::Front), "nlb");
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

#[test]
fn a_small_team_s_rooms_game_runs_on_gamelift_with_players_connecting_to_their_server() {
    let advice = rooms_game("low");
    assert_eq!(
        tier_service(&advice, StackTier::Compute),
        "gamelift",
        "{}",
        advice.stack.id
    );
    // GameLift's managed instances are not a load balancer's targets: each player connects to
    // the address of the server its placement chose
    assert_eq!(
        tier_service(&advice, StackTier::Front),
        "gamelift-player-connection"
    );
    assert!(advice.stack.services.iter().all(|s| s.id != "nlb"));
    assert!(
        advice
            .stack
            .name
            .starts_with("Direct to the game session + GameLift")
    );
    // GameLift places the rooms itself: no matchmaker to build
    assert!(
        advice
            .review
            .iter()
            .all(|f| f.check != "rooms-need-placement")
    );
    let exposed = advice
        .review
        .iter()
        .find(|f| f.check == "game-server-addresses-exposed")
        .expect("the review notes that players hold the server's address");
    assert!(
        exposed
            .mitigation
            .as_deref()
            .is_some_and(|m| m.contains("player gateway")),
        "{:?}",
        exposed.mitigation
    );
    // the why of GameLift cites the rules about GameLift
    let gamelift = advice
        .stack
        .services
        .iter()
        .find(|s| s.id == "gamelift")
        .expect("gamelift");
    assert!(
        gamelift.why.contains("managed game-server fleets"),
        "{}",
        gamelift.why
    );
}

#[test]
fn a_gamelift_fleet_is_billed_at_a_stated_floor_and_without_the_team_s_vpc_lines() {
    use statecraft::domain::decision::{describe, likely_only};
    use statecraft::domain::sim::simulate;
    let k = Knowledge::shipped().expect("the shipped knowledge is valid");
    let answers = rooms_game_answers("low");
    let advice = rooms_game("low");
    let s = likely_only(&describe(&k, &advice.stack.id, &answers, 42).scenario);
    let r = simulate(&k, &s).expect("simulates");
    // the fleet's instance-hours are on the bill, at EC2's rate for the instance, said to be a floor
    let fleet = r
        .cost
        .by_service
        .iter()
        .find(|l| {
            l.note
                .as_deref()
                .is_some_and(|n| n.contains("GameLift fleet"))
        })
        .expect("a line for the GameLift fleet");
    assert!(
        fleet.quantity > 0.0 && fleet.monthly_usd.0 > 0.0,
        "{fleet:?}"
    );
    assert!(fleet.note.as_deref().is_some_and(|n| n.contains("a floor")));
    assert!(
        r.cost
            .assumptions
            .iter()
            .any(|a| a.contains("`gamelift` is billed at a floor")),
        "{:?}",
        r.cost.assumptions
    );
    // GameLift's fleet lives in GameLift's VPC: none of the team's NAT gateways, volumes or
    // addresses serve it
    for service in ["nat-gateway", "ebs", "public-ipv4"] {
        assert!(
            r.cost.by_service.iter().all(|l| l.service != service),
            "{service} billed for a GameLift fleet"
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
