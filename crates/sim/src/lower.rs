//! Lowers model expressions into the graph, and builds the integrators' update from them.

use crate::diff;
use crate::graph::{Graph, NodeId};
use crate::ir::{BinOp, Expr, Func, Leading, Method, Model, Reset, ResetOp, SpikeTest, Sym};
use crate::ops::{Bin, Un};

/// Where each kind of symbol lives among a program's input slots: states first, then
/// parameters, then time, step, each neuron's last spike time and, for synapses (models with
/// `on_spike`), whether a presynaptic spike arrives in this step and whether the postsynaptic
/// neuron spiked in the last one.
#[derive(Clone, Copy, Debug)]
pub struct Slots {
    pub n_states: usize,
    pub n_params: usize,
    pub has_arrivals: bool,
}

impl Slots {
    pub fn of(model: &Model) -> Slots {
        Slots {
            n_states: model.states.len(),
            n_params: model.params.len(),
            has_arrivals: !model.on_spike.is_empty(),
        }
    }
    pub fn state(self, i: usize) -> usize {
        i
    }
    pub fn param(self, i: usize) -> usize {
        self.n_states + i
    }
    pub fn time(self) -> usize {
        self.n_states + self.n_params
    }
    pub fn dt(self) -> usize {
        self.n_states + self.n_params + 1
    }
    pub fn t_last_spike(self) -> usize {
        self.n_states + self.n_params + 2
    }
    /// 1 where a presynaptic spike arrives in this step, else 0 (synapses only).
    pub fn arrivals(self) -> usize {
        debug_assert!(self.has_arrivals);
        self.n_states + self.n_params + 3
    }
    /// 1 where the postsynaptic neuron spiked in the last step, else 0 (synapses only).
    pub fn post_spiked(self) -> usize {
        debug_assert!(self.has_arrivals);
        self.n_states + self.n_params + 4
    }
    pub fn count(self) -> usize {
        self.n_states + self.n_params + 3 + 2 * usize::from(self.has_arrivals)
    }
}

/// Lowers expressions with states and time bound to given nodes (the plain inputs, or the
/// intermediate stage values of a Runge–Kutta step). Helpers are lowered once per binding.
pub struct Lowering<'m> {
    model: &'m Model,
    slots: Slots,
    states: Vec<NodeId>,
    time: NodeId,
    helpers: Vec<Option<NodeId>>,
}

impl<'m> Lowering<'m> {
    /// States and time bound to their input slots.
    pub fn inputs(model: &'m Model, g: &mut Graph) -> Self {
        let slots = Slots::of(model);
        let states = (0..slots.n_states)
            .map(|i| g.input(slots.state(i) as u32))
            .collect();
        let time = g.input(slots.time() as u32);
        Self::bound(model, states, time)
    }

    pub fn bound(model: &'m Model, states: Vec<NodeId>, time: NodeId) -> Self {
        Lowering {
            model,
            slots: Slots::of(model),
            states,
            time,
            helpers: vec![None; model.helpers.len()],
        }
    }

    pub fn expr(&mut self, g: &mut Graph, e: &Expr) -> NodeId {
        match e {
            Expr::Num(v) => g.constant(*v),
            Expr::Sym(sym) => self.sym(g, *sym),
            // The state at the start of the step, whatever the states are bound to, and held
            // through the step: a constant to exponential Euler's linearisation.
            Expr::Old(i) => {
                let start = g.input(self.slots.state(*i) as u32);
                g.un(Un::Hold, start)
            }
            Expr::Neg(a) => {
                let a = self.expr(g, a);
                g.neg(a)
            }
            Expr::Bin(op, a, b) => {
                let a = self.expr(g, a);
                let b = self.expr(g, b);
                let op = match op {
                    BinOp::Add => Bin::Add,
                    BinOp::Sub => Bin::Sub,
                    BinOp::Mul => Bin::Mul,
                    BinOp::Div => Bin::Div,
                    BinOp::Pow => Bin::Pow,
                };
                g.bin(op, a, b)
            }
            Expr::Call(f, args) => {
                let a: Vec<NodeId> = args.iter().map(|x| self.expr(g, x)).collect();
                let un = match f {
                    Func::Exp => Un::Exp,
                    Func::Log => Un::Log,
                    Func::Sqrt => Un::Sqrt,
                    Func::Abs => Un::Abs,
                    Func::Tanh => Un::Tanh,
                    Func::Sin => Un::Sin,
                    Func::Cos => Un::Cos,
                    Func::Sigmoid => Un::Sigmoid,
                    Func::Exprel => Un::Exprel,
                    Func::Heaviside => Un::Heaviside,
                    // The parser checked that these have two arguments.
                    Func::Pow => return g.bin(Bin::Pow, a[0], a[1]),
                    Func::Min => return g.bin(Bin::Min, a[0], a[1]),
                    Func::Max => return g.bin(Bin::Max, a[0], a[1]),
                };
                g.un(un, a[0])
            }
        }
    }

    fn sym(&mut self, g: &mut Graph, sym: Sym) -> NodeId {
        match sym {
            Sym::State(i) => self.states[i],
            Sym::Param(i) => g.input(self.slots.param(i) as u32),
            Sym::Time => self.time,
            Sym::Dt => g.input(self.slots.dt() as u32),
            Sym::Helper(i) => {
                if let Some(done) = self.helpers[i] {
                    return done;
                }
                let node = self.expr(g, &self.model.helpers[i].expr);
                self.helpers[i] = Some(node);
                node
            }
        }
    }

    /// All derivatives at the bound state.
    fn derivatives(&mut self, g: &mut Graph) -> Vec<NodeId> {
        let model = self.model;
        model.derivatives.iter().map(|d| self.expr(g, d)).collect()
    }
}

/// One whole step as graph outputs: the states after integration, refractory holds and resets,
/// and (for models that spike) a 0/1 spike flag. Order of operations: curriculum §0.3. A
/// synapse first applies its `on_post_spike` statements (for a postsynaptic spike in the last
/// step), then its `on_spike` ones before or after integrating, as the model says.
pub struct Step {
    pub states: Vec<NodeId>,
    pub spiked: Option<NodeId>,
}

pub fn whole_step(model: &Model, g: &mut Graph, method: Method) -> Step {
    let slots = Slots::of(model);
    let t = g.input(slots.time() as u32);
    let start: Vec<NodeId> = (0..slots.n_states)
        .map(|i| g.input(slots.state(i) as u32))
        .collect();
    let start = if model.on_post_spike.is_empty() {
        start
    } else {
        let spiked = g.input(slots.post_spiked() as u32);
        apply(model, g, &model.on_post_spike, spiked, start)
    };
    let arrived = slots.has_arrivals.then(|| g.input(slots.arrivals() as u32));
    let start = match arrived {
        Some(arrived) if model.on_spike_before => apply(model, g, &model.on_spike, arrived, start),
        _ => start,
    };
    let (start, held) = advance_leading(model, g, method, start);
    let mut states = integrate(model, g, method, start, &held);
    if let Some(arrived) = arrived.filter(|_| !model.on_spike_before) {
        states = apply(model, g, &model.on_spike, arrived, states);
    }
    if let Some(r) = &model.refractory {
        // Refractory while t - t_last <= period (BrainPy's test, rounding included).
        let t_last = g.input(slots.t_last_spike() as u32);
        let since = g.sub(t, t_last);
        let period = Lowering::inputs(model, g).expr(g, &r.period_ms);
        let refractory = g.bin(Bin::AtLeast, period, since);
        for &s in &r.hold {
            let old = g.input(slots.state(s) as u32);
            states[s] = g.select(refractory, old, states[s]);
        }
    }
    let Some(spike) = &model.spike else {
        return Step {
            states,
            spiked: None,
        };
    };
    let mut after = Lowering::bound(model, states.clone(), t);
    let sides = |g: &mut Graph, at: &mut Lowering| (at.expr(g, &spike.lhs), at.expr(g, &spike.rhs));
    let (lhs, rhs) = sides(g, &mut after);
    let one = g.constant(1.0);
    let spiked = match spike.test {
        SpikeTest::AtLeast => g.bin(Bin::AtLeast, lhs, rhs),
        SpikeTest::Above => {
            let not_above = g.bin(Bin::AtLeast, rhs, lhs);
            g.sub(one, not_above)
        }
        SpikeTest::Crosses => {
            let mut at_start = Lowering::inputs(model, g);
            let (lhs0, rhs0) = sides(g, &mut at_start);
            let was_at_or_above = g.bin(Bin::AtLeast, lhs0, rhs0);
            let was_below = g.sub(one, was_at_or_above);
            let is_at_or_above = g.bin(Bin::AtLeast, lhs, rhs);
            g.mul(was_below, is_at_or_above)
        }
    };
    // Every reset's right-hand side sees the state before any reset.
    let mut reset = states.clone();
    for r in &model.resets {
        let value = after.expr(g, &r.expr);
        let value = match r.op {
            ResetOp::Set => value,
            ResetOp::Add => g.add(states[r.state], value),
        };
        reset[r.state] = g.select(spiked, value, states[r.state]);
    }
    Step {
        states: reset,
        spiked: Some(spiked),
    }
}

/// `states` after `statements` (a synapse's `on_spike` or `on_post_spike`), run in order where
/// `event` is 1 (each sees the earlier statements' results; `old(x)` is the step's starting
/// value).
fn apply(
    model: &Model,
    g: &mut Graph,
    statements: &[Reset],
    event: NodeId,
    states: Vec<NodeId>,
) -> Vec<NodeId> {
    let t = g.input(Slots::of(model).time() as u32);
    let mut current = states.clone();
    for r in statements {
        let value = Lowering::bound(model, current.clone(), t).expr(g, &r.expr);
        current[r.state] = match r.op {
            ResetOp::Set => value,
            ResetOp::Add => g.add(current[r.state], value),
        };
    }
    states
        .iter()
        .zip(current)
        .map(|(&kept, jumped)| g.select(event, jumped, kept))
        .collect()
}

/// The synapses fused into the model (`Model::leading`) advanced one step, with the spikes that
/// arrive in it, and which states are theirs: the rest of the step reads their new values, held.
fn advance_leading(
    model: &Model,
    g: &mut Graph,
    method: Method,
    start: Vec<NodeId>,
) -> (Vec<NodeId>, Vec<bool>) {
    let mut held = vec![false; start.len()];
    if model.leading.is_empty() {
        return (start, held);
    }
    let t = g.input(Slots::of(model).time() as u32);
    let jump = |g: &mut Graph, leading: &Leading, mut states: Vec<NodeId>| {
        let count = g.input(Slots::of(model).param(leading.count) as u32);
        for (state, amount) in &leading.jumps {
            let amount = Lowering::bound(model, states.clone(), t).expr(g, amount);
            let added = g.mul(count, amount);
            states[*state] = g.add(states[*state], added);
        }
        states
    };
    let mut states = start;
    for leading in model.leading.iter().filter(|l| l.jump_before) {
        states = jump(g, leading, states);
    }
    // Their equations read only their own states, so advancing everything and keeping theirs
    // advances them alone.
    let advanced = integrate(model, g, method, states.clone(), &held);
    for leading in &model.leading {
        for &s in &leading.states {
            states[s] = advanced[s];
            held[s] = true;
        }
    }
    for leading in model.leading.iter().filter(|l| !l.jump_before) {
        states = jump(g, leading, states);
    }
    (states, held)
}

/// The new value of every state after one integration step of `method` from `x`; the states
/// marked in `held` keep their value through the step (every stage reads it).
fn integrate(
    model: &Model,
    g: &mut Graph,
    method: Method,
    x: Vec<NodeId>,
    held: &[bool],
) -> Vec<NodeId> {
    let slots = Slots::of(model);
    let t = g.input(slots.time() as u32);
    let dt = g.input(slots.dt() as u32);
    let f = |g: &mut Graph, states: Vec<NodeId>, time: NodeId| {
        Lowering::bound(model, states, time).derivatives(g)
    };
    // x + h * k, component-wise
    let advance = |g: &mut Graph, h: NodeId, k: &[NodeId]| -> Vec<NodeId> {
        x.iter()
            .zip(k)
            .zip(held)
            .map(|((&xi, &ki), &keep)| {
                if keep {
                    return xi;
                }
                let dx = g.mul(h, ki);
                g.add(xi, dx)
            })
            .collect()
    };
    match method {
        Method::Euler => {
            let k1 = f(g, x.clone(), t);
            advance(g, dt, &k1)
        }
        Method::Rk2 => {
            // Heun: average the slopes at the start and at the Euler prediction.
            let k1 = f(g, x.clone(), t);
            let x1 = advance(g, dt, &k1);
            let t1 = g.add(t, dt);
            let k2 = f(g, x1, t1);
            let half = g.constant(0.5);
            let h = g.mul(half, dt);
            let sum: Vec<NodeId> = k1.iter().zip(&k2).map(|(&a, &b)| g.add(a, b)).collect();
            advance(g, h, &sum)
        }
        Method::Rk4 => {
            let half = g.constant(0.5);
            let h2 = g.mul(half, dt);
            let t_mid = g.add(t, h2);
            let t_end = g.add(t, dt);
            let k1 = f(g, x.clone(), t);
            let x2 = advance(g, h2, &k1);
            let k2 = f(g, x2, t_mid);
            let x3 = advance(g, h2, &k2);
            let k3 = f(g, x3, t_mid);
            let x4 = advance(g, dt, &k3);
            let k4 = f(g, x4, t_end);
            let two = g.constant(2.0);
            let sixth = g.constant(1.0 / 6.0);
            let h6 = g.mul(sixth, dt);
            let weighted: Vec<NodeId> = (0..x.len())
                .map(|i| {
                    let mid = g.add(k2[i], k3[i]);
                    let mid2 = g.mul(two, mid);
                    let ends = g.add(k1[i], k4[i]);
                    g.add(ends, mid2)
                })
                .collect();
            advance(g, h6, &weighted)
        }
        Method::ExpEuler => {
            // Per equation: x + dt * exprel(dt * L) * f with L = df/dx, the other states held
            // (BrainPy's exp_auto on a JointEq, in its order of operations).
            let fs = f(g, x.clone(), t);
            fs.iter()
                .zip(&x)
                .zip(held)
                .map(|((&fi, &xi), &keep)| {
                    if keep {
                        return xi;
                    }
                    let linear = diff::derivative(g, fi, xi);
                    let z = g.mul(dt, linear);
                    let phi = g.un(Un::Exprel, z);
                    let gain = g.mul(dt, phi);
                    let dx = g.mul(gain, fi);
                    g.add(xi, dx)
                })
                .collect()
        }
    }
}
