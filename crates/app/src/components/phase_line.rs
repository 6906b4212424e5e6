//! A live phase line: dx/dt against x for a one-variable model, its fixed points (filled:
//! stable, open: unstable) and the direction of the flow between them; with a bifurcation
//! axis, the fixed points at every value of one parameter and the saddle-nodes where pairs of
//! them meet. The compute worker recomputes them when a slider moves; this component draws.

use brainplay_content::content::{LineBifurcation, PhaseLine};
use brainplay_content::figure::{Figures, LineDiagramFigure, LineFigure};
use brainplay_content::model_info::ModelInfo;
use brainplay_content::Setting;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;

use crate::components::brainpy_code::BrainPyCode;
use crate::components::chart::{
    axes, draw_marker, redraw, CYCLE, FAINT, MARKER, SADDLE_NODE, STABLE, UNSTABLE,
};
use crate::components::controls::{current_value, setting_controls};
use crate::components::hidpi;
use crate::components::job_status::{done_figures, JobStatusView};
use crate::components::markdown::Markdown;
use crate::compute::Job;
use crate::i18n::{term, use_lang, Lang};

/// Flow arrows drawn along the x axis.
const FLOW_ARROWS: usize = 24;

fn point_style(stable: bool) -> ShapeStyle {
    if stable {
        STABLE.filled()
    } else {
        UNSTABLE.stroke_width(2)
    }
}

/// The code of a phase line's point's stability (`brainplay_analysis::LineStability::label`).
fn stability_code(stable: bool) -> &'static str {
    if stable {
        "stable point"
    } else {
        "unstable point"
    }
}

fn draw_line(
    canvas: web_sys::HtmlCanvasElement,
    block: &PhaseLine,
    line: &LineFigure,
) -> Option<()> {
    let root = hidpi::area(canvas)?;
    let finite = line.dxdt.iter().copied().filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((0.0_f64, 0.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let pad = 0.05 * (hi - lo).max(1e-9);
    let (x0, x1) = (block.x_range[0], block.x_range[1]);
    let titles = (line.x_label.clone(), format!("d{}/dt (per ms)", block.x));
    let mut chart = axes(&root, x0..x1, (lo - pad)..(hi + pad), titles)?;
    chart
        .draw_series(LineSeries::new(
            [(x0, 0.0), (x1, 0.0)],
            MARKER.stroke_width(1),
        ))
        .ok()?;
    chart
        .draw_series(LineSeries::new(
            line.xs.iter().copied().zip(line.dxdt.iter().copied()),
            CYCLE.stroke_width(2),
        ))
        .ok()?;
    // Flow direction on the axis: right where dx/dt > 0, left where it is negative.
    let step = (line.xs.len() / FLOW_ARROWS).max(1);
    for k in (step / 2..line.xs.len()).step_by(step) {
        let v = line.dxdt[k];
        if v == 0.0 || !v.is_finite() {
            continue;
        }
        let tip: [(i32, i32); 3] = if v > 0.0 {
            [(6, 0), (-4, -5), (-4, 5)]
        } else {
            [(-6, 0), (4, -5), (4, 5)]
        };
        chart
            .draw_series([
                EmptyElement::at((line.xs[k], 0.0)) + Polygon::new(tip.to_vec(), FAINT.filled())
            ])
            .ok()?;
    }
    for p in &line.fixed_points {
        chart
            .draw_series([Circle::new((p.x, 0.0), 6, point_style(p.stable))])
            .ok()?;
    }
    root.present().ok()
}

fn draw_diagram(
    canvas: web_sys::HtmlCanvasElement,
    block: &PhaseLine,
    axis: &LineBifurcation,
    x_label: &str,
    diagram: &LineDiagramFigure,
    current: f64,
) -> Option<()> {
    let root = hidpi::area(canvas)?;
    let (x0, x1) = (block.x_range[0], block.x_range[1]);
    let titles = (diagram.param_label.clone(), x_label.to_string());
    let mut chart = axes(&root, axis.range[0]..axis.range[1], x0..x1, titles)?;
    chart
        .draw_series(diagram.points.iter().map(|&(param, x, stable)| {
            let color = if stable { STABLE } else { UNSTABLE };
            Circle::new((param, x), 2, color.filled())
        }))
        .ok()?;
    for &sn in &diagram.saddle_nodes {
        chart
            .draw_series(DashedLineSeries::new(
                [(sn, x0), (sn, x1)],
                6,
                4,
                SADDLE_NODE.stroke_width(2),
            ))
            .ok()?;
    }
    draw_marker(&mut chart, current, (x0, x1))?;
    root.present().ok()
}

#[component]
pub fn PhaseLineBlock(
    block: &'static PhaseLine,
    setting: RwSignal<Setting>,
    model: ModelInfo,
) -> impl IntoView {
    let lang = use_lang();
    let defaults = Setting::from_phase_line(block);
    let job = Job::following(&block.id, setting);
    let status = job.status;
    // Nothing is drawn until the first figure arrives; then the latest one stays up.
    let line = Memo::new(move |previous: Option<&Option<LineFigure>>| {
        status.with(|st| match done_figures(st) {
            Some(Figures::Line(line)) => Some(line.clone()),
            _ => previous.cloned().flatten(),
        })
    });
    let diagram = Memo::new(move |_| line.with(|l| l.as_ref().and_then(|l| l.diagram.clone())));
    let current = Memo::new({
        let (model, defaults) = (model.clone(), defaults.clone());
        move |_| {
            let param = block.bifurcation.as_ref().map_or("", |a| a.param.as_str());
            setting.with(|s| current_value(s, &defaults, &model, param))
        }
    });

    let line_canvas = NodeRef::<Canvas>::new();
    let line_drawn = RwSignal::new(0_u64);
    redraw(line_canvas, line_drawn, move |el| {
        line.with(|l| l.as_ref().map(|l| draw_line(el, block, l)).is_some())
    });
    let diagram_canvas = NodeRef::<Canvas>::new();
    let diagram_drawn = RwSignal::new(0_u64);
    redraw(diagram_canvas, diagram_drawn, move |el| {
        let value = current.get();
        let x_label = line.with(|l| l.as_ref().map(|l| l.x_label.clone()).unwrap_or_default());
        diagram.with(|d| match (&block.bifurcation, d) {
            (Some(axis), Some(d)) => draw_diagram(el, block, axis, &x_label, d, value).is_some(),
            _ => false,
        })
    });
    let x_name = block.x.clone();
    let table = move || {
        line.with(|l| {
            l.iter()
                .flat_map(|l| &l.fixed_points)
                .map(|fp| {
                    let code = stability_code(fp.stable);
                    view! {
                        <tr class="line-point" data-stability=code data-x=fp.x.to_string()>
                            <td>{format!("{x_name}* = {:.4}", fp.x + 0.0)}</td>
                            <td>{format!("slope = {:.4} / ms", fp.slope)}</td>
                            <td>{term(code, lang.get()).to_string()}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let saddle_nodes = move || {
        diagram.with(|d| {
            d.as_ref()
                .map(|d| d.saddle_nodes.clone())
                .unwrap_or_default()
                .into_iter()
                .map(|sn| {
                    let param = block.bifurcation.as_ref().map_or("", |a| a.param.as_str());
                    let name = term("saddle-node", lang.get()).to_string();
                    view! {
                        <tr class="special-point" data-kind="saddle-node" data-param=sn.to_string()>
                            <td>{name}</td>
                            <td>{format!("{param} = {sn:.4}")}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let legend = move || {
        match lang.get() {
        Lang::En => format!(
            "d{0}/dt against {0} · filled: stable, open: unstable · arrows: the direction {0} moves",
            block.x
        ),
        Lang::Zh => format!(
            "d{0}/dt 随 {0} 的变化 · 实心：稳定，空心：不稳定 · 箭头：{0} 运动的方向",
            block.x
        ),
    }
    };
    let diagram_view = block.bifurcation.as_ref().map(|axis| {
        let legend = move || match lang.get() {
            Lang::En => format!(
                "fixed points as {} varies · green: stable, red: unstable · purple dashed: saddle-node · grey line: the slider's value",
                axis.param
            ),
            Lang::Zh => format!(
                "{} 变化时的不动点 · 绿色：稳定，红色：不稳定 · 紫色虚线：鞍结分岔 · 灰线：滑块当前的值",
                axis.param
            ),
        };
        view! {
            <div class="bifurcation" id=format!("bif-{}", block.id) data-param=move || current.get().to_string()>
                <canvas node_ref=diagram_canvas width="720" height="320" data-drawn=move || diagram_drawn.get().to_string() role="img" aria-label=legend></canvas>
                <p class="legend">{legend}</p>
                <table class="special-points">{saddle_nodes}</table>
            </div>
        }
    });
    let controls = setting_controls(&model, block.controls.as_ref(), &defaults, setting);
    view! {
        <section class="phase-plane phase-line" id=format!("pl-{}", block.id)>
            <h3>{move || block.title.get(lang.get()).to_string()}</h3>
            <canvas node_ref=line_canvas width="720" height="320" data-drawn=move || line_drawn.get().to_string() role="img" aria-label=legend></canvas>
            <p class="legend">{legend}</p>
            <JobStatusView job=job />
            {move || {
                let problems = [
                    line.with(|l| l.as_ref().and_then(|l| l.issues.error.clone())),
                    diagram.with(|d| d.as_ref().and_then(|d| d.issues.error.clone())),
                ]
                .map(|e| e.map(|e| e.get(lang.get()).to_string()));
                problems.into_iter().flatten().map(|e| view! { <p class="error">{e}</p> }).collect_view()
            }}
            <table class="fixed-points">{table}</table>
            {diagram_view}
            {block
                .caption
                .as_ref()
                .map(|c| view! { <Markdown text=Signal::derive(move || c.get(lang.get()).to_string()) /> })}
            <div class="controls">{controls}</div>
            <BrainPyCode block=&block.id setting=setting file_stem=format!("{}-{}", block.model, block.id) />
        </section>
    }
}
