//! The lesson file format (`docs/lesson-format.md`) as Rust types, read with serde from TOML.
//!
//! Authors write TOML; the site ships each lesson in postcard ([`Lesson::data_of`], written by
//! `lesson-data` at build time), because reading a binary form whose fields come in a fixed
//! order takes a small fraction of the code that reading TOML (or JSON) takes in the page's and
//! the worker's wasm. Custom readers below ask `is_human_readable` to tell the two apart. Both
//! forms fill the same types, so a lesson means the same in either (tested over every lesson).
//!
//! Parsing checks the shape of a file: fields, types, bilingual text, measure names. Whether
//! the names in it exist in the simulation core (models, parameters, simulators an exercise
//! refers to) is `validate`'s job, which reports every problem at once.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::measure::Measure;
use crate::text::Text;

/// One lesson page.
pub type Lesson = LessonOf<Block>;

/// A lesson page whose blocks take the form `B`: [`Block`] as the site ships them, or
/// [`TaggedBlock`] as authors write them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonOf<B> {
    /// The course slot, 1..=14.
    pub number: u32,
    /// The file name after `NN-`; the page is `/lesson/NN-slug`.
    pub slug: String,
    /// Course day, 1..=7.
    pub day: u32,
    pub title: Text,
    /// One line for the course map.
    pub summary: Text,
    /// Whether the page's networks learn (lessons 12–14), so that the learning worker computes
    /// them: the other pages' worker is built without the learning code (`crates/worker`). A
    /// test holds the flag to the page's networks.
    #[serde(default)]
    pub learning_worker: bool,
    /// Whether the page has spiking networks that run on the GPU where the browser has one
    /// (lesson 9): the page then starts the GPU worker (the compute worker with the GPU code)
    /// instead of the compute worker. A test holds the flag to the page's networks.
    #[serde(default)]
    pub gpu_worker: bool,
    /// The page, top to bottom.
    pub blocks: Vec<B>,
}

/// One block of a page. In the JSON the site ships, a block is `{"simulator": {…}}`: a reader
/// of that form fills the variant straight from the text, where the authors' form (a table with
/// `kind = "simulator"` among its fields, [`TaggedBlock`]) must first be read whole into a
/// buffer and read a second time — code that was a tenth of the page's wasm.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Block {
    Text { body: Text },
    Simulator(Simulator),
    FiCurve(FiCurve),
    PhasePlane(PhasePlane),
    PhaseLine(PhaseLine),
    Network(Network),
    SynapsePlot(SynapsePlot),
    Exercise(Exercise),
}

impl Block {
    /// The block's Markdown texts: what the page renders as prose (titles, options and table
    /// headings are plain text).
    pub fn markdown_mut(&mut self) -> Vec<&mut Text> {
        match self {
            Block::Text { body } => vec![body],
            Block::Simulator(s) => s.caption.iter_mut().collect(),
            Block::FiCurve(_) => vec![],
            Block::PhasePlane(p) => p.caption.iter_mut().collect(),
            Block::PhaseLine(l) => l.caption.iter_mut().collect(),
            Block::SynapsePlot(s) => s.caption.iter_mut().collect(),
            Block::Network(n) => n.caption.iter_mut().collect(),
            Block::Exercise(e) => [&mut e.question, &mut e.explanation]
                .into_iter()
                .chain(&mut e.hints)
                .collect(),
        }
    }
}

/// A [`Block`] as authors write it in a lesson file: a table whose `kind` names the variant.
#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum TaggedBlock {
    Text { body: Text },
    Simulator(Simulator),
    FiCurve(FiCurve),
    PhasePlane(PhasePlane),
    PhaseLine(PhaseLine),
    Network(Network),
    SynapsePlot(SynapsePlot),
    Exercise(Exercise),
}

impl From<TaggedBlock> for Block {
    fn from(block: TaggedBlock) -> Block {
        match block {
            TaggedBlock::Text { body } => Block::Text { body },
            TaggedBlock::Simulator(b) => Block::Simulator(b),
            TaggedBlock::FiCurve(b) => Block::FiCurve(b),
            TaggedBlock::PhasePlane(b) => Block::PhasePlane(b),
            TaggedBlock::PhaseLine(b) => Block::PhaseLine(b),
            TaggedBlock::SynapsePlot(b) => Block::SynapsePlot(b),
            TaggedBlock::Network(b) => Block::Network(b),
            TaggedBlock::Exercise(b) => Block::Exercise(b),
        }
    }
}

/// A figure computed by simulating synapses (`synapse_plots`): their conductances after one
/// spike side by side, or the STDP window measured pair by pair.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SynapsePlot {
    pub id: String,
    pub title: Text,
    pub caption: Option<Text>,
    pub plot: SynapsePlotKind,
    /// Synapse models: several for `kinetics`, one (with `on_post_spike`) for `stdp_window`.
    pub synapses: Vec<String>,
    /// `kinetics`: the time shown after the spike; `stdp_window`: the largest |t_post − t_pre|.
    pub span_ms: f64,
    /// `stdp_window`: the spacing of the pairs' delays.
    #[serde(default = "default_window_step_ms")]
    pub step_ms: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SynapsePlotKind {
    /// Each synapse's conductance after one presynaptic spike, scaled to its peak.
    Kinetics,
    /// The weight change of one pre–post pair against t_post − t_pre.
    StdpWindow,
}

fn default_window_step_ms() -> f64 {
    2.0
}

/// A live phase line of one state variable (any others held at their initial values): dx/dt
/// against x, the fixed points with their stability and the direction of the flow; with a
/// `bifurcation`, the fixed points as one parameter varies and the saddle-nodes between.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseLine {
    pub id: String,
    pub model: String,
    pub title: Text,
    pub caption: Option<Text>,
    pub x: String,
    pub x_range: [f64; 2],
    /// Overrides of the model's defaults (one value each).
    #[serde(default, deserialize_with = "per_neuron_map")]
    pub params: BTreeMap<String, Vec<f64>>,
    /// Parameters shown as sliders (default: all).
    pub controls: Option<Vec<String>>,
    /// Points where dx/dt is sampled, ends included.
    #[serde(default = "default_line_samples")]
    pub samples: usize,
    pub bifurcation: Option<LineBifurcation>,
}

/// The parameter a phase line's one-variable bifurcation diagram varies.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineBifurcation {
    pub param: String,
    pub range: [f64; 2],
    #[serde(default = "default_line_bifurcation_steps")]
    pub steps: usize,
}

fn default_line_samples() -> usize {
    801
}

fn default_line_bifurcation_steps() -> usize {
    100
}

/// A live phase plane of two state variables: nullclines, the vector field, fixed points with
/// their stability, and trajectories started by clicking; parameters are sliders.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhasePlane {
    pub id: String,
    pub model: String,
    pub title: Text,
    pub caption: Option<Text>,
    /// The horizontal and vertical state variables.
    pub x: String,
    pub y: String,
    pub x_range: [f64; 2],
    pub y_range: [f64; 2],
    /// Overrides of the model's defaults (one value each).
    #[serde(default, deserialize_with = "per_neuron_map")]
    pub params: BTreeMap<String, Vec<f64>>,
    /// Parameters shown as sliders (default: all).
    pub controls: Option<Vec<String>>,
    /// Grid nodes per axis for nullclines, arrows and fixed-point starts.
    #[serde(default = "default_plane_grid")]
    pub grid: usize,
    /// How long a trajectory runs.
    #[serde(default = "default_trajectory_ms")]
    pub trajectory_ms: f64,
    #[serde(default = "default_plane_dt_ms")]
    pub dt_ms: f64,
    /// A trajectory shown from the start, from this point.
    pub start: Option<[f64; 2]>,
    /// A bifurcation diagram of this plane's fixed points, drawn beside it.
    pub bifurcation: Option<BifurcationAxis>,
}

/// The parameter a phase plane's bifurcation diagram varies, and how: fixed-point branches by
/// continuation over `steps` steps, and the range of `x` found by simulating `cycles` values
/// (one population run) to show limit cycles.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BifurcationAxis {
    pub param: String,
    pub range: [f64; 2],
    #[serde(default = "default_bifurcation_steps")]
    pub steps: usize,
    /// Parameter values simulated for limit cycles; 0: none.
    #[serde(default = "default_cycle_values")]
    pub cycles: usize,
    /// Each of those runs settles this long, then its range is measured for `cycle_measure_ms`.
    #[serde(default = "default_cycle_settle_ms")]
    pub cycle_settle_ms: f64,
    #[serde(default = "default_cycle_measure_ms")]
    pub cycle_measure_ms: f64,
    /// A second parameter: the curves of saddle-node and Hopf points in the two.
    pub two_parameter: Option<SecondParameter>,
}

/// The second parameter of a two-parameter diagram, sampled at `steps + 1` values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecondParameter {
    pub param: String,
    pub range: [f64; 2],
    #[serde(default = "default_second_steps")]
    pub steps: usize,
}

fn default_second_steps() -> usize {
    25
}

fn default_bifurcation_steps() -> usize {
    200
}

fn default_cycle_values() -> usize {
    60
}

fn default_cycle_settle_ms() -> f64 {
    400.0
}

fn default_cycle_measure_ms() -> f64 {
    100.0
}

fn default_plane_grid() -> usize {
    60
}

fn default_trajectory_ms() -> f64 {
    100.0
}

fn default_plane_dt_ms() -> f64 {
    0.1
}

/// The code-free editor of one model with its plots.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Simulator {
    pub id: String,
    /// A built-in model id.
    pub model: String,
    pub title: Text,
    pub caption: Option<Text>,
    pub duration_ms: f64,
    pub dt_ms: f64,
    /// The integration method's name (one of `METHODS`); `None`: the model's own.
    #[serde(default, deserialize_with = "method")]
    pub method: Option<String>,
    /// Parameter overrides: one value for every neuron, or one per neuron.
    #[serde(default, deserialize_with = "per_neuron_map")]
    pub params: BTreeMap<String, Vec<f64>>,
    /// Initial-state overrides, likewise.
    #[serde(default, deserialize_with = "per_neuron_map")]
    pub init: BTreeMap<String, Vec<f64>>,
    /// An input protocol in `brainplay_sim::input` syntax.
    pub input: Option<String>,
    /// Parameters shown as sliders, in order; `None`: all of them.
    pub controls: Option<Vec<String>>,
    #[serde(default)]
    pub seed: u64,
    pub plots: Vec<Plot>,
    /// Name each neuron's firing pattern under the plots (rules of `brainplay_analysis::patterns`,
    /// for a constant input from t = 0).
    #[serde(default)]
    pub classify: bool,
    /// Makes `model` a synapse on a test bench: the input drives the presynaptic side and the
    /// synapse drives a postsynaptic neuron (curriculum §8.1).
    pub bench: Option<Bench>,
}

/// A built-in network (`brainplay_sim::networks`) with its figures: spike rasters, population
/// rates and inputs, one neuron's excitatory and inhibitory input, a ring's profiles.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    pub id: String,
    /// A built-in network id (`brainplay_sim::networks::IDS`).
    pub network: String,
    pub title: Text,
    pub caption: Option<Text>,
    pub duration_ms: f64,
    #[serde(default = "default_plane_dt_ms")]
    pub dt_ms: f64,
    /// The network's parameter overrides (one value each).
    #[serde(default, deserialize_with = "per_neuron_map")]
    pub params: BTreeMap<String, Vec<f64>>,
    /// An input protocol added to every neuron.
    pub input: Option<String>,
    /// Parameters shown as sliders, in order; `None`: all of them.
    pub controls: Option<Vec<String>>,
    #[serde(default)]
    pub seed: u64,
    /// The figures, in order.
    pub plots: Vec<NetworkPlot>,
    /// The population rates' smoothing window (the course's 5 ms; 200 ms for slow inputs).
    #[serde(default = "default_rate_window_ms")]
    pub rate_window_ms: f64,
    /// A ring's `profiles`: the times whose activity profile is drawn.
    #[serde(default)]
    pub snapshots_ms: Vec<f64>,
    /// A decision network's `psychometric` and `chronometric` curves: the coherences (%) and
    /// the trials run at each, in turns (trial k has the setting's seed + k).
    #[serde(default)]
    pub coherences: Vec<f64>,
    #[serde(default)]
    pub trials: usize,
    /// A data set the network learns from, by name (`lessons/data/`, `crate::datasets`).
    pub dataset: Option<String>,
    /// That data set's bytes, filled in when the lesson file is read (`Lesson::parse`). The
    /// site ships them as a file of their own, fetched by the worker when the block first runs
    /// (`Lesson::data_of` leaves them out, `Lesson::provide_data` puts them back), so that
    /// neither the first load nor the lesson file carries them.
    #[serde(default)]
    pub data: Vec<u8>,
}

fn default_rate_window_ms() -> f64 {
    5.0
}

/// A figure of a network block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NetworkPlot {
    /// Every group's spikes, neuron against time.
    Raster,
    /// Every group's population rate, and the input (scaled to the rates' range) unless the
    /// block plots `inputs`.
    Rates,
    /// The network's inputs in their own units (a decision network's stimulus rates).
    Inputs,
    /// A decision network's choices over its trials: how often pool A won at each coherence.
    Psychometric,
    /// A decision network's mean decision time at each coherence.
    Chronometric,
    /// A reservoir's input series over time.
    Series,
    /// The series against itself one delay τ earlier (the Mackey–Glass attractor).
    Phase,
    /// A reservoir's test: its readout's prediction against the true future.
    Prediction,
    /// A reservoir's units over the test's first steps.
    States,
    /// One excitatory neuron's excitatory, inhibitory and total synaptic input.
    Balance,
    /// A ring's activity u and its input against position, at the block's `snapshots_ms`.
    Profiles,
    /// A ring's bump centre and the stimulus' position against time.
    Centre,
    /// A ring's activity over position and time, as colours.
    Activity,
    /// A training task's input and target sequences (the course's F13.1), a code's pixels and
    /// spikes, the integrators' errors: a run's data, labelled by the run.
    Data,
    /// A trained network's output against its target, before and after training (F13.2–F13.3).
    Fit,
    /// The loss over training.
    Loss,
    /// The trained parameters over training.
    Parameters,
    /// The accuracy over training.
    Accuracy,
    /// One test trial or sample: the network's inputs and outputs over time.
    Trial,
    /// Rates or membrane potentials over time: a test trial's or sample's first units, a
    /// cable's points.
    Units,
}

impl NetworkPlot {
    /// The training figures' names in lesson files (for the names of downloaded files).
    pub fn training_name(self) -> Option<&'static str> {
        Some(match self {
            NetworkPlot::Data => "data",
            NetworkPlot::Fit => "fit",
            NetworkPlot::Loss => "loss",
            NetworkPlot::Parameters => "parameters",
            NetworkPlot::Accuracy => "accuracy",
            NetworkPlot::Trial => "trial",
            NetworkPlot::Units => "units",
            _ => return None,
        })
    }
}

/// A single-synapse test bench (curriculum §8.1): one presynaptic source, the simulator's
/// synapse, one postsynaptic neuron. The simulator's `input` is the presynaptic spike train (a
/// protocol whose positive values are spikes), or, with `pre`, the input of a presynaptic neuron.
/// Recorded names are the synapse's own and the neuron's prefixed `post.` (`post.V`, and the
/// synaptic current `post.I_syn`); spike measures count the postsynaptic neuron's spikes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bench {
    /// The postsynaptic neuron model and its overrides (one value each).
    pub post: String,
    #[serde(default, deserialize_with = "per_neuron_map")]
    pub post_params: BTreeMap<String, Vec<f64>>,
    #[serde(default, deserialize_with = "per_neuron_map")]
    pub post_init: BTreeMap<String, Vec<f64>>,
    /// An input protocol for the postsynaptic neuron besides the synapse (a pulse that makes it
    /// spike at a chosen time, for spike-timing-dependent plasticity).
    pub post_input: Option<String>,
    /// A presynaptic neuron model driven by the input, instead of a spike train.
    pub pre: Option<String>,
    #[serde(default, deserialize_with = "per_neuron_map")]
    pub pre_params: BTreeMap<String, Vec<f64>>,
    #[serde(default, deserialize_with = "per_neuron_map")]
    pub pre_init: BTreeMap<String, Vec<f64>>,
    /// Steps from a presynaptic spike to its arrival.
    #[serde(default)]
    pub delay_steps: usize,
    /// Steps from the synapse's conductance to the current it drives.
    #[serde(default)]
    pub conductance_delay_steps: usize,
}

/// A time series of recorded names.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plot {
    pub title: Text,
    /// States, helpers or parameters of the model.
    pub vars: Vec<String>,
    pub y_label: Option<Text>,
    pub y_unit: Option<String>,
}

/// A firing-rate curve, simulated as one population with one neuron per swept value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FiCurve {
    pub id: String,
    pub model: String,
    pub title: Text,
    /// The swept parameter.
    pub param: String,
    pub from: f64,
    pub to: f64,
    pub step: f64,
    pub duration_ms: f64,
    pub dt_ms: f64,
    /// Other parameters shown as sliders.
    #[serde(default)]
    pub controls: Vec<String>,
    pub x_unit: Option<String>,
    /// What is plotted against the swept parameter, one curve each (default: the firing rate):
    /// e.g. `final:m_inf` for a gate's steady state over a voltage sweep.
    #[serde(default = "default_sweep_measures")]
    pub measures: Vec<Measure>,
    /// The y axis (default: the firing rate's label).
    pub y_label: Option<Text>,
    pub y_unit: Option<String>,
}

fn default_sweep_measures() -> Vec<Measure> {
    vec![Measure::RateHz]
}

impl FiCurve {
    /// The variables the measures need recorded.
    pub fn record(&self) -> Vec<String> {
        let mut vars: Vec<String> = self
            .measures
            .iter()
            .filter_map(|m| m.var().map(String::from))
            .collect();
        vars.dedup();
        vars
    }
}

impl FiCurve {
    /// How many values the sweep has (one neuron each); 0 if the range or step makes no sweep.
    pub fn sweep_len(&self) -> usize {
        if !(self.step > 0.0 && self.from <= self.to) {
            return 0;
        }
        // The slack keeps `to` when (to - from) / step is a whole number that rounding pushed
        // just below it (0.3 / 0.1 = 2.9999999999999996).
        let steps = ((self.to - self.from) / self.step + 1e-9).floor();
        (steps as usize).saturating_add(1)
    }

    /// `from, from + step, …` up to `to`, each computed as `from + k * step` so that errors do
    /// not accumulate.
    pub fn values(&self) -> Vec<f64> {
        (0..self.sweep_len())
            .map(|k| self.from + k as f64 * self.step)
            .collect()
    }
}

/// An auto-checked exercise. Authors write it flat (`ExerciseSource`, with `type` naming the
/// task); the site's binary form holds these fields as they are.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Exercise {
    pub id: String,
    pub question: Text,
    /// Shown one at a time on request.
    pub hints: Vec<Text>,
    /// Shown after a correct answer or on "reveal".
    pub explanation: Text,
    pub task: Task,
}

/// What an exercise asks for and how it is checked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Task {
    /// Type a number; accepted if `|x - answer| <= tolerance`.
    Numeric {
        answer: f64,
        tolerance: f64,
        /// Shown after the input box; may be empty.
        unit: String,
        /// A wrong answer that the tests run through the check.
        wrong: f64,
        derive: Option<Derive>,
    },
    /// Pick options; correct if exactly the `correct` ones are picked.
    Choice {
        options: Vec<Text>,
        correct: Vec<usize>,
        wrong: Vec<usize>,
    },
    /// Fill in a table: one of `options` in every cell (`cells[row][column]`, option indices);
    /// correct if every cell holds its `cells` option (the course's "fill in the projections").
    Table {
        rows: Vec<Text>,
        columns: Vec<Text>,
        options: Vec<Text>,
        cells: Vec<Vec<usize>>,
        wrong: Vec<Vec<usize>>,
    },
    /// Make a simulator of the page produce a measure within `[min, max]`.
    Simulate {
        simulator: String,
        measure: Measure,
        neuron: usize,
        min: Option<f64>,
        max: Option<f64>,
        /// Parameter values on top of the simulator's defaults that pass.
        solution: BTreeMap<String, Vec<f64>>,
        /// Parameter values on top of the simulator's defaults that fail.
        wrong_setting: BTreeMap<String, Vec<f64>>,
    },
}

/// Where a numeric answer comes from: `measure` of `simulator`'s default setting, which the
/// tests rerun and compare with the answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Derive {
    pub simulator: String,
    pub measure: Measure,
    #[serde(default)]
    pub neuron: usize,
}

/// A simulator, sweep, phase-plane or phase-line block: a block with settings that a share link
/// can change.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Widget<'a> {
    Simulator(&'a Simulator),
    FiCurve(&'a FiCurve),
    PhasePlane(&'a PhasePlane),
    PhaseLine(&'a PhaseLine),
    Network(&'a Network),
}

impl<'a> Widget<'a> {
    pub fn id(&self) -> &'a str {
        match self {
            Widget::Simulator(s) => &s.id,
            Widget::FiCurve(f) => &f.id,
            Widget::PhasePlane(p) => &p.id,
            Widget::PhaseLine(l) => &l.id,
            Widget::Network(n) => &n.id,
        }
    }

    /// The model, or for a network block the network, that the widget runs.
    pub fn model(&self) -> &'a str {
        match self {
            Widget::Simulator(s) => &s.model,
            Widget::FiCurve(f) => &f.model,
            Widget::PhasePlane(p) => &p.model,
            Widget::PhaseLine(l) => &l.model,
            Widget::Network(n) => &n.network,
        }
    }
}

/// A block with figures: a widget, or a synapse figure (which has no settings).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Figured<'a> {
    Widget(Widget<'a>),
    SynapsePlot(&'a SynapsePlot),
}

impl Lesson {
    /// The blocks with figures, in page order.
    pub fn figured_blocks(&self) -> impl Iterator<Item = Figured<'_>> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Simulator(s) => Some(Figured::Widget(Widget::Simulator(s))),
            Block::FiCurve(f) => Some(Figured::Widget(Widget::FiCurve(f))),
            Block::PhasePlane(p) => Some(Figured::Widget(Widget::PhasePlane(p))),
            Block::PhaseLine(l) => Some(Figured::Widget(Widget::PhaseLine(l))),
            Block::SynapsePlot(p) => Some(Figured::SynapsePlot(p)),
            Block::Network(n) => Some(Figured::Widget(Widget::Network(n))),
            Block::Text { .. } | Block::Exercise(_) => None,
        })
    }

    /// The block with figures whose id is `id`.
    pub fn figured(&self, id: &str) -> Option<Figured<'_>> {
        self.figured_blocks().find(|b| b.id() == id)
    }
}

impl<'a> Figured<'a> {
    pub fn id(&self) -> &'a str {
        match self {
            Figured::Widget(w) => w.id(),
            Figured::SynapsePlot(p) => &p.id,
        }
    }
}

/// A lesson file that is not valid TOML or does not have the format's shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentError(pub String);

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ContentError {}

/// Identifies the lesson types' layout, so that a page never misreads lesson data written for
/// another build: a hash of the files that define them (build.rs).
pub const LESSON_FORMAT: u64 = include!(concat!(env!("OUT_DIR"), "/lesson_format.rs"));

fn not_lesson_data() -> ContentError {
    ContentError("not lesson data: the file is damaged or was not written by lesson-data".into())
}

fn from_toml<T: serde::de::DeserializeOwned>(source: &str) -> Result<T, ContentError> {
    toml::from_str(source).map_err(|e| ContentError(e.to_string().trim_end().to_string()))
}

impl Lesson {
    /// Reads a lesson file. The error names the line and column and what was expected there.
    pub fn parse(source: &str) -> Result<Lesson, ContentError> {
        let file: LessonOf<TaggedBlock> = from_toml(source)?;
        let mut blocks: Vec<Block> = file.blocks.into_iter().map(Block::from).collect();
        for block in &mut blocks {
            if let Block::Network(network) = block {
                if let Some(name) = &network.dataset {
                    network.data = crate::datasets::bytes(name)
                        .ok_or_else(|| {
                            ContentError(format!(
                                "network `{}`: no data set `{name}`; there is {}",
                                network.id,
                                crate::datasets::NAMES.join(", ")
                            ))
                        })?
                        .to_vec();
                }
            }
        }
        Ok(LessonOf {
            number: file.number,
            slug: file.slug,
            day: file.day,
            title: file.title,
            summary: file.summary,
            learning_worker: file.learning_worker,
            gpu_worker: file.gpu_worker,
            blocks,
        })
    }

    /// The TOML lesson file `source` in the binary form the site ships (see the module
    /// comment): [`LESSON_FORMAT`], then the lesson in postcard, without its data sets' bytes
    /// (the site ships each data set as a file of its own, `datasets::file`).
    pub fn data_of(source: &str) -> Result<Vec<u8>, ContentError> {
        let mut lesson = Lesson::parse(source)?;
        lesson.typeset_math()?;
        for block in &mut lesson.blocks {
            if let Block::Network(network) = block {
                network.data = Vec::new();
            }
        }
        let data = LESSON_FORMAT.to_le_bytes().to_vec();
        postcard::to_extend(&lesson, data).map_err(|e| ContentError(e.to_string()))
    }

    /// Writes the math of every Markdown text (`$…$`, `$$…$$`) as MathML, as the site ships it
    /// (the page has no LaTeX reader); the error names the block and the formula.
    pub fn typeset_math(&mut self) -> Result<(), ContentError> {
        for (k, block) in self.blocks.iter_mut().enumerate() {
            for text in block.markdown_mut() {
                for field in [&mut text.en, &mut text.zh] {
                    *field = crate::math::typeset(field)
                        .map_err(|e| ContentError(format!("block {}: math {e}", k + 1)))?;
                }
            }
        }
        Ok(())
    }

    /// Reads a lesson as the site ships it (see [`Lesson::data_of`]).
    pub fn from_data(data: &[u8]) -> Result<Lesson, ContentError> {
        let (format, lesson) = data.split_at_checked(8).ok_or_else(not_lesson_data)?;
        if format != LESSON_FORMAT.to_le_bytes() {
            return Err(ContentError(
                "this lesson file was built for another version of the site; reload the page"
                    .to_string(),
            ));
        }
        postcard::from_bytes(lesson).map_err(|_| not_lesson_data())
    }

    /// The data set block `id` learns from whose bytes this copy of the lesson lacks (a lesson
    /// as the site ships it, [`Lesson::data_of`]).
    pub fn missing_data(&self, id: &str) -> Option<&str> {
        self.blocks.iter().find_map(|b| match b {
            Block::Network(n) if n.id == id && n.data.is_empty() => n.dataset.as_deref(),
            _ => None,
        })
    }

    /// Gives every network block that learns from data set `name` its bytes.
    pub fn provide_data(&mut self, name: &str, bytes: &[u8]) {
        for block in &mut self.blocks {
            if let Block::Network(n) = block {
                if n.dataset.as_deref() == Some(name) {
                    n.data = bytes.to_vec();
                }
            }
        }
    }

    pub fn simulators(&self) -> impl Iterator<Item = &Simulator> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Simulator(s) => Some(s),
            _ => None,
        })
    }

    pub fn exercises(&self) -> impl Iterator<Item = &Exercise> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Exercise(e) => Some(e),
            _ => None,
        })
    }

    /// The simulator and f–I blocks, in page order.
    pub fn widgets(&self) -> impl Iterator<Item = Widget<'_>> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Simulator(s) => Some(Widget::Simulator(s)),
            Block::FiCurve(f) => Some(Widget::FiCurve(f)),
            Block::PhasePlane(p) => Some(Widget::PhasePlane(p)),
            Block::PhaseLine(l) => Some(Widget::PhaseLine(l)),
            Block::Network(n) => Some(Widget::Network(n)),
            Block::Text { .. } | Block::SynapsePlot(_) | Block::Exercise(_) => None,
        })
    }

    pub fn simulator(&self, id: &str) -> Option<&Simulator> {
        self.simulators().find(|s| s.id == id)
    }

    pub fn widget(&self, id: &str) -> Option<Widget<'_>> {
        self.widgets().find(|w| w.id() == id)
    }

    /// `NN-slug`, the page's name in URLs and the file's name without `.toml`.
    pub fn page_name(&self) -> String {
        format!("{:02}-{}", self.number, self.slug)
    }
}

/// `Exercise` as written: the fields of every type side by side, so that a field that does not
/// belong to the exercise's type can be named in the error rather than silently ignored.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExerciseSource {
    id: String,
    question: Text,
    #[serde(default)]
    hints: Vec<Text>,
    explanation: Text,
    #[serde(rename = "type")]
    kind: String,
    // numeric
    answer: Option<f64>,
    tolerance: Option<f64>,
    unit: Option<String>,
    derive: Option<Derive>,
    // choice (and table: what a cell can hold)
    options: Option<Vec<Text>>,
    correct: Option<Vec<usize>>,
    // table
    rows: Option<Vec<Text>>,
    columns: Option<Vec<Text>>,
    cells: Option<Vec<Vec<usize>>>,
    // numeric (a number), choice (a selection) and table (a filled table)
    wrong: Option<WrongAnswer>,
    // simulate
    simulator: Option<String>,
    measure: Option<Measure>,
    neuron: Option<usize>,
    min: Option<f64>,
    max: Option<f64>,
    #[serde(default, deserialize_with = "optional_per_neuron_map")]
    solution: Option<BTreeMap<String, Vec<f64>>>,
    #[serde(default, deserialize_with = "optional_per_neuron_map")]
    wrong_setting: Option<BTreeMap<String, Vec<f64>>>,
}

/// `wrong` is a number for numeric exercises, a list of option indices for choices, and rows of
/// option indices for tables.
#[derive(Deserialize)]
#[serde(untagged)]
enum WrongAnswer {
    Number(f64),
    Selection(Vec<usize>),
    Table(Vec<Vec<usize>>),
}

/// [`Exercise`]'s fields in the binary form.
#[derive(Deserialize)]
struct StoredExercise {
    id: String,
    question: Text,
    hints: Vec<Text>,
    explanation: Text,
    task: Task,
}

impl<'de> Deserialize<'de> for Exercise {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Exercise, D::Error> {
        if d.is_human_readable() {
            return ExerciseSource::deserialize(d)?
                .try_into()
                .map_err(de::Error::custom);
        }
        let stored = StoredExercise::deserialize(d)?;
        Ok(Exercise {
            id: stored.id,
            question: stored.question,
            hints: stored.hints,
            explanation: stored.explanation,
            task: stored.task,
        })
    }
}

impl TryFrom<ExerciseSource> for Exercise {
    type Error = String;

    fn try_from(s: ExerciseSource) -> Result<Exercise, String> {
        let id = s.id;
        let missing =
            |field: &str| format!("exercise `{id}`: a {} exercise needs `{field}`", s.kind);
        let present: [(&str, bool); 17] = [
            ("answer", s.answer.is_some()),
            ("tolerance", s.tolerance.is_some()),
            ("unit", s.unit.is_some()),
            ("derive", s.derive.is_some()),
            ("options", s.options.is_some()),
            ("correct", s.correct.is_some()),
            ("rows", s.rows.is_some()),
            ("columns", s.columns.is_some()),
            ("cells", s.cells.is_some()),
            ("wrong", s.wrong.is_some()),
            ("simulator", s.simulator.is_some()),
            ("measure", s.measure.is_some()),
            ("neuron", s.neuron.is_some()),
            ("min", s.min.is_some()),
            ("max", s.max.is_some()),
            ("solution", s.solution.is_some()),
            ("wrong_setting", s.wrong_setting.is_some()),
        ];
        let allowed: &[&str] = match s.kind.as_str() {
            "numeric" => &["answer", "tolerance", "unit", "derive", "wrong"],
            "choice" => &["options", "correct", "wrong"],
            "table" => &["rows", "columns", "options", "cells", "wrong"],
            "simulate" => &[
                "simulator",
                "measure",
                "neuron",
                "min",
                "max",
                "solution",
                "wrong_setting",
            ],
            other => {
                return Err(format!(
                "exercise `{id}`: unknown type `{other}`; use numeric, choice, table or simulate"
            ))
            }
        };
        if let Some((field, _)) = present
            .iter()
            .find(|(field, there)| *there && !allowed.contains(field))
        {
            return Err(format!(
                "exercise `{id}`: `{field}` is not a field of a {} exercise (it takes {})",
                s.kind,
                allowed.join(", ")
            ));
        }
        let task = match s.kind.as_str() {
            "numeric" => Task::Numeric {
                answer: s.answer.ok_or_else(|| missing("answer"))?,
                tolerance: s.tolerance.ok_or_else(|| missing("tolerance"))?,
                unit: s.unit.unwrap_or_default(),
                wrong: match s.wrong {
                    Some(WrongAnswer::Number(x)) => x,
                    Some(_) => {
                        return Err(format!(
                            "exercise `{id}`: `wrong` of a numeric exercise is one number"
                        ))
                    }
                    None => return Err(missing("wrong")),
                },
                derive: s.derive,
            },
            "choice" => Task::Choice {
                options: s.options.ok_or_else(|| missing("options"))?,
                correct: s.correct.ok_or_else(|| missing("correct"))?,
                wrong: match s.wrong {
                    Some(WrongAnswer::Selection(v)) => v,
                    Some(_) => {
                        return Err(format!(
                        "exercise `{id}`: `wrong` of a choice exercise is a list of option indices"
                    ))
                    }
                    None => return Err(missing("wrong")),
                },
            },
            "table" => Task::Table {
                rows: s.rows.ok_or_else(|| missing("rows"))?,
                columns: s.columns.ok_or_else(|| missing("columns"))?,
                options: s.options.ok_or_else(|| missing("options"))?,
                cells: s.cells.ok_or_else(|| missing("cells"))?,
                wrong: match s.wrong {
                    Some(WrongAnswer::Table(rows)) => rows,
                    Some(_) => {
                        return Err(format!(
                            "exercise `{id}`: `wrong` of a table exercise is a list of rows of option indices"
                        ))
                    }
                    None => return Err(missing("wrong")),
                },
            },
            _ => Task::Simulate {
                simulator: s.simulator.ok_or_else(|| missing("simulator"))?,
                measure: s.measure.ok_or_else(|| missing("measure"))?,
                neuron: s.neuron.unwrap_or(0),
                min: s.min,
                max: s.max,
                solution: s.solution.ok_or_else(|| missing("solution"))?,
                wrong_setting: s.wrong_setting.ok_or_else(|| missing("wrong_setting"))?,
            },
        };
        Ok(Exercise {
            id,
            question: s.question,
            hints: s.hints,
            explanation: s.explanation,
            task,
        })
    }
}

/// The integration methods by the model language's names, each with the BrainPy aliases it
/// also goes by (the same table as `brainplay_sim::Method::from_name`, which a test of
/// `brainplay-lessons` holds it to).
pub const METHODS: [(&str, &[&str]); 4] = [
    ("euler", &["Euler"]),
    ("rk2", &["heun"]),
    ("rk4", &[]),
    ("exp_euler", &["exp_auto", "exponential_euler"]),
];

/// The model language's name of a method named `name` or by one of its aliases.
pub fn method_name(name: &str) -> Option<&'static str> {
    METHODS
        .iter()
        .find(|(canonical, aliases)| *canonical == name || aliases.contains(&name))
        .map(|(canonical, _)| *canonical)
}

/// A method by the model language's name or a BrainPy alias, kept under its own name.
fn method<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    // The binary form holds the field as serialised: already canonical, possibly absent.
    if !d.is_human_readable() {
        return Option::deserialize(d);
    }
    let name = String::deserialize(d)?;
    method_name(&name)
        .map(|canonical| Some(canonical.to_string()))
        .ok_or_else(|| {
            let names: Vec<_> = METHODS.iter().map(|(name, _)| *name).collect();
            de::Error::custom(format!(
                "unknown method `{name}`; use one of {}",
                names.join(", ")
            ))
        })
}

/// One value for every neuron (`I = 10`) or one per neuron (`I = [1, 2, 4]`).
struct PerNeuron(Vec<f64>);

impl<'de> Deserialize<'de> for PerNeuron {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<PerNeuron, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PerNeuron;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or an array of numbers (one per neuron)")
            }
            fn visit_f64<E: de::Error>(self, x: f64) -> Result<PerNeuron, E> {
                Ok(PerNeuron(vec![x]))
            }
            fn visit_i64<E: de::Error>(self, x: i64) -> Result<PerNeuron, E> {
                Ok(PerNeuron(vec![x as f64]))
            }
            fn visit_u64<E: de::Error>(self, x: u64) -> Result<PerNeuron, E> {
                Ok(PerNeuron(vec![x as f64]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<PerNeuron, A::Error> {
                let mut values = Vec::new();
                while let Some(x) = seq.next_element::<f64>()? {
                    values.push(x);
                }
                if values.is_empty() {
                    return Err(de::Error::custom(
                        "an empty array; give one number, or one per neuron",
                    ));
                }
                Ok(PerNeuron(values))
            }
        }
        d.deserialize_any(V)
    }
}

fn per_neuron_map<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, Vec<f64>>, D::Error> {
    // A binary form (the worker's wire, shipped lessons) holds the lists as serialised.
    if !d.is_human_readable() {
        return BTreeMap::deserialize(d);
    }
    let map = BTreeMap::<String, PerNeuron>::deserialize(d)?;
    Ok(map.into_iter().map(|(k, v)| (k, v.0)).collect())
}

fn optional_per_neuron_map<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<BTreeMap<String, Vec<f64>>>, D::Error> {
    if !d.is_human_readable() {
        return Option::deserialize(d);
    }
    per_neuron_map(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = r#"
number = 3
slug = "demo"
day = 2
title = { en = "T", zh = "题" }
summary = { en = "S", zh = "简" }
"#;

    fn parse(blocks: &str) -> Result<Lesson, ContentError> {
        Lesson::parse(&format!("{HEAD}{blocks}"))
    }

    /// Parsing `blocks` fails with a message containing `part`.
    fn check_error(blocks: &str, part: &str) {
        match parse(blocks) {
            Ok(lesson) => panic!("{blocks}: parsed as {lesson:?}, want an error with `{part}`"),
            Err(e) => assert!(e.0.contains(part), "{blocks}: `{e}` lacks `{part}`"),
        }
    }

    /// Every lesson file means the same read from TOML and from the data the site ships, once
    /// the blocks that learn from a data set have been given its bytes, which the shipped file
    /// leaves out (each data set is a file of its own).
    #[test]
    fn every_lesson_reads_the_same_from_its_data() {
        let mut with_data = 0;
        for (_, source) in crate::registry::SOURCES {
            let data = Lesson::data_of(source).expect("a lesson file");
            let mut shipped = Lesson::from_data(&data).expect("lesson data");
            let mut parsed = Lesson::parse(source).expect("a lesson file");
            parsed
                .typeset_math()
                .expect("every formula is in the subset");
            for block in shipped
                .figured_blocks()
                .map(|f| f.id().to_string())
                .collect::<Vec<_>>()
            {
                if let Some(name) = shipped.missing_data(&block).map(str::to_string) {
                    with_data += 1;
                    shipped.provide_data(&name, crate::datasets::bytes(&name).unwrap());
                    assert_eq!(shipped.missing_data(&block), None);
                }
            }
            assert_eq!(shipped, parsed);
        }
        assert_eq!(
            with_data,
            crate::datasets::NAMES.len(),
            "each data set is left out"
        );
    }

    /// Damaged, foreign or truncated data is refused with a message, never misread.
    #[test]
    fn data_that_is_not_a_lesson_is_refused() {
        assert!(Lesson::data_of("number = 3").is_err());
        let data = Lesson::data_of(crate::registry::SOURCES[0].1).unwrap();
        let mut other_build = data.clone();
        other_build[0] ^= 1;
        let cases: [(&[u8], &str); 4] = [
            (b"", "not lesson data"),
            (b"{\"number\": 3}", "another version"),
            (&other_build, "another version"),
            (&data[..data.len() / 2], "not lesson data"),
        ];
        for (bytes, message) in cases {
            let error = Lesson::from_data(bytes).expect_err("not a lesson");
            assert!(error.0.contains(message), "{error}");
        }
    }

    const SIMULATOR: &str = r#"
[[blocks]]
kind = "simulator"
id = "ap"
model = "hh"
title = { en = "AP", zh = "动作电位" }
duration_ms = 50
dt_ms = 0.01
method = "exp_auto"
params = { I = 10, gK = [30, 36.0] }
input = "constant(1)"
[[blocks.plots]]
title = { en = "V", zh = "V" }
vars = ["V"]
"#;

    #[test]
    fn a_simulator_parses_with_numbers_and_arrays() {
        let lesson = parse(SIMULATOR).unwrap();
        let sim = lesson.simulator("ap").unwrap();
        assert_eq!(sim.method.as_deref(), Some("exp_euler"));
        assert_eq!(sim.params["I"], [10.0]);
        assert_eq!(sim.params["gK"], [30.0, 36.0]);
        assert_eq!(sim.duration_ms, 50.0);
        assert_eq!(sim.seed, 0);
        assert_eq!(sim.controls, None);
        assert_eq!(lesson.page_name(), "03-demo");
        assert_eq!(lesson.widgets().count(), 1);
    }

    fn exercise(fields: &str) -> String {
        format!(
            r#"
[[blocks]]
kind = "exercise"
id = "q"
question = {{ en = "Q?", zh = "问？" }}
explanation = {{ en = "E", zh = "解" }}
{fields}
"#
        )
    }

    #[test]
    fn exercises_parse_by_type() {
        let lesson = parse(&exercise(
            "type = \"numeric\"\nanswer = 10\ntolerance = 1\nwrong = 5\n[blocks.derive]\nsimulator = \"ap\"\nmeasure = \"spike_count\"",
        ))
        .unwrap();
        let e = lesson.exercises().next().unwrap();
        assert!(e.hints.is_empty());
        match &e.task {
            Task::Numeric {
                answer,
                wrong,
                unit,
                derive: Some(d),
                ..
            } => {
                assert_eq!((*answer, *wrong, unit.as_str()), (10.0, 5.0, ""));
                assert_eq!((d.measure.clone(), d.neuron), (Measure::SpikeCount, 0));
            }
            t => panic!("{t:?}"),
        }
        let lesson = parse(&exercise(
            "type = \"choice\"\noptions = [{ en = \"a\", zh = \"甲\" }, { en = \"b\", zh = \"乙\" }]\ncorrect = [1]\nwrong = [0]",
        ))
        .unwrap();
        assert!(matches!(
            &lesson.exercises().next().unwrap().task,
            Task::Choice { correct, wrong, .. } if correct == &[1] && wrong == &[0]
        ));
        let lesson = parse(&exercise(
            "type = \"simulate\"\nsimulator = \"ap\"\nmeasure = \"max:V\"\nmin = 1\nsolution = { I = 8 }\nwrong_setting = {}",
        ))
        .unwrap();
        assert!(matches!(
            &lesson.exercises().next().unwrap().task,
            Task::Simulate { measure: Measure::Max(v), neuron: 0, min: Some(_), max: None, .. } if v == "V"
        ));
    }

    #[test]
    fn malformed_files_name_the_problem() {
        check_error("", "missing field `blocks`");
        check_error(
            &SIMULATOR.replace("exp_auto", "rk3"),
            "unknown method `rk3`",
        );
        check_error(
            &SIMULATOR.replace("gK = [30, 36.0]", "gK = []"),
            "an empty array",
        );
        check_error(
            &SIMULATOR.replace("I = 10", "I = \"10\""),
            "a number or an array",
        );
        check_error(&SIMULATOR.replace("dt_ms", "dt"), "unknown field `dt`");
        check_error(
            &SIMULATOR.replace("\"simulator\"", "\"simulation\""),
            "simulation",
        );
        check_error(
            &SIMULATOR.replace("zh = \"动作电位\"", "zh = \"\""),
            "`zh` text is empty",
        );
        check_error(&exercise("type = \"essay\""), "unknown type `essay`");
        check_error(
            &exercise("type = \"numeric\"\nanswer = 1\nwrong = 2"),
            "a numeric exercise needs `tolerance`",
        );
        check_error(
            &exercise("type = \"numeric\"\nanswer = 1\ntolerance = 1\nwrong = [2]"),
            "`wrong` of a numeric exercise is one number",
        );
        check_error(
            &exercise("type = \"numeric\"\nanswer = 1\ntolerance = 1\nwrong = 3\ncorrect = [0]"),
            "`correct` is not a field of a numeric exercise",
        );
        check_error(
            &exercise("type = \"choice\"\noptions = []\ncorrect = [0]\nwrong = 1"),
            "list of option indices",
        );
        check_error(
            &exercise("type = \"simulate\"\nsimulator = \"ap\"\nmeasure = \"peak:V\"\nsolution = {}\nwrong_setting = {}"),
            "unknown measure `peak:V`",
        );
        check_error(
            &exercise("type = \"simulate\"\nsimulator = \"ap\"\nmeasure = \"spike_count\"\nwrong_setting = {}"),
            "needs `solution`",
        );
    }

    #[test]
    fn sweeps_include_their_end() {
        let fi = |from, to, step| FiCurve {
            id: "fi".into(),
            model: "lif".into(),
            title: Text::new("f", "f"),
            param: "I".into(),
            from,
            to,
            step,
            duration_ms: 100.0,
            dt_ms: 0.1,
            controls: Vec::new(),
            x_unit: None,
            measures: default_sweep_measures(),
            y_label: None,
            y_unit: None,
        };
        assert_eq!(fi(0.0, 0.3, 0.1).values().len(), 4);
        assert_eq!(fi(0.0, 30.0, 0.5).values().len(), 61);
        assert_eq!(fi(5.0, 5.0, 1.0).values(), [5.0]);
        assert!(fi(1.0, 0.0, 1.0).values().is_empty());
        assert!(fi(0.0, 1.0, 0.0).values().is_empty());
    }
}
