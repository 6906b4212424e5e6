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
