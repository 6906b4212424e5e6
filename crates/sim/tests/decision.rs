//! The reduced decision-making model (Wong & Wang 2006, curriculum §10.3) against BrainPy 2.4.6
//! (tests/data, `decision_rate_timecourse.json`: the course's rate notebook without its inert
//! noise, float64, μ0 = 20 Hz from 100 to 2100 ms, 2600 ms at dt 0.1 ms).
//!
//! Tolerances: s1, s2 within 1e-8 and r1, r2 within 1e-6 Hz at every stored sample (the
//! fixture keeps 10 significant digits of every 26th sample); the curriculum's own check is the
//! winner and s within 0.01 at the listed times.

use brainplay_sim::input::InputSpec;
use brainplay_sim::{library, Output, Setup, Simulation};
use serde_json::Value;

fn fixture() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/decision_rate_timecourse.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn run(coherence: f64) -> Output {
    let model = library::get("wong_wang").unwrap();
    let setup = Setup {
        dt_ms: 0.1,
        params: vec![("coh".into(), vec![coherence])],
        input: Some(
            InputSpec::parse("sections(values=[0, 20, 0], durations=[100, 2000, 500])").unwrap(),
        ),
        record: ["s1", "s2", "r1", "r2"].map(String::from).to_vec(),
        ..Setup::default()
    };
    Simulation::run(&model, &setup, 2600.0).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

#[test]
fn time_courses_match_brainpy() {
    let fixture = fixture();
    for (key, coherence, winner) in [("coherence=25.6", 25.6, "s1"), ("coherence=-1", -1.0, "s2")] {
        let want = &fixture["results"]["runs"][key];
        let out = run(coherence);
        assert_eq!(out.steps, 26000, "{key}");
        let stride = want["trace_stride"].as_u64().unwrap() as usize;
        for (name, fixture_name, tol) in [
            ("s1", "s1", 1e-8),
            ("s2", "s2", 1e-8),
            ("r1", "r1_hz", 1e-6),
            ("r2", "r2_hz", 1e-6),
        ] {
            let got = out.trace(name, 0).unwrap();
            for (k, w) in floats(&want[fixture_name]).iter().enumerate() {
                let g = got[k * stride];
                assert!(
                    (g - w).abs() <= tol,
                    "{key} {name} at sample {}: {g} against {w}",
                    k * stride
                );
            }
        }
        for (t, values) in want["values_at"].as_object().unwrap() {
            let step = values["step"].as_u64().unwrap() as usize;
            for name in ["s1", "s2"] {
                let (g, w) = (
                    out.trace(name, 0).unwrap()[step],
                    values[name].as_f64().unwrap(),
                );
                assert!(
                    (g - w).abs() <= 0.01,
                    "{key} {name} at {t}: {g} against {w}"
                );
            }
        }
        let last = |name| *out.trace(name, 0).unwrap().last().unwrap();
        let won = if last("s1") > last("s2") { "s1" } else { "s2" };
        assert_eq!(won, winner, "{key}");
    }
}
