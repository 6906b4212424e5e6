//! Checking an exercise's answer, simulating the setting a simulate exercise is answered with.

use brainplay_content::check::{check_typed, measured};
pub use brainplay_content::check::{option_label, reference_answer, wrong_answer, Answer, Verdict};

use crate::content::{Exercise, Task};
use crate::measure::run_measure;
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
    match run_measure(setting, measure, *neuron) {
        // The run succeeded, so the population size is known to be consistent.
        Ok(value) => measured(
            measure,
            value,
            *neuron,
            setting.neurons().unwrap_or(1),
            (*min, *max),
        ),
        Err(e) => Verdict::wrong(e.text()),
    }
}
