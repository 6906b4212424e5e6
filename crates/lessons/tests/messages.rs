//! The errors a learner meets reach the page in both languages: a run beyond the neuron-step
//! bound (from a setting, and from a share link), a model text that does not parse, an input
//! protocol that does not parse, a network too large for the CPU, a training run too costly and
//! a block without a BrainPy export. Each Chinese message is Chinese (not the English copied
//! over) and carries the same numbers as the English.

use brainplay_lessons::describe::{describe, open};
use brainplay_lessons::figures::{compute, start, Cache, Figured};
use brainplay_lessons::{export, registry, Lesson, Setting, Text};
use brainplay_sim::Message;

fn lesson(number: u32) -> &'static Lesson {
    registry::lesson(number).expect("the lesson exists")
}

/// The numbers in `text` (runs of digits and decimal points), in order.
fn numbers(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map(|s| s.trim_matches('.'))
        .filter(|s| s.chars().any(|c| c.is_ascii_digit()))
        .map(String::from)
        .collect()
}

/// `en` and `zh` are a translation of each other as far as a test can tell: the Chinese has
/// Chinese characters, and both have the same numbers (in any order: a translation may reorder).
fn check(what: &str, en: &str, zh: &str) {
    assert!(!en.is_empty() && !zh.is_empty(), "{what}: `{en}` / `{zh}`");
    assert!(
        zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{what}: the Chinese has no Chinese characters: `{zh}`"
    );
    let (mut in_en, mut in_zh) = (numbers(en), numbers(zh));
    in_en.sort();
    in_zh.sort();
    assert_eq!(
        in_en, in_zh,
        "{what}: numbers differ\n  en: {en}\n  zh: {zh}"
    );
}

fn check_message(what: &str, m: &Message) {
    check(what, &m.en, &m.zh);
}

fn check_text(what: &str, t: &Text) {
    check(what, &t.en, &t.zh);
}

/// The error of computing block `id` of lesson `number` at its defaults changed by `change`.
fn refused(number: u32, id: &str, change: impl FnOnce(&mut Setting)) -> Message {
    let lesson = lesson(number);
    let block = lesson.figured(id).expect("the block exists");
    let Figured::Widget(widget) = block else {
        panic!("`{id}` is not a widget")
    };
    let mut setting = Setting::from_widget(widget);
    change(&mut setting);
    match start(block, &setting) {
        Ok(_) => panic!("lesson {number} `{id}` was not refused"),
        Err(error) => error,
    }
}

#[test]
fn a_run_beyond_the_neuron_step_bound() {
    let error = refused(3, "ap", |s| s.dt_ms = 1e-9);
    assert!(error.en.contains("neuron-steps"), "{error}");
    check_message("tiny dt", &error);
    // 50 ms at 1e-9 ms: 5e10 steps of one neuron, in both languages.
    assert!(error.zh.contains("5.000e10"), "{}", error.zh);

    // A share link with that dt keeps the default and says why.
    let opened = open(lesson(3), "ap.dt=0.000000001");
    assert_eq!(opened.notices.len(), 1, "{:?}", opened.notices);
    check_text("tiny dt in a link", &opened.notices[0].message);
}

#[test]
fn a_model_text_that_does_not_parse() {
    let problem = describe("model x\ndV/dt = (").unwrap_err();
    assert_eq!(problem.line, 2);
    check_text("describe", &problem.message);

    // The same typo in a widget's edited model: where it is comes first, in either language.
    let error = refused(3, "ap", |s| {
        s.source = Some("model broken\ndV/dt = (".into())
    });
    assert!(error.en.contains("line 2"), "{error}");
    assert!(error.zh.contains("第 2 行"), "{}", error.zh);
    check_message("edited model", &error);
}

#[test]
fn an_input_protocol_that_does_not_parse() {
    for input in ["pulses(amp=1", "constant(", "nope(1)"] {
        let error = refused(3, "ap", |s| s.input = Some(input.into()));
        assert!(error.en.contains(input), "{error}");
        assert!(error.zh.contains(input), "{}", error.zh);
        check_message(input, &error);
    }
}

#[test]
fn a_network_too_large_for_the_cpu() {
    let error = refused(9, "ei", |s| {
        s.params.insert("scale".into(), vec![4.0]);
    });
    assert!(error.en.contains("needs a GPU"), "{error}");
    check_message("scale 4", &error);
}

#[test]
fn a_training_run_too_costly() {
    let error = refused(13, "decision", |s| {
        for (name, value) in [("units", 256.0), ("batch", 256.0), ("iterations", 3000.0)] {
            s.params.insert(name.into(), vec![value]);
        }
    });
    assert!(error.en.contains("fewer units"), "{error}");
    check_message("rate RNN", &error);
}

#[test]
fn a_block_without_an_export() {
    let lesson = lesson(9);
    let block = lesson.figured("ei").expect("the block exists");
    let Figured::Widget(widget) = block else {
        panic!("`ei` is not a widget")
    };
    let error = export::script(lesson, block, &Setting::from_widget(widget)).unwrap_err();
    assert!(error.en.contains("no BrainPy export yet"), "{error}");
    check_message("export", &error);
}

/// A figure that computes but stops: lesson 13's scalar RNN at η = 5, whose loss blows up, says
/// so in both languages.
#[test]
fn an_issue_in_the_figures() {
    let lesson = lesson(13);
    let block = lesson.figured("sequence").expect("the block exists");
    let Figured::Widget(widget) = block else {
        panic!("`sequence` is not a widget")
    };
    let mut setting = Setting::from_widget(widget);
    setting.params.insert("eta".into(), vec![5.0]);
    let figures = compute(block, &setting, &mut Cache::default()).unwrap();
    let error = figures.error().expect("the training diverges");
    check_text("diverged", error);
}
