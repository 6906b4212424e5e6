//! A lesson page, rendered from its content file (fetched when the page opens): text,
//! simulators, f–I curves, phase planes and exercises. The page's settings come from the link,
//! read by a compute worker against the models (with a notice for what could not be used), and
//! are written back into it as they change.

use std::collections::BTreeMap;
use std::sync::Arc;

use brainplay_content::content::{Block, Lesson, Task};
use brainplay_content::model_info::ModelInfo;
use brainplay_content::registry::{self, CatalogEntry};
use brainplay_content::wire::Opened;
use brainplay_content::{Setting, Text};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::base::base_path;
use crate::components::contents::Contents;
use crate::components::exercise::ExerciseBlock;
use crate::components::fi_curve::FiCurveBlock;
use crate::components::markdown::Markdown;
use crate::components::network::NetworkBlock;
use crate::components::phase_line::PhaseLineBlock;
use crate::components::phase_plane::PhasePlaneBlock;
use crate::components::simulator::SimulatorBlock;
use crate::components::synapse_plot::SynapsePlotBlock;
use crate::compute::{use_page, Job, JobStatus, Outcome, Page};
use crate::i18n::{tr, use_lang};
use crate::lesson_fetch;
use crate::pages::not_found::NotFound;
use crate::progress::ProgressNotice;
use crate::share;

#[component]
pub fn LessonPage() -> impl IntoView {
    let params = use_params_map();
    move || {
        let slug = params.with(|p| p.get("slug").unwrap_or_default());
        match registry::entry(&slug) {
            Some(entry) => view! { <FetchedLesson entry=entry /> }.into_any(),
            None => view! { <NotFound /> }.into_any(),
        }
    }
}

/// The lesson once its file has arrived; until then its title and a loading line, and if the
/// fetch fails, what failed and a button to try again.
#[component]
fn FetchedLesson(entry: &'static CatalogEntry) -> impl IntoView {
    let lang = use_lang();
    let attempt = RwSignal::new(0_u32);
    let fetched = LocalResource::new(move || {
        attempt.track();
        lesson_fetch::load(entry)
    });
    let title = entry.title();
    move || match fetched.get() {
        Some(Ok(lesson)) => view! { <LessonView lesson=lesson /> }.into_any(),
        Some(Err(error)) => view! {
            <article class="lesson">
                <h1>{title.get(lang.get()).to_string()}</h1>
                <div class="notice" id="lesson-error">
                    <p>{tr("lesson_load_failed", lang)}</p>
                    <p><code>{error}</code></p>
                    <button id="lesson-retry" on:click=move |_| attempt.update(|n| *n += 1)>
                        {tr("retry", lang)}
                    </button>
                </div>
            </article>
        }
        .into_any(),
        None => view! {
            <article class="lesson">
                <h1>{title.get(lang.get()).to_string()}</h1>
                <p class="loading" id="lesson-loading">{tr("lesson_loading", lang)}</p>
            </article>
        }
        .into_any(),
    }
}

#[component]
fn LessonView(lesson: &'static Lesson) -> impl IntoView {
    let page = lesson.page_name();
    provide_context(Page(page.clone()));
    let query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    // The link is read against the models in a compute worker, which answers with every
    // widget's setting and the models' descriptions.
    let job = Job::new();
    job.open(&page, &query);
    let status = job.status;
    move || match status.get() {
        JobStatus::Done(outcome) => match outcome.as_ref() {
            Outcome::Opened(opened) => {
                view! { <OpenedLesson lesson=lesson opened=(**opened).clone() problem=None /> }
                    .into_any()
            }
            _ => ().into_any(),
        },
        JobStatus::Failed(message) => {
            view! { <OpenedLesson lesson=lesson opened=Opened::default() problem=Some(message) /> }
                .into_any()
        }
        _ => view! { <StartingLesson lesson=lesson /> }.into_any(),
    }
}

/// The lesson while its compute worker starts: the text can already be read, and each widget
/// says that it is on its way.
#[component]
fn StartingLesson(lesson: &'static Lesson) -> impl IntoView {
    let lang = use_lang();
    let blocks = lesson
        .blocks
        .iter()
        .map(|block| match block {
            Block::Text { body } => view! {
                <div class="block"><Markdown text=Signal::derive(move || body.get(lang.get()).to_string()) /></div>
            }
            .into_any(),
            Block::Exercise(_) => ().into_any(),
            _ => view! {
                <div class="block"><p class="loading">{tr("widget_starting", lang)}</p></div>
            }
            .into_any(),
        })
        .collect_view();
    view! {
        <article class="lesson" id="lesson-starting">
            <h1>{move || lesson.title.get(lang.get()).to_string()}</h1>
            {blocks}
        </article>
    }
}

/// The lesson with its widgets' settings (`problem`: why there are none, shown in their place).
#[component]
fn OpenedLesson(lesson: &'static Lesson, opened: Opened, problem: Option<Text>) -> impl IntoView {
    let lang = use_lang();
    let Opened {
        settings,
        notices,
        models,
        edited,
    } = opened;
    let settings: BTreeMap<String, RwSignal<Setting>> = settings
        .into_iter()
        .map(|(id, setting)| (id, RwSignal::new(setting)))
        .collect();
    let models = Arc::new(models);

    // Keep the link in step with the page: a compute worker writes it (the page links no
    // link writer), and the latest answer replaces the address's query.
    {
        let settings = settings.clone();
        let link = Job::new();
        let page = use_page();
        let status = link.status;
        Effect::new(move |_| {
            let current = settings
                .iter()
                .map(|(id, s)| (id.clone(), s.get()))
                .collect();
            link.link(&page, current, lang.get());
        });
        Effect::new(move |_| {
            if let JobStatus::Done(outcome) = status.get() {
                if let Outcome::Linked(query) = outcome.as_ref() {
                    share::replace_query(query);
                }
            }
        });
    }

    let notice = (!notices.is_empty()).then(|| {
        view! {
            <div class="notice link-notice" id="link-notice">
                <p>{tr("link_notice", lang)}</p>
                <ul>
                    {notices
                        .iter()
                        .map(|n| {
                            let n = n.clone();
                            view! { <li>{move || format!("{}: {}", n.key, n.message.get(lang.get()))}</li> }
                        })
                        .collect_view()}
                </ul>
            </div>
        }
    });

    // A widget: its setting and its model's description, or why it cannot be shown.
    let widget = |id: &str, model_id: &str| -> Result<(RwSignal<Setting>, ModelInfo), Text> {
        if let Some(problem) = &problem {
            return Err(problem.clone());
        }
        let setting = settings.get(id).copied().ok_or_else(|| {
            Text::new(format!("no setting for `{id}`"), format!("`{id}` 没有设置"))
        })?;
        let model = models.get(model_id).cloned().ok_or_else(|| {
            Text::new(
                format!("unknown model `{model_id}`"),
                format!("未知的模型 `{model_id}`"),
            )
        })?;
        Ok((setting, model))
    };
    let unavailable = move |e: Text| {
        view! { <p class="error">{e.get(lang.get_untracked()).to_string()}</p> }.into_any()
    };

    let blocks = lesson
        .blocks
        .iter()
        .map(|block| match block {
            Block::Text { body } => {
                view! { <div class="block"><Markdown text=Signal::derive(move || body.get(lang.get()).to_string()) /></div> }
                    .into_any()
            }
            Block::Simulator(sim) => match widget(&sim.id, &sim.model) {
                Ok((setting, model)) => {
                    let edit = edited.get(&sim.id).cloned();
                    view! { <div class="block"><SimulatorBlock block=sim setting=setting model=model edited=edit /></div> }.into_any()
                }
                Err(e) => unavailable(e),
            },
            Block::PhasePlane(plane) => match widget(&plane.id, &plane.model) {
                Ok((setting, model)) => view! { <div class="block"><PhasePlaneBlock block=plane setting=setting model=model /></div> }.into_any(),
                Err(e) => unavailable(e),
            },
            Block::PhaseLine(line) => match widget(&line.id, &line.model) {
                Ok((setting, model)) => view! { <div class="block"><PhaseLineBlock block=line setting=setting model=model /></div> }.into_any(),
                Err(e) => unavailable(e),
            },
            Block::SynapsePlot(plot) => {
                view! { <div class="block"><SynapsePlotBlock block=plot /></div> }.into_any()
            }
            Block::Network(network) => match widget(&network.id, &network.network) {
                Ok((setting, model)) => view! { <div class="block"><NetworkBlock block=network setting=setting model=model /></div> }.into_any(),
                Err(e) => unavailable(e),
            },
            Block::FiCurve(fi) => match widget(&fi.id, &fi.model) {
                Ok((setting, model)) => view! { <div class="block"><FiCurveBlock block=fi setting=setting model=model /></div> }.into_any(),
                Err(e) => unavailable(e),
            },
            Block::Exercise(exercise) => {
                let settings = settings.clone();
                let current = Callback::new(move |()| {
                    let id = match &exercise.task {
                        Task::Simulate { simulator, .. } => simulator,
                        _ => return None,
                    };
                    settings.get(id).map(|s| s.get_untracked())
                });
                view! {
                    <div class="block">
                        <ExerciseBlock lesson_number=lesson.number exercise=exercise current_setting=current />
                    </div>
                }
                .into_any()
            }
        })
        .collect_view();

    let neighbours = |offset: i64| {
        let n = lesson.number as i64 + offset;
        registry::CATALOG
            .iter()
            .find(|e| e.number as i64 == n)
            .map(|e| {
                (
                    format!("{}/lesson/{}", base_path(), e.page_name()),
                    e.title(),
                )
            })
    };
    let (previous, next) = (neighbours(-1), neighbours(1));

    view! {
        <article class="lesson" id=format!("lesson-{}", lesson.number)>
            <p class="crumbs">
                <a href=format!("{}/", base_path())>{tr("home", lang)}</a>
            </p>
            <h1>{move || lesson.title.get(lang.get()).to_string()}</h1>
            <ProgressNotice />
            {notice}
            <share::CopyLink id="copy-link" label="copy_link" />
            <Contents lesson=lesson />
            {blocks}
            <nav class="lesson-nav">
                {previous.map(|(href, title)| view! { <a href=href>{move || format!("← {}", title.get(lang.get()))}</a> })}
                <span></span>
                {next.map(|(href, title)| view! { <a href=href>{move || format!("{} →", title.get(lang.get()))}</a> })}
            </nav>
        </article>
    }
}
