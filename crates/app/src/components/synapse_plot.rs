//! A synapse figure (`synapse_plot` in lesson files): the synapses' conductances after one spike
//! side by side, or the STDP window measured pair by pair, computed by the compute worker when
//! the page opens (a few thousand steps).

use brainplay_content::content::{SynapsePlot, SynapsePlotKind};
use brainplay_content::figure::Figures;
use brainplay_content::Setting;
use leptos::prelude::*;

use crate::components::figures::sweep_figure;
use crate::components::job_status::{done_figures, JobStatusView};
use crate::components::markdown::Markdown;
use crate::components::plot::{Figure, Plot};
use crate::compute::{use_page, Job};
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
    let job = Job::new();
    // The figure has no settings: the block says everything.
    let model = block.synapses.first().cloned().unwrap_or_default();
    job.figures(&use_page(), &block.id, &Setting::of_model(&model));
    let status = job.status;
    let error = move || {
        status.with(|st| match done_figures(st) {
            Some(Figures::Sweep(sweep)) => sweep
                .issues
                .error
                .as_ref()
                .map(|e| e.get(lang.get()).to_string()),
            _ => None,
        })
    };
    let figure = Memo::new(move |previous: Option<&Figure>| {
        status.with(|st| match done_figures(st) {
            Some(Figures::Sweep(sweep)) => {
                let (x_label, y_label) = labels(block.plot, lang.get());
                let mut figure = sweep_figure(
                    sweep,
                    block.title.get(lang.get()).to_string(),
                    x_label,
                    y_label,
                );
                if figure.traces.len() == 1 {
                    figure.traces[0].name.clear();
                }
                figure
            }
            _ => previous.cloned().unwrap_or_default(),
        })
    });
    view! {
        <section class="fi-curve synapse-plot" id=format!("sp-{}", block.id)>
            <h3>{move || block.title.get(lang.get()).to_string()}</h3>
            <Plot figure=figure file_stem=block.id.clone() />
            <JobStatusView job=job />
            {move || error().map(|e| view! { <p class="error">{e}</p> })}
            {block
                .caption
                .as_ref()
                .map(|c| view! { <Markdown text=Signal::derive(move || c.get(lang.get()).to_string()) /> })}
        </section>
    }
}
