//! BrainPlay's developer commands, run as `cargo xtask <command>` (the alias is in `.cargo/config.toml`).
//!
//! Each command is a table of small steps (`test::STEPS`, `bench::BARS`, `setup::TOOLS`) so that later
//! work (more browser tests, timings and bundle sizes, the tools they need) adds rows rather than code
//! paths. `site` builds and serves the web site with trunk.

mod bench;
mod cmd;
mod criterion;
mod csp;
mod offline;
mod setup;
mod site;
mod test;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  test            every check CI runs, in order, stopping at the first failure
  bench [ARGS]    run all benchmarks (ARGS go to `cargo bench --workspace`), then print medians and bars
  brainpy         ci-setup, then run the exported BrainPy scripts in BrainPy and compare
  fuzz            the property tests of what learners type, link and store, with 20 000 cases
  ci-setup        install the tools `test` needs when they are missing
  serve           ci-setup, then `trunk serve` on http://127.0.0.1:8080 (rebuilds on change)
  dist [--base-path /PREFIX/]
                  release build of the site into dist/ for a host serving it under PREFIX
                  (default /), with 404.html for deep links; prints the first-load size
  help            this message
";

/// The base path of `dist [--base-path PREFIX]`.
fn dist_base_path(args: &[String]) -> Result<String, String> {
    match args {
        [] => Ok("/".to_string()),
        [flag, base] if flag == "--base-path" => Ok(base.clone()),
        [flag] if flag.starts_with("--base-path=") => Ok(flag["--base-path=".len()..].to_string()),
        _ => Err(format!(
            "usage: cargo xtask dist [--base-path /PREFIX/], not `dist {}`",
            args.join(" ")
        )),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") if args.len() == 1 => test::run(),
        Some("bench") => bench::run(&args[1..]),
        Some("ci-setup") if args.len() == 1 => setup::run(),
        Some("brainpy") if args.len() == 1 => setup::run().and_then(|()| test::brainpy()),
        Some("fuzz") if args.len() == 1 => test::fuzz(),
        Some("serve") if args.len() == 1 => setup::run().and_then(|()| site::serve()),
        Some("dist") => dist_base_path(&args[1..])
            .and_then(|base| setup::run().and_then(|()| site::dist(&base)))
            .map(drop),
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
