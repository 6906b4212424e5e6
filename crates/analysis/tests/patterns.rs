//! The firing-pattern classifier names the six AdEx patterns of the course's homework
//! (curriculum §6.4), on BrainPy's spike trains and on our own simulations of them.

use brainplay_analysis::{classify, Pattern};
use brainplay_sim::{library, Setup, Simulation};
use serde_json::Value;

fn fixture() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/adex_six_patterns.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

const NAMES: [(&str, Pattern); 6] = [
    ("tonic", Pattern::Tonic),
    ("adapting", Pattern::Adapting),
    ("initial_burst", Pattern::InitialBurst),
    ("bursting", Pattern::Bursting),
    ("transient", Pattern::Transient),
    ("delayed", Pattern::Delayed),
];

#[test]
fn brainpy_spike_trains_are_named_as_the_course_names_them() {
    let f = fixture();
    for (name, pattern) in NAMES {
        let spikes: Vec<f64> = f["results"]["patterns"][name]["spike_times_ms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        assert_eq!(classify(&spikes, 500.0), pattern, "{name}");
    }
}

#[test]
fn our_simulations_of_the_six_parameter_sets_are_named_alike() {
    let f = fixture();
    let model = library::get("adex").unwrap();
    for (name, pattern) in NAMES {
        let p = &f["params"]["patterns"][name];
        let get = |k: &str| p[k].as_f64().unwrap();
        let setup = Setup {
            params: [
                ("V_rest", -70.0),
                ("V_th", -30.0),
                ("V_T", -50.0),
                ("delta_T", 2.0),
                ("R", 0.5),
                ("a", get("a")),
                ("b", get("b")),
                ("tau", get("tau_ms")),
                ("tau_w", get("tau_w_ms")),
                ("V_reset", get("V_reset_mV")),
                ("I", get("Iext")),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), vec![v]))
            .collect(),
            init: vec![
                ("V".into(), vec![get("V_reset_mV")]),
                ("w".into(), vec![0.0]),
            ],
            ..Setup::default()
        };
        let out = Simulation::run(&model, &setup, 500.0).unwrap();
        assert_eq!(classify(&out.spike_times_ms[0], 500.0), pattern, "{name}");
    }
}
