//! Symbolic differentiation on the expression graph: exponential Euler needs each equation's
//! derivative with respect to its own variable (BrainPy obtains it by autodiff; the result is the
//! same function, built here once at compile time).

use std::collections::HashMap;

use crate::graph::{Graph, Node, NodeId};
use crate::ops::{Bin, Un};

/// `d node / d variable`, where `variable` is an `Input` node or the node a state is bound to
/// (a synapse's state after its `on_spike` jump, say); every input is held constant.
pub fn derivative(g: &mut Graph, node: NodeId, variable: NodeId) -> NodeId {
    let mut memo = HashMap::new();
    d(g, node, variable, &mut memo)
}

fn d(g: &mut Graph, node: NodeId, wrt: NodeId, memo: &mut HashMap<NodeId, NodeId>) -> NodeId {
    if node == wrt {
        return g.constant(1.0);
    }
    if let Some(&done) = memo.get(&node) {
        return done;
    }
    let result = match g.nodes()[node as usize] {
        Node::Const(_) | Node::Input(_) => g.constant(0.0),
        Node::Un(op, a) => {
            let da = d(g, a, wrt, memo);
            if g.as_const(da) == Some(0.0) {
                da
            } else {
                let outer = outer_derivative(g, op, a, node);
                g.mul(outer, da)
            }
        }
        Node::Bin(op, a, b) => {
            let da = d(g, a, wrt, memo);
            let db = d(g, b, wrt, memo);
            binary(g, op, node, (a, da), (b, db))
        }
        Node::Select(c, a, b) => {
            let da = d(g, a, wrt, memo);
            let db = d(g, b, wrt, memo);
            g.select(c, da, db)
        }
    };
    memo.insert(node, result);
    result
}

/// f'(a) for `node = f(a)`.
fn outer_derivative(g: &mut Graph, op: Un, a: NodeId, node: NodeId) -> NodeId {
    match op {
        Un::Neg => g.constant(-1.0),
        Un::Exp => node,
        Un::Log => {
            let one = g.constant(1.0);
            g.div(one, a)
        }
        Un::Sqrt => {
            let half = g.constant(0.5);
            g.div(half, node)
        }
        Un::Abs => g.un(Un::Sign, a),
        Un::Tanh => {
            let one = g.constant(1.0);
            let sq = g.mul(node, node);
            g.sub(one, sq)
        }
        Un::Sin => g.un(Un::Cos, a),
        Un::Cos => {
            let s = g.un(Un::Sin, a);
            g.neg(s)
        }
        Un::Sigmoid => {
            let one = g.constant(1.0);
            let rest = g.sub(one, node);
            g.mul(node, rest)
        }
        Un::Exprel => g.un(Un::ExprelPrime, a),
        // Only first derivatives are ever taken, and `ExprelPrime` appears only in them.
        Un::ExprelPrime => g.constant(f64::NAN),
        Un::Heaviside | Un::Sign | Un::Hold => g.constant(0.0),
        Un::Powi(k) => {
            let lower = g.un(Un::Powi(k - 1), a);
            let k = g.constant(k as f64);
            g.mul(k, lower)
        }
    }
}

fn binary(
    g: &mut Graph,
    op: Bin,
    node: NodeId,
    (a, da): (NodeId, NodeId),
    (b, db): (NodeId, NodeId),
) -> NodeId {
    match op {
        Bin::Add => g.add(da, db),
        Bin::Sub => g.sub(da, db),
        Bin::Mul => {
            let left = g.mul(da, b);
            let right = g.mul(a, db);
            g.add(left, right)
        }
        Bin::Div => {
            // (da - (a/b) db) / b
            let q_db = g.mul(node, db);
            let num = g.sub(da, q_db);
            g.div(num, b)
        }
        Bin::Pow => {
            // d(a^b) = b a^(b-1) da + a^b ln(a) db
            let one = g.constant(1.0);
            let b1 = g.sub(b, one);
            let lower = g.bin(Bin::Pow, a, b1);
            let coef = g.mul(b, lower);
            let left = g.mul(coef, da);
            if g.as_const(db) == Some(0.0) {
                left
            } else {
                let ln = g.un(Un::Log, a);
                let scaled = g.mul(node, ln);
                let right = g.mul(scaled, db);
                g.add(left, right)
            }
        }
        Bin::AtLeast => g.constant(0.0),
        Bin::Min | Bin::Max => {
            // The branch that is selected carries the derivative.
            let gap = if op == Bin::Min {
                g.sub(b, a)
            } else {
                g.sub(a, b)
            };
            let pick_a = g.un(Un::Heaviside, gap);
            let one = g.constant(1.0);
            let pick_b = g.sub(one, pick_a);
            let left = g.mul(pick_a, da);
            let right = g.mul(pick_b, db);
            g.add(left, right)
        }
    }
}
