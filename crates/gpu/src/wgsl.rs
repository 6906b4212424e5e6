//! WGSL written from a population's compiled step (`brainplay_sim::listing`), with the records
//! it takes and the delivery of its spikes along its projections' connections.
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

use brainplay_sim::listing::{Bin, Inst, Listing, Op, Probe, Recording, Source, Un};

/// Threads per workgroup of every kernel, and so per spike in its delivery: measured on an H200
/// with lesson 9's network at 100 000 neurons (s per model second, input 20 / 80 / 160): 64
/// threads 0.17 / 0.40 / 0.43, 128 0.14 / 0.28 / 0.30, 256 0.17 / 0.20 / 0.23; 256 is also
/// WebGPU's guaranteed maximum.
pub const WORKGROUP: u32 = 256;

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
pub struct Unsupported(pub brainplay_sim::Message);

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

/// What a population records and where: its recorded neurons' probes after each step whose
/// index is a multiple of the stride, `rows × probes` values per step of the batch from `at` in
/// `rec`.
#[derive(Clone, Copy, Debug)]
pub struct Records<'a> {
    pub recording: &'a Recording,
    pub at: u32,
}

/// The bindings every population kernel has: the run's shared buffers.
const BINDINGS: &str = "@group(0) @binding(1) var<storage, read_write> lanes: array<f32>;
@group(0) @binding(2) var<storage, read_write> counts: array<atomic<u32>>;
@group(0) @binding(3) var<storage, read> csr: array<u32>;
@group(0) @binding(4) var<storage, read_write> bits: array<atomic<u32>>;
@group(0) @binding(5) var<storage, read_write> fault: array<atomic<u32>>;
@group(0) @binding(6) var<storage, read_write> rec: array<f32>;
var<workgroup> spiking: array<u32, WORKGROUP>;
var<workgroup> spiking_count: atomic<u32>;
";

/// A population's lane slots, as they are handed out.
struct Lanes {
    first: u32,
    values: Vec<Vec<f64>>,
}

impl Lanes {
    /// A new slot holding `values`.
    fn add(&mut self, values: Vec<f64>) -> usize {
        self.values.push(values);
        self.values.len() - 1
    }

    /// A new slot holding `values`, as the WGSL that reads neuron `k`'s.
    fn read(&mut self, values: Vec<f64>) -> String {
        let slot = self.add(values);
        self.at(slot)
    }

    /// The WGSL that reads (or writes) neuron `k`'s value in `slot`.
    fn at(&self, slot: usize) -> String {
        format!("lanes[{}u + {slot}u * N + k]", self.first)
    }
}

/// The kernel of group `group`: its step (`listing`; `counts[b]` is the model parameter that
/// takes the spike counts of count block `b`), its records, then the delivery of this step's
/// spikes along `outgoing`: a workgroup's threads share out the connections of each of its
/// neurons that spiked, adding one to each target's count (atomics: integers, so the order is
/// immaterial).
pub fn population(
    listing: &Listing,
    group: usize,
    counts: &[usize],
    place: Place,
    outgoing: &[Outgoing],
    records: Option<Records>,
) -> Result<Population, Unsupported> {
    let n = listing.neurons;
    let mut lanes = Lanes {
        first: place.lanes,
        values: Vec::new(),
    };
    let mut state_slots = vec![usize::MAX; listing.states];
    let mut last_slot = None;
    // The expression of each parameter set per step, which the records read too.
    let mut varying: HashMap<usize, String> = HashMap::new();
    let input = format!("step.input[{}][{}]", group / 4, group % 4);
    let (step_code, name) = program(listing, "r", "v", |r, source| {
        Ok(match source {
            Source::State { index, values } => {
                state_slots[*index] = lanes.add(values.clone());
                lanes.at(state_slots[*index])
            }
            Source::Shared(x) => constant(*x),
            Source::PerNeuron(values) => lanes.read(values.clone()),
            Source::Time => "step.t_ms".to_string(),
            Source::LastSpike(values) => {
                let slot = lanes.add(values.clone());
                last_slot = Some(slot);
                lanes.at(slot)
            }
            Source::Driven(base) => format!("{} + {input}", lanes.read(base.clone())),
            Source::Varying(p) => {
                let b = counts.iter().position(|c| c == p).ok_or_else(|| {
                    Unsupported(brainplay_sim::msg!(
                        "parameter {p} is set every step by synapses kept per connection",
                        "参数 {p} 每一步都由按连接保存的突触设定"
                    ))
                })?;
                varying.insert(*p, format!("r{r}"));
                format!(
                    "f32(atomicExchange(&counts[{}u + ({}u + step.step % 3u) * N + k], 0u))",
                    place.counts,
                    3 * b
                )
            }
        })
    })?;
    let out = |j: usize| name[&listing.outputs[j]].clone();
    let mut writes = String::new();
    for (i, &s) in state_slots.iter().enumerate() {
        writeln!(writes, "        finite = finite && is_finite({});", out(i)).unwrap();
        writeln!(writes, "        {} = {};", lanes.at(s), out(i)).unwrap();
    }
    let mut spike = String::new();
    let mut deliver = String::new();
    if let Some(j) = listing.spike_output {
        writeln!(spike, "        if ({} != 0.0) {{", out(j)).unwrap();
        if let Some(s) = last_slot {
            writeln!(spike, "            {} = step.t_ms;", lanes.at(s)).unwrap();
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
            deliver.push_str(&delivery(o));
        }
    }
    let record = match records {
        Some(records) => {
            let new_states: Vec<String> = (0..listing.states).map(out).collect();
            record(
                records,
                n,
                &new_states,
                &varying,
                last_slot,
                &input,
                &mut lanes,
            )?
        }
        None => String::new(),
    };
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
{step_code}{writes}        if (!finite) {{
            atomicMin(&fault[0], step.step);
            atomicStore(&fault[1], k);
            atomicStore(&fault[2], {group}u);
        }}
{spike}{record}    }}
    workgroupBarrier();
    let spikes = atomicLoad(&spiking_count);
    for (var i = 0u; i < spikes; i++) {{
        let j = spiking[i];
{deliver}    }}
}}
",
        words = n.div_ceil(32)
    );
    Ok(Population {
        shader,
        lanes: lanes.values,
    })
}

/// The `let`s that read `listing`'s inputs (named `{read}{register}`, each's expression given by
/// `source`) and compute its instructions (named `{computed}{register}`), and every register's
/// name.
fn program(
    listing: &Listing,
    read: &str,
    computed: &str,
    mut source: impl FnMut(u32, &Source) -> Result<String, Unsupported>,
) -> Result<(String, HashMap<u32, String>), Unsupported> {
    let mut code = String::new();
    let mut name: HashMap<u32, String> = HashMap::new();
    for (r, input) in &listing.inputs {
        let value = source(*r, input)?;
        writeln!(code, "        let {read}{r} = {value};").unwrap();
        name.insert(*r, format!("{read}{r}"));
    }
    for inst in &listing.insts {
        let get = |r: u32| {
            name.get(&r)
                .cloned()
                .unwrap_or_else(|| format!("{computed}{r}"))
        };
        let value = expression(inst, get);
        writeln!(code, "        let {computed}{} = {value};", inst.dst).unwrap();
        name.insert(inst.dst, format!("{computed}{}", inst.dst));
    }
    Ok((code, name))
}

/// The records of a step: on a recorded neuron (its lane says its row, −1 elsewhere) at a
/// recorded step, each probe — a new state, or an output of the observer program run on the new
/// states and the step's time and inputs, as the CPU records it.
fn record(
    records: Records,
    n: usize,
    new_states: &[String],
    varying: &HashMap<usize, String>,
    last_slot: Option<usize>,
    input: &str,
    lanes: &mut Lanes,
) -> Result<String, Unsupported> {
    let recording = records.recording;
    let mut rows = vec![-1.0; n];
    for (row, &k) in recording.neurons.iter().enumerate() {
        rows[k] = row as f64;
    }
    let row = lanes.read(rows);
    let (observe, name) = match &recording.observe {
        Some(listing) => program(listing, "q", "p", |_, source| {
            Ok(match source {
                Source::State { index, .. } => new_states[*index].clone(),
                Source::Shared(x) => constant(*x),
                Source::PerNeuron(values) => lanes.read(values.clone()),
                Source::Time => "step.t_ms".to_string(),
                Source::LastSpike(values) => match last_slot {
                    Some(slot) => lanes.at(slot),
                    None => lanes.read(values.clone()),
                },
                Source::Driven(base) => format!("{} + {input}", lanes.read(base.clone())),
                // A count the step does not read is zero.
                Source::Varying(p) => varying.get(p).cloned().unwrap_or("0.0".into()),
            })
        })?,
        None => (String::new(), HashMap::new()),
    };
    let probes = recording.probes.len();
    let mut writes = String::new();
    for (j, probe) in recording.probes.iter().enumerate() {
        let value = match *probe {
            Probe::State(i) => new_states[i].clone(),
            Probe::Computed(o) => {
                let listing = recording
                    .observe
                    .as_ref()
                    .expect("computed probes have one");
                name[&listing.outputs[o]].clone()
            }
        };
        writeln!(writes, "            rec[at + {j}u] = {value};").unwrap();
    }
    Ok(format!(
        "        let row = {row};
        if (row >= 0.0 && step.step % {stride}u == 0u) {{
            let at = {first}u + (step.at * {rows}u + u32(row)) * {probes}u;
{observe}{writes}        }}
",
        stride = recording.stride,
        first = records.at,
        rows = recording.neurons.len(),
    ))
}

/// The delivery of spiking neuron `j`'s spikes along `o`.
fn delivery(o: &Outgoing) -> String {
    format!(
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
        }}
",
        rows = o.rows,
        counts = o.counts,
        delay = o.delay,
        n_post = o.n_post,
        targets = o.targets,
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
