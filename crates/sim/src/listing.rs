//! A population's compiled step as data, for backends outside this crate: `brainplay-gpu`
//! writes WGSL from it. It is the very program the interpreter and the ahead-of-time kernels
//! run, so every backend computes the same instructions; what differs is only the arithmetic
//! (the GPU's f32 against the CPU's f64).

pub use crate::ops::{Bin, Un};
pub use crate::program::{Inst, Op};

/// What a register the step reads (and does not compute) holds during a run.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// State `index` (its current values), replaced by output `index` after each step.
    State { index: usize, values: Vec<f64> },
    /// One value for every neuron that does not change during the run: a constant, a shared
    /// parameter, or something computed from them once.
    Shared(f64),
    /// One value per neuron that does not change during the run.
    PerNeuron(Vec<f64>),
    /// The step's time in ms.
    Time,
    /// Each neuron's last spike time in ms (now), set to the step's time when it spikes.
    LastSpike(Vec<f64>),
    /// The parameter the input drives: these values plus the input of the step.
    Driven(Vec<f64>),
    /// Parameter `p` of the model, which the caller sets every step (a fused synapse's spike
    /// count, say).
    Varying(usize),
}

/// The whole step of a population of `neurons` neurons.
#[derive(Clone, Debug)]
pub struct Listing {
    pub neurons: usize,
    pub insts: Vec<Inst>,
    /// The registers holding the new states (the first `states` outputs), then the spike flag
    /// when the model spikes (non-zero: spiked).
    pub outputs: Vec<u32>,
    pub states: usize,
    pub spike_output: Option<usize>,
    /// Every register read by an instruction or an output and computed by none, with what it
    /// holds, in register order; every state is among them (its register is its index).
    pub inputs: Vec<(u32, Source)>,
}

/// A recorded quantity: a state, or output `k` of the observer program.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Probe {
    State(usize),
    Computed(usize),
}

/// What a population records after a step whose index is a multiple of `stride`: each probe,
/// named `names[j]`, for each neuron of `neurons`; `observe` computes the probes that are not
/// states, from the new states (its `Source::State`s), the step's time and inputs.
#[derive(Clone, Debug)]
pub struct Recording {
    pub observe: Option<Listing>,
    pub probes: Vec<Probe>,
    pub names: Vec<String>,
    pub neurons: Vec<usize>,
    pub stride: usize,
}
