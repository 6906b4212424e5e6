//! Lesson 10's widgets through the figures route, and the numbers its exercises and captions
//! state (curriculum §10.2–10.4, with their tolerances).

use brainplay_lessons::content::Task;
use brainplay_lessons::figure::{Figures, NetworkFigures, PlaneFigure, RunFigures};
use brainplay_lessons::figures::{compute, Cache, Figured};
use brainplay_lessons::{registry, Setting};
use brainplay_sim::decision::{Pool, Trial};

fn figures(id: &str, change: impl FnOnce(&mut Setting)) -> Figures {
    let lesson = registry::lesson(10).expect("lesson 10 exists");
    let block = lesson.figured(id).expect("the block exists");
    let Figured::Widget(widget) = block else {
        panic!("`{id}` is not a widget")
    };
    let mut setting = Setting::from_widget(widget);
    change(&mut setting);
    compute(block, &setting, &mut Cache::default()).unwrap()
}

fn network(id: &str, seed: u64) -> NetworkFigures {
    match figures(id, |s| s.seed = seed) {
        Figures::Network(f) => *f,
        other => panic!("not a network: {other:?}"),
    }
}

fn plane(mu: f64, coh: f64) -> PlaneFigure {
    let set = |s: &mut Setting| {
        s.params.insert("mu".into(), vec![mu]);
        s.params.insert("coh".into(), vec![coh]);
    };
    match figures("plane", set) {
        Figures::Plane(f) => *f,
        other => panic!("not a plane: {other:?}"),
    }
}

fn rate_model(coh: f64) -> RunFigures {
    match figures("rate", |s| {
        s.params.insert("coh".into(), vec![coh]);
    }) {
        Figures::Run(f) => f,
        other => panic!("not a run: {other:?}"),
    }
}

/// The mean of `rate` (one value every `t_ms`) over `[from, to)` ms.
fn mean_between(f: &NetworkFigures, rate: usize, from: f64, to: f64) -> f64 {
    let values: Vec<f64> = f
        .t_ms
        .iter()
        .zip(&f.rates[rate].values)
        .filter(|(t, _)| (from..to).contains(*t))
        .map(|(_, r)| *r)
        .collect();
    values.iter().sum::<f64>() / values.len() as f64
}

/// Pool A's and B's mean rates at the end of the stimulus (900–1100 ms) and in the delay.
fn outcome(f: &NetworkFigures) -> ([f64; 2], [f64; 2]) {
    assert_eq!(
        f.groups.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(),
        ["A", "B"]
    );
    let window = |from, to| [0, 1].map(|k| mean_between(f, k, from, to));
    (window(900.0, 1100.0), window(1100.0, 1600.0))
}

/// The `projections` exercise's table is the network's: cell options (w+, w−, 1) against
/// `Trial::factor` for every excitatory projection.
#[test]
fn the_projection_table_is_the_networks() {
    let lesson = registry::lesson(10).unwrap();
    let exercise = lesson
        .exercises()
        .find(|e| e.id == "projections")
        .expect("the exercise exists");
    let Task::Table { cells, .. } = &exercise.task else {
        panic!("a table")
    };
    let trial = Trial::default();
    let factors = [trial.w_plus, trial.w_minus(), 1.0];
    for (row, pre) in cells.iter().zip([Pool::N, Pool::A, Pool::B]) {
        for (&option, post) in row.iter().zip(Pool::ALL) {
            assert_eq!(
                factors[option],
                trial.factor(pre, post),
                "{pre:?} → {post:?}"
            );
        }
    }
}

/// The trial at c = 25.6 % (F10.1, `working_memory`): over five seeds A wins, at 25–70 Hz at the
/// end of the stimulus, B below 10 Hz, and A holds above 20 Hz through the delay (curriculum
/// §10.2 (ii), (iii)). The stimulus panel shows A's mean above B's.
#[test]
fn the_course_trial_decides_and_remembers() {
    for seed in 0..5 {
        let f = network("trial", seed);
        let ([a, b], [delay_a, _]) = outcome(&f);
        assert!(
            (25.0..=70.0).contains(&a) && b < 10.0,
            "seed {seed}: {a} {b}"
        );
        assert!(delay_a > 20.0, "seed {seed}: {delay_a}");
        let mean = |k: usize| f.inputs[k].values.iter().sum::<f64>();
        assert!(mean(0) > mean(1));
    }
}

/// At c = 0 (`zero_coherence`) both pools win across ten seeds (BrainPy: A in 10 of 20), and
/// every trial ends with one pool well above the other in the delay.
#[test]
fn without_evidence_either_pool_wins() {
    let winners: Vec<usize> = (0..10)
        .map(|seed| {
            let (_, [a, b]) = outcome(&network("zero", seed));
            assert!((a - b).abs() > 10.0, "seed {seed}: undecided {a} {b}");
            usize::from(b > a)
        })
        .collect();
    assert!(winners.contains(&0) && winners.contains(&1), "{winners:?}");
}

/// S₁ and S₂ of the rate model at `t_ms`.
fn s_at(f: &RunFigures, t_ms: f64) -> (f64, f64) {
    // The sample labelled t − dt is the state at t.
    let k = f.t_ms.iter().position(|t| *t >= t_ms - 0.1 - 1e-9).unwrap();
    let series = &f.plots[0];
    (series[0].values[k], series[1].values[k])
}

/// The rate model's course runs (curriculum §10.3, ± 0.01, the exercises' tolerance): c = 25.6
/// (F10.4, `rate_final`) and c = −1 (`slow_decision`: population 2 wins, slowly).
#[test]
fn the_rate_model_follows_the_course() {
    let close = |(s1, s2): (f64, f64), (e1, e2): (f64, f64)| {
        assert!(
            (s1 - e1).abs() < 0.01 && (s2 - e2).abs() < 0.01,
            "{s1} {s2}"
        );
    };
    let f = rate_model(25.6);
    close(s_at(&f, 100.0), (0.132, 0.132));
    close(s_at(&f, 1100.0), (0.645, 0.044));
    close(s_at(&f, 2600.0), (0.571, 0.031));
    let f = rate_model(-1.0);
    close(s_at(&f, 1100.0), (0.191, 0.233));
    close(s_at(&f, 2100.0), (0.055, 0.623));
}

/// The plane's fixed points against the curriculum's table (§10.4, 1e-4): positions and
/// stability for μ0 = 0 (`fixed_points`: five), μ0 = 30 with c = 0 (`saddle`), 14 and 100
/// (`one_attractor`).
#[test]
fn the_phase_plane_has_the_courses_fixed_points() {
    let check = |mu: f64, coh: f64, expected: &[(f64, f64, bool)]| {
        let f = plane(mu, coh);
        let found: Vec<(f64, f64, bool)> = f
            .fixed_points
            .iter()
            .map(|p| (p.x, p.y, p.stable))
            .collect();
        assert_eq!(found.len(), expected.len(), "μ0 {mu}, c {coh}: {found:?}");
        for &(x, y, stable) in expected {
            assert!(
                found
                    .iter()
                    .any(|p| (p.0 - x).abs() < 1e-4 && (p.1 - y).abs() < 1e-4 && p.2 == stable),
                "μ0 {mu}, c {coh}: ({x}, {y}) not in {found:?}"
            );
        }
    };
    check(
        0.0,
        0.0,
        &[
            (0.56699, 0.03189, true),
            (0.31384, 0.05579, false),
            (0.10265, 0.10265, true),
            (0.05579, 0.31384, false),
            (0.03189, 0.56699, true),
        ],
    );
    check(
        30.0,
        0.0,
        &[
            (0.65869, 0.05181, true),
            (0.42446, 0.42446, false),
            (0.05181, 0.65869, true),
        ],
    );
    check(
        30.0,
        14.0,
        &[
            (0.66798, 0.04583, true),
            (0.38456, 0.45363, false),
            (0.05911, 0.64810, true),
        ],
    );
    check(30.0, 100.0, &[(0.70928, 0.02396, true)]);
    // The diagram in μ0 finds where the spontaneous state stops being stable (near 10.7 Hz at
    // c = 0), and the planes on either side agree: the symmetric point is stable at 10 Hz, a
    // saddle at 12 Hz.
    let diagram = plane(0.0, 0.0).bifurcation.expect("a diagram");
    assert!(diagram.issues.error.is_none());
    let lost = diagram
        .special
        .iter()
        .find(|p| (10.0..12.0).contains(&p.param))
        .unwrap_or_else(|| panic!("{:?}", diagram.special));
    let symmetric = |mu: f64| {
        let f = plane(mu, 0.0);
        let p = f
            .fixed_points
            .iter()
            .find(|p| (p.x - p.y).abs() < 1e-6)
            .unwrap()
            .clone();
        p.stable
    };
    assert!(symmetric(10.0) && !symmetric(12.0), "{lost:?}");
}

/// The trials over coherence (`speed_accuracy`): every trial runs and is counted, A wins every
/// trial at 51.2 % (BrainPy: 20 of 20) and decides sooner there than at 0 % (BrainPy: 268 against
/// 395 ms on average).
#[test]
fn stronger_evidence_gives_faster_and_more_accurate_choices() {
    let f = network("choices", 0);
    let coherences: Vec<f64> = f.choices.iter().map(|c| c.coherence_pct).collect();
    assert_eq!(coherences, [0.0, 6.4, 12.8, 25.6, 51.2]);
    assert!(f.choices.iter().all(|c| c.trials == 4), "{:?}", f.choices);
    let (weak, strong) = (&f.choices[0], &f.choices[4]);
    assert_eq!(strong.a_wins, 4);
    let mean = |c: &brainplay_lessons::figure::Choices| {
        c.decision_ms.iter().sum::<f64>() / c.decision_ms.len() as f64
    };
    assert!(mean(strong) < mean(weak), "{} {}", mean(strong), mean(weak));
}
