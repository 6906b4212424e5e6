//! What every analysis figure (phase planes and lines, bifurcation diagrams) is drawn with: one
//! set of axes, one palette, one marker for a slider's value.

use std::ops::Range;

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::hidpi::{self, Crisp};

pub const STABLE: RGBColor = RGBColor(23, 114, 69);
pub const UNSTABLE: RGBColor = RGBColor(180, 35, 24);
pub const CYCLE: RGBColor = RGBColor(31, 119, 180);
pub const MARKER: RGBColor = RGBColor(29, 36, 51);
pub const SADDLE_NODE: RGBColor = RGBColor(148, 103, 189);
pub const FAINT: RGBColor = RGBColor(170, 178, 190);

pub type Chart<'a> = ChartContext<'a, Crisp, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The colour of a special point's kind (`hopf`, `saddle-node`).
pub fn kind_color(kind: &str) -> RGBColor {
    if kind == "hopf" {
        UNSTABLE
    } else {
        SADDLE_NODE
    }
}

/// A white canvas with a chart over `x` × `y`: light grid, axis titles.
pub fn axes(
    root: &DrawingArea<Crisp, Shift>,
    x: Range<f64>,
    y: Range<f64>,
    (x_desc, y_desc): (String, String),
) -> Option<Chart<'_>> {
    root.fill(&WHITE).ok()?;
    let mut chart = ChartBuilder::on(root)
        .margin(10)
        .x_label_area_size(36)
        .y_label_area_size(60)
        .build_cartesian_2d(x, y)
        .ok()?;
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .light_line_style(RGBColor(240, 240, 240))
        // A light line between bold ones: a readable grid, and fewer strokes to draw.
        .max_light_lines(1)
        .draw()
        .ok()?;
    Some(chart)
}

/// A tick label as a reader writes it: `20`, not `20.0`; `0.25`; `1e-5` and `2e6` for the very
/// small and the very large.
pub fn tick(v: &f64) -> String {
    let v = *v;
    if v == 0.0 {
        return "0".into();
    }
    if !(1e-3..1e5).contains(&v.abs()) {
        let text = format!("{v:.2e}");
        // 1.50e-5 → 1.5e-5, 2.00e6 → 2e6
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        return format!("{mantissa}e{exponent}");
    }
    let text = format!("{v:.4}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The grey line at the varied parameter's current value, across `y`.
pub fn draw_marker(chart: &mut Chart, current: f64, (y0, y1): (f64, f64)) -> Option<()> {
    chart
        .draw_series(LineSeries::new(
            [(current, y0), (current, y1)],
            MARKER.mix(0.5).stroke_width(1),
        ))
        .ok()?;
    Some(())
}

/// The window's resizes, counted: every canvas's drawing effect reads it, so figures are drawn
/// again at their new size.
#[derive(Clone, Copy)]
struct Resized(ReadSignal<u32>);

/// Starts counting the window's resizes (once, in the app's root).
pub fn provide_resize() {
    let (count, set_count) = signal(0u32);
    let handle = window_event_listener(leptos::ev::resize, move |_| set_count.update(|n| *n += 1));
    // The listener lives as long as the page.
    std::mem::forget(handle);
    provide_context(Resized(count));
}

/// Draws with `paint` on `canvas` once it is on the page, and again whenever what `paint`
/// reads changes or the window is resized, the canvas fitted to its width first; counts the
/// pictures drawn in `drawn` (tests and benchmarks read it as `data-drawn`). `paint` says
/// whether it drew (it has nothing to draw before its figure is computed).
pub fn redraw(
    canvas: NodeRef<Canvas>,
    drawn: RwSignal<u64>,
    paint: impl Fn(web_sys::HtmlCanvasElement) -> bool + 'static,
) {
    Effect::new(move |_| {
        if let Some(Resized(count)) = use_context::<Resized>() {
            count.track();
        }
        if let Some(el) = canvas.get() {
            fit(&el);
            if paint(el) {
                drawn.update(|n| *n += 1);
            }
        }
    });
}

/// Gives `canvas` as many CSS pixels as it is wide on screen, so text and lines are drawn at
/// their size instead of being scaled with the picture (a 720-pixel figure shrunk onto a phone
/// had unreadable labels), times the screen's pixel density (`hidpi`: sharp on HiDPI screens).
/// The height follows the width as the canvas's own `width`/`height` first set it, but a narrow
/// figure is never flatter than 0.7 of its width, up to its first height.
fn fit(canvas: &web_sys::HtmlCanvasElement) {
    let width = canvas.client_width();
    if width <= 0 {
        return;
    }
    let first = canvas.get_attribute("data-size").unwrap_or_else(|| {
        let size = format!("{}x{}", canvas.width(), canvas.height());
        let _ = canvas.set_attribute("data-size", &size);
        size
    });
    let (w0, h0) = first
        .split_once('x')
        .and_then(|(w, h)| Some((w.parse::<f64>().ok()?, h.parse::<f64>().ok()?)))
        .unwrap_or((720.0, 300.0));
    let w = f64::from(width);
    let h = (w * h0 / w0).max(h0.min(0.7 * w)).round();
    let ratio = hidpi::pixel_ratio();
    let (device_w, device_h) = ((w * ratio).round() as u32, (h * ratio).round() as u32);
    if canvas.width() != device_w || canvas.height() != device_h {
        canvas.set_width(device_w);
        canvas.set_height(device_h);
    }
}
