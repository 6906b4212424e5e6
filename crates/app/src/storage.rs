//! The browser's localStorage, tolerant of its absence (private modes, tests).

use wasm_bindgen::JsCast;

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn get(key: &str) -> Option<String> {
    local()?.get_item(key).ok()?
}

/// Stores `value` under `key`, or says why the browser would not (storage disabled, or full).
pub fn set(key: &str, value: &str) -> Result<(), String> {
    let storage = local().ok_or_else(|| "this browser keeps no local storage here".to_string())?;
    storage.set_item(key, value).map_err(|e| {
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "the browser refused to store it".to_string())
    })
}
