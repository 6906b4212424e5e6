//! Wang's (2002) decision network (curriculum §10.2) against BrainPy 2.4.6's trials
//! (`data/decision_spiking_network.json`: 20 trials per coherence, float32) and the curriculum's
//! auto-checks. The network is random, so these compare statistics over fixed seeds, with the
//! tolerances stated at each check.

mod common;
use brainplay_sim::decision::{rate_hz, Connection, Decision, Pool, Receptor, Trial};
use common::fixture;
use serde_json::Value;

const DT_MS: f64 = 0.1;
const TRIAL_MS: f64 = 1600.0;
const TRIALS: u64 = 10;

/// What one trial shows, measured as the reference measures it.
struct Outcome {
    winner: Pool,
    /// Mean rates (Hz) of the winner and the loser from 900 to 1100 ms, and the winner's in the
    /// delay (1100–1600 ms).
    winner_hz: f64,
    loser_hz: f64,
    delay_hz: f64,
    /// When the winner's rate, averaged over a centred 50 ms window, first reaches 15 Hz, after
    /// the stimulus onset (ms): `Decision::choice`, the reference's definition.
    decision_ms: Option<f64>,
}

fn run(trial: &Trial, seed: u64) -> Decision {
    let mut network = Decision::new(trial, &trial.connections(), DT_MS, seed).expect("valid");
    let steps = network.steps_for(TRIAL_MS);
    network.advance(steps);
    network
}

fn outcome(coherence_pct: f64, seed: u64) -> Outcome {
    let trial = Trial {
        coherence_pct,
        ..Trial::default()
    };
    let network = run(&trial, seed);
    let choice = network.choice();
    Outcome {
        winner: choice.winner,
        winner_hz: choice.winner_hz,
        loser_hz: choice.loser_hz,
        delay_hz: rate_hz(network.spike_times_ms(choice.winner), 1100.0, 1600.0),
        decision_ms: choice.decision_ms,
    }
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// The standard error of the mean.
fn standard_error(values: &[f64]) -> f64 {
    let m = mean(values);
    let variance =
        values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (values.len() as f64 - 1.0);
    (variance / values.len() as f64).sqrt()
}

/// Our trials' values and the reference's agree: their means differ by less than three
/// standard errors of the difference (`floor` keeps a tolerance where both samples hardly vary).
fn agree(name: &str, ours: &[f64], brainpy: &[f64], floor: f64) -> Result<(), String> {
    let (a, b) = (mean(ours), mean(brainpy));
    let tolerance = 3.0 * standard_error(ours).hypot(standard_error(brainpy)) + floor;
    match (a - b).abs() <= tolerance {
        true => Ok(()),
        false => Err(format!(
            "{name}: ours {a:.1}, BrainPy {b:.1}, tolerance {tolerance:.1}"
        )),
    }
}

/// One coherence's trials against BrainPy's 20 at that coherence: who wins, the rates at the
/// end of the stimulus and in the delay, and the decision time.
fn check(coherence_pct: f64, min_fraction_a: f64) {
    let fixture = fixture("decision_spiking_network");
    let reference: Vec<&Value> = fixture["results"]["trials"]
        .as_array()
        .expect("trials")
        .iter()
        .filter(|t| t["coherence_percent"].as_f64() == Some(coherence_pct))
        .collect();
    assert_eq!(reference.len(), 20);
    let window = |t: &Value, pool: &str, key: &str| t[format!("rate_{pool}_hz")][key].as_f64();
    let brainpy = |f: &dyn Fn(&Value) -> Option<f64>| -> Vec<f64> {
        reference.iter().map(|t| f(t).expect("a number")).collect()
    };
    let winner = |t: &Value| t["winner"].as_str().map(|w| w.to_string());
    let loser = |t: &Value| winner(t).map(|w| if w == "A" { "B" } else { "A" }.to_string());
    let outcomes: Vec<Outcome> = (0..TRIALS).map(|s| outcome(coherence_pct, s)).collect();
    let ours = |f: &dyn Fn(&Outcome) -> f64| -> Vec<f64> { outcomes.iter().map(f).collect() };

    let fraction_a = mean(&ours(&|o| (o.winner == Pool::A) as u8 as f64));
    assert!(
        fraction_a >= min_fraction_a,
        "c = {coherence_pct} %: A wins {fraction_a}"
    );
    // Every trial decides (its winner's rate reaches 15 Hz), as every reference trial does.
    assert!(outcomes.iter().all(|o| o.decision_ms.is_some()));
    let problems: Vec<String> = [
        agree(
            "winner (Hz, 900–1100 ms)",
            &ours(&|o| o.winner_hz),
            &brainpy(&|t| window(t, &winner(t)?, "stim_900_1100")),
            1.0,
        ),
        agree(
            "loser (Hz, 900–1100 ms)",
            &ours(&|o| o.loser_hz),
            &brainpy(&|t| window(t, &loser(t)?, "stim_900_1100")),
            1.0,
        ),
        agree(
            "winner in the delay (Hz)",
            &ours(&|o| o.delay_hz),
            &brainpy(&|t| window(t, &winner(t)?, "delay_1100_1600")),
            1.0,
        ),
        agree(
            "decision time (ms)",
            &ours(&|o| o.decision_ms.unwrap_or(f64::NAN)),
            &brainpy(&|t| t["decision_time_ms_thr15Hz"].as_f64()),
            10.0,
        ),
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect();
    assert!(problems.is_empty(), "c = {coherence_pct} %: {problems:?}");
    // Curriculum §10.2 (ii), (iii): the winner fires at 25–70 Hz at the end of the stimulus,
    // the loser below 10 Hz, and the winner above 20 Hz in the delay, on average.
    let (w, l, d) = (
        mean(&ours(&|o| o.winner_hz)),
        mean(&ours(&|o| o.loser_hz)),
        mean(&ours(&|o| o.delay_hz)),
    );
    assert!(
        (25.0..=70.0).contains(&w) && l < 10.0 && d > 20.0,
        "{w} {l} {d}"
    );
}

#[test]
fn a_strong_bias_is_followed() {
    // BrainPy: A wins 20 of 20 at 51.2 %.
    check(51.2, 0.9);
}

#[test]
fn the_course_coherence_is_mostly_right() {
    // Curriculum §10.2 (i): A wins the clear majority at 25.6 % (BrainPy: 19 of 20).
    check(25.6, 0.7);
}

#[test]
fn without_evidence_either_pool_wins() {
    // Curriculum §10.2 (iv): both outcomes across seeds at c = 0 (BrainPy: 10 of 20 for A).
    // Ten fair trials all going one way would happen 2 times in 1024.
    check(0.0, 0.1);
    let winners: Vec<Pool> = (0..TRIALS).map(|s| outcome(0.0, s).winner).collect();
    assert!(winners.contains(&Pool::B), "{winners:?}");
}

#[test]
fn before_the_stimulus_both_pools_are_nearly_silent() {
    // BrainPy's pre-stimulus rates (0–100 ms, both pools, 80 trials) average about 0.45 Hz.
    let fixture = fixture("decision_spiking_network");
    let brainpy: Vec<f64> = fixture["results"]["trials"]
        .as_array()
        .expect("trials")
        .iter()
        .flat_map(|t| ["A", "B"].map(|p| t[format!("rate_{p}_hz")]["pre_0_100"].as_f64()))
        .map(|r| r.expect("a rate"))
        .collect();
    let trial = Trial::default();
    let ours: Vec<f64> = (0..TRIALS)
        .flat_map(|s| {
            let mut network = Decision::new(&trial, &trial.connections(), DT_MS, s).unwrap();
            network.advance(network.steps_for(100.0));
            [Pool::A, Pool::B].map(|p| rate_hz(network.spike_times_ms(p), 0.0, 100.0))
        })
        .collect();
    agree("pre-stimulus rate (Hz)", &ours, &brainpy, 0.05).unwrap();
}

#[test]
fn the_course_projections() {
    let trial = Trial::default();
    let table = trial.connections();
    let w_minus = 1.0 - 0.15 * 0.7 / 0.85;
    assert!((trial.w_minus() - w_minus).abs() < 1e-15);
    assert!((w_minus - 0.876470588).abs() < 1e-9);
    // Three excitatory pools × four targets × two receptors, and I to all four.
    assert_eq!(table.len(), 28);
    let g = |pre, post, receptor| {
        let found: Vec<&Connection> = table
            .iter()
            .filter(|c| c.pre == pre && c.post == post && c.receptor == receptor)
            .collect();
        assert_eq!(found.len(), 1, "{pre:?} → {post:?} {receptor:?}");
        found[0].g_ns
    };
    use Pool::*;
    use Receptor::*;
    let cases = [
        (A, A, Ampa, 0.05 * 1.7),
        (A, B, Nmda, 0.165 * w_minus),
        (N, A, Ampa, 0.05 * w_minus),
        (N, N, Nmda, 0.165),
        (B, N, Ampa, 0.05),
        (B, I, Nmda, 0.13),
        (N, I, Ampa, 0.04),
        (I, A, Gaba, 1.3),
        (I, I, Gaba, 1.0),
    ];
    for (pre, post, receptor, expected) in cases {
        assert!((g(pre, post, receptor) - expected).abs() < 1e-12);
    }
    // Recurrent conductances are divided by the scale, and the pools follow it.
    let half = Trial {
        scale: 0.5,
        ..Trial::default()
    };
    assert_eq!(half.sizes(), [120, 120, 560, 200]);
    assert_eq!(trial.sizes(), [240, 240, 1120, 400]);
    assert!((half.connections()[0].g_ns - 2.0 * table[0].g_ns).abs() < 1e-15);
}

#[test]
fn a_seed_gives_the_same_trial() {
    let trial = Trial {
        scale: 0.25,
        ..Trial::default()
    };
    let spikes = |seed| {
        let mut network = Decision::new(&trial, &trial.connections(), DT_MS, seed).unwrap();
        network.advance(3000);
        network.spike_times_ms(Pool::A).to_vec()
    };
    assert_eq!(spikes(3), spikes(3));
    assert_ne!(spikes(3), spikes(4));
}

#[test]
fn bad_settings_are_refused_with_a_reason() {
    let cases: [(Trial, &str); 4] = [
        (
            Trial {
                scale: 0.0,
                ..Trial::default()
            },
            "scale",
        ),
        (
            Trial {
                f: 0.6,
                ..Trial::default()
            },
            "f must lie",
        ),
        (
            Trial {
                mu0_hz: f64::NAN,
                ..Trial::default()
            },
            "mu0",
        ),
        (
            Trial {
                scale: 0.001,
                ..Trial::default()
            },
            "empty",
        ),
    ];
    for (trial, reason) in cases {
        let error = Decision::new(&trial, &trial.connections(), DT_MS, 0)
            .err()
            .expect("refused");
        assert!(error.en.contains(reason), "{error}");
    }
}
