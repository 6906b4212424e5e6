//! A neuron driven by synapses, as one model. Each projection's synaptic current (the synapse
//! model's `output`) is added to the neuron's input parameter inside its equations. As in
//! BrainPy, the current is computed from the neuron's state at the start of the step and held
//! through it (the neuron's variables enter it as `old(…)`), so a conductance-based current does
//! not change exponential Euler's linearisation. In the composed model
//! - each synapse state the output reads becomes a parameter `<prefix>_<state>` that the network
//!   sets every step to the sum over the neuron's incoming synapses (exact for outputs linear in
//!   those states, which conductance-based, current-based and Mg-blocked outputs are);
//! - or, for a *fused* drive (a synapse kept per neuron, `linear`), every synapse state becomes a
//!   state `<prefix>_<state>` of the neuron with its own equation, advanced before the neuron's
//!   (`ir::Leading`), and a parameter `<prefix>_arrivals` that the network sets every step to the
//!   number of spikes arriving, each adding the synapse's `on_spike` amounts;
//! - each other synapse parameter it reads becomes a parameter `<prefix>_<param>`;
//! - each synapse parameter declared `post` becomes the neuron's variable of the same name
//!   (a state taken at the start of the step);
//! - the current itself is a helper `I_<prefix>`, so it can be recorded.

use crate::ir::{BinOp, Expr, Helper, Leading, Model, Param, Span, State, Sym};
use crate::msg;
use crate::simulation::SetupError;

/// One synapse model driving the neuron, under a prefix that keeps its names apart.
pub struct Drive<'a> {
    pub prefix: &'a str,
    pub synapse: &'a Model,
    /// Keep the synapse inside the neuron's model (it must be superposable, `linear`).
    pub fused: bool,
}

/// What composing added to the neuron for one drive.
#[derive(Clone, Debug, PartialEq)]
pub struct Added {
    /// (synapse state index, neuron parameter index): conductances set every step.
    pub states: Vec<(usize, usize)>,
    /// (synapse parameter index, neuron parameter index): copies of the synapse's parameters.
    pub params: Vec<(usize, usize)>,
    /// The helper computing the drive's current.
    pub current: String,
    /// A fused drive: the parameter counting arriving spikes, and (synapse state, neuron state).
    pub fused: Option<Fused>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Fused {
    pub count: usize,
    pub states: Vec<(usize, usize)>,
}

/// `neuron` with every drive's current added to its input parameter.
pub fn compose(neuron: &Model, drives: &[Drive]) -> Result<(Model, Vec<Added>), SetupError> {
    let input = neuron.input.ok_or_else(|| {
        SetupError::new(msg!(
            "{} has no input parameter for synapses to drive",
            "{} 没有可供突触驱动的输入参数",
            neuron.id
        ))
    })?;
    let mut model = neuron.clone();
    let mut added = Vec::new();
    let mut currents = Vec::new();
    for drive in drives {
        let (helper, info) = add_drive(&mut model, drive)?;
        currents.push(Expr::Sym(Sym::Helper(helper)));
        added.push(info);
    }
    // I → (I + I_a + I_b …) everywhere the neuron's equations read it.
    let driven = currents
        .into_iter()
        .fold(Expr::Sym(Sym::Param(input)), |sum, current| {
            Expr::Bin(BinOp::Add, Box::new(sum), Box::new(current))
        });
    let replace = |e: &Expr| substitute(e, &|s| (s == Sym::Param(input)).then(|| driven.clone()));
    let first_new = neuron.helpers.len();
    for h in &mut model.helpers[..first_new] {
        h.expr = replace(&h.expr);
    }
    for d in &mut model.derivatives {
        *d = replace(d);
    }
    // The currents read no other helper, so they can be evaluated first.
    model.helper_order = (first_new..model.helpers.len())
        .chain(neuron.helper_order.iter().copied())
        .collect();
    let prefixes: Vec<&str> = drives.iter().map(|d| d.prefix).collect();
    model.id = format!("{}+{}", neuron.id, prefixes.join("+"));
    Ok((model, added))
}

/// Adds one drive's parameters (and for a fused drive its states) and current helper to
/// `model`; returns the helper's index.
fn add_drive(model: &mut Model, drive: &Drive) -> Result<(usize, Added), SetupError> {
    let syn = drive.synapse;
    let output = syn.output.ok_or_else(|| {
        SetupError::new(msg!(
            "{} declares no `output`: it cannot drive a neuron",
            "{} 没有声明 `output`：它不能驱动神经元",
            syn.id
        ))
    })?;
    let mut names = Names {
        prefix: drive.prefix,
        syn,
        info: Added {
            states: Vec::new(),
            params: Vec::new(),
            current: format!("I_{}", drive.prefix),
            fused: None,
        },
        mapped: Vec::new(),
        error: None,
    };
    if drive.fused {
        let first = model.states.len();
        let mut states = Vec::new();
        for (i, s) in syn.states.iter().enumerate() {
            let name = names.unique(model, format!("{}_{}", drive.prefix, s.name));
            model.states.push(State {
                name,
                init: Expr::Num(0.0),
                span: Span::default(),
                ..s.clone()
            });
            names
                .mapped
                .push((Sym::State(i), Expr::Sym(Sym::State(first + i))));
            states.push((i, first + i));
        }
        for (i, s) in syn.states.iter().enumerate() {
            model.states[first + i].init = names.translate(model, &expand(syn, &s.init))?;
        }
        for d in &syn.derivatives {
            let d = names.translate(model, &expand(syn, d))?;
            model.derivatives.push(d);
        }
        let template = Param {
            name: String::new(),
            default: 0.0,
            unit: String::new(),
            min: 0.0,
            max: f64::INFINITY,
            description_en: "presynaptic spikes arriving in the step".into(),
            description_zh: "本步到达的突触前脉冲数".into(),
            span: Span::default(),
        };
        let name = names.unique(model, format!("{}_arrivals", drive.prefix));
        model.params.push(Param { name, ..template });
        let count = model.params.len() - 1;
        let mut jumps = Vec::new();
        for r in &syn.on_spike {
            jumps.push((
                first + r.state,
                names.translate(model, &expand(syn, &r.expr))?,
            ));
        }
        model.leading.push(Leading {
            states: (first..model.states.len()).collect(),
            count,
            jumps,
            jump_before: syn.on_spike_before,
        });
        names.info.fused = Some(Fused { count, states });
    }
    let expr = names.translate(model, &expand(syn, &Expr::Sym(output)))?;
    if model.helper_index(&names.info.current).is_some() {
        return Err(SetupError::new(msg!(
            "`{}` is already a name of {}; choose another prefix",
            "`{}` 已经是 {} 中的名称；请换一个前缀",
            names.info.current,
            model.id
        )));
    }
    model.helpers.push(Helper {
        name: names.info.current.clone(),
        expr,
        span: Span::default(),
    });
    Ok((model.helpers.len() - 1, names.info))
}

/// How a synapse's symbols read inside the neuron's model, built up as they are met.
struct Names<'a> {
    prefix: &'a str,
    syn: &'a Model,
    info: Added,
    mapped: Vec<(Sym, Expr)>,
    error: Option<SetupError>,
}

impl Names<'_> {
    /// `name`, refused (at the end) if the model already has it.
    fn unique(&mut self, model: &Model, name: String) -> String {
        if model.param_index(&name).is_some()
            || model.state_index(&name).is_some()
            || model.helper_index(&name).is_some()
        {
            self.error.get_or_insert(SetupError::new(msg!(
                "`{name}` is already a name of {}; choose another prefix",
                "`{name}` 已经是 {} 中的名称；请换一个前缀",
                model.id
            )));
        }
        name
    }

    fn new_param(&mut self, model: &mut Model, name: String, template: Param) -> usize {
        let name = self.unique(model, name);
        model.params.push(Param { name, ..template });
        model.params.len() - 1
    }

    /// `expr` (helpers expanded) with the synapse's symbols replaced by the model's.
    fn translate(&mut self, model: &mut Model, expr: &Expr) -> Result<Expr, SetupError> {
        let mut syms = Vec::new();
        expr.for_each_sym(&mut |s| {
            if !syms.contains(&s) {
                syms.push(s);
            }
        });
        for sym in syms {
            if self.mapped.iter().any(|(from, _)| *from == sym) {
                continue;
            }
            let syn = self.syn;
            let replacement = match sym {
                Sym::State(i) => {
                    let s = &syn.states[i];
                    let template = Param {
                        name: String::new(),
                        default: 0.0,
                        unit: s.unit.clone(),
                        min: f64::NEG_INFINITY,
                        max: f64::INFINITY,
                        description_en: format!("{} (summed over the synapses)", s.description_en),
                        description_zh: format!("{}（对所有突触求和）", s.description_zh),
                        span: Span::default(),
                    };
                    let name = format!("{}_{}", self.prefix, s.name);
                    let p = self.new_param(model, name, template);
                    self.info.states.push((i, p));
                    Expr::Sym(Sym::Param(p))
                }
                Sym::Param(j) if syn.post.contains(&j) => {
                    let name = &syn.params[j].name;
                    // A state is read at the start of the step and held (see `Expr::Old`).
                    match (model.state_index(name), model.param_index(name)) {
                        (Some(i), _) => Expr::Old(i),
                        (None, Some(p)) => Expr::Sym(Sym::Param(p)),
                        (None, None) => {
                            return Err(SetupError::new(msg!(
                                "{} reads the postsynaptic `{name}`, which {} does not have",
                                "{} 要读取突触后神经元的 `{name}`，但 {} 没有它",
                                syn.id,
                                model.id
                            )))
                        }
                    }
                }
                Sym::Param(j) => {
                    let template = syn.params[j].clone();
                    let name = format!("{}_{}", self.prefix, template.name);
                    let p = self.new_param(model, name, template);
                    self.info.params.push((j, p));
                    Expr::Sym(Sym::Param(p))
                }
                Sym::Time | Sym::Dt => Expr::Sym(sym),
                Sym::Helper(_) => unreachable!("`expand` inlined every helper"),
            };
            self.mapped.push((sym, replacement));
        }
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        let mapped = &self.mapped;
        Ok(substitute(expr, &|s| {
            mapped
                .iter()
                .find(|(from, _)| *from == s)
                .map(|(_, to)| to.clone())
        }))
    }
}

/// `expr` with every helper of `model` replaced by its definition.
fn expand(model: &Model, expr: &Expr) -> Expr {
    substitute(expr, &|s| match s {
        Sym::Helper(h) => Some(expand(model, &model.helpers[h].expr)),
        _ => None,
    })
}

/// `expr` with each symbol for which `with` gives an expression replaced by it.
fn substitute(expr: &Expr, with: &dyn Fn(Sym) -> Option<Expr>) -> Expr {
    match expr {
        Expr::Num(_) | Expr::Old(_) => expr.clone(),
        Expr::Sym(s) => with(*s).unwrap_or_else(|| expr.clone()),
        Expr::Neg(a) => Expr::Neg(Box::new(substitute(a, with))),
        Expr::Bin(op, a, b) => Expr::Bin(
            *op,
            Box::new(substitute(a, with)),
            Box::new(substitute(b, with)),
        ),
        Expr::Call(f, args) => Expr::Call(*f, args.iter().map(|a| substitute(a, with)).collect()),
    }
}
