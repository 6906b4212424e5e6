//! Lesson text: Markdown rendered to HTML (the text comes from the lesson files compiled into
//! the site, never from users).

use leptos::prelude::*;
use pulldown_cmark::{html, Options, Parser};

pub fn to_html(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(markdown, Options::ENABLE_TABLES));
    out
}

#[component]
pub fn Markdown(#[prop(into)] text: Signal<String>) -> impl IntoView {
    view! { <div class="prose" inner_html=move || to_html(&text.get())></div> }
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn renders_paragraphs_and_emphasis() {
        assert_eq!(to_html("**g**_K"), "<p><strong>g</strong>_K</p>\n");
    }
}
