//! A worker that crashes mid-run fails only its job, with a message, and the next run works:
//! the page stays up. The test keeps a hand on the page's workers by wrapping the `Worker`
//! constructor before the app starts any, and makes one fail as a crashed worker does (an
//! `error` event).

use std::time::Duration;

use brainplay_e2e::{with_page, Error, Result};

#[tokio::test]
async fn a_crashed_worker_fails_its_run_and_the_next_one_works() -> Result {
    with_page(async |page| {
        page.open("/?lang=en").await?;
        page.wait_for("#app-ready").await?;
        page.js(
            "const Original = window.Worker;
             window.__workers = [];
             window.Worker = function (url, options) {
               const worker = new Original(url, options);
               window.__workers.push(worker);
               return worker;
             };",
            vec![],
        )
        .await?;
        // In-app navigation keeps the wrapper.
        page.click("#lesson-card-9").await?;
        page.wait_for("#lesson-9").await?;
        page.scroll_to("#net-staircase").await?;
        page.wait_for_within("#net-staircase .progress", Duration::from_secs(60))
            .await?;
        page.js(
            "for (const w of window.__workers) {
               w.dispatchEvent(new ErrorEvent('error', { message: 'killed by the test' }));
             }",
            vec![],
        )
        .await?;
        let message = page.text("#net-staircase p.error").await?;
        if !message.contains("killed by the test") {
            return Err(Error::new(format!("the crash was reported as `{message}`")));
        }
        // The page answers, and a fresh worker runs the next job.
        page.set_range("#net-ei .param[data-param='scale'] input[type=range]", 0.25)
            .await?;
        for _ in 0..600 {
            if let Ok(text) = page.text("#net-ei .raster-legend li").await {
                if text.contains("800 neurons") {
                    return page.assert_no_errors().await;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(Error::new("no run after the crash"))
    })
    .await
}
