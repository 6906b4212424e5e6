//! The course's echo state network (curriculum §12.3): a leaky reservoir of tanh units driven by
//! one input, read out linearly, the readout trained by ridge regression, on a forecasting task
//! (the series now → the series `forecast` samples later).
//!
//! Reservoir (BrainPy's `Reservoir` with the course's values): input weights U(0, s) kept with
//! probability 0.1; recurrent weights N(0, 0.1) kept with probability 0.1 and rescaled so that
//! the largest eigenvalue modulus is |sr| (a negative sr flips their sign); no bias;
//! h ← (1 − a) h + a tanh(W_in u + W h). Readout y = b + w·h.
//!
//! A run (`EsnRun`) goes through the series once: warm-up (the state settles, nothing learnt),
//! training (each state and its target go into the ridge sums; the readout is solved at the
//! end), test (the readout predicts, the squared errors add up), in slices so that a page can
//! show progress.

use brainplay_sim::{msg, Message};
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Normal};
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::eigen::spectral_radius;
use crate::ridge::Ridge;

/// Fraction of the input and recurrent weights that are not zero (BrainPy's default).
const CONNECTIVITY: f64 = 0.1;
/// Standard deviation of the recurrent weights before rescaling.
const W_REC_SD: f64 = 0.1;

/// What shapes a reservoir.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReservoirSpec {
    pub units: usize,
    /// The spectral radius the recurrent weights are rescaled to (its sign flips them).
    pub spectral_radius: f64,
    pub leak: f64,
    /// Input weights are uniform on [0, input_scale].
    pub input_scale: f64,
    pub seed: u64,
}

/// A reservoir and its state.
pub struct Reservoir {
    leak: f64,
    w_in: Vec<f64>,
    /// The recurrent weights by target unit: unit i receives `values[k]` from `sources[k]` for
    /// k in `starts[i]..starts[i + 1]`.
    starts: Vec<usize>,
    sources: Vec<usize>,
    values: Vec<f64>,
    /// The spectral radius of the weights as drawn, before rescaling.
    drawn_radius: f64,
    pub state: Vec<f64>,
    drive: Vec<f64>,
}

/// The most units a reservoir may have (its eigenvalues are computed densely).
pub const MAX_UNITS: usize = 2000;

impl Reservoir {
    #[inline(never)]
    pub fn new(spec: &ReservoirSpec) -> Result<Reservoir, Message> {
        let n = spec.units;
        if !(1..=MAX_UNITS).contains(&n) {
            return Err(msg!(
                "a reservoir has 1 to {MAX_UNITS} units, got {n}",
                "储备池应有 1 到 {MAX_UNITS} 个单元，实际为 {n} 个"
            ));
        }
        let checks = [
            (
                ("the leak", "泄漏率"),
                spec.leak,
                spec.leak > 0.0 && spec.leak <= 1.0,
            ),
            (
                ("the input scale", "输入缩放"),
                spec.input_scale,
                spec.input_scale >= 0.0,
            ),
            (
                ("the spectral radius", "谱半径"),
                spec.spectral_radius,
                true,
            ),
        ];
        if let Some(((en, zh), v, _)) = checks.iter().find(|(_, v, ok)| !(v.is_finite() && *ok)) {
            return Err(msg!("{en} cannot be {v}", "{zh}不能为 {v}"));
        }
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(spec.seed);
        let w_in = (0..n)
            .map(|_| match rng.random::<f64>() < CONNECTIVITY {
                true => rng.random::<f64>() * spec.input_scale,
                false => 0.0,
            })
            .collect();
        let normal = Normal::new(0.0, W_REC_SD).expect("a positive, finite standard deviation");
        let mut dense = vec![0.0; n * n];
        for w in dense.iter_mut() {
            if rng.random::<f64>() < CONNECTIVITY {
                *w = normal.sample(&mut rng);
            }
        }
        let drawn_radius = spectral_radius(&dense, n)?;
        let scale = match drawn_radius > 0.0 {
            true => spec.spectral_radius / drawn_radius,
            false => 0.0,
        };
        let (mut starts, mut sources, mut values) = (vec![0], Vec::new(), Vec::new());
        for row in dense.chunks(n) {
            for (j, &w) in row.iter().enumerate().filter(|(_, w)| **w != 0.0) {
                sources.push(j);
                values.push(w * scale);
            }
            starts.push(sources.len());
        }
        Ok(Reservoir {
            leak: spec.leak,
            w_in,
            starts,
            sources,
            values,
            drawn_radius,
            state: vec![0.0; n],
            drive: vec![0.0; n],
        })
    }

    /// The spectral radius of the recurrent weights before they were rescaled.
    pub fn drawn_radius(&self) -> f64 {
        self.drawn_radius
    }

    /// The recurrent weights as a dense matrix (row i: the weights onto unit i).
    pub fn dense_weights(&self) -> Vec<f64> {
        let n = self.state.len();
        let mut dense = vec![0.0; n * n];
        for i in 0..n {
            for k in self.starts[i]..self.starts[i + 1] {
                dense[i * n + self.sources[k]] = self.values[k];
            }
        }
        dense
    }

    /// One step with input `u`.
    pub fn step(&mut self, u: f64) {
        for (i, d) in self.drive.iter_mut().enumerate() {
            let range = self.starts[i]..self.starts[i + 1];
            let recurrent = sparse_dot(
                &self.sources[range.clone()],
                &self.values[range],
                &self.state,
            );
            *d = (self.w_in[i] * u + recurrent).tanh();
        }
        let a = self.leak;
        for (h, &d) in self.state.iter_mut().zip(&self.drive) {
            *h = (1.0 - a) * *h + a * d;
        }
    }
}

/// Σ values[k] · state[sources[k]], in four interleaved partial sums: one running sum waits
/// for each addition before the next (the step's cost at 1000 units); four keep the adder busy.
fn sparse_dot(sources: &[usize], values: &[f64], state: &[f64]) -> f64 {
    let mut sums = [0.0; 4];
    let (mut sources4, mut values4) = (sources.chunks_exact(4), values.chunks_exact(4));
    for (j, w) in (&mut sources4).zip(&mut values4) {
        for lane in 0..4 {
            sums[lane] += w[lane] * state[j[lane]];
        }
    }
    let rest: f64 = (sources4.remainder().iter())
        .zip(values4.remainder())
        .map(|(&j, &w)| w * state[j])
        .sum();
    (sums[0] + sums[1]) + (sums[2] + sums[3]) + rest
}

/// Lesson 12's task 1 as its page runs it, once (a benchmark): the Mackey–Glass series sampled
/// every time unit, a 100-unit reservoir with spectral radius 1, 100 warm-up, 20 000 training and
/// 4000 test steps, one ridge solve. Returns the number of test predictions.
pub fn course_task_once(seed: u64) -> usize {
    let task = Task {
        forecast: 1,
        warmup: 100,
        train: 20_000,
        test: 4000,
        alpha: 1e-6,
    };
    run_once(task, 100, seed).predictions.len()
}

/// Issue 10's large benchmark, once: a 1000-unit reservoir (its spectral radius by Arnoldi)
/// driven by 5000 samples of the Mackey–Glass series (one per time unit), its readout trained by
/// one ridge solve on all of them and tested on 100 more. Returns the test error.
pub fn large_once(seed: u64) -> f64 {
    let task = Task {
        forecast: 1,
        warmup: 0,
        train: 5000,
        test: 100,
        alpha: 1e-6,
    };
    run_once(task, 1000, seed).test_mse().unwrap_or(f64::NAN)
}

/// `task` run to the end by the course's reservoir of `units` on the series sampled every time
/// unit (the benchmarks).
fn run_once(task: Task, units: usize, seed: u64) -> EsnRun {
    use crate::mackey_glass::MackeyGlass;
    let fine = MackeyGlass::default()
        .series(task.samples() * 10, seed)
        .expect("the course's equation");
    let series = fine.iter().step_by(10).copied().collect();
    let spec = ReservoirSpec {
        units,
        spectral_radius: 1.0,
        leak: 0.3,
        input_scale: 0.2,
        seed: seed + 1,
    };
    let reservoir = Reservoir::new(&spec).expect("the course's reservoir");
    let mut run = EsnRun::new(series, task, reservoir, (0, 0)).expect("a valid task");
    while run.advance(usize::MAX) {}
    run
}

/// A forecasting task on a series: input the sample at i, target the sample at i + `forecast`;
/// the first `warmup` samples settle the state, the next `train` train the readout, the next
/// `test` test it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Task {
    pub forecast: usize,
    pub warmup: usize,
    pub train: usize,
    pub test: usize,
    /// The ridge penalty α.
    pub alpha: f64,
}

impl Task {
    /// Samples of the series the task reads.
    pub fn samples(&self) -> usize {
        self.warmup + self.train + self.test + self.forecast
    }
}

/// A run of `task` under way.
pub struct EsnRun {
    series: Vec<f64>,
    task: Task,
    reservoir: Reservoir,
    ridge: Ridge,
    readout: Option<Vec<f64>>,
    step: usize,
    train_mse: Option<f64>,
    squared_error: f64,
    /// The test's predictions so far.
    pub predictions: Vec<f64>,
    /// The state of the first `recorded_units` units at each of the test's first
    /// `recorded_steps` steps, unit after unit.
    pub recorded: Vec<Vec<f64>>,
    recorded_steps: usize,
    error: Option<Message>,
}

impl EsnRun {
    /// A run of `task` on `series` with `reservoir`, recording `units` units for `steps` test
    /// steps.
    #[inline(never)]
    pub fn new(
        series: Vec<f64>,
        task: Task,
        reservoir: Reservoir,
        (units, steps): (usize, usize),
    ) -> Result<EsnRun, Message> {
        if series.len() < task.samples() {
            return Err(msg!(
                "the task needs {} samples of the series, it has {}",
                "任务需要时间序列的 {} 个样本，但序列只有 {} 个",
                task.samples(),
                series.len()
            ));
        }
        if task.train == 0 || task.test == 0 {
            return Err(msg!(
                "the task needs training and test samples",
                "任务需要训练样本和测试样本"
            ));
        }
        let units = units.min(reservoir.state.len());
        Ok(EsnRun {
            ridge: Ridge::new(reservoir.state.len()),
            series,
            task,
            reservoir,
            readout: None,
            step: 0,
            train_mse: None,
            squared_error: 0.0,
            predictions: Vec::with_capacity(task.test),
            recorded: vec![Vec::with_capacity(steps.min(task.test)); units],
            recorded_steps: steps,
            error: None,
        })
    }

    pub fn total_steps(&self) -> usize {
        self.task.warmup + self.task.train + self.task.test
    }

    /// The reservoir's size.
    pub fn units(&self) -> usize {
        self.reservoir.state.len()
    }

    pub fn steps_done(&self) -> usize {
        self.step
    }

    pub fn series(&self) -> &[f64] {
        &self.series
    }

    pub fn task(&self) -> &Task {
        &self.task
    }

    /// Why the run stopped early (the readout could not be solved).
    pub fn error(&self) -> Option<&Message> {
        self.error.as_ref()
    }

    /// The mean squared error of the trained readout on the training states, once trained.
    pub fn train_mse(&self) -> Option<f64> {
        self.train_mse
    }

    /// The mean squared error of the test so far.
    pub fn test_mse(&self) -> Option<f64> {
        (!self.predictions.is_empty()).then(|| self.squared_error / self.predictions.len() as f64)
    }

    /// The fraction of recorded states with |h| > 0.95: how saturated the reservoir runs.
    pub fn saturation(&self) -> f64 {
        let all: Vec<&f64> = self.recorded.iter().flatten().collect();
        let saturated = all.iter().filter(|h| h.abs() > 0.95).count();
        saturated as f64 / all.len().max(1) as f64
    }

    /// Advances up to `steps` steps; false once the run is over (done, or stopped).
    #[inline(never)]
    pub fn advance(&mut self, steps: usize) -> bool {
        let Task {
            forecast,
            warmup,
            train,
            ..
        } = self.task;
        let end = (self.step + steps).min(self.total_steps());
        while self.step < end && self.error.is_none() {
            let i = self.step;
            self.reservoir.step(self.series[i]);
            let target = self.series[i + forecast];
            if i < warmup {
                // The state settles.
            } else if i < warmup + train {
                self.ridge.add(&self.reservoir.state, target);
                if i + 1 == warmup + train {
                    self.solve();
                }
            } else if let Some(w) = &self.readout {
                let y = w[0]
                    + w[1..]
                        .iter()
                        .zip(&self.reservoir.state)
                        .map(|(a, b)| a * b)
                        .sum::<f64>();
                self.squared_error += (y - target).powi(2);
                self.predictions.push(y);
                if self.predictions.len() <= self.recorded_steps {
                    for (trace, &h) in self.recorded.iter_mut().zip(&self.reservoir.state) {
                        trace.push(h);
                    }
                }
            }
            self.step += 1;
        }
        self.error.is_none() && self.step < self.total_steps()
    }

    fn solve(&mut self) {
        match self.ridge.solve(self.task.alpha) {
            Ok(w) => {
                self.train_mse = Some(self.ridge.mse(&w));
                self.readout = Some(w);
            }
            Err(e) => self.error = Some(e),
        }
    }
}
