//! Lesson 12's echo state networks in the browser: the series, the trained readout's prediction
//! and the reservoir's states drawn from a cold deep link, a slider that changes the reservoir,
//! and the exercises marked right and wrong.

use brainplay_e2e::{with_page, Result};

const LESSON_12: &str = "/lesson/12-reservoir-computing";

#[tokio::test]
async fn lesson_12_trains_a_reservoir_and_follows_its_sliders() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_12}?lang=en")).await?;
        page.wait_for("#lesson-12").await?;
        for widget in ["#net-series", "#net-task", "#net-explore"] {
            page.drawn(widget).await?;
        }
        // The task trains for a moment: wait until its run is over (no cancel button).
        page.js_async(
            "const done = arguments[arguments.length - 1];
             const poll = () => document.querySelector('#net-task .cancel')
                 ? setTimeout(poll, 100) : done(true);
             poll();",
            vec![],
        )
        .await?;
        page.scroll_to("#net-task").await?;
        page.screenshot("lesson-12").await?;
        // A larger spectral radius changes the reservoir: its states redraw differently.
        let widget = "#net-explore";
        let image = page.canvas_image(widget).await?;
        let slider = format!("{widget} .param[data-param='sr'] input[type=range]");
        page.set_range(&slider, 2.5).await?;
        page.redrawn_differently(widget, &image).await?;
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn lesson_12_exercises_mark_right_and_wrong() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_12}?lang=zh")).await?;
        page.expect_verdict("saturation_small", "40", false).await?;
        page.expect_verdict("saturation_small", "0", true).await?;
        page.assert_no_errors().await
    })
    .await
}
