//! A phone: a touch screen 390 CSS pixels wide at three device pixels per CSS pixel. Plots are
//! drawn at the screen's density (sharp, with labels at their size), a tap on a plot shows its
//! read-out, and sliders and buttons are big enough for a finger.

use brainplay_e2e::{with_page, Error, Page, Result};
use serde_json::json;

const SCALE: f64 = 3.0;

/// A number the page computes.
async fn number(page: &Page, script: &str, selector: &str) -> Result<f64> {
    let value = page.js(script, vec![json!(selector)]).await?;
    value
        .as_f64()
        .ok_or_else(|| Error::new(format!("`{script}` on `{selector}` gave {value}")))
}

#[tokio::test]
async fn a_phone_draws_sharp_plots_answers_a_tap_and_has_finger_sized_controls() -> Result {
    with_page(async |page| {
        page.emulate_touch_screen(390, 844, SCALE).await?;
        page.open("/lesson/01-introduction?lang=en").await?;
        page.wait_for("#lesson-1").await?;
        page.drawn("#sim-first").await?;

        let canvas = "#sim-first canvas";
        let device = number(
            page,
            "return document.querySelector(arguments[0]).width;",
            canvas,
        )
        .await?;
        let css = number(
            page,
            "return document.querySelector(arguments[0]).clientWidth;",
            canvas,
        )
        .await?;
        if (device - (css * SCALE).round()).abs() > 1.0 {
            return Err(Error::new(format!(
                "a canvas {css} CSS pixels wide has {device} pixels, not {SCALE} per CSS pixel"
            )));
        }

        for control in [
            "#sim-first .param[data-param='I'] input[type='range']",
            "#sim-first button",
        ] {
            let height = number(
                page,
                "return document.querySelector(arguments[0]).getBoundingClientRect().height;",
                control,
            )
            .await?;
            if height < 44.0 {
                return Err(Error::new(format!(
                    "`{control}` is {height} px tall on a touch screen, under a finger's 44 px"
                )));
            }
        }

        let readout = "#sim-first .readout";
        if !page.text(readout).await?.trim().is_empty() {
            return Err(Error::new("the read-out shows values before any touch"));
        }
        page.tap(canvas).await?;
        for _ in 0..100 {
            let shown = page.text(readout).await?;
            if !shown.trim().is_empty() {
                return page.assert_no_errors().await;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        Err(Error::new("a tap on the plot showed no read-out"))
    })
    .await
}
