//! A gradient-trained network's pause, resume, save and load (`brainplay_content::checkpoint`).
//! Every figure of such a run carries its checkpoint: "Pause" stops the run and keeps the last
//! one, "Resume" starts the run again from it (the same end as if never paused), "Save" writes
//! it to a file, and loading a file sets the block's settings to those it was trained with and
//! starts from it (the same predictions as when it was saved). A file that is not a saved
//! network of this block is refused with the reason, and nothing changes.

use brainplay_content::checkpoint::Checkpoint;
use brainplay_content::figure::Figures;
use brainplay_content::{Setting, Text};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::download;
use crate::compute::{Job, JobStatus};
use crate::i18n::{tr, ui, use_lang};

/// What a saved network's file is named after: its block and iterations.
fn file_name(c: &Checkpoint) -> String {
    format!("{}-{}-iterations.brainplay", c.block, c.iterations())
}

#[component]
pub fn TrainingActions(
    block: &'static str,
    setting: RwSignal<Setting>,
    job: Job,
    figures: Memo<Option<Figures>>,
) -> impl IntoView {
    let lang = use_lang();
    let checkpoint = Memo::new(move |_| {
        figures.with(|f| match f {
            Some(Figures::Training(t)) => t.checkpoint.clone(),
            _ => None,
        })
    });
    let paused = RwSignal::new(None::<Box<Checkpoint>>);
    let from_file = RwSignal::new(false);
    let problem = RwSignal::new(None::<Text>);
    let status = job.status;
    let running = move || matches!(status.get(), JobStatus::Running { .. });
    // A new run of any kind (a changed slider, a resume) is no longer paused.
    Effect::new(move |_| {
        if running() {
            paused.set(None);
        }
    });

    let job = StoredValue::new(job);
    let pause = move |_| {
        paused.set(checkpoint.get_untracked());
        job.with_value(Job::cancel);
        // Paused, not cancelled: the row below says where it stopped.
        status.set(JobStatus::Idle);
    };
    let resume = move |_| {
        if let Some(c) = paused.get_untracked() {
            from_file.set(false);
            setting.update(|s| s.resume = Some(c));
        }
    };
    let save = move |_| {
        if let Some(c) = checkpoint.get_untracked() {
            download::bytes(&c.to_file(), &file_name(&c), "application/octet-stream");
        }
    };
    let load = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        leptos::task::spawn_local(async move {
            let read = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await;
            let bytes = read.map(|buffer| js_sys::Uint8Array::new(&buffer).to_vec());
            let loaded = bytes
                .map_err(|_| Text::new("The file could not be read.", "无法读取这个文件。"))
                .and_then(|bytes| Checkpoint::from_file(&bytes, block));
            match loaded {
                Ok(c) => {
                    problem.set(None);
                    from_file.set(true);
                    setting.update(|s| {
                        s.params = c.params.clone();
                        s.seed = c.seed;
                        s.resume = Some(Box::new(c));
                    });
                }
                Err(why) => problem.set(Some(why)),
            }
        });
    };
    // The loaded network is shown while the settings are still those it was trained with.
    let loaded = move || {
        from_file.get()
            && setting.with(|s| {
                let c = s.resume.as_deref();
                c.is_some_and(|c| c.fits(block, &s.params, s.seed))
            })
    };
    // Only the networks trained by gradient have checkpoints.
    let offered = move || checkpoint.with(Option::is_some) || paused.with(Option::is_some);

    view! {
        <Show when=offered>
        <div class="answer-row training-actions">
            <Show when=running>
                <button class="small pause" on:click=pause>{tr("pause_training", lang)}</button>
            </Show>
            <Show when=move || paused.with(Option::is_some)>
                <span class="paused">
                    {move || {
                        let k = paused.with(|p| p.as_ref().map_or(0, |c| c.iterations()));
                        format!("{} {k}", ui("paused_at", lang.get()))
                    }}
                </span>
                <button class="small resume" on:click=resume>{tr("resume_training", lang)}</button>
            </Show>
            <button class="small save-network" on:click=save disabled=move || checkpoint.with(Option::is_none)>
                {tr("save_network", lang)}
            </button>
            <label class="small load-network">
                {tr("load_network", lang)} " "
                <input type="file" accept=".brainplay" on:change=load />
            </label>
        </div>
        <Show when=loaded>
            <p class="notice loaded-network">{tr("loaded_network", lang)}</p>
        </Show>
        </Show>
        {move || problem.get().map(|p| view! { <p class="error load-problem">{p.get(lang.get()).to_string()}</p> })}
    }
}
