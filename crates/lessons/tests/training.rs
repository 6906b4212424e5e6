//! Lesson 13's training runs through the figures route, and the numbers its exercises and
//! captions state (curriculum §13, with their tolerances).

mod common;

use brainplay_lessons::content::NetworkPlot;
use brainplay_lessons::figure::{Figures, TrainingFigures};
use common::{figures_with, line, number_after, panel, training_of};

fn training(id: &str, params: &[(&str, f64)]) -> TrainingFigures {
    training_of(13, id, params)
}

/// `untrained_slope`: before training the output rises by 0.1 ± 0.01 per step on average
/// (F13.2); every panel has one point per step or epoch.
#[test]
fn the_untrained_unit_rises_a_tenth_per_step() {
    let f = training("sequence", &[]);
    let fit = panel(&f, NetworkPlot::Fit);
    let before = line(fit, "before training");
    let target = line(fit, "target y");
    let slope = (before[9] - target[0]) / 10.0;
    assert!((slope - 0.1).abs() < 0.01, "{slope}");
    assert_eq!(fit.x.len(), 10);
    assert_eq!(line(panel(&f, NetworkPlot::Loss), "loss").len(), 10);
    assert_eq!(line(panel(&f, NetworkPlot::Data), "input x").len(), 10);
}

/// `gradient_gap`: the notebook's ∂l/∂w exceeds the finite-difference one by 3.2 ± 0.5 % at
/// seed 0; with `exact` they agree to the four decimals shown, and ∂l/∂b agrees either way.
#[test]
fn the_notebooks_gradient_is_a_few_percent_high() {
    let params = panel(&training("sequence", &[]), NetworkPlot::Parameters).clone();
    let rtrl = number_after(&params, "∂l/∂w = ");
    let fd = number_after(&params, "finite differences ");
    let gap = 100.0 * (rtrl - fd) / fd;
    assert!((gap - 3.2).abs() < 0.5, "{rtrl} vs {fd}: {gap} %");
    let exact = panel(
        &training("sequence", &[("exact", 1.0)]),
        NetworkPlot::Parameters,
    )
    .clone();
    assert_eq!(
        number_after(&exact, "∂l/∂w = "),
        number_after(&exact, "finite differences ")
    );
}

/// `final_loss`: ten epochs at η = 0.1 end at 0.047 ± 0.005, each below the one before;
/// `large_step`: at η = 5 the loss grows after the first step and ends above its start (the
/// run stops once it is no longer finite, with a message).
#[test]
fn the_step_size_decides_convergence() {
    let f = training("sequence", &[]);
    let losses = line(panel(&f, NetworkPlot::Loss), "loss");
    let last = *losses.last().unwrap();
    assert!((last - 0.047).abs() < 0.005, "{last}");
    assert!(losses.windows(2).all(|w| w[1] < w[0]), "{losses:?}");
    let wild = training("sequence", &[("eta", 5.0)]);
    let error = wild.issues.error.clone().expect("a message");
    assert!(error.en.contains("smaller η"), "{}", error.en);
    let wild = line(panel(&wild, NetworkPlot::Loss), "loss");
    assert!(wild[1] > wild[0], "{wild:?}");
    assert!(wild.last().unwrap() > &wild[0], "{wild:?}");
}

/// The mean of the last `n` values.
fn late_mean(values: &[f64], n: usize) -> f64 {
    values[values.len() - n..].iter().sum::<f64>() / n as f64
}

/// `learnt_psychometric`: after the default training the network chooses A on ≥ 90 % of the test
/// trials at +25.6 and +51.2 %, ≤ 10 % at −25.6 and −51.2 %, and 20–80 % at 0; the trial
/// figures show 50 steps of 20 ms with three inputs and two outputs, and eight units.
/// `too_fast`: at lr 0.1 the late loss stays above 0.6, at the default below 0.45.
#[test]
fn the_rate_rnn_learns_at_a_sensible_rate() {
    let f = training("decision", &[]);
    let psychometric = panel(&f, NetworkPlot::Psychometric);
    let chose_a = line(psychometric, "chose A");
    for (c, a) in psychometric.x.iter().zip(chose_a) {
        match c.abs() {
            c_abs if c_abs > 20.0 && *c > 0.0 => assert!(*a >= 90.0, "{c}: {a}"),
            c_abs if c_abs > 20.0 => assert!(*a <= 10.0, "{c}: {a}"),
            0.0 => assert!((20.0..=80.0).contains(a), "{c}: {a}"),
            _ => {}
        }
    }
    assert_eq!(psychometric.x.len(), 11);
    let trial = panel(&f, NetworkPlot::Trial);
    assert_eq!(trial.x.len(), 50);
    assert_eq!(trial.x[49], 1000.0);
    assert_eq!(trial.lines.len(), 5);
    assert_eq!(panel(&f, NetworkPlot::Units).lines.len(), 8);
    let losses = line(panel(&f, NetworkPlot::Loss), "loss");
    assert_eq!(losses.len(), 300);
    assert!(late_mean(losses, 50) < 0.45, "{}", late_mean(losses, 50));
    let fast = training("decision", &[("lr", 0.1)]);
    let fast = line(panel(&fast, NetworkPlot::Loss), "loss");
    assert!(late_mean(fast, 50) > 0.6, "{}", late_mean(fast, 50));
}

/// A run too costly to train is refused before it starts, with a way out.
#[test]
fn oversized_training_is_refused() {
    let error = figures_with(13, "decision", |setting| {
        for (name, value) in [("units", 256.0), ("batch", 256.0), ("iterations", 3000.0)] {
            setting.params.insert(name.into(), vec![value]);
        }
    })
    .unwrap_err();
    assert!(error.en.contains("fewer units"), "{error}");
}

/// A trained network is its setting and seed: the same setting trains to the same figures, bit
/// for bit (so a share link, which carries the setting and the seed, reproduces a learner's
/// trained network without carrying its weights), and another seed trains another network.
#[test]
fn training_is_reproduced_by_its_setting_and_seed() {
    let short = [("iterations", 40.0), ("units", 16.0)];
    assert_eq!(training("decision", &short), training("decision", &short));
    let other = figures_with(13, "decision", |setting| {
        setting.seed = 1;
        for (name, value) in short {
            setting.params.insert(name.into(), vec![value]);
        }
    })
    .unwrap();
    assert_ne!(
        other,
        Figures::Training(Box::new(training("decision", &short)))
    );
}
