//! GUI benchmarks: one frame of each screen in the headless harness, and slider → new plot data.
use criterion::{Criterion, criterion_group, criterion_main};

fn frames(_c: &mut Criterion) {}

criterion_group!(benches, frames);
criterion_main!(benches);
