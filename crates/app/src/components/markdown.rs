//! Lesson text: Markdown rendered to HTML by `brainplay_content::markdown` (the text comes from
//! the lesson files, never from users).

use brainplay_content::markdown::to_html;
use leptos::prelude::*;

#[component]
pub fn Markdown(#[prop(into)] text: Signal<String>) -> impl IntoView {
    view! { <div class="prose" inner_html=move || to_html(&text.get())></div> }
}
