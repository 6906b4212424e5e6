//! Lessons 3 and 4 as a student uses them: deep links opened cold, a slider that changes the
//! plot, exercises marked right and wrong, share links that restore the same setting, the
//! language switch, and a malformed link that shows its notice on a working page.

use std::time::Duration;

use brainplay_e2e::{with_page, Error, Page, Result};
use serde_json::json;

const LESSON_3: &str = "/lesson/03-hodgkin-huxley";
const LESSON_4: &str = "/lesson/04-hh-programming";

/// The simulator block with id `id`.
fn sim(id: &str) -> String {
    format!("#sim-{id}")
}

fn slider(sim: &str, param: &str) -> String {
    format!("#sim-{sim} .param[data-param='{param}'] input[type=range]")
}

fn number_field(sim: &str, param: &str) -> String {
    format!("#sim-{sim} .param[data-param='{param}'] input.param-number")
}

async fn field_value(page: &Page, selector: &str) -> Result<String> {
    let value = page
        .js(
            "return document.querySelector(arguments[0]).value;",
            vec![json!(selector)],
        )
        .await?;
    Ok(value.as_str().unwrap_or_default().to_string())
}

#[tokio::test]
async fn lesson_3_opens_cold_by_deep_link_and_plots() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_3}?lang=en")).await?;
        page.wait_for("#lesson-3").await?;
        for id in ["clamp", "ap", "allornone"] {
            page.drawn(&sim(id)).await?;
        }
        // The gating curves vs V are sweeps (one clamped membrane per voltage).
        for sweep in ["gates", "gate_taus"] {
            page.wait_for(&format!("#fi-{sweep} canvas[data-drawn]"))
                .await?;
        }
        page.screenshot("lesson-03").await?;
        page.scroll_to("#sim-ap").await?;
        page.screenshot("lesson-03-simulator").await?;
        page.scroll_to("#fi-gates").await?;
        page.screenshot("lesson-03-gates").await?;
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn lesson_4_opens_cold_by_deep_link_and_plots() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_4}?lang=zh")).await?;
        page.wait_for("#lesson-4").await?;
        page.drawn(&sim("rep")).await?;
        page.wait_for("#fi-fi canvas[data-drawn]").await?;
        page.screenshot("lesson-04").await?;
        page.scroll_to("#fi-fi").await?;
        page.screenshot("lesson-04-fi-curve").await?;
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn moving_a_slider_redraws_a_different_plot() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_3}?lang=en")).await?;
        let before = page.drawn(&sim("ap")).await?;
        let image = page.canvas_image(&sim("ap")).await?;
        page.set_range(&slider("ap", "I"), 3.0).await?;
        page.redrawn_after(&sim("ap"), before).await?;
        let changed = page.canvas_image(&sim("ap")).await?;
        if changed == image {
            return Err(Error::new("the AP plot looks the same after changing I"));
        }
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn exercises_mark_right_and_wrong_answers() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_3}?lang=en")).await?;
        page.expect_verdict("nernst_ek", "-60", false).await?;
        page.expect_verdict("nernst_ek", "-89", true).await?;
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn a_share_link_restores_the_same_setting() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_3}?lang=en")).await?;
        let before = page.drawn(&sim("ap")).await?;
        page.set_range(&slider("ap", "gNa"), 60.0).await?;
        page.redrawn_after(&sim("ap"), before).await?;
        let link = page.js("return window.location.href;", vec![]).await?;
        let link = link.as_str().unwrap_or_default().to_string();
        if !link.contains("ap.gNa=60") {
            return Err(Error::new(format!("the link does not carry gNa: {link}")));
        }
        // Open the link in a fresh tab state: navigate away, then cold-load the link.
        page.open("/").await?;
        page.wait_for("#home").await?;
        let path = link
            .split_once("://")
            .map_or(link.as_str(), |(_, rest)| rest);
        let path = &path[path.find('/').unwrap_or(0)..];
        let base = page.server().base().trim_end_matches('/').to_string();
        page.open(path.strip_prefix(&base).unwrap_or(path)).await?;
        page.drawn(&sim("ap")).await?;
        let value = field_value(page, &number_field("ap", "gNa")).await?;
        if value != "60" {
            return Err(Error::new(format!(
                "gNa after reopening the link is {value}, not 60"
            )));
        }
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn switching_language_leaves_no_english_ui() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_3}?lang=en")).await?;
        page.drawn(&sim("ap")).await?;
        let check = page.text("#exercise-nernst_ek button.check").await?;
        if check != "Check" {
            return Err(Error::new(format!("English check button reads {check:?}")));
        }
        page.click("#lang-toggle").await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let check = page.text("#exercise-nernst_ek button.check").await?;
        if check != "检查" {
            return Err(Error::new(format!("Chinese check button reads {check:?}")));
        }
        // Every visible UI label (buttons, labels, headings) must have changed language:
        // none of the English UI strings may remain.
        let leftovers = page
            .js(
                "const english = ['Check', 'Hint', 'Show answer', 'Copy link', 'Input', 'Integrator',
                                  'Reset all', 'Equations', 'Exercise', 'Course map'];
                 const texts = [...document.querySelectorAll('button, label, h1, h2, h3, summary, a')]
                     .map(el => el.innerText.trim());
                 return texts.filter(t => english.some(e => t.startsWith(e)));",
                vec![],
            )
            .await?;
        if leftovers.as_array().is_some_and(|a| !a.is_empty()) {
            return Err(Error::new(format!("untranslated UI after switching: {leftovers}")));
        }
        let lang = page.js("return window.location.search;", vec![]).await?;
        if !lang.as_str().unwrap_or_default().contains("lang=zh") {
            return Err(Error::new(format!("the link does not carry the language: {lang}")));
        }
        page.screenshot("lesson-03-zh").await?;
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn a_malformed_link_shows_a_notice_and_a_working_page() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_3}?lang=en&ap.I=abc&zz.x=1&ap.gNa=50"))
            .await?;
        let notice = page.text("#link-notice").await?;
        for key in ["ap.I", "zz.x"] {
            if !notice.contains(key) {
                return Err(Error::new(format!(
                    "the notice does not name {key}: {notice}"
                )));
            }
        }
        page.drawn(&sim("ap")).await?;
        // The valid part of the link is applied, the malformed one falls back to the default.
        let gna = field_value(page, &number_field("ap", "gNa")).await?;
        if gna != "50" {
            return Err(Error::new(format!(
                "gNa should come from the link (50), got {gna}"
            )));
        }
        page.screenshot("lesson-03-bad-link").await?;
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn a_simulate_exercise_checks_the_learners_setting() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_4}?lang=en")).await?;
        page.drawn(&sim("block")).await?;
        // With sodium channels intact the neuron fires: the task (block all spikes) fails.
        page.click("#exercise-ttx button.check").await?;
        let feedback = page
            .attribute("#exercise-ttx .feedback", "class")
            .await?
            .unwrap_or_default();
        if !feedback.contains("incorrect") {
            return Err(Error::new(format!(
                "the default setting passed the TTX task: {feedback}"
            )));
        }
        let before = page.drawn(&sim("block")).await?;
        page.set_range(&slider("block", "gNa"), 0.0).await?;
        page.redrawn_after(&sim("block"), before).await?;
        page.click("#exercise-ttx button.check").await?;
        tokio::time::sleep(Duration::from_millis(200)).await;
        let feedback = page
            .attribute("#exercise-ttx .feedback", "class")
            .await?
            .unwrap_or_default();
        if !feedback.contains("correct") || feedback.contains("incorrect") {
            return Err(Error::new(format!(
                "gNa = 0 did not pass the TTX task: {feedback}"
            )));
        }
        page.assert_no_errors().await
    })
    .await
}

/// On a 1280×900 screen a simulator's first slider and first plot are in view together: the
/// controls sit beside the plots (lesson 3's action potential, whose three plots are taller than
/// the screen).
#[tokio::test]
async fn a_slider_and_its_plot_are_on_screen_together() -> Result {
    with_page(async |page| {
        page.open("/lesson/03-hodgkin-huxley?lang=en").await?;
        page.drawn(&sim("ap")).await?;
        let inside = page
            .js(
                "const sim = document.querySelector('#sim-ap');
                 sim.scrollIntoView();
                 const visible = (el) => {
                     const r = el.getBoundingClientRect();
                     return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth;
                 };
                 return [visible(sim.querySelector('canvas')),
                         visible(sim.querySelector('.param input[type=range]'))];",
                vec![],
            )
            .await?;
        if inside != json!([true, true]) {
            return Err(Error::new(format!(
                "first plot and first slider in view: {inside}"
            )));
        }
        page.screenshot("lesson-03-workbench").await?;
        page.assert_no_errors().await
    })
    .await
}
