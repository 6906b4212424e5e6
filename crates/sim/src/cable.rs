//! The passive cable (lesson 3; curriculum §3, the lecture's cable theory): the deviation V of
//! the membrane potential from rest along a cable of length L obeys
//!
//! τ ∂V/∂t = λ² ∂²V/∂x² − V,
//!
//! with the length constant λ = sqrt(a r_M / (2 ρ_L)). A current I₀ injected at x = 0 enters as
//! the boundary condition ∂V/∂x(0) = −r_a I₀ (r_a = ρ_L / (π a²), the axial resistance per
//! length); the far end is sealed, ∂V/∂x(L) = 0. On a cable much longer than λ the steady state
//! is the lecture's V_ss(x) = λ r_a I₀ e^(−x/λ); on this one it is exactly
//! λ r_a I₀ cosh((L − x)/λ) / sinh(L/λ).
//!
//! Space is discretised by second differences on a uniform grid (the boundary conditions by
//! mirror nodes), time by backward Euler: stable at any step, one tridiagonal solve per step.

/// A cable and its grid. Units: mm, ms, MΩ/mm and nA, so that V is in mV.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cable {
    pub lambda_mm: f64,
    pub tau_ms: f64,
    /// Axial resistance per length r_a (MΩ/mm).
    pub r_a_mohm_per_mm: f64,
    pub length_mm: f64,
    /// Grid spacing; the grid has `length_mm / dx_mm` intervals (rounded).
    pub dx_mm: f64,
}

impl Cable {
    /// The grid's positions (mm), from 0 to L.
    pub fn positions_mm(&self) -> Vec<f64> {
        let dx = self.length_mm / self.intervals() as f64;
        (0..=self.intervals()).map(|i| i as f64 * dx).collect()
    }

    /// `v`, values on the grid, linearly interpolated at `x_mm` (clamped to the cable).
    pub fn at(&self, v: &[f64], x_mm: f64) -> f64 {
        let n = self.intervals();
        let place = (x_mm / (self.length_mm / n as f64)).clamp(0.0, n as f64);
        let i = (place.floor() as usize).min(n - 1);
        let f = place - i as f64;
        v[i] * (1.0 - f) + v[i + 1] * f
    }

    fn intervals(&self) -> usize {
        (self.length_mm / self.dx_mm).round().max(1.0) as usize
    }

    /// The closed-form steady state of the continuous sealed cable at `x_mm` for `i0_na`.
    pub fn steady_state_exact(&self, i0_na: f64, x_mm: f64) -> f64 {
        let (l, big_l) = (self.lambda_mm, self.length_mm);
        l * self.r_a_mohm_per_mm * i0_na * ((big_l - x_mm) / l).cosh() / (big_l / l).sinh()
    }

    /// The lecture's steady state of a semi-infinite cable, λ r_a I₀ e^(−x/λ).
    pub fn steady_state_infinite(&self, i0_na: f64, x_mm: f64) -> f64 {
        self.lambda_mm * self.r_a_mohm_per_mm * i0_na * (-x_mm / self.lambda_mm).exp()
    }

    /// The grid's steady state for `i0_na`: V solving 0 = λ² V'' − V with the boundary
    /// conditions.
    pub fn steady_state(&self, i0_na: f64) -> Vec<f64> {
        let system = self.system(0.0);
        let source = self.source(i0_na);
        solve(&system, &source)
    }

    /// V on the grid every `record_every` steps of `dt_ms` (and at t = 0), from rest, with
    /// `i0_na` switched on at t = 0, for `steps` steps.
    pub fn charge(
        &self,
        i0_na: f64,
        dt_ms: f64,
        steps: usize,
        record_every: usize,
    ) -> Vec<(f64, Vec<f64>)> {
        let decay = self.tau_ms / dt_ms;
        let system = self.system(decay);
        let source = self.source(i0_na);
        let mut v = vec![0.0; self.intervals() + 1];
        let mut recorded = vec![(0.0, v.clone())];
        let mut rhs = vec![0.0; v.len()];
        for step in 1..=steps {
            for ((r, vi), s) in rhs.iter_mut().zip(&v).zip(&source) {
                *r = decay * vi + s;
            }
            v = solve(&system, &rhs);
            if step % record_every.max(1) == 0 {
                recorded.push((step as f64 * dt_ms, v.clone()));
            }
        }
        recorded
    }

    /// The rows (below, diagonal, above) of `decay·V − (λ² D₂ V − V)`, D₂ the second difference
    /// with mirror nodes at both ends.
    fn system(&self, decay: f64) -> Vec<[f64; 3]> {
        let n = self.intervals();
        let dx = self.length_mm / n as f64;
        let k = (self.lambda_mm / dx).powi(2);
        (0..=n)
            .map(|i| {
                let (below, above) = match i {
                    0 => (0.0, 2.0 * k),
                    _ if i == n => (2.0 * k, 0.0),
                    _ => (k, k),
                };
                [-below, decay + 2.0 * k + 1.0, -above]
            })
            .collect()
    }

    /// The injected current's term: the mirror node at x = −dx carries V₁ + 2 dx r_a I₀.
    fn source(&self, i0_na: f64) -> Vec<f64> {
        let n = self.intervals();
        let dx = self.length_mm / n as f64;
        let mut source = vec![0.0; n + 1];
        source[0] = self.lambda_mm.powi(2) / dx * 2.0 * self.r_a_mohm_per_mm * i0_na;
        source
    }
}

/// Solves the tridiagonal system `rows`·x = `rhs` (Thomas algorithm; the rows here are
/// diagonally dominant, so it needs no pivoting).
fn solve(rows: &[[f64; 3]], rhs: &[f64]) -> Vec<f64> {
    let n = rows.len();
    let mut upper = vec![0.0; n];
    let mut x = vec![0.0; n];
    for i in 0..n {
        let [below, diagonal, above] = rows[i];
        let (prev_upper, prev_x) = if i == 0 {
            (0.0, 0.0)
        } else {
            (upper[i - 1], x[i - 1])
        };
        let pivot = diagonal - below * prev_upper;
        upper[i] = above / pivot;
        x[i] = (rhs[i] - below * prev_x) / pivot;
    }
    for i in (0..n.saturating_sub(1)).rev() {
        x[i] -= upper[i] * x[i + 1];
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cable(lambda_mm: f64) -> Cable {
        Cable {
            lambda_mm,
            tau_ms: 10.0,
            r_a_mohm_per_mm: 100.0,
            length_mm: 10.0,
            dx_mm: 0.01,
        }
    }

    /// The grid's steady state against the sealed cable's closed form, within (dx/λ)²/2 of V(0)
    /// (second differences and mirror nodes: an error of order (dx/λ)²); on a cable ten length constants long
    /// it is the lecture's e^(−x/λ), and V(λ)/V(0) = e^(−1).
    #[test]
    fn the_steady_state_is_the_closed_form() {
        for lambda in [0.2, 0.5, 1.0, 2.0] {
            let c = cable(lambda);
            let v = c.steady_state(0.1);
            let v0 = c.steady_state_exact(0.1, 0.0);
            let tolerance = 0.5 * (c.dx_mm / lambda).powi(2) * v0;
            for (x, got) in c.positions_mm().iter().zip(&v) {
                let want = c.steady_state_exact(0.1, *x);
                assert!(
                    (got - want).abs() < tolerance,
                    "λ {lambda}, x {x}: {got} vs {want}"
                );
            }
            let at_lambda = (lambda / c.dx_mm).round() as usize;
            let ratio = v[at_lambda] / v[0];
            assert!((ratio - (-1f64).exp()).abs() < 1e-3, "λ {lambda}: {ratio}");
        }
        let c = cable(0.5);
        assert!((c.steady_state_infinite(0.1, 0.0) - c.steady_state_exact(0.1, 0.0)).abs() < 1e-6);
    }

    /// From rest the cable charges towards the steady state; at x = 0 of a semi-infinite cable
    /// V(0, t) = V_ss(0) erf(sqrt(t/τ)) (Dayan & Abbott eq. 6.21's integral), so after one τ
    /// it has reached erf(1) = 0.8427 of it.
    #[test]
    fn charging_follows_the_error_function() {
        let c = cable(1.0);
        let runs = c.charge(0.1, 0.01, 1000, 1000);
        let (t, v) = runs.last().expect("recorded");
        assert!((t - 10.0).abs() < 1e-9);
        let ratio = v[0] / c.steady_state_exact(0.1, 0.0);
        assert!((ratio - 0.842_700_79).abs() < 2e-3, "{ratio}");
        // Long after, the run is the steady state.
        let late = c.charge(0.1, 0.5, 400, 400);
        let settled = &late.last().expect("recorded").1;
        for (a, b) in settled.iter().zip(c.steady_state(0.1)) {
            assert!((a - b).abs() < 1e-6, "{a} vs {b}");
        }
    }
}
