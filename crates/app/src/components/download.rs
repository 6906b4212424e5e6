//! Saving a file from the page (a temporary link with a `download` name, clicked), and taking
//! the file a learner chooses to load.

use wasm_bindgen::JsCast;

/// Starts a download of `href` (a data: or blob: URL) under `file_name`.
pub fn url(href: &str, file_name: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(element) = document.create_element("a") else {
        return;
    };
    let Ok(anchor) = element.dyn_into::<web_sys::HtmlAnchorElement>() else {
        return;
    };
    anchor.set_href(href);
    anchor.set_download(file_name);
    anchor.click();
}

/// Starts a download of `content` as a text file.
pub fn text(content: &str, file_name: &str, mime: &str) {
    blob(&wasm_bindgen::JsValue::from_str(content), file_name, mime);
}

/// Starts a download of `content` as a binary file.
pub fn bytes(content: &[u8], file_name: &str, mime: &str) {
    blob(&js_sys::Uint8Array::from(content), file_name, mime);
}

/// A file of the one part `part` (a string or bytes), downloaded.
fn blob(part: &wasm_bindgen::JsValue, file_name: &str, mime: &str) {
    let parts = js_sys::Array::of1(part);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else {
        return;
    };
    if let Ok(href) = web_sys::Url::create_object_url_with_blob(&blob) {
        url(&href, file_name);
        let _ = web_sys::Url::revoke_object_url(&href);
    }
}

/// The file chosen in the file field that `event` (its `change`) comes from; the field is
/// cleared, so that choosing the same file again is a change too.
pub fn chosen(event: &leptos::ev::Event) -> Option<web_sys::File> {
    let input = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())?;
    let file = input.files().and_then(|files| files.get(0))?;
    input.set_value("");
    Some(file)
}
