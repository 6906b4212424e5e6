//! Checking a learner's answer to an exercise, with feedback that says what is wrong in both
//! languages without giving the answer away.

use crate::content::{Exercise, Lesson, Task};
use crate::measure::Measure;
use crate::setting::Setting;
use crate::text::{format_number, Text};

/// What a learner submits.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// A numeric exercise's typed value.
    Number(f64),
    /// The indices of the options picked in a choice exercise.
    Choice(Vec<usize>),
    /// A table exercise's cells, row by row: the option picked in each, if any.
    Table(Vec<Vec<Option<usize>>>),
    /// The current setting of the simulator a simulate exercise names.
    Setting(Setting),
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Verdict {
    pub correct: bool,
    pub feedback: Text,
}

impl Verdict {
    pub fn right(feedback: Text) -> Verdict {
        Verdict {
            correct: true,
            feedback,
        }
    }

    pub fn wrong(feedback: Text) -> Verdict {
        Verdict {
            correct: false,
            feedback,
        }
    }
}

/// Checks a typed answer (a number, picked options). `None` for a simulate exercise: its answer
/// is a setting, which must be simulated (`brainplay_lessons::check`) and then judged by
/// `measured`.
pub fn check_typed(exercise: &Exercise, answer: &Answer) -> Option<Verdict> {
    match (&exercise.task, answer) {
        (
            Task::Numeric {
                answer, tolerance, ..
            },
            Answer::Number(x),
        ) => Some(check_number(*x, *answer, *tolerance)),
        (
            Task::Choice {
                options, correct, ..
            },
            Answer::Choice(picked),
        ) => Some(check_choice(options.len(), correct, picked)),
        (
            Task::Table {
                rows,
                columns,
                options,
                cells,
                ..
            },
            Answer::Table(filled),
        ) => Some(check_table(rows, columns, options, cells, filled)),
        (Task::Simulate { .. }, Answer::Setting(_)) => None,
        _ => Some(Verdict::wrong(Text::new(
            "This kind of answer does not fit the exercise.",
            "答案的类型与题目不符。",
        ))),
    }
}

/// The verdict on a simulate exercise whose measure came out as `value` for `neuron` of a
/// population of `neurons`: right within `[min, max]`, else what was measured and asked.
pub fn measured(
    measure: &Measure,
    value: f64,
    neuron: usize,
    neurons: usize,
    (min, max): (Option<f64>, Option<f64>),
) -> Verdict {
    let said = measure.describe(value, neuron, neurons);
    let within = min.is_none_or(|lo| lo <= value) && max.is_none_or(|hi| value <= hi);
    if within {
        Verdict::right(Text::new(
            format!("Correct: {}.", said.en),
            format!("正确：{}。", said.zh),
        ))
    } else {
        let asked = requirement(min, max, measure.unit());
        Verdict::wrong(Text::new(
            format!("{}; the task asks for {}.", said.en, asked.en),
            format!("{}；题目要求{}。", said.zh, asked.zh),
        ))
    }
}

/// The reference solution: the numeric answer, the correct options, or the simulator's default
/// setting with the solution's parameters. `None` if the exercise names a simulator the lesson
/// lacks (validation rules that out for the lessons of the registry).
pub fn reference_answer(exercise: &Exercise, lesson: &Lesson) -> Option<Answer> {
    match &exercise.task {
        Task::Numeric { answer, .. } => Some(Answer::Number(*answer)),
        Task::Choice { correct, .. } => Some(Answer::Choice(correct.clone())),
        Task::Table { cells, .. } => Some(filled(cells)),
        Task::Simulate {
            simulator,
            solution,
            ..
        } => lesson
            .simulator(simulator)
            .map(|s| Answer::Setting(Setting::from_block(s).with_params(solution))),
    }
}

/// The wrong answer the file states, which the check must reject.
pub fn wrong_answer(exercise: &Exercise, lesson: &Lesson) -> Option<Answer> {
    match &exercise.task {
        Task::Numeric { wrong, .. } => Some(Answer::Number(*wrong)),
        Task::Choice { wrong, .. } => Some(Answer::Choice(wrong.clone())),
        Task::Table { wrong, .. } => Some(filled(wrong)),
        Task::Simulate {
            simulator,
            wrong_setting,
            ..
        } => lesson
            .simulator(simulator)
            .map(|s| Answer::Setting(Setting::from_block(s).with_params(wrong_setting))),
    }
}

/// A table with every cell filled as `cells` says.
fn filled(cells: &[Vec<usize>]) -> Answer {
    Answer::Table(
        cells
            .iter()
            .map(|row| row.iter().map(|&c| Some(c)).collect())
            .collect(),
    )
}

/// Right if every cell holds its option; else which cells are empty or wrong (by their row and
/// column headings), so the learner can look at those again.
fn check_table(
    rows: &[Text],
    columns: &[Text],
    options: &[Text],
    cells: &[Vec<usize>],
    filled: &[Vec<Option<usize>>],
) -> Verdict {
    let mut empty = 0;
    let mut wrong = Vec::new();
    for (r, row) in cells.iter().enumerate() {
        for (c, &answer) in row.iter().enumerate() {
            match filled.get(r).and_then(|row| row.get(c)).copied().flatten() {
                None => empty += 1,
                Some(picked) if picked != answer || picked >= options.len() => wrong.push((r, c)),
                Some(_) => {}
            }
        }
    }
    if empty > 0 {
        return Verdict::wrong(Text::new(
            format!("Fill in every cell: {empty} are still empty."),
            format!("请填写每一格：还有 {empty} 格是空的。"),
        ));
    }
    if wrong.is_empty() {
        return Verdict::right(Text::new(
            "Correct: every cell is right.",
            "正确：每一格都对。",
        ));
    }
    let named = |lang: fn(&Text) -> &str| {
        wrong
            .iter()
            .map(|&(r, c)| format!("{} / {}", lang(&rows[r]), lang(&columns[c])))
            .collect::<Vec<_>>()
    };
    Verdict::wrong(Text::new(
        format!(
            "{} of {} cells are not right: {}.",
            wrong.len(),
            cells.iter().map(Vec::len).sum::<usize>(),
            named(|t| &t.en).join("; ")
        ),
        format!(
            "{} 格（共 {} 格）不对：{}。",
            wrong.len(),
            cells.iter().map(Vec::len).sum::<usize>(),
            named(|t| &t.zh).join("；")
        ),
    ))
}

fn check_number(x: f64, answer: f64, tolerance: f64) -> Verdict {
    if !x.is_finite() {
        return Verdict::wrong(Text::new("Enter a number.", "请输入一个数。"));
    }
    // A value typed exactly at the edge of the tolerance must pass even where decimal
    // fractions do not subtract exactly (0.3 - 0.1 > 0.2 in binary floating point).
    let slack = 1e-9 * answer.abs().max(1.0);
    let v = format_number(x);
    if (x - answer).abs() <= tolerance + slack {
        Verdict::right(Text::new("Correct.", "正确。"))
    } else if x < answer {
        Verdict::wrong(Text::new(
            format!("Your value {v} is too low."),
            format!("你的答案 {v} 偏小。"),
        ))
    } else {
        Verdict::wrong(Text::new(
            format!("Your value {v} is too high."),
            format!("你的答案 {v} 偏大。"),
        ))
    }
}

/// Options are labelled A, B, C, … on the page.
pub fn option_label(index: usize) -> String {
    match u8::try_from(index) {
        Ok(i) if i < 26 => char::from(b'A' + i).to_string(),
        _ => (index + 1).to_string(),
    }
}

fn check_choice(options: usize, correct: &[usize], picked: &[usize]) -> Verdict {
    let mut picked = picked.to_vec();
    picked.sort_unstable();
    picked.dedup();
    if picked.is_empty() {
        return Verdict::wrong(Text::new(
            "Select at least one option.",
            "请至少选择一个选项。",
        ));
    }
    if let Some(&bad) = picked.iter().find(|&&i| i >= options) {
        let label = option_label(bad);
        return Verdict::wrong(Text::new(
            format!("There is no option {label}."),
            format!("没有选项 {label}。"),
        ));
    }
    let wrong: Vec<String> = picked
        .iter()
        .filter(|i| !correct.contains(i))
        .map(|&i| option_label(i))
        .collect();
    let missing = correct.iter().filter(|i| !picked.contains(i)).count();
    if wrong.is_empty() && missing == 0 {
        return Verdict::right(Text::new("Correct.", "正确。"));
    }
    // Say which picks are wrong, but only how many correct options are missing: naming them
    // would give the answer away.
    let mut en = Vec::new();
    let mut zh = Vec::new();
    match wrong.as_slice() {
        [] => {}
        [one] => {
            en.push(format!("Option {one} is not correct."));
            zh.push(format!("选项 {one} 不正确。"));
        }
        [rest @ .., last] => {
            en.push(format!(
                "Options {} and {last} are not correct.",
                rest.join(", ")
            ));
            zh.push(format!("选项 {}、{last} 不正确。", rest.join("、")));
        }
    }
    match missing {
        0 => {}
        1 => {
            en.push("One correct option is not selected yet.".to_string());
            zh.push("还有 1 个正确选项没有选。".to_string());
        }
        m => {
            en.push(format!("{m} correct options are not selected yet."));
            zh.push(format!("还有 {m} 个正确选项没有选。"));
        }
    }
    Verdict::wrong(Text::new(en.join(" "), zh.concat()))
}

/// "exactly 1", "at least 40 Hz", "between 2 and 5 ms", … for feedback.
fn requirement(min: Option<f64>, max: Option<f64>, unit: &str) -> Text {
    let with_unit = |x: f64| {
        if unit.is_empty() {
            format_number(x)
        } else {
            format!("{} {}", format_number(x), crate::text::typeset_unit(unit))
        }
    };
    match (min, max) {
        (Some(lo), Some(hi)) if lo == hi => Text::new(
            format!("exactly {}", with_unit(lo)),
            format!("恰好为 {}", with_unit(lo)),
        ),
        (Some(lo), Some(hi)) => Text::new(
            format!("between {} and {}", format_number(lo), with_unit(hi)),
            format!("在 {} 到 {} 之间", format_number(lo), with_unit(hi)),
        ),
        (Some(lo), None) => Text::new(
            format!("at least {}", with_unit(lo)),
            format!("至少为 {}", with_unit(lo)),
        ),
        (None, Some(hi)) => Text::new(
            format!("at most {}", with_unit(hi)),
            format!("至多为 {}", with_unit(hi)),
        ),
        (None, None) => Text::new("any value", "任意值"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_numeric(x: f64, want: (bool, &str, &str)) {
        let v = check_number(x, 10.0, 1.0);
        assert_eq!(
            (v.correct, v.feedback.en.as_str(), v.feedback.zh.as_str()),
            want,
            "{x}"
        );
    }

    #[test]
    fn numbers() {
        check_numeric(10.0, (true, "Correct.", "正确。"));
        check_numeric(11.0, (true, "Correct.", "正确。"));
        check_numeric(
            5.0,
            (false, "Your value 5 is too low.", "你的答案 5 偏小。"),
        );
        check_numeric(
            12.5,
            (
                false,
                "Your value 12.5 is too high.",
                "你的答案 12.5 偏大。",
            ),
        );
        check_numeric(f64::NAN, (false, "Enter a number.", "请输入一个数。"));
        assert!(check_number(0.3, 0.1, 0.2).correct);
    }

    fn check_choices(picked: &[usize], want: (bool, &str, &str)) {
        let v = check_choice(4, &[1, 3], picked);
        assert_eq!(
            (v.correct, v.feedback.en.as_str(), v.feedback.zh.as_str()),
            want,
            "{picked:?}"
        );
    }

    #[test]
    fn choices() {
        check_choices(&[3, 1], (true, "Correct.", "正确。"));
        check_choices(&[1, 3, 3], (true, "Correct.", "正确。"));
        check_choices(
            &[1],
            (
                false,
                "One correct option is not selected yet.",
                "还有 1 个正确选项没有选。",
            ),
        );
        check_choices(
            &[0, 1, 3],
            (false, "Option A is not correct.", "选项 A 不正确。"),
        );
        check_choices(
            &[0, 2],
            (
                false,
                "Options A and C are not correct. 2 correct options are not selected yet.",
                "选项 A、C 不正确。还有 2 个正确选项没有选。",
            ),
        );
        check_choices(
            &[],
            (false, "Select at least one option.", "请至少选择一个选项。"),
        );
        check_choices(&[7], (false, "There is no option H.", "没有选项 H。"));
        assert_eq!(option_label(26), "27");
    }

    fn check_cells(filled: &[[Option<usize>; 2]], want: (bool, &str, &str)) {
        let text = |en: &str, zh: &str| Text::new(en, zh);
        let rows = [text("from A", "来自 A"), text("from B", "来自 B")];
        let columns = [text("to A", "到 A"), text("to B", "到 B")];
        let options = [text("w+", "w+"), text("w−", "w−")];
        let filled: Vec<Vec<Option<usize>>> = filled.iter().map(|r| r.to_vec()).collect();
        let v = check_table(
            &rows,
            &columns,
            &options,
            &[vec![0, 1], vec![1, 0]],
            &filled,
        );
        assert_eq!(
            (v.correct, v.feedback.en.as_str(), v.feedback.zh.as_str()),
            want,
            "{filled:?}"
        );
    }

    #[test]
    fn tables() {
        let right = "Correct: every cell is right.";
        check_cells(
            &[[Some(0), Some(1)], [Some(1), Some(0)]],
            (true, right, "正确：每一格都对。"),
        );
        check_cells(
            &[[Some(0), None], [Some(1), None]],
            (
                false,
                "Fill in every cell: 2 are still empty.",
                "请填写每一格：还有 2 格是空的。",
            ),
        );
        check_cells(
            &[[Some(1), Some(1)], [Some(1), Some(1)]],
            (
                false,
                "2 of 4 cells are not right: from A / to A; from B / to B.",
                "2 格（共 4 格）不对：来自 A / 到 A；来自 B / 到 B。",
            ),
        );
        // An index beyond the options is never right.
        check_cells(
            &[[Some(0), Some(1)], [Some(1), Some(9)]],
            (
                false,
                "1 of 4 cells are not right: from B / to B.",
                "1 格（共 4 格）不对：来自 B / 到 B。",
            ),
        );
    }

    #[test]
    fn requirements() {
        let check = |min, max, unit, en: &str, zh: &str| {
            assert_eq!(requirement(min, max, unit), Text::new(en, zh));
        };
        check(Some(1.0), Some(1.0), "", "exactly 1", "恰好为 1");
        check(Some(40.0), None, "Hz", "at least 40 Hz", "至少为 40 Hz");
        check(None, Some(20.0), "ms", "at most 20 ms", "至多为 20 ms");
        check(
            Some(2.0),
            Some(5.5),
            "",
            "between 2 and 5.5",
            "在 2 到 5.5 之间",
        );
    }
}
