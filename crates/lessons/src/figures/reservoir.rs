//! An echo state network's figures (lesson 12, the course's F12.1–F12.10): the Mackey–Glass
//! series and its attractor, the test's prediction against the truth with both errors, and the
//! reservoir's first units over the test.

use brainplay_learn::esn::{EsnRun, Reservoir, ReservoirSpec, Task};
use brainplay_learn::mackey_glass::MackeyGlass;
use brainplay_sim::networks::{self, ESN};
use brainplay_sim::{msg, Message};

use crate::bilingual;
use crate::figure::{Issues, ReservoirFigures, Series};
use crate::setting::{Runnable, Setting};

/// The series figures show its first `SERIES_SPAN` time units, every `SERIES_EVERY`.
const SERIES_SPAN: f64 = 800.0;
const SERIES_EVERY: f64 = 2.0;
/// The prediction figure shows the test's first time units (the course's F12.3: 500).
const PREDICTION_SPAN: f64 = 500.0;
/// The states figure shows this many units over the test's first steps.
const STATE_UNITS: usize = 10;
const STATE_STEPS: usize = 1000;
/// The Mackey–Glass series is integrated at the course's step; coarser samples are taken from it.
const INTEGRATION_DT: f64 = 0.1;
/// The most samples a run may read (the course's task at step 0.1 reads 250 000), and the most
/// products the readout's normal equations may take ((units + 1)²/2 per training sample: the
/// course's task at step 0.1 takes 10⁹, the largest reservoir of the slider at step 1 10¹⁰).
pub const MAX_SAMPLES: usize = 600_000;
pub const MAX_RIDGE_PRODUCTS: f64 = 2e10;

/// A run under way.
pub struct ReservoirRun {
    run: EsnRun,
    /// Time units per sample.
    step: f64,
    figures: ReservoirFigures,
}

impl ReservoirRun {
    pub fn start(setting: &Setting) -> Result<ReservoirRun, Message> {
        let overrides = setting.network_params()?;
        let get = networks::values(ESN, &overrides)?;
        let step = get("step");
        let stride = (step / INTEGRATION_DT).round().max(1.0) as usize;
        let step = stride as f64 * INTEGRATION_DT;
        let samples = |time: &str| (get(time) / step).round().max(0.0) as usize;
        let task = Task {
            forecast: samples("forecast").max(1),
            warmup: samples("warmup"),
            train: samples("train"),
            test: samples("test"),
            alpha: get("alpha"),
        };
        if task.samples() > MAX_SAMPLES {
            return Err(msg!(
                "the task reads {} samples of the series; at most {MAX_SAMPLES} (take a larger step or shorter lengths)",
                "任务要读取时间序列的 {} 个样本，最多只能读 {MAX_SAMPLES} 个（请增大步长或缩短各段长度）",
                task.samples()
            ));
        }
        let equation = MackeyGlass {
            tau: get("tau"),
            dt: INTEGRATION_DT,
            ..MackeyGlass::default()
        };
        // The series' history comes from the seed too; the reservoir from the next seed.
        // Long enough for the task and for the series figures.
        let length = (task.samples() * stride).max((SERIES_SPAN / INTEGRATION_DT) as usize + 1);
        let fine = equation.series(length, setting.seed)?;
        let series: Vec<f64> = fine
            .iter()
            .step_by(stride)
            .take(task.samples())
            .copied()
            .collect();
        let units = get("units").round().max(0.0) as usize;
        let ridge_products = task.train as f64 * ((units + 1) as f64).powi(2) / 2.0;
        if ridge_products > MAX_RIDGE_PRODUCTS {
            return Err(msg!(
                "training {units} units on {} samples takes {ridge_products:.1e} products, more than the {MAX_RIDGE_PRODUCTS:.0e} a run may (fewer units, a larger step or a shorter training)",
                "在 {} 个样本上训练 {units} 个单元需要 {ridge_products:.1e} 次乘法，超过了一次运行允许的 {MAX_RIDGE_PRODUCTS:.0e} 次（请减少单元数、增大步长或缩短训练）",
                task.train
            ));
        }
        let reservoir = Reservoir::new(&ReservoirSpec {
            units,
            spectral_radius: get("sr"),
            leak: get("leak"),
            input_scale: get("input_scale"),
            seed: setting.seed.wrapping_add(1),
        })?;
        let delay = equation.delay_samples();
        let every = (SERIES_EVERY / INTEGRATION_DT) as usize;
        let shown = ((SERIES_SPAN / INTEGRATION_DT) as usize).min(fine.len());
        let indices: Vec<usize> = (delay..shown.max(delay)).step_by(every).collect();
        let figures = ReservoirFigures {
            series_t: indices.iter().map(|&k| k as f64 * INTEGRATION_DT).collect(),
            series: indices.iter().map(|&k| fine[k]).collect(),
            delayed: indices.iter().map(|&k| fine[k - delay]).collect(),
            drawn_radius: reservoir.drawn_radius(),
            ..ReservoirFigures::default()
        };
        let run = EsnRun::new(series, task, reservoir, (STATE_UNITS, STATE_STEPS))?;
        Ok(ReservoirRun { run, step, figures })
    }

    pub fn steps_done(&self) -> usize {
        self.run.steps_done()
    }

    pub fn total_steps(&self) -> usize {
        self.run.total_steps()
    }

    /// The reservoir's units (what a step costs, and what bounds the run with its steps).
    pub fn neurons(&self) -> usize {
        self.run.units()
    }

    pub fn advance(&mut self, steps: usize) -> bool {
        self.run.advance(steps)
    }

    /// The figures of the run so far.
    pub fn figures(&self) -> ReservoirFigures {
        let run = &self.run;
        let task = run.task();
        let first_test = task.warmup + task.train;
        let shown = run
            .predictions
            .len()
            .min((PREDICTION_SPAN / self.step).round() as usize);
        let time = |k: usize| (first_test + k + task.forecast) as f64 * self.step;
        let states_steps = run.recorded.first().map_or(0, Vec::len);
        ReservoirFigures {
            test_t: (0..shown).map(time).collect(),
            truth: run.series()[first_test + task.forecast..][..shown].to_vec(),
            prediction: run.predictions[..shown].to_vec(),
            train_mse: run.train_mse(),
            test_mse: run.test_mse(),
            states_t: (0..states_steps)
                .map(|k| (first_test + k) as f64 * self.step)
                .collect(),
            states: run
                .recorded
                .iter()
                .enumerate()
                .map(|(i, values)| Series {
                    name: format!("h{i}"),
                    values: values.clone(),
                })
                .collect(),
            saturation: run.saturation(),
            issues: Issues {
                error: run.error().cloned().map(bilingual),
                warnings: Vec::new(),
            },
            ..self.figures.clone()
        }
    }
}
