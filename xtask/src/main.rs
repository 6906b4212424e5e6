//! BrainPlay's developer commands, run as `cargo xtask <command>` (the alias is in `.cargo/config.toml`).
//!
//! Each command is a table of small steps (`test::STEPS`, `bench::BARS`, `setup::TOOLS`) so that later
//! work (the site's wasm and browser tests, its timings and bundle sizes, the tools they need) adds rows
//! rather than code paths.

mod bench;
mod cmd;
mod criterion;
mod setup;
mod test;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  test            every check CI runs, in order, stopping at the first failure
  bench [ARGS]    run all benchmarks (ARGS go to `cargo bench --workspace`), then print medians and bars
  ci-setup        install the tools `test` needs when they are missing
  help            this message
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") if args.len() == 1 => test::run(),
        Some("bench") => bench::run(&args[1..]),
        Some("ci-setup") if args.len() == 1 => setup::run(),
        Some("help" | "--help" | "-h") => {
            print!("{USAGE}");
            Ok(())
        }
        Some(_) => Err(format!("unknown command: `{}`\n\n{USAGE}", args.join(" "))),
        None => Err(format!("no command given\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
