//! The GPU against the CPU in the browser: WebGPU in headless Chromium on SwiftShader (`cargo
//! xtask test`'s wasm step gives the runner the flags, design.md §6), on lesson 9's network at a
//! quarter of its size, as `tests/network.rs` does natively: the rates of 100–300 ms within 10 %
//! of the CPU's (f32 against f64: equal statistics, not equal spike times).
#![cfg(target_arch = "wasm32")]

use brainplay_gpu::{Gpu, GpuNetwork};
use brainplay_sim::input::InputSpec;
use brainplay_sim::network::Network;
use brainplay_sim::networks::{coba_ei, Coba};
use brainplay_sim::stats;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mean_rate_hz(spikes: &[Vec<f64>]) -> f64 {
    let total: f64 = spikes
        .iter()
        .map(|s| stats::firing_rate_hz(s, 100.0, 300.0))
        .sum();
    total / spikes.len() as f64
}

#[wasm_bindgen_test]
async fn the_balanced_network_on_webgpu_fires_at_the_cpus_rates() {
    let gpu = Gpu::open().await.expect("SwiftShader's WebGPU adapter");
    let coba = Coba {
        scale: 0.25,
        ..Coba::default()
    };
    let setup = coba_ei(&coba, Some(InputSpec::parse("constant(20)").unwrap()), 5);
    let cpu = Network::run(&setup, 300.0).unwrap();
    let mut network = GpuNetwork::new(&gpu, &setup).expect("runs on WebGPU");
    let steps = network.steps_for(300.0);
    assert!(network.advance(steps).await, "{:?}", network.failure());
    let on_gpu = network.into_output();
    for g in 0..2 {
        let rc = mean_rate_hz(&cpu.groups[g].spike_times_ms);
        let ro = mean_rate_hz(&on_gpu.groups[g].spike_times_ms);
        assert!(rc > 5.0, "group {g}: the CPU network should fire ({rc} Hz)");
        assert!(
            (ro - rc).abs() <= 0.1 * rc,
            "group {g}: WebGPU {ro:.2} Hz, CPU {rc:.2} Hz"
        );
    }
}
