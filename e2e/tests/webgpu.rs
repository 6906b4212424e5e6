//! The browser's two GPU set-ups that the WebGPU tests rely on (design.md §6), checked on the site's
//! own origin: without the SwiftShader flags there is no adapter (the CPU fallback path), with them
//! the adapter is SwiftShader's.

use brainplay_e2e::{with_page_using, Gpu, Page, Result};
use serde_json::Value;

/// `navigator.gpu.requestAdapter()`'s vendor and architecture; null without an adapter, a string
/// when there is no WebGPU at all or the request fails.
async fn adapter(page: &Page) -> Result<Value> {
    page.open("/").await?;
    page.js_async(
        "const done = arguments[arguments.length - 1];
         if (!navigator.gpu) { done('no navigator.gpu'); return; }
         navigator.gpu.requestAdapter().then(
           (adapter) => done(adapter && { vendor: adapter.info.vendor, architecture: adapter.info.architecture }),
           (error) => done(`requestAdapter failed: ${error}`));",
        Vec::new(),
    )
    .await
}

#[tokio::test]
async fn without_the_flags_there_is_no_adapter() -> Result {
    with_page_using(Gpu::Off, async |page| {
        // Either is the fallback path: the app must handle both.
        let adapter = adapter(page).await?;
        assert!(
            adapter.is_null() || adapter == "no navigator.gpu",
            "expected no adapter, got {adapter}"
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn swiftshader_gives_an_adapter() -> Result {
    with_page_using(Gpu::SwiftShader, async |page| {
        let adapter = adapter(page).await?;
        assert_eq!(adapter["architecture"], "swiftshader", "adapter: {adapter}");
        Ok(())
    })
    .await
}
