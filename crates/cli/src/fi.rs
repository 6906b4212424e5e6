//! `brainplay fi`: the f-I curve. One population run with one neuron per swept value, so the
//! whole curve costs one simulation; rate = spike count / duration.

use std::fmt::Write;

use brainplay_sim::population;
use brainplay_sim::stats::firing_rate_hz;
use brainplay_sim::{Model, Setup, Simulation};

use crate::args::{self, assignment_lists, pairs};
use crate::failure::Failure;
use crate::write::{self, english, FiCurve, Format};
use crate::{warn, FiArgs};

pub fn fi(a: &FiArgs, out: &mut String) -> Result<(), Failure> {
    let model = a.model.load()?;
    let format = a.out.as_deref().map(write::format_of).transpose()?;
    let param = swept_param(&model, a.param.as_deref())?;
    let param_name = model.params[param].name.as_str();
    let values = args::sweep(a.from, a.to, a.step).map_err(Failure::usage)?;
    args::no_repeats("--set", &a.set).map_err(Failure::usage)?;
    args::no_repeats("--init", &a.init).map_err(Failure::usage)?;
    if a.set.iter().any(|s| s.name == param_name) {
        return Err(Failure::usage(format!(
            "--set {param_name} conflicts with the sweep over {param_name}; drop it, or sweep another parameter with --param"
        )));
    }
    let mut lists = assignment_lists("--set", &a.set);
    lists.extend(assignment_lists("--init", &a.init));
    let why = format!("one per swept value of {param_name}");
    population::size(Some((values.len(), why.as_str())), &lists).map_err(Failure::usage)?;

    let mut params = pairs(&a.set);
    params.push((param_name.to_string(), values.clone()));
    let setup = Setup {
        n: values.len(),
        dt_ms: a.dt_ms,
        method: a.method,
        params,
        init: pairs(&a.init),
        // Only spikes are needed; recording every step would only cost memory.
        record: Vec::new(),
        ..Setup::default()
    };
    let mut sim = Simulation::new(&model, &setup).map_err(|e| Failure::usage(e.to_string()))?;
    let steps = sim.steps_for(a.duration_ms);
    if steps == 0 {
        return Err(Failure::usage(format!(
            "--duration {} ms is shorter than one step of --dt {} ms; give a longer duration",
            a.duration_ms, a.dt_ms
        )));
    }
    for w in &sim.output().warnings {
        warn(&w.en);
    }
    if model.spike.is_none() {
        warn(&format!(
            "{} has no spike rule, so every rate is 0",
            model.id
        ));
    }
    let file = match &a.out {
        Some(path) => Some(write::create(path)?),
        None => None,
    };
    sim.advance(steps);
    let output = sim.into_output();

    // A run that stopped early is rated over the time it actually simulated.
    let simulated_ms = output.error.as_ref().map_or(a.duration_ms, |e| e.t_ms);
    let rates_hz: Vec<f64> = output
        .spike_times_ms
        .iter()
        .map(|t| firing_rate_hz(t, 0.0, simulated_ms))
        .collect();
    let rheobase = values
        .iter()
        .zip(&rates_hz)
        .find(|(_, &r)| r > 0.0)
        .map(|(&v, _)| v);
    let rheobase_text = match rheobase {
        Some(v) => format!(
            "rheobase: {param_name} = {v}{} (the first swept value with rate > 0, to within --step {})",
            unit_suffix(&model.params[param].unit),
            a.step
        ),
        None => format!(
            "rheobase: none in [{}, {}]: no swept value of {param_name} made the neuron fire",
            a.from, a.to
        ),
    };

    match (&a.out, file, format) {
        (Some(path), Some(mut file), Some(format)) => {
            let written = match format {
                Format::Csv => write::fi_csv(&mut file, param_name, &values, &rates_hz),
                Format::Json => {
                    let curve = FiCurve {
                        model_id: &model.id,
                        method: a.method.unwrap_or(model.method).name(),
                        param: param_name,
                        unit: &model.params[param].unit,
                        dt_ms: a.dt_ms,
                        duration_ms: a.duration_ms,
                        values: &values,
                        rates_hz: &rates_hz,
                        rheobase,
                        warnings: &english(&output.warnings),
                        error: output.error.as_ref().map(|e| e.to_string()),
                    };
                    write::fi_json(&mut file, &curve)
                }
            };
            write::finish(path, file, written)?;
            writeln!(
                out,
                "wrote {} rates to {}\n{rheobase_text}",
                values.len(),
                path.display()
            )?;
        }
        _ => {
            let mut table = Vec::new();
            // Writing into a Vec cannot fail.
            let _ = write::fi_csv(&mut table, param_name, &values, &rates_hz);
            out.push_str(&String::from_utf8_lossy(&table));
            // A `#` line, so the printed table still loads as CSV with comments allowed.
            writeln!(out, "# {rheobase_text}")?;
        }
    }
    match &output.error {
        Some(e) => Err(Failure::non_finite(format!(
            "{e}; the rates are over the {simulated_ms} ms before it. A smaller --dt or another --method may keep it finite"
        ))),
        None => Ok(()),
    }
}

/// ` mV` after a value, or nothing for the dimensionless unit `1`.
fn unit_suffix(unit: &str) -> String {
    if unit == "1" {
        String::new()
    } else {
        format!(" {unit}")
    }
}

/// The parameter to sweep: `--param`, else the model's input parameter.
fn swept_param(model: &Model, name: Option<&str>) -> Result<usize, Failure> {
    let known = || {
        model
            .params
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match name {
        Some(name) => model.param_index(name).ok_or_else(|| {
            Failure::usage(format!(
                "--param {name}: {} has no parameter `{name}`; it has {}",
                model.id,
                known()
            ))
        }),
        None => model.input.ok_or_else(|| {
            Failure::usage(format!(
                "{} declares no input parameter; name the one to sweep with --param (one of {})",
                model.id,
                known()
            ))
        }),
    }
}
