//! Native timings of the analyses lessons 5 and 6 will run in the browser (design.md §4 bars,
//! for the browser: phase plane on a 100×100 grid ≤ 30 ms; FitzHugh–Nagumo bifurcation diagram
//! over 200 values ≤ 300 ms). Run with `cargo xtask bench`.

use brainplay_analysis::{arrows, continue_fixed_points, fixed_points_2d, nullclines, PlaneSpec};
use brainplay_sim::library;
use criterion::{criterion_group, criterion_main, Criterion};

fn fhn_plane(grid: usize) -> PlaneSpec<'static> {
    PlaneSpec {
        x: "V",
        y: "w",
        x_range: (-3.0, 3.0),
        y_range: (-3.0, 3.0),
        params: vec![("I", 0.8)],
        held: vec![],
        grid,
    }
}

fn phase_plane(c: &mut Criterion) {
    let model = library::get("fhn").unwrap();
    let plane = fhn_plane(100);
    c.bench_function("analysis/fhn_phase_plane_100x100", |b| {
        b.iter(|| {
            let lines = nullclines(&model, &plane).unwrap();
            let field = arrows(&model, &plane).unwrap();
            let points = fixed_points_2d(&model, &plane).unwrap();
            (lines.x.len(), field.len(), points.len())
        })
    });
}

fn bifurcation(c: &mut Criterion) {
    let model = library::get("fhn").unwrap();
    let plane = fhn_plane(20);
    c.bench_function("analysis/fhn_bifurcation_200", |b| {
        b.iter(|| continue_fixed_points(&model, &plane, "I", 0.0, 1.5, 200).unwrap())
    });
}

criterion_group!(benches, phase_plane, bifurcation);
criterion_main!(benches);
