//! The one route from a widget's setting to its figures (`crate::figure`): simulator traces,
//! sweeps, phase planes with their bifurcation diagrams, phase lines, synapse figures. The
//! compute worker, the CLI and the tests all go through `start` (or `compute`), so what the
//! page draws is what the CLI writes and what the tests check.
//!
//! A simulation advances in slices (`Pending::advance`), so that the worker can report progress;
//! analyses are computed at once in `finish`. The costly parts that depend on only some of a
//! setting (a bifurcation diagram ignores its own parameter's slider, a phase plane's click adds
//! one trajectory) are remembered in a `Cache` between requests.
//!
//! Every kind is one `Computation`, constructed only in `start`, whose two halves are behind the
//! features `neurons` (everything that does not learn) and `learn` (lessons 12–14): the worker of
//! lessons 1–11 is built with the first, the learning worker with the second, so neither links
//! the other's code; the CLI and the tests have both. Within `neurons`, the phase planes and
//! lines and the firing patterns are behind `analysis`, which the GPU worker (lesson 9, which
//! has none) leaves out.

#[cfg(feature = "neurons")]
mod cable;
#[cfg(feature = "learn")]
mod coding;
#[cfg(feature = "neurons")]
mod convergence;
#[cfg(feature = "neurons")]
mod decision;
#[cfg(feature = "learn")]
mod gif;
#[cfg(feature = "analysis")]
mod line;
#[cfg(feature = "neurons")]
mod network;
mod panel;
#[cfg(feature = "analysis")]
mod plane;
#[cfg(feature = "learn")]
mod reservoir;
#[cfg(feature = "learn")]
mod resume;
#[cfg(feature = "neurons")]
mod ring;
#[cfg(feature = "neurons")]
mod run;
#[cfg(feature = "learn")]
mod snn;
pub mod synapse;
#[cfg(feature = "learn")]
mod training;

use brainplay_sim::networks::{self, Kind};
#[cfg(feature = "neurons")]
use brainplay_sim::Model;
use brainplay_sim::{msg, Message};

#[cfg(feature = "neurons")]
use crate::setting::Runnable;

pub use crate::content::Figured;
use crate::content::{Network as NetworkBlock, Widget};
use crate::figure::Figures;
use crate::setting::Setting;

#[cfg(feature = "neurons")]
mod cache;
#[cfg(feature = "neurons")]
pub use cache::Cache;

/// Without the analyses (the learning worker), nothing to remember.
#[cfg(not(feature = "neurons"))]
#[derive(Default)]
pub struct Cache;

#[cfg(feature = "analysis")]
pub use plane::FIXED_POINT_STARTS;

/// A computation under way.
pub struct Pending<'a> {
    block: Figured<'a>,
    setting: Setting,
    work: Box<dyn Computation>,
}

/// One kind of figure's computation: a simulation or training advanced in slices, or an analysis
/// done in `finish`. Held behind `dyn`, so that a worker links only the kinds `start` can
/// construct in its build (the features `neurons` and `learn`).
trait Computation {
    /// Steps the computation takes in all (0 for an analysis).
    fn total_steps(&self) -> usize {
        0
    }
    fn steps_done(&self) -> usize {
        0
    }
    /// Neurons or units simulated (a measure of a step's cost).
    fn neurons(&self) -> usize {
        1
    }
    /// Advances up to `steps` steps; false once there is nothing left to do.
    fn advance(&mut self, _steps: usize) -> bool {
        false
    }
    /// The figures of what is done so far, for computations that show them while they run.
    fn partial(&self, _block: Figured, _setting: &Setting) -> Option<Figures> {
        None
    }
    fn finish(
        self: Box<Self>,
        block: Figured,
        setting: &Setting,
        cache: &mut Cache,
    ) -> Result<Figures, Message>;
}

/// Figures computed at once in `start` (neural codes, the integrators' errors, the cable).
struct Done(Box<crate::figure::TrainingFigures>);

impl Computation for Done {
    fn finish(self: Box<Self>, _: Figured, _: &Setting, _: &mut Cache) -> Result<Figures, Message> {
        Ok(Figures::Training(self.0))
    }
}

/// The network block a network's computation draws into.
fn network_block<'a>(block: Figured<'a>) -> Result<&'a NetworkBlock, Message> {
    match block {
        Figured::Widget(Widget::Network(network)) => Ok(network),
        _ => Err(msg!("this block is not a network", "这个块不是网络")),
    }
}

/// `Computation` for a built-in network's run type (lessons 10–14) whose inherent methods have
/// the trait's names, and whose figures `$figures` makes from the run `$run` and the block
/// `$block`; it shows them while it runs.
macro_rules! stepped {
    ($t:ty, |$run:ident, $block:pat_param| $figures:expr) => {
        impl Computation for $t {
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
            fn partial(&self, block: Figured, _: &Setting) -> Option<Figures> {
                let $block = network_block(block).ok()?;
                let $run = self;
                Some($figures)
            }
            fn finish(
                self: Box<Self>,
                block: Figured,
                _: &Setting,
                _: &mut Cache,
            ) -> Result<Figures, Message> {
                let $block = network_block(block)?;
                let $run = &*self;
                Ok($figures)
            }
        }
    };
}

#[cfg(feature = "neurons")]
stepped!(ring::RingRun, |run, _| Figures::Ring(Box::new(
    run.figures()
)));
#[cfg(feature = "neurons")]
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
/// learning worker, built with the feature `learn` (and without `neurons`); the lesson files
/// that have one say `learning_worker = true`.
pub fn learns(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Reservoir | Kind::Rtrl | Kind::RateRnn | Kind::Snn | Kind::Coding | Kind::Gif
    )
}

/// Starts a network that learns.
#[cfg(feature = "learn")]
fn start_learning(
    kind: Kind,
    block: &NetworkBlock,
    setting: &Setting,
) -> Result<Box<dyn Computation>, Message> {
    Ok(match kind {
        Kind::Reservoir => Box::new(reservoir::ReservoirRun::start(setting)?),
        Kind::Rtrl => Box::new(training::SequenceRun::start(setting)?),
        Kind::RateRnn => Box::new(training::RnnRun::start(block, setting)?),
        Kind::Snn => Box::new(snn::SnnRun::start(block, setting)?),
        Kind::Coding => Box::new(Done(Box::new(coding::figures(block, setting)?))),
        Kind::Gif => Box::new(Done(Box::new(gif::figures(setting)?))),
        _ => {
            return Err(msg!(
                "{kind:?} is not a network that learns",
                "{kind:?} 不是会学习的网络"
            ))
        }
    })
}

/// Without the learning code, the message that says where it is.
#[cfg(not(feature = "learn"))]
fn start_learning(_: Kind, _: &NetworkBlock, _: &Setting) -> Result<Box<dyn Computation>, Message> {
    Err(msg!(
        "this worker was built without the learning code (lessons 12–14 are computed by the learning worker)",
        "这个后台线程构建时没有包含学习部分的代码（第 12–14 课由学习线程计算）"
    ))
}

/// Without the neuron models' code, the message that says where it is.
#[cfg(not(feature = "neurons"))]
fn start_neurons(
    _: Figured,
    _: Option<Kind>,
    _: &Setting,
) -> Result<Box<dyn Computation>, Message> {
    Err(msg!(
        "this worker was built for the learning lessons only (lessons 1–11 are computed by the compute worker)",
        "这个后台线程只为学习部分的课程构建（第 1–11 课由计算线程计算）"
    ))
}

/// Starts every block that does not learn: simulators, sweeps, analyses, synapse figures and
/// the networks of lessons 2, 3 and 9–11.
#[cfg(feature = "neurons")]
fn start_neurons(
    block: Figured,
    kind: Option<Kind>,
    setting: &Setting,
) -> Result<Box<dyn Computation>, Message> {
    Ok(match block {
        Figured::SynapsePlot(_) => Box::new(synapse::SynapseFigure),
        Figured::Widget(Widget::Network(block)) => match kind {
            Some(Kind::Ring) => Box::new(ring::RingRun::start(block, setting)?),
            Some(Kind::Decision) => Box::new(decision::DecisionRun::start(block, setting)?),
            Some(Kind::Convergence) => Box::new(Done(Box::new(convergence::figures(setting)?))),
            Some(Kind::Cable) => Box::new(Done(Box::new(cable::figures(setting)?))),
            _ => Box::new(network::NetworkRun::start(block, setting)?),
        },
        Figured::Widget(widget) => {
            let model = setting.model()?;
            match widget {
                Widget::Simulator(_) | Widget::FiCurve(_) => {
                    Box::new(run::RunWork::start(widget, setting, &model)?)
                }
                Widget::PhasePlane(_) | Widget::PhaseLine(_) | Widget::Network(_) => {
                    analysis(model)?
                }
            }
        }
    })
}

/// A phase plane's or phase line's analysis of `model`.
#[cfg(feature = "analysis")]
fn analysis(model: Model) -> Result<Box<dyn Computation>, Message> {
    Ok(Box::new(plane::Analysis(Box::new(model))))
}

/// Without the analyses, the message that says where they are.
#[cfg(all(feature = "neurons", not(feature = "analysis")))]
fn analysis(_: Model) -> Result<Box<dyn Computation>, Message> {
    Err(msg!(
        "this worker was built without the analyses (phase planes and lines are computed by the compute worker)",
        "这个后台线程构建时没有包含动力学分析（相平面和相线由计算线程计算）"
    ))
}

/// Starts computing `block`'s figures for `setting`. The error says why it cannot start (a model
/// that does not parse, an input spec with a typo, …).
pub fn start<'a>(block: Figured<'a>, setting: &Setting) -> Result<Pending<'a>, Message> {
    let kind = networks::kind(&setting.model);
    let work = match (block, kind) {
        (Figured::Widget(Widget::Network(network)), Some(kind)) if learns(kind) => {
            start_learning(kind, network, setting)?
        }
        _ => start_neurons(block, kind, setting)?,
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

/// A spiking network block's setup as the CPU runs it, for the GPU worker; `None` for every
/// other block.
#[cfg(feature = "neurons")]
pub fn spiking_setup(
    block: Figured,
    setting: &Setting,
) -> Option<Result<brainplay_sim::network::NetworkSetup, Message>> {
    let Figured::Widget(Widget::Network(network)) = block else {
        return None;
    };
    (networks::kind(&setting.model) == Some(Kind::Spiking))
        .then(|| network::setup(network, setting))
}

/// The figures of a spiking network block (`spiking_setup`) from what its groups recorded in
/// `steps` steps elsewhere (on the GPU), with where it ran.
#[cfg(feature = "neurons")]
pub fn spiking_figures(
    block: Figured,
    setting: &Setting,
    output: brainplay_sim::network::NetworkOutput,
    steps: usize,
    backend: crate::figure::Backend,
) -> Result<Figures, Message> {
    let mut figures = network::figures(network_block(block)?, setting, output, steps);
    figures.backend = Some(backend);
    Ok(Figures::Network(Box::new(figures)))
}

/// `block`'s figures for `setting`, computed at once.
pub fn compute(block: Figured, setting: &Setting, cache: &mut Cache) -> Result<Figures, Message> {
    let mut pending = start(block, setting)?;
    pending.advance(usize::MAX);
    pending.finish(cache)
}

impl Pending<'_> {
    /// Steps the computation takes in all (0 for an analysis).
    pub fn total_steps(&self) -> usize {
        self.work.total_steps()
    }

    pub fn steps_done(&self) -> usize {
        self.work.steps_done()
    }

    /// Neurons simulated (a measure of a step's cost).
    pub fn neurons(&self) -> usize {
        self.work.neurons()
    }

    /// Advances up to `steps` steps; false once there is nothing left to do (done, or stopped
    /// by a non-finite state).
    pub fn advance(&mut self, steps: usize) -> bool {
        self.work.advance(steps)
    }

    /// For a network under way, the figures of what has been simulated so far (long runs send
    /// them while they run); `None` for everything else.
    pub fn partial(&self) -> Option<Figures> {
        self.work.partial(self.block, &self.setting)
    }

    /// The figures (what was simulated so far, for a run stopped early).
    pub fn finish(self, cache: &mut Cache) -> Result<Figures, Message> {
        self.work.finish(self.block, &self.setting, cache)
    }
}

#[cfg(feature = "analysis")]
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

#[cfg(feature = "analysis")]
/// The setting's parameters, one value each (a plane or line is one neuron).
fn single_params(setting: &Setting) -> Vec<(String, f64)> {
    setting
        .params
        .iter()
        .filter_map(|(name, values)| values.first().map(|v| (name.clone(), *v)))
        .collect()
}

#[cfg(feature = "analysis")]
/// Borrowed `(name, value)` pairs, leaving out `varied` (which a diagram sets itself).
fn params_except<'p>(params: &'p [(String, f64)], varied: &[&str]) -> Vec<(&'p str, f64)> {
    params
        .iter()
        .filter(|(name, _)| !varied.contains(&name.as_str()))
        .map(|(name, v)| (name.as_str(), *v))
        .collect()
}
