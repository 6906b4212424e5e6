//! Spiking networks trained by surrogate gradients (lesson 14, curriculum §14.3): on the course's
//! random spike trains with random labels, or on the shipped digits latency-coded over 20 steps.
//! One training iteration per step; the figures show the loss, the accuracy (and the test
//! accuracy after every epoch of digits), and one sample's input spikes, hidden spikes, membrane
//! potentials and outputs.

use brainplay_learn::coding::{Latency, LatencyCode};
use brainplay_learn::digits::{Digits, PIXELS};
use brainplay_learn::snn::{random_task, shuffled, SnnShape, SnnTrainer, SpikeBatch};
use brainplay_sim::networks::{self, SNN_DIGITS, SNN_RANDOM};
use brainplay_sim::{msg, Message};

use super::panel::{line, panel};
use super::resume::Resumable;
use super::training::{diverged, loss_panel, MAX_TRAINING_PRODUCTS};
use crate::bilingual;
use crate::content::{Network as NetworkBlock, NetworkPlot};
use crate::figure::{Issues, Raster, TrainingFigures};
use crate::setting::{Runnable, Setting};
use crate::text::Text;

/// The random task's inputs and length (the course's: 100 inputs, 500 ms at dt = 1 ms).
const RANDOM_INPUTS: usize = 100;
const RANDOM_STEPS: usize = 500;
/// The digits: the first `TRAIN` images train, the rest test; 20 steps of 1 ms.
const TRAIN: usize = 800;
const DIGIT_STEPS: usize = 20;
/// Units whose potentials the figures show.
const SHOWN_UNITS: usize = 8;

/// What the network learns from.
enum Task {
    /// The same batch every iteration (the course's `Data` yields one batch 100 times).
    Random(SpikeBatch),
    /// Training images' spike trains by step, shuffled every epoch, in batches.
    Digits {
        trains: Vec<Vec<Vec<u32>>>,
        labels: Vec<usize>,
        test: SpikeBatch,
        batch: usize,
        order: Vec<usize>,
        seed: u64,
    },
}

/// A spiking network under training.
pub struct SnnRun {
    trainer: SnnTrainer,
    task: Task,
    iterations: usize,
    /// (iterations done, accuracy) after every epoch of digits.
    tests: Vec<(usize, f64)>,
    resumable: Resumable,
    error: Option<Message>,
}

impl SnnRun {
    pub fn start(block: &NetworkBlock, setting: &Setting) -> Result<SnnRun, Message> {
        let overrides = setting.network_params()?;
        let get = networks::values(&setting.model, &overrides)?;
        let count = |name: &str| get(name).round().max(1.0) as usize;
        let units = count("units");
        let (task, inputs, outputs, iterations, per_iteration) = match setting.model.as_str() {
            SNN_RANDOM => {
                let samples = count("samples");
                let batch = random_task(
                    samples,
                    RANDOM_INPUTS,
                    RANDOM_STEPS,
                    get("rate"),
                    setting.seed,
                );
                let iterations = count("iterations");
                (
                    Task::Random(batch),
                    RANDOM_INPUTS,
                    2,
                    iterations,
                    samples * RANDOM_STEPS,
                )
            }
            SNN_DIGITS => {
                let digits = Digits::from_bytes(&block.data)?;
                if digits.images.len() <= TRAIN {
                    return Err(msg!(
                        "the digits need more than {TRAIN} images",
                        "手写数字数据需要超过 {TRAIN} 张图像"
                    ));
                }
                let code = LatencyCode {
                    method: Latency::Log,
                    tau: get("tau"),
                    threshold: get("threshold"),
                    normalize: false,
                    clip: false,
                };
                let trains: Vec<Vec<Vec<u32>>> = (0..digits.images.len())
                    .map(|k| latency_trains(&code, &digits.intensities(k)))
                    .collect();
                let test =
                    SpikeBatch::new(PIXELS, &trains[TRAIN..], digits.labels[TRAIN..].to_vec());
                let batch = count("batch").min(TRAIN);
                let iterations = count("epochs") * TRAIN.div_ceil(batch);
                let task = Task::Digits {
                    trains: trains[..TRAIN].to_vec(),
                    labels: digits.labels[..TRAIN].to_vec(),
                    test,
                    batch,
                    order: Vec::new(),
                    seed: setting.seed,
                };
                (task, PIXELS, 10, iterations, batch * DIGIT_STEPS)
            }
            other => {
                return Err(msg!(
                    "`{other}` is not a spiking network to train",
                    "`{other}` 不是可训练的脉冲神经网络"
                ))
            }
        };
        let products =
            3.0 * iterations as f64 * per_iteration as f64 * (units * (units + outputs)) as f64;
        if products > MAX_TRAINING_PRODUCTS {
            return Err(msg!(
                "training {units} units for {iterations} iterations takes {products:.1e} multiply-adds, more than the {MAX_TRAINING_PRODUCTS:.0e} a run may (fewer units, samples or iterations)",
                "训练 {units} 个单元 {iterations} 次迭代需要 {products:.1e} 次乘加运算，超过了一次训练允许的 {MAX_TRAINING_PRODUCTS:.0e} 次（请减少单元数、样本数或迭代次数）"
            ));
        }
        let lr = get("lr");
        if !(lr.is_finite() && lr > 0.0) {
            return Err(msg!(
                "the learning rate cannot be {lr}",
                "学习率不能为 {lr}"
            ));
        }
        let shape = SnnShape::course(inputs, units, outputs);
        let mut trainer = SnnTrainer::new(shape, get("scale"), lr, setting.seed);
        let resumable = Resumable::of(&block.id, setting);
        let mut tests = Vec::new();
        if let Some((state, epochs)) = resumable.start_from(setting)? {
            trainer.restore(state)?;
            tests = epochs;
        }
        Ok(SnnRun {
            trainer,
            task,
            iterations,
            tests,
            resumable,
            error: None,
        })
    }

    pub fn total_steps(&self) -> usize {
        self.iterations
    }

    pub fn steps_done(&self) -> usize {
        self.trainer.losses.len()
    }

    /// Unit-steps of one iteration (samples × steps × units).
    pub fn neurons(&self) -> usize {
        let units = self.trainer.snn.shape.units;
        match &self.task {
            Task::Random(batch) => batch.trials * batch.steps * units,
            Task::Digits { batch, .. } => batch * DIGIT_STEPS * units,
        }
    }

    pub fn advance(&mut self, steps: usize) -> bool {
        for _ in 0..steps.min(self.iterations - self.steps_done()) {
            let done = self.steps_done();
            match &mut self.task {
                Task::Random(batch) => self.trainer.step(batch),
                Task::Digits {
                    trains,
                    labels,
                    test,
                    batch,
                    order,
                    seed,
                } => {
                    let per_epoch = TRAIN.div_ceil(*batch);
                    let (epoch, at) = (done / per_epoch, done % per_epoch);
                    // An epoch's order, drawn at its start (or where a resumed run picks it up).
                    if at == 0 || order.is_empty() {
                        *order = shuffled(TRAIN, seed.wrapping_add(epoch as u64));
                    }
                    let chosen = &order[at * *batch..((at + 1) * *batch).min(TRAIN)];
                    let samples: Vec<Vec<Vec<u32>>> =
                        chosen.iter().map(|&k| trains[k].clone()).collect();
                    let answers = chosen.iter().map(|&k| labels[k]).collect();
                    self.trainer
                        .step(&SpikeBatch::new(PIXELS, &samples, answers));
                    if at + 1 == per_epoch {
                        let accuracy = self.trainer.evaluate(test).1.accuracy;
                        self.tests.push((done + 1, accuracy));
                    }
                }
            }
            self.error = diverged(&self.trainer.losses);
            if self.error.is_some() {
                return false;
            }
        }
        self.steps_done() < self.iterations
    }

    pub fn figures(&self) -> TrainingFigures {
        let trainer = &self.trainer;
        let done = trainer.losses.len();
        let iterations: Vec<f64> = (1..=done).map(|k| k as f64).collect();
        let loss = loss_panel(&trainer.losses);
        let train_accuracy = trainer.accuracies.last().map_or(f64::NAN, |a| 100.0 * a);
        let test = self.tests.last().map(|(_, a)| 100.0 * a);
        let title = match test {
            Some(t) => Text::new(
                format!("Accuracy (%): last batch {train_accuracy:.0}, test images {t:.0}"),
                format!("准确率（%）：最后一批 {train_accuracy:.0}，测试图像 {t:.0}"),
            ),
            None => Text::new(
                format!("Training accuracy (%), last {train_accuracy:.0}"),
                format!("训练准确率（%），最后 {train_accuracy:.0}"),
            ),
        };
        let mut accuracy = panel(
            NetworkPlot::Accuracy,
            title,
            ("iteration", "迭代"),
            ("accuracy (%)", "准确率（%）"),
            iterations,
        );
        accuracy.lines = vec![line(
            "training batch",
            "训练批次",
            trainer.accuracies.iter().map(|a| 100.0 * a).collect(),
        )];
        if !self.tests.is_empty() {
            // The test accuracy of the latest epoch, held until the next one.
            let held = (1..=done)
                .map(|k| {
                    let latest = self.tests.iter().rev().find(|(at, _)| *at <= k);
                    latest.map_or(f64::NAN, |(_, a)| 100.0 * a)
                })
                .collect();
            accuracy.lines.push(line("test images", "测试图像", held));
        }
        // One sample through the network as it is now.
        let sample = match &self.task {
            Task::Random(batch) => batch.trial(0),
            Task::Digits { test, .. } => test.trial(0),
        };
        let snn = &trainer.snn;
        let (forward, _) = trainer.evaluate(&sample);
        let n = snn.shape.units;
        let steps = sample.steps;
        let t_ms: Vec<f64> = (1..=steps).map(|t| t as f64).collect();
        let mut units = panel(
            NetworkPlot::Units,
            Text::new(
                "Membrane potentials of the first units for one sample (threshold 1)",
                "一个样本中前几个单元的膜电位（阈值 1）",
            ),
            ("time (ms)", "时间（ms）"),
            ("V", "V"),
            t_ms.clone(),
        );
        units.lines = (0..n.min(SHOWN_UNITS))
            .map(|j| {
                let v = (0..steps)
                    .map(|t| f64::from(forward.potentials[t * n + j]))
                    .collect();
                line(&format!("V{j}"), &format!("V{j}"), v)
            })
            .collect();
        let o = snn.shape.outputs;
        let mut outputs = panel(
            NetworkPlot::Trial,
            Text::new(
                format!(
                    "Readout for one sample (label {}): the largest peak is the answer",
                    sample.labels[0]
                ),
                format!(
                    "一个样本的读出（标签 {}）：峰值最大者即为答案",
                    sample.labels[0]
                ),
            ),
            ("time (ms)", "时间（ms）"),
            ("output", "输出"),
            t_ms,
        );
        outputs.lines = (0..o)
            .map(|c| {
                let y = (0..steps)
                    .map(|t| f64::from(forward.outputs[t * o + c]))
                    .collect();
                line(&format!("class {c}"), &format!("类别 {c}"), y)
            })
            .collect();
        let hidden: Vec<Vec<u32>> = (0..steps)
            .map(|t| {
                (0..n as u32)
                    .filter(|&j| forward.spikes[t * n + j as usize] > 0.0)
                    .collect()
            })
            .collect();
        let input: Vec<Vec<u32>> = (0..steps).map(|t| sample.active(t, 0).to_vec()).collect();
        TrainingFigures {
            panels: vec![loss, accuracy, units, outputs],
            groups: vec![
                raster("x", sample.inputs, &input, 1.0),
                raster("s", n, &hidden, 1.0),
            ],
            raster_ms: steps as f64,
            checkpoint: Some(self.resumable.checkpoint(self.trainer.state(), &self.tests)),
            issues: Issues {
                error: self.error.clone().map(bilingual),
                warnings: Vec::new(),
            },
        }
    }
}

/// The images' latency code: the pixels spiking at each of the 20 steps (dt = 1 ms).
pub(super) fn latency_trains(code: &LatencyCode, intensities: &[f64]) -> Vec<Vec<u32>> {
    let mut steps = vec![Vec::new(); DIGIT_STEPS];
    for (i, &x) in intensities.iter().enumerate() {
        if let Some(t) = code.spike_step(x, DIGIT_STEPS as f64, 1.0) {
            steps[t].push(i as u32);
        }
    }
    steps
}

/// A raster of `neurons` from the spikes at each step (`spikes[t]`, at t·`dt_ms`).
pub(super) fn raster(name: &str, neurons: usize, spikes: &[Vec<u32>], dt_ms: f64) -> Raster {
    let (mut times_ms, mut indices) = (Vec::new(), Vec::new());
    for (t, active) in spikes.iter().enumerate() {
        for &i in active {
            times_ms.push((t as f64 * dt_ms) as f32);
            indices.push(i);
        }
    }
    Raster {
        name: name.to_string(),
        neurons,
        shown: neurons,
        spikes: indices.len(),
        times_ms,
        indices,
    }
}
