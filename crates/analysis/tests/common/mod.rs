//! What several analysis tests share: the AdEx plane of the course's advanced homework
//! (curriculum §6.5 Q4).

use brainplay_analysis::PlaneSpec;

/// The homework's built-in AdEx parameters, without the input current.
pub const ADEX_HOMEWORK: [(&str, f64); 9] = [
    ("a", 1.0),
    ("b", 10.0),
    ("tau", 10.0),
    ("tau_w", 100.0),
    ("V_reset", -60.0),
    ("R", 0.5),
    ("delta_T", 2.0),
    ("V_rest", -70.0),
    ("V_T", -50.0),
];

/// The homework's plane, V ∈ [−70, −40], w ∈ [−10, 50], at input current `i`.
pub fn adex_homework_plane(i: f64, grid: usize) -> PlaneSpec<'static> {
    let mut params = ADEX_HOMEWORK.to_vec();
    params.push(("I", i));
    PlaneSpec {
        x: "V",
        y: "w",
        x_range: (-70.0, -40.0),
        y_range: (-10.0, 50.0),
        params,
        held: vec![],
        grid,
    }
}
