//! Benchmarks of the learning core (run with `cargo xtask bench` or `cargo bench -p brainplay-learn`).
//!
//! - `esn/task1_20000`: lesson 12's task 1 as its page runs it: the Mackey–Glass series, a
//!   100-unit reservoir (its spectral radius from all eigenvalues), 20 000 training steps, one
//!   ridge solve and 4000 test steps (bar: 0.5 s in the browser).

use criterion::{criterion_group, criterion_main, Criterion};

fn esn(c: &mut Criterion) {
    let mut group = c.benchmark_group("esn");
    group.sample_size(10);
    group.bench_function("task1_20000", |b| {
        b.iter(|| brainplay_learn::esn::course_task_once(0))
    });
    group.finish();
}

criterion_group!(benches, esn);
criterion_main!(benches);
