//! Lesson 10's decision networks in the browser: a trial's rasters, rates and stimulus drawn from
//! a cold deep link, a new run from the seed control (kept in the link), the rate model and its
//! phase plane, and the exercises (the projection table among them) marked right and wrong.

use brainplay_e2e::{with_page, Error, Page, Result};
use serde_json::json;

const LESSON_10: &str = "/lesson/10-decision-making";

#[tokio::test]
async fn lesson_10_draws_a_trial_and_runs_another() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_10}?lang=en")).await?;
        page.wait_for("#lesson-10").await?;
        // Networks draw while they run (more than once); the rate model and its plane once.
        for widget in ["#net-trial", "#net-zero"] {
            page.redrawn_after(widget, 1).await?;
        }
        for widget in ["#sim-rate", "#pp-plane"] {
            page.drawn(widget).await?;
        }
        page.scroll_to("#net-trial").await?;
        page.screenshot("lesson-10").await?;
        // The next seed is another trial: new spikes, and the seed in the link.
        let widget = "#net-trial";
        let image = page.canvas_image(widget).await?;
        page.click(&format!("{widget} .new-trial")).await?;
        page.redrawn_differently(widget, &image).await?;
        let search = page.js("return location.search;", vec![]).await?;
        if !search.as_str().unwrap_or_default().contains("trial.seed=1") {
            return Err(Error::new(format!("the seed is not in the link: {search}")));
        }
        page.assert_no_errors().await
    })
    .await
}

/// Picks option `cells[row][column]` in every cell of table exercise `exercise`, checks, and
/// returns the feedback's class.
async fn fill_table(page: &Page, exercise: &str, cells: &[[usize; 4]]) -> Result<String> {
    let root = format!("#exercise-{exercise}");
    page.wait_for(&format!("{root} select.cell")).await?;
    page.js(
        "const [root, cells] = arguments;
         for (const select of document.querySelectorAll(root + ' select.cell')) {
             select.value = String(cells[select.dataset.row][select.dataset.column]);
             select.dispatchEvent(new Event('change', { bubbles: true }));
         }",
        vec![json!(root), json!(cells)],
    )
    .await?;
    page.click(&format!("{root} button.check")).await?;
    let feedback = format!("{root} .feedback");
    page.wait_for(&feedback).await?;
    Ok(page
        .attribute(&feedback, "class")
        .await?
        .unwrap_or_default())
}

#[tokio::test]
async fn lesson_10_exercises_mark_right_and_wrong() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_10}?lang=zh")).await?;
        let wrong = fill_table(
            page,
            "projections",
            &[[1, 1, 2, 2], [0, 1, 2, 2], [0, 1, 2, 2]],
        );
        if !wrong.await?.contains("incorrect") {
            return Err(Error::new("a wrong projection table was marked right"));
        }
        let right = fill_table(
            page,
            "projections",
            &[[1, 1, 2, 2], [0, 1, 2, 2], [1, 0, 2, 2]],
        );
        let class = right.await?;
        page.scroll_to("#exercise-projections").await?;
        page.screenshot("lesson-10-table").await?;
        if class.contains("incorrect") {
            return Err(Error::new(format!(
                "the course's table was marked wrong: {class}"
            )));
        }
        for (id, wrong, right) in [
            ("w_minus", "0.7", "0.876"),
            ("saddle", "0.103", "0.424"),
            ("fixed_points", "3", "5"),
        ] {
            page.expect_verdict(id, wrong, false).await?;
            page.expect_verdict(id, right, true).await?;
        }
        page.assert_no_errors().await
    })
    .await
}

/// The trials over coherence fill in their curves while they run, with progress.
#[tokio::test]
async fn lesson_10_accumulates_choices_trial_by_trial() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_10}?lang=en")).await?;
        let widget = "#net-choices";
        let first = page.drawn(widget).await?;
        // Partial figures come as trials finish: the psychometric plot redraws several times.
        let later = page.redrawn_after(widget, first + 1).await?;
        page.scroll_to("#net-choices").await?;
        page.screenshot("lesson-10-choices").await?;
        if later <= first {
            return Err(Error::new("the curves did not redraw while the trials ran"));
        }
        page.assert_no_errors().await
    })
    .await
}
