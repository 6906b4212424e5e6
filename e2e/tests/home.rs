//! The start page: the app mounts from a cold load of the release build.

use brainplay_e2e::{with_page, Result};

/// The app renders `<div id="app-ready" hidden>` once it is mounted, so a test that waits for it
/// knows the wasm module loaded, started and rendered.
#[tokio::test]
async fn home_page_mounts_without_errors() -> Result {
    with_page(async |page| {
        page.open("/").await?;
        page.wait_for("#app-ready").await?;
        page.screenshot("home").await?;
        page.assert_no_errors().await
    })
    .await
}
