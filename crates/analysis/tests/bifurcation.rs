//! Bifurcation diagrams against the course's answers: FitzHugh–Nagumo's Hopf points and stability
//! changes (curriculum §6.3, BrainPy's fixture) and the AdEx saddle-nodes and Hopf point
//! (curriculum §6.3b, §6.5 Q4).

mod common;

use brainplay_analysis::{
    continue_fixed_points, special_curves, Diagram, PlaneSpec, SpecialKind, SpecialPoint,
    Stability, Sweep,
};
use brainplay_sim::library;
use serde_json::Value;

fn fixture() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/fhn_phase_plane.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn diagram(
    model: &str,
    plane: &PlaneSpec,
    param: &str,
    (from, to): (f64, f64),
    steps: usize,
) -> Diagram {
    let model = library::get(model).unwrap();
    continue_fixed_points(&model, plane, param, from, to, steps).unwrap()
}

/// The special points are exactly `want` (kind, parameter, x) in parameter order, the parameter
/// within `tolerance` and x within `x_tolerance`.
fn check(got: &[SpecialPoint], want: &[(SpecialKind, f64, f64)], tolerance: f64, x_tolerance: f64) {
    assert_eq!(got.len(), want.len(), "{got:?}");
    for (g, &(kind, param, x)) in got.iter().zip(want) {
        assert_eq!(g.kind, kind, "{got:?}");
        assert!((g.param - param).abs() < tolerance, "{g:?} vs {param}");
        assert!((g.x - x).abs() < x_tolerance, "{g:?} vs x = {x}");
    }
}

/// The parameter values between which the label changes from `before` to `after`.
fn switch(d: &Diagram, before: Stability, after: Stability) -> (f64, f64) {
    let points = &d.branches[0].points;
    let k = points
        .windows(2)
        .position(|w| w[0].stability == before && w[1].stability == after)
        .unwrap_or_else(|| panic!("no switch {before} → {after}"));
    (points[k].param, points[k + 1].param)
}

fn fhn_plane() -> PlaneSpec<'static> {
    PlaneSpec {
        x: "V",
        y: "w",
        x_range: (-3.0, 3.0),
        y_range: (-3.0, 3.0),
        params: vec![],
        held: vec![],
        grid: 20,
    }
}

/// Curriculum §6.3: Hopf where trace J = 1 − V² − 0.064 = 0, V = ∓0.96747 at I = 0.33128 and
/// 1.41872; stable focus → unstable focus at the first, unstable focus → unstable node at
/// BrainPy's node/focus boundary 0.58126.
#[test]
fn fitzhugh_nagumo_hopf_points_and_stability_changes() {
    let d = diagram("fhn", &fhn_plane(), "I", (0.0, 1.5), 200);
    assert_eq!(d.branches.len(), 1);
    assert_eq!(d.branches[0].points.len(), 201);
    check(
        &d.special,
        &[
            (SpecialKind::Hopf, 0.33128, -0.96747),
            (SpecialKind::Hopf, 1.41872, 0.96747),
        ],
        1e-4,
        1e-4,
    );
    let (lo, hi) = switch(&d, Stability::StableFocus, Stability::UnstableFocus);
    assert!(lo <= 0.3313 && 0.3313 <= hi, "{lo}..{hi}");
    let boundary = fixture()["results"]["node_focus_boundary_Iext"][1]
        .as_f64()
        .unwrap();
    let (lo, hi) = switch(&d, Stability::UnstableFocus, Stability::UnstableNode);
    assert!(lo <= boundary && boundary <= hi, "{lo}..{hi} vs {boundary}");
}

/// Curriculum §6.5 Q4: the stable focus loses stability at I ≈ 56.17 and meets the saddle at
/// I ≈ 56.43.
#[test]
fn adex_homework_hopf_then_saddle_node() {
    // The swept input replaces the plane's own.
    let mut plane = common::adex_homework_plane(50.0, 30);
    plane.params.retain(|(name, _)| *name != "I");
    let d = diagram("adex", &plane, "I", (50.0, 58.0), 160);
    let got: Vec<_> = d.special.iter().map(|s| (s.kind, s.param)).collect();
    assert_eq!(d.special.len(), 2, "{got:?}");
    assert_eq!(d.special[0].kind, SpecialKind::Hopf, "{got:?}");
    assert!((d.special[0].param - 56.17).abs() < 0.02, "{got:?}");
    assert_eq!(d.special[1].kind, SpecialKind::SaddleNode, "{got:?}");
    assert!((d.special[1].param - 56.43).abs() < 0.02, "{got:?}");
}

/// Curriculum §6.3b: with a = 0 the rest state and the saddle meet at
/// I_SN = (V_T − V_rest) − delta_T = 5.1 − 3.48 = 1.62, where V = V_T.
#[test]
fn adex_tutorial_saddle_node() {
    let plane = PlaneSpec {
        x: "V",
        y: "w",
        x_range: (-70.0, -40.0),
        y_range: (-5.0, 75.0),
        params: vec![
            ("a", 0.0),
            ("tau", 20.0),
            ("tau_w", 30.0),
            ("b", 60.0),
            ("V_reset", -55.0),
        ],
        held: vec![],
        grid: 30,
    };
    // The pair vanishes going up in I, and is born going down: both directions report it.
    for range in [(0.0, 3.0), (3.0, 0.0)] {
        let d = diagram("adex", &plane, "I", range, 150);
        assert_eq!(d.branches.len(), 2, "{range:?}: {:?}", d.special);
        check(
            &d.special,
            &[(SpecialKind::SaddleNode, 1.62, -59.9)],
            0.01,
            0.05,
        );
    }
}

#[test]
fn bad_ranges_and_names_are_errors() {
    let model = library::get("fhn").unwrap();
    let plane = fhn_plane();
    assert!(continue_fixed_points(&model, &plane, "I", 1.0, 1.0, 10).is_err());
    assert!(continue_fixed_points(&model, &plane, "I", 0.0, 1.0, 0).is_err());
    assert!(continue_fixed_points(&model, &plane, "Iext", 0.0, 1.0, 10).is_err());
}

/// Curriculum 6.3a, codim-2: the FitzHugh–Nagumo Hopf line in (a, I) is I_H(a) = (V_H + a)/b −
/// V_H + V_H³/3 with V_H = −sqrt(1 − b/tau) (trace J = 0 on the left branch): 1.25 a − 0.5438 for
/// b = 0.8, tau = 12.5 (a = 0.5 → 0.081, 0.7 → 0.331, 1.0 → 0.706).
#[test]
fn fitzhugh_nagumo_hopf_line_in_a_and_i() {
    let model = library::get("fhn").unwrap();
    let first = Sweep {
        param: "I",
        from: 0.0,
        to: 1.0,
        steps: 50,
    };
    let second = Sweep {
        param: "a",
        from: 0.5,
        to: 1.0,
        steps: 10,
    };
    let curves = special_curves(&model, &fhn_plane(), &first, &second).unwrap();
    assert_eq!(
        curves.len(),
        11,
        "one Hopf point per value of a: {curves:?}"
    );
    let v_h = -(1.0_f64 - 0.8 / 12.5).sqrt();
    for p in &curves {
        assert_eq!(p.kind, SpecialKind::Hopf);
        let want = (v_h + p.second) / 0.8 - v_h + v_h.powi(3) / 3.0;
        assert!((p.first - want).abs() < 1e-5, "{p:?} vs {want}");
    }
    for (a, i_h) in [(0.5, 0.081), (0.7, 0.331), (1.0, 0.706)] {
        let p = curves
            .iter()
            .find(|p| (p.second - a).abs() < 1e-12)
            .unwrap();
        assert!((p.first - i_h).abs() < 1e-3, "a = {a}: {p:?}");
    }
}
