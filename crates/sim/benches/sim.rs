//! Benchmarks of the simulation core (run with `cargo xtask bench` or `cargo bench -p brainplay-sim`).
//!
//! - `hh_1000ms_dt0.01`: one HH neuron, 100 000 exponential-Euler steps (bar: 10 ms natively),
//!   with the built-in model's ahead-of-time kernel; `hh_1000ms_dt0.01_interpreted`: the same
//!   through the interpreter (what an edited model runs on).
//! - `lif_4000/model_language` vs `lif_4000/hand_written`: a 4000-neuron LIF population with
//!   refractoriness for 100 ms at dt 0.1 ms, through the model language and through a plain Rust
//!   loop of the same equations and update order (bar: within 1.5x); `lif_4000/interpreted`:
//!   the model language without the kernel.
//! - `network/coba_4000_1s`: lesson 9's COBA E/I network (3200 + 800 LIF, 320 000 synapses kept
//!   as 8000 post-aligned conductances) for 1 s of biological time at dt 0.1 ms (bar: 0.10 s in
//!   the browser; BrainPy 2.4.6 takes about 1 s on a 2-core machine).
//! - `cann/ring_512_1s`: lesson 11's ring of 512 rate neurons, 10 000 Euler steps with the
//!   recurrent input by FFT (bar: 0.05 s in the browser).
//! - `network/decision_2000_1s`: lesson 10's decision network (2000 LIF, Poisson background,
//!   all-to-all projections as population sums), the first second of the course's trial (bar:
//!   0.30 s in the browser).

use brainplay_sim::{library, Setup, Simulation};
use criterion::{criterion_group, criterion_main, Criterion};

const LIF_N: usize = 4000;
const LIF_STEPS: usize = 1000;
const DT_MS: f64 = 0.1;

fn lif_inputs() -> Vec<f64> {
    (0..LIF_N)
        .map(|k| 15.0 + 20.0 * k as f64 / LIF_N as f64)
        .collect()
}

fn hh(c: &mut Criterion) {
    let model = library::get("hh").unwrap();
    for (id, force_interpreter) in [
        ("hh_1000ms_dt0.01", false),
        ("hh_1000ms_dt0.01_interpreted", true),
    ] {
        let setup = Setup {
            dt_ms: 0.01,
            params: vec![("I".into(), vec![10.0])],
            force_interpreter,
            ..Setup::default()
        };
        c.bench_function(id, |b| {
            b.iter(|| {
                let mut sim = Simulation::new(&model, &setup).unwrap();
                sim.advance(100_000);
                sim.output().spike_times_ms[0].len()
            })
        });
    }
}

/// The baseline: the LIF of `models/lif.model` written by hand, same arithmetic and order.
fn lif_hand_written(inputs: &[f64]) -> usize {
    let (v_rest, v_reset, v_th, r, tau, tau_ref) = (0.0, -5.0, 20.0, 1.0, 10.0, 5.0);
    let gain = DT_MS * brainplay_sim::exprel(-DT_MS / tau);
    let mut v = vec![v_reset; inputs.len()];
    let mut t_last = vec![-1e7; inputs.len()];
    let mut spikes = 0;
    for step in 0..LIF_STEPS {
        let t = step as f64 * DT_MS;
        for ((v, t_last), &i) in v.iter_mut().zip(&mut t_last).zip(inputs) {
            let new = *v + gain * ((-(*v - v_rest) + r * i) / tau);
            if t - *t_last > tau_ref {
                *v = new;
            }
            if *v >= v_th {
                *v = v_reset;
                *t_last = t;
                spikes += 1;
            }
        }
    }
    spikes
}

fn lif(c: &mut Criterion) {
    let model = library::get("lif").unwrap();
    let inputs = lif_inputs();
    let setup = Setup {
        n: LIF_N,
        dt_ms: DT_MS,
        params: vec![("I".into(), inputs.clone())],
        ..Setup::default()
    };
    let mut group = c.benchmark_group("lif_4000");
    group.bench_function("model_language", |b| {
        b.iter(|| {
            let mut sim = Simulation::new(&model, &setup).unwrap();
            sim.advance(LIF_STEPS);
            sim.output()
                .spike_times_ms
                .iter()
                .map(Vec::len)
                .sum::<usize>()
        })
    });
    group.bench_function("hand_written", |b| b.iter(|| lif_hand_written(&inputs)));
    group.finish();
}

fn coba(c: &mut Criterion) {
    let setup = brainplay_sim::networks::coba_ei(
        &brainplay_sim::networks::Coba::default(),
        Some("constant(20)".parse().unwrap()),
        0,
    );
    let mut group = c.benchmark_group("network");
    group.sample_size(10);
    group.bench_function("coba_4000_1s", |b| {
        b.iter(|| {
            let out = brainplay_sim::network::Network::run(&setup, 1000.0).unwrap();
            out.groups[0].spike_times_ms.len()
        })
    });
    group.finish();
}

fn cann(c: &mut Criterion) {
    use brainplay_sim::cann::{positions, stimulus, Cann, CannParams};
    let params = CannParams::default();
    let input = stimulus(&positions(params.n), 0.0, params.a, 10.0);
    c.bench_function("cann/ring_512_1s", |b| {
        b.iter(|| {
            let mut cann = Cann::new(params, 0.1).unwrap();
            for _ in 0..10_000 {
                cann.step(&input);
            }
            cann.u[256]
        })
    });
}

fn decision(c: &mut Criterion) {
    use brainplay_sim::decision::{Decision, Pool, Trial};
    let trial = Trial::default();
    let mut group = c.benchmark_group("network");
    group.sample_size(10);
    group.bench_function("decision_2000_1s", |b| {
        b.iter(|| {
            let mut network = Decision::new(&trial, &trial.connections(), 0.1, 0).unwrap();
            network.advance(10_000);
            network.spike_times_ms(Pool::A).len()
        })
    });
    group.finish();
}

criterion_group!(benches, hh, lif, coba, cann, decision);
criterion_main!(benches);
