//! Populations and the projections between them, stepped together in an order given as data.
//!
//! A network is described by its groups (neuron populations or spike sources), its projections
//! (a synapse model from one group to another with a connection rule, delays and parameters)
//! and the order in which a step updates them. BrainPy's networks update every projection and
//! then every group (curriculum §0.5, §9.2), so a spike emitted in step `n` acts in step `n + 1`
//! plus the projection's delay; the single-synapse bench updates the source, the projection and
//! the postsynaptic neuron in that order (`circuit`).
//!
//! When a projection updates, the spikes its presynaptic group emitted `delay_steps` updates ago
//! arrive at its synapses; those advance one step, and their output states, summed per
//! postsynaptic neuron, are handed (`conductance_delay_steps` later) to the postsynaptic group,
//! whose model has every incoming projection's current added to its input inside its
//! equations (`compose`).
//!
//! A projection keeps its synapse state in one of two forms:
//! - **per postsynaptic neuron** (BrainPy's `ProjAlignPost`), when the synapse model is
//!   superposable (`linear`) and its parameters are shared: the synapse's states are fused into
//!   the postsynaptic model (`compose`), advanced first in each step with the number of spikes
//!   arriving at each neuron. COBA with 4000 neurons then holds 4000 + 4000 conductances rather
//!   than 320 000, inside the two populations' programs. Its recordings (states only) have one
//!   row per postsynaptic neuron.
//! - **per connection**, for every other synapse (kinetic, plastic, saturating) or when asked:
//!   one instance per connection, stored by presynaptic neuron, with `on_post_spike` statements
//!   run for connections whose postsynaptic neuron spiked in the last step. Its recordings have
//!   one row per connection.

use crate::compose::{compose, Added, Drive};
use crate::connect::{Csr, Rule};
use crate::input::{InputSpec, InputState};
use crate::ir::{Expr, Model};
use crate::linear::superposable;
use crate::message::Message;
use crate::msg;
use crate::simulation::{NonFinite, Output, Setup, SetupError, Simulation};

/// What a group is.
#[derive(Clone, Debug)]
pub enum Source {
    /// Explicit spike times in ms, one list per neuron (a spike at the step whose time rounds
    /// to it, as BrainPy's `SpikeTimeGroup`).
    Times(Vec<Vec<f64>>),
    /// `n` spike generators: neuron `j` spikes on every step where the protocol's value for it
    /// is positive (`spikes(times=[…], weight=1)`, `poisson(rate=…, weight=1)`).
    Train { n: usize, spec: InputSpec },
    /// A neuron population with its own setup (size, parameters, initial states, input,
    /// recording); the network's `dt_ms` and `record_stride` and the group's seed replace the
    /// setup's.
    Neurons {
        model: Box<Model>,
        setup: Box<Setup>,
    },
}

impl Source {
    pub fn len(&self) -> usize {
        match self {
            Source::Times(times) => times.len(),
            Source::Train { n, .. } => *n,
            Source::Neurons { setup, .. } => setup.n,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[derive(Clone, Debug)]
pub struct Group {
    pub name: String,
    pub source: Source,
    /// Seeds the group's random input (noise, Poisson trains).
    pub seed: u64,
}

/// How a projection keeps its synapses' state (module documentation).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Form {
    /// Per postsynaptic neuron where the synapse is superposable and its parameters are shared;
    /// per connection otherwise.
    #[default]
    Auto,
    PerConnection,
}

/// Synapses of one model from group `pre` to group `post`.
#[derive(Clone, Debug)]
pub struct Projection {
    /// Prefixes the names the projection adds to the postsynaptic model (`syn` gives the
    /// parameter `syn_g` and the current `I_syn`).
    pub id: String,
    /// Group names.
    pub pre: String,
    pub post: String,
    pub synapse: Model,
    /// Overrides of the synapse's parameters and initial states: one value, or one per
    /// connection (which keeps the projection per connection).
    pub params: Vec<(String, Vec<f64>)>,
    pub init: Vec<(String, Vec<f64>)>,
    pub rule: Rule,
    /// Updates between a presynaptic spike's emission and its arrival, beyond the order of
    /// updates (0: the spikes of the presynaptic group's latest update).
    pub delay_steps: usize,
    /// Steps between the synapses' state and the current it drives (BrainPy's older synapse
    /// classes delay their conductance; 0 for the `dyn` projections).
    pub conductance_delay_steps: usize,
    /// Synapse states, helpers or parameters to record.
    pub record: Vec<String>,
    pub form: Form,
}

/// The names a single-synapse bench gives its two groups (`Projection::new`).
pub const PRE: &str = "pre";
pub const POST: &str = "post";

impl Projection {
    /// `synapse` connected by `rule` from group `pre` to group `post` under `id`, with the
    /// synapse's own parameters and initial states, no delays and nothing recorded; struct
    /// update syntax changes the rest.
    pub fn new(id: &str, synapse: Model, rule: Rule) -> Projection {
        Projection {
            id: id.to_string(),
            pre: PRE.to_string(),
            post: POST.to_string(),
            synapse,
            params: Vec::new(),
            init: Vec::new(),
            rule,
            delay_steps: 0,
            conductance_delay_steps: 0,
            record: Vec::new(),
            form: Form::Auto,
        }
    }
}

/// One update of a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Group(usize),
    Projection(usize),
}

#[derive(Clone, Debug)]
pub struct NetworkSetup {
    pub groups: Vec<Group>,
    pub projections: Vec<Projection>,
    /// Every group and projection once, in the order a step updates them.
    pub order: Vec<Unit>,
    pub dt_ms: f64,
    /// Seeds the random connections (projection `k` with `seed + k + 1`).
    pub seed: u64,
    pub record_stride: usize,
}

impl NetworkSetup {
    /// BrainPy's network order: every projection, then every group.
    pub fn projections_first(groups: usize, projections: usize) -> Vec<Unit> {
        (0..projections)
            .map(Unit::Projection)
            .chain((0..groups).map(Unit::Group))
            .collect()
    }
}

/// What a run of a network recorded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NetworkOutput {
    /// Per group: its spike times, and a population's recording.
    pub groups: Vec<Output>,
    /// Per projection: its synapses' recording (rows per postsynaptic neuron or per
    /// connection, as its form).
    pub projections: Vec<Output>,
    pub error: Option<NonFinite>,
}

enum GroupState {
    /// Per neuron, the steps it spikes at, sorted, and how many of them are past.
    Times {
        steps: Vec<Vec<usize>>,
        next: Vec<usize>,
        spikes: Vec<usize>,
        output: Output,
    },
    Train {
        input: Box<InputState>,
        values: Vec<f64>,
        spikes: Vec<usize>,
        output: Output,
    },
    Neurons(Box<Simulation>),
}

impl GroupState {
    /// The neurons that spiked in the group's latest update.
    fn spikes(&self) -> &[usize] {
        match self {
            GroupState::Times { spikes, .. } | GroupState::Train { spikes, .. } => spikes,
            GroupState::Neurons(sim) => sim.spiked(),
        }
    }

    /// What the group has recorded so far.
    fn output(&self) -> &Output {
        match self {
            GroupState::Times { output, .. } | GroupState::Train { output, .. } => output,
            GroupState::Neurons(sim) => sim.output(),
        }
    }

    fn into_output(self) -> Output {
        match self {
            GroupState::Times { output, .. } | GroupState::Train { output, .. } => output,
            GroupState::Neurons(sim) => sim.into_output(),
        }
    }

    /// Updates the group for step `step`; the error if a state became non-finite.
    fn update(&mut self, step: usize, t_ms: f64) -> Result<(), NonFinite> {
        let (spikes, output) = match self {
            GroupState::Neurons(sim) => {
                return match sim.advance(1) {
                    true => Ok(()),
                    false => Err(sim.output().error.clone().expect("a failed step says why")),
                }
            }
            GroupState::Times {
                steps,
                next,
                spikes,
                output,
            } => {
                spikes.clear();
                for (j, (s, k)) in steps.iter().zip(next.iter_mut()).enumerate() {
                    // Several times on one step are one spike.
                    let mut here = false;
                    while s.get(*k) == Some(&step) {
                        *k += 1;
                        here = true;
                    }
                    if here {
                        spikes.push(j);
                    }
                }
                (spikes, output)
            }
            GroupState::Train {
                input,
                values,
                spikes,
                output,
            } => {
                input.fill(step, values);
                spikes.clear();
                let spiking = values.iter().enumerate().filter(|(_, v)| **v > 0.0);
                spikes.extend(spiking.map(|(j, _)| j));
                (spikes, output)
            }
        };
        for &j in spikes.iter() {
            output.spike_times_ms[j].push(t_ms);
        }
        output.steps = step + 1;
        Ok(())
    }
}

/// A projection's synapses, in one of the two forms (module documentation).
enum Synapses {
    /// Fused into the postsynaptic population's model (`compose`): per postsynaptic neuron, the
    /// number of spikes arriving, handed to its parameter `count`; and the synapse states
    /// recorded, as (synapse's name, the population's name).
    Fused {
        counts: Vec<f64>,
        count: usize,
        record: Vec<(String, String)>,
    },
    PerConnection(Box<PerConnection>),
}

/// Synapses kept one per connection: their own population (one instance per connection).
struct PerConnection {
    sim: Simulation,
    /// Per connection, whether a spike arrives, and whether its postsynaptic neuron spiked in
    /// the last step (for `on_post_spike`), with the connections onto each postsynaptic neuron.
    arrived: Vec<f64>,
    post_spiked: Vec<f64>,
    by_post: Vec<Vec<usize>>,
    added: Added,
    /// Output states summed per postsynaptic neuron over the last `conductance_delay_steps + 1`
    /// updates, a ring written at `head` like `pending`; one vector per entry of
    /// `added.states`.
    summed: Vec<Vec<Vec<f64>>>,
}

struct ProjectionState {
    pre: usize,
    post: usize,
    csr: Csr,
    synapses: Synapses,
    /// Presynaptic spikes of the last `delay_steps + 1` updates, a ring written at `head`: the
    /// entry after `head` holds the spikes of `delay_steps` updates ago.
    pending: Vec<Vec<usize>>,
    /// Updates done: this one writes each ring at `head` modulo its length.
    head: usize,
}

/// A network as another backend sees it (`Network::plan`).
pub struct Plan<'a> {
    pub populations: Vec<Option<&'a Simulation>>,
    pub projections: Vec<ProjectionPlan<'a>>,
    pub order: &'a [Unit],
    pub dt_ms: f64,
    pub steps_done: usize,
}

pub struct ProjectionPlan<'a> {
    pub pre: usize,
    pub post: usize,
    pub csr: &'a Csr,
    pub delay_steps: usize,
    /// Fused into the postsynaptic model: the model's parameter that takes the number of
    /// spikes arriving at each neuron in a step. `None`: kept per connection.
    pub fused_count: Option<usize>,
}

pub struct Network {
    groups: Vec<GroupState>,
    projections: Vec<ProjectionState>,
    order: Vec<Unit>,
    step_index: usize,
    dt_ms: f64,
    error: Option<NonFinite>,
}

impl Network {
    pub fn new(setup: &NetworkSetup) -> Result<Network, SetupError> {
        let dt_ms = setup.dt_ms;
        check_order(setup)?;
        let group_index = |name: &str, (what, what_zh): (&str, &str), id: &str| {
            setup
                .groups
                .iter()
                .position(|g| g.name == name)
                .ok_or_else(|| {
                    SetupError::new(msg!(
                        "projection `{id}`: its {what} group `{name}` is not in the network",
                        "投射 `{id}`：它的{what_zh}群体 `{name}` 不在网络中"
                    ))
                })
        };
        let mut ends = Vec::new();
        for p in &setup.projections {
            let pre = group_index(&p.pre, ("presynaptic", "突触前"), &p.id)?;
            let post = group_index(&p.post, ("postsynaptic", "突触后"), &p.id)?;
            if !matches!(setup.groups[post].source, Source::Neurons { .. }) {
                return Err(SetupError::new(msg!(
                    "projection `{}`: its postsynaptic group `{}` is not a neuron population",
                    "投射 `{}`：它的突触后群体 `{}` 不是神经元群体",
                    p.id,
                    p.post
                )));
            }
            if p.synapse.on_spike.is_empty() {
                return Err(SetupError::new(msg!(
                    "projection `{}`: {} has no `on_spike` statements, so spikes cannot reach it",
                    "投射 `{}`：{} 没有 `on_spike` 语句，脉冲无法作用于它",
                    p.id,
                    p.synapse.id
                )));
            }
            ends.push((pre, post));
        }

        let mut groups = Vec::with_capacity(setup.groups.len());
        let mut projections: Vec<Option<ProjectionState>> =
            (0..setup.projections.len()).map(|_| None).collect();
        for (gi, group) in setup.groups.iter().enumerate() {
            let state = match &group.source {
                Source::Times(times) => times_group(times, dt_ms)?,
                Source::Train { n, spec } => {
                    let input = InputState::new(spec, *n, dt_ms, group.seed).map_err(|e| {
                        let name = &group.name;
                        SetupError(
                            e.with_position()
                                .after(msg!("group `{name}`: ", "群体 `{name}`：")),
                        )
                    })?;
                    GroupState::Train {
                        input: Box::new(input),
                        values: vec![0.0; *n],
                        spikes: Vec::with_capacity(*n),
                        output: spikes_only(*n),
                    }
                }
                Source::Neurons { model, setup: own } => {
                    let incoming: Vec<usize> =
                        (0..ends.len()).filter(|&k| ends[k].1 == gi).collect();
                    let own = Setup {
                        dt_ms,
                        seed: group.seed,
                        record_stride: setup.record_stride,
                        ..own.as_ref().clone()
                    };
                    let (sim, states) = driven_population(setup, &ends, &incoming, model, own)?;
                    for (k, state) in incoming.into_iter().zip(states) {
                        projections[k] = Some(state);
                    }
                    GroupState::Neurons(Box::new(sim))
                }
            };
            groups.push(state);
        }
        Ok(Network {
            groups,
            projections: projections
                .into_iter()
                .map(|p| p.expect("every projection ends on a population"))
                .collect(),
            order: setup.order.clone(),
            step_index: 0,
            dt_ms,
            error: None,
        })
    }

    /// Number of steps `duration_ms` takes (BrainPy: `int(duration / dt)`).
    pub fn steps_for(&self, duration_ms: f64) -> usize {
        (duration_ms / self.dt_ms).max(0.0) as usize
    }

    pub fn steps_done(&self) -> usize {
        self.step_index
    }

    /// What each group has recorded so far (spike times, a population's traces), copied.
    pub fn group_outputs(&self) -> Vec<Output> {
        self.groups.iter().map(|g| g.output().clone()).collect()
    }

    /// Neurons in all groups (a measure of a step's cost).
    pub fn neurons(&self) -> usize {
        self.groups
            .iter()
            .map(|g| g.output().spike_times_ms.len())
            .sum()
    }

    /// The neurons of group `g` that spiked in its latest update.
    pub fn spikes(&self, g: usize) -> &[usize] {
        self.groups[g].spikes()
    }

    /// Advances `steps` steps; false if a state became non-finite (the error is in the output).
    #[inline(never)]
    pub fn advance(&mut self, steps: usize) -> bool {
        (0..steps).all(|_| self.error.is_none() && self.step())
    }

    pub fn run(setup: &NetworkSetup, duration_ms: f64) -> Result<NetworkOutput, SetupError> {
        let mut network = Network::new(setup)?;
        let steps = network.steps_for(duration_ms);
        network.advance(steps);
        Ok(network.into_output())
    }

    /// What another backend needs to run this network from its current state
    /// (`brainplay-gpu`): per group, its population (`None` for a spike source); per
    /// projection, its ends, connections and how the synapses are kept.
    pub fn plan(&self) -> Plan<'_> {
        Plan {
            populations: self
                .groups
                .iter()
                .map(|g| match g {
                    GroupState::Neurons(sim) => Some(&**sim),
                    _ => None,
                })
                .collect(),
            projections: self
                .projections
                .iter()
                .map(|p| ProjectionPlan {
                    pre: p.pre,
                    post: p.post,
                    csr: &p.csr,
                    delay_steps: p.pending.len() - 1,
                    fused_count: match &p.synapses {
                        Synapses::Fused { count, .. } => Some(*count),
                        Synapses::PerConnection(_) => None,
                    },
                })
                .collect(),
            order: &self.order,
            dt_ms: self.dt_ms,
            steps_done: self.step_index,
        }
    }

    /// The populations' simulations, in group order (the kernel generator reads their programs).
    #[cfg(test)]
    pub(crate) fn populations(&self) -> impl Iterator<Item = &Simulation> {
        self.groups.iter().filter_map(|g| match g {
            GroupState::Neurons(sim) => Some(&**sim),
            _ => None,
        })
    }

    pub fn into_output(self) -> NetworkOutput {
        let mut groups: Vec<Output> = self
            .groups
            .into_iter()
            .map(GroupState::into_output)
            .collect();
        let projections = self
            .projections
            .into_iter()
            .map(|p| match p.synapses {
                Synapses::PerConnection(synapses) => synapses.sim.into_output(),
                // The states were recorded by the population they are fused into.
                Synapses::Fused { record, .. } => {
                    let post = &mut groups[p.post];
                    let mut out = Output {
                        t_ms: post.t_ms.clone(),
                        steps: post.steps,
                        ..Output::default()
                    };
                    for (name, fused) in record {
                        if let Some(k) = post.names.iter().position(|n| *n == fused) {
                            post.names.remove(k);
                            out.traces.push(post.traces.remove(k));
                            out.names.push(name);
                        }
                    }
                    out
                }
            })
            .collect();
        NetworkOutput {
            groups,
            projections,
            error: self.error,
        }
    }

    /// One step; it allocates nothing but the spike times and samples it records.
    fn step(&mut self) -> bool {
        let step = self.step_index;
        let t_ms = step as f64 * self.dt_ms;
        for &unit in &self.order {
            let done = match unit {
                Unit::Group(g) => self.groups[g].update(step, t_ms),
                Unit::Projection(k) => {
                    let p = &mut self.projections[k];
                    p.receive(&self.groups)
                        .map(|()| p.deliver(&mut self.groups[p.post]))
                }
            };
            if let Err(e) = done {
                self.error = Some(e);
                return false;
            }
        }
        self.step_index += 1;
        true
    }
}

impl ProjectionState {
    /// Delivers the presynaptic group's latest spikes to the delay ring and the spikes of
    /// `delay_steps` updates ago to the synapses; synapses kept per connection advance one step.
    fn receive(&mut self, groups: &[GroupState]) -> Result<(), NonFinite> {
        let ring = self.pending.len();
        let write = self.head % ring;
        self.pending[write].clear();
        self.pending[write].extend_from_slice(groups[self.pre].spikes());
        let arriving = &self.pending[(write + 1) % ring];
        match &mut self.synapses {
            Synapses::Fused { counts, .. } => {
                counts.fill(0.0);
                for &j in arriving {
                    for &k in &self.csr.post[self.csr.row(j)] {
                        counts[k] += 1.0;
                    }
                }
            }
            Synapses::PerConnection(s) => {
                s.arrived.fill(0.0);
                for &j in arriving {
                    s.arrived[self.csr.row(j)].fill(1.0);
                }
                s.sim.set_arrivals(&s.arrived);
                s.post_spiked.fill(0.0);
                for &k in groups[self.post].spikes() {
                    for &c in &s.by_post[k] {
                        s.post_spiked[c] = 1.0;
                    }
                }
                s.sim.set_post_spiked(&s.post_spiked);
                if !s.sim.advance(1) {
                    return Err(s
                        .sim
                        .output()
                        .error
                        .clone()
                        .expect("a failed step says why"));
                }
            }
        }
        Ok(())
    }

    /// Hands the postsynaptic population the spike counts of fused synapses, or the summed
    /// output states of synapses kept per connection (`conductance_delay_steps` late).
    fn deliver(&mut self, post: &mut GroupState) {
        let GroupState::Neurons(sim) = post else {
            unreachable!("projections end on populations (checked by `Network::new`)")
        };
        let head = self.head;
        self.head += 1;
        let s = match &mut self.synapses {
            Synapses::Fused { counts, count, .. } => return sim.set_param(*count, counts),
            Synapses::PerConnection(s) => s,
        };
        let ring = s.summed.len();
        for (sum, &(state, _)) in s.summed[head % ring].iter_mut().zip(&s.added.states) {
            sum.fill(0.0);
            for (&v, &k) in s.sim.state(state).iter().zip(&self.csr.post) {
                sum[k] += v;
            }
        }
        let delayed = &s.summed[(head + 1) % ring];
        for (values, &(_, param)) in delayed.iter().zip(&s.added.states) {
            sim.set_param(param, values);
        }
    }
}

/// Every group and projection exactly once in the order.
fn check_order(setup: &NetworkSetup) -> Result<(), SetupError> {
    let mut groups = vec![0; setup.groups.len()];
    let mut projections = vec![0; setup.projections.len()];
    for unit in &setup.order {
        let seen = match *unit {
            Unit::Group(g) => groups.get_mut(g),
            Unit::Projection(k) => projections.get_mut(k),
        };
        match seen {
            Some(count) => *count += 1,
            None => {
                let unit_zh = match *unit {
                    Unit::Group(g) => format!("群体 {g}"),
                    Unit::Projection(k) => format!("投射 {k}"),
                };
                return Err(SetupError::new(msg!(
                    "the update order names {unit:?}, which the network does not have",
                    "更新顺序列出了{unit_zh}，但网络中没有它"
                )));
            }
        }
    }
    if groups.iter().chain(&projections).any(|&count| count != 1) {
        return Err(SetupError(msg!(
            "the update order must name every group and projection exactly once",
            "更新顺序必须把每个群体和每个投射恰好列出一次"
        )));
    }
    Ok(())
}

fn spikes_only(n: usize) -> Output {
    Output {
        spike_times_ms: vec![Vec::new(); n],
        ..Output::default()
    }
}

fn times_group(times: &[Vec<f64>], dt_ms: f64) -> Result<GroupState, SetupError> {
    let mut steps = Vec::with_capacity(times.len());
    for (j, list) in times.iter().enumerate() {
        if let Some(bad) = list.iter().find(|t| !(t.is_finite() && **t >= 0.0)) {
            return Err(SetupError::new(msg!(
                "neuron {j}: spike time {bad} is not a time ≥ 0",
                "神经元 {j}：脉冲时间 {bad} 不是 ≥ 0 的时间"
            )));
        }
        let mut s: Vec<usize> = list.iter().map(|t| (t / dt_ms).round() as usize).collect();
        s.sort_unstable();
        steps.push(s);
    }
    Ok(GroupState::Times {
        next: vec![0; times.len()],
        spikes: Vec::with_capacity(times.len()),
        output: spikes_only(times.len()),
        steps,
    })
}

/// The population `model` driven by the projections `incoming` (indices into `setup`), and
/// those projections' states.
fn driven_population(
    setup: &NetworkSetup,
    ends: &[(usize, usize)],
    incoming: &[usize],
    model: &Model,
    own: Setup,
) -> Result<(Simulation, Vec<ProjectionState>), SetupError> {
    let drives: Vec<Drive> = incoming
        .iter()
        .map(|&k| {
            let p = &setup.projections[k];
            Drive {
                prefix: &p.id,
                synapse: &p.synapse,
                fused: fusable(p),
            }
        })
        .collect();
    let (post_model, added) = compose(model, &drives)?;
    let n_post = own.n;
    let mut post_params = own.params.clone();
    let mut varying = own.varying.clone();
    let mut record = own.record.clone();
    let mut states = Vec::with_capacity(incoming.len());
    for (&k, added) in incoming.iter().zip(added) {
        let p = &setup.projections[k];
        let (pre, post) = ends[k];
        let n_pre = setup.groups[pre].source.len();
        let id = &p.id;
        let error = |e: Message| SetupError(e.after(msg!("projection `{id}`: ", "投射 `{id}`：")));
        let csr = Csr::build(p.rule, n_pre, n_post, setup.seed.wrapping_add(k as u64 + 1))
            .map_err(error)?;
        // The synapse's parameters read by the current (and a fused synapse's equations),
        // copied (one value: the first connection's, so per-connection values of these must
        // all be equal).
        for &(j, param) in &added.params {
            let name = &p.synapse.params[j].name;
            if let Some((_, values)) = p.params.iter().find(|(n, _)| n == name) {
                if values.iter().any(|v| v.to_bits() != values[0].to_bits()) {
                    return Err(error(msg!(
                        "`{name}` enters the postsynaptic current, so it needs one value for all synapses",
                        "`{name}` 进入突触后电流，所以所有突触必须取同一个值"
                    )));
                }
                post_params.push((post_model.params[param].name.clone(), vec![values[0]]));
            }
        }
        let param_name = |param: usize| post_model.params[param].name.clone();
        varying.extend(added.states.iter().map(|&(_, param)| param_name(param)));
        let synapses = match &added.fused {
            Some(fused) => {
                varying.push(param_name(fused.count));
                let mut fused_record = Vec::new();
                for name in &p.record {
                    let i = p.synapse.state_index(name).expect("checked by `fusable`");
                    let (_, state) = fused.states[i];
                    let state_name = post_model.states[state].name.clone();
                    record.push(state_name.clone());
                    fused_record.push((name.clone(), state_name));
                }
                Synapses::Fused {
                    counts: vec![0.0; n_post],
                    count: fused.count,
                    record: fused_record,
                }
            }
            None => per_connection(p, &csr, n_post, &own, added).map_err(|e| error(e.0))?,
        };
        states.push(ProjectionState {
            pre,
            post,
            csr,
            synapses,
            pending: vec![Vec::with_capacity(n_pre); p.delay_steps + 1],
            head: 0,
        });
    }
    let own = Setup {
        params: post_params,
        varying,
        record,
        ..own
    };
    Ok((Simulation::new(&post_model, &own)?, states))
}

/// Whether a projection's synapses can live inside its postsynaptic population (module
/// documentation): superposable, one value per parameter, starting at zero, no delay between
/// their state and the current, and recording only their states.
fn fusable(p: &Projection) -> bool {
    let synapse = &p.synapse;
    p.form == Form::Auto
        && p.conductance_delay_steps == 0
        && p.params.iter().all(|(_, v)| v.len() == 1)
        && p.init.iter().all(|(_, v)| v.iter().all(|&x| x == 0.0))
        && synapse.states.iter().all(|s| s.init == Expr::Num(0.0))
        && p.record.iter().all(|n| synapse.state_index(n).is_some())
        && superposable(synapse).is_ok()
}

/// A projection's synapses kept one per connection.
fn per_connection(
    p: &Projection,
    csr: &Csr,
    n_post: usize,
    post: &Setup,
    added: Added,
) -> Result<Synapses, SetupError> {
    let setup = Setup {
        n: csr.len(),
        dt_ms: post.dt_ms,
        params: p.params.clone(),
        init: p.init.clone(),
        seed: post.seed,
        record: p.record.clone(),
        record_stride: post.record_stride,
        ..Setup::default()
    };
    let sim = Simulation::new(&p.synapse, &setup)?;
    let mut by_post = vec![Vec::new(); n_post];
    for (c, &k) in csr.post.iter().enumerate() {
        by_post[k].push(c);
    }
    let zeros = vec![vec![0.0; n_post]; added.states.len()];
    Ok(Synapses::PerConnection(Box::new(PerConnection {
        sim,
        arrived: vec![0.0; csr.len()],
        post_spiked: vec![0.0; csr.len()],
        by_post,
        summed: vec![zeros; p.conductance_delay_steps + 1],
        added,
    })))
}
