//! A model's vector field and Jacobian at many points at once, for phase-plane analysis: the
//! derivatives of every state and the partial derivatives `∂f_i/∂x_j` over chosen state
//! variables, compiled once (symbolically differentiated, like exponential Euler's
//! linearisation) and evaluated with one lane per point.

use crate::diff;
use crate::graph::Graph;
use crate::ir::Model;
use crate::lower::{Lowering, Slots};
use crate::msg;
use crate::program::{Program, SlotKind};
use crate::simulation::SetupError;

pub struct VectorField {
    program: Program,
    slots: Slots,
    /// Indices of the state variables that span the space.
    vars: Vec<usize>,
    n_states: usize,
}

impl VectorField {
    /// The field of `model` over the states named in `vars` at up to `lanes` points per call;
    /// parameters take their defaults except `params`, other states are held at `held` (or
    /// their initial values).
    pub fn new(
        model: &Model,
        vars: &[&str],
        params: &[(&str, f64)],
        held: &[(&str, f64)],
        lanes: usize,
    ) -> Result<VectorField, SetupError> {
        let slots = Slots::of(model);
        let index = |name: &str| {
            model.state_index(name).ok_or_else(|| {
                SetupError::new(msg!(
                    "`{name}` is not a state of {}",
                    "`{name}` 不是 {} 的状态变量",
                    model.id
                ))
            })
        };
        let vars = vars
            .iter()
            .map(|v| index(v))
            .collect::<Result<Vec<_>, _>>()?;
        if vars.is_empty() || lanes == 0 {
            return Err(SetupError(msg!(
                "a vector field needs a variable and a point",
                "向量场至少需要一个变量和一个点"
            )));
        }
        let mut g = Graph::default();
        let mut lowering = Lowering::inputs(model, &mut g);
        let f: Vec<u32> = model
            .derivatives
            .iter()
            .map(|d| lowering.expr(&mut g, d))
            .collect();
        let mut outputs = f.clone();
        for &i in &vars {
            for &j in &vars {
                let xj = g.input(slots.state(j) as u32);
                outputs.push(diff::derivative(&mut g, f[i], xj));
            }
        }
        let kinds = vec![
            SlotKind {
                varying: true,
                uniform: false
            };
            slots.count()
        ];
        let mut program = Program::compile(&g, &outputs, &kinds, lanes);
        for (i, p) in model.params.iter().enumerate() {
            let value = match params.iter().find(|(name, _)| *name == p.name) {
                Some((_, v)) => *v,
                None => p.default,
            };
            program.input_mut(slots.param(i)).fill(value);
        }
        for (name, _) in params {
            if model.param_index(name).is_none() {
                return Err(SetupError::new(msg!(
                    "`{name}` is not a parameter of {}",
                    "`{name}` 不是 {} 的参数",
                    model.id
                )));
            }
        }
        // Held states: their value from `held`, else their initial value at the defaults.
        let init = crate::simulation::initial_values(model, params)?;
        for (s, (state, initial)) in model.states.iter().zip(init).enumerate() {
            let value = match held.iter().find(|(name, _)| *name == state.name) {
                Some((_, v)) => *v,
                None => initial,
            };
            program.input_mut(slots.state(s)).fill(value);
        }
        program.set_uniform(slots.time(), 0.0);
        program.input_mut(slots.dt()).fill(0.1);
        program.run_prelude();
        Ok(VectorField {
            program,
            slots,
            vars,
            n_states: model.states.len(),
        })
    }

    /// Evaluates at the points `coords[k][lane]` (coordinate `k` of the `k`-th variable); lanes
    /// beyond the given points keep their previous values.
    pub fn eval(&mut self, coords: &[&[f64]]) {
        for (&var, values) in self.vars.iter().zip(coords) {
            let lanes = self.program.input_mut(self.slots.state(var));
            let n = values.len().min(lanes.len());
            lanes[..n].copy_from_slice(&values[..n]);
        }
        self.program.run_step();
    }

    /// `d x_k / dt` of the `k`-th variable at each point of the last `eval`.
    pub fn derivative(&self, k: usize) -> &[f64] {
        self.program.output(self.vars[k])
    }

    /// `∂f_i/∂x_j` for variables `i` and `j` (indices into `vars`) at each point.
    pub fn jacobian(&self, i: usize, j: usize) -> &[f64] {
        self.program.output(self.n_states + i * self.vars.len() + j)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library;

    #[test]
    fn fitzhugh_nagumo_field_and_jacobian_match_their_formulas() {
        let model = library::get("fhn").unwrap();
        let mut field = VectorField::new(&model, &["V", "w"], &[("I", 0.8)], &[], 3).unwrap();
        let v = [-1.0, 0.0, 1.5];
        let w = [0.5, -0.2, 1.0];
        field.eval(&[&v, &w]);
        for k in 0..3 {
            let dv = v[k] - v[k].powi(3) / 3.0 - w[k] + 0.8;
            let dw = (v[k] + 0.7 - 0.8 * w[k]) / 12.5;
            assert!((field.derivative(0)[k] - dv).abs() < 1e-12);
            assert!((field.derivative(1)[k] - dw).abs() < 1e-12);
            assert!((field.jacobian(0, 0)[k] - (1.0 - v[k] * v[k])).abs() < 1e-12);
            assert!((field.jacobian(0, 1)[k] + 1.0).abs() < 1e-12);
            assert!((field.jacobian(1, 0)[k] - 1.0 / 12.5).abs() < 1e-12);
            assert!((field.jacobian(1, 1)[k] + 0.8 / 12.5).abs() < 1e-12);
        }
    }

    #[test]
    fn unknown_names_are_errors() {
        let model = library::get("fhn").unwrap();
        assert!(VectorField::new(&model, &["X"], &[], &[], 1).is_err());
        assert!(VectorField::new(&model, &["V"], &[("Iext", 1.0)], &[], 1).is_err());
    }
}
