//! The shell: router, language, progress, header.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::base::base_path;
use crate::i18n::{provide_lang, tr, Lang};
use crate::pages::{home::Home, lesson::LessonPage, not_found::NotFound};

/// The `lang` key of the current URL, if valid.
fn lang_from_url() -> Option<Lang> {
    let search = web_sys::window()?.location().search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .and_then(Lang::from_code)
}

#[component]
pub fn App() -> impl IntoView {
    let lang = provide_lang(lang_from_url());
    crate::progress::provide_progress();
    crate::components::chart::provide_resize();
    let home = format!("{}/", base_path());
    view! {
        <Router base=base_path()>
            <header class="site">
                <a class="brand" href=home>"BrainPlay"</a>
                <span class="tagline">{tr("site_tagline", lang)}</span>
                <button
                    id="lang-toggle"
                    // The switch names the other language in that language.
                    lang=move || if lang.get() == Lang::Zh { "en" } else { "zh" }
                    on:click=move |_| lang.update(|l| *l = if *l == Lang::Zh { Lang::En } else { Lang::Zh })
                >
                    {tr("switch_lang", lang)}
                </button>
            </header>
            <main>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/lesson/:slug") view=LessonPage />
                </Routes>
            </main>
            <div id="app-ready" hidden=true></div>
        </Router>
    }
}
