//! In-page benchmarks for `cargo xtask bench` (called through trunk's `window.wasmBindings`).

use brainplay_analysis::{
    arrows, continue_fixed_points, envelopes, fixed_points_2d, nullclines, CycleSpec, PlaneSpec,
};
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
    median_ms(|| {
        let mut sim = Simulation::new(&model, &setup).expect("a valid setup");
        sim.advance(100_000);
        sim.output().spike_times_ms[0].len()
    })
}

/// Median wall time (ms) of five FitzHugh–Nagumo phase planes on a 100×100 grid: nullclines,
/// vector field and fixed points from 10 000 Newton starts (design.md §4: bar 30 ms).
#[wasm_bindgen]
pub fn bench_phase_plane_ms() -> f64 {
    let model = library::get("fhn").expect("the library has fhn");
    let plane = fhn_plane(vec![("I", 0.8)], 100);
    median_ms(|| {
        let lines = nullclines(&model, &plane).map_or(0, |n| n.x.len());
        let field = arrows(&model, &plane).map_or(0, |a| a.len());
        let points = fixed_points_2d(&model, &plane).map_or(0, |p| p.len());
        lines + field + points
    })
}

/// Median wall time (ms) of five FitzHugh–Nagumo bifurcation diagrams in I over [0, 2], as lesson
/// 6's widget draws them: fixed points continued over 200 values (design.md §4: bar 300 ms), plus
/// its limit-cycle ranges, 60 values simulated for 700 ms in one population run.
#[wasm_bindgen]
pub fn bench_bifurcation_ms() -> f64 {
    let model = library::get("fhn").expect("the library has fhn");
    let plane = fhn_plane(vec![], brainplay_lessons::figures::FIXED_POINT_STARTS);
    let cycles = CycleSpec {
        x: "V",
        param: "I",
        values: (0..60).map(|k| 2.0 * k as f64 / 59.0).collect(),
        params: vec![],
        init: vec![("V", -2.0), ("w", -0.5)],
        settle_ms: 600.0,
        measure_ms: 100.0,
        dt_ms: 0.1,
    };
    median_ms(|| {
        let special = continue_fixed_points(&model, &plane, "I", 0.0, 2.0, 200)
            .map_or(0, |d| d.special.len());
        special + envelopes(&model, &cycles).map_or(0, |e| e.len())
    })
}

/// The course's FitzHugh–Nagumo plane, V and w in [-3, 3].
fn fhn_plane(params: Vec<(&'static str, f64)>, grid: usize) -> PlaneSpec<'static> {
    PlaneSpec {
        x: "V",
        y: "w",
        x_range: (-3.0, 3.0),
        y_range: (-3.0, 3.0),
        params,
        held: vec![],
        grid,
    }
}

/// The median of five timed runs of `work`.
fn median_ms(mut work: impl FnMut() -> usize) -> f64 {
    let mut times: Vec<f64> = (0..5)
        .map(|_| {
            let start = now_ms();
            std::hint::black_box(work());
            now_ms() - start
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[2]
}
