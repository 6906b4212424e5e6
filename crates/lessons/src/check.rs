//! Checking an exercise's answer, simulating the setting a simulate exercise is answered with.

use brainplay_content::check::check_typed;
#[cfg(feature = "neurons")]
use brainplay_content::check::measured;
pub use brainplay_content::check::{option_label, reference_answer, wrong_answer, Answer, Verdict};

use crate::content::{Exercise, Task};
#[cfg(feature = "neurons")]
use crate::measure::run_measure;
#[cfg(feature = "neurons")]
use crate::setting::Runnable;

/// Checks `answer`; a simulate exercise simulates the submitted setting natively.
pub fn check(exercise: &Exercise, answer: &Answer) -> Verdict {
    let (
        Task::Simulate {
            measure,
            neuron,
            min,
            max,
            ..
        },
        Answer::Setting(setting),
    ) = (&exercise.task, answer)
    else {
        return check_typed(exercise, answer).unwrap_or_else(|| {
            Verdict::wrong(brainplay_content::Text::new(
                "This kind of answer does not fit the exercise.",
                "答案的类型与题目不符。",
            ))
        });
    };
    simulated(setting, measure, *neuron, (*min, *max))
}

/// The verdict on a simulate exercise answered with `setting`: `measure` of `neuron` within
/// `range`.
#[cfg(feature = "neurons")]
fn simulated(
    setting: &crate::setting::Setting,
    measure: &crate::measure::Measure,
    neuron: usize,
    range: (Option<f64>, Option<f64>),
) -> Verdict {
    match run_measure(setting, measure, neuron) {
        // The run succeeded, so the population size is known to be consistent.
        Ok(value) => measured(
            measure,
            value,
            neuron,
            setting.neurons().unwrap_or(1),
            range,
        ),
        Err(e) => Verdict::wrong(e.text()),
    }
}

/// Without the neuron models' code (the learning worker), the message that says where it is.
#[cfg(not(feature = "neurons"))]
fn simulated(
    _: &crate::setting::Setting,
    _: &crate::measure::Measure,
    _: usize,
    _: (Option<f64>, Option<f64>),
) -> Verdict {
    Verdict::wrong(brainplay_content::Text::new(
        "Simulate exercises are checked by the compute worker of lessons 1–11.",
        "模拟题由第 1–11 课的计算线程检查。",
    ))
}
