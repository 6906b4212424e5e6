//! The phase line of a one-variable model: `dx/dt` sampled over a range, and the fixed points
//! where it changes sign, refined by bisection and classified by the slope `d(dx/dt)/dx`
//! (BrainPy's PhasePlane1D labels).

use brainplay_sim::field::VectorField;
use brainplay_sim::{msg, Model, SetupError};

use crate::bisect::{bisect, Brackets};

#[derive(Clone, Debug, PartialEq)]
pub struct LineSpec<'a> {
    pub x: &'a str,
    pub range: (f64, f64),
    pub params: Vec<(&'a str, f64)>,
    /// Values of the other states (held fixed; default their initial values).
    pub held: Vec<(&'a str, f64)>,
    /// Sample points, ends included.
    pub samples: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineStability {
    Stable,
    Unstable,
}

impl LineStability {
    pub fn label(self) -> &'static str {
        match self {
            LineStability::Stable => "stable point",
            LineStability::Unstable => "unstable point",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct LinePoint {
    pub x: f64,
    /// `d(dx/dt)/dx` at the point, per ms.
    pub slope: f64,
    pub stability: LineStability,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PhaseLine {
    pub xs: Vec<f64>,
    /// `dx/dt` at each of `xs`.
    pub dxdt: Vec<f64>,
    /// Sorted by `x`. Only sign changes between samples count: a fixed point where `dx/dt`
    /// touches zero without crossing (a saddle-node exactly at its bifurcation) is missed.
    pub fixed_points: Vec<LinePoint>,
}

pub fn phase_line(model: &Model, spec: &LineSpec) -> Result<PhaseLine, SetupError> {
    let (lo, hi) = spec.range;
    if !(lo < hi && spec.samples >= 2) {
        return Err(SetupError(msg!(
            "the range needs lo < hi and at least 2 samples",
            "范围需要满足 lo < hi，且至少有 2 个采样点"
        )));
    }
    let vars = [spec.x];
    let mut field = VectorField::new(model, &vars, &spec.params, &spec.held, spec.samples)?;
    let xs: Vec<f64> = (0..spec.samples)
        .map(|k| lo + (hi - lo) * k as f64 / (spec.samples - 1) as f64)
        .collect();
    field.eval(&[&xs]);
    let dxdt = field.derivative(0).to_vec();

    let mut brackets = Brackets {
        from: vec![Vec::new()],
        to: vec![Vec::new()],
        component: Vec::new(),
        from_nonneg: Vec::new(),
    };
    for k in 1..xs.len() {
        let (a, b) = (dxdt[k - 1], dxdt[k]);
        if a.is_finite() && b.is_finite() && (a >= 0.0) != (b >= 0.0) {
            brackets.from[0].push(xs[k - 1]);
            brackets.to[0].push(xs[k]);
            brackets.component.push(0);
            brackets.from_nonneg.push(a >= 0.0);
        }
    }
    let mut fixed_points = Vec::new();
    if brackets.len() > 0 {
        let mut refine = VectorField::new(model, &vars, &spec.params, &spec.held, brackets.len())?;
        let t = bisect(&mut refine, &brackets);
        let points = brackets.points(&t).swap_remove(0);
        refine.eval(&[&points]);
        for (k, &x) in points.iter().enumerate() {
            let slope = refine.jacobian(0, 0)[k];
            // A zero slope (degenerate point) is settled by the direction of the crossing:
            // from positive to negative flows in from both sides.
            let stable = slope < 0.0 || (slope == 0.0 && brackets.from_nonneg[k]);
            let stability = if stable {
                LineStability::Stable
            } else {
                LineStability::Unstable
            };
            fixed_points.push(LinePoint {
                x,
                slope,
                stability,
            });
        }
    }
    Ok(PhaseLine {
        xs,
        dxdt,
        fixed_points,
    })
}

/// The fixed points of a phase line as one parameter varies: a one-variable bifurcation
/// diagram, and the parameter values where the number of fixed points changes (saddle-nodes:
/// two points meet and vanish, or are born).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct LineDiagram {
    /// `(parameter value, fixed point)` for every value sampled.
    pub points: Vec<(f64, LinePoint)>,
    /// Where the count of fixed points changes by an even number, located by bisection on the parameter. A
    /// crossing closer to its partner than the sample spacing is not seen, so the location is
    /// as good as `spec.samples` resolves (about (Δx/2)² · |f''|/2 on the parameter).
    pub saddle_nodes: Vec<f64>,
}

/// Bisection steps for a saddle-node's parameter value (2⁻⁴⁰ of a step).
const SADDLE_NODE_BISECTIONS: usize = 40;

/// `spec`'s phase line at `steps + 1` values of `param` from `from` to `to`.
pub fn line_diagram(
    model: &Model,
    spec: &LineSpec,
    param: &str,
    (from, to): (f64, f64),
    steps: usize,
) -> Result<LineDiagram, SetupError> {
    if !(from.is_finite() && to.is_finite() && from != to) || steps == 0 {
        return Err(SetupError(msg!(
            "the diagram needs two different finite parameter values and at least one step",
            "分岔图需要两个不同的有限参数值，且至少一步"
        )));
    }
    let at = |value: f64| -> Result<Vec<LinePoint>, SetupError> {
        let mut spec = spec.clone();
        spec.params.retain(|(name, _)| *name != param);
        spec.params.push((param, value));
        Ok(phase_line(model, &spec)?.fixed_points)
    };
    let mut diagram = LineDiagram::default();
    let mut previous: Option<(f64, usize)> = None;
    for k in 0..=steps {
        let value = from + (to - from) * k as f64 / steps as f64;
        let points = at(value)?;
        // Pairs meeting (or born) change the count by an even number (periodic models meet at
        // several places at once); a point crossing an end of the range changes it by one and is
        // no bifurcation.
        let pair_changed = |&(_, count): &(f64, usize)| {
            let change = count.abs_diff(points.len());
            change > 0 && change % 2 == 0
        };
        if let Some((before, count)) = previous.filter(pair_changed) {
            let (mut lo, mut hi) = (before, value);
            for _ in 0..SADDLE_NODE_BISECTIONS {
                let mid = 0.5 * (lo + hi);
                if at(mid)?.len() == count {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            diagram.saddle_nodes.push(0.5 * (lo + hi));
        }
        previous = Some((value, points.len()));
        diagram
            .points
            .extend(points.into_iter().map(|p| (value, p)));
    }
    Ok(diagram)
}
