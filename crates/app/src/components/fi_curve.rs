//! A sweep block (`fi_curve` in lesson files): one population run with one neuron per value of
//! the swept parameter; each of the block's measures is plotted against it — by default the
//! firing rate, spikes per second over the whole run (an f–I curve). Other parameters are
//! sliders.

use brainplay_lessons::content::FiCurve;
use brainplay_lessons::setting::Setting;
use brainplay_lessons::Measure;
use brainplay_sim::library;
use leptos::prelude::*;

use crate::components::plot::{Figure, Plot, Trace};
use crate::components::simulator::{setting_controls, RunStatusView};
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
        let record = block.record();
        Effect::new(move |_| runner.start(&model, &setting.get(), &record));
    }
    let x = block.values();
    let figure = Memo::new({
        let status = runner.status;
        move |previous: Option<&Figure>| match status.get() {
            RunStatus::Done(output) => {
                let duration_ms = setting.with(|s| s.duration_ms);
                let neurons = output.spike_times_ms.len();
                let traces = block
                    .measures
                    .iter()
                    .map(|measure| Trace {
                        // A final value is named by its variable alone: `m_inf`, not `final:m_inf`.
                        name: match measure {
                            _ if block.measures.len() == 1 => String::new(),
                            Measure::Final(var) => var.clone(),
                            other => other.to_string(),
                        },
                        values: (0..neurons)
                            .map(|k| measure.of(&output, k, duration_ms).unwrap_or(f64::NAN))
                            .collect(),
                    })
                    .collect();
                let unit = block.x_unit.clone().unwrap_or_default();
                let y_name = block.y_label.as_ref().map_or_else(
                    || ui("rate", lang.get()).to_string(),
                    |t| t.get(lang.get()).to_string(),
                );
                let y_label = match &block.y_unit {
                    Some(u) if !u.is_empty() && u != "1" => format!("{y_name} ({u})"),
                    _ => y_name,
                };
                Figure {
                    title: block.title.get(lang.get()).to_string(),
                    x_label: if unit.is_empty() {
                        block.param.clone()
                    } else {
                        format!("{} ({unit})", block.param)
                    },
                    y_label,
                    x: x.clone(),
                    traces,
                }
            }
            _ => previous.cloned().unwrap_or_default(),
        }
    });
    let controls = setting_controls(&model, Some(&block.controls), &defaults, setting);
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
