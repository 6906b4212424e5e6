//! Cross-checks of a parsed lesson against the simulation core: every model, parameter, state,
//! recorded name, input spec, widget id and measure a file names must exist, so that a mistake
//! fails `cargo test` rather than the page. All problems are reported at once, each naming the
//! file, the block and the field.

use std::collections::{BTreeMap, BTreeSet};

use brainplay_sim::networks::{self, Kind};
use brainplay_sim::{library, Model};

use crate::content::{
    Bench, BifurcationAxis, Block, Derive, Exercise, FiCurve, Lesson, LineBifurcation, Network,
    NetworkPlot, PhaseLine, PhasePlane, Simulator, SynapsePlot, SynapsePlotKind, Task, Widget,
};
use crate::measure::Measure;
use crate::run::{Run, BENCH_CURRENT, POST_PREFIX};
use crate::setting::{built_in, Runnable, Setting};

/// The course has 14 lesson slots, two per day.
pub const LESSON_SLOTS: u32 = 14;

/// The most integration steps times neurons one widget may run. A slider change re-runs the
/// widget, and the page must answer within a frame or two; exercises are rerun by the tests.
pub const MAX_NEURON_STEPS: f64 = 20_000_000.0;

/// The largest time step a widget or share link may use: beyond it the course's models are no
/// longer integrated faithfully by any of the methods.
pub const MAX_DT_MS: f64 = 1.0;

/// Every problem of `lesson`, read from the file `file_name` (`03-hodgkin-huxley.toml`).
pub fn validate(lesson: &Lesson, file_name: &str) -> Vec<String> {
    let mut p = Problems {
        file: file_name,
        list: Vec::new(),
    };
    check_header(&mut p, lesson, file_name);
    let mut ids = BTreeSet::new();
    for (k, block) in lesson.blocks.iter().enumerate() {
        let id = match block {
            Block::Text { .. } => continue,
            Block::Simulator(s) => &s.id,
            Block::FiCurve(f) => &f.id,
            Block::PhasePlane(p) => &p.id,
            Block::PhaseLine(l) => &l.id,
            Block::SynapsePlot(s) => &s.id,
            Block::Network(n) => &n.id,
            Block::Exercise(e) => &e.id,
        };
        let place = format!("block {} (id `{id}`)", k + 1);
        if !is_id(id) {
            p.push(
                &place,
                "id",
                "must match [a-z][a-z0-9_]* (it prefixes share-link keys)",
            );
        }
        if !ids.insert(id.as_str()) {
            p.push(
                &place,
                "id",
                "is used by an earlier block; ids must be unique in a lesson",
            );
        }
    }
    for block in &lesson.blocks {
        match block {
            Block::Text { .. } => {}
            Block::Simulator(s) => check_simulator(&mut p, s),
            Block::FiCurve(f) => check_fi_curve(&mut p, f),
            Block::PhasePlane(plane) => check_phase_plane(&mut p, plane),
            Block::PhaseLine(line) => check_phase_line(&mut p, line),
            Block::SynapsePlot(plot) => check_synapse_plot(&mut p, plot),
            Block::Network(n) => check_network(&mut p, n),
            Block::Exercise(e) => check_exercise(&mut p, e, lesson),
        }
    }
    p.list
}

struct Problems<'a> {
    file: &'a str,
    list: Vec<String>,
}

impl Problems<'_> {
    fn push(&mut self, place: &str, field: &str, message: impl AsRef<str>) {
        self.list.push(format!(
            "{}: {place}: {field}: {}",
            self.file,
            message.as_ref()
        ));
    }
}

fn is_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn check_header(p: &mut Problems, lesson: &Lesson, file_name: &str) {
    let place = "lesson";
    if !(1..=LESSON_SLOTS).contains(&lesson.number) {
        p.push(
            place,
            "number",
            format!("{} is not a course slot 1..={LESSON_SLOTS}", lesson.number),
        );
    }
    let day = lesson.number.div_ceil(2);
    if lesson.day != day {
        p.push(
            place,
            "day",
            format!(
                "lesson {} is taught on day {day}, not {}",
                lesson.number, lesson.day
            ),
        );
    }
    let slug_ok = !lesson.slug.is_empty()
        && lesson.slug.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    if !slug_ok {
        p.push(
            place,
            "slug",
            format!("\"{}\" must be lowercase words joined by `-`", lesson.slug),
        );
    }
    let expected = format!("{}.toml", lesson.page_name());
    if file_name != expected {
        p.push(
            place,
            "number/slug",
            format!(
                "number {} and slug \"{}\" make the file name {expected}",
                lesson.number, lesson.slug
            ),
        );
    }
    if lesson.blocks.is_empty() {
        p.push(place, "blocks", "a lesson needs at least one block");
    }
    let learns = lesson.blocks.iter().any(|block| {
        matches!(block, Block::Network(n)
            if networks::kind(&n.network).is_some_and(crate::figures::learns))
    });
    worker_flag(
        p,
        place,
        ("learning_worker", lesson.learning_worker),
        learns,
        [
            "must be true: a network of this page learns, and only the learning worker has that code",
            "must be false (or absent): no network of this page learns, and the other worker is smaller",
        ],
    );
    let spiking = lesson.blocks.iter().any(|block| {
        matches!(block, Block::Network(n) if networks::kind(&n.network) == Some(networks::Kind::Spiking))
    });
    worker_flag(
        p,
        place,
        ("gpu_worker", lesson.gpu_worker),
        spiking,
        [
            "must be true: this page's spiking networks run on the GPU where the browser has one",
            "must be false (or absent): this page has no spiking network for the GPU",
        ],
    );
    // The GPU worker is built without the analyses (crates/worker, feature `gpu`).
    let analysed = lesson.blocks.iter().any(|block| match block {
        Block::PhasePlane(_) | Block::PhaseLine(_) => true,
        Block::Simulator(s) => s.classify,
        _ => false,
    });
    if lesson.gpu_worker && analysed {
        p.push(
            place,
            "gpu_worker",
            "a page of the GPU worker cannot have phase planes, phase lines or firing patterns (that worker has no analyses)",
        );
    }
}

/// A worker flag of the lesson header, (`key`, its value), held to whether the page `needs` that
/// worker; `why` says what it must be, when needed and when not.
fn worker_flag(
    p: &mut Problems,
    place: &str,
    (key, set): (&str, bool),
    needs: bool,
    [if_needed, if_not]: [&str; 2],
) {
    if set != needs {
        p.push(place, key, if needs { if_needed } else { if_not });
    }
}

/// The model `id`, or a problem naming it.
fn model(p: &mut Problems, place: &str, id: &str) -> Option<Model> {
    let model = library::get(id);
    if model.is_none() {
        let ids: Vec<_> = library::ids().collect();
        p.push(
            place,
            "model",
            format!(
                "unknown model `{id}`; built-in models are {}",
                ids.join(", ")
            ),
        );
    }
    model
}

fn names(list: impl Iterator<Item = String>) -> String {
    list.collect::<Vec<_>>().join(", ")
}

fn param_names(model: &Model) -> String {
    names(model.params.iter().map(|q| q.name.clone()))
}

/// Parameter values: each name a parameter of `model`, each value finite and within the
/// parameter's declared (slider) range.
fn check_param_values(
    p: &mut Problems,
    place: &str,
    field: &str,
    model: &Model,
    values: &BTreeMap<String, Vec<f64>>,
) {
    for (name, xs) in values {
        let Some(i) = model.param_index(name) else {
            p.push(
                place,
                field,
                format!(
                    "`{name}` is not a parameter of {} (parameters: {})",
                    model.id,
                    param_names(model)
                ),
            );
            continue;
        };
        let q = &model.params[i];
        if let Some(x) = xs.iter().find(|x| !(q.min..=q.max).contains(*x)) {
            p.push(
                place,
                field,
                format!(
                    "`{name}` = {x} is outside its range [{}, {}] {}",
                    q.min, q.max, q.unit
                ),
            );
        }
    }
}

/// A name a simulator records: its model's, or on a bench the postsynaptic neuron's as `post.X`
/// (its states, helpers and parameters, and the synaptic current `post.I_syn`).
fn check_simulator_var(
    p: &mut Problems,
    place: &str,
    field: &str,
    s: &Simulator,
    model: &Model,
    var: &str,
) {
    match (s.bench.as_ref(), var.strip_prefix(POST_PREFIX)) {
        (Some(bench), Some(post_var)) => {
            if let Some(post) = library::get(&bench.post) {
                if post_var != BENCH_CURRENT {
                    check_recordable(p, place, field, &post, post_var);
                }
            }
        }
        _ => check_recordable(p, place, field, model, var),
    }
}

fn check_recordable(p: &mut Problems, place: &str, field: &str, model: &Model, var: &str) {
    if model.state_index(var).is_none()
        && model.helper_index(var).is_none()
        && model.param_index(var).is_none()
    {
        let known = names(
            model
                .states
                .iter()
                .map(|s| s.name.clone())
                .chain(model.helpers.iter().map(|h| h.name.clone()))
                .chain(model.params.iter().map(|q| q.name.clone())),
        );
        p.push(
            place,
            field,
            format!(
                "`{var}` is not a state, helper or parameter of {} (it has: {known})",
                model.id
            ),
        );
    }
}

fn check_controls<'a>(
    p: &mut Problems,
    place: &str,
    model: &Model,
    controls: impl Iterator<Item = &'a String>,
) {
    let mut seen = BTreeSet::new();
    for name in controls {
        if model.param_index(name).is_none() {
            p.push(
                place,
                "controls",
                format!(
                    "`{name}` is not a parameter of {} (parameters: {})",
                    model.id,
                    param_names(model)
                ),
            );
        }
        if !seen.insert(name) {
            p.push(place, "controls", format!("`{name}` is listed twice"));
        }
    }
}

/// Duration and step of a widget, and the work a run of `neurons` neurons takes.
fn check_timing(p: &mut Problems, place: &str, duration_ms: f64, dt_ms: f64, neurons: usize) {
    if !(duration_ms.is_finite() && duration_ms > 0.0) {
        p.push(
            place,
            "duration_ms",
            format!("must be a positive number of ms, got {duration_ms}"),
        );
    }
    if !(dt_ms > 0.0 && dt_ms <= MAX_DT_MS) {
        p.push(
            place,
            "dt_ms",
            format!("must lie in (0, {MAX_DT_MS}] ms, got {dt_ms}"),
        );
        return;
    }
    let steps = (duration_ms / dt_ms).floor();
    if steps < 1.0 {
        p.push(
            place,
            "duration_ms",
            format!("{duration_ms} ms is shorter than one step of {dt_ms} ms"),
        );
    }
    if steps * neurons as f64 > MAX_NEURON_STEPS {
        p.push(place, "duration_ms", format!("{steps} steps × {neurons} neurons is more than the {MAX_NEURON_STEPS} a widget may run; shorten it or use a larger dt_ms"));
    }
}

/// Builds the simulation of a setting that passed the other checks: what is left (an input
/// target the model lacks, an OU time constant below dt/2, …) is found by the core itself.
fn check_buildable(p: &mut Problems, place: &str, setting: &Setting, record: &[String]) {
    let built = library::get(&setting.model)
        .ok_or_else(|| format!("unknown model `{}`", setting.model))
        .and_then(|model| {
            Run::start(setting, &model, record, None)
                .map(|_| ())
                .map_err(|e| e.en)
        });
    if let Err(e) = built {
        p.push(place, "setting", format!("cannot be simulated: {e}"));
    }
}

fn check_simulator(p: &mut Problems, s: &Simulator) {
    let place = format!("simulator `{}`", s.id);
    let Some(model) = model(p, &place, &s.model) else {
        return;
    };
    let before = p.list.len();
    check_param_values(p, &place, "params", &model, &s.params);
    for (name, xs) in &s.init {
        if model.state_index(name).is_none() {
            let states = names(model.states.iter().map(|s| s.name.clone()));
            p.push(
                &place,
                "init",
                format!("`{name}` is not a state of {} (states: {states})", model.id),
            );
        }
        if let Some(x) = xs.iter().find(|x| !x.is_finite()) {
            p.push(
                &place,
                "init",
                format!("`{name}` = {x} is not a finite number"),
            );
        }
    }
    let setting = Setting::from_block(s);
    if let Err(e) = setting.input_spec() {
        p.push(&place, "input", e.en);
    }
    let neurons = match setting.neurons() {
        Ok(n) => n,
        Err(e) => {
            p.push(&place, "params/init/input", e.en);
            1
        }
    };
    check_timing(p, &place, s.duration_ms, s.dt_ms, neurons);
    if let Some(bench) = &s.bench {
        check_bench(p, &place, bench, &model, s.input.is_some());
    }
    if let Some(controls) = &s.controls {
        check_controls(p, &place, &model, controls.iter());
    }
    if s.plots.is_empty() {
        p.push(&place, "plots", "a simulator needs at least one plot");
    }
    for (k, plot) in s.plots.iter().enumerate() {
        let field = format!("plots[{k}].vars");
        if plot.vars.is_empty() {
            p.push(&place, &field, "a plot needs at least one variable");
        }
        for var in &plot.vars {
            check_simulator_var(p, &place, &field, s, &model, var);
        }
    }
    if p.list.len() == before {
        let record: Vec<String> = s.plots.iter().flat_map(|plot| plot.vars.clone()).collect();
        check_buildable(p, &place, &setting, &record);
    }
}

/// The figures a network of `kind` has.
fn plots_of(kind: Kind) -> &'static [NetworkPlot] {
    use NetworkPlot::*;
    match kind {
        Kind::Spiking => &[Raster, Rates, Balance],
        Kind::Decision => &[Raster, Rates, Inputs, Psychometric, Chronometric],
        Kind::Ring => &[Profiles, Centre, Activity],
        Kind::Reservoir => &[Series, Phase, Prediction, States],
        Kind::Rtrl => &[Data, Fit, Loss, Parameters],
        Kind::RateRnn => &[Loss, Accuracy, Psychometric, Trial, Units],
        Kind::Coding => &[Data, Raster],
        Kind::Snn => &[Loss, Accuracy, Raster, Units, Trial],
        Kind::Gif => &[Units, Raster],
        Kind::Convergence => &[Data],
        Kind::Cable => &[Data, Units],
    }
}

fn check_network(p: &mut Problems, n: &Network) {
    let place = format!("network `{}`", n.id);
    let (Some(model), Some(kind)) = (built_in(&n.network), networks::kind(&n.network)) else {
        p.push(
            &place,
            "network",
            format!(
                "unknown network `{}`; built-in networks are {}",
                n.network,
                networks::IDS.join(", ")
            ),
        );
        return;
    };
    let before = p.list.len();
    check_param_values(p, &place, "params", &model, &n.params);
    if let Some(controls) = &n.controls {
        check_controls(p, &place, &model, controls.iter());
    }
    let setting = Setting::from_network(n);
    if let Err(e) = setting.input_spec() {
        p.push(&place, "input", e.en);
    }
    if n.input.is_some() && kind != Kind::Spiking {
        p.push(
            &place,
            "input",
            format!(
                "{} takes no input: its parameters set its stimulus",
                n.network
            ),
        );
    }
    check_timing(p, &place, n.duration_ms, n.dt_ms, 0);
    // A decision network's curves come from its trials; a trained network tests itself.
    let curves = kind == Kind::Decision
        && (n.plots.contains(&NetworkPlot::Psychometric)
            || n.plots.contains(&NetworkPlot::Chronometric));
    if curves && (n.coherences.is_empty() || n.trials == 0) {
        p.push(
            &place,
            "coherences",
            "psychometric and chronometric curves need coherences and trials ≥ 1",
        );
    }
    let unused = !n.coherences.is_empty() || n.trials > 0;
    if unused && !curves {
        p.push(
            &place,
            "coherences",
            "coherences and trials are for the psychometric and chronometric curves",
        );
    }
    if let Some(c) = n.coherences.iter().find(|c| !(-100.0..=100.0).contains(*c)) {
        p.push(
            &place,
            "coherences",
            format!("{c} is not a coherence in [−100, 100] %"),
        );
    }
    if n.plots.is_empty() {
        p.push(&place, "plots", "a network block needs at least one plot");
    }
    if let Some(plot) = n.plots.iter().find(|plot| !plots_of(kind).contains(plot)) {
        p.push(
            &place,
            "plots",
            format!("{plot:?} is not a figure of {}", n.network),
        );
    }
    if n.plots.contains(&NetworkPlot::Profiles) && n.snapshots_ms.is_empty() {
        p.push(&place, "snapshots_ms", "profiles need at least one time");
    }
    if let Some(t) = n
        .snapshots_ms
        .iter()
        .find(|t| !(0.0..n.duration_ms).contains(*t))
    {
        p.push(
            &place,
            "snapshots_ms",
            format!("{t} ms is not within the run"),
        );
    }
    if !(n.rate_window_ms.is_finite() && n.rate_window_ms >= n.dt_ms) {
        p.push(
            &place,
            "rate_window_ms",
            format!("must be at least one step ({} ms)", n.dt_ms),
        );
    }
    let overrides = setting.network_params();
    if let Err(e) = &overrides {
        p.push(&place, "params", &e.en);
    }
    // Built as the page would start it, which also bounds its cost (`run::within_bounds`).
    if let (true, Ok(_)) = (p.list.len() == before, overrides) {
        let block = crate::figures::Figured::Widget(Widget::Network(n));
        if let Err(e) = crate::figures::start(block, &setting) {
            p.push(&place, "setting", format!("cannot be simulated: {e}"));
        }
    }
}

/// A synapse bench: the simulator's model is a synapse, the neurons exist and their overrides
/// name their parameters and states, and there is an input (the presynaptic train).
fn check_bench(p: &mut Problems, place: &str, bench: &Bench, synapse: &Model, has_input: bool) {
    if synapse.on_spike.is_empty() || synapse.output.is_none() {
        p.push(
            place,
            "model",
            format!(
                "{} is not a synapse (a bench needs `on_spike` and `output`); synapses: {}",
                synapse.id,
                names(library::synapse_ids().map(String::from))
            ),
        );
    }
    if !has_input {
        p.push(
            place,
            "input",
            "a bench needs an input: the presynaptic spike train, or the presynaptic neuron's input",
        );
    }
    if let Some(text) = &bench.post_input {
        if let Err(e) = text.parse::<brainplay_sim::input::InputSpec>() {
            p.push(
                place,
                "bench.post_input",
                format!("`{text}`: {}", e.message),
            );
        }
    }
    let neurons = [
        (
            "bench.post",
            Some(&bench.post),
            &bench.post_params,
            &bench.post_init,
        ),
        (
            "bench.pre",
            bench.pre.as_ref(),
            &bench.pre_params,
            &bench.pre_init,
        ),
    ];
    for (field, id, params, init) in neurons {
        let Some(id) = id else { continue };
        let Some(neuron) = model(p, place, id) else {
            continue;
        };
        check_param_values(p, place, &format!("{field}_params"), &neuron, params);
        for name in init.keys().filter(|n| neuron.state_index(n).is_none()) {
            p.push(
                place,
                &format!("{field}_init"),
                format!("`{name}` is not a state of {}", neuron.id),
            );
        }
        for (name, values) in params.iter().chain(init) {
            if values.len() != 1 {
                p.push(place, field, format!("`{name}` needs one value on a bench"));
            }
        }
    }
}

/// A synapse figure: its synapses exist and are synapses (one with a weight `w` and
/// `on_post_spike` for the STDP window), and its span and step are usable.
fn check_synapse_plot(p: &mut Problems, plot: &SynapsePlot) {
    let place = format!("synapse plot `{}`", plot.id);
    let before = p.list.len();
    if plot.synapses.is_empty() {
        p.push(&place, "synapses", "name at least one synapse");
    }
    for id in &plot.synapses {
        let Some(synapse) = model(p, &place, id) else {
            continue;
        };
        if synapse.on_spike.is_empty() || synapse.state_index("g").is_none() {
            p.push(
                &place,
                "synapses",
                format!("{id} is not a synapse with a conductance `g`"),
            );
        }
        let learns = !synapse.on_post_spike.is_empty() && synapse.state_index("w").is_some();
        if plot.plot == SynapsePlotKind::StdpWindow && !learns {
            p.push(
                &place,
                "synapses",
                format!("{id} has no weight `w` changed by `on_post_spike`"),
            );
        }
    }
    if plot.plot == SynapsePlotKind::StdpWindow && plot.synapses.len() > 1 {
        p.push(&place, "synapses", "the STDP window shows one synapse");
    }
    let span_ok = match plot.plot {
        SynapsePlotKind::Kinetics => (1.0..=2000.0).contains(&plot.span_ms),
        SynapsePlotKind::StdpWindow => plot.span_ms > 0.0 && plot.span_ms < 100.0,
    };
    if !span_ok {
        p.push(
            &place,
            "span_ms",
            format!(
                "{} is out of range (kinetics: 1 to 2000 ms; STDP window: below 100 ms)",
                plot.span_ms
            ),
        );
    }
    if !(plot.step_ms >= 0.5 && plot.step_ms <= plot.span_ms) {
        p.push(
            &place,
            "step_ms",
            format!(
                "must be at least 0.5 ms and at most span_ms, got {}",
                plot.step_ms
            ),
        );
    }
    if p.list.len() == before {
        if let Err(e) = crate::figures::synapse::compute(plot) {
            p.push(&place, "plot", format!("cannot be computed: {e}"));
        }
    }
}

/// The most values an f–I sweep may have (one neuron each).
const MAX_SWEEP_VALUES: usize = 10_000;

fn check_fi_curve(p: &mut Problems, f: &FiCurve) {
    let place = format!("f–I curve `{}`", f.id);
    let Some(model) = model(p, &place, &f.model) else {
        return;
    };
    let before = p.list.len();
    match model.param_index(&f.param) {
        None => p.push(
            &place,
            "param",
            format!(
                "`{}` is not a parameter of {} (parameters: {})",
                f.param,
                model.id,
                param_names(&model)
            ),
        ),
        Some(i) => {
            let q = &model.params[i];
            if f.from < q.min || f.to > q.max {
                p.push(
                    &place,
                    "from/to",
                    format!(
                        "the sweep {}..{} leaves the range [{}, {}] of `{}`",
                        f.from, f.to, q.min, q.max, q.name
                    ),
                );
            }
        }
    }
    if !(f.from.is_finite() && f.to.is_finite() && f.from <= f.to) {
        p.push(
            &place,
            "from/to",
            format!(
                "need finite numbers with from <= to, got {}..{}",
                f.from, f.to
            ),
        );
    }
    if !(f.step.is_finite() && f.step > 0.0) {
        p.push(&place, "step", format!("must be positive, got {}", f.step));
    }
    let sweep = f.sweep_len();
    if sweep > MAX_SWEEP_VALUES {
        p.push(
            &place,
            "step",
            format!(
                "the sweep has {sweep} values, more than {MAX_SWEEP_VALUES}; use a larger step"
            ),
        );
        return;
    }
    check_timing(p, &place, f.duration_ms, f.dt_ms, sweep);
    check_controls(p, &place, &model, f.controls.iter());
    if f.controls.contains(&f.param) {
        p.push(
            &place,
            "controls",
            format!(
                "`{}` is the swept parameter and cannot also be a slider",
                f.param
            ),
        );
    }
    for measure in &f.measures {
        match measure.var() {
            Some(var) => check_recordable(p, &place, "measures", &model, var),
            None if model.spike.is_none() => p.push(
                &place,
                "measures",
                format!(
                    "`{measure}` needs spikes, but {} has no spike rule",
                    model.id
                ),
            ),
            None => {}
        }
    }
    if f.measures.is_empty() {
        p.push(&place, "measures", "needs at least one measure");
    }
    if p.list.len() == before {
        check_buildable(p, &place, &Setting::from_fi_curve(f), &f.record());
    }
}

fn check_phase_plane(p: &mut Problems, plane: &PhasePlane) {
    let place = format!("phase plane `{}`", plane.id);
    let Some(model) = model(p, &place, &plane.model) else {
        return;
    };
    for (field, var) in [("x", &plane.x), ("y", &plane.y)] {
        if model.state_index(var).is_none() {
            p.push(
                &place,
                field,
                format!("`{var}` is not a state of {}", model.id),
            );
        }
    }
    if plane.x == plane.y {
        p.push(&place, "y", "must differ from x");
    }
    check_range(p, &place, "x_range", plane.x_range);
    check_range(p, &place, "y_range", plane.y_range);
    check_single_values(p, &place, &model, &plane.params, "a phase plane");
    if let Some(controls) = &plane.controls {
        check_controls(p, &place, &model, controls.iter());
    }
    if !(2..=200).contains(&plane.grid) {
        p.push(
            &place,
            "grid",
            format!("must be 2 to 200 nodes per axis, got {}", plane.grid),
        );
    }
    check_timing(p, &place, plane.trajectory_ms, plane.dt_ms, 1);
    if let Some([x, y]) = plane.start {
        let inside = (plane.x_range[0]..=plane.x_range[1]).contains(&x)
            && (plane.y_range[0]..=plane.y_range[1]).contains(&y);
        if !inside {
            p.push(&place, "start", format!("({x}, {y}) is outside the plane"));
        }
    }
    if let Some(axis) = &plane.bifurcation {
        check_bifurcation(p, &place, &model, axis, plane.dt_ms);
    }
}

fn check_phase_line(p: &mut Problems, line: &PhaseLine) {
    let place = format!("phase line `{}`", line.id);
    let Some(model) = model(p, &place, &line.model) else {
        return;
    };
    if model.state_index(&line.x).is_none() {
        p.push(
            &place,
            "x",
            format!("`{}` is not a state of {}", line.x, model.id),
        );
    }
    check_range(p, &place, "x_range", line.x_range);
    check_single_values(p, &place, &model, &line.params, "a phase line");
    if let Some(controls) = &line.controls {
        check_controls(p, &place, &model, controls.iter());
    }
    if !(2..=10_000).contains(&line.samples) {
        p.push(
            &place,
            "samples",
            format!("must be 2 to 10000, got {}", line.samples),
        );
    }
    if let Some(LineBifurcation {
        param,
        range,
        steps,
    }) = &line.bifurcation
    {
        if model.param_index(param).is_none() {
            p.push(
                &place,
                "bifurcation.param",
                format!("`{param}` is not a parameter of {}", model.id),
            );
        }
        check_range(p, &place, "bifurcation.range", *range);
        if !(1..=1000).contains(steps) {
            p.push(
                &place,
                "bifurcation.steps",
                format!("must be 1 to 1000, got {steps}"),
            );
        }
    }
}

/// `[lo, hi]` with finite numbers and lo < hi.
fn check_range(p: &mut Problems, place: &str, field: &str, [lo, hi]: [f64; 2]) {
    if !(lo.is_finite() && hi.is_finite() && lo < hi) {
        p.push(
            place,
            field,
            format!("need finite numbers with lo < hi, got [{lo}, {hi}]"),
        );
    }
}

/// Parameter overrides of a widget that analyses one neuron: known names, one value each.
fn check_single_values(
    p: &mut Problems,
    place: &str,
    model: &Model,
    params: &BTreeMap<String, Vec<f64>>,
    widget: &str,
) {
    for (name, values) in params {
        if model.param_index(name).is_none() {
            p.push(
                place,
                "params",
                format!("`{name}` is not a parameter of {}", model.id),
            );
        } else if values.len() != 1 {
            p.push(
                place,
                "params",
                format!("`{name}` needs one value on {widget}"),
            );
        }
    }
}

fn check_bifurcation(
    p: &mut Problems,
    place: &str,
    model: &Model,
    axis: &BifurcationAxis,
    dt_ms: f64,
) {
    if model.param_index(&axis.param).is_none() {
        p.push(
            place,
            "bifurcation.param",
            format!("`{}` is not a parameter of {}", axis.param, model.id),
        );
    }
    check_range(p, place, "bifurcation.range", axis.range);
    if !(1..=2000).contains(&axis.steps) {
        p.push(
            place,
            "bifurcation.steps",
            format!("must be 1 to 2000, got {}", axis.steps),
        );
    }
    if let Some(second) = &axis.two_parameter {
        let field = "bifurcation.two_parameter";
        if model.param_index(&second.param).is_none() {
            p.push(
                place,
                field,
                format!("`{}` is not a parameter of {}", second.param, model.id),
            );
        } else if second.param == axis.param {
            p.push(place, field, "needs a parameter other than `param`");
        }
        check_range(p, place, "bifurcation.two_parameter.range", second.range);
        if !(1..=100).contains(&second.steps) {
            p.push(
                place,
                field,
                format!("steps: must be 1 to 100, got {}", second.steps),
            );
        }
    }
    if axis.cycles > 500 {
        p.push(
            place,
            "bifurcation.cycles",
            format!("at most 500 simulated values, got {}", axis.cycles),
        );
    }
    if axis.cycles > 0 {
        if !(axis.cycle_settle_ms >= 0.0 && axis.cycle_measure_ms > 0.0) {
            p.push(
                place,
                "bifurcation.cycle_measure_ms",
                "cycles need cycle_settle_ms ≥ 0 and cycle_measure_ms > 0",
            );
        }
        let duration_ms = axis.cycle_settle_ms + axis.cycle_measure_ms;
        check_timing(p, place, duration_ms, dt_ms, axis.cycles);
    }
}

/// The simulator `id` of `lesson` that an exercise refers to in `field`, and its model.
fn referenced<'a>(
    p: &mut Problems,
    place: &str,
    field: &str,
    lesson: &'a Lesson,
    id: &str,
) -> Option<(&'a Simulator, Model)> {
    let Some(s) = lesson.simulator(id) else {
        let ids = names(lesson.simulators().map(|s| format!("`{}`", s.id)));
        p.push(
            place,
            field,
            format!("`{id}` is not a simulator of this lesson (simulators: {ids})"),
        );
        return None;
    };
    library::get(&s.model).map(|m| (s, m))
}

/// A measure of `neuron` of simulator `s`: its variable recordable, the neuron in the population.
fn check_measure(
    p: &mut Problems,
    place: &str,
    field: &str,
    s: &Simulator,
    model: &Model,
    measure: &Measure,
    neuron: usize,
) {
    if let Some(var) = measure.var() {
        check_simulator_var(p, place, field, s, model, var);
    }
    // A bench's spikes are its postsynaptic neuron's.
    let spiking = match &s.bench {
        Some(bench) => library::get(&bench.post),
        None => Some(model.clone()),
    };
    if let Some(spiking) = spiking.filter(|m| measure.var().is_none() && m.spike.is_none()) {
        p.push(
            place,
            field,
            format!(
                "`{measure}` needs spikes, but {} has no spike rule",
                spiking.id
            ),
        );
    }
    if let Ok(n) = Setting::from_block(s).neurons() {
        if neuron >= n {
            p.push(
                place,
                "neuron",
                format!(
                    "simulator `{}` has {n} neuron(s), so neuron {neuron} does not exist",
                    s.id
                ),
            );
        }
    }
}

fn check_exercise(p: &mut Problems, e: &Exercise, lesson: &Lesson) {
    let place = format!("exercise `{}`", e.id);
    match &e.task {
        Task::Numeric {
            answer,
            tolerance,
            wrong,
            derive,
            ..
        } => {
            if !(tolerance.is_finite() && *tolerance >= 0.0) {
                p.push(
                    &place,
                    "tolerance",
                    format!("must be a number >= 0, got {tolerance}"),
                );
            }
            if !answer.is_finite() {
                p.push(
                    &place,
                    "answer",
                    format!("must be a finite number, got {answer}"),
                );
            }
            if (wrong - answer).abs() <= *tolerance {
                p.push(&place, "wrong", format!("{wrong} lies within the tolerance {tolerance} of the answer {answer}, so it would pass"));
            }
            if let Some(Derive {
                simulator,
                measure,
                neuron,
            }) = derive
            {
                if let Some((s, model)) =
                    referenced(p, &place, "derive.simulator", lesson, simulator)
                {
                    check_measure(p, &place, "derive.measure", s, &model, measure, *neuron);
                }
            }
        }
        Task::Choice {
            options,
            correct,
            wrong,
        } => {
            if options.len() < 2 {
                p.push(&place, "options", "a choice needs at least two options");
            }
            for (field, picked) in [("correct", correct), ("wrong", wrong)] {
                if picked.is_empty() {
                    p.push(&place, field, "must pick at least one option");
                }
                if let Some(i) = picked.iter().find(|&&i| i >= options.len()) {
                    p.push(&place, field, format!("option index {i} is out of range: there are {} options (indices from 0)", options.len()));
                }
                let distinct: BTreeSet<_> = picked.iter().collect();
                if distinct.len() != picked.len() {
                    p.push(&place, field, "lists an option twice");
                }
            }
            let as_set = |v: &[usize]| v.iter().copied().collect::<BTreeSet<_>>();
            if as_set(correct) == as_set(wrong) {
                p.push(
                    &place,
                    "wrong",
                    "is the correct selection, so it would pass",
                );
            }
        }
        Task::Table {
            rows,
            columns,
            options,
            cells,
            wrong,
        } => {
            if options.len() < 2 {
                p.push(&place, "options", "a table needs at least two options");
            }
            if rows.is_empty() || columns.is_empty() {
                p.push(&place, "rows/columns", "a table needs rows and columns");
            }
            for (field, table) in [("cells", cells), ("wrong", wrong)] {
                if table.len() != rows.len() || table.iter().any(|r| r.len() != columns.len()) {
                    p.push(
                        &place,
                        field,
                        format!("must be {} rows of {} cells", rows.len(), columns.len()),
                    );
                }
                if let Some(i) = table.iter().flatten().find(|&&i| i >= options.len()) {
                    p.push(&place, field, format!("option index {i} is out of range: there are {} options (indices from 0)", options.len()));
                }
            }
            if cells == wrong {
                p.push(&place, "wrong", "is the correct table, so it would pass");
            }
        }
        Task::Simulate {
            simulator,
            measure,
            neuron,
            min,
            max,
            solution,
            wrong_setting,
        } => {
            match (min, max) {
                (None, None) => p.push(&place, "min/max", "give min, max or both"),
                (Some(lo), Some(hi)) if lo > hi => {
                    p.push(&place, "min/max", format!("min {lo} is above max {hi}"))
                }
                _ => {}
            }
            let Some((s, model)) = referenced(p, &place, "simulator", lesson, simulator) else {
                return;
            };
            check_measure(p, &place, "measure", s, &model, measure, *neuron);
            for (field, values) in [("solution", solution), ("wrong_setting", wrong_setting)] {
                check_param_values(p, &place, field, &model, values);
                if let Err(why) = Setting::from_block(s).with_params(values).neurons() {
                    p.push(&place, field, why.en);
                }
            }
        }
    }
}
