//! The seeds' Chaos Monkey test: three servers behind a load balancer, users with carts, server B
//! killed. With sessions in the servers' memory the users on B lose their sessions and carts, exactly;
//! with sessions in a shared store nobody loses anything.

use statecraft::domain::sim::chaos::{ChaosMonkey, Mode, compare};
use statecraft::domain::sim::scenario::ChaosEvent;
use statecraft::domain::sim::simulate;

use crate::sim_support::{knowledge, num, scenario, simulate_json};

#[test]
fn stateful_killing_server_b_loses_exactly_the_sessions_and_carts_on_it() {
    let r = simulate_json("assets/scenarios/chaos-monkey-stateful.json");
    // 30 users pinned round robin over A, B, C: 10 on each; by 300 s each has filled a cart
    assert_eq!(num(&r, "sessions_lost"), 10.0);
    assert_eq!(num(&r, "carts_lost"), 10.0);
    assert_eq!(num(&r, "chaos.0.sessions_lost"), 10.0);
    assert_eq!(r["chaos"][0]["event"], "kill server B");
    // every item is accounted for: added = still in carts + lost with B + expired
    let added = num(&r, "cart_items_added");
    let held = num(&r, "cart_items_held");
    let lost = num(&r, "cart_items_lost");
    assert!(lost > 0.0);
    assert_eq!(added, held + lost + num(&r, "cart_items_expired"));
    // the timeline shows the loss in the interval of the kill (30 s steps: 300–330 s)
    let at_kill = r["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .find(|p| p["t_s"] == 300.0)
        .expect("a point at 300 s");
    assert_eq!(at_kill["sessions_lost"], 10);
}

#[test]
fn stateless_killing_server_b_loses_no_session_and_no_item() {
    let r = simulate_json("assets/scenarios/chaos-monkey-stateless.json");
    assert_eq!(num(&r, "sessions_lost"), 0.0);
    assert_eq!(num(&r, "carts_lost"), 0.0);
    assert_eq!(num(&r, "cart_items_lost"), 0.0);
    assert_eq!(num(&r, "cart_items_added"), num(&r, "cart_items_held"));
    // requests sent to B before its health check failed still fail: the data is safe, not those requests
    assert!(num(&r, "requests_failed") > 0.0);
    assert_eq!(
        num(&r, "requests_failed"),
        num(&r, "chaos.0.requests_failed")
    );
}

#[test]
fn the_two_modes_in_one_call() {
    let k = knowledge();
    let (stateful, stateless) = compare(&k, 60, "C", 200.0).expect("both simulate");
    assert_eq!(stateful.sessions_lost, 20);
    assert_eq!(stateless.sessions_lost, 0);
    assert_eq!(stateful.stack.id, "alb-sticky-ec2-memory");
    assert_eq!(stateless.stack.id, "alb-ec2-elasticache-rds");
}

#[test]
fn step_by_step_as_the_seed_demo_runs_it() {
    let mut demo = ChaosMonkey::new(Mode::Stateful, 3);
    let first = demo.send(7, true);
    let on = first.served_by.clone().expect("a server");
    assert!(first.new_session);
    demo.send(7, true);
    assert_eq!(demo.cart(7), 2);
    let kill = demo.kill(&on);
    assert_eq!(
        (kill.sessions_lost, kill.carts_lost, kill.items_lost),
        (1, 1, 2)
    );
    let after = demo.send(7, false);
    assert_ne!(after.served_by, Some(on));
    assert_eq!(after.cart_items, 0);

    let mut demo = ChaosMonkey::new(Mode::Stateless, 3);
    let on = demo.send(7, true).served_by.expect("a server");
    demo.send(7, true);
    assert_eq!(demo.kill(&on).sessions_lost, 0);
    assert_eq!(demo.send(7, false).cart_items, 2);
}

#[test]
fn losing_a_zone_loses_the_sticky_sessions_of_the_server_there() {
    let k = knowledge();
    let mut s = scenario(&k, "assets/scenarios/chaos-monkey-stateful.json");
    // three servers over three zones: A in zone 0, B in 1, C in 2
    s.chaos = vec![ChaosEvent::LoseAz { at_s: 300.0, az: 2 }];
    let r = simulate(&k, &s).expect("simulates");
    assert_eq!(r.sessions_lost, 10);
    assert!(
        r.chaos[0].effect.contains("servers C in zone 2 were lost"),
        "{}",
        r.chaos[0].effect
    );
}

#[test]
fn a_cache_failover_keeps_sessions_with_a_replica_and_loses_them_without() {
    let k = knowledge();
    let mut s = scenario(&k, "assets/scenarios/chaos-monkey-stateless.json");
    s.chaos = vec![ChaosEvent::CacheFailover { at_s: 300.0 }];
    let with_replica = simulate(&k, &s).expect("simulates");
    assert_eq!(with_replica.sessions_lost, 0);
    // requests needing the session fail while the replica is promoted
    assert!(with_replica.failures.store_unavailable > 0.0);
    s.stores.cache_replicas = 0;
    let without = simulate(&k, &s).expect("simulates");
    assert_eq!(without.sessions_lost, 30);
    assert_eq!(without.carts_lost, 30);
}

#[test]
fn killing_a_server_in_a_sampled_day_loses_its_share_of_sticky_sessions() {
    let k = knowledge();
    let mut s = scenario(&k, "assets/scenarios/eks-statefulsets.json");
    s.compute.autoscaling = false;
    s.compute.initial = Some(4);
    s.compute.min = 4;
    // 3,000 sessions spread evenly over four servers
    let r = simulate(&k, &s).expect("simulates");
    assert_eq!(r.chaos[0].sessions_lost, 750);
    assert_eq!(r.sessions_lost, 750);
    s.stack = Some("alb-fargate-jwt".into());
    let r = simulate(&k, &s).expect("simulates");
    assert_eq!(r.sessions_lost, 0);
}
