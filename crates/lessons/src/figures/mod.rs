//! The one route from a widget's setting to its figures (`crate::figure`): simulator traces,
//! sweeps, phase planes with their bifurcation diagrams, phase lines, synapse figures. The
//! compute worker, the CLI and the tests all go through `start` (or `compute`), so what the
//! page draws is what the CLI writes and what the tests check.
//!
//! A simulation advances in slices (`Pending::advance`), so that the worker can report progress;
//! analyses are computed at once in `finish`. The costly parts that depend on only some of a
//! setting (a bifurcation diagram ignores its own parameter's slider, a phase plane's click adds
//! one trajectory) are remembered in a `Cache` between requests.

mod cable;
#[cfg(feature = "learn")]
mod coding;
mod convergence;
mod decision;
#[cfg(feature = "learn")]
mod gif;
mod line;
mod network;
mod panel;
mod plane;
#[cfg(feature = "learn")]
mod reservoir;
mod ring;
mod run;
#[cfg(feature = "learn")]
mod snn;
pub mod synapse;
#[cfg(feature = "learn")]
mod training;

use brainplay_sim::networks::{self, Kind};
use brainplay_sim::Model;

pub use crate::content::Figured;
use crate::content::{Network as NetworkBlock, Widget};
use crate::figure::{Figures, Issues, SweepFigure};
use crate::run::Run;
use crate::setting::{Runnable, Setting};

pub use cache::Cache;

pub use plane::FIXED_POINT_STARTS;

/// A computation under way.
pub struct Pending<'a> {
    block: Figured<'a>,
    setting: Setting,
    work: Work,
}

enum Work {
    /// A simulation of `total` steps.
    Run { run: Box<Run>, total: usize },
    /// An analysis of this model, done in `finish`.
    Analysis(Box<Model>),
    /// A synapse figure, done in `finish`.
    Synapses,
    /// A built-in network's run or training, in slices.
    Stepped(Box<dyn Stepped>),
    /// Figures computed at once (neural codes).
    Done(Box<crate::figure::TrainingFigures>),
    /// A network run of `total` steps.
    Network {
        network: Box<brainplay_sim::network::Network>,
        total: usize,
    },
}

/// A built-in network's run or training (lessons 10–14), advanced in slices, which can draw
/// what it has done so far. Held behind `dyn` so that a worker links only the kinds it starts.
trait Stepped {
    fn total_steps(&self) -> usize;
    fn steps_done(&self) -> usize;
    /// Units simulated (a measure of a step's cost).
    fn neurons(&self) -> usize;
    /// Advances up to `steps` steps; false once the run is complete.
    fn advance(&mut self, steps: usize) -> bool;
    fn figures(&self, block: &NetworkBlock) -> Figures;
}

/// `Stepped` for a run type whose inherent methods have the trait's names, and whose figures
/// `$figures` makes from the run `$run` and the block `$block`.
macro_rules! stepped {
    ($t:ty, |$run:ident, $block:pat_param| $figures:expr) => {
        impl Stepped for $t {
            fn total_steps(&self) -> usize {
                <$t>::total_steps(self)
            }
            fn steps_done(&self) -> usize {
                <$t>::steps_done(self)
            }
            fn neurons(&self) -> usize {
                <$t>::neurons(self)
            }
            fn advance(&mut self, steps: usize) -> bool {
                <$t>::advance(self, steps)
            }
            fn figures(&self, $block: &NetworkBlock) -> Figures {
                let $run = self;
                $figures
            }
        }
    };
}

stepped!(ring::RingRun, |run, _| Figures::Ring(Box::new(
    run.figures()
)));
stepped!(decision::DecisionRun, |run, block| Figures::Network(
    Box::new(run.figures(block))
));
#[cfg(feature = "learn")]
stepped!(reservoir::ReservoirRun, |run, _| Figures::Reservoir(
    Box::new(run.figures())
));
#[cfg(feature = "learn")]
stepped!(training::SequenceRun, |run, _| Figures::Training(Box::new(
    run.figures()
)));
#[cfg(feature = "learn")]
stepped!(training::RnnRun, |run, _| Figures::Training(Box::new(
    run.figures()
)));
#[cfg(feature = "learn")]
stepped!(snn::SnnRun, |run, _| Figures::Training(Box::new(
    run.figures()
)));

/// Whether a built-in network of `kind` learns (lessons 12–14): those are computed by the
/// learning worker, built with the feature `learn`; `brainplay_content::LEARNING_NETWORKS`
/// names them for the page.
pub fn learns(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Reservoir | Kind::Rtrl | Kind::RateRnn | Kind::Snn | Kind::Coding | Kind::Gif
    )
}

/// Starts a network that learns.
#[cfg(feature = "learn")]
fn start_learning(kind: Kind, block: &NetworkBlock, setting: &Setting) -> Result<Work, String> {
    let stepped: Box<dyn Stepped> = match kind {
        Kind::Reservoir => Box::new(reservoir::ReservoirRun::start(setting)?),
        Kind::Rtrl => Box::new(training::SequenceRun::start(setting)?),
        Kind::RateRnn => Box::new(training::RnnRun::start(setting)?),
        Kind::Snn => Box::new(snn::SnnRun::start(block, setting)?),
        Kind::Coding => return Ok(Work::Done(Box::new(coding::figures(block, setting)?))),
        Kind::Gif => return Ok(Work::Done(Box::new(gif::figures(setting)?))),
        _ => return Err(format!("{kind:?} is not a network that learns")),
    };
    Ok(Work::Stepped(stepped))
}

/// Without the learning code, the message that says where it is.
#[cfg(not(feature = "learn"))]
fn start_learning(_: Kind, _: &NetworkBlock, _: &Setting) -> Result<Work, String> {
    Err("this worker was built without the learning code (lessons 12–14 are computed by the learning worker)".into())
}

/// Starts computing `block`'s figures for `setting`. The error says why it cannot start (a model
/// that does not parse, an input spec with a typo, …).
pub fn start<'a>(block: Figured<'a>, setting: &Setting) -> Result<Pending<'a>, String> {
    let work = match block {
        Figured::SynapsePlot(_) => Work::Synapses,
        Figured::Widget(Widget::Network(block)) => match networks::kind(&setting.model) {
            Some(Kind::Ring) => Work::Stepped(Box::new(ring::RingRun::start(block, setting)?)),
            Some(Kind::Decision) => {
                Work::Stepped(Box::new(decision::DecisionRun::start(block, setting)?))
            }
            Some(Kind::Convergence) => Work::Done(Box::new(convergence::figures(setting)?)),
            Some(Kind::Cable) => Work::Done(Box::new(cable::figures(setting)?)),
            Some(kind) if learns(kind) => start_learning(kind, block, setting)?,
            _ => {
                let network = network::start(block, setting)?;
                let total = network.steps_for(setting.duration_ms);
                Work::Network {
                    network: Box::new(network),
                    total,
                }
            }
        },
        Figured::Widget(widget) => {
            let model = setting.model()?;
            match widget {
                Widget::Simulator(_) | Widget::FiCurve(_) => {
                    let record = run::record(widget);
                    // A sweep measures every step; a simulator's plots need no more samples
                    // than they can show.
                    let max_samples = matches!(widget, Widget::Simulator(_))
                        .then_some(crate::run::MAX_PLOTTED_SAMPLES);
                    let run = Run::start(setting, &model, &record, max_samples)?;
                    let total = run.steps_for(setting.duration_ms);
                    Work::Run {
                        run: Box::new(run),
                        total,
                    }
                }
                Widget::PhasePlane(_) | Widget::PhaseLine(_) | Widget::Network(_) => {
                    Work::Analysis(Box::new(model))
                }
            }
        }
    };
    let pending = Pending {
        block,
        setting: setting.clone(),
        work,
    };
    // Networks too: a link may set a network's dt or size.
    crate::run::within_bounds(pending.total_steps() as f64 * pending.neurons() as f64)?;
    Ok(pending)
}

/// `block`'s figures for `setting`, computed at once.
pub fn compute(block: Figured, setting: &Setting, cache: &mut Cache) -> Result<Figures, String> {
    let mut pending = start(block, setting)?;
    pending.advance(usize::MAX);
    pending.finish(cache)
}

impl Pending<'_> {
    /// Steps the simulation takes in all (0 for an analysis).
    pub fn total_steps(&self) -> usize {
        match &self.work {
            Work::Run { total, .. } | Work::Network { total, .. } => *total,
            Work::Stepped(run) => run.total_steps(),
            _ => 0,
        }
    }

    pub fn steps_done(&self) -> usize {
        match &self.work {
            Work::Run { run, .. } => run.steps_done(),
            Work::Network { network, .. } => network.steps_done(),
            Work::Stepped(run) => run.steps_done(),
            _ => 0,
        }
    }

    /// Neurons simulated (a measure of a step's cost).
    pub fn neurons(&self) -> usize {
        match &self.work {
            Work::Run { run, .. } => run.neurons(),
            Work::Network { network, .. } => network.neurons(),
            Work::Stepped(run) => run.neurons(),
            _ => 1,
        }
    }

    /// Advances up to `steps` steps; false once there is nothing left to do (done, or stopped
    /// by a non-finite state).
    pub fn advance(&mut self, steps: usize) -> bool {
        match &mut self.work {
            Work::Run { run, total } => {
                let left = *total - run.steps_done();
                left > 0 && run.advance(steps.min(left)) && run.steps_done() < *total
            }
            Work::Network { network, total } => {
                let left = *total - network.steps_done();
                left > 0 && network.advance(steps.min(left)) && network.steps_done() < *total
            }
            Work::Stepped(run) => run.advance(steps),
            _ => false,
        }
    }

    /// For a network under way, the figures of what has been simulated so far (long runs send
    /// them while they run); `None` for everything else.
    pub fn partial(&self) -> Option<Figures> {
        let Figured::Widget(Widget::Network(block)) = self.block else {
            return None;
        };
        let network = match &self.work {
            Work::Stepped(run) => return Some(run.figures(block)),
            Work::Network { network, .. } => network,
            _ => return None,
        };
        let output = brainplay_sim::network::NetworkOutput {
            groups: network.group_outputs(),
            ..Default::default()
        };
        let figures = network::figures(block, &self.setting, output, network.steps_done());
        Some(Figures::Network(Box::new(figures)))
    }

    /// The figures (what was simulated so far, for a run stopped early).
    pub fn finish(self, cache: &mut Cache) -> Result<Figures, String> {
        let Pending {
            block,
            setting,
            work,
        } = self;
        match (block, work) {
            (Figured::Widget(widget), Work::Run { run, .. }) => {
                Ok(run::figures(widget, &setting, run.into_output()))
            }
            (Figured::Widget(Widget::Network(block)), Work::Stepped(run)) => Ok(run.figures(block)),
            (_, Work::Done(figures)) => Ok(Figures::Training(figures)),
            (Figured::Widget(Widget::Network(block)), Work::Network { network, .. }) => {
                let steps = network.steps_done();
                let output = network.into_output();
                Ok(Figures::Network(Box::new(network::figures(
                    block, &setting, output, steps,
                ))))
            }
            (Figured::Widget(Widget::PhasePlane(plane)), Work::Analysis(model)) => Ok(
                Figures::Plane(Box::new(plane::figure(&model, plane, &setting, cache))),
            ),
            (Figured::Widget(Widget::PhaseLine(line)), Work::Analysis(model)) => {
                Ok(Figures::Line(line::figure(&model, line, &setting, cache)))
            }
            (Figured::SynapsePlot(plot), _) => {
                let figure = cache::remember(&mut cache.synapse_plots, &plot.id, plot, || {
                    synapse::compute(plot).unwrap_or_else(|error| SweepFigure {
                        issues: Issues::failed(error),
                        ..SweepFigure::default()
                    })
                });
                Ok(Figures::Sweep(figure))
            }
            _ => Err("this block has no figure of that kind".into()),
        }
    }
}

/// An axis title: a state's or parameter's name with its unit, if it has one.
fn variable_label(model: &Model, name: &str) -> String {
    let unit = model
        .state_index(name)
        .map(|i| &model.states[i].unit)
        .or_else(|| model.param_index(name).map(|i| &model.params[i].unit))
        .filter(|u| *u != "1");
    match unit {
        Some(u) => format!("{name} ({u})"),
        None => name.to_string(),
    }
}

/// The setting's parameters, one value each (a plane or line is one neuron).
fn single_params(setting: &Setting) -> Vec<(String, f64)> {
    setting
        .params
        .iter()
        .filter_map(|(name, values)| values.first().map(|v| (name.clone(), *v)))
        .collect()
}

/// Borrowed `(name, value)` pairs, leaving out `varied` (which a diagram sets itself).
fn params_except<'p>(params: &'p [(String, f64)], varied: &[&str]) -> Vec<(&'p str, f64)> {
    params
        .iter()
        .filter(|(name, _)| !varied.contains(&name.as_str()))
        .map(|(name, v)| (name.as_str(), *v))
        .collect()
}

mod cache {
    use std::collections::BTreeMap;
    use std::fmt::Debug;

    use crate::figure::{
        DiagramFigure, LineDiagramFigure, PlaneFigure, SweepFigure, TwoParameterFigure,
    };

    /// The latest costly part of each widget, with what it was computed from.
    #[derive(Default)]
    pub struct Cache {
        pub(super) planes: BTreeMap<String, (String, PlaneFigure)>,
        pub(super) diagrams: BTreeMap<String, (String, DiagramFigure)>,
        pub(super) two_parameter: BTreeMap<String, (String, TwoParameterFigure)>,
        pub(super) line_diagrams: BTreeMap<String, (String, LineDiagramFigure)>,
        pub(super) synapse_plots: BTreeMap<String, (String, SweepFigure)>,
    }

    /// `compute()`'s value for widget `id` from `inputs`: the remembered one if `inputs` are
    /// those it was computed from.
    pub(super) fn remember<T: Clone>(
        map: &mut BTreeMap<String, (String, T)>,
        id: &str,
        inputs: impl Debug,
        compute: impl FnOnce() -> T,
    ) -> T {
        let key = format!("{inputs:?}");
        if let Some((k, value)) = map.get(id) {
            if *k == key {
                return value.clone();
            }
        }
        let value = compute();
        map.insert(id.to_string(), (key, value.clone()));
        value
    }
}
