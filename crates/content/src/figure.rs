//! What every widget's figures show, as plain data: computed by `figures` (in the compute worker,
//! the CLI and the tests) and only drawn by the site. Nothing here refers to the simulation core,
//! so the page can read these without linking it; labels are language-free (names and units) and
//! categories are codes the page translates (`stability`, `kind`, `pattern`). Training figures
//! are the exception: `Panel`s, labelled in both languages where they are computed, so that one
//! drawing function in the page serves every figure of every training lesson.

use serde::{Deserialize, Serialize};

use crate::checkpoint::Checkpoint;
use crate::content::NetworkPlot;
use crate::text::Text;

/// A named series of values at a figure's shared x values.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
}

/// Points joined by a line, as (x, y).
pub type Polyline = Vec<(f64, f64)>;

/// What stopped or troubled a computation: shown beside the figure, which keeps what was
/// computed before.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Issues {
    /// A state became NaN or infinite, or an analysis failed: the message.
    pub error: Option<Text>,
    pub warnings: Vec<Text>,
}

impl Issues {
    /// A computation that failed with `message`.
    pub fn failed(message: Text) -> Issues {
        Issues {
            error: Some(message),
            warnings: Vec::new(),
        }
    }
}

/// A simulator's run: one list of series per plot of the block, over `t_ms`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RunFigures {
    pub t_ms: Vec<f64>,
    pub plots: Vec<Vec<Series>>,
    /// Per neuron (a bench: its postsynaptic neuron).
    pub spike_times_ms: Vec<Vec<f64>>,
    /// Per neuron, with the block's `classify`: the firing pattern's code
    /// (`brainplay_analysis::Pattern::label`).
    pub patterns: Vec<String>,
    pub issues: Issues,
}

/// Values against one swept quantity: an f–I curve, gate curves, synapse kinetics, the STDP
/// window.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SweepFigure {
    pub x: Vec<f64>,
    pub series: Vec<Series>,
    pub issues: Issues,
}

/// A phase plane with what is drawn beside it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlaneFigure {
    /// Axis titles: the states' names with their units.
    pub x_label: String,
    pub y_label: String,
    /// dx/dt = 0 and dy/dt = 0.
    pub x_nullclines: Vec<Polyline>,
    pub y_nullclines: Vec<Polyline>,
    pub arrows: Vec<Arrow>,
    pub fixed_points: Vec<PlanePoint>,
    /// One per start point, each split at resets.
    pub trajectories: Vec<Vec<Polyline>>,
    pub issues: Issues,
    pub bifurcation: Option<DiagramFigure>,
    pub two_parameter: Option<TwoParameterFigure>,
}

/// The vector field's direction (unit length in the plane's units) at a grid node.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Arrow {
    pub x: f64,
    pub y: f64,
    pub dx: f64,
    pub dy: f64,
}

/// A fixed point of a plane.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlanePoint {
    pub x: f64,
    pub y: f64,
    /// BrainPy's label: `stable node`, `unstable focus`, `saddle node`, …
    pub stability: String,
    pub stable: bool,
    /// (re, im) of both eigenvalues of the Jacobian.
    pub eigenvalues: [(f64, f64); 2],
}

/// Fixed points followed as one parameter varies, with their special points and the limit
/// cycles' ranges.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DiagramFigure {
    pub param: String,
    pub param_label: String,
    pub x_label: String,
    /// Each branch as (parameter, x, stable).
    pub branches: Vec<Vec<(f64, f64, bool)>>,
    pub special: Vec<SpecialPoint>,
    /// (parameter, min x, max x) where the model oscillates.
    pub cycles: Vec<(f64, f64, f64)>,
    pub issues: Issues,
}

/// A saddle-node or Hopf point.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SpecialPoint {
    /// `hopf` or `saddle-node`.
    pub kind: String,
    pub param: f64,
    pub x: f64,
}

/// Where the special points lie in two parameters.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TwoParameterFigure {
    pub first: String,
    pub second: String,
    pub first_label: String,
    pub second_label: String,
    /// (kind, second, first).
    pub points: Vec<(String, f64, f64)>,
    pub issues: Issues,
}

/// A phase line: dx/dt against x, its fixed points, and its one-parameter diagram.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LineFigure {
    pub x_label: String,
    pub xs: Vec<f64>,
    pub dxdt: Vec<f64>,
    pub fixed_points: Vec<LinePoint>,
    pub issues: Issues,
    pub diagram: Option<LineDiagramFigure>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LinePoint {
    pub x: f64,
    /// d(dx/dt)/dx there, per ms.
    pub slope: f64,
    pub stable: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LineDiagramFigure {
    pub param: String,
    pub param_label: String,
    /// Each fixed point as (parameter, x, stable).
    pub points: Vec<(f64, f64, bool)>,
    /// Parameter values where two fixed points meet.
    pub saddle_nodes: Vec<f64>,
    pub issues: Issues,
}

/// A network's run: its groups' spikes and rates, and one neuron's synaptic input.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NetworkFigures {
    pub groups: Vec<Raster>,
    /// Population rates (Hz) in the block's window, one series per group, and the network's
    /// inputs (the input to every neuron in its own units, or the stimulus rates of a decision
    /// network's pools in Hz), every `t_ms`.
    pub t_ms: Vec<f64>,
    pub rates: Vec<Series>,
    pub inputs: Vec<Series>,
    /// One excitatory neuron's excitatory, inhibitory and total synaptic current, every step
    /// (labelled as `balance_t_ms`); empty unless the block plots it.
    pub balance_t_ms: Vec<f64>,
    pub balance: Vec<Series>,
    pub balance_neuron: usize,
    /// A decision network's trials so far, per coherence of the block.
    pub choices: Vec<Choices>,
    /// Where a spiking network ran (the page says so under its figures); `None` for the
    /// networks that have one place to run.
    pub backend: Option<Backend>,
    pub issues: Issues,
}

/// Where a network ran.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum Backend {
    #[default]
    Cpu,
    /// On the GPU, named by its adapter.
    Gpu(String),
    /// On the CPU because the GPU could not run it: why.
    CpuInstead(Text),
}

/// The trials of a decision network at one coherence.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Choices {
    pub coherence_pct: f64,
    pub trials: usize,
    /// Trials that pool A won.
    pub a_wins: usize,
    /// The decision times (ms after the stimulus onset) of the trials that reached the
    /// threshold.
    pub decision_ms: Vec<f64>,
}

/// One group's spikes: (time, neuron) pairs of the neurons shown, which are the group's first
/// `shown` (all of them unless that would be more spikes than a figure can draw).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Raster {
    pub name: String,
    pub neurons: usize,
    pub shown: usize,
    pub times_ms: Vec<f32>,
    pub indices: Vec<u32>,
    /// Spikes of the whole group (shown or not).
    pub spikes: usize,
}

/// A ring attractor's run (lesson 11): profiles at chosen times, the bump's centre against the
/// stimulus over time, and the activity over position and time.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RingFigures {
    /// The neurons' positions (rad).
    pub x: Vec<f64>,
    pub snapshots: Vec<Snapshot>,
    pub t_ms: Vec<f64>,
    /// The bump's centre (population vector, rad), the stimulus' position (NaN while it is off)
    /// and the largest u, every `t_ms`.
    pub centre: Vec<f64>,
    pub stimulus: Vec<f64>,
    pub peak: Vec<f64>,
    /// u averaged over neighbouring neurons (`activity_x`), every `activity_t_ms`.
    pub activity_t_ms: Vec<f64>,
    pub activity_x: Vec<f64>,
    pub activity: Vec<Vec<f32>>,
    pub issues: Issues,
}

/// The ring's state at one time.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub t_ms: f64,
    pub u: Vec<f64>,
    pub input: Vec<f64>,
}

/// An echo state network's run (lesson 12): its input series, the test's predictions and the
/// reservoir's states.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReservoirFigures {
    /// The series P(t) and P(t − τ) at `series_t` (time units), the start of the series.
    pub series_t: Vec<f64>,
    pub series: Vec<f64>,
    pub delayed: Vec<f64>,
    /// The test so far: time (time units), the true future and the readout's prediction.
    pub test_t: Vec<f64>,
    pub truth: Vec<f64>,
    pub prediction: Vec<f64>,
    /// Mean squared errors on the training states (once trained) and on the test so far.
    pub train_mse: Option<f64>,
    pub test_mse: Option<f64>,
    /// The first units' states over the test's first steps, and the fraction of them above 0.95
    /// in size.
    pub states_t: Vec<f64>,
    pub states: Vec<Series>,
    pub saturation: f64,
    /// The spectral radius the recurrent weights had before rescaling.
    pub drawn_radius: f64,
    pub issues: Issues,
}

/// A line of a panel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub name: Text,
    pub values: Vec<f64>,
}

/// A line figure of a training run, labelled where it is computed (title, axes and lines in
/// both languages), shown where a block's `plots` name `plot`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Panel {
    pub plot: NetworkPlot,
    pub title: Text,
    pub x_label: Text,
    pub y_label: Text,
    pub x: Vec<f64>,
    pub lines: Vec<Line>,
}

/// A training run's figures (lessons 13–14): its panels so far, and spike rasters (input codes,
/// a sample's hidden spikes) over `raster_ms`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TrainingFigures {
    pub panels: Vec<Panel>,
    pub groups: Vec<Raster>,
    pub raster_ms: f64,
    /// The run's state at these figures, for the gradient-trained networks: what a pause
    /// resumes from and what "save" writes.
    pub checkpoint: Option<Box<Checkpoint>>,
    pub issues: Issues,
}

impl TrainingFigures {
    /// The panel shown as `plot`.
    pub fn panel(&self, plot: NetworkPlot) -> Option<&Panel> {
        self.panels.iter().find(|p| p.plot == plot)
    }
}

/// The figures of one widget.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Figures {
    Run(RunFigures),
    Sweep(SweepFigure),
    Plane(Box<PlaneFigure>),
    Line(LineFigure),
    Network(Box<NetworkFigures>),
    Ring(Box<RingFigures>),
    Reservoir(Box<ReservoirFigures>),
    Training(Box<TrainingFigures>),
}

impl Figures {
    /// What troubled the main figure.
    pub fn issues(&self) -> &Issues {
        match self {
            Figures::Run(f) => &f.issues,
            Figures::Sweep(f) => &f.issues,
            Figures::Plane(f) => &f.issues,
            Figures::Line(f) => &f.issues,
            Figures::Network(f) => &f.issues,
            Figures::Ring(f) => &f.issues,
            Figures::Reservoir(f) => &f.issues,
            Figures::Training(f) => &f.issues,
        }
    }

    /// The error that stopped the main figure, if any.
    pub fn error(&self) -> Option<&Text> {
        self.issues().error.as_ref()
    }
}
