//! Lesson 13's training in the browser: the scalar RNN's RTRL run follows its sliders, the rate
//! RNN trains live (partial figures while it runs) and can be cancelled while the rest of the
//! page keeps answering, and the exercises mark right and wrong.

use std::time::Duration;

use brainplay_e2e::{with_page, Result};

const LESSON_13: &str = "/lesson/13-training-rnns";

fn slider(network: &str, param: &str) -> String {
    format!("#net-{network} .param[data-param='{param}'] input[type=range]")
}

#[tokio::test]
async fn lesson_13_trains_live_and_can_be_cancelled() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_13}?lang=en")).await?;
        page.wait_for("#lesson-13").await?;
        page.drawn("#net-sequence").await?;
        // A larger learning rate trains the unit differently.
        let image = page.canvas_image("#net-sequence").await?;
        page.set_range(&slider("sequence", "eta"), 0.5).await?;
        page.redrawn_differently("#net-sequence", &image).await?;
        // A long training run draws its curves while it runs.
        page.scroll_to("#net-decision").await?;
        page.drawn("#net-decision").await?;
        page.set_range(&slider("decision", "iterations"), 3000.0)
            .await?;
        page.wait_for_within("#net-decision .progress", Duration::from_secs(60))
            .await?;
        let first = page.drawn("#net-decision").await?;
        page.redrawn_after("#net-decision", first).await?;
        page.screenshot("lesson-13").await?;
        page.click("#net-decision .cancel").await?;
        page.wait_for("#net-decision p.notice").await?;
        // The rest of the page still answers.
        let image = page.canvas_image("#net-sequence").await?;
        page.set_range(&slider("sequence", "eta"), 0.2).await?;
        page.redrawn_differently("#net-sequence", &image).await?;
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn lesson_13_exercises_mark_right_and_wrong() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_13}?lang=zh")).await?;
        for (id, wrong, right) in [
            ("untrained_slope", "1", "0.1"),
            ("bptt_memory", "102400", "104448"),
        ] {
            page.expect_verdict(id, wrong, false).await?;
            page.expect_verdict(id, right, true).await?;
        }
        page.assert_no_errors().await
    })
    .await
}
