//! A model as a `brainpy.dyn.NeuDyn` class: parameters as constructor arguments (one value or
//! one per neuron), states as variables, one derivative method per state integrated together
//! with `bp.odeint(bp.JointEq(...))`, and an `update` that follows the model language's step
//! (docs/model-language.md, curriculum §0.3): integrate, hold the refractory, test for a
//! spike, reset.

use std::fmt::Write;

use brainplay_sim::display::{number, spell};
use brainplay_sim::ir::{Expr, Method, Model, ResetOp, SpikeTest, Sym};

use super::names::{text, Names, Python, States, FUNCTIONS};

/// BrainPy's name for each method. The model language's `rk2` is Heun's method, which BrainPy
/// calls `heun2` (its `rk2` is a different second-order scheme, with beta = 2/3).
pub fn method_name(method: Method) -> &'static str {
    match method {
        Method::Euler => "euler",
        Method::Rk2 => "heun2",
        Method::Rk4 => "rk4",
        Method::ExpEuler => "exp_auto",
    }
}

/// The class's Python name: the model id in CamelCase, short ids (`hh`, `lif`) in capitals.
pub fn class_name(model: &Model) -> String {
    if model.id.len() <= 3 {
        return model.id.to_uppercase();
    }
    model
        .id
        .split('_')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or(String::new(), |c| {
                c.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// Why a model cannot be exported as a neuron class, if it cannot.
pub fn unsupported(model: &Model) -> Option<brainplay_sim::Message> {
    let id = &model.id;
    if !model.on_spike.is_empty() || model.output.is_some() {
        return Some(brainplay_sim::msg!(
            "`{id}` is a synapse; the export writes neuron and rate models",
            "`{id}` 是突触；导出只能生成神经元和发放率模型"
        ));
    }
    if !model.leading.is_empty() {
        return Some(brainplay_sim::msg!(
            "`{id}` has synapses fused into it, which the export does not write",
            "`{id}` 融合了突触，导出还不能生成这种模型"
        ));
    }
    None
}

/// The helpers that `exprs` need, directly or through other helpers, in evaluation order.
fn helpers_needed(model: &Model, exprs: &[&Expr]) -> Vec<usize> {
    let mut needed = vec![false; model.helpers.len()];
    let mut stack: Vec<usize> = Vec::new();
    let visit = |e: &Expr, stack: &mut Vec<usize>| {
        e.for_each_sym(&mut |s| {
            if let Sym::Helper(h) = s {
                stack.push(h);
            }
        })
    };
    for e in exprs {
        visit(e, &mut stack);
    }
    while let Some(h) = stack.pop() {
        if !needed[h] {
            needed[h] = true;
            visit(&model.helpers[h].expr, &mut stack);
        }
    }
    model
        .helper_order
        .iter()
        .copied()
        .filter(|&h| needed[h])
        .collect()
}

/// Whether `expr` or a helper it needs mentions `sym`.
pub fn mentions(model: &Model, expr: &Expr, sym: Sym) -> bool {
    let mut found = false;
    let mut check = |e: &Expr| e.for_each_sym(&mut |s| found |= s == sym);
    check(expr);
    for h in helpers_needed(model, &[expr]) {
        check(&model.helpers[h].expr);
    }
    found
}

/// Calls of the functions the script defines itself, so that their definitions are written.
pub fn functions_used(model: &Model) -> Vec<&'static str> {
    fn calls(e: &Expr, found: &mut Vec<brainplay_sim::ir::Func>) {
        match e {
            Expr::Call(f, args) => {
                found.push(*f);
                args.iter().for_each(|a| calls(a, found));
            }
            Expr::Neg(a) => calls(a, found),
            Expr::Bin(_, a, b) => {
                calls(a, found);
                calls(b, found);
            }
            Expr::Num(_) | Expr::Sym(_) | Expr::Old(_) => {}
        }
    }
    let mut found = Vec::new();
    let mut all: Vec<&Expr> = model.derivatives.iter().collect();
    all.extend(model.helpers.iter().map(|h| &h.expr));
    all.extend(model.states.iter().map(|s| &s.init));
    all.extend(model.resets.iter().map(|r| &r.expr));
    if let Some(s) = &model.spike {
        all.extend([&s.lhs, &s.rhs]);
    }
    if let Some(r) = &model.refractory {
        all.push(&r.period_ms);
    }
    for e in all {
        calls(e, &mut found);
    }
    FUNCTIONS
        .iter()
        .filter(|(f, _)| found.contains(f))
        .map(|(_, text)| *text)
        .collect()
}

/// The class, with `recorded` (helpers and parameters besides the states) kept as variables
/// after every step so that a monitor can read them.
pub fn class(model: &Model, method: Method, recorded: &[Sym]) -> String {
    let names = Names::of(model);
    let mut out = String::new();
    write_class(&mut out, model, &names, method, recorded)
        .expect("writing to a String cannot fail");
    out
}

fn write_class(
    out: &mut String,
    m: &Model,
    names: &Names,
    method: Method,
    recorded: &[Sym],
) -> std::fmt::Result {
    let local = Python {
        model: m,
        names,
        states: States::Local,
        helpers_defined: false,
    };
    let stored = Python {
        states: States::Stored,
        ..local
    };
    writeln!(out, "class {}(bp.dyn.NeuDyn):", class_name(m))?;
    writeln!(out, "    \"\"\"{} ({}).", text(&m.title_en), m.id)?;
    if !m.reference.is_empty() {
        writeln!(out, "\n    {}", text(&m.reference))?;
    }
    writeln!(out, "    \"\"\"\n")?;

    // Constructor: parameters with their defaults, then the states' initial values, each of
    // which may use the parameters and the earlier states (given or computed).
    let params: Vec<String> = m
        .params
        .iter()
        .zip(&names.params)
        .map(|(p, name)| format!("{name}={}", number(p.default)))
        .collect();
    writeln!(
        out,
        "    def __init__(self, size, {}, initial=None):",
        params.join(", ")
    )?;
    writeln!(out, "        super().__init__(size=size)")?;
    for (p, name) in m.params.iter().zip(&names.params) {
        let unit = if p.unit == "1" {
            String::new()
        } else {
            format!(" ({})", text(&p.unit))
        };
        writeln!(
            out,
            "        self.{name} = {name}  # {}{unit}",
            text(&p.description_en)
        )?;
    }
    writeln!(out, "        initial = initial or {{}}")?;
    for (s, name) in m.states.iter().zip(&names.states) {
        writeln!(
            out,
            "        {name} = initial.get('{name}', {})",
            spell(&local, &s.init)
        )?;
        writeln!(
            out,
            "        self.{name} = bm.Variable(bm.ones(self.varshape) * {name})  # {}",
            text(&s.description_en)
        )?;
    }
    for &sym in recorded {
        writeln!(
            out,
            "        self.{} = bm.Variable(bm.zeros(self.varshape))  # recorded",
            recorded_attribute(m, names, sym)
        )?;
    }
    if m.spike.is_some() {
        writeln!(
            out,
            "        self.spike = bm.Variable(bm.zeros(self.varshape, dtype=bool))"
        )?;
    }
    if m.refractory.is_some() {
        writeln!(
            out,
            "        self.t_last_spike = bm.Variable(bm.ones(self.varshape) * -1e7)"
        )?;
    }
    let derivatives: Vec<String> = names.states.iter().map(|s| format!("self.d{s}")).collect();
    let joint = match derivatives.as_slice() {
        [one] => one.clone(),
        many => format!("bp.JointEq({})", many.join(", ")),
    };
    writeln!(
        out,
        "        self.integral = bp.odeint({joint}, method='{}')",
        method_name(method)
    )?;

    // One method per derivative: its own state first, then t, then what else it reads.
    let input = m.input.map(Sym::Param);
    for (i, derivative) in m.derivatives.iter().enumerate() {
        let mut args = vec![names.states[i].clone(), "t".to_string()];
        for (j, name) in names.states.iter().enumerate() {
            if j != i && mentions(m, derivative, Sym::State(j)) {
                args.push(name.clone());
            }
        }
        if let Some(p) = input.filter(|&p| mentions(m, derivative, p)) {
            args.push(spell(&local, &Expr::Sym(p)));
        }
        writeln!(
            out,
            "\n    def d{}(self, {}):",
            names.states[i],
            args.join(", ")
        )?;
        if mentions(m, derivative, Sym::Dt) {
            writeln!(out, "        dt = bm.get_dt()")?;
        }
        let with_helpers = Python {
            helpers_defined: true,
            ..local
        };
        for h in helpers_needed(m, &[derivative]) {
            writeln!(
                out,
                "        {} = {}",
                names.helpers[h],
                spell(&with_helpers, &m.helpers[h].expr)
            )?;
        }
        writeln!(out, "        return {}", spell(&with_helpers, derivative))?;
    }

    // The step.
    let states = names.states.join(", ");
    let stored_states: Vec<String> = names
        .states
        .iter()
        .map(|s| format!("self.{s}.value"))
        .collect();
    writeln!(out, "\n    def update(self, x=0.0):")?;
    writeln!(out, "        t = bp.share['t']")?;
    writeln!(out, "        dt = bp.share['dt']")?;
    let mut call_args = stored_states.clone();
    call_args.push("t".into());
    if let Some(p) = m.input {
        let name = &names.params[p];
        writeln!(
            out,
            "        {name} = self.{name} + x  # the input protocol adds to `{name}`"
        )?;
        if m.derivatives.iter().any(|d| mentions(m, d, Sym::Param(p))) {
            call_args.push(format!("{name}={name}"));
        }
    }
    call_args.push("dt=dt".into());
    // One equation integrates to one array, a `JointEq` to a tuple.
    writeln!(
        out,
        "        {states} = self.integral({})",
        call_args.join(", ")
    )?;
    if let Some(r) = &m.refractory {
        writeln!(
            out,
            "        refractory = (t - self.t_last_spike.value) <= {}",
            spell(&stored, &r.period_ms)
        )?;
        for &s in &r.hold {
            let name = &names.states[s];
            writeln!(
                out,
                "        {name} = bm.where(refractory, self.{name}.value, {name})"
            )?;
        }
    }
    if let Some(spike) = &m.spike {
        let (lhs, rhs) = (spell(&local, &spike.lhs), spell(&local, &spike.rhs));
        let test = match spike.test {
            SpikeTest::AtLeast => format!("{lhs} >= {rhs}"),
            SpikeTest::Above => format!("{lhs} > {rhs}"),
            SpikeTest::Crosses => format!(
                "bm.logical_and({} < {}, {lhs} >= {rhs})",
                spell(&stored, &spike.lhs),
                spell(&stored, &spike.rhs)
            ),
        };
        writeln!(out, "        spike = {test}")?;
        if !m.resets.is_empty() {
            // A tuple assignment: every right-hand side sees the state before the reset.
            let targets: Vec<&str> = m
                .resets
                .iter()
                .map(|r| names.states[r.state].as_str())
                .collect();
            let values: Vec<String> = m
                .resets
                .iter()
                .map(|r| {
                    let name = &names.states[r.state];
                    let value = spell(&local, &r.expr);
                    let value = match r.op {
                        ResetOp::Set => value,
                        ResetOp::Add => format!("{name} + {value}"),
                    };
                    format!("bm.where(spike, {value}, {name})")
                })
                .collect();
            writeln!(
                out,
                "        {} = {}",
                targets.join(", "),
                values.join(", ")
            )?;
        }
        if m.refractory.is_some() {
            writeln!(
                out,
                "        self.t_last_spike.value = bm.where(spike, t, self.t_last_spike.value)"
            )?;
        }
        writeln!(out, "        self.spike.value = spike")?;
    }
    for name in &names.states {
        writeln!(out, "        self.{name}.value = {name}")?;
    }
    for &sym in recorded {
        writeln!(
            out,
            "        self.{}.value = bm.ones(self.varshape) * {}",
            recorded_attribute(m, names, sym),
            spell(&local, &Expr::Sym(sym))
        )?;
    }
    Ok(())
}

/// The attribute a recorded helper or parameter is kept in: a helper under its own name, a
/// parameter (whose own attribute holds its set value) with `_now` (its value in the step,
/// input included).
pub fn recorded_attribute(model: &Model, names: &Names, sym: Sym) -> String {
    match sym {
        Sym::State(i) => names.states[i].clone(),
        Sym::Helper(i) => names.helpers[i].clone(),
        Sym::Param(i) => format!("{}_now", names.params[i]),
        Sym::Time | Sym::Dt => model.sym_name(sym).to_string(),
    }
}
