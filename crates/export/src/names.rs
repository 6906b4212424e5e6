//! Python names for a model's states, parameters and helpers, and how expressions are spelled
//! in the exported script.

use std::collections::HashSet;
use std::fmt::{self, Write};

use brainplay_sim::display::Spelling;
use brainplay_sim::ir::{Func, Model, Sym};

/// Python's keywords and the names the script itself defines (modules, the step's locals),
/// which a state or helper (a local variable in the script) must not shadow.
const TAKEN_LOCALLY: &[&str] = &[
    "False",
    "None",
    "True",
    "and",
    "as",
    "assert",
    "async",
    "await",
    "break",
    "class",
    "continue",
    "def",
    "del",
    "elif",
    "else",
    "except",
    "finally",
    "for",
    "from",
    "global",
    "if",
    "import",
    "in",
    "is",
    "lambda",
    "nonlocal",
    "not",
    "or",
    "pass",
    "raise",
    "return",
    "try",
    "while",
    "with",
    "yield",
    "self",
    "t",
    "dt",
    "x",
    "bm",
    "bp",
    "np",
    "plt",
    "math",
    "sys",
    "json",
    "exprel",
    "spike",
    "refractory",
];

/// The public attributes of `brainpy.dyn.NeuDyn` in BrainPy 2.4.6 (read with `dir()`) and the
/// ones the exported class adds, which a parameter or recorded helper (an attribute) must not
/// replace.
const TAKEN_AS_ATTRIBUTE: &[&str] = &[
    "add_aft_update",
    "add_bef_update",
    "add_inp_fun",
    "after_updates",
    "before_updates",
    "clear_input",
    "cpu",
    "cuda",
    "cur_inputs",
    "get_aft_update",
    "get_batch_shape",
    "get_bef_update",
    "get_delay_data",
    "get_delay_var",
    "get_inp_fun",
    "get_local_delay",
    "has_aft_update",
    "has_bef_update",
    "implicit_nodes",
    "implicit_vars",
    "init_param",
    "init_variable",
    "jit_step_run",
    "keep_size",
    "load_state",
    "load_state_dict",
    "method",
    "mode",
    "name",
    "nodes",
    "num",
    "register_delay",
    "register_implicit_nodes",
    "register_implicit_vars",
    "register_local_delay",
    "reset",
    "reset_local_delays",
    "reset_state",
    "return_info",
    "save_state",
    "setattr",
    "sharding",
    "size",
    "state_dict",
    "step_run",
    "sum_inputs",
    "supported_modes",
    "to",
    "tpu",
    "tracing_variable",
    "train_vars",
    "tree_flatten",
    "tree_unflatten",
    "unique_name",
    "update",
    "update_local_delays",
    "vars",
    "varshape",
    "integral",
    "spike",
    "t_last_spike",
];

/// Every declared name's Python identifier: the model's own name, with `_` appended where it
/// would collide with Python, BrainPy or the script's own names.
pub struct Names {
    pub states: Vec<String>,
    pub params: Vec<String>,
    pub helpers: Vec<String>,
}

impl Names {
    pub fn of(model: &Model) -> Names {
        let declared: Vec<&str> = model
            .states
            .iter()
            .map(|s| s.name.as_str())
            .chain(model.params.iter().map(|p| p.name.as_str()))
            .chain(model.helpers.iter().map(|h| h.name.as_str()))
            .collect();
        // The derivative methods `d<state>` are attributes too.
        let derivatives: Vec<String> = model
            .states
            .iter()
            .map(|s| format!("d{}", s.name))
            .collect();
        let mut used: HashSet<String> = declared.iter().map(|s| s.to_string()).collect();
        let mut rename = |name: &str| -> String {
            let clashes = |n: &str| {
                TAKEN_LOCALLY.contains(&n)
                    || TAKEN_AS_ATTRIBUTE.contains(&n)
                    || derivatives.iter().any(|d| d == n)
            };
            if !clashes(name) {
                return name.to_string();
            }
            let mut new = format!("{name}_");
            while clashes(&new) || used.contains(&new) {
                new.push('_');
            }
            used.insert(new.clone());
            new
        };
        Names {
            states: model.states.iter().map(|s| rename(&s.name)).collect(),
            params: model.params.iter().map(|p| rename(&p.name)).collect(),
            helpers: model.helpers.iter().map(|h| rename(&h.name)).collect(),
        }
    }
}

/// Where the states' values are read from in an expression of the script.
#[derive(Clone, Copy)]
pub enum States {
    /// Local variables of the same name (a derivative's arguments, the step's new values).
    Local,
    /// The variables at the start of the step (`self.V.value`).
    Stored,
}

/// How an expression is spelled at one place of the script: parameters are attributes
/// (`self.gNa`) except the one the input drives, which is a local holding its value for the
/// step; helpers are locals where the function defines them, else written out in parentheses.
pub struct Python<'a> {
    pub model: &'a Model,
    pub names: &'a Names,
    pub states: States,
    pub helpers_defined: bool,
}

impl Spelling for Python<'_> {
    fn sym(&self, f: &mut dyn Write, sym: Sym) -> fmt::Result {
        match sym {
            Sym::State(i) => match self.states {
                States::Local => f.write_str(&self.names.states[i]),
                States::Stored => write!(f, "self.{}.value", self.names.states[i]),
            },
            Sym::Param(i) if self.model.input == Some(i) => f.write_str(&self.names.params[i]),
            Sym::Param(i) => write!(f, "self.{}", self.names.params[i]),
            Sym::Helper(i) if self.helpers_defined => f.write_str(&self.names.helpers[i]),
            Sym::Helper(i) => write!(
                f,
                "({})",
                brainplay_sim::display::spell(self, &self.model.helpers[i].expr)
            ),
            Sym::Time => f.write_str("t"),
            Sym::Dt => f.write_str("dt"),
        }
    }

    fn old(&self, f: &mut dyn Write, state: usize) -> fmt::Result {
        write!(f, "self.{}.value", self.names.states[state])
    }

    fn func(&self, func: Func) -> &str {
        match func {
            Func::Exp => "bm.exp",
            Func::Log => "bm.log",
            Func::Sqrt => "bm.sqrt",
            Func::Pow => "bm.power",
            Func::Abs => "bm.abs",
            Func::Min => "bm.minimum",
            Func::Max => "bm.maximum",
            Func::Tanh => "bm.tanh",
            Func::Sin => "bm.sin",
            Func::Cos => "bm.cos",
            Func::Sigmoid => "bm.sigmoid",
            // Not in brainpy.math: the script defines both (`FUNCTIONS`).
            Func::Exprel => "exprel",
            Func::Heaviside => "heaviside",
        }
    }

    fn power(&self) -> &str {
        " ** "
    }
}

/// The script's definitions of the functions `brainpy.math` lacks, by the model language's
/// definitions (docs/model-language.md). `exprel` keeps its gradient finite at 0, which
/// exponential Euler's autodiff needs.
pub const FUNCTIONS: &[(Func, &str)] = &[
    (
        Func::Exprel,
        "def exprel(x):\n    \"\"\"(e^x - 1) / x, and its limit 1 at x = 0.\"\"\"\n    safe = bm.where(x == 0, 1.0, x)\n    return bm.where(x == 0, 1.0, bm.expm1(safe) / safe)\n",
    ),
    (
        Func::Heaviside,
        "def heaviside(x):\n    \"\"\"1 where x >= 0, else 0.\"\"\"\n    return bm.where(x >= 0, 1.0, 0.0)\n",
    ),
];

/// Free text of a model or page (a title, a description, a unit) made safe to write in a
/// comment or a docstring: control characters become spaces (a carriage return would end a
/// comment and start a line of code), backslashes are doubled (`\N` would not compile, and one
/// before the closing quotes would escape them), and double quotes are escaped.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A Python string literal of `s` (single-quoted).
pub fn string_literal(s: &str) -> String {
    format!("'{}'", text(s).replace('\'', "\\'"))
}
