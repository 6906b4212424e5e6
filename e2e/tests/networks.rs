//! Lesson 9's networks in the browser: the raster and rates drawn from a cold deep link, a
//! slider that resizes the network and the network's own reset, the 6-s staircase with its progress bar, drawing while it
//! runs, and its cancel button, while the rest of the page keeps answering, and the exercises
//! marked right and wrong.

use std::time::Duration;

use brainplay_e2e::{with_page, Error, Page, Result};

const LESSON_9: &str = "/lesson/09-ei-balance";

fn slider(network: &str, param: &str) -> String {
    format!("#net-{network} .param[data-param='{param}'] input[type=range]")
}

/// The first line of a network's raster legend once it says `expected`, within 60 s.
async fn legend_saying(page: &Page, network: &str, expected: &str) -> Result<String> {
    let selector = format!("#net-{network} .raster-legend li");
    for _ in 0..600 {
        if let Ok(text) = page.text(&selector).await {
            if text.contains(expected) {
                return Ok(text);
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(Error::new(format!("`{selector}` never said `{expected}`")))
}

/// The spike count in a legend line `E: 3200 neurons, 12431 spikes`.
fn spikes(legend: &str) -> u64 {
    legend
        .split(", ")
        .find_map(|part| part.strip_suffix(" spikes")?.parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn lesson_9_draws_the_network_and_follows_its_size() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_9}?lang=en")).await?;
        page.wait_for("#lesson-9").await?;
        let legend = legend_saying(page, "ei", "3200 neurons").await?;
        if spikes(&legend) < 1000 {
            return Err(Error::new(format!(
                "too few spikes for 200 ms at 20 Hz: {legend}"
            )));
        }
        page.drawn("#net-ei").await?;
        page.screenshot("lesson-09").await?;
        page.scroll_to("#net-ei").await?;
        page.screenshot("lesson-09-network").await?;
        page.set_range(&slider("ei", "scale"), 0.5).await?;
        legend_saying(page, "ei", "1600 neurons").await?;
        // The network's own "Reset all" brings its defaults back.
        page.scroll_to("#net-ei .reset-all").await?;
        page.click("#net-ei .reset-all").await?;
        legend_saying(page, "ei", "3200 neurons").await?;
        page.wait_for("#net-ei .copy-link").await?;
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn the_staircase_shows_progress_and_can_be_cancelled() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_9}?lang=en")).await?;
        page.wait_for("#lesson-9").await?;
        page.scroll_to("#net-staircase").await?;
        page.wait_for_within("#net-staircase .progress", Duration::from_secs(60))
            .await?;
        // It draws the rates of what it has simulated while it runs.
        let first = page.drawn("#net-staircase").await?;
        page.redrawn_after("#net-staircase", first).await?;
        if page
            .attribute("#net-staircase .progress", "class")
            .await?
            .is_none()
        {
            return Err(Error::new(
                "the staircase finished before it drew a partial figure",
            ));
        }
        page.click("#net-staircase .cancel").await?;
        page.wait_for("#net-staircase p.notice").await?;
        // The rest of the page still answers.
        page.set_range(&slider("ei", "scale"), 0.25).await?;
        legend_saying(page, "ei", "800 neurons").await?;
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn lesson_9_exercises_mark_right_and_wrong() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_9}?lang=zh")).await?;
        for (id, wrong, right) in [("targets", "80", "64"), ("steady_rate", "55", "19")] {
            page.expect_verdict(id, wrong, false).await?;
            page.expect_verdict(id, right, true).await?;
        }
        page.assert_no_errors().await
    })
    .await
}
