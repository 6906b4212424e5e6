//! The benchmarks `cargo xtask bench` takes in the browser (through the page's
//! `window.wasmBindings.bench_*`, which asks this worker): the core's speed where the site runs it.

use brainplay_analysis::{
    arrows, continue_fixed_points, envelopes, fixed_points_2d, nullclines, CycleSpec, PlaneSpec,
};
use brainplay_lessons::figures::FIXED_POINT_STARTS;
use brainplay_sim::{library, Setup, Simulation};
use wasm_bindgen::JsCast;

fn now_ms() -> f64 {
    js_sys::global()
        .dyn_into::<web_sys::WorkerGlobalScope>()
        .ok()
        .and_then(|scope| scope.performance())
        .map_or(0.0, |p| p.now())
}

/// The median wall time (ms) of benchmark `name`, if there is one by that name.
pub fn run(name: &str) -> Option<f64> {
    let work: fn() -> usize = match name {
        "bench_hh_ms" => hh,
        "bench_phase_plane_ms" => phase_plane,
        "bench_bifurcation_ms" => bifurcation,
        "bench_coba_ms" => coba,
        "bench_cann_ms" => cann,
        "bench_decision_ms" => decision,
        "bench_esn_ms" => esn,
        "bench_esn_large_ms" => esn_large,
        "bench_rnn_ms" => rnn,
        "bench_snn_ms" => snn,
        _ => return None,
    };
    Some(median_ms(work))
}

/// One HH neuron for 1000 ms at dt 0.01 ms (design.md §4).
fn hh() -> usize {
    let model = library::get("hh").expect("the library has hh");
    let setup = Setup {
        dt_ms: 0.01,
        params: vec![("I".into(), vec![10.0])],
        ..Setup::default()
    };
    let mut sim = Simulation::new(&model, &setup).expect("a valid setup");
    sim.advance(100_000);
    sim.output().spike_times_ms[0].len()
}

/// The FitzHugh–Nagumo phase plane on a 100×100 grid: nullclines, vector field and fixed points
/// from 10 000 Newton starts (design.md §4).
fn phase_plane() -> usize {
    let model = library::get("fhn").expect("the library has fhn");
    let plane = fhn_plane(vec![("I", 0.8)], 100);
    let lines = nullclines(&model, &plane).map_or(0, |n| n.x.len());
    let field = arrows(&model, &plane).map_or(0, |a| a.len());
    let points = fixed_points_2d(&model, &plane).map_or(0, |p| p.len());
    lines + field + points
}

/// The FitzHugh–Nagumo bifurcation diagram in I over [0, 2] as lesson 6's widget draws it: fixed
/// points continued over 200 values, plus its limit-cycle ranges, 60 values simulated for 700 ms
/// in one population run.
fn bifurcation() -> usize {
    let model = library::get("fhn").expect("the library has fhn");
    let plane = fhn_plane(vec![], FIXED_POINT_STARTS);
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
    let special =
        continue_fixed_points(&model, &plane, "I", 0.0, 2.0, 200).map_or(0, |d| d.special.len());
    special + envelopes(&model, &cycles).map_or(0, |e| e.len())
}

/// Lesson 9's COBA E/I network (3200 + 800 LIF, 2 % connections) for 1 s at dt 0.1 ms
/// (issue 9's bar).
fn coba() -> usize {
    let input = "constant(20)".parse().expect("a valid input");
    let setup =
        brainplay_sim::networks::coba_ei(&brainplay_sim::networks::Coba::default(), Some(input), 0);
    let out = brainplay_sim::network::Network::run(&setup, 1000.0).expect("a valid network");
    out.groups[0].spike_times_ms.iter().map(Vec::len).sum()
}

/// Lesson 11's ring of 512 rate neurons with a stimulus, 1 s at dt 0.1 ms (issue 9's bar).
fn cann() -> usize {
    use brainplay_sim::cann::{positions, stimulus, Cann, CannParams};
    let params = CannParams::default();
    let input = stimulus(&positions(params.n), 0.0, params.a, 10.0);
    let mut cann = Cann::new(params, 0.1).expect("a valid ring");
    for _ in 0..10_000 {
        cann.step(&input);
    }
    cann.u.iter().filter(|u| **u > 1.0).count()
}

/// Lesson 10's decision network (2000 LIF with Poisson background), 1 s of the course's trial at
/// c = 25.6 % (stimulus from 100 ms) at dt 0.1 ms (issue 9's bar).
fn decision() -> usize {
    use brainplay_sim::decision::{Decision, Pool, Trial};
    let trial = Trial::default();
    let mut network = Decision::new(&trial, &trial.connections(), 0.1, 0).expect("a valid network");
    network.advance(10_000);
    network.spike_times_ms(Pool::A).iter().map(Vec::len).sum()
}

/// Lesson 12's task 1 as its page runs it (issue 10's bar: 100 units, 20 000 training steps, one
/// solve): the series, the reservoir with its spectral radius, training and 4000 test steps.
fn esn() -> usize {
    brainplay_learn::esn::course_task_once(0)
}

/// One training iteration of a 128-unit rate RNN on 32 trials of 200 steps (issue 10's bar:
/// forward, BPTT and an Adam step).
fn rnn() -> usize {
    let mut trainer = brainplay_learn::rate_rnn::bench_trainer();
    trainer.step();
    trainer.iterations()
}

/// One training iteration of the course's image SNN (784–100–10, 20 steps, 128 samples; issue
/// 10's bar): forward, BPTT with the surrogate and an Adam step.
fn snn() -> usize {
    let (mut trainer, batch) = brainplay_learn::snn::bench_trainer();
    trainer.step(&batch);
    trainer.losses.len()
}

/// A 1000-unit reservoir (its spectral radius by Arnoldi), 5000 training steps and one ridge
/// solve (issue 10's bar).
fn esn_large() -> usize {
    brainplay_learn::esn::large_once(0).is_finite() as usize
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
fn median_ms(work: fn() -> usize) -> f64 {
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
