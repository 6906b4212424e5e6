//! "BrainPy code": a widget's setting as a runnable BrainPy 2.4 script, written by the export
//! worker (`compute`, `brainplay_lessons::export`) when the learner opens the panel, and again
//! whenever the setting changes while it is open; shown, copied or saved as a `.py` file.
//!
//! The panel is one static piece of markup whose code block is filled in directly: each
//! reactive part a Leptos view adds costs the page's wasm (a first version, with the script as
//! a reactive text and the panel shown conditionally, added 4.5 KB gzipped).

use brainplay_content::setting::Setting;
use leptos::html::Pre;
use leptos::prelude::*;

use crate::components::download;
use crate::compute::{use_page, Job, JobStatus, Outcome};
use crate::i18n::{tr, use_lang};

#[component]
pub fn BrainPyCode(
    block: &'static str,
    setting: RwSignal<Setting>,
    /// The saved file's name without `.py`.
    file_stem: String,
) -> impl IntoView {
    let lang = use_lang();
    let open = RwSignal::new(false);
    let job = Job::new();
    {
        let (job, page) = (job.clone(), use_page());
        Effect::new(move |_| {
            if open.get() {
                setting.with(|s| job.export(&page, block, s));
            }
        });
    }
    let code = NodeRef::<Pre>::new();
    let status = job.status;
    Effect::new(move |_| {
        status.with(|st| {
            let text = match st {
                JobStatus::Done(outcome) => match outcome.as_ref() {
                    Outcome::Exported(script) => script.clone(),
                    _ => return,
                },
                JobStatus::Failed(message) => format!("# {}", message.get(lang.get_untracked())),
                // A job under way keeps the last script on show.
                _ => return,
            };
            if let Some(pre) = code.get_untracked() {
                pre.set_text_content(Some(&text));
            }
        })
    });
    let script = move || {
        code.get_untracked()
            .and_then(|pre| pre.text_content())
            .filter(|text| !text.is_empty() && !text.starts_with("# "))
    };
    let copy = move |_| {
        if let (Some(window), Some(text)) = (web_sys::window(), script()) {
            let _ = window.navigator().clipboard().write_text(&text);
        }
    };
    let file_name = StoredValue::new(format!("{file_stem}.py"));
    let save = move |_| {
        if let Some(text) = script() {
            file_name.with_value(|name| download::text(&text, name, "text/x-python"));
        }
    };
    view! {
        <div class="brainpy-code">
            <button
                class="small show-code"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {tr("brainpy_code", lang)}
            </button>
            <div class="code-panel" hidden=move || !open.get()>
                <p class="hint">{tr("brainpy_code_hint", lang)}</p>
                <div class="code-actions">
                    <button class="small copy-code" on:click=copy>
                        {tr("copy_code", lang)}
                    </button>
                    <button class="small save-code" on:click=save>
                        {tr("save_py", lang)}
                    </button>
                </div>
                <pre class="code" tabindex="0" node_ref=code></pre>
            </div>
        </div>
    }
}
