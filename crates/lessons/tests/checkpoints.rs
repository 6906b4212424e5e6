//! Training widgets pause, resume and save through the figures route: every training figure
//! carries the run's checkpoint; a run started from a paused run's checkpoint ends exactly as
//! the run that was never paused; a saved network (the checkpoint at the end, written to a file
//! and read back) gives the same figures, without training again; a changed slider trains anew.

use brainplay_lessons::checkpoint::Checkpoint;
use brainplay_lessons::figure::{Figures, TrainingFigures};
use brainplay_lessons::figures::{compute, start, Cache, Figured};
use brainplay_lessons::{registry, Setting};

/// A training block (lesson, id) with parameters set.
type Case = (u32, &'static str, &'static [(&'static str, f64)]);

/// Lesson 13's decision RNN and lesson 14's spiking networks, each shortened to a few
/// iterations (and epochs) so the test is quick.
const CASES: [Case; 3] = [
    (
        13,
        "decision",
        &[("iterations", 6.0), ("units", 16.0), ("batch", 8.0)],
    ),
    (14, "random", &[("iterations", 6.0)]),
    (14, "digits", &[("epochs", 2.0), ("batch", 256.0)]),
];

fn block(number: u32, id: &str) -> Figured<'static> {
    registry::lesson(number).unwrap().figured(id).unwrap()
}

fn setting(number: u32, id: &str, params: &[(&str, f64)]) -> Setting {
    let Figured::Widget(widget) = block(number, id) else {
        panic!("`{id}` is a widget")
    };
    let mut setting = Setting::from_widget(widget);
    for &(name, value) in params {
        setting.params.insert(name.into(), vec![value]);
    }
    setting
}

fn training(f: Figures) -> TrainingFigures {
    match f {
        Figures::Training(f) => *f,
        other => panic!("not training figures: {other:?}"),
    }
}

fn figures(number: u32, id: &str, setting: &Setting) -> TrainingFigures {
    training(compute(block(number, id), setting, &mut Cache::default()).unwrap())
}

/// Two figures alike bit for bit: compared as printed, since a panel may hold NaN (a gap),
/// which `==` never equals.
fn same(a: &TrainingFigures, b: &TrainingFigures) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

/// The checkpoint of a run of `setting` stopped after `steps` iterations, as a pause keeps it
/// (the last partial figures).
fn paused_at(number: u32, id: &str, setting: &Setting, steps: usize) -> Checkpoint {
    let mut pending = start(block(number, id), setting).unwrap();
    pending.advance(steps);
    assert_eq!(pending.steps_done(), steps, "{id}");
    let partial = training(pending.partial().expect("partial figures"));
    *partial
        .checkpoint
        .expect("a checkpoint in the partial figures")
}

#[test]
fn a_paused_run_resumes_to_the_same_end() {
    for (number, id, params) in CASES {
        let setting = setting(number, id, params);
        let straight = figures(number, id, &setting);
        let mut resumed = setting.clone();
        resumed.resume = Some(Box::new(paused_at(number, id, &setting, 3)));
        let resumed = figures(number, id, &resumed);
        assert!(same(&resumed, &straight), "lesson {number} `{id}`");
    }
}

#[test]
fn a_saved_network_loads_back_with_the_same_figures() {
    for (number, id, params) in CASES {
        let setting = setting(number, id, params);
        let trained = figures(number, id, &setting);
        let checkpoint = trained.checkpoint.as_deref().expect("a checkpoint");
        let file = checkpoint.to_file();
        let loaded = Checkpoint::from_file(&file, id).expect("the file reads back");
        let mut again = setting.clone();
        again.resume = Some(Box::new(loaded));
        // No training left: the pending run is done before it starts.
        let pending = start(block(number, id), &again).unwrap();
        assert_eq!(pending.steps_done(), pending.total_steps(), "{id}");
        let again = figures(number, id, &again);
        assert!(same(&again, &trained), "lesson {number} `{id}`");
    }
}

#[test]
fn a_changed_setting_trains_anew() {
    let (number, id, params) = CASES[0];
    let base = setting(number, id, params);
    let checkpoint = paused_at(number, id, &base, 3);
    let mut other_seed = base.clone();
    other_seed.seed += 1;
    let fresh = figures(number, id, &other_seed);
    other_seed.resume = Some(Box::new(checkpoint));
    assert!(same(&figures(number, id, &other_seed), &fresh));
}
