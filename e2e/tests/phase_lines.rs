//! Lesson 5's phase lines: dx/dt = sin x + I and the QIF neuron, with their fixed points, the
//! saddle-nodes their diagrams find (I = 1 and the rheobase 3.9375), the sliders, and the QIF
//! saddle-node exercise.

use brainplay_e2e::{with_page, Error, Page, Result};
use serde_json::json;

const LESSON_5: &str = "/lesson/05-reduced-models";

/// (stability label, x) of the fixed points listed under phase line `id`.
async fn line_points(page: &Page, id: &str) -> Result<Vec<(String, f64)>> {
    let rows = page
        .js(
            "return [...document.querySelectorAll(arguments[0])]
                 .map(r => [r.dataset.stability, Number(r.dataset.x)]);",
            vec![json!(format!("#pl-{id} tr.line-point"))],
        )
        .await?;
    let rows = rows.as_array().cloned().unwrap_or_default();
    Ok(rows
        .iter()
        .filter_map(|r| Some((r.get(0)?.as_str()?.to_string(), r.get(1)?.as_f64()?)))
        .collect())
}

/// The saddle-node values listed under the diagram of phase line `id`.
async fn saddle_nodes(page: &Page, id: &str) -> Result<Vec<f64>> {
    let values = page
        .js(
            "return [...document.querySelectorAll(arguments[0])].map(r => Number(r.dataset.param));",
            vec![json!(format!("#bif-{id} tr.special-point[data-kind='saddle-node']"))],
        )
        .await?;
    Ok(values
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_f64()).collect())
        .unwrap_or_default())
}

fn check_saddle_node(id: &str, got: &[f64], want: f64, tolerance: f64) -> Result {
    match got {
        [one] if (one - want).abs() <= tolerance => Ok(()),
        _ => Err(Error::new(format!(
            "{id}: expected one saddle-node at {want} ± {tolerance}, got {got:?}"
        ))),
    }
}

#[tokio::test]
async fn the_sine_phase_line_loses_its_fixed_points_at_i_1() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_5}?lang=en")).await?;
        let before = page.drawn("#pl-sine").await?;
        page.drawn("#bif-sine").await?;
        // I = 0: x* = kπ for k = −3…3, stable at odd k.
        let points = line_points(page, "sine").await?;
        let expected: Vec<(String, f64)> = (-3..=3)
            .map(|k: i32| {
                let label = if k % 2 == 0 {
                    "unstable point"
                } else {
                    "stable point"
                };
                (label.to_string(), k as f64 * std::f64::consts::PI)
            })
            .collect();
        let same = points.len() == expected.len()
            && points
                .iter()
                .zip(&expected)
                .all(|((l, x), (m, y))| l == m && (x - y).abs() < 1e-6);
        if !same {
            return Err(Error::new(format!(
                "at I = 0 expected {expected:?}, got {points:?}"
            )));
        }
        check_saddle_node("sine", &saddle_nodes(page, "sine").await?, 1.0, 1e-3)?;
        page.scroll_to("#pl-sine").await?;
        page.screenshot("lesson-05-phase-line").await?;

        page.set_range("#pl-sine .param[data-param='I'] input[type=range]", 1.2)
            .await?;
        page.redrawn_after("#pl-sine", before).await?;
        let points = line_points(page, "sine").await?;
        if !points.is_empty() {
            return Err(Error::new(format!(
                "at I = 1.2 expected no fixed point, got {points:?}"
            )));
        }
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn the_qif_phase_line_finds_the_rheobase_and_checks_the_exercise() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_5}?lang=zh")).await?;
        page.drawn("#bif-qif_line").await?;
        check_saddle_node("qif", &saddle_nodes(page, "qif_line").await?, 3.9375, 2e-3)?;
        let labels: Vec<String> = line_points(page, "qif_line")
            .await?
            .into_iter()
            .map(|p| p.0)
            .collect();
        if labels != ["stable point", "unstable point"] {
            return Err(Error::new(format!(
                "at I = 2 expected rest and threshold, got {labels:?}"
            )));
        }
        page.expect_verdict("qif_saddle_node", "4.5", false).await?;
        page.expect_verdict("qif_saddle_node", "3.94", true).await?;
        page.assert_no_errors().await
    })
    .await
}
