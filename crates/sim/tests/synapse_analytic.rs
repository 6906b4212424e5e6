//! Synapse models against closed forms and the course's printed checks (curriculum lessons 7
//! and 8): the dual-exponential and alpha peaks, the Tsodyks–Markram steady state, the NMDA
//! magnesium block, and how phenomenological and kinetic synapses respond to high rates.

use brainplay_sim::circuit::{Circuit, CircuitOutput, CircuitSetup, Projection, Source};
use brainplay_sim::connect::Rule;
use brainplay_sim::{library, Setup};

const DT_MS: f64 = 0.1;

/// One presynaptic train (`spec`) into one `synapse` onto a LIF neuron set up by `post`,
/// recording `record` of the synapse, for `ms`.
fn run_onto(
    post: Setup,
    synapse: &str,
    params: &[(&str, f64)],
    spec: &str,
    ms: f64,
    record: &[&str],
) -> CircuitOutput {
    let setup = CircuitSetup {
        source: Source::Train {
            n: 1,
            spec: spec.parse().unwrap(),
        },
        projections: vec![Projection {
            params: params
                .iter()
                .map(|(n, v)| (n.to_string(), vec![*v]))
                .collect(),
            record: record.iter().map(|r| r.to_string()).collect(),
            ..Projection::new("syn", library::get(synapse).unwrap(), Rule::AllToAll)
        }],
        post: library::get("lif").unwrap(),
        post_setup: Setup {
            dt_ms: DT_MS,
            ..post
        },
    };
    let mut circuit = Circuit::new(&setup).unwrap();
    let steps = circuit.steps_for(ms);
    assert!(circuit.advance(steps));
    circuit.into_output()
}

/// `run_onto` the library's LIF at its defaults.
fn run(
    synapse: &str,
    params: &[(&str, f64)],
    spec: &str,
    ms: f64,
    record: &[&str],
) -> CircuitOutput {
    let post = Setup {
        seed: 11,
        record: vec!["I_syn".into()],
        ..Setup::default()
    };
    run_onto(post, synapse, params, spec, ms, record)
}

/// (time after the spike in ms, value) of the trace's maximum; the spike is at t = 0 and the
/// sample at index i is the state after step i.
fn peak(trace: &[f64]) -> (f64, f64) {
    let (i, v) =
        trace.iter().enumerate().fold(
            (0, f64::MIN),
            |best, (i, &v)| if v > best.1 { (i, v) } else { best },
        );
    ((i + 1) as f64 * DT_MS, v)
}

/// A single spike: the peak's time and height against `(t*, g*)`, within one step and the
/// relative tolerance `rel`. Exponential Euler holds h through each step (BrainPy's scheme,
/// which these models follow), which overestimates its integral by about dt / (2 tau_rise): 5 %
/// for a 1 ms rise at dt = 0.1 ms, 1 % for the alpha synapse's 5 ms.
fn check_peak(synapse: &str, params: &[(&str, f64)], want: (f64, f64), rel: f64) {
    let out = run(synapse, params, "spikes(times=[0], weight=1)", 30.0, &["g"]);
    let (t, g) = peak(out.synapses[0].trace("g", 0).unwrap());
    // Within a step, rounding allowed.
    assert!(
        (t - want.0).abs() <= 1.01 * DT_MS,
        "{synapse}: peak at {t} ms, want {}",
        want.0
    );
    assert!(
        (g - want.1).abs() <= rel * want.1,
        "{synapse}: peak {g}, want {}",
        want.1
    );
}

#[test]
fn single_spike_peaks() {
    // Dual exponential, tau_decay 5, tau_rise 1 (curriculum §8.2): not normalised,
    // t* = ln(5) 5/4 = 2.012 ms, g* = 5/4 (e^(-t*/5) - e^(-t*)) = 0.6687.
    let (td, tr) = (5.0_f64, 1.0_f64);
    let t_star = (td / tr).ln() * td * tr / (td - tr);
    let g_star = td * tr / (td - tr) * ((-t_star / td).exp() - (-t_star / tr).exp());
    check_peak(
        "dual_expon",
        &[("tau_decay", td), ("tau_rise", tr)],
        (t_star, g_star),
        0.06,
    );
    // Alpha, tau 5: (t / tau) e^(-t / tau) peaks at t = tau with 1/e.
    check_peak("alpha", &[("tau", 5.0)], (5.0, (-1.0_f64).exp()), 0.015);
    // Dual exponential with tau_rise = tau_decay = 5 (lesson 7): t e^(-t / tau), tau times the
    // alpha function, peaks at t = tau with tau / e.
    check_peak(
        "dual_expon",
        &[("tau_decay", 5.0), ("tau_rise", 5.0)],
        (5.0, 5.0 * (-1.0_f64).exp()),
        0.015,
    );
}

/// A regular train of interval T: u just after and x just before the last of 300 spikes against
/// the steady state. The course's closed forms (curriculum lesson 7) are for jumps at the spike's
/// moment: u+ = U / (1 - (1 - U) e^(-T/tau_f)), x- = (1 - e^(-T/tau_d)) / (1 - (1 - u+)
/// e^(-T/tau_d)). The class's jumps use u and x at the start of the spike's step, so the exact
/// steady state of the simulation has e^(-(T - dt)/tau) in the jump term:
/// u+ = U / (1 - e^(-T/tau_f) + U e^(-(T-dt)/tau_f)), x- = (1 - e^(-T/tau_d)) /
/// (1 - e^(-T/tau_d) + u+ e^(-(T-dt)/tau_d)). Checked: the exact forms within 1e-9, the
/// course's within 1e-3 relative (they differ by O(dt / tau)).
fn check_stp_steady_state(u_inc: f64, tau_f: f64, tau_d: f64, interval_ms: f64) {
    let spikes = 300;
    let times: Vec<String> = (0..spikes)
        .map(|k| format!("{}", k as f64 * interval_ms))
        .collect();
    let spec = format!("spikes(times=[{}], weight=1)", times.join(", "));
    let params = [("U", u_inc), ("tau_f", tau_f), ("tau_d", tau_d)];
    let ms = spikes as f64 * interval_ms;
    let out = run("stp", &params, &spec, ms, &["u", "x"]);
    let u = out.synapses[0].trace("u", 0).unwrap();
    let x = out.synapses[0].trace("x", 0).unwrap();
    // The last spike's step is s: u after its jump is sample s, x at its start sample s - 1.
    let s = ((spikes - 1) as f64 * interval_ms / DT_MS).round() as usize;
    let (u_plus, x_minus) = (u[s], x[s - 1]);

    let (t, dt) = (interval_ms, DT_MS);
    let (e_f, e_f_late) = ((-t / tau_f).exp(), (-(t - dt) / tau_f).exp());
    let (e_d, e_d_late) = ((-t / tau_d).exp(), (-(t - dt) / tau_d).exp());
    let exact_u = u_inc / (1.0 - e_f + u_inc * e_f_late);
    let exact_x = (1.0 - e_d) / (1.0 - e_d + exact_u * e_d_late);
    let course_u = u_inc / (1.0 - (1.0 - u_inc) * e_f);
    let course_x = (1.0 - e_d) / (1.0 - (1.0 - course_u) * e_d);

    let label = format!("U {u_inc}, tau_f {tau_f}, tau_d {tau_d}, T {interval_ms}");
    for (what, got, exact, course) in [
        ("u+", u_plus, exact_u, course_u),
        ("x-", x_minus, exact_x, course_x),
    ] {
        assert!(
            (got - exact).abs() < 1e-9,
            "{label}: {what} {got} vs exact {exact}"
        );
        assert!(
            (got - course).abs() < 1e-3 * course,
            "{label}: {what} {got} vs the course's {course}"
        );
    }
}

#[test]
fn tsodyks_markram_steady_states() {
    check_stp_steady_state(0.15, 10.0, 500.0, 100.0);
    check_stp_steady_state(0.15, 500.0, 10.0, 100.0);
    check_stp_steady_state(0.03, 530.0, 130.0, 50.0);
    check_stp_steady_state(0.2, 330.0, 130.0, 12.5);
}

/// The Mg-blocked output: at every step I_syn = g B(V) (E - V) with
/// B(V) = 1 / (1 + [Mg]/beta e^(-alpha V)) and V the neuron's potential, checked along a run
/// that depolarises the neuron; and curriculum §8.4's number, g = 1 at -60 mV gives
/// 60 / (1 + 1.2/3.57 e^3.72) = 4.035 (the curriculum prints 4.02 ± 0.01, from B(-60) rounded
/// to 0.067).
#[test]
fn nmda_magnesium_block() {
    let block = |v: f64| 1.0 / (1.0 + 1.2 / 3.57 * (-0.062 * v).exp());
    assert!((60.0 * block(-60.0) - 4.035).abs() < 1e-3);
    let out = run_with_post_v("nmda", "poisson(rate=2000, weight=1)");
    let g = out.synapses[0].trace("g", 0).unwrap();
    let v = out.post.trace("V", 0).unwrap();
    let current = out.post.trace("I_syn", 0).unwrap();
    let mut checked = 0;
    for ((&g, &v), &i) in g.iter().zip(v).zip(current) {
        if g > 0.01 {
            let want = g * block(v) * (0.0 - v);
            assert!(
                (i - want).abs() <= 1e-9 * want.abs().max(1.0),
                "V {v}: {i} vs {want}"
            );
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} samples with g > 0.01");
}

/// `run_onto` a LIF resting at -60 mV that the synapse depolarises, its V recorded too.
fn run_with_post_v(synapse: &str, spec: &str) -> CircuitOutput {
    let post = Setup {
        seed: 3,
        params: vec![("V_rest".into(), vec![-60.0]), ("V_th".into(), vec![10.0])],
        init: vec![("V".into(), vec![-60.0])],
        record: vec!["V".into(), "I_syn".into()],
        ..Setup::default()
    };
    run_onto(post, synapse, &[], spec, 100.0, &["g"])
}

/// Curriculum §8.2 and §8.3: a phenomenological synapse's conductance grows with the input rate
/// without bound (mean g ≈ rate × tau_decay × tau_rise, so 8000 Hz gives about 8 times 1000 Hz,
/// checked within 30 %), while the kinetic NMDA synapse saturates below 1 even at 10 kHz.
#[test]
fn phenomenological_synapses_explode_kinetic_ones_saturate() {
    let mean_g = |rate: f64| {
        let spec = format!("poisson(rate={rate}, weight=1)");
        let params = [("tau_decay", 5.0), ("tau_rise", 1.0)];
        let out = run("dual_expon", &params, &spec, 100.0, &["g"]);
        let g = out.synapses[0].trace("g", 0).unwrap();
        g.iter().sum::<f64>() / g.len() as f64
    };
    let ratio = mean_g(8000.0) / mean_g(1000.0);
    assert!(
        (ratio - 8.0).abs() <= 0.3 * 8.0,
        "8000 Hz / 1000 Hz: {ratio}"
    );

    let out = run("nmda", &[], "poisson(rate=10000, weight=1)", 100.0, &["g"]);
    let max = out.synapses[0]
        .trace("g", 0)
        .unwrap()
        .iter()
        .fold(0.0_f64, |m, &v| m.max(v));
    assert!(max <= 1.0 && max > 0.9, "NMDA at 10 kHz: max g {max}");
}

/// The STDP window measured by simulation (the stdp synapse): pairs of one presynaptic spike
/// (explicit times) and one postsynaptic spike (the neuron kicked over threshold by a strong
/// 0.1 ms pulse at 100 ms), one pair per connection, one-to-one. A pair with
/// dt = t_post - t_pre changes w by A_pre e^(-dt/tau_pre) for dt > 0 and by
/// -A_post e^(dt/tau_post) for dt < 0 (Song, Miller & Abbott 2000), within 1e-9 relative.
#[test]
fn stdp_window() {
    let delays: Vec<f64> = (-8..=8)
        .filter(|k| *k != 0)
        .map(|k| 5.0 * k as f64)
        .collect();
    let n = delays.len();
    let setup = CircuitSetup {
        source: Source::Times(delays.iter().map(|d| vec![100.0 - d]).collect()),
        projections: vec![Projection {
            record: vec!["w".into()],
            ..Projection::new("syn", library::get("stdp").unwrap(), Rule::OneToOne)
        }],
        post: library::get("lif").unwrap(),
        post_setup: Setup {
            n,
            dt_ms: DT_MS,
            input: Some(
                "pulses(amp=5000, start=100, width=0.1, period=1000, count=1)"
                    .parse()
                    .unwrap(),
            ),
            ..Setup::default()
        },
    };
    let mut circuit = Circuit::new(&setup).unwrap();
    let steps = circuit.steps_for(200.0);
    assert!(circuit.advance(steps));
    let out = circuit.into_output();
    let (a_pre, a_post, tau) = (0.01, 0.0105, 20.0);
    for (k, d) in delays.iter().enumerate() {
        let post = &out.post.spike_times_ms[k];
        assert_eq!(post.len(), 1, "pair {k}: postsynaptic spikes {post:?}");
        let dt = post[0] - out.source.spike_times_ms[k][0];
        assert!((dt - d).abs() < 1e-9, "pair {k}: dt {dt}, want {d}");
        let w = out.synapses[0].trace("w", k).unwrap();
        let change = w[w.len() - 1] - 0.5;
        let want = if dt > 0.0 {
            a_pre * (-dt / tau).exp()
        } else {
            -a_post * (dt / tau).exp()
        };
        assert!(
            (change - want).abs() < 1e-9 * want.abs(),
            "dt {dt}: {change} vs {want}"
        );
    }
}

/// Oja's rule (the oja model) learns the input's first principal component: w converges to the
/// unit principal eigenvector of C (within 1e-6); plain Hebbian learning (oja = 0) turns w
/// towards it too but its length grows like e^(eta lambda_1 t).
#[test]
fn oja_learns_the_principal_component() {
    let model = library::get("oja").unwrap();
    let (c11, c12, c22) = (1.0_f64, 0.6_f64, 0.5_f64);
    let mean = (c11 + c22) / 2.0;
    let lambda1 = mean + ((c11 - c22).powi(2) / 4.0 + c12 * c12).sqrt();
    let e1 = {
        let (x, y) = (c12, lambda1 - c11);
        let norm = x.hypot(y);
        (x / norm, y / norm)
    };
    let run = |oja: f64, ms: f64| {
        let setup = Setup {
            dt_ms: 1.0,
            params: vec![("oja".into(), vec![oja])],
            record: vec!["w1".into(), "w2".into()],
            ..Setup::default()
        };
        let out = brainplay_sim::Simulation::run(&model, &setup, ms).unwrap();
        let last = |name| *out.trace(name, 0).unwrap().last().unwrap();
        (last("w1"), last("w2"))
    };
    let (w1, w2) = run(1.0, 5000.0);
    assert!(
        (w1 - e1.0).abs() < 1e-6 && (w2 - e1.1).abs() < 1e-6,
        "({w1}, {w2}) vs {e1:?}"
    );
    let (h1, h2) = run(0.0, 1000.0);
    let norm = h1.hypot(h2);
    assert!(
        (h1 / norm - e1.0).abs() < 1e-3,
        "Hebb direction ({h1}, {h2})"
    );
    // The start (0.3, 0.1) projects onto e1 by 0.3 e1.0 + 0.1 e1.1; that part grows by e^(λ1 η t).
    let grown = (0.3 * e1.0 + 0.1 * e1.1) * (lambda1 * 0.01 * 1000.0).exp();
    assert!(
        (norm - grown).abs() < 1e-3 * grown,
        "Hebb length {norm} vs {grown}"
    );
}

/// The rate form of short-term plasticity (stp_rate) settles at the closed-form steady state
/// (curriculum lesson 7): u_st = U R tau_f / (1 + U R tau_f), u+ = U (1 + R tau_f) / (1 + U R
/// tau_f), EPSC_st = g_max u+ / (1 + u+ tau_d R), within 1e-6 relative after 20 s (the slowest
/// relaxation, at 5 Hz, takes about 0.5 s).
#[test]
fn rate_stp_reaches_its_steady_state() {
    let model = library::get("stp_rate").unwrap();
    let rates_hz = [5.0, 19.8, 80.0];
    let setup = Setup {
        n: rates_hz.len(),
        dt_ms: 1.0,
        params: vec![("R".into(), rates_hz.to_vec())],
        record: vec!["EPSC".into()],
        ..Setup::default()
    };
    let out = brainplay_sim::Simulation::run(&model, &setup, 20000.0).unwrap();
    let (u_inc, tau_f, tau_d, g_max) = (0.03, 530.0, 130.0, 0.1);
    for (k, rate_hz) in rates_hz.iter().enumerate() {
        let r = rate_hz / 1000.0;
        let u_plus = u_inc * (1.0 + r * tau_f) / (1.0 + u_inc * r * tau_f);
        let want = g_max * u_plus / (1.0 + u_plus * tau_d * r);
        let got = *out.trace("EPSC", k).unwrap().last().unwrap();
        assert!(
            (got - want).abs() < 1e-6 * want,
            "R = {rate_hz} Hz: {got} vs {want}"
        );
    }
}

/// The jumps of g in a run: at each presynaptic spike's step s (where g rose), g[s] minus what
/// the step's decay left of g[s - 1] (0 before the first step; the decay is exact: exponential
/// Euler on dg/dt = -g/tau).
fn jumps(g: &[f64], tau_ms: f64) -> Vec<f64> {
    let decay = (-DT_MS / tau_ms).exp();
    let before = std::iter::once(0.0).chain(g.iter().copied());
    g.iter()
        .zip(before)
        .map(|(now, last)| now - last * decay)
        .filter(|&jump| jump > 1e-12)
        .collect()
}

/// Short-term depression (curriculum lesson 7 and §8.5 items 2–3) on a regular train of
/// interval T: the simplified model's jumps are g_max U x_n with the resources before each
/// spike following, as the class's order of operations gives (the jump uses x from before the
/// spike's step), x_{n+1} = 1 - (1 - x_n) e^(-T/τ) - U x_n e^(-(T - dt)/τ), within 1e-12; the
/// lecture's x_{n+1} = 1 - (1 - (1 - U) x_n) e^(-T/τ) within 1e-3 relative (they differ by
/// O(dt/τ)); the three-factor model (τ_in = 3 ms) gives the course's printed jumps 0.0250,
/// 0.0199, 0.0167, 0.0148, 0.0136 (BrainPy, four decimals) and differs from the simplified one
/// by less than τ_in/τ_rec relative (its released resources pass through the active state, for
/// about τ_in, before they start to recover).
#[test]
fn short_term_depression_with_three_factors_and_one() {
    let spec = "spikes(times=[0, 100, 200, 300, 400], weight=1)";
    let (u, tau_rec, g_max, t) = (0.25, 500.0, 0.1, 100.0);
    let simplified = run("std", &[("tau_rec", tau_rec)], spec, 500.0, &["g"]);
    let simplified = jumps(simplified.synapses[0].trace("g", 0).unwrap(), 8.0);
    assert_eq!(simplified.len(), 5);
    let (mut exact, mut lecture) = (1.0_f64, 1.0_f64);
    for (n, jump) in simplified.iter().enumerate() {
        let x = jump / (g_max * u);
        assert!((x - exact).abs() < 1e-12, "spike {n}: x {x} vs {exact}");
        assert!(
            (x - lecture).abs() < 1e-3 * lecture,
            "spike {n}: x {x} vs the lecture's {lecture}"
        );
        exact =
            1.0 - (1.0 - exact) * (-t / tau_rec).exp() - u * exact * (-(t - DT_MS) / tau_rec).exp();
        lecture = 1.0 - (1.0 - (1.0 - u) * lecture) * (-t / tau_rec).exp();
    }
    let params = [("tau_rec", tau_rec), ("tau_in", 3.0)];
    let three = run("tf_std", &params, spec, 500.0, &["g"]);
    let three = jumps(three.synapses[0].trace("g", 0).unwrap(), 8.0);
    for ((got, course), simple) in three
        .iter()
        .zip([0.0250, 0.0199, 0.0167, 0.0148, 0.0136])
        .zip(&simplified)
    {
        assert!(
            (got - course).abs() <= 5e-5,
            "three-factor jump {got} vs {course}"
        );
        assert!(
            (got - simple).abs() < 3.0 / tau_rec * simple,
            "{got} vs simplified {simple}"
        );
    }
}
