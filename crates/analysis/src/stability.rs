//! Stability of a fixed point of a planar system from its Jacobian `J`: with `p = trace J` and
//! `q = det J`, `q < 0` is a saddle; otherwise the sign of `p` gives stable or unstable, and the
//! discriminant `p² − 4q` node (real eigenvalues) or focus (complex); `p = 0` with `q > 0` is a
//! center. The labels are BrainPy's (`brainpy.analysis.stability`), "saddle node" included, which
//! BrainPy uses for a saddle.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stability {
    StableNode,
    UnstableNode,
    StableFocus,
    UnstableFocus,
    Saddle,
    Center,
}

impl Stability {
    /// BrainPy's label.
    pub fn label(self) -> &'static str {
        match self {
            Stability::StableNode => "stable node",
            Stability::UnstableNode => "unstable node",
            Stability::StableFocus => "stable focus",
            Stability::UnstableFocus => "unstable focus",
            Stability::Saddle => "saddle node",
            Stability::Center => "center",
        }
    }
}

impl fmt::Display for Stability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The classification and the two eigenvalues `(re, im)` of `j = [[a, b], [c, d]]`.
pub fn classify_2d(j: [[f64; 2]; 2]) -> (Stability, [(f64, f64); 2]) {
    let p = j[0][0] + j[1][1];
    let q = j[0][0] * j[1][1] - j[0][1] * j[1][0];
    let discriminant = p * p - 4.0 * q;
    let eigenvalues = if discriminant >= 0.0 {
        let root = discriminant.sqrt();
        [((p + root) / 2.0, 0.0), ((p - root) / 2.0, 0.0)]
    } else {
        let root = (-discriminant).sqrt();
        [(p / 2.0, root / 2.0), (p / 2.0, -root / 2.0)]
    };
    let kind = if q < 0.0 {
        Stability::Saddle
    } else if p == 0.0 {
        Stability::Center
    } else {
        match (p > 0.0, discriminant < 0.0) {
            (true, true) => Stability::UnstableFocus,
            (true, false) => Stability::UnstableNode,
            (false, true) => Stability::StableFocus,
            (false, false) => Stability::StableNode,
        }
    };
    (kind, eigenvalues)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(j: [[f64; 2]; 2], kind: Stability, eigenvalues: [(f64, f64); 2]) {
        let (got, values) = classify_2d(j);
        assert_eq!(got, kind, "{j:?}");
        for (a, b) in values.iter().zip(&eigenvalues) {
            assert!(
                (a.0 - b.0).abs() < 1e-12 && (a.1 - b.1).abs() < 1e-12,
                "{j:?}: {values:?}"
            );
        }
    }

    #[test]
    fn textbook_cases() {
        check(
            [[-1.0, 0.0], [0.0, -2.0]],
            Stability::StableNode,
            [(-1.0, 0.0), (-2.0, 0.0)],
        );
        check(
            [[1.0, 0.0], [0.0, 2.0]],
            Stability::UnstableNode,
            [(2.0, 0.0), (1.0, 0.0)],
        );
        check(
            [[-1.0, -2.0], [2.0, -1.0]],
            Stability::StableFocus,
            [(-1.0, 2.0), (-1.0, -2.0)],
        );
        check(
            [[1.0, -2.0], [2.0, 1.0]],
            Stability::UnstableFocus,
            [(1.0, 2.0), (1.0, -2.0)],
        );
        check(
            [[1.0, 0.0], [0.0, -1.0]],
            Stability::Saddle,
            [(1.0, 0.0), (-1.0, 0.0)],
        );
        check(
            [[0.0, -1.0], [1.0, 0.0]],
            Stability::Center,
            [(0.0, 1.0), (0.0, -1.0)],
        );
    }
}
