//! Lesson 11's ring attractors in the browser: the persistent bump's profiles, centre and
//! activity drawn from a cold deep link, a slider that changes them, and the exercises marked
//! right and wrong.

use brainplay_e2e::{with_page, Error, Result};

const LESSON_11: &str = "/lesson/11-cann";

#[tokio::test]
async fn lesson_11_draws_the_bump_and_follows_its_sliders() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_11}?lang=en")).await?;
        page.wait_for("#lesson-11").await?;
        for id in ["persistent", "tracking", "wave", "anticipate", "stp"] {
            page.redrawn_after(&format!("#net-{id}"), 1).await?;
        }
        page.scroll_to("#net-persistent").await?;
        page.screenshot("lesson-11").await?;
        // Stronger inhibition lowers the bump: the profiles change.
        let widget = "#net-persistent";
        let image = page.canvas_image(widget).await?;
        let before = page.drawn(widget).await?;
        let slider = format!("{widget} .param[data-param='k'] input[type=range]");
        page.set_range(&slider, 2.0).await?;
        page.redrawn_after(widget, before).await?;
        if page.canvas_image(widget).await? == image {
            return Err(Error::new("the profiles did not change with k"));
        }
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn lesson_11_exercises_mark_right_and_wrong() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_11}?lang=zh")).await?;
        for (id, wrong, right) in [
            ("bump_height", "15.6", "5.62"),
            ("critical_k", "0.1", "8.13"),
            ("wave_threshold", "10", "0.1"),
        ] {
            page.expect_verdict(id, wrong, false).await?;
            page.expect_verdict(id, right, true).await?;
        }
        page.assert_no_errors().await
    })
    .await
}
