//! A decision network's figures (lesson 10, the course's F10.1–F10.3): the spike rasters of the
//! selective pools A and B, their population rates and the stimulus rates they receive; and,
//! for a block with `coherences`, the choices and decision times of its trials accumulated
//! trial by trial (the psychometric and chronometric curves).

use brainplay_sim::decision::{Decision, Pool, Trial};
use brainplay_sim::networks;
use brainplay_sim::{msg, Message};

use super::network::spiking;
use crate::content::Network as NetworkBlock;
use crate::figure::{Choices, Issues, NetworkFigures, Series};
use crate::setting::{Runnable, Setting};

/// The pools the figures show: the two that compete.
const SHOWN: [Pool; 2] = [Pool::A, Pool::B];

/// Trials under way: one, or the block's `trials` at each of its `coherences` in turns.
pub struct DecisionRun {
    trial: Trial,
    dt_ms: f64,
    seed: u64,
    /// The coherence of each trial, in the order they run.
    schedule: Vec<f64>,
    /// Trials finished, and the one running.
    finished: usize,
    network: Decision,
    steps_per_trial: usize,
    choices: Vec<Choices>,
}

impl DecisionRun {
    pub fn start(block: &NetworkBlock, setting: &Setting) -> Result<DecisionRun, Message> {
        let trial = networks::decision(&setting.network_params()?)?;
        let schedule: Vec<f64> = match block.coherences.is_empty() {
            true => vec![trial.coherence_pct],
            false => (0..block.trials)
                .flat_map(|_| block.coherences.iter().copied())
                .collect(),
        };
        let choices = block
            .coherences
            .iter()
            .map(|&coherence_pct| Choices {
                coherence_pct,
                ..Choices::default()
            })
            .collect();
        let first = *schedule
            .first()
            .ok_or_else(|| msg!("the block runs no trials", "这个块不运行任何试次"))?;
        let network = trial_network(&trial, first, setting.dt_ms, setting.seed)?;
        Ok(DecisionRun {
            steps_per_trial: network.steps_for(setting.duration_ms),
            trial,
            dt_ms: setting.dt_ms,
            seed: setting.seed,
            schedule,
            finished: 0,
            network,
            choices,
        })
    }

    pub fn steps_done(&self) -> usize {
        self.finished * self.steps_per_trial + self.network.steps_done()
    }

    pub fn total_steps(&self) -> usize {
        self.schedule.len() * self.steps_per_trial
    }

    pub fn neurons(&self) -> usize {
        self.network.neurons()
    }

    /// Advances up to `steps` steps, trial after trial; false once every trial is complete.
    pub fn advance(&mut self, mut steps: usize) -> bool {
        while steps > 0 && self.finished < self.schedule.len() {
            let left = self.steps_per_trial - self.network.steps_done();
            let now = steps.min(left);
            self.network.advance(now);
            steps -= now;
            if now == left {
                self.record();
                self.finished += 1;
                if let Some(&coherence) = self.schedule.get(self.finished) {
                    let seed = self.seed.wrapping_add(self.finished as u64);
                    // The first trial's setting was valid, and only the coherence changes.
                    self.network = trial_network(&self.trial, coherence, self.dt_ms, seed)
                        .expect("a valid trial");
                }
            }
        }
        self.finished < self.schedule.len()
    }

    /// Adds the finished trial's choice to its coherence's.
    fn record(&mut self) {
        let coherence = self.schedule[self.finished];
        let Some(choices) = self
            .choices
            .iter_mut()
            .find(|c| c.coherence_pct == coherence)
        else {
            return;
        };
        let choice = self.network.choice();
        choices.trials += 1;
        choices.a_wins += usize::from(choice.winner == Pool::A);
        choices.decision_ms.extend(choice.decision_ms);
    }

    /// The figures of the trials so far: the running (or last) trial's spikes, rates and
    /// stimulus, and the choices of the finished ones.
    pub fn figures(&self, block: &NetworkBlock) -> NetworkFigures {
        let groups = SHOWN.map(|pool| (pool.name(), self.network.spike_times_ms(pool)));
        let dt = self.dt_ms;
        let spiking = spiking(&groups, self.network.steps_done(), dt, block.rate_window_ms);
        let stimulus: Vec<(f64, f64)> = spiking
            .t_ms
            .iter()
            .map(|&t| self.network.stimulus_hz(t))
            .collect();
        // Named by the pool they drive; the figure's title says they are stimulus rates.
        let inputs = [("A", 0), ("B", 1)].map(|(name, k)| Series {
            name: name.into(),
            values: stimulus.iter().map(|rates| [rates.0, rates.1][k]).collect(),
        });
        NetworkFigures {
            groups: spiking.rasters,
            rates: spiking.rates,
            inputs: inputs.to_vec(),
            t_ms: spiking.t_ms,
            choices: self.choices.clone(),
            issues: Issues::default(),
            ..NetworkFigures::default()
        }
    }
}

/// A fresh network for one trial of `trial` at `coherence_pct`.
fn trial_network(
    trial: &Trial,
    coherence_pct: f64,
    dt_ms: f64,
    seed: u64,
) -> Result<Decision, Message> {
    let trial = Trial {
        coherence_pct,
        ..*trial
    };
    Decision::new(&trial, &trial.connections(), dt_ms, seed)
}
