//! Limit-cycle ranges by simulation: FitzHugh–Nagumo oscillates between its two Hopf currents
//! (0.3313 and 1.4187 for the course's a, b, tau) and rests outside them; at I = 0.8 its cycle
//! spans V in [-1.94, 1.92] (lesson 5's notes, from `brainplay run`).

use brainplay_analysis::{envelopes, CycleSpec, Envelope};
use brainplay_sim::library;

fn fhn_envelopes(currents: &[f64]) -> Vec<Envelope> {
    let model = library::get("fhn").unwrap();
    let spec = CycleSpec {
        x: "V",
        param: "I",
        values: currents.to_vec(),
        params: vec![("I", 99.0)],
        init: vec![("V", -2.8), ("w", -1.8)],
        settle_ms: 600.0,
        measure_ms: 100.0,
        dt_ms: 0.1,
    };
    envelopes(&model, &spec).unwrap()
}

/// (current, whether it oscillates, the cycle's range where known)
fn check(current: f64, oscillates: bool, range: Option<(f64, f64)>, e: &Envelope) {
    assert_eq!(e.param, current);
    // A settled fixed point moves less than 1e-3 in 100 ms; the cycles span about 3.8.
    assert_eq!(e.amplitude() > 1.0, oscillates, "I = {current}: {e:?}");
    if !oscillates {
        assert!(e.amplitude() < 1e-3, "I = {current}: {e:?}");
    }
    if let Some((min, max)) = range {
        // The course figures to two decimals; dt = 0.1 ms samples the peak within that.
        assert!((e.min - min).abs() < 0.01, "I = {current}: min {}", e.min);
        assert!((e.max - max).abs() < 0.01, "I = {current}: max {}", e.max);
    }
}

#[test]
fn fitzhugh_nagumo_oscillates_between_its_hopf_currents() {
    let cases = [
        (0.0, false, None),
        (0.25, false, None),
        (0.5, true, None),
        (0.8, true, Some((-1.94, 1.92))),
        (1.2, true, None),
        (1.6, false, None),
        (2.0, false, None),
    ];
    let currents: Vec<f64> = cases.iter().map(|c| c.0).collect();
    let got = fhn_envelopes(&currents);
    for ((current, oscillates, range), e) in cases.iter().zip(&got) {
        check(*current, *oscillates, *range, e);
    }
}

#[test]
fn bad_specs_are_errors() {
    let model = library::get("fhn").unwrap();
    let spec = |x, measure_ms| CycleSpec {
        x,
        param: "I",
        values: vec![0.5],
        params: vec![],
        init: vec![],
        settle_ms: 10.0,
        measure_ms,
        dt_ms: 0.1,
    };
    assert!(envelopes(&model, &spec("q", 10.0))
        .unwrap_err()
        .0
        .en
        .contains("`q`"));
    assert!(envelopes(&model, &spec("V", 0.0)).is_err());
}
