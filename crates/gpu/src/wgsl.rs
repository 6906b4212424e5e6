//! WGSL written from a population's compiled step (`brainplay_sim::listing`) and the kernel
//! that delivers spikes along a projection's connections.
//!
//! Every kernel of a run reads the same per-step block (`Step`), bound with a dynamic offset so
//! that one submission holds many steps, and the run's shared buffers (all populations' lanes,
//! spike counts, connections and spike records, at offsets written into each kernel). A
//! population kernel runs one thread per neuron: it reads its registers from its lane slots
//! (one f32 per neuron and register: states, per-neuron parameters, last spike times), takes
//! the spike counts its fused synapses received (resetting them), runs the step's instructions
//! with every shared value written in as an exact f32 constant, writes the new states, and on a
//! spike sets its bit in the batch's spike record; then the workgroup delivers its spikes along
//! the population's outgoing connections. One dispatch per population and step, nothing else.
//!
//! Counts wait in a ring of three slots per projection: a spike of step `s` is counted in slot
//! `(s + delay) % 3`, and the postsynaptic kernel of step `s` reads slot `s % 3`. The delay (0
//! to 2 steps) is where the update order puts the projection between its two groups, so that a
//! spike acts exactly when it does on the CPU.

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
    pad: u32,
    input: array<vec4<f32>, 4>,
}
@group(0) @binding(0) var<uniform> step: Step;
";
pub const STEP_BYTES: usize = 16 + 16 * 4;

/// The parts of the step that a kernel cannot run: the caller keeps the network on the CPU.
#[derive(Clone, Debug, PartialEq)]
pub struct Unsupported(pub String);

/// Where a population's data lie in the run's shared buffers (offsets in elements).
#[derive(Clone, Copy, Debug)]
pub struct Place {
    /// Its first lane slot in `lanes`.
    pub lanes: u32,
    /// Its count blocks in `counts`: block `b`, ring slot `r` at `counts + (3 b + r) N`.
    pub counts: u32,
    /// Its spike record in `bits`: step `at` of the batch at `bits + at W`, W words per step.
    pub bits: u32,
}

/// A projection leaving the population: its connections in `csr` (row starts at `rows`, the
/// targets at `targets`) and where its spikes are counted: block `counts` of a postsynaptic
/// population of `n_post` neurons, `delay` steps after the spike (0 to 2, from the update
/// order).
#[derive(Clone, Copy, Debug)]
pub struct Outgoing {
    pub rows: u32,
    pub targets: u32,
    pub counts: u32,
    pub n_post: u32,
    pub delay: u32,
}

/// What a population kernel reads per neuron, in the order of its lane slots: slot `s` holds
/// `lanes[s]` for neurons `0..n`.
#[derive(Clone, Debug)]
pub struct Population {
    pub shader: String,
    pub lanes: Vec<Vec<f64>>,
}

/// The bindings every population kernel has: the run's shared buffers.
const BINDINGS: &str = "@group(0) @binding(1) var<storage, read_write> lanes: array<f32>;
@group(0) @binding(2) var<storage, read_write> counts: array<atomic<u32>>;
@group(0) @binding(3) var<storage, read> csr: array<u32>;
@group(0) @binding(4) var<storage, read_write> bits: array<atomic<u32>>;
@group(0) @binding(5) var<storage, read_write> fault: array<atomic<u32>>;
var<workgroup> spiking: array<u32, WORKGROUP>;
var<workgroup> spiking_count: atomic<u32>;
";

/// The kernel of group `group`: its step (`listing`; `counts[b]` is the model parameter that
/// takes the spike counts of count block `b`), then the delivery of this step's spikes along
/// `outgoing`: a workgroup's threads share out the connections of each of its neurons that
/// spiked, adding one to each target's count (atomics: integers, so the order is immaterial).
pub fn population(
    listing: &Listing,
    group: usize,
    counts: &[usize],
    place: Place,
    outgoing: &[Outgoing],
) -> Result<Population, Unsupported> {
    let n = listing.neurons;
    let mut lanes: Vec<Vec<f64>> = Vec::new();
    let mut state_slots = vec![usize::MAX; listing.states];
    let mut reads = String::new();
    let mut name: HashMap<u32, String> = HashMap::new();
    let mut last_slot = None;
    let mut lane = |values: Vec<f64>| {
        lanes.push(values);
        lanes.len() - 1
    };
    let at = |slot: usize| format!("lanes[{}u + {slot}u * N + k]", place.lanes);
    for (r, source) in &listing.inputs {
        let value = match source {
            Source::State { index, values } => {
                let s = lane(values.clone());
                state_slots[*index] = s;
                at(s)
            }
            Source::Shared(x) => constant(*x),
            Source::PerNeuron(values) => at(lane(values.clone())),
            Source::Time => "step.t_ms".to_string(),
            Source::LastSpike(values) => {
                let s = lane(values.clone());
                last_slot = Some(s);
                at(s)
            }
            Source::Driven(base) => format!(
                "{} + step.input[{}][{}]",
                at(lane(base.clone())),
                group / 4,
                group % 4
            ),
            Source::Varying(p) => {
                let b = counts.iter().position(|c| c == p).ok_or_else(|| {
                    Unsupported(format!(
                        "parameter {p} is set every step by synapses kept per connection"
                    ))
                })?;
                format!(
                    "f32(atomicExchange(&counts[{}u + ({}u + step.step % 3u) * N + k], 0u))",
                    place.counts,
                    3 * b
                )
            }
        };
        writeln!(reads, "        let r{r} = {value};").unwrap();
        name.insert(*r, format!("r{r}"));
    }
    let mut body = String::new();
    for inst in &listing.insts {
        let get = |r: u32| name.get(&r).cloned().unwrap_or_else(|| format!("v{r}"));
        writeln!(
            body,
            "        let v{} = {};",
            inst.dst,
            expression(inst, get)
        )
        .unwrap();
        name.insert(inst.dst, format!("v{}", inst.dst));
    }
    let out = |j: usize| name[&listing.outputs[j]].clone();
    let mut writes = String::new();
    for (i, &s) in state_slots.iter().enumerate() {
        writeln!(writes, "        finite = finite && is_finite({});", out(i)).unwrap();
        writeln!(writes, "        {} = {};", at(s), out(i)).unwrap();
    }
    let mut spike = String::new();
    let mut deliver = String::new();
    if let Some(j) = listing.spike_output {
        writeln!(spike, "        if ({} != 0.0) {{", out(j)).unwrap();
        if let Some(s) = last_slot {
            writeln!(spike, "            {} = step.t_ms;", at(s)).unwrap();
        }
        writeln!(
            spike,
            "            spiking[atomicAdd(&spiking_count, 1u)] = k;
            atomicOr(&bits[{}u + step.at * WORDS + k / 32u], 1u << (k % 32u));
        }}",
            place.bits
        )
        .unwrap();
        for o in outgoing {
            writeln!(
                deliver,
                "        {{
            let start = csr[{rows}u + j];
            let end = csr[{rows}u + j + 1u];
            let base = {counts}u + ((step.step + {delay}u) % 3u) * {n_post}u;
            var c = start + local;
            // Four targets loaded before their four additions: the loads overlap.
            while (c + 3u * WORKGROUP < end) {{
                let t0 = csr[{targets}u + c];
                let t1 = csr[{targets}u + c + WORKGROUP];
                let t2 = csr[{targets}u + c + 2u * WORKGROUP];
                let t3 = csr[{targets}u + c + 3u * WORKGROUP];
                atomicAdd(&counts[base + t0], 1u);
                atomicAdd(&counts[base + t1], 1u);
                atomicAdd(&counts[base + t2], 1u);
                atomicAdd(&counts[base + t3], 1u);
                c += 4u * WORKGROUP;
            }}
            for (; c < end; c += WORKGROUP) {{
                atomicAdd(&counts[base + csr[{targets}u + c]], 1u);
            }}
        }}",
                rows = o.rows,
                counts = o.counts,
                delay = o.delay,
                n_post = o.n_post,
                targets = o.targets,
            )
            .unwrap();
        }
    }
    let shader = format!(
        "{STEP_STRUCT}{BINDINGS}const N: u32 = {n}u;
const WORDS: u32 = {words}u;
const WORKGROUP: u32 = {WORKGROUP}u;
{HELPERS}
@compute @workgroup_size({WORKGROUP})
fn main(@builtin(global_invocation_id) id: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {{
    let k = id.x;
    if (local == 0u) {{
        atomicStore(&spiking_count, 0u);
    }}
    workgroupBarrier();
    if (k < N) {{
        var finite = true;
{reads}{body}{writes}        if (!finite) {{
            atomicMin(&fault[0], step.step);
            atomicStore(&fault[1], k);
            atomicStore(&fault[2], {group}u);
        }}
{spike}    }}
    workgroupBarrier();
    let spikes = atomicLoad(&spiking_count);
    for (var i = 0u; i < spikes; i++) {{
        let j = spiking[i];
{deliver}    }}
}}
",
        words = n.div_ceil(32)
    );
    Ok(Population { shader, lanes })
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
