//! The course map: 7 days × 2 lessons, each with its title, one-line summary and the learner's
//! progress. Lessons without a page yet are listed as in preparation, without a link.

use brainplay_content::registry::{self, CourseEntry};
use leptos::prelude::*;

use crate::base::base_path;
use crate::i18n::{day_label, lesson_label, tr, ui, use_lang};
use crate::progress::{use_progress, ProgressFile, ProgressNotice};

#[component]
fn LessonCard(entry: CourseEntry) -> impl IntoView {
    let lang = use_lang();
    let progress = use_progress();
    let number = entry.number;
    let exercises = entry.exercises;
    let (title, summary) = (entry.title.clone(), entry.summary.clone());
    let heading = move || {
        format!(
            "{} · {}",
            lesson_label(number, lang.get()),
            title.get(lang.get())
        )
    };
    let body = view! {
        <div class="title">{heading}</div>
        <div class="summary">{move || summary.get(lang.get()).to_string()}</div>
    };
    if entry.available {
        let href = format!("{}/lesson/{:02}-{}", base_path(), number, entry.slug);
        let solved = move || progress.progress.with(|p| p.solved_in(number));
        view! {
            <a class="lesson-card available" href=href id=format!("lesson-card-{number}")>
                {body}
                <span class="badge ok">{move || format!("{}/{exercises} {}", solved(), ui("progress", lang.get()))}</span>
            </a>
        }
        .into_any()
    } else {
        view! {
            <div class="lesson-card unavailable" id=format!("lesson-card-{number}")>
                {body}
                <span class="badge">{tr("in_preparation", lang)}</span>
            </div>
        }
        .into_any()
    }
}

#[component]
pub fn Home() -> impl IntoView {
    let lang = use_lang();
    let course = registry::course();
    let days = (1..=7)
        .map(|day| {
            let entries: Vec<CourseEntry> = course.iter().filter(|e| e.day == day).cloned().collect();
            view! {
                <section class="day">
                    <h2>{move || day_label(day, lang.get())}</h2>
                    {entries.into_iter().map(|entry| view! { <LessonCard entry=entry /> }).collect_view()}
                </section>
            }
        })
        .collect_view();
    view! {
        <section id="home">
            <h1>{tr("home", lang)}</h1>
            <p class="course">{tr("course", lang)}</p>
            <ProgressNotice />
            <ProgressFile />
            <div class="days">{days}</div>
        </section>
    }
}
