//! Nullclines by marching squares against closed forms: FitzHugh–Nagumo's cubic and line
//! (curriculum §6.3a), vertical, horizontal, multi-branch, saddle-cell and closed nullclines of
//! small planes, and the AdEx homework plane (§6.5 Q4) whose nullclines cross at its fixed points.

mod common;

use brainplay_analysis::{nullclines, Nullclines, PlaneSpec};
use brainplay_sim::{library, parse_model, Model};

/// A plane `x`, `y` with parameter `I` and the two given right-hand sides.
fn plane_model(dx: &str, dy: &str) -> Model {
    let text = format!(
        "model t\nparam I = 0 1 in [-1e9, 1e9] \"I\" \"I\"\n\
         state x = 0 1 \"x\" \"x\"\nstate y = 0 1 \"y\" \"y\"\n\
         dx/dt = {dx}\ndy/dt = {dy}\n"
    );
    parse_model(&text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn plane<'a>(x: &'a str, y: &'a str, x_range: (f64, f64), y_range: (f64, f64)) -> PlaneSpec<'a> {
    PlaneSpec {
        x,
        y,
        x_range,
        y_range,
        params: vec![],
        held: vec![],
        grid: 40,
    }
}

fn check(what: &str, got: f64, want: f64, tol: f64) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} ± {tol}"
    );
}

/// Every point of every branch satisfies `residual(x, y) = 0` within `tol`.
fn check_on_curve(
    what: &str,
    branches: &[Vec<(f64, f64)>],
    residual: impl Fn(f64, f64) -> f64,
    tol: f64,
) {
    for (b, branch) in branches.iter().enumerate() {
        assert!(
            branch.len() > 5,
            "{what} branch {b}: {} points",
            branch.len()
        );
        for &(x, y) in branch {
            check(
                &format!("{what} branch {b} at ({x}, {y})"),
                residual(x, y),
                0.0,
                tol,
            );
        }
    }
}

/// Shortest distance from `p` to a polyline, in units of the box's sides.
fn distance(p: (f64, f64), branches: &[Vec<(f64, f64)>], size: (f64, f64)) -> f64 {
    let scale = |q: (f64, f64)| (q.0 / size.0, q.1 / size.1);
    let p = scale(p);
    let mut best = f64::INFINITY;
    for branch in branches {
        for pair in branch.windows(2) {
            let (a, b) = (scale(pair[0]), scale(pair[1]));
            let (ux, uy) = (b.0 - a.0, b.1 - a.1);
            let t = (((p.0 - a.0) * ux + (p.1 - a.1) * uy) / (ux * ux + uy * uy)).clamp(0.0, 1.0);
            best = best.min((p.0 - a.0 - t * ux).hypot(p.1 - a.1 - t * uy));
        }
    }
    best
}

#[test]
fn fitzhugh_nagumo_cubic_and_line() {
    let model = library::get("fhn").unwrap();
    let mut spec = plane("V", "w", (-3.0, 3.0), (-3.0, 3.0));
    spec.params = vec![("I", 0.8)];
    let Nullclines { x, y } = nullclines(&model, &spec).unwrap();
    // Both cross the box from edge to edge in one piece.
    assert_eq!((x.len(), y.len()), (1, 1), "{x:?}\n{y:?}");
    check_on_curve(
        "V-nullcline",
        &x,
        |v, w| w - (v - v.powi(3) / 3.0 + 0.8),
        1e-8,
    );
    check_on_curve("w-nullcline", &y, |v, w| w - (v + 0.7) / 0.8, 1e-8);
    for (name, branch) in [("V", &x[0]), ("w", &y[0])] {
        for &(v, w) in [branch.first().unwrap(), branch.last().unwrap()] {
            let on_edge = v.abs().max(w.abs());
            check(
                &format!("{name}-nullcline end ({v}, {w})"),
                on_edge,
                3.0,
                1e-9,
            );
        }
    }
}

#[test]
fn vertical_and_horizontal_nullclines() {
    let model = plane_model("x - 0.5", "y*y - 1");
    let Nullclines { x, y } =
        nullclines(&model, &plane("x", "y", (-2.0, 2.0), (-2.0, 2.0))).unwrap();
    assert_eq!(x.len(), 1, "{x:?}");
    check_on_curve("x = 0.5", &x, |x, _| x - 0.5, 1e-10);
    let ys: Vec<f64> = x[0].iter().map(|p| p.1).collect();
    check(
        "lowest y",
        ys.iter().copied().fold(f64::INFINITY, f64::min),
        -2.0,
        1e-12,
    );
    check(
        "highest y",
        ys.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        2.0,
        1e-12,
    );
    assert_eq!(y.len(), 2, "{y:?}");
    let mut levels: Vec<f64> = y.iter().map(|b| b[0].1).collect();
    levels.sort_by(f64::total_cmp);
    for (branch, level) in y.iter().zip([levels[0], levels[1]]) {
        check_on_curve(
            "y = ±1",
            std::slice::from_ref(branch),
            |_, y| y - level,
            1e-10,
        );
    }
    check("lower level", levels[0], -1.0, 1e-10);
    check("upper level", levels[1], 1.0, 1e-10);
}

/// `x y = ±c` has two hyperbola branches; the cell around the origin is a saddle cell whose
/// centre decides which corners join. Each branch must stay in its own quadrant.
#[test]
fn saddle_cells_split_hyperbolas() {
    for (c, quadrant_sign) in [(0.01, 1.0), (-0.01, -1.0)] {
        let model = plane_model(&format!("x*y - ({c})"), "y - 5");
        // An even grid puts the origin at a cell centre.
        let mut spec = plane("x", "y", (-1.0, 1.0), (-1.0, 1.0));
        spec.grid = 20;
        let found = nullclines(&model, &spec).unwrap();
        assert_eq!(found.x.len(), 2, "c = {c}: {:?}", found.x);
        check_on_curve("x y = c", &found.x, |x, y| x * y - c, 1e-10);
        for branch in &found.x {
            let sx = branch[0].0.signum();
            for &(x, y) in branch {
                assert_eq!(x.signum(), sx, "c = {c}: a branch crosses x = 0");
                assert_eq!(x.signum() * y.signum(), quadrant_sign, "c = {c}");
            }
        }
        assert!(found.y.is_empty(), "y = 5 is outside the box");
    }
}

#[test]
fn a_circle_is_one_closed_branch() {
    let model = plane_model("x*x + y*y - 1", "x - y");
    let found = nullclines(&model, &plane("x", "y", (-2.0, 2.0), (-2.0, 2.0))).unwrap();
    assert_eq!(found.x.len(), 1);
    let circle = &found.x[0];
    assert_eq!(circle.first(), circle.last(), "closed");
    check_on_curve("circle", &found.x, |x, y| x * x + y * y - 1.0, 1e-10);
    check_on_curve("diagonal", &found.y, |x, y| x - y, 1e-10);
}

/// Curriculum §6.5 Q4: the nullclines cross at the stable focus (−50.7506, 19.2494) and the
/// saddle (−47.9494, 22.0506).
#[test]
fn adex_homework_nullclines_cross_at_the_fixed_points() {
    let model = library::get("adex").unwrap();
    let spec = common::adex_homework_plane(55.0, 60);
    let Nullclines { x, y } = nullclines(&model, &spec).unwrap();
    // dV/dt = 0: w = (−(V + 70) + 2 e^((V + 50)/2)) / 0.5 + 55; |dV/dt| < 1e-10 is 2e-9 in w.
    check_on_curve(
        "V-nullcline",
        &x,
        |v, w| w - (2.0 * (-(v + 70.0) + 2.0 * ((v + 50.0) / 2.0).exp()) + 55.0),
        1e-8,
    );
    // dw/dt = 0: w = V + 70; |dw/dt| < 1e-10 is 1e-8 in w.
    check_on_curve("w-nullcline", &y, |v, w| w - (v + 70.0), 2e-8);
    // The points lie on the curves; the chords between them sag off by up to h²κ/8, here about
    // 2e-4 of the box near the V-nullcline's bend.
    for point in [(-50.7506, 19.2494), (-47.9494, 22.0506)] {
        for (name, branches) in [("V", &x), ("w", &y)] {
            let d = distance(point, branches, (30.0, 60.0));
            check(&format!("{name}-nullcline to {point:?}"), d, 0.0, 5e-4);
        }
    }
}

#[test]
fn malformed_planes_are_errors() {
    let model = library::get("fhn").unwrap();
    let good = plane("V", "w", (-3.0, 3.0), (-3.0, 3.0));
    let bad = [
        PlaneSpec {
            x_range: (1.0, 1.0),
            ..good.clone()
        },
        PlaneSpec {
            y_range: (2.0, -2.0),
            ..good.clone()
        },
        PlaneSpec {
            grid: 1,
            ..good.clone()
        },
        PlaneSpec {
            x: "Q",
            ..good.clone()
        },
        PlaneSpec {
            params: vec![("Iext", 1.0)],
            ..good.clone()
        },
    ];
    for spec in bad {
        assert!(nullclines(&model, &spec).is_err(), "{spec:?}");
    }
    assert!(nullclines(&model, &good).is_ok());
}
