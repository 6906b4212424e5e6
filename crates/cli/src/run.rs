//! `brainplay run`: one simulation of a model or a population of it, written to CSV or JSON,
//! or summarised on stdout.

use std::fmt::Write;

use brainplay_sim::input::InputSpec;
use brainplay_sim::population::{self, input_lists};
use brainplay_sim::stats::firing_rate_hz;
use brainplay_sim::{Message, Model, Output, Setup, Simulation};

use crate::args::{self, assignment_lists, pairs, tidy};
use crate::failure::Failure;
use crate::state::Plan;
use crate::write::{self, Format, RunInfo};
use crate::{warn, RunArgs};

/// The most values one run may record (about 2 GB of memory, and more as CSV text): past it a
/// run would more likely exhaust the machine than be what the user meant.
const MAX_RECORDED_VALUES: usize = 250_000_000;

/// The summary lists this many neurons one by one; larger populations get their mean.
const SUMMARY_NEURONS: usize = 20;

pub fn run(a: &RunArgs, out: &mut String) -> Result<(), Failure> {
    // Everything that can be checked without simulating is checked first.
    let format = a.out.as_deref().map(write::format_of).transpose()?;
    // Without --out only spikes are summarised, so nothing is recorded.
    let recording = format.is_some();
    let plan = match &a.state {
        Some(link) => crate::state::plan(link, a.widget.as_deref(), recording, a.record.as_ref())?,
        None => plan_from_flags(a, recording)?,
    };
    let Plan {
        model,
        mut setup,
        duration_ms,
        origin,
    } = plan;
    setup.record_stride = a.record_stride;
    let n_neurons = setup.n;
    let dt_ms = setup.dt_ms;
    let mut sim = Simulation::new(&model, &setup).map_err(|e| Failure::usage(e.to_string()))?;
    let steps = sim.steps_for(duration_ms);
    if steps == 0 {
        return Err(Failure::usage(format!(
            "--duration {duration_ms} ms is shorter than one step of --dt {dt_ms} ms; give a longer duration"
        )));
    }
    check_recording_size(&sim.output().names, n_neurons, steps, a.record_stride)?;
    for w in &sim.output().warnings {
        warn(&w.en);
    }

    let file = match &a.out {
        Some(path) => Some(write::create(path)?),
        None => None,
    };
    sim.advance(steps);
    let output = sim.into_output();

    let method = setup.method.unwrap_or(model.method);
    if let (Some(path), Some(mut file), Some(format)) = (&a.out, file, format) {
        let written = match format {
            Format::Csv => write::run_csv(&mut file, &output),
            Format::Json => {
                let info = RunInfo {
                    model_id: &model.id,
                    method: method.name(),
                    n_neurons,
                    dt_ms,
                    duration_ms,
                    record_stride: a.record_stride,
                    seed: setup.seed,
                    input: setup.input.as_ref().map(|s| s.to_string()),
                };
                write::run_json(&mut file, &info, &output)
            }
        };
        write::finish(path, file, written)?;
    }

    if let Some(origin) = &origin {
        writeln!(out, "{origin}")?;
    }
    summary(&model, &setup, steps, duration_ms, &output, out)?;
    if let Some(path) = &a.out {
        writeln!(
            out,
            "wrote {} samples of {} to {}",
            output.t_ms.len(),
            output.names.join(", "),
            path.display()
        )?;
    }
    match &output.error {
        Some(e) => Err(Failure::non_finite(format!(
            "{e}{}; a smaller --dt or another --method may keep it finite",
            if a.out.is_some() {
                " (the samples before it are written)"
            } else {
                ""
            }
        ))),
        None => Ok(()),
    }
}

/// The run that `--model`/`--model-file` and the other flags describe.
fn plan_from_flags(a: &RunArgs, recording: bool) -> Result<Plan, Failure> {
    let model = a.model.load()?;
    let input = a.input.as_deref().map(parse_input).transpose()?;
    args::no_repeats("--set", &a.set).map_err(Failure::usage)?;
    args::no_repeats("--init", &a.init).map_err(Failure::usage)?;

    let mut lists = assignment_lists("--set", &a.set);
    lists.extend(assignment_lists("--init", &a.init));
    if let Some(spec) = &input {
        lists.extend(input_lists(spec, &Message::new("--input", "--input")));
    }
    let why = format!("--n {}", a.n_neurons.unwrap_or(0));
    let n_neurons =
        population::size(a.n_neurons.map(|n| (n, why.as_str())), &lists).map_err(Failure::usage)?;

    let record = match (recording, &a.record) {
        (false, _) => Vec::new(),
        (true, Some(names)) => names.0.clone(),
        (true, None) => model.states.iter().map(|s| s.name.clone()).collect(),
    };
    let setup = Setup {
        n: n_neurons,
        dt_ms: a.dt_ms,
        method: a.method,
        params: pairs(&a.set),
        init: pairs(&a.init),
        input,
        seed: a.seed,
        record,
        // Fields added to `Setup` later keep their defaults.
        ..Setup::default()
    };
    Ok(Plan {
        model,
        setup,
        duration_ms: a.duration_ms,
        origin: None,
    })
}

/// Parses `--input`; a malformed spec is shown with a caret under the problem.
fn parse_input(text: &str) -> Result<InputSpec, Failure> {
    InputSpec::parse(text).map_err(|e| {
        Failure::usage(format!(
            "--input is not a valid input spec (`brainplay run --help` shows the syntax):\n  {}",
            e.render(text).en.replace('\n', "\n  ")
        ))
    })
}

/// Refuses recordings too large to hold, before any time is spent simulating them.
fn check_recording_size(
    names: &[String],
    n_neurons: usize,
    steps: usize,
    stride: usize,
) -> Result<(), Failure> {
    let samples = steps.div_ceil(stride);
    let values = samples
        .saturating_mul(n_neurons)
        .saturating_mul(names.len());
    if values > MAX_RECORDED_VALUES {
        return Err(Failure::usage(format!(
            "recording {} for {n_neurons} neurons over {samples} samples is {values} values, more than the limit of {MAX_RECORDED_VALUES}; record fewer names with --record, every k-th step with --stride k, or fewer neurons",
            names.join(", ")
        )));
    }
    Ok(())
}

/// Steps, and per neuron the spike count and rate.
fn summary(
    model: &Model,
    setup: &Setup,
    steps: usize,
    duration_ms: f64,
    output: &Output,
    out: &mut String,
) -> Result<(), Failure> {
    let method = setup.method.unwrap_or(model.method);
    let n_neurons = setup.n;
    writeln!(
        out,
        "{}: {n_neurons} neuron{}, {steps} steps of {} ms ({duration_ms} ms), method {method}",
        model.id,
        if n_neurons == 1 { "" } else { "s" },
        setup.dt_ms,
    )?;
    if let Some(spec) = &setup.input {
        writeln!(out, "input: {spec}")?;
    }
    // A run that stopped early is rated over the time it actually simulated.
    let simulated_ms = output.error.as_ref().map_or(duration_ms, |e| e.t_ms);
    if model.spike.is_none() {
        writeln!(
            out,
            "{} has no spike rule, so there are no spikes",
            model.id
        )?;
    } else {
        spike_table(&output.spike_times_ms, simulated_ms, out)?;
    }
    if !output.warnings.is_empty() {
        // The warnings themselves went to stderr before the run.
        let count = output.warnings.len();
        writeln!(
            out,
            "{count} warning{} (on stderr)",
            if count == 1 { "" } else { "s" }
        )?;
    }
    Ok(())
}

/// Spike count and rate per neuron, and for a population the total and the mean rate.
fn spike_table(
    spike_times_ms: &[Vec<f64>],
    simulated_ms: f64,
    out: &mut String,
) -> Result<(), Failure> {
    let n_neurons = spike_times_ms.len();
    let rates: Vec<f64> = spike_times_ms
        .iter()
        .map(|t| firing_rate_hz(t, 0.0, simulated_ms))
        .collect();
    writeln!(out, "neuron  spikes  rate_hz")?;
    for (k, (spikes, rate)) in spike_times_ms.iter().zip(&rates).enumerate() {
        if k == SUMMARY_NEURONS {
            writeln!(out, "... {} more neurons", n_neurons - SUMMARY_NEURONS)?;
            break;
        }
        writeln!(out, "{k:<7} {:<7} {}", spikes.len(), tidy(*rate))?;
    }
    if n_neurons > 1 {
        let total: usize = spike_times_ms.iter().map(Vec::len).sum();
        let mean = rates.iter().sum::<f64>() / n_neurons as f64;
        writeln!(out, "all     {total:<7} {} (mean per neuron)", tidy(mean))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recording_size_is_bounded() {
        let names = ["V".to_string(), "m".to_string()];
        assert!(check_recording_size(&names, 1, 10_000, 1).is_ok());
        let e = check_recording_size(&names, 1_000_000, 1_000, 1).unwrap_err();
        assert!(e.message.contains("--stride"), "{}", e.message);
        assert!(check_recording_size(&names, 1_000_000, 1_000, 10).is_ok());
        assert!(check_recording_size(&[], 1_000_000, 1_000_000, 1).is_ok());
    }

    #[test]
    fn bad_specs_are_shown_with_a_caret() {
        let e = parse_input("pulses(amp=1, strat=2)").unwrap_err();
        assert_eq!(e.code, crate::failure::EXIT_USAGE);
        let lines: Vec<_> = e.message.lines().collect();
        assert_eq!(lines.len(), 3, "{}", e.message);
        assert_eq!(lines[1], "  pulses(amp=1, strat=2)");
        assert!(lines[2].starts_with("                ^ "), "{}", e.message);
    }
}
