//! Straight-line programs compiled from the expression graph and run over a population.
//!
//! Each graph node gets a register holding one value per neuron ("lane"). Instructions run one
//! at a time over all lanes, so the cost of interpreting an instruction is paid once per step, not
//! once per neuron, and the per-lane loops are plain array arithmetic the compiler vectorises.
//! Nodes that depend only on parameters and constants form the *prelude*, run once per run (or
//! whenever a parameter changes); the per-step program holds only what depends on the state, the
//! time or the driven input. Large populations run in blocks of lanes so that every register a
//! block touches stays in the L1 cache.

use crate::graph::{Graph, Node, NodeId};
use crate::ops::{self, Bin, Un};

#[derive(Clone, Copy, Debug)]
enum Op {
    Un(Un),
    Bin(Bin),
    Select,
}

#[derive(Clone, Copy, Debug)]
struct Inst {
    op: Op,
    dst: u32,
    a: u32,
    b: u32,
    c: u32,
}

pub struct Program {
    lanes: usize,
    regs: Vec<f64>,
    prelude: Vec<Inst>,
    step: Vec<Inst>,
    outputs: Vec<u32>,
}

impl Program {
    /// Compiles the nodes that `outputs` need. Input slot `s` lives in register `s`
    /// (`0..n_inputs`); `varying[s]` says whether that input changes from step to step.
    pub fn compile(graph: &Graph, outputs: &[NodeId], varying: &[bool], lanes: usize) -> Program {
        let nodes = graph.nodes();
        let n_inputs = varying.len();
        let mut needed = vec![false; nodes.len()];
        for &o in outputs {
            needed[o as usize] = true;
        }
        // Children always have smaller ids than their parents, so one backward sweep marks
        // everything reachable.
        for id in (0..nodes.len()).rev() {
            if !needed[id] {
                continue;
            }
            match nodes[id] {
                Node::Un(_, a) => needed[a as usize] = true,
                Node::Bin(_, a, b) => {
                    needed[a as usize] = true;
                    needed[b as usize] = true;
                }
                Node::Select(c, a, b) => {
                    needed[a as usize] = true;
                    needed[b as usize] = true;
                    needed[c as usize] = true;
                }
                _ => {}
            }
        }
        let mut reg_of = vec![u32::MAX; nodes.len()];
        let mut is_varying = vec![false; nodes.len()];
        let mut consts = Vec::new();
        let mut prelude = Vec::new();
        let mut step = Vec::new();
        let mut next_reg = n_inputs as u32;
        for id in 0..nodes.len() {
            if !needed[id] {
                continue;
            }
            let (op, operands) = match nodes[id] {
                Node::Input(slot) => {
                    reg_of[id] = slot;
                    is_varying[id] = varying[slot as usize];
                    continue;
                }
                Node::Const(bits) => {
                    reg_of[id] = next_reg;
                    consts.push((next_reg, f64::from_bits(bits)));
                    next_reg += 1;
                    continue;
                }
                Node::Un(op, a) => (Op::Un(op), [a, a, a]),
                Node::Bin(op, a, b) => (Op::Bin(op), [a, b, b]),
                Node::Select(c, a, b) => (Op::Select, [a, b, c]),
            };
            let var = operands.iter().any(|&x| is_varying[x as usize]);
            is_varying[id] = var;
            reg_of[id] = next_reg;
            let [a, b, c] = operands.map(|x| reg_of[x as usize]);
            let inst = Inst {
                op,
                dst: next_reg,
                a,
                b,
                c,
            };
            next_reg += 1;
            if var {
                step.push(inst);
            } else {
                prelude.push(inst);
            }
        }
        let mut regs = vec![0.0; next_reg as usize * lanes];
        for (reg, value) in consts {
            regs[reg as usize * lanes..][..lanes].fill(value);
        }
        Program {
            lanes,
            regs,
            prelude,
            step,
            outputs: outputs.iter().map(|&o| reg_of[o as usize]).collect(),
        }
    }

    /// The values of input slot `slot`, one per lane, to fill before running.
    pub fn input_mut(&mut self, slot: usize) -> &mut [f64] {
        &mut self.regs[slot * self.lanes..][..self.lanes]
    }

    pub fn input(&self, slot: usize) -> &[f64] {
        &self.regs[slot * self.lanes..][..self.lanes]
    }

    /// Copies output `k` into input slot `slot` (the new state becomes the next step's input).
    pub fn commit(&mut self, k: usize, slot: usize) {
        let from = self.outputs[k] as usize * self.lanes;
        self.regs.copy_within(from..from + self.lanes, slot * self.lanes);
    }

    pub fn output(&self, k: usize) -> &[f64] {
        &self.regs[self.outputs[k] as usize * self.lanes..][..self.lanes]
    }

    /// Recomputes everything that depends only on parameters and constants.
    pub fn run_prelude(&mut self) {
        run(&self.prelude, &mut self.regs, self.lanes);
    }

    /// Evaluates the per-step part (after the prelude has run for the current parameters).
    pub fn run_step(&mut self) {
        run(&self.step, &mut self.regs, self.lanes);
    }
}

/// Lanes per block: with a few dozen registers a block's slices fit in the L1 cache.
const BLOCK_LANES: usize = 128;

fn run(insts: &[Inst], regs: &mut [f64], lanes: usize) {
    if lanes == 1 {
        for inst in insts {
            let x = regs[inst.a as usize];
            regs[inst.dst as usize] = match inst.op {
                Op::Un(op) => ops::un(op, x),
                Op::Bin(op) => ops::bin(op, x, regs[inst.b as usize]),
                Op::Select => ops::select(regs[inst.c as usize], x, regs[inst.b as usize]),
            };
        }
        return;
    }
    let mut start = 0;
    while start < lanes {
        let len = BLOCK_LANES.min(lanes - start);
        for inst in insts {
            // Registers are assigned in topological order, so the destination lies above every
            // operand and the borrow splits cleanly.
            let (lower, upper) = regs.split_at_mut(inst.dst as usize * lanes);
            let out = &mut upper[start..start + len];
            let slice = |r: u32| &lower[r as usize * lanes + start..][..len];
            match inst.op {
                Op::Un(op) => un_lanes(op, out, slice(inst.a)),
                Op::Bin(op) => bin_lanes(op, out, slice(inst.a), slice(inst.b)),
                Op::Select => {
                    let (cond, a, b) = (slice(inst.c), slice(inst.a), slice(inst.b));
                    for (((o, &c), &x), &y) in out.iter_mut().zip(cond).zip(a).zip(b) {
                        *o = ops::select(c, x, y);
                    }
                }
            }
        }
        start += len;
    }
}

#[inline(always)]
fn map1(out: &mut [f64], a: &[f64], f: impl Fn(f64) -> f64) {
    for (o, &x) in out.iter_mut().zip(a) {
        *o = f(x);
    }
}

#[inline(always)]
fn map2(out: &mut [f64], a: &[f64], b: &[f64], f: impl Fn(f64, f64) -> f64) {
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        *o = f(x, y);
    }
}

/// Dispatches once per instruction to a loop specialised for that operation.
fn un_lanes(op: Un, out: &mut [f64], a: &[f64]) {
    macro_rules! specialise {
        ($($v:ident),*) => {
            match op {
                $(Un::$v => map1(out, a, |x| ops::un(Un::$v, x)),)*
                Un::Powi(k) => map1(out, a, |x| ops::un(Un::Powi(k), x)),
            }
        };
    }
    specialise!(Neg, Exp, Log, Sqrt, Abs, Tanh, Sin, Cos, Sigmoid, Exprel, ExprelPrime, Heaviside, Sign)
}

fn bin_lanes(op: Bin, out: &mut [f64], a: &[f64], b: &[f64]) {
    macro_rules! specialise {
        ($($v:ident),*) => {
            match op {
                $(Bin::$v => map2(out, a, b, |x, y| ops::bin(Bin::$v, x, y)),)*
            }
        };
    }
    specialise!(Add, Sub, Mul, Div, Pow, Min, Max)
}
