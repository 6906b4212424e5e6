//! A simulator block: the code-free model editor (parameters, input protocol, integrator and
//! step, equations) and its live plots. Every change reruns the model; the setting lives in the
//! page's state, so it is also what the share link carries.

use brainplay_content::content::Simulator;
use brainplay_content::content::METHODS;
use brainplay_content::figure::Figures;
use brainplay_content::model_info::ModelInfo;
use brainplay_content::setting::Setting;
use leptos::prelude::*;

use crate::components::brainpy_code::BrainPyCode;
use crate::components::controls::{setting_controls, SettingActions};
use crate::components::equations::Equations;
use crate::components::figures::run_figures;
use crate::components::input_editor::InputEditor;
use crate::components::job_status::{done_figures, JobStatusView};
use crate::components::markdown::Markdown;
use crate::components::plot::{Figure, Plot};
use crate::compute::Job;
use crate::i18n::{term, tr, use_lang, Lang};

#[component]
pub fn SimulatorBlock(
    block: &'static Simulator,
    setting: RwSignal<Setting>,
    /// The built-in model.
    model: ModelInfo,
    /// Equations edited in an earlier visit, come back with the link.
    edited: Option<ModelInfo>,
) -> impl IntoView {
    let lang = use_lang();
    let defaults = Setting::from_block(block);
    let editing_from_start = edited.is_some();
    let edited = RwSignal::new(edited);
    let built_in = model;
    let model = Signal::derive(move || edited.get().unwrap_or_else(|| built_in.clone()));
    // Reruns whenever the setting (the edited model included) changes.
    let job = Job::following(&block.id, setting);

    let status = job.status;
    let figs = Memo::new(move |previous: Option<&Vec<Figure>>| {
        status.with(|st| match done_figures(st) {
            Some(Figures::Run(run)) => run_figures(run, &block.plots, lang.get()),
            _ => previous.cloned().unwrap_or_default(),
        })
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
    let method_name = move || {
        setting
            .with(|s| s.method.clone())
            .unwrap_or_else(|| model.with(|m| m.method.clone()))
    };
    let reset_defaults = defaults.clone();
    let file_stem = format!("{}-{}", block.model, block.id);
    // Synapse benches have no export yet (`brainplay_lessons::export`). Type-erased, as the
    // panel's view would otherwise be built into the simulator's (4 KB more of the page's wasm).
    let code = block.bench.is_none().then(|| {
        view! { <BrainPyCode block=&block.id setting=setting file_stem=file_stem.clone() /> }
            .into_any()
    });
    // Plots are created once per figure slot and keep their canvases: a rerun redraws them.
    let figure_count = Memo::new(move |_| figs.with(Vec::len));
    let plots = move || {
        (0..figure_count.get())
            .map(|i| {
                // One copy per result, not one per read.
                let figure =
                    Memo::new(move |_| figs.with(|f| f.get(i).cloned().unwrap_or_default()));
                view! { <Plot figure=figure file_stem=format!("{file_stem}-{i}") /> }
            })
            .collect_view()
    };
    view! {
        <section class="simulator" id=format!("sim-{}", block.id)>
            <h3>{move || block.title.get(lang.get()).to_string()}</h3>
            // Wide screens: the plots and the controls that drive them side by side.
            <div class="workbench">
                <div class="figures">
                    {plots}
                    <JobStatusView job=job.clone() />
                    {block.classify.then_some({
                        move || status.with(|st| match done_figures(st) {
                            Some(Figures::Run(run)) => {
                                let names = run
                                    .patterns
                                    .iter()
                                    .map(|code| term(code, lang.get()))
                                    .collect::<Vec<_>>()
                                    .join(", ");
                                let head = if lang.get() == Lang::Zh { "发放模式" } else { "Firing pattern" };
                                Some(view! { <p class="pattern">{format!("{head}: {names}")}</p> })
                            }
                            _ => None,
                        })
                    })}
                </div>
                <div class="panel">
                    <div class="controls">{controls}</div>
                    <InputEditor text=input_text on_change=on_input label=input_label />
                    <div class="run-settings">
                        <label>
                            {tr("integrator", lang)} " "
                            <select
                                class="method"
                                on:change=move |ev| {
                                    let name = event_target_value(&ev);
                                    setting.update(|s| s.method = Some(name));
                                }
                            >
                                {METHODS
                                    .iter()
                                    .map(|(name, _)| {
                                        let name = *name;
                                        view! { <option value=name selected=move || method_name() == name>{name}</option> }
                                    })
                                    .collect_view()}
                            </select>
                        </label>
                        <label>
                            {tr("dt", lang)} " "
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
                        <SettingActions setting=setting defaults=reset_defaults />
                    </div>
                </div>
            </div>
            {block
                .caption
                .as_ref()
                .map(|c| view! { <Markdown text=Signal::derive(move || c.get(lang.get()).to_string()) /> })}
            <Equations
                model=model
                editing_from_start=editing_from_start
                on_model=Callback::new(move |m: Option<ModelInfo>| {
                    setting.update(|s| s.source = m.as_ref().map(|m| m.source.clone()));
                    edited.set(m);
                })
            />
            {code}
        </section>
    }
}
