//! The Krylov estimate of the spectral radius against all the eigenvalues, on the matrices it is
//! used for (reservoirs: sparse, random, complex pairs at the edge of their spectrum) and on one
//! whose largest eigenvalues are a known complex pair.

use brainplay_learn::eigen::eigenvalues;
use brainplay_learn::krylov::krylov_radius;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Normal};
use rand_xoshiro::Xoshiro256PlusPlus;

fn dense_radius(a: &[f64], n: usize) -> f64 {
    eigenvalues(a, n)
        .unwrap()
        .iter()
        .map(|&(re, im)| re.hypot(im))
        .fold(0.0, f64::max)
}

/// A reservoir's recurrent weights: N(0, 0.1) kept with probability 0.1.
fn reservoir(n: usize, seed: u64) -> Vec<f64> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let normal = Normal::new(0.0, 0.1).unwrap();
    (0..n * n)
        .map(|_| match rng.random::<f64>() < 0.1 {
            true => normal.sample(&mut rng),
            false => 0.0,
        })
        .collect()
}

/// Reservoirs of 201 to 1000 units: the estimate within 1e-8 (relative) of the largest of all
/// eigenvalues' moduli.
#[test]
fn the_estimate_is_the_reservoirs_radius() {
    for (n, seed) in [(201, 1), (400, 2), (700, 3), (1000, 4)] {
        let a = reservoir(n, seed);
        let (estimate, exact) = (krylov_radius(&a, n).unwrap(), dense_radius(&a, n));
        assert!(
            (estimate - exact).abs() < 1e-8 * exact,
            "{n}: {estimate} vs {exact}"
        );
    }
}

/// A rotation by 0.3 rad scaled by 2 (eigenvalues 2e^(±0.3i)) beside a diagonal of values below
/// 1.5, mixed by a random orthogonal-ish change of basis: radius 2, found as a complex pair.
#[test]
fn a_dominant_complex_pair_is_found() {
    let n = 300;
    let mut a = vec![0.0; n * n];
    let (c, s) = (2.0 * 0.3f64.cos(), 2.0 * 0.3f64.sin());
    a[0] = c;
    a[1] = -s;
    a[n] = s;
    a[n + 1] = c;
    for i in 2..n {
        a[i * n + i] = 1.5 * (i as f64 / n as f64);
    }
    // A similarity transform B = P A P⁻¹ with P = I + small random strictly-lower part (P⁻¹ by
    // forward substitution) keeps the eigenvalues and fills the matrix.
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(9);
    let mut p = vec![0.0; n * n];
    for i in 0..n {
        p[i * n + i] = 1.0;
        for j in 0..i {
            p[i * n + j] = (rng.random::<f64>() - 0.5) * 0.02;
        }
    }
    let pa: Vec<f64> = (0..n * n)
        .map(|k| (0..n).map(|m| p[(k / n) * n + m] * a[m * n + k % n]).sum())
        .collect();
    // B = (P A) P⁻¹: solve Bᵀ... row by row: b_row · P = pa_row (P lower unit triangular).
    let mut b = vec![0.0; n * n];
    for i in 0..n {
        for j in (0..n).rev() {
            let known: f64 = (j + 1..n).map(|m| b[i * n + m] * p[m * n + j]).sum();
            b[i * n + j] = pa[i * n + j] - known;
        }
    }
    let estimate = krylov_radius(&b, n).unwrap();
    assert!((estimate - 2.0).abs() < 1e-8, "{estimate}");
    assert!((dense_radius(&b, n) - 2.0).abs() < 1e-8);
}
