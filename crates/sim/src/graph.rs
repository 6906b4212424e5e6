//! A hash-consed expression graph. Every model expression, its symbolic derivatives and the
//! integrator's stages are built here, so equal subexpressions (a rate function used by both the
//! derivative and its linearisation) exist once and are computed once.

use std::collections::HashMap;

use crate::ops::{self, Bin, Un};

pub type NodeId = u32;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Node {
    /// A constant, stored as its bit pattern so nodes can be hashed.
    Const(u64),
    /// An input slot: a state, a parameter, the time or the step.
    Input(u32),
    Un(Un, NodeId),
    Bin(Bin, NodeId, NodeId),
    /// `if cond != 0 { a } else { b }`: refractory holds, spike resets.
    Select(NodeId, NodeId, NodeId),
}

#[derive(Default)]
pub struct Graph {
    nodes: Vec<Node>,
    index: HashMap<Node, NodeId>,
}

impl Graph {
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    fn intern(&mut self, node: Node) -> NodeId {
        if let Some(&id) = self.index.get(&node) {
            return id;
        }
        let id = self.nodes.len() as NodeId;
        self.nodes.push(node);
        self.index.insert(node, id);
        id
    }

    pub fn constant(&mut self, value: f64) -> NodeId {
        // -0.0 and 0.0 are the same number to every model; keep one node.
        let value = if value == 0.0 { 0.0 } else { value };
        self.intern(Node::Const(value.to_bits()))
    }

    pub fn input(&mut self, slot: u32) -> NodeId {
        self.intern(Node::Input(slot))
    }

    pub fn as_const(&self, id: NodeId) -> Option<f64> {
        match self.nodes[id as usize] {
            Node::Const(bits) => Some(f64::from_bits(bits)),
            _ => None,
        }
    }

    fn is(&self, id: NodeId, value: f64) -> bool {
        self.as_const(id) == Some(value)
    }

    pub fn un(&mut self, op: Un, a: NodeId) -> NodeId {
        if let Some(x) = self.as_const(a) {
            return self.constant(ops::un(op, x));
        }
        match (op, self.nodes[a as usize]) {
            (Un::Neg, Node::Un(Un::Neg, inner)) => inner,
            // -(x - y) = y - x exactly: IEEE rounding is symmetric in sign.
            (Un::Neg, Node::Bin(Bin::Sub, x, y)) => self.bin(Bin::Sub, y, x),
            (Un::Powi(1), _) => a,
            _ => self.intern(Node::Un(op, a)),
        }
    }

    pub fn bin(&mut self, op: Bin, a: NodeId, b: NodeId) -> NodeId {
        if let (Some(x), Some(y)) = (self.as_const(a), self.as_const(b)) {
            return self.constant(ops::bin(op, x, y));
        }
        match op {
            Bin::Add if self.is(a, 0.0) => b,
            Bin::Add | Bin::Sub if self.is(b, 0.0) => a,
            Bin::Sub if self.is(a, 0.0) => self.un(Un::Neg, b),
            // Sign changes move where they cost nothing; each rewrite is exact in IEEE
            // arithmetic, so results stay bit-identical to the expression as written.
            Bin::Add => match (self.nodes[a as usize], self.nodes[b as usize]) {
                (_, Node::Un(Un::Neg, inner)) => self.bin(Bin::Sub, a, inner),
                (Node::Un(Un::Neg, inner), _) => self.bin(Bin::Sub, b, inner),
                _ => self.intern(Node::Bin(op, a, b)),
            },
            Bin::Sub => match self.nodes[b as usize] {
                Node::Un(Un::Neg, inner) => self.bin(Bin::Add, a, inner),
                _ => self.intern(Node::Bin(op, a, b)),
            },
            // Zero times anything is zero here: derivatives of models are finite where used.
            Bin::Mul if self.is(a, 0.0) || self.is(b, 0.0) => self.constant(0.0),
            Bin::Mul if self.is(a, 1.0) => b,
            Bin::Mul | Bin::Div if self.is(b, 1.0) => a,
            Bin::Mul if self.is(a, -1.0) => self.un(Un::Neg, b),
            Bin::Mul if self.is(b, -1.0) => self.un(Un::Neg, a),
            Bin::Div if self.is(a, 0.0) => self.constant(0.0),
            Bin::Pow => match self.as_const(b) {
                Some(k) if k.fract() == 0.0 && k.abs() <= 64.0 => {
                    if k == 0.0 {
                        self.constant(1.0)
                    } else {
                        self.un(Un::Powi(k as i32), a)
                    }
                }
                _ => self.intern(Node::Bin(op, a, b)),
            },
            Bin::Mul | Bin::Div => match (self.nodes[a as usize], self.as_const(b)) {
                (Node::Un(Un::Neg, inner), Some(c)) => {
                    let minus_c = self.constant(-c);
                    self.bin(op, inner, minus_c)
                }
                _ => match (self.as_const(a), self.nodes[b as usize]) {
                    (Some(c), Node::Un(Un::Neg, inner)) if op == Bin::Mul => {
                        let minus_c = self.constant(-c);
                        self.bin(op, minus_c, inner)
                    }
                    _ => self.intern(Node::Bin(op, a, b)),
                },
            },
            _ => self.intern(Node::Bin(op, a, b)),
        }
    }

    pub fn select(&mut self, cond: NodeId, a: NodeId, b: NodeId) -> NodeId {
        match self.as_const(cond) {
            Some(c) if c != 0.0 => a,
            Some(_) => b,
            None if a == b => a,
            None => self.intern(Node::Select(cond, a, b)),
        }
    }

    pub fn add(&mut self, a: NodeId, b: NodeId) -> NodeId {
        self.bin(Bin::Add, a, b)
    }

    pub fn sub(&mut self, a: NodeId, b: NodeId) -> NodeId {
        self.bin(Bin::Sub, a, b)
    }

    pub fn mul(&mut self, a: NodeId, b: NodeId) -> NodeId {
        self.bin(Bin::Mul, a, b)
    }

    pub fn div(&mut self, a: NodeId, b: NodeId) -> NodeId {
        self.bin(Bin::Div, a, b)
    }

    pub fn neg(&mut self, a: NodeId) -> NodeId {
        self.un(Un::Neg, a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_subexpressions_share_a_node() {
        let mut g = Graph::default();
        let v = g.input(0);
        let c = g.constant(40.0);
        let a = g.add(v, c);
        let b = g.add(v, c);
        assert_eq!(a, b);
    }

    #[test]
    fn identities_and_constants_fold() {
        let mut g = Graph::default();
        let x = g.input(0);
        let zero = g.constant(0.0);
        let one = g.constant(1.0);
        let two = g.constant(2.0);
        let three = g.constant(3.0);
        assert_eq!(g.add(x, zero), x);
        assert_eq!(g.mul(one, x), x);
        assert_eq!(g.mul(x, zero), zero);
        let five = g.add(two, three);
        assert_eq!(g.as_const(five), Some(5.0));
        let nx = g.neg(x);
        assert_eq!(g.neg(nx), x);
        let cube = g.bin(Bin::Pow, x, three);
        assert_eq!(g.nodes()[cube as usize], Node::Un(Un::Powi(3), x));
    }
}
