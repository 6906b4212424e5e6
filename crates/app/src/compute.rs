//! Everything that simulates or analyses runs in the page's compute workers (the `worker`
//! binary; for lessons 12–14, whose networks learn, the `learn-worker` binary, the same worker
//! with the learning code), never on the page's thread. A small pool (one worker per spare core, at most
//! `MAX_WORKERS`) is shared by every widget of the visit; each worker is sent the lesson texts
//! it needs once, then requests that name a block and carry its setting. A job that has run for
//! `LONG_JOB_MS` (a training run, a long network) no longer counts against the pool's size: a
//! further worker starts beside it, so that a slider's quick redraw never waits for a training
//! run to end.
//!
//! A widget's BrainPy code is written by a second kind of worker (the `export-worker` binary),
//! started only when a learner first asks for it, so that its code is never part of a lesson
//! page's first download; the pool keeps at most one of them.
//!
//! Each widget owns a `Job` slot: starting a job supersedes the slot's previous one (a queued
//! request is dropped, replies to an older one are ignored, and one that has run for a while is
//! stopped by terminating its worker, which a fresh worker replaces). A worker that crashes
//! fails only the job it was running, with a message, and is replaced for the next.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::Arc;

use brainplay_content::figure::Figures;
use brainplay_content::model_info::{ModelInfo, ModelProblem};
use brainplay_content::text::{Lang, Text};
use brainplay_content::wire::{self, Opened, Reply, Request};
use brainplay_content::{Setting, Verdict};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Workers at most, however many cores the machine has.
const MAX_WORKERS: usize = 4;
/// A superseded job that has run longer than this is stopped rather than waited for.
const SUPERSEDE_AFTER_MS: f64 = 30.0;
/// A job running longer than this lets the pool start a worker beside it.
const LONG_JOB_MS: f64 = 300.0;

#[derive(Clone, Debug, PartialEq)]
pub enum JobStatus {
    Idle,
    /// Under way: how far, and the figures of what is done so far (long network runs).
    Running {
        fraction: f64,
        partial: Option<Arc<Figures>>,
    },
    Done(Arc<Outcome>),
    Failed(Text),
    Cancelled,
}

/// What a finished job gives, by the kind of request.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Opened(Box<Opened>),
    Figures(Box<Figures>),
    Verdict(Verdict),
    Described(Result<Box<ModelInfo>, ModelProblem>),
    InputChecked(Result<(), Text>),
    Measured(f64),
    Exported(String),
    /// A share link's query.
    Linked(String),
}

/// A widget's place in the pool: its latest job and that job's status.
#[derive(Clone)]
pub struct Job {
    slot: u64,
    pub status: RwSignal<JobStatus>,
}

/// The kinds of worker, by what they compute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Compute,
    /// The compute worker with the learning code, for the pages whose networks learn.
    Learn,
    /// The compute worker with the GPU code, for the pages with spiking networks where the
    /// browser has a WebGPU adapter.
    Gpu,
    Export,
}

impl Kind {
    /// The script that starts it (trunk's loader, named after the binary).
    fn loader(self) -> &'static str {
        match self {
            Kind::Compute => "worker_loader.js",
            Kind::Learn => "learn-worker_loader.js",
            Kind::Gpu => "gpu-worker_loader.js",
            Kind::Export => "export-worker_loader.js",
        }
    }

    /// The worker's name, in English and Chinese.
    fn name(self) -> (&'static str, &'static str) {
        match self {
            Kind::Compute => ("the compute worker", "计算线程"),
            Kind::Learn => ("the learning worker", "训练线程"),
            Kind::Gpu => ("the GPU worker", "GPU 线程"),
            Kind::Export => ("the BrainPy export worker", "BrainPy 导出线程"),
        }
    }
}

struct Worker {
    id: u64,
    kind: Kind,
    worker: web_sys::Worker,
    ready: bool,
    /// The lessons this worker has been sent.
    lessons: BTreeSet<String>,
    /// (slot, job, start time) of the request it is computing.
    busy: Option<(u64, u64, f64)>,
}

struct Queued {
    slot: u64,
    job: u64,
    page: String,
    request: Request,
}

#[derive(Default)]
struct Pool {
    workers: Vec<Worker>,
    queue: VecDeque<Queued>,
    /// Lesson data (`Lesson::data_of`) by page name, for the workers.
    lessons: BTreeMap<String, Vec<u8>>,
    /// The pages the learning worker computes (`Lesson::learning_worker`).
    learning_pages: BTreeSet<String>,
    /// The pages the GPU worker computes where there is WebGPU (`Lesson::gpu_worker`).
    gpu_pages: BTreeSet<String>,
    /// Whether the browser has a WebGPU adapter: `None` until the first GPU page asks.
    webgpu: Option<bool>,
    /// Each slot's status and latest job.
    slots: HashMap<u64, (RwSignal<JobStatus>, u64)>,
    next_id: u64,
}

thread_local! {
    static POOL: RefCell<Pool> = RefCell::new(Pool::default());
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn max_workers() -> usize {
    let cores = web_sys::window().map_or(1.0, |w| w.navigator().hardware_concurrency());
    ((cores as usize).saturating_sub(1)).clamp(1, MAX_WORKERS)
}

/// The lesson page whose widgets submit jobs (`NN-slug`), provided by the page.
#[derive(Clone, Debug, PartialEq)]
pub struct Page(pub String);

/// The page the calling widget is on.
pub fn use_page() -> String {
    use_context::<Page>().map(|p| p.0).unwrap_or_default()
}

/// Makes the data of lesson `page` available to the workers; `learning_worker`: whether the
/// learning worker computes its widgets; `gpu_worker`: whether the GPU worker does, where the
/// browser has WebGPU (the first such page looks for an adapter).
pub fn add_lesson(page: &str, data: Vec<u8>, learning_worker: bool, gpu_worker: bool) {
    let detect = POOL.with_borrow_mut(|pool| {
        if gpu_worker {
            pool.gpu_pages.insert(page.to_string());
        }
        gpu_worker && pool.gpu_pages.len() == 1 && pool.webgpu.is_none()
    });
    if detect {
        leptos::task::spawn_local(async {
            let found = webgpu_adapter().await;
            decide_webgpu(found);
        });
        // A browser that never answers is one without a usable GPU.
        let give_up = Closure::once_into_js(|| decide_webgpu(false));
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                give_up.unchecked_ref(),
                WEBGPU_WAIT_MS,
            );
        }
    }
    POOL.with_borrow_mut(|pool| {
        pool.lessons.insert(page.to_string(), data);
        if learning_worker {
            pool.learning_pages.insert(page.to_string());
        }
    });
}

impl Job {
    pub fn new() -> Job {
        let status = RwSignal::new(JobStatus::Idle);
        let slot = POOL.with_borrow_mut(|pool| {
            pool.next_id += 1;
            pool.slots.insert(pool.next_id, (status, 0));
            pool.next_id
        });
        on_cleanup(move || {
            cancel(slot);
            POOL.with_borrow_mut(|pool| pool.slots.remove(&slot));
        });
        Job { slot, status }
    }

    /// A job that computes the figures of block `block` of this page whenever `setting`
    /// changes.
    pub fn following(block: &'static str, setting: RwSignal<Setting>) -> Job {
        let job = Job::new();
        let (following, page) = (job.clone(), use_page());
        Effect::new(move |_| setting.with(|s| following.figures(&page, block, s)));
        job
    }

    /// Computes the figures of block `block` of lesson `page` for `setting`.
    pub fn figures(&self, page: &str, block: &str, setting: &Setting) {
        self.submit(page, &|job| Request::Figures {
            job,
            page: page.to_string(),
            block: block.to_string(),
            setting: setting.clone(),
        });
    }

    /// Checks exercise `exercise` of lesson `page` by simulating `setting`.
    pub fn check(&self, page: &str, exercise: &str, setting: &Setting) {
        self.submit(page, &|job| Request::Check {
            job,
            page: page.to_string(),
            exercise: exercise.to_string(),
            setting: setting.clone(),
        });
    }

    /// Reads lesson `page` (its data given by `add_lesson`, which the worker gets first) with
    /// the share link's `query`.
    pub fn open(&self, page: &str, query: &str) {
        self.submit(page, &|job| Request::Open {
            job,
            page: page.to_string(),
            query: query.to_string(),
        });
    }

    /// Writes block `block` of lesson `page` as a BrainPy script for `setting`.
    pub fn export(&self, page: &str, block: &str, setting: &Setting) {
        self.submit(page, &|job| Request::Export {
            job,
            page: page.to_string(),
            block: block.to_string(),
            setting: setting.clone(),
        });
    }

    /// The share link's query for the `settings` (by widget id) of lesson `page` in `lang`.
    pub fn link(&self, page: &str, settings: BTreeMap<String, Setting>, lang: Lang) {
        self.submit(page, &|job| Request::Link {
            job,
            page: page.to_string(),
            settings: settings.clone(),
            lang,
        });
    }

    /// Describes a model text the learner typed (or says where it goes wrong).
    pub fn describe(&self, text: &str) {
        self.submit("", &|job| Request::Describe {
            job,
            text: text.to_string(),
        });
    }

    /// Checks an input protocol the learner typed.
    pub fn check_input(&self, text: &str) {
        self.submit("", &|job| Request::CheckInput {
            job,
            text: text.to_string(),
        });
    }

    /// Runs benchmark `name` in a worker.
    #[cfg(feature = "bench")]
    pub fn bench(&self, name: &str) {
        self.submit("", &|job| Request::Bench {
            job,
            name: name.to_string(),
        });
    }

    /// Stops this slot's job.
    pub fn cancel(&self) {
        cancel(self.slot);
        if matches!(self.status.get_untracked(), JobStatus::Running { .. }) {
            self.status.set(JobStatus::Cancelled);
        }
    }

    // Not generic: one copy of the queueing for every kind of request.
    fn submit(&self, page: &str, request: &dyn Fn(u64) -> Request) {
        let slot = self.slot;
        POOL.with_borrow_mut(|pool| {
            pool.next_id += 1;
            let job = pool.next_id;
            pool.drop_slot(slot, SUPERSEDE_AFTER_MS);
            if let Some(entry) = pool.slots.get_mut(&slot) {
                entry.1 = job;
            }
            pool.queue.push_back(Queued {
                slot,
                job,
                page: page.to_string(),
                request: request(job),
            });
        });
        self.status.set(JobStatus::Running {
            fraction: 0.0,
            partial: None,
        });
        pump();
    }
}

impl Default for Job {
    fn default() -> Self {
        Self::new()
    }
}

impl Pool {
    /// The kind of worker that answers `queued`; `None` while a GPU page waits to know whether
    /// there is WebGPU.
    fn kind_of(&self, queued: &Queued) -> Option<Kind> {
        Some(match queued.request {
            Request::Export { .. } => Kind::Export,
            _ if self.learning_pages.contains(&queued.page) => Kind::Learn,
            _ if self.gpu_pages.contains(&queued.page) => match self.webgpu? {
                true => Kind::Gpu,
                false => Kind::Compute,
            },
            _ => Kind::Compute,
        })
    }

    /// Drops `slot`'s queued request, and stops its running one if that has run longer than
    /// `min_age_ms` (by terminating its worker, which a fresh one replaces when needed).
    fn drop_slot(&mut self, slot: u64, min_age_ms: f64) {
        self.queue.retain(|q| q.slot != slot);
        let now = now_ms();
        let running = self.workers.iter().position(|w| {
            w.busy
                .is_some_and(|(s, _, started)| s == slot && now - started > min_age_ms)
        });
        if let Some(index) = running {
            self.workers.remove(index).worker.terminate();
        }
    }

    /// How many workers of `kind` the pool may have now: compute workers one per spare core,
    /// and one more for each long job, up to `MAX_WORKERS`; one export worker.
    fn capacity(&self, kind: Kind) -> usize {
        if kind == Kind::Export {
            return 1;
        }
        let now = now_ms();
        let long = self
            .workers
            .iter()
            .filter(|w| {
                w.kind == kind
                    && w.busy
                        .is_some_and(|(_, _, started)| now - started > LONG_JOB_MS)
            })
            .count();
        (max_workers() + long).min(MAX_WORKERS)
    }

    /// Whether a worker of `kind` should start for a queued request: none is starting, and
    /// there is room.
    fn may_start(&self, kind: Kind) -> bool {
        let of_kind = self.workers.iter().filter(|w| w.kind == kind);
        let starting = of_kind.clone().any(|w| !w.ready);
        !starting && of_kind.count() < self.capacity(kind)
    }

    /// The status signal of `job` if it is still its slot's latest.
    fn current(&self, slot: u64, job: u64) -> Option<RwSignal<JobStatus>> {
        self.slots
            .get(&slot)
            .filter(|(_, latest)| *latest == job)
            .map(|(status, _)| *status)
    }
}

fn cancel(slot: u64) {
    POOL.with_borrow_mut(|pool| {
        if let Some(entry) = pool.slots.get_mut(&slot) {
            entry.1 = 0;
        }
        pool.drop_slot(slot, f64::NEG_INFINITY);
    });
}

/// Hands queued requests to idle workers of their kind, in order, starting workers as needed.
/// Called when a job is queued, a worker becomes ready or free, and on each progress report of
/// a running job (when a job may have become long).
fn pump() {
    let mut start: Vec<Kind> = Vec::new();
    POOL.with_borrow_mut(|pool| {
        let mut waiting = VecDeque::new();
        while let Some(queued) = pool.queue.pop_front() {
            let Some(kind) = pool.kind_of(&queued) else {
                waiting.push_back(queued);
                continue;
            };
            let idle = pool
                .workers
                .iter()
                .position(|w| w.kind == kind && w.ready && w.busy.is_none());
            let Some(index) = idle else {
                if !start.contains(&kind) && pool.may_start(kind) {
                    start.push(kind);
                }
                waiting.push_back(queued);
                continue;
            };
            let Pool {
                workers, lessons, ..
            } = pool;
            let worker = &mut workers[index];
            if !queued.page.is_empty() && !worker.lessons.contains(&queued.page) {
                if let Some(data) = lessons.get(&queued.page) {
                    post(
                        &worker.worker,
                        &Request::Lesson {
                            page: queued.page.clone(),
                            data: data.clone(),
                        },
                    );
                    worker.lessons.insert(queued.page.clone());
                }
            }
            post(&worker.worker, &queued.request);
            worker.busy = Some((queued.slot, queued.job, now_ms()));
        }
        pool.queue = waiting;
    });
    for kind in start {
        start_worker(kind);
    }
}

/// How long a GPU page's requests wait for `requestAdapter` before going to the CPU.
const WEBGPU_WAIT_MS: i32 = 3000;

/// Settles whether the GPU pages use the GPU worker (the first answer counts) and sends their
/// waiting requests.
fn decide_webgpu(found: bool) {
    let first = POOL.with_borrow_mut(|pool| {
        let first = pool.webgpu.is_none();
        if first {
            pool.webgpu = Some(found);
        }
        first
    });
    if first {
        pump();
    }
}

/// Whether `navigator.gpu.requestAdapter()` gives an adapter (read without linking wgpu into
/// the page: the GPU code is in the GPU worker alone).
async fn webgpu_adapter() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let gpu = js_sys::Reflect::get(&window.navigator(), &"gpu".into()).unwrap_or_default();
    if gpu.is_undefined() || gpu.is_null() {
        return false;
    }
    let request = js_sys::Reflect::get(&gpu, &"requestAdapter".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let Some(promise) = request
        .and_then(|f| f.call0(&gpu).ok())
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
    else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .is_ok_and(|adapter| !adapter.is_null() && !adapter.is_undefined())
}

fn post(worker: &web_sys::Worker, request: &Request) {
    let bytes = js_sys::Uint8Array::from(&wire::encode(request)[..]);
    let _ = worker.post_message(&bytes);
}

fn start_worker(kind: Kind) {
    let url = format!("{}/{}", crate::base::base_path(), kind.loader());
    let worker = match web_sys::Worker::new_with_options(&url, &web_sys::WorkerOptions::new()) {
        Ok(worker) => worker,
        Err(_) => {
            return fail_queue(
                kind,
                Text::new(
                    "this browser cannot start a Web Worker, which runs the models",
                    "这个浏览器无法启动运行模型所需的 Web Worker",
                ),
            )
        }
    };
    let id = POOL.with_borrow_mut(|pool| {
        pool.next_id += 1;
        pool.next_id
    });
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let bytes = js_sys::Uint8Array::new(&event.data()).to_vec();
            if let Some(reply) = wire::decode::<Reply>(&bytes) {
                receive(id, reply);
            }
        });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handlers live as long as the worker.
    on_message.forget();
    let on_error =
        Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
            crashed(id, event.message());
        });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    POOL.with_borrow_mut(|pool| {
        pool.workers.push(Worker {
            id,
            kind,
            worker,
            ready: false,
            lessons: BTreeSet::new(),
            busy: None,
        })
    });
}

/// Fails every queued job for a worker of `kind` with `message`.
fn fail_queue(kind: Kind, message: Text) {
    let failed: Vec<RwSignal<JobStatus>> = POOL.with_borrow_mut(|pool| {
        let (failed, kept): (VecDeque<Queued>, VecDeque<Queued>) = std::mem::take(&mut pool.queue)
            .into_iter()
            .partition(|q| pool.kind_of(q) == Some(kind));
        pool.queue = kept;
        failed
            .iter()
            .filter_map(|q| pool.current(q.slot, q.job))
            .collect()
    });
    for status in failed {
        status.try_set(JobStatus::Failed(message.clone()));
    }
}

fn done(outcome: Outcome) -> JobStatus {
    JobStatus::Done(Arc::new(outcome))
}

fn receive(worker_id: u64, reply: Reply) {
    let (job, result) = match reply {
        Reply::Ready => {
            POOL.with_borrow_mut(|pool| {
                if let Some(w) = pool.workers.iter_mut().find(|w| w.id == worker_id) {
                    w.ready = true;
                }
            });
            return pump();
        }
        Reply::Progress {
            job,
            fraction,
            partial,
        } => {
            let partial = partial.map(|f| Arc::new(*f));
            (job, JobStatus::Running { fraction, partial })
        }
        Reply::Opened { job, opened } => (job, done(Outcome::Opened(opened))),
        Reply::Figures { job, figures } => (job, done(Outcome::Figures(figures))),
        Reply::Verdict { job, verdict } => (job, done(Outcome::Verdict(verdict))),
        Reply::Described { job, model } => (job, done(Outcome::Described(model))),
        Reply::InputChecked { job, input } => (job, done(Outcome::InputChecked(input))),
        Reply::Measured { job, ms } => (job, done(Outcome::Measured(ms))),
        Reply::Exported { job, script } => (job, done(Outcome::Exported(script))),
        Reply::Linked { job, query } => (job, done(Outcome::Linked(query))),
        Reply::Failed { job, message } => (job, JobStatus::Failed(message)),
    };
    let finished = !matches!(result, JobStatus::Running { .. });
    let status = POOL.with_borrow_mut(|pool| {
        let worker = pool.workers.iter_mut().find(|w| w.id == worker_id)?;
        let (slot, busy_job, _) = worker.busy?;
        if busy_job != job {
            return None;
        }
        if finished {
            worker.busy = None;
        }
        pool.current(slot, job)
    });
    if let Some(status) = status {
        status.try_set(result);
    }
    // A progress report may mean that a job has become long (`Pool::capacity`).
    pump();
}

/// A worker stopped with an error: its job fails with what the browser said, and the worker is
/// replaced. One that never started fails the whole queue instead, so that a worker that cannot
/// load is not started again and again.
fn crashed(worker_id: u64, message: String) {
    let (kind, was_ready, status) = POOL.with_borrow_mut(|pool| {
        let Some(index) = pool.workers.iter().position(|w| w.id == worker_id) else {
            return (Kind::Compute, true, None);
        };
        let worker = pool.workers.remove(index);
        worker.worker.terminate();
        let status = worker
            .busy
            .and_then(|(slot, job, _)| pool.current(slot, job));
        (worker.kind, worker.ready, status)
    });
    if let Some(status) = status {
        status.try_set(JobStatus::Failed(Text::new(
            format!("the computation crashed: {message}"),
            format!("计算崩溃了：{message}"),
        )));
    }
    if was_ready {
        pump();
    } else {
        let (en, zh) = kind.name();
        fail_queue(
            kind,
            Text::new(
                format!("{en} could not start: {message}"),
                format!("{zh}无法启动：{message}"),
            ),
        );
    }
}
