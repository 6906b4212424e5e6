//! A training run restored from a checkpoint continues exactly as the run that made it: a
//! paused run resumes bit for bit, and a saved network loads back with the same parameters and
//! curves. A checkpoint of another shape is refused with a message.

use brainplay_learn::checkpoint::TrainingState;
use brainplay_learn::decision_task::DecisionTask;
use brainplay_learn::rate_rnn::{Trainer, TrainerSpec};
use brainplay_learn::snn::{random_task, SnnShape, SnnTrainer};

/// Trains `total` iterations in one go and, separately, `split` iterations, a checkpoint, a
/// fresh trainer restored from it and the rest: the two end identical.
fn check<T>(
    what: &str,
    new: impl Fn() -> T,
    step: impl Fn(&mut T),
    state: impl Fn(&T) -> TrainingState,
    restore: impl Fn(&mut T, TrainingState),
) {
    let (total, split) = (6, 2);
    let mut straight = new();
    (0..total).for_each(|_| step(&mut straight));
    let mut first = new();
    (0..split).for_each(|_| step(&mut first));
    let mut resumed = new();
    restore(&mut resumed, state(&first));
    (split..total).for_each(|_| step(&mut resumed));
    let (a, b) = (state(&straight), state(&resumed));
    assert_eq!(a.losses.len(), total, "{what}");
    assert_eq!(
        a, b,
        "{what}: the resumed run differs from the straight one"
    );
}

fn rnn_spec(units: usize) -> TrainerSpec {
    TrainerSpec {
        units,
        alpha: 0.2,
        gain: 1.5,
        learning_rate: 1e-2,
        trials: 8,
        seed: 3,
    }
}

fn small_task() -> DecisionTask {
    DecisionTask {
        delay: 2,
        ..DecisionTask::default()
    }
}

#[test]
fn a_rate_rnn_resumes_bit_for_bit() {
    check(
        "rate RNN",
        || Trainer::new(small_task(), &rnn_spec(16)).unwrap(),
        Trainer::step,
        Trainer::state,
        |t, s| t.restore(s).unwrap(),
    );
}

#[test]
fn a_spiking_network_resumes_bit_for_bit() {
    let batch = random_task(8, 20, 50, 40.0, 5);
    check(
        "SNN",
        || SnnTrainer::new(SnnShape::course(20, 6, 2), 10.0, 2e-3, 7),
        |t| t.step(&batch),
        SnnTrainer::state,
        |t, s| t.restore(s).unwrap(),
    );
}

#[test]
fn a_checkpoint_of_another_shape_is_refused() {
    let mut small = Trainer::new(small_task(), &rnn_spec(16)).unwrap();
    small.step();
    let mut large = Trainer::new(small_task(), &rnn_spec(32)).unwrap();
    let before = large.state();
    let error = large.restore(small.state()).unwrap_err();
    assert!(error.en.contains("other settings"), "{error}");
    assert!(error.zh.contains("别的设置"), "{}", error.zh);
    assert_eq!(
        large.state(),
        before,
        "a refused checkpoint changes nothing"
    );
}
