//! `statecraft queue`: Erlang C with exact quantiles beside a simulated run, and the errors it refuses.

use statecraft::domain::sim::capacity::{self as queue, QueueParams};
use statecraft::domain::sim::dist::ServiceDist;

use crate::sim_support::{bad_input, num, queue_json};

/// One row of erlang-c.md: c, rho, P(wait), Wq, W, p50, p95, p99 (mu = 1).
type ErlangRow = (u32, f64, f64, f64, f64, f64, f64, f64);

const TABLE: [ErlangRow; 8] = [
    (1, 0.5, 0.5000, 1.0000, 2.0000, 1.3863, 5.9915, 9.2103),
    (1, 0.9, 0.9000, 9.0000, 10.0000, 6.9315, 29.9573, 46.0517),
    (2, 0.8, 0.7111, 1.7778, 2.7778, 2.0400, 7.9107, 11.9374),
    (4, 0.7, 0.4287, 0.3572, 1.3572, 1.0285, 3.7525, 5.4926),
    (8, 0.9, 0.7015, 0.8769, 1.8769, 1.4894, 4.9251, 7.0873),
    (16, 0.85, 0.4332, 0.1805, 1.1805, 0.8926, 3.2629, 4.8745),
    (32, 0.9, 0.4582, 0.1432, 1.1432, 0.8558, 3.1848, 4.7944),
    (64, 0.95, 0.5880, 0.1838, 1.1838, 0.9005, 3.2324, 4.8420),
];

#[test]
fn the_analytic_side_matches_every_row_of_the_erlang_c_table() {
    for (c, rho, pw, wq, w, p50, p95, p99) in TABLE {
        // service 1 ms, so every time reads in units of the mean service time
        let rps = format!("{}", rho * f64::from(c) * 1000.0);
        let r = queue_json(&[
            "--servers",
            &c.to_string(),
            "--arrival-rps",
            &rps,
            "--service-ms",
            "1",
            "--requests",
            "1000",
        ]);
        let a = &r["analytic"];
        for (field, want) in [
            ("p_wait", pw),
            ("mean_wait_ms", wq),
            ("mean_response_ms", w),
            ("p50_ms", p50),
            ("p95_ms", p95),
            ("p99_ms", p99),
        ] {
            assert!(
                (num(a, field) - want).abs() < 6e-5,
                "c={c} rho={rho} {field}: {}",
                a[field]
            );
        }
    }
}

fn assert_close(what: &str, got: f64, want: f64, tolerance: f64) {
    let err = (got - want).abs() / want;
    assert!(
        err < tolerance,
        "{what}: {got} against {want} ({:.2}% off)",
        err * 100.0
    );
}

#[test]
fn the_simulated_m_m_8_at_rho_0_9_is_within_1_percent_on_the_mean_and_2_on_p99() {
    // the reference point at 10 million requests, as erlang-c.md asks (about 3 s in a debug
    // build); at 1–2 million the run-to-run spread at rho 0.9 is itself about 1% on the mean
    let r = queue_json(&[
        "--servers",
        "8",
        "--arrival-rps",
        "7200",
        "--service-ms",
        "1",
        "--requests",
        "10000000",
    ]);
    let s = &r["simulated"];
    assert_eq!(num(s, "requests"), 10_000_000.0);
    assert_close("mean", num(s, "mean_response_ms"), 1.8769, 0.01);
    assert_close("p99", num(s, "p99_ms"), 7.0873, 0.02);
    assert_close("p50", num(s, "p50_ms"), 1.4894, 0.02);
    assert_close("P(wait)", num(s, "p_wait"), 0.7015, 0.01);
    assert_close("utilisation", num(s, "utilisation"), 0.9, 0.01);
}

#[test]
fn the_other_rows_are_checked_too() {
    // the rows that settle within 1 million requests, to the same 1% and 2%; M/M/1 and M/M/8 at
    // rho 0.9 need about 10 million (above, and in `cargo bench --bench sim` for every row)
    for (c, rho, _, _, w, _, _, p99) in TABLE.iter().copied().filter(|r| !(r.1 == 0.9 && r.0 <= 8))
    {
        let mut p = QueueParams::new(c, rho * f64::from(c) * 1000.0, 1.0);
        p.requests = 1_000_000;
        let s = queue::simulate(&p);
        assert_close(
            &format!("c={c} rho={rho} mean"),
            s.mean_response_ms.0,
            w,
            0.01,
        );
        assert_close(&format!("c={c} rho={rho} p99"), s.p99_ms.0, p99, 0.02);
    }
}

#[test]
fn deterministic_and_lognormal_service_follow_pollaczek_khinchine() {
    // M/G/1: Wq = rho E[S^2] / (2 E[S] (1 - rho)); for det E[S^2] = 1, for lognormal cv 1 it is 2
    for (dist, es2) in [(ServiceDist::Det, 1.0), (ServiceDist::Lognormal, 2.0)] {
        let mut p = QueueParams::new(1, 700.0, 1.0);
        p.service_dist = dist;
        p.requests = 1_000_000;
        let s = queue::simulate(&p);
        let w = 1.0 + 0.7 * es2 / (2.0 * 0.3);
        assert_close(&format!("{dist:?} mean"), s.mean_response_ms.0, w, 0.02);
    }
}

#[test]
fn no_closed_form_for_deterministic_service_so_analytic_is_null() {
    let r = queue_json(&[
        "--servers",
        "2",
        "--arrival-rps",
        "100",
        "--service-ms",
        "10",
        "--service-dist",
        "det",
        "--requests",
        "20000",
    ]);
    assert!(r["analytic"].is_null());
    assert!(num(&r, "simulated.p99_ms") >= 10.0);
    assert_eq!(num(&r, "seed"), 42.0);
    assert!(r["elapsed_ms"].is_number());
}

#[test]
fn the_same_seed_gives_the_same_figures_and_another_seed_others() {
    let args = [
        "--servers",
        "4",
        "--arrival-rps",
        "2800",
        "--service-ms",
        "1",
        "--requests",
        "50000",
        "--seed",
        "7",
    ];
    let mut a = queue_json(&args);
    let mut b = queue_json(&args);
    a["elapsed_ms"] = 0.into();
    b["elapsed_ms"] = 0.into();
    assert_eq!(a, b);
    let c = queue_json(&[
        "--servers",
        "4",
        "--arrival-rps",
        "2800",
        "--service-ms",
        "1",
        "--requests",
        "50000",
        "--seed",
        "8",
    ]);
    assert_ne!(
        a["simulated"]["mean_response_ms"],
        c["simulated"]["mean_response_ms"]
    );
}

#[test]
fn an_unstable_tier_is_refused_with_the_servers_it_needs() {
    let err = bad_input(&[
        "queue",
        "--servers",
        "2",
        "--arrival-rps",
        "300",
        "--service-ms",
        "10",
    ]);
    assert!(err.contains("unstable: rho = 1.5 ≥ 1"), "{err}");
    assert!(err.contains("fix: use at least 4 servers"), "{err}");
    let err = bad_input(&[
        "queue",
        "--servers",
        "1",
        "--arrival-rps",
        "100",
        "--service-ms",
        "10",
    ]);
    assert!(err.contains("rho = 1 ≥ 1"), "{err}");
}

#[test]
fn an_unstable_tier_can_still_be_simulated_on_request_and_ends() {
    let r = queue_json(&[
        "--servers",
        "1",
        "--arrival-rps",
        "200",
        "--service-ms",
        "10",
        "--requests",
        "20000",
        "--allow-unstable",
    ]);
    assert!(r["analytic"].is_null());
    assert_eq!(r["stable"], false);
    // the queue grows all run long: the mean response is far beyond the service time
    assert!(num(&r, "simulated.mean_response_ms") > 1000.0);
}

#[test]
fn bad_numbers_are_refused_with_the_flag_named() {
    let cases: [(&[&str], &str); 6] = [
        (
            &["--servers", "0", "--arrival-rps", "10", "--service-ms", "1"],
            "`--servers`: 0 servers; expected 1 to 10000",
        ),
        (
            &["--servers", "2", "--arrival-rps", "-5", "--service-ms", "1"],
            "`--arrival-rps`: -5 requests/s",
        ),
        (
            &[
                "--servers",
                "2",
                "--arrival-rps",
                "NaN",
                "--service-ms",
                "1",
            ],
            "`--arrival-rps`: NaN requests/s",
        ),
        (
            &["--servers", "2", "--arrival-rps", "10", "--service-ms", "0"],
            "`--service-ms`: 0 ms",
        ),
        (
            &[
                "--servers",
                "2",
                "--arrival-rps",
                "10",
                "--service-ms",
                "inf",
            ],
            "`--service-ms`: inf ms",
        ),
        (
            &[
                "--servers",
                "2",
                "--arrival-rps",
                "10",
                "--service-ms",
                "1",
                "--requests",
                "1000000000",
            ],
            "`--requests`: 1000000000 requests; expected 1 to 20,000,000",
        ),
    ];
    for (args, want) in cases {
        let mut all = vec!["queue"];
        all.extend_from_slice(args);
        let err = bad_input(&all);
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(err.contains("\n  fix: "), "{err}");
    }
}
