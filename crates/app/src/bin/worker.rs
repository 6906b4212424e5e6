//! The simulation worker: receives a run request, simulates off the page's thread, and posts
//! progress about ten times a second and then the result. Built by trunk as a Web Worker
//! (`data-type="worker"` in index.html); the page terminates it to cancel a run.

use brainplay_sim::parse_model;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use brainplay_app::wire::{self, Reply, RunRequest, WireOutput};

const PROGRESS_EVERY_MS: f64 = 100.0;

fn post(scope: &DedicatedWorkerGlobalScope, reply: &Reply) {
    let bytes = js_sys::Uint8Array::from(&wire::encode(reply)[..]);
    // Transfer the buffer instead of copying it.
    let transfer = js_sys::Array::of1(&bytes.buffer());
    let _ = scope.post_message_with_transfer(&bytes, &transfer);
}

fn run(scope: &DedicatedWorkerGlobalScope, request: RunRequest) {
    let id = request.run;
    let setting = request.setting.to_setting();
    let model = match parse_model(&request.model_source) {
        Ok(model) => model,
        Err(e) => {
            return post(
                scope,
                &Reply::Failed {
                    run: id,
                    message: e.to_string(),
                },
            )
        }
    };
    let others: Vec<(String, brainplay_sim::Model)> = request
        .other_models
        .iter()
        .filter_map(|(id, source)| Some((id.clone(), parse_model(source).ok()?)))
        .collect();
    let resolve = |id: &str| others.iter().find(|(i, _)| i == id).map(|(_, m)| m.clone());
    let mut sim = match setting.start_resolving(&model, &request.record, &resolve) {
        Ok(sim) => sim,
        Err(message) => return post(scope, &Reply::Failed { run: id, message }),
    };
    let total = sim.steps_for(setting.duration_ms);
    let neurons = sim.neurons();
    let chunk = (200_000 / neurons.max(1)).max(1);
    let mut last_report = js_sys::Date::now();
    while sim.steps_done() < total {
        if !sim.advance(chunk.min(total - sim.steps_done())) {
            break;
        }
        let now = js_sys::Date::now();
        if now - last_report > PROGRESS_EVERY_MS {
            last_report = now;
            let fraction = sim.steps_done() as f64 / total as f64;
            post(scope, &Reply::Progress { run: id, fraction });
        }
    }
    post(
        scope,
        &Reply::Done {
            run: id,
            output: WireOutput::from(sim.into_output()),
        },
    );
}

fn main() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let bytes = js_sys::Uint8Array::new(&event.data()).to_vec();
        if let Some(request) = wire::decode::<RunRequest>(&bytes) {
            run(&reply_scope, request);
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(&scope, &Reply::Ready);
}
