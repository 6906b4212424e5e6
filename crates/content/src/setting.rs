//! A widget's concrete configuration: what a widget runs with once the learner's sliders, a
//! share link or an exercise's solution have been applied to the block's defaults. Plain data:
//! running it is `brainplay_lessons`' business (`Runnable`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::checkpoint::Checkpoint;
use crate::content::{Bench, FiCurve, Network, PhaseLine, PhasePlane, Simulator, Widget};

const PHASE_LINE_DT_MS: f64 = 0.1;
/// A phase plane's trajectories at most: the lesson's own and the latest clicks.
pub const MAX_STARTS: usize = 4;
const PHASE_LINE_RUN_MS: f64 = 100.0;

/// Everything a run of one widget needs besides what to record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Setting {
    /// A built-in model id.
    pub model: String,
    /// The learner's edit of the model's text, which runs instead of the built-in model.
    pub source: Option<String>,
    /// Parameter overrides on top of the model's defaults: one value, or one per neuron.
    pub params: BTreeMap<String, Vec<f64>>,
    /// Initial-state overrides, likewise.
    pub init: BTreeMap<String, Vec<f64>>,
    /// An input protocol in the input syntax (`docs/model-language.md`, "Inputs").
    pub input: Option<String>,
    /// The integration method's name (`crate::content::METHODS`); `None`: the model's own.
    pub method: Option<String>,
    pub dt_ms: f64,
    pub duration_ms: f64,
    pub seed: u64,
    /// `model` is a synapse on this test bench.
    pub bench: Option<Box<Bench>>,
    /// A phase plane's trajectory start points (x, y): the lesson's own, then the learner's
    /// clicks.
    pub starts: Vec<[f64; 2]>,
    /// A training network's state to continue from (a paused run, a loaded network): used
    /// where it fits the block, parameters and seed, never part of a share link.
    pub resume: Option<Box<Checkpoint>>,
}

impl Setting {
    /// `model` with its own defaults: no overrides or input, dt 0.1 ms for 100 ms.
    pub fn of_model(model: &str) -> Setting {
        Setting {
            model: model.to_string(),
            source: None,
            params: BTreeMap::new(),
            init: BTreeMap::new(),
            input: None,
            method: None,
            dt_ms: 0.1,
            duration_ms: 100.0,
            seed: 0,
            bench: None,
            starts: Vec::new(),
            resume: None,
        }
    }

    /// A simulator block's default setting.
    pub fn from_block(sim: &Simulator) -> Setting {
        Setting {
            model: sim.model.clone(),
            source: None,
            params: sim.params.clone(),
            init: sim.init.clone(),
            input: sim.input.clone(),
            method: sim.method.clone(),
            dt_ms: sim.dt_ms,
            duration_ms: sim.duration_ms,
            seed: sim.seed,
            bench: sim.bench.clone().map(Box::new),
            starts: Vec::new(),
            resume: None,
        }
    }

    /// An f–I block's default setting: one neuron per swept value, so that each neuron's rate
    /// is one point of the curve.
    pub fn from_fi_curve(fi: &FiCurve) -> Setting {
        Setting {
            params: BTreeMap::from([(fi.param.clone(), fi.values())]),
            dt_ms: fi.dt_ms,
            duration_ms: fi.duration_ms,
            ..Setting::of_model(&fi.model)
        }
    }

    /// A phase plane's parameters; its trajectories run for `trajectory_ms`.
    pub fn from_phase_plane(plane: &PhasePlane) -> Setting {
        Setting {
            params: plane.params.clone(),
            dt_ms: plane.dt_ms,
            duration_ms: plane.trajectory_ms,
            starts: plane.start.into_iter().collect(),
            ..Setting::of_model(&plane.model)
        }
    }

    /// A phase line's parameters. It draws no run; the CLI's `--state` runs the model from its
    /// initial state for this long.
    pub fn from_phase_line(line: &PhaseLine) -> Setting {
        Setting {
            params: line.params.clone(),
            dt_ms: PHASE_LINE_DT_MS,
            duration_ms: PHASE_LINE_RUN_MS,
            ..Setting::of_model(&line.model)
        }
    }

    /// A network block's setting: `model` is the network's id, `params` its parameters.
    pub fn from_network(network: &Network) -> Setting {
        Setting {
            params: network.params.clone(),
            input: network.input.clone(),
            dt_ms: network.dt_ms,
            duration_ms: network.duration_ms,
            seed: network.seed,
            ..Setting::of_model(&network.network)
        }
    }

    pub fn from_widget(widget: Widget) -> Setting {
        match widget {
            Widget::Simulator(s) => Setting::from_block(s),
            Widget::FiCurve(f) => Setting::from_fi_curve(f),
            Widget::PhasePlane(p) => Setting::from_phase_plane(p),
            Widget::PhaseLine(l) => Setting::from_phase_line(l),
            Widget::Network(n) => Setting::from_network(n),
        }
    }

    /// This setting with some parameters replaced, as an exercise's solution does.
    pub fn with_params(&self, overrides: &BTreeMap<String, Vec<f64>>) -> Setting {
        let mut setting = self.clone();
        for (name, values) in overrides {
            setting.params.insert(name.clone(), values.clone());
        }
        setting
    }
}
