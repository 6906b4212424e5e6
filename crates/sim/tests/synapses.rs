//! Synapses in circuits against BrainPy 2.4.6 reference runs (tests/data, see its README): the
//! course's single-synapse test bench (curriculum §8.1: spikes at 10, 30, 50 and 70 ms into one
//! synapse onto a LifRef neuron) for the exponential and kinetic synapses, and the
//! Tsodyks–Markram short-term plasticity runs of notebook 4-2 and its homework.
//!
//! Tolerances: traces within 1e-9 relative to max(1, |expected|) (the fixtures are rounded to 10
//! significant digits); postsynaptic spike steps identical.

mod common;
use brainplay_sim::circuit::{Circuit, CircuitOutput, CircuitSetup, Projection, Source};
use brainplay_sim::connect::Rule;
use brainplay_sim::{library, Setup};
use common::{fixture, floats};

/// `got` equals `want` within `tol` relative to max(1, |want|), sample by sample.
fn check_trace(what: &str, got: &[f64], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= tol * w.abs().max(1.0),
            "{what}[{i}]: got {g}, want {w}"
        );
    }
}

fn projection(synapse: &str, params: &[(&str, f64)], delay_steps: usize) -> Projection {
    Projection {
        params: params
            .iter()
            .map(|(n, v)| (n.to_string(), vec![*v]))
            .collect(),
        delay_steps,
        record: vec!["g".into()],
        ..Projection::new("syn", library::get(synapse).unwrap(), Rule::AllToAll)
    }
}

/// The Day-4 bench: one presynaptic spike train, `projection`, a LifRef neuron at -60 mV.
fn bench(projection: Projection, steps: usize) -> CircuitOutput {
    let setup = CircuitSetup {
        source: Source::Train {
            n: 1,
            spec: "spikes(times=[10, 30, 50, 70], weight=1)".parse().unwrap(),
        },
        projections: vec![projection],
        post: library::get("lif").unwrap(),
        post_setup: Setup {
            dt_ms: 0.1,
            params: [
                ("V_rest", -60.0),
                ("V_th", -50.0),
                ("V_reset", -60.0),
                ("tau", 20.0),
                ("tau_ref", 5.0),
                ("R", 1.0),
            ]
            .iter()
            .map(|(n, v)| (n.to_string(), vec![*v]))
            .collect(),
            init: vec![("V".into(), vec![-60.0])],
            record: vec!["V".into(), "I_syn".into()],
            ..Setup::default()
        },
    };
    let mut circuit = Circuit::new(&setup).unwrap();
    assert!(circuit.advance(steps));
    circuit.into_output()
}

/// One fixture case of the bench: g, I_syn and V traces and the postsynaptic spike steps.
fn check_bench(file: &str, case: &str, projection: Projection) {
    let fixture = fixture(file);
    let expected = &fixture["results"]["cases"][case];
    let steps = fixture["n_steps"].as_u64().unwrap() as usize;
    let out = bench(projection, steps);
    let label = format!("{file} {case}");
    check_trace(
        &format!("{label} g"),
        out.synapses[0].trace("g", 0).unwrap(),
        &floats(&expected["g"]),
        1e-9,
    );
    check_trace(
        &format!("{label} V"),
        out.post.trace("V", 0).unwrap(),
        &floats(&expected["V_mV"]),
        1e-9,
    );
    check_trace(
        &format!("{label} I_syn"),
        out.post.trace("I_syn", 0).unwrap(),
        &floats(&expected["I_syn"]),
        1e-9,
    );
    let steps: Vec<i64> = out.post.spike_times_ms[0]
        .iter()
        .map(|t| (t / 0.1).round() as i64)
        .collect();
    let want: Vec<i64> = floats(&expected["post_spike_steps"])
        .iter()
        .map(|s| *s as i64)
        .collect();
    assert_eq!(steps, want, "{label}: postsynaptic spike steps");
}

#[test]
fn exponential_synapses_on_the_bench() {
    let cases = [
        ("expon_COBA_E0", "expon", vec![("g_max", 1.0), ("E", 0.0)]),
        (
            "expon_COBA_E-80",
            "expon",
            vec![("g_max", 1.0), ("E", -80.0)],
        ),
        ("expon_CUBA_gmax5", "expon_cuba", vec![("g_max", 5.0)]),
        ("expon_CUBA_gmax-5", "expon_cuba", vec![("g_max", -5.0)]),
    ];
    for (case, synapse, params) in cases {
        let params: Vec<(&str, f64)> = params.into_iter().chain([("tau", 5.0)]).collect();
        check_bench("synapse_expon_bench", case, projection(synapse, &params, 0));
    }
}

#[test]
fn kinetic_synapses_on_the_bench() {
    let cases = [
        ("AMPA_COBA_E0", "ampa", vec![("E", 0.0)]),
        ("GABAa_COBA_E-80", "gaba_a", vec![("E", -80.0)]),
        ("NMDA_MgBlock_E0", "nmda", vec![("E", 0.0)]),
    ];
    for (case, synapse, params) in cases {
        check_bench(
            "synapse_kinetic_bench",
            case,
            projection(synapse, &params, 0),
        );
    }
}

/// Notebook 4-2's STP class: u, x, g per step; the synapse reacts one step after the
/// presynaptic spike and the neuron receives g two steps late (the class's delay).
fn check_stp(case: &str, source: Source, params: &[(&str, f64)], steps: usize) {
    let fixture = fixture("stp_tsodyks_markram");
    let expected = &fixture["results"][case];
    let stride = expected["trace_stride"].as_u64().unwrap() as usize;
    let mut projection = projection("stp", params, 1);
    projection.conductance_delay_steps = 2;
    projection.record = vec!["u".into(), "x".into(), "g".into()];
    let setup = CircuitSetup {
        source,
        projections: vec![projection],
        post: library::get("lif").unwrap(),
        post_setup: Setup {
            dt_ms: 0.1,
            params: vec![("tau_ref".into(), vec![0.0])],
            init: vec![("V".into(), vec![0.0])],
            record: vec!["V".into()],
            record_stride: stride,
            ..Setup::default()
        },
    };
    let mut circuit = Circuit::new(&setup).unwrap();
    assert!(circuit.advance(steps));
    let out = circuit.into_output();
    for (ours, key) in [("u", "u"), ("x", "x"), ("g", "g")] {
        check_trace(
            &format!("{case} {key}"),
            out.synapses[0].trace(ours, 0).unwrap(),
            &floats(&expected[key]),
            1e-9,
        );
    }
    check_trace(
        &format!("{case} post V"),
        out.post.trace("V", 0).unwrap(),
        &floats(&expected["post_V_mV"]),
        1e-9,
    );
    check_trace(
        &format!("{case} presynaptic spike times"),
        &out.source.spike_times_ms[0],
        &floats(&expected["pre_spike_times_ms"]),
        1e-9,
    );
}

#[test]
fn short_term_depression_and_facilitation() {
    let regular = || Source::Train {
        n: 1,
        spec: "spikes(times=[0, 100, 200, 300, 400], weight=1)"
            .parse()
            .unwrap(),
    };
    for (case, tau_d, tau_f) in [
        ("depression_tau_d500_tau_f10", 500.0, 10.0),
        ("facilitation_tau_d10_tau_f500", 10.0, 500.0),
    ] {
        let params = [("U", 0.15), ("tau_d", tau_d), ("tau_f", tau_f)];
        check_stp(case, regular(), &params, 5000);
    }
}

/// Homework Q1 (curriculum §8.6): the presynaptic LIF is driven by 35 for 200 ms, then 25.
#[test]
fn stp_homework_with_a_driven_presynaptic_neuron() {
    let source = Source::Neurons {
        model: Box::new(library::get("lif").unwrap()),
        setup: Box::new(Setup {
            params: vec![("tau_ref".into(), vec![0.0])],
            init: vec![("V".into(), vec![0.0])],
            input: Some(
                "sections(values=[35, 25], durations=[200, 100])"
                    .parse()
                    .unwrap(),
            ),
            ..Setup::default()
        }),
    };
    let params = [("U", 0.03), ("tau_d", 130.0), ("tau_f", 530.0)];
    check_stp("homework_Q1_LIFpre_35_then_25", source, &params, 3000);
}
