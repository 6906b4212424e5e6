//! A decision network's figures (lesson 10, the course's F10.1–F10.3): the spike rasters of the
//! selective pools A and B, their population rates, and the stimulus rates they receive.

use brainplay_sim::decision::{Decision, Pool};
use brainplay_sim::networks;

use super::network::{population_rate, raster, MAX_RASTER_SPIKES, RATE_SAMPLE_MS};
use crate::content::Network as NetworkBlock;
use crate::figure::{Issues, NetworkFigures, Series};
use crate::setting::{Runnable, Setting};

/// The pools the figures show: the two that compete.
const SHOWN: [Pool; 2] = [Pool::A, Pool::B];

/// A trial under way.
pub struct DecisionRun {
    network: Decision,
    total: usize,
}

impl DecisionRun {
    pub fn start(setting: &Setting) -> Result<DecisionRun, String> {
        let trial = networks::decision(&setting.network_params()?)?;
        let network = Decision::new(&trial, &trial.connections(), setting.dt_ms, setting.seed)?;
        let total = network.steps_for(setting.duration_ms);
        Ok(DecisionRun { network, total })
    }

    pub fn steps_done(&self) -> usize {
        self.network.steps_done()
    }

    pub fn total_steps(&self) -> usize {
        self.total
    }

    pub fn neurons(&self) -> usize {
        self.network.neurons()
    }

    /// Advances up to `steps` steps; false once the trial is complete.
    pub fn advance(&mut self, steps: usize) -> bool {
        let left = self.total - self.network.steps_done();
        self.network.advance(steps.min(left));
        self.network.steps_done() < self.total
    }

    /// The figures of the trial so far.
    pub fn figures(&self, block: &NetworkBlock, setting: &Setting) -> NetworkFigures {
        let dt = setting.dt_ms;
        let steps = self.network.steps_done();
        let spikes = SHOWN.map(|pool| self.network.spike_times_ms(pool));
        let stride = ((RATE_SAMPLE_MS / dt).round() as usize).max(1);
        let samples: Vec<usize> = (0..steps).step_by(stride).collect();
        let t_ms: Vec<f64> = samples.iter().map(|&i| i as f64 * dt).collect();
        let window = ((block.rate_window_ms / dt).round() as usize).max(1);
        let stimulus: Vec<(f64, f64)> = t_ms.iter().map(|&t| self.network.stimulus_hz(t)).collect();
        let inputs = [("stimulus → A", 0), ("stimulus → B", 1)].map(|(name, k)| Series {
            name: name.into(),
            values: stimulus.iter().map(|rates| [rates.0, rates.1][k]).collect(),
        });
        NetworkFigures {
            groups: SHOWN
                .iter()
                .zip(spikes)
                .map(|(pool, times)| raster(pool.name(), times, MAX_RASTER_SPIKES / SHOWN.len()))
                .collect(),
            rates: SHOWN
                .iter()
                .zip(spikes)
                .map(|(pool, times)| Series {
                    name: pool.name().to_string(),
                    values: population_rate(times, steps, dt, window, &samples),
                })
                .collect(),
            inputs: inputs.to_vec(),
            t_ms,
            issues: Issues::default(),
            ..NetworkFigures::default()
        }
    }
}
