//! Fixed points of a two-variable phase plane: Newton's method with the model's own Jacobian,
//! run at once (one lane per start) from the places on a grid over the box where a fixed point
//! can be, keeping the starts that converge inside the box and merging duplicates.
//!
//! The field is evaluated once at every grid node. A fixed point lies where both nullclines
//! meet, so Newton starts from the centre and the corners of every cell over whose corners both
//! components of the field change sign (or vanish), and from every node where the scaled
//! residual is a local minimum (nullclines that touch rather than cross). That is a few dozen
//! starts instead of one per node, and finds what Newton from every node found (tests).

use brainplay_sim::field::VectorField;
use brainplay_sim::{msg, Model, SetupError};

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
    let (mut xs, mut ys) = starts(model, plane)?;
    let n = xs.len();
    if n == 0 {
        return Ok(Vec::new());
    }
    let mut field = VectorField::new(model, &[plane.x, plane.y], &plane.params, &plane.held, n)?;
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

/// Newton starts (module documentation), as x and y coordinates.
fn starts(model: &Model, plane: &PlaneSpec) -> Result<(Vec<f64>, Vec<f64>), SetupError> {
    let (x0, x1) = plane.x_range;
    let (y0, y1) = plane.y_range;
    let m = plane.grid;
    if !(x0 < x1 && y0 < y1) || m < 2 {
        return Err(SetupError(msg!(
            "the box needs lo < hi on both axes and a grid of at least 2",
            "两个坐标轴的范围都需要满足 lo < hi，网格至少为 2"
        )));
    }
    let x_at = |i: f64| x0 + (x1 - x0) * i / (m - 1) as f64;
    let y_at = |j: f64| y0 + (y1 - y0) * j / (m - 1) as f64;
    let n = m * m;
    let mut field = VectorField::new(model, &[plane.x, plane.y], &plane.params, &plane.held, n)?;
    let node_x: Vec<f64> = (0..n).map(|k| x_at((k % m) as f64)).collect();
    let node_y: Vec<f64> = (0..n).map(|k| y_at((k / m) as f64)).collect();
    field.eval(&[&node_x, &node_y]);
    let (f, g) = (field.derivative(0), field.derivative(1));
    let node = |i: usize, j: usize| j * m + i;

    let mut xs = Vec::new();
    let mut ys = Vec::new();
    let mut corner = vec![false; n];
    // Both components change sign (or vanish) over the corners of the cell at (i, j).
    let crossed = |values: &[f64], i: usize, j: usize| {
        let corners = [
            node(i, j),
            node(i + 1, j),
            node(i, j + 1),
            node(i + 1, j + 1),
        ];
        let lo = corners
            .iter()
            .map(|&k| values[k])
            .fold(f64::INFINITY, f64::min);
        let hi = corners
            .iter()
            .map(|&k| values[k])
            .fold(f64::NEG_INFINITY, f64::max);
        lo <= 0.0 && hi >= 0.0
    };
    for j in 0..m - 1 {
        for i in 0..m - 1 {
            if crossed(f, i, j) && crossed(g, i, j) {
                xs.push(x_at(i as f64 + 0.5));
                ys.push(y_at(j as f64 + 0.5));
                for k in [
                    node(i, j),
                    node(i + 1, j),
                    node(i, j + 1),
                    node(i + 1, j + 1),
                ] {
                    corner[k] = true;
                }
            }
        }
    }
    // Local minima of the residual, each component scaled by its largest size on the grid.
    let scale = |values: &[f64]| {
        let largest = values
            .iter()
            .filter(|v| v.is_finite())
            .fold(0.0_f64, |a, v| a.max(v.abs()));
        if largest > 0.0 {
            largest
        } else {
            1.0
        }
    };
    let (sf, sg) = (scale(f), scale(g));
    let residual = |k: usize| (f[k] / sf).powi(2) + (g[k] / sg).powi(2);
    for j in 1..m - 1 {
        for i in 1..m - 1 {
            let r = residual(node(i, j));
            let lowest = (j - 1..=j + 1)
                .flat_map(|b| (i - 1..=i + 1).map(move |a| (a, b)))
                .filter(|&(a, b)| (a, b) != (i, j))
                .all(|(a, b)| r <= residual(node(a, b)));
            if r.is_finite() && lowest {
                corner[node(i, j)] = true;
            }
        }
    }
    for k in (0..n).filter(|&k| corner[k]) {
        xs.push(node_x[k]);
        ys.push(node_y[k]);
    }
    Ok((xs, ys))
}
