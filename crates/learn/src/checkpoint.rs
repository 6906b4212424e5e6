//! A gradient-trained network's whole state after some iterations: its parameters, its
//! optimiser and its curves so far. A run restored from it continues exactly as the run that
//! made it would have (both trainers draw an iteration's batch from the iteration's number), so
//! a paused run resumes bit for bit, and a saved network loads back with the same predictions.

use brainplay_sim::{msg, Message};

use crate::adam::Adam;

#[derive(Clone, Debug, PartialEq)]
pub struct TrainingState {
    pub theta: Vec<f32>,
    /// Adam's first and second moments and its step count.
    pub moments: (Vec<f32>, Vec<f32>),
    pub adam_steps: i32,
    /// Per iteration done.
    pub losses: Vec<f64>,
    pub accuracies: Vec<f64>,
}

impl TrainingState {
    pub(crate) fn of(theta: &[f32], adam: &Adam<f32>, losses: &[f64], accuracies: &[f64]) -> Self {
        let (m, v, adam_steps) = adam.state();
        TrainingState {
            theta: theta.to_vec(),
            moments: (m.to_vec(), v.to_vec()),
            adam_steps,
            losses: losses.to_vec(),
            accuracies: accuracies.to_vec(),
        }
    }

    /// Puts this state into a trainer's parameters, optimiser and curves, or says why it is
    /// not one of its (another number of parameters) and changes nothing.
    pub(crate) fn restore_into(
        self,
        theta: &mut Vec<f32>,
        adam: &mut Adam<f32>,
        (losses, accuracies): (&mut Vec<f64>, &mut Vec<f64>),
    ) -> Result<(), Message> {
        let (parameters, found) = (theta.len(), self.theta.len());
        let moments = (self.moments.0, self.moments.1, self.adam_steps);
        let restored = (found == parameters && self.losses.len() == self.accuracies.len())
            .then(|| Adam::restored(parameters, adam.learning_rate, moments))
            .flatten()
            .ok_or_else(|| {
                msg!(
                    "the saved network has {found} parameters and this one {parameters}: it was trained with other settings",
                    "保存的网络有 {found} 个参数，而这个网络有 {parameters} 个：它是用别的设置训练的"
                )
            })?;
        *adam = restored;
        *theta = self.theta;
        *losses = self.losses;
        *accuracies = self.accuracies;
        Ok(())
    }
}
