//! What happens when things go wrong: non-finite states stop the run with a precise report,
//! out-of-range parameters warn but are applied, bad setups are refused with clear messages,
//! and noise is reproducible from the seed.

use brainplay_sim::input::InputSpec;
use brainplay_sim::{library, parse_model, Method, Model, Output, Setup, SetupError, Simulation};

fn model(body: &str) -> Model {
    let text = format!("model t\n{body}");
    parse_model(&text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

// ---------------------------------------------------------------------------------------------
// Non-finite states

/// `dx/dt = x²` under forward Euler, dt 0.1, three neurons with x0 = 0.1, 0.2, 1.0: the exact
/// solutions blow up at t = 1/x0 = 10, 5, 1 ms, and the Euler iterates x ← x + dt·x² of neuron 2
/// overflow to +inf long before the others leave single digits.
#[test]
fn overflow_stops_the_run() {
    let m = model("state x = 1 1 \"x\" \"x\"\ndx/dt = x*x\n");
    let x0 = [0.1, 0.2, 1.0];
    let dt = 0.1;
    // The same iteration in plain f64, in the core's order of operations (f = x*x, x + dt*f).
    let mut replica = x0.to_vec();
    let mut history: Vec<Vec<f64>> = Vec::new();
    let fail_step = loop {
        let next: Vec<f64> = replica.iter().map(|x| x + dt * (x * x)).collect();
        if !next.iter().all(|v| v.is_finite()) {
            assert!(next[2].is_infinite() && next[0].is_finite() && next[1].is_finite());
            break history.len();
        }
        history.push(next.clone());
        replica = next;
    };
    let setup = Setup {
        n: 3,
        dt_ms: dt,
        method: Some(Method::Euler),
        init: vec![("x".into(), x0.to_vec())],
        record: vec!["x".into()],
        ..Setup::default()
    };
    let mut sim = Simulation::new(&m, &setup).unwrap();
    assert!(!sim.advance(1000), "the run must report the failure");
    assert_eq!(sim.steps_done(), fail_step);
    let check_output = |out: &Output| {
        let err = out.error.as_ref().expect("error recorded");
        assert_eq!(err.variable, "x");
        assert_eq!(err.neuron, 2);
        // The start of the failing step.
        assert_eq!(err.t_ms, fail_step as f64 * dt);
        assert_eq!(err.value, f64::INFINITY);
        let text = err.to_string();
        for part in [
            "`x`",
            "neuron 2",
            "inf",
            &format!("{}", fail_step as f64 * dt),
        ] {
            assert!(text.contains(part), "message {text:?} lacks {part:?}");
        }
        // The samples before the failure are kept: one per completed step, and equal to the
        // replica bit for bit.
        assert_eq!(out.t_ms.len(), fail_step);
        for k in 0..3 {
            let trace = out.trace("x", k).unwrap();
            assert_eq!(trace.len(), fail_step, "neuron {k}");
            for (s, (v, row)) in trace.iter().zip(&history).enumerate() {
                assert_eq!(v.to_bits(), row[k].to_bits(), "neuron {k} sample {s}");
            }
        }
    };
    check_output(sim.output());
    // Further advances do nothing.
    let before = sim.output().clone();
    assert!(!sim.advance(1));
    assert!(!sim.advance(50));
    assert_eq!(sim.steps_done(), fail_step);
    assert_eq!(sim.output(), &before);
    // The state is the last finite one.
    for (got, want) in sim.state(0).iter().zip(&history[fail_step - 1]) {
        assert_eq!(got.to_bits(), want.to_bits());
    }
    // Simulation::run reports the same.
    let out = Simulation::run(&m, &setup, 1000.0).unwrap();
    check_output(&out);
}

/// A NaN (log of a negative number) in a second state: x falls by 0.1 per step from 0.35, so
/// x < 0 at the start of step 4 and y = y + dt·log(x) becomes NaN in that step, for neuron 0
/// only (neurons 1 and 2 start at x = 10).
#[test]
fn nan_stops_the_run() {
    let m = model(
        "state x = 10 1 \"x\" \"x\"\nstate y = 0 1 \"y\" \"y\"\ndx/dt = -1\ndy/dt = log(x)\n",
    );
    let setup = Setup {
        n: 3,
        dt_ms: 0.1,
        method: Some(Method::Euler),
        init: vec![("x".into(), vec![0.35, 10.0, 10.0])],
        record: vec!["y".into(), "x".into()],
        ..Setup::default()
    };
    let mut sim = Simulation::new(&m, &setup).unwrap();
    assert!(!sim.advance(100));
    assert_eq!(sim.steps_done(), 4);
    let err = sim.output().error.clone().unwrap();
    assert_eq!((err.variable.as_str(), err.neuron), ("y", 0));
    assert_eq!(err.t_ms, 4.0 * 0.1);
    assert!(err.value.is_nan());
    assert!(err.to_string().contains("`y`"));
    let out = sim.output();
    assert_eq!(out.trace("y", 0).unwrap().len(), 4);
    assert_eq!(out.trace("x", 1).unwrap().len(), 4);
    assert!(out.trace("y", 0).unwrap().iter().all(|v| v.is_finite()));
}

// ---------------------------------------------------------------------------------------------
// Out-of-range parameters: a warning, not a clamp

#[test]
fn out_of_range_parameter_warns_and_is_applied() {
    let lif = library::get("lif_noref").unwrap();
    // I range is [-50, 600]; tau range [1, 100].
    let run = |params: Vec<(&str, Vec<f64>)>, n: usize| -> Output {
        let setup = Setup {
            n,
            params: params
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            record: vec!["V".into()],
            ..Setup::default()
        };
        Simulation::run(&lif, &setup, 10.0).unwrap()
    };
    // In range: no warning.
    assert!(run(vec![("I", vec![600.0])], 1).warnings.is_empty());

    // (parameter, values for 2 neurons, expected neuron index in the warning)
    let cases: Vec<(&str, Vec<f64>, usize)> = vec![
        ("I", vec![700.0, 700.0], 0),
        ("I", vec![10.0, -80.0], 1),
        ("tau", vec![0.5, 0.5], 0),
    ];
    for (name, values, neuron) in cases {
        let out = run(vec![(name, values.clone())], 2);
        assert_eq!(
            out.warnings.len(),
            1,
            "{name}={values:?}: {:?}",
            out.warnings
        );
        let w = &out.warnings[0];
        let bad = values[neuron];
        for part in [
            format!("`{name}`"),
            format!("{bad}"),
            format!("neuron {neuron}"),
        ] {
            assert!(w.en.contains(&part), "warning {w:?} lacks {part:?}");
        }
        // Applied as given: V after the first step is the exact exponential-Euler value for the
        // out-of-range value (V_inf = R I, from V_reset = -5; to 1e-12), and differs from the
        // run with the value clamped to the range.
        let (lo, hi) = match name {
            "I" => (-50.0, 600.0),
            _ => (1.0, 100.0),
        };
        let clamped = run(vec![(name, vec![bad.clamp(lo, hi)])], 1);
        let (i, tau) = match name {
            "I" => (bad, 10.0),
            _ => (0.0, bad),
        };
        let want = i + (-5.0 - i) * (-0.1 / tau).exp();
        let got = out.trace("V", neuron).unwrap()[0];
        assert!(
            (got - want).abs() <= 1e-12 * want.abs().max(1.0),
            "{name}={bad}: V {got}, want {want}"
        );
        assert_ne!(
            got,
            clamped.trace("V", 0).unwrap()[0],
            "{name}={bad} was clamped"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Setup errors

fn setup_error(model: &Model, setup: &Setup) -> String {
    match Simulation::new(model, setup) {
        Ok(_) => panic!("setup accepted: {setup:?}"),
        Err(SetupError(message)) => message.en,
    }
}

/// Each bad setup is refused, and its message contains every listed fragment.
fn check_refused(label: &str, model: &Model, setup: Setup, fragments: &[&str]) {
    let message = setup_error(model, &setup);
    for f in fragments {
        assert!(
            message.contains(f),
            "{label}: message {message:?} lacks {f:?}"
        );
    }
    // Simulation::run refuses it the same way.
    assert_eq!(
        Simulation::run(model, &setup, 10.0).err().map(|e| e.0.en),
        Some(message)
    );
}

#[test]
fn bad_setups_are_refused_with_clear_messages() {
    let lif = library::get("lif").unwrap();
    let base = || Setup {
        n: 3,
        ..Setup::default()
    };
    let param = |k: &str, v: Vec<f64>| vec![(k.to_string(), v)];
    let input = |s: &str| Some(InputSpec::parse(s).unwrap());

    // A NaN initial state computed from the model's own expressions: it starts as NaN, it did
    // not become NaN in the first step. (Typed non-finite values are refused earlier.)
    check_refused(
        "an initial value that is NaN",
        &model(
            "param a = -1 1 in [-10, 10] \"a\" \"a\"\nstate x = log(a) 1 \"x\" \"x\"\ndx/dt = -x\n",
        ),
        base(),
        &["`x` of neuron 0 starts as NaN"],
    );
    check_refused(
        "unknown parameter",
        &lif,
        Setup {
            params: param("tau_m", vec![10.0]),
            ..base()
        },
        &[
            "`tau_m`", "V_rest", "V_reset", "V_th", "R", "tau", "tau_ref", "I",
        ],
    );
    check_refused(
        "per-neuron parameter of the wrong length",
        &lif,
        Setup {
            params: param("I", vec![1.0, 2.0]),
            ..base()
        },
        &["`I`", "2 values", "3 neurons"],
    );
    check_refused(
        "non-finite parameter",
        &lif,
        Setup {
            params: param("I", vec![f64::NAN]),
            ..base()
        },
        &["`I`", "NaN"],
    );
    check_refused(
        "no neurons",
        &lif,
        Setup { n: 0, ..base() },
        &["at least one neuron"],
    );
    for dt in [0.0, -0.1, f64::NAN, f64::INFINITY] {
        check_refused(
            &format!("dt = {dt}"),
            &lif,
            Setup {
                dt_ms: dt,
                ..base()
            },
            &["dt", &format!("{dt}")],
        );
    }
    check_refused(
        "stride 0",
        &lif,
        Setup {
            record_stride: 0,
            ..base()
        },
        &["stride"],
    );
    check_refused(
        "unknown record name",
        &lif,
        Setup {
            record: vec!["V".into(), "g_Na".into()],
            ..base()
        },
        &["`g_Na`"],
    );
    check_refused(
        "unknown initial state",
        &lif,
        Setup {
            init: vec![("U".into(), vec![0.0])],
            ..base()
        },
        &["`U`", "V"],
    );
    check_refused(
        "initial state of the wrong length",
        &lif,
        Setup {
            init: vec![("V".into(), vec![0.0; 4])],
            ..base()
        },
        &["`V`", "4 values", "3 neurons"],
    );
    check_refused(
        "input list of the wrong length",
        &lif,
        Setup {
            input: input("constant([1, 2])"),
            ..base()
        },
        &["input"],
    );
    check_refused(
        "unstable OU input (dt >= 2 tau)",
        &lif,
        Setup {
            dt_ms: 1.0,
            input: input("ou(mean=1, sigma=1, tau=0.4)"),
            ..base()
        },
        &["input"],
    );
    check_refused(
        "input target is a state",
        &lif,
        Setup {
            input: input("V: constant(5)"),
            ..base()
        },
        &["`V`", "not a parameter"],
    );
    check_refused(
        "input target unknown",
        &lif,
        Setup {
            input: input("I_ext: constant(5)"),
            ..base()
        },
        &["`I_ext`", "not a parameter"],
    );
    let no_input =
        model("param k = 1 1 in [0, 2] \"k\" \"k\"\nstate x = 0 1 \"x\" \"x\"\ndx/dt = k - x\n");
    check_refused(
        "input on a model without an input parameter",
        &no_input,
        Setup {
            input: input("constant(1)"),
            ..base()
        },
        &["input"],
    );
    // With an explicit target, the same model accepts it.
    assert!(Simulation::new(
        &no_input,
        &Setup {
            input: input("k: constant(1)"),
            ..base()
        }
    )
    .is_ok());
}

#[test]
fn malformed_input_specs_do_not_parse() {
    // The text form is checked before any simulation: each error names the problem and where.
    for spec in [
        "sections(values=[1, 2], durations=[1])",
        "pulse(amp=1)",
        "constant(1) +",
        "ou(mean=1, sigma=-1, tau=10)",
        "ramp(from=0, to=1, start=10, end=5)",
    ] {
        let err = InputSpec::parse(spec)
            .err()
            .unwrap_or_else(|| panic!("{spec:?} parsed"));
        assert!(
            !err.message.en.is_empty() && !err.message.zh.is_empty(),
            "{spec:?}"
        );
        assert!(
            err.position <= spec.len(),
            "{spec:?}: position {}",
            err.position
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Seeds

#[test]
fn noise_is_reproducible_from_the_seed() {
    let lif = library::get("lif").unwrap();
    let run = |seed: u64| -> Output {
        let setup = Setup {
            n: 4,
            seed,
            input: Some(InputSpec::parse("ou(mean=22, sigma=5, tau=5)").unwrap()),
            record: vec!["V".into(), "I".into()],
            ..Setup::default()
        };
        Simulation::run(&lif, &setup, 300.0).unwrap()
    };
    let a = run(7);
    let b = run(7);
    let c = run(8);
    assert!(a.error.is_none() && c.error.is_none());
    assert!(
        a.trace_bits() == b.trace_bits(),
        "same seed, different traces"
    );
    assert_eq!(a.spike_times_ms, b.spike_times_ms);
    assert!(
        a.trace_bits() != c.trace_bits(),
        "different seeds, same traces"
    );
    // The noise really drives the neurons: the recorded input varies and differs per neuron.
    let i0 = a.trace("I", 0).unwrap();
    let i1 = a.trace("I", 1).unwrap();
    assert!(i0.iter().any(|&x| x != i0[0]));
    assert!(i0 != i1);
    assert_ne!(a.spike_times_ms, c.spike_times_ms);
}

// ---------------------------------------------------------------------------------------------
// Models that would exhaust the stack or memory are refused when parsed

/// Parses `text` and, if it parses, simulates it for a few steps, on a thread with the compute
/// worker's stack (1 MiB): the error, or `None` for a model that ran.
fn parse_and_run_in_a_small_stack(text: String) -> Option<String> {
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || match parse_model(&text) {
            Err(e) => Some(e.to_string()),
            Ok(model) => {
                let mut sim = Simulation::new(&model, &Setup::default()).unwrap();
                sim.advance(10);
                None
            }
        })
        .unwrap()
        .join()
        .expect("no stack overflow")
}

/// `lines` helpers, each reading the next, the last reading `a`.
fn chain(lines: usize, each: &str) -> String {
    let mut text =
        String::from("model t\nparam a = 1 1 in [0, 2] \"a\" \"a\"\nstate x = 0 1 \"x\" \"x\"\n");
    for i in 0..lines {
        let next = if i + 1 == lines {
            "a".to_string()
        } else {
            format!("h{}", i + 1)
        };
        text.push_str(&format!("h{i} = {}\n", each.replace("NEXT", &next)));
    }
    text.push_str("dx/dt = h0 - x\n");
    text
}

#[test]
fn deep_helper_chains_are_refused_before_they_overflow() {
    // 20 000 helpers of one step each, and 200 helpers of 1000-term products.
    let long = parse_and_run_in_a_small_stack(chain(20_000, "NEXT + 1")).expect("refused");
    assert!(long.contains("nests more than 1500 levels"), "{long}");
    let wide = format!("NEXT{}", " * 1.0001".repeat(999));
    let wide = parse_and_run_in_a_small_stack(chain(200, &wide)).expect("refused");
    assert!(wide.contains("nests more than"), "{wide}");
    // Just inside the limit, a model still runs on the small stack.
    assert_eq!(
        parse_and_run_in_a_small_stack(chain(1400, "NEXT + 1")),
        None
    );
}

#[test]
fn helpers_that_double_at_every_level_are_refused() {
    // a_k = a_{k-1} + a_{k-1}: 2^40 terms once written out (what composing a synapse did).
    let mut text =
        String::from("model t\nparam a0 = 1 1 in [0, 2] \"a\" \"a\"\nstate x = 0 1 \"x\" \"x\"\n");
    for k in 1..=40 {
        text.push_str(&format!("a{k} = a{} + a{}\n", k - 1, k - 1));
    }
    text.push_str("dx/dt = a40 - x\n");
    let error = parse_model(&text).expect_err("refused").to_string();
    assert!(
        error.contains("grows to more than 1000000 terms"),
        "{error}"
    );
}
