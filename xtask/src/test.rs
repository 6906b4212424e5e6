//! `cargo xtask test`: every check CI runs, in order, stopping at the first failure.

use crate::cmd::{self, cargo, seconds, Result};
use std::time::{Duration, Instant};

struct Step {
    name: &'static str,
    run: fn() -> Result,
}

/// Cheapest first, so a formatting slip fails in seconds rather than after a full build.
const STEPS: &[Step] = &[
    Step {
        name: "fmt",
        run: || cmd::run(cargo().args(["fmt", "--all", "--", "--check"])),
    },
    Step {
        name: "clippy",
        run: || {
            cmd::run(cargo().args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]))
        },
    },
    Step {
        name: "test",
        run: || cmd::run(cargo().args(["test", "--workspace"])),
    },
];

pub fn run() -> Result {
    let start = Instant::now();
    let mut passed: Vec<(&str, Duration)> = Vec::new();
    for (index, step) in STEPS.iter().enumerate() {
        println!("\n==> [{}/{}] {}", index + 1, STEPS.len(), step.name);
        let step_start = Instant::now();
        let outcome = (step.run)();
        let elapsed = step_start.elapsed();
        if let Err(error) = outcome {
            return Err(format!(
                "step `{}` failed after {}: {error}\n       passed before it: {}",
                step.name,
                seconds(elapsed),
                timings(&passed),
            ));
        }
        println!("<== {} passed in {}", step.name, seconds(elapsed));
        passed.push((step.name, elapsed));
    }
    println!(
        "\nxtask test: all {} steps passed in {} ({})",
        STEPS.len(),
        seconds(start.elapsed()),
        timings(&passed),
    );
    Ok(())
}

fn timings(steps: &[(&str, Duration)]) -> String {
    if steps.is_empty() {
        return "none".to_string();
    }
    let parts: Vec<String> = steps
        .iter()
        .map(|(name, elapsed)| format!("{name} {}", seconds(*elapsed)))
        .collect();
    parts.join(", ")
}
