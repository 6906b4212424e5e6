//! The arithmetic of every compiled operation, defined once: the constant folder, the scalar
//! interpreter and the vectorised interpreter all call these functions.

/// One-argument operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Un {
    Neg,
    Exp,
    Log,
    Sqrt,
    Abs,
    Tanh,
    Sin,
    Cos,
    Sigmoid,
    Exprel,
    /// d/dx exprel(x), needed by exponential Euler when an equation contains `exprel`.
    ExprelPrime,
    Heaviside,
    Sign,
    /// The value unchanged, but a constant to differentiation: a quantity taken at the start of
    /// the step and held through it (a synaptic current read from the step's starting membrane
    /// potential, as BrainPy feeds inputs to its integrators).
    Hold,
    /// Integer power, the common case `m^3 h`, `n^4` (cheaper and exact compared with `powf`).
    Powi(i32),
}

/// Two-argument operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Bin {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Min,
    Max,
    /// 1 if `x >= y` else 0: spike and refractory tests.
    AtLeast,
}

/// `(e^x - 1) / x`, continuous at 0 (BrainPy's `exprel`, the φ of exponential Euler).
#[inline(always)]
pub fn exprel(x: f64) -> f64 {
    if x == 0.0 {
        1.0
    } else {
        crate::exp::expm1(x) / x
    }
}

/// `d/dx exprel(x) = (x e^x - e^x + 1) / x^2`; near 0 the Taylor series `1/2 + x/3 + x^2/8`
/// avoids the cancellation in the closed form.
#[inline(always)]
pub fn exprel_prime(x: f64) -> f64 {
    if x.abs() < 1e-4 {
        0.5 + x * (1.0 / 3.0 + x * 0.125)
    } else {
        (x * crate::exp::exp(x) - crate::exp::expm1(x)) / (x * x)
    }
}

#[inline(always)]
pub fn un(op: Un, x: f64) -> f64 {
    match op {
        Un::Neg => -x,
        Un::Exp => crate::exp::exp(x),
        Un::Log => x.ln(),
        Un::Sqrt => x.sqrt(),
        Un::Abs => x.abs(),
        Un::Tanh => x.tanh(),
        Un::Sin => x.sin(),
        Un::Cos => x.cos(),
        Un::Sigmoid => 1.0 / (1.0 + crate::exp::exp(-x)),
        Un::Exprel => exprel(x),
        Un::ExprelPrime => exprel_prime(x),
        Un::Heaviside => flag(x >= 0.0),
        Un::Sign => {
            if x > 0.0 {
                1.0
            } else if x < 0.0 {
                -1.0
            } else {
                0.0
            }
        }
        Un::Hold => x,
        Un::Powi(k) => x.powi(k),
    }
}

#[inline(always)]
pub fn bin(op: Bin, x: f64, y: f64) -> f64 {
    match op {
        Bin::Add => x + y,
        Bin::Sub => x - y,
        Bin::Mul => x * y,
        Bin::Div => x / y,
        Bin::Pow => x.powf(y),
        Bin::Min => x.min(y),
        Bin::Max => x.max(y),
        Bin::AtLeast => flag(x >= y),
    }
}

// Comparisons and selections are written as bit masks rather than branches so that the lane
// loops vectorise even on plain SSE2 and wasm SIMD.

/// 1.0 if `b` else 0.0.
#[inline(always)]
fn flag(b: bool) -> f64 {
    f64::from_bits((b as u64).wrapping_neg() & 1f64.to_bits())
}

/// `a` where `cond` is non-zero, else `b`.
#[inline(always)]
pub fn select(cond: f64, a: f64, b: f64) -> f64 {
    let mask = ((cond != 0.0) as u64).wrapping_neg();
    f64::from_bits((a.to_bits() & mask) | (b.to_bits() & !mask))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exprel_is_continuous_and_matches_its_definition() {
        for x in [-30.0, -1.0, -1e-3, -1e-9, 1e-9, 1e-3, 1.0, 30.0] {
            let direct = (f64::exp(x) - 1.0) / x;
            assert!((exprel(x) - direct).abs() <= 1e-6 * direct.abs(), "x = {x}");
        }
        assert_eq!(exprel(0.0), 1.0);
    }

    #[test]
    fn exprel_prime_matches_a_finite_difference() {
        for x in [-5.0, -0.3, -2e-4, -5e-5, 0.0, 5e-5, 2e-4, 0.3, 5.0] {
            let h = 1e-6;
            let numeric = (exprel(x + h) - exprel(x - h)) / (2.0 * h);
            assert!((exprel_prime(x) - numeric).abs() < 1e-7, "x = {x}");
        }
    }
}
