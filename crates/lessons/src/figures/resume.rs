//! Training runs that pause, resume and save (`brainplay_content::checkpoint`): a run knows the
//! block, parameters and seed it trains with, starts from the setting's checkpoint where that
//! fits them, and writes its state into every figure it makes.

use std::collections::BTreeMap;

use brainplay_learn::checkpoint::TrainingState;
use serde::{Deserialize, Serialize};

use brainplay_sim::{msg, Message};

use crate::checkpoint::Checkpoint;
use crate::setting::Setting;

/// A trainer's state as a checkpoint carries it (`Checkpoint::state`, postcard).
#[derive(Serialize, Deserialize)]
struct Saved {
    theta: Vec<f32>,
    adam_m: Vec<f32>,
    adam_v: Vec<f32>,
    adam_steps: i32,
    losses: Vec<f64>,
    accuracies: Vec<f64>,
    /// (iterations done, test accuracy) after each epoch, where the block tests by epoch.
    tests: Vec<(usize, f64)>,
}

/// A trainer's state to continue from, with the epochs' tests so far.
pub(super) type Resumed = (TrainingState, Vec<(usize, f64)>);

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
    /// anew), as the trainer's state and the epochs' tests; a checkpoint that fits but cannot be
    /// read is an error.
    pub fn start_from(&self, setting: &Setting) -> Result<Option<Resumed>, Message> {
        let Some(c) = setting.resume.as_deref() else {
            return Ok(None);
        };
        if !c.fits(&self.block, &self.params, self.seed) {
            return Ok(None);
        }
        let saved: Saved = postcard::from_bytes(&c.state).map_err(|_| {
            msg!(
                "the saved network's state cannot be read",
                "无法读取保存的网络的状态"
            )
        })?;
        let state = TrainingState {
            theta: saved.theta,
            moments: (saved.adam_m, saved.adam_v),
            adam_steps: saved.adam_steps,
            losses: saved.losses,
            accuracies: saved.accuracies,
        };
        Ok(Some((state, saved.tests)))
    }

    /// The run's checkpoint at `state`.
    pub fn checkpoint(&self, state: TrainingState, tests: &[(usize, f64)]) -> Box<Checkpoint> {
        let (adam_m, adam_v) = state.moments;
        let iterations = state.losses.len();
        let saved = Saved {
            theta: state.theta,
            adam_m,
            adam_v,
            adam_steps: state.adam_steps,
            losses: state.losses,
            accuracies: state.accuracies,
            tests: tests.to_vec(),
        };
        Box::new(Checkpoint {
            block: self.block.clone(),
            params: self.params.clone(),
            seed: self.seed,
            iterations,
            // Serialising vectors into memory cannot fail.
            state: postcard::to_allocvec(&saved).unwrap_or_default(),
        })
    }
}
