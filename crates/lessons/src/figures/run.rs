//! Figures from a simulation: a simulator's traces, one list per plot, and a sweep's measures
//! against its swept parameter (one neuron per value).

use brainplay_analysis::classify;
use brainplay_sim::Output;

use crate::content::Widget;
use crate::figure::{Figures, Issues, RunFigures, Series, SweepFigure};
use crate::measure::{value_of, Measure};
use crate::setting::{Runnable, Setting};
use crate::text::format_number;

/// The names a widget's run records: a simulator's plotted variables, a sweep's measured ones.
pub(super) fn record(widget: Widget) -> Vec<String> {
    let mut names: Vec<String> = match widget {
        Widget::Simulator(s) => s.plots.iter().flat_map(|p| p.vars.clone()).collect(),
        Widget::FiCurve(f) => f.record(),
        Widget::PhasePlane(_) | Widget::PhaseLine(_) | Widget::Network(_) => Vec::new(),
    };
    let mut seen = std::collections::BTreeSet::new();
    names.retain(|n| seen.insert(n.clone()));
    names
}

pub(super) fn figures(widget: Widget, setting: &Setting, output: Output) -> Figures {
    let issues = Issues {
        error: output.error.as_ref().map(ToString::to_string),
        warnings: output.warnings.clone(),
    };
    match widget {
        Widget::FiCurve(block) => {
            let neurons = output.spike_times_ms.len();
            let series = block
                .measures
                .iter()
                .map(|measure| Series {
                    // A final value is named by its variable alone: `m_inf`, not `final:m_inf`.
                    name: match measure {
                        _ if block.measures.len() == 1 => String::new(),
                        Measure::Final(var) => var.clone(),
                        other => other.to_string(),
                    },
                    values: (0..neurons)
                        .map(|k| {
                            value_of(measure, &output, k, setting.duration_ms).unwrap_or(f64::NAN)
                        })
                        .collect(),
                })
                .collect();
            Figures::Sweep(SweepFigure {
                x: block.values(),
                series,
                issues,
            })
        }
        Widget::Simulator(block) => {
            let n = output.spike_times_ms.len();
            let labels = neuron_labels(setting, n);
            let plots = block
                .plots
                .iter()
                .map(|plot| {
                    let mut series = Vec::new();
                    for var in &plot.vars {
                        for (k, label) in labels.iter().enumerate() {
                            let Some(values) = output.trace(var, k) else {
                                continue;
                            };
                            let name = match (n, plot.vars.len()) {
                                (1, 1) => String::new(),
                                (1, _) => var.clone(),
                                (_, 1) => label.clone(),
                                _ => format!("{var} · {label}"),
                            };
                            series.push(Series {
                                name,
                                values: values.to_vec(),
                            });
                        }
                    }
                    series
                })
                .collect();
            let patterns = if block.classify {
                output
                    .spike_times_ms
                    .iter()
                    .map(|spikes| classify(spikes, setting.duration_ms).label().to_string())
                    .collect()
            } else {
                Vec::new()
            };
            Figures::Run(RunFigures {
                t_ms: output.t_ms,
                plots,
                spike_times_ms: output.spike_times_ms,
                patterns,
                issues,
            })
        }
        // `start` runs only simulators and sweeps this way.
        Widget::PhasePlane(_) | Widget::PhaseLine(_) | Widget::Network(_) => {
            Figures::Run(RunFigures {
                issues,
                ..RunFigures::default()
            })
        }
    }
}

/// How the legend tells the neurons of a population apart: by the first parameter that varies
/// between them, else by the first per-neuron input value, else by index.
pub fn neuron_labels(setting: &Setting, n: usize) -> Vec<String> {
    if let Some((name, values)) = setting.params.iter().find(|(_, v)| v.len() > 1) {
        return values
            .iter()
            .map(|v| format!("{name} = {}", format_number(*v)))
            .collect();
    }
    let per_neuron_input = setting.input_spec().ok().flatten().and_then(|spec| {
        spec.per_neuron_values()
            .first()
            .map(|(_, _, values)| values.to_vec())
    });
    match per_neuron_input {
        Some(list) if list.len() == n => list
            .iter()
            .map(|v| format!("input {}", format_number(*v)))
            .collect(),
        _ => (0..n).map(|k| format!("#{k}")).collect(),
    }
}
