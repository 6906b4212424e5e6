//! BrainPlay's web site: a Leptos single-page app over the simulation core.

mod app;
mod base;
#[cfg(feature = "bench")]
mod bench;
mod components;
mod compute;
mod i18n;
mod lesson_fetch;
mod pages;
mod progress;
mod share;
mod storage;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
