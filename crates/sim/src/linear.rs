//! Which synapse models may keep one state per postsynaptic neuron instead of one per connection
//! (BrainPy's `ProjAlignPost`). That is exact when the synapse is *superposable*: the sum of the
//! states of all synapses onto a neuron evolves exactly as one synapse receiving all of their
//! spikes. It holds when
//! - every equation is linear and homogeneous in the states (`dg/dt = -g/tau`, a dual exponential's
//!   pair), so any of the integrators maps a sum of states to the sum of the results;
//! - every `on_spike` statement adds an amount that reads no state (`g += g_max`), so `k` spikes
//!   arriving together add `k` times that amount;
//! - the model has no spike test, resets, refractory period or `on_post_spike` statements.
//!
//! The decision is made on the equations' form, conservatively: a model this module cannot show
//! to be linear keeps the per-connection form.

use crate::ir::{BinOp, Expr, Model, ResetOp, Sym};

/// How an expression depends on the model's states.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// Exactly zero.
    Zero,
    /// Reads no state.
    Free,
    /// Linear and homogeneous in the states (no state-free term added).
    Linear,
    /// Anything else, including affine and products of states.
    Other,
}

fn form(model: &Model, e: &Expr) -> Form {
    use Form::*;
    match e {
        Expr::Num(v) if *v == 0.0 => Zero,
        Expr::Num(_) => Free,
        Expr::Sym(Sym::State(_)) => Linear,
        Expr::Sym(Sym::Helper(h)) => form(model, &model.helpers[*h].expr),
        Expr::Sym(_) => Free,
        Expr::Old(_) => Other,
        Expr::Neg(a) => form(model, a),
        Expr::Bin(op, a, b) => {
            let (a, b) = (form(model, a), form(model, b));
            match op {
                BinOp::Add | BinOp::Sub => match (a, b) {
                    (Zero, x) | (x, Zero) => x,
                    (Free, Free) => Free,
                    (Linear, Linear) => Linear,
                    _ => Other,
                },
                BinOp::Mul => match (a, b) {
                    (Zero, _) | (_, Zero) => Zero,
                    (Free, x) | (x, Free) => x,
                    _ => Other,
                },
                BinOp::Div => match (a, b) {
                    (x, Free) => x,
                    _ => Other,
                },
                BinOp::Pow => match (a, b) {
                    (Free | Zero, Free | Zero) => Free,
                    _ => Other,
                },
            }
        }
        Expr::Call(_, args) => {
            if args.iter().all(|a| matches!(form(model, a), Zero | Free)) {
                Free
            } else {
                Other
            }
        }
    }
}

/// Whether every `on_spike` statement adds an amount that reads no state: then `k` spikes
/// arriving in one step may be applied as one addition of `k` times the amount.
fn additive_jumps(model: &Model) -> bool {
    model
        .on_spike
        .iter()
        .all(|r| r.op == ResetOp::Add && matches!(form(model, &r.expr), Form::Zero | Form::Free))
}

/// `Ok` if `model` is superposable (module documentation), else why not.
pub fn superposable(model: &Model) -> Result<(), String> {
    if model.spike.is_some() || !model.resets.is_empty() || model.refractory.is_some() {
        return Err(format!("{} spikes or resets", model.id));
    }
    if !model.on_post_spike.is_empty() {
        return Err(format!("{} reacts to postsynaptic spikes", model.id));
    }
    if !additive_jumps(model) {
        return Err(format!(
            "an `on_spike` statement of {} is not an addition independent of its states",
            model.id
        ));
    }
    for (state, d) in model.states.iter().zip(&model.derivatives) {
        if !matches!(form(model, d), Form::Zero | Form::Linear) {
            return Err(format!(
                "d{}/dt of {} is not linear in its states",
                state.name, model.id
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library;

    /// The library's synapses that are superposable, and those that are not (kinetic, with a
    /// saturating or state-dependent jump, or plastic).
    #[test]
    fn library_synapses_are_classified_by_their_equations() {
        let check = |id: &str, expected: bool| {
            let model = library::get(id).unwrap();
            assert_eq!(
                superposable(&model).is_ok(),
                expected,
                "{id}: {:?}",
                superposable(&model)
            );
        };
        for id in ["expon", "expon_cuba", "dual_expon", "alpha"] {
            check(id, true);
        }
        for id in ["ampa", "gaba_a", "nmda", "stp", "stdp", "lif", "hh"] {
            check(id, false);
        }
    }

    fn model(text: &str) -> Model {
        let head = "model m\nmethod exp_euler\nparam tau = 5 ms in [1, 10] \"t\" \"t\"\nparam w = 1 1 in [0, 2] \"t\" \"t\"\n";
        crate::parse_model(&format!("{head}{text}")).unwrap()
    }

    #[test]
    fn affine_products_and_state_dependent_jumps_are_not_superposable() {
        let cases = [
            (
                "state g = 0 1 \"g\" \"g\"\ndg/dt = -g / tau\non_spike g += w\n",
                true,
            ),
            (
                "state g = 0 1 \"g\" \"g\"\ndg/dt = (1 - g) / tau\non_spike g += w\n",
                false,
            ),
            (
                "state g = 0 1 \"g\" \"g\"\ndg/dt = -g * g / tau\non_spike g += w\n",
                false,
            ),
            (
                "state g = 0 1 \"g\" \"g\"\ndg/dt = -g / tau\non_spike g += w * (1 - g)\n",
                false,
            ),
            (
                "state g = 0 1 \"g\" \"g\"\ndg/dt = -g / tau\non_spike g = w\n",
                false,
            ),
            (
                "state g = 0 1 \"g\" \"g\"\ndg/dt = -exp(g) / tau\non_spike g += w\n",
                false,
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(superposable(&model(text)).is_ok(), expected, "{text}");
        }
    }
}
