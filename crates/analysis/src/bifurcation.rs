//! One-parameter bifurcation diagram of the fixed points of a two-variable plane, by natural
//! parameter continuation: the fixed points found by `fixed_points_2d` at the first value are
//! followed step by step, each corrected with Newton's method from its previous position. A
//! branch ends where Newton fails (a fold: the point met another branch and both vanished) or
//! where it leaves the box. Saddle-nodes (det J = 0) and Hopf points (trace J = 0 with det J > 0)
//! are located by bisection on the parameter. Every few steps `fixed_points_2d` runs again so
//! branches born inside the range (or entering the box) are followed too; a pair born in a fold
//! since the previous search has that fold located by bisection back towards it.

use brainplay_sim::field::VectorField;
use brainplay_sim::{msg, Model, SetupError};

use crate::fixed_points::{fixed_points_2d, PlaneSpec};
use crate::stability::{classify_2d, Stability};

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BranchPoint {
    pub param: f64,
    pub x: f64,
    pub y: f64,
    pub stability: Stability,
}

/// Fixed points followed continuously, in the order of the parameter steps.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Branch {
    pub points: Vec<BranchPoint>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpecialKind {
    /// Two fixed points meet and vanish: det J = 0.
    SaddleNode,
    /// A focus changes stability: trace J = 0 with det J > 0.
    Hopf,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SpecialPoint {
    pub kind: SpecialKind,
    pub param: f64,
    pub x: f64,
    pub y: f64,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Diagram {
    pub branches: Vec<Branch>,
    /// Sorted by parameter value.
    pub special: Vec<SpecialPoint>,
}

const MAX_NEWTON_STEPS: usize = 60;
/// |f| below this counts as a fixed point (as in `fixed_points_2d`).
const RESIDUAL: f64 = 1e-10;
/// Special points are located to this absolute precision on the parameter.
const PARAM_TOLERANCE: f64 = 1e-6;
/// `fixed_points_2d` runs again every this many steps to pick up new branches.
const RESEED_STEPS: usize = 10;
/// A Newton correction that moves further than this fraction of the box on either axis has
/// jumped to another branch, which counts as a failure.
const MAX_JUMP: f64 = 0.1;
/// Two points closer than this fraction of the box on both axes are the same point.
const SAME_POINT: f64 = 1e-5;

/// A corrected fixed point and its Jacobian.
#[derive(Clone, Copy, Debug)]
struct Corrected {
    x: f64,
    y: f64,
    trace: f64,
    det: f64,
    stability: Stability,
}

/// The bifurcation diagram of `plane`'s fixed points as `param` goes from `from` to `to` in
/// `steps` equal steps; `param`'s value in `plane.params`, if any, is overridden.
pub fn continue_fixed_points(
    model: &Model,
    plane: &PlaneSpec,
    param: &str,
    from: f64,
    to: f64,
    steps: usize,
) -> Result<Diagram, SetupError> {
    if !(from.is_finite() && to.is_finite() && from != to) || steps == 0 {
        return Err(SetupError(msg!(
            "continuation needs two different finite parameter values and at least one step",
            "延拓需要两个不同的有限参数值，且至少一步"
        )));
    }
    let cont = Continuation {
        model,
        plane,
        param,
    };
    let mut diagram = Diagram::default();
    // The branches still being followed: index into `diagram.branches` and last point.
    let mut active: Vec<(usize, Corrected)> = Vec::new();
    for step in 0..=steps {
        let value = from + (to - from) * step as f64 / steps as f64;
        let starts: Vec<(f64, f64)> = active.iter().map(|(_, p)| (p.x, p.y)).collect();
        let corrected = cont.correct(value, &starts)?;
        let mut still_active = Vec::new();
        for (&(b, before), result) in active.iter().zip(corrected) {
            let last = *diagram.branches[b]
                .points
                .last()
                .expect("branches start non-empty");
            match result {
                Some(p) if cont.inside(p.x, p.y) => {
                    if (p.det > 0.0) != (before.det > 0.0) {
                        cont.push_fold(&mut diagram.special, &last, before, value)?;
                    } else if is_hopf(before, p) {
                        cont.push_hopf(&mut diagram.special, &last, before, value)?;
                    }
                    diagram.branches[b].points.push(point(value, p));
                    still_active.push((b, p));
                }
                // Left the box: the branch goes on outside, nothing happened to it.
                Some(_) => {}
                None => cont.push_fold(&mut diagram.special, &last, before, value)?,
            }
        }
        active = still_active;
        if step % RESEED_STEPS == 0 {
            let known = active.len();
            cont.reseed(value, &mut diagram.branches, &mut active)?;
            if step > 0 {
                // Branches found now were born since the last reseed (or entered the box).
                let previous = from + (to - from) * (step - RESEED_STEPS) as f64 / steps as f64;
                for &(b, p) in &active[known..] {
                    let first = diagram.branches[b].points[0];
                    cont.push_birth(&mut diagram.special, &first, p, previous)?;
                }
            }
        }
    }
    diagram.special.sort_by(|a, b| a.param.total_cmp(&b.param));
    Ok(diagram)
}

fn point(param: f64, p: Corrected) -> BranchPoint {
    BranchPoint {
        param,
        x: p.x,
        y: p.y,
        stability: p.stability,
    }
}

/// The trace changed sign while the determinant stayed positive.
fn is_hopf(before: Corrected, after: Corrected) -> bool {
    (before.trace > 0.0) != (after.trace > 0.0) && before.det > 0.0 && after.det > 0.0
}

impl Corrected {
    fn of(x: f64, y: f64, j: [[f64; 2]; 2]) -> Corrected {
        Corrected {
            x,
            y,
            trace: j[0][0] + j[1][1],
            det: j[0][0] * j[1][1] - j[0][1] * j[1][0],
            stability: classify_2d(j).0,
        }
    }
}

struct Continuation<'a> {
    model: &'a Model,
    plane: &'a PlaneSpec<'a>,
    param: &'a str,
}

impl Continuation<'_> {
    fn plane_at(&self, value: f64) -> PlaneSpec<'_> {
        let mut plane = self.plane.clone();
        plane.params.retain(|(name, _)| *name != self.param);
        plane.params.push((self.param, value));
        plane
    }

    fn inside(&self, x: f64, y: f64) -> bool {
        let (x0, x1) = self.plane.x_range;
        let (y0, y1) = self.plane.y_range;
        (x0..=x1).contains(&x) && (y0..=y1).contains(&y)
    }

    /// Scaled distance: the larger of the two coordinate differences as fractions of the box.
    fn distance(&self, a: (f64, f64), b: (f64, f64)) -> f64 {
        let dx = self.plane.x_range.1 - self.plane.x_range.0;
        let dy = self.plane.y_range.1 - self.plane.y_range.0;
        ((a.0 - b.0) / dx).abs().max(((a.1 - b.1) / dy).abs())
    }

    /// Newton's method from each start at parameter value `value`, one lane per start; `None`
    /// where it does not converge or converges too far away.
    fn correct(
        &self,
        value: f64,
        starts: &[(f64, f64)],
    ) -> Result<Vec<Option<Corrected>>, SetupError> {
        if starts.is_empty() {
            return Ok(Vec::new());
        }
        let plane = self.plane_at(value);
        let mut field = VectorField::new(
            self.model,
            &[plane.x, plane.y],
            &plane.params,
            &plane.held,
            starts.len(),
        )?;
        let mut xs: Vec<f64> = starts.iter().map(|s| s.0).collect();
        let mut ys: Vec<f64> = starts.iter().map(|s| s.1).collect();
        let mut done = vec![false; starts.len()];
        for _ in 0..MAX_NEWTON_STEPS {
            field.eval(&[&xs, &ys]);
            for k in 0..starts.len() {
                let (f, g) = (field.derivative(0)[k], field.derivative(1)[k]);
                done[k] = f.abs().max(g.abs()) < RESIDUAL;
                if done[k] {
                    continue;
                }
                let (a, b) = (field.jacobian(0, 0)[k], field.jacobian(0, 1)[k]);
                let (c, d) = (field.jacobian(1, 0)[k], field.jacobian(1, 1)[k]);
                let det = a * d - b * c;
                xs[k] -= (d * f - b * g) / det;
                ys[k] -= (a * g - c * f) / det;
            }
            if done.iter().all(|&d| d) {
                break;
            }
        }
        field.eval(&[&xs, &ys]);
        Ok((0..starts.len())
            .map(|k| {
                let residual = field.derivative(0)[k]
                    .abs()
                    .max(field.derivative(1)[k].abs());
                // Written so that a NaN position or residual fails both tests.
                let near = self.distance(starts[k], (xs[k], ys[k])) <= MAX_JUMP;
                if !(near && residual < RESIDUAL) {
                    return None;
                }
                let j = [
                    [field.jacobian(0, 0)[k], field.jacobian(0, 1)[k]],
                    [field.jacobian(1, 0)[k], field.jacobian(1, 1)[k]],
                ];
                Some(Corrected::of(xs[k], ys[k], j))
            })
            .collect())
    }

    /// Bisects the parameter between `last` (where the branch has property `keeps`) and `value`
    /// (where it does not), following the branch with Newton from the latest point that keeps
    /// it. Returns the last parameter value and point that keep it.
    fn bisect(
        &self,
        last: &BranchPoint,
        value: f64,
        keeps: impl Fn(&Corrected) -> bool,
    ) -> Result<(f64, f64, f64), SetupError> {
        let (mut lo, mut hi) = (last.param, value);
        let mut at = (last.x, last.y);
        while (hi - lo).abs() > PARAM_TOLERANCE {
            let mid = 0.5 * (lo + hi);
            match self.correct(mid, &[at])?.pop().flatten() {
                Some(p) if keeps(&p) => {
                    lo = mid;
                    at = (p.x, p.y);
                }
                _ => hi = mid,
            }
        }
        Ok((lo, at.0, at.1))
    }

    /// A fold between `last` and `value`: the branch vanished or its determinant changed sign
    /// (Newton went on along the other branch). Both branches meeting at a fold report it; it is
    /// kept once.
    fn push_fold(
        &self,
        special: &mut Vec<SpecialPoint>,
        last: &BranchPoint,
        before: Corrected,
        value: f64,
    ) -> Result<(), SetupError> {
        let positive = before.det > 0.0;
        let (param, x, y) = self.bisect(last, value, |p| (p.det > 0.0) == positive)?;
        let known = special.iter().any(|s| {
            s.kind == SpecialKind::SaddleNode
                && (s.param - param).abs() < 10.0 * PARAM_TOLERANCE
                && self.distance((s.x, s.y), (x, y)) < MAX_JUMP
        });
        if !known {
            special.push(SpecialPoint {
                kind: SpecialKind::SaddleNode,
                param,
                x,
                y,
            });
        }
        Ok(())
    }

    /// A branch first seen at `first` that was not found at `previous`: if it does not exist
    /// there (rather than lying outside the box), it was born in a fold in between, which is
    /// located by bisection like a fold met going forward.
    fn push_birth(
        &self,
        special: &mut Vec<SpecialPoint>,
        first: &BranchPoint,
        at_first: Corrected,
        previous: f64,
    ) -> Result<(), SetupError> {
        let positive = at_first.det > 0.0;
        let existed = self
            .correct(previous, &[(first.x, first.y)])?
            .pop()
            .flatten()
            .is_some_and(|p| (p.det > 0.0) == positive);
        if existed {
            return Ok(());
        }
        self.push_fold(special, first, at_first, previous)
    }

    /// A Hopf point between `last` and `value`, where the trace has the other sign.
    fn push_hopf(
        &self,
        special: &mut Vec<SpecialPoint>,
        last: &BranchPoint,
        before: Corrected,
        value: f64,
    ) -> Result<(), SetupError> {
        let positive = before.trace > 0.0;
        let (param, x, y) = self.bisect(last, value, |p| (p.trace > 0.0) == positive)?;
        special.push(SpecialPoint {
            kind: SpecialKind::Hopf,
            param,
            x,
            y,
        });
        Ok(())
    }

    /// Starts a branch at every fixed point at `value` that no active branch is on.
    fn reseed(
        &self,
        value: f64,
        branches: &mut Vec<Branch>,
        active: &mut Vec<(usize, Corrected)>,
    ) -> Result<(), SetupError> {
        for fp in fixed_points_2d(self.model, &self.plane_at(value))? {
            let followed = active
                .iter()
                .any(|(_, p)| self.distance((p.x, p.y), (fp.x, fp.y)) < SAME_POINT);
            if !followed {
                active.push((branches.len(), Corrected::of(fp.x, fp.y, fp.jacobian)));
                branches.push(Branch {
                    points: vec![BranchPoint {
                        param: value,
                        x: fp.x,
                        y: fp.y,
                        stability: fp.stability,
                    }],
                });
            }
        }
        Ok(())
    }
}
