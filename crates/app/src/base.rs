//! Where the site is served.

/// The path prefix the site is served under (`/` or e.g. `/brainplay`), from the `<base>` tag
/// that trunk fills in with `--public-url`.
pub fn base_path() -> &'static str {
    thread_local! {
        static BASE: &'static str = {
            let href = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.query_selector("base").ok().flatten())
                .and_then(|b| b.get_attribute("href"))
                .unwrap_or_default();
            let trimmed = href.trim_end_matches('/').to_string();
            Box::leak(trimmed.into_boxed_str())
        };
    }
    BASE.with(|b| *b)
}
