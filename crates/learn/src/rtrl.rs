//! The course's scalar RNN trained by real-time recurrent learning (curriculum §13.2, notebook
//! "Train an RNN to generate a sequence").
//!
//! One rate unit, dr/dt = (w − 1) r + b + x, integrated by Euler with dt = 0.1 from r = y₀, must
//! follow a decaying target y over T = 10 steps. RTRL carries the sensitivities p_w = ∂r/∂w and
//! p_b = ∂r/∂b forward with the state, so the gradient of the loss
//! l = mean((r − y)²)/2 is available at the end of the run without going back through it:
//! ∂l/∂w = mean((r − y) p_w). Each epoch runs the sequence once and takes one gradient step.
//!
//! The notebook advances the sensitivities with the *updated* r (p_w ← p_w + ((w − 1) p_w + r_new) dt),
//! while the derivative of its own Euler step uses the previous r: its gradient is off by O(dt),
//! a few per cent here. `Sensitivity` chooses; `Sensitivity::Exact` equals the finite-difference
//! gradient of the loss to rounding.

use rand::SeedableRng;
use rand_distr::{Distribution, Normal};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The course's Euler step.
pub const DT: f64 = 0.1;
/// The course's sequence length.
pub const STEPS: usize = 10;

/// An input sequence and the target the unit must follow.
#[derive(Clone, Debug, PartialEq)]
pub struct Sequence {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
}

impl Sequence {
    /// The notebook's data: x ~ N(0, 0.1) and y = exp(linspace(1, 0, T)) + N(0, 0.1), T = 10.
    pub fn course(seed: u64) -> Sequence {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let noise = Normal::new(0.0, 0.1).expect("a positive deviation");
        let x = (0..STEPS).map(|_| noise.sample(&mut rng)).collect();
        let y = (0..STEPS)
            .map(|k| {
                let s = 1.0 - k as f64 / (STEPS - 1) as f64;
                s.exp() + noise.sample(&mut rng)
            })
            .collect();
        Sequence { x, y }
    }
}

/// How the sensitivities are advanced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sensitivity {
    /// As the notebook: with the state after the step.
    Notebook,
    /// The derivative of the Euler step: with the state before it.
    Exact,
}

/// The unit's parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Unit {
    pub w: f64,
    pub b: f64,
}

/// One run over a sequence: the state after each step and its sensitivities.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trajectory {
    pub r: Vec<f64>,
    pub p_w: Vec<f64>,
    pub p_b: Vec<f64>,
}

impl Unit {
    /// The course's starting point, w = b = 1.
    pub const COURSE: Unit = Unit { w: 1.0, b: 1.0 };

    /// Runs `data.x` from r = y₀ (the notebook's `reset_neuron`).
    #[inline(never)]
    pub fn run(&self, data: &Sequence, sensitivity: Sensitivity) -> Trajectory {
        let (mut r, mut p_w, mut p_b) = (data.y.first().copied().unwrap_or(0.0), 0.0, 0.0);
        let mut out = Trajectory::default();
        let decay = self.w - 1.0;
        for &x in &data.x {
            let r_new = r + (decay * r + self.b + x) * DT;
            let drive = match sensitivity {
                Sensitivity::Notebook => r_new,
                Sensitivity::Exact => r,
            };
            p_w += (decay * p_w + drive) * DT;
            p_b += (decay * p_b + 1.0) * DT;
            r = r_new;
            out.r.push(r);
            out.p_w.push(p_w);
            out.p_b.push(p_b);
        }
        out
    }

    /// The notebook's loss, mean((r − y)²)/2.
    pub fn loss(&self, data: &Sequence) -> f64 {
        let r = self.run(data, Sensitivity::Exact).r;
        r.iter()
            .zip(&data.y)
            .map(|(r, y)| (r - y).powi(2))
            .sum::<f64>()
            / (2.0 * r.len().max(1) as f64)
    }

    /// (∂l/∂w, ∂l/∂b) by RTRL: mean((r − y) p).
    pub fn gradient(&self, data: &Sequence, sensitivity: Sensitivity) -> (f64, f64) {
        let run = self.run(data, sensitivity);
        let n = run.r.len().max(1) as f64;
        let mean = |p: &[f64]| {
            run.r
                .iter()
                .zip(&data.y)
                .zip(p)
                .map(|((r, y), p)| (r - y) * p)
                .sum::<f64>()
                / n
        };
        (mean(&run.p_w), mean(&run.p_b))
    }

    /// (∂l/∂w, ∂l/∂b) by central finite differences with step `h`.
    pub fn finite_difference(&self, data: &Sequence, h: f64) -> (f64, f64) {
        let at = |w: f64, b: f64| Unit { w, b }.loss(data);
        (
            (at(self.w + h, self.b) - at(self.w - h, self.b)) / (2.0 * h),
            (at(self.w, self.b + h) - at(self.w, self.b - h)) / (2.0 * h),
        )
    }
}

/// One epoch of the notebook's log: the loss before the step, the step, the parameters after it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Epoch {
    pub loss: f64,
    pub dw: f64,
    pub db: f64,
    pub unit: Unit,
}

/// The notebook's training: each epoch runs the sequence and steps w and b by −η·gradient.
#[inline(never)]
pub fn train(
    data: &Sequence,
    start: Unit,
    eta: f64,
    epochs: usize,
    sensitivity: Sensitivity,
) -> Vec<Epoch> {
    let mut unit = start;
    (0..epochs)
        .map(|_| {
            let loss = unit.loss(data);
            let (gw, gb) = unit.gradient(data, sensitivity);
            let (dw, db) = (-eta * gw, -eta * gb);
            unit.w += dw;
            unit.b += db;
            Epoch { loss, dw, db, unit }
        })
        .collect()
}
