//! Ridge regression for a readout, accumulated one sample at a time (the course's
//! `RidgeTrainer`: a bias column of ones, W = (XᵀX + αI)⁻¹ XᵀY), so that a long training run
//! never stores its states: XᵀX and Xᵀy grow by one outer product per sample, and the normal
//! equations are solved once by Cholesky (XᵀX + αI is symmetric positive definite for α > 0).
//!
//! Samples are added to XᵀX a block at a time (`BLOCK`): one pass over the matrix per block
//! instead of per sample, so a large reservoir's matrix (8 MB at 1000 units) is read from memory
//! 32 times less often. Each sum still grows sample by sample in order: the result is the same
//! to the bit.

use brainplay_sim::{msg, Message};

// Interleaved partial sums: a single running sum waits for each addition before the next,
// which made the factorisation of a 1000-unit readout's equations slow.
use crate::rate_rnn::dot;

/// Samples held before they are added to XᵀX.
const BLOCK: usize = 32;

/// The normal equations of a readout with `features` inputs plus a bias, for one output.
#[derive(Clone, Debug, PartialEq)]
pub struct Ridge {
    /// Columns: the bias, then the features.
    size: usize,
    /// XᵀX, lower triangle used (row-major, `size`×`size`), and Xᵀy.
    xtx: Vec<f64>,
    xty: Vec<f64>,
    /// yᵀy, for the training error.
    yty: f64,
    samples: usize,
    /// Samples not yet in XᵀX, each a row of `size` (the bias's 1, then the features).
    pending: Vec<f64>,
}

impl Ridge {
    pub fn new(features: usize) -> Ridge {
        let size = features + 1;
        Ridge {
            size,
            xtx: vec![0.0; size * size],
            xty: vec![0.0; size],
            yty: 0.0,
            samples: 0,
            pending: Vec::with_capacity(BLOCK * size),
        }
    }

    pub fn samples(&self) -> usize {
        self.samples
    }

    /// Adds the sample `features` → `target`.
    pub fn add(&mut self, features: &[f64], target: f64) {
        let n = self.size;
        debug_assert_eq!(features.len() + 1, n);
        self.xty[0] += target;
        for (s, &f) in self.xty[1..].iter_mut().zip(features) {
            *s += f * target;
        }
        self.pending.push(1.0);
        self.pending.extend_from_slice(features);
        if self.pending.len() == BLOCK * n {
            self.flush();
        }
        self.yty += target * target;
        self.samples += 1;
    }

    /// Adds the pending samples to XᵀX's lower triangle, row by row (a row stays in cache while
    /// every pending sample adds to it).
    fn flush(&mut self) {
        let n = self.size;
        let samples: Vec<&[f64]> = self.pending.chunks_exact(n).collect();
        for (i, row) in self.xtx.chunks_exact_mut(n).enumerate() {
            let row = &mut row[..=i];
            // Eight samples per pass over the row, added one after the other as eight passes
            // would add them (the same sums), with an eighth of the row's loads and stores.
            let mut eights = samples.chunks_exact(8);
            for eight in &mut eights {
                let [a, b, c, d, e, f, g, h] = [
                    eight[0], eight[1], eight[2], eight[3], eight[4], eight[5], eight[6], eight[7],
                ];
                let (ai, bi, ci, di) = (a[i], b[i], c[i], d[i]);
                let (ei, fi, gi, hi) = (e[i], f[i], g[i], h[i]);
                for (k, r) in row.iter_mut().enumerate() {
                    *r = *r
                        + ai * a[k]
                        + bi * b[k]
                        + ci * c[k]
                        + di * d[k]
                        + ei * e[k]
                        + fi * f[k]
                        + gi * g[k]
                        + hi * h[k];
                }
            }
            for x in eights.remainder() {
                let xi = x[i];
                for (r, &f) in row.iter_mut().zip(&x[..=i]) {
                    *r += xi * f;
                }
            }
        }
        self.pending.clear();
    }

    /// The mean squared error of readout `w` over the samples added, from the sums:
    /// (yᵀy − 2 wᵀXᵀy + wᵀXᵀXw) / samples.
    pub fn mse(&mut self, w: &[f64]) -> f64 {
        self.flush();
        let n = self.size;
        let mut quadratic = 0.0;
        for i in 0..n {
            let row = &self.xtx[i * n..i * n + i + 1];
            let off: f64 = row[..i].iter().zip(w).map(|(a, b)| a * b).sum();
            quadratic += w[i] * (row[i] * w[i] + 2.0 * off);
        }
        let cross: f64 = self.xty.iter().zip(w).map(|(a, b)| a * b).sum();
        ((self.yty - 2.0 * cross + quadratic) / self.samples.max(1) as f64).max(0.0)
    }

    /// The readout (bias, then one weight per feature) that minimises the squared error plus
    /// `alpha` times the squared weights.
    pub fn solve(&mut self, alpha: f64) -> Result<Vec<f64>, Message> {
        self.flush();
        if !(alpha.is_finite() && alpha >= 0.0) {
            return Err(msg!(
                "the ridge α must be a number ≥ 0, got {alpha}",
                "岭回归的 α 必须是不小于 0 的数，实际为 {alpha}"
            ));
        }
        if self.samples == 0 {
            return Err(msg!("no training samples", "没有训练样本"));
        }
        let n = self.size;
        let mut a = self.xtx.clone();
        for i in 0..n {
            a[i * n + i] += alpha;
        }
        cholesky_solve(&mut a, n, &self.xty)
    }
}

/// Solves A w = b for symmetric positive definite A (lower triangle of `a`, overwritten by its
/// Cholesky factor L, A = L Lᵀ).
fn cholesky_solve(a: &mut [f64], n: usize, b: &[f64]) -> Result<Vec<f64>, Message> {
    for j in 0..n {
        let row_j = &a[j * n..j * n + j];
        let d = a[j * n + j] - dot(row_j, row_j);
        // Not positive, or NaN.
        if d.is_nan() || d <= 0.0 {
            return Err(msg!(
                "the normal equations are singular: raise the ridge α or train longer",
                "正规方程是奇异的：请增大岭回归的 α，或延长训练"
            ));
        }
        let d = d.sqrt();
        a[j * n + j] = d;
        for i in j + 1..n {
            let (above, below) = a.split_at_mut(i * n);
            let s = below[j] - dot(&below[..j], &above[j * n..j * n + j]);
            below[j] = s / d;
        }
    }
    // L z = b, then Lᵀ w = z.
    let mut w = b.to_vec();
    for i in 0..n {
        let s: f64 = (0..i).map(|k| a[i * n + k] * w[k]).sum();
        w[i] = (w[i] - s) / a[i * n + i];
    }
    for i in (0..n).rev() {
        let s: f64 = (i + 1..n).map(|k| a[k * n + i] * w[k]).sum();
        w[i] = (w[i] - s) / a[i * n + i];
    }
    Ok(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blocks change nothing: after 75 samples (two full blocks, a partial one, quads and a
    /// remainder) XᵀX is, bit for bit, the sum of the samples' outer products taken in order.
    #[test]
    fn blocked_sums_are_the_sums_in_order() {
        let features = 9;
        let mut ridge = Ridge::new(features);
        let mut expected = vec![0.0; (features + 1) * (features + 1)];
        for k in 0..75 {
            let x: Vec<f64> = (0..features)
                .map(|j| ((k * 7 + j * 3) as f64 * 0.731).sin())
                .collect();
            ridge.add(&x, 1.0);
            let row: Vec<f64> = std::iter::once(1.0).chain(x.iter().copied()).collect();
            for i in 0..=features {
                for j in 0..=i {
                    expected[i * (features + 1) + j] += row[i] * row[j];
                }
            }
        }
        ridge.flush();
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&ridge.xtx), bits(&expected));
    }

    /// y = 3 − 2 x₁ + 0.5 x₂ exactly: without a penalty the solve recovers it.
    #[test]
    fn recovers_an_exact_linear_map() {
        let mut ridge = Ridge::new(2);
        for k in 0..50 {
            let (x1, x2) = ((k as f64 * 0.37).sin(), (k as f64 * 0.11).cos());
            ridge.add(&[x1, x2], 3.0 - 2.0 * x1 + 0.5 * x2);
        }
        let w = ridge.solve(0.0).unwrap();
        for (got, want) in w.iter().zip([3.0, -2.0, 0.5]) {
            assert!((got - want).abs() < 1e-9, "{w:?}");
        }
        // An exact fit has no error; a readout off by 0.1 everywhere has 0.01.
        assert!(ridge.mse(&w) < 1e-12);
        assert!((ridge.mse(&[3.1, -2.0, 0.5]) - 0.01).abs() < 1e-9);
    }

    /// One feature: w = (XᵀX + αI)⁻¹ Xᵀy written out by hand for two samples.
    #[test]
    fn the_penalty_is_the_courses() {
        let mut ridge = Ridge::new(1);
        ridge.add(&[1.0], 2.0);
        ridge.add(&[3.0], 4.0);
        // XᵀX = [[2, 4], [4, 10]], Xᵀy = [6, 14]; with α = 1: [[3, 4], [4, 11]] w = [6, 14].
        let w = ridge.solve(1.0).unwrap();
        let det = 3.0 * 11.0 - 16.0;
        let want = [
            (11.0 * 6.0 - 4.0 * 14.0) / det,
            (3.0 * 14.0 - 4.0 * 6.0) / det,
        ];
        assert!((w[0] - want[0]).abs() < 1e-12 && (w[1] - want[1]).abs() < 1e-12);
    }

    #[test]
    fn singular_or_empty_problems_are_refused() {
        let mut ridge = Ridge::new(2);
        assert!(ridge.solve(1e-6).is_err());
        ridge.add(&[1.0, 1.0], 1.0);
        assert!(ridge.solve(0.0).unwrap_err().en.contains("singular"));
        assert!(ridge.solve(f64::NAN).is_err());
    }
}
