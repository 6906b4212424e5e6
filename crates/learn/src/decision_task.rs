//! A perceptual decision task with a delay, generated on the fly (lesson 13's cognitive task, as
//! in Song, Yang & Wang 2016 and neurogym's `PerceptualDecisionMakingDelayResponse`).
//!
//! Three input channels: a fixation cue (1 until the response period) and two noisy evidence
//! streams, 0.5(1 ± c) + σξ during the stimulus, where the signed coherence c says which one is
//! stronger. After a delay, during the response period, the network must report the stronger
//! stream: class 0 for A (c > 0), 1 for B (c < 0), at random for c = 0.

use num_traits::Float;
use rand::{Rng, SeedableRng};
use rand_distr::StandardNormal;
use rand_xoshiro::Xoshiro256PlusPlus;

/// Input channels: fixation, evidence for A, evidence for B.
pub const INPUTS: usize = 3;
/// Output classes: A, B.
pub const CHOICES: usize = 2;
/// The coherences trials draw from (unsigned; each gets a random sign).
pub const COHERENCES: [f64; 6] = [0.0, 0.032, 0.064, 0.128, 0.256, 0.512];

/// The periods of a trial in steps, and the evidence's noise.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DecisionTask {
    pub fixation: usize,
    pub stimulus: usize,
    pub delay: usize,
    pub response: usize,
    /// Standard deviation of each evidence stream's noise per step.
    pub noise: f64,
}

/// Trials side by side: the inputs by step, trial and channel, and what each trial should
/// answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Batch<F> {
    pub trials: usize,
    pub steps: usize,
    /// `inputs[(t * trials + b) * INPUTS + k]`.
    pub inputs: Vec<F>,
    pub labels: Vec<usize>,
    /// Signed coherence of each trial.
    pub coherences: Vec<f64>,
    /// The steps the answer is scored on (the response period).
    pub scored: std::ops::Range<usize>,
}

impl DecisionTask {
    pub fn steps(&self) -> usize {
        self.fixation + self.stimulus + self.delay + self.response
    }

    /// `trials` trials at coherences drawn from `COHERENCES`, every other one for B, so that a
    /// batch never leans to one side (a leaning batch teaches a bias the next one undoes).
    pub fn batch<F: Float>(&self, trials: usize, seed: u64) -> Batch<F> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let coherences = (0..trials)
            .map(|k| {
                let c = COHERENCES[rng.random_range(0..COHERENCES.len())];
                if k % 2 == 0 {
                    c
                } else {
                    -c
                }
            })
            .collect();
        self.batch_at(coherences, &mut rng)
    }

    /// One trial at each of `coherences` (signed), with noise from `rng`.
    pub fn batch_at<F: Float>(&self, coherences: Vec<f64>, rng: &mut impl Rng) -> Batch<F> {
        let trials = coherences.len();
        let steps = self.steps();
        let labels = coherences
            .iter()
            .map(|&c| match c {
                c if c > 0.0 => 0,
                c if c < 0.0 => 1,
                _ => usize::from(rng.random::<bool>()),
            })
            .collect();
        let stimulus = self.fixation..self.fixation + self.stimulus;
        let respond = steps - self.response;
        let mut inputs = vec![F::zero(); steps * trials * INPUTS];
        for t in 0..steps {
            for (b, &c) in coherences.iter().enumerate() {
                let at = (t * trials + b) * INPUTS;
                let mut noise = || self.noise * rng.sample::<f64, _>(StandardNormal);
                let channels = [
                    f64::from(u8::from(t < respond)),
                    if stimulus.contains(&t) {
                        0.5 * (1.0 + c) + noise()
                    } else {
                        0.0
                    },
                    if stimulus.contains(&t) {
                        0.5 * (1.0 - c) + noise()
                    } else {
                        0.0
                    },
                ];
                for (slot, v) in inputs[at..at + INPUTS].iter_mut().zip(channels) {
                    *slot = F::from(v).expect("a float");
                }
            }
        }
        Batch {
            trials,
            steps,
            inputs,
            labels,
            coherences,
            scored: respond..steps,
        }
    }
}

impl Default for DecisionTask {
    /// At 20 ms per step: fixation 100 ms, stimulus 500 ms, delay 200 ms, response 200 ms.
    fn default() -> DecisionTask {
        DecisionTask {
            fixation: 5,
            stimulus: 25,
            delay: 10,
            response: 10,
            noise: 1.0,
        }
    }
}
