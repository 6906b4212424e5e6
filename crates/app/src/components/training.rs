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

use crate::components::download;
use crate::compute::{Job, JobStatus};
use crate::i18n::{ui, use_lang};

/// What a saved network's file is named after: its block and iterations.
fn file_name(c: &Checkpoint) -> String {
    format!("{}-{}-iterations.brainplay", c.block, c.iterations)
}

/// The checkpoint of the figures shown, if they are a gradient-trained run's.
fn checkpoint_of(figures: &Option<Figures>) -> Option<&Checkpoint> {
    match figures {
        Some(Figures::Training(t)) => t.checkpoint.as_deref(),
        _ => None,
    }
}

#[component]
pub fn TrainingActions(
    block: &'static str,
    setting: RwSignal<Setting>,
    job: Job,
    figures: Memo<Option<Figures>>,
) -> impl IntoView {
    let lang = use_lang();
    let from_file = RwSignal::new(false);
    let problem = RwSignal::new(None::<Text>);
    let status = job.status;
    let running = move || matches!(status.get(), JobStatus::Running { .. });
    // Paused: the job was stopped and left idle (only a pause does that; any new run replaces
    // it), and the figures shown, the last before the pause, hold the state to resume from.
    let paused = move || matches!(status.get(), JobStatus::Idle);
    let job = StoredValue::new(job);
    let pause = move |_| {
        job.with_value(Job::cancel);
        // Paused, not cancelled: the row says where it stopped.
        status.set(JobStatus::Idle);
    };
    let resume = move |_| {
        let Some(c) = figures.with_untracked(|f| checkpoint_of(f).cloned()) else {
            return;
        };
        from_file.set(false);
        setting.update(|s| s.resume = Some(Box::new(c)));
    };
    let save = move |_| {
        figures.with_untracked(|f| {
            if let Some(c) = checkpoint_of(f) {
                download::bytes(&c.to_file(), &file_name(c), "application/octet-stream");
            }
        });
    };
    let load = move |ev: leptos::ev::Event| {
        let Some(file) = download::chosen(&ev) else {
            return;
        };
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
    // The loaded network is shown while the settings are those it was trained with.
    let loaded = move || {
        from_file.get()
            && setting.with(|s| {
                let c = s.resume.as_deref();
                c.is_some_and(|c| c.fits(block, &s.params, s.seed))
            })
    };

    // Only the networks trained by gradient have checkpoints. A memo, so that the row is built
    // once, not again with every partial figure (a click must not land on a replaced button).
    let offered = Memo::new(move |_| figures.with(|f| checkpoint_of(f).is_some()));
    let iterations = move || figures.with(|f| checkpoint_of(f).map_or(0, |c| c.iterations));

    move || {
        let lang = lang.get();
        offered.get().then(|| view! {
            <div class="answer-row training-actions">
                {move || running().then(|| view! {
                    <button class="small pause" on:click=pause>{ui("pause_training", lang)}</button>
                })}
                {move || paused().then(|| view! {
                    <span class="paused">{format!("{} {}", ui("paused_at", lang), iterations())}</span>
                    <button class="small resume" on:click=resume>{ui("resume_training", lang)}</button>
                })}
                <button class="small save-network" on:click=save>{ui("save_network", lang)}</button>
                <label class="small load-network">
                    {ui("load_network", lang)} " "
                    <input type="file" accept=".brainplay" on:change=load />
                </label>
            </div>
            {move || loaded().then(|| view! { <p class="notice loaded-network">{ui("loaded_network", lang)}</p> })}
            {move || problem.get().map(|p| view! { <p class="error load-problem">{p.get(lang).to_string()}</p> })}
        })
    }
}
