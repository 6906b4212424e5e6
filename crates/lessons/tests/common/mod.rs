//! What the lesson tests share: a block's figures for its default setting with some values
//! changed, and readers of the training panels (a panel, a line, a number in a title).
#![allow(dead_code)] // each test file uses its part

use brainplay_lessons::content::NetworkPlot;
use brainplay_lessons::figure::{Figures, Panel, TrainingFigures};
use brainplay_lessons::figures::{compute, Cache, Figured};
use brainplay_lessons::{registry, Setting};
use brainplay_sim::Message;

/// The figures of block `id` of lesson `number` at its default setting with `change` applied.
pub fn figures_with(
    number: u32,
    id: &str,
    change: impl FnOnce(&mut Setting),
) -> Result<Figures, Message> {
    let lesson = registry::lesson(number).expect("the lesson exists");
    let block = lesson.figured(id).expect("the block exists");
    let Figured::Widget(widget) = block else {
        panic!("`{id}` is not a widget")
    };
    let mut setting = Setting::from_widget(widget);
    change(&mut setting);
    compute(block, &setting, &mut Cache::default())
}

/// The figures of block `id` of lesson `number` with parameters `params` (one value each).
pub fn figures_of(number: u32, id: &str, params: &[(&str, f64)]) -> Figures {
    figures_with(number, id, |setting| {
        for &(name, value) in params {
            setting.params.insert(name.to_string(), vec![value]);
        }
    })
    .unwrap()
}

/// A training run's figures, as `figures_of`.
pub fn training_of(number: u32, id: &str, params: &[(&str, f64)]) -> TrainingFigures {
    match figures_of(number, id, params) {
        Figures::Training(f) => *f,
        other => panic!("not training figures: {other:?}"),
    }
}

pub fn panel(f: &TrainingFigures, plot: NetworkPlot) -> &Panel {
    f.panel(plot).unwrap_or_else(|| panic!("no {plot:?} panel"))
}

/// The values of the line named `name` (in English).
pub fn line<'a>(p: &'a Panel, name: &str) -> &'a [f64] {
    let line = p.lines.iter().find(|l| l.name.en == name);
    &line.unwrap_or_else(|| panic!("no line `{name}`")).values
}

/// The number after `label` in the panel's English title.
pub fn number_after(p: &Panel, label: &str) -> f64 {
    let title = &p.title.en;
    let at = title
        .find(label)
        .unwrap_or_else(|| panic!("`{label}` in {title}"))
        + label.len();
    let number: String = title[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
        .collect();
    number
        .parse()
        .unwrap_or_else(|_| panic!("a number after `{label}` in {title}"))
}
