//! The arrow field of a plane against FitzHugh–Nagumo's closed-form derivatives.

use brainplay_analysis::{arrows, PlaneSpec};
use brainplay_sim::library;

fn check(what: &str, got: f64, want: f64, tol: f64) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} ± {tol}"
    );
}

fn fhn_plane(grid: usize) -> PlaneSpec<'static> {
    PlaneSpec {
        x: "V",
        y: "w",
        x_range: (-3.0, 3.0),
        y_range: (-2.0, 2.0),
        params: vec![("I", 0.8)],
        held: vec![],
        grid,
    }
}

#[test]
fn fitzhugh_nagumo_arrows() {
    let model = library::get("fhn").unwrap();
    let field = arrows(&model, &fhn_plane(7)).unwrap();
    assert_eq!(field.len(), 49);
    // Row by row from the lower-left corner.
    for (k, arrow) in field.iter().enumerate() {
        let (i, j) = ((k % 7) as f64, (k / 7) as f64);
        check("x", arrow.x, -3.0 + i, 1e-12);
        check("y", arrow.y, -2.0 + 4.0 * j / 6.0, 1e-12);
        let (v, w) = (arrow.x, arrow.y);
        let dv = v - v.powi(3) / 3.0 - w + 0.8;
        let dw = (v + 0.7 - 0.8 * w) / 12.5;
        let speed = dv.hypot(dw);
        check("speed", arrow.speed, speed, 1e-12);
        check("direction x", arrow.direction.0, dv / speed, 1e-12);
        check("direction y", arrow.direction.1, dw / speed, 1e-12);
    }
}

#[test]
fn malformed_planes_are_errors() {
    let model = library::get("fhn").unwrap();
    assert!(arrows(&model, &fhn_plane(1)).is_err());
    let empty = PlaneSpec {
        x_range: (1.0, -1.0),
        ..fhn_plane(5)
    };
    assert!(arrows(&model, &empty).is_err());
    let unknown = PlaneSpec {
        y: "u",
        ..fhn_plane(5)
    };
    assert!(arrows(&model, &unknown).is_err());
}
