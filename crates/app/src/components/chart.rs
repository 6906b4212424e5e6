//! What every analysis figure (phase planes and lines, bifurcation diagrams) is drawn with: one
//! set of axes, one palette, one marker for a slider's value.

use std::ops::Range;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

pub const STABLE: RGBColor = RGBColor(23, 114, 69);
pub const UNSTABLE: RGBColor = RGBColor(180, 35, 24);
pub const CYCLE: RGBColor = RGBColor(31, 119, 180);
pub const MARKER: RGBColor = RGBColor(29, 36, 51);
pub const SADDLE_NODE: RGBColor = RGBColor(148, 103, 189);
pub const FAINT: RGBColor = RGBColor(170, 178, 190);

pub type Chart<'a> = ChartContext<'a, CanvasBackend, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

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
    root: &DrawingArea<CanvasBackend, Shift>,
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
