//! A phase plane's bifurcation diagram: the plane's fixed points followed by continuation as one
//! parameter varies (solid where stable, dashed where not), the saddle-node and Hopf points with
//! their values, and the range the plane's x sweeps where the model oscillates, found by
//! simulation. A marker follows the parameter's slider; the other sliders recompute the diagram.

use brainplay_analysis::{
    continue_fixed_points, envelopes, special_curves, CurvePoint, CycleSpec, Diagram, Envelope,
    PlaneSpec, SpecialKind, Stability, Sweep,
};
use brainplay_lessons::content::{BifurcationAxis, PhasePlane, SecondParameter};
use brainplay_lessons::Setting;
use brainplay_sim::Model;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

use crate::components::phase_plane::{axes, params_except, variable_label, FIXED_POINT_STARTS};
use crate::i18n::{use_lang, Lang};

/// An oscillation narrower than this fraction of the plane's x range is a settled fixed point.
const MIN_AMPLITUDE: f64 = 0.01;
/// Continuation steps in the first parameter for each value of the second: coarse, since each
/// special point is then located by bisection to 1e-6.
const TWO_PARAMETER_STEPS: usize = 50;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct BifurcationPicture {
    pub diagram: Diagram,
    /// Only where the model oscillates.
    pub cycles: Vec<Envelope>,
    pub problem: Option<String>,
}

/// The diagram for the parameters `params` (the varied one's value among them is ignored).
pub fn compute(
    model: &Model,
    block: &PhasePlane,
    axis: &BifurcationAxis,
    params: &[(String, f64)],
) -> BifurcationPicture {
    let params: Vec<(&str, f64)> = params
        .iter()
        .filter(|(name, _)| *name != axis.param)
        .map(|(name, v)| (name.as_str(), *v))
        .collect();
    let plane = plane_spec(block, params.clone());
    let [from, to] = axis.range;
    let mut picture = BifurcationPicture::default();
    match continue_fixed_points(model, &plane, &axis.param, from, to, axis.steps) {
        Ok(diagram) => picture.diagram = diagram,
        Err(e) => picture.problem = Some(e.to_string()),
    }
    if axis.cycles > 0 {
        let last = (axis.cycles.max(2) - 1) as f64;
        let spec = CycleSpec {
            x: &block.x,
            param: &axis.param,
            values: (0..axis.cycles)
                .map(|k| from + (to - from) * k as f64 / last)
                .collect(),
            params,
            init: block
                .start
                .map(|[x, y]| vec![(block.x.as_str(), x), (block.y.as_str(), y)])
                .unwrap_or_default(),
            settle_ms: axis.cycle_settle_ms,
            measure_ms: axis.cycle_measure_ms,
            dt_ms: block.dt_ms,
        };
        let min_amplitude = MIN_AMPLITUDE * (block.x_range[1] - block.x_range[0]);
        match envelopes(model, &spec) {
            Ok(all) => {
                picture.cycles = all
                    .into_iter()
                    .filter(|e| e.amplitude() > min_amplitude)
                    .collect()
            }
            Err(e) => picture.problem = Some(e.to_string()),
        }
    }
    picture
}

fn plane_spec<'a>(block: &'a PhasePlane, params: Vec<(&'a str, f64)>) -> PlaneSpec<'a> {
    PlaneSpec {
        x: &block.x,
        y: &block.y,
        x_range: (block.x_range[0], block.x_range[1]),
        y_range: (block.y_range[0], block.y_range[1]),
        params,
        held: vec![],
        grid: FIXED_POINT_STARTS,
    }
}

/// The special points in (second, first) for `params` (the two varied ones' values ignored).
pub fn compute_curves(
    model: &Model,
    block: &PhasePlane,
    axis: &BifurcationAxis,
    second: &SecondParameter,
    params: &[(String, f64)],
) -> Result<Vec<CurvePoint>, String> {
    let params: Vec<(&str, f64)> = params
        .iter()
        .filter(|(name, _)| *name != axis.param && *name != second.param)
        .map(|(name, v)| (name.as_str(), *v))
        .collect();
    let first = Sweep {
        param: &axis.param,
        from: axis.range[0],
        to: axis.range[1],
        steps: TWO_PARAMETER_STEPS,
    };
    let second = Sweep {
        param: &second.param,
        from: second.range[0],
        to: second.range[1],
        steps: second.steps,
    };
    special_curves(model, &plane_spec(block, params), &first, &second).map_err(|e| e.to_string())
}

fn is_stable(s: Stability) -> bool {
    matches!(s, Stability::StableNode | Stability::StableFocus)
}

/// The colours of every diagram (phase lines' included).
pub(crate) const STABLE: RGBColor = RGBColor(23, 114, 69);
pub(crate) const UNSTABLE: RGBColor = RGBColor(180, 35, 24);
pub(crate) const CYCLE: RGBColor = RGBColor(31, 119, 180);
pub(crate) const MARKER: RGBColor = RGBColor(29, 36, 51);
pub(crate) const SADDLE_NODE: RGBColor = RGBColor(148, 103, 189);

type Chart<'a> = ChartContext<'a, CanvasBackend, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The grey line at the varied parameter's current value, across `y`.
pub(crate) fn draw_marker(chart: &mut Chart, current: f64, (y0, y1): (f64, f64)) -> Option<()> {
    chart
        .draw_series(LineSeries::new(
            [(current, y0), (current, y1)],
            MARKER.mix(0.5).stroke_width(1),
        ))
        .ok()?;
    Some(())
}

fn kind_color(kind: SpecialKind) -> RGBColor {
    match kind {
        SpecialKind::Hopf => UNSTABLE,
        SpecialKind::SaddleNode => SADDLE_NODE,
    }
}

/// The two-parameter plane: each special point found, and the sliders' current point.
fn draw_curves(
    canvas: web_sys::HtmlCanvasElement,
    axis: &BifurcationAxis,
    second: &SecondParameter,
    model: &Model,
    curves: &[CurvePoint],
    current: (f64, f64),
) -> Option<()> {
    let root = CanvasBackend::with_canvas_object(canvas)?.into_drawing_area();
    let (x, y) = (
        second.range[0]..second.range[1],
        axis.range[0]..axis.range[1],
    );
    let titles = (
        variable_label(model, &second.param),
        variable_label(model, &axis.param),
    );
    let mut chart = axes(&root, x, y, titles)?;
    chart
        .draw_series(
            curves
                .iter()
                .map(|p| Circle::new((p.second, p.first), 3, kind_color(p.kind).filled())),
        )
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
    model: &Model,
    picture: &BifurcationPicture,
    current: f64,
) -> Option<()> {
    let root = CanvasBackend::with_canvas_object(canvas)?.into_drawing_area();
    let [p0, p1] = axis.range;
    let (x0, x1) = (block.x_range[0], block.x_range[1]);
    let titles = (
        variable_label(model, &axis.param),
        variable_label(model, &block.x),
    );
    let mut chart = axes(&root, p0..p1, x0..x1, titles)?;
    for e in &picture.cycles {
        // A spike's peak lies above a plane drawn for the subthreshold range: only what is
        // inside is drawn.
        for v in [e.min, e.max].into_iter().filter(|v| (x0..=x1).contains(v)) {
            chart
                .draw_series([Circle::new((e.param, v), 2, CYCLE.filled())])
                .ok()?;
        }
    }
    for branch in &picture.diagram.branches {
        // Runs of equal stability, each sharing its first point with the previous run's last.
        let mut start = 0;
        let points = &branch.points;
        while start < points.len() {
            let stable = is_stable(points[start].stability);
            let mut end = start + 1;
            while end < points.len() && is_stable(points[end].stability) == stable {
                end += 1;
            }
            let run = points[start.saturating_sub(1)..end]
                .iter()
                .map(|p| (p.param, p.x));
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
    for s in &picture.diagram.special {
        let label = match s.kind {
            SpecialKind::Hopf => "H",
            SpecialKind::SaddleNode => "SN",
        };
        chart
            .draw_series([EmptyElement::at((s.param, s.x))
                + Cross::new((0, 0), 6, MARKER.stroke_width(2))
                + Text::new(label, (6, -16), ("sans-serif", 14).into_font())])
            .ok()?;
    }
    draw_marker(&mut chart, current, (x0, x1))?;
    root.present().ok()
}

pub(crate) fn special_name(kind: SpecialKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (SpecialKind::Hopf, Lang::En) => "Hopf bifurcation",
        (SpecialKind::Hopf, Lang::Zh) => "Hopf 分岔",
        (SpecialKind::SaddleNode, Lang::En) => "saddle-node bifurcation",
        (SpecialKind::SaddleNode, Lang::Zh) => "鞍结分岔",
    }
}

fn kind_code(kind: SpecialKind) -> &'static str {
    match kind {
        SpecialKind::Hopf => "hopf",
        SpecialKind::SaddleNode => "saddle-node",
    }
}

#[component]
pub fn BifurcationDiagram(
    block: &'static PhasePlane,
    axis: &'static BifurcationAxis,
    model: Model,
    setting: RwSignal<Setting>,
) -> impl IntoView {
    let lang = use_lang();
    // The diagram depends on every parameter but the one it varies: moving that one's slider only
    // moves the marker.
    let others = Memo::new(move |_| setting.with(|s| params_except(s, &[&axis.param])));
    let current = Memo::new({
        let model = model.clone();
        move |_| setting.with(|s| value_of(&model, s, &axis.param))
    });
    let picture = Memo::new({
        let model = model.clone();
        move |_| others.with(|params| compute(&model, block, axis, params))
    });
    let canvas = NodeRef::<Canvas>::new();
    let drawn = RwSignal::new(0_u64);
    {
        let model = model.clone();
        Effect::new(move |_| {
            let value = current.get();
            picture.with(|p| {
                if let Some(el) = canvas.get() {
                    draw(el, block, axis, &model, p, value);
                    drawn.update(|n| *n += 1);
                }
            });
        });
    }
    let two_parameter = axis
        .two_parameter
        .as_ref()
        .map(|second| view! { <TwoParameterDiagram block=block axis=axis second=second model=model.clone() setting=setting /> });
    let x_name = block.x.clone();
    let table = move || {
        picture.with(|p| {
            p.diagram
                .special
                .iter()
                .map(|s| {
                    view! {
                        <tr class="special-point" data-kind=kind_code(s.kind) data-param=s.param.to_string()>
                            <td>{special_name(s.kind, lang.get())}</td>
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
            <canvas node_ref=canvas width="720" height="360" data-drawn=move || drawn.get().to_string()></canvas>
            <p class="legend">{legend}</p>
            {move || picture.with(|p| p.problem.clone()).map(|e| view! { <p class="error">{e}</p> })}
            <table class="special-points">{table}</table>
            {two_parameter}
        </div>
    }
}

/// The value of `name` in `setting`, or the model's default.
fn value_of(model: &Model, setting: &Setting, name: &str) -> f64 {
    setting
        .params
        .get(name)
        .and_then(|v| v.first().copied())
        .or_else(|| model.param_index(name).map(|i| model.params[i].default))
        .unwrap_or(f64::NAN)
}

/// The curves of special points in two parameters, with the sliders' point marked. Recomputed
/// only when a third parameter changes.
#[component]
fn TwoParameterDiagram(
    block: &'static PhasePlane,
    axis: &'static BifurcationAxis,
    second: &'static SecondParameter,
    model: Model,
    setting: RwSignal<Setting>,
) -> impl IntoView {
    let lang = use_lang();
    let others =
        Memo::new(move |_| setting.with(|s| params_except(s, &[&axis.param, &second.param])));
    let current = Memo::new({
        let model = model.clone();
        move |_| {
            setting.with(|s| {
                (
                    value_of(&model, s, &second.param),
                    value_of(&model, s, &axis.param),
                )
            })
        }
    });
    let curves = Memo::new({
        let model = model.clone();
        move |_| others.with(|params| compute_curves(&model, block, axis, second, params))
    });
    let canvas = NodeRef::<Canvas>::new();
    let drawn = RwSignal::new(0_u64);
    Effect::new(move |_| {
        let point = current.get();
        curves.with(|c| {
            if let (Some(el), Ok(points)) = (canvas.get(), c) {
                draw_curves(el, axis, second, &model, points, point);
                drawn.update(|n| *n += 1);
            }
        });
    });
    let counts = move || {
        curves.with(|c| {
            let points = c.as_ref().map(Vec::as_slice).unwrap_or_default();
            let count = |kind| points.iter().filter(|p| p.kind == kind).count();
            (count(SpecialKind::Hopf), count(SpecialKind::SaddleNode))
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
            <canvas node_ref=canvas width="720" height="320" data-drawn=move || drawn.get().to_string()></canvas>
            <p class="legend">{legend}</p>
            {move || curves.with(|c| c.clone().err()).map(|e| view! { <p class="error">{e}</p> })}
        </div>
    }
}
