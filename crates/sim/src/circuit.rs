//! A presynaptic source, synapses and a postsynaptic population, stepped together.
//!
//! Each step, in the order of the course's single-synapse test bench (curriculum §0.5, §8.1):
//! 1. the source: explicit spike times per neuron, a spike train (an input protocol such as
//!    `spikes(times=[10, 30])` or `poisson(rate=100)`, a neuron spiking on every step where it
//!    is positive) or a neuron population with its own input;
//! 2. every projection: the spikes of `delay_steps` steps ago arrive at their synapses (one
//!    instance per connection, stored by presynaptic neuron); synapses whose postsynaptic
//!    neuron spiked in the last step run their `on_post_spike` statements, the arriving ones
//!    their `on_spike` statements, and all advance one step; their output states are summed per
//!    postsynaptic neuron and handed, `conductance_delay_steps` later, to
//! 3. the postsynaptic population, whose model has every projection's current added to its
//!    input inside its equations (`compose`), and which advances one step.

use crate::compose::{compose, Added, Drive};
use crate::connect::{Csr, Rule};
use crate::input::{InputSpec, InputState};
use crate::ir::Model;
use crate::simulation::{NonFinite, Output, Setup, SetupError, Simulation};

/// Where presynaptic spikes come from.
#[derive(Clone, Debug)]
pub enum Source {
    /// Explicit spike times in ms, one list per presynaptic neuron (a spike at the step whose
    /// time rounds to it, as BrainPy's `SpikeTimeGroup`).
    Times(Vec<Vec<f64>>),
    /// `n` spike generators: neuron `j` spikes on every step where the protocol's value for it
    /// is positive (`spikes(times=[…], weight=1)`, `poisson(rate=…, weight=1)`).
    Train { n: usize, spec: InputSpec },
    /// A neuron population with its own setup (size, parameters, input).
    Neurons {
        model: Box<Model>,
        setup: Box<Setup>,
    },
}

/// Synapses of one model from the source to the postsynaptic population.
#[derive(Clone, Debug)]
pub struct Projection {
    /// Prefixes the names the projection adds to the postsynaptic model (`syn` gives the
    /// parameter `syn_g` and the current `I_syn`).
    pub id: String,
    pub synapse: Model,
    /// Overrides of the synapse's parameters and initial states: one value, or one per
    /// connection.
    pub params: Vec<(String, Vec<f64>)>,
    pub init: Vec<(String, Vec<f64>)>,
    pub rule: Rule,
    /// Steps between a presynaptic spike and its arrival (0: the same step).
    pub delay_steps: usize,
    /// Steps between the synapses' state and the current it drives (BrainPy's older synapse
    /// classes delay their conductance; 0 for the `dyn` projections).
    pub conductance_delay_steps: usize,
    /// Synapse states, helpers or parameters to record, per connection.
    pub record: Vec<String>,
}

impl Projection {
    /// `synapse` connected by `rule` under `id`, with the synapse's own parameters and initial
    /// states, no delays and nothing recorded; struct update syntax changes the rest.
    pub fn new(id: &str, synapse: Model, rule: Rule) -> Projection {
        Projection {
            id: id.to_string(),
            synapse,
            params: Vec::new(),
            init: Vec::new(),
            rule,
            delay_steps: 0,
            conductance_delay_steps: 0,
            record: Vec::new(),
        }
    }
}

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
    /// Presynaptic spike times per source neuron.
    pub source_spike_times_ms: Vec<Vec<f64>>,
    /// The source population's own recording (`Source::Neurons`; empty for a train).
    pub source: Output,
    /// Per projection: its synapses' recording, one "neuron" per connection.
    pub synapses: Vec<Output>,
    /// The postsynaptic population's recording, the projections' currents `I_<id>` included.
    pub post: Output,
    pub error: Option<NonFinite>,
}

enum SourceState {
    /// Per neuron, the steps it spikes at, sorted, and how many of them are past.
    Times {
        steps: Vec<Vec<usize>>,
        next: Vec<usize>,
    },
    Train {
        input: Box<InputState>,
        values: Vec<f64>,
    },
    Neurons(Box<Simulation>),
}

struct ProjectionState {
    sim: Simulation,
    csr: Csr,
    added: Added,
    /// Presynaptic spikes of the last `delay_steps + 1` steps, a ring written at `head`: the
    /// entry after `head` holds the spikes of `delay_steps` steps ago.
    pending: Vec<Vec<usize>>,
    arrivals: Vec<f64>,
    /// The synapses onto each postsynaptic neuron, and per synapse whether its postsynaptic
    /// neuron spiked in the last step (for `on_post_spike`).
    by_post: Vec<Vec<usize>>,
    post_spiked: Vec<f64>,
    /// Summed output states of the last `conductance_delay_steps + 1` steps, a ring written at
    /// `head` like `pending`; one vector per entry of `added.states`.
    summed: Vec<Vec<Vec<f64>>>,
    /// Steps done: this step writes each ring at `head` modulo its length.
    head: usize,
}

pub struct Circuit {
    source: SourceState,
    projections: Vec<ProjectionState>,
    post: Simulation,
    step_index: usize,
    dt_ms: f64,
    source_spike_times_ms: Vec<Vec<f64>>,
    /// The source's spikes in the current step (a buffer kept between steps).
    spikes: Vec<usize>,
    error: Option<NonFinite>,
}

impl Circuit {
    pub fn new(setup: &CircuitSetup) -> Result<Circuit, SetupError> {
        let dt_ms = setup.post_setup.dt_ms;
        let seed = setup.post_setup.seed;
        let (source, n_source) = match &setup.source {
            Source::Times(times) => {
                let mut steps = Vec::with_capacity(times.len());
                for (j, list) in times.iter().enumerate() {
                    if let Some(bad) = list.iter().find(|t| !(t.is_finite() && **t >= 0.0)) {
                        return Err(SetupError(format!(
                            "presynaptic neuron {j}: spike time {bad} is not a time ≥ 0"
                        )));
                    }
                    let mut s: Vec<usize> =
                        list.iter().map(|t| (t / dt_ms).round() as usize).collect();
                    s.sort_unstable();
                    steps.push(s);
                }
                let next = vec![0; times.len()];
                (SourceState::Times { steps, next }, times.len())
            }
            Source::Train { n, spec } => {
                let input = InputState::new(spec, *n, dt_ms, seed)
                    .map_err(|e| SetupError(format!("presynaptic spikes: {e}")))?;
                let values = vec![0.0; *n];
                let input = Box::new(input);
                (SourceState::Train { input, values }, *n)
            }
            Source::Neurons { model, setup: pre } => {
                let pre = Setup {
                    dt_ms,
                    seed,
                    ..pre.as_ref().clone()
                };
                let n = pre.n;
                let sim = Simulation::new(model, &pre)?;
                (SourceState::Neurons(Box::new(sim)), n)
            }
        };
        let drives: Vec<Drive> = setup
            .projections
            .iter()
            .map(|p| Drive {
                prefix: &p.id,
                synapse: &p.synapse,
            })
            .collect();
        let (post_model, added) = compose(&setup.post, &drives)?;
        let n_post = setup.post_setup.n;

        let mut projections = Vec::new();
        let mut post_params = setup.post_setup.params.clone();
        let mut varying = setup.post_setup.varying.clone();
        for (k, (p, added)) in setup.projections.iter().zip(added).enumerate() {
            let csr = Csr::build(p.rule, n_source, n_post, seed.wrapping_add(k as u64 + 1))
                .map_err(|e| SetupError(format!("projection `{}`: {e}", p.id)))?;
            if p.synapse.on_spike.is_empty() {
                return Err(SetupError(format!(
                    "projection `{}`: {} has no `on_spike` statements, so spikes cannot reach it",
                    p.id, p.synapse.id
                )));
            }
            let syn_setup = Setup {
                n: csr.len(),
                dt_ms,
                params: p.params.clone(),
                init: p.init.clone(),
                seed,
                record: p.record.clone(),
                record_stride: setup.post_setup.record_stride,
                ..Setup::default()
            };
            let sim = Simulation::new(&p.synapse, &syn_setup)
                .map_err(|e| SetupError(format!("projection `{}`: {e}", p.id)))?;
            // The synapse's parameters read by the current, copied (one value: the first
            // connection's, so per-connection values of these must all be equal).
            for &(j, param) in &added.params {
                let name = &p.synapse.params[j].name;
                if let Some((_, values)) = p.params.iter().find(|(n, _)| n == name) {
                    if values.iter().any(|v| v.to_bits() != values[0].to_bits()) {
                        return Err(SetupError(format!(
                            "projection `{}`: `{name}` enters the postsynaptic current, so it needs one value for all synapses",
                            p.id
                        )));
                    }
                    post_params.push((post_model.params[param].name.clone(), vec![values[0]]));
                }
            }
            varying.extend(
                added
                    .states
                    .iter()
                    .map(|&(_, param)| post_model.params[param].name.clone()),
            );
            let zeros = vec![vec![0.0; n_post]; added.states.len()];
            let mut by_post = vec![Vec::new(); n_post];
            for (c, &k) in csr.post.iter().enumerate() {
                by_post[k].push(c);
            }
            projections.push(ProjectionState {
                arrivals: vec![0.0; csr.len()],
                post_spiked: vec![0.0; csr.len()],
                by_post,
                sim,
                pending: vec![Vec::with_capacity(n_source); p.delay_steps + 1],
                summed: vec![zeros; p.conductance_delay_steps + 1],
                head: 0,
                csr,
                added,
            });
        }
        let post_setup = Setup {
            params: post_params,
            varying,
            ..setup.post_setup.clone()
        };
        let post = Simulation::new(&post_model, &post_setup)?;
        Ok(Circuit {
            source,
            projections,
            post,
            step_index: 0,
            dt_ms,
            source_spike_times_ms: vec![Vec::new(); n_source],
            spikes: Vec::with_capacity(n_source),
            error: None,
        })
    }

    /// Number of steps `duration_ms` takes (BrainPy: `int(duration / dt)`).
    pub fn steps_for(&self, duration_ms: f64) -> usize {
        self.post.steps_for(duration_ms)
    }

    pub fn steps_done(&self) -> usize {
        self.step_index
    }

    /// Advances `steps` steps; false if a state became non-finite (the error is in the output).
    pub fn advance(&mut self, steps: usize) -> bool {
        (0..steps).all(|_| self.error.is_none() && self.step())
    }

    pub fn run(setup: &CircuitSetup, duration_ms: f64) -> Result<CircuitOutput, SetupError> {
        let mut circuit = Circuit::new(setup)?;
        let steps = circuit.steps_for(duration_ms);
        circuit.advance(steps);
        Ok(circuit.into_output())
    }

    pub fn into_output(self) -> CircuitOutput {
        let source = match self.source {
            SourceState::Times { .. } | SourceState::Train { .. } => Output::default(),
            SourceState::Neurons(sim) => sim.into_output(),
        };
        CircuitOutput {
            source_spike_times_ms: self.source_spike_times_ms,
            source,
            synapses: self
                .projections
                .into_iter()
                .map(|p| p.sim.into_output())
                .collect(),
            post: self.post.into_output(),
            error: self.error,
        }
    }

    /// One step; it allocates nothing but the spike times it records.
    fn step(&mut self) -> bool {
        let t_ms = self.step_index as f64 * self.dt_ms;
        let step = self.step_index;
        self.spikes.clear();
        match &mut self.source {
            SourceState::Times { steps, next } => {
                for (j, (s, k)) in steps.iter().zip(next.iter_mut()).enumerate() {
                    // Several times on one step are one spike.
                    let mut here = false;
                    while s.get(*k) == Some(&step) {
                        *k += 1;
                        here = true;
                    }
                    if here {
                        self.spikes.push(j);
                    }
                }
            }
            SourceState::Train { input, values } => {
                input.fill(step, values);
                let spiking = values.iter().enumerate().filter(|(_, v)| **v > 0.0);
                self.spikes.extend(spiking.map(|(j, _)| j));
            }
            SourceState::Neurons(sim) => {
                if !sim.advance(1) {
                    self.error = sim.output().error.clone();
                    return false;
                }
                self.spikes.extend_from_slice(sim.spiked());
            }
        }
        for &j in &self.spikes {
            self.source_spike_times_ms[j].push(t_ms);
        }
        for p in &mut self.projections {
            let ring = p.pending.len();
            let write = p.head % ring;
            p.pending[write].clear();
            p.pending[write].extend_from_slice(&self.spikes);
            p.arrivals.fill(0.0);
            for &j in &p.pending[(write + 1) % ring] {
                p.arrivals[p.csr.row(j)].fill(1.0);
            }
            p.sim.set_arrivals(&p.arrivals);
            p.post_spiked.fill(0.0);
            for &k in self.post.spiked() {
                for &c in &p.by_post[k] {
                    p.post_spiked[c] = 1.0;
                }
            }
            p.sim.set_post_spiked(&p.post_spiked);
            if !p.sim.advance(1) {
                self.error = p.sim.output().error.clone();
                return false;
            }
            let head = p.head % p.summed.len();
            for (sum, &(state, _)) in p.summed[head].iter_mut().zip(&p.added.states) {
                sum.fill(0.0);
                for (&v, &k) in p.sim.state(state).iter().zip(&p.csr.post) {
                    sum[k] += v;
                }
            }
            let delayed = &p.summed[(head + 1) % p.summed.len()];
            for (values, &(_, param)) in delayed.iter().zip(&p.added.states) {
                self.post.set_param(param, values);
            }
            p.head += 1;
        }
        if !self.post.advance(1) {
            self.error = self.post.output().error.clone();
            return false;
        }
        self.step_index += 1;
        true
    }
}
