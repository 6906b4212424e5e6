use super::*;

fn parse(text: &str) -> InputSpec {
    InputSpec::parse(text).unwrap_or_else(|e| panic!("{text:?}: {}", e.render(text)))
}

/// The input at every step in `0..steps`, calling `fill` in order.
fn run(text: &str, n: usize, dt_ms: f64, steps: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut state =
        InputState::new(&parse(text), n, dt_ms, seed).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    let mut out = vec![f64::NAN; n];
    (0..steps)
        .map(|step| {
            state.fill(step, &mut out);
            out.clone()
        })
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

mod deterministic {
    use super::*;

    /// Runs `text` and compares the per-neuron values at chosen steps.
    fn check(text: &str, n: usize, dt_ms: f64, want: &[(usize, &[f64])]) {
        let last = want.iter().map(|(step, _)| *step).max().unwrap_or(0);
        let got = run(text, n, dt_ms, last + 1, 0);
        for (step, values) in want {
            let g = &got[*step];
            assert!(
                g.len() == values.len() && g.iter().zip(values.iter()).all(|(a, b)| close(*a, *b)),
                "{text:?} at step {step}: got {g:?}, want {values:?}"
            );
        }
    }

    #[test]
    fn constant() {
        check(
            "constant(5)",
            2,
            0.1,
            &[(0, &[5.0, 5.0]), (1000, &[5.0, 5.0])],
        );
        check(
            "constant(value=-1.5)",
            1,
            0.1,
            &[(0, &[-1.5]), (7, &[-1.5])],
        );
        check(
            "constant([1, 2, 3])",
            3,
            0.1,
            &[(0, &[1.0, 2.0, 3.0]), (9, &[1.0, 2.0, 3.0])],
        );
        check(
            "constant(1) + constant([1, 2])",
            2,
            0.1,
            &[(0, &[2.0, 3.0])],
        );
    }

    #[test]
    fn sections() {
        let pulse: &[f64] = &[1.0, 2.0];
        check(
            "sections(values=[0, [1, 2], 0], durations=[1, 0.5, 1])",
            2,
            0.1,
            &[
                (0, &[0.0, 0.0]),
                (9, &[0.0, 0.0]),
                (10, pulse),
                (14, pulse),
                (15, &[0.0, 0.0]),
            ],
        );
        // Lengths truncate like Python's int(): 0.3 / 0.1 is
        // 2.9999999999999996, so the first section lasts 2 steps.
        check(
            "sections(values=[1, 2], durations=[0.3, 0.2])",
            1,
            0.1,
            &[
                (0, &[1.0]),
                (1, &[1.0]),
                (2, &[2.0]),
                (3, &[2.0]),
                (4, &[0.0]),
                (100, &[0.0]),
            ],
        );
        // A section shorter than a step is skipped.
        check(
            "sections(values=[7, 3], durations=[0.05, 1])",
            1,
            0.1,
            &[(0, &[3.0]), (9, &[3.0]), (10, &[0.0])],
        );
    }

    #[test]
    fn pulses() {
        let (on, off): (&[f64], &[f64]) = (&[2.0], &[0.0]);
        let text = "pulses(amp=2, start=1, width=0.3, period=1, count=3)";
        check(
            text,
            1,
            0.1,
            &[
                (9, off),
                (10, on),
                (12, on),
                (13, off),
                (20, on),
                (22, on),
                (23, off),
                (30, on),
                (32, on),
                (33, off),
                (40, off),
            ],
        );
        check(
            "pulses(amp=[1, -1], start=0, width=0.2, period=0.5)",
            2,
            0.1,
            &[
                (0, &[1.0, -1.0]),
                (2, &[0.0, 0.0]),
                (5, &[1.0, -1.0]),
                (5000, &[1.0, -1.0]),
            ],
        );
        check(
            "pulses(amp=1, start=0, width=1, period=2, count=0)",
            1,
            0.1,
            &[(0, off)],
        );
        // Overlapping pulses (width > period) merge rather than add.
        check(
            "pulses(amp=1, start=0, width=3, period=2)",
            1,
            0.5,
            &[(0, &[1.0]), (5, &[1.0]), (99, &[1.0])],
        );
    }

    /// t = step * dt drifts (3000 * 0.1 != 300.00000000000006, the start
    /// of pulse 1000), but pulse edges are step indices and stay put.
    #[test]
    fn pulses_do_not_drift() {
        let got = run(
            "pulses(amp=1, start=0, width=0.1, period=0.3)",
            1,
            0.1,
            3010,
            0,
        );
        for (step, values) in got.iter().enumerate() {
            let want = if step % 3 == 0 { 1.0 } else { 0.0 };
            assert_eq!(values[0], want, "step {step}");
        }
    }

    #[test]
    fn ramp() {
        let text = "ramp(from=[0, 1], to=10, start=1, end=2)";
        check(
            text,
            2,
            0.1,
            &[
                (0, &[0.0, 1.0]),
                (10, &[0.0, 1.0]),
                (15, &[5.0, 5.5]),
                (19, &[9.0, 9.1]),
                (20, &[10.0, 10.0]),
                (300, &[10.0, 10.0]),
            ],
        );
        // start == end is a step change on the step that reaches it.
        check(
            "ramp(from=0, to=1, start=0.3, end=0.3)",
            1,
            0.1,
            &[(2, &[0.0]), (3, &[1.0])],
        );
    }

    #[test]
    fn sine() {
        // 10 Hz: a quarter period is 25 ms, i.e. 50 steps of 0.5 ms.
        check(
            "sine(amp=2, freq=10, offset=[0, 1])",
            2,
            0.5,
            &[
                (0, &[0.0, 1.0]),
                (50, &[2.0, 3.0]),
                (100, &[0.0, 1.0]),
                (150, &[-2.0, -1.0]),
            ],
        );
        check(
            "sine(amp=[1, 3], freq=0, phase=1.5707963267948966)",
            2,
            0.1,
            &[(0, &[1.0, 3.0]), (77, &[1.0, 3.0])],
        );
    }

    #[test]
    fn sum_of_terms() {
        check(
            "I: constant(1) + pulses(amp=2, start=1, width=1, period=5) + ramp(from=0, to=1, start=0, end=1)",
            1,
            0.5,
            &[(0, &[1.0]), (1, &[1.5]), (2, &[4.0]), (4, &[2.0])],
        );
    }
}

/// The Hodgkin–Huxley homework protocol: 37 ms at dt 0.1 is 370 steps,
/// rest for 100, a 2 ms pulse with per-neuron amplitudes, rest again.
#[test]
fn sections_reproduce_hh_homework_protocol() {
    let text = "sections(values=[0, [1, 2, 4, 8, 10, 15], 0], durations=[10, 2, 25])";
    let amps = [1.0, 2.0, 4.0, 8.0, 10.0, 15.0];
    let got = run(text, 6, 0.1, 400, 0);
    for (step, values) in got.iter().enumerate() {
        let want = if (100..120).contains(&step) {
            amps
        } else {
            [0.0; 6]
        };
        assert_eq!(values, &want, "step {step}");
    }
}

mod spike_times {
    use super::*;

    /// The steps that receive input and the value there (one neuron).
    fn check(times: &str, dt_ms: f64, want: &[(usize, f64)]) {
        let text = format!("spikes(times={times}, weight=1.5)");
        let got: Vec<(usize, f64)> = run(&text, 1, dt_ms, 100, 0)
            .iter()
            .enumerate()
            .filter(|(_, v)| v[0] != 0.0)
            .map(|(step, v)| (step, v[0]))
            .collect();
        assert_eq!(got, want, "{text}");
    }

    #[test]
    fn cases() {
        check("[]", 0.1, &[]);
        // First step with t >= time; 0.3 and 0.7 are not multiples of
        // 0.1 in floating point but land on steps 3 and 7.
        check(
            "[0, 0.3, 0.7, 2.55]",
            0.1,
            &[(0, 1.5), (3, 1.5), (7, 1.5), (26, 1.5)],
        );
        // Unsorted, repeated and negative times.
        check("[5, 1, 1, -3]", 1.0, &[(0, 1.5), (1, 3.0), (5, 1.5)]);
        check("[0.25, 0.26]", 0.25, &[(1, 1.5), (2, 1.5)]);
    }

    #[test]
    fn every_neuron_gets_its_weight() {
        let got = run("spikes(times=[0.2], weight=[1, -2, 3])", 3, 0.1, 4, 0);
        assert_eq!(got[2], vec![1.0, -2.0, 3.0]);
        assert_eq!(got[3], vec![0.0; 3]);
    }
}

mod ornstein_uhlenbeck {
    use super::*;

    /// Sample mean and std over all neurons and the steps after
    /// `burn_in`, against the stationary values `mean` and `sigma`.
    fn check(
        text: &str,
        n: usize,
        dt_ms: f64,
        steps: usize,
        burn_in: usize,
        want: (f64, f64),
        tol: (f64, f64),
    ) {
        let got = run(text, n, dt_ms, steps, 7);
        let samples: Vec<f64> = got[burn_in..].iter().flatten().copied().collect();
        let count = samples.len() as f64;
        let mean = samples.iter().sum::<f64>() / count;
        let std = (samples.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / count).sqrt();
        assert!(
            (mean - want.0).abs() <= tol.0,
            "{text}: mean {mean}, want {} ± {}",
            want.0,
            tol.0
        );
        assert!(
            (std - want.1).abs() <= tol.1,
            "{text}: std {std}, want {} ± {}",
            want.1,
            tol.1
        );
    }

    #[test]
    fn stationary_statistics() {
        // 200 neurons x 250 ms after a 50 ms (10 tau) burn-in: with a
        // correlation time of tau = 5 ms that is about 200 * 250 / 10 =
        // 5000 independent samples, so the mean's standard error is
        // sigma / 70 = 0.03 and the std's about 1 % of sigma. The
        // tolerances are 5 standard errors; the Euler-Maruyama bias
        // (0.5 % here, see the module docs) fits inside.
        check(
            "ou(mean=3, sigma=2, tau=5)",
            200,
            0.1,
            3000,
            500,
            (3.0, 2.0),
            (0.15, 0.1),
        );
        check(
            "ou(mean=-1, sigma=0.5, tau=20)",
            400,
            0.5,
            1000,
            200,
            (-1.0, 0.5),
            (0.05, 0.03),
        );
        // No noise: each neuron sits at its own mean.
        check(
            "ou(mean=4, sigma=0, tau=5)",
            3,
            0.1,
            100,
            0,
            (4.0, 0.0),
            (1e-12, 1e-12),
        );
    }

    #[test]
    fn starts_at_mean_per_neuron() {
        let got = run("ou(mean=[1, -1], sigma=[1, 0], tau=5)", 2, 0.1, 50, 3);
        assert_eq!(got[0], vec![1.0, -1.0]);
        assert!(got[1..].iter().all(|v| v[1] == -1.0));
        assert!(got[1..].iter().any(|v| v[0] != 1.0));
    }

    #[test]
    fn seed_decides_output() {
        let text = "ou(mean=0, sigma=1, tau=5) + poisson(rate=100, weight=1)";
        let a = run(text, 5, 0.1, 200, 42);
        assert_eq!(a, run(text, 5, 0.1, 200, 42));
        assert_ne!(a, run(text, 5, 0.1, 200, 43));
    }
}

mod poisson {
    use super::*;

    /// Spike counts per neuron over `steps` against a binomial with
    /// p = rate * dt / 1000, within 5 standard deviations.
    fn check(text: &str, rates_hz: &[f64], weights: &[f64], dt_ms: f64, steps: usize) {
        let n = rates_hz.len();
        let got = run(text, n, dt_ms, steps, 11);
        for i in 0..n {
            let values: Vec<f64> = got.iter().map(|v| v[i]).collect();
            assert!(
                values.iter().all(|&v| v == 0.0 || v == weights[i]),
                "{text}: neuron {i} got a value other than 0 or its weight"
            );
            let spikes = values.iter().filter(|&&v| v != 0.0).count() as f64;
            let p = rates_hz[i] * dt_ms / 1000.0;
            let expected = steps as f64 * p;
            let sd = (steps as f64 * p * (1.0 - p)).sqrt();
            assert!(
                (spikes - expected).abs() <= 5.0 * sd,
                "{text}: neuron {i} spiked {spikes} times, want {expected} ± {}",
                5.0 * sd
            );
        }
    }

    #[test]
    fn empirical_rate() {
        check(
            "poisson(rate=50, weight=1)",
            &[50.0; 20],
            &[1.0; 20],
            0.1,
            20_000,
        );
        check(
            "poisson(rate=[0, 200, 10], weight=[1, 3, -2])",
            &[0.0, 200.0, 10.0],
            &[1.0, 3.0, -2.0],
            0.5,
            20_000,
        );
        // p = 1: a spike every step.
        check(
            "poisson(rate=10000, weight=2)",
            &[10000.0],
            &[2.0],
            0.1,
            100,
        );
    }
}

mod state_errors {
    use super::*;

    fn check(spec: &InputSpec, n: usize, dt_ms: f64, want: &[&str]) {
        let Err(err) = InputState::new(spec, n, dt_ms, 0) else {
            panic!("{spec} with n = {n}, dt = {dt_ms} was accepted");
        };
        for part in want {
            assert!(
                err.message.en.contains(part),
                "{spec}: {:?} lacks {part:?}",
                err.message
            );
        }
    }

    #[test]
    fn cases() {
        let amp2 = parse("pulses(amp=[1, 2], start=0, width=1, period=2)");
        check(
            &amp2,
            3,
            0.1,
            &["term 1 (pulses)", "`amp`", "has 2", "N = 3"],
        );
        let hh = parse("constant(1) + sections(values=[0, [1, 2, 4], 0], durations=[1, 1, 1])");
        check(
            &hh,
            2,
            0.1,
            &["term 2 (sections)", "`values[1]`", "has 3", "N = 2"],
        );
        check(
            &parse("sine(amp=1, freq=1, offset=[1, 2])"),
            1,
            0.1,
            &["`offset`", "has 2", "N = 1"],
        );
        check(
            &parse("ou(mean=0, sigma=1, tau=0.04)"),
            1,
            0.1,
            &["`tau`", "0.05"],
        );
        check(&parse("constant(1)"), 1, 0.0, &["dt_ms"]);
        check(&parse("constant(1)"), 1, f64::NAN, &["dt_ms"]);
        // Specs built in code get the parser's checks.
        let negative_sigma = InputSpec {
            target: None,
            terms: vec![Protocol::OrnsteinUhlenbeck {
                mean: Values::One(0.0),
                sigma: Values::PerNeuron(vec![1.0, -1.0]),
                tau_ms: 5.0,
            }],
        };
        check(&negative_sigma, 2, 0.1, &["`sigma` must not be negative"]);
        let infinite = InputSpec {
            target: None,
            terms: vec![Protocol::Constant {
                value: Values::One(f64::INFINITY),
            }],
        };
        check(&infinite, 1, 0.1, &["`value` must be a finite number"]);
    }
}

mod parse_errors {
    use super::*;

    fn check(text: &str, position: usize, message: &str) {
        match InputSpec::parse(text) {
            Ok(spec) => panic!("{text:?} parsed as {spec:?}"),
            Err(err) => assert!(
                err.position == position && err.message.en.contains(message),
                "{text:?}: got {err}, want position {position} and {message:?}"
            ),
        }
    }

    #[test]
    fn cases() {
        check("", 0, "expected a function name");
        check("   ", 3, "expected a function name");
        check("I_ext: ", 7, "found the end of the input");
        check("constant(1) + foo(2)", 14, "unknown function `foo`");
        check("constant 5", 9, "expected `(` after `constant`");
        check(
            "sine(amp=1, freq=)",
            17,
            "expected a number or `[`, found `)`",
        );
        check(
            "sine(amp=1, freq=10, amp=2)",
            21,
            "duplicate argument `amp`",
        );
        check(
            "sine(amp=1, freq=10, bogus=2)",
            21,
            "unknown argument `bogus` for `sine`",
        );
        check("sine(amp=1)", 0, "`sine` is missing argument `freq`");
        check("I: sine(amp=1)", 3, "missing argument `freq`");
        check("sine(1, freq=2)", 5, "takes named arguments");
        check(
            "sine(amp=1 freq=2)",
            11,
            "expected `,` or `)`, found `freq`",
        );
        check("sine(amp 1, freq=2)", 9, "expected `=` after `amp`");
        check(
            "constant(5) garbage",
            12,
            "expected `+` or the end of the input, found `garbage`",
        );
        check("constant(5) +", 13, "found the end of the input");
        check("constant(5) + é", 14, "found `é`");
        check("constant(5", 10, "expected `,` or `)`");
        check("constant(5, 6)", 12, "single value");
        check("constant(1.2.3)", 9, "malformed number `1.2.3`");
        check("constant(5abc)", 9, "malformed number `5abc`");
        check("constant(-)", 9, "malformed number `-`");
        check("constant(1e999)", 9, "out of range");
        check(
            "constant(inf)",
            9,
            "expected a number or `value=...`, found `inf`",
        );
        check(
            "sine(amp=1, freq=nan)",
            17,
            "expected a number or `[`, found `nan`",
        );
        check("constant([[[1]]])", 11, "nest at most 2");
        check("constant([])", 9, "empty list");
        check("sine(amp=[1, [2]], freq=1)", 13, "flat list");
        check("sine(amp=1, freq=[1, 2])", 17, "single number");
        check(
            "ou(mean=0, sigma=-1, tau=5)",
            17,
            "`sigma` must not be negative",
        );
        check(
            "ou(mean=0, sigma=[1, -1], tau=5)",
            21,
            "`sigma` must not be negative",
        );
        check("ou(mean=0, sigma=1, tau=0)", 24, "`tau` must be positive");
        check(
            "poisson(rate=-5, weight=1)",
            13,
            "`rate` must not be negative",
        );
        check(
            "pulses(amp=1, start=0, width=-2, period=3)",
            29,
            "`width` must not be negative",
        );
        check(
            "pulses(amp=1, start=0, width=2, period=0)",
            39,
            "`period` must be positive",
        );
        check(
            "pulses(amp=1, start=0, width=2, period=10, count=2.5)",
            49,
            "whole number",
        );
        check(
            "sections(values=[0, 1], durations=[10, -2])",
            39,
            "`durations` must not be negative",
        );
        check(
            "sections(values=[1, 2], durations=[1])",
            34,
            "one duration per value",
        );
        check("sections(values=[], durations=[])", 16, "at least one");
        check(
            "ramp(from=0, to=1, start=5, end=4)",
            32,
            "must not come before",
        );
        check("spikes(times=3, weight=1)", 13, "takes a list");
    }

    #[test]
    fn render_points_at_the_position() {
        let text = "sine(amp=1, freq=)";
        let err = InputSpec::parse(text).unwrap_err();
        assert_eq!(
            err.render(text).en,
            "sine(amp=1, freq=)\n                 ^ expected a number or `[`, found `)`"
        );
        assert_eq!(
            err.to_string(),
            "expected a number or `[`, found `)` (at position 17)"
        );
    }
}

mod canonical_form {
    use super::*;

    /// `text` parses, displays as `canonical`, and that parses back
    /// to the same spec.
    fn check(text: &str, canonical: &str) {
        let spec = parse(text);
        assert_eq!(spec.to_string(), canonical, "{text:?}");
        assert_eq!(
            canonical.parse::<InputSpec>().as_ref(),
            Ok(&spec),
            "{canonical:?}"
        );
    }

    #[test]
    fn cases() {
        check("constant(5)", "constant(5)");
        check(" constant ( value = +5.0 ) ", "constant(5)");
        check("E.input:constant([1,2])", "E.input: constant([1, 2])");
        check(
            "sections(values=[0,[1,2,4,8,10,15],0],durations=[10,2,25])",
            "sections(values=[0, [1, 2, 4, 8, 10, 15], 0], durations=[10, 2, 25])",
        );
        check(
            "pulses(count=3, period=20, width=1, start=5, amp=10)",
            "pulses(amp=10, start=5, width=1, period=20, count=3)",
        );
        check(
            "sine(amp=1, freq=10, phase=0, offset=0)",
            "sine(amp=1, freq=10)",
        );
        check(
            "sine(amp=1, freq=10, offset=[0, 0])",
            "sine(amp=1, freq=10, offset=[0, 0])",
        );
        check(
            "ou(mean=.5, sigma=1E-7, tau=1e20)",
            "ou(mean=0.5, sigma=1e-7, tau=1e20)",
        );
        check(
            "ramp(from=0, to=1, start=-0, end=0.1)",
            "ramp(from=0, to=1, start=0, end=0.1)",
        );
        check(
            "poisson(rate=5, weight=1)+spikes(times=[], weight=2)",
            "poisson(rate=5, weight=1) + spikes(times=[], weight=2)",
        );
    }

    #[test]
    fn help_examples_parse() {
        let examples = SYNTAX_HELP
            .split("Examples:\n")
            .nth(1)
            .expect("an Examples section");
        let mut count = 0;
        for line in examples.lines().map(str::trim).filter(|l| !l.is_empty()) {
            parse(line);
            count += 1;
        }
        assert!(count >= 8);
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn finite() -> BoxedStrategy<f64> {
        prop_oneof![
            -1e3..1e3f64,
            any::<f64>().prop_filter("finite", |x| x.is_finite()),
            Just(0.0),
            Just(-0.0),
            Just(5e-324),
            Just(f64::MAX),
        ]
        .boxed()
    }

    fn non_negative() -> BoxedStrategy<f64> {
        finite().prop_map(f64::abs).boxed()
    }

    fn positive() -> BoxedStrategy<f64> {
        non_negative().prop_filter("positive", |x| *x > 0.0).boxed()
    }

    fn values(item: BoxedStrategy<f64>) -> BoxedStrategy<Values> {
        prop_oneof![
            item.clone().prop_map(Values::One),
            prop::collection::vec(item, 1..4).prop_map(Values::PerNeuron),
        ]
        .boxed()
    }

    fn protocol() -> impl Strategy<Value = Protocol> {
        let times = || prop::collection::vec(finite(), 0..4);
        prop_oneof![
            values(finite()).prop_map(|value| Protocol::Constant { value }),
            prop::collection::vec((values(finite()), non_negative()), 1..4).prop_map(|s| {
                let (values, durations_ms) = s.into_iter().unzip();
                Protocol::Sections {
                    values,
                    durations_ms,
                }
            }),
            (
                values(finite()),
                finite(),
                non_negative(),
                positive(),
                prop::option::of(0..=u32::MAX as usize)
            )
                .prop_map(|(amp, start_ms, width_ms, period_ms, count)| {
                    Protocol::Pulses {
                        amp,
                        start_ms,
                        width_ms,
                        period_ms,
                        count,
                    }
                }),
            (values(finite()), values(finite()), finite(), finite()).prop_map(
                |(from, to, a, b)| Protocol::Ramp {
                    from,
                    to,
                    start_ms: a.min(b),
                    end_ms: a.max(b)
                }
            ),
            (values(finite()), finite(), finite(), values(finite())).prop_map(
                |(amp, freq_hz, phase_rad, offset)| {
                    Protocol::Sine {
                        amp,
                        freq_hz,
                        phase_rad,
                        offset,
                    }
                }
            ),
            (values(finite()), values(non_negative()), positive()).prop_map(
                |(mean, sigma, tau_ms)| Protocol::OrnsteinUhlenbeck {
                    mean,
                    sigma,
                    tau_ms
                }
            ),
            (values(non_negative()), values(finite()))
                .prop_map(|(rate_hz, weight)| Protocol::Poisson { rate_hz, weight }),
            (times(), values(finite()))
                .prop_map(|(times_ms, weight)| Protocol::SpikeTimes { times_ms, weight }),
        ]
    }

    fn spec() -> impl Strategy<Value = InputSpec> {
        (
            prop::option::of("[A-Za-z_][A-Za-z0-9_]{0,6}(\\.[A-Za-z_][A-Za-z0-9_]{0,6}){0,2}"),
            prop::collection::vec(protocol(), 1..4),
        )
            .prop_map(|(target, terms)| InputSpec { target, terms })
    }

    /// Canonical texts of valid specs with a few characters deleted,
    /// pieces of the syntax inserted, or the tail cut off: near misses
    /// that get deep into the parser, and some that still parse.
    fn mutated() -> impl Strategy<Value = String> {
        let pieces = "constant sections pulses ramp sine ou poisson spikes value amp start \
            tau rate weight times ( ) [ ] , = + : . - e 1 0 2.5 1e3 -4 [1, 2]";
        let pieces: Vec<&str> = pieces.split_whitespace().chain([" "]).collect();
        let edit = (
            any::<prop::sample::Index>(),
            0..3u8,
            prop::sample::select(pieces),
        );
        (spec(), prop::collection::vec(edit, 0..3)).prop_map(|(spec, edits)| {
            // The canonical text is ASCII, so every byte offset is a
            // char boundary.
            let mut text = spec.to_string();
            for (at, kind, piece) in edits {
                let at = at.index(text.len() + 1);
                match kind {
                    0 if at < text.len() => {
                        text.remove(at);
                    }
                    1 => text.insert_str(at, piece),
                    _ => text.truncate(at),
                }
            }
            text
        })
    }

    /// Parsing never panics, and whatever parses round-trips.
    fn check(text: &str) -> Result<(), TestCaseError> {
        if let Ok(spec) = InputSpec::parse(text) {
            let canonical = spec.to_string();
            prop_assert_eq!(
                InputSpec::parse(&canonical),
                Ok(spec),
                "{:?} -> {:?}",
                text,
                canonical
            );
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn arbitrary_strings(text in any::<String>()) {
            check(&text)?;
        }

        #[test]
        fn near_misses(text in mutated()) {
            check(&text)?;
        }

        #[test]
        fn deep_nesting(depth in 0usize..10_000) {
            check(&format!("constant({}", "[".repeat(depth)))?;
        }

        #[test]
        fn specs_round_trip(spec in spec()) {
            let text = spec.to_string();
            prop_assert_eq!(InputSpec::parse(&text), Ok(spec), "{}", text);
        }
    }
}
