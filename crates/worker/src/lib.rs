//! What the site's two Web Workers share: the message loop. A worker receives
//! `brainplay_content::wire::Request`s from the page and posts `Reply`s; `serve` decodes each
//! request and hands it to the worker's handler, and says `Ready` once it listens.
//!
//! The three workers are separate binaries so that a page downloads only the code it runs: the
//! compute worker of lessons 1–11 (`src/main.rs`) and of lessons 12–14 (`src/learn_worker.rs`,
//! the same handler, `compute`, with the learning code), and the BrainPy export worker
//! (`src/export_worker.rs`), started only when a learner asks for a widget's BrainPy code.

#[cfg(feature = "bench")]
mod bench;
pub mod compute;
mod data;
#[cfg(feature = "gpu")]
mod gpu;
mod link;
mod progress;

use brainplay_sim::{msg, Message};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use brainplay_content::wire::{self, Reply, Request};
use brainplay_lessons::{bilingual, Lesson};

pub fn post(scope: &DedicatedWorkerGlobalScope, reply: &Reply) {
    let bytes = js_sys::Uint8Array::from(&wire::encode(reply)[..]);
    // Transfer the buffer instead of copying it.
    let transfer = js_sys::Array::of1(&bytes.buffer());
    let _ = scope.post_message_with_transfer(&bytes, &transfer);
}

/// Answers every request the page posts with `handle`, from now on.
pub fn serve(mut handle: impl FnMut(&DedicatedWorkerGlobalScope, Request) + 'static) {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let bytes = js_sys::Uint8Array::new(&event.data()).to_vec();
        if let Some(request) = wire::decode::<Request>(&bytes) {
            handle(&reply_scope, request);
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(&scope, &Reply::Ready);
}

/// Lesson `page` of the ones the page has sent, or the message that it has not.
pub fn lesson<'a>(
    lessons: &'a std::collections::BTreeMap<String, Lesson>,
    page: &str,
) -> Result<&'a Lesson, Message> {
    lessons.get(page).ok_or_else(|| no_lesson(page))
}

pub fn no_lesson(page: &str) -> Message {
    msg!(
        "the worker has no lesson `{page}`",
        "计算线程里没有第 `{page}` 课"
    )
}

/// The reply that job `job` failed with `message`.
pub fn failed(job: u64, message: Message) -> Reply {
    Reply::Failed {
        job,
        message: bilingual(message),
    }
}

/// That lesson `page` has no block `block`.
pub fn no_block(page: &str, block: &str) -> Message {
    msg!(
        "lesson {page} has no block `{block}`",
        "第 {page} 课没有模块 `{block}`"
    )
}
