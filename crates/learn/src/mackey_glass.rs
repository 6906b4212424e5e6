//! The Mackey–Glass delay equation (curriculum §12.2), the course's chaotic time series:
//!
//! dP/dt = β P(t − τ) / (1 + P(t − τ)ⁿ) − γ P(t),
//!
//! integrated by RK4 at step dt with the delayed value read at the nearest sample ("round"
//! interpolation, as `brainpy_datasets`' `MackeyGlassEq`), P(0) = x0 and a random history
//! x0 + 0.2 (U(0, 1) − 0.5) before 0. The history is random, so two seeds give two different
//! (equally chaotic) series.

use brainplay_sim::{msg, Message};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The equation's constants and the integration.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MackeyGlass {
    pub beta: f64,
    pub gamma: f64,
    /// The exponent n (a whole number in every use of the equation, so a product rather than a
    /// general power).
    pub n: i32,
    pub tau: f64,
    pub dt: f64,
    pub x0: f64,
}

impl Default for MackeyGlass {
    /// The course's: β = 0.2, γ = 0.1, n = 10, τ = 17, dt = 0.1, P(0) = 1.2.
    fn default() -> Self {
        MackeyGlass {
            beta: 0.2,
            gamma: 0.1,
            n: 10,
            tau: 17.0,
            dt: 0.1,
            x0: 1.2,
        }
    }
}

impl MackeyGlass {
    /// Samples of the delay τ.
    pub fn delay_samples(&self) -> usize {
        (self.tau / self.dt).round() as usize
    }

    /// `samples` values P(k dt), k = 0, 1, …, from the history drawn with `seed`.
    #[inline(never)]
    pub fn series(&self, samples: usize, seed: u64) -> Result<Vec<f64>, Message> {
        let positive = [("τ", self.tau), ("dt", self.dt)];
        if let Some((name, v)) = positive.iter().find(|(_, v)| !(v.is_finite() && *v > 0.0)) {
            return Err(msg!(
                "{name} must be a positive number, got {v}",
                "{name} 必须是正数，实际为 {v}"
            ));
        }
        let delay = self.delay_samples();
        if delay == 0 {
            return Err(msg!(
                "τ = {} is shorter than one step dt = {}",
                "τ = {} 短于一个时间步长 dt = {}",
                self.tau,
                self.dt
            ));
        }
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        // The history P(−delay dt) … P(−dt), then the series from P(0).
        let mut all: Vec<f64> = (0..delay)
            .map(|_| self.x0 + 0.2 * (rng.random::<f64>() - 0.5))
            .collect();
        all.reserve(samples);
        all.push(self.x0);
        let rate = |x: f64, delayed: f64| {
            self.beta * delayed / (1.0 + delayed.powi(self.n)) - self.gamma * x
        };
        let h = self.dt;
        while all.len() < delay + samples {
            // Sample k is P(k dt); at the RK4 stages t, t + dt/2 and t + dt the delayed value is
            // the sample nearest t − τ (t + dt/2 − τ rounds up to the later sample).
            let k = all.len() - 1;
            let (at, half, end) = (all[k - delay], all[k + 1 - delay], all[k + 1 - delay]);
            let x = all[k];
            let k1 = rate(x, at);
            let k2 = rate(x + 0.5 * h * k1, half);
            let k3 = rate(x + 0.5 * h * k2, half);
            let k4 = rate(x + h * k3, end);
            all.push(x + h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4));
        }
        Ok(all.split_off(delay))
    }
}
