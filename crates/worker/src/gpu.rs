//! The GPU worker's spiking networks (feature `gpu`): a figures request for a spiking network
//! block runs on the browser's WebGPU adapter (`brainplay_gpu`), reporting progress and partial
//! figures as the CPU run does, and the figures say where they were computed. A network the
//! GPU cannot run (no adapter after all, a synapse kept per connection, too large a buffer) runs on the
//! CPU instead, with the reason under its figures.

use std::cell::RefCell;
use std::rc::Rc;

use brainplay_content::content::{Network as NetworkBlock, Widget};
use brainplay_content::figure::{Backend, Figures};
use brainplay_content::wire::{Reply, Request};
use brainplay_gpu::{Gpu, GpuNetwork};
use brainplay_lessons::bilingual;
use brainplay_lessons::figures::{self, Figured};
use brainplay_lessons::run::MAX_GPU_NEURON_STEPS;
use brainplay_lessons::Setting;
use brainplay_sim::network::{NetworkOutput, NetworkSetup};
use brainplay_sim::{msg, Message};
use web_sys::DedicatedWorkerGlobalScope;

use crate::compute::{figures_reply, Worker};
use crate::post;
use crate::progress::Reporter;

/// Steps between looks at the clock (progress, partial figures): four of the GPU's batches.
const CHUNK_STEPS: usize = 4 * brainplay_gpu::network::BATCH_STEPS;

thread_local! {
    /// The adapter, opened by the first GPU run; the reason if there is none.
    static GPU: RefCell<Option<Result<Rc<Gpu>, Message>>> = const { RefCell::new(None) };
}

/// Takes `request` if it asks for a spiking network's figures, which it then computes
/// asynchronously (replying when done); gives every other request back.
pub fn take(
    worker: &Rc<RefCell<Worker>>,
    scope: &DedicatedWorkerGlobalScope,
    request: Request,
) -> Option<Request> {
    let Request::Figures {
        job,
        page,
        block,
        setting,
    } = &request
    else {
        return Some(request);
    };
    // A block that is not a spiking network, or whose setup fails, goes the CPU's way (which
    // reports the failure).
    let Some(Ok((network, setup))) = worker.borrow_mut().spiking(page, block, setting) else {
        return Some(request);
    };
    let (job, page, block, setting) = (*job, page.clone(), block.clone(), setting.clone());
    let (worker, scope) = (worker.clone(), scope.clone());
    wasm_bindgen_futures::spawn_local(async move {
        let reply = match run(&scope, job, &network, &setting, &setup).await {
            Ok(figures) => Reply::Figures {
                job,
                figures: Box::new(figures),
            },
            Err(why) => {
                let figures = worker
                    .borrow_mut()
                    .figures(&scope, job, &page, &block, &setting);
                figures_reply(job, figures, Backend::CpuInstead(bilingual(why)))
            }
        };
        post(&scope, &reply);
    });
    None
}

/// The adapter, opened once.
async fn gpu() -> Result<Rc<Gpu>, Message> {
    if let Some(opened) = GPU.with_borrow(Clone::clone) {
        return opened;
    }
    let opened = Gpu::open().await.map(Rc::new).map_err(|e| e.0);
    GPU.with_borrow_mut(|gpu| *gpu = Some(opened.clone()));
    opened
}

/// Runs `setup` on the GPU for the figures of `network`; the reason when it cannot.
async fn run(
    scope: &DedicatedWorkerGlobalScope,
    job: u64,
    network: &NetworkBlock,
    setting: &Setting,
    setup: &NetworkSetup,
) -> Result<Figures, Message> {
    // Bounded before the network is built: a large one's connections take seconds.
    let neurons: usize = setup.groups.iter().map(|g| g.source.len()).sum();
    let neuron_steps = setting.duration_ms / setup.dt_ms * neurons as f64;
    if neuron_steps > MAX_GPU_NEURON_STEPS {
        return Err(msg!(
            "{neuron_steps:.3e} neuron-steps are more than the {MAX_GPU_NEURON_STEPS:.0e} a GPU run may",
            "{neuron_steps:.3e} 个神经元·步超过了 GPU 一次运行允许的 {MAX_GPU_NEURON_STEPS:.0e} 个"
        ));
    }
    let gpu = gpu().await?;
    let mut run = GpuNetwork::new(&gpu, setup).map_err(|e| e.0)?;
    let total = run.steps_for(setting.duration_ms);
    let block = Figured::Widget(Widget::Network(network));
    let backend = Backend::Gpu(gpu.name.clone());
    let figures_of = |output: NetworkOutput, steps: usize| {
        figures::spiking_figures(block, setting, output, steps, backend.clone())
    };
    let mut reporter = Reporter::new(job);
    while run.steps_done() < total {
        let steps = CHUNK_STEPS.min(total - run.steps_done());
        if !run.advance(steps).await {
            break;
        }
        let fraction = run.steps_done() as f64 / total as f64;
        reporter.report(scope, fraction, || {
            let output = NetworkOutput {
                groups: run.group_outputs().to_vec(),
                ..NetworkOutput::default()
            };
            figures_of(output, run.steps_done()).ok()
        });
    }
    if let Some(failure) = run.failure() {
        return Err(failure.clone());
    }
    let steps = run.steps_done();
    figures_of(run.into_output(), steps)
}
