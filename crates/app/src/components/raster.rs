//! A spike raster: each group's spikes as dots, neuron against time, the groups stacked (the
//! first at the bottom), each in its own colour.

use brainplay_content::figure::Raster;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;

use crate::components::chart::{axes, redraw};
use crate::components::hidpi;
use crate::i18n::{ui, use_lang, Lang};

/// Group colours: excitatory blue, inhibitory red (the course's figures).
const COLORS: [RGBColor; 2] = [RGBColor(31, 119, 180), RGBColor(214, 39, 40)];

fn draw(
    canvas: web_sys::HtmlCanvasElement,
    groups: &[Raster],
    duration_ms: f64,
    lang: Lang,
) -> Option<()> {
    let root = hidpi::area(canvas)?;
    let rows: usize = groups.iter().map(|g| g.shown).sum();
    let labels = (
        ui("time_ms", lang).to_string(),
        ui("neuron_index", lang).to_string(),
    );
    let mut chart = axes(
        &root,
        0.0..duration_ms.max(1e-9),
        0.0..rows.max(1) as f64,
        labels,
    )?;
    let mut offset = 0;
    for (k, group) in groups.iter().enumerate() {
        let color = COLORS[k % COLORS.len()];
        let dots = group
            .times_ms
            .iter()
            .zip(&group.indices)
            .map(|(&t, &i)| Pixel::new((f64::from(t), (offset + i as usize) as f64), color));
        chart.draw_series(dots).ok()?;
        offset += group.shown;
    }
    root.present().ok()
}

/// The raster of `groups` over `duration_ms`, with a legend line per group.
#[component]
pub fn RasterPlot(
    #[prop(into)] groups: Signal<Vec<Raster>>,
    #[prop(into)] duration_ms: Signal<f64>,
) -> impl IntoView {
    let lang = use_lang();
    let canvas = NodeRef::<Canvas>::new();
    // Counts redraws, so tests and benchmarks can tell when a figure is on screen.
    let drawn = RwSignal::new(0u64);
    redraw(canvas, drawn, move |el| {
        let (duration, lang) = (duration_ms.get(), lang.get());
        groups.with(|g| draw(el, g, duration, lang));
        true
    });
    let legend = move || {
        groups.with(|groups| {
            groups
                .iter()
                .enumerate()
                .map(|(k, g)| {
                    let text = match (g.shown < g.neurons, lang.get()) {
                        (false, Lang::En) => {
                            format!("{}: {} neurons, {} spikes", g.name, g.neurons, g.spikes)
                        }
                        (false, Lang::Zh) => {
                            format!("{}：{} 个神经元，{} 个脉冲", g.name, g.neurons, g.spikes)
                        }
                        (true, Lang::En) => format!(
                            "{}: the first {} of {} neurons shown, {} spikes in all",
                            g.name, g.shown, g.neurons, g.spikes
                        ),
                        (true, Lang::Zh) => format!(
                            "{}：显示 {} 个神经元中的前 {} 个，共 {} 个脉冲",
                            g.name, g.neurons, g.shown, g.spikes
                        ),
                    };
                    // Colours by class (style.css): the page's security policy allows no
                    // inline styles.
                    view! { <li class=format!("group-{}", k % COLORS.len())>{text}</li> }
                })
                .collect_view()
        })
    };
    view! {
        <figure class="plot raster">
            <canvas
                node_ref=canvas
                width="720"
                height="320"
                data-drawn=move || drawn.get().to_string()
                role="img"
                aria-label=move || ui("raster_summary", lang.get())
            ></canvas>
            <ul class="raster-legend">{legend}</ul>
        </figure>
    }
}
