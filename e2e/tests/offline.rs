//! Offline use: after one visit, with the network cut off, lessons open by deep link, simulate
//! and check exercises (the service worker, web/sw.js, serves the build it cached).

use brainplay_e2e::{with_page, Error, Result};

#[tokio::test]
async fn after_one_visit_the_course_works_offline() -> Result {
    with_page(async |page| {
        page.open("/?lang=en").await?;
        page.wait_for("a.lesson-card").await?;
        // Wait until the service worker has cached the build and controls the page (a reload
        // puts the first page under it).
        let ready = page
            .js_async(
                "const done = arguments[arguments.length - 1];
                 navigator.serviceWorker.ready.then(() => done(true), () => done(false));",
                vec![],
            )
            .await?;
        if ready != serde_json::json!(true) {
            return Err(Error::new("the service worker did not become ready"));
        }
        page.open("/?lang=en").await?;
        // Both: the page's own requests fail (DevTools' "Offline"), and so do the service
        // worker's (the server stops answering).
        page.set_offline(true).await?;
        page.server().set_offline(true);
        // The network is really gone: what the build did not include cannot be fetched.
        let fetched = page
            .js_async(
                "const done = arguments[arguments.length - 1];
                 fetch('not-in-the-build.txt').then((r) => done('fetched ' + r.status), () => done('failed'));",
                vec![],
            )
            .await?;
        if fetched != serde_json::json!("failed") {
            return Err(Error::new(format!("offline, yet a fetch gave {fetched}")));
        }
        for (path, widget) in [
            ("/lesson/03-hodgkin-huxley", "#sim-ap"),
            ("/lesson/07-synapses", "#sim-expon"),
            ("/lesson/12-reservoir-computing", "#net-series"),
        ] {
            page.open(&format!("{path}?lang=en")).await?;
            page.drawn(widget).await?;
        }
        // The page's runs end before its exercise is checked (the worker answers in turn).
        page.js_async(
            "const done = arguments[arguments.length - 1];
             const poll = () => document.querySelector('.cancel') ? setTimeout(poll, 100) : done(true);
             poll();",
            vec![],
        )
        .await?;
        page.expect_verdict("saturation_small", "0", true).await?;
        page.screenshot("offline-lesson-12").await?;
        page.set_offline(false).await?;
        page.server().set_offline(false);
        page.assert_no_errors().await
    })
    .await
}
