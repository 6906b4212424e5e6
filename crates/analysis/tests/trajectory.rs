//! Phase-plane trajectories: FitzHugh–Nagumo settling onto its limit cycle (curriculum §6.3a)
//! and the AdEx homework's transient spiking, split at its resets (§6.5 Q4, figure F6.11).

mod common;

use brainplay_analysis::{trajectory, TrajectorySpec};
use brainplay_sim::library;

fn check(what: &str, got: f64, want: f64, tol: f64) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} ± {tol}"
    );
}

/// From (−2.8, −1.8) at I = 0.8 the orbit joins the limit cycle with V ∈ [−1.94, 1.92].
#[test]
fn fitzhugh_nagumo_reaches_the_limit_cycle() {
    let model = library::get("fhn").unwrap();
    let spec = TrajectorySpec {
        x: "V",
        y: "w",
        start: (-2.8, -1.8),
        duration_ms: 400.0,
        dt_ms: 0.1,
        params: vec![("I", 0.8)],
        init: vec![],
    };
    let path = trajectory(&model, &spec).unwrap();
    assert_eq!(path.segments.len(), 1, "no resets");
    let points = &path.segments[0];
    assert_eq!(points.len(), 4001);
    assert_eq!(points[0], (-2.8, -1.8));
    // After 300 ms (almost three periods of 36.5 ms are left) only the cycle remains.
    let cycle = &points[3000..];
    let lowest = cycle.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
    let highest = cycle.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
    check("lowest V", lowest, -1.94, 0.03);
    check("highest V", highest, 1.92, 0.03);
    assert!(path.spike_times_ms.is_empty() && path.error.is_none());
}

/// From V = −60, w = 0: two spikes (13.3 and 41.8 ms), each reset to V_reset with w raised by
/// b = 10, then a damped oscillation into the stable focus (−50.7506, 19.2494).
#[test]
fn adex_homework_trajectory_jumps_at_resets() {
    let model = library::get("adex").unwrap();
    let spec = TrajectorySpec {
        x: "V",
        y: "w",
        start: (-60.0, 0.0),
        duration_ms: 1500.0,
        dt_ms: 0.1,
        params: common::adex_homework_plane(55.0, 2).params,
        init: vec![],
    };
    let path = trajectory(&model, &spec).unwrap();
    assert_eq!(path.spike_times_ms.len(), 2, "{:?}", path.spike_times_ms);
    for (got, want) in path.spike_times_ms.iter().zip([13.3, 41.8]) {
        check("spike time", *got, want, 0.2);
    }
    assert_eq!(path.segments.len(), 3);
    for pair in path.segments.windows(2) {
        let (before, after) = (*pair[0].last().unwrap(), pair[1][0]);
        check("V after the reset", after.0, -60.0, 1e-12);
        // w jumps by b, plus one step's drift.
        check("w jump", after.1 - before.1, 10.0, 0.5);
    }
    let points: usize = path.segments.iter().map(Vec::len).sum();
    // The start, then every step once (a reset step opens the next segment).
    assert_eq!(points, 15001);
    let end = *path.segments[2].last().unwrap();
    check("final V", end.0, -50.7506, 0.01);
    check("final w", end.1, 19.2494, 0.01);
}

#[test]
fn unknown_names_are_errors() {
    let model = library::get("fhn").unwrap();
    let good = TrajectorySpec {
        x: "V",
        y: "w",
        start: (0.0, 0.0),
        duration_ms: 10.0,
        dt_ms: 0.1,
        params: vec![],
        init: vec![],
    };
    let bad = [
        TrajectorySpec {
            x: "Q",
            ..good.clone()
        },
        TrajectorySpec {
            params: vec![("Iext", 1.0)],
            ..good.clone()
        },
        TrajectorySpec {
            init: vec![("u", 1.0)],
            ..good.clone()
        },
    ];
    for spec in bad {
        assert!(trajectory(&model, &spec).is_err(), "{spec:?}");
    }
    assert!(trajectory(&model, &good).is_ok());
}
