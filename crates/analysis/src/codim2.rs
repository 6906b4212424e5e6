//! Two-parameter curves of saddle-node and Hopf points: for each value of a second parameter the
//! one-parameter diagram (`continue_fixed_points`) locates its special points in the first, so
//! the curves come out as points `(second, first)` with the first parameter accurate to the
//! continuation's bisection (1e-6) at every sampled value of the second.

use brainplay_sim::{msg, Model, SetupError};

use crate::bifurcation::{continue_fixed_points, SpecialKind};
use crate::fixed_points::PlaneSpec;

/// A range of a parameter sampled at `steps + 1` equally spaced values.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sweep<'a> {
    pub param: &'a str,
    pub from: f64,
    pub to: f64,
    pub steps: usize,
}

impl Sweep<'_> {
    fn values(&self) -> impl Iterator<Item = f64> + '_ {
        (0..=self.steps).map(|k| self.from + (self.to - self.from) * k as f64 / self.steps as f64)
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CurvePoint {
    pub kind: SpecialKind,
    /// The second parameter's value, and the first's where the special point lies.
    pub second: f64,
    pub first: f64,
}

/// The saddle-node and Hopf points of `plane` in `first` at every value of `second`, in order
/// of `second` and then of `first`.
pub fn special_curves(
    model: &Model,
    plane: &PlaneSpec,
    first: &Sweep,
    second: &Sweep,
) -> Result<Vec<CurvePoint>, SetupError> {
    if second.steps == 0 || !(second.from.is_finite() && second.to.is_finite()) {
        return Err(SetupError(msg!(
            "the second parameter needs finite bounds and at least one step",
            "第二个参数需要有限的上下界，且至少一步"
        )));
    }
    let mut curves = Vec::new();
    for value in second.values() {
        let mut at = plane.clone();
        at.params.retain(|(name, _)| *name != second.param);
        at.params.push((second.param, value));
        let diagram =
            continue_fixed_points(model, &at, first.param, first.from, first.to, first.steps)?;
        curves.extend(diagram.special.iter().map(|s| CurvePoint {
            kind: s.kind,
            second: value,
            first: s.param,
        }));
    }
    Ok(curves)
}
