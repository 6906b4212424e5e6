//! A time-series plot on a canvas (plotters + plotters-canvas): several traces, legend, axes with
//! units, a read-out of the values under the cursor, and PNG / CSV export.

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;

use crate::components::chart::{redraw, tick};
use crate::components::hidpi;
use crate::components::{download, summary};
use crate::i18n::{tr, use_lang};

/// One trace: a name for the legend and its samples at the plot's shared x values.
#[derive(Clone, Debug, PartialEq)]
pub struct Trace {
    pub name: String,
    pub values: Vec<f64>,
}

/// What a plot shows. `x` is shared by all traces.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Figure {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub x: Vec<f64>,
    pub traces: Vec<Trace>,
}

impl Figure {
    /// The figure as CSV: one column for x, one per trace.
    pub fn to_csv(&self) -> String {
        let mut csv = csv_field(&self.x_label);
        for t in &self.traces {
            csv.push(',');
            csv.push_str(&csv_field(&t.name));
        }
        csv.push('\n');
        for (i, x) in self.x.iter().enumerate() {
            csv.push_str(&x.to_string());
            for t in &self.traces {
                csv.push(',');
                if let Some(v) = t.values.get(i) {
                    csv.push_str(&v.to_string());
                }
            }
            csv.push('\n');
        }
        csv
    }
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// Where the data sit on the canvas after drawing, to map the cursor back to x.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Frame {
    left_px: i32,
    right_px: i32,
    x_min: f64,
    x_max: f64,
}

/// Okabe and Ito's palette (without its yellow, too faint on white): told apart by readers
/// with any common colour-vision deficiency.
const COLORS: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(60, 60, 60),
];

/// Each trace's colour, chosen by its name so that a variable has the same colour in every plot
/// of a page; a name whose colour is taken in this plot gets the next free one.
fn trace_colors(traces: &[Trace]) -> Vec<RGBColor> {
    let mut taken = [false; COLORS.len()];
    traces
        .iter()
        .map(|trace| {
            let hash = trace.name.bytes().fold(2_166_136_261u32, |h, b| {
                (h ^ u32::from(b)).wrapping_mul(16_777_619)
            });
            let first = hash as usize % COLORS.len();
            let free = (0..COLORS.len())
                .map(|k| (first + k) % COLORS.len())
                .find(|&k| !taken[k])
                .unwrap_or(first);
            taken[free] = true;
            COLORS[free]
        })
        .collect()
}

/// Keeps at most about `buckets` × 2 points: the minimum and maximum of each bucket, so that
/// spikes stay visible however long the run.
fn decimate(x: &[f64], y: &[f64], buckets: usize) -> Vec<(f64, f64)> {
    let n = x.len().min(y.len());
    if n <= buckets * 2 {
        return x.iter().copied().zip(y.iter().copied()).take(n).collect();
    }
    let mut points = Vec::with_capacity(buckets * 2);
    for b in 0..buckets {
        let start = bucket_start(b, n, buckets);
        let end = bucket_start(b + 1, n, buckets).max(start + 1);
        let (mut lo, mut hi) = (start, start);
        for i in start..end.min(n) {
            if y[i] < y[lo] {
                lo = i;
            }
            if y[i] > y[hi] {
                hi = i;
            }
        }
        let (a, b) = if lo <= hi { (lo, hi) } else { (hi, lo) };
        points.push((x[a], y[a]));
        if b != a {
            points.push((x[b], y[b]));
        }
    }
    points
}

/// Figures with at most this many points mark each one.
const MARKED_POINTS: usize = 30;

/// The first sample of bucket `b` of `buckets` over `n` samples, computed in 64 bits: `b · n`
/// overflows wasm32's `usize` beyond about 6 million samples.
fn bucket_start(b: usize, n: usize, buckets: usize) -> usize {
    (b as u64 * n as u64 / buckets as u64) as usize
}

/// The y axis around `lo..=hi`: 5 % more on each side, a readable span around a flat trace, and
/// finite even for values near the largest finite number.
fn y_axis(lo: f64, hi: f64) -> (f64, f64) {
    // Halves first: hi − lo itself can overflow to infinity.
    let half_span = hi * 0.5 - lo * 0.5;
    let pad = match half_span > 0.5e-9 * hi.abs().max(lo.abs()).max(1.0) {
        true => half_span * 0.1,
        false => 0.1 * hi.abs().max(1.0),
    };
    ((lo - pad).max(f64::MIN), (hi + pad).min(f64::MAX))
}

fn finite_range(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

fn draw(canvas: web_sys::HtmlCanvasElement, figure: &Figure) -> Option<Frame> {
    let root = hidpi::area(canvas)?;
    root.fill(&WHITE).ok()?;
    let (x_min, x_max) = finite_range(figure.x.iter().copied()).unwrap_or((0.0, 1.0));
    let x_max = if x_max > x_min { x_max } else { x_min + 1.0 };
    let (y_lo, y_hi) = finite_range(figure.traces.iter().flat_map(|t| t.values.iter().copied()))
        .unwrap_or((0.0, 1.0));
    let (y_min, y_max) = y_axis(y_lo, y_hi);
    let mut chart = ChartBuilder::on(&root)
        .caption(&figure.title, ("sans-serif", 16))
        .margin(10)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .build_cartesian_2d(x_min..x_max, y_min..y_max)
        .ok()?;
    chart
        .configure_mesh()
        .x_desc(&figure.x_label)
        .y_desc(&figure.y_label)
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .light_line_style(RGBColor(238, 238, 238))
        // A light line between bold ones: a readable grid, and fewer strokes to draw.
        .max_light_lines(1)
        .draw()
        .ok()?;
    let (left_px, right_px) = {
        let range = chart.plotting_area().get_pixel_range();
        (range.0.start, range.0.end)
    };
    // A bucket per two pixels: its minimum and maximum still give a point per pixel.
    let buckets = ((right_px - left_px).max(1) as usize / 2).max(200);
    for (trace, color) in figure.traces.iter().zip(trace_colors(&figure.traces)) {
        let points = decimate(&figure.x, &trace.values, buckets);
        // A value that is not finite (a stimulus that is off) leaves a gap.
        let runs = points
            .split(|(_, y)| !y.is_finite())
            .filter(|run| !run.is_empty());
        let series = runs.map(|run| PathElement::new(run.to_vec(), color.stroke_width(2)));
        // A few points (a curve over trials, not a trace over time) are marked each.
        if figure.x.len() <= MARKED_POINTS {
            let marks = points
                .iter()
                .filter(|(_, y)| y.is_finite())
                .map(|&p| Circle::new(p, 3, color.filled()));
            chart.draw_series(marks).ok()?;
        }
        chart
            .draw_series(series)
            .ok()?
            .label(trace.name.clone())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2))
            });
    }
    if figure.traces.len() > 1 || figure.traces.iter().any(|t| !t.name.is_empty()) {
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(200, 200, 200))
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .ok()?;
    }
    root.present().ok()?;
    Some(Frame {
        left_px,
        right_px,
        x_min,
        x_max,
    })
}

/// The read-out for the sample nearest to canvas pixel `px`.
fn readout(figure: &Figure, frame: Frame, px: f64) -> Option<String> {
    if figure.x.is_empty() || frame.right_px <= frame.left_px {
        return None;
    }
    let fraction = (px - frame.left_px as f64) / (frame.right_px - frame.left_px) as f64;
    if !(0.0..=1.0).contains(&fraction) {
        return None;
    }
    let x = frame.x_min + fraction * (frame.x_max - frame.x_min);
    let i = figure.x.partition_point(|&v| v < x).min(figure.x.len() - 1);
    let mut text = format!("{} = {:.3}", figure.x_label, figure.x[i]);
    for t in &figure.traces {
        if let Some(v) = t.values.get(i) {
            let name = if t.name.is_empty() {
                &figure.y_label
            } else {
                &t.name
            };
            text.push_str(&format!("   {name} = {v:.4}"));
        }
    }
    Some(text)
}

#[component]
pub fn Plot(
    #[prop(into)] figure: Signal<Figure>,
    #[prop(into)] file_stem: String,
) -> impl IntoView {
    let lang = use_lang();
    let canvas = NodeRef::<Canvas>::new();
    let frame = RwSignal::new(None::<Frame>);
    let hover = RwSignal::new(None::<String>);
    // Counts redraws, so tests and benchmarks can tell when a figure is on screen.
    let drawn = RwSignal::new(0u64);

    redraw(canvas, drawn, move |el| {
        figure.track();
        frame.set(figure.with_untracked(|fig| draw(el, fig)));
        true
    });

    // Pointer events: the read-out follows a mouse, a pen or a finger (a tap shows the values).
    let on_move = move |ev: web_sys::PointerEvent| {
        let Some(el) = canvas.get() else { return };
        let rect = el.get_bounding_client_rect();
        // The canvas may be scaled by CSS: convert to the figure's CSS pixels.
        let scale = f64::from(hidpi::css_size(&el).0) / rect.width().max(1.0);
        let px = (ev.client_x() as f64 - rect.left()) * scale;
        hover.set(
            frame
                .get()
                .and_then(|f| figure.with(|fig| readout(fig, f, px))),
        );
    };
    let png_stem = file_stem.clone();
    let export_png = move |_| {
        if let Some(el) = canvas.get() {
            if let Ok(url) = el.to_data_url() {
                download::url(&url, &format!("{png_stem}.png"));
            }
        }
    };
    let export_csv = move |_| {
        download::text(
            &figure.with(Figure::to_csv),
            &format!("{file_stem}.csv"),
            "text/csv",
        );
    };

    view! {
        <figure class="plot">
            <canvas
                node_ref=canvas
                width="720"
                height="300"
                data-drawn=move || drawn.get().to_string()
                role="img"
                aria-label=move || figure.with(|fig| summary::plot(fig, lang.get()))
                on:pointermove=on_move
                on:pointerdown=on_move
                on:pointerleave=move |ev: web_sys::PointerEvent| {
                    // A finger "leaves" as it lifts: a tap's values stay until the next touch.
                    if ev.pointer_type() != "touch" {
                        hover.set(None);
                    }
                }
            ></canvas>
            <div class="plot-bar">
                <span class="readout">{move || hover.get().unwrap_or_default()}</span>
                <button class="small" on:click=export_png>{tr("export_png", lang)}</button>
                <button class="small" on:click=export_csv>{tr("export_csv", lang)}</button>
            </div>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variable_keeps_its_colour_and_a_plot_never_repeats_one() {
        let trace = |name: &str| Trace {
            name: name.into(),
            values: vec![],
        };
        let alone = trace_colors(&[trace("V")]);
        let with_others = trace_colors(&[trace("m"), trace("h"), trace("V")]);
        let many: Vec<Trace> = (0..COLORS.len()).map(|k| trace(&format!("x{k}"))).collect();
        let colors = trace_colors(&many);
        assert_eq!(alone[0], trace_colors(&[trace("V")])[0]);
        for (k, c) in colors.iter().enumerate() {
            assert!(!colors[..k].contains(c), "colour {k} repeats");
        }
        assert!(with_others.iter().filter(|c| **c == with_others[2]).count() == 1);
    }

    #[test]
    fn decimation_keeps_extremes_of_every_bucket() {
        let x: Vec<f64> = (0..10_000).map(|i| i as f64).collect();
        let mut y = vec![0.0; 10_000];
        y[5_003] = 50.0; // a spike one sample wide
        let points = decimate(&x, &y, 100);
        assert!(points.len() <= 200);
        assert!(points.iter().any(|p| p.1 == 50.0));
    }

    #[test]
    fn tick_labels_read_as_written() {
        let cases = [
            (20.0, "20"),
            (-80.0, "-80"),
            (0.0, "0"),
            (0.25, "0.25"),
            (0.1 + 0.2, "0.3"),
            (1.5e-5, "1.5e-5"),
            (2e6, "2e6"),
            (12345.6, "12345.6"),
        ];
        for (v, want) in cases {
            assert_eq!(tick(&v), want, "{v}");
        }
    }

    #[test]
    fn buckets_cover_long_runs_without_overflow() {
        // 10 million samples (a long run recorded every step) in 700 buckets: b · n is beyond
        // 32 bits.
        let n = 10_000_000;
        assert_eq!(bucket_start(699, n, 700), 9_985_714);
        assert_eq!(bucket_start(700, n, 700), n);
    }

    #[test]
    fn axes_stay_finite_and_readable() {
        let check = |lo: f64, hi: f64| {
            let (a, b) = y_axis(lo, hi);
            assert!(
                a.is_finite() && b.is_finite() && a < b && a <= lo && b >= hi,
                "{lo} {hi}"
            );
        };
        check(0.0, 1.0);
        check(100.0, 100.0);
        check(0.0, 0.0);
        check(-1e308, 1e308);
        check(f64::MAX, f64::MAX);
        let (a, b) = y_axis(-65.0, 35.0);
        assert!((a + 70.0).abs() < 1e-9 && (b - 40.0).abs() < 1e-9);
    }

    #[test]
    fn csv_has_a_header_and_one_row_per_sample() {
        let figure = Figure {
            x_label: "t (ms)".into(),
            x: vec![0.0, 0.1],
            traces: vec![Trace {
                name: "V, I = 4".into(),
                values: vec![-65.0, -64.5],
            }],
            ..Figure::default()
        };
        assert_eq!(figure.to_csv(), "t (ms),\"V, I = 4\"\n0,-65\n0.1,-64.5\n");
    }
}
