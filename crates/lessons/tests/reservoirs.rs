//! Lesson 12's echo state networks through the figures route, and the numbers its exercises
//! and captions state (curriculum §12, with their tolerances).

mod common;

use brainplay_lessons::figure::{Figures, ReservoirFigures};
use brainplay_lessons::figures::Figured;
use brainplay_lessons::{registry, Setting};
use common::figures_of;

fn reservoir(id: &str, params: &[(&str, f64)]) -> ReservoirFigures {
    match figures_of(12, id, params) {
        Figures::Reservoir(f) => *f,
        other => panic!("not a reservoir: {other:?}"),
    }
}

/// The range of the series over its last 300 time units shown.
fn late_range(f: &ReservoirFigures) -> f64 {
    let late: Vec<f64> = f
        .series_t
        .iter()
        .zip(&f.series)
        .filter(|(t, _)| **t >= 500.0)
        .map(|(_, p)| *p)
        .collect();
    let max = late.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = late.iter().copied().fold(f64::INFINITY, f64::min);
    max - min
}

/// F12.1 and `short_delay`: at τ = 17 the series wanders over 0.4–1.3; at τ = 3 it settles on
/// the fixed point P = 1 (its late range below 1e-3 of τ = 17's), at τ = 10 it oscillates.
#[test]
fn the_delay_decides_between_chaos_and_a_steady_state() {
    let chaotic = reservoir("series", &[]);
    let (lo, hi) = (
        chaotic.series.iter().copied().fold(f64::INFINITY, f64::min),
        chaotic
            .series
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max),
    );
    assert!(lo < 0.5 && hi > 1.2, "{lo} {hi}");
    assert_eq!(chaotic.series.len(), chaotic.delayed.len());
    let steady = reservoir("series", &[("tau", 3.0)]);
    assert!(late_range(&steady) < 1e-3 * late_range(&chaotic));
    assert!((steady.series.last().unwrap() - 1.0).abs() < 1e-3);
    assert!(late_range(&reservoir("series", &[("tau", 10.0)])) > 0.3);
}

/// Task 1 (`task1_error`): test MSE below the curriculum's 1e-4, training error of the same order;
/// task 2 (`task2_error`: forecast 10, sr 1.1) between 1e-4 and the curriculum's 1e-2.
#[test]
fn the_courses_tasks_meet_their_thresholds() {
    let task1 = reservoir("task", &[]);
    let test = task1.test_mse.unwrap();
    let train = task1.train_mse.unwrap();
    assert!(test < 1e-4 && train < 1e-4, "{train} {test}");
    // The first 500 time units of the test, one sample per time unit.
    assert_eq!(task1.prediction.len(), 500);
    assert_eq!(task1.states.len(), 10);
    let task2 = reservoir("task", &[("forecast", 10.0), ("sr", 1.1)]);
    let test2 = task2.test_mse.unwrap();
    assert!((1e-4..1e-2).contains(&test2), "{test2}");
}

/// The explorations (`saturation_small`, `saturation_large`, `leak`): no saturated state at
/// sr 0.5, more than a quarter at sr 10; at leak 0.01 the states move step to step less than a
/// tenth as much as at leak 1.
#[test]
fn the_hyper_parameters_shape_the_states() {
    assert_eq!(reservoir("explore", &[]).saturation, 0.0);
    let wild = reservoir("explore", &[("sr", 10.0)]).saturation;
    assert!(wild > 0.25, "{wild}");
    let movement = |leak: f64| {
        let f = reservoir("explore", &[("leak", leak), ("sr", 1.0)]);
        let steps: Vec<f64> = f
            .states
            .iter()
            .flat_map(|s| s.values.windows(2).map(|w| (w[1] - w[0]).abs()))
            .collect();
        steps.iter().sum::<f64>() / steps.len() as f64
    };
    let (slow, fast) = (movement(0.01), movement(1.0));
    assert!(slow < 0.1 * fast, "{slow} {fast}");
}

/// A reservoir whose readout would take too long to train is refused before it runs (1000 units
/// on the course's 200 000 samples at step 0.1: 10¹¹ products), while the course's own run at
/// step 0.1 and 1000 units at step 1 are allowed.
#[test]
fn a_readout_too_costly_to_train_is_refused() {
    let lesson = registry::lesson(12).unwrap();
    let block = lesson.figured("task").unwrap();
    let Figured::Widget(widget) = block else {
        panic!()
    };
    let with = |params: &[(&str, f64)]| {
        let mut setting = Setting::from_widget(widget);
        for &(name, value) in params {
            setting.params.insert(name.to_string(), vec![value]);
        }
        brainplay_lessons::figures::start(block, &setting).map(drop)
    };
    let error = with(&[("units", 1000.0), ("step", 0.1)]).unwrap_err();
    assert!(error.en.contains("products"), "{error}");
    assert!(with(&[("step", 0.1)]).is_ok());
    assert!(with(&[("units", 1000.0)]).is_ok());
}
