//! An f–I curve block: one population run with one neuron per value of the swept parameter;
//! the plotted rate is spikes per second over the whole run. The other parameters are sliders.

use brainplay_lessons::content::FiCurve;
use brainplay_lessons::setting::Setting;
use brainplay_sim::library;
use leptos::prelude::*;

use crate::components::param_control::ParamControl;
use crate::components::plot::{Figure, Plot, Trace};
use crate::components::simulator::{control_names, current_value, param_info, RunStatusView};
use crate::i18n::{ui, use_lang};
use crate::runner::{RunStatus, Runner};

#[component]
pub fn FiCurveBlock(block: &'static FiCurve, setting: RwSignal<Setting>) -> impl IntoView {
    let lang = use_lang();
    let Some(model) = library::get(&block.model) else {
        return view! { <p class="error">{format!("unknown model {}", block.model)}</p> }
            .into_any();
    };
    let defaults = Setting::from_fi_curve(block);
    let runner = Runner::new();
    {
        let runner = runner.clone();
        let model = model.clone();
        Effect::new(move |_| runner.start(&model, &setting.get(), &[]));
    }
    let x = block.values();
    let figure = Memo::new({
        let status = runner.status;
        move |previous: Option<&Figure>| match status.get() {
            RunStatus::Done(output) => {
                let duration_s = setting.with(|s| s.duration_ms) / 1000.0;
                let rates = output
                    .spike_times_ms
                    .iter()
                    .map(|spikes| spikes.len() as f64 / duration_s)
                    .collect();
                let unit = block.x_unit.clone().unwrap_or_default();
                Figure {
                    title: block.title.get(lang.get()).to_string(),
                    x_label: if unit.is_empty() {
                        block.param.clone()
                    } else {
                        format!("{} ({unit})", block.param)
                    },
                    y_label: ui("rate", lang.get()).to_string(),
                    x: x.clone(),
                    traces: vec![Trace {
                        name: String::new(),
                        values: rates,
                    }],
                }
            }
            _ => previous.cloned().unwrap_or_default(),
        }
    });
    let controls = control_names(&model, Some(&block.controls), &defaults)
        .into_iter()
        .filter_map(|name| {
            let info = param_info(&model, &name)?;
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
        .collect_view();
    view! {
        <section class="fi-curve" id=format!("fi-{}", block.id)>
            <h3>{move || block.title.get(lang.get()).to_string()}</h3>
            <Plot figure=figure file_stem=format!("{}-{}", block.model, block.id) />
            <RunStatusView runner=runner />
            <div class="controls">{controls}</div>
        </section>
    }
    .into_any()
}
