//! The figures of `synapse_plot` blocks: the STDP window measured pair by pair equals the trace
//! rule's closed form, and the kinetics comparison puts each synapse's peak at 1 in the order of
//! their time constants.

use brainplay_lessons::content::{SynapsePlot, SynapsePlotKind};
use brainplay_lessons::synapse_plots::compute;
use brainplay_lessons::Text;

fn block(plot: SynapsePlotKind, synapses: &[&str], span_ms: f64, step_ms: f64) -> SynapsePlot {
    SynapsePlot {
        id: "p".into(),
        title: Text::new("t", "t"),
        caption: None,
        plot,
        synapses: synapses.iter().map(|s| s.to_string()).collect(),
        span_ms,
        step_ms,
    }
}

/// The stdp synapse's defaults: A_pre 0.01, A_post 0.0105, both time constants 20 ms; Δw within
/// 1e-9 relative.
#[test]
fn the_stdp_window_is_the_trace_rule() {
    let series = compute(&block(SynapsePlotKind::StdpWindow, &["stdp"], 40.0, 4.0)).unwrap();
    assert_eq!(series.x.len(), 20);
    for (&dt, &dw) in series.x.iter().zip(&series.curves[0].1) {
        let want = if dt > 0.0 {
            0.01 * (-dt / 20.0).exp()
        } else {
            -0.0105 * (dt / 20.0).exp()
        };
        assert!(
            (dw - want).abs() < 1e-9 * want.abs(),
            "Δt {dt}: {dw} vs {want}"
        );
    }
}

/// (synapse, time of its peak after the spike in ms, within one step)
#[test]
fn kinetics_peak_at_one_in_order() {
    let names = ["expon", "ampa", "dual_expon", "nmda"];
    let series = compute(&block(SynapsePlotKind::Kinetics, &names, 100.0, 2.0)).unwrap();
    let peak_time = |k: usize| {
        let g = &series.curves[k].1;
        let at = g
            .iter()
            .position(|&v| v == 1.0)
            .expect("scaled to its peak");
        series.x[at]
    };
    // expon jumps at once; AMPA's transmitter pulse lasts 0.5 ms; the dual exponential peaks
    // at 2 ms; NMDA's slow rise and 100 ms decay put its peak last.
    let times: Vec<f64> = (0..names.len()).map(peak_time).collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
    assert!(
        (times[2] - 2.0).abs() <= 0.11,
        "dual exponential peak at {}",
        times[2]
    );
}

#[test]
fn unusable_blocks_are_errors() {
    assert!(compute(&block(SynapsePlotKind::StdpWindow, &["expon"], 40.0, 4.0)).is_err());
    assert!(compute(&block(SynapsePlotKind::StdpWindow, &["stdp"], 150.0, 4.0)).is_err());
    assert!(compute(&block(SynapsePlotKind::Kinetics, &["nope"], 40.0, 4.0)).is_err());
}
