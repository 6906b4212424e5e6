//! The neural codes of lesson 14 (curriculum §14.2, BrainPy 2.4.5's encoders): rate coding by
//! Poisson spikes, latency coding (one spike per input, earlier for stronger input) and delta
//! modulation (a spike where the signal changes by more than a threshold).

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Rate coding: at every step each input spikes with probability gain·(x − min)/(max − min)
/// (BrainPy's `PoissonEncoder`), drawn from `seed`. Returns `steps` rows of spikes.
#[inline(never)]
pub fn poisson(
    x: &[f64],
    (min, max): (f64, f64),
    gain: f64,
    steps: usize,
    seed: u64,
) -> Vec<Vec<bool>> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let p: Vec<f64> = x.iter().map(|v| gain * (v - min) / (max - min)).collect();
    (0..steps)
        .map(|_| p.iter().map(|&p| rng.random::<f64>() < p).collect())
        .collect()
}

/// How a latency code turns an input in [0, 1] into a spike time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Latency {
    /// t = (τ' − dt)(1 − x).
    Linear,
    /// t = (τ' − dt)·ln(x / (x − threshold)), x raised to just above the threshold.
    Log,
}

/// BrainPy's `LatencyEncoder` (first spike at time 0).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LatencyCode {
    pub method: Latency,
    /// The time constant τ (ms), the window's length unless `normalize`.
    pub tau: f64,
    pub threshold: f64,
    /// Whether the window is the whole run (`n_time`) rather than τ.
    pub normalize: bool,
    /// Whether inputs below the threshold are silent.
    pub clip: bool,
}

impl LatencyCode {
    /// The step at which input `x` spikes in a run of `n_time` ms at `dt_ms`, if it does.
    pub fn spike_step(&self, x: f64, n_time: f64, dt_ms: f64) -> Option<usize> {
        if self.clip && x < self.threshold {
            return None;
        }
        let window = if self.normalize { n_time } else { self.tau } - dt_ms;
        let t = match self.method {
            Latency::Linear => window * (1.0 - x),
            Latency::Log => {
                let x = x.max(self.threshold + 1e-7);
                window * (x / (x - self.threshold)).ln()
            }
        };
        let step = (t / dt_ms).round();
        let steps = (n_time / dt_ms).round();
        (step >= 0.0 && step < steps).then_some(step as usize)
    }
}

/// Delta modulation (BrainPy's `DiffEncoder`): the change from the previous sample (the first
/// from 0) gives +1 where it is at least `threshold`, and with `off_spike` −1 where it is at
/// most −threshold.
pub fn delta(data: &[f64], threshold: f64, off_spike: bool) -> Vec<i8> {
    let mut before = 0.0;
    data.iter()
        .map(|&v| {
            let change = v - before;
            before = v;
            match change {
                c if c >= threshold => 1,
                c if off_spike && c <= -threshold => -1,
                _ => 0,
            }
        })
        .collect()
}
