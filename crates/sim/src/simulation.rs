//! A population of N copies of a model, stepped together: per-neuron parameters, an input
//! protocol, spike/reset/refractory rules (curriculum §0.3), monitors and the NaN guard.

use std::fmt;

use crate::message::Message;
use crate::msg;

use crate::aot::ParamShape;
use crate::graph::Graph;
use crate::input::{InputSpec, InputState};
use crate::ir::{Expr, Method, Model, Sym};
use crate::listing::{Listing, Op, Probe, Recording, Source};
use crate::lower::{self, Lowering, Slots};
use crate::program::{Program, SlotKind};
use std::collections::{BTreeSet, HashSet};

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
    /// The neurons whose traces are recorded, one row each in this order (empty: every
    /// neuron). A network records one neuron's currents without keeping thousands.
    pub record_neurons: Vec<usize>,
    /// Interpret even where an ahead-of-time kernel exists (tests and benchmarks compare them).
    pub force_interpreter: bool,
    /// Parameters the caller sets before every step with [`Simulation::set_param`] (a circuit
    /// sets a neuron's synaptic conductance this way).
    pub varying: Vec<String>,
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
            record_neurons: Vec::new(),
            force_interpreter: false,
            varying: Vec::new(),
        }
    }
}

/// A setup that cannot be simulated, with the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetupError(pub Message);

impl SetupError {
    pub fn new(message: impl Into<Message>) -> SetupError {
        SetupError(message.into())
    }
}

impl fmt::Display for SetupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
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

impl NonFinite {
    /// What happened, in both languages.
    pub fn message(&self) -> Message {
        let NonFinite {
            variable,
            neuron,
            t_ms,
            value,
        } = self;
        crate::msg!(
            "`{variable}` of neuron {neuron} became {value} in the step starting at t = {t_ms} ms; the run stopped there",
            "神经元 {neuron} 的 `{variable}` 在 t = {t_ms} ms 开始的那一步变成了 {value}，模拟在此停止"
        )
    }
}

impl fmt::Display for NonFinite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message())
    }
}

impl std::error::Error for NonFinite {}

/// Everything a run produced, also when it stopped early.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Output {
    /// Label of each recorded sample: the state after step `i` is labelled `i * dt` (empty when
    /// nothing is recorded).
    pub t_ms: Vec<f64>,
    /// Steps completed (fewer than asked if a state became non-finite).
    pub steps: usize,
    /// Recorded names, in the order asked for.
    pub names: Vec<String>,
    /// `traces[k][neuron][sample]` for `names[k]`.
    pub traces: Vec<Vec<Vec<f64>>>,
    /// Spike times per neuron (a spike in step `i` is at `i * dt`).
    pub spike_times_ms: Vec<Vec<f64>>,
    /// Parameter values outside their declared range, reported rather than clamped.
    pub warnings: Vec<Message>,
    pub error: Option<NonFinite>,
}

impl Output {
    pub fn trace(&self, name: &str, neuron: usize) -> Option<&[f64]> {
        let k = self.names.iter().position(|n| n == name)?;
        self.traces[k].get(neuron).map(Vec::as_slice)
    }

    /// Every recorded value's bit pattern, in order: equal exactly when two runs recorded the
    /// same numbers (NaN and the sign of zero included), as determinism checks need.
    pub fn trace_bits(&self) -> Vec<u64> {
        self.traces
            .iter()
            .flatten()
            .flatten()
            .map(|v| v.to_bits())
            .collect()
    }
}

pub struct Simulation {
    dt_ms: f64,
    slots: Slots,
    state_names: Vec<String>,
    /// The whole step; its input registers hold the current state and last spike times.
    step_prog: Program,
    spiked_output: Option<usize>,
    /// Computes recorded helpers and parameters at recording steps.
    observe_prog: Option<Program>,
    /// Base parameter values of the driven parameter; the input is added each step.
    driven: Option<(usize, Vec<f64>)>,
    /// Parameters set by the caller before each step.
    varying: Vec<usize>,
    input: Option<InputState>,
    input_buf: Vec<f64>,
    spiked: Vec<usize>,
    step_index: usize,
    stride: usize,
    /// The neurons recorded, one trace row each.
    record_neurons: Vec<usize>,
    probes: Vec<Probe>,
    output: Output,
}

/// BrainPy's initial "last spike" time, far enough in the past never to be refractory.
const NEVER_SPIKED_MS: f64 = -1e7;

impl Simulation {
    pub fn new(model: &Model, setup: &Setup) -> Result<Simulation, SetupError> {
        let n = setup.n;
        if n == 0 {
            return Err(SetupError::new(msg!(
                "a population needs at least one neuron",
                "群体至少需要一个神经元"
            )));
        }
        if !(setup.dt_ms.is_finite() && setup.dt_ms > 0.0) {
            return Err(SetupError::new(msg!(
                "dt must be a positive number of ms, got {}",
                "时间步长 dt 必须是正数（单位 ms），这里是 {}",
                setup.dt_ms
            )));
        }
        if setup.record_stride == 0 {
            return Err(SetupError::new(msg!(
                "the recording stride must be at least 1",
                "记录间隔至少为 1"
            )));
        }
        let slots = Slots::of(model);
        let method = setup.method.unwrap_or(model.method);

        let mut params: Vec<Vec<f64>> = model.params.iter().map(|p| vec![p.default; n]).collect();
        for (name, values) in &setup.params {
            let i = model.param_index(name).ok_or_else(|| {
                let known: Vec<_> = model.params.iter().map(|p| p.name.as_str()).collect();
                SetupError::new(Message::new(
                    format!(
                        "unknown parameter `{name}`; {} has: {}",
                        model.id,
                        known.join(", ")
                    ),
                    format!(
                        "未知的参数 `{name}`；{} 的参数有：{}",
                        model.id,
                        known.join("、")
                    ),
                ))
            })?;
            params[i] = per_neuron(name, values, n)?;
        }
        let mut warnings = Vec::new();
        for (p, values) in model.params.iter().zip(&params) {
            if let Some((k, v)) = values
                .iter()
                .enumerate()
                .find(|(_, v)| !(p.min..=p.max).contains(*v))
            {
                let (name, min, max, unit) = (&p.name, p.min, p.max, &p.unit);
                warnings.push(msg!(
                    "parameter `{name}` = {v} (neuron {k}) is outside its range [{min}, {max}] {unit}",
                    "参数 `{name}` = {v}（神经元 {k}）超出了它的范围 [{min}, {max}] {unit}"
                ));
            }
        }

        let (driven, input) = match &setup.input {
            None => (None, None),
            Some(spec) => {
                let target = match &spec.target {
                    Some(name) => model.param_index(name).ok_or_else(|| {
                        SetupError::new(msg!(
                            "the input target `{name}` is not a parameter of {}",
                            "输入目标 `{name}` 不是 {} 的参数",
                            model.id
                        ))
                    })?,
                    None => model.input.ok_or_else(|| {
                        SetupError::new(msg!(
                            "{} declares no input parameter; name one as `target: …`",
                            "{} 没有声明输入参数；请用 `target: …` 指定一个",
                            model.id
                        ))
                    })?,
                };
                let state = InputState::new(spec, n, setup.dt_ms, setup.seed)
                    .map_err(|e| SetupError(e.with_position().after(msg!("input: ", "输入："))))?;
                (Some(target), Some(state))
            }
        };
        let state = initial_state(model, setup, &params)?;
        let varying = setup
            .varying
            .iter()
            .map(|name| {
                model.param_index(name).ok_or_else(|| {
                    SetupError::new(msg!(
                        "`{name}` is not a parameter of {}",
                        "`{name}` 不是 {} 的参数",
                        model.id
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        // Everything a step reads that changes from step to step besides the state.
        let per_step: Vec<usize> = driven.iter().copied().chain(varying.clone()).collect();

        // Built-in models (and the networks' composed neurons) run a kernel compiled ahead of
        // time from the same program when the program matches it exactly (see `crate::aot`);
        // anything else is interpreted.
        let shape = ParamShape::of(model, &params);
        let for_kernel = crate::aot::compiled_for_kernel(model, method)
            && !setup.force_interpreter
            && (driven.is_none() || driven == model.input);
        let kernel = crate::aot::kernel(&model.id, method, shape).filter(|_| for_kernel);
        let (step_graph, step_outputs, spiked_output) = step_program_graph(model, method);
        let step_kinds = match for_kernel {
            true => canonical_kinds(model, slots, shape, &varying),
            false => slot_kinds(slots, &params, &per_step),
        };
        let mut step_prog = Program::compile(&step_graph, &step_outputs, &step_kinds, n);
        step_prog.set_state_outputs(slots.n_states);
        let mut step_prog = prepare(step_prog, slots, &params, setup.dt_ms);
        if let Some((fingerprint, code)) = kernel {
            if step_prog.fingerprint() == fingerprint {
                step_prog.use_kernel(code);
            }
        }
        for (s, values) in state.iter().enumerate() {
            step_prog.input_mut(slots.state(s)).copy_from_slice(values);
        }
        step_prog
            .input_mut(slots.t_last_spike())
            .fill(NEVER_SPIKED_MS);

        let mut g = Graph::default();
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
                    SetupError::new(msg!(
                        "cannot record `{name}`: not a state, helper or parameter of {}",
                        "无法记录 `{name}`：它不是 {} 的状态变量、辅助定义或参数",
                        model.id
                    ))
                })?;
            let node = Lowering::inputs(model, &mut g).expr(&mut g, &Expr::Sym(sym));
            probes.push(Probe::Computed(observe_outputs.len()));
            observe_outputs.push(node);
        }

        let observe_kinds = slot_kinds(slots, &params, &per_step);
        let observe_prog = (!observe_outputs.is_empty()).then(|| {
            let prog = Program::compile(&g, &observe_outputs, &observe_kinds, n);
            prepare(prog, slots, &params, setup.dt_ms)
        });

        let n_names = names.len();
        if let Some(&k) = setup.record_neurons.iter().find(|&&k| k >= n) {
            return Err(SetupError::new(msg!(
                "cannot record neuron {k}: the population has {n} neurons",
                "无法记录神经元 {k}：群体只有 {n} 个神经元"
            )));
        }
        let record_neurons = match setup.record_neurons.is_empty() {
            true => (0..n).collect(),
            false => setup.record_neurons.clone(),
        };
        let rows = record_neurons.len();
        Ok(Simulation {
            dt_ms: setup.dt_ms,
            slots,
            state_names: model.states.iter().map(|s| s.name.clone()).collect(),
            step_prog,
            spiked_output,
            observe_prog,
            driven: driven.map(|p| (p, params[p].clone())),
            varying,
            input,
            input_buf: vec![0.0; n],
            spiked: Vec::with_capacity(n),
            step_index: 0,
            stride: setup.record_stride,
            record_neurons,
            probes,
            output: Output {
                names,
                traces: vec![vec![Vec::new(); rows]; n_names],
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
    #[inline(never)]
    pub fn advance(&mut self, steps: usize) -> bool {
        for _ in 0..steps {
            if self.output.error.is_some() || !self.step() {
                return false;
            }
        }
        true
    }

    /// Sets parameter `p` of every neuron for the following steps. `p` must be one of the setup's
    /// `varying` parameters: the others are folded into the compiled step.
    ///
    /// # Panics
    ///
    /// If `p` is not varying or `values` does not have one value per neuron.
    pub fn set_param(&mut self, p: usize, values: &[f64]) {
        assert!(self.varying.contains(&p), "parameter {p} is not varying");
        self.step_prog
            .input_mut(self.slots.param(p))
            .copy_from_slice(values);
    }

    /// Marks, per instance, whether a presynaptic spike arrives in the next step (1) or not
    /// (0); the model's `on_spike` statements run where it does.
    ///
    /// # Panics
    ///
    /// If the model has no `on_spike` statements or `arrived` does not have one value per
    /// instance.
    pub fn set_arrivals(&mut self, arrived: &[f64]) {
        assert!(self.slots.has_arrivals, "the model has no `on_spike`");
        self.step_prog
            .input_mut(self.slots.arrivals())
            .copy_from_slice(arrived);
    }

    /// Marks, per instance, whether its postsynaptic neuron spiked in the last step (1) or not
    /// (0); the model's `on_post_spike` statements run where it did.
    ///
    /// # Panics
    ///
    /// If the model has no `on_spike` statements or `spiked` does not have one value per
    /// instance.
    pub fn set_post_spiked(&mut self, spiked: &[f64]) {
        assert!(self.slots.has_arrivals, "the model has no `on_spike`");
        self.step_prog
            .input_mut(self.slots.post_spiked())
            .copy_from_slice(spiked);
    }

    /// Whether steps run an ahead-of-time kernel (built-in model, default method) rather than
    /// the interpreter.
    pub fn uses_kernel(&self) -> bool {
        self.step_prog.has_kernel()
    }

    /// The compiled step (the kernel generator writes it out).
    #[cfg(test)]
    pub(crate) fn step_program(&self) -> &Program {
        &self.step_prog
    }

    /// The compiled step as data, with the current values of every register it reads (the
    /// state the population has reached, its parameters): another backend continues from here.
    pub fn listing(&self) -> Listing {
        let mut listing = self.listing_of(&self.step_prog, true);
        listing.states = self.slots.n_states;
        listing.spike_output = self.spiked_output;
        listing
    }

    /// What the population records, for another backend (`Simulation::listing`).
    pub fn recording(&self) -> Recording {
        Recording {
            observe: self
                .observe_prog
                .as_ref()
                .map(|p| self.listing_of(p, false)),
            probes: self.probes.clone(),
            names: self.output.names.clone(),
            neurons: self.record_neurons.clone(),
            stride: self.stride,
        }
    }

    /// `prog`'s instructions and outputs, and the registers it reads with their sources (every
    /// state's among them if `all_states`); no states written, no spike flag.
    fn listing_of(&self, prog: &Program, all_states: bool) -> Listing {
        let slots = self.slots;
        let computed: HashSet<u32> = prog.step_insts().iter().map(|i| i.dst).collect();
        let mut read = BTreeSet::new();
        for inst in prog.step_insts() {
            let operands = match inst.op {
                Op::Un(_) => &[inst.a][..],
                Op::Bin(_) => &[inst.a, inst.b][..],
                Op::Select => &[inst.a, inst.b, inst.c][..],
            };
            read.extend(operands.iter().filter(|r| !computed.contains(r)));
        }
        read.extend(
            prog.output_registers()
                .iter()
                .filter(|r| !computed.contains(r)),
        );
        if all_states {
            read.extend((0..slots.n_states).map(|s| slots.state(s) as u32));
        }
        let param = |r: usize| {
            (slots.param(0)..slots.time())
                .contains(&r)
                .then(|| r - slots.param(0))
        };
        let inputs = read
            .into_iter()
            .map(|r| {
                let at = r as usize;
                let source = if at < slots.n_states {
                    Source::State {
                        index: at,
                        values: prog.register(r).to_vec(),
                    }
                } else if at == slots.time() {
                    Source::Time
                } else if at == slots.t_last_spike() {
                    Source::LastSpike(prog.register(r).to_vec())
                } else if let Some((_, base)) =
                    self.driven.as_ref().filter(|(p, _)| param(at) == Some(*p))
                {
                    Source::Driven(base.clone())
                } else if let Some(p) = param(at).filter(|p| self.varying.contains(p)) {
                    Source::Varying(p)
                } else if prog.is_uniform(r) {
                    Source::Shared(prog.register(r)[0])
                } else {
                    Source::PerNeuron(prog.register(r).to_vec())
                };
                (r, source)
            })
            .collect();
        Listing {
            neurons: self.neurons(),
            insts: prog.step_insts().to_vec(),
            outputs: prog.output_registers().to_vec(),
            states: 0,
            spike_output: None,
            inputs,
        }
    }

    /// Population size.
    pub fn neurons(&self) -> usize {
        self.output.spike_times_ms.len()
    }

    pub fn steps_done(&self) -> usize {
        self.step_index
    }

    /// Current value of state `i` for every neuron.
    pub fn state(&self, i: usize) -> &[f64] {
        self.step_prog.input(self.slots.state(i))
    }

    /// The neurons that spiked in the last step, in increasing order.
    pub fn spiked(&self) -> &[usize] {
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

    fn step(&mut self) -> bool {
        let i = self.step_index;
        let t_ms = i as f64 * self.dt_ms;
        let slots = self.slots;
        let prog = &mut self.step_prog;
        prog.set_uniform(slots.time(), t_ms);
        if let (Some(input), Some((p, base))) = (self.input.as_mut(), self.driven.as_ref()) {
            input.fill(i, &mut self.input_buf);
            let target = prog.input_mut(slots.param(*p));
            for ((x, b), extra) in target.iter_mut().zip(base).zip(&self.input_buf) {
                *x = b + extra;
            }
        }
        if !prog.run_step() {
            // Rare: find the culprit, then restore the last finite state.
            for s in 0..slots.n_states {
                let new = prog.output(s);
                if let Some(k) = new.iter().position(|v| !v.is_finite()) {
                    self.output.error = Some(NonFinite {
                        variable: self.state_names[s].clone(),
                        neuron: k,
                        t_ms,
                        value: new[k],
                    });
                    break;
                }
            }
            prog.rollback_states();
            return false;
        }
        prog.commit_states();
        self.spiked.clear();
        if let Some(flag) = self.spiked_output {
            let flags = prog.output(flag);
            // Spikes are sparse: test blocks of flags with a vectorisable OR of their bits and
            // look at single neurons only inside blocks that have a spike.
            const BLOCK: usize = 16;
            for (b, block) in flags.chunks(BLOCK).enumerate() {
                if block.iter().fold(0u64, |acc, f| acc | f.to_bits()) == 0 {
                    continue;
                }
                for (j, &f) in block.iter().enumerate() {
                    if f != 0.0 {
                        let k = b * BLOCK + j;
                        self.spiked.push(k);
                        self.output.spike_times_ms[k].push(t_ms);
                    }
                }
            }
            if !self.spiked.is_empty() {
                let t_last = prog.input_mut(slots.t_last_spike());
                for &k in &self.spiked {
                    t_last[k] = t_ms;
                }
            }
        }

        if !self.probes.is_empty() && i.is_multiple_of(self.stride) {
            self.record(t_ms);
        }
        self.step_index += 1;
        self.output.steps = self.step_index;
        true
    }

    fn record(&mut self, t_ms: f64) {
        self.output.t_ms.push(t_ms);
        let slots = self.slots;
        if let Some(obs) = self.observe_prog.as_mut() {
            for s in 0..slots.n_states {
                obs.input_mut(slots.state(s))
                    .copy_from_slice(self.step_prog.input(slots.state(s)));
            }
            obs.set_uniform(slots.time(), t_ms);
            let per_step = self
                .driven
                .iter()
                .map(|(p, _)| *p)
                .chain(self.varying.iter().copied());
            for p in per_step {
                obs.input_mut(slots.param(p))
                    .copy_from_slice(self.step_prog.input(slots.param(p)));
            }
            obs.run_step();
        }
        for (probe, trace) in self.probes.iter().zip(&mut self.output.traces) {
            let values = match probe {
                Probe::State(s) => self.step_prog.input(slots.state(*s)),
                Probe::Computed(k) => match self.observe_prog.as_ref() {
                    Some(obs) => obs.output(*k),
                    None => continue,
                },
            };
            for (row, &k) in trace.iter_mut().zip(&self.record_neurons) {
                row.push(values[k]);
            }
        }
    }
}

fn per_neuron(name: &str, values: &[f64], n: usize) -> Result<Vec<f64>, SetupError> {
    if let Some(bad) = values.iter().find(|v| !v.is_finite()) {
        return Err(SetupError::new(msg!(
            "`{name}` = {bad} is not a finite number",
            "`{name}` = {bad} 不是有限的数"
        )));
    }
    match values.len() {
        1 => Ok(vec![values[0]; n]),
        len if len == n => Ok(values.to_vec()),
        len => Err(SetupError::new(msg!(
            "`{name}` has {len} values but the population has {n} neurons (give 1 or {n})",
            "`{name}` 有 {len} 个值，但群体有 {n} 个神经元（请给 1 个或 {n} 个）"
        ))),
    }
}

/// The graph of one whole step, its outputs (new states, then the spike flag if the model
/// spikes) and the index of the spike flag. Built in a graph of its own so that register
/// numbering depends on the model and method alone, as the ahead-of-time kernels require.
pub(crate) fn step_program_graph(
    model: &Model,
    method: Method,
) -> (Graph, Vec<u32>, Option<usize>) {
    let mut g = Graph::default();
    let step = lower::whole_step(model, &mut g, method);
    let mut outputs = step.states;
    let spiked = step.spiked.map(|node| {
        outputs.push(node);
        outputs.len() - 1
    });
    (g, outputs, spiked)
}

/// How programs see their inputs: states, time, last spike times and the driven parameter
/// change every step; a parameter with one value for all neurons is uniform.
fn slot_kinds(slots: Slots, params: &[Vec<f64>], per_step: &[usize]) -> Vec<SlotKind> {
    let per_lane = SlotKind {
        varying: true,
        uniform: false,
    };
    let mut kinds = vec![
        SlotKind {
            varying: false,
            uniform: true
        };
        slots.count()
    ];
    for (i, values) in params.iter().enumerate() {
        kinds[slots.param(i)].uniform = values.iter().all(|v| v.to_bits() == values[0].to_bits());
    }
    for s in 0..slots.n_states {
        kinds[slots.state(s)] = per_lane;
    }
    kinds[slots.time()].varying = true;
    kinds[slots.t_last_spike()] = per_lane;
    if slots.has_arrivals {
        kinds[slots.arrivals()] = per_lane;
        kinds[slots.post_spiked()] = per_lane;
    }
    for &p in per_step {
        kinds[slots.param(p)] = per_lane;
    }
    kinds
}

/// The input kinds the ahead-of-time kernels are generated for: the model's input parameter
/// and the `varying` ones set every step, the other parameters shared or per neuron as `shape`
/// says.
pub(crate) fn canonical_kinds(
    model: &Model,
    slots: Slots,
    shape: ParamShape,
    varying: &[usize],
) -> Vec<SlotKind> {
    let per_step: Vec<usize> = model.input.iter().chain(varying).copied().collect();
    let mut kinds = slot_kinds(slots, &[], &per_step);
    if shape == ParamShape::PerNeuron {
        for i in 0..slots.n_params {
            kinds[slots.param(i)].uniform = false;
        }
    }
    kinds
}

/// Loads parameters and the step into a freshly compiled program and runs its prelude.
fn prepare(mut prog: Program, slots: Slots, params: &[Vec<f64>], dt_ms: f64) -> Program {
    for (i, values) in params.iter().enumerate() {
        prog.input_mut(slots.param(i)).copy_from_slice(values);
    }
    prog.input_mut(slots.dt()).fill(dt_ms);
    prog.run_prelude();
    prog
}

/// One neuron's initial state with the given parameter values (defaults elsewhere).
pub(crate) fn initial_values(
    model: &Model,
    params: &[(&str, f64)],
) -> Result<Vec<f64>, SetupError> {
    let values: Vec<Vec<f64>> = model
        .params
        .iter()
        .map(|p| {
            let v = params
                .iter()
                .find(|(n, _)| *n == p.name)
                .map_or(p.default, |(_, v)| *v);
            vec![v]
        })
        .collect();
    let state = initial_state(model, &Setup::default(), &values)?;
    Ok(state.into_iter().map(|lanes| lanes[0]).collect())
}

/// Initial state per neuron: overrides where given, else the model's initial expressions, each
/// of which sees the parameters and the earlier states' values (overridden or not).
fn initial_state(
    model: &Model,
    setup: &Setup,
    params: &[Vec<f64>],
) -> Result<Vec<Vec<f64>>, SetupError> {
    let g = &mut Graph::default();
    let n = setup.n;
    let slots = Slots::of(model);
    let mut overrides: Vec<Option<Vec<f64>>> = vec![None; model.states.len()];
    for (name, values) in &setup.init {
        let i = model.state_index(name).ok_or_else(|| {
            let known: Vec<_> = model.states.iter().map(|s| s.name.as_str()).collect();
            SetupError::new(Message::new(
                format!(
                    "unknown state `{name}`; {} has: {}",
                    model.id,
                    known.join(", ")
                ),
                format!(
                    "未知的状态变量 `{name}`；{} 的状态变量有：{}",
                    model.id,
                    known.join("、")
                ),
            ))
        })?;
        overrides[i] = Some(per_neuron(name, values, n)?);
    }
    let mut lowering = Lowering::inputs(model, g);
    let outputs: Vec<u32> = model
        .states
        .iter()
        .map(|s| lowering.expr(g, &s.init))
        .collect();
    // Everything is "varying" here so that the states can be filled in one at a time.
    let kinds = vec![
        SlotKind {
            varying: true,
            uniform: false
        };
        slots.count()
    ];
    let mut prog = Program::compile(g, &outputs, &kinds, n);
    for (i, values) in params.iter().enumerate() {
        prog.input_mut(slots.param(i)).copy_from_slice(values);
    }
    prog.input_mut(slots.dt()).fill(setup.dt_ms);
    let mut state = Vec::with_capacity(model.states.len());
    for (i, over) in overrides.into_iter().enumerate() {
        prog.run_step();
        let values = over.unwrap_or_else(|| prog.output(i).to_vec());
        // A run cannot start from NaN or infinity: say so now, rather than "became NaN" at 0.
        if let Some(k) = values.iter().position(|v| !v.is_finite()) {
            return Err(SetupError::new(msg!(
                "`{}` of neuron {k} starts as {}: give it a finite initial value",
                "神经元 {k} 的 `{}` 初始值为 {}：请给它一个有限的初始值",
                model.states[i].name,
                values[k]
            )));
        }
        prog.input_mut(slots.state(i)).copy_from_slice(&values);
        state.push(values);
    }
    Ok(state)
}
