//! A synapse figure (`synapse_plot` in lesson files): the synapses' conductances after one spike
//! side by side, or the STDP window measured pair by pair, computed when the page opens
//! (`brainplay_lessons::synapse_plots`; a few thousand steps).

use brainplay_lessons::content::{SynapsePlot, SynapsePlotKind};
use brainplay_lessons::synapse_plots::compute;
use leptos::prelude::*;

use crate::components::markdown::Markdown;
use crate::components::plot::{Figure, Plot, Trace};
use crate::i18n::{ui, use_lang, Lang};

/// The axes' titles.
fn labels(plot: SynapsePlotKind, lang: Lang) -> (String, String) {
    match plot {
        SynapsePlotKind::Kinetics => (
            ui("time_ms", lang).to_string(),
            ui("scaled_conductance", lang).to_string(),
        ),
        SynapsePlotKind::StdpWindow => (
            "t_post − t_pre (ms)".to_string(),
            ui("weight_change", lang).to_string(),
        ),
    }
}

#[component]
pub fn SynapsePlotBlock(block: &'static SynapsePlot) -> impl IntoView {
    let lang = use_lang();
    let series = compute(block);
    let figure = {
        let series = series.clone();
        Signal::derive(move || {
            let Ok(series) = &series else {
                return Figure::default();
            };
            let (x_label, y_label) = labels(block.plot, lang.get());
            Figure {
                title: block.title.get(lang.get()).to_string(),
                x_label,
                y_label,
                x: series.x.clone(),
                traces: series
                    .curves
                    .iter()
                    .map(|(name, values)| Trace {
                        name: if series.curves.len() == 1 {
                            String::new()
                        } else {
                            name.clone()
                        },
                        values: values.clone(),
                    })
                    .collect(),
            }
        })
    };
    view! {
        <section class="fi-curve synapse-plot" id=format!("sp-{}", block.id)>
            <h3>{move || block.title.get(lang.get()).to_string()}</h3>
            {match &series {
                Ok(_) => view! { <Plot figure=figure file_stem=block.id.clone() /> }.into_any(),
                Err(e) => view! { <p class="error">{e.clone()}</p> }.into_any(),
            }}
            {block
                .caption
                .as_ref()
                .map(|c| view! { <Markdown text=Signal::derive(move || c.get(lang.get()).to_string()) /> })}
        </section>
    }
}
