//! Runs simulations without freezing the page: short runs complete at once; longer ones advance
//! in slices of about one frame, yielding to the browser between slices, with progress and
//! cancel. Starting a new run supersedes the one in flight (moving a slider restarts the run).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use brainplay_sim::{Model, Output, Setup, Simulation};
use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub enum RunStatus {
    Idle,
    Running { fraction: f64 },
    Done(Arc<Output>),
    Failed(String),
    Cancelled,
}

/// Work done in one go without yielding: enough for every single-neuron lesson run.
const SYNC_NEURON_STEPS: usize = 400_000;
/// Wall time per slice of a long run.
const SLICE_MS: f64 = 12.0;

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

#[derive(Clone)]
pub struct Runner {
    pub status: RwSignal<RunStatus>,
    generation: Arc<AtomicU64>,
}

impl Runner {
    pub fn new() -> Self {
        Runner {
            status: RwSignal::new(RunStatus::Idle),
            generation: Arc::new(AtomicU64::new(0)),
        }
    }

    pub fn cancel(&self) {
        self.generation.fetch_add(1, Ordering::Relaxed);
        if matches!(self.status.get_untracked(), RunStatus::Running { .. }) {
            self.status.set(RunStatus::Cancelled);
        }
    }

    pub fn start(&self, model: &Model, setup: &Setup, duration_ms: f64) {
        self.generation.fetch_add(1, Ordering::Relaxed);
        let mut sim = match Simulation::new(model, setup) {
            Ok(sim) => sim,
            Err(e) => {
                self.status.set(RunStatus::Failed(e.to_string()));
                return;
            }
        };
        let steps = sim.steps_for(duration_ms);
        if steps * setup.n <= SYNC_NEURON_STEPS {
            sim.advance(steps);
            self.status
                .set(RunStatus::Done(Arc::new(sim.into_output())));
            return;
        }
        self.status.set(RunStatus::Running { fraction: 0.0 });
        let generation = self.generation.load(Ordering::Relaxed);
        slice(self.clone(), generation, sim, steps, 1_000);
    }
}

impl Default for Runner {
    fn default() -> Self {
        Self::new()
    }
}

/// Advances one slice, then schedules the next; the slice length adapts to take about
/// `SLICE_MS` of wall time.
fn slice(runner: Runner, generation: u64, mut sim: Simulation, total: usize, chunk: usize) {
    if runner.generation.load(Ordering::Relaxed) != generation {
        return;
    }
    let start = now_ms();
    let remaining = total - sim.steps_done();
    let ok = sim.advance(chunk.min(remaining));
    let elapsed = (now_ms() - start).max(0.1);
    if !ok || sim.steps_done() >= total {
        runner
            .status
            .set(RunStatus::Done(Arc::new(sim.into_output())));
        return;
    }
    runner.status.set(RunStatus::Running {
        fraction: sim.steps_done() as f64 / total as f64,
    });
    let next = ((chunk as f64) * SLICE_MS / elapsed).clamp(100.0, 1e7) as usize;
    set_timeout(
        move || slice(runner, generation, sim, total, next),
        Duration::from_millis(0),
    );
}
