//! Every lesson file parses, validates, and its exercises check: the reference solution passes,
//! the stated wrong answer fails, every `derive` holds (simulate exercises and derives run real
//! simulations). Broken copies of a test lesson fail with messages that name the problem.
// Native only: it reads the lessons folder from disk; tests/wasm.rs covers the browser.
#![cfg(not(target_arch = "wasm32"))]

use brainplay_lessons::registry::{self, CATALOG, SOURCES};
use brainplay_lessons::{
    check, reference_answer, run_measure, validate, wrong_answer, Lesson, Setting, Task,
};

/// A lesson with every block kind and exercise type, short enough to check fast in debug.
const DEMO_FILE: &str = "03-demo.toml";
const DEMO: &str = include_str!("data/03-demo.toml");

/// Every problem of one lesson file, each naming the file: parse errors, then validation
/// problems, then (for a file that validates) exercises whose checks do not behave.
fn problems(file: &str, source: &str) -> Vec<String> {
    let lesson = match Lesson::parse(source) {
        Ok(lesson) => lesson,
        Err(e) => return vec![format!("{file}: {e}")],
    };
    let problems = validate(&lesson, file);
    if !problems.is_empty() {
        return problems;
    }
    exercise_problems(file, &lesson)
}

fn exercise_problems(file: &str, lesson: &Lesson) -> Vec<String> {
    let mut problems = Vec::new();
    for e in lesson.exercises() {
        let place = format!("{file}: exercise `{}`", e.id);
        let reference = reference_answer(e, lesson).expect("validated");
        let verdict = check(e, &reference);
        if !verdict.correct {
            problems.push(format!(
                "{place}: the reference solution fails: {}",
                verdict.feedback.en
            ));
        }
        let wrong = wrong_answer(e, lesson).expect("validated");
        let verdict = check(e, &wrong);
        if verdict.correct {
            problems.push(format!(
                "{place}: the stated wrong answer passes: {}",
                verdict.feedback.en
            ));
        }
        if let Task::Numeric {
            answer,
            tolerance,
            derive: Some(d),
            ..
        } = &e.task
        {
            let sim = lesson.simulator(&d.simulator).expect("validated");
            match run_measure(&Setting::from_block(sim), &d.measure, d.neuron) {
                Ok(x) if (x - answer).abs() <= *tolerance => {}
                Ok(x) => problems.push(format!(
                    "{place}: derive: {} of neuron {} of simulator `{}` is {x}, not within {tolerance} of the answer {answer}",
                    d.measure, d.neuron, d.simulator
                )),
                Err(why) => problems.push(format!(
                    "{place}: derive: {} of simulator `{}` has no value: {why}",
                    d.measure, d.simulator
                )),
            }
        }
    }
    problems
}

#[test]
fn every_lesson_is_valid_and_its_exercises_check() {
    let mut all = problems(DEMO_FILE, DEMO);
    for (entry, (_, source)) in CATALOG.iter().zip(SOURCES) {
        all.extend(problems(entry.file, source));
    }
    assert!(all.is_empty(), "\n{}", all.join("\n"));
}

/// The catalog (what the site knows of a lesson before fetching it) says what the file says.
#[test]
fn the_catalog_agrees_with_every_lesson_file() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../lessons");
    let on_disk = std::fs::read_dir(dir)
        .expect("the lessons folder")
        .filter(|entry| {
            let name = entry.as_ref().expect("a folder entry").file_name();
            name.to_string_lossy().ends_with(".toml")
        })
        .count();
    assert_eq!(
        CATALOG.len(),
        on_disk,
        "rebuild: build.rs lists every lessons/*.toml"
    );
    for (entry, lesson) in CATALOG.iter().zip(registry::lessons()) {
        assert_eq!(entry.number, lesson.number, "{}", entry.file);
        assert_eq!(entry.slug, lesson.slug, "{}", entry.file);
        assert_eq!(entry.file, format!("{}.toml", lesson.page_name()));
        assert_eq!(entry.title(), lesson.title, "{}", entry.file);
        assert_eq!(entry.summary(), lesson.summary, "{}", entry.file);
        assert_eq!(
            entry.exercises,
            lesson.exercises().count(),
            "{}",
            entry.file
        );
    }
}

#[test]
fn the_course_map_has_every_slot_in_both_languages() {
    let course = registry::course();
    assert_eq!(course.len(), 14);
    for (k, entry) in course.iter().enumerate() {
        assert_eq!(entry.number as usize, k + 1);
        assert_eq!(entry.day, entry.number.div_ceil(2));
        for text in [&entry.title, &entry.summary] {
            assert!(!text.en.is_empty() && !text.zh.is_empty(), "{entry:?}");
        }
        let lesson = registry::lesson(entry.number);
        assert_eq!(entry.available, lesson.is_some(), "{entry:?}");
        if let Some(lesson) = lesson {
            assert_eq!(
                lesson.slug, entry.slug,
                "lesson {} keeps its planned URL",
                entry.number
            );
            assert_eq!(entry.title, lesson.title);
            assert_eq!(entry.exercises, lesson.exercises().count());
        }
    }
}

#[test]
fn lessons_are_found_by_every_name() {
    for lesson in registry::lessons() {
        for name in [
            lesson.number.to_string(),
            format!("{:02}", lesson.number),
            lesson.page_name(),
            lesson.slug.clone(),
        ] {
            assert_eq!(registry::find(&name), Some(lesson), "{name}");
            assert_eq!(
                registry::entry(&name).map(|e| e.number),
                Some(lesson.number)
            );
        }
    }
    assert_eq!(registry::find("99"), None);
    assert_eq!(registry::find("no-such-lesson"), None);
}

/// Every built-in neuron model a lesson's widget runs has an ahead-of-time kernel (the models
/// without one are interpreted, which is slower: `brainplay_sim::KERNEL_MODELS`).
#[test]
fn the_models_lessons_run_have_kernels() {
    for lesson in registry::lessons() {
        for block in lesson.figured_blocks() {
            let brainplay_lessons::figures::Figured::Widget(widget) = block else {
                continue;
            };
            let model = Setting::from_widget(widget).model;
            let neuron = brainplay_sim::library::SOURCES
                .iter()
                .any(|(id, _)| *id == model);
            assert!(
                !neuron || brainplay_sim::KERNEL_MODELS.contains(&model.as_str()),
                "lesson {} runs `{model}`, which has no kernel",
                lesson.number
            );
        }
    }
}

/// Breaking the demo lesson by replacing `from` with `to` (and reading it as `file`) gives a
/// problem that contains `part`.
fn check_broken(file: &str, from: &str, to: &str, part: &str) {
    assert!(DEMO.contains(from), "the demo lesson lacks `{from}`");
    let source = DEMO.replacen(from, to, 1);
    let problems = problems(file, &source);
    assert!(
        problems.iter().any(|p| p.contains(part)),
        "`{from}` → `{to}`: no problem contains `{part}`; got:\n{}",
        problems.join("\n")
    );
}

#[test]
fn broken_lessons_name_their_problem() {
    let cases: &[(&str, &str, &str)] = &[
        // Names the simulation core does not know.
        (
            "model = \"hh\"",
            "model = \"hx\"",
            "03-demo.toml: simulator `ap`: model: unknown model `hx`; built-in models are hh,",
        ),
        (
            "controls = [\"gNa\", \"gK\", \"gL\"]",
            "controls = [\"gNa\", \"gKK\", \"gL\"]",
            "simulator `ap`: controls: `gKK` is not a parameter of hh",
        ),
        (
            "params = { gK =",
            "params = { gKx =",
            "simulator `pop`: params: `gKx` is not a parameter of hh",
        ),
        (
            "[\"m\", \"h\", \"n\", \"I_Na\"]",
            "[\"m\", \"h\", \"n\", \"I_Nax\"]",
            "simulator `ap`: plots[1].vars: `I_Nax` is not a state, helper or parameter of hh",
        ),
        (
            "param = \"I\"",
            "param = \"J\"",
            "f–I curve `fi`: param: `J` is not a parameter of lif",
        ),
        (
            "pulses(amp=10, start=5",
            "pulses(amp=10, strat=5",
            "simulator `ap`: input: input `pulses(amp=10, strat=5",
        ),
        (
            "input = \"pulses(",
            "input = \"gX: pulses(",
            "simulator `ap`: setting: cannot be simulated: the input target `gX` is not a parameter of hh",
        ),
        (
            "gK = [36, 36, 36, 36, 36, 36]",
            "gK = [36, 36, 36, 36, 36]",
            "simulator `pop`: params/init/input: `gK` has 5 values but input sections(values) has 6",
        ),
        ("dt_ms = 0.05", "dt_ms = 2", "simulator `ap`: dt_ms: must lie in (0, 1]"),
        (
            "duration_ms = 200.0",
            "duration_ms = 2000000.0",
            "f–I curve `fi`: duration_ms:",
        ),
        // Widgets that exercises refer to.
        (
            "simulator = \"ap\"\nmeasure = \"spike_count\"",
            "simulator = \"apx\"\nmeasure = \"spike_count\"",
            "exercise `block_na`: simulator: `apx` is not a simulator of this lesson (simulators: `ap`, `pop`, `syn`)",
        ),
        (
            "simulator = \"pop\"",
            "simulator = \"fi\"",
            "exercise `strongest`: derive.simulator: `fi` is not a simulator of this lesson",
        ),
        (
            "neuron = 5",
            "neuron = 6",
            "exercise `strongest`: neuron: simulator `pop` has 6 neuron(s), so neuron 6 does not exist",
        ),
        (
            "measure = \"max:V\"",
            "measure = \"max:Vx\"",
            "exercise `peak`: measure: `Vx` is not a state, helper or parameter of hh",
        ),
        ("measure = \"max:V\"", "measure = \"peak:V\"", "unknown measure `peak:V`"),
        (
            "solution = { gNa = 0 }",
            "solution = { gNa = 500 }",
            "exercise `block_na`: solution: `gNa` = 500 is outside its range [0, 240] mS/cm2",
        ),
        (
            "correct = [0, 2]",
            "correct = [0, 5]",
            "exercise `gates`: correct: option index 5 is out of range",
        ),
        ("wrong = [1]", "wrong = [2, 0]", "exercise `gates`: wrong: is the correct selection"),
        ("wrong = 2", "wrong = 1", "exercise `strongest`: wrong: 1 lies within the tolerance 0"),
        ("min = 0\nmax = 0", "min = 1\nmax = 0", "exercise `block_na`: min/max: min 1 is above max 0"),
        // Ids.
        (
            "id = \"peak\"",
            "id = \"gates\"",
            "block 12 (id `gates`): id: is used by an earlier block",
        ),
        ("id = \"peak\"", "id = \"Peak\"", "block 12 (id `Peak`): id: must match"),
        // The header.
        ("day = 2", "day = 3", "lesson: day: lesson 3 is taught on day 2, not 3"),
        ("slug = \"demo\"", "slug = \"Demo\"", "slug: \"Demo\" must be lowercase"),
        (
            "day = 2",
            "day = 2\nlearning_worker = true",
            "lesson: learning_worker: must be false (or absent): no network of this page learns",
        ),
        (
            "day = 2",
            "day = 2\ngpu_worker = true",
            "lesson: gpu_worker: must be false (or absent): this page has no spiking network",
        ),
        // Text and shape.
        (
            "summary = { en = \"A lesson the tests use.\", zh = \"测试用的课程。\" }",
            "summary = { en = \"A lesson the tests use.\" }",
            "03-demo.toml: TOML parse error at line 7",
        ),
        (
            "summary = { en = \"A lesson the tests use.\", zh = \"测试用的课程。\" }",
            "summary = { en = \"A lesson the tests use.\" }",
            "missing field `zh`",
        ),
        ("zh = \"一个动作电位\"", "zh = \"\"", "the `zh` text is empty"),
        ("caption =", "captoin =", "unknown field `captoin`"),
        ("dt_ms = 0.05", "dt_ms = 0.05\nmethod = \"rk5\"", "unknown method `rk5`"),
        (
            "min = 30",
            "answer = 30",
            "exercise `peak`: `answer` is not a field of a simulate exercise",
        ),
        ("kind = \"fi_curve\"", "kind = \"fi\"", "unknown variant `fi`"),
        ("y = \"w\"", "y = \"u\"", "phase plane `pp`: y: `u` is not a state of fhn"),
        (
            "x_range = [-3.0, 3.0]",
            "x_range = [3.0, -3.0]",
            "phase plane `pp`: x_range: need finite numbers with lo < hi",
        ),
        ("start = [-2.8, -1.8]", "start = [-2.8, 5.0]", "phase plane `pp`: start: (-2.8, 5) is outside"),
        ("params = { I = 0.8 }", "params = { I = [0.8, 0.9] }", "`I` needs one value on a phase plane"),
        (
            "bifurcation = { param = \"I\"",
            "bifurcation = { param = \"Iext\"",
            "phase plane `pp`: bifurcation.param: `Iext` is not a parameter of fhn",
        ),
        (
            "range = [0.0, 2.0], steps = 100",
            "range = [2.0, 2.0], steps = 100",
            "phase plane `pp`: bifurcation.range: need finite numbers with lo < hi, got [2, 2]",
        ),
        ("steps = 100, cycles", "steps = 0, cycles", "bifurcation.steps: must be 1 to 2000, got 0"),
        ("cycles = 20", "cycles = 900", "bifurcation.cycles: at most 500 simulated values, got 900"),
        (
            "cycles = 20,",
            "cycles = 20, cycle_measure_ms = 0,",
            "cycles need cycle_settle_ms ≥ 0 and cycle_measure_ms > 0",
        ),
        ("cycles = 20,", "cycles = 20, period = 3,", "unknown field `period`"),
        ("x = \"x\"", "x = \"y\"", "phase line `line`: x: `y` is not a state of sine_line"),
        (
            "synapses = [\"stdp\"]",
            "synapses = [\"expon\"]",
            "synapse plot `window`: synapses: expon has no weight `w` changed by `on_post_spike`",
        ),
        (
            "span_ms = 20.0\nstep_ms = 5.0",
            "span_ms = 200.0\nstep_ms = 5.0",
            "synapse plot `window`: span_ms: 200 is out of range",
        ),
        ("plot = \"stdp_window\"", "plot = \"window\"", "unknown variant `window`"),
        (
            "model = \"expon\"",
            "model = \"hh\"",
            "simulator `syn`: model: hh is not a synapse (a bench needs `on_spike` and `output`)",
        ),
        (
            "vars = [\"post.V\", \"post.I_syn\"]",
            "vars = [\"post.W\", \"post.I_syn\"]",
            "simulator `syn`: plots[1].vars: `W` is not a state, helper or parameter of lif",
        ),
        (
            "post_params = { V_rest = -60,",
            "post_params = { V_rst = -60,",
            "simulator `syn`: bench.post_params: `V_rst` is not a parameter of lif",
        ),
        (
            "post_init = { V = -60 }",
            "post_init = { U = -60 }",
            "simulator `syn`: bench.post_init: `U` is not a state of lif",
        ),
        (
            "bench = { post = \"lif\"",
            "bench = { post = \"lfi\"",
            "simulator `syn`: model: unknown model `lfi`",
        ),
        (
            "input = \"spikes(times=[10, 30, 50, 70], weight=1)\"\nparams = { tau = 5",
            "params = { tau = 5",
            "simulator `syn`: input: a bench needs an input",
        ),
        (
            "x_range = [-10.0, 10.0]",
            "x_range = [10.0, -10.0]",
            "phase line `line`: x_range: need finite numbers with lo < hi, got [10, -10]",
        ),
        ("params = { I = 0.2 }", "params = { J = 0.2 }", "phase line `line`: params: `J` is not a parameter of sine_line"),
        (
            "range = [0.0, 1.5], steps = 30",
            "range = [0.0, 1.5], steps = 0",
            "phase line `line`: bifurcation.steps: must be 1 to 1000, got 0",
        ),
        ("model = \"sine_line\"", "model = \"sine\"", "phase line `line`: model: unknown model `sine`"),
        (
            "two_parameter = { param = \"a\"",
            "two_parameter = { param = \"I\"",
            "bifurcation.two_parameter: needs a parameter other than `param`",
        ),
        (
            "two_parameter = { param = \"a\"",
            "two_parameter = { param = \"aa\"",
            "bifurcation.two_parameter: `aa` is not a parameter of fhn",
        ),
        (
            "range = [0.5, 1.0], steps = 5",
            "range = [0.5, 1.0], steps = 500",
            "bifurcation.two_parameter: steps: must be 1 to 100, got 500",
        ),
        (
            "x_unit = \"1\"",
            "x_unit = \"1\"\nmeasures = [\"final:Vm\"]",
            "f–I curve `fi`: measures: `Vm`",
        ),
        (
            "x_unit = \"1\"",
            "x_unit = \"1\"\nmeasures = [\"peak:V\"]",
            "peak:V",
        ),
        // Checks that need a simulation.
        (
            "solution = { gNa = 0 }",
            "solution = { gNa = 100 }",
            "exercise `block_na`: the reference solution fails: The neuron fired 1 spike; the task asks for exactly 0.",
        ),
        (
            "wrong_setting = { gNa = 0 }",
            "wrong_setting = { gNa = 100 }",
            "exercise `peak`: the stated wrong answer passes: Correct: The maximum of `V` is",
        ),
        (
            "answer = 1\ntolerance = 0",
            "answer = 3\ntolerance = 0",
            "exercise `strongest`: derive: spike_count of neuron 5 of simulator `pop` is 1, not within 0 of the answer 3",
        ),
    ];
    for (from, to, part) in cases {
        check_broken(DEMO_FILE, from, to, part);
    }
    // The file name must agree with the number and slug.
    check_broken(
        "04-demo.toml",
        "",
        "",
        "04-demo.toml: lesson: number/slug: number 3 and slug \"demo\" make the file name 03-demo.toml",
    );
}

/// A network block too costly to run is refused when the lesson is validated, by the bound every
/// run has (lesson 9's network for 2000 s instead of 200 ms).
#[test]
fn an_oversized_network_block_is_refused() {
    let (_, source) = SOURCES
        .iter()
        .find(|(number, _)| *number == 9)
        .expect("lesson 9");
    let from = "duration_ms = 200.0";
    assert!(source.contains(from));
    let problems = problems(
        "09-ei-balance.toml",
        &source.replacen(from, "duration_ms = 2000000.0", 1),
    );
    assert!(
        problems.iter().any(|p| p.contains("neuron-steps")),
        "{problems:?}"
    );
}
