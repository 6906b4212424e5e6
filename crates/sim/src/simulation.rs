//! A population of N copies of a model, stepped together: per-neuron parameters, an input
//! protocol, spike/reset/refractory rules (curriculum §0.3), monitors and the NaN guard.

use std::fmt;

use crate::graph::Graph;
use crate::input::{InputSpec, InputState};
use crate::ir::{Method, Model, SpikeTest, Sym};
use crate::lower::{self, Lowering, Slots};
use crate::program::Program;

/// What to simulate, apart from the model and the duration.
#[derive(Clone, Debug, PartialEq)]
pub struct Setup {
    /// Number of neurons.
    pub n: usize,
    pub dt_ms: f64,
    /// `None`: the model's own method.
    pub method: Option<Method>,
    /// Parameter overrides: one value for all neurons, or one per neuron.
    pub params: Vec<(String, Vec<f64>)>,
    /// Initial-state overrides, likewise.
    pub init: Vec<(String, Vec<f64>)>,
    pub input: Option<InputSpec>,
    pub seed: u64,
    /// Names of states, helpers or parameters to record.
    pub record: Vec<String>,
    /// Record every `record_stride`-th step (1 = every step).
    pub record_stride: usize,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            n: 1,
            dt_ms: 0.1,
            method: None,
            params: Vec::new(),
            init: Vec::new(),
            input: None,
            seed: 0,
            record: Vec::new(),
            record_stride: 1,
        }
    }
}

/// A setup that cannot be simulated, with the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetupError(pub String);

impl fmt::Display for SetupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SetupError {}

/// A run that stopped early: a state became NaN or infinite.
#[derive(Clone, Debug, PartialEq)]
pub struct NonFinite {
    pub variable: String,
    pub neuron: usize,
    /// Start of the step in which it happened.
    pub t_ms: f64,
    pub value: f64,
}

impl fmt::Display for NonFinite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` of neuron {} became {} in the step starting at t = {} ms; the run stopped there",
            self.variable, self.neuron, self.value, self.t_ms
        )
    }
}

impl std::error::Error for NonFinite {}

/// Everything a run produced, also when it stopped early.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Output {
    /// Label of each recorded sample: the state after step `i` is labelled `i * dt`.
    pub t_ms: Vec<f64>,
    /// Recorded names, in the order asked for.
    pub names: Vec<String>,
    /// `traces[k][neuron][sample]` for `names[k]`.
    pub traces: Vec<Vec<Vec<f64>>>,
    /// Spike times per neuron (a spike in step `i` is at `i * dt`).
    pub spike_times_ms: Vec<Vec<f64>>,
    /// Parameter values outside their declared range, reported rather than clamped.
    pub warnings: Vec<String>,
    pub error: Option<NonFinite>,
}

impl Output {
    pub fn trace(&self, name: &str, neuron: usize) -> Option<&[f64]> {
        let k = self.names.iter().position(|n| n == name)?;
        self.traces[k].get(neuron).map(Vec::as_slice)
    }
}

/// A recorded quantity: copied from the state, or computed by the observer program.
enum Probe {
    State(usize),
    Computed(usize),
}

pub struct Simulation {
    n: usize,
    dt_ms: f64,
    slots: Slots,
    state_names: Vec<String>,
    /// `state[i][neuron]`
    state: Vec<Vec<f64>>,
    /// Base parameter values; the driven one gets the input added each step.
    params: Vec<Vec<f64>>,
    driven: Option<usize>,
    input: Option<InputState>,
    input_buf: Vec<f64>,
    step_prog: Program,
    /// Evaluated on the post-step state: spike condition and reset values.
    post_prog: Option<Program>,
    observe_prog: Option<Program>,
    spike_test: Option<SpikeTest>,
    /// (state index, output index in `post_prog`)
    resets: Vec<(usize, usize)>,
    refractory_ms: Option<Vec<f64>>,
    hold: Vec<usize>,
    t_last_spike_ms: Vec<f64>,
    spiked: Vec<bool>,
    step_index: usize,
    stride: usize,
    probes: Vec<Probe>,
    output: Output,
}

/// BrainPy's initial "last spike" time, far enough in the past never to be refractory.
const NEVER_SPIKED_MS: f64 = -1e7;

impl Simulation {
    pub fn new(model: &Model, setup: &Setup) -> Result<Simulation, SetupError> {
        let n = setup.n;
        if n == 0 {
            return Err(SetupError("a population needs at least one neuron".into()));
        }
        if !(setup.dt_ms.is_finite() && setup.dt_ms > 0.0) {
            return Err(SetupError(format!("dt must be a positive number of ms, got {}", setup.dt_ms)));
        }
        if setup.record_stride == 0 {
            return Err(SetupError("the recording stride must be at least 1".into()));
        }
        let slots = Slots::of(model);
        let method = setup.method.unwrap_or(model.method);

        let mut params: Vec<Vec<f64>> = model.params.iter().map(|p| vec![p.default; n]).collect();
        for (name, values) in &setup.params {
            let i = model.param_index(name).ok_or_else(|| {
                let known: Vec<_> = model.params.iter().map(|p| p.name.as_str()).collect();
                SetupError(format!("unknown parameter `{name}`; {} has: {}", model.id, known.join(", ")))
            })?;
            params[i] = per_neuron(name, values, n)?;
        }
        let mut warnings = Vec::new();
        for (p, values) in model.params.iter().zip(&params) {
            if let Some((k, v)) = values.iter().enumerate().find(|(_, v)| !(p.min..=p.max).contains(*v)) {
                warnings.push(format!(
                    "parameter `{}` = {v} (neuron {k}) is outside its range [{}, {}] {}",
                    p.name, p.min, p.max, p.unit
                ));
            }
        }

        let (driven, input) = match &setup.input {
            None => (None, None),
            Some(spec) => {
                let target = match &spec.target {
                    Some(name) => model.param_index(name).ok_or_else(|| {
                        SetupError(format!("the input target `{name}` is not a parameter of {}", model.id))
                    })?,
                    None => model.input.ok_or_else(|| {
                        SetupError(format!("{} declares no input parameter; name one as `target: …`", model.id))
                    })?,
                };
                let state = InputState::new(spec, n, setup.dt_ms, setup.seed)
                    .map_err(|e| SetupError(format!("input: {e}")))?;
                (Some(target), Some(state))
            }
        };
        let mut varying = vec![false; slots.count()];
        varying[..slots.n_states].fill(true);
        varying[slots.time()] = true;
        if let Some(p) = driven {
            varying[slots.param(p)] = true;
        }

        let mut g = Graph::default();
        // Initial values and the refractory period depend on parameters only.
        let (state, refractory_ms) = initial_values(model, setup, &params, &mut g, &varying)?;

        let mut step_outputs = lower::step(model, &mut g, method);
        let mut post_outputs = Vec::new();
        let mut resets = Vec::new();
        if let Some(spike) = &model.spike {
            let mut at_inputs = Lowering::inputs(model, &mut g);
            let lhs = at_inputs.expr(&mut g, &spike.lhs);
            let rhs = at_inputs.expr(&mut g, &spike.rhs);
            let condition = g.sub(lhs, rhs);
            if spike.test == SpikeTest::Crosses {
                step_outputs.push(condition);
            }
            post_outputs.push(condition);
            for r in &model.resets {
                let value = at_inputs.expr(&mut g, &r.expr);
                let value = match r.op {
                    crate::ir::ResetOp::Set => value,
                    crate::ir::ResetOp::Add => {
                        let current = g.input(slots.state(r.state) as u32);
                        g.add(current, value)
                    }
                };
                resets.push((r.state, post_outputs.len()));
                post_outputs.push(value);
            }
        }

        let mut probes = Vec::new();
        let mut observe_outputs = Vec::new();
        let mut names = Vec::new();
        for name in &setup.record {
            if names.contains(name) {
                continue;
            }
            names.push(name.clone());
            if let Some(i) = model.state_index(name) {
                probes.push(Probe::State(i));
                continue;
            }
            let sym = model
                .helper_index(name)
                .map(Sym::Helper)
                .or_else(|| model.param_index(name).map(Sym::Param))
                .ok_or_else(|| {
                    SetupError(format!(
                        "cannot record `{name}`: not a state, helper or parameter of {}",
                        model.id
                    ))
                })?;
            let node = Lowering::inputs(model, &mut g).expr(&mut g, &crate::ir::Expr::Sym(sym));
            probes.push(Probe::Computed(observe_outputs.len()));
            observe_outputs.push(node);
        }

        let build = |outputs: &[u32]| -> Program {
            let mut prog = Program::compile(&g, outputs, &varying, n);
            for (i, values) in params.iter().enumerate() {
                prog.input_mut(slots.param(i)).copy_from_slice(values);
            }
            prog.input_mut(slots.dt()).fill(setup.dt_ms);
            prog.run_prelude();
            prog
        };
        let step_prog = build(&step_outputs);
        let post_prog = (!post_outputs.is_empty()).then(|| build(&post_outputs));
        let observe_prog = (!observe_outputs.is_empty()).then(|| build(&observe_outputs));

        let n_names = names.len();
        Ok(Simulation {
            n,
            dt_ms: setup.dt_ms,
            slots,
            state_names: model.states.iter().map(|s| s.name.clone()).collect(),
            state,
            params,
            driven,
            input,
            input_buf: vec![0.0; n],
            step_prog,
            post_prog,
            observe_prog,
            spike_test: model.spike.as_ref().map(|s| s.test),
            resets,
            refractory_ms,
            hold: model.refractory.as_ref().map_or_else(Vec::new, |r| r.hold.clone()),
            t_last_spike_ms: vec![NEVER_SPIKED_MS; n],
            spiked: vec![false; n],
            step_index: 0,
            stride: setup.record_stride,
            probes,
            output: Output {
                names,
                traces: vec![vec![Vec::new(); n]; n_names],
                spike_times_ms: vec![Vec::new(); n],
                warnings,
                ..Output::default()
            },
        })
    }

    /// Number of steps `duration_ms` takes (BrainPy: `int(duration / dt)`).
    pub fn steps_for(&self, duration_ms: f64) -> usize {
        (duration_ms / self.dt_ms).max(0.0) as usize
    }

    /// Advances `steps` steps. Stops early (returning false) if a state became non-finite;
    /// the error is then in the output.
    pub fn advance(&mut self, steps: usize) -> bool {
        for _ in 0..steps {
            if self.output.error.is_some() || !self.step() {
                return false;
            }
        }
        true
    }

    pub fn steps_done(&self) -> usize {
        self.step_index
    }

    /// Current value of state `i` for every neuron.
    pub fn state(&self, i: usize) -> &[f64] {
        &self.state[i]
    }

    /// Which neurons spiked in the last step.
    pub fn spiked(&self) -> &[bool] {
        &self.spiked
    }

    pub fn output(&self) -> &Output {
        &self.output
    }

    pub fn into_output(self) -> Output {
        self.output
    }

    /// Simulates `duration_ms` from the setup's initial state.
    pub fn run(model: &Model, setup: &Setup, duration_ms: f64) -> Result<Output, SetupError> {
        let mut sim = Simulation::new(model, setup)?;
        let steps = sim.steps_for(duration_ms);
        sim.advance(steps);
        Ok(sim.into_output())
    }

    fn load_inputs(&mut self, prog_is_step: bool, t_ms: f64) {
        let slots = self.slots;
        let prog = if prog_is_step {
            &mut self.step_prog
        } else {
            match self.post_prog.as_mut() {
                Some(p) => p,
                None => return,
            }
        };
        load(prog, slots, &self.state, t_ms, self.driven, &self.params, &self.input_buf);
    }

    fn step(&mut self) -> bool {
        let i = self.step_index;
        let t_ms = i as f64 * self.dt_ms;
        if let Some(input) = self.input.as_mut() {
            input.fill(i, &mut self.input_buf);
        }
        self.load_inputs(true, t_ms);
        self.step_prog.run_step();

        // Crossing detectors compare the condition before and after the step.
        let n_states = self.slots.n_states;
        let crossing_before = (self.spike_test == Some(SpikeTest::Crosses)).then_some(n_states);
        for s in 0..n_states {
            let new = self.step_prog.output(s);
            if let Some(k) = new.iter().position(|v| !v.is_finite()) {
                self.output.error = Some(NonFinite {
                    variable: self.state_names[s].clone(),
                    neuron: k,
                    t_ms,
                    value: new[k],
                });
                return false;
            }
        }
        let refractory = self.refractory_ms.as_ref();
        for s in 0..n_states {
            let held = refractory.is_some() && self.hold.contains(&s);
            let new = self.step_prog.output(s);
            for (k, x) in self.state[s].iter_mut().enumerate() {
                let keep = held
                    && refractory.is_some_and(|r| t_ms - self.t_last_spike_ms[k] <= r[k]);
                if !keep {
                    *x = new[k];
                }
            }
        }

        self.spiked.fill(false);
        if let Some(test) = self.spike_test {
            self.load_inputs(false, t_ms);
            let Some(post) = self.post_prog.as_mut() else { return true };
            post.run_step();
            let after = post.output(0);
            let before = crossing_before.map(|k| self.step_prog.output(k));
            for k in 0..self.n {
                self.spiked[k] = match test {
                    SpikeTest::AtLeast => after[k] >= 0.0,
                    SpikeTest::Above => after[k] > 0.0,
                    SpikeTest::Crosses => before.is_some_and(|b| b[k] < 0.0) && after[k] >= 0.0,
                };
            }
            for &(s, out) in &self.resets {
                let values = post.output(out);
                for k in 0..self.n {
                    if self.spiked[k] {
                        self.state[s][k] = values[k];
                    }
                }
            }
            for k in 0..self.n {
                if self.spiked[k] {
                    self.t_last_spike_ms[k] = t_ms;
                    self.output.spike_times_ms[k].push(t_ms);
                }
            }
        }

        if i % self.stride == 0 {
            self.record(t_ms);
        }
        self.step_index += 1;
        true
    }

    fn record(&mut self, t_ms: f64) {
        self.output.t_ms.push(t_ms);
        if let Some(obs) = self.observe_prog.as_mut() {
            load(obs, self.slots, &self.state, t_ms, self.driven, &self.params, &self.input_buf);
            obs.run_step();
        }
        for (probe, trace) in self.probes.iter().zip(&mut self.output.traces) {
            let values = match probe {
                Probe::State(s) => &self.state[*s][..],
                Probe::Computed(k) => match self.observe_prog.as_ref() {
                    Some(obs) => obs.output(*k),
                    None => continue,
                },
            };
            for (per_neuron, &v) in trace.iter_mut().zip(values) {
                per_neuron.push(v);
            }
        }
    }
}

/// Copies the state, the time and the driven parameter into a program's input registers.
fn load(
    prog: &mut Program,
    slots: Slots,
    state: &[Vec<f64>],
    t_ms: f64,
    driven: Option<usize>,
    params: &[Vec<f64>],
    input: &[f64],
) {
    for (s, values) in state.iter().enumerate() {
        prog.input_mut(slots.state(s)).copy_from_slice(values);
    }
    prog.input_mut(slots.time()).fill(t_ms);
    if let Some(p) = driven {
        let target = prog.input_mut(slots.param(p));
        for ((x, base), extra) in target.iter_mut().zip(&params[p]).zip(input) {
            *x = base + extra;
        }
    }
}

fn per_neuron(name: &str, values: &[f64], n: usize) -> Result<Vec<f64>, SetupError> {
    if let Some(bad) = values.iter().find(|v| !v.is_finite()) {
        return Err(SetupError(format!("`{name}` = {bad} is not a finite number")));
    }
    match values.len() {
        1 => Ok(vec![values[0]; n]),
        len if len == n => Ok(values.to_vec()),
        len => Err(SetupError(format!(
            "`{name}` has {len} values but the population has {n} neurons (give 1 or {n})"
        ))),
    }
}

/// Initial state (overrides first, then the model's initial expressions) and refractory
/// periods, evaluated per neuron.
fn initial_values(
    model: &Model,
    setup: &Setup,
    params: &[Vec<f64>],
    g: &mut Graph,
    varying: &[bool],
) -> Result<(Vec<Vec<f64>>, Option<Vec<f64>>), SetupError> {
    let n = setup.n;
    let slots = Slots::of(model);
    let mut overrides: Vec<Option<Vec<f64>>> = vec![None; model.states.len()];
    for (name, values) in &setup.init {
        let i = model.state_index(name).ok_or_else(|| {
            let known: Vec<_> = model.states.iter().map(|s| s.name.as_str()).collect();
            SetupError(format!("unknown state `{name}`; {} has: {}", model.id, known.join(", ")))
        })?;
        overrides[i] = Some(per_neuron(name, values, n)?);
    }
    // Each state's initial expression sees the parameters and the earlier states' values,
    // overridden or not: inputs for the states are filled in one at a time.
    let mut outputs = Vec::new();
    let mut lowering = Lowering::inputs(model, g);
    for s in &model.states {
        outputs.push(lowering.expr(g, &s.init));
    }
    if let Some(r) = &model.refractory {
        outputs.push(lowering.expr(g, &r.period_ms));
    }
    let all_varying = vec![true; varying.len()];
    let mut prog = Program::compile(g, &outputs, &all_varying, n);
    for (i, values) in params.iter().enumerate() {
        prog.input_mut(slots.param(i)).copy_from_slice(values);
    }
    prog.input_mut(slots.dt()).fill(setup.dt_ms);
    let mut state = Vec::with_capacity(model.states.len());
    for (i, over) in overrides.into_iter().enumerate() {
        prog.run_step();
        let values = over.unwrap_or_else(|| prog.output(i).to_vec());
        prog.input_mut(slots.state(i)).copy_from_slice(&values);
        state.push(values);
    }
    prog.run_step();
    let refractory = model.refractory.as_ref().map(|_| prog.output(model.states.len()).to_vec());
    Ok((state, refractory))
}
