//! A live phase plane: both nullclines, the vector field, every fixed point in the box with its
//! stability, and trajectories — one from the lesson's start point and one from each click.
//! Everything is recomputed from the model's equations whenever a slider moves.

use brainplay_analysis::{
    arrows, fixed_points_2d, nullclines, trajectory, Arrow, FixedPoint, Nullclines, PlaneSpec,
    Stability, TrajectorySpec,
};
use brainplay_lessons::content::PhasePlane;
use brainplay_lessons::Setting;
use brainplay_sim::{library, Model};
use leptos::html::Canvas;
use leptos::prelude::*;
use std::ops::Range;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

use crate::components::bifurcation::BifurcationDiagram;
use crate::components::markdown::Markdown;
use crate::components::param_control::format_value;
use crate::components::simulator::setting_controls;
use crate::i18n::use_lang;

/// Arrows per axis: enough to read the flow, few enough to stay legible.
const ARROWS_PER_AXIS: usize = 20;
/// Newton starts per axis for the fixed points.
pub(crate) const FIXED_POINT_STARTS: usize = 24;
/// Trajectories kept: the lesson's own and the latest clicks.
const MAX_TRAJECTORIES: usize = 4;
const ARROW_PX: f64 = 12.0;

/// Everything the plane draws for one setting.
#[derive(Clone, Debug, Default, PartialEq)]
struct Picture {
    nullclines: Option<Nullclines>,
    arrows: Vec<Arrow>,
    fixed_points: Vec<FixedPoint>,
    trajectories: Vec<Vec<Vec<(f64, f64)>>>,
    problem: Option<String>,
}

/// The setting's parameters, one value each (a plane is one neuron).
pub(crate) fn plane_params(setting: &Setting) -> Vec<(String, f64)> {
    setting
        .params
        .iter()
        .filter_map(|(name, values)| values.first().map(|v| (name.clone(), *v)))
        .collect()
}

fn compute(model: &Model, block: &PhasePlane, setting: &Setting, starts: &[(f64, f64)]) -> Picture {
    let owned = plane_params(setting);
    let params: Vec<(&str, f64)> = owned.iter().map(|(n, v)| (n.as_str(), *v)).collect();
    let plane = |grid| PlaneSpec {
        x: &block.x,
        y: &block.y,
        x_range: (block.x_range[0], block.x_range[1]),
        y_range: (block.y_range[0], block.y_range[1]),
        params: params.clone(),
        held: vec![],
        grid,
    };
    let mut picture = Picture::default();
    match nullclines(model, &plane(block.grid)) {
        Ok(n) => picture.nullclines = Some(n),
        Err(e) => picture.problem = Some(e.to_string()),
    }
    picture.arrows = arrows(model, &plane(ARROWS_PER_AXIS)).unwrap_or_default();
    picture.fixed_points = fixed_points_2d(model, &plane(FIXED_POINT_STARTS)).unwrap_or_default();
    for &start in starts {
        let spec = TrajectorySpec {
            x: &block.x,
            y: &block.y,
            start,
            duration_ms: setting.duration_ms,
            dt_ms: setting.dt_ms,
            params: params.clone(),
            init: vec![],
        };
        if let Ok(t) = trajectory(model, &spec) {
            picture.trajectories.push(t.segments);
        }
    }
    picture
}

/// An axis title: a state's or parameter's name with its unit, if it has one.
pub(crate) fn variable_label(model: &Model, name: &str) -> String {
    let unit = model
        .state_index(name)
        .map(|i| &model.states[i].unit)
        .or_else(|| model.param_index(name).map(|i| &model.params[i].unit))
        .filter(|u| *u != "1");
    match unit {
        Some(u) => format!("{name} ({u})"),
        None => name.to_string(),
    }
}

/// A white canvas with a chart over `x` × `y`: light grid, axis titles. Every analysis figure
/// (phase planes and lines, bifurcation diagrams) is drawn on one.
pub(crate) fn axes(
    root: &DrawingArea<CanvasBackend, Shift>,
    x: Range<f64>,
    y: Range<f64>,
    (x_desc, y_desc): (String, String),
) -> Option<ChartContext<'_, CanvasBackend, Cartesian2d<RangedCoordf64, RangedCoordf64>>> {
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
        .light_line_style(RGBColor(240, 240, 240))
        .draw()
        .ok()?;
    Some(chart)
}

/// The setting's parameters but `varied` (which a diagram sets itself).
pub(crate) fn params_except(setting: &Setting, varied: &[&str]) -> Vec<(String, f64)> {
    let mut params = plane_params(setting);
    params.retain(|(name, _)| !varied.contains(&name.as_str()));
    params
}

/// Where the plotting area sits on the canvas, to map clicks back to the plane.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Frame {
    left: i32,
    right: i32,
    top: i32,
    bottom: i32,
}

fn stability_color(s: Stability) -> RGBColor {
    match s {
        Stability::StableNode | Stability::StableFocus => RGBColor(23, 114, 69),
        Stability::UnstableNode | Stability::UnstableFocus => RGBColor(180, 35, 24),
        Stability::Saddle => RGBColor(148, 103, 189),
        Stability::Center => RGBColor(90, 90, 90),
    }
}

fn draw(
    canvas: web_sys::HtmlCanvasElement,
    block: &PhasePlane,
    model: &Model,
    p: &Picture,
) -> Option<Frame> {
    let root = CanvasBackend::with_canvas_object(canvas)?.into_drawing_area();
    let (x0, x1) = (block.x_range[0], block.x_range[1]);
    let (y0, y1) = (block.y_range[0], block.y_range[1]);
    let titles = (
        variable_label(model, &block.x),
        variable_label(model, &block.y),
    );
    let mut chart = axes(&root, x0..x1, y0..y1, titles)?;
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let frame = Frame {
        left: xs.start,
        right: xs.end,
        top: ys.start,
        bottom: ys.end,
    };
    // Arrows of fixed screen length: the direction is converted to pixels first, since the two
    // axes have different scales.
    let (w_px, h_px) = (
        (frame.right - frame.left) as f64,
        (frame.bottom - frame.top) as f64,
    );
    let arrow_style = RGBColor(170, 178, 190).stroke_width(1);
    for a in &p.arrows {
        let (dx, dy) = (
            a.direction.0 / (x1 - x0) * w_px,
            a.direction.1 / (y1 - y0) * h_px,
        );
        let len = (dx * dx + dy * dy).sqrt();
        if len == 0.0 {
            continue;
        }
        let end = (
            a.x + dx / len * ARROW_PX * (x1 - x0) / w_px,
            a.y + dy / len * ARROW_PX * (y1 - y0) / h_px,
        );
        chart
            .draw_series(LineSeries::new([(a.x, a.y), end], arrow_style))
            .ok()?;
        chart
            .draw_series([Circle::new(end, 1, arrow_style.filled())])
            .ok()?;
    }
    if let Some(n) = &p.nullclines {
        for (lines, color) in [
            (&n.x, RGBColor(31, 119, 180)),
            (&n.y, RGBColor(255, 127, 14)),
        ] {
            for line in lines {
                chart
                    .draw_series(LineSeries::new(line.iter().copied(), color.stroke_width(2)))
                    .ok()?;
            }
        }
    }
    for segments in &p.trajectories {
        for segment in segments {
            chart
                .draw_series(LineSeries::new(
                    segment.iter().copied(),
                    RGBColor(29, 36, 51).stroke_width(1),
                ))
                .ok()?;
        }
        if let Some(&start) = segments.first().and_then(|s| s.first()) {
            chart
                .draw_series([Circle::new(start, 3, RGBColor(29, 36, 51).filled())])
                .ok()?;
        }
    }
    for fp in &p.fixed_points {
        let color = stability_color(fp.stability);
        let stable = matches!(fp.stability, Stability::StableNode | Stability::StableFocus);
        let style = if stable {
            color.filled()
        } else {
            color.stroke_width(2)
        };
        chart
            .draw_series([Circle::new((fp.x, fp.y), 6, style)])
            .ok()?;
    }
    root.present().ok()?;
    Some(frame)
}

/// The stability label in the page's language (BrainPy's English labels in English).
fn stability_text(s: Stability, lang: crate::i18n::Lang) -> &'static str {
    match lang {
        crate::i18n::Lang::En => s.label(),
        crate::i18n::Lang::Zh => match s {
            Stability::StableNode => "稳定结点",
            Stability::UnstableNode => "不稳定结点",
            Stability::StableFocus => "稳定焦点",
            Stability::UnstableFocus => "不稳定焦点",
            Stability::Saddle => "鞍点",
            Stability::Center => "中心",
        },
    }
}

fn to_plane(block: &PhasePlane, f: Frame, px: f64, py: f64) -> Option<(f64, f64)> {
    let fx = (px - f.left as f64) / (f.right - f.left) as f64;
    let fy = (py - f.top as f64) / (f.bottom - f.top) as f64;
    if !(0.0..=1.0).contains(&fx) || !(0.0..=1.0).contains(&fy) {
        return None;
    }
    let x = block.x_range[0] + fx * (block.x_range[1] - block.x_range[0]);
    let y = block.y_range[1] - fy * (block.y_range[1] - block.y_range[0]);
    Some((x, y))
}

#[component]
pub fn PhasePlaneBlock(block: &'static PhasePlane, setting: RwSignal<Setting>) -> impl IntoView {
    let lang = use_lang();
    let Some(model) = library::get(&block.model) else {
        return view! { <p class="error">{format!("unknown model {}", block.model)}</p> }
            .into_any();
    };
    let defaults = Setting::from_phase_plane(block);
    let starts = RwSignal::new(block.start.map(|[x, y]| vec![(x, y)]).unwrap_or_default());
    let picture = Memo::new({
        let model = model.clone();
        move |_| setting.with(|s| starts.with(|st| compute(&model, block, s, st)))
    });
    let canvas = NodeRef::<Canvas>::new();
    let frame = RwSignal::new(None::<Frame>);
    let drawn = RwSignal::new(0u64);
    {
        let model = model.clone();
        Effect::new(move |_| {
            let p = picture.get();
            if let Some(el) = canvas.get() {
                frame.set(draw(el, block, &model, &p));
                drawn.update(|n| *n += 1);
            }
        });
    }
    let on_click = move |ev: web_sys::MouseEvent| {
        let Some(el) = canvas.get() else { return };
        let rect = el.get_bounding_client_rect();
        let scale = el.width() as f64 / rect.width().max(1.0);
        let (px, py) = (
            (ev.client_x() as f64 - rect.left()) * scale,
            (ev.client_y() as f64 - rect.top()) * scale,
        );
        if let Some(point) = frame.get().and_then(|f| to_plane(block, f, px, py)) {
            starts.update(|s| {
                s.push(point);
                if s.len() > MAX_TRAJECTORIES {
                    s.remove(0);
                }
            });
        }
    };
    let controls = setting_controls(&model, block.controls.as_ref(), &defaults, setting);
    let (x_name, y_name) = (block.x.clone(), block.y.clone());
    let table = move || {
        picture.with(|p| {
            p.fixed_points
                .iter()
                .map(|fp| {
                    let eig = fp
                        .eigenvalues
                        .iter()
                        .map(|(re, im)| {
                            if *im == 0.0 {
                                format!("{re:.4}")
                            } else {
                                format!("{re:.4} ± {:.4}i", im.abs())
                            }
                        })
                        .collect::<Vec<_>>();
                    let eig = if fp.eigenvalues[0].1 != 0.0 {
                        eig[0].clone()
                    } else {
                        eig.join(", ")
                    };
                    view! {
                        <tr class="fixed-point" data-stability=fp.stability.label()>
                            <td>{format!("{x_name} = {:.4}", fp.x)}</td>
                            <td>{format!("{y_name} = {:.4}", fp.y)}</td>
                            <td>{stability_text(fp.stability, lang.get())}</td>
                            <td>{format!("λ = {eig}")}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let legend = move || {
        match lang.get() {
        crate::i18n::Lang::En => format!(
            "blue: d{}/dt = 0 · orange: d{}/dt = 0 · filled: stable, open: unstable · click to start a trajectory",
            block.x, block.y
        ),
        crate::i18n::Lang::Zh => format!(
            "蓝线：d{}/dt = 0 · 橙线：d{}/dt = 0 · 实心：稳定，空心：不稳定 · 点击平面开始一条轨迹",
            block.x, block.y
        ),
    }
    };
    view! {
        <section class="phase-plane" id=format!("pp-{}", block.id)>
            <h3>{move || block.title.get(lang.get()).to_string()}</h3>
            <canvas
                node_ref=canvas
                width="720"
                height="480"
                data-drawn=move || drawn.get().to_string()
                on:click=on_click
            ></canvas>
            <p class="legend">{legend}</p>
            {move || picture.with(|p| p.problem.clone()).map(|e| view! { <p class="error">{e}</p> })}
            <table class="fixed-points">{table}</table>
            {block.bifurcation.as_ref().map(|axis| {
                view! { <BifurcationDiagram block=block axis=axis model=model.clone() setting=setting /> }
            })}
            {block
                .caption
                .as_ref()
                .map(|c| view! { <Markdown text=Signal::derive(move || c.get(lang.get()).to_string()) /> })}
            <div class="controls">{controls}</div>
            <p class="trajectory-note">
                {move || format!("{} = {}", "t", format_value(setting.with(|s| s.duration_ms)))} " ms"
            </p>
        </section>
    }
    .into_any()
}
