//! The URL is the page's state: what differs from the lesson's defaults is written into the
//! query (replacing the history entry, so the back button still leaves the page), and a link
//! opened cold restores it.

use std::collections::BTreeMap;

use brainplay_lessons::content::Lesson;
use brainplay_lessons::setting::Setting;
use brainplay_lessons::state::{PageState, WidgetState};
use leptos::prelude::*;

use crate::i18n::Lang;

/// The changes from `defaults` to `setting`, as a share link stores them.
pub fn widget_state(setting: &Setting, defaults: &Setting) -> WidgetState {
    let params = setting
        .params
        .iter()
        .filter(|(name, values)| defaults.params.get(*name) != Some(*values))
        .map(|(name, values)| (name.clone(), values.clone()))
        .collect();
    WidgetState {
        params,
        input: (setting.input != defaults.input).then(|| setting.input.clone().unwrap_or_default()),
        method: (setting.method != defaults.method)
            .then_some(setting.method)
            .flatten(),
        dt_ms: (setting.dt_ms != defaults.dt_ms).then_some(setting.dt_ms),
        seed: (setting.seed != defaults.seed).then_some(setting.seed),
    }
}

/// The query string for the current settings of every widget of `lesson`.
pub fn query(
    lesson: &Lesson,
    settings: &BTreeMap<String, RwSignal<Setting>>,
    lang: Lang,
) -> String {
    let widgets = lesson
        .widgets()
        .filter_map(|w| {
            let setting = settings.get(w.id())?;
            let state = setting.with(|s| widget_state(s, &Setting::from_widget(w)));
            (!state.is_empty()).then(|| (w.id().to_string(), state))
        })
        .collect();
    PageState {
        lang: Some(lang),
        widgets,
    }
    .to_query()
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
