//! A sweep block (`fi_curve` in lesson files): one population run with one neuron per value of
//! the swept parameter; each of the block's measures is plotted against it — by default the
//! firing rate, spikes per second over the whole run (an f–I curve). Other parameters are
//! sliders.

use brainplay_content::content::FiCurve;
use brainplay_content::figure::Figures;
use brainplay_content::model_info::ModelInfo;
use brainplay_content::setting::Setting;
use leptos::prelude::*;

use crate::components::brainpy_code::BrainPyCode;
use crate::components::controls::setting_controls;
use crate::components::figures::{sweep_figure, with_unit};
use crate::components::job_status::{done_figures, JobStatusView};
use crate::components::plot::{Figure, Plot};
use crate::compute::Job;
use crate::i18n::{ui, use_lang};

#[component]
pub fn FiCurveBlock(
    block: &'static FiCurve,
    setting: RwSignal<Setting>,
    model: ModelInfo,
) -> impl IntoView {
    let lang = use_lang();
    let defaults = Setting::from_fi_curve(block);
    let job = Job::following(&block.id, setting);
    let status = job.status;
    let figure = Memo::new(move |previous: Option<&Figure>| {
        status.with(|st| match done_figures(st) {
            Some(Figures::Sweep(sweep)) => {
                let lang = lang.get();
                let y_name = block
                    .y_label
                    .as_ref()
                    .map_or_else(|| ui("rate", lang).to_string(), |t| t.get(lang).to_string());
                sweep_figure(
                    sweep,
                    block.title.get(lang).to_string(),
                    with_unit(block.param.clone(), block.x_unit.as_ref()),
                    with_unit(y_name, block.y_unit.as_ref()),
                )
            }
            _ => previous.cloned().unwrap_or_default(),
        })
    });
    let controls = setting_controls(&model, Some(&block.controls), &defaults, setting);
    view! {
        <section class="fi-curve" id=format!("fi-{}", block.id)>
            <h3>{move || block.title.get(lang.get()).to_string()}</h3>
            <Plot figure=figure file_stem=format!("{}-{}", block.model, block.id) />
            <JobStatusView job=job />
            <div class="controls">{controls}</div>
            <BrainPyCode block=&block.id setting=setting file_stem=format!("{}-{}", block.model, block.id) />
        </section>
    }
}
