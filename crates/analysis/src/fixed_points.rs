//! Fixed points of a two-variable phase plane: Newton's method with the model's own Jacobian,
//! started from every point of a grid over the box at once (one lane per start), keeping the
//! starts that converge inside the box and merging duplicates.

use brainplay_sim::field::VectorField;
use brainplay_sim::{Model, SetupError};

use crate::stability::{classify_2d, Stability};

/// Which plane to search: two state variables and their ranges, parameter values, and the
/// values of the other states (held fixed).
#[derive(Clone, Debug, PartialEq)]
pub struct PlaneSpec<'a> {
    pub x: &'a str,
    pub y: &'a str,
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    pub params: Vec<(&'a str, f64)>,
    pub held: Vec<(&'a str, f64)>,
    /// Grid nodes per axis (Newton starts for fixed points, sample points for nullclines and
    /// arrows).
    pub grid: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FixedPoint {
    pub x: f64,
    pub y: f64,
    pub stability: Stability,
    /// `(re, im)`
    pub eigenvalues: [(f64, f64); 2],
    pub jacobian: [[f64; 2]; 2],
}

const MAX_NEWTON_STEPS: usize = 60;
/// |f| below this (in the variables' own units per ms) counts as a fixed point.
const RESIDUAL: f64 = 1e-10;

/// All fixed points in the box, sorted by `x`. An empty list is an answer (no fixed point in the
/// box), not an error; a malformed plane (unknown names, empty box) is.
pub fn fixed_points_2d(model: &Model, plane: &PlaneSpec) -> Result<Vec<FixedPoint>, SetupError> {
    let (x0, x1) = plane.x_range;
    let (y0, y1) = plane.y_range;
    if !(x0 < x1 && y0 < y1) || plane.grid < 2 {
        return Err(SetupError(
            "the box needs lo < hi on both axes and a grid of at least 2".into(),
        ));
    }
    let n = plane.grid * plane.grid;
    let mut field = VectorField::new(model, &[plane.x, plane.y], &plane.params, &plane.held, n)?;
    let step = |lo: f64, hi: f64, k: usize| lo + (hi - lo) * k as f64 / (plane.grid - 1) as f64;
    let mut xs: Vec<f64> = (0..n).map(|i| step(x0, x1, i % plane.grid)).collect();
    let mut ys: Vec<f64> = (0..n).map(|i| step(y0, y1, i / plane.grid)).collect();
    for _ in 0..MAX_NEWTON_STEPS {
        field.eval(&[&xs, &ys]);
        for k in 0..n {
            let (f, g) = (field.derivative(0)[k], field.derivative(1)[k]);
            let (a, b) = (field.jacobian(0, 0)[k], field.jacobian(0, 1)[k]);
            let (c, d) = (field.jacobian(1, 0)[k], field.jacobian(1, 1)[k]);
            let det = a * d - b * c;
            // A singular Jacobian stops this start (it becomes non-finite and is dropped).
            xs[k] -= (d * f - b * g) / det;
            ys[k] -= (a * g - c * f) / det;
        }
    }
    field.eval(&[&xs, &ys]);
    let (dx, dy) = (x1 - x0, y1 - y0);
    let mut found: Vec<FixedPoint> = Vec::new();
    for k in 0..n {
        let (x, y) = (xs[k], ys[k]);
        let inside = (x0..=x1).contains(&x) && (y0..=y1).contains(&y);
        let residual = field.derivative(0)[k]
            .abs()
            .max(field.derivative(1)[k].abs());
        if !(inside && residual < RESIDUAL) {
            continue;
        }
        let duplicate = found
            .iter()
            .any(|p| ((p.x - x) / dx).abs() < 1e-7 && ((p.y - y) / dy).abs() < 1e-7);
        if duplicate {
            continue;
        }
        let jacobian = [
            [field.jacobian(0, 0)[k], field.jacobian(0, 1)[k]],
            [field.jacobian(1, 0)[k], field.jacobian(1, 1)[k]],
        ];
        let (stability, eigenvalues) = classify_2d(jacobian);
        found.push(FixedPoint {
            x,
            y,
            stability,
            eigenvalues,
            jacobian,
        });
    }
    found.sort_by(|a, b| a.x.total_cmp(&b.x));
    Ok(found)
}
