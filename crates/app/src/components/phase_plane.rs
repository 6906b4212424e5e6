//! A live phase plane: both nullclines, the vector field, every fixed point in the box with its
//! stability, and trajectories — one from the lesson's start point and one from each click
//! (the clicks are part of the setting, so a share link keeps them). The compute worker
//! recomputes the figure whenever the setting changes; this component only draws it.

use brainplay_content::content::PhasePlane;
use brainplay_content::figure::{Figures, PlaneFigure};
use brainplay_content::model_info::ModelInfo;
use brainplay_content::setting::MAX_STARTS;
use brainplay_content::Setting;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;

use crate::components::bifurcation::BifurcationDiagram;
use crate::components::brainpy_code::BrainPyCode;
use crate::components::chart::{axes, redraw, FAINT, MARKER};
use crate::components::controls::setting_controls;
use crate::components::hidpi;
use crate::components::job_status::{done_figures, JobStatusView};
use crate::components::markdown::Markdown;
use crate::components::param_control::format_value;
use crate::compute::Job;
use crate::i18n::{term, use_lang, Lang};

const ARROW_PX: f64 = 12.0;

/// Where the plotting area sits on the canvas, to map clicks back to the plane.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Frame {
    left: i32,
    right: i32,
    top: i32,
    bottom: i32,
}

fn stability_color(stability: &str) -> RGBColor {
    match stability {
        "stable node" | "stable focus" => RGBColor(23, 114, 69),
        "unstable node" | "unstable focus" => RGBColor(180, 35, 24),
        "saddle node" => RGBColor(148, 103, 189),
        _ => RGBColor(90, 90, 90),
    }
}

fn draw(canvas: web_sys::HtmlCanvasElement, block: &PhasePlane, p: &PlaneFigure) -> Option<Frame> {
    let root = hidpi::area(canvas)?;
    let (x0, x1) = (block.x_range[0], block.x_range[1]);
    let (y0, y1) = (block.y_range[0], block.y_range[1]);
    let titles = (p.x_label.clone(), p.y_label.clone());
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
    let arrow_style = FAINT.stroke_width(1);
    for a in &p.arrows {
        let (dx, dy) = (a.dx / (x1 - x0) * w_px, a.dy / (y1 - y0) * h_px);
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
    for (lines, color) in [
        (&p.x_nullclines, RGBColor(31, 119, 180)),
        (&p.y_nullclines, RGBColor(255, 127, 14)),
    ] {
        for line in lines {
            chart
                .draw_series(LineSeries::new(line.iter().copied(), color.stroke_width(2)))
                .ok()?;
        }
    }
    for segments in &p.trajectories {
        for segment in segments {
            chart
                .draw_series(LineSeries::new(
                    segment.iter().copied(),
                    MARKER.stroke_width(1),
                ))
                .ok()?;
        }
        if let Some(&start) = segments.first().and_then(|s| s.first()) {
            chart
                .draw_series([Circle::new(start, 3, MARKER.filled())])
                .ok()?;
        }
    }
    for fp in &p.fixed_points {
        let color = stability_color(&fp.stability);
        let style = if fp.stable {
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
pub fn PhasePlaneBlock(
    block: &'static PhasePlane,
    setting: RwSignal<Setting>,
    model: ModelInfo,
) -> impl IntoView {
    let lang = use_lang();
    let defaults = Setting::from_phase_plane(block);
    let job = Job::following(&block.id, setting);
    let status = job.status;
    // Nothing is drawn until the first figure arrives; then the latest one stays up.
    let picture = Memo::new(move |previous: Option<&Option<PlaneFigure>>| {
        status.with(|st| match done_figures(st) {
            Some(Figures::Plane(plane)) => Some((**plane).clone()),
            _ => previous.cloned().flatten(),
        })
    });
    let canvas = NodeRef::<Canvas>::new();
    let frame = RwSignal::new(None::<Frame>);
    let drawn = RwSignal::new(0u64);
    redraw(canvas, drawn, move |el| {
        picture.with(|p| p.as_ref().map(|p| frame.set(draw(el, block, p))).is_some())
    });
    let on_click = move |ev: web_sys::MouseEvent| {
        let Some(el) = canvas.get() else { return };
        let rect = el.get_bounding_client_rect();
        let scale = f64::from(hidpi::css_size(&el).0) / rect.width().max(1.0);
        let (px, py) = (
            (ev.client_x() as f64 - rect.left()) * scale,
            (ev.client_y() as f64 - rect.top()) * scale,
        );
        if let Some((x, y)) = frame.get().and_then(|f| to_plane(block, f, px, py)) {
            setting.update(|s| {
                s.starts.push([x, y]);
                if s.starts.len() > MAX_STARTS {
                    s.starts.remove(0);
                }
            });
        }
    };
    let controls = setting_controls(&model, block.controls.as_ref(), &defaults, setting);
    let (x_name, y_name) = (block.x.clone(), block.y.clone());
    let table = move || {
        picture.with(|p| {
            p.iter()
                .flat_map(|p| &p.fixed_points)
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
                        <tr class="fixed-point" data-stability=fp.stability.clone()>
                            <td>{format!("{x_name} = {:.4}", fp.x)}</td>
                            <td>{format!("{y_name} = {:.4}", fp.y)}</td>
                            <td>{term(&fp.stability, lang.get()).to_string()}</td>
                            <td>{format!("λ = {eig}")}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let legend = move || {
        match lang.get() {
        Lang::En => format!(
            "blue: d{}/dt = 0 · orange: d{}/dt = 0 · filled: stable, open: unstable · click to start a trajectory",
            block.x, block.y
        ),
        Lang::Zh => format!(
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
                role="img"
                aria-label=legend
                on:click=on_click
            ></canvas>
            <p class="legend">{legend}</p>
            <JobStatusView job=job />
            {move || picture.with(|p| p.as_ref().and_then(|p| p.issues.error.clone())).map(|e| view! { <p class="error">{e.get(lang.get()).to_string()}</p> })}
            <table class="fixed-points">{table}</table>
            {block.bifurcation.as_ref().map(|axis| {
                view! { <BifurcationDiagram block=block axis=axis model=model.clone() setting=setting picture=picture /> }
            })}
            {block
                .caption
                .as_ref()
                .map(|c| view! { <Markdown text=Signal::derive(move || c.get(lang.get()).to_string()) /> })}
            <div class="controls">{controls}</div>
            <p class="trajectory-note">
                {move || format!("{} = {}", "t", format_value(setting.with(|s| s.duration_ms)))} " ms"
            </p>
            <BrainPyCode block=&block.id setting=setting file_stem=format!("{}-{}", block.model, block.id) />
        </section>
    }
}
