//! Lesson 9's spiking networks on the GPU where the browser has WebGPU (SwiftShader here, the
//! flags of design.md §6) and on the CPU where it has none: the page starts the GPU worker or the
//! compute worker accordingly, draws the same figures, and says under them where they were
//! computed; a size only the GPU runs is refused on the CPU with the reason.

use brainplay_e2e::{with_page, with_page_using, Gpu, Page, Result};

const LESSON_9: &str = "/lesson/09-ei-balance?lang=en";
const SCALE: &str = "#net-ei .param[data-param='scale'] input[type=range]";

/// What the page says under the network `widget` about where it ran, once its run has ended
/// (two minutes at most: SwiftShader runs a GPU's work on the CPU), or its error.
async fn backend(page: &Page, widget: &str) -> Result<String> {
    for _ in 0..1200 {
        let said = page
            .js(
                "const widget = document.querySelector(arguments[0]);
                 const running = widget.querySelector('.run-status');
                 const note = widget.querySelector('p.backend');
                 const error = widget.querySelector('p.error');
                 if (running) return '';
                 if (error) return 'error: ' + error.textContent;
                 return note ? note.textContent : '';",
                vec![serde_json::json!(widget)],
            )
            .await?;
        let said = said.as_str().unwrap_or_default();
        if !said.is_empty() {
            return Ok(said.to_string());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Err(brainplay_e2e::Error::new(format!(
        "`{widget}` said nothing about where it ran within 2 minutes"
    )))
}

/// The scripts the page fetched (a worker's own fetches are on its timeline).
async fn fetched(page: &Page) -> Result<Vec<String>> {
    page.js_strings(
        "return performance.getEntriesByType('resource').map(e => e.name);",
        Vec::new(),
    )
    .await
}

#[tokio::test]
async fn lesson_9_runs_on_webgpu_where_there_is_an_adapter() -> Result {
    with_page_using(Gpu::SwiftShader, async |page| {
        page.open(LESSON_9).await?;
        page.drawn("#net-ei").await?;
        let note = backend(page, "#net-ei").await?;
        assert!(note.starts_with("Computed on the GPU (WebGPU):"), "{note}");
        let names = fetched(page).await?;
        assert!(
            names.iter().any(|n| n.contains("/gpu-worker"))
                && !names.iter().any(|n| n.contains("/worker")),
            "lesson 9 with WebGPU should start the GPU worker only: {names:?}"
        );
        // A network larger than the CPU runs (8400 neurons; small, as SwiftShader is slow).
        let image = page.canvas_image("#net-ei").await?;
        assert_eq!(page.set_range(SCALE, 2.1).await?, 2.1);
        page.wait_for("#net-ei .run-status").await?;
        let note = backend(page, "#net-ei").await?;
        page.redrawn_differently("#net-ei", &image).await?;
        assert!(note.starts_with("Computed on the GPU"), "{note}");
        // The balance figure records one neuron's currents: on the GPU too.
        page.scroll_to("#net-balance").await?;
        page.drawn("#net-balance").await?;
        let note = backend(page, "#net-balance").await?;
        assert!(note.starts_with("Computed on the GPU"), "{note}");
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn lesson_9_runs_on_the_cpu_without_webgpu() -> Result {
    with_page(async |page| {
        page.open(LESSON_9).await?;
        page.drawn("#net-ei").await?;
        assert_eq!(backend(page, "#net-ei").await?, "Computed on the CPU.");
        let names = fetched(page).await?;
        assert!(
            names.iter().any(|n| n.contains("/worker"))
                && !names.iter().any(|n| n.contains("/gpu-worker")),
            "lesson 9 without WebGPU should start the compute worker only: {names:?}"
        );
        page.set_range(SCALE, 2.1).await?;
        let message = page.text("#net-ei p.error").await?;
        assert!(message.contains("needs a GPU (WebGPU)"), "{message}");
        page.assert_no_errors().await
    })
    .await
}
