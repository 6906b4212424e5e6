//! The URL is the page's state: what differs from the lesson's defaults is written into the
//! query by a compute worker (`Request::Link`), and the page replaces the history entry's query
//! with it (so the back button still leaves the page); a link opened cold restores it.

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

/// "Copy link": puts the page's address, which holds every widget's setting, on the clipboard
/// and says so. On the lesson page (`id` `copy-link`) and on every simulator, where it is the
/// link to that simulator's setting.
#[leptos::component]
pub fn CopyLink(#[prop(optional)] id: &'static str, label: &'static str) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let lang = crate::i18n::use_lang();
    let copied = RwSignal::new(false);
    let copy = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&current_url());
            copied.set(true);
        }
    };
    view! {
        <span class="share">
            <button class="small copy-link" id=(!id.is_empty()).then_some(id) on:click=copy>
                {crate::i18n::tr(label, lang)}
            </button>
            {move || copied.get().then(|| view! { <span class="copied">{crate::i18n::ui("link_copied", lang.get())}</span> })}
        </span>
    }
}
