//! `brainplay`: BrainPlay's native command-line runner. This file holds the command-line
//! definitions and the dispatch; each command lives in its own module.
//!
//! Exit codes: 0 success, 2 a bad argument or file (with a one-line message saying how to fix
//! it), 3 a run that stopped on a NaN or infinity (what was computed is still written).

mod args;
mod export;
mod failure;
mod fi;
mod figure;
mod lessons;
mod load;
mod models;
mod run;
mod state;
mod write;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use brainplay_sim::input::SYNTAX_HELP;
use brainplay_sim::{Method, Model};
use clap::error::ErrorKind;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::args::{Assignment, NameList};
use crate::failure::{Failure, EXIT_USAGE};

/// Simulate BrainPlay's neuron models from the command line.
///
/// Times are in ms. A run of D ms at step dt takes int(D / dt) steps; the value recorded after
/// step i is labelled t = i * dt. Lists of values (`--set I=5,10,15`) make a population with
/// one neuron per value.
#[derive(Parser)]
#[command(name = "brainplay", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Simulate a model (or a population of it) and write traces and spikes to CSV or JSON
    Run(RunArgs),
    /// List the built-in models, or show one in detail with its equations and source
    Models(ModelsArgs),
    /// Firing rate against input: one neuron per value of the input parameter, one run
    Fi(FiArgs),
    /// What a lesson's widget shows on the page (any kind), from a share link
    Figure(FigureArgs),
    /// A lesson's simulator, sweep, phase plane or line as a BrainPy 2.4 script, from a link
    Export(ExportArgs),
    /// List the lessons with content and their widgets
    Lessons,
}

/// The model a command runs: exactly one of a built-in id and a model file (and, for `run`, a
/// lesson's share-link state).
#[derive(Args)]
#[group(required = true, multiple = false)]
pub struct ModelChoice {
    /// A built-in model id, e.g. hh or lif (`brainplay models` lists them)
    #[arg(long, value_name = "ID")]
    pub model: Option<String>,
    /// A model file in the BrainPlay model language (docs/model-language.md)
    #[arg(long, value_name = "PATH")]
    pub model_file: Option<PathBuf>,
}

impl ModelChoice {
    pub fn load(&self) -> Result<Model, Failure> {
        match (&self.model, &self.model_file) {
            (_, Some(path)) => load::file(path),
            (Some(id), None) => load::builtin(id),
            // clap's group makes one of them required; this is only a guard.
            (None, None) => Err(Failure::usage("give --model ID or --model-file PATH")),
        }
    }
}

#[derive(Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub model: ModelChoice,
    /// Run a lesson's simulator as a share link sets it: `lesson=3&ap.I=10`, or a page link
    /// `…/lesson/03-hodgkin-huxley?ap.I=10`
    #[arg(long, value_name = "LINK", group = "ModelChoice", conflicts_with_all = ["set", "init", "n_neurons", "input", "dt_ms", "duration_ms", "method", "seed"])]
    pub state: Option<String>,
    /// The lesson widget --state runs [default: the lesson's first simulator]
    // Not `requires = "state"`: clap counts `state` as present whenever another member of its
    // group is, so the rule is written as conflicts with the other members.
    #[arg(long, value_name = "ID", conflicts_with_all = ["model", "model_file"])]
    pub widget: Option<String>,
    /// Set a parameter; a comma list gives one neuron per value (repeatable)
    #[arg(long = "set", value_name = "NAME=V[,V...]", value_parser = args::assignment)]
    pub set: Vec<Assignment>,
    /// Set a state's initial value; a comma list gives one neuron per value (repeatable)
    #[arg(long = "init", value_name = "NAME=V[,V...]", value_parser = args::assignment)]
    pub init: Vec<Assignment>,
    /// Population size [default: the longest list given, else 1]
    #[arg(long = "n", value_name = "N", allow_negative_numbers = true, value_parser = args::at_least_one)]
    pub n_neurons: Option<usize>,
    /// Input protocol added to the model's input parameter; syntax below
    #[arg(long, value_name = "SPEC")]
    pub input: Option<String>,
    /// Integration step in ms
    #[arg(long = "dt", value_name = "MS", default_value = "0.1", allow_negative_numbers = true, value_parser = args::positive_ms)]
    pub dt_ms: f64,
    /// Simulated time in ms
    #[arg(long = "duration", value_name = "MS", default_value = "100", allow_negative_numbers = true, value_parser = args::positive_ms)]
    pub duration_ms: f64,
    /// Integrator: euler, rk2, rk4 or exp_euler [default: the model's]
    #[arg(long, value_name = "NAME", value_parser = args::method)]
    pub method: Option<Method>,
    /// Seed of the random input terms (ou, poisson)
    #[arg(long, value_name = "SEED", default_value = "0", allow_negative_numbers = true, value_parser = args::seed)]
    pub seed: u64,
    /// Names to record: states, helpers or parameters [default: all states]
    #[arg(long, value_name = "A,B,...", value_parser = args::record_list)]
    pub record: Option<NameList>,
    /// Record every k-th step
    #[arg(long = "stride", value_name = "K", default_value = "1", allow_negative_numbers = true, value_parser = args::at_least_one)]
    pub record_stride: usize,
    /// Write traces and spikes to FILE.csv or FILE.json [default: print a summary]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Args)]
pub struct ModelsArgs {
    /// Show this model in detail [default: list all built-in models]
    #[arg(value_name = "ID")]
    pub id: Option<String>,
    /// Show the model in this file in detail (checks that it parses)
    #[arg(long, value_name = "PATH", conflicts_with = "id")]
    pub model_file: Option<PathBuf>,
}

#[derive(Args)]
pub struct FiArgs {
    #[command(flatten)]
    pub model: ModelChoice,
    /// First value of the swept parameter
    #[arg(long, value_name = "X", allow_negative_numbers = true, value_parser = args::number)]
    pub from: f64,
    /// Last value of the swept parameter (included)
    #[arg(long, value_name = "X", allow_negative_numbers = true, value_parser = args::number)]
    pub to: f64,
    /// Distance between swept values
    #[arg(long, value_name = "X", allow_negative_numbers = true, value_parser = args::number)]
    pub step: f64,
    /// The parameter to sweep [default: the model's input parameter]
    #[arg(long, value_name = "NAME")]
    pub param: Option<String>,
    /// Set another parameter, one value or one per swept value (repeatable)
    #[arg(long = "set", value_name = "NAME=V[,V...]", value_parser = args::assignment)]
    pub set: Vec<Assignment>,
    /// Set a state's initial value (repeatable)
    #[arg(long = "init", value_name = "NAME=V[,V...]", value_parser = args::assignment)]
    pub init: Vec<Assignment>,
    /// Simulated time in ms; rate = spike count / duration
    #[arg(long = "duration", value_name = "MS", default_value = "1000", allow_negative_numbers = true, value_parser = args::positive_ms)]
    pub duration_ms: f64,
    /// Integration step in ms
    #[arg(long = "dt", value_name = "MS", default_value = "0.1", allow_negative_numbers = true, value_parser = args::positive_ms)]
    pub dt_ms: f64,
    /// Integrator: euler, rk2, rk4 or exp_euler [default: the model's]
    #[arg(long, value_name = "NAME", value_parser = args::method)]
    pub method: Option<Method>,
    /// Write the curve to FILE.csv (PARAM,rate_hz) or FILE.json [default: print it]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Args)]
pub struct FigureArgs {
    /// The lesson and its settings as a share link: `lesson=6&fhn_hopf.I=0.5`, or a page link
    /// `…/lesson/06-reduced-models-practice?fhn_hopf.I=0.5`
    #[arg(long, value_name = "LINK")]
    pub state: String,
    /// The widget (`brainplay lessons` lists them) [default: the lesson's first simulator]
    #[arg(long, value_name = "ID")]
    pub widget: Option<String>,
    /// Write the figure's data to FILE.json [default: print a summary]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Args)]
pub struct ExportArgs {
    /// The lesson and its settings as a share link: `lesson=3&ap.I=10`, or a page link
    #[arg(long, value_name = "LINK")]
    pub state: String,
    /// The widget (`brainplay lessons` lists them) [default: the lesson's first simulator]
    #[arg(long, value_name = "ID")]
    pub widget: Option<String>,
    /// Write the script to FILE [default: print it]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

const EXPORT_EXAMPLES: &str = "\
Examples:
  brainplay export --state 'lesson=3&ap.I=10' --out hh.py
  brainplay export --state 'lesson=6&tonic.I=70' --widget tonic > adex.py

The script runs the widget's model (edited equations included), parameters, input, integrator,
step and duration in BrainPy 2.4 and plots what the page plots; `python FILE --save out.json`
writes the traces and spike times instead. A phase plane exports as BrainPy's PhasePlane2D
analysis (--save writes its fixed points), a phase line as PhasePlane1D, a sweep as its
population and measures. Other widgets say they have no export yet.
Exit codes: 0 done, 2 bad argument or a widget without an export.
";

const FIGURE_EXAMPLES: &str = "\
Examples:
  brainplay figure --state 'lesson=6' --widget fhn_hopf        (fixed points, Hopf points, limit cycles)
  brainplay figure --state 'lesson=5&sine.I=0.5' --widget sine (a phase line)
  brainplay figure --state 'lesson=8' --widget coba --out coba.json   (a synapse bench)
  brainplay figure --state 'lesson=7' --widget window          (the STDP window)

The JSON is the data the page draws (crates/lessons/src/figure.rs): one of Run, Sweep, Plane or
Line. Exit codes: 0 done, 2 bad argument, 3 the computation stopped (a NaN, or an analysis that
failed; what was computed is written).
";

const RUN_EXAMPLES: &str = "\
Examples:
  brainplay run --model hh --set I=10 --duration 100 --dt 0.01 --record V,m,h,n --out trace.csv
  brainplay run --model hh --set I=5,10,15 --out hh.json          (3 neurons, one per current)
  brainplay run --model lif --input 'pulses(amp=30, start=10, width=50, period=100)'
  brainplay run --model hh --input 'sections(values=[0, [1, 2, 4, 8, 10, 15], 0], durations=[10, 2, 25])'
  brainplay run --model-file my.model --set a=0.02 --method rk4 --out my.csv
  brainplay run --state 'lesson=3&ap.I=10' --out trace.csv          (a lesson's simulator, as a share link sets it)
  brainplay run --state 'https://…/lesson/04-hh-programming?rep.I=6' --widget rep --out rep.json

CSV: t_ms,V[0],V[1],...,m[0],... (one column per variable and neuron). JSON: {\"model\", \"dt_ms\",
\"t_ms\", \"vars\": {\"V\": [[neuron 0], ...]}, \"spike_times_ms\", \"warnings\", \"error\"}.
With --state, the duration, dt, method, parameters, input and seed come from the lesson and the
link; --record defaults to the widget's plotted variables, and keys the link cannot apply are
reported on stderr as notices.
Exit codes: 0 done, 2 bad argument, 3 the run stopped on a NaN (what was computed is written).
";

const FI_EXAMPLES: &str = "\
Examples:
  brainplay fi --model lif --from 0 --to 30 --step 0.5
  brainplay fi --model hh --from 0 --to 20 --step 1 --out fi.csv
  brainplay fi --model adex --param I --from 0 --to 200 --step 10 --set b=0 --out fi.json
";

const MODELS_EXAMPLES: &str = "\
Examples:
  brainplay models
  brainplay models hh
  brainplay models --model-file my.model
";

/// The command-line definition with the help texts that are built from other constants (clap's
/// attributes take only literals or single expressions).
fn command() -> clap::Command {
    Cli::command()
        .mut_subcommand("run", |c| {
            c.after_help(format!(
                "{RUN_EXAMPLES}\nInput spec syntax (--input):\n{SYNTAX_HELP}"
            ))
        })
        .mut_subcommand("fi", |c| c.after_help(FI_EXAMPLES))
        .mut_subcommand("figure", |c| c.after_help(FIGURE_EXAMPLES))
        .mut_subcommand("export", |c| c.after_help(EXPORT_EXAMPLES))
        .mut_subcommand("models", |c| c.after_help(MODELS_EXAMPLES))
}

fn main() -> ExitCode {
    let cli = match command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => return clap_exit(e),
    };
    // Commands write their output here and it is printed at the end: a closed pipe
    // (`brainplay models | head`) then cannot make a print panic halfway.
    let mut out = String::new();
    let result = match &cli.command {
        Command::Run(a) => run::run(a, &mut out),
        Command::Models(a) => match (&a.id, &a.model_file) {
            (_, Some(path)) => load::file(path).and_then(|m| models::detail(&m, &mut out)),
            (Some(id), None) => load::builtin(id).and_then(|m| models::detail(&m, &mut out)),
            (None, None) => models::list(&mut out),
        },
        Command::Fi(a) => fi::fi(a, &mut out),
        Command::Figure(a) => figure::figure(a, &mut out),
        Command::Export(a) => export::export(a, &mut out),
        Command::Lessons => lessons::list(&mut out),
    };
    let _ = std::io::stdout().write_all(out.as_bytes());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            let _ = writeln!(std::io::stderr(), "error: {failure}");
            ExitCode::from(failure.code as u8)
        }
    }
}

/// A notice on stderr that does not stop the command (parameter outside its range and such).
pub fn warn(message: &str) {
    let _ = writeln!(std::io::stderr(), "warning: {message}");
}

/// Help and version go out as clap writes them; argument errors become one line naming the
/// argument and pointing at the command's --help, with exit code 2.
fn clap_exit(e: clap::Error) -> ExitCode {
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return ExitCode::from(e.exit_code() as u8);
    }
    // Errors about a value carry no usage block to read the command from, so it is taken from
    // the command line: the first argument, when it names a subcommand.
    let subcommand = std::env::args()
        .nth(1)
        .filter(|a| command().get_subcommands().any(|c| c.get_name() == a));
    let _ = writeln!(
        std::io::stderr(),
        "{}",
        one_line(&e.render().to_string(), subcommand.as_deref())
    );
    ExitCode::from(EXIT_USAGE as u8)
}

/// clap's error text, `error: …`, continuation lines, tips and a usage block, as one line:
/// the usage block is replaced by a pointer to the command's --help.
fn one_line(rendered: &str, subcommand: Option<&str>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut help = match subcommand {
        Some(name) => format!("brainplay {name} --help"),
        None => "brainplay --help".to_string(),
    };
    for line in rendered.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(usage) = line.strip_prefix("Usage: ") {
            // `Usage: brainplay run [OPTIONS] …` → `brainplay run --help`.
            let words: Vec<_> = usage
                .split_whitespace()
                .take_while(|w| !w.starts_with(['[', '<', '-']))
                .collect();
            help = format!("{} --help", words.join(" "));
            break;
        }
        if line.starts_with("For more information") {
            break;
        }
        if let Some(tip) = line.strip_prefix("tip: ") {
            parts.push(format!("({tip})"));
        } else {
            parts.push(line.to_string());
        }
    }
    let mut message = parts.join(" ");
    if !message.starts_with("error:") {
        message.insert_str(0, "error: ");
    }
    format!("{message}; see `{help}`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_definition_is_consistent() {
        command().debug_assert();
    }

    fn check(rendered: &str, want: &str) {
        assert_eq!(one_line(rendered, None), want);
    }

    #[test]
    fn clap_errors_become_one_line() {
        check(
            "error: invalid value 'x' for '--dt <MS>': `x` is not a number\n\nFor more information, try '--help'.\n",
            "error: invalid value 'x' for '--dt <MS>': `x` is not a number; see `brainplay --help`",
        );
        assert_eq!(
            one_line(
                "error: invalid value 'x' for '--dt <MS>': bad\n",
                Some("fi")
            ),
            "error: invalid value 'x' for '--dt <MS>': bad; see `brainplay fi --help`"
        );
        check(
            "error: unexpected argument '--outt' found\n\n  tip: a similar argument exists: '--out'\n\nUsage: brainplay run <--model <ID>|--model-file <PATH>>\n\nFor more information, try '--help'.\n",
            "error: unexpected argument '--outt' found (a similar argument exists: '--out'); see `brainplay run --help`",
        );
        check(
            "error: the following required arguments were not provided:\n  <--model <ID>|--model-file <PATH>>\n\nUsage: brainplay fi --from <X> --to <X> --step <X> <--model <ID>|--model-file <PATH>>\n",
            "error: the following required arguments were not provided: <--model <ID>|--model-file <PATH>>; see `brainplay fi --help`",
        );
    }
}
