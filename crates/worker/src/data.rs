//! The data sets lessons learn from, fetched the first time a block that learns from one runs:
//! the site ships each as a file of its own (`datasets::file`) so that neither the first load nor
//! a lesson file carries them. A worker may block on a request (the page's thread never waits
//! for it), so the fetch is a synchronous `XMLHttpRequest`, which keeps a request one message in
//! and one reply out; the service worker answers it offline like any other file of the build.

use brainplay_content::datasets;
use brainplay_lessons::Lesson;
use brainplay_sim::{msg, Message};
use wasm_bindgen::JsCast;
use web_sys::{WorkerGlobalScope, XmlHttpRequest, XmlHttpRequestResponseType};

/// Gives block `block` of `lesson` the bytes of the data set it learns from, fetching them if
/// this copy of the lesson lacks them. The error names the address and what went wrong.
pub fn provide(lesson: &mut Lesson, block: &str) -> Result<(), Message> {
    if let Some(name) = lesson.missing_data(block).map(str::to_string) {
        let bytes = fetch(&datasets::file(&name))?;
        lesson.provide_data(&name, &bytes);
    }
    Ok(())
}

/// The bytes at `path`, relative to the site's root (where the worker's script is).
fn fetch(path: &str) -> Result<Vec<u8>, Message> {
    let scope: WorkerGlobalScope = js_sys::global().unchecked_into();
    let url = web_sys::Url::new_with_base(path, &scope.location().href())
        .map(|url| url.href())
        .unwrap_or_else(|_| path.to_string());
    let failed = |_| {
        msg!(
            "{url}: the data set could not be fetched",
            "{url}：无法获取数据集"
        )
    };
    let request = XmlHttpRequest::new().map_err(failed)?;
    request
        .open_with_async("GET", &url, false)
        .map_err(failed)?;
    request.set_response_type(XmlHttpRequestResponseType::Arraybuffer);
    request.send().map_err(failed)?;
    match request.status().map_err(failed)? {
        200 => {
            let body = request.response().map_err(failed)?;
            Ok(js_sys::Uint8Array::new(&body).to_vec())
        }
        status => Err(msg!("{url}: HTTP {status}", "{url}：HTTP {status}")),
    }
}
