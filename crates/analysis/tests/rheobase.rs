//! Rheobase by population bisection against closed forms: LIF (V_th − V_rest)/R, QIF
//! c (V_c − V_rest)²/4 and ExpIF (V_T − V_rest) − delta_T (crates/sim/models/*.model), and the
//! errors for brackets that cannot hold it.

use brainplay_analysis::{rheobase, RheobaseSpec};
use brainplay_sim::{library, Setup};

fn spec(v0_mv: f64, low: f64, high: f64) -> RheobaseSpec<'static> {
    RheobaseSpec {
        param: None,
        low,
        high,
        duration_ms: 1000.0,
        tolerance: 0.01,
        setup: Setup {
            dt_ms: 0.1,
            init: vec![("V".into(), vec![v0_mv])],
            ..Setup::default()
        },
    }
}

/// The bracket is at most the tolerance wide and lies within `within` of the analytic value (a
/// finite duration puts it slightly above: just above rheobase the first spike takes long).
fn check(model: &str, v0_mv: f64, (low, high): (f64, f64), analytic: f64, within: f64) {
    let model = library::get(model).unwrap();
    let (lo, hi) = rheobase(&model, &spec(v0_mv, low, high)).unwrap();
    assert!(hi - lo <= 0.01, "[{lo}, {hi}]");
    assert!(
        (lo - analytic).abs() < within && (hi - analytic).abs() < within,
        "{}: [{lo}, {hi}] vs {analytic}",
        model.id
    );
}

#[test]
fn rheobases_match_their_closed_forms() {
    check("lif_noref", 0.0, (0.0, 40.0), 20.0, 0.05);
    check("qif", -65.0, (0.0, 10.0), 3.9375, 0.05);
    check("expif", -65.0, (0.0, 10.0), 1.62, 0.05);
}

#[test]
fn brackets_without_the_rheobase_are_errors() {
    let model = library::get("lif_noref").unwrap();
    // Empty bracket.
    assert!(rheobase(&model, &spec(0.0, 30.0, 10.0)).is_err());
    // Never fires in it.
    assert!(rheobase(&model, &spec(0.0, 0.0, 15.0)).is_err());
    // Fires everywhere in it.
    assert!(rheobase(&model, &spec(0.0, 25.0, 40.0)).is_err());
    // An unknown parameter.
    let mut bad = spec(0.0, 0.0, 40.0);
    bad.param = Some("Iext");
    assert!(rheobase(&model, &bad).is_err());
}
