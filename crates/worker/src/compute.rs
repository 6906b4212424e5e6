//! The compute workers' handler: everything that simulates, analyses or parses a model runs
//! here, off the page's thread, and the page's own wasm links none of it. It keeps the lessons the page sends
//! it and answers each request (`brainplay_content::wire`): a lesson page's settings from its
//! link, a block's figures (`brainplay_lessons::figures`, with progress about ten times a second
//! during a simulation), an exercise's check, a typed model or input checked, a benchmark.
//! Built by trunk as a Web Worker (`data-type="worker"` in index.html);
//! the page terminates it to cancel a long job.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

#[cfg(feature = "gpu")]
use brainplay_content::content::{Network as NetworkBlock, Widget};
use brainplay_content::figure::{Backend, Figures};
#[cfg(feature = "gpu")]
use brainplay_lessons::figures::Figured;
#[cfg(feature = "gpu")]
use brainplay_sim::network::NetworkSetup;

use brainplay_lessons::check::{check, Answer};
use brainplay_lessons::figures::{self, Cache};
use brainplay_lessons::{Lesson, Setting};
use web_sys::DedicatedWorkerGlobalScope;

use crate::progress::Reporter;
use crate::{data, failed, lesson, no_block, no_lesson, post, serve};
use brainplay_content::wire::{Reply, Request};
use brainplay_lessons::bilingual;
use brainplay_lessons::describe::{describe, open, page_state};
use brainplay_sim::input::InputSpec;
use brainplay_sim::{msg, Message};

/// Neuron-steps between looks at the clock.
const SLICE_NEURON_STEPS: usize = 200_000;

#[derive(Default)]
pub struct Worker {
    lessons: BTreeMap<String, Lesson>,
    cache: Cache,
}

impl Worker {
    fn handle(&mut self, scope: &DedicatedWorkerGlobalScope, request: Request) {
        match request {
            Request::Lesson { page, data } => {
                // The page parsed the same text before sending it; a failure here is reported
                // by every request that names the lesson.
                if let Ok(lesson) = Lesson::from_data(&data) {
                    self.lessons.insert(page, lesson);
                }
            }
            Request::Open { job, page, query } => {
                let reply = match lesson(&self.lessons, &page) {
                    Ok(lesson) => Reply::Opened {
                        job,
                        opened: Box::new(open(lesson, &query)),
                    },
                    Err(message) => failed(job, message),
                };
                post(scope, &reply);
            }
            Request::Export { job, .. } => post(
                scope,
                &failed(
                    job,
                    msg!(
                        "BrainPy code is written by the export worker",
                        "BrainPy 代码由导出线程生成"
                    ),
                ),
            ),
            Request::Link {
                job,
                page,
                settings,
                lang,
            } => match lesson(&self.lessons, &page) {
                Ok(lesson) => crate::link::reply(scope, job, page_state(lesson, &settings, lang)),
                Err(message) => post(scope, &failed(job, message)),
            },
            Request::Describe { job, text } => {
                let model = describe(&text).map(Box::new);
                post(scope, &Reply::Described { job, model });
            }
            Request::CheckInput { job, text } => {
                let input = InputSpec::parse(&text)
                    .map(drop)
                    .map_err(|e| bilingual(e.render(&text)));
                post(scope, &Reply::InputChecked { job, input });
            }
            Request::Bench { job, name } => {
                #[cfg(feature = "bench")]
                let measured = crate::bench::run(&name);
                #[cfg(not(feature = "bench"))]
                let measured = None;
                let reply = match measured {
                    Some(ms) => Reply::Measured { job, ms },
                    None => failed(
                        job,
                        msg!(
                            "no benchmark `{name}` in this build (`cargo xtask bench` builds them)",
                            "这个版本里没有基准测试 `{name}`（由 `cargo xtask bench` 构建）"
                        ),
                    ),
                };
                post(scope, &reply);
            }
            Request::Figures {
                job,
                page,
                block,
                setting,
            } => {
                let figures = self.figures(scope, job, &page, &block, &setting);
                post(scope, &figures_reply(job, figures, Backend::Cpu));
            }
            Request::Check {
                job,
                page,
                exercise,
                setting,
            } => {
                let reply = match self.check(&page, &exercise, setting) {
                    Ok(verdict) => Reply::Verdict { job, verdict },
                    Err(message) => failed(job, message),
                };
                post(scope, &reply);
            }
        }
    }

    /// For a spiking network block, the block and the network its setting sets up (for the
    /// GPU); `None` for every other block.
    #[cfg(feature = "gpu")]
    pub(crate) fn spiking(
        &mut self,
        page: &str,
        block: &str,
        setting: &Setting,
    ) -> Option<Result<(NetworkBlock, NetworkSetup), Message>> {
        let lesson = self.lessons.get(page)?;
        let figured = lesson.figured(block)?;
        let setup = figures::spiking_setup(figured, setting)?;
        let Figured::Widget(Widget::Network(network)) = figured else {
            return None;
        };
        Some(setup.map(|setup| (network.clone(), setup)))
    }

    /// A block's figures, computed here with progress reports.
    pub(crate) fn figures(
        &mut self,
        scope: &DedicatedWorkerGlobalScope,
        job: u64,
        page: &str,
        block: &str,
        setting: &Setting,
    ) -> Result<brainplay_lessons::figure::Figures, Message> {
        let lesson = self.lessons.get_mut(page).ok_or_else(|| no_lesson(page))?;
        data::provide(lesson, block)?;
        let figured = lesson.figured(block).ok_or_else(|| no_block(page, block))?;
        let mut pending = figures::start(figured, setting)?;
        let chunk = (SLICE_NEURON_STEPS / pending.neurons().max(1)).max(1);
        let total = pending.total_steps().max(1) as f64;
        let mut reporter = Reporter::new(job);
        while pending.advance(chunk) {
            let fraction = pending.steps_done() as f64 / total;
            reporter.report(scope, fraction, || pending.partial());
        }
        pending.finish(&mut self.cache)
    }

    fn check(
        &self,
        page: &str,
        exercise: &str,
        setting: Setting,
    ) -> Result<brainplay_lessons::Verdict, Message> {
        let exercise = lesson(&self.lessons, page)?
            .exercises()
            .find(|e| e.id == exercise)
            .ok_or_else(|| {
                msg!(
                    "lesson {page} has no exercise `{exercise}`",
                    "第 {page} 课没有练习 `{exercise}`"
                )
            })?;
        Ok(check(exercise, &Answer::Setting(setting)))
    }
}

/// The reply to a figures request; a spiking network's figures say `backend`.
pub(crate) fn figures_reply(
    job: u64,
    figures: Result<Figures, Message>,
    backend: Backend,
) -> Reply {
    match figures {
        Ok(mut figures) => {
            if let Figures::Network(network) = &mut figures {
                if network.backend.is_some() {
                    network.backend = Some(backend);
                }
            }
            Reply::Figures {
                job,
                figures: Box::new(figures),
            }
        }
        Err(message) => failed(job, message),
    }
}

/// Answers the page's compute requests from now on (the GPU worker's spiking networks
/// asynchronously, `crate::gpu`).
pub fn serve_requests() {
    let worker = Rc::new(RefCell::new(Worker::default()));
    serve(move |scope, request| {
        #[cfg(feature = "gpu")]
        let Some(request) = crate::gpu::take(&worker, scope, request) else {
            return;
        };
        worker.borrow_mut().handle(scope, request);
    });
}
