//! The simulation core in the browser (wasm32, headless Chromium via wasm-bindgen-test): the
//! same numbers as natively, through the kernels and the interpreter alike.
#![cfg(target_arch = "wasm32")]

use brainplay_sim::{library, parse_model, Setup, Simulation};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn hh_spike_counts(force_interpreter: bool) -> Vec<usize> {
    let model = library::get("hh").unwrap();
    let setup = Setup {
        n: 3,
        params: vec![("I".into(), vec![5.0, 10.0, 15.0])],
        force_interpreter,
        ..Setup::default()
    };
    let out = Simulation::run(&model, &setup, 100.0).unwrap();
    out.spike_times_ms.iter().map(Vec::len).collect()
}

/// BrainPy's reference (tests/data/hh_constant_input.json): 6, 7 and 8 spikes.
#[wasm_bindgen_test]
fn hh_spike_counts_match_brainpy() {
    assert_eq!(hh_spike_counts(false), [6, 7, 8]);
    assert_eq!(hh_spike_counts(true), [6, 7, 8]);
}

/// The built-in kernels and the interpreter agree bit for bit in wasm too.
#[wasm_bindgen_test]
fn kernels_match_the_interpreter() {
    for id in ["hh", "lif", "adex", "izhikevich"] {
        let model = library::get(id).unwrap();
        let run = |force_interpreter| {
            let setup = Setup {
                n: 4,
                params: vec![("I".into(), vec![2.0, 10.0, 30.0, 65.0])],
                record: vec![model.states[0].name.clone()],
                force_interpreter,
                ..Setup::default()
            };
            let mut sim = Simulation::new(&model, &setup).unwrap();
            assert_eq!(sim.uses_kernel(), !force_interpreter, "{id}");
            sim.advance(2000);
            sim.into_output()
        };
        let (kernel, interpreted) = (run(false), run(true));
        assert_eq!(kernel.spike_times_ms, interpreted.spike_times_ms, "{id}");
        assert_eq!(kernel.trace_bits(), interpreted.trace_bits(), "{id}");
    }
}

#[wasm_bindgen_test]
fn parse_errors_point_at_the_problem() {
    let err = parse_model("model x\nstate V = 0 mV \"V\" \"V\"\ndV/dt = -V +\n").unwrap_err();
    assert_eq!((err.line, err.column), (3, 13));
}

#[wasm_bindgen_test]
fn a_blow_up_stops_the_run_with_its_place() {
    let model =
        parse_model("model x\nstate x = 1 1 \"x\" \"x\"\ndx/dt = x*x\nmethod euler\n").unwrap();
    let out = Simulation::run(&model, &Setup::default(), 100.0).unwrap();
    let error = out.error.unwrap();
    assert_eq!((error.variable.as_str(), error.neuron), ("x", 0));
}
