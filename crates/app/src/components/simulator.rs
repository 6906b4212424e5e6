//! A simulator block: the code-free model editor (parameters, input protocol, integrator and
//! step, equations) and its live plots. Every change reruns the model; the setting lives in the
//! page's state, so it is also what the share link carries.

use brainplay_analysis::{classify, Pattern};
use brainplay_lessons::content::Simulator;
use brainplay_lessons::setting::Setting;
use brainplay_sim::{library, Method, Model};
use leptos::prelude::*;

use crate::components::equations::Equations;
use crate::components::figures::figures;
use crate::components::input_editor::InputEditor;
use crate::components::markdown::Markdown;
use crate::components::param_control::{ParamControl, ParamInfo};
use crate::components::plot::{Figure, Plot};
use crate::i18n::{ui, use_lang, Lang};
use crate::runner::{RunStatus, Runner};

/// The slider description of parameter `name` of `model`, if it has one.
fn param_info(model: &Model, name: &str) -> Option<ParamInfo> {
    let p = &model.params[model.param_index(name)?];
    Some(ParamInfo {
        name: p.name.clone(),
        unit: p.unit.clone(),
        min: p.min,
        max: p.max,
        default: p.default,
        description_en: p.description_en.clone(),
        description_zh: p.description_zh.clone(),
    })
}

/// The parameters offered as sliders: the block's list (default: all), leaving out those the
/// block sets per neuron (a population's varying parameter is part of the setup, not a knob).
fn control_names(model: &Model, controls: Option<&Vec<String>>, defaults: &Setting) -> Vec<String> {
    let all: Vec<String> = model.params.iter().map(|p| p.name.clone()).collect();
    controls
        .cloned()
        .unwrap_or(all)
        .into_iter()
        .filter(|name| model.param_index(name).is_some())
        .filter(|name| defaults.params.get(name).is_none_or(|v| v.len() == 1))
        .collect()
}

/// The value a control shows: the setting's, else the block's, else the model's default.
fn current_value(setting: &Setting, defaults: &Setting, model: &Model, name: &str) -> f64 {
    setting
        .params
        .get(name)
        .or_else(|| defaults.params.get(name))
        .and_then(|v| v.first().copied())
        .or_else(|| model.param_index(name).map(|i| model.params[i].default))
        .unwrap_or(0.0)
}

/// A widget's parameter sliders: each shows the setting's value and writes the change back into
/// the setting (and so into the share link).
pub fn setting_controls(
    model: &Model,
    controls: Option<&Vec<String>>,
    defaults: &Setting,
    setting: RwSignal<Setting>,
) -> impl IntoView {
    control_names(model, controls, defaults)
        .into_iter()
        .filter_map(|name| {
            let info = param_info(model, &name)?;
            let (defaults, m, key) = (defaults.clone(), model.clone(), name.clone());
            let value =
                Signal::derive(move || setting.with(|s| current_value(s, &defaults, &m, &key)));
            let on_change = Callback::new(move |v: f64| {
                setting.update(|s| {
                    s.params.insert(name.clone(), vec![v]);
                })
            });
            Some(view! { <ParamControl info=info value=value on_change=on_change /> })
        })
        .collect_view()
}

#[component]
pub fn RunStatusView(runner: Runner) -> impl IntoView {
    let lang = use_lang();
    let status = runner.status;
    move || match status.get() {
        RunStatus::Running { fraction } => {
            let runner = runner.clone();
            view! {
                <div class="run-status">
                    <span>{ui("running", lang.get())}</span>
                    <div class="progress"><div style=format!("width: {:.0}%", fraction * 100.0)></div></div>
                    <button class="small cancel" on:click=move |_| runner.cancel()>{ui("cancel", lang.get())}</button>
                </div>
            }
            .into_any()
        }
        RunStatus::Cancelled => {
            view! { <p class="notice">{ui("cancelled", lang.get())}</p> }.into_any()
        }
        RunStatus::Failed(message) => view! { <p class="error">{message}</p> }.into_any(),
        RunStatus::Done(output) => {
            let error = output.error.as_ref().map(|e| {
                view! { <p class="error run-error">{format!("{}: {e}", ui("run_failed", lang.get()))}</p> }
            });
            let warnings = (!output.warnings.is_empty()).then(|| {
                view! {
                    <p class="notice warnings">
                        {format!("{}: {}", ui("warnings", lang.get()), output.warnings.join("; "))}
                    </p>
                }
            });
            view! { {error} {warnings} }.into_any()
        }
        RunStatus::Idle => ().into_any(),
    }
}

/// The firing pattern's name in `lang`.
fn pattern_text(p: Pattern, lang: Lang) -> &'static str {
    match lang {
        Lang::En => p.label(),
        Lang::Zh => match p {
            Pattern::Silent => "静息",
            Pattern::Transient => "短暂发放",
            Pattern::Delayed => "延迟发放",
            Pattern::Bursting => "簇发放",
            Pattern::InitialBurst => "初始簇发放",
            Pattern::Adapting => "适应性发放",
            Pattern::Irregular => "不规则发放",
            Pattern::Tonic => "紧张性发放",
        },
    }
}

#[component]
pub fn SimulatorBlock(block: &'static Simulator, setting: RwSignal<Setting>) -> impl IntoView {
    let lang = use_lang();
    let defaults = Setting::from_block(block);
    let library_model = library::get(&block.model);
    let Some(library_model) = library_model else {
        // Lesson validation rules this out; say so rather than show a broken block.
        return view! { <p class="error">{format!("unknown model {}", block.model)}</p> }
            .into_any();
    };
    let edited = RwSignal::new(None::<Model>);
    let model = Signal::derive({
        let library_model = library_model.clone();
        move || edited.get().unwrap_or_else(|| library_model.clone())
    });
    let runner = Runner::new();
    let record: Vec<String> = block.plots.iter().flat_map(|p| p.vars.clone()).collect();

    // Rerun whenever the setting or the model changes.
    {
        let runner = runner.clone();
        Effect::new(move |_| {
            let s = setting.get();
            model.with(|m| runner.start(m, &s, &record));
        });
    }

    let figs = Memo::new({
        let status = runner.status;
        move |previous: Option<&Vec<Figure>>| match status.get() {
            RunStatus::Done(output) => {
                setting.with(|s| figures(&output, &block.plots, s, lang.get()))
            }
            _ => previous.cloned().unwrap_or_default(),
        }
    });

    let controls = {
        let defaults = defaults.clone();
        move || model.with(|m| setting_controls(m, block.controls.as_ref(), &defaults, setting))
    };

    let input_text = Signal::derive(move || setting.with(|s| s.input.clone().unwrap_or_default()));
    let input_label = if block.bench.is_some() {
        "presynaptic"
    } else {
        "input"
    };
    let on_input = Callback::new(move |text: String| {
        setting.update(|s| s.input = (!text.trim().is_empty()).then_some(text));
    });
    let method_name = move || setting.with(|s| s.method.unwrap_or(model.with(|m| m.method)).name());
    let reset_defaults = defaults.clone();
    let file_stem = format!("{}-{}", block.model, block.id);
    // Plots are created once per figure slot and keep their canvases: a rerun redraws them.
    let figure_count = Memo::new(move |_| figs.with(Vec::len));
    let plots = move || {
        (0..figure_count.get())
            .map(|i| {
                let figure =
                    Signal::derive(move || figs.with(|f| f.get(i).cloned().unwrap_or_default()));
                view! { <Plot figure=figure file_stem=format!("{file_stem}-{i}") /> }
            })
            .collect_view()
    };
    view! {
        <section class="simulator" id=format!("sim-{}", block.id)>
            <h3>{move || block.title.get(lang.get()).to_string()}</h3>
            {plots}
            <RunStatusView runner=runner.clone() />
            {block.classify.then(|| {
                let status = runner.status;
                move || match status.get() {
                    RunStatus::Done(output) => {
                        let duration_ms = setting.with(|s| s.duration_ms);
                        let names = output
                            .spike_times_ms
                            .iter()
                            .map(|spikes| pattern_text(classify(spikes, duration_ms), lang.get()))
                            .collect::<Vec<_>>()
                            .join(", ");
                        let head = if lang.get() == Lang::Zh { "发放模式" } else { "Firing pattern" };
                        Some(view! { <p class="pattern">{format!("{head}: {names}")}</p> })
                    }
                    _ => None,
                }
            })}
            {block
                .caption
                .as_ref()
                .map(|c| view! { <Markdown text=Signal::derive(move || c.get(lang.get()).to_string()) /> })}
            <div class="controls">{controls}</div>
            <InputEditor text=input_text on_change=on_input label=input_label />
            <div class="run-settings">
                <label>
                    {move || ui("integrator", lang.get())} " "
                    <select
                        class="method"
                        on:change=move |ev| {
                            let m = Method::from_name(&event_target_value(&ev));
                            setting.update(|s| s.method = m);
                        }
                    >
                        {Method::ALL
                            .iter()
                            .map(|m| {
                                let name = m.name();
                                view! { <option value=name selected=move || method_name() == name>{name}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    {move || ui("dt", lang.get())} " "
                    <input
                        type="number"
                        class="dt"
                        min="0.001"
                        max="1"
                        step="0.001"
                        prop:value=move || setting.with(|s| s.dt_ms.to_string())
                        on:change=move |ev| {
                            if let Ok(dt) = event_target_value(&ev).parse::<f64>() {
                                if dt > 0.0 && dt <= 1.0 {
                                    setting.update(|s| s.dt_ms = dt);
                                }
                            }
                        }
                    />
                </label>
                <button class="small reset-all" on:click=move |_| setting.set(reset_defaults.clone())>
                    {move || ui("reset_all", lang.get())}
                </button>
            </div>
            <Equations
                model=model
                on_model=Callback::new(move |m: Option<Model>| edited.set(m))
            />
        </section>
    }
    .into_any()
}
