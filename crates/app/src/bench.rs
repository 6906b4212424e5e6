//! In-page benchmarks for `cargo xtask bench` (called through trunk's `window.wasmBindings`).

use brainplay_sim::{library, Setup, Simulation};
use wasm_bindgen::prelude::wasm_bindgen;

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Median wall time (ms) of five runs of one HH neuron for 1000 ms at dt 0.01 ms (design.md §4:
/// bar 20 ms in the browser).
#[wasm_bindgen]
pub fn bench_hh_ms() -> f64 {
    let model = library::get("hh").expect("the library has hh");
    let setup = Setup {
        dt_ms: 0.01,
        params: vec![("I".into(), vec![10.0])],
        ..Setup::default()
    };
    let mut times: Vec<f64> = (0..5)
        .map(|_| {
            let start = now_ms();
            let mut sim = Simulation::new(&model, &setup).expect("a valid setup");
            sim.advance(100_000);
            now_ms() - start
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[2]
}
