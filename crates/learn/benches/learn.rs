//! Benchmarks of the learning core (run with `cargo xtask bench` or `cargo bench -p brainplay-learn`).
//!
//! - `esn/task1_20000`: lesson 12's task 1 as its page runs it: the Mackey–Glass series, a
//!   100-unit reservoir (its spectral radius from all eigenvalues), 20 000 training steps, one
//!   ridge solve and 4000 test steps (bar: 0.5 s in the browser).
//! - `esn/units1000_steps5000`: a 1000-unit reservoir (its spectral radius by Arnoldi), 5000
//!   training steps and one ridge solve (bar: 1 s in the browser).
//! - `rnn/bptt_128x200x32`: one training iteration of a 128-unit rate RNN on 32 trials of 200
//!   steps: forward, BPTT and an Adam step (bar: 100 ms in the browser).
//! - `snn/bptt_784x100x10`: one training iteration of the course's image SNN on 128 samples of 20
//!   steps (bar: 150 ms in the browser).

use criterion::{criterion_group, criterion_main, Criterion};

fn esn(c: &mut Criterion) {
    let mut group = c.benchmark_group("esn");
    group.sample_size(10);
    group.bench_function("task1_20000", |b| {
        b.iter(|| brainplay_learn::esn::course_task_once(0))
    });
    group.bench_function("units1000_steps5000", |b| {
        b.iter(|| brainplay_learn::esn::large_once(0))
    });
    group.finish();
}

fn rnn(c: &mut Criterion) {
    let mut group = c.benchmark_group("rnn");
    group.sample_size(10);
    let mut trainer = brainplay_learn::rate_rnn::bench_trainer();
    group.bench_function("bptt_128x200x32", |b| b.iter(|| trainer.step()));
    group.finish();
}

fn snn(c: &mut Criterion) {
    let mut group = c.benchmark_group("snn");
    group.sample_size(10);
    let (mut trainer, batch) = brainplay_learn::snn::bench_trainer();
    group.bench_function("bptt_784x100x10", |b| b.iter(|| trainer.step(&batch)));
    group.finish();
}

criterion_group!(benches, esn, rnn, snn);
criterion_main!(benches);
