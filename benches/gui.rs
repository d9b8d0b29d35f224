//! GUI benchmarks in the headless harness (egui_kittest, no renderer):
//! - `frame/<screen>`: one frame of each screen once its plots are drawn (target: typically < 4 ms);
//! - `slider-to-plot`: from moving the simulator's peak-traffic slider to the new day's report being
//!   in the UI, through the worker thread (target: < 100 ms).
//!
//! `cargo bench --bench gui`

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use egui::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use statecraft::app::{Settings, StatecraftApp};
use statecraft::domain::knowledge::Knowledge;
use statecraft::ui::ScreenId;

fn app() -> Harness<'static, StatecraftApp> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 820.0))
        .with_max_steps(40)
        .build_eframe(|_cc| {
            let k = Knowledge::shipped()
                .map(Arc::new)
                .map_err(|e| e.to_string());
            StatecraftApp::from_parts(k, Settings::default())
        })
}

fn idle(h: &Harness<'static, StatecraftApp>) -> bool {
    h.state().worker.as_ref().is_none_or(|w| !w.busy())
}

/// Steps until `done` holds (the worker answering in the background), then lets egui settle.
fn wait(
    h: &mut Harness<'static, StatecraftApp>,
    done: impl Fn(&Harness<'static, StatecraftApp>) -> bool,
) {
    let start = Instant::now();
    while !done(h) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the worker never answered"
        );
        h.step();
        std::thread::sleep(Duration::from_micros(200));
    }
    h.run_ok();
}

/// A harness showing `screen` with everything on it computed.
fn screen(screen: ScreenId) -> Harness<'static, StatecraftApp> {
    let mut h = app();
    h.state_mut().screen = screen;
    h.run_ok();
    // the first frames start the worker's jobs; wait for them all
    for _ in 0..3 {
        wait(&mut h, idle);
    }
    h
}

fn frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame");
    for s in ScreenId::ALL {
        let mut h = screen(s);
        let name = s.title().to_lowercase().replace(' ', "-");
        group.bench_function(name, |b| b.iter(|| h.step()));
    }
    group.finish();
}

fn slider_to_plot(c: &mut Criterion) {
    let mut h = screen(ScreenId::Simulator);
    let mut high = false;
    c.bench_function("slider-to-plot", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                high = !high;
                let peak = if high { 700.0 } else { 500.0 };
                let revision = h.state().screens.simulator.revision;
                let start = Instant::now();
                h.get_by_role_and_label(Role::Slider, "Peak traffic")
                    .set_value_accesskit(peak);
                // a frame at a time, as the app runs, until the new day is in the UI
                loop {
                    h.step();
                    let s = &h.state().screens.simulator;
                    let replotted = s.revision > revision
                        && s.report.value.as_ref().is_some_and(|r| {
                            let top = r.timeline.iter().map(|p| p.rps.0).fold(0.0, f64::max);
                            (top - peak).abs() < peak * 0.05
                        });
                    if replotted {
                        break;
                    }
                    assert!(start.elapsed() < Duration::from_secs(60), "never replotted");
                    std::thread::sleep(Duration::from_micros(200));
                }
                total += start.elapsed();
                wait(&mut h, idle);
            }
            total
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(4));
    targets = frames, slider_to_plot
}
criterion_main!(benches);
