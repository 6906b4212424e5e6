//! Straight-line programs compiled from the expression graph and run over a population.
//!
//! Each graph node gets a register holding one value per neuron ("lane"). Instructions run one
//! at a time over all lanes, so the cost of interpreting an instruction is paid once per step, not
//! once per neuron, and the per-lane loops are plain array arithmetic the compiler vectorises.
//! Nodes that depend only on parameters and constants form the *prelude*, run once per run (or
//! whenever a parameter changes); the per-step program holds only what depends on the state, the
//! time or the driven input. Large populations run in blocks of lanes so that every register a
//! block touches stays in the L1 cache. Registers whose value is the same for every neuron
//! (constants, shared parameters, the time) are *uniform*: they are read as scalars, and an
//! instruction whose operands are all uniform is computed once instead of once per lane.

use crate::graph::{Graph, Node, NodeId};
use crate::ops::{self, Bin, Un};

/// How a program input behaves: whether it changes between steps, and whether every lane holds
/// the same value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlotKind {
    pub varying: bool,
    pub uniform: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Un(Un),
    Bin(Bin),
    Select,
}

/// One instruction: `dst = op(a, b)`.
#[derive(Clone, Copy, Debug)]
pub struct Inst {
    pub op: Op,
    pub dst: u32,
    /// Operands; `Select` reads `c ? a : b`, `Un` reads `a` only.
    pub a: u32,
    pub b: u32,
    pub c: u32,
    /// Which operands are uniform (bit 0: a, bit 1: b, bit 2: c).
    uniform_in: u8,
    /// All operands uniform: computed once, into lane 0.
    uniform_out: bool,
}

/// A step compiled ahead of time into Rust (`crate::aot`): computes the same instructions as
/// the interpreter, lane by lane, from the same registers. The new states are written in place
/// (their old values saved to `out`, for a rollback), other outputs `j` go to
/// `out[j * lanes + k]`; returns whether the new states are all finite.
pub type Kernel = fn(&mut [f64], &mut [f64], usize) -> bool;

pub struct Program {
    lanes: usize,
    kernel: Option<Kernel>,
    /// The kernel's outputs (empty while interpreting).
    kernel_out: Vec<f64>,
    /// Outputs `0..states` are the new values of input slots `0..states`.
    states: usize,
    regs: Vec<f64>,
    prelude: Vec<Inst>,
    step: Vec<Inst>,
    outputs: Vec<u32>,
    /// Per register, whether its lanes hold one value (read from lane 0).
    reg_uniform: Vec<bool>,
    /// Uniform output registers, broadcast to all lanes after each run so outputs read as lanes.
    uniform_outputs: Vec<u32>,
}

impl Program {
    /// Compiles the nodes that `outputs` need. Input slot `s` lives in register `s`.
    pub fn compile(
        graph: &Graph,
        outputs: &[NodeId],
        inputs: &[SlotKind],
        lanes: usize,
    ) -> Program {
        let nodes = graph.nodes();
        let mut needed = vec![false; nodes.len()];
        for &o in outputs {
            needed[o as usize] = true;
        }
        // Children always have smaller ids than their parents, so one backward sweep marks
        // everything reachable.
        for id in (0..nodes.len()).rev() {
            if needed[id] {
                for child in children(nodes[id]) {
                    needed[child as usize] = true;
                }
            }
        }
        let mut reg_of = vec![u32::MAX; nodes.len()];
        let mut varying = vec![false; nodes.len()];
        let mut uniform = vec![true; nodes.len()];
        let mut reg_uniform: Vec<bool> = inputs.iter().map(|k| k.uniform).collect();
        let mut consts = Vec::new();
        let mut prelude = Vec::new();
        let mut step = Vec::new();
        for id in 0..nodes.len() {
            if !needed[id] {
                continue;
            }
            let (op, operands) = match nodes[id] {
                Node::Input(slot) => {
                    reg_of[id] = slot;
                    varying[id] = inputs[slot as usize].varying;
                    uniform[id] = inputs[slot as usize].uniform;
                    continue;
                }
                Node::Const(bits) => {
                    reg_of[id] = reg_uniform.len() as u32;
                    reg_uniform.push(true);
                    consts.push((reg_of[id], f64::from_bits(bits)));
                    continue;
                }
                Node::Un(op, a) => (Op::Un(op), [a, a, a]),
                Node::Bin(op, a, b) => (Op::Bin(op), [a, b, b]),
                Node::Select(c, a, b) => (Op::Select, [a, b, c]),
            };
            varying[id] = operands.iter().any(|&x| varying[x as usize]);
            uniform[id] = operands.iter().all(|&x| uniform[x as usize]);
            reg_of[id] = reg_uniform.len() as u32;
            reg_uniform.push(uniform[id]);
            let [a, b, c] = operands.map(|x| reg_of[x as usize]);
            let uniform_in = operands
                .iter()
                .enumerate()
                .map(|(bit, &x)| (uniform[x as usize] as u8) << bit)
                .sum();
            let inst = Inst {
                op,
                dst: reg_of[id],
                a,
                b,
                c,
                uniform_in,
                uniform_out: uniform[id],
            };
            if varying[id] {
                step.push(inst);
            } else {
                prelude.push(inst);
            }
        }
        let mut regs = vec![0.0; reg_uniform.len() * lanes];
        for (reg, value) in consts {
            regs[reg as usize * lanes..][..lanes].fill(value);
        }
        let outputs: Vec<u32> = outputs.iter().map(|&o| reg_of[o as usize]).collect();
        let mut uniform_outputs: Vec<u32> = outputs
            .iter()
            .copied()
            .filter(|&r| reg_uniform[r as usize])
            .collect();
        uniform_outputs.dedup();
        Program {
            lanes,
            kernel: None,
            kernel_out: Vec::new(),
            states: 0,
            regs,
            prelude,
            step,
            outputs,
            reg_uniform,
            uniform_outputs,
        }
    }

    /// The per-step instructions, in order.
    pub fn step_insts(&self) -> &[Inst] {
        &self.step
    }

    /// The registers holding the outputs (new states first).
    pub fn output_registers(&self) -> &[u32] {
        &self.outputs
    }

    /// Whether register `r` holds one value for every lane.
    pub fn is_uniform(&self, r: u32) -> bool {
        self.reg_uniform[r as usize]
    }

    /// Register `r`'s lanes (a uniform register's value is lane 0).
    pub fn register(&self, r: u32) -> &[f64] {
        &self.regs[r as usize * self.lanes..][..self.lanes]
    }

    /// The values of input slot `slot`, one per lane, to fill before running. A uniform slot is
    /// read from lane 0.
    pub fn input_mut(&mut self, slot: usize) -> &mut [f64] {
        &mut self.regs[slot * self.lanes..][..self.lanes]
    }

    pub fn input(&self, slot: usize) -> &[f64] {
        &self.regs[slot * self.lanes..][..self.lanes]
    }

    /// Sets a uniform input slot.
    pub fn set_uniform(&mut self, slot: usize, value: f64) {
        self.regs[slot * self.lanes] = value;
    }

    /// Declares outputs `0..count` to be the new values of input slots `0..count` (the states):
    /// `run_step` checks them for NaN and infinity and `commit_states` makes them the inputs.
    pub fn set_state_outputs(&mut self, count: usize) {
        self.states = count;
    }

    /// Makes the new states the next step's inputs.
    pub fn commit_states(&mut self) {
        if self.kernel.is_some() {
            return; // already written in place
        }
        let lanes = self.lanes;
        for k in 0..self.states {
            let from = self.outputs[k] as usize * lanes;
            if lanes == 1 {
                self.regs[k] = self.regs[from]; // skips a call to memmove
            } else {
                self.regs.copy_within(from..from + lanes, k * lanes);
            }
        }
    }

    /// Restores the states from before the last step (after `run_step` reported a non-finite
    /// value), so that the state stays the last finite one.
    pub fn rollback_states(&mut self) {
        if self.kernel.is_some() {
            let n = self.states * self.lanes;
            self.regs[..n].copy_from_slice(&self.kernel_out[..n]);
        }
    }

    pub fn output(&self, k: usize) -> &[f64] {
        let lanes = self.lanes;
        match self.kernel {
            Some(_) if k < self.states => &self.regs[k * lanes..][..lanes],
            Some(_) => &self.kernel_out[k * lanes..][..lanes],
            None => &self.regs[self.outputs[k] as usize * lanes..][..lanes],
        }
    }

    /// Recomputes everything that depends only on parameters and constants.
    pub fn run_prelude(&mut self) {
        run(&self.prelude, &mut self.regs, self.lanes);
        self.broadcast_outputs();
    }

    /// Evaluates the per-step part (after the prelude has run for the current parameters);
    /// false if a new state is not finite.
    pub fn run_step(&mut self) -> bool {
        match self.kernel {
            // The kernel checks while the values are still in registers.
            Some(kernel) => kernel(&mut self.regs, &mut self.kernel_out, self.lanes),
            None => {
                run(&self.step, &mut self.regs, self.lanes);
                self.broadcast_outputs();
                (0..self.states)
                    .all(|k| self.output(k).iter().fold(true, |ok, v| ok & v.is_finite()))
            }
        }
    }

    /// Identifies the per-step instruction list, operand kinds and outputs: a kernel generated
    /// for a program with the same fingerprint computes exactly what the interpreter would.
    pub fn fingerprint(&self) -> u64 {
        // FNV-1a: stable across builds and platforms, unlike `std`'s hasher.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |bytes: &[u8]| {
            for &byte in bytes {
                hash = (hash ^ byte as u64).wrapping_mul(0x0100_0000_01b3);
            }
        };
        for inst in &self.step {
            // The operation's name (with a `Powi` exponent) identifies it across builds.
            eat(format!("{:?}", inst.op).as_bytes());
            for field in [inst.dst, inst.a, inst.b, inst.c] {
                eat(&field.to_le_bytes());
            }
            eat(&[inst.uniform_in, inst.uniform_out as u8]);
        }
        eat(&(self.states as u64).to_le_bytes());
        eat(b"outputs");
        for &o in &self.outputs {
            eat(&o.to_le_bytes());
        }
        hash
    }

    pub fn has_kernel(&self) -> bool {
        self.kernel.is_some()
    }

    /// Runs steps with `kernel` instead of the interpreter; the caller checked the fingerprint.
    pub fn use_kernel(&mut self, kernel: Kernel) {
        self.kernel = Some(kernel);
        self.kernel_out = vec![0.0; self.outputs.len() * self.lanes];
    }

    /// Rust source of a kernel for this program's per-step part (see `crate::aot`). Registers
    /// are sliced once outside the lane loop, so the loop indexes slices of length `lanes` and
    /// compiles without bounds checks (and vectorises where no call is inside).
    #[cfg(test)]
    pub fn kernel_source(&self, name: &str) -> String {
        use std::collections::{BTreeSet, HashSet};
        use std::fmt::Write;
        let n = self.states as u32;
        let computed: HashSet<u32> = self.step.iter().map(|i| i.dst).collect();
        let mut lane_reads = BTreeSet::new();
        let mut uniform_reads = BTreeSet::new();
        let mut operand = |r: u32, uniform: bool| {
            if computed.contains(&r) {
                format!("v{r}")
            } else if r < n {
                format!("x{r}[k]")
            } else if uniform {
                uniform_reads.insert(r);
                format!("s{r}")
            } else {
                lane_reads.insert(r);
                format!("r{r}[k]")
            }
        };
        let mut body = String::new();
        for inst in &self.step {
            let bit = |b: u8| inst.uniform_in & (1 << b) != 0;
            let a = operand(inst.a, bit(0));
            let b = operand(inst.b, bit(1));
            let c = operand(inst.c, bit(2));
            let value = match inst.op {
                Op::Un(op) => format!("ops::un(Un::{op:?}, {a})"),
                Op::Bin(op) => format!("ops::bin(Bin::{op:?}, {a}, {b})"),
                Op::Select => format!("ops::select({c}, {a}, {b})"),
            };
            writeln!(body, "        let v{} = {value};", inst.dst).unwrap();
        }
        // All outputs are read before any state is overwritten.
        for (j, &o) in self.outputs.iter().enumerate() {
            writeln!(body, "        let w{j} = {};", operand(o, false)).unwrap();
        }
        for j in 0..self.outputs.len() {
            if j < self.states {
                writeln!(body, "        o{j}[k] = x{j}[k];").unwrap();
                writeln!(body, "        x{j}[k] = w{j};").unwrap();
                writeln!(body, "        finite &= w{j}.is_finite();").unwrap();
            } else {
                writeln!(body, "        o{j}[k] = w{j};").unwrap();
            }
        }
        let mut head = format!("    let (states, regs) = split_states(regs, {n}, lanes);\n");
        for s in 0..n {
            writeln!(head, "    let (x{s}, states) = states.split_at_mut(lanes);").unwrap();
        }
        writeln!(head, "    let _ = states;").unwrap();
        for r in &lane_reads {
            writeln!(head, "    let r{r} = lanes_of(regs, {}, lanes);", r - n).unwrap();
        }
        for r in &uniform_reads {
            writeln!(head, "    let s{r} = lanes_of(regs, {}, lanes)[0];", r - n).unwrap();
        }
        for j in 0..self.outputs.len() {
            writeln!(head, "    let (o{j}, out) = out.split_at_mut(lanes);").unwrap();
        }
        writeln!(head, "    let _ = out;").unwrap();
        writeln!(head, "    let mut finite = true;").unwrap();
        format!(
            "fn {name}(regs: &mut [f64], out: &mut [f64], lanes: usize) -> bool {{\n\
             {head}    for k in 0..lanes {{\n{body}    }}\n    finite\n}}\n"
        )
    }

    fn broadcast_outputs(&mut self) {
        for &r in &self.uniform_outputs {
            let lanes = &mut self.regs[r as usize * self.lanes..][..self.lanes];
            let value = lanes[0];
            lanes.fill(value);
        }
    }
}

fn children(node: Node) -> Vec<NodeId> {
    match node {
        Node::Const(_) | Node::Input(_) => vec![],
        Node::Un(_, a) => vec![a],
        Node::Bin(_, a, b) => vec![a, b],
        Node::Select(c, a, b) => vec![c, a, b],
    }
}

/// Lanes per block: with a few dozen registers a block's slices fit in the L1 cache.
const BLOCK_LANES: usize = 256;

#[inline(always)]
fn scalar(inst: &Inst, regs: &[f64], lanes: usize) -> f64 {
    let get = |r: u32| regs[r as usize * lanes];
    match inst.op {
        Op::Un(op) => ops::un(op, get(inst.a)),
        Op::Bin(op) => ops::bin(op, get(inst.a), get(inst.b)),
        Op::Select => ops::select(get(inst.c), get(inst.a), get(inst.b)),
    }
}

fn run(insts: &[Inst], regs: &mut [f64], lanes: usize) {
    #[cfg(target_arch = "x86_64")]
    if lanes > 1 && std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2, checked just above.
        unsafe { run_avx2(insts, regs, lanes) };
        return;
    }
    run_portable(insts, regs, lanes);
}

/// The same loops compiled for 4-wide vectors. Only AVX2 is enabled, not FMA, so every lane
/// rounds exactly as in the portable build and results do not depend on the CPU.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn run_avx2(insts: &[Inst], regs: &mut [f64], lanes: usize) {
    run_portable(insts, regs, lanes);
}

#[inline(always)]
fn run_portable(insts: &[Inst], regs: &mut [f64], lanes: usize) {
    if lanes == 1 {
        for inst in insts {
            regs[inst.dst as usize] = scalar(inst, regs, 1);
        }
        return;
    }
    let mut start = 0;
    while start < lanes {
        let len = BLOCK_LANES.min(lanes - start);
        for inst in insts {
            if inst.uniform_out {
                if start == 0 {
                    regs[inst.dst as usize * lanes] = scalar(inst, regs, lanes);
                }
                continue;
            }
            // Registers are assigned in topological order, so the destination lies above every
            // operand and the borrow splits cleanly.
            let (lower, upper) = regs.split_at_mut(inst.dst as usize * lanes);
            let out = &mut upper[start..start + len];
            let operand = |r: u32, bit: u8| {
                if inst.uniform_in & (1 << bit) != 0 {
                    Operand::Scalar(lower[r as usize * lanes])
                } else {
                    Operand::Lanes(&lower[r as usize * lanes + start..][..len])
                }
            };
            let (a, b, c) = (operand(inst.a, 0), operand(inst.b, 1), operand(inst.c, 2));
            match inst.op {
                Op::Un(op) => un_lanes(op, out, a),
                Op::Bin(op) => bin_lanes(op, out, a, b),
                Op::Select => select_lanes(out, c, a, b),
            }
        }
        start += len;
    }
}

#[derive(Clone, Copy)]
enum Operand<'a> {
    Lanes(&'a [f64]),
    Scalar(f64),
}

impl Operand<'_> {
    #[inline(always)]
    fn at(self, k: usize) -> f64 {
        match self {
            Operand::Lanes(x) => x[k],
            Operand::Scalar(v) => v,
        }
    }
}

#[inline(always)]
fn map1(out: &mut [f64], a: Operand, f: impl Fn(f64) -> f64) {
    match a {
        Operand::Lanes(a) => out.iter_mut().zip(a).for_each(|(o, &x)| *o = f(x)),
        Operand::Scalar(x) => out.fill(f(x)),
    }
}

/// One loop per operand shape, so each is plain array arithmetic.
#[inline(always)]
fn map2(out: &mut [f64], a: Operand, b: Operand, f: impl Fn(f64, f64) -> f64) {
    match (a, b) {
        (Operand::Lanes(a), Operand::Lanes(b)) => out
            .iter_mut()
            .zip(a)
            .zip(b)
            .for_each(|((o, &x), &y)| *o = f(x, y)),
        (Operand::Lanes(a), Operand::Scalar(y)) => {
            out.iter_mut().zip(a).for_each(|(o, &x)| *o = f(x, y))
        }
        (Operand::Scalar(x), Operand::Lanes(b)) => {
            out.iter_mut().zip(b).for_each(|(o, &y)| *o = f(x, y))
        }
        (Operand::Scalar(x), Operand::Scalar(y)) => out.fill(f(x, y)),
    }
}

/// Dispatches once per instruction to a loop specialised for that operation.
#[inline(always)]
fn un_lanes(op: Un, out: &mut [f64], a: Operand) {
    macro_rules! specialise {
        ($($v:ident),*) => {
            match op {
                $(Un::$v => map1(out, a, |x| ops::un(Un::$v, x)),)*
                Un::Powi(k) => map1(out, a, |x| ops::un(Un::Powi(k), x)),
            }
        };
    }
    specialise!(
        Neg,
        Exp,
        Log,
        Sqrt,
        Abs,
        Tanh,
        Sin,
        Cos,
        Sigmoid,
        Exprel,
        ExprelPrime,
        Heaviside,
        Sign,
        Hold
    )
}

#[inline(always)]
fn bin_lanes(op: Bin, out: &mut [f64], a: Operand, b: Operand) {
    macro_rules! specialise {
        ($($v:ident),*) => {
            match op {
                $(Bin::$v => map2(out, a, b, |x, y| ops::bin(Bin::$v, x, y)),)*
            }
        };
    }
    specialise!(Add, Sub, Mul, Div, Pow, Min, Max, AtLeast)
}

#[inline(always)]
fn select_lanes(out: &mut [f64], cond: Operand, a: Operand, b: Operand) {
    match (cond, a, b) {
        (Operand::Lanes(c), Operand::Lanes(a), Operand::Lanes(b)) => {
            for (((o, &c), &x), &y) in out.iter_mut().zip(c).zip(a).zip(b) {
                *o = ops::select(c, x, y);
            }
        }
        (Operand::Lanes(c), Operand::Scalar(x), Operand::Lanes(b)) => {
            for ((o, &c), &y) in out.iter_mut().zip(c).zip(b) {
                *o = ops::select(c, x, y);
            }
        }
        _ => {
            for (k, o) in out.iter_mut().enumerate() {
                *o = ops::select(cond.at(k), a.at(k), b.at(k));
            }
        }
    }
}
