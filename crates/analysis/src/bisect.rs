//! Zeros of field components on segments that bracket a sign change, refined by bisection for
//! all segments at once (one lane per segment), shared by the nullclines and the phase line.

use brainplay_sim::field::VectorField;

/// |f| below this (in the variable's units per ms) counts as zero.
pub(crate) const RESIDUAL: f64 = 1e-10;
/// Enough halvings to shrink any segment to adjacent doubles; only a sign change across a
/// discontinuity (no zero to find) runs them all.
const MAX_HALVINGS: usize = 200;

/// Segments from `from[d][k]` to `to[d][k]` (coordinate `d` of segment `k`) on which component
/// `component[k]` of the field changes sign, being non-negative at `from` iff `from_nonneg[k]`.
pub(crate) struct Brackets {
    pub from: Vec<Vec<f64>>,
    pub to: Vec<Vec<f64>>,
    pub component: Vec<usize>,
    pub from_nonneg: Vec<bool>,
}

impl Brackets {
    pub fn len(&self) -> usize {
        self.component.len()
    }

    /// Coordinates of the points at fraction `t[k]` along each segment.
    pub fn points(&self, t: &[f64]) -> Vec<Vec<f64>> {
        self.from
            .iter()
            .zip(&self.to)
            .map(|(a, b)| (0..t.len()).map(|k| a[k] + (b[k] - a[k]) * t[k]).collect())
            .collect()
    }
}

/// The fraction along each segment where its component is zero (|f| < `RESIDUAL`, or the
/// narrowest bracket doubles allow); `field` needs one lane per segment.
pub(crate) fn bisect(field: &mut VectorField, brackets: &Brackets) -> Vec<f64> {
    let n = brackets.len();
    let mut lo = vec![0.0; n];
    let mut hi = vec![1.0; n];
    let mut done = vec![false; n];
    for _ in 0..MAX_HALVINGS {
        let mid: Vec<f64> = (0..n).map(|k| 0.5 * (lo[k] + hi[k])).collect();
        let points = brackets.points(&mid);
        let coords: Vec<&[f64]> = points.iter().map(Vec::as_slice).collect();
        field.eval(&coords);
        for k in 0..n {
            if done[k] {
                continue;
            }
            let f = field.derivative(brackets.component[k])[k];
            if f.abs() < RESIDUAL {
                done[k] = true;
                (lo[k], hi[k]) = (mid[k], mid[k]);
            } else if (f >= 0.0) == brackets.from_nonneg[k] {
                lo[k] = mid[k];
            } else {
                hi[k] = mid[k];
            }
        }
        if done.iter().all(|&d| d) {
            break;
        }
    }
    (0..n).map(|k| 0.5 * (lo[k] + hi[k])).collect()
}
