//! Lessons 7 and 8 as a student uses them: synapse test benches opened cold by deep link, a
//! slider that changes the plot, exercises marked right and wrong, a share link that restores the
//! setting, and a custom synapse whose typo is shown inline while the page keeps working.

use std::time::Duration;

use brainplay_e2e::{with_page, Error, Result};
use serde_json::json;

const LESSON_7: &str = "/lesson/07-synapses";
const LESSON_8: &str = "/lesson/08-synapse-programming";

fn sim(id: &str) -> String {
    format!("#sim-{id}")
}

fn slider(sim: &str, param: &str) -> String {
    format!("#sim-{sim} .param[data-param='{param}'] input[type=range]")
}

#[tokio::test]
async fn lesson_7_benches_plot_and_follow_their_sliders() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_7}?lang=en")).await?;
        page.wait_for("#lesson-7").await?;
        for id in ["expon", "dual", "ampa", "stp", "stdp", "oja"] {
            page.drawn(&sim(id)).await?;
        }
        for figure in ["#fi-mg_block", "#fi-epsc_st", "#sp-kinetics", "#sp-window"] {
            page.wait_for(&format!("{figure} canvas[data-drawn]"))
                .await?;
        }
        page.scroll_to("#sim-expon").await?;
        page.screenshot("lesson-07-synapse").await?;
        // A larger jump per spike changes the conductance plot (the first).
        let image = page.canvas_image(&sim("expon")).await?;
        let before = page.drawn(&sim("expon")).await?;
        page.set_range(&slider("expon", "g_max"), 3.0).await?;
        page.redrawn_after(&sim("expon"), before).await?;
        if page.canvas_image(&sim("expon")).await? == image {
            return Err(Error::new("the expon bench did not change with g_max"));
        }
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn lesson_7_exercises_mark_right_and_wrong() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_7}?lang=zh")).await?;
        for (id, wrong, right) in [
            ("expon_spikes", "4", "2"),
            ("stdp_pair", "0.4936", "0.5061"),
            ("oja_w1", "0.6", "0.832"),
        ] {
            page.expect_verdict(id, wrong, false).await?;
            page.expect_verdict(id, right, true).await?;
        }
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn a_synapse_share_link_restores_the_setting() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_7}?lang=en&stp.tau_d=10&stp.tau_f=500"))
            .await?;
        page.drawn(&sim("stp")).await?;
        let value = page
            .js(
                "return document.querySelector(arguments[0]).value;",
                vec![json!(
                    "#sim-stp .param[data-param='tau_f'] input.param-number"
                )],
            )
            .await?;
        if value.as_str() != Some("500") {
            return Err(Error::new(format!(
                "tau_f from the link is {value}, not 500"
            )));
        }
        let link = page.js("return window.location.href;", vec![]).await?;
        let link = link.as_str().unwrap_or_default();
        if !(link.contains("stp.tau_d=10") && link.contains("stp.tau_f=500")) {
            return Err(Error::new(format!("the link lost the setting: {link}")));
        }
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn lesson_8_simulate_exercise_and_custom_synapse() -> Result {
    with_page(async |page| {
        page.open(&format!("{LESSON_8}?lang=en")).await?;
        page.wait_for("#lesson-8").await?;
        for id in [
            "coba", "cuba", "dual", "gaba", "nmda", "custom", "stp_hw", "stf_rate",
        ] {
            page.drawn(&sim(id)).await?;
        }
        // The homework blank: E = -80 does not make the neuron fire, E = 0 does.
        page.click("#exercise-coba_excitatory button.check").await?;
        let feedback = page
            .attribute("#exercise-coba_excitatory .feedback", "class")
            .await?
            .unwrap_or_default();
        if !feedback.contains("incorrect") {
            return Err(Error::new(format!("E = -80 passed: {feedback}")));
        }
        // The membrane potential (the third plot) changes with E; the conductance does not,
        // and a plot whose figure is unchanged is not redrawn.
        let v_plot = format!("{} figure.plot:nth-of-type(3)", sim("coba"));
        let before = page.drawn(&v_plot).await?;
        page.set_range(&slider("coba", "E"), 0.0).await?;
        page.redrawn_after(&v_plot, before).await?;
        page.click("#exercise-coba_excitatory button.check").await?;
        tokio::time::sleep(Duration::from_millis(200)).await;
        let feedback = page
            .attribute("#exercise-coba_excitatory .feedback", "class")
            .await?
            .unwrap_or_default();
        if !feedback.contains("correct") || feedback.contains("incorrect") {
            return Err(Error::new(format!("E = 0 did not pass: {feedback}")));
        }
        page.expect_verdict("gaba_final", "-60", false).await?;
        page.expect_verdict("gaba_final", "-61.00", true).await?;

        // A custom synapse with a typo: the error is shown inline, the plot stays.
        page.js(
            "document.querySelector('#sim-custom details.equations').open = true;",
            vec![],
        )
        .await?;
        page.click("#sim-custom .equation-tools button").await?;
        let editor = "#sim-custom textarea.model-source";
        let source = page.field_text(editor).await?;
        let broken = source.replace("on_spike before g += g_max", "on_spike before g += g_mx");
        page.type_text(editor, &broken).await?;
        let message = page.text("#sim-custom .model-error").await?;
        if !message.contains("g_mx") {
            return Err(Error::new(format!(
                "the error does not name the typo: {message}"
            )));
        }
        page.scroll_to("#sim-custom").await?;
        page.screenshot("lesson-08-custom-synapse-error").await?;
        page.drawn(&sim("custom")).await?;
        // Fixing it (a stronger synapse) runs the new model.
        let before = page.drawn(&sim("custom")).await?;
        let fixed = broken.replace("g += g_mx", "g += 2 * g_max");
        page.type_text(editor, &fixed).await?;
        page.redrawn_after(&sim("custom"), before).await?;
        page.assert_no_errors().await
    })
    .await
}
