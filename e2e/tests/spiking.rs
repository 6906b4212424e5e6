//! Lesson 14 in the browser: the neural codes of a digit drawn as rasters and following their
//! sliders, a spiking network training live (cancel leaves the page answering), the digits
//! network trained to the end, and the exercises marked right and wrong.

use std::time::Duration;

use brainplay_e2e::{with_page, Result};

const LESSON_14: &str = "/lesson/14-training-snns";

fn slider(network: &str, param: &str) -> String {
    format!("#net-{network} .param[data-param='{param}'] input[type=range]")
}

#[tokio::test]
async fn lesson_14_codes_and_trains_spiking_networks() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_14}?lang=en")).await?;
        page.wait_for("#lesson-14").await?;
        for widget in ["#net-poisson", "#net-latency", "#net-delta", "#net-adapting", "#net-bursting"] {
            page.drawn(widget).await?;
        }
        // A lower gain draws a sparser raster.
        let image = page.canvas_image("#net-poisson").await?;
        page.set_range(&slider("poisson", "gain"), 0.25).await?;
        page.redrawn_differently("#net-poisson", &image).await?;
        // The digits network trains to the end within a minute.
        page.scroll_to("#net-digits").await?;
        page.drawn("#net-digits").await?;
        page.js_async(
            "const done = arguments[arguments.length - 1];
             const start = Date.now();
             const poll = () => document.querySelector('#net-digits .cancel') && Date.now() - start < 60000
                 ? setTimeout(poll, 100) : done(true);
             poll();",
            vec![],
        )
        .await?;
        page.screenshot("lesson-14").await?;
        // The random task trains live and can be cancelled.
        page.scroll_to("#net-random").await?;
        // Few samples, many iterations: long enough to watch, within the run bound.
        page.set_range(&slider("random", "samples"), 20.0).await?;
        page.set_range(&slider("random", "iterations"), 5000.0).await?;
        page.wait_for_within("#net-random .progress", Duration::from_secs(60))
            .await?;
        let first = page.drawn("#net-random").await?;
        page.redrawn_after("#net-random", first).await?;
        page.click("#net-random .cancel").await?;
        page.wait_for("#net-random p.notice").await?;
        let image = page.canvas_image("#net-delta").await?;
        page.set_range(&slider("delta", "threshold"), 1.0).await?;
        page.redrawn_differently("#net-delta", &image).await?;
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn lesson_14_exercises_mark_right_and_wrong() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_14}?lang=zh")).await?;
        for (id, wrong, right) in [
            ("poisson_gain", "1", "0.25"),
            ("latency_white", "0", "0.5"),
            ("digit_latency", "20", "4"),
        ] {
            page.expect_verdict(id, wrong, false).await?;
            page.expect_verdict(id, right, true).await?;
        }
        page.assert_no_errors().await
    })
    .await
}
