//! A phase plane's figures: both nullclines, the vector field, every fixed point in the box with
//! its stability, a trajectory from each start point; beside it, the fixed points followed as
//! one parameter varies (with limit cycles found by simulation) and the special points' curves
//! in two parameters.

use brainplay_analysis::{
    arrows, continue_fixed_points, envelopes, fixed_points_2d, nullclines, special_curves,
    trajectory, CycleSpec, PlaneSpec, SpecialKind, Stability, Sweep, TrajectorySpec,
};
use brainplay_sim::{msg, Message, Model};

use super::cache::{remember, Cache};
use super::{params_except, single_params, variable_label, Computation};
use crate::bilingual;
use crate::content::{BifurcationAxis, Figured, PhasePlane, SecondParameter, Widget};
use crate::figure::{
    Arrow, DiagramFigure, Figures, Issues, PlaneFigure, PlanePoint, SpecialPoint,
    TwoParameterFigure,
};
use crate::setting::Setting;

/// Arrows per axis: enough to read the flow, few enough to stay legible.
const ARROWS_PER_AXIS: usize = 20;
/// Newton starts per axis for the fixed points.
pub const FIXED_POINT_STARTS: usize = 24;
/// An oscillation narrower than this fraction of the plane's x range is a settled fixed point.
const MIN_AMPLITUDE: f64 = 0.01;
/// Continuation steps in the first parameter for each value of the second: coarse, since each
/// special point is then located by bisection to 1e-6.
const TWO_PARAMETER_STEPS: usize = 50;

fn plane_spec<'a>(
    block: &'a PhasePlane,
    params: Vec<(&'a str, f64)>,
    grid: usize,
) -> PlaneSpec<'a> {
    PlaneSpec {
        x: &block.x,
        y: &block.y,
        x_range: (block.x_range[0], block.x_range[1]),
        y_range: (block.y_range[0], block.y_range[1]),
        params,
        held: vec![],
        grid,
    }
}

/// A phase plane's or phase line's analysis of this model, done in `finish`.
pub(super) struct Analysis(pub(super) Box<Model>);

impl Computation for Analysis {
    fn finish(
        self: Box<Self>,
        block: Figured,
        setting: &Setting,
        cache: &mut Cache,
    ) -> Result<Figures, Message> {
        match block {
            Figured::Widget(Widget::PhasePlane(plane)) => Ok(Figures::Plane(Box::new(figure(
                &self.0, plane, setting, cache,
            )))),
            Figured::Widget(Widget::PhaseLine(line)) => Ok(Figures::Line(super::line::figure(
                &self.0, line, setting, cache,
            ))),
            _ => Err(msg!(
                "this block has no figure of that kind",
                "这个块没有这种图"
            )),
        }
    }
}

pub(super) fn kind_code(kind: SpecialKind) -> &'static str {
    match kind {
        SpecialKind::Hopf => "hopf",
        SpecialKind::SaddleNode => "saddle-node",
    }
}

fn is_stable(s: Stability) -> bool {
    matches!(s, Stability::StableNode | Stability::StableFocus)
}

pub(super) fn figure(
    model: &Model,
    block: &PhasePlane,
    setting: &Setting,
    cache: &mut Cache,
) -> PlaneFigure {
    let owned = single_params(setting);
    let params = params_except(&owned, &[]);
    // What does not depend on the start points: a click adds one trajectory and nothing else.
    let inputs = (&setting.source, block, &params);
    let mut figure = remember(&mut cache.planes, &block.id, inputs, || {
        field(model, block, params.clone())
    });
    for &[x, y] in &setting.starts {
        let spec = TrajectorySpec {
            x: &block.x,
            y: &block.y,
            start: (x, y),
            duration_ms: setting.duration_ms,
            dt_ms: setting.dt_ms,
            params: params.clone(),
            init: vec![],
        };
        if let Ok(t) = trajectory(model, &spec) {
            figure.trajectories.push(t.segments);
        }
    }
    if let Some(axis) = &block.bifurcation {
        let inputs = (
            &setting.source,
            block,
            params_except(&owned, &[&axis.param]),
        );
        figure.bifurcation = Some(remember(&mut cache.diagrams, &block.id, inputs, || {
            diagram(model, block, axis, &owned)
        }));
        if let Some(second) = &axis.two_parameter {
            let varied = [axis.param.as_str(), second.param.as_str()];
            let inputs = (&setting.source, block, params_except(&owned, &varied));
            figure.two_parameter = Some(remember(
                &mut cache.two_parameter,
                &block.id,
                inputs,
                || two_parameter(model, block, axis, second, &owned),
            ));
        }
    }
    figure
}

/// The plane itself: nullclines, the vector field and the fixed points.
fn field(model: &Model, block: &PhasePlane, params: Vec<(&str, f64)>) -> PlaneFigure {
    let mut figure = PlaneFigure {
        x_label: variable_label(model, &block.x),
        y_label: variable_label(model, &block.y),
        ..PlaneFigure::default()
    };
    match nullclines(model, &plane_spec(block, params.clone(), block.grid)) {
        Ok(n) => (figure.x_nullclines, figure.y_nullclines) = (n.x, n.y),
        Err(e) => figure.issues = Issues::failed(bilingual(e.0)),
    }
    let field = arrows(model, &plane_spec(block, params.clone(), ARROWS_PER_AXIS));
    figure.arrows = field
        .unwrap_or_default()
        .into_iter()
        .map(|a| Arrow {
            x: a.x,
            y: a.y,
            dx: a.direction.0,
            dy: a.direction.1,
        })
        .collect();
    let points = fixed_points_2d(
        model,
        &plane_spec(block, params.clone(), FIXED_POINT_STARTS),
    );
    figure.fixed_points = points
        .unwrap_or_default()
        .into_iter()
        .map(|fp| PlanePoint {
            x: fp.x,
            y: fp.y,
            stability: fp.stability.label().to_string(),
            stable: is_stable(fp.stability),
            eigenvalues: fp.eigenvalues,
        })
        .collect();
    figure
}

/// The fixed points as `axis.param` varies over its range (the slider's value is not used), and
/// the range of x where the model oscillates.
fn diagram(
    model: &Model,
    block: &PhasePlane,
    axis: &BifurcationAxis,
    owned: &[(String, f64)],
) -> DiagramFigure {
    let params = params_except(owned, &[&axis.param]);
    let [from, to] = axis.range;
    let mut figure = DiagramFigure {
        param: axis.param.clone(),
        param_label: variable_label(model, &axis.param),
        x_label: variable_label(model, &block.x),
        ..DiagramFigure::default()
    };
    let plane = plane_spec(block, params.clone(), FIXED_POINT_STARTS);
    match continue_fixed_points(model, &plane, &axis.param, from, to, axis.steps) {
        Ok(d) => {
            figure.branches = d
                .branches
                .iter()
                .map(|b| {
                    b.points
                        .iter()
                        .map(|p| (p.param, p.x, is_stable(p.stability)))
                        .collect()
                })
                .collect();
            figure.special = d
                .special
                .iter()
                .map(|s| SpecialPoint {
                    kind: kind_code(s.kind).to_string(),
                    param: s.param,
                    x: s.x,
                })
                .collect();
        }
        Err(e) => figure.issues = Issues::failed(bilingual(e.0)),
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
                figure.cycles = all
                    .into_iter()
                    .filter(|e| e.amplitude() > min_amplitude)
                    .map(|e| (e.param, e.min, e.max))
                    .collect()
            }
            Err(e) => figure.issues = Issues::failed(bilingual(e.0)),
        }
    }
    figure
}

/// The special points in (second, first), for every parameter but those two.
fn two_parameter(
    model: &Model,
    block: &PhasePlane,
    axis: &BifurcationAxis,
    second: &SecondParameter,
    owned: &[(String, f64)],
) -> TwoParameterFigure {
    let params = params_except(owned, &[&axis.param, &second.param]);
    let first_sweep = Sweep {
        param: &axis.param,
        from: axis.range[0],
        to: axis.range[1],
        steps: TWO_PARAMETER_STEPS,
    };
    let second_sweep = Sweep {
        param: &second.param,
        from: second.range[0],
        to: second.range[1],
        steps: second.steps,
    };
    let mut figure = TwoParameterFigure {
        first: axis.param.clone(),
        second: second.param.clone(),
        first_label: variable_label(model, &axis.param),
        second_label: variable_label(model, &second.param),
        ..TwoParameterFigure::default()
    };
    let plane = plane_spec(block, params, FIXED_POINT_STARTS);
    match special_curves(model, &plane, &first_sweep, &second_sweep) {
        Ok(points) => {
            figure.points = points
                .into_iter()
                .map(|p| (kind_code(p.kind).to_string(), p.second, p.first))
                .collect()
        }
        Err(e) => figure.issues = Issues::failed(bilingual(e.0)),
    }
    figure
}
