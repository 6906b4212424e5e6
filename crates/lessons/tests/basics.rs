//! Lessons 1 and 2 through the figures route, and the numbers their exercises state.

mod common;

use brainplay_lessons::figure::{Figures, RunFigures};
use common::{figures_with, training_of};

/// Simulator `id` of lesson `number` with `method` and `dt_ms` changed.
fn run(number: u32, id: &str, method: Option<&str>, dt_ms: Option<f64>) -> RunFigures {
    let figures = figures_with(number, id, |setting| {
        if let Some(method) = method {
            setting.method = Some(method.to_string());
        }
        if let Some(dt) = dt_ms {
            setting.dt_ms = dt;
        }
    });
    match figures.unwrap() {
        Figures::Run(f) => f,
        other => panic!("not a run: {other:?}"),
    }
}

/// `stable_method` and the caption: HH at I = 10 for 100 ms fires 7 spikes with every method at
/// dt = 0.05 ms; at 0.1 ms Euler and RK4 stop on a non-finite state, exponential Euler still fires
/// 7.
#[test]
fn only_exponential_euler_survives_a_large_step() {
    for method in ["euler", "rk4", "exp_euler"] {
        let small = run(2, "integrators", Some(method), Some(0.05));
        assert_eq!(small.spike_times_ms[0].len(), 7, "{method}");
        assert!(small.issues.error.is_none(), "{method}");
        let large = run(2, "integrators", Some(method), Some(0.1));
        match method {
            "exp_euler" => {
                assert!(large.issues.error.is_none());
                assert_eq!(large.spike_times_ms[0].len(), 7);
            }
            _ => assert!(large.issues.error.is_some(), "{method} at 0.1 ms"),
        }
    }
}

/// `population_fires`: of I = 10, 15, 20, 22, 30, 40 only the last three fire (6, 11, 15 spikes).
#[test]
fn three_of_the_population_fire() {
    let f = run(2, "population", None, None);
    let counts: Vec<usize> = f.spike_times_ms.iter().map(Vec::len).collect();
    assert_eq!(counts, [0, 0, 0, 6, 11, 15]);
}

/// `gelu`: the homework's GELU at 1, −1 and 2 (0.84119, −0.15881, 1.95460, to 1e-4).
#[test]
fn gelu_has_the_homeworks_values() {
    let gelu = |x: f64| {
        x * 0.5 * (1.0 + ((2.0 / std::f64::consts::PI).sqrt() * (x + 0.044715 * x.powi(3))).tanh())
    };
    for (x, expected) in [(0.0, 0.0), (1.0, 0.84119), (-1.0, -0.15881), (2.0, 1.95460)] {
        assert!((gelu(x) - expected).abs() < 1e-4, "gelu({x}) = {}", gelu(x));
    }
}

/// Lesson 1's first neuron is silent at its default I = 15 (`make_it_fire` starts there; its
/// solution and wrong setting are run by tests/lessons.rs).
#[test]
fn the_first_neuron_fires_above_its_rheobase() {
    let f = run(1, "first", None, None);
    assert!(f.spike_times_ms[0].is_empty());
}

/// `rk4_order`: the convergence figure's fitted slopes are the methods' orders: Euler and
/// exponential Euler 1 ± 0.2, RK2 2 ± 0.3, RK4 4 ± 0.3.
#[test]
fn the_slopes_are_the_orders() {
    let f = training_of(2, "orders", &[]);
    let title = &f.panels[0].title.en;
    for (name, order, tolerance) in [
        ("Euler", 1.0, 0.2),
        ("RK2", 2.0, 0.3),
        ("RK4", 4.0, 0.3),
        ("exponential Euler", 1.0, 0.2),
    ] {
        let at = title
            .find(&format!(" {name} "))
            .or_else(|| title.find(&format!(": {name} ")))
            .unwrap_or_else(|| panic!("{name} in {title}"));
        let rest = &title[at + name.len() + 2..];
        let slope: f64 = rest
            .split(',')
            .next()
            .unwrap()
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{title}"));
        assert!(
            (slope - order).abs() <= tolerance,
            "{name}: {slope} ({title})"
        );
    }
}

/// `exported_hold`: the option marked correct is what the exported program of the six LIF
/// neurons says, and the wrong one is not in it.
#[test]
fn the_refractory_hold_is_written_as_the_exercise_says() {
    use brainplay_lessons::content::{Figured, Widget};
    use brainplay_lessons::{export, registry, Exercise, Setting};
    let lesson = registry::lessons().iter().find(|l| l.number == 2).unwrap();
    let simulator = lesson.simulators().find(|s| s.id == "population").unwrap();
    let setting = Setting::from_widget(Widget::Simulator(simulator));
    let script = export::script(
        lesson,
        Figured::Widget(Widget::Simulator(simulator)),
        &setting,
    )
    .unwrap();
    let exercise: &Exercise = lesson
        .exercises()
        .find(|e| e.id == "exported_hold")
        .unwrap();
    let brainplay_lessons::Task::Choice {
        options, correct, ..
    } = &exercise.task
    else {
        panic!("exported_hold is a choice");
    };
    // The code between the first pair of backticks of each option.
    let code = |i: usize| options[i].en.split('`').nth(1).unwrap().to_string();
    assert!(
        script.contains(&code(correct[0])),
        "no `{}` in:\n{script}",
        code(correct[0])
    );
    assert!(!script.contains(&code(1)), "`{}` is in the script", code(1));
    assert!(script.contains("I=np.array([10.0, 15.0, 20.0, 22.0, 30.0, 40.0])"));
}
