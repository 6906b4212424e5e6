//! `cargo xtask test`: every check CI runs, in order, stopping at the first failure.

use crate::cmd::{self, cargo, seconds, workspace_root, Result};
use crate::{setup, site};
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

struct Step {
    name: &'static str,
    run: fn() -> Result,
}

/// Cheapest first, so a formatting slip fails in seconds rather than after a full build. The
/// tools come first of all: on a fresh machine `cargo xtask test` installs what is missing (a few
/// version checks where everything is present), so the README's command needs no other.
const STEPS: &[Step] = &[
    Step {
        name: "setup",
        run: setup::run,
    },
    Step {
        name: "fmt",
        run: || cmd::run(cargo().args(["fmt", "--all", "--", "--check"])),
    },
    Step {
        name: "clippy",
        // With every feature, so that the benchmark hooks (`bench`) are linted too; and the
        // learning and GPU workers as the site builds them (without the features `neurons` and
        // `analysis`, whose absence no other build sees).
        run: || {
            cmd::run(cargo().args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--all-features",
                "--",
                "-D",
                "warnings",
            ]))?;
            // Each worker built with its own features only, as the site builds it.
            for (bin, features) in [("learn-worker", "learn"), ("gpu-worker", "gpu")] {
                cmd::run(cargo().args([
                    "clippy",
                    "-p",
                    "brainplay-worker",
                    "--bin",
                    bin,
                    "--no-default-features",
                    "--features",
                    features,
                    "--",
                    "-D",
                    "warnings",
                ]))?;
            }
            Ok(())
        },
    },
    Step {
        name: "test",
        // The browser tests need the site built; they run in their own step after `dist`.
        run: || cmd::run(cargo().args(["test", "--workspace", "--exclude", E2E_PACKAGE])),
    },
    Step {
        name: "brainpy",
        run: brainpy,
    },
    Step {
        name: "wasm",
        run: wasm_tests,
    },
    Step {
        name: "dist",
        // Under a prefix, as on GitHub Pages, so the tests also check that every link honours it.
        run: || site::dist(E2E_BASE_PATH).map(drop),
    },
    Step {
        name: "e2e",
        run: || {
            cmd::run(
                cargo()
                    .args(["test", "-p", E2E_PACKAGE])
                    .env("BRAINPLAY_E2E_DIST", site::dist_dir())
                    .env("BRAINPLAY_E2E_BASE", E2E_BASE_PATH)
                    .env("CHROMEDRIVER", setup::chromedriver()),
            )
        },
    },
];

const E2E_PACKAGE: &str = "brainplay-e2e";

/// The property tests that fuzz what learners type, link and store (issue 14): the model
/// language (and running what parses), input specs, share links, lesson Markdown, stored
/// progress. `test` runs them at proptest's default 256 cases; `fuzz` runs them with
/// many more. They stand in for cargo-fuzz, whose nightly toolchain cannot be installed here
/// (crates/sim/fuzz keeps the libFuzzer targets for a machine that has one).
const FUZZED: &[(&str, &[&str])] = &[
    ("brainplay-sim", &["--test", "parser", "robustness"]),
    ("brainplay-sim", &["--lib", "input::tests::properties"]),
    ("brainplay-lessons", &["--test", "state"]),
    ("brainplay-lessons", &["--test", "markdown"]),
    ("brainplay-app", &["--bin", "brainplay-app", "progress"]),
];

/// Cases per property in `cargo xtask fuzz` (and seeded mutation rounds of the model parser).
const FUZZ_CASES: &str = "20000";
const FUZZ_ROUNDS: &str = "100000";

/// `cargo xtask fuzz`: every fuzzing property test with `FUZZ_CASES` cases.
pub fn fuzz() -> Result {
    for (package, filter) in FUZZED {
        cmd::run(
            cargo()
                .args(["test", "-p", package])
                .args(*filter)
                .env("PROPTEST_CASES", FUZZ_CASES)
                .env("BRAINPLAY_FUZZ_ROUNDS", FUZZ_ROUNDS),
        )?;
    }
    Ok(())
}

/// The BrainPy export checked in BrainPy itself: every exported case runs in the pinned BrainPy
/// (installed by `setup`) and must reproduce BrainPlay's run (`cargo xtask brainpy` alone).
pub fn brainpy() -> Result {
    cmd::run(
        cargo()
            .args([
                "test",
                "-p",
                "brainplay-lessons",
                "--test",
                "brainpy_export",
                "--",
                "--ignored",
            ])
            .env("BRAINPLAY_BRAINPY_PYTHON", setup::brainpy_python()),
    )
}
/// The base path the `dist` step builds for and the `e2e` step serves the site under.
const E2E_BASE_PATH: &str = "/brainplay/";

/// Crates whose `#[wasm_bindgen_test]` tests run compiled to wasm, in headless Chromium (or Node.js
/// for a test file without `wasm_bindgen_test_configure!(run_in_browser)`).
/// (package, folder, the runner's browser flags): the GPU's tests get WebGPU through SwiftShader,
/// the others no GPU at all.
const WASM_TESTED: &[(&str, &str, &str)] = &[
    ("brainplay-sim", "crates/sim", "xtask/webdriver.json"),
    (
        "brainplay-lessons",
        "crates/lessons",
        "xtask/webdriver.json",
    ),
    ("brainplay-gpu", "crates/gpu", "xtask/webdriver-webgpu.json"),
];

/// wasm-bindgen-test-runner (the wasm target's runner in .cargo/config.toml) runs only
/// `#[wasm_bindgen_test]` functions, so only the test targets that have some are built for wasm:
/// the others may use what wasm lacks (files, threads, native-only dev-dependencies).
fn wasm_tests() -> Result {
    for (package, dir, flags) in WASM_TESTED {
        let targets = wasm_test_targets(&workspace_root().join(dir))?;
        if targets.is_empty() {
            println!("{package}: no #[wasm_bindgen_test] tests in {dir}, skipped");
            continue;
        }
        cmd::run(
            cargo()
                .args(["test", "--target", "wasm32-unknown-unknown", "-p", package])
                .args(targets)
                .env("CHROMEDRIVER", setup::chromedriver())
                // The runner adds `headless` and `no-sandbox`; the file adds the flags that keep
                // Chromium off the network and the GPU's (design.md §6).
                .env(
                    "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
                    workspace_root().join(flags),
                )
                .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
                // chromedriver's start-up, 5 s by default: too short on a busy 2-core machine.
                .env("WASM_BINDGEN_TEST_DRIVER_TIMEOUT", "30"),
        )?;
    }
    Ok(())
}

/// `--lib` when the crate's src/ has wasm tests, and `--test NAME` for each integration test
/// (`tests/NAME.rs` or `tests/NAME/main.rs`) that has some. Empty for a crate that does not exist yet.
fn wasm_test_targets(crate_dir: &Path) -> Result<Vec<String>> {
    let mut targets = Vec::new();
    if mentions_wasm_test(&crate_dir.join("src"))? {
        targets.push("--lib".to_string());
    }
    let tests = crate_dir.join("tests");
    if tests.is_dir() {
        let mut names = Vec::new();
        for entry in
            fs::read_dir(&tests).map_err(|error| format!("{}: {error}", tests.display()))?
        {
            let path = entry
                .map_err(|error| format!("{}: {error}", tests.display()))?
                .path();
            let name = if path.is_dir() && path.join("main.rs").is_file() {
                path.file_name()
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                path.file_stem()
            } else {
                None
            };
            if let Some(name) = name {
                if mentions_wasm_test(&path)? {
                    names.push(name.to_string_lossy().into_owned());
                }
            }
        }
        names.sort();
        for name in names {
            targets.extend(["--test".to_string(), name]);
        }
    }
    Ok(targets)
}

/// Whether the file, or any `.rs` file under the folder, uses `wasm_bindgen_test`.
fn mentions_wasm_test(path: &Path) -> Result<bool> {
    if path.is_dir() {
        for entry in fs::read_dir(path).map_err(|error| format!("{}: {error}", path.display()))? {
            let entry = entry.map_err(|error| format!("{}: {error}", path.display()))?;
            if mentions_wasm_test(&entry.path())? {
                return Ok(true);
            }
        }
        Ok(false)
    } else if path.extension().is_some_and(|extension| extension == "rs") {
        let text =
            fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))?;
        Ok(text.contains("wasm_bindgen_test"))
    } else {
        Ok(false)
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wasm_test_targets_are_the_files_that_have_wasm_tests() {
        let dir = crate::cmd::target_dir().join("xtask-test-wasm-targets");
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("src/deep")).unwrap();
        fs::create_dir_all(dir.join("tests/browser")).unwrap();
        fs::write(dir.join("src/lib.rs"), "mod deep;").unwrap();
        fs::write(
            dir.join("src/deep/mod.rs"),
            "#[wasm_bindgen_test] fn t() {}",
        )
        .unwrap();
        fs::write(dir.join("tests/native.rs"), "#[test] fn t() {}").unwrap();
        fs::write(dir.join("tests/wasm.rs"), "use wasm_bindgen_test::*;").unwrap();
        fs::write(
            dir.join("tests/browser/main.rs"),
            "use wasm_bindgen_test::*;",
        )
        .unwrap();
        fs::write(dir.join("tests/notes.md"), "wasm_bindgen_test").unwrap();
        assert_eq!(
            wasm_test_targets(&dir).unwrap(),
            ["--lib", "--test", "browser", "--test", "wasm"]
        );
        fs::remove_dir_all(&dir).unwrap();
        assert!(wasm_test_targets(&dir).unwrap().is_empty());
    }
}
