//! WGSL written from a population's compiled step (`brainplay_sim::listing`) and the kernel
//! that delivers spikes along a projection's connections.
//!
//! Every kernel of a run reads the same per-step block (`Step`), bound with a dynamic offset so
//! that one submission holds many steps. A population kernel runs one thread per neuron: it
//! reads its registers from the population's lane buffer (one f32 per neuron and register:
//! states, per-neuron parameters, last spike times), takes the spike counts its fused synapses
//! received (resetting them), runs the step's instructions with every shared value written in
//! as an exact f32 constant, writes the new states, and on a spike appends the neuron to the
//! step's spike list and sets its bit in the batch's spike record.

use std::collections::HashMap;
use std::fmt::Write;

use brainplay_sim::listing::{Bin, Inst, Listing, Op, Source, Un};

/// Threads per workgroup of every kernel.
pub const WORKGROUP: u32 = 64;

/// Groups whose input a step block carries (4 per `vec4`).
pub const MAX_GROUPS: usize = 16;

/// The step block as WGSL, and its size in bytes (the Rust side writes it in `network`).
pub const STEP_STRUCT: &str = "struct Step {
    t_ms: f32,
    step: u32,
    at: u32,
    slot: u32,
    prev_slot: u32,
    next_slot: u32,
    pad0: u32,
    pad1: u32,
    input: array<vec4<f32>, 4>,
}
@group(0) @binding(0) var<uniform> step: Step;
";
pub const STEP_BYTES: usize = 32 + 16 * 4;

/// The parts of the step that a kernel cannot run: the caller keeps the network on the CPU.
#[derive(Clone, Debug, PartialEq)]
pub struct Unsupported(pub String);

/// What a population kernel reads per neuron, in the order of its lane buffer: slot `s` of
/// the buffer holds `values[s]` for neurons `0..n`.
#[derive(Clone, Debug)]
pub struct Population {
    pub shader: String,
    pub lanes: Vec<Vec<f64>>,
    /// The lane slot of each state.
    pub state_slots: Vec<usize>,
}

/// A population kernel for group `group` of `listing`; `counts[b]` is the model parameter
/// that takes the spike counts of count block `b` (one fused projection each).
pub fn population(
    listing: &Listing,
    group: usize,
    counts: &[usize],
) -> Result<Population, Unsupported> {
    let n = listing.neurons;
    let mut lanes: Vec<Vec<f64>> = Vec::new();
    let mut state_slots = vec![usize::MAX; listing.states];
    let mut reads = String::new();
    let mut name: HashMap<u32, String> = HashMap::new();
    let mut lane = |values: Vec<f64>| {
        lanes.push(values);
        lanes.len() - 1
    };
    for (r, source) in &listing.inputs {
        let value = match source {
            Source::State { index, values } => {
                let s = lane(values.clone());
                state_slots[*index] = s;
                format!("lanes[{s}u * N + k]")
            }
            Source::Shared(x) => constant(*x),
            Source::PerNeuron(values) => format!("lanes[{}u * N + k]", lane(values.clone())),
            Source::Time => "step.t_ms".to_string(),
            Source::LastSpike(values) => {
                let s = lane(values.clone());
                writeln!(reads, "    let last_slot = {s}u;").unwrap();
                format!("lanes[{s}u * N + k]")
            }
            Source::Driven(base) => format!(
                "lanes[{}u * N + k] + step.input[{}][{}]",
                lane(base.clone()),
                group / 4,
                group % 4
            ),
            Source::Varying(p) => {
                let b = counts.iter().position(|c| c == p).ok_or_else(|| {
                    Unsupported(format!(
                        "parameter {p} is set every step by synapses kept per connection"
                    ))
                })?;
                format!("f32(atomicExchange(&counts[{b}u * N + k], 0u))")
            }
        };
        writeln!(reads, "    let r{r} = {value};").unwrap();
        name.insert(*r, format!("r{r}"));
    }
    let mut body = String::new();
    for inst in &listing.insts {
        let get = |r: u32| name.get(&r).cloned().unwrap_or_else(|| format!("v{r}"));
        writeln!(body, "    let v{} = {};", inst.dst, expression(inst, get)).unwrap();
        name.insert(inst.dst, format!("v{}", inst.dst));
    }
    let out = |j: usize| name[&listing.outputs[j]].clone();
    let mut writes = String::new();
    for (i, &s) in state_slots.iter().enumerate() {
        writeln!(writes, "    finite = finite && is_finite({});", out(i)).unwrap();
        writeln!(writes, "    lanes[{s}u * N + k] = {};", out(i)).unwrap();
    }
    let spike = match listing.spike_output {
        Some(j) => {
            let last = match listing
                .inputs
                .iter()
                .any(|(_, s)| matches!(s, Source::LastSpike(_)))
            {
                true => "        lanes[last_slot * N + k] = step.t_ms;\n",
                false => "",
            };
            format!(
                "    if ({} != 0.0) {{\n{last}        let i = atomicAdd(&fired_count[step.slot], 1u);\n        fired[step.slot * N + i] = k;\n        atomicOr(&spike_bits[step.at * WORDS + k / 32u], 1u << (k % 32u));\n    }}\n",
                out(j)
            )
        }
        None => String::new(),
    };
    let shader = format!(
        "{STEP_STRUCT}@group(0) @binding(1) var<storage, read_write> lanes: array<f32>;
@group(0) @binding(2) var<storage, read_write> counts: array<atomic<u32>>;
@group(0) @binding(3) var<storage, read_write> fired: array<u32>;
@group(0) @binding(4) var<storage, read_write> fired_count: array<atomic<u32>>;
@group(0) @binding(5) var<storage, read_write> spike_bits: array<atomic<u32>>;
@group(0) @binding(6) var<storage, read_write> fault: array<atomic<u32>>;
const N: u32 = {n}u;
const WORDS: u32 = {words}u;
{HELPERS}
@compute @workgroup_size({WORKGROUP})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {{
    let k = id.x;
    // The list of the next step was read by this step's projections: empty it for its updates.
    if (k == 0u) {{
        atomicStore(&fired_count[step.next_slot], 0u);
    }}
    if (k >= N) {{
        return;
    }}
    var finite = true;
{reads}{body}{writes}    if (!finite) {{
        atomicMin(&fault[0], step.step);
        atomicStore(&fault[1], k);
        atomicStore(&fault[2], {group}u);
    }}
{spike}}}
",
        words = n.div_ceil(32)
    );
    Ok(Population {
        shader,
        lanes,
        state_slots,
    })
}

/// The kernel that counts, per postsynaptic neuron, the spikes arriving along a projection:
/// each workgroup takes spikes of the presynaptic list in turn and its threads share out the
/// spike's connections, adding one to the target's count in block `block` of the
/// postsynaptic population's counts. `this_step`: the presynaptic group updates before the
/// projection in a step, so its latest spikes are this step's list, else the last step's.
pub fn propagation(n_pre: usize, n_post: usize, block: usize, this_step: bool) -> String {
    let slot = match this_step {
        true => "step.slot",
        false => "step.prev_slot",
    };
    format!(
        "{STEP_STRUCT}@group(0) @binding(1) var<storage, read> row_start: array<u32>;
@group(0) @binding(2) var<storage, read> targets: array<u32>;
@group(0) @binding(3) var<storage, read> fired: array<u32>;
@group(0) @binding(4) var<storage, read> fired_count: array<u32>;
@group(0) @binding(5) var<storage, read_write> counts: array<atomic<u32>>;
@compute @workgroup_size({WORKGROUP})
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_id) local: vec3<u32>) {{
    let slot = {slot};
    let spikes = fired_count[slot];
    for (var i = group.x; i < spikes; i += groups.x) {{
        let j = fired[slot * {n_pre}u + i];
        let end = row_start[j + 1u];
        for (var c = row_start[j] + local.x; c < end; c += {WORKGROUP}u) {{
            atomicAdd(&counts[{offset}u + targets[c]], 1u);
        }}
    }}
}}
",
        offset = block * n_post
    )
}

/// An f64 as the nearest f32, written exactly (as its bits), infinities and NaN included.
fn constant(x: f64) -> String {
    format!("bitcast<f32>({:#010x}u)", (x as f32).to_bits())
}

/// The WGSL of one instruction, with `get` naming its operands.
fn expression(inst: &Inst, get: impl Fn(u32) -> String) -> String {
    let (a, b, c) = (get(inst.a), get(inst.b), get(inst.c));
    match inst.op {
        Op::Un(op) => match op {
            Un::Neg => format!("-({a})"),
            Un::Exp => format!("exp({a})"),
            Un::Log => format!("log({a})"),
            Un::Sqrt => format!("sqrt({a})"),
            Un::Abs => format!("abs({a})"),
            Un::Tanh => format!("tanh({a})"),
            Un::Sin => format!("sin({a})"),
            Un::Cos => format!("cos({a})"),
            Un::Sigmoid => format!("1.0 / (1.0 + exp(-({a})))"),
            Un::Exprel => format!("exprel({a})"),
            Un::ExprelPrime => format!("exprel_prime({a})"),
            Un::Heaviside => format!("select(0.0, 1.0, {a} >= 0.0)"),
            Un::Sign => format!("sign({a})"),
            Un::Hold => a,
            Un::Powi(k) => format!("powi({a}, {k})"),
        },
        Op::Bin(op) => match op {
            Bin::Add => format!("{a} + {b}"),
            Bin::Sub => format!("{a} - {b}"),
            Bin::Mul => format!("{a} * {b}"),
            Bin::Div => format!("{a} / {b}"),
            Bin::Pow => format!("pow({a}, {b})"),
            Bin::Min => format!("min({a}, {b})"),
            Bin::Max => format!("max({a}, {b})"),
            Bin::AtLeast => format!("select(0.0, 1.0, {a} >= {b})"),
        },
        Op::Select => format!("select({b}, {a}, {c} != 0.0)"),
    }
}

/// The functions WGSL lacks, as `crate::ops` defines them (in f32: the series for `exprel`
/// and its derivative near 0 avoid the cancellation of the closed forms).
const HELPERS: &str = "fn is_finite(x: f32) -> bool {
    return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u;
}
fn exprel(x: f32) -> f32 {
    if (abs(x) < 1e-3) {
        return 1.0 + x * (0.5 + x * (1.0 / 6.0 + x / 24.0));
    }
    return (exp(x) - 1.0) / x;
}
fn exprel_prime(x: f32) -> f32 {
    if (abs(x) < 1e-2) {
        return 0.5 + x * (1.0 / 3.0 + x * 0.125);
    }
    return (x * exp(x) - (exp(x) - 1.0)) / (x * x);
}
fn powi(x: f32, k: i32) -> f32 {
    var base = x;
    var e = abs(k);
    var result = 1.0;
    while (e > 0) {
        if ((e & 1) == 1) {
            result = result * base;
        }
        base = base * base;
        e = e >> 1;
    }
    if (k < 0) {
        return 1.0 / result;
    }
    return result;
}
";
