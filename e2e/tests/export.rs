//! "BrainPy code" on a simulator: the export worker writes the setting as a script when the
//! panel opens, and again when a slider moves; a widget's link settings are in it.

use std::time::Duration;

use brainplay_e2e::{with_page, Error, Page, Result};

const CODE: &str = "#sim-ap .brainpy-code pre.code";

/// The code block's text once it contains `part`.
async fn code_with(page: &Page, part: &str) -> Result<String> {
    for _ in 0..200 {
        let text = page
            .js(
                "const pre = document.querySelector(arguments[0]); return pre ? pre.textContent : '';",
                vec![serde_json::json!(CODE)],
            )
            .await?;
        let text = text.as_str().unwrap_or_default().to_string();
        if text.contains(part) {
            return Ok(text);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(Error::new(format!(
        "the BrainPy code never contained `{part}`"
    )))
}

#[tokio::test]
async fn a_simulator_exports_its_setting_as_brainpy_code() -> Result {
    with_page(async |page| {
        page.open("/lesson/03-hodgkin-huxley?lang=en&ap.I=12.5")
            .await?;
        page.wait_for("#lesson-3").await?;
        page.drawn("#sim-ap").await?;
        page.click("#sim-ap button.show-code").await?;
        let script = code_with(page, "I=12.5").await?;
        for part in [
            "class HH(bp.dyn.NeuDyn):",
            "method='exp_auto'",
            "bp.DSRunner(",
        ] {
            assert!(script.contains(part), "no `{part}` in:\n{script}");
        }
        page.set_range("#sim-ap .param[data-param='gNa'] input[type=range]", 60.0)
            .await?;
        code_with(page, "gNa=60.0").await?;
        page.js(
            "document.querySelector('#sim-ap .brainpy-code').scrollIntoView();",
            vec![],
        )
        .await?;
        page.screenshot("export-lesson-03").await?;
        page.assert_no_errors().await
    })
    .await
}
