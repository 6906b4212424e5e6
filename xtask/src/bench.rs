//! `cargo xtask bench`: runs every benchmark, then prints what it measured and checks it against the
//! bars. Benchmarks report, they do not gate: a missed bar prints MISS and the command still succeeds;
//! only a benchmark that fails to build or run is an error.

use crate::cmd::{self, cargo, target_dir, Result};
use crate::criterion;
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

/// An upper limit on a value, from the design brief (§4) or an internal budget. A new source of
/// measurements (browser timings, bundle sizes) adds its results in `measure` and its bars here.
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
];

/// `args` go to `cargo bench --workspace`, e.g. `-- hh` to run only the benchmarks matching `hh`.
pub fn run(args: &[String]) -> Result {
    let since = SystemTime::now();
    cmd::run(cargo().args(["bench", "--workspace"]).args(args))?;
    let measurements = measure(since)?;
    print_measurements(&measurements);
    print_bars(&measurements);
    Ok(())
}

/// Everything this run measured: criterion's medians (ns, shown in ms).
fn measure(since: SystemTime) -> Result<Vec<Measurement>> {
    let medians = criterion::medians_ns(&target_dir().join("criterion"), since)?;
    Ok(medians
        .into_iter()
        .map(|(id, median_ns)| Measurement {
            id,
            value: median_ns / 1e6,
            unit: "ms",
        })
        .collect())
}

fn print_measurements(measurements: &[Measurement]) {
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

fn print_bars(measurements: &[Measurement]) {
    let width = BARS.iter().map(|bar| bar.what.len()).max().unwrap_or(0);
    let (mut pass, mut miss, mut unmeasured) = (0, 0, 0);
    println!("\n{:<width$}  {:>12}  {:>10}", "bar", "value", "limit");
    for bar in BARS {
        match evaluate(&bar.value, measurements) {
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
                println!("{:<width$}  {:>12}", bar.what, "not measured");
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
