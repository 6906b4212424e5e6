//! Figures from a simulation: a simulator's traces, one list per plot, and a sweep's measures
//! against its swept parameter (one neuron per value).

use brainplay_sim::{msg, Message, Output};

use super::{Cache, Computation};
use crate::bilingual;
use crate::content::{Figured, Widget};
use crate::figure::{Figures, Issues, RunFigures, Series, SweepFigure};
use crate::measure::{value_of, Measure};
use crate::run::{Run, MAX_PLOTTED_SAMPLES};
use crate::setting::{Runnable, Setting};
use crate::text::format_number;

/// The names a widget's run records: a simulator's plotted variables, a sweep's measured ones.
/// A simulator's or sweep's run of `total` steps.
pub(super) struct RunWork {
    run: Box<Run>,
    total: usize,
    /// The parameter the input drives (its `target`, else the model's input), which names
    /// neurons driven by different input values.
    driven: String,
}

impl RunWork {
    pub(super) fn start(
        widget: Widget,
        setting: &Setting,
        model: &brainplay_sim::Model,
    ) -> Result<RunWork, Message> {
        // A sweep measures every step; a simulator's plots need no more samples than they can
        // show.
        let max_samples = matches!(widget, Widget::Simulator(_)).then_some(MAX_PLOTTED_SAMPLES);
        let run = Run::start(setting, model, &record(widget), max_samples)?;
        let total = run.steps_for(setting.duration_ms);
        let target = setting
            .input_spec()
            .ok()
            .flatten()
            .and_then(|spec| spec.target);
        let driven = target
            .or_else(|| Some(model.params.get(model.input?)?.name.clone()))
            // Without either, the run has already failed to start.
            .unwrap_or_default();
        Ok(RunWork {
            run: Box::new(run),
            total,
            driven,
        })
    }
}

impl Computation for RunWork {
    fn total_steps(&self) -> usize {
        self.total
    }
    fn steps_done(&self) -> usize {
        self.run.steps_done()
    }
    fn neurons(&self) -> usize {
        self.run.neurons()
    }
    fn advance(&mut self, steps: usize) -> bool {
        let left = self.total - self.run.steps_done();
        left > 0 && self.run.advance(steps.min(left)) && self.run.steps_done() < self.total
    }
    fn finish(
        self: Box<Self>,
        block: Figured,
        setting: &Setting,
        _: &mut Cache,
    ) -> Result<Figures, Message> {
        match block {
            Figured::Widget(widget) => Ok(figures(
                widget,
                setting,
                &self.driven,
                self.run.into_output(),
            )),
            Figured::SynapsePlot(_) => {
                Err(msg!("a synapse figure is not a run", "突触图不是一次模拟"))
            }
        }
    }
}

fn record(widget: Widget) -> Vec<String> {
    let mut names: Vec<String> = match widget {
        Widget::Simulator(s) => s.plots.iter().flat_map(|p| p.vars.clone()).collect(),
        Widget::FiCurve(f) => f.record(),
        Widget::PhasePlane(_) | Widget::PhaseLine(_) | Widget::Network(_) => Vec::new(),
    };
    let mut seen = std::collections::BTreeSet::new();
    names.retain(|n| seen.insert(n.clone()));
    names
}

/// A run's figures; `driven` (the parameter the input drives) names neurons driven by different
/// input values (`neuron_labels`).
pub(super) fn figures(widget: Widget, setting: &Setting, driven: &str, output: Output) -> Figures {
    let warnings = (output.warnings.iter().cloned())
        .chain(gaps(&output))
        .map(bilingual)
        .collect();
    let issues = Issues {
        error: output.error.as_ref().map(|e| bilingual(e.message())),
        warnings,
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
            let labels = neuron_labels(setting, driven, n);
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
            let patterns = match block.classify {
                true => patterns(&output.spike_times_ms, setting.duration_ms),
                false => Vec::new(),
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

/// A sentence for each recorded quantity that is not a finite number somewhere (a helper such
/// as `1/(V - E)` where V = E; states never are, the run stops first): the plot leaves those
/// points out, and says so rather than draw a silent gap.
fn gaps(output: &Output) -> Vec<Message> {
    let mut found = Vec::new();
    for (name, rows) in output.names.iter().zip(&output.traces) {
        let first = rows.iter().enumerate().find_map(|(k, row)| {
            row.iter()
                .position(|v| !v.is_finite())
                .map(|i| (k, i, row[i]))
        });
        if let Some((k, i, value)) = first {
            let t = format_number(output.t_ms.get(i).copied().unwrap_or(f64::NAN));
            found.push(msg!(
                "`{name}` is {value} at t = {t} ms (neuron {k}) and wherever else it is not a finite number, which the plot leaves out",
                "`{name}` 在 t = {t} ms（神经元 {k}）处为 {value}；图中略去了这一点及其他非有限值的点"
            ));
        }
    }
    found
}

/// How the legend tells the neurons of a population apart: by the first parameter that varies
/// between them, else by the first per-neuron input value (as the value of the `driven`
/// parameter: `I_ext = 5`), else by index. Notation only, the same in both languages.
pub fn neuron_labels(setting: &Setting, driven: &str, n: usize) -> Vec<String> {
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
            .map(|v| format!("{driven} = {}", format_number(*v)))
            .collect(),
        _ => (0..n).map(|k| format!("#{k}")).collect(),
    }
}

/// Each neuron's firing pattern, named (`brainplay_analysis::patterns`).
#[cfg(feature = "analysis")]
fn patterns(spike_times_ms: &[Vec<f64>], duration_ms: f64) -> Vec<String> {
    spike_times_ms
        .iter()
        .map(|spikes| {
            brainplay_analysis::classify(spikes, duration_ms)
                .label()
                .to_string()
        })
        .collect()
}

/// Without the analyses no pattern is named (the pages of the GPU worker, which has none, have
/// no simulator: the lesson validation holds them to that).
#[cfg(not(feature = "analysis"))]
fn patterns(_: &[Vec<f64>], _: f64) -> Vec<String> {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A recorded helper that is not finite somewhere is named with where it first is; finite
    /// traces say nothing.
    #[test]
    fn points_left_out_of_a_plot_are_reported() {
        let output = Output {
            t_ms: vec![0.0, 0.1, 0.2],
            steps: 3,
            names: vec!["V".into(), "ratio".into()],
            traces: vec![
                vec![vec![-65.0, -64.0, -63.0], vec![-65.0, -64.5, -64.0]],
                vec![vec![1.0, 2.0, 3.0], vec![1.0, f64::INFINITY, f64::NAN]],
            ],
            spike_times_ms: vec![Vec::new(), Vec::new()],
            ..Output::default()
        };
        let found = gaps(&output);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .en
                .starts_with("`ratio` is inf at t = 0.1 ms (neuron 1)"),
            "{}",
            found[0]
        );
        assert!(
            found[0]
                .zh
                .starts_with("`ratio` 在 t = 0.1 ms（神经元 1）处为 inf"),
            "{}",
            found[0].zh
        );
        assert!(gaps(&Output::default()).is_empty());
    }
}
