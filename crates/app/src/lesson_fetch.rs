//! Lesson content is not compiled into the site (that would make every lesson part of the first
//! load): a page fetches its `lessons/NN-slug.bin` (the lesson file as the site ships it) when
//! it opens, reads it once and keeps it for the rest of the visit.

use std::cell::RefCell;
use std::collections::BTreeMap;

use brainplay_content::content::Lesson;
use brainplay_content::registry::CatalogEntry;
use gloo_net::http::Request;

use crate::base::base_path;

thread_local! {
    /// Parsed lessons by number. Leaked on purpose: at most one per lesson file, for the life of
    /// the page, and the lesson components borrow them for `'static`.
    static LOADED: RefCell<BTreeMap<u32, &'static Lesson>> = const { RefCell::new(BTreeMap::new()) };
}

/// The lesson of `entry`, fetched on first use. The error says what failed in words a learner
/// can pass on (the address and the HTTP status, or the parser's message).
pub async fn load(entry: &'static CatalogEntry) -> Result<&'static Lesson, String> {
    if let Some(lesson) = LOADED.with_borrow(|loaded| loaded.get(&entry.number).copied()) {
        return Ok(lesson);
    }
    let file = entry.data_file();
    let url = format!("{}/lessons/{file}", base_path());
    let response = Request::get(&url)
        .send()
        .await
        .map_err(|error| format!("{url}: {error}"))?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let data = response
        .binary()
        .await
        .map_err(|error| format!("{url}: {error}"))?;
    let lesson = Lesson::from_data(&data).map_err(|error| format!("{file}: {error}"))?;
    crate::compute::add_lesson(
        &lesson.page_name(),
        data,
        lesson.learning_worker,
        lesson.gpu_worker,
    );
    let lesson: &'static Lesson = Box::leak(Box::new(lesson));
    LOADED.with_borrow_mut(|loaded| loaded.insert(entry.number, lesson));
    Ok(lesson)
}
