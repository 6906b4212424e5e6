//! Fixed points and their stability against BrainPy's FitzHugh–Nagumo answers, the course's AdEx
//! homework (curriculum §6.5 Q4) and closed forms.

mod common;

use brainplay_analysis::{fixed_points_2d, FixedPoint, PlaneSpec, Stability};
use brainplay_sim::library;
use serde_json::Value;

fn fixture() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/fhn_phase_plane.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn fhn(i_ext: f64) -> Vec<FixedPoint> {
    let model = library::get("fhn").unwrap();
    let plane = PlaneSpec {
        x: "V",
        y: "w",
        x_range: (-3.0, 3.0),
        y_range: (-3.0, 3.0),
        params: vec![("I", i_ext)],
        held: vec![],
        grid: 20,
    };
    fixed_points_2d(&model, &plane).unwrap()
}

/// Positions within 1e-6 of BrainPy's Newton-refined values (design.md §3 asks 1e-3 relative),
/// the same labels, eigenvalues within 1e-9.
#[test]
fn fitzhugh_nagumo_matches_brainpy() {
    let f = fixture();
    for case in f["results"]["fixed_points_by_Iext"].as_array().unwrap() {
        let i_ext = case["Iext"].as_f64().unwrap();
        let want = case["numpy_newton"].as_array().unwrap();
        let got = fhn(i_ext);
        assert_eq!(got.len(), want.len(), "Iext = {i_ext}");
        for (g, w) in got.iter().zip(want) {
            assert!(
                (g.x - w["V"].as_f64().unwrap()).abs() < 1e-6,
                "Iext = {i_ext}: V {}",
                g.x
            );
            assert!(
                (g.y - w["w"].as_f64().unwrap()).abs() < 1e-6,
                "Iext = {i_ext}: w {}",
                g.y
            );
            assert_eq!(
                g.stability.label(),
                w["type"].as_str().unwrap(),
                "Iext = {i_ext}"
            );
            let eig = w["eigenvalues"].as_array().unwrap();
            for (ge, we) in g.eigenvalues.iter().zip(eig) {
                let (re, im) = (we[0].as_f64().unwrap(), we[1].as_f64().unwrap());
                assert!(
                    (ge.0 - re).abs() < 1e-9 && (ge.1 - im).abs() < 1e-9,
                    "Iext = {i_ext}"
                );
            }
        }
    }
}

/// The course's answer (curriculum §6.3a): at Iext = 0.8 one unstable node at (−0.2729, 0.5339).
#[test]
fn the_course_fhn_answer() {
    let points = fhn(0.8);
    assert_eq!(points.len(), 1);
    assert!((points[0].x + 0.272901).abs() < 1e-5 && (points[0].y - 0.533874).abs() < 1e-5);
    assert_eq!(points[0].stability, Stability::UnstableNode);
}

/// Curriculum §6.5 Q4: built-in AdEx with a 1, b 10, tau 10, tau_w 100, V_reset −60, R 0.5,
/// delta_T 2, V_rest −70, V_T −50, I = 55 has a stable focus at (−50.7506, 19.2494) and a saddle
/// at (−47.9494, 22.0506) in V ∈ [−70, −40], w ∈ [−10, 50].
#[test]
fn the_adex_homework_answer() {
    let model = library::get("adex").unwrap();
    let plane = common::adex_homework_plane(55.0, 30);
    let points = fixed_points_2d(&model, &plane).unwrap();
    assert_eq!(points.len(), 2, "{points:?}");
    let (focus, saddle) = (&points[0], &points[1]);
    assert!(
        (focus.x + 50.7506).abs() < 1e-3 && (focus.y - 19.2494).abs() < 1e-3,
        "{focus:?}"
    );
    assert_eq!(focus.stability, Stability::StableFocus);
    assert!(
        (saddle.x + 47.9494).abs() < 1e-3 && (saddle.y - 22.0506).abs() < 1e-3,
        "{saddle:?}"
    );
    assert_eq!(saddle.stability, Stability::Saddle);
}

/// A box without fixed points gives an empty list, a malformed box an error.
#[test]
fn empty_boxes_and_bad_boxes() {
    let model = library::get("fhn").unwrap();
    let mut plane = PlaneSpec {
        x: "V",
        y: "w",
        x_range: (2.0, 3.0),
        y_range: (2.0, 3.0),
        params: vec![("I", 0.8)],
        held: vec![],
        grid: 10,
    };
    assert!(fixed_points_2d(&model, &plane).unwrap().is_empty());
    plane.x_range = (3.0, 2.0);
    assert!(fixed_points_2d(&model, &plane).is_err());
    plane.x_range = (2.0, 3.0);
    plane.x = "Q";
    assert!(fixed_points_2d(&model, &plane).is_err());
}

/// Fixed points in the box by Newton from every grid node (what `fixed_points_2d` did before it
/// chose its starts), as (x, y) sorted by x.
fn newton_from_every_node(model: &brainplay_sim::Model, plane: &PlaneSpec) -> Vec<(f64, f64)> {
    use brainplay_sim::field::VectorField;
    let m = plane.grid;
    let (x0, x1) = plane.x_range;
    let (y0, y1) = plane.y_range;
    let n = m * m;
    let mut field =
        VectorField::new(model, &[plane.x, plane.y], &plane.params, &plane.held, n).unwrap();
    let at = |lo: f64, hi: f64, k: usize| lo + (hi - lo) * k as f64 / (m - 1) as f64;
    let mut xs: Vec<f64> = (0..n).map(|k| at(x0, x1, k % m)).collect();
    let mut ys: Vec<f64> = (0..n).map(|k| at(y0, y1, k / m)).collect();
    for _ in 0..60 {
        field.eval(&[&xs, &ys]);
        for k in 0..n {
            let (f, g) = (field.derivative(0)[k], field.derivative(1)[k]);
            let (a, b) = (field.jacobian(0, 0)[k], field.jacobian(0, 1)[k]);
            let (c, d) = (field.jacobian(1, 0)[k], field.jacobian(1, 1)[k]);
            let det = a * d - b * c;
            xs[k] -= (d * f - b * g) / det;
            ys[k] -= (a * g - c * f) / det;
        }
    }
    field.eval(&[&xs, &ys]);
    let mut found: Vec<(f64, f64)> = Vec::new();
    for k in 0..n {
        let (x, y) = (xs[k], ys[k]);
        let residual = field.derivative(0)[k]
            .abs()
            .max(field.derivative(1)[k].abs());
        let inside = (x0..=x1).contains(&x) && (y0..=y1).contains(&y);
        let new = !found
            .iter()
            .any(|p| ((p.0 - x) / (x1 - x0)).abs() < 1e-7 && ((p.1 - y) / (y1 - y0)).abs() < 1e-7);
        if inside && residual < 1e-10 && new {
            found.push((x, y));
        }
    }
    found.sort_by(|a, b| a.0.total_cmp(&b.0));
    found
}

/// The starts `fixed_points_2d` chooses find every fixed point that Newton from every node of
/// the same grid finds, within 1e-9 of the box: the course's planes over their parameter
/// ranges, near the AdEx saddle-node (56.43) where two fixed points share a cell, and on coarse
/// and fine grids.
#[test]
fn chosen_starts_find_what_every_node_finds() {
    let fhn = library::get("fhn").unwrap();
    let adex = library::get("adex").unwrap();
    let mut planes = Vec::new();
    for i in [0.0, 0.3, 0.33, 0.8, 1.0, 1.42, 2.0] {
        for grid in [5, 24, 100] {
            let plane = PlaneSpec {
                x: "V",
                y: "w",
                x_range: (-3.0, 3.0),
                y_range: (-3.0, 3.0),
                params: vec![("I", i)],
                held: vec![],
                grid,
            };
            planes.push((&fhn, plane));
        }
    }
    for i in [40.0, 55.0, 56.17, 56.4, 56.42, 56.43, 60.0] {
        for grid in [5, 24, 100] {
            planes.push((&adex, common::adex_homework_plane(i, grid)));
        }
    }
    for (model, plane) in &planes {
        let want = newton_from_every_node(model, plane);
        let got = fixed_points_2d(model, plane).unwrap();
        let (dx, dy) = (
            plane.x_range.1 - plane.x_range.0,
            plane.y_range.1 - plane.y_range.0,
        );
        for (x, y) in &want {
            assert!(
                got.iter()
                    .any(|p| ((p.x - x) / dx).abs() < 1e-9 && ((p.y - y) / dy).abs() < 1e-9),
                "{} {:?} grid {}: ({x}, {y}) missing from {got:?}",
                model.id,
                plane.params.last(),
                plane.grid
            );
        }
    }
}
