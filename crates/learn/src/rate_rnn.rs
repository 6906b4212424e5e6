//! A rate RNN trained by backpropagation through time (lesson 13): leaky units
//! h_t = (1 − α) h_{t−1} + α (W_in u_t + W_rec r_{t−1} + b), r_t = tanh(h_t), α = dt/τ, read out
//! as z_t = W_out r_t + b_out, scored by softmax cross-entropy on the steps a task names.
//!
//! Hand-written reverse mode for this one fixed architecture: the backward pass is the forward
//! one read in reverse (ARCHITECTURE.md, `crates/learn`), checked against finite differences by
//! the tests. Generic over the float type: f64 for the gradient check, f32 where it trains.
//! Every matrix product is written as `axpy` or `dot` over contiguous rows, which the compiler
//! turns into vector code (SIMD128 in the browser).

use brainplay_sim::{msg, Message};
use num_traits::Float;
use rand::{Rng, SeedableRng};
use rand_distr::StandardNormal;
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::adam::Adam;
use crate::checkpoint::TrainingState;
use crate::decision_task::{Batch, DecisionTask, CHOICES, INPUTS};

/// A network's sizes and its leak.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shape {
    pub inputs: usize,
    pub units: usize,
    pub outputs: usize,
    /// dt/τ.
    pub alpha: f64,
}

/// The network: its shape and all its parameters in one vector (`theta`), in the order w_in
/// (by input: its weights onto every unit), w_rec (by presynaptic unit), b, w_out (by output:
/// its weights from every unit), b_out, so that one optimiser steps them all.
#[derive(Clone, Debug, PartialEq)]
pub struct Rnn<F> {
    pub shape: Shape,
    pub theta: Vec<F>,
}

/// What a forward pass keeps for the backward one: the rates at every step (`rates[0]` the
/// initial zeros) and the readout.
#[derive(Clone, Debug, PartialEq)]
pub struct Forward<F> {
    /// `rates[(t * trials + b) * units + i]` for t in 0..=steps.
    pub rates: Vec<F>,
    /// `outputs[(t * trials + b) * outputs + o]` for t in 0..steps.
    pub outputs: Vec<F>,
}

/// A batch's loss, its accuracy, and each trial's choice.
#[derive(Clone, Debug, PartialEq)]
pub struct Score {
    pub loss: f64,
    pub accuracy: f64,
    /// The class with the largest mean output over the scored steps.
    pub choices: Vec<usize>,
}

pub(crate) fn f<F: Float>(x: f64) -> F {
    F::from(x).expect("a float")
}

/// y += s·x.
pub(crate) fn axpy<F: Float>(s: F, x: &[F], y: &mut [F]) {
    for (y, &x) in y.iter_mut().zip(x) {
        *y = *y + s * x;
    }
}

/// x·y with eight partial sums, so that the sum is vector code (a single running sum cannot be
/// reordered, so it would stay scalar).
pub(crate) fn dot<F: Float>(x: &[F], y: &[F]) -> F {
    let mut partial = [F::zero(); 8];
    let (xs, ys) = (x.chunks_exact(8), y.chunks_exact(8));
    let tail = xs
        .remainder()
        .iter()
        .zip(ys.remainder())
        .fold(F::zero(), |s, (&a, &b)| s + a * b);
    for (a, b) in xs.zip(ys) {
        for k in 0..8 {
            partial[k] = partial[k] + a[k] * b[k];
        }
    }
    partial.iter().fold(tail, |s, &p| s + p)
}

/// Softmax of `z` into `p`.
pub(crate) fn softmax<F: Float>(z: &[F], p: &mut [F]) {
    let top = z.iter().fold(F::neg_infinity(), |m, &v| m.max(v));
    let mut sum = F::zero();
    for (p, &z) in p.iter_mut().zip(z) {
        *p = (z - top).exp();
        sum = sum + *p;
    }
    for p in p.iter_mut() {
        *p = *p / sum;
    }
}

/// The parameters' places in `theta`.
struct Layout {
    w_in: std::ops::Range<usize>,
    w_rec: std::ops::Range<usize>,
    b: std::ops::Range<usize>,
    w_out: std::ops::Range<usize>,
    b_out: std::ops::Range<usize>,
}

impl Shape {
    fn layout(&self) -> Layout {
        let (n, i, o) = (self.units, self.inputs, self.outputs);
        let mut at = 0;
        let mut next = |len: usize| {
            at += len;
            at - len..at
        };
        Layout {
            w_in: next(i * n),
            w_rec: next(n * n),
            b: next(n),
            w_out: next(o * n),
            b_out: next(o),
        }
    }

    pub fn parameters(&self) -> usize {
        self.layout().b_out.end
    }
}

impl<F: Float> Rnn<F> {
    /// Weights normal with variance 1/fan-in (the recurrent ones times `gain`²), biases zero.
    pub fn new(shape: Shape, gain: f64, seed: u64) -> Rnn<F> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let layout = shape.layout();
        let mut theta = vec![F::zero(); shape.parameters()];
        let mut fill = |range: std::ops::Range<usize>, sd: f64| {
            for w in &mut theta[range] {
                *w = f(sd * rng.sample::<f64, _>(StandardNormal));
            }
        };
        let n = shape.units as f64;
        fill(layout.w_in, (1.0 / shape.inputs as f64).sqrt());
        fill(layout.w_rec, gain / n.sqrt());
        fill(layout.w_out, 1.0 / n.sqrt());
        Rnn { shape, theta }
    }

    /// Runs `batch` forward.
    pub fn forward(&self, batch: &Batch<F>) -> Forward<F> {
        let Shape {
            inputs,
            units: n,
            outputs,
            alpha,
        } = self.shape;
        let l = self.shape.layout();
        let (w_in, w_rec, b) = (&self.theta[l.w_in], &self.theta[l.w_rec], &self.theta[l.b]);
        let (w_out, b_out) = (&self.theta[l.w_out], &self.theta[l.b_out]);
        let (trials, steps) = (batch.trials, batch.steps);
        let alpha = f::<F>(alpha);
        let keep = F::one() - alpha;
        let mut rates = vec![F::zero(); (steps + 1) * trials * n];
        let mut out = vec![F::zero(); steps * trials * outputs];
        let mut h = vec![F::zero(); trials * n];
        let mut drive = vec![F::zero(); n];
        for t in 0..steps {
            let (past, next) = rates.split_at_mut((t + 1) * trials * n);
            let past = &past[t * trials * n..];
            for k in 0..trials {
                drive.copy_from_slice(b);
                let u = &batch.inputs[(t * trials + k) * inputs..][..inputs];
                for (&u, row) in u.iter().zip(w_in.chunks_exact(n)) {
                    axpy(u, row, &mut drive);
                }
                for (&r, row) in past[k * n..][..n].iter().zip(w_rec.chunks_exact(n)) {
                    axpy(r, row, &mut drive);
                }
                let h = &mut h[k * n..][..n];
                let r = &mut next[k * n..][..n];
                for ((h, r), &a) in h.iter_mut().zip(r.iter_mut()).zip(&drive) {
                    *h = keep * *h + alpha * a;
                    *r = h.tanh();
                }
                let z = &mut out[(t * trials + k) * outputs..][..outputs];
                for ((z, row), &bias) in z.iter_mut().zip(w_out.chunks_exact(n)).zip(b_out) {
                    *z = bias + dot(row, r);
                }
            }
        }
        Forward {
            rates,
            outputs: out,
        }
    }

    /// The batch's mean cross-entropy over its scored steps, its accuracy and choices.
    pub fn score(&self, batch: &Batch<F>, forward: &Forward<F>) -> Score {
        let o = self.shape.outputs;
        let trials = batch.trials;
        let mut p = vec![F::zero(); o];
        let mut loss = 0.0;
        let mut choices = Vec::with_capacity(trials);
        for (k, &label) in batch.labels.iter().enumerate() {
            let mut mean = vec![0.0; o];
            for t in batch.scored.clone() {
                let z = &forward.outputs[(t * trials + k) * o..][..o];
                softmax(z, &mut p);
                loss -= p[label]
                    .max(F::min_positive_value())
                    .ln()
                    .to_f64()
                    .unwrap_or(0.0);
                for (m, z) in mean.iter_mut().zip(z) {
                    *m += z.to_f64().unwrap_or(f64::NAN);
                }
            }
            let choice = (0..o).fold(0, |best, c| if mean[c] > mean[best] { c } else { best });
            choices.push(choice);
        }
        let scored = (trials * batch.scored.len()).max(1) as f64;
        let correct = choices
            .iter()
            .zip(&batch.labels)
            .filter(|(c, l)| c == l)
            .count();
        Score {
            loss: loss / scored,
            accuracy: correct as f64 / trials.max(1) as f64,
            choices,
        }
    }

    /// The gradient of the batch's mean cross-entropy with respect to `theta`, by
    /// backpropagation through time over the stored forward pass.
    pub fn gradient(&self, batch: &Batch<F>, forward: &Forward<F>) -> Vec<F> {
        let Shape {
            inputs,
            units: n,
            outputs: o,
            alpha,
        } = self.shape;
        let l = self.shape.layout();
        let mut grad = vec![F::zero(); self.theta.len()];
        let (w_rec, w_out) = (&self.theta[l.w_rec.clone()], &self.theta[l.w_out.clone()]);
        let (trials, steps) = (batch.trials, batch.steps);
        let alpha = f::<F>(alpha);
        let keep = F::one() - alpha;
        let per_score = f::<F>(1.0 / (trials * batch.scored.len()).max(1) as f64);
        // dL/dh of the step after, and dL/d(drive) = α·dL/dh of the step after.
        let mut dh_next = vec![F::zero(); trials * n];
        let mut g_next = vec![F::zero(); trials * n];
        let mut dr = vec![F::zero(); n];
        let mut dz = vec![F::zero(); o];
        for t in (0..steps).rev() {
            let r_now = &forward.rates[(t + 1) * trials * n..][..trials * n];
            let r_before = &forward.rates[t * trials * n..][..trials * n];
            for k in 0..trials {
                let r = &r_now[k * n..][..n];
                dr.iter_mut().for_each(|d| *d = F::zero());
                if batch.scored.contains(&t) {
                    softmax(&forward.outputs[(t * trials + k) * o..][..o], &mut dz);
                    dz[batch.labels[k]] = dz[batch.labels[k]] - F::one();
                    let (gw_out, rest) = grad[l.w_out.start..].split_at_mut(o * n);
                    for ((d, row), (g_row, g_b)) in dz
                        .iter_mut()
                        .zip(w_out.chunks_exact(n))
                        .zip(gw_out.chunks_exact_mut(n).zip(&mut rest[..o]))
                    {
                        *d = *d * per_score;
                        axpy(*d, row, &mut dr);
                        axpy(*d, r, g_row);
                        *g_b = *g_b + *d;
                    }
                }
                if t + 1 < steps {
                    let g = &g_next[k * n..][..n];
                    for (d, row) in dr.iter_mut().zip(w_rec.chunks_exact(n)) {
                        *d = *d + dot(row, g);
                    }
                }
                let dh = &mut dh_next[k * n..][..n];
                let g = &mut g_next[k * n..][..n];
                for (((dh, g), &d), &r) in dh.iter_mut().zip(g.iter_mut()).zip(&dr).zip(r) {
                    *dh = keep * *dh + d * (F::one() - r * r);
                    *g = alpha * *dh;
                }
                let g = &g_next[k * n..][..n];
                let u = &batch.inputs[(t * trials + k) * inputs..][..inputs];
                for (&u, g_row) in u.iter().zip(grad[l.w_in.clone()].chunks_exact_mut(n)) {
                    axpy(u, g, g_row);
                }
                let before = &r_before[k * n..][..n];
                for (&r, g_row) in before.iter().zip(grad[l.w_rec.clone()].chunks_exact_mut(n)) {
                    axpy(r, g, g_row);
                }
                axpy(F::one(), g, &mut grad[l.b.clone()]);
            }
        }
        grad
    }

    /// The first units' rates in trial `k` over the steps of a forward pass, by unit.
    pub fn unit_rates(
        &self,
        forward: &Forward<F>,
        trials: usize,
        k: usize,
        units: usize,
    ) -> Vec<Vec<f64>> {
        let n = self.shape.units;
        let steps = forward.rates.len() / (trials * n) - 1;
        (0..units.min(n))
            .map(|i| {
                (1..=steps)
                    .map(|t| {
                        forward.rates[(t * trials + k) * n + i]
                            .to_f64()
                            .unwrap_or(f64::NAN)
                    })
                    .collect()
            })
            .collect()
    }
}

/// Training on the decision task with Adam, one fresh batch per iteration (seeded by the
/// iteration), with the loss and accuracy of every iteration kept.
pub struct Trainer {
    pub rnn: Rnn<f32>,
    pub task: DecisionTask,
    pub trials: usize,
    adam: Adam<f32>,
    seed: u64,
    pub losses: Vec<f64>,
    pub accuracies: Vec<f64>,
}

/// A trainer's settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrainerSpec {
    pub units: usize,
    pub alpha: f64,
    pub gain: f64,
    pub learning_rate: f64,
    pub trials: usize,
    pub seed: u64,
}

/// The most units a trained network may have.
pub const MAX_UNITS: usize = 512;

impl Trainer {
    pub fn new(task: DecisionTask, spec: &TrainerSpec) -> Result<Trainer, Message> {
        let checks = [
            (
                ("units", "单元数"),
                spec.units as f64,
                (1..=MAX_UNITS).contains(&spec.units),
            ),
            (
                ("trials per batch", "每批试次数"),
                spec.trials as f64,
                spec.trials >= 1,
            ),
            (
                ("dt/τ", "dt/τ "),
                spec.alpha,
                spec.alpha > 0.0 && spec.alpha <= 1.0,
            ),
            (
                ("the learning rate", "学习率"),
                spec.learning_rate,
                spec.learning_rate > 0.0,
            ),
            (("the noise", "噪声"), task.noise, task.noise >= 0.0),
            (("the gain", "增益"), spec.gain, spec.gain >= 0.0),
        ];
        if let Some(((en, zh), v, _)) = checks.iter().find(|(_, v, ok)| !(v.is_finite() && *ok)) {
            return Err(msg!("{en} cannot be {v}", "{zh}不能为 {v}"));
        }
        let shape = Shape {
            inputs: INPUTS,
            units: spec.units,
            outputs: CHOICES,
            alpha: spec.alpha,
        };
        let rnn = Rnn::new(shape, spec.gain, spec.seed);
        Ok(Trainer {
            adam: Adam::new(shape.parameters(), spec.learning_rate),
            rnn,
            task,
            trials: spec.trials,
            seed: spec.seed,
            losses: Vec::new(),
            accuracies: Vec::new(),
        })
    }

    /// One iteration: a new batch, its gradient, one Adam step.
    #[inline(never)]
    pub fn step(&mut self) {
        let iteration = self.losses.len() as u64;
        let seed = self.seed.wrapping_mul(1_000_003).wrapping_add(iteration);
        let batch = self.task.batch(self.trials, seed);
        let forward = self.rnn.forward(&batch);
        let score = self.rnn.score(&batch, &forward);
        let gradient = self.rnn.gradient(&batch, &forward);
        self.adam.step(&mut self.rnn.theta, &gradient);
        self.losses.push(score.loss);
        self.accuracies.push(score.accuracy);
    }

    /// Everything needed to continue this run exactly (`checkpoint`).
    pub fn state(&self) -> TrainingState {
        TrainingState::of(&self.rnn.theta, &self.adam, &self.losses, &self.accuracies)
    }

    /// Continues from `state` (a paused run, a saved network) instead of the fresh start; an
    /// error if it belongs to a network of another shape.
    pub fn restore(&mut self, state: TrainingState) -> Result<(), Message> {
        let curves = (&mut self.losses, &mut self.accuracies);
        state.restore_into(&mut self.rnn.theta, &mut self.adam, curves)
    }

    /// The network as it is now, run forward on `batch`, and its score there.
    #[inline(never)]
    pub fn evaluate(&self, batch: &Batch<f32>) -> (Forward<f32>, Score) {
        let forward = self.rnn.forward(batch);
        let score = self.rnn.score(batch, &forward);
        (forward, score)
    }

    /// Iterations done.
    pub fn iterations(&self) -> usize {
        self.losses.len()
    }

    /// `per_coherence` test trials at every signed coherence of the task (noise from `seed`,
    /// never one the training drew), run forward.
    pub fn test_batch(&self, per_coherence: usize, seed: u64) -> Batch<f32> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed ^ 0x7E57);
        let coherences = crate::decision_task::COHERENCES
            .iter()
            .rev()
            .map(|c| -c)
            .chain(crate::decision_task::COHERENCES.iter().copied().skip(1))
            .flat_map(|c| std::iter::repeat_n(c, per_coherence))
            .collect();
        self.task.batch_at(coherences, &mut rng)
    }
}

/// Issue 10's benchmark workload: 128 units trained on trials of 200 steps, 32 per batch
/// (fixation 20, stimulus 120, delay 30, response 30 steps). Each `step()` is one iteration.
pub fn bench_trainer() -> Trainer {
    let task = DecisionTask {
        fixation: 20,
        stimulus: 120,
        delay: 30,
        response: 30,
        noise: 0.25,
    };
    let spec = TrainerSpec {
        units: 128,
        alpha: 0.2,
        gain: 1.0,
        learning_rate: 0.003,
        trials: 32,
        seed: 0,
    };
    Trainer::new(task, &spec).expect("the benchmark's settings")
}
