//! `cargo xtask bench`: runs every benchmark, then prints what it measured and checks it against the
//! bars. Benchmarks report, they do not gate: a missed bar prints MISS and the command still succeeds;
//! only a benchmark that fails to build or run is an error.
//!
//! Three sources: criterion's native benchmarks; the site's release build (`site::dist`), whose
//! first-load size is measured here; and `browser-bench` (e2e/src/bin), which opens that build in
//! headless Chromium and times the app in the page.

use crate::cmd::{self, cargo, target_dir, Result};
use crate::{criterion, setup, site};
use std::process::Stdio;
use std::time::SystemTime;

/// One value measured in this run.
struct Measurement {
    id: String,
    value: f64,
    unit: &'static str,
}

/// What a bar limits: one measurement, or the ratio of two measurements in the same unit.
enum Value {
    Measured(&'static str),
    Ratio {
        numerator: &'static str,
        denominator: &'static str,
    },
}

/// A value this run could not measure, and why (the app lacks a hook, the site did not build).
struct Unmeasured {
    id: String,
    reason: String,
}

#[derive(Default)]
struct Measurements {
    measured: Vec<Measurement>,
    unmeasured: Vec<Unmeasured>,
}

/// An upper limit on a value, from the design brief (§4) or an internal budget. A new source of
/// measurements adds its results in `run` and its bars here.
struct Bar {
    what: &'static str,
    value: Value,
    at_most: f64,
}

const BARS: &[Bar] = &[
    Bar {
        what: "HH neuron, 1000 ms at dt 0.01 ms, native",
        value: Value::Measured("hh_1000ms_dt0.01"),
        at_most: 10.0,
    },
    Bar {
        what: "4000 LIF, model language / hand-written loop",
        value: Value::Ratio {
            numerator: "lif_4000/model_language",
            denominator: "lif_4000/hand_written",
        },
        at_most: 1.5,
    },
    Bar {
        what: "first load of the home page (wasm + JS + CSS, gzip -9)",
        value: Value::Measured(FIRST_LOAD_ID),
        at_most: 400.0,
    },
    Bar {
        what: "a lesson page until its first plot (+ worker + largest lesson file)",
        value: Value::Measured(LESSON_PAGE_ID),
        at_most: 800.0,
    },
    Bar {
        what: "HH neuron, 1000 ms at dt 0.01 ms, in the browser (compute worker)",
        value: Value::Measured(BROWSER_HH_ID),
        at_most: 10.0,
    },
    Bar {
        what: "phase plane (nullclines, field, fixed points), 100×100, in the compute worker",
        value: Value::Measured(BROWSER_PHASE_PLANE_ID),
        at_most: 20.0,
    },
    Bar {
        what: "FitzHugh–Nagumo bifurcation diagram, 200 values (+ limit cycles), in the browser",
        value: Value::Measured(BROWSER_BIFURCATION_ID),
        at_most: 300.0,
    },
    Bar {
        what: "COBA E/I network, 4000 LIF, 1 s at dt 0.1 ms, in the browser",
        value: Value::Measured(BROWSER_COBA_ID),
        at_most: 100.0,
    },
    Bar {
        what: "CANN ring of 512 neurons, 1 s at dt 0.1 ms, in the browser",
        value: Value::Measured(BROWSER_CANN_ID),
        at_most: 50.0,
    },
    Bar {
        what: "Wang's decision network, 2000 LIF + Poisson background, 1 s, in the browser",
        value: Value::Measured(BROWSER_DECISION_ID),
        at_most: 300.0,
    },
    Bar {
        what: "ESN task 1 (100 units, 20 000 training steps, one solve), in the browser",
        value: Value::Measured(BROWSER_ESN_ID),
        at_most: 500.0,
    },
    Bar {
        what: "ESN of 1000 units × 5000 steps + ridge readout, in the browser",
        value: Value::Measured(BROWSER_ESN_LARGE_ID),
        at_most: 1000.0,
    },
    Bar {
        what: "rate RNN training iteration (128 units, 200 steps, 32 trials: BPTT + Adam), in the browser",
        value: Value::Measured(BROWSER_RNN_ID),
        at_most: 100.0,
    },
    Bar {
        what: "image SNN training iteration (784–100–10, 20 steps, 128 samples: BPTT + Adam), in the browser",
        value: Value::Measured(BROWSER_SNN_ID),
        at_most: 150.0,
    },
    Bar {
        what: "slider change → HH trace plotted, 95th percentile",
        value: Value::Measured(BROWSER_SLIDER_ID),
        at_most: 16.0,
    },
    Bar {
        what: "click on the FHN phase plane → trajectory drawn, median",
        value: Value::Measured(BROWSER_CLICK_ID),
        at_most: 30.0,
    },
];

const FIRST_LOAD_ID: &str = "site/first_load_gzip";
const LESSON_PAGE_ID: &str = "site/lesson_page_gzip";
/// The ids browser-bench prints (e2e/src/bin/browser-bench.rs).
const BROWSER_HH_ID: &str = "browser/hh_1000ms_dt0.01";
const BROWSER_SLIDER_ID: &str = "browser/slider_to_plot_p95";
const BROWSER_PHASE_PLANE_ID: &str = "browser/phase_plane_100x100";
const BROWSER_BIFURCATION_ID: &str = "browser/fhn_bifurcation_200";
const BROWSER_CLICK_ID: &str = "browser/click_to_trajectory_median";
const BROWSER_COBA_ID: &str = "browser/coba_4000_1s";
const BROWSER_CANN_ID: &str = "browser/cann_512_1s";
const BROWSER_DECISION_ID: &str = "browser/decision_2000_1s";
const BROWSER_ESN_ID: &str = "browser/esn_task1_20000";
const BROWSER_RNN_ID: &str = "browser/rnn_bptt_128x200x32";
const BROWSER_ESN_LARGE_ID: &str = "browser/esn_1000x5000";
const BROWSER_SNN_ID: &str = "browser/snn_bptt_784x100x10";
const BROWSER_IDS: &[&str] = &[
    BROWSER_HH_ID,
    BROWSER_PHASE_PLANE_ID,
    BROWSER_BIFURCATION_ID,
    BROWSER_COBA_ID,
    BROWSER_CANN_ID,
    BROWSER_DECISION_ID,
    BROWSER_ESN_ID,
    BROWSER_ESN_LARGE_ID,
    BROWSER_RNN_ID,
    BROWSER_SNN_ID,
    BROWSER_SLIDER_ID,
    BROWSER_CLICK_ID,
];

/// `args` go to `cargo bench`, e.g. `-- hh` to run only the benchmarks matching `hh`.
pub fn run(args: &[String]) -> Result {
    let since = SystemTime::now();
    // The browser tests have no benchmarks; building them in the bench profile would only cost time.
    cmd::run(
        cargo()
            .args(["bench", "--workspace", "--exclude", "brainplay-e2e"])
            .args(args),
    )?;
    let mut measurements = Measurements::default();
    measure_criterion(since, &mut measurements)?;
    let site = measure_site(&mut measurements);
    print_measurements(&measurements);
    print_bars(&measurements);
    site
}

/// criterion's medians (ns, shown in ms).
fn measure_criterion(since: SystemTime, measurements: &mut Measurements) -> Result {
    let medians = criterion::medians_ns(&target_dir().join("criterion"), since)?;
    measurements
        .measured
        .extend(medians.into_iter().map(|(id, median_ns)| Measurement {
            id,
            value: median_ns / 1e6,
            unit: "ms",
        }));
    Ok(())
}

/// The release build's first-load size and browser-bench's timings. When the site does not build or
/// the browser does not start, its bars are not measured and the error is returned after the tables.
fn measure_site(measurements: &mut Measurements) -> Result {
    let outcome = setup::run()
        .and_then(|()| site::dist("/"))
        .and_then(|dist| {
            // Sizes are the shipped site's; timings need the benchmark hooks, built separately.
            let page = site::total_gzip_bytes(&site::first_load(&dist)?);
            let lesson_page = site::lesson_pages(&dist)?
                .into_iter()
                .map(|(_, bytes)| bytes)
                .max()
                .unwrap_or(0);
            for (id, bytes) in [(FIRST_LOAD_ID, page), (LESSON_PAGE_ID, lesson_page)] {
                measurements.measured.push(Measurement {
                    id: id.to_string(),
                    value: bytes as f64 / 1000.0,
                    unit: "KB",
                });
            }
            site::print_wasm_breakdown();
            let dist = site::dist_with_benchmarks("/")?;
            let output = cargo()
                .args(["run", "-q", "-p", "brainplay-e2e", "--bin", "browser-bench"])
                .env("BRAINPLAY_E2E_DIST", &dist)
                .env("BRAINPLAY_E2E_BASE", "/")
                .env("CHROMEDRIVER", setup::chromedriver())
                .stderr(Stdio::inherit())
                .output()
                .map_err(|error| format!("could not start browser-bench: {error}"))?;
            let stdout = String::from_utf8_lossy(&output.stdout);
            print!("{stdout}");
            if !output.status.success() {
                return Err(format!("browser-bench failed ({})", output.status));
            }
            read_browser_bench(&stdout, measurements);
            Ok(())
        });
    if let Err(error) = &outcome {
        for id in [FIRST_LOAD_ID, LESSON_PAGE_ID].iter().chain(BROWSER_IDS) {
            if !measurements.measured.iter().any(|m| m.id == *id) {
                measurements.unmeasured.push(Unmeasured {
                    id: id.to_string(),
                    reason: error.lines().next().unwrap_or_default().to_string(),
                });
            }
        }
    }
    outcome
}

/// browser-bench's lines: `bench ID VALUE ms` or `bench ID not-measured REASON`.
fn read_browser_bench(stdout: &str, measurements: &mut Measurements) {
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("bench ") else {
            continue;
        };
        let mut words = rest.splitn(3, ' ');
        let (Some(id), Some(value), Some(tail)) = (words.next(), words.next(), words.next()) else {
            continue;
        };
        if value == "not-measured" {
            measurements.unmeasured.push(Unmeasured {
                id: id.to_string(),
                reason: tail.to_string(),
            });
        } else if let (Ok(value), "ms") = (value.parse(), tail) {
            measurements.measured.push(Measurement {
                id: id.to_string(),
                value,
                unit: "ms",
            });
        }
    }
}

fn print_measurements(measurements: &Measurements) {
    let measurements = &measurements.measured;
    let width = measurements
        .iter()
        .map(|m| m.id.len())
        .chain([9])
        .max()
        .unwrap_or(0);
    println!("\n{:<width$}  {:>12}", "benchmark", "median");
    for m in measurements {
        println!("{:<width$}  {:>9.3} {}", m.id, m.value, m.unit);
    }
    if measurements.is_empty() {
        println!("(nothing measured in this run)");
    }
}

fn print_bars(measurements: &Measurements) {
    let width = BARS
        .iter()
        .map(|bar| bar.what.chars().count())
        .max()
        .unwrap_or(0);
    let (mut pass, mut miss, mut unmeasured) = (0, 0, 0);
    println!("\n{:<width$}  {:>12}  {:>10}", "bar", "value", "limit");
    for bar in BARS {
        match evaluate(&bar.value, &measurements.measured) {
            Some((value, unit)) => {
                let passed = value <= bar.at_most;
                if passed {
                    pass += 1;
                } else {
                    miss += 1;
                }
                let verdict = if passed { "PASS" } else { "MISS" };
                let limit = format!("≤ {} {unit}", bar.at_most);
                println!(
                    "{:<width$}  {value:>10.3} {unit}  {limit:>10}  {verdict}",
                    bar.what
                );
            }
            None => {
                unmeasured += 1;
                let reason = match &bar.value {
                    Value::Measured(id) => measurements
                        .unmeasured
                        .iter()
                        .find(|u| u.id == *id)
                        .map(|u| format!(": {}", u.reason)),
                    Value::Ratio { .. } => None,
                };
                println!(
                    "{:<width$}  {:>12}{}",
                    bar.what,
                    "not measured",
                    reason.unwrap_or_default()
                );
            }
        }
    }
    println!("\nbars: {pass} PASS, {miss} MISS, {unmeasured} not measured");
}

/// The bar's value and unit, or `None` when an input was not measured in this run.
fn evaluate(value: &Value, measurements: &[Measurement]) -> Option<(f64, &'static str)> {
    let find = |id: &str| measurements.iter().find(|m| m.id == id);
    match value {
        Value::Measured(id) => find(id).map(|m| (m.value, m.unit)),
        Value::Ratio {
            numerator,
            denominator,
        } => {
            let (numerator, denominator) = (find(numerator)?, find(denominator)?);
            debug_assert_eq!(numerator.unit, denominator.unit);
            Some((numerator.value / denominator.value, "×"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_browser_bench_lines() {
        let stdout = "starting\nbench browser/hh_1000ms_dt0.01 12.500 ms\nbench browser/slider_to_plot_p95 not-measured no .simulator input[type=range] and canvas\n";
        let mut measurements = Measurements::default();
        read_browser_bench(stdout, &mut measurements);
        assert_eq!(measurements.measured.len(), 1);
        assert_eq!(measurements.measured[0].id, "browser/hh_1000ms_dt0.01");
        assert_eq!(measurements.measured[0].value, 12.5);
        assert_eq!(measurements.unmeasured.len(), 1);
        assert_eq!(
            measurements.unmeasured[0].reason,
            "no .simulator input[type=range] and canvas"
        );
    }

    #[test]
    fn browser_ids_have_bars() {
        for id in [FIRST_LOAD_ID, LESSON_PAGE_ID].iter().chain(BROWSER_IDS) {
            assert!(
                BARS.iter()
                    .any(|bar| matches!(bar.value, Value::Measured(m) if m == *id)),
                "{id}"
            );
        }
    }
}
