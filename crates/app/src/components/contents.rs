//! A lesson's table of contents: every figure by its title and the exercises with the learner's
//! progress, as links to their places on the page. Above the lesson on narrow screens, fixed in
//! the left margin where the screen has room for it (web/style.css).

use brainplay_content::content::{Block, Lesson};
use brainplay_content::Text;
use leptos::prelude::*;

use crate::i18n::{tr, ui, use_lang};
use crate::progress::use_progress;

/// A figure's anchor (the id its component gives its section) and title, or an exercise's id.
enum Entry {
    Figure(String, &'static Text),
    Exercise(&'static str),
}

fn entries(lesson: &'static Lesson) -> Vec<Entry> {
    lesson
        .blocks
        .iter()
        .filter_map(|block| {
            let figure = |prefix: &str, id: &str, title: &'static Text| {
                Some(Entry::Figure(format!("{prefix}-{id}"), title))
            };
            match block {
                Block::Text { .. } => None,
                Block::Simulator(b) => figure("sim", &b.id, &b.title),
                Block::FiCurve(b) => figure("fi", &b.id, &b.title),
                Block::PhasePlane(b) => figure("pp", &b.id, &b.title),
                Block::PhaseLine(b) => figure("pl", &b.id, &b.title),
                Block::Network(b) => figure("net", &b.id, &b.title),
                Block::SynapsePlot(b) => figure("sp", &b.id, &b.title),
                Block::Exercise(e) => Some(Entry::Exercise(&e.id)),
            }
        })
        .collect()
}

#[component]
pub fn Contents(lesson: &'static Lesson) -> impl IntoView {
    let lang = use_lang();
    let progress = use_progress().progress;
    let number = lesson.number;
    let entries = entries(lesson);
    let exercises = entries
        .iter()
        .filter(|e| matches!(e, Entry::Exercise(_)))
        .count();
    let mut exercise = 0;
    let items = entries
        .into_iter()
        .map(|entry| match entry {
            Entry::Figure(anchor, title) => view! {
                <li><Jump anchor=anchor>{move || title.get(lang.get()).to_string()}</Jump></li>
            }
            .into_any(),
            Entry::Exercise(id) => {
                exercise += 1;
                let k = exercise;
                let solved = move || progress.with(|p| p.is_solved(number, id));
                view! {
                    <li class="toc-exercise" class:solved=solved>
                        <Jump anchor=format!("exercise-{id}")>
                            {move || format!("{} {k}", ui("exercise", lang.get()))}
                        </Jump>
                        {move || solved().then_some(" ✓")}
                    </li>
                }
                .into_any()
            }
        })
        .collect_view();
    let solved = move || progress.with(|p| p.solved_in(number));
    view! {
        <nav class="toc" id="toc" aria-label=move || ui("contents", lang.get())>
            <h2>{tr("contents", lang)}</h2>
            <ol>{items}</ol>
            {(exercises > 0).then(|| view! {
                <p class="toc-progress">
                    {move || format!("{} {} / {exercises}", ui("exercises_solved", lang.get()), solved())}
                </p>
            })}
        </nav>
    }
}

/// A link to the block `anchor` on this page. The page's `<base>` points at the site's root, so
/// a bare `#anchor` would leave the lesson: the click scrolls to the block instead.
#[component]
fn Jump(anchor: String, children: Children) -> impl IntoView {
    let href = format!("#{anchor}");
    let jump = move |event: web_sys::MouseEvent| {
        event.prevent_default();
        let block = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&anchor));
        if let Some(block) = block {
            block.scroll_into_view();
        }
    };
    view! { <a href=href on:click=jump>{children()}</a> }
}
