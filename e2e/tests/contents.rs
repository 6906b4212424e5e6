//! Each lesson's table of contents: every figure and exercise of the page, each link landing on
//! its block, and the exercises the learner solved marked, with the count, as soon as they are.

use brainplay_e2e::{with_page, Page, Result};
use serde_json::Value;

/// Every link of the table of contents whose target is not on the page; and how many links
/// there are, and how many figures and exercises the page has.
async fn contents(page: &Page) -> Result<Value> {
    page.js(
        "const links = [...document.querySelectorAll('#toc a')];
         const missing = links.filter(a => !document.querySelector(a.getAttribute('href')))
             .map(a => a.getAttribute('href'));
         const blocks = document.querySelectorAll(
             'section.simulator, section.fi-curve, section.phase-plane, section.network, section.exercise');
         return { links: links.length, blocks: blocks.length, missing,
                  solved: document.querySelectorAll('#toc li.solved').length,
                  progress: document.querySelector('#toc .toc-progress').textContent };",
        Vec::new(),
    )
    .await
}

#[tokio::test]
async fn the_contents_list_every_block_and_mark_solved_exercises() -> Result {
    with_page(async |page| {
        page.open("/lesson/01-introduction?lang=en").await?;
        page.wait_for("#lesson-1").await?;
        page.drawn("#sim-first").await?;
        let before = contents(page).await?;
        assert_eq!(before["missing"], Value::Array(vec![]), "{before}");
        assert_eq!(before["links"], before["blocks"], "{before}");
        assert_eq!(before["solved"], 0, "{before}");
        page.expect_verdict("rheobase", "20", true).await?;
        let after = contents(page).await?;
        assert_eq!(after["solved"], 1, "{after}");
        assert!(
            after["progress"]
                .as_str()
                .is_some_and(|p| p.starts_with("Exercises solved: 1 /")),
            "{after}"
        );
        // A link brings its block into view and stays on the lesson.
        page.js("window.scrollTo(0, 0);", Vec::new()).await?;
        page.click("#toc a[href='#exercise-rheobase']").await?;
        let place = page
            .js(
                "const top = document.querySelector('#exercise-rheobase').getBoundingClientRect().top;
                 return [top >= 0 && top < innerHeight, location.pathname];",
                Vec::new(),
            )
            .await?;
        assert_eq!(place[0], true, "{place}");
        assert!(place[1].as_str().is_some_and(|p| p.ends_with("/lesson/01-introduction")), "{place}");
        // Every simulator has its own "copy link to this setting".
        page.scroll_to("#sim-first .copy-link").await?;
        page.click("#sim-first .copy-link").await?;
        page.wait_for("#sim-first .copied").await?;
        page.assert_no_errors().await
    })
    .await
}
