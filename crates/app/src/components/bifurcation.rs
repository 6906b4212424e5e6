//! A phase plane's bifurcation diagram: the plane's fixed points followed as one parameter
//! varies (solid where stable, dashed where not), the saddle-node and Hopf points with their
//! values, and the range the plane's x sweeps where the model oscillates; under it, where the
//! special points lie in two parameters. The compute worker makes both (and remembers them while
//! only the varied parameters move); a marker here follows the sliders.

use brainplay_content::content::{BifurcationAxis, PhasePlane, SecondParameter};
use brainplay_content::figure::{DiagramFigure, PlaneFigure, TwoParameterFigure};
use brainplay_content::model_info::ModelInfo;
use brainplay_content::Setting;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;

use crate::components::chart::{
    axes, draw_marker, kind_color, redraw, CYCLE, MARKER, STABLE, UNSTABLE,
};
use crate::components::controls::current_value;
use crate::components::hidpi;
use crate::i18n::{term, use_lang, Lang};

/// The two-parameter plane: each special point found, and the sliders' current point.
fn draw_curves(
    canvas: web_sys::HtmlCanvasElement,
    axis: &BifurcationAxis,
    second: &SecondParameter,
    curves: &TwoParameterFigure,
    current: (f64, f64),
) -> Option<()> {
    let root = hidpi::area(canvas)?;
    let (x, y) = (
        second.range[0]..second.range[1],
        axis.range[0]..axis.range[1],
    );
    let titles = (curves.second_label.clone(), curves.first_label.clone());
    let mut chart = axes(&root, x, y, titles)?;
    chart
        .draw_series(curves.points.iter().map(|(kind, second, first)| {
            Circle::new((*second, *first), 3, kind_color(kind).filled())
        }))
        .ok()?;
    chart
        .draw_series([Cross::new(current, 7, MARKER.stroke_width(2))])
        .ok()?;
    root.present().ok()
}

fn draw(
    canvas: web_sys::HtmlCanvasElement,
    block: &PhasePlane,
    axis: &BifurcationAxis,
    diagram: &DiagramFigure,
    current: f64,
) -> Option<()> {
    let root = hidpi::area(canvas)?;
    let [p0, p1] = axis.range;
    let (x0, x1) = (block.x_range[0], block.x_range[1]);
    let titles = (diagram.param_label.clone(), diagram.x_label.clone());
    let mut chart = axes(&root, p0..p1, x0..x1, titles)?;
    for &(param, min, max) in &diagram.cycles {
        // A spike's peak lies above a plane drawn for the subthreshold range: only what is
        // inside is drawn.
        for v in [min, max].into_iter().filter(|v| (x0..=x1).contains(v)) {
            chart
                .draw_series([Circle::new((param, v), 2, CYCLE.filled())])
                .ok()?;
        }
    }
    for points in &diagram.branches {
        // Runs of equal stability, each sharing its first point with the previous run's last.
        let mut start = 0;
        while start < points.len() {
            let stable = points[start].2;
            let mut end = start + 1;
            while end < points.len() && points[end].2 == stable {
                end += 1;
            }
            let run = points[start.saturating_sub(1)..end]
                .iter()
                .map(|&(param, x, _)| (param, x));
            if stable {
                chart
                    .draw_series(LineSeries::new(run, STABLE.stroke_width(3)))
                    .ok()?;
            } else {
                chart
                    .draw_series(DashedLineSeries::new(run, 6, 4, UNSTABLE.stroke_width(2)))
                    .ok()?;
            }
            start = end;
        }
    }
    for s in &diagram.special {
        let label = if s.kind == "hopf" { "H" } else { "SN" };
        chart
            .draw_series([EmptyElement::at((s.param, s.x))
                + Cross::new((0, 0), 6, MARKER.stroke_width(2))
                + Text::new(label, (6, -16), ("sans-serif", 14).into_font())])
            .ok()?;
    }
    draw_marker(&mut chart, current, (x0, x1))?;
    root.present().ok()
}

#[component]
pub fn BifurcationDiagram(
    block: &'static PhasePlane,
    axis: &'static BifurcationAxis,
    model: ModelInfo,
    setting: RwSignal<Setting>,
    picture: Memo<Option<PlaneFigure>>,
) -> impl IntoView {
    let lang = use_lang();
    let defaults = Setting::from_phase_plane(block);
    let current = Memo::new({
        let (model, defaults) = (model.clone(), defaults.clone());
        move |_| setting.with(|s| current_value(s, &defaults, &model, &axis.param))
    });
    let diagram =
        Memo::new(move |_| picture.with(|p| p.as_ref().and_then(|p| p.bifurcation.clone())));
    let canvas = NodeRef::<Canvas>::new();
    let drawn = RwSignal::new(0_u64);
    redraw(canvas, drawn, move |el| {
        let value = current.get();
        diagram.with(|d| {
            d.as_ref()
                .map(|d| draw(el, block, axis, d, value))
                .is_some()
        })
    });
    let two_parameter = axis.two_parameter.as_ref().map(|second| {
        view! { <TwoParameterDiagram block=block axis=axis second=second model=model setting=setting picture=picture /> }
    });
    let x_name = block.x.clone();
    let table = move || {
        diagram.with(|d| {
            d.iter()
                .flat_map(|d| &d.special)
                .map(|s| {
                    view! {
                        <tr class="special-point" data-kind=s.kind.clone() data-param=s.param.to_string()>
                            <td>{term(&s.kind, lang.get()).to_string()}</td>
                            <td>{format!("{} = {:.4}", axis.param, s.param)}</td>
                            <td>{format!("{x_name} = {:.4}", s.x)}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let legend = move || {
        match lang.get() {
        Lang::En => format!(
            "fixed points of the plane as {} varies · green solid: stable, red dashed: unstable · blue dots: min and max of {} on a limit cycle (simulated) · H: Hopf, SN: saddle-node · grey line: the slider's value",
            axis.param, block.x
        ),
        Lang::Zh => format!(
            "{} 变化时相平面的不动点 · 绿色实线：稳定，红色虚线：不稳定 · 蓝点：极限环上 {} 的最小值与最大值（模拟得到） · H：Hopf 分岔，SN：鞍结分岔 · 灰线：滑块当前的值",
            axis.param, block.x
        ),
    }
    };
    view! {
        <div class="bifurcation" id=format!("bif-{}", block.id) data-param=move || current.get().to_string()>
            <canvas node_ref=canvas width="720" height="360" data-drawn=move || drawn.get().to_string() role="img" aria-label=legend></canvas>
            <p class="legend">{legend}</p>
            {move || diagram.with(|d| d.as_ref().and_then(|d| d.issues.error.clone())).map(|e| view! { <p class="error">{e.get(lang.get()).to_string()}</p> })}
            <table class="special-points">{table}</table>
            {two_parameter}
        </div>
    }
}

/// The curves of special points in two parameters, with the sliders' point marked.
#[component]
fn TwoParameterDiagram(
    block: &'static PhasePlane,
    axis: &'static BifurcationAxis,
    second: &'static SecondParameter,
    model: ModelInfo,
    setting: RwSignal<Setting>,
    picture: Memo<Option<PlaneFigure>>,
) -> impl IntoView {
    let lang = use_lang();
    let defaults = Setting::from_phase_plane(block);
    let current = Memo::new(move |_| {
        setting.with(|s| {
            (
                current_value(s, &defaults, &model, &second.param),
                current_value(s, &defaults, &model, &axis.param),
            )
        })
    });
    let curves =
        Memo::new(move |_| picture.with(|p| p.as_ref().and_then(|p| p.two_parameter.clone())));
    let canvas = NodeRef::<Canvas>::new();
    let drawn = RwSignal::new(0_u64);
    redraw(canvas, drawn, move |el| {
        let point = current.get();
        curves.with(|c| {
            c.as_ref()
                .map(|c| draw_curves(el, axis, second, c, point))
                .is_some()
        })
    });
    let counts = move || {
        curves.with(|c| {
            let points = c.as_ref().map(|c| c.points.as_slice()).unwrap_or_default();
            let count = |kind: &str| points.iter().filter(|p| p.0 == kind).count();
            (count("hopf"), count("saddle-node"))
        })
    };
    let legend = move || {
        match lang.get() {
        Lang::En => format!(
            "where the special points lie in ({}, {}): red: Hopf, purple: saddle-node · cross: the sliders' values",
            second.param, axis.param
        ),
        Lang::Zh => format!(
            "特殊点在 ({}, {}) 平面上的位置：红色：Hopf 分岔，紫色：鞍结分岔 · 十字：滑块当前的值",
            second.param, axis.param
        ),
    }
    };
    view! {
        <div
            class="two-parameter"
            id=format!("bif2-{}", block.id)
            data-hopf=move || counts().0.to_string()
            data-saddle-node=move || counts().1.to_string()
        >
            <canvas node_ref=canvas width="720" height="320" data-drawn=move || drawn.get().to_string() role="img" aria-label=legend></canvas>
            <p class="legend">{legend}</p>
            {move || curves.with(|c| c.as_ref().and_then(|c| c.issues.error.clone())).map(|e| view! { <p class="error">{e.get(lang.get()).to_string()}</p> })}
        </div>
    }
}
