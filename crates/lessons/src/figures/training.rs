//! Training runs' figures (lesson 13): the course's scalar RNN trained by RTRL (F13.1–F13.3 and
//! its epoch log) and a rate RNN trained by BPTT with Adam on the decision task (loss and
//! accuracy as it trains, the psychometric curve, one test trial's inputs, outputs and units).
//! Each run advances one epoch or iteration per step, so the page shows training live.

use brainplay_learn::decision_task::DecisionTask;
use brainplay_learn::rate_rnn::{Trainer, TrainerSpec};
use brainplay_learn::rtrl::{self, Epoch, Sensitivity, Sequence, Unit};
use brainplay_sim::networks::{self, RATE_RNN, RTRL};
use brainplay_sim::{msg, Message};

use super::panel::{line, panel};
use super::resume::Resumable;
use crate::bilingual;
use crate::content::{Network as NetworkBlock, NetworkPlot};
use crate::figure::{Issues, Panel, TrainingFigures};
use crate::setting::{Runnable, Setting};
use crate::text::Text;

/// The decision task's step (ms): its periods in the lesson are given in ms.
const TASK_STEP_MS: f64 = 20.0;
/// Test trials per signed coherence for the psychometric curve.
const TEST_TRIALS: usize = 40;
/// The coherence of the trial the trial figures show, and the units they show.
const SHOWN_COHERENCE: f64 = 0.128;
const SHOWN_UNITS: usize = 8;
/// The most multiply-adds a training run may take (about a minute in the browser).
pub const MAX_TRAINING_PRODUCTS: f64 = 2e11;

/// Why training stopped, if its last loss is not a finite number.
pub(super) fn diverged(losses: &[f64]) -> Option<Message> {
    (!losses.last().is_some_and(|l| l.is_finite())).then(|| {
        msg!(
            "the loss is no longer a finite number: a smaller learning rate may keep training stable",
            "损失不再是有限数：减小学习率也许能让训练保持稳定"
        )
    })
}

/// The cross-entropy of every training iteration so far.
pub(super) fn loss_panel(losses: &[f64]) -> Panel {
    let done = losses.len();
    let last = losses.last().copied().unwrap_or(f64::NAN);
    let mut loss = panel(
        NetworkPlot::Loss,
        Text::new(
            format!("Training loss ({done} iterations, last {last:.3})"),
            format!("训练损失（{done} 次迭代，最后 {last:.3}）"),
        ),
        ("iteration", "迭代"),
        ("cross-entropy", "交叉熵"),
        (1..=done).map(|k| k as f64).collect(),
    );
    loss.lines = vec![line("loss", "损失", losses.to_vec())];
    loss
}

/// The course's scalar RNN under training, one epoch per step.
pub struct SequenceRun {
    data: Sequence,
    start: Unit,
    eta: f64,
    epochs: usize,
    sensitivity: Sensitivity,
    log: Vec<Epoch>,
    error: Option<Message>,
}

impl SequenceRun {
    pub fn start(setting: &Setting) -> Result<SequenceRun, Message> {
        let overrides = setting.network_params()?;
        let get = networks::values(RTRL, &overrides)?;
        let start = Unit {
            w: get("w"),
            b: get("b"),
        };
        let eta = get("eta");
        if !(eta.is_finite() && start.w.is_finite() && start.b.is_finite()) {
            return Err(msg!(
                "η, w and b must be finite numbers",
                "η、w 和 b 必须是有限数"
            ));
        }
        Ok(SequenceRun {
            data: Sequence::course(setting.seed),
            start,
            eta,
            epochs: get("epochs").round().clamp(1.0, 10_000.0) as usize,
            sensitivity: match get("exact") >= 0.5 {
                true => Sensitivity::Exact,
                false => Sensitivity::Notebook,
            },
            log: Vec::new(),
            error: None,
        })
    }

    pub fn total_steps(&self) -> usize {
        self.epochs
    }

    pub fn steps_done(&self) -> usize {
        self.log.len()
    }

    /// One unit.
    pub fn neurons(&self) -> usize {
        1
    }

    pub fn advance(&mut self, steps: usize) -> bool {
        for _ in 0..steps.min(self.epochs - self.log.len()) {
            let unit = self.log.last().map_or(self.start, |e| e.unit);
            let epoch = rtrl::train(&self.data, unit, self.eta, 1, self.sensitivity)[0];
            if !epoch.loss.is_finite() {
                self.error = Some(msg!(
                    "the loss is no longer a finite number after {} epochs: the steps overshoot (a smaller η)",
                    "训练 {} 轮后损失不再是有限数：参数更新的步长过大（请减小 η）",
                    self.log.len()
                ));
                return false;
            }
            self.log.push(epoch);
        }
        self.log.len() < self.epochs
    }

    pub fn figures(&self) -> TrainingFigures {
        let data = &self.data;
        let index: Vec<f64> = (0..data.x.len()).map(|k| k as f64).collect();
        let epochs: Vec<f64> = (0..self.log.len()).map(|k| k as f64).collect();
        let unit = self.log.last().map_or(self.start, |e| e.unit);
        let output = |u: Unit| u.run(data, Sensitivity::Exact).r;
        let (gw, gb) = self.start.gradient(data, self.sensitivity);
        let (fw, fb) = self.start.finite_difference(data, 1e-6);
        let last_loss = self.log.last().map_or(self.start.loss(data), |e| e.loss);
        let mut data_panel = panel(
            NetworkPlot::Data,
            Text::new("Input x and target y", "输入 x 与目标 y"),
            ("step", "步"),
            ("value", "数值"),
            index.clone(),
        );
        data_panel.lines = vec![
            line("input x", "输入 x", data.x.clone()),
            line("target y", "目标 y", data.y.clone()),
        ];
        let mut fit = panel(
            NetworkPlot::Fit,
            Text::new(
                format!(
                    "Output r and target y (w = {:.3}, b = {:.3})",
                    unit.w, unit.b
                ),
                format!("输出 r 与目标 y（w = {:.3}，b = {:.3}）", unit.w, unit.b),
            ),
            ("step", "步"),
            ("value", "数值"),
            index,
        );
        fit.lines = vec![
            line("target y", "目标 y", data.y.clone()),
            line("before training", "训练前", output(self.start)),
            line("after training", "训练后", output(unit)),
        ];
        let mut loss = panel(
            NetworkPlot::Loss,
            Text::new(
                format!("Loss by epoch (last {last_loss:.4})"),
                format!("各轮的损失（最后 {last_loss:.4}）"),
            ),
            ("epoch", "轮"),
            ("loss", "损失"),
            epochs.clone(),
        );
        loss.lines = vec![line(
            "loss",
            "损失",
            self.log.iter().map(|e| e.loss).collect(),
        )];
        let mut params = panel(
            NetworkPlot::Parameters,
            Text::new(
                format!("w and b by epoch; at the start RTRL gives ∂l/∂w = {gw:.4}, ∂l/∂b = {gb:.4}, finite differences {fw:.4}, {fb:.4}"),
                format!("各轮的 w 与 b；起点处 RTRL 给出 ∂l/∂w = {gw:.4}，∂l/∂b = {gb:.4}，有限差分为 {fw:.4}、{fb:.4}"),
            ),
            ("epoch", "轮"),
            ("value", "数值"),
            epochs,
        );
        params.lines = vec![
            line("w", "w", self.log.iter().map(|e| e.unit.w).collect()),
            line("b", "b", self.log.iter().map(|e| e.unit.b).collect()),
        ];
        TrainingFigures {
            panels: vec![data_panel, fit, loss, params],
            issues: Issues {
                error: self.error.clone().map(bilingual),
                warnings: Vec::new(),
            },
            ..TrainingFigures::default()
        }
    }
}

/// A rate RNN under training on the decision task, one iteration per step.
pub struct RnnRun {
    trainer: Trainer,
    iterations: usize,
    seed: u64,
    resumable: Resumable,
    error: Option<Message>,
}

impl RnnRun {
    pub fn start(block: &NetworkBlock, setting: &Setting) -> Result<RnnRun, Message> {
        let overrides = setting.network_params()?;
        let get = networks::values(RATE_RNN, &overrides)?;
        let count = |name: &str| get(name).round().max(0.0) as usize;
        let task = DecisionTask {
            delay: (get("delay") / TASK_STEP_MS).round().max(0.0) as usize,
            noise: get("noise"),
            ..DecisionTask::default()
        };
        let spec = TrainerSpec {
            units: count("units"),
            alpha: get("alpha"),
            gain: get("gain"),
            learning_rate: get("lr"),
            trials: count("batch"),
            seed: setting.seed,
        };
        let iterations = count("iterations");
        let products = 3.0
            * iterations as f64
            * (spec.trials * task.steps()) as f64
            * (spec.units * (spec.units + 5)) as f64;
        if products > MAX_TRAINING_PRODUCTS {
            return Err(msg!(
                "training {} units on {} trials for {iterations} iterations takes {products:.1e} multiply-adds, more than the {MAX_TRAINING_PRODUCTS:.0e} a run may (fewer units, trials or iterations)",
                "在 {1} 个试次上训练 {0} 个单元 {iterations} 次迭代需要 {products:.1e} 次乘加运算，超过了一次训练允许的 {MAX_TRAINING_PRODUCTS:.0e} 次（请减少单元数、试次数或迭代次数）",
                spec.units,
                spec.trials
            ));
        }
        let mut trainer = Trainer::new(task, &spec)?;
        let resumable = Resumable::of(&block.id, setting);
        if let Some((state, _)) = resumable.start_from(setting)? {
            trainer.restore(state)?;
        }
        Ok(RnnRun {
            trainer,
            iterations,
            seed: setting.seed,
            resumable,
            error: None,
        })
    }

    pub fn total_steps(&self) -> usize {
        self.iterations
    }

    pub fn steps_done(&self) -> usize {
        self.trainer.iterations()
    }

    /// Unit-steps of one iteration (trials × steps × units).
    pub fn neurons(&self) -> usize {
        self.trainer.trials * self.trainer.task.steps() * self.trainer.rnn.shape.units
    }

    pub fn advance(&mut self, steps: usize) -> bool {
        for _ in 0..steps.min(self.iterations - self.steps_done()) {
            self.trainer.step();
            self.error = diverged(&self.trainer.losses);
            if self.error.is_some() {
                return false;
            }
        }
        self.steps_done() < self.iterations
    }

    pub fn figures(&self) -> TrainingFigures {
        let trainer = &self.trainer;
        let done = trainer.iterations();
        let iterations: Vec<f64> = (1..=done).map(|k| k as f64).collect();
        let loss = loss_panel(&trainer.losses);
        let mut accuracy = panel(
            NetworkPlot::Accuracy,
            Text::new("Training accuracy per batch (%)", "每批训练准确率（%）"),
            ("iteration", "迭代"),
            ("accuracy (%)", "准确率（%）"),
            iterations,
        );
        accuracy.lines = vec![line(
            "accuracy",
            "准确率",
            trainer.accuracies.iter().map(|a| 100.0 * a).collect(),
        )];
        // The test trials: the same noise for every figure of this run.
        let batch = trainer.test_batch(TEST_TRIALS, self.seed);
        let (forward, score) = trainer.evaluate(&batch);
        let signed: Vec<f64> = batch.coherences.chunks(TEST_TRIALS).map(|c| c[0]).collect();
        let chose_a: Vec<f64> = score
            .choices
            .chunks(TEST_TRIALS)
            .map(|c| 100.0 * c.iter().filter(|&&k| k == 0).count() as f64 / c.len() as f64)
            .collect();
        let mut psychometric = panel(
            NetworkPlot::Psychometric,
            Text::new(
                format!(
                    "Choices on test trials ({:.0} % correct)",
                    100.0 * score.accuracy
                ),
                format!("测试试次中的选择（正确率 {:.0} %）", 100.0 * score.accuracy),
            ),
            ("coherence (%, > 0: A stronger)", "一致性（%，> 0：A 更强）"),
            ("chose A (%)", "选择 A（%）"),
            signed.iter().map(|c| 100.0 * c).collect(),
        );
        psychometric.lines = vec![
            line("chose A", "选择 A", chose_a),
            line("chance", "随机水平", vec![50.0; signed.len()]),
        ];
        // The first test trial at the shown coherence.
        let shown = batch
            .coherences
            .iter()
            .position(|&c| c == SHOWN_COHERENCE)
            .unwrap_or(0);
        let steps = batch.steps;
        let t_ms: Vec<f64> = (0..steps).map(|t| (t + 1) as f64 * TASK_STEP_MS).collect();
        let input = |k: usize| -> Vec<f64> {
            (0..steps)
                .map(|t| f64::from(batch.inputs[(t * batch.trials + shown) * 3 + k]))
                .collect()
        };
        let output = |o: usize| -> Vec<f64> {
            (0..steps)
                .map(|t| f64::from(forward.outputs[(t * batch.trials + shown) * 2 + o]))
                .collect()
        };
        let percent = 100.0 * SHOWN_COHERENCE;
        let mut trial = panel(
            NetworkPlot::Trial,
            Text::new(
                format!("A test trial at coherence {percent:.1} %: inputs and outputs"),
                format!("一致性 {percent:.1} % 的测试试次：输入与输出"),
            ),
            ("time (ms)", "时间（ms）"),
            ("value", "数值"),
            t_ms.clone(),
        );
        trial.lines = vec![
            line("fixation cue", "注视提示", input(0)),
            line("evidence A", "证据 A", input(1)),
            line("evidence B", "证据 B", input(2)),
            line("output A", "输出 A", output(0)),
            line("output B", "输出 B", output(1)),
        ];
        let mut units = panel(
            NetworkPlot::Units,
            Text::new(
                format!("The first {SHOWN_UNITS} units in that trial"),
                format!("该试次中前 {SHOWN_UNITS} 个单元"),
            ),
            ("time (ms)", "时间（ms）"),
            ("rate r = tanh(h)", "发放率 r = tanh(h)"),
            t_ms,
        );
        units.lines = trainer
            .rnn
            .unit_rates(&forward, batch.trials, shown, SHOWN_UNITS)
            .into_iter()
            .enumerate()
            .map(|(i, values)| line(&format!("r{i}"), &format!("r{i}"), values))
            .collect();
        TrainingFigures {
            panels: vec![loss, accuracy, psychometric, trial, units],
            checkpoint: Some(self.resumable.checkpoint(trainer.state(), &[])),
            issues: Issues {
                error: self.error.clone().map(bilingual),
                warnings: Vec::new(),
            },
            ..TrainingFigures::default()
        }
    }
}
