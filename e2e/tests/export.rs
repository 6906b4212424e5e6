//! "BrainPy code" on a simulator and a phase plane: the export worker writes the setting as a
//! script when the panel opens, and again when a slider moves; a widget's link settings are in it.

use std::time::Duration;

use brainplay_e2e::{with_page, Error, Page, Result};

/// Opens the "BrainPy code" panel of widget `widget` (in the middle of the screen: the sticky
/// header would take a click at its top).
async fn open_code(page: &Page, widget: &str) -> Result {
    let button = format!("{widget} button.show-code");
    page.wait_for(&button).await?;
    page.js(
        "document.querySelector(arguments[0]).scrollIntoView({ block: 'center' });",
        vec![serde_json::json!(button)],
    )
    .await?;
    page.click(&button).await
}

/// The code block of widget `widget` (its section's selector) once it contains `part`.
async fn code_with(page: &Page, widget: &str, part: &str) -> Result<String> {
    let code = format!("{widget} .brainpy-code pre.code");
    for _ in 0..200 {
        let text = page
            .js(
                "const pre = document.querySelector(arguments[0]); return pre ? pre.textContent : '';",
                vec![serde_json::json!(code)],
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
        open_code(page, "#sim-ap").await?;
        let script = code_with(page, "#sim-ap", "I=12.5").await?;
        for part in [
            "class HH(bp.dyn.NeuDyn):",
            "method='exp_auto'",
            "bp.DSRunner(",
        ] {
            assert!(script.contains(part), "no `{part}` in:\n{script}");
        }
        page.set_range("#sim-ap .param[data-param='gNa'] input[type=range]", 60.0)
            .await?;
        code_with(page, "#sim-ap", "gNa=60.0").await?;
        page.scroll_to("#sim-ap .brainpy-code").await?;
        page.screenshot("export-lesson-03").await?;
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn analyses_and_sweeps_export_too() -> Result {
    with_page(async |page| {
        page.open("/lesson/06-reduced-models-practice?lang=zh&fhn_hopf.I=0.5")
            .await?;
        page.wait_for("#lesson-6").await?;
        open_code(page, "#pp-fhn_hopf").await?;
        let script = code_with(page, "#pp-fhn_hopf", "bp.analysis.PhasePlane2D(").await?;
        assert!(script.contains("pars_update={'I': 0.5}"), "{script}");
        page.open("/lesson/05-reduced-models?lang=en").await?;
        page.wait_for("#lesson-5").await?;
        open_code(page, "#pl-qif_line").await?;
        code_with(page, "#pl-qif_line", "bp.analysis.PhasePlane1D(").await?;
        open_code(page, "#fi-fi").await?;
        code_with(
            page,
            "#fi-fi",
            "'rate_hz': [len(s) / (DURATION_MS / 1000.0)",
        )
        .await?;
        page.assert_no_errors().await
    })
    .await
}
