//! Phase lines of one-variable models against closed forms: `dx/dt = sin x + I` (curriculum
//! §6.2) and the quadratic integrate-and-fire neuron's two fixed points.

use std::f64::consts::PI;

use brainplay_analysis::{line_diagram, phase_line, LineSpec, LineStability};
use brainplay_sim::library;

fn check(what: &str, got: f64, want: f64, tol: f64) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} ± {tol}"
    );
}

fn sine_spec(i_ext: f64) -> LineSpec<'static> {
    LineSpec {
        x: "x",
        range: (-10.0, 10.0),
        params: vec![("I", i_ext)],
        held: vec![],
        samples: 2001,
    }
}

/// The library's `sine_line`, the course's one-variable example.
fn sine_model() -> brainplay_sim::Model {
    library::get("sine_line").unwrap()
}

/// I = 0: x* = kπ for k = −3…3, stable where cos x* < 0 (odd k).
#[test]
fn sine_fixed_points_at_multiples_of_pi() {
    let line = phase_line(&sine_model(), &sine_spec(0.0)).unwrap();
    assert_eq!(line.xs.len(), 2001);
    for (&x, &f) in line.xs.iter().zip(&line.dxdt) {
        check("dx/dt", f, x.sin(), 1e-12);
    }
    let want: Vec<i32> = (-3..=3).collect();
    assert_eq!(
        line.fixed_points.len(),
        want.len(),
        "{:?}",
        line.fixed_points
    );
    for (point, k) in line.fixed_points.iter().zip(want) {
        let x = k as f64 * PI;
        check(&format!("x* for k = {k}"), point.x, x, 1e-9);
        check(&format!("slope for k = {k}"), point.slope, x.cos(), 1e-9);
        let stability = if k % 2 == 0 {
            LineStability::Unstable
        } else {
            LineStability::Stable
        };
        assert_eq!(point.stability, stability, "k = {k}");
    }
    assert_eq!(line.fixed_points[3].stability.label(), "unstable point");
    assert_eq!(line.fixed_points[4].stability.label(), "stable point");
}

/// |I| > 1: sin x + I never vanishes.
#[test]
fn sine_without_fixed_points() {
    let line = phase_line(&sine_model(), &sine_spec(1.2)).unwrap();
    assert!(line.fixed_points.is_empty(), "{:?}", line.fixed_points);
}

/// QIF: c (V − V_rest)(V − V_c) + R I = 0 with c 0.07, V_rest −65, V_c −50, R 1: the lower root
/// is stable (rest), the upper unstable (threshold).
#[test]
fn qif_rest_and_threshold() {
    let model = library::get("qif").unwrap();
    for i_ext in [0.0, 2.0, 3.9] {
        let spec = LineSpec {
            x: "V",
            range: (-80.0, -20.0),
            params: vec![("I", i_ext)],
            held: vec![],
            samples: 301,
        };
        let line = phase_line(&model, &spec).unwrap();
        // V² + 115 V + 3250 + I/c = 0.
        let root = (115.0_f64 * 115.0 - 4.0 * (3250.0 + i_ext / 0.07)).sqrt();
        let want = [
            ((-115.0 - root) / 2.0, LineStability::Stable),
            ((-115.0 + root) / 2.0, LineStability::Unstable),
        ];
        assert_eq!(line.fixed_points.len(), 2, "I = {i_ext}");
        for (point, (v, stability)) in line.fixed_points.iter().zip(want) {
            check(&format!("V* at I = {i_ext}"), point.x, v, 1e-8);
            assert_eq!(point.stability, stability, "I = {i_ext}");
        }
    }
}

#[test]
fn malformed_lines_are_errors() {
    let model = sine_model();
    let bad = [
        LineSpec {
            range: (1.0, 1.0),
            ..sine_spec(0.0)
        },
        LineSpec {
            samples: 1,
            ..sine_spec(0.0)
        },
        LineSpec {
            x: "y",
            ..sine_spec(0.0)
        },
        LineSpec {
            params: vec![("J", 0.0)],
            ..sine_spec(0.0)
        },
    ];
    for spec in bad {
        assert!(phase_line(&model, &spec).is_err(), "{spec:?}");
    }
}

/// The saddle-nodes of one-variable diagrams: sin x + I loses all its fixed points at I = 1
/// (curriculum §6.2, x* = −π/2 + 2kπ), the QIF its rest and threshold at the rheobase
/// c (V_c − V_rest)²/4 = 3.9375. Tolerances: the crossing is resolved to the sample spacing
/// (2001 samples over 20 for sin, 0.01 wide: 1e-5 on I; 601 over 60 mV for QIF: 2e-4).
/// `model`'s line diagram in I over `range` has one saddle-node, at `want` ± `tol`, with fixed
/// points below it and none above.
fn check_saddle_node(
    model: &brainplay_sim::Model,
    spec: &LineSpec,
    range: (f64, f64),
    want: f64,
    tol: f64,
) {
    let diagram = line_diagram(model, spec, "I", range, 60).unwrap();
    assert_eq!(
        diagram.saddle_nodes.len(),
        1,
        "{}: {:?}",
        model.id,
        diagram.saddle_nodes
    );
    check(&model.id, diagram.saddle_nodes[0], want, tol);
    assert!(
        diagram.points.iter().all(|(i, _)| *i < want),
        "{}",
        model.id
    );
    assert!(
        diagram.points.iter().any(|(i, _)| *i > 0.9 * want),
        "{}",
        model.id
    );
}

#[test]
fn one_variable_saddle_nodes() {
    check_saddle_node(&sine_model(), &sine_spec(0.0), (0.0, 1.5), 1.0, 1e-4);
    let qif_spec = LineSpec {
        x: "V",
        range: (-80.0, -20.0),
        params: vec![],
        held: vec![],
        samples: 601,
    };
    let qif = library::get("qif").unwrap();
    check_saddle_node(&qif, &qif_spec, (0.0, 6.0), 0.07 * 225.0 / 4.0, 2e-3);
    assert!(line_diagram(&sine_model(), &sine_spec(0.0), "I", (1.0, 1.0), 10).is_err());
}
