//! `cargo xtask ci-setup`: installs what `cargo xtask test` needs on a fresh machine, and only what is
//! missing, so a second run costs a few version checks. System packages are installed only as root on
//! Debian or Ubuntu; anywhere else the command says what to install and fails.

use crate::cmd::{self, cargo, program, stdout, succeeds, workspace_root, Result};
use crate::site;
use std::fs;
use std::path::{Path, PathBuf};

/// The trunk that builds on Rust 1.95 (0.22 needs 1.96).
const TRUNK_VERSION: &str = "0.21.14";
/// The wasm-opt that trunk is told to use (`[tools] wasm_opt` in Trunk.toml); npm's package of it is
/// the one whose release builds run (design.md §6).
const BINARYEN_VERSION: &str = "132";
/// The accessibility checker the e2e tests run inside the browser (e2e/tests/accessibility.rs).
const AXE_VERSION: &str = "4.14.1";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

struct Tool {
    name: &'static str,
    /// `Ok` when the tool is usable; otherwise what is wrong with it ("not found", a wrong version).
    check: fn() -> Check,
    install: fn() -> Result,
}

type Check = std::result::Result<(), String>;

const TOOLS: &[Tool] = &[
    Tool {
        name: "rustfmt",
        check: || present(cargo().args(["fmt", "--version"])),
        install: || cmd::run(program("rustup").args(["component", "add", "rustfmt"])),
    },
    Tool {
        name: "clippy",
        check: || present(cargo().args(["clippy", "--version"])),
        install: || cmd::run(program("rustup").args(["component", "add", "clippy"])),
    },
    Tool {
        name: "the wasm32-unknown-unknown target",
        check: check_wasm_target,
        install: || cmd::run(program("rustup").args(["target", "add", WASM_TARGET])),
    },
    Tool {
        name: "trunk",
        check: || version_contains(program("trunk").arg("--version"), TRUNK_VERSION),
        install: || cmd::run(cargo_install().args(["--locked", &format!("trunk@{TRUNK_VERSION}")])),
    },
    Tool {
        name: "wasm-bindgen-cli",
        check: || {
            let version = pinned_wasm_bindgen()?;
            version_contains(program("wasm-bindgen").arg("--version"), &version)?;
            // Installed with wasm-bindgen, and what `cargo test --target wasm32-…` runs.
            version_contains(
                program("wasm-bindgen-test-runner").arg("--version"),
                &version,
            )
        },
        // `--locked` fails on a missing transitive version (design.md §6).
        install: || {
            let version = pinned_wasm_bindgen()?;
            cmd::run(cargo_install().arg(format!("wasm-bindgen-cli@{version}")))
        },
    },
    Tool {
        name: "chromium and chromedriver",
        check: || {
            present(program("chromium").arg("--version"))?;
            present(program(chromedriver()).arg("--version"))
        },
        install: || apt_install(&["chromium", "chromium-driver"]),
    },
    Tool {
        // The GPU tests run natively on lavapipe, Mesa's Vulkan on the CPU (crates/gpu/tests).
        name: "a Vulkan driver (Mesa's lavapipe)",
        check: || {
            let lavapipe = fs::read_dir("/usr/share/vulkan/icd.d")
                .into_iter()
                .flatten()
                .flatten()
                .any(|entry| entry.file_name().to_string_lossy().starts_with("lvp_icd"));
            match lavapipe {
                true => Ok(()),
                false => Err("no lavapipe driver in /usr/share/vulkan/icd.d".into()),
            }
        },
        install: || apt_install(&["mesa-vulkan-drivers", "libvulkan1"]),
    },
    Tool {
        name: "wasm-opt (npm binaryen)",
        check: || {
            let wasm_opt = site::binaryen_bin_dir().join("wasm-opt");
            let version = format!("version {BINARYEN_VERSION} ");
            version_contains(program(&wasm_opt).arg("--version"), &version)
        },
        install: || npm_install(&format!("binaryen@{BINARYEN_VERSION}")),
    },
    Tool {
        name: "axe-core (npm, for the accessibility audit)",
        check: || {
            let package = site::tools_dir().join("node_modules/axe-core/package.json");
            let text = fs::read_to_string(&package)
                .map_err(|error| format!("{}: {error}", package.display()))?;
            match text.contains(&format!("\"version\": \"{AXE_VERSION}\"")) {
                true => Ok(()),
                false => Err(format!("not version {AXE_VERSION}")),
            }
        },
        install: || npm_install(&format!("axe-core@{AXE_VERSION}")),
    },
    Tool {
        name: "BrainPy (a Python virtual environment in target/brainpy)",
        check: || {
            let wanted = BRAINPY_PINS[0].trim_start_matches("brainpy==");
            version_contains(
                // Every pinned package must import, not only BrainPy.
                program(brainpy_python()).args([
                    "-c",
                    "import brainpy, jax, matplotlib, scipy; print(brainpy.__version__)",
                ]),
                wanted,
            )
        },
        install: install_brainpy,
    },
];

/// What the exported scripts are checked with: the versions `brainplay_sim::export::PIP_INSTALL`
/// tells learners to install (the check in crates/lessons/tests/brainpy_export.rs holds the two
/// lists together), known to install and run here (issue 11).
const BRAINPY_PINS: &[&str] = &[
    "brainpy==2.4.6",
    "jax==0.4.23",
    "jaxlib==0.4.23",
    "numpy<2",
    "scipy<1.13",
    // BrainPy's phase-plane analysis imports it even when it draws nothing.
    "matplotlib",
];

/// The virtual environment's Python, which the BrainPy comparison runs.
pub fn brainpy_python() -> PathBuf {
    workspace_root().join("target/brainpy/bin/python")
}

/// A fresh virtual environment with the pinned packages (about 150 MB of wheels; 25 s here with
/// pip's cache warm).
fn install_brainpy() -> Result {
    let venv = workspace_root().join("target/brainpy");
    cmd::run(
        program("python3")
            .args(["-m", "venv", "--clear"])
            .arg(&venv),
    )?;
    cmd::run(
        program(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .args(BRAINPY_PINS),
    )
}

pub fn run() -> Result {
    // A mismatch would otherwise surface as trunk refusing, offline, to fetch the missing version.
    pinned_wasm_bindgen()?;
    for tool in TOOLS {
        let problem = match (tool.check)() {
            Ok(()) => {
                println!("{}: present", tool.name);
                continue;
            }
            Err(problem) => problem,
        };
        println!("{}: {problem}; installing", tool.name);
        (tool.install)().map_err(|error| format!("installing {}: {error}", tool.name))?;
        (tool.check)().map_err(|problem| {
            format!(
                "{} is still not usable after installing it: {problem}",
                tool.name
            )
        })?;
        println!("{}: installed", tool.name);
    }
    Ok(())
}

/// `cargo install`, without the fat LTO and single codegen unit of trunk's release profile: on 2 cores
/// they add minutes to a build that CI pays for on every fresh machine, for a tool whose own speed
/// does not matter (its work is in wasm-bindgen and wasm-opt). Profile settings from the environment
/// override a package's manifest.
pub fn cargo_install() -> std::process::Command {
    let mut command = cargo();
    command
        .arg("install")
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16");
    command
}

/// The chromedriver the browser tests start: `CHROMEDRIVER` (as for wasm-bindgen-test-runner), else
/// Debian's, else whichever is on PATH. `e2e::browser` resolves it the same way.
pub fn chromedriver() -> PathBuf {
    if let Some(path) = std::env::var_os("CHROMEDRIVER") {
        return path.into();
    }
    let debian = Path::new("/usr/bin/chromedriver");
    if debian.is_file() {
        debian.to_path_buf()
    } else {
        "chromedriver".into()
    }
}

/// The version of the `wasm-bindgen` crate pinned (`=x.y.z`) in crates/app/Cargo.toml. trunk runs the
/// wasm-bindgen CLI named in Trunk.toml, and the CLI must be the crate's exact version.
pub fn pinned_wasm_bindgen() -> Result<String> {
    let manifest = workspace_root().join("crates/app/Cargo.toml");
    let trunk_toml = workspace_root().join("Trunk.toml");
    let pinned = read(&manifest).and_then(|text| {
        crate_pin(&text, "wasm-bindgen").ok_or_else(|| {
            format!(
                "{}: no exact pin `wasm-bindgen = \"=x.y.z\"`",
                manifest.display()
            )
        })
    })?;
    let trunk = read(&trunk_toml).and_then(|text| {
        toml_string(&text, "wasm_bindgen").ok_or_else(|| {
            format!(
                "{}: no `wasm_bindgen = \"x.y.z\"` under [tools]",
                trunk_toml.display()
            )
        })
    })?;
    if pinned != trunk {
        return Err(format!(
            "crates/app/Cargo.toml pins wasm-bindgen {pinned} but Trunk.toml asks for {trunk}: make them equal"
        ));
    }
    Ok(pinned)
}

fn read(path: &Path) -> Result<String> {
    fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))
}

/// `x.y.z` from a dependency line `name = "=x.y.z"` or `name = { version = "=x.y.z", … }`. A line
/// scan, not a TOML parser: the pin is one line by convention, and xtask stays nearly dependency-free.
fn crate_pin(manifest: &str, name: &str) -> Option<String> {
    manifest.lines().find_map(|line| {
        let value = line
            .trim()
            .strip_prefix(name)?
            .trim_start()
            .strip_prefix('=')?;
        let value = value.trim_start();
        let quoted = match value.strip_prefix('{') {
            Some(table) => table
                .split("version")
                .nth(1)?
                .trim_start()
                .strip_prefix('=')?,
            None => value,
        };
        let version = quoted.trim_start().strip_prefix("\"=")?;
        Some(version[..version.find('"')?].to_string())
    })
}

/// The string value of the first `key = "value"` line.
fn toml_string(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let value = line
            .trim()
            .strip_prefix(key)?
            .trim_start()
            .strip_prefix('=')?;
        let value = value.trim_start().strip_prefix('"')?;
        Some(value[..value.find('"')?].to_string())
    })
}

fn present(command: &mut std::process::Command) -> Check {
    if succeeds(command) {
        Ok(())
    } else {
        Err("not found".to_string())
    }
}

/// Whether `command` (a `--version`) runs and prints `wanted`; otherwise what it printed.
fn version_contains(command: &mut std::process::Command, wanted: &str) -> Check {
    match stdout(command) {
        None => Err("not found".to_string()),
        Some(text) if text.contains(wanted) => Ok(()),
        Some(text) => Err(format!("found `{}`, want {wanted}", text.trim())),
    }
}

/// The target's standard library is in the sysroot, whether or not rustup put it there.
fn check_wasm_target() -> Check {
    let sysroot = stdout(program("rustc").args(["--print", "sysroot"]))
        .ok_or_else(|| "rustc not found".to_string())?;
    let lib = Path::new(sysroot.trim()).join(format!("lib/rustlib/{WASM_TARGET}/lib"));
    if lib.is_dir() {
        Ok(())
    } else {
        Err(format!("not installed ({} is missing)", lib.display()))
    }
}

/// `npm install PACKAGE` into the tools folder (installing npm first if needed).
fn npm_install(package: &str) -> Result {
    if !succeeds(program("npm").arg("--version")) {
        apt_install(&["nodejs", "npm"])?;
    }
    let tools = site::tools_dir();
    fs::create_dir_all(&tools).map_err(|error| format!("{}: {error}", tools.display()))?;
    cmd::run(
        program("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&tools)
            .arg(package),
    )
}

/// `apt-get install -y PACKAGES` as root on Debian or Ubuntu, refreshing the package lists once if the
/// first try fails (a fresh machine may have none). Anywhere else, an error that says what to install.
fn apt_install(packages: &[&str]) -> Result {
    let is_root = stdout(program("id").arg("-u")).is_some_and(|uid| uid.trim() == "0");
    let has_apt =
        Path::new("/etc/debian_version").is_file() && succeeds(program("apt-get").arg("--version"));
    if !(is_root && has_apt) {
        return Err(format!(
            "this needs system packages, which ci-setup installs only as root on Debian or Ubuntu; install them yourself:\n\
             \x20   Debian/Ubuntu: sudo apt-get install -y {list}\n\
             \x20   elsewhere: the equivalent packages of your system (for a browser: Chromium or Chrome and the matching chromedriver on PATH, or CHROMEDRIVER=/path/to/chromedriver)",
            list = packages.join(" ")
        ));
    }
    let install = || {
        cmd::run(
            program("apt-get")
                .args(["install", "-y", "--no-install-recommends"])
                .args(packages)
                .env("DEBIAN_FRONTEND", "noninteractive"),
        )
    };
    install().or_else(|_| {
        println!("apt-get install failed; refreshing the package lists and trying again");
        cmd::run(program("apt-get").arg("update"))?;
        install()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_exact_pin_in_either_form() {
        let manifest =
            "[dependencies]\nwasm-bindgen-futures = \"0.4\"\nwasm-bindgen = \"=0.2.130\"\n";
        assert_eq!(
            crate_pin(manifest, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        let table = "wasm-bindgen = { version = \"=0.2.100\", features = [\"serde\"] }";
        assert_eq!(crate_pin(table, "wasm-bindgen").as_deref(), Some("0.2.100"));
    }

    #[test]
    fn a_range_is_not_a_pin() {
        assert_eq!(
            crate_pin("wasm-bindgen = \"0.2.130\"", "wasm-bindgen"),
            None
        );
        assert_eq!(
            crate_pin("wasm-bindgen-test = \"=0.3.50\"", "wasm-bindgen"),
            None
        );
    }

    #[test]
    fn reads_trunk_tool_versions() {
        let trunk =
            "[tools]\n# wasm_bindgen pin\nwasm_opt = \"version_132\"\nwasm_bindgen = \"0.2.130\"\n";
        assert_eq!(
            toml_string(trunk, "wasm_bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(
            toml_string(trunk, "wasm_opt").as_deref(),
            Some("version_132")
        );
    }

    #[test]
    fn this_workspace_pins_one_wasm_bindgen() {
        let version = pinned_wasm_bindgen().unwrap();
        assert!(version.starts_with("0.2."), "{version}");
    }
}
