//! Property tests: no scenario within the limits panics or runs without end, and no queue request,
//! however wrong, does either.

use std::time::{Duration, Instant};

use proptest::prelude::*;
use statecraft::domain::sim::capacity::{self as queue, QueueParams};
use statecraft::domain::sim::dist::ServiceDist;
use statecraft::domain::sim::scenario::{ChaosEvent, Estimate, Population, Scenario};
use statecraft::domain::sim::traffic::Shape;
use statecraft::domain::sim::units::Millis;
use statecraft::domain::sim::{self, simulate};

use crate::sim_support::knowledge;

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        Just(Shape::Flat),
        Just(Shape::BusinessHours),
        Just(Shape::Spiky)
    ]
}

fn dist() -> impl Strategy<Value = ServiceDist> {
    prop_oneof![
        Just(ServiceDist::Exp),
        Just(ServiceDist::Det),
        Just(ServiceDist::Lognormal)
    ]
}

fn chaos(horizon: f64) -> impl Strategy<Value = ChaosEvent> {
    prop_oneof![
        (0.0..horizon, 0u32..6).prop_map(|(at_s, i)| ChaosEvent::KillServer {
            at_s,
            server: sim::day::server_name(i)
        }),
        (0.0..horizon, 0u32..3).prop_map(|(at_s, az)| ChaosEvent::LoseAz { at_s, az }),
    ]
}

prop_compose! {
    fn scenario()(
        stack in 0usize..12,
        peak in prop_oneof![Just(0.0), 0.01..10.0f64, 10.0..20_000.0f64],
        shape in shape(),
        request_ms in 0.5..2_000.0f64,
        request_dist in dist(),
        session_kb in 0.0..400.0f64,
        reads in 0.0..5.0f64,
        horizon in 600.0..(2.0 * 86_400.0f64),
        min in 1u32..4,
        extra in 0u32..30,
        target in 0.1..0.9f64,
        warmup in 0.0..600.0f64,
        users in prop::option::weighted(0.2, 1u32..200),
        seed in any::<u64>(),
        chaos in prop::collection::vec(chaos(600.0), 0..3),
        ranged in any::<bool>(),
    ) -> (usize, Scenario) {
        let mut s = Scenario::new("placeholder", peak);
        s.seed = seed;
        s.traffic.shape = shape;
        s.traffic.request_ms = if ranged {
            Estimate::Range { low: request_ms / 2.0, likely: request_ms, high: request_ms * 2.0 }
        } else {
            Estimate::Exact(request_ms)
        };
        s.traffic.request_dist = request_dist;
        s.traffic.session_kb = Estimate::Exact(session_kb);
        s.traffic.state_reads = reads;
        s.horizon_s = horizon;
        s.compute.min = min;
        s.compute.max = min + extra;
        s.compute.target_utilisation = target;
        s.compute.warmup_s = Some(warmup);
        s.sampling.requests = 1_000;
        s.sampling.timeline_step_s = 600.0;
        s.uncertainty.runs = 3;
        s.uncertainty.requests_per_run = 200;
        s.chaos = chaos;
        if let Some(users) = users {
            s.population = Some(Population { users, think_time_s: 20.0, cart_add_probability: 0.5, session_timeout_s: 300.0 });
            s.horizon_s = 1200.0;
        }
        (stack, s)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, .. ProptestConfig::default() })]

    #[test]
    fn no_scenario_within_the_limits_panics_or_hangs((stack, mut s) in scenario()) {
        let k = knowledge();
        let stack = &k.stacks[stack % k.stacks.len()];
        s.stack = Some(stack.id.clone());
        // a cache failover only where there is a cache
        if stack.topology.session == statecraft::domain::knowledge::SessionPlacement::SharedCache {
            s.chaos.push(ChaosEvent::CacheFailover { at_s: 300.0 });
        }
        let started = Instant::now();
        let r = simulate(&k, &s);
        prop_assert!(started.elapsed() < Duration::from_secs(30), "took {:?}", started.elapsed());
        let r = r.map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(r.cost.monthly_usd.0.is_finite() && r.cost.monthly_usd.0 >= 0.0);
        // a run that answered nothing has no latency and misses its target; any other has a real p99
        if r.latency.nothing_answered() {
            prop_assert!(!r.latency.meets_target && r.latency.missed_because.is_some());
        } else {
            prop_assert!(r.latency.p99_ms.0.is_finite() && r.latency.p99_ms.0 >= 0.0);
        }
        prop_assert!(r.timeline.iter().all(|p| p.rps.0.is_finite() && p.instances.is_finite()));
        prop_assert_eq!(r.cart_items_added, r.cart_items_held + r.cart_items_lost + r.cart_items_expired);
    }

    #[test]
    fn no_queue_request_panics_or_hangs(
        servers in prop_oneof![Just(0u32), 1u32..200, Just(u32::MAX)],
        rate in prop_oneof![Just(f64::NAN), Just(-1.0), Just(f64::INFINITY), 0.0..100_000.0f64],
        service in prop_oneof![Just(0.0), Just(f64::NAN), 0.001..100.0f64],
        dist in dist(),
        requests in prop_oneof![Just(0u64), 1u64..20_000],
        unstable in any::<bool>(),
    ) {
        let mut p = QueueParams::new(servers, rate, service);
        p.service_dist = dist;
        p.requests = requests;
        p.allow_unstable = unstable;
        let started = Instant::now();
        match queue::plan(&p) {
            Ok(r) => {
                prop_assert!(r.simulated.mean_response_ms.0.is_finite());
                if let Some(a) = r.analytic {
                    prop_assert!(a.p99_ms >= a.p50_ms);
                    prop_assert!(a.p50_ms > Millis(0.0));
                }
            }
            Err(e) => prop_assert!(!e.is_empty()),
        }
        prop_assert!(started.elapsed() < Duration::from_secs(10));
    }
}
