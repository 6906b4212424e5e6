//! The spectral radius of a large matrix from a Krylov space (Arnoldi): the outermost
//! eigenvalues of a matrix are the first that the Ritz values of its Krylov space
//! span{x, Ax, A²x, …} find, so a space of a few hundred vectors gives a 1000-unit reservoir's
//! spectral radius to about 1e-9 in a tenth of the time all its eigenvalues take (the dense QR is
//! O(n³), this O(n² m) for m vectors). With m = n it is exact; `spectral_radius` uses it above
//! `DENSE_UP_TO` and checks that the estimate has settled.

use brainplay_sim::Message;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::eigen::eigenvalues;
use crate::rate_rnn::dot;

/// Vectors added between two estimates, and the relative change below which the estimate has
/// settled.
const GROWTH: usize = 50;
const SETTLED: f64 = 1e-9;

/// The largest eigenvalue modulus of `a` (`n`×`n`, row-major) by Arnoldi with a growing space:
/// the largest Ritz value modulus, estimated every `GROWTH` vectors until it changes by less than
/// `SETTLED` (relative), or the space is the whole of ℝⁿ (or invariant), where it is exact.
pub fn krylov_radius(a: &[f64], n: usize) -> Result<f64, Message> {
    // The products skip the zeros (a reservoir's weights are 90 % zeros).
    let rows: Vec<Vec<(usize, f64)>> = a
        .chunks_exact(n)
        .map(|row| {
            let nonzero = row.iter().enumerate().filter(|(_, v)| **v != 0.0);
            nonzero.map(|(j, &v)| (j, v)).collect()
        })
        .collect();
    // A fixed start with every component present (an invariant subspace is then unlikely).
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(0x5eed);
    let mut start: Vec<f64> = (0..n).map(|_| rng.random::<f64>() - 0.5).collect();
    normalise(&mut start);
    let mut basis = vec![start];
    // H, the projection of `a` on the space, by columns: column j has j + 2 entries.
    let mut columns: Vec<Vec<f64>> = Vec::new();
    let mut estimate = f64::NAN;
    loop {
        let j = columns.len();
        let q = &basis[j];
        let mut w: Vec<f64> = rows
            .iter()
            .map(|row| row.iter().map(|&(k, v)| v * q[k]).sum())
            .collect();
        let mut column = vec![0.0; j + 2];
        // Gram–Schmidt twice keeps the basis orthogonal to rounding.
        for _ in 0..2 {
            for (h, q) in column.iter_mut().zip(&basis) {
                let d = dot(&w, q);
                *h += d;
                w.iter_mut().zip(q).for_each(|(x, y)| *x -= d * y);
            }
        }
        let norm = normalise(&mut w);
        column[j + 1] = norm;
        columns.push(column);
        let m = columns.len();
        let whole =
            m == n || norm <= 1e-12 * (1.0 + columns[j][..=j].iter().map(|h| h.abs()).sum::<f64>());
        if whole || m.is_multiple_of(GROWTH) {
            let radius = ritz_radius(&columns)?;
            if whole || (radius - estimate).abs() <= SETTLED * radius {
                return Ok(radius);
            }
            estimate = radius;
        }
        basis.push(w);
    }
}

/// The largest modulus of the eigenvalues of the square part of H (the Ritz values).
fn ritz_radius(columns: &[Vec<f64>]) -> Result<f64, Message> {
    let m = columns.len();
    let mut h = vec![0.0; m * m];
    for (j, column) in columns.iter().enumerate() {
        for (i, &v) in column.iter().enumerate().take(m) {
            h[i * m + j] = v;
        }
    }
    Ok(eigenvalues(&h, m)?
        .iter()
        .map(|&(re, im)| re.hypot(im))
        .fold(0.0, f64::max))
}

/// Scales `v` to unit length; returns its length before.
fn normalise(v: &mut [f64]) -> f64 {
    let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
    norm
}
