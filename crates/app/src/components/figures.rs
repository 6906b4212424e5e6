//! From a run's output to the figures a simulator block shows.

use brainplay_lessons::content::Plot;
use brainplay_lessons::setting::Setting;
use brainplay_sim::Output;

use crate::components::param_control::format_value;
use crate::components::plot::{Figure, Trace};
use crate::i18n::{ui, Lang};

/// How the legend tells the neurons of a population apart: by the first parameter that varies
/// between them, else by the first per-neuron input value, else by index.
pub fn neuron_labels(setting: &Setting, n: usize) -> Vec<String> {
    if let Some((name, values)) = setting.params.iter().find(|(_, v)| v.len() > 1) {
        return values
            .iter()
            .map(|v| format!("{name} = {}", format_value(*v)))
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
            .map(|v| format!("input {}", format_value(*v)))
            .collect(),
        _ => (0..n).map(|k| format!("#{k}")).collect(),
    }
}

pub fn figures(output: &Output, plots: &[Plot], setting: &Setting, lang: Lang) -> Vec<Figure> {
    let n = output.spike_times_ms.len();
    let labels = neuron_labels(setting, n);
    plots
        .iter()
        .map(|plot| {
            let mut traces = Vec::new();
            for var in &plot.vars {
                for (k, label) in labels.iter().enumerate() {
                    if let Some(values) = output.trace(var, k) {
                        let name = if n == 1 && plot.vars.len() == 1 {
                            String::new()
                        } else if n == 1 {
                            var.clone()
                        } else if plot.vars.len() == 1 {
                            label.clone()
                        } else {
                            format!("{var} · {label}")
                        };
                        traces.push(Trace {
                            name,
                            values: values.to_vec(),
                        });
                    }
                }
            }
            let y_name = plot
                .y_label
                .as_ref()
                .map_or_else(|| plot.vars.join(", "), |t| t.get(lang).to_string());
            let y_label = match &plot.y_unit {
                Some(unit) if !unit.is_empty() && unit != "1" => format!("{y_name} ({unit})"),
                _ => y_name,
            };
            Figure {
                title: plot.title.get(lang).to_string(),
                x_label: ui("time_ms", lang).to_string(),
                y_label,
                x: output.t_ms.clone(),
                traces,
            }
        })
        .collect()
}
