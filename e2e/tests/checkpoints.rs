//! Lesson 13's rate RNN as a learner pauses, resumes, saves and loads it: a run paused and
//! resumed ends with the same training loss as a run never paused; the trained network saved to
//! a file and loaded back (after training another one) shows the same figures, with its
//! settings restored; a file that is not a saved network is refused with the reason.

use std::time::Duration;

use brainplay_e2e::{target_dir, with_page, Error, Page, Result};
use serde_json::json;

const LESSON_13: &str = "/lesson/13-training-rnns?lang=en";
const BLOCK: &str = "#net-decision";

/// The screen-reader summary of the training-loss plot, once its title says `iterations`
/// iterations (within 120 s); it holds the run's last loss.
async fn loss_after(page: &Page, iterations: usize) -> Result<String> {
    let want = format!("Training loss ({iterations} iterations");
    let mut seen = String::new();
    for _ in 0..1200 {
        let label = page
            .js(
                "const c = [...document.querySelectorAll(arguments[0] + ' canvas')]
                   .find(c => (c.getAttribute('aria-label') || '').startsWith('Training loss'));
                 return c ? c.getAttribute('aria-label') : '';",
                vec![json!(BLOCK)],
            )
            .await?;
        let label = label.as_str().unwrap_or_default().to_string();
        if label.starts_with(&want) {
            return Ok(label);
        }
        seen = label;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(Error::new(format!(
        "the loss plot never said `{want}`; last: `{seen}`"
    )))
}

async fn open(page: &Page) -> Result {
    page.open(LESSON_13).await?;
    page.wait_for("#lesson-13").await?;
    page.scroll_to(BLOCK).await
}

#[tokio::test]
async fn a_paused_run_resumes_to_the_same_end() -> Result {
    with_page(async |page| {
        open(page).await?;
        let straight = loss_after(page, 300).await?;
        // The same run again from a cold open, paused while it trains.
        open(page).await?;
        page.wait_for_within(&format!("{BLOCK} .pause"), Duration::from_secs(60))
            .await?;
        page.click(&format!("{BLOCK} .pause")).await?;
        let paused = page.text(&format!("{BLOCK} .paused")).await?;
        page.click(&format!("{BLOCK} .resume")).await?;
        let resumed = loss_after(page, 300).await?;
        if resumed != straight {
            return Err(Error::new(format!(
                "paused ({paused}) and resumed: {resumed}\nnever paused: {straight}"
            )));
        }
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn a_saved_network_loads_back() -> Result {
    with_page(async |page| {
        let downloads = target_dir().join(format!("e2e-downloads-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&downloads);
        std::fs::create_dir_all(&downloads).map_err(|e| Error::new(e.to_string()))?;
        page.download_to(&downloads).await?;
        open(page).await?;
        let trained = loss_after(page, 300).await?;
        page.click(&format!("{BLOCK} .save-network")).await?;
        let file = downloads.join("decision-300-iterations.brainplay");
        for _ in 0..100 {
            if file.exists() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }

        // Something else first: a wrong file is refused and changes nothing; a fresh network
        // with fewer iterations trains.
        let wrong = downloads.join("not-a-network.brainplay");
        std::fs::write(&wrong, "hello").map_err(|e| Error::new(e.to_string()))?;
        let field = format!("{BLOCK} .load-network input[type=file]");
        page.choose_file(&field, &wrong).await?;
        let problem = page.text(&format!("{BLOCK} .load-problem")).await?;
        if !problem.contains("not a network saved by BrainPlay") {
            return Err(Error::new(format!("a wrong file said: {problem}")));
        }
        let iterations = page
            .set_range(
                &format!("{BLOCK} .param[data-param='iterations'] input[type=range]"),
                100.0,
            )
            .await?;
        loss_after(page, iterations.round() as usize).await?;

        page.choose_file(&field, &file).await?;
        page.wait_for(&format!("{BLOCK} .loaded-network")).await?;
        let loaded = loss_after(page, 300).await?;
        if loaded != trained {
            return Err(Error::new(format!("loaded: {loaded}\nsaved: {trained}")));
        }
        let _ = std::fs::remove_dir_all(&downloads);
        page.assert_no_errors().await
    })
    .await
}
