//! Activity over position and time as colours (lesson 11's space-time figure): time runs down,
//! position across, from white (0) through blue to dark (the largest value).

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;

use crate::components::chart::{axes, redraw};
use crate::components::hidpi;
use crate::i18n::{ui, use_lang};

/// What a heatmap shows: `rows[i][j]` at time `t_ms[i]` and position `x[j]`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HeatmapData {
    pub x: Vec<f64>,
    pub t_ms: Vec<f64>,
    pub rows: Vec<Vec<f32>>,
    pub x_label: String,
}

/// White to blue to dark blue as `v` goes from 0 to 1.
fn colour(v: f64) -> RGBColor {
    let v = v.clamp(0.0, 1.0);
    let mix = |a: f64, b: f64, s: f64| (a + (b - a) * s).round() as u8;
    if v < 0.5 {
        let s = v * 2.0;
        RGBColor(
            mix(255.0, 31.0, s),
            mix(255.0, 119.0, s),
            mix(255.0, 180.0, s),
        )
    } else {
        let s = (v - 0.5) * 2.0;
        RGBColor(mix(31.0, 8.0, s), mix(119.0, 29.0, s), mix(180.0, 88.0, s))
    }
}

fn draw(canvas: web_sys::HtmlCanvasElement, data: &HeatmapData, t_label: String) -> Option<()> {
    let root = hidpi::area(canvas)?;
    let (Some(&x0), Some(&x1)) = (data.x.first(), data.x.last()) else {
        return root.fill(&WHITE).ok();
    };
    let (t0, t1) = (data.t_ms.first().copied()?, data.t_ms.last().copied()?);
    let dt = if data.t_ms.len() > 1 {
        (t1 - t0) / (data.t_ms.len() - 1) as f64
    } else {
        1.0
    };
    let dx = if data.x.len() > 1 {
        (x1 - x0) / (data.x.len() - 1) as f64
    } else {
        1.0
    };
    // Time runs down: the y axis from the last time (bottom) to the first (top).
    let mut chart = axes(
        &root,
        x0..x1 + dx,
        (t1 + dt)..t0,
        (data.x_label.clone(), t_label),
    )?;
    let top = data
        .rows
        .iter()
        .flatten()
        .fold(0.0_f32, |m, &v| m.max(v))
        .max(f32::MIN_POSITIVE);
    let cells = data.rows.iter().zip(&data.t_ms).flat_map(|(row, &t)| {
        row.iter().zip(&data.x).map(move |(&v, &x)| {
            Rectangle::new(
                [(x, t), (x + dx, t + dt)],
                colour(f64::from(v / top)).filled(),
            )
        })
    });
    chart.draw_series(cells).ok()?;
    root.present().ok()
}

#[component]
pub fn Heatmap(#[prop(into)] data: Signal<HeatmapData>) -> impl IntoView {
    let lang = use_lang();
    let canvas = NodeRef::<Canvas>::new();
    // Counts redraws, so tests can tell when the figure is on screen.
    let drawn = RwSignal::new(0u64);
    redraw(canvas, drawn, move |el| {
        let t_label = ui("time_ms", lang.get()).to_string();
        data.with(|d| draw(el, d, t_label));
        true
    });
    view! {
        <figure class="plot heatmap">
            <canvas
                node_ref=canvas
                width="720"
                height="320"
                data-drawn=move || drawn.get().to_string()
                role="img"
                aria-label=move || ui("heatmap_summary", lang.get())
            ></canvas>
        </figure>
    }
}
