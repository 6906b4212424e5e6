//! What a hostile learner (or link) can type leaves the page working (issue 14): a model whose
//! helpers nest 20 000 deep (lesson 3) and a custom synapse whose helpers double forty times
//! (lesson 8) are refused with the editor's message, in the page's language, and the plots and
//! sliders keep working; a run too large for the browser is refused before it starts.

use std::time::Duration;

use brainplay_e2e::{with_page, Error, Page, Result};

/// Opens the equations of simulator `sim`, replaces them with `edit(source)`, and returns the
/// editor's error block.
async fn type_model(page: &Page, sim: &str, edit: impl Fn(&str) -> String) -> Result<String> {
    page.js(
        &format!("document.querySelector('#sim-{sim} details.equations').open = true;"),
        vec![],
    )
    .await?;
    page.click(&format!("#sim-{sim} .equation-tools button"))
        .await?;
    let editor = format!("#sim-{sim} textarea.model-source");
    let source = page.field_text(&editor).await?;
    page.type_text(&editor, &edit(&source)).await?;
    page.text(&format!("#sim-{sim} .model-error")).await
}

#[tokio::test]
async fn a_20000_deep_helper_chain_is_refused_and_the_page_answers() -> Result {
    with_page(async |page| {
        page.open("/lesson/03-hodgkin-huxley?lang=zh").await?;
        page.wait_for("#lesson-3").await?;
        page.drawn("#sim-ap").await?;
        let message = type_model(page, "ap", |source| {
            let mut text = source.replace("I_L = gL * (V - EL)", "I_L = gL * (V - EL) + 0 * h0");
            for i in 0..20_000 {
                text.push_str(&format!("\nh{i} = h{} + 1", i + 1));
            }
            text.push_str("\nh20000 = V");
            text
        })
        .await?;
        // The editor's sentence and the parser's reason after it, both in the page's language.
        if !message.contains("模型有错误") || !message.contains("嵌套超过") {
            return Err(Error::new(format!("unexpected message: {message}")));
        }
        let before = page.drawn("#sim-ap").await?;
        page.set_range("#sim-ap .param[data-param='gNa'] input[type=range]", 60.0)
            .await?;
        page.redrawn_after("#sim-ap", before).await?;
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn a_synapse_of_doubling_helpers_is_refused_and_the_page_answers() -> Result {
    with_page(async |page| {
        page.open("/lesson/08-synapse-programming?lang=en").await?;
        page.wait_for("#lesson-8").await?;
        page.drawn("#sim-custom").await?;
        let message = type_model(page, "custom", |source| {
            let mut text = source.replace(
                "on_spike before g += g_max",
                "on_spike before g += g_max + 0 * a40",
            );
            text.push_str("\na0 = g");
            for k in 1..=40 {
                text.push_str(&format!("\na{k} = a{} + a{}", k - 1, k - 1));
            }
            text
        })
        .await?;
        if !message.contains("The model has an error") {
            return Err(Error::new(format!("unexpected message: {message}")));
        }
        // The last good synapse keeps running.
        page.drawn("#sim-custom").await?;
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn a_run_too_large_is_refused_before_it_starts() -> Result {
    with_page(async |page| {
        // 50 ms at dt = 1e-9 ms: 5·10¹⁰ steps.
        page.open("/lesson/03-hodgkin-huxley?lang=en&ap.dt=0.000000001")
            .await?;
        page.wait_for("#lesson-3").await?;
        let started = std::time::Instant::now();
        let text = page
            .wait_for_within("#sim-ap p.error, #link-notice", Duration::from_secs(20))
            .await?
            .text()
            .await
            .map_err(|e| Error::new(format!("reading the message: {e}")))?;
        if !(text.contains("neuron-steps") || text.contains("neuron steps")) {
            return Err(Error::new(format!("unexpected message: {text}")));
        }
        assert!(started.elapsed() < Duration::from_secs(20));
        page.assert_no_errors().await
    })
    .await
}
