//! Lessons 1 and 2 in the browser: the first neuron and the integrators drawn from a cold deep
//! link, a method switch that makes the HH run stop with a message, and the exercises marked
//! right and wrong.

use brainplay_e2e::{with_page, Result};

#[tokio::test]
async fn lesson_1_pokes_a_first_neuron() -> Result {
    with_page(async |page| {
        page.open("/lesson/01-introduction?lang=en").await?;
        page.wait_for("#lesson-1").await?;
        page.drawn("#sim-first").await?;
        page.expect_verdict("rheobase", "25", false).await?;
        page.expect_verdict("rheobase", "20", true).await?;
        page.assert_no_errors().await
    })
    .await
}

#[tokio::test]
async fn lesson_2_compares_integrators() -> Result {
    with_page(async |page| {
        page.open("/lesson/02-simulation-basics?lang=zh&integrators.dt=0.1")
            .await?;
        page.wait_for("#lesson-2").await?;
        // Euler at dt = 0.1 ms stops, and the page says so.
        page.wait_for("#sim-integrators p.run-error").await?;
        page.drawn("#sim-population").await?;
        page.drawn("#net-orders").await?;
        page.expect_verdict("rk4_order", "1", false).await?;
        page.expect_verdict("rk4_order", "4", true).await?;
        page.expect_verdict("population_fires", "4", false).await?;
        page.expect_verdict("population_fires", "3", true).await?;
        page.assert_no_errors().await
    })
    .await
}
