//! Adam (Kingma & Ba 2015), the optimiser of the course's training notebooks (BrainPy's
//! `optim.Adam`: β₁ 0.9, β₂ 0.999, ε 10⁻⁸), over one flat vector of parameters.

use num_traits::Float;

/// Adam's state for a vector of parameters.
#[derive(Clone, Debug)]
pub struct Adam<F> {
    pub learning_rate: f64,
    m: Vec<F>,
    v: Vec<F>,
    steps: i32,
}

const BETA1: f64 = 0.9;
const BETA2: f64 = 0.999;
const EPSILON: f64 = 1e-8;

impl<F: Float> Adam<F> {
    pub fn new(parameters: usize, learning_rate: f64) -> Adam<F> {
        Adam {
            learning_rate,
            m: vec![F::zero(); parameters],
            v: vec![F::zero(); parameters],
            steps: 0,
        }
    }

    /// The moments and the number of steps taken: with the parameters, all a run needs to
    /// continue exactly where it stopped (`restored`).
    pub fn state(&self) -> (&[F], &[F], i32) {
        (&self.m, &self.v, self.steps)
    }

    /// An optimiser in the `state` that another had, for `parameters` parameters; `None` when
    /// the moments do not have that length or the step count is negative.
    pub fn restored(
        parameters: usize,
        learning_rate: f64,
        (m, v, steps): (Vec<F>, Vec<F>, i32),
    ) -> Option<Adam<F>> {
        (m.len() == parameters && v.len() == parameters && steps >= 0).then_some(Adam {
            learning_rate,
            m,
            v,
            steps,
        })
    }

    /// One step against `gradient`: θ ← θ − lr·m̂/(√v̂ + ε) with the bias-corrected moments.
    pub fn step(&mut self, theta: &mut [F], gradient: &[F]) {
        self.steps += 1;
        let f = |x: f64| F::from(x).expect("a float");
        let (b1, b2) = (f(BETA1), f(BETA2));
        let step = f(self.learning_rate * (1.0 - BETA2.powi(self.steps)).sqrt()
            / (1.0 - BETA1.powi(self.steps)));
        // ε enters beside √v̂; with the correction folded into the step it scales with it.
        let epsilon = f(EPSILON * (1.0 - BETA2.powi(self.steps)).sqrt());
        for (((t, &g), m), v) in theta
            .iter_mut()
            .zip(gradient)
            .zip(&mut self.m)
            .zip(&mut self.v)
        {
            *m = b1 * *m + (F::one() - b1) * g;
            *v = b2 * *v + (F::one() - b2) * g * g;
            *t = *t - step * *m / (v.sqrt() + epsilon);
        }
    }
}
