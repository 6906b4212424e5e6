//! A network block: sliders for the network's parameters, its input, and its figures (spike
//! raster, population rates, one neuron's balance of excitation and inhibition). Long runs
//! report progress and can be cancelled (`JobStatusView`).

use brainplay_content::content::{Network, NetworkPlot};
use brainplay_content::figure::{
    Backend, Choices, Figures, NetworkFigures, Panel, ReservoirFigures, RingFigures,
};
use brainplay_content::model_info::ModelInfo;
use brainplay_content::setting::Setting;
use leptos::prelude::*;

use crate::components::controls::{setting_controls, SettingActions};
use crate::components::figures::traces;
use crate::components::heatmap::{Heatmap, HeatmapData};
use crate::components::input_editor::InputEditor;
use crate::components::job_status::{figures_so_far, JobStatusView};
use crate::components::markdown::Markdown;
use crate::components::plot::{Figure, Plot, Trace};
use crate::components::raster::RasterPlot;
use crate::components::training::TrainingActions;
use crate::compute::{Job, JobStatus};
use crate::i18n::{tr, ui, use_lang, Lang};

/// The population rates, with the input scaled onto the rates' range when it varies (the
/// course's normalised F9.3 and F9.4).
fn rates_with_input_figure(f: &NetworkFigures, lang: Lang) -> Figure {
    let mut figure = rates_figure(f, lang);
    let input = f.inputs.first().map_or(&[][..], |s| &s.values[..]);
    let (lo, hi) = input
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    let top = f
        .rates
        .iter()
        .flat_map(|s| &s.values)
        .fold(0.0_f64, |m, &v| m.max(v));
    if hi > lo && top > 0.0 {
        figure.traces.push(Trace {
            name: ui("input_scaled", lang).to_string(),
            values: input.iter().map(|v| (v - lo) / (hi - lo) * top).collect(),
        });
    }
    figure
}

/// The inputs in their own units (a decision network's stimulus rates, F10.1's last panel).
fn inputs_figure(f: &NetworkFigures, lang: Lang) -> Figure {
    Figure {
        title: ui("stimulus_rates", lang).to_string(),
        x_label: ui("time_ms", lang).to_string(),
        y_label: ui("rate", lang).to_string(),
        x: f.t_ms.clone(),
        traces: traces(&f.inputs),
    }
}

/// The mean decision time at each coherence, over the trials so far that decided.
fn chronometric_figure(f: &NetworkFigures, lang: Lang) -> Figure {
    choices_figure(f, lang, "chronometric", "decision_time_ms", |c| {
        c.decision_ms.iter().sum::<f64>() / c.decision_ms.len() as f64
    })
}

/// One value per coherence of the trials so far (a gap where none ran yet).
fn choices_figure(
    f: &NetworkFigures,
    lang: Lang,
    title: &str,
    y_label: &str,
    value: fn(&Choices) -> f64,
) -> Figure {
    let trials: usize = f.choices.iter().map(|c| c.trials).sum();
    Figure {
        title: format!("{} ({trials} {})", ui(title, lang), ui("trials_done", lang)),
        x_label: ui("coherence_pct", lang).to_string(),
        y_label: ui(y_label, lang).to_string(),
        x: f.choices.iter().map(|c| c.coherence_pct).collect(),
        traces: vec![Trace {
            name: ui(y_label, lang).to_string(),
            values: f.choices.iter().map(value).collect(),
        }],
    }
}

/// The psychometric curve with chance (50 %) beside it, which also keeps the axis from
/// collapsing while every trial so far went one way.
fn psychometric_figure(f: &NetworkFigures, lang: Lang) -> Figure {
    let mut figure = choices_figure(f, lang, "psychometric", "a_wins_pct", |c| {
        100.0 * c.a_wins as f64 / c.trials as f64
    });
    figure.traces.push(Trace {
        name: ui("chance", lang).to_string(),
        values: vec![50.0; figure.x.len()],
    });
    figure
}

fn rates_figure(f: &NetworkFigures, lang: Lang) -> Figure {
    Figure {
        title: ui("population_rates", lang).to_string(),
        x_label: ui("time_ms", lang).to_string(),
        y_label: ui("rate", lang).to_string(),
        x: f.t_ms.clone(),
        traces: traces(&f.rates),
    }
}

fn balance_figure(f: &NetworkFigures, lang: Lang) -> Figure {
    let title = match lang {
        Lang::En => format!("Synaptic input of excitatory neuron {}", f.balance_neuron),
        Lang::Zh => format!("兴奋性神经元 {} 的突触输入", f.balance_neuron),
    };
    Figure {
        title,
        x_label: ui("time_ms", lang).to_string(),
        y_label: ui("synaptic_current", lang).to_string(),
        x: f.balance_t_ms.clone(),
        traces: traces(&f.balance),
    }
}

/// A ring's activity profiles at its snapshot times, with the input.
fn profiles_figure(f: &RingFigures, lang: Lang) -> Figure {
    let mut traces = Vec::new();
    for s in &f.snapshots {
        let t = format!("{} ms", s.t_ms);
        traces.push(Trace {
            name: format!("u, t = {t}"),
            values: s.u.clone(),
        });
        if s.input.iter().any(|v| *v != 0.0) {
            traces.push(Trace {
                name: format!("{}, t = {t}", ui("input", lang)),
                values: s.input.clone(),
            });
        }
    }
    Figure {
        title: ui("ring_profiles", lang).to_string(),
        x_label: ui("position_rad", lang).to_string(),
        y_label: "u".into(),
        x: f.x.clone(),
        traces,
    }
}

/// The bump's centre and the stimulus' position (a gap while it is off) against time.
fn centre_figure(f: &RingFigures, lang: Lang) -> Figure {
    Figure {
        title: ui("ring_centre", lang).to_string(),
        x_label: ui("time_ms", lang).to_string(),
        y_label: ui("position_rad", lang).to_string(),
        x: f.t_ms.clone(),
        traces: vec![
            Trace {
                name: ui("bump_centre", lang).to_string(),
                values: f.centre.clone(),
            },
            Trace {
                name: ui("stimulus", lang).to_string(),
                values: f.stimulus.clone(),
            },
        ],
    }
}

/// The start of a reservoir's input series.
fn series_figure(f: &ReservoirFigures, lang: Lang) -> Figure {
    Figure {
        title: ui("mg_series", lang).to_string(),
        x_label: ui("time_units", lang).to_string(),
        y_label: "P(t)".into(),
        x: f.series_t.clone(),
        traces: vec![Trace {
            name: String::new(),
            values: f.series.clone(),
        }],
    }
}

/// The series against itself a delay earlier (the course's F12.1, right).
fn phase_figure(f: &ReservoirFigures, lang: Lang) -> Figure {
    Figure {
        title: ui("mg_phase", lang).to_string(),
        x_label: "P(t − τ)".into(),
        y_label: "P(t)".into(),
        x: f.delayed.clone(),
        traces: vec![Trace {
            name: String::new(),
            values: f.series.clone(),
        }],
    }
}

/// The test's prediction against the truth, with both errors in the title.
fn prediction_figure(f: &ReservoirFigures, lang: Lang) -> Figure {
    let error = |e: Option<f64>| e.map_or("…".to_string(), |e| format!("{e:.2e}"));
    Figure {
        title: format!(
            "{} ({} {}, {} {})",
            ui("test_prediction", lang),
            ui("train_mse", lang),
            error(f.train_mse),
            ui("test_mse", lang),
            error(f.test_mse)
        ),
        x_label: ui("time_units", lang).to_string(),
        y_label: "P".into(),
        x: f.test_t.clone(),
        traces: vec![
            Trace {
                name: ui("truth", lang).to_string(),
                values: f.truth.clone(),
            },
            Trace {
                name: ui("prediction", lang).to_string(),
                values: f.prediction.clone(),
            },
        ],
    }
}

/// The first units over the test, with the share of saturated states (|h| > 0.95).
fn states_figure(f: &ReservoirFigures, lang: Lang) -> Figure {
    Figure {
        title: format!(
            "{} ({:.0} % {})",
            ui("reservoir_states", lang),
            100.0 * f.saturation,
            ui("saturated", lang)
        ),
        x_label: ui("time_units", lang).to_string(),
        y_label: ui("state", lang).to_string(),
        x: f.states_t.clone(),
        traces: traces(&f.states),
    }
}

/// A training run's panel, labelled in the page's language.
fn panel_figure(p: &Panel, lang: Lang) -> Figure {
    Figure {
        title: p.title.get(lang).to_string(),
        x_label: p.x_label.get(lang).to_string(),
        y_label: p.y_label.get(lang).to_string(),
        x: p.x.clone(),
        traces: p
            .lines
            .iter()
            .map(|l| Trace {
                name: l.name.get(lang).to_string(),
                values: l.values.clone(),
            })
            .collect(),
    }
}

/// The panel shown as `plot`, when the figures are a training run's.
fn training_panel(f: &Figures, plot: NetworkPlot, lang: Lang) -> Option<Figure> {
    match f {
        Figures::Training(t) => t.panel(plot).map(|p| panel_figure(p, lang)),
        _ => None,
    }
}

/// The latest figures the job has given (finished or partial), kept while it runs again.
fn latest(status: RwSignal<JobStatus>) -> Memo<Option<Figures>> {
    Memo::new(move |previous: Option<&Option<Figures>>| {
        status.with(|st| match figures_so_far(st) {
            Some(f) => Some(f.clone()),
            None => previous.cloned().flatten(),
        })
    })
}

fn network(f: &Figures) -> Option<&NetworkFigures> {
    match f {
        Figures::Network(f) => Some(f),
        _ => None,
    }
}

fn ring(f: &Figures) -> Option<&RingFigures> {
    match f {
        Figures::Ring(f) => Some(f),
        _ => None,
    }
}

fn reservoir(f: &Figures) -> Option<&ReservoirFigures> {
    match f {
        Figures::Reservoir(f) => Some(f),
        _ => None,
    }
}

/// A plot of what `make` draws from the latest figures in `source` (one function for every
/// kind of figure, so the page's code is not repeated per kind).
fn plot_of(
    source: Memo<Option<Figures>>,
    make: fn(&Figures, Lang) -> Option<Figure>,
    lang: RwSignal<Lang>,
    block: &str,
    name: &str,
) -> AnyView {
    let figure = Memo::new(move |_| {
        source.with(|f| {
            f.as_ref()
                .and_then(|f| make(f, lang.get()))
                .unwrap_or_default()
        })
    });
    view! { <Plot figure=figure file_stem=format!("{block}-{name}") /> }.into_any()
}

#[component]
pub fn NetworkBlock(
    block: &'static Network,
    setting: RwSignal<Setting>,
    /// The network's parameters, as a model's.
    model: ModelInfo,
) -> impl IntoView {
    let lang = use_lang();
    let defaults = Setting::from_network(block);
    let job = Job::following(&block.id, setting);
    let figures = latest(job.status);
    let duration_ms = Signal::derive(move || setting.with(|s| s.duration_ms));
    let controls = setting_controls(&model, block.controls.as_ref(), &defaults, setting);
    let input_text = Signal::derive(move || setting.with(|s| s.input.clone().unwrap_or_default()));
    let on_input = Callback::new(move |text: String| {
        setting.update(|s| s.input = (!text.trim().is_empty()).then_some(text));
    });
    let plots = block
        .plots
        .iter()
        .map(|plot| match plot {
            NetworkPlot::Raster => {
                let groups = Memo::new(move |_| {
                    figures.with(|f| match f {
                        Some(Figures::Network(f)) => f.groups.clone(),
                        Some(Figures::Training(f)) => f.groups.clone(),
                        _ => Vec::new(),
                    })
                });
                // A training run's rasters span their own time (a sample, a code's window).
                let span_ms = Signal::derive(move || {
                    figures.with(|f| match f {
                        Some(Figures::Training(f)) => f.raster_ms,
                        _ => duration_ms.get(),
                    })
                });
                view! { <RasterPlot groups=groups duration_ms=span_ms /> }.into_any()
            }
            // The inputs go into the rates' figure unless they have their own.
            NetworkPlot::Rates if block.plots.contains(&NetworkPlot::Inputs) => plot_of(
                figures,
                |f, l| network(f).map(|f| rates_figure(f, l)),
                lang,
                &block.id,
                "rates",
            ),
            NetworkPlot::Rates => plot_of(
                figures,
                |f, l| network(f).map(|f| rates_with_input_figure(f, l)),
                lang,
                &block.id,
                "rates",
            ),
            NetworkPlot::Inputs => plot_of(
                figures,
                |f, l| network(f).map(|f| inputs_figure(f, l)),
                lang,
                &block.id,
                "inputs",
            ),
            NetworkPlot::Psychometric => plot_of(
                figures,
                |f, l| {
                    network(f)
                        .map(|f| psychometric_figure(f, l))
                        .or_else(|| training_panel(f, NetworkPlot::Psychometric, l))
                },
                lang,
                &block.id,
                "psychometric",
            ),
            NetworkPlot::Chronometric => plot_of(
                figures,
                |f, l| network(f).map(|f| chronometric_figure(f, l)),
                lang,
                &block.id,
                "chronometric",
            ),
            NetworkPlot::Balance => plot_of(
                figures,
                |f, l| network(f).map(|f| balance_figure(f, l)),
                lang,
                &block.id,
                "balance",
            ),
            NetworkPlot::Profiles => plot_of(
                figures,
                |f, l| ring(f).map(|f| profiles_figure(f, l)),
                lang,
                &block.id,
                "profiles",
            ),
            NetworkPlot::Series => plot_of(
                figures,
                |f, l| reservoir(f).map(|f| series_figure(f, l)),
                lang,
                &block.id,
                "series",
            ),
            NetworkPlot::Phase => plot_of(
                figures,
                |f, l| reservoir(f).map(|f| phase_figure(f, l)),
                lang,
                &block.id,
                "phase",
            ),
            NetworkPlot::Prediction => plot_of(
                figures,
                |f, l| reservoir(f).map(|f| prediction_figure(f, l)),
                lang,
                &block.id,
                "prediction",
            ),
            NetworkPlot::States => plot_of(
                figures,
                |f, l| reservoir(f).map(|f| states_figure(f, l)),
                lang,
                &block.id,
                "states",
            ),
            NetworkPlot::Centre => plot_of(
                figures,
                |f, l| ring(f).map(|f| centre_figure(f, l)),
                lang,
                &block.id,
                "centre",
            ),
            NetworkPlot::Activity => {
                let data = Memo::new(move |_| {
                    figures.with(|f| {
                        f.as_ref()
                            .and_then(ring)
                            .map(|f| HeatmapData {
                                x: f.activity_x.clone(),
                                t_ms: f.activity_t_ms.clone(),
                                rows: f.activity.clone(),
                                x_label: ui("position_rad", lang.get()).to_string(),
                            })
                            .unwrap_or_default()
                    })
                });
                view! { <Heatmap data=data /> }.into_any()
            }
            // Training runs label their panels themselves: one drawing for all of them.
            &plot @ (NetworkPlot::Data
            | NetworkPlot::Fit
            | NetworkPlot::Loss
            | NetworkPlot::Parameters
            | NetworkPlot::Accuracy
            | NetworkPlot::Trial
            | NetworkPlot::Units) => {
                let figure = Memo::new(move |_| {
                    figures.with(|f| {
                        f.as_ref()
                            .and_then(|f| training_panel(f, plot, lang.get()))
                            .unwrap_or_default()
                    })
                });
                let stem = format!("{}-{}", block.id, plot.training_name().unwrap_or("plot"));
                view! { <Plot figure=figure file_stem=stem /> }.into_any()
            }
        })
        .collect_view();
    view! {
        <section class="network" id=format!("net-{}", block.id)>
            <h3>{move || block.title.get(lang.get()).to_string()}</h3>
            // Wide screens: the figures and the controls that drive them side by side.
            <div class="workbench">
                <div class="figures">
                    {plots}
                    <BackendNote figures=figures />
                    <JobStatusView job=job.clone() />
                </div>
                <div class="panel">
                    <div class="controls">{controls}</div>
                    <SeedControl setting=setting />
                    <TrainingActions block=&block.id setting=setting job=job.clone() figures=figures />
                    <div class="answer-row">
                        <SettingActions setting=setting defaults=defaults.clone() />
                    </div>
            {block
                .input
                .is_some()
                .then(|| {
                    view! { <InputEditor text=input_text on_change=on_input label="network_input" /> }
                })}
                </div>
            </div>
            {block
                .caption
                .as_ref()
                .map(|c| view! { <Markdown text=Signal::derive(move || c.get(lang.get()).to_string()) /> })}
        </section>
    }
}

/// Where a spiking network ran: the GPU (named by its adapter) or the CPU, and why not the GPU
/// when it could not; nothing for the other networks.
#[component]
fn BackendNote(figures: Memo<Option<Figures>>) -> impl IntoView {
    let lang = use_lang();
    let note = move || {
        figures.with(|f| match f {
            Some(Figures::Network(f)) => {
                let lang = lang.get();
                Some(match f.backend.as_ref()? {
                    Backend::Cpu => ui("computed_on_cpu", lang).to_string(),
                    Backend::Gpu(name) => format!("{} {name}", ui("computed_on_gpu", lang)),
                    Backend::CpuInstead(why) => {
                        format!("{} {}", ui("computed_on_cpu_instead", lang), why.get(lang))
                    }
                })
            }
            _ => None,
        })
    };
    view! { <p class="backend">{note}</p> }
}

/// The run's random seed (connections, initial state, noise, Poisson input): typed, or the next
/// one for a fresh run of a random network.
#[component]
fn SeedControl(setting: RwSignal<Setting>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="answer-row seed-row">
            <label>
                {tr("seed", lang)} " "
                <input
                    type="number"
                    class="seed"
                    min="0"
                    step="1"
                    prop:value=move || setting.with(|s| s.seed.to_string())
                    on:change=move |ev| {
                        // Anything but a whole number ≥ 0 leaves the seed as it was.
                        if let Ok(seed) = event_target_value(&ev).trim().parse::<u64>() {
                            setting.update(|s| s.seed = seed);
                        }
                    }
                />
            </label>
            <button class="small new-trial" on:click=move |_| setting.update(|s| s.seed = s.seed.wrapping_add(1))>
                {tr("new_trial", lang)}
            </button>
        </div>
    }
}
