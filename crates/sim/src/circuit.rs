//! The single-synapse test bench of the course (curriculum §0.5, §8.1): a presynaptic source,
//! projections from it and a postsynaptic population, as a two-group network updated in the
//! bench's order: the source (explicit spike times, a spike train such as
//! `spikes(times=[10, 30])` or `poisson(rate=100)`, or a neuron population with its own input),
//! then every projection (the source's spikes of `delay_steps` steps ago arrive), then the
//! postsynaptic population. Projections take their groups' names `network::PRE` and
//! `network::POST` (`Projection::new`).

use crate::ir::Model;
use crate::network::{Group, Network, NetworkSetup, Unit, POST, PRE};
pub use crate::network::{Projection, Source};
use crate::simulation::{NonFinite, Output, Setup, SetupError};

#[derive(Clone, Debug)]
pub struct CircuitSetup {
    pub source: Source,
    pub projections: Vec<Projection>,
    /// The postsynaptic model before composition, and its setup (`n`, parameters, input,
    /// recording). `dt_ms`, `seed` and `record_stride` here are the circuit's.
    pub post: Model,
    pub post_setup: Setup,
}

/// What a run of a circuit recorded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CircuitOutput {
    /// The source's spike times, and a source population's own recording.
    pub source: Output,
    /// Per projection: its synapses' recording (`network::Form`).
    pub synapses: Vec<Output>,
    /// The postsynaptic population's recording, the projections' currents `I_<id>` included.
    pub post: Output,
    pub error: Option<NonFinite>,
}

pub struct Circuit(Network);

impl Circuit {
    pub fn new(setup: &CircuitSetup) -> Result<Circuit, SetupError> {
        let seed = setup.post_setup.seed;
        let groups = vec![
            Group {
                name: PRE.into(),
                source: setup.source.clone(),
                seed,
            },
            Group {
                name: POST.into(),
                source: Source::Neurons {
                    model: Box::new(setup.post.clone()),
                    setup: Box::new(setup.post_setup.clone()),
                },
                seed,
            },
        ];
        let order = std::iter::once(Unit::Group(0))
            .chain((0..setup.projections.len()).map(Unit::Projection))
            .chain([Unit::Group(1)])
            .collect();
        let network = NetworkSetup {
            groups,
            projections: setup.projections.clone(),
            order,
            dt_ms: setup.post_setup.dt_ms,
            seed,
            record_stride: setup.post_setup.record_stride,
        };
        Network::new(&network).map(Circuit)
    }

    /// Number of steps `duration_ms` takes (BrainPy: `int(duration / dt)`).
    pub fn steps_for(&self, duration_ms: f64) -> usize {
        self.0.steps_for(duration_ms)
    }

    pub fn steps_done(&self) -> usize {
        self.0.steps_done()
    }

    /// Advances `steps` steps; false if a state became non-finite (the error is in the output).
    pub fn advance(&mut self, steps: usize) -> bool {
        self.0.advance(steps)
    }

    pub fn run(setup: &CircuitSetup, duration_ms: f64) -> Result<CircuitOutput, SetupError> {
        let mut circuit = Circuit::new(setup)?;
        let steps = circuit.steps_for(duration_ms);
        circuit.advance(steps);
        Ok(circuit.into_output())
    }

    pub fn into_output(self) -> CircuitOutput {
        let out = self.0.into_output();
        let mut groups = out.groups.into_iter();
        CircuitOutput {
            source: groups.next().unwrap_or_default(),
            post: groups.next().unwrap_or_default(),
            synapses: out.projections,
            error: out.error,
        }
    }
}
