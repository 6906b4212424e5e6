//! Runs simulations without freezing the page. Each simulator block has its own Web Worker
//! (the `worker` binary): a run is posted to it, progress comes back about ten times a second,
//! and cancelling terminates the worker (a fresh one starts with the next run). Starting a run
//! supersedes the one in flight: moving a slider restarts the run, and replies to older runs
//! are dropped. Where no worker can be started, runs advance on the page's thread in slices of
//! about one frame, yielding to the browser in between.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use brainplay_lessons::{Run, Setting};
use brainplay_sim::{library, Model, Output};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use brainplay_app::wire::{self, Reply, RunRequest, WireSetting};

#[derive(Clone, Debug, PartialEq)]
pub enum RunStatus {
    Idle,
    Running { fraction: f64 },
    Done(Arc<Output>),
    Failed(String),
    Cancelled,
}

/// Wall time per slice of a run on the page's thread.
const SLICE_MS: f64 = 12.0;

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// What a run needs, kept so that a run can move to the page's thread if its worker fails.
#[derive(Clone)]
struct Job {
    run: u64,
    model: Model,
    setting: Setting,
    record: Vec<String>,
}

thread_local! {
    /// Each runner's worker, by runner id. Workers are not `Send`, so they live here rather
    /// than in the runner the views hold.
    static WORKERS: RefCell<HashMap<u64, web_sys::Worker>> = RefCell::new(HashMap::new());
    /// Each runner's latest job.
    static JOBS: RefCell<HashMap<u64, Job>> = RefCell::new(HashMap::new());
    /// Runners whose worker has said it is ready.
    static READY: RefCell<std::collections::HashSet<u64>> = RefCell::new(std::collections::HashSet::new());
    /// Set once a worker failed to load: every later run stays on the page's thread.
    static NO_WORKERS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

#[derive(Clone)]
pub struct Runner {
    id: u64,
    pub status: RwSignal<RunStatus>,
    /// The run whose replies are wanted; anything else is stale.
    current: Arc<AtomicU64>,
}

impl Runner {
    pub fn new() -> Self {
        let runner = Runner {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            status: RwSignal::new(RunStatus::Idle),
            current: Arc::new(AtomicU64::new(0)),
        };
        let id = runner.id;
        on_cleanup(move || terminate(id));
        runner
    }

    /// Stops the run in flight.
    pub fn cancel(&self) {
        self.current.fetch_add(1, Ordering::Relaxed);
        terminate(self.id);
        if matches!(self.status.get_untracked(), RunStatus::Running { .. }) {
            self.status.set(RunStatus::Cancelled);
        }
    }

    /// Runs `setting` on `model` (the library's or an edited one), recording `record`.
    pub fn start(&self, model: &Model, setting: &Setting, record: &[String]) {
        let run = self.current.fetch_add(1, Ordering::Relaxed) + 1;
        // A long run still going would delay this one: stop it.
        if matches!(self.status.get_untracked(), RunStatus::Running { .. }) {
            terminate(self.id);
        }
        let job = Job {
            run,
            model: model.clone(),
            setting: setting.clone(),
            record: record.to_vec(),
        };
        JOBS.with(|j| j.borrow_mut().insert(self.id, job));
        match self.worker() {
            // A worker still loading gets the latest job when it says it is ready.
            Some(worker) if READY.with(|r| r.borrow().contains(&self.id)) => self.post(&worker),
            Some(_) => {}
            None => self.run_here(run, model, setting, record),
        }
    }

    /// Posts this runner's latest job to its worker.
    fn post(&self, worker: &web_sys::Worker) {
        let Some(job) = JOBS.with(|j| j.borrow().get(&self.id).cloned()) else {
            return;
        };
        let request = RunRequest {
            run: job.run,
            model_source: job.model.source.clone(),
            other_models: Run::bench_models(&job.setting)
                .into_iter()
                .filter_map(|id| Some((id.to_string(), library::source(id)?.to_string())))
                .collect(),
            setting: WireSetting::from(&job.setting),
            record: job.record.clone(),
        };
        let bytes = js_sys::Uint8Array::from(&wire::encode(&request)[..]);
        if worker.post_message(&bytes).is_err() {
            self.status.set(RunStatus::Failed(
                "the simulation worker refused the run".into(),
            ));
        }
    }

    /// This runner's worker, started on first use; `None` where workers are unavailable.
    fn worker(&self) -> Option<web_sys::Worker> {
        if NO_WORKERS.with(|n| n.get()) {
            return None;
        }
        if let Some(w) = WORKERS.with(|m| m.borrow().get(&self.id).cloned()) {
            return Some(w);
        }
        let options = web_sys::WorkerOptions::new();
        let url = format!("{}/worker_loader.js", crate::app::base_path());
        let worker = web_sys::Worker::new_with_options(&url, &options).ok()?;
        let (status, current) = (self.status, self.current.clone());
        let runner = self.clone();
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |event: web_sys::MessageEvent| {
                let bytes = js_sys::Uint8Array::new(&event.data()).to_vec();
                let Some(reply) = wire::decode::<Reply>(&bytes) else {
                    return;
                };
                let wanted = current.load(Ordering::Relaxed);
                match reply {
                    Reply::Ready => {
                        READY.with(|r| r.borrow_mut().insert(runner.id));
                        if let Some(worker) = WORKERS.with(|m| m.borrow().get(&runner.id).cloned())
                        {
                            runner.post(&worker);
                        }
                    }
                    Reply::Progress { run, fraction } if run == wanted => {
                        status.set(RunStatus::Running { fraction })
                    }
                    Reply::Done { run, output } if run == wanted => {
                        status.set(RunStatus::Done(Arc::new(Output::from(output))))
                    }
                    Reply::Failed { run, message } if run == wanted => {
                        status.set(RunStatus::Failed(message))
                    }
                    _ => {}
                }
            },
        );
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The handlers live as long as the worker.
        on_message.forget();
        // A worker that cannot load (no worker support, script missing) reports an error:
        // from then on runs happen on the page's thread, starting with the one in flight.
        let runner = self.clone();
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_event: web_sys::Event| {
            NO_WORKERS.with(|n| n.set(true));
            let job = JOBS.with(|j| j.borrow().get(&runner.id).cloned());
            terminate(runner.id);
            if let Some(job) = job {
                if job.run == runner.current.load(Ordering::Relaxed) {
                    runner.run_here(job.run, &job.model, &job.setting, &job.record);
                }
            }
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        WORKERS.with(|m| m.borrow_mut().insert(self.id, worker.clone()));
        Some(worker)
    }

    /// The fallback: the run advances here in slices.
    fn run_here(&self, run: u64, model: &Model, setting: &Setting, record: &[String]) {
        let sim = match setting.start(model, record) {
            Ok(sim) => sim,
            Err(e) => return self.status.set(RunStatus::Failed(e)),
        };
        let total = sim.steps_for(setting.duration_ms);
        slice(self.clone(), run, sim, total, 1_000);
    }
}

impl Default for Runner {
    fn default() -> Self {
        Self::new()
    }
}

fn terminate(id: u64) {
    JOBS.with(|j| j.borrow_mut().remove(&id));
    READY.with(|r| r.borrow_mut().remove(&id));
    if let Some(worker) = WORKERS.with(|m| m.borrow_mut().remove(&id)) {
        worker.terminate();
    }
}

/// Advances one slice, then schedules the next; the slice length adapts to take about
/// `SLICE_MS` of wall time.
fn slice(runner: Runner, run: u64, mut sim: Run, total: usize, chunk: usize) {
    if runner.current.load(Ordering::Relaxed) != run {
        return;
    }
    let start = now_ms();
    let ok = sim.advance(chunk.min(total - sim.steps_done()));
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
        move || slice(runner, run, sim, total, next),
        Duration::from_millis(0),
    );
}
