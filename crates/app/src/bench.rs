//! In-page benchmark hooks for `cargo xtask bench` (called through trunk's `window.wasmBindings`;
//! each returns a promise). The measurements run in a compute worker, where the simulation core
//! lives: the page links none of it.

use std::cell::Cell;

use futures_channel::oneshot;
use leptos::prelude::*;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::compute::{Job, JobStatus, Outcome};

/// Median ms of five runs of one HH neuron for 1000 ms at dt 0.01 ms.
#[wasm_bindgen]
pub async fn bench_hh_ms() -> f64 {
    measure("bench_hh_ms").await
}

/// Median ms of five FitzHugh–Nagumo phase planes on a 100×100 grid.
#[wasm_bindgen]
pub async fn bench_phase_plane_ms() -> f64 {
    measure("bench_phase_plane_ms").await
}

/// Median ms of five FitzHugh–Nagumo bifurcation diagrams (200 values, 60 limit cycles).
#[wasm_bindgen]
pub async fn bench_bifurcation_ms() -> f64 {
    measure("bench_bifurcation_ms").await
}

/// Median ms of five runs of lesson 9's COBA network (4000 LIF) for 1 s of biological time.
#[wasm_bindgen]
pub async fn bench_coba_ms() -> f64 {
    measure("bench_coba_ms").await
}

/// Median ms of five runs of lesson 11's ring of 512 neurons for 1 s of biological time.
#[wasm_bindgen]
pub async fn bench_cann_ms() -> f64 {
    measure("bench_cann_ms").await
}

/// Median ms of five runs of lesson 10's decision network (2000 LIF) for 1 s of biological time.
#[wasm_bindgen]
pub async fn bench_decision_ms() -> f64 {
    measure("bench_decision_ms").await
}

/// Median ms of five runs of lesson 12's task 1 (an ESN of 100 units, 20 000 training steps).
#[wasm_bindgen]
pub async fn bench_esn_ms() -> f64 {
    measure("bench_esn_ms").await
}

/// Median ms of five training iterations of a rate RNN (128 units, 200 steps, 32 trials).
#[wasm_bindgen]
pub async fn bench_rnn_ms() -> f64 {
    measure("bench_rnn_ms").await
}

/// Median ms of five training iterations of the course's image SNN (784–100–10, 20 steps, 128
/// samples).
#[wasm_bindgen]
pub async fn bench_snn_ms() -> f64 {
    measure("bench_snn_ms").await
}

/// Median ms of five runs of a 1000-unit reservoir trained on 5000 steps.
#[wasm_bindgen]
pub async fn bench_esn_large_ms() -> f64 {
    measure("bench_esn_large_ms").await
}

/// Benchmark `name`'s median in a worker; NaN if it failed.
async fn measure(name: &str) -> f64 {
    let owner = Owner::new();
    let (send, receive) = oneshot::channel();
    let send = Cell::new(Some(send));
    owner.with(|| {
        let job = Job::new();
        job.bench(name);
        let status = job.status;
        Effect::new(move |_| {
            let ms = match status.get() {
                JobStatus::Done(outcome) => match outcome.as_ref() {
                    Outcome::Measured(ms) => *ms,
                    _ => f64::NAN,
                },
                JobStatus::Failed(_) | JobStatus::Cancelled => f64::NAN,
                JobStatus::Idle | JobStatus::Running { .. } => return,
            };
            if let Some(send) = send.take() {
                let _ = send.send(ms);
            }
        });
    });
    let ms = receive.await.unwrap_or(f64::NAN);
    drop(owner);
    ms
}
