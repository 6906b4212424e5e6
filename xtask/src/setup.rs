//! `cargo xtask ci-setup`: installs what `cargo xtask test` needs on a fresh machine, and only what is
//! missing, so a second run costs a few version checks.

use crate::cmd::{self, cargo, program, succeeds, Result};

struct Tool {
    name: &'static str,
    /// Whether the tool is already usable.
    check: fn() -> bool,
    install: fn() -> Result,
}

const TOOLS: &[Tool] = &[
    Tool {
        name: "rustfmt",
        check: || succeeds(cargo().args(["fmt", "--version"])),
        install: || cmd::run(program("rustup").args(["component", "add", "rustfmt"])),
    },
    Tool {
        name: "clippy",
        check: || succeeds(cargo().args(["clippy", "--version"])),
        install: || cmd::run(program("rustup").args(["component", "add", "clippy"])),
    },
];

pub fn run() -> Result {
    for tool in TOOLS {
        if (tool.check)() {
            println!("{}: present", tool.name);
            continue;
        }
        println!("{}: missing, installing", tool.name);
        (tool.install)().map_err(|error| format!("installing {}: {error}", tool.name))?;
        if !(tool.check)() {
            return Err(format!(
                "{} is still not usable after installing it",
                tool.name
            ));
        }
        println!("{}: installed", tool.name);
    }
    Ok(())
}
