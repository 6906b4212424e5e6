//! Share links as the compute workers write them (`Request::Link`): the page's state as a query,
//! with the edited models' changed middles deflated by the browser's own
//! `CompressionStream("deflate-raw")`. The worker so carries no compressor (miniz_oxide's, in
//! `brainplay_content::link_text`, stays for the CLI and the tests; the decoder reads both).

use brainplay_content::link::PageState;
use brainplay_content::wire::Reply;
use brainplay_sim::msg;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::DedicatedWorkerGlobalScope;

use crate::{failed, post};

/// Answers job `job` with `state`'s query: at once where no model is edited, else once the
/// edits are compressed. Never inlined: in the request handler, the compiler's inlining grew
/// the compute worker by kilobytes.
#[inline(never)]
pub fn reply(scope: &DedicatedWorkerGlobalScope, job: u64, state: PageState) {
    let middles: Vec<Vec<u8>> = state
        .edit_middles()
        .iter()
        .map(|m| m.as_bytes().to_vec())
        .collect();
    if middles.is_empty() {
        let query = state.to_query_with(&|_| Vec::new());
        post(scope, &Reply::Linked { job, query });
        return;
    }
    let scope = scope.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let mut deflated = Vec::with_capacity(middles.len());
        for middle in middles {
            let Ok(bytes) = deflate_raw(&middle).await else {
                let why = msg!(
                    "the browser could not compress the edited model for the link",
                    "浏览器无法为链接压缩编辑过的模型"
                );
                post(&scope, &failed(job, why));
                return;
            };
            deflated.push((middle, bytes));
        }
        let query = state.to_query_with(&|middle| {
            let found = deflated.iter().find(|(m, _)| m == middle);
            found.map(|(_, bytes)| bytes.clone()).unwrap_or_default()
        });
        post(&scope, &Reply::Linked { job, query });
    });
}

/// Raw DEFLATE of `bytes` by the browser: a blob's stream through a compression stream, read
/// back whole.
async fn deflate_raw(bytes: &[u8]) -> Result<Vec<u8>, JsValue> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts)?;
    let compression = CompressionStream::new("deflate-raw")?;
    let pair = web_sys::ReadableWritablePair::new(&compression.readable(), &compression.writable());
    let compressed = blob.stream().pipe_through(&pair);
    let response = web_sys::Response::new_with_opt_readable_stream(Some(&compressed))?;
    let buffer = JsFuture::from(response.array_buffer()?).await?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

#[wasm_bindgen]
extern "C" {
    /// The browser's compression stream (web-sys offers it only among its unstable APIs).
    type CompressionStream;

    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, JsValue>;

    #[wasm_bindgen(method, getter)]
    fn readable(this: &CompressionStream) -> web_sys::ReadableStream;

    #[wasm_bindgen(method, getter)]
    fn writable(this: &CompressionStream) -> web_sys::WritableStream;
}
