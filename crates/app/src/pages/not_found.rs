use leptos::prelude::*;

use crate::base::base_path;
use crate::i18n::{tr, use_lang};

#[component]
pub fn NotFound() -> impl IntoView {
    let lang = use_lang();
    view! {
        <section id="not-found">
            <p>{tr("not_found", lang)}</p>
            <a href=format!("{}/", base_path())>{tr("back_home", lang)}</a>
        </section>
    }
}
