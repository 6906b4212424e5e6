//! The reduced decision-making model's phase plane (curriculum §10.4): the fixed points BrainPy's
//! `PhasePlane2D` prints for the course's four cases and the playground's two extra ones, with
//! their types. Tolerance: 1e-4 on each coordinate (the table's five digits).

use brainplay_analysis::{fixed_points_2d, PlaneSpec, Stability};
use brainplay_sim::library;

use Stability::{Saddle, StableNode};

/// (μ0, coherence) and the fixed points (s1, s2, type) in increasing s1.
fn check(mu: f64, coh: f64, want: &[(f64, f64, Stability)]) {
    let model = library::get("wong_wang").unwrap();
    let plane = PlaneSpec {
        x: "s1",
        y: "s2",
        x_range: (0.0, 1.0),
        y_range: (0.0, 1.0),
        params: vec![("mu", mu), ("coh", coh)],
        held: vec![],
        grid: 100,
    };
    let got = fixed_points_2d(&model, &plane).unwrap();
    let found: Vec<_> = got.iter().map(|p| (p.x, p.y, p.stability)).collect();
    assert_eq!(got.len(), want.len(), "μ0 = {mu}, c = {coh}: {found:?}");
    for (p, &(s1, s2, kind)) in got.iter().zip(want) {
        assert!(
            (p.x - s1).abs() < 1e-4 && (p.y - s2).abs() < 1e-4 && p.stability == kind,
            "μ0 = {mu}, c = {coh}: expected ({s1}, {s2}) {kind:?}, found {found:?}"
        );
    }
}

#[test]
fn fixed_points_of_the_course_table() {
    check(
        0.0,
        0.0,
        &[
            (0.03189, 0.56699, StableNode),
            (0.05579, 0.31384, Saddle),
            (0.10265, 0.10265, StableNode),
            (0.31384, 0.05579, Saddle),
            (0.56699, 0.03189, StableNode),
        ],
    );
    check(
        30.0,
        0.0,
        &[
            (0.05181, 0.65869, StableNode),
            (0.42446, 0.42446, Saddle),
            (0.65869, 0.05181, StableNode),
        ],
    );
    check(
        30.0,
        14.0,
        &[
            (0.05911, 0.64810, StableNode),
            (0.38456, 0.45363, Saddle),
            (0.66798, 0.04583, StableNode),
        ],
    );
    check(30.0, 100.0, &[(0.70928, 0.02396, StableNode)]);
}

#[test]
fn fixed_points_of_the_playground_cases() {
    check(
        20.0,
        25.6,
        &[
            (0.05014, 0.62158, StableNode),
            (0.18733, 0.27215, Saddle),
            (0.65132, 0.03702, StableNode),
        ],
    );
    check(
        20.0,
        0.0,
        &[
            (0.04281, 0.63785, StableNode),
            (0.22022, 0.22022, Saddle),
            (0.63785, 0.04281, StableNode),
        ],
    );
}
