//! The model IR: what the parser produces and every back end (CPU evaluation, MathML display,
//! WGSL kernels, BrainPy export) walks. Names are resolved to indices, so walking never needs a
//! symbol table; the names themselves stay on the declarations for display.

use std::fmt;

/// Built-in functions of the model language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Func {
    Exp,
    Log,
    Sqrt,
    Pow,
    Abs,
    Min,
    Max,
    Tanh,
    Sin,
    Cos,
    Sigmoid,
    Exprel,
    Heaviside,
}

impl Func {
    pub const ALL: [Func; 13] = [
        Func::Exp,
        Func::Log,
        Func::Sqrt,
        Func::Pow,
        Func::Abs,
        Func::Min,
        Func::Max,
        Func::Tanh,
        Func::Sin,
        Func::Cos,
        Func::Sigmoid,
        Func::Exprel,
        Func::Heaviside,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Func::Exp => "exp",
            Func::Log => "log",
            Func::Sqrt => "sqrt",
            Func::Pow => "pow",
            Func::Abs => "abs",
            Func::Min => "min",
            Func::Max => "max",
            Func::Tanh => "tanh",
            Func::Sin => "sin",
            Func::Cos => "cos",
            Func::Sigmoid => "sigmoid",
            Func::Exprel => "exprel",
            Func::Heaviside => "heaviside",
        }
    }

    pub fn from_name(name: &str) -> Option<Func> {
        Func::ALL.into_iter().find(|f| f.name() == name)
    }

    pub fn arity(self) -> usize {
        match self {
            Func::Pow | Func::Min | Func::Max => 2,
            _ => 1,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Pow => "^",
        }
    }

    /// Binding strength, for printing with the fewest parentheses.
    pub fn precedence(self) -> u8 {
        match self {
            BinOp::Add | BinOp::Sub => 1,
            BinOp::Mul | BinOp::Div => 2,
            BinOp::Pow => 4,
        }
    }
}

/// A resolved name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sym {
    State(usize),
    Param(usize),
    Helper(usize),
    /// Simulation time in ms.
    Time,
    /// The integration step in ms.
    Dt,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Num(f64),
    Sym(Sym),
    Neg(Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
    Call(Func, Vec<Expr>),
    /// `old(x)`: state `x` as it was at the start of the step, held through it. Model files
    /// write it in `on_spike` statements (which run after the step's integration); composing a
    /// synapse with a neuron reads the neuron's membrane potential this way, so the synaptic
    /// current is an input fixed for the step, as BrainPy computes it.
    Old(usize),
}

impl Expr {
    /// Calls `visit` on every symbol the expression mentions directly (helpers are not expanded).
    pub fn for_each_sym(&self, visit: &mut impl FnMut(Sym)) {
        match self {
            Expr::Num(_) => {}
            Expr::Sym(s) => visit(*s),
            Expr::Neg(e) => e.for_each_sym(visit),
            Expr::Bin(_, a, b) => {
                a.for_each_sym(visit);
                b.for_each_sym(visit);
            }
            Expr::Call(_, args) => args.iter().for_each(|a| a.for_each_sym(visit)),
            Expr::Old(i) => visit(Sym::State(*i)),
        }
    }

    /// Whether `old(…)` occurs anywhere in the expression.
    pub fn uses_old(&self) -> bool {
        match self {
            Expr::Num(_) | Expr::Sym(_) => false,
            Expr::Old(_) => true,
            Expr::Neg(e) => e.uses_old(),
            Expr::Bin(_, a, b) => a.uses_old() || b.uses_old(),
            Expr::Call(_, args) => args.iter().any(Expr::uses_old),
        }
    }
}

/// Integration methods (curriculum §0.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    Euler,
    Rk2,
    Rk4,
    ExpEuler,
}

impl Method {
    pub const ALL: [Method; 4] = [Method::Euler, Method::Rk2, Method::Rk4, Method::ExpEuler];

    pub fn name(self) -> &'static str {
        match self {
            Method::Euler => "euler",
            Method::Rk2 => "rk2",
            Method::Rk4 => "rk4",
            Method::ExpEuler => "exp_euler",
        }
    }

    /// Accepts the model language's names and BrainPy's aliases.
    pub fn from_name(name: &str) -> Option<Method> {
        match name {
            "euler" | "Euler" => Some(Method::Euler),
            "rk2" | "heun" => Some(Method::Rk2),
            "rk4" => Some(Method::Rk4),
            "exp_euler" | "exp_auto" | "exponential_euler" => Some(Method::ExpEuler),
            _ => None,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a declaration sits in the source, for error messages that refer back to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    pub line: usize,
    pub column: usize,
    pub length: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: String,
    pub default: f64,
    pub unit: String,
    pub min: f64,
    pub max: f64,
    pub description_en: String,
    pub description_zh: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub name: String,
    /// Initial value; may use parameters and earlier states.
    pub init: Expr,
    pub unit: String,
    pub description_en: String,
    pub description_zh: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Helper {
    pub name: String,
    pub expr: Expr,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpikeTest {
    /// `lhs >= rhs` after the step (BrainPy built-ins).
    AtLeast,
    /// `lhs > rhs` after the step (the course's hand-written models).
    Above,
    /// `lhs - rhs` goes from below zero to at least zero during the step (HH detectors).
    Crosses,
}

impl SpikeTest {
    /// How the model language writes the test: `spike V >= V_th`.
    pub fn keyword(self) -> &'static str {
        match self {
            SpikeTest::AtLeast => ">=",
            SpikeTest::Above => ">",
            SpikeTest::Crosses => "crosses",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Spike {
    pub test: SpikeTest,
    pub lhs: Expr,
    pub rhs: Expr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResetOp {
    Set,
    Add,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Reset {
    pub state: usize,
    pub op: ResetOp,
    pub expr: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Refractory {
    /// Refractory period in ms.
    pub period_ms: Expr,
    /// States that keep their pre-step values while refractory.
    pub hold: Vec<usize>,
}

/// A synapse fused into a neuron's model: its states, the parameter counting the presynaptic
/// spikes that arrive in a step, and what each spike adds, before or after the states advance.
#[derive(Clone, Debug, PartialEq)]
pub struct Leading {
    pub states: Vec<usize>,
    pub count: usize,
    /// (state, amount): `state += count * amount`; the amounts read no state.
    pub jumps: Vec<(usize, Expr)>,
    pub jump_before: bool,
}

/// A parsed, validated model.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub id: String,
    pub title_en: String,
    pub title_zh: String,
    pub reference: String,
    pub brainpy: String,
    pub method: Method,
    /// The parameter that input protocols add to.
    pub input: Option<usize>,
    pub params: Vec<Param>,
    pub states: Vec<State>,
    /// In source order; `helper_order` is an evaluation order (dependencies first).
    pub helpers: Vec<Helper>,
    pub helper_order: Vec<usize>,
    /// `derivatives[i]` is d(states[i])/dt.
    pub derivatives: Vec<Expr>,
    pub spike: Option<Spike>,
    pub resets: Vec<Reset>,
    pub refractory: Option<Refractory>,
    /// Synapses: what a presynaptic spike arriving in a step does, in order (each statement sees
    /// the earlier ones' results), after the step's integration unless `on_spike_before`.
    pub on_spike: Vec<Reset>,
    pub on_spike_before: bool,
    /// Synapses: what a spike of the postsynaptic neuron does, in order, at the start of the
    /// step after it (spike-timing-dependent plasticity).
    pub on_post_spike: Vec<Reset>,
    /// Synapses: the helper or state that is the current into the postsynaptic neuron.
    pub output: Option<Sym>,
    /// Synapses: parameters that take the value of the postsynaptic neuron's variable of the
    /// same name (its membrane potential `V`, say) when the synapse drives a neuron.
    pub post: Vec<usize>,
    /// Synapses kept per neuron inside a neuron's model (`compose::compose` with fused drives):
    /// their states advance first in each step, and the other equations read their new values,
    /// held through the step. Never written in model files.
    pub leading: Vec<Leading>,
    /// The text the model was parsed from.
    pub source: String,
}

impl Model {
    pub fn param_index(&self, name: &str) -> Option<usize> {
        self.params.iter().position(|p| p.name == name)
    }

    pub fn state_index(&self, name: &str) -> Option<usize> {
        self.states.iter().position(|s| s.name == name)
    }

    pub fn helper_index(&self, name: &str) -> Option<usize> {
        self.helpers.iter().position(|h| h.name == name)
    }

    /// The model with its source text and declaration spans cleared: what printing it back to
    /// text (`display::model_to_text`) and parsing that must preserve.
    pub fn without_layout(mut self) -> Model {
        self.source.clear();
        for p in &mut self.params {
            p.span = Span::default();
        }
        for s in &mut self.states {
            s.span = Span::default();
        }
        for h in &mut self.helpers {
            h.span = Span::default();
        }
        self
    }

    /// The display name of a symbol.
    pub fn sym_name(&self, sym: Sym) -> &str {
        match sym {
            Sym::State(i) => &self.states[i].name,
            Sym::Param(i) => &self.params[i].name,
            Sym::Helper(i) => &self.helpers[i].name,
            Sym::Time => "t",
            Sym::Dt => "dt",
        }
    }
}
