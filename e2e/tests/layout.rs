//! The pages fit phones and tablets: at 390 and 768 px wide neither the home page nor any
//! lesson page is wider than the screen (wide tables and code scroll inside their own box).
//! A screenshot of every page at 390, 768 and 1280 px goes to the e2e artifacts
//! (`target/e2e-artifacts/layout-<page>-<width>.png`).

use brainplay_e2e::{with_page, Error, Result};

#[tokio::test]
async fn no_page_overflows_a_phone_or_a_tablet() -> Result {
    with_page(async |page| {
        let links = page.lesson_paths().await?;
        let mut too_wide = Vec::new();
        for width in [390, 768, 1280] {
            page.client()
                .set_window_size(width, 844)
                .await
                .map_err(|e| Error::new(format!("resizing the window: {e}")))?;
            for path in std::iter::once("/".to_string()).chain(links.iter().cloned()) {
                page.open(&format!("{path}?lang=en")).await?;
                page.wait_for("main").await?;
                // Let the first figures draw: plots size themselves to their box.
                tokio::time::sleep(std::time::Duration::from_millis(800)).await;
                let sizes = page
                    .js(
                        "const d = document.documentElement; return [d.scrollWidth, d.clientWidth];",
                        vec![],
                    )
                    .await?;
                let name = match path.trim_matches('/') {
                    "" => "home".to_string(),
                    lesson => lesson.replace('/', "-"),
                };
                page.screenshot(&format!("layout-{name}-{width}")).await?;
                if sizes[0].as_u64() > sizes[1].as_u64() {
                    too_wide.push(format!("{path} at {width} px: {sizes}"));
                }
            }
        }
        page.client()
            .set_window_size(1280, 900)
            .await
            .map_err(|e| Error::new(format!("resizing the window: {e}")))?;
        if !too_wide.is_empty() {
            return Err(Error::new(format!("wider than the screen: {too_wide:?}")));
        }
        page.assert_no_errors().await
    })
    .await
}
