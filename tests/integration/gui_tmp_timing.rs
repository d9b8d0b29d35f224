use statecraft::domain::knowledge::Knowledge;
use statecraft::domain::sim::explore::{self, SweepInput};
use statecraft::domain::sim::{self, Scenario};
use std::time::Instant;

#[test]
#[ignore]
fn timing() {
    let k = Knowledge::shipped().unwrap();
    let s = Scenario::new("alb-ec2-elasticache-rds", 600.0);
    for _ in 0..2 {
        let t = Instant::now();
        let r = sim::simulate(&k, &s).unwrap();
        println!("simulate {:?} walked {}", t.elapsed(), r.walked_requests);
    }
    let rps: Vec<f64> = (0..24).map(|i| 10f64.powf(i as f64 * 5.0 / 23.0)).collect();
    let t = Instant::now();
    for st in explore::default_candidates(&k) {
        explore::cost_curve(&k, &st, &s, &rps).unwrap();
    }
    println!(
        "cost curves ({} stacks x 24) {:?}",
        explore::default_candidates(&k).len(),
        t.elapsed()
    );
    let lr: Vec<f64> = (0..12).map(|i| 10f64.powf(i as f64 * 4.0 / 11.0)).collect();
    let t = Instant::now();
    explore::latency_curve(&k, "alb-ec2-elasticache-rds", &s, &lr).unwrap();
    println!("latency curve {:?}", t.elapsed());
    let t = Instant::now();
    let rr: Vec<f64> = (0..10).map(|i| 10f64.powf(i as f64 * 5.0 / 9.0)).collect();
    let yy: Vec<f64> = vec![1.0, 4.0, 16.0, 64.0, 256.0, 1024.0];
    let d = explore::decision_regions(
        &k,
        &s,
        &rr,
        SweepInput::SessionKb,
        &yy,
        &explore::default_candidates(&k),
    )
    .unwrap();
    println!("regions {:?} cells {}", t.elapsed(), d.cells.len());
    let q = sim::QueueParams::new(4, 100.0, 30.0);
    let t = Instant::now();
    sim::queue(&q).unwrap();
    println!("queue {:?}", t.elapsed());
}

#[test]
#[ignore]
fn tall_simulator() {
    let (mut h, _) = crate::gui_harness::app();
    h.set_size(egui::vec2(1280.0, 1900.0));
    h.state_mut().screen = statecraft::ui::Screen::Simulator;
    h.run_ok();
    crate::gui_harness::wait_until(&mut h, "map", |h| {
        h.state().simulator.regions.value.is_some()
    });
    crate::gui_harness::wait_until(&mut h, "idle", |h| {
        h.state().worker.as_ref().is_none_or(|w| !w.busy())
    });
    let img = h.render().unwrap();
    img.save("/tmp/scratch/tall_sim.png").unwrap();
}
