//! One route from a setting to its figures, computed off the page: the home page loads no
//! simulation code (the compute worker's files are fetched by lesson pages only; lessons 12–14
//! fetch the learning worker instead), and what a
//! learner does to a widget that the page cannot compute itself (edited equations, clicked
//! trajectories) survives a share link opened cold.

use brainplay_e2e::{with_page, Error, Page, Result};

const LESSON_5: &str = "/lesson/05-reduced-models";

/// The addresses of every file the page has fetched so far.
async fn fetched(page: &Page) -> Result<Vec<String>> {
    page.js_strings(
        "return performance.getEntriesByType('resource').map(e => e.name);",
        vec![],
    )
    .await
}

/// Whether the compute worker was started: its script is fetched by the page (the worker's own
/// fetches, its wasm among them, are on the worker's timeline).
fn loads_worker(names: &[String]) -> bool {
    names.iter().any(|n| n.contains("/worker"))
}

/// Whether the learning worker (lessons 12–14's) was started.
fn loads_learning_worker(names: &[String]) -> bool {
    names.iter().any(|n| n.contains("/learn-worker"))
}

#[tokio::test]
async fn the_home_page_loads_no_simulation_code() -> Result {
    with_page(async |page| {
        page.open("/").await?;
        page.wait_for("#app-ready").await?;
        page.wait_for("#lesson-card-3").await?;
        // Anything loaded lazily after mounting has had time to start.
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let names = fetched(page).await?;
        if loads_worker(&names) {
            return Err(Error::new(format!(
                "the home page fetched the compute worker: {names:?}"
            )));
        }
        if !names.iter().any(|n| n.ends_with(".wasm")) {
            return Err(Error::new(format!("no page wasm among {names:?}")));
        }
        // The check can fail: a lesson page does fetch the worker.
        page.open(&format!("{LESSON_5}?lang=en")).await?;
        page.drawn("#sim-lif").await?;
        let names = fetched(page).await?;
        if !loads_worker(&names) {
            return Err(Error::new(format!(
                "a lesson page drew without the worker: {names:?}"
            )));
        }
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn each_lesson_page_loads_only_its_own_worker() -> Result {
    // Two fresh visits, so that neither sees the other's fetches.
    with_page(async |page| {
        page.open(&format!("{LESSON_5}?lang=en")).await?;
        page.drawn("#sim-lif").await?;
        let names = fetched(page).await?;
        if !loads_worker(&names) || loads_learning_worker(&names) {
            return Err(Error::new(format!(
                "lesson 5 should start the compute worker only: {names:?}"
            )));
        }
        page.assert_no_errors().await
    })
    .await?;
    with_page(async |page| {
        page.open("/lesson/12-reservoir-computing?lang=en").await?;
        page.drawn("#net-series").await?;
        let names = fetched(page).await?;
        if !loads_learning_worker(&names) || loads_worker(&names) {
            return Err(Error::new(format!(
                "lesson 12 should start the learning worker only: {names:?}"
            )));
        }
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn edited_equations_survive_a_cold_open_of_their_link() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_5}?lang=en")).await?;
        let before = page.drawn("#sim-lif").await?;
        page.js(
            "document.querySelector('#sim-lif details.equations').open = true;",
            vec![],
        )
        .await?;
        page.click("#sim-lif .equation-tools button").await?;
        let editor = "#sim-lif textarea.model-source";
        let source = page.field_text(editor).await?;
        let edited = source.replacen("+ R*I) / tau", "+ 2*R*I) / tau", 1);
        if edited == source {
            return Err(Error::new("the LIF text has no `+ R*I) / tau` to edit"));
        }
        page.type_text(editor, &edited).await?;
        page.redrawn_after("#sim-lif", before).await?;
        let search = page.js("return location.search;", vec![]).await?;
        let search = search.as_str().unwrap_or_default().to_string();
        if !search.contains("lif.model=") {
            return Err(Error::new(format!("the link lacks the edit: {search}")));
        }
        if search.len() > 200 {
            return Err(Error::new(format!(
                "a one-line edit made a {}-character link: {search}",
                search.len()
            )));
        }

        // The link in a fresh page: the edit is in the editor and runs.
        page.open(&format!("{LESSON_5}{search}")).await?;
        page.drawn("#sim-lif").await?;
        let restored = page.field_text(editor).await?;
        if restored != edited {
            return Err(Error::new(format!(
                "the editor shows {restored:?} after the cold open"
            )));
        }
        let notice = page
            .js(
                "return document.querySelector('#link-notice') !== null;",
                vec![],
            )
            .await?;
        if notice.as_bool() != Some(false) {
            return Err(Error::new("the link's edit gave a notice"));
        }
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn clicked_trajectories_survive_the_link() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_5}?lang=en")).await?;
        let before = page.drawn("#pp-fhn").await?;
        let canvas = page.wait_for("#pp-fhn canvas").await?;
        canvas
            .click()
            .await
            .map_err(|e| Error::new(format!("clicking the phase plane: {e}")))?;
        page.redrawn_after("#pp-fhn", before).await?;
        let search = page.js("return location.search;", vec![]).await?;
        let search = search.as_str().unwrap_or_default().to_string();
        if !search.contains("fhn.start=") {
            return Err(Error::new(format!("the link lacks the click: {search}")));
        }
        let image = page.canvas_image("#pp-fhn").await?;
        page.open(&format!("{LESSON_5}{search}")).await?;
        page.drawn("#pp-fhn").await?;
        if page.canvas_image("#pp-fhn").await? != image {
            return Err(Error::new(
                "the phase plane opened from the link differs from the one clicked",
            ));
        }
        page.assert_no_errors().await
    })
    .await
}
