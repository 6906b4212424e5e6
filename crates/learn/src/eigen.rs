//! Eigenvalues of a general real square matrix, for the spectral radius of a reservoir (whose
//! random recurrent matrix has complex eigenvalue pairs, so neither symmetric methods nor a plain
//! power iteration are right).
//!
//! The classical route (Golub & Van Loan, *Matrix Computations*, §7.4–7.5): Householder
//! reflections bring the matrix to upper Hessenberg form with the same eigenvalues, then the
//! implicitly shifted QR iteration with Francis' double shift drives its subdiagonal to zero,
//! one or two rows at a time; each 1×1 block left on the diagonal is a real eigenvalue and each
//! 2×2 block a complex pair. Only the active window is updated, since no Schur vectors are
//! needed: O(10 n³/3) for the reduction and about O(10 n²) per iteration.

use brainplay_sim::{msg, Message};

/// A complex number as (real, imaginary).
pub type Complex = (f64, f64);

/// The eigenvalues of the `n`×`n` matrix `a` (row-major), in no particular order. An error if
/// the matrix is not square or not finite, or if the iteration does not converge.
pub fn eigenvalues(a: &[f64], n: usize) -> Result<Vec<Complex>, Message> {
    if a.len() != n * n {
        return Err(msg!(
            "a {n}×{n} matrix has {} entries, got {}",
            "{n}×{n} 矩阵应有 {} 个元素，实际有 {} 个",
            n * n,
            a.len()
        ));
    }
    if a.iter().any(|v| !v.is_finite()) {
        return Err(msg!(
            "the matrix has a NaN or infinite entry",
            "矩阵中有 NaN 或无穷大的元素"
        ));
    }
    let mut h = a.to_vec();
    hessenberg(&mut h, n);
    francis_qr(&mut h, n)
}

/// Matrices up to this size get all their eigenvalues; larger ones a Krylov estimate
/// (`crate::krylov`), which agrees with them to about 1e-9 there and costs a tenth at 1000.
pub const DENSE_UP_TO: usize = 200;

/// The largest modulus of the eigenvalues of `a` (`n`×`n`, row-major).
pub fn spectral_radius(a: &[f64], n: usize) -> Result<f64, Message> {
    if n > DENSE_UP_TO {
        if a.len() != n * n || a.iter().any(|v| !v.is_finite()) {
            return Err(msg!(
                "a finite {n}×{n} matrix has {} entries",
                "{n}×{n} 矩阵应有 {} 个有限的元素",
                n * n
            ));
        }
        return crate::krylov::krylov_radius(a, n);
    }
    Ok(eigenvalues(a, n)?
        .iter()
        .map(|&(re, im)| re.hypot(im))
        .fold(0.0, f64::max))
}

/// Reduces `h` in place to upper Hessenberg form by Householder reflections from both sides.
fn hessenberg(h: &mut [f64], n: usize) {
    let mut v = vec![0.0; n];
    for k in 0..n.saturating_sub(2) {
        // The reflection that zeroes column k below the subdiagonal.
        let norm = (k + 1..n).map(|i| h[i * n + k].powi(2)).sum::<f64>().sqrt();
        if norm == 0.0 {
            continue;
        }
        let alpha = if h[(k + 1) * n + k] > 0.0 {
            -norm
        } else {
            norm
        };
        for i in k + 1..n {
            v[i] = h[i * n + k];
        }
        v[k + 1] -= alpha;
        let vv: f64 = (k + 1..n).map(|i| v[i] * v[i]).sum();
        if vv == 0.0 {
            continue;
        }
        // H ← (I − 2 v vᵀ / vᵀv) H on rows k+1.., then H ← H (I − 2 v vᵀ / vᵀv) on those columns.
        for j in k..n {
            let dot: f64 = (k + 1..n).map(|i| v[i] * h[i * n + j]).sum();
            let f = 2.0 * dot / vv;
            for i in k + 1..n {
                h[i * n + j] -= f * v[i];
            }
        }
        for i in 0..n {
            let dot: f64 = (k + 1..n).map(|j| h[i * n + j] * v[j]).sum();
            let f = 2.0 * dot / vv;
            for j in k + 1..n {
                h[i * n + j] -= f * v[j];
            }
        }
        for i in k + 2..n {
            h[i * n + k] = 0.0;
        }
    }
}

/// The eigenvalues of the upper Hessenberg matrix `h` by the double-shift QR iteration.
fn francis_qr(h: &mut [f64], n: usize) -> Result<Vec<Complex>, Message> {
    let at = |i: usize, j: usize| i * n + j;
    let scale = h
        .iter()
        .fold(0.0_f64, |m, v| m.max(v.abs()))
        .max(f64::MIN_POSITIVE);
    let mut values = Vec::with_capacity(n);
    // The active window is rows and columns lo..=hi; below hi everything has converged.
    let mut hi = n as isize - 1;
    let mut iterations = 0;
    while hi >= 0 {
        let m = hi as usize;
        // The lowest negligible subdiagonal entry splits the window.
        let mut lo = m;
        while lo > 0 {
            let small = f64::EPSILON * (h[at(lo - 1, lo - 1)].abs() + h[at(lo, lo)].abs());
            if h[at(lo, lo - 1)].abs() <= small.max(f64::EPSILON * scale * 1e-3) {
                h[at(lo, lo - 1)] = 0.0;
                break;
            }
            lo -= 1;
        }
        if lo == m {
            values.push((h[at(m, m)], 0.0));
            hi -= 1;
            iterations = 0;
            continue;
        }
        if lo + 1 == m {
            values.extend(pair(
                h[at(m - 1, m - 1)],
                h[at(m - 1, m)],
                h[at(m, m - 1)],
                h[at(m, m)],
            ));
            hi -= 2;
            iterations = 0;
            continue;
        }
        iterations += 1;
        if iterations > 60 * n.max(1) {
            return Err(msg!(
                "the eigenvalue iteration did not converge",
                "特征值迭代没有收敛"
            ));
        }
        // The double shift: the eigenvalues of the trailing 2×2 block, through their sum s and
        // product t; every tenth iteration an exceptional shift breaks cycles.
        let (s, t) = if iterations % 10 == 0 {
            let e = h[at(m, m - 1)].abs() + h[at(m - 1, m - 2)].abs();
            (1.5 * e, e * e)
        } else {
            let (p, q, r, u) = (
                h[at(m - 1, m - 1)],
                h[at(m - 1, m)],
                h[at(m, m - 1)],
                h[at(m, m)],
            );
            (p + u, p * u - q * r)
        };
        // The first column of (H − λ₁)(H − λ₂), and the bulge it starts, chased down.
        let (a00, a01, a10, a11, a21) = (
            h[at(lo, lo)],
            h[at(lo, lo + 1)],
            h[at(lo + 1, lo)],
            h[at(lo + 1, lo + 1)],
            h[at(lo + 2, lo + 1)],
        );
        let mut x = a00 * a00 + a01 * a10 - s * a00 + t;
        let mut y = a10 * (a00 + a11 - s);
        let mut z = a10 * a21;
        for k in lo..m - 1 {
            let v = reflector3(x, y, z);
            if let Some((v0, v1, v2, beta)) = v {
                let first_col = if k > lo { k - 1 } else { lo };
                for j in first_col..=m {
                    let d = beta * (v0 * h[at(k, j)] + v1 * h[at(k + 1, j)] + v2 * h[at(k + 2, j)]);
                    h[at(k, j)] -= d * v0;
                    h[at(k + 1, j)] -= d * v1;
                    h[at(k + 2, j)] -= d * v2;
                }
                let last_row = (k + 3).min(m);
                for i in lo..=last_row {
                    let d = beta * (v0 * h[at(i, k)] + v1 * h[at(i, k + 1)] + v2 * h[at(i, k + 2)]);
                    h[at(i, k)] -= d * v0;
                    h[at(i, k + 1)] -= d * v1;
                    h[at(i, k + 2)] -= d * v2;
                }
            }
            x = h[at(k + 1, k)];
            y = h[at(k + 2, k)];
            if k + 3 <= m {
                z = h[at(k + 3, k)];
            }
        }
        // The last, 2×2, reflection.
        if let Some((v0, v1, beta)) = reflector2(x, y) {
            let k = m - 1;
            for j in k - 1..=m {
                let d = beta * (v0 * h[at(k, j)] + v1 * h[at(k + 1, j)]);
                h[at(k, j)] -= d * v0;
                h[at(k + 1, j)] -= d * v1;
            }
            for i in lo..=m {
                let d = beta * (v0 * h[at(i, k)] + v1 * h[at(i, k + 1)]);
                h[at(i, k)] -= d * v0;
                h[at(i, k + 1)] -= d * v1;
            }
        }
    }
    Ok(values)
}

/// The Householder reflection I − β v vᵀ that maps (x, y, z) onto a multiple of e₁; `None` if
/// the vector is already zero.
fn reflector3(x: f64, y: f64, z: f64) -> Option<(f64, f64, f64, f64)> {
    let norm = (x * x + y * y + z * z).sqrt();
    if norm == 0.0 {
        return None;
    }
    let v0 = x + if x >= 0.0 { norm } else { -norm };
    let vv = v0 * v0 + y * y + z * z;
    Some((v0, y, z, 2.0 / vv))
}

fn reflector2(x: f64, y: f64) -> Option<(f64, f64, f64)> {
    let norm = x.hypot(y);
    if norm == 0.0 {
        return None;
    }
    let v0 = x + if x >= 0.0 { norm } else { -norm };
    let vv = v0 * v0 + y * y;
    Some((v0, y, 2.0 / vv))
}

/// The eigenvalues of the 2×2 block [[p, q], [r, u]].
fn pair(p: f64, q: f64, r: f64, u: f64) -> [Complex; 2] {
    let mean = 0.5 * (p + u);
    let half_diff = 0.5 * (p - u);
    let disc = half_diff * half_diff + q * r;
    if disc >= 0.0 {
        let root = disc.sqrt();
        // The root of larger modulus first, the other from the product (no cancellation).
        let big = mean + if mean >= 0.0 { root } else { -root };
        let det = p * u - q * r;
        let small = if big != 0.0 { det / big } else { mean - root };
        [(big, 0.0), (small, 0.0)]
    } else {
        let im = (-disc).sqrt();
        [(mean, im), (mean, -im)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sorted by real part, then imaginary part.
    fn sorted(mut v: Vec<Complex>) -> Vec<Complex> {
        v.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        v
    }

    fn check(a: &[f64], n: usize, expected: &[Complex]) {
        let got = sorted(eigenvalues(a, n).unwrap());
        let want = sorted(expected.to_vec());
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(&want) {
            assert!(
                (g.0 - w.0).abs() < 1e-9 && (g.1 - w.1).abs() < 1e-9,
                "{got:?} against {want:?}"
            );
        }
    }

    #[test]
    fn known_spectra() {
        // Diagonal, triangular, a rotation (a complex pair), and a companion matrix.
        check(&[2.0, 0.0, 0.0, -3.0], 2, &[(2.0, 0.0), (-3.0, 0.0)]);
        check(
            &[1.0, 5.0, 7.0, 0.0, 2.0, 3.0, 0.0, 0.0, 4.0],
            3,
            &[(1.0, 0.0), (2.0, 0.0), (4.0, 0.0)],
        );
        check(&[0.0, -2.0, 2.0, 0.0], 2, &[(0.0, 2.0), (0.0, -2.0)]);
        // x⁴ − 10x³ + 35x² − 50x + 24 = (x − 1)(x − 2)(x − 3)(x − 4).
        let companion = [
            10.0, -35.0, 50.0, -24.0, //
            1.0, 0.0, 0.0, 0.0, //
            0.0, 1.0, 0.0, 0.0, //
            0.0, 0.0, 1.0, 0.0,
        ];
        check(
            &companion,
            4,
            &[(1.0, 0.0), (2.0, 0.0), (3.0, 0.0), (4.0, 0.0)],
        );
        // x⁴ + 1: the four eighth roots of unity that square to −1.
        let s = std::f64::consts::FRAC_1_SQRT_2;
        let roots = [
            0.0, 0.0, 0.0, -1.0, //
            1.0, 0.0, 0.0, 0.0, //
            0.0, 1.0, 0.0, 0.0, //
            0.0, 0.0, 1.0, 0.0,
        ];
        check(&roots, 4, &[(s, s), (s, -s), (-s, s), (-s, -s)]);
        // A 3×3 permutation (cyclic): the cube roots of unity.
        let r3 = 3.0_f64.sqrt() / 2.0;
        check(
            &[0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0],
            3,
            &[(1.0, 0.0), (-0.5, r3), (-0.5, -r3)],
        );
    }

    /// A random 60×60 matrix: the eigenvalues sum to the trace and their squares to the trace
    /// of A² (both exact identities), and complex ones come in conjugate pairs.
    #[test]
    fn random_matrices_keep_trace_identities() {
        use rand::{Rng, SeedableRng};
        let n = 60;
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
        let a: Vec<f64> = (0..n * n).map(|_| rng.random::<f64>() - 0.5).collect();
        let values = eigenvalues(&a, n).unwrap();
        assert_eq!(values.len(), n);
        let trace: f64 = (0..n).map(|i| a[i * n + i]).sum();
        let trace_sq: f64 = (0..n)
            .flat_map(|i| (0..n).map(move |k| (i, k)))
            .map(|(i, k)| a[i * n + k] * a[k * n + i])
            .sum();
        let sum: Complex = values
            .iter()
            .fold((0.0, 0.0), |s, v| (s.0 + v.0, s.1 + v.1));
        let sum_sq = values.iter().fold((0.0, 0.0), |s, v| {
            (s.0 + v.0 * v.0 - v.1 * v.1, s.1 + 2.0 * v.0 * v.1)
        });
        assert!(
            (sum.0 - trace).abs() < 1e-9 && sum.1.abs() < 1e-9,
            "{sum:?} {trace}"
        );
        assert!((sum_sq.0 - trace_sq).abs() < 1e-8 && sum_sq.1.abs() < 1e-8);
        let complex = values.iter().filter(|v| v.1 != 0.0).count();
        assert!(complex > 0 && complex % 2 == 0);
    }

    #[test]
    fn bad_matrices_are_refused() {
        assert!(eigenvalues(&[1.0, 2.0, 3.0], 2).is_err());
        assert!(eigenvalues(&[1.0, f64::NAN, 0.0, 1.0], 2).is_err());
        assert_eq!(eigenvalues(&[], 0).unwrap(), Vec::<Complex>::new());
        assert_eq!(spectral_radius(&[-5.0], 1).unwrap(), 5.0);
    }
}
