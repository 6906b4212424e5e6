//! Lessons 5 and 6: phase planes that follow their sliders, trajectories started by a click,
//! exercises and share links.

use brainplay_e2e::{with_page, Error, Page, Result};
use serde_json::json;

const LESSON_5: &str = "/lesson/05-reduced-models";
const LESSON_6: &str = "/lesson/06-reduced-models-practice";

/// The phase-plane block with id `id`.
fn plane(id: &str) -> String {
    format!("#pp-{id}")
}

/// The stability labels of the fixed points listed under phase plane `id`.
async fn fixed_point_labels(page: &Page, id: &str) -> Result<Vec<String>> {
    page.js_strings(
        "return [...document.querySelectorAll(arguments[0])].map(r => r.dataset.stability);",
        vec![json!(format!("#pp-{id} tr.fixed-point"))],
    )
    .await
}

#[tokio::test]
async fn fitzhugh_nagumo_plane_follows_its_slider() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_5}?lang=en")).await?;
        page.wait_for("#lesson-5").await?;
        let before = page.drawn(&plane("fhn")).await?;
        let labels = fixed_point_labels(page, "fhn").await?;
        if labels != ["unstable node"] {
            return Err(Error::new(format!(
                "at I = 0.8 expected one unstable node, got {labels:?}"
            )));
        }
        page.scroll_to("#pp-fhn").await?;
        page.screenshot("lesson-05-phase-plane").await?;
        let image = page.canvas_image(&plane("fhn")).await?;
        page.set_range("#pp-fhn .param[data-param='I'] input[type=range]", 0.0)
            .await?;
        page.redrawn_after(&plane("fhn"), before).await?;
        let labels = fixed_point_labels(page, "fhn").await?;
        if labels != ["stable focus"] {
            return Err(Error::new(format!(
                "at I = 0 expected one stable focus, got {labels:?}"
            )));
        }
        if page.canvas_image(&plane("fhn")).await? == image {
            return Err(Error::new("the nullclines did not move with I"));
        }
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn a_click_starts_a_trajectory() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_5}?lang=en")).await?;
        let before = page.drawn(&plane("fhn")).await?;
        let image = page.canvas_image(&plane("fhn")).await?;
        let canvas = page.wait_for("#pp-fhn canvas").await?;
        canvas
            .click()
            .await
            .map_err(|e| Error::new(format!("clicking the phase plane: {e}")))?;
        page.redrawn_after(&plane("fhn"), before).await?;
        if page.canvas_image(&plane("fhn")).await? == image {
            return Err(Error::new("no trajectory appeared after the click"));
        }
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn adex_homework_plane_shows_the_focus_and_the_saddle() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_6}?lang=zh")).await?;
        page.wait_for("#lesson-6").await?;
        page.drawn(&plane("adex_pp")).await?;
        let labels = fixed_point_labels(page, "adex_pp").await?;
        if labels != ["stable focus", "saddle node"] {
            return Err(Error::new(format!(
                "expected a stable focus and a saddle, got {labels:?}"
            )));
        }
        page.scroll_to("#pp-adex_pp").await?;
        page.screenshot("lesson-06-phase-plane").await?;
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn a_phase_plane_setting_survives_the_share_link() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_5}?lang=en&fhn.I=0.2")).await?;
        page.drawn(&plane("fhn")).await?;
        let labels = fixed_point_labels(page, "fhn").await?;
        if labels != ["stable focus"] {
            return Err(Error::new(format!(
                "the link's I = 0.2 was not applied: {labels:?}"
            )));
        }
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn the_fhn_fixed_point_exercise_marks_right_and_wrong() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_5}?lang=en")).await?;
        page.expect_verdict("fhn_fixed_point", "0", false).await?;
        page.expect_verdict("fhn_fixed_point", "-0.2729", true)
            .await?;
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn the_adex_gallery_names_each_pattern() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_6}?lang=en")).await?;
        for (id, name) in [
            ("tonic", "tonic"),
            ("adapting", "adapting"),
            ("init_burst", "initial burst"),
            ("bursting", "bursting"),
            ("transient", "transient"),
            ("delayed", "delayed"),
        ] {
            let text = page.text(&format!("#sim-{id} .pattern")).await?;
            if text != format!("Firing pattern: {name}") {
                return Err(Error::new(format!("simulator `{id}` says {text:?}")));
            }
        }
        page.assert_no_errors().await
    })
    .await
}

/// (kind, parameter value) of the special points listed under bifurcation diagram `id`.
async fn special_points(page: &Page, id: &str) -> Result<Vec<(String, f64)>> {
    let rows = page
        .js(
            "return [...document.querySelectorAll(arguments[0])]
                 .map(r => [r.dataset.kind, Number(r.dataset.param)]);",
            vec![json!(format!("#bif-{id} tr.special-point"))],
        )
        .await?;
    let rows = rows.as_array().cloned().unwrap_or_default();
    Ok(rows
        .iter()
        .filter_map(|row| {
            let kind = row.get(0)?.as_str()?.to_string();
            Some((kind, row.get(1)?.as_f64()?))
        })
        .collect())
}

/// The diagram lists exactly these (kind, value) points, values within 1e-3.
fn check_special(got: &[(String, f64)], want: &[(&str, f64)]) -> Result {
    let same = got.len() == want.len()
        && got
            .iter()
            .zip(want)
            .all(|((kind, value), (k, v))| kind == k && (value - v).abs() < 1e-3);
    if same {
        Ok(())
    } else {
        Err(Error::new(format!("expected {want:?}, got {got:?}")))
    }
}

#[tokio::test]
async fn the_fhn_bifurcation_diagram_finds_its_hopf_points_and_follows_sliders() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_6}?lang=en")).await?;
        page.wait_for("#lesson-6").await?;
        let diagram = "#bif-fhn_hopf";
        let before = page.drawn(diagram).await?;
        // Curriculum 6.3a: trace J = 0 at I = 0.33128 and 1.41872 for a = 0.7.
        check_special(
            &special_points(page, "fhn_hopf").await?,
            &[("hopf", 0.33128), ("hopf", 1.41872)],
        )?;
        page.scroll_to("#bif-fhn_hopf").await?;
        page.screenshot("lesson-06-bifurcation").await?;

        // The varied parameter's slider moves the marker only.
        let slider =
            |param: &str| format!("#pp-fhn_hopf .param[data-param='{param}'] input[type=range]");
        let i = page.set_range(&slider("I"), 1.0).await?;
        let after_i = page.redrawn_after(diagram, before).await?;
        let marker = page.attribute(diagram, "data-param").await?;
        if marker.as_deref().and_then(|m| m.parse::<f64>().ok()) != Some(i) {
            return Err(Error::new(format!(
                "the marker shows {marker:?}, the slider {i}"
            )));
        }
        check_special(
            &special_points(page, "fhn_hopf").await?,
            &[("hopf", 0.33128), ("hopf", 1.41872)],
        )?;

        // Another parameter moves the diagram: the lower Hopf current is 1.25 a − 0.5438.
        let a = page.set_range(&slider("a"), 0.9).await?;
        page.redrawn_after(diagram, after_i).await?;
        let points = special_points(page, "fhn_hopf").await?;
        let lower = points.first().map(|p| p.1).unwrap_or(f64::NAN);
        if (lower - (1.25 * a - 0.5438)).abs() > 2e-3 {
            return Err(Error::new(format!(
                "at a = {a} the lower Hopf point should be near {:.4}, got {points:?}",
                1.25 * a - 0.5438
            )));
        }
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn the_adex_bifurcation_diagram_has_the_homework_hopf_and_saddle_node() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_6}?lang=zh")).await?;
        page.drawn("#bif-adex_pp").await?;
        // Homework Q4: the focus loses stability at I = 56.17 and meets the saddle at 56.43.
        check_special(
            &special_points(page, "adex_pp").await?,
            &[("hopf", 56.1719), ("saddle-node", 56.4328)],
        )?;
        let text = page.text("#bif-adex_pp table").await?;
        if !text.contains("鞍结分岔") || !text.contains("Hopf 分岔") {
            return Err(Error::new(format!("the table is not in Chinese: {text}")));
        }
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn the_two_parameter_diagram_follows_the_hopf_point_in_a_and_i() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_6}?lang=en")).await?;
        page.drawn("#bif2-fhn_hopf").await?;
        // Two Hopf points (I = 1.25 a ∓ 0.544, both inside I ∈ [0, 2]) at each of the 26 values
        // of a in [0.5, 1], no saddle-node.
        let hopf = page.attribute("#bif2-fhn_hopf", "data-hopf").await?;
        let saddle_nodes = page.attribute("#bif2-fhn_hopf", "data-saddle-node").await?;
        if hopf.as_deref() != Some("52") || saddle_nodes.as_deref() != Some("0") {
            return Err(Error::new(format!(
                "expected 52 Hopf points and no saddle-node, got {hopf:?} and {saddle_nodes:?}"
            )));
        }
        page.assert_no_errors().await
    })
    .await
}
