//! Training runs that pause, resume and save (`brainplay_content::checkpoint`): a run knows the
//! block, parameters and seed it trains with, starts from the setting's checkpoint where that
//! fits them, and writes its state into every figure it makes.

use std::collections::BTreeMap;

use brainplay_learn::checkpoint::TrainingState;

use crate::checkpoint::Checkpoint;
use crate::setting::Setting;

/// What a checkpoint must match to apply to a run.
pub(super) struct Resumable {
    block: String,
    params: BTreeMap<String, Vec<f64>>,
    seed: u64,
}

impl Resumable {
    pub fn of(block: &str, setting: &Setting) -> Resumable {
        Resumable {
            block: block.to_string(),
            params: setting.params.clone(),
            seed: setting.seed,
        }
    }

    /// The setting's checkpoint, where it belongs to this run (a changed slider or seed trains
    /// anew), as the trainer's state and the epochs' tests.
    pub fn start_from(&self, setting: &Setting) -> Option<(TrainingState, Vec<(usize, f64)>)> {
        let c = setting.resume.as_deref()?;
        c.fits(&self.block, &self.params, self.seed).then(|| {
            let state = TrainingState {
                theta: c.theta.clone(),
                moments: (c.adam_m.clone(), c.adam_v.clone()),
                adam_steps: c.adam_steps,
                losses: c.losses.clone(),
                accuracies: c.accuracies.clone(),
            };
            (state, c.tests.clone())
        })
    }

    /// The run's checkpoint at `state`.
    pub fn checkpoint(&self, state: TrainingState, tests: &[(usize, f64)]) -> Box<Checkpoint> {
        let (adam_m, adam_v) = state.moments;
        Box::new(Checkpoint {
            block: self.block.clone(),
            params: self.params.clone(),
            seed: self.seed,
            theta: state.theta,
            adam_m,
            adam_v,
            adam_steps: state.adam_steps,
            losses: state.losses,
            accuracies: state.accuracies,
            tests: tests.to_vec(),
        })
    }
}
