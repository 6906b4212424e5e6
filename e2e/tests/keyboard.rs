//! A lesson works from the keyboard alone: Tab reaches a simulator's slider (with a visible focus
//! ring), the arrow keys change it and the plot redraws, Tab reaches an exercise's answer field
//! and Enter checks it.

use brainplay_e2e::{with_page, Error, Page, Result};
use fantoccini::key::Key;
use serde_json::json;

/// Presses Tab until the focused element matches `selector` (at most `limit` times).
async fn tab_to(page: &Page, selector: &str, limit: usize) -> Result {
    for _ in 0..limit {
        let focused = page
            .js(
                "return !!document.activeElement && document.activeElement.matches(arguments[0]);",
                vec![json!(selector)],
            )
            .await?;
        if focused == true {
            return Ok(());
        }
        press(page, Key::Tab).await?;
    }
    Err(Error::new(format!(
        "{limit} presses of Tab never reached `{selector}`"
    )))
}

/// Sends `key` to whatever has the focus.
async fn press(page: &Page, key: Key) -> Result {
    let focused = page
        .client()
        .active_element()
        .await
        .map_err(|error| Error::new(format!("the focused element: {error}")))?;
    focused
        .send_keys(&char::from(key).to_string())
        .await
        .map_err(|error| Error::new(format!("pressing a key: {error}")))
}

#[tokio::test]
async fn a_lesson_works_from_the_keyboard() -> Result {
    with_page(async |page| {
        page.open("/lesson/01-introduction?lang=en").await?;
        page.wait_for("#lesson-1").await?;
        let drawn = page.drawn("#sim-first").await?;
        page.js(
            "document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);",
            vec![],
        )
        .await?;

        let slider = "#sim-first .param[data-param='I'] input[type='range']";
        tab_to(page, slider, 80).await?;
        let outline = page
            .js(
                "const s = getComputedStyle(document.activeElement);
                 return [s.outlineStyle, parseFloat(s.outlineWidth)];",
                vec![],
            )
            .await?;
        if outline[0] == "none" || outline[1].as_f64().unwrap_or(0.0) < 2.0 {
            return Err(Error::new(format!(
                "the focused slider shows no focus ring: {outline}"
            )));
        }
        let before = page
            .js(
                "return document.querySelector(arguments[0]).value;",
                vec![json!(slider)],
            )
            .await?;
        press(page, Key::Right).await?;
        let after = page
            .js(
                "return document.querySelector(arguments[0]).value;",
                vec![json!(slider)],
            )
            .await?;
        if before == after {
            return Err(Error::new(format!(
                "the arrow key left the slider at {before}"
            )));
        }
        page.redrawn_after("#sim-first", drawn).await?;

        let answer = "#exercise-rheobase input.answer";
        tab_to(page, answer, 200).await?;
        for c in "20".chars() {
            page.client()
                .active_element()
                .await
                .map_err(|error| Error::new(format!("the focused element: {error}")))?
                .send_keys(&c.to_string())
                .await
                .map_err(|error| Error::new(format!("typing: {error}")))?;
        }
        press(page, Key::Enter).await?;
        let feedback = "#exercise-rheobase .feedback";
        page.wait_for(feedback).await?;
        let class = page.attribute(feedback, "class").await?.unwrap_or_default();
        if !class.contains("correct") || class.contains("incorrect") {
            return Err(Error::new(format!(
                "Enter did not check the answer: `{class}`"
            )));
        }
        page.assert_no_errors().await
    })
    .await
}
