//! A live phase line: dx/dt against x for a one-variable model, its fixed points (filled:
//! stable, open: unstable) and the direction of the flow between them; with a bifurcation
//! axis, the fixed points at every value of one parameter and the saddle-nodes where pairs of
//! them meet. Everything is recomputed when a slider moves.

use brainplay_analysis::{
    line_diagram, phase_line, LineDiagram, LineSpec, LineStability, SpecialKind,
};
use brainplay_lessons::content::{LineBifurcation, PhaseLine};
use brainplay_lessons::Setting;
use brainplay_sim::{library, Model};
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

use crate::components::bifurcation::{
    draw_marker, special_name, CYCLE, MARKER, SADDLE_NODE, STABLE, UNSTABLE,
};
use crate::components::markdown::Markdown;
use crate::components::phase_plane::{axes, params_except, plane_params, variable_label};
use crate::components::simulator::setting_controls;
use crate::i18n::{use_lang, Lang};

/// Flow arrows drawn along the x axis.
const FLOW_ARROWS: usize = 24;

fn line_spec<'a>(block: &'a PhaseLine, params: &'a [(String, f64)]) -> LineSpec<'a> {
    LineSpec {
        x: &block.x,
        range: (block.x_range[0], block.x_range[1]),
        params: params.iter().map(|(n, v)| (n.as_str(), *v)).collect(),
        held: vec![],
        samples: block.samples,
    }
}

fn compute_line(
    model: &Model,
    block: &PhaseLine,
    params: &[(String, f64)],
) -> Result<brainplay_analysis::PhaseLine, String> {
    phase_line(model, &line_spec(block, params)).map_err(|e| e.to_string())
}

fn compute_diagram(
    model: &Model,
    block: &PhaseLine,
    axis: &LineBifurcation,
    params: &[(String, f64)],
) -> Result<LineDiagram, String> {
    let range = (axis.range[0], axis.range[1]);
    line_diagram(
        model,
        &line_spec(block, params),
        &axis.param,
        range,
        axis.steps,
    )
    .map_err(|e| e.to_string())
}

fn point_style(stability: LineStability) -> ShapeStyle {
    match stability {
        LineStability::Stable => STABLE.filled(),
        LineStability::Unstable => UNSTABLE.stroke_width(2),
    }
}

fn draw_line(
    canvas: web_sys::HtmlCanvasElement,
    block: &PhaseLine,
    model: &Model,
    line: &brainplay_analysis::PhaseLine,
) -> Option<()> {
    let root = CanvasBackend::with_canvas_object(canvas)?.into_drawing_area();
    let finite = line.dxdt.iter().copied().filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((0.0_f64, 0.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let pad = 0.05 * (hi - lo).max(1e-9);
    let (x0, x1) = (block.x_range[0], block.x_range[1]);
    let titles = (
        variable_label(model, &block.x),
        format!("d{}/dt (per ms)", block.x),
    );
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
            .draw_series([EmptyElement::at((line.xs[k], 0.0))
                + Polygon::new(tip.to_vec(), RGBColor(170, 178, 190).filled())])
            .ok()?;
    }
    for p in &line.fixed_points {
        chart
            .draw_series([Circle::new((p.x, 0.0), 6, point_style(p.stability))])
            .ok()?;
    }
    root.present().ok()
}

fn draw_diagram(
    canvas: web_sys::HtmlCanvasElement,
    block: &PhaseLine,
    axis: &LineBifurcation,
    model: &Model,
    diagram: &LineDiagram,
    current: f64,
) -> Option<()> {
    let root = CanvasBackend::with_canvas_object(canvas)?.into_drawing_area();
    let (x0, x1) = (block.x_range[0], block.x_range[1]);
    let titles = (
        variable_label(model, &axis.param),
        variable_label(model, &block.x),
    );
    let mut chart = axes(&root, axis.range[0]..axis.range[1], x0..x1, titles)?;
    chart
        .draw_series(diagram.points.iter().map(|(param, p)| {
            let color = match p.stability {
                LineStability::Stable => STABLE,
                LineStability::Unstable => UNSTABLE,
            };
            Circle::new((*param, p.x), 2, color.filled())
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

fn stability_text(s: LineStability, lang: Lang) -> &'static str {
    match (s, lang) {
        (_, Lang::En) => s.label(),
        (LineStability::Stable, Lang::Zh) => "稳定点",
        (LineStability::Unstable, Lang::Zh) => "不稳定点",
    }
}

#[component]
pub fn PhaseLineBlock(block: &'static PhaseLine, setting: RwSignal<Setting>) -> impl IntoView {
    let lang = use_lang();
    let Some(model) = library::get(&block.model) else {
        return view! { <p class="error">{format!("unknown model {}", block.model)}</p> }
            .into_any();
    };
    let defaults = Setting::from_phase_line(block);
    let params = Memo::new(move |_| setting.with(plane_params));
    // The diagram varies one parameter itself, so only the others recompute it.
    let others = Memo::new(move |_| {
        let varied: Vec<&str> = block.bifurcation.iter().map(|a| a.param.as_str()).collect();
        setting.with(|s| params_except(s, &varied))
    });
    let line = Memo::new({
        let model = model.clone();
        move |_| params.with(|ps| compute_line(&model, block, ps))
    });
    let diagram = Memo::new({
        let model = model.clone();
        move |_| {
            let axis = block.bifurcation.as_ref()?;
            Some(others.with(|ps| compute_diagram(&model, block, axis, ps)))
        }
    });
    let current = Memo::new({
        let model = model.clone();
        move |_| {
            let param = block.bifurcation.as_ref().map_or("", |a| a.param.as_str());
            params
                .with(|ps| ps.iter().find(|(n, _)| n == param).map(|(_, v)| *v))
                .or_else(|| model.param_index(param).map(|i| model.params[i].default))
                .unwrap_or(f64::NAN)
        }
    });

    let line_canvas = NodeRef::<Canvas>::new();
    let line_drawn = RwSignal::new(0_u64);
    {
        let model = model.clone();
        Effect::new(move |_| {
            line.with(|p| {
                if let (Some(el), Ok(l)) = (line_canvas.get(), p) {
                    draw_line(el, block, &model, l);
                    line_drawn.update(|n| *n += 1);
                }
            })
        });
    }
    let diagram_canvas = NodeRef::<Canvas>::new();
    let diagram_drawn = RwSignal::new(0_u64);
    {
        let model = model.clone();
        Effect::new(move |_| {
            let value = current.get();
            diagram.with(|p| {
                if let (Some(el), Some(axis), Some(Ok(d))) =
                    (diagram_canvas.get(), &block.bifurcation, p)
                {
                    draw_diagram(el, block, axis, &model, d, value);
                    diagram_drawn.update(|n| *n += 1);
                }
            })
        });
    }
    let x_name = block.x.clone();
    let table = move || {
        line.with(|p| {
            p.iter()
                .flat_map(|l| &l.fixed_points)
                .map(|fp| {
                    view! {
                        <tr class="line-point" data-stability=fp.stability.label() data-x=fp.x.to_string()>
                            <td>{format!("{x_name}* = {:.4}", fp.x + 0.0)}</td>
                            <td>{format!("slope = {:.4} / ms", fp.slope)}</td>
                            <td>{stability_text(fp.stability, lang.get())}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let saddle_nodes = move || {
        diagram.with(|p| {
            let d = p.as_ref().and_then(|d| d.as_ref().ok());
            d.map(|d| d.saddle_nodes.clone())
                .unwrap_or_default()
                .into_iter()
                .map(|sn| {
                    let param = block.bifurcation.as_ref().map_or("", |a| a.param.as_str());
                    let name = special_name(SpecialKind::SaddleNode, lang.get());
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
                <canvas node_ref=diagram_canvas width="720" height="320" data-drawn=move || diagram_drawn.get().to_string()></canvas>
                <p class="legend">{legend}</p>
                <table class="special-points">{saddle_nodes}</table>
            </div>
        }
    });
    let controls = setting_controls(&model, block.controls.as_ref(), &defaults, setting);
    view! {
        <section class="phase-plane phase-line" id=format!("pl-{}", block.id)>
            <h3>{move || block.title.get(lang.get()).to_string()}</h3>
            <canvas node_ref=line_canvas width="720" height="320" data-drawn=move || line_drawn.get().to_string()></canvas>
            <p class="legend">{legend}</p>
            {move || {
                let problems = [
                    line.with(|p| p.clone().err()),
                    diagram.with(|p| p.clone().and_then(Result::err)),
                ];
                problems.into_iter().flatten().map(|e| view! { <p class="error">{e}</p> }).collect_view()
            }}
            <table class="fixed-points">{table}</table>
            {diagram_view}
            {block
                .caption
                .as_ref()
                .map(|c| view! { <Markdown text=Signal::derive(move || c.get(lang.get()).to_string()) /> })}
            <div class="controls">{controls}</div>
        </section>
    }
    .into_any()
}
