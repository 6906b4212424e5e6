use leptos::prelude::*;

use crate::base::base_path;
use crate::i18n::{ui, use_lang};

#[component]
pub fn NotFound() -> impl IntoView {
    let lang = use_lang();
    view! {
        <section id="not-found">
            <p>{move || ui("not_found", lang.get())}</p>
            <a href=format!("{}/", base_path())>{move || ui("back_home", lang.get())}</a>
        </section>
    }
}
