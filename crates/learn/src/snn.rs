//! The course's spiking network trained by surrogate gradients (curriculum §14.3, notebook
//! "Simple SNN"): input spikes → exponential synapses → recurrent LIF units (soft reset) →
//! a linear readout filtered by an exponential synapse and a leaky integrator; the prediction
//! is each output's maximum over time, scored by softmax cross-entropy.
//!
//! Per step t, with α = e^(−dt/τ_syn), β = e^(−dt/τ_mem) (BrainPy's exponential Euler, R = 1,
//! V_rest = V_reset = 0, V_th = 1):
//!   g_t = α g_{t−1} + W_in x_t + b_in + W_rec s_{t−1} + b_rec,   V̂_t = β V_{t−1} + (1 − β) g_t,
//!   s_t = Θ(V̂_t − 1),   V_t = V̂_t − s_t,
//!   q_t = α_o q_{t−1} + W_out s_t + b,   y_t = γ y_{t−1} + q_t.
//! The spike's derivative, zero almost everywhere, is replaced in the backward pass by a
//! surrogate (`Spike::Surrogate`: BrainPy's `InvSquareGrad`, 1/(α|x| + 1)²). With a smooth spike
//! (`Spike::Sigmoid`) the same backward pass is the exact gradient, which is how the tests check
//! it against finite differences.
//!
//! Every layer is BrainPy's `Linear`, with a bias (zero at first, trained): the hidden biases are
//! what lets a silent unit be brought back to its threshold, where the surrogate is not zero.
//! Hand-written reverse mode, as `rate_rnn` (whose `axpy`/`dot` it shares).

use brainplay_sim::Message;
use num_traits::Float;
use rand::{Rng, SeedableRng};
use rand_distr::StandardNormal;
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::adam::Adam;
use crate::checkpoint::TrainingState;
use crate::rate_rnn::{axpy, dot, f, softmax};

/// The spike nonlinearity: forward value and the derivative the backward pass uses.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Spike {
    /// Θ(x) forward, 1/(α|x| + 1)² backward.
    Surrogate { alpha: f64 },
    /// 1/(1 + e^(−x/width)) both ways (for gradient checks).
    Sigmoid { width: f64 },
}

impl Spike {
    fn forward<F: Float>(self, x: F) -> F {
        match self {
            Spike::Surrogate { .. } => {
                if x >= F::zero() {
                    F::one()
                } else {
                    F::zero()
                }
            }
            Spike::Sigmoid { width } => F::one() / (F::one() + (-x / f(width)).exp()),
        }
    }

    fn derivative<F: Float>(self, x: F) -> F {
        match self {
            Spike::Surrogate { alpha } => {
                let d = f::<F>(alpha) * x.abs() + F::one();
                F::one() / (d * d)
            }
            Spike::Sigmoid { width } => {
                let s = self.forward(x);
                s * (F::one() - s) / f(width)
            }
        }
    }
}

/// Sizes and time constants (steps of dt).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SnnShape {
    pub inputs: usize,
    pub units: usize,
    pub outputs: usize,
    /// τ/dt of the input and recurrent synapses, the membrane, the readout synapse and the
    /// readout's leak (the course: 10, 10, 10, 5).
    pub tau_syn: f64,
    pub tau_mem: f64,
    pub tau_out: f64,
    pub tau_leak: f64,
    pub spike: Spike,
}

impl SnnShape {
    /// The course's network at dt = 1 ms.
    pub fn course(inputs: usize, units: usize, outputs: usize) -> SnnShape {
        SnnShape {
            inputs,
            units,
            outputs,
            tau_syn: 10.0,
            tau_mem: 10.0,
            tau_out: 10.0,
            tau_leak: 5.0,
            spike: Spike::Surrogate { alpha: 100.0 },
        }
    }

    /// Parameters in the order w_in (by input), b_in, w_rec (by presynaptic unit), b_rec, w_out
    /// (by output), b_out.
    pub fn parameters(&self) -> usize {
        let (i, n, o) = (self.inputs, self.units, self.outputs);
        i * n + n + n * n + n + o * n + o
    }
}

/// Spike trains side by side, as the inputs that spike at each step of each trial (a spike
/// train is mostly silence): `active(t, b)`.
#[derive(Clone, Debug, PartialEq)]
pub struct SpikeBatch {
    pub trials: usize,
    pub steps: usize,
    pub inputs: usize,
    /// Indices into `indices` for step t and trial b at `starts[t * trials + b]..`.
    starts: Vec<usize>,
    indices: Vec<u32>,
    pub labels: Vec<usize>,
}

impl SpikeBatch {
    /// From each trial's spikes by step (`trials[b][t]` lists the inputs spiking at step t).
    pub fn new(inputs: usize, trials: &[Vec<Vec<u32>>], labels: Vec<usize>) -> SpikeBatch {
        let steps = trials.iter().map(Vec::len).max().unwrap_or(0);
        let (mut starts, mut indices) = (vec![0], Vec::new());
        for t in 0..steps {
            for trial in trials {
                if let Some(active) = trial.get(t) {
                    indices.extend(active.iter().filter(|&&k| (k as usize) < inputs));
                }
                starts.push(indices.len());
            }
        }
        SpikeBatch {
            trials: trials.len(),
            steps,
            inputs,
            starts,
            indices,
            labels,
        }
    }

    /// The inputs that spike at step `t` of trial `b`.
    pub fn active(&self, t: usize, b: usize) -> &[u32] {
        let at = t * self.trials + b;
        &self.indices[self.starts[at]..self.starts[at + 1]]
    }

    /// Trial `b` alone.
    pub fn trial(&self, b: usize) -> SpikeBatch {
        let steps: Vec<Vec<u32>> = (0..self.steps)
            .map(|t| self.active(t, b).to_vec())
            .collect();
        SpikeBatch::new(self.inputs, &[steps], vec![self.labels[b]])
    }
}

/// A network and its parameters in one vector (see `SnnShape::parameters`).
#[derive(Clone, Debug, PartialEq)]
pub struct Snn<F> {
    pub shape: SnnShape,
    pub theta: Vec<F>,
}

/// A network's parameters by layer.
struct Parts<'a, F> {
    w_in: &'a [F],
    bias: Vec<F>,
    w_rec: &'a [F],
    w_out: &'a [F],
    b_out: &'a [F],
}

/// What the backward pass needs of a forward one, and what the figures show.
#[derive(Clone, Debug, PartialEq)]
pub struct SnnForward<F> {
    /// V̂_t (before the reset) and s_t by step, trial, unit.
    pub potentials: Vec<F>,
    pub spikes: Vec<F>,
    /// y_t by step, trial, output.
    pub outputs: Vec<F>,
}

/// A batch's loss and accuracy, and each trial's prediction (the maximum of each output).
#[derive(Clone, Debug, PartialEq)]
pub struct SnnScore {
    pub loss: f64,
    pub accuracy: f64,
    pub choices: Vec<usize>,
}

/// A truncated normal (±2σ) with the standard deviation sqrt(scale/fan_in)/0.8796, as BrainPy's
/// `KaimingNormal(scale)` (0.8796 is the s.d. of a standard normal truncated at ±2).
fn kaiming<F: Float>(rng: &mut impl Rng, scale: f64, fan_in: usize) -> F {
    let sd = (scale / fan_in as f64).sqrt() / 0.879_625_7;
    loop {
        let z: f64 = rng.sample(StandardNormal);
        if z.abs() <= 2.0 {
            return f(sd * z);
        }
    }
}

impl<F: Float> Snn<F> {
    /// The course's initialisation: input and recurrent weights `KaimingNormal(scale)`, readout
    /// `KaimingNormal(20)`, bias 0.
    pub fn new(shape: SnnShape, scale: f64, seed: u64) -> Snn<F> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let (i, n, o) = (shape.inputs, shape.units, shape.outputs);
        let mut theta = Vec::with_capacity(shape.parameters());
        theta.extend((0..i * n).map(|_| kaiming::<F>(&mut rng, scale, i)));
        theta.extend((0..n).map(|_| F::zero()));
        theta.extend((0..n * n).map(|_| kaiming::<F>(&mut rng, scale, n)));
        theta.extend((0..n).map(|_| F::zero()));
        theta.extend((0..o * n).map(|_| kaiming::<F>(&mut rng, 20.0, n)));
        theta.extend((0..o).map(|_| F::zero()));
        Snn { shape, theta }
    }

    fn decays(&self) -> [F; 4] {
        let s = &self.shape;
        [s.tau_syn, s.tau_mem, s.tau_out, s.tau_leak].map(|tau| f((-1.0 / tau).exp()))
    }

    /// The parameters by layer, the two hidden biases added (they always are).
    fn parts(&self) -> Parts<'_, F> {
        let (i, n, o) = (self.shape.inputs, self.shape.units, self.shape.outputs);
        let (w_in, rest) = self.theta.split_at(i * n);
        let (b_in, rest) = rest.split_at(n);
        let (w_rec, rest) = rest.split_at(n * n);
        let (b_rec, rest) = rest.split_at(n);
        let (w_out, b_out) = rest.split_at(o * n);
        Parts {
            w_in,
            bias: b_in.iter().zip(b_rec).map(|(&a, &b)| a + b).collect(),
            w_rec,
            w_out,
            b_out,
        }
    }

    pub fn forward(&self, batch: &SpikeBatch) -> SnnForward<F> {
        let SnnShape {
            units: n,
            outputs: o,
            spike,
            ..
        } = self.shape;
        let [alpha, beta, alpha_o, gamma] = self.decays();
        let Parts {
            w_in,
            bias,
            w_rec,
            w_out,
            b_out,
        } = self.parts();
        let (trials, steps) = (batch.trials, batch.steps);
        let mut potentials = vec![F::zero(); steps * trials * n];
        let mut spikes = vec![F::zero(); steps * trials * n];
        let mut outputs = vec![F::zero(); steps * trials * o];
        let mut g = vec![F::zero(); trials * n];
        let mut v = vec![F::zero(); trials * n];
        let mut q = vec![F::zero(); trials * o];
        let mut y = vec![F::zero(); trials * o];
        for t in 0..steps {
            for k in 0..trials {
                let g = &mut g[k * n..][..n];
                g.iter_mut()
                    .zip(&bias)
                    .for_each(|(g, &b)| *g = *g * alpha + b);
                for i in batch.active(t, k).iter().map(|&i| i as usize) {
                    // An input the network does not have adds nothing.
                    if let Some(row) = w_in.get(i * n..(i + 1) * n) {
                        axpy(F::one(), row, g);
                    }
                }
                if t > 0 {
                    let before = &spikes[((t - 1) * trials + k) * n..][..n];
                    for (&s, row) in before.iter().zip(w_rec.chunks_exact(n)) {
                        if s != F::zero() {
                            axpy(s, row, g);
                        }
                    }
                }
                let at = (t * trials + k) * n;
                let v = &mut v[k * n..][..n];
                for (j, (v, &g)) in v.iter_mut().zip(g.iter()).enumerate() {
                    let raised = beta * *v + (F::one() - beta) * g;
                    let s = spike.forward(raised - F::one());
                    potentials[at + j] = raised;
                    spikes[at + j] = s;
                    *v = raised - s;
                }
                let s = &spikes[at..][..n];
                let (q, y) = (&mut q[k * o..][..o], &mut y[k * o..][..o]);
                let out = &mut outputs[(t * trials + k) * o..][..o];
                for (c, (row, &b)) in w_out.chunks_exact(n).zip(b_out).enumerate() {
                    q[c] = alpha_o * q[c] + dot(row, s) + b;
                    y[c] = gamma * y[c] + q[c];
                    out[c] = y[c];
                }
            }
        }
        SnnForward {
            potentials,
            spikes,
            outputs,
        }
    }

    /// For each trial and output, the step where the output peaks.
    fn peaks(&self, batch: &SpikeBatch, forward: &SnnForward<F>) -> Vec<usize> {
        let (o, trials) = (self.shape.outputs, batch.trials);
        let mut peaks = vec![0; trials * o];
        for k in 0..trials {
            for c in 0..o {
                let at = |t: usize| forward.outputs[(t * trials + k) * o + c];
                peaks[k * o + c] =
                    (0..batch.steps).fold(0, |best, t| if at(t) > at(best) { t } else { best });
            }
        }
        peaks
    }

    /// The predictions (max over time), their softmax cross-entropy and the accuracy.
    pub fn score(&self, batch: &SpikeBatch, forward: &SnnForward<F>) -> SnnScore {
        let (o, trials) = (self.shape.outputs, batch.trials);
        let peaks = self.peaks(batch, forward);
        let mut p = vec![F::zero(); o];
        let mut loss = 0.0;
        let mut choices = Vec::with_capacity(trials);
        for (k, &label) in batch.labels.iter().enumerate() {
            let z: Vec<F> = (0..o)
                .map(|c| forward.outputs[(peaks[k * o + c] * trials + k) * o + c])
                .collect();
            softmax(&z, &mut p);
            loss -= p[label]
                .max(F::min_positive_value())
                .ln()
                .to_f64()
                .unwrap_or(0.0);
            choices.push((0..o).fold(0, |best, c| if z[c] > z[best] { c } else { best }));
        }
        let correct = choices
            .iter()
            .zip(&batch.labels)
            .filter(|(c, l)| c == l)
            .count();
        SnnScore {
            loss: loss / trials.max(1) as f64,
            accuracy: correct as f64 / trials.max(1) as f64,
            choices,
        }
    }

    /// The gradient of the batch's mean cross-entropy by backpropagation through time, the
    /// spike's derivative as `self.shape.spike` says.
    pub fn gradient(&self, batch: &SpikeBatch, forward: &SnnForward<F>) -> Vec<F> {
        let SnnShape {
            inputs,
            units: n,
            outputs: o,
            spike,
            ..
        } = self.shape;
        let [alpha, beta, alpha_o, gamma] = self.decays();
        let Parts { w_rec, w_out, .. } = self.parts();
        let (trials, steps) = (batch.trials, batch.steps);
        let peaks = self.peaks(batch, forward);
        let mut grad = vec![F::zero(); self.theta.len()];
        let (g_in, rest) = grad.split_at_mut(inputs * n);
        let (g_b_in, rest) = rest.split_at_mut(n);
        let (g_rec, rest) = rest.split_at_mut(n * n);
        let (g_b_rec, rest) = rest.split_at_mut(n);
        let (g_out, g_b) = rest.split_at_mut(o * n);
        let per_trial = f::<F>(1.0 / trials.max(1) as f64);
        let mut p = vec![F::zero(); o];
        for k in 0..trials {
            // dL/d(peak value) per output: softmax − one-hot.
            let z: Vec<F> = (0..o)
                .map(|c| forward.outputs[(peaks[k * o + c] * trials + k) * o + c])
                .collect();
            softmax(&z, &mut p);
            p[batch.labels[k]] = p[batch.labels[k]] - F::one();
            // Running adjoints of y, q (readout), V after reset and g (next step's).
            let (mut dy, mut dq) = (vec![F::zero(); o], vec![F::zero(); o]);
            let mut dv = vec![F::zero(); n];
            let mut dg_next = vec![F::zero(); n];
            let mut ds = vec![F::zero(); n];
            let mut dq_now = vec![F::zero(); o];
            for t in (0..steps).rev() {
                for c in 0..o {
                    let direct = if peaks[k * o + c] == t {
                        p[c] * per_trial
                    } else {
                        F::zero()
                    };
                    dy[c] = gamma * dy[c] + direct;
                    dq[c] = alpha_o * dq[c] + dy[c];
                    dq_now[c] = dq[c];
                }
                let at = (t * trials + k) * n;
                let s = &forward.spikes[at..][..n];
                // ds_t from the readout, from the recurrent input of step t + 1, and from the
                // reset (V_t = V̂_t − s_t).
                ds.iter_mut().zip(&dv).for_each(|(d, &dv)| *d = -dv);
                for ((row, g_row), (&d, g_b)) in w_out
                    .chunks_exact(n)
                    .zip(g_out.chunks_exact_mut(n))
                    .zip(dq_now.iter().zip(g_b.iter_mut()))
                {
                    axpy(d, row, &mut ds);
                    axpy(d, s, g_row);
                    *g_b = *g_b + d;
                }
                if t + 1 < steps {
                    for (d, row) in ds.iter_mut().zip(w_rec.chunks_exact(n)) {
                        *d = *d + dot(row, &dg_next);
                    }
                }
                // Through the spike and the membrane into g_t; then dV_{t−1} = β dV̂_t.
                let potentials = &forward.potentials[at..][..n];
                for j in 0..n {
                    let dv_raised = dv[j] + ds[j] * spike.derivative(potentials[j] - F::one());
                    dg_next[j] = alpha * dg_next[j] + (F::one() - beta) * dv_raised;
                    dv[j] = beta * dv_raised;
                }
                for i in batch.active(t, k).iter().map(|&i| i as usize) {
                    if let Some(row) = g_in.get_mut(i * n..(i + 1) * n) {
                        axpy(F::one(), &dg_next, row);
                    }
                }
                axpy(F::one(), &dg_next, g_b_in);
                axpy(F::one(), &dg_next, g_b_rec);
                if t > 0 {
                    let before = &forward.spikes[((t - 1) * trials + k) * n..][..n];
                    for (&s, g_row) in before.iter().zip(g_rec.chunks_exact_mut(n)) {
                        if s != F::zero() {
                            axpy(s, &dg_next, g_row);
                        }
                    }
                }
            }
        }
        grad
    }
}

/// Training with Adam on a fixed set of spike trains, a batch per iteration.
pub struct SnnTrainer {
    pub snn: Snn<f32>,
    adam: Adam<f32>,
    pub losses: Vec<f64>,
    pub accuracies: Vec<f64>,
}

impl SnnTrainer {
    pub fn new(shape: SnnShape, scale: f64, learning_rate: f64, seed: u64) -> SnnTrainer {
        SnnTrainer {
            snn: Snn::new(shape, scale, seed),
            adam: Adam::new(shape.parameters(), learning_rate),
            losses: Vec::new(),
            accuracies: Vec::new(),
        }
    }

    /// One iteration on `batch`: forward, BPTT with the surrogate, one Adam step.
    #[inline(never)]
    pub fn step(&mut self, batch: &SpikeBatch) {
        let forward = self.snn.forward(batch);
        let score = self.snn.score(batch, &forward);
        let gradient = self.snn.gradient(batch, &forward);
        self.adam.step(&mut self.snn.theta, &gradient);
        self.losses.push(score.loss);
        self.accuracies.push(score.accuracy);
    }

    /// Everything needed to continue this run exactly (`checkpoint`).
    pub fn state(&self) -> TrainingState {
        TrainingState::of(&self.snn.theta, &self.adam, &self.losses, &self.accuracies)
    }

    /// Continues from `state` (a paused run, a saved network) instead of the fresh start; an
    /// error if it belongs to a network of another shape.
    pub fn restore(&mut self, state: TrainingState) -> Result<(), Message> {
        let curves = (&mut self.losses, &mut self.accuracies);
        state.restore_into(&mut self.snn.theta, &mut self.adam, curves)
    }

    /// The network as it is now, run forward on `batch`, and its score there.
    #[inline(never)]
    pub fn evaluate(&self, batch: &SpikeBatch) -> (SnnForward<f32>, SnnScore) {
        let forward = self.snn.forward(batch);
        let score = self.snn.score(batch, &forward);
        (forward, score)
    }
}

/// 0..n in a random order drawn from `seed` (a training epoch's order).
pub fn shuffled(n: usize, seed: u64) -> Vec<usize> {
    use rand::seq::SliceRandom;
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut Xoshiro256PlusPlus::seed_from_u64(seed));
    order
}

/// The course's synthetic task (§14.3a): `trials` samples of `inputs` spike trains over `steps`
/// steps, each input spiking with probability `rate_hz`·dt per step (dt = 1 ms), and random
/// binary labels the network must memorise.
pub fn random_task(
    trials: usize,
    inputs: usize,
    steps: usize,
    rate_hz: f64,
    seed: u64,
) -> SpikeBatch {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let p = rate_hz / 1000.0;
    let mut samples = Vec::with_capacity(trials);
    let mut labels = Vec::with_capacity(trials);
    for _ in 0..trials {
        let sample: Vec<Vec<u32>> = (0..steps)
            .map(|_| {
                (0..inputs as u32)
                    .filter(|_| rng.random::<f64>() < p)
                    .collect()
            })
            .collect();
        samples.push(sample);
        labels.push(usize::from(rng.random::<f64>() < 0.5));
    }
    SpikeBatch::new(inputs, &samples, labels)
}

/// Issue 10's benchmark workload: the course's image network (784 inputs, 100 recurrent units,
/// 10 outputs) on a batch of 128 samples of 20 steps, each input spiking about once in five
/// samples (as a latency-coded image's pixels do). Each `step(&batch)` is one iteration.
pub fn bench_trainer() -> (SnnTrainer, SpikeBatch) {
    let mut batch = random_task(128, 784, 20, 10.0, 0);
    batch.labels = (0..128).map(|k| k % 10).collect();
    let trainer = SnnTrainer::new(SnnShape::course(784, 100, 10), 10.0, 2e-3, 0);
    (trainer, batch)
}
