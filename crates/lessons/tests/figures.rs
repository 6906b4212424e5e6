//! Every kind of figure, through the one route the worker and the CLI use
//! (`figures::compute`): simulator traces, sweeps, phase planes with bifurcation diagrams and
//! two-parameter curves, phase lines with their diagrams, and synapse figures. Numbers are the
//! course's (curriculum §5–§8) with the tolerances stated at each check.

use brainplay_lessons::figure::{Figures, LineFigure, PlaneFigure, RunFigures, SweepFigure};
use brainplay_lessons::figures::{compute, Cache, Figured};
use brainplay_lessons::{registry, Lesson, Run, Runnable, Setting};

fn lesson(number: u32) -> &'static Lesson {
    registry::lesson(number).expect("the lesson exists")
}

/// The figures of block `id` of lesson `number`, with `change` applied to its default setting.
fn figures_of(number: u32, id: &str, change: impl FnOnce(&mut Setting)) -> Figures {
    let lesson = lesson(number);
    let block = lesson.figured(id).expect("the block exists");
    let mut setting = match block {
        Figured::Widget(w) => Setting::from_widget(w),
        Figured::SynapsePlot(_) => Setting::of_model("expon"),
    };
    change(&mut setting);
    compute(block, &setting, &mut Cache::default()).expect("the figures compute")
}

fn run(f: Figures) -> RunFigures {
    match f {
        Figures::Run(r) => r,
        other => panic!("not a run: {other:?}"),
    }
}

fn sweep(f: Figures) -> SweepFigure {
    match f {
        Figures::Sweep(s) => s,
        other => panic!("not a sweep: {other:?}"),
    }
}

fn plane(f: Figures) -> PlaneFigure {
    match f {
        Figures::Plane(p) => *p,
        other => panic!("not a plane: {other:?}"),
    }
}

fn line(f: Figures) -> LineFigure {
    match f {
        Figures::Line(l) => l,
        other => panic!("not a line: {other:?}"),
    }
}

fn close(got: f64, want: f64, tolerance: f64, what: &str) {
    assert!(
        (got - want).abs() <= tolerance,
        "{what}: {got} vs {want} (± {tolerance})"
    );
}

/// The names a figure gives its series and rasters (legends: the page shows them as they are).
fn legend_names(figures: &Figures) -> Vec<String> {
    let names = |series: &[brainplay_lessons::figure::Series]| -> Vec<String> {
        series.iter().map(|s| s.name.clone()).collect()
    };
    match figures {
        Figures::Run(f) => f.plots.iter().flat_map(|p| names(p)).collect(),
        Figures::Sweep(f) => names(&f.series),
        Figures::Network(f) => [names(&f.rates), names(&f.inputs), names(&f.balance)]
            .concat()
            .into_iter()
            .chain(f.groups.iter().map(|g| g.name.clone()))
            .collect(),
        Figures::Training(f) => f.groups.iter().map(|g| g.name.clone()).collect(),
        // Planes, lines, rings and reservoirs label by code (translated by the page) or by
        // variable; training panels are labelled in both languages.
        Figures::Plane(_) | Figures::Line(_) | Figures::Ring(_) | Figures::Reservoir(_) => {
            Vec::new()
        }
    }
}

/// A legend name is notation, the same in both languages: variables, parameters with their
/// values, arrows and group names (`V`, `I_ext = 5`, `E → E (I_EE)`, `m_inf`), never an English
/// word, which a Chinese page would show untranslated. A word here is a run of 3 or more
/// lower-case letters standing alone (not part of an identifier such as `m_inf`) that is not a
/// built-in model's id (`expon`: code, shown as the learner picks it).
fn check_notation(name: &str, what: &str) {
    let model_id = |token: &str| {
        let mut ids = brainplay_sim::library::ids().chain(brainplay_sim::library::synapse_ids());
        ids.any(|id| id == token)
    };
    let words = name
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|token| token.len() >= 3 && token.chars().all(|c| c.is_ascii_lowercase()))
        .filter(|token| !model_id(token));
    let words: Vec<&str> = words.collect();
    assert!(
        words.is_empty(),
        "{what}: the legend name `{name}` has English words {words:?}"
    );
}

/// Every widget and synapse figure of every lesson computes at its defaults without an error,
/// and names its series in notation only (`check_notation`).
#[test]
fn every_block_of_every_lesson_has_figures() {
    let mut count = 0;
    for lesson in registry::lessons() {
        let ids: Vec<String> = lesson
            .widgets()
            .map(|w| w.id().to_string())
            .chain(lesson.blocks.iter().filter_map(|b| match b {
                brainplay_lessons::Block::SynapsePlot(p) => Some(p.id.clone()),
                _ => None,
            }))
            .collect();
        for id in ids {
            let figures = figures_of(lesson.number, &id, |_| {});
            let what = format!("lesson {} `{id}`", lesson.number);
            assert_eq!(figures.error(), None, "{what}");
            for name in legend_names(&figures) {
                check_notation(&name, &what);
            }
            count += 1;
        }
    }
    assert!(count >= 30, "{count} blocks");
}

#[test]
fn a_legend_name_in_words_is_caught() {
    for notation in [
        "V",
        "I_ext = 5",
        "E → E (I_EE)",
        "m_inf",
        "V · g_K = 36",
        "I_EE + I_IE",
    ] {
        check_notation(notation, "notation");
    }
    for words in ["input 5", "total", "stimulus → A"] {
        let caught = std::panic::catch_unwind(|| check_notation(words, "words"));
        assert!(caught.is_err(), "`{words}` passed");
    }
}

/// A simulator's figure holds exactly the run's recorded traces, bit for bit, one list per plot.
#[test]
fn simulator_traces_are_the_run() {
    let figures = run(figures_of(3, "ap", |_| {}));
    let block = lesson(3).simulator("ap").unwrap();
    let setting = Setting::from_block(block);
    let vars: Vec<String> = block.plots.iter().flat_map(|p| p.vars.clone()).collect();
    let out = Run::complete(&setting, &setting.model().unwrap(), &vars).unwrap();
    assert_eq!(figures.plots.len(), block.plots.len());
    assert_eq!(figures.t_ms, out.t_ms);
    for (plot, series) in block.plots.iter().zip(&figures.plots) {
        assert_eq!(
            series.len(),
            plot.vars.len(),
            "one neuron: one series per var"
        );
        for (var, s) in plot.vars.iter().zip(series) {
            assert_eq!(s.values, out.trace(var, 0).unwrap(), "{var}");
        }
    }
    assert_eq!(figures.spike_times_ms, out.spike_times_ms);
}

/// The learner's edited equations run instead of the library's; a typo is an error that names
/// the line, not a panic.
#[test]
fn edited_models_run_and_typos_are_errors() {
    let source = brainplay_sim::library::source("lif").unwrap();
    // A doubled input drive: the neuron fires more.
    let doubled = source.replace("R*I", "2*R*I");
    assert_ne!(doubled, source, "the edit applies");
    let spikes = |source: Option<String>| {
        let f = run(figures_of(5, "lif", |s| s.source = source));
        f.spike_times_ms[0].len()
    };
    assert!(spikes(Some(doubled)) > spikes(None));
    let lesson = lesson(5);
    let mut setting = Setting::from_widget(lesson.widget("lif").unwrap());
    setting.source = Some("model broken\ndV/dt = (".into());
    let error = compute(
        lesson.figured("lif").unwrap(),
        &setting,
        &mut Cache::default(),
    )
    .expect_err("a typo is an error");
    assert!(error.en.contains("line 2"), "{error}");
    assert!(error.zh.contains("第 2 行"), "{}", error.zh);
}

/// Lesson 4's f–I curve: one point per swept current, rate = spikes / duration, zero below the
/// rheobase and rising above it.
#[test]
fn sweeps_plot_each_measure_against_the_swept_value() {
    let f = sweep(figures_of(4, "fi", |_| {}));
    let Some(brainplay_lessons::content::Widget::FiCurve(block)) = lesson(4).widget("fi") else {
        panic!("fi is a sweep")
    };
    assert_eq!(f.x, block.values());
    assert_eq!(f.series.len(), 1);
    let rates = &f.series[0].values;
    assert_eq!(rates[0], 0.0, "no input, no spikes");
    assert!(rates.last().unwrap() > &50.0, "{rates:?}");
    for r in rates {
        let spikes = r * block.duration_ms / 1000.0;
        close(
            spikes,
            spikes.round(),
            1e-9,
            "a rate is a whole count per duration",
        );
    }
}

/// FitzHugh–Nagumo (lesson 6): the course's Hopf points at I = 0.33128 and 1.41872 (within 1e-4),
/// one stable fixed point at I = 0.3, a trajectory per start, and the Hopf curve in (a, I) on the
/// course's line I = 1.25 a − 0.5438 (within 1e-3).
#[test]
fn phase_planes_have_the_course_bifurcations() {
    let p = plane(figures_of(6, "fhn_hopf", |_| {}));
    assert_eq!(p.x_label, "V");
    assert!(!p.x_nullclines.is_empty() && !p.y_nullclines.is_empty());
    assert_eq!(p.arrows.len(), 400);
    assert_eq!(p.fixed_points.len(), 1);
    assert!(p.fixed_points[0].stable, "{:?}", p.fixed_points);
    assert_eq!(p.trajectories.len(), 1, "the lesson's start point");
    let diagram = p.bifurcation.expect("a diagram");
    let hopf: Vec<f64> = diagram
        .special
        .iter()
        .filter(|s| s.kind == "hopf")
        .map(|s| s.param)
        .collect();
    assert_eq!(hopf.len(), 2, "{hopf:?}");
    close(hopf[0], 0.33128, 1e-4, "first Hopf");
    close(hopf[1], 1.41872, 1e-4, "second Hopf");
    assert!(
        diagram
            .cycles
            .iter()
            .all(|&(i, _, _)| (0.32..1.43).contains(&i)),
        "cycles only between the Hopf points"
    );
    let curves = p.two_parameter.expect("curves");
    let lower: Vec<_> = curves
        .points
        .iter()
        .filter(|p| p.0 == "hopf" && p.2 < 1.0)
        .collect();
    assert!(lower.len() > 10, "{}", lower.len());
    for (_, a, i) in lower {
        close(*i, 1.25 * a - 0.5438, 1e-3, "Hopf line");
    }
}

/// A click adds a trajectory from where it landed; the diagram, which ignores the clicks and its
/// own parameter's slider, is served from the cache and equals a fresh computation.
#[test]
fn clicks_add_trajectories_and_the_cache_is_exact() {
    let lesson = lesson(6);
    let block = lesson.figured("fhn_hopf").unwrap();
    let mut setting = Setting::from_widget(lesson.widget("fhn_hopf").unwrap());
    let mut cache = Cache::default();
    let first = plane(compute(block, &setting, &mut cache).unwrap());
    setting.starts.push([1.0, 1.0]);
    setting.params.insert("I".into(), vec![0.5]);
    let cached = plane(compute(block, &setting, &mut cache).unwrap());
    let fresh = plane(compute(block, &setting, &mut Cache::default()).unwrap());
    assert_eq!(cached, fresh);
    assert_eq!(cached.trajectories.len(), 2);
    assert_eq!(cached.trajectories[1][0][0], (1.0, 1.0));
    assert_eq!(
        cached.bifurcation, first.bifurcation,
        "I is the diagram's own parameter"
    );
    assert!(
        !cached.fixed_points[0].stable,
        "I = 0.5 is past the Hopf point"
    );
    // A click alone reuses the plane and adds its trajectory.
    setting.starts.push([-1.0, 0.5]);
    let clicked = plane(compute(block, &setting, &mut cache).unwrap());
    assert_eq!(
        clicked,
        plane(compute(block, &setting, &mut Cache::default()).unwrap())
    );
    assert_eq!(clicked.trajectories.len(), 3);
    assert_eq!(clicked.fixed_points, cached.fixed_points);
    // Another parameter moves the diagram.
    setting.params.insert("a".into(), vec![0.8]);
    let moved = plane(compute(block, &setting, &mut cache).unwrap());
    assert_ne!(moved.bifurcation, first.bifurcation);
}

/// dx/dt = sin x + I (lesson 5): at I = 0 the fixed points are kπ, stable where cos x < 0; the
/// pairs meet at I = 1 (within 1e-4).
#[test]
fn phase_lines_have_their_fixed_points_and_saddle_nodes() {
    let l = line(figures_of(5, "sine", |_| {}));
    assert_eq!(l.xs.len(), 2001);
    assert_eq!(l.fixed_points.len(), 7, "kπ for |k| ≤ 3 in [-10, 10]");
    for p in &l.fixed_points {
        let k = (p.x / std::f64::consts::PI).round();
        close(p.x, k * std::f64::consts::PI, 1e-6, "x* = kπ");
        assert_eq!(p.stable, (k as i64) % 2 != 0, "x* = {}", p.x);
    }
    let diagram = l.diagram.expect("a diagram");
    assert!(!diagram.saddle_nodes.is_empty());
    for sn in &diagram.saddle_nodes {
        close(*sn, 1.0, 1e-4, "saddle-node");
    }
}

/// The synapse figures: the STDP window measured pair by pair equals the trace rule's closed form
/// (the stdp synapse's A_pre 0.01, A_post 0.0105, time constants 20 ms; within 1e-9 relative);
/// the kinetics put each synapse's peak at 1, in the order of their time constants.
#[test]
fn synapse_figures_match_their_closed_forms() {
    let window = sweep(figures_of(7, "window", |_| {}));
    assert!(!window.x.is_empty());
    for (&dt, &dw) in window.x.iter().zip(&window.series[0].values) {
        let want: f64 = if dt > 0.0 {
            0.01 * (-dt / 20.0).exp()
        } else {
            -0.0105 * (dt / 20.0).exp()
        };
        assert!(
            (dw - want).abs() < 1e-9 * want.abs(),
            "Δt {dt}: {dw} vs {want}"
        );
    }
    let kinetics = sweep(figures_of(7, "kinetics", |_| {}));
    for s in &kinetics.series {
        let peak = s.values.iter().copied().fold(f64::MIN, f64::max);
        assert_eq!(peak, 1.0, "{} scaled to its peak", s.name);
    }
}

/// A synapse figure that cannot be made says why beside the (empty) figure.
#[test]
fn unusable_synapse_figures_are_errors() {
    use brainplay_lessons::content::{SynapsePlot, SynapsePlotKind};
    let check = |plot, synapses: &[&str], span_ms| {
        let block = SynapsePlot {
            id: "p".into(),
            title: brainplay_lessons::Text::new("t", "t"),
            caption: None,
            plot,
            synapses: synapses.iter().map(|s| s.to_string()).collect(),
            span_ms,
            step_ms: 4.0,
        };
        let f = compute(
            Figured::SynapsePlot(&block),
            &Setting::of_model("expon"),
            &mut Cache::default(),
        )
        .unwrap();
        assert!(f.error().is_some(), "{synapses:?} {span_ms}");
    };
    check(SynapsePlotKind::StdpWindow, &["expon"], 40.0);
    check(SynapsePlotKind::StdpWindow, &["stdp"], 150.0);
    check(SynapsePlotKind::Kinetics, &["nope"], 40.0);
}

/// Lesson 3's numbers for the gates at rest: at the model's resting potential (−70.68 mV)
/// h_∞ ≈ 0.77 and m_∞ ≈ 0.03, at −65 mV h_∞ ≈ 0.60 (the gate sweep, interpolated between its
/// 1-mV grid points; ± 0.01).
#[test]
fn gates_at_rest() {
    let gates = sweep(figures_of(3, "gates", |_| {}));
    let at = |name: &str, v: f64| {
        let series = gates.series.iter().find(|s| s.name == name).unwrap();
        let k = gates.x.iter().position(|&x| x >= v).unwrap();
        let (x0, x1) = (gates.x[k - 1], gates.x[k]);
        let (y0, y1) = (series.values[k - 1], series.values[k]);
        y0 + (y1 - y0) * (v - x0) / (x1 - x0)
    };
    close(at("h_inf", -70.68), 0.77, 0.01, "h_inf at rest");
    close(at("m_inf", -70.68), 0.03, 0.01, "m_inf at rest");
    close(at("h_inf", -65.0), 0.60, 0.01, "h_inf at -65 mV");
}

/// Lesson 5's two homework Q1 runs at I = 22 for 200 ms: 6 spikes with t_ref = 5 ms (advanced
/// Q1, derived by the lesson tests), 7 with t_ref = 0 (basic Q1a, BrainPy's built-in LIF), one
/// every 26.0 ms.
#[test]
fn lif_homework_q1_counts() {
    let count = |t_ref: f64| {
        let f = run(figures_of(5, "lif", |s| {
            s.params.insert("tau_ref".into(), vec![t_ref]);
        }));
        f.spike_times_ms[0].clone()
    };
    assert_eq!(count(5.0).len(), 6);
    let basic = count(0.0);
    assert_eq!(basic.len(), 7);
    close(basic[1] - basic[0], 26.0, 0.2, "ISI without refractoriness");
}

/// Lesson 6's AdEx of the class tutorial (curriculum 6.3b: a = 0, b = 60, τ_w = 30, I = 65) and
/// of advanced homework Q2 (6.5): BrainPy's spike times (to the 0.1-ms step), and the tutorial
/// neuron's only bifurcation, the saddle-node at R I = (V_T − V_rest) − Δ_T = 1.62, with no
/// fixed point at the course's I = 65.
#[test]
fn lesson_6_tutorial_and_homework_adex() {
    let spikes = |id: &str| run(figures_of(6, id, |_| {})).spike_times_ms[0].clone();
    let tutorial = spikes("adex_tutorial");
    assert_eq!(tutorial.len(), 18);
    let isis: Vec<f64> = tutorial.windows(2).map(|w| w[1] - w[0]).collect();
    for (got, want) in isis.iter().zip([5.6, 36.3, 27.3, 30.1, 29.2, 29.4]) {
        close(*got, want, 0.05 + 1e-9, "tutorial ISI");
    }
    close(*isis.last().unwrap(), 29.4, 0.05 + 1e-9, "steady ISI");
    let q2 = spikes("adex_q2");
    assert_eq!(q2.len(), 4);
    for (got, want) in q2.iter().zip([4.9, 15.7, 66.5, 202.9]) {
        close(*got, want, 1e-9, "Q2 spike time");
    }
    let p = plane(figures_of(6, "adex_tutorial_pp", |_| {}));
    assert!(p.fixed_points.is_empty(), "{:?}", p.fixed_points);
    let diagram = p.bifurcation.expect("a diagram");
    let special: Vec<(&str, f64)> = diagram
        .special
        .iter()
        .map(|s| (s.kind.as_str(), s.param))
        .collect();
    assert_eq!(special.len(), 1, "{special:?}");
    assert_eq!(special[0].0, "saddle-node");
    close(special[0].1, 1.62, 5e-3, "saddle-node");
}

/// A run beyond the bounds (`run::MAX_NEURON_STEPS`, `MAX_RECORDED_VALUES`) is refused before it
/// starts, with what to change, whichever route asks (a dt field, a link, a lesson file): lesson
/// 3's action potential at dt 1e-300 ms, and 10 s at dt 1e-4 ms (10⁸ steps of 7 recorded traces).
#[test]
fn runs_beyond_their_bounds_are_refused_before_they_start() {
    let refused = |change: &dyn Fn(&mut Setting)| {
        let lesson = lesson(3);
        let block = lesson.figured("ap").unwrap();
        let Figured::Widget(w) = block else { panic!() };
        let mut setting = Setting::from_widget(w);
        change(&mut setting);
        match compute(block, &setting, &mut Cache::default()) {
            Ok(_) => panic!("not refused"),
            Err(error) => error,
        }
    };
    let tiny_dt = refused(&|s| s.dt_ms = 1e-300);
    assert!(
        tiny_dt.en.contains("neuron-steps") && tiny_dt.en.contains("raise dt"),
        "{tiny_dt}"
    );
    let long = refused(&|s| {
        s.dt_ms = 1e-4;
        s.duration_ms = 10_000.0;
    });
    assert!(long.en.contains("would record"), "{long}");
    // The lesson's own settings are far inside both.
    figures_of(3, "ap", |_| {});
}

/// A network's run is bounded the same way: lesson 9's network at dt 1e-6 ms from a link.
#[test]
fn network_runs_beyond_the_bound_are_refused() {
    let lesson = lesson(9);
    let block = lesson.figured("ei").unwrap();
    let Figured::Widget(w) = block else { panic!() };
    let mut setting = Setting::from_widget(w);
    setting.dt_ms = 1e-6;
    match compute(block, &setting, &mut Cache::default()) {
        Ok(_) => panic!("not refused"),
        Err(error) => assert!(error.en.contains("neuron-steps"), "{error}"),
    }
}

/// A simulator's plots keep at most `MAX_PLOTTED_SAMPLES` samples a trace, however small the
/// learner's dt: lesson 3's action potential at dt = 0.0001 ms (500 000 steps) is recorded
/// every 5th step, its spike still there; at the lesson's dt every step is kept.
#[test]
fn plotted_traces_keep_at_most_the_samples_a_plot_can_use() {
    use brainplay_lessons::run::MAX_PLOTTED_SAMPLES;
    let run = |dt_ms: f64| match figures_of(3, "ap", |s| s.dt_ms = dt_ms) {
        Figures::Run(run) => run,
        other => panic!("not a run: {other:?}"),
    };
    let fine = run(0.0001);
    assert!(
        fine.t_ms.len() <= MAX_PLOTTED_SAMPLES,
        "{}",
        fine.t_ms.len()
    );
    assert!(
        fine.t_ms.len() >= MAX_PLOTTED_SAMPLES / 2,
        "{}",
        fine.t_ms.len()
    );
    let peak = fine.plots[0][0]
        .values
        .iter()
        .copied()
        .fold(f64::MIN, f64::max);
    assert!(peak > 30.0, "the action potential's peak {peak} mV");
    let usual = run(0.01);
    assert_eq!(usual.t_ms.len(), 5000);
}

/// Lesson 3's passive cable through the page's route: its steady state is the lecture's
/// λ r_a I₀ e^(−x/λ) (V_ss(λ)/V_ss(0) = e⁻¹ whatever λ, to 1e-3), and from rest the end where
/// the current enters charges as erf(√(t/τ)) (0.8427 of V_ss(0) after one τ, to 1 %) while x = λ
/// lags behind.
#[test]
fn the_passive_cable_decays_over_one_length_constant() {
    use brainplay_lessons::content::NetworkPlot;
    for lambda in [1.0, 0.37, 1.83] {
        let figures = match figures_of(3, "cable", |s| {
            s.params.insert("lambda".into(), vec![lambda]);
        }) {
            Figures::Training(t) => t,
            other => panic!("not panels: {other:?}"),
        };
        let along = figures.panel(NetworkPlot::Data).expect("the profile");
        let title = &along.title.en;
        let ratio: f64 = title
            .split("= ")
            .nth(1)
            .and_then(|s| s.split(' ').next())
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no ratio in {title}"));
        close(ratio, (-1f64).exp(), 1e-3, "V_ss(λ)/V_ss(0)");
        let v0 = lambda * 100.0 * 0.1;
        let closed_form = &along.lines.last().expect("the closed form").values;
        close(closed_form[0], v0, 1e-9, "λ r_a I₀");
        let end = &along.lines[1].values;
        close(end[0], v0, 0.01 * v0, "charged after 5 τ");
        let over_time = figures.panel(NetworkPlot::Units).expect("the charging");
        let at = |t: f64| {
            over_time
                .x
                .iter()
                .position(|&x| (x - t).abs() < 1e-9)
                .expect("a recorded time")
        };
        let origin = &over_time.lines[0].values;
        close(origin[at(10.0)] / v0, 0.842_700_79, 0.01, "erf(1)");
        assert!(over_time.lines[1].values[at(10.0)] < origin[at(10.0)] * (-1f64).exp());
    }
}

/// Lesson 5's GIF neuron (Mihalaş–Niebur, BrainPy's defaults) in the course's settings: tonic
/// bursting in bursts of 8, 6, 5 and 5 spikes (a burst: intervals under 10 ms), the other rows
/// of the page's table by the sliders, and the rebound spike 48.9 ms after the inhibition ends.
#[test]
fn gif_patterns_are_the_pages_table() {
    let spikes = |id: &str, set: &[(&str, f64)]| {
        run(figures_of(5, id, |s| {
            for (name, value) in set {
                s.params.insert((*name).into(), vec![*value]);
            }
        }))
        .spike_times_ms[0]
            .clone()
    };
    let bursts = |times: &[f64]| {
        let mut sizes = vec![1];
        for w in times.windows(2) {
            if w[1] - w[0] < 10.0 {
                *sizes.last_mut().unwrap() += 1;
            } else {
                sizes.push(1);
            }
        }
        sizes
    };
    assert_eq!(bursts(&spikes("gif", &[])), [8, 6, 5, 5]);
    assert_eq!(
        bursts(&spikes("gif", &[("I", 1.5)])),
        [7],
        "phasic bursting"
    );
    let phasic = spikes("gif", &[("I", 1.5), ("A1", 0.0), ("A2", 0.0)]);
    assert_eq!(phasic.len(), 5, "phasic spiking: {phasic:?}");
    let tonic = spikes("gif", &[("I", 1.5), ("A1", 0.0), ("A2", 0.0), ("a", 0.0)]);
    for w in tonic.windows(2) {
        close(w[1] - w[0], 22.0, 0.05 + 1e-9, "tonic interval");
    }
    let rebound = spikes("gif_rebound", &[]);
    assert_eq!(rebound.len(), 1);
    close(rebound[0], 848.9, 1e-9, "rebound spike");
    assert!(
        spikes("gif_rebound", &[("a", 0.0)]).is_empty(),
        "no rebound without a"
    );
}

/// Lesson 8's STP at 15, 30 and 80 Hz (curriculum §8.5 item 6, F8.19): over the last 300 ms of
/// each 500-ms rate step the rate form's g equals the spiking synapse's mean g within 10 % (the
/// rate form is the mean-field form of the spiking synapse: a regular train's jumps and the
/// window's edges keep them from being equal), and after each step up the rate form's g rises and then
/// sinks by more than 10 % as the resources run down.
#[test]
fn the_rate_form_of_stp_follows_the_spikes() {
    // Both blocks plot g alone in their second plot.
    let g_of = |id: &str| {
        let figures = run(figures_of(8, id, |_| {}));
        let g = figures.plots[1][0].values.clone();
        (figures.t_ms, g)
    };
    let mean = |(t, g): &(Vec<f64>, Vec<f64>), from: f64, to: f64| {
        let inside: Vec<f64> = t
            .iter()
            .zip(g)
            .filter(|(t, _)| (from..to).contains(*t))
            .map(|(_, g)| *g)
            .collect();
        inside.iter().sum::<f64>() / inside.len() as f64
    };
    let spiking = g_of("stp_train");
    let rate = g_of("stp_rate_train");
    // A bench that plots only its synapse still has its time axis.
    assert_eq!(spiking.0.len(), spiking.1.len());
    assert_eq!(spiking.0.len(), rate.0.len());
    for (from, to) in [(200.0, 500.0), (700.0, 1000.0), (1200.0, 1500.0)] {
        let (s, r) = (mean(&spiking, from, to), mean(&rate, from, to));
        assert!(
            (s - r).abs() < 0.1 * r,
            "[{from}, {to}) ms: spiking {s} vs rate {r}"
        );
        // Depression: after the step up the rate form's g rises, then sinks as x runs down.
        let (t, g) = &rate;
        let step: Vec<f64> = t
            .iter()
            .zip(g)
            .filter(|(t, _)| (from - 200.0..to).contains(*t))
            .map(|(_, g)| *g)
            .collect();
        let peak = step.iter().copied().fold(f64::MIN, f64::max);
        assert!(
            *step.last().unwrap() < 0.9 * peak,
            "[{from}, {to}) ms: no depression"
        );
    }
}

/// The jumps of g in a bench run (g alone in the second plot) with their times: g minus what the
/// step's exact exponential-Euler decay (τ = 8 ms) left of the sample before.
fn g_jumps(figures: &brainplay_lessons::figure::RunFigures) -> Vec<(f64, f64)> {
    let g = &figures.plots[1][0].values;
    let decay = (-0.1f64 / 8.0).exp();
    let before = std::iter::once(0.0).chain(g.iter().copied());
    figures
        .t_ms
        .iter()
        .zip(g.iter().zip(before))
        .map(|(t, (now, last))| (*t, now - last * decay))
        .filter(|&(_, jump)| jump > 1e-9)
        .collect()
}

/// Lesson 8's three-factor synapse under a 10 Hz Poisson train (curriculum §8.5 item 4): the
/// jumps rise and fall with the intervals instead of shrinking step by step as on a regular
/// train, and a spike within τ_in = 3 ms of the previous one makes a larger jump than it (the
/// previous spike's active resources are still in y, and a spike adds g_max y).
#[test]
fn poisson_driven_depression_follows_the_intervals() {
    let jumps = g_jumps(&run(figures_of(8, "tf_std_poisson", |_| {})));
    assert!(jumps.len() >= 4, "{jumps:?}");
    assert!(jumps.windows(2).any(|w| w[1].1 > w[0].1), "{jumps:?}");
    let close_pairs: Vec<_> = jumps.windows(2).filter(|w| w[1].0 - w[0].0 < 3.0).collect();
    assert!(
        !close_pairs.is_empty(),
        "this draw has a pair within τ_in: {jumps:?}"
    );
    for w in close_pairs {
        assert!(w[1].1 > w[0].1, "{w:?}");
    }
}

/// Lesson 8's advanced homework Q2 (curriculum §8.7): a LIF neuron driven by 25 fires into the
/// three-factor synapse (τ_rec = 200 ms); the jumps of g are the course's printed 0.0250, 0.0193,
/// 0.0153, 0.0126, 0.0107, 0.0095 and end at 0.0068 (BrainPy, four decimals: within 5e-5).
#[test]
fn the_three_factor_homework_jumps() {
    let jumps: Vec<f64> = g_jumps(&run(figures_of(8, "tf_std_hw", |_| {})))
        .into_iter()
        .map(|(_, jump)| jump)
        .collect();
    let printed = [0.0250, 0.0193, 0.0153, 0.0126, 0.0107, 0.0095];
    for (got, want) in jumps.iter().zip(printed) {
        close(*got, want, 5e-5, "jump");
    }
    close(*jumps.last().unwrap(), 0.0068, 5e-5, "last jump");
}
