//! The course material added to lessons 3, 5–8 (the passive cable, the GIF model, the class
//! tutorial's AdEx and homework Q2, synapses under a 10 kHz Poisson train, short-term
//! depression): every added figure draws, and
//! every added numeric exercise marks a wrong answer wrong and the reference answer right.

use brainplay_e2e::{with_page, Result};

/// An exercise as (id, right answer, wrong answer).
type Exercise = (&'static str, &'static str, &'static str);

/// (lesson page, figures, exercises).
const ADDED: [(&str, &[&str], &[Exercise]); 5] = [
    (
        "/lesson/03-hodgkin-huxley",
        &["#net-cable"],
        &[("cable_at_lambda", "0.368", "0.5")],
    ),
    (
        "/lesson/05-reduced-models",
        &["#sim-gif", "#sim-gif_rebound"],
        &[("gif_rebound_time", "848.9", "800")],
    ),
    (
        "/lesson/06-reduced-models-practice",
        &["#sim-adex_tutorial", "#pp-adex_tutorial_pp", "#sim-adex_q2"],
        &[
            ("adex_tutorial_count", "18", "17"),
            ("adex_tutorial_sn", "1.62", "56.43"),
            ("adex_q2_count", "4", "6"),
        ],
    ),
    (
        "/lesson/07-synapses",
        &["#sim-poisson_dual", "#sim-poisson_nmda"],
        &[("nmda_ceiling", "1.00", "52.5")],
    ),
    (
        "/lesson/08-synapse-programming",
        &[
            "#sim-tf_std",
            "#sim-std",
            "#sim-tf_std_poisson",
            "#sim-tf_std_hw",
            "#sim-stp_train",
            "#sim-stp_rate_train",
        ],
        &[("std_second_jump", "0.0199", "0.025")],
    ),
];

#[tokio::test]
async fn the_added_figures_draw_and_their_exercises_check() -> Result {
    with_page(async |page| {
        for (lesson, figures, exercises) in ADDED {
            page.open(&format!("{lesson}?lang=en")).await?;
            for figure in figures {
                page.drawn(figure).await?;
            }
            for (id, right, wrong) in exercises {
                page.expect_verdict(id, wrong, false).await?;
                page.expect_verdict(id, right, true).await?;
            }
            page.assert_no_errors().await?;
        }
        Ok(())
    })
    .await
}
