//! What the learning tests share: a gradient checked against central differences.

/// Checks `gradient` (at `theta`) against central differences of `loss` with step 1e-6: every
/// component within 1e-6 of the largest component's size, which must not be negligible.
pub fn check_gradient(theta: &[f64], gradient: &[f64], loss: impl Fn(&[f64]) -> f64, case: &str) {
    let scale = gradient.iter().fold(0.0_f64, |m, g| m.max(g.abs()));
    assert!(scale > 1e-3, "{case}: a gradient to check");
    for (k, &g) in gradient.iter().enumerate() {
        let (mut up, mut down) = (theta.to_vec(), theta.to_vec());
        up[k] += 1e-6;
        down[k] -= 1e-6;
        let numeric = (loss(&up) - loss(&down)) / 2e-6;
        assert!(
            (g - numeric).abs() < 1e-6 * scale,
            "{case}, parameter {k}: {g} vs {numeric}"
        );
    }
}
