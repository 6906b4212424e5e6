//! `browser-bench`: the timings of design.md §4 that only a browser can take, run by
//! `cargo xtask bench` on the release build (the same `BRAINPLAY_E2E_DIST`/`BRAINPLAY_E2E_BASE` as the
//! tests). It prints one line per measurement, which xtask reads:
//!
//! ```text
//! bench ID VALUE ms
//! bench ID not-measured REASON
//! ```
//!
//! A measurement whose hook the app lacks is "not measured", with the reason; only a browser or site
//! that cannot be started is an error.

use brainplay_e2e::{Error, Gpu, Page, Result, Site};
use fantoccini::wd::TimeoutConfiguration;
use serde_json::json;
use std::process::ExitCode;
use std::time::Duration;

/// HH, 1000 ms at dt 0.01 ms, in the page: the app's export `bench_hh_ms()`, the median of 5 runs.
const HH_ID: &str = "browser/hh_1000ms_dt0.01";
/// FitzHugh–Nagumo phase plane (nullclines, vector field, fixed points) on a 100×100 grid: the
/// app's export `bench_phase_plane_ms()`, the median of 5 runs.
const PHASE_PLANE_ID: &str = "browser/phase_plane_100x100";
/// FitzHugh–Nagumo bifurcation diagram in I, 200 values, with its limit cycles: the app's export
/// `bench_bifurcation_ms()`, the median of 5 runs.
const BIFURCATION_ID: &str = "browser/fhn_bifurcation_200";
/// Lesson 9's COBA E/I network, 4000 LIF for 1 s at dt 0.1 ms: the app's export
/// `bench_coba_ms()`, the median of 5 runs.
const COBA_ID: &str = "browser/coba_4000_1s";
/// Lesson 11's ring of 512 rate neurons, 1 s at dt 0.1 ms: the app's export `bench_cann_ms()`,
/// the median of 5 runs.
const CANN_ID: &str = "browser/cann_512_1s";
/// Lesson 10's decision network, 2000 LIF with Poisson background for 1 s at dt 0.1 ms: the
/// app's export `bench_decision_ms()`, the median of 5 runs.
const DECISION_ID: &str = "browser/decision_2000_1s";
/// Lesson 12's task 1, an ESN of 100 units trained on 20 000 steps and tested on 4000: the app's
/// export `bench_esn_ms()`, the median of 5 runs.
const ESN_ID: &str = "browser/esn_task1_20000";
/// One training iteration of a 128-unit rate RNN (BPTT over 200 steps, 32 trials, Adam): the
/// app's export `bench_rnn_ms()`, the median of 5 runs.
const RNN_ID: &str = "browser/rnn_bptt_128x200x32";
/// One training iteration of the course's image SNN (784–100–10, BPTT over 20 steps, 128
/// samples, Adam): the app's export `bench_snn_ms()`, the median of 5 runs.
const SNN_ID: &str = "browser/snn_bptt_784x100x10";
/// A 1000-unit reservoir (its spectral radius by Arnoldi), 5000 training steps and one
/// ridge solve: the app's export `bench_esn_large_ms()`, the median of 5 runs.
const ESN_LARGE_ID: &str = "browser/esn_1000x5000";
/// Slider change to redrawn plot on the HH lesson, 95th percentile of `SLIDER_SAMPLES` changes.
const SLIDER_ID: &str = "browser/slider_to_plot_p95";
const SLIDER_LESSON: &str = "/lesson/03-hodgkin-huxley";
const SLIDER_SAMPLES: usize = 40;
const CLICK_ID: &str = "browser/click_to_trajectory_median";
const CLICK_LESSON: &str = "/lesson/05-reduced-models";
const CLICK_SAMPLES: usize = 20;

/// What both timings share: `firstDraw(canvas, deadline)` waits for a canvas's first draw, and
/// `timed(canvas, act)` runs `act` and resolves with the ms until the canvas's redraw counter
/// (`data-drawn`) changes, or null after 2 s.
const TIMING_JS: &str = r#"
const firstDraw = (canvas, deadline) => new Promise((resolve) => {
  const poll = () => Number(canvas.getAttribute('data-drawn')) > 0 ? resolve(true)
    : performance.now() > deadline ? resolve(false) : setTimeout(poll, 20);
  poll();
});
const timed = (canvas, act) => new Promise((resolve) => {
  const before = canvas.getAttribute('data-drawn');
  let start = 0;
  const observer = new MutationObserver(() => {
    if (canvas.getAttribute('data-drawn') === before) return;
    const elapsed = performance.now() - start;
    observer.disconnect();
    clearTimeout(timer);
    resolve(elapsed);
  });
  const timer = setTimeout(() => { observer.disconnect(); resolve(null); }, 2000);
  observer.observe(canvas, { attributes: true, attributeFilter: ['data-drawn'] });
  start = performance.now();
  act();
});
"#;

/// Clicks the FHN phase plane at `samples` places inside its plot and times each click until the
/// canvas redraws (the compute worker's trajectory on screen).
const CLICK_SCRIPT: &str = r#"
const done = arguments[arguments.length - 1];
const samples = arguments[0];
const canvas = document.querySelector('#pp-fhn canvas');
if (!canvas) { done({ missing: 'no #pp-fhn canvas' }); return; }
const click = (i) => () => {
  const rect = canvas.getBoundingClientRect();
  const x = rect.left + rect.width * (0.3 + 0.4 * ((i * 7) % samples) / samples);
  const y = rect.top + rect.height * (0.3 + 0.4 * ((i * 3) % samples) / samples);
  canvas.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: x, clientY: y }));
};
(async () => {
  if (!(await firstDraw(canvas, performance.now() + 20000))) { done({ missing: 'the phase plane never drew' }); return; }
  const latencies = [];
  for (let i = 0; i < samples; i++) {
    const elapsed = await timed(canvas, click(i));
    if (elapsed === null) { done({ missing: `no redraw within 2 s of click ${i}` }); return; }
    latencies.push(elapsed);
  }
  done({ latencies_ms: latencies });
})();
"#;

/// Moves the HH lesson's first slider `samples` times and times each move until the plot redraws.
const SLIDER_SCRIPT: &str = r#"
const done = arguments[arguments.length - 1];
const samples = arguments[0];
const input = document.querySelector('#sim-ap input[type=range]');
const canvas = document.querySelector('#sim-ap canvas');
if (!input || !canvas) { done({ missing: 'no #sim-ap input[type=range] and canvas' }); return; }
if (!canvas.hasAttribute('data-drawn')) { done({ missing: 'the #sim-ap canvas has no data-drawn attribute' }); return; }
const min = Number(input.min || 0), max = Number(input.max || 100);
const step = input.step && input.step !== 'any' ? Number(input.step) : 0;
const snap = (value) => step > 0 ? min + Math.round((value - min) / step) * step : value;
const set = (value) => () => {
  input.value = String(value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
};
(async () => {
  if (!(await firstDraw(canvas, performance.now() + 20000))) { done({ missing: 'the simulator never drew its first plot (data-drawn stayed 0)' }); return; }
  const latencies = [];
  for (let i = 0; i < samples; i++) {
    let value = snap(min + (max - min) * (((i * 7) % samples) + 0.5) / samples);
    if (String(value) === input.value) value = value + step <= max ? value + step : value - step;
    const elapsed = await timed(canvas, set(value));
    if (elapsed === null) { done({ missing: `no redraw (data-drawn unchanged) within 2 s of setting the slider to ${value}` }); return; }
    latencies.push(elapsed);
  }
  done({ latencies_ms: latencies });
})();
"#;

fn main() -> ExitCode {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts");
    match runtime.block_on(run()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("browser-bench: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result {
    let site = Site::from_env()?.ok_or_else(|| Error::new("no site build to measure"))?;
    let page = Page::start(site.serve()?, Gpu::Off).await?;
    let outcome = measure(&page).await;
    page.close().await;
    outcome
}

/// A measured value in ms, or why it could not be measured.
type Measured = std::result::Result<f64, String>;

async fn measure(page: &Page) -> Result {
    let timeouts = TimeoutConfiguration::new(
        Some(Duration::from_secs(150)),
        Some(Duration::from_secs(300)),
        Some(Duration::ZERO),
    );
    page.client()
        .update_timeouts(timeouts)
        .await
        .map_err(|error| Error::new(format!("setting script timeouts: {error}")))?;
    report(HH_ID, export_ms(page, "bench_hh_ms").await?);
    report(
        PHASE_PLANE_ID,
        export_ms(page, "bench_phase_plane_ms").await?,
    );
    report(
        BIFURCATION_ID,
        export_ms(page, "bench_bifurcation_ms").await?,
    );
    report(COBA_ID, export_ms(page, "bench_coba_ms").await?);
    report(CANN_ID, export_ms(page, "bench_cann_ms").await?);
    report(DECISION_ID, export_ms(page, "bench_decision_ms").await?);
    report(ESN_ID, export_ms(page, "bench_esn_ms").await?);
    report(ESN_LARGE_ID, export_ms(page, "bench_esn_large_ms").await?);
    report(RNN_ID, export_ms(page, "bench_rnn_ms").await?);
    report(SNN_ID, export_ms(page, "bench_snn_ms").await?);
    report(SLIDER_ID, slider_p95_ms(page).await?);
    report(CLICK_ID, click_median_ms(page).await?);
    Ok(())
}

fn report(id: &str, measured: Measured) {
    match measured {
        Ok(ms) => println!("bench {id} {ms:.3} ms"),
        Err(reason) => println!("bench {id} not-measured {reason}"),
    }
}

/// Calls the app's benchmark export `name` (trunk puts the exports on `window.wasmBindings`).
async fn export_ms(page: &Page, name: &str) -> Result<Measured> {
    page.open("/").await?;
    if let Err(error) = page.wait_for("#app-ready").await {
        return Ok(Err(first_line(&error)));
    }
    let ms = page
        .js(
            "const bindings = window.wasmBindings;
             const f = bindings && bindings[arguments[0]];
             return typeof f === 'function' ? f() : null;",
            vec![serde_json::json!(name)],
        )
        .await?;
    Ok(ms.as_f64().ok_or_else(|| {
        format!("the app exports no {name}() (looked for window.wasmBindings.{name})")
    }))
}

async fn click_median_ms(page: &Page) -> Result<Measured> {
    page.open(CLICK_LESSON).await?;
    if let Err(error) = page.wait_for("#pp-fhn canvas").await {
        return Ok(Err(first_line(&error)));
    }
    let result = page
        .js_async(
            &format!("{TIMING_JS}{CLICK_SCRIPT}"),
            vec![json!(CLICK_SAMPLES)],
        )
        .await?;
    if let Some(missing) = result["missing"].as_str() {
        return Ok(Err(missing.to_string()));
    }
    let latencies: Vec<f64> = result["latencies_ms"]
        .as_array()
        .map(|values| values.iter().filter_map(|value| value.as_f64()).collect())
        .unwrap_or_default();
    if latencies.len() != CLICK_SAMPLES {
        return Ok(Err(format!(
            "{} of {CLICK_SAMPLES} clicks timed",
            latencies.len()
        )));
    }
    Ok(Ok(percentile(latencies, 0.5)))
}

async fn slider_p95_ms(page: &Page) -> Result<Measured> {
    page.open(SLIDER_LESSON).await?;
    // The plot appears after the first run, possibly after the slider.
    for selector in ["#sim-ap input[type=range]", "#sim-ap canvas"] {
        if let Err(error) = page.wait_for(selector).await {
            return Ok(Err(first_line(&error)));
        }
    }
    let result = page
        .js_async(
            &format!("{TIMING_JS}{SLIDER_SCRIPT}"),
            vec![json!(SLIDER_SAMPLES)],
        )
        .await?;
    if let Some(missing) = result["missing"].as_str() {
        return Ok(Err(missing.to_string()));
    }
    let latencies: Option<Vec<f64>> = result["latencies_ms"]
        .as_array()
        .map(|values| values.iter().filter_map(|value| value.as_f64()).collect());
    match latencies {
        Some(latencies) if latencies.len() == SLIDER_SAMPLES => Ok(Ok(percentile(latencies, 0.95))),
        _ => Err(Error::new(format!(
            "unexpected result from the slider script: {result}"
        ))),
    }
}

/// Nearest-rank percentile: the smallest value with at least `fraction` of the values at or below it.
fn percentile(mut values: Vec<f64>, fraction: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let rank = (fraction * values.len() as f64).ceil() as usize;
    values[rank.clamp(1, values.len()) - 1]
}

fn first_line(error: &Error) -> String {
    error
        .to_string()
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn nearest_rank_percentile() {
        let values: Vec<f64> = (1..=40).map(f64::from).collect();
        assert_eq!(percentile(values.clone(), 0.95), 38.0);
        assert_eq!(percentile(values, 1.0), 40.0);
        assert_eq!(percentile(vec![3.0, 1.0, 2.0], 0.5), 2.0);
    }
}
