//! The URL is the page's state: what differs from the lesson's defaults is written into the
//! query (replacing the history entry, so the back button still leaves the page), and a link
//! opened cold restores it.

use std::collections::BTreeMap;

use brainplay_content::content::Lesson;
use brainplay_content::link::PageState;
use brainplay_content::Setting;
use leptos::prelude::*;

use crate::i18n::Lang;

/// The query string for the current settings of every widget of `lesson`.
/// `bases` gives a built-in model's text by id, which an edit is stored against.
pub fn query(
    lesson: &Lesson,
    settings: &BTreeMap<String, RwSignal<Setting>>,
    lang: Lang,
    bases: &dyn Fn(&str) -> Option<String>,
) -> String {
    let current = settings
        .iter()
        .map(|(id, setting)| (id.clone(), setting.get()))
        .collect();
    PageState::of(lesson, &current, lang, bases).to_query()
}

/// Replaces the current history entry's query, keeping the path.
pub fn replace_query(query: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(path) = window.location().pathname() else {
        return;
    };
    let url = if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The page's full URL, for "copy link".
pub fn current_url() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}
