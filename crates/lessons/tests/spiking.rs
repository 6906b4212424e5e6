//! Lesson 14's codes and spiking networks through the figures route, and the numbers its
//! exercises and captions state (curriculum §14, with their tolerances).

mod common;

use brainplay_lessons::content::NetworkPlot;
use brainplay_lessons::figure::TrainingFigures;
use common::{line, number_after, panel, training_of};

fn figures(id: &str, params: &[(&str, f64)]) -> TrainingFigures {
    training_of(14, id, params)
}

/// `poisson_gain`: the white pixels of the 6 spike at 0.25 ± 0.1 per step with gain 0.25 (50
/// steps each), at every step with gain 1; the raster holds every spike.
#[test]
fn poisson_rates_follow_the_gain() {
    for (gain, expected, tolerance) in [(1.0, 1.0, 0.0), (0.25, 0.25, 0.1)] {
        let f = figures("poisson", &[("gain", gain)]);
        let data = panel(&f, NetworkPlot::Data);
        let x = line(data, "intensity x");
        let rates = line(data, "spikes per step");
        let white: Vec<f64> = x
            .iter()
            .zip(rates)
            .filter(|(x, _)| **x == 1.0)
            .map(|(_, r)| *r)
            .collect();
        assert!(!white.is_empty());
        let mean = white.iter().sum::<f64>() / white.len() as f64;
        assert!((mean - expected).abs() <= tolerance, "gain {gain}: {mean}");
        let spikes: f64 = rates.iter().map(|r| r * 50.0).sum();
        assert_eq!(f.groups[0].spikes as f64, spikes.round());
        assert_eq!(f.raster_ms, 5.0);
    }
}

/// `latency_white`: white pixels spike at 0.5 ms, x ≤ 0.1 never; the linear code with clip puts
/// black pixels at 0.9 ms (F14.5) and a threshold of 0.01 silences them (F14.6).
#[test]
fn latency_times_are_the_curriculums() {
    let times = |params: &[(&str, f64)]| -> Vec<(f64, f64)> {
        let f = figures("latency", params);
        let data = panel(&f, NetworkPlot::Data).clone();
        let x = line(&data, "intensity x").to_vec();
        x.into_iter()
            .zip(line(&data, "spike time (ms)").to_vec())
            .collect()
    };
    for (x, t) in times(&[]) {
        match x {
            1.0 => assert!((t - 0.5).abs() < 1e-9, "{t}"),
            x if x <= 0.1 => assert!(t.is_nan(), "{x}: {t}"),
            // Dim pixels spike late or, after the window, not at all.
            _ => assert!(t.is_nan() || (t > 0.5 && t < 5.0), "{x}: {t}"),
        }
    }
    let linear = [
        ("method", 0.0),
        ("normalize", 0.0),
        ("threshold", 0.0),
        ("clip", 1.0),
    ];
    for (x, t) in times(&linear) {
        if x == 0.0 {
            assert!((t - 0.9).abs() < 1e-9, "{t}");
        }
    }
    let mut clipped = linear;
    clipped[2].1 = 0.01;
    assert!(times(&clipped).iter().all(|(x, t)| *x > 0.0 || t.is_nan()));
}

/// `delta_code`: the block codes the series as the curriculum's exact vector; on-spikes at steps
/// 4, 6, 8, off-spikes at 5 and 7.
#[test]
fn the_delta_code_is_exact() {
    let f = figures("delta", &[]);
    let code = line(panel(&f, NetworkPlot::Data), "code × 10");
    let expected = [0.0, 0.0, 0.0, 0.0, 1.0, -1.0, 1.0, -1.0, 1.0, 0.0, 0.0];
    assert_eq!(code, expected.map(|c| 10.0 * c));
    assert_eq!(f.groups[0].times_ms, [4.0, 6.0, 8.0]);
    assert_eq!(f.groups[1].times_ms, [5.0, 7.0]);
}

/// `memorised`: with the defaults the network ends above 70 % right on its samples (the
/// curriculum's check) with a loss below ln 2; the figures show sample 0 over its 500 ms.
#[test]
fn the_random_task_is_memorised() {
    let f = figures("random", &[]);
    let accuracy = line(panel(&f, NetworkPlot::Accuracy), "training batch");
    assert_eq!(accuracy.len(), 1000);
    let last = accuracy[accuracy.len() - 1];
    assert!(last > 70.0, "{last}");
    let loss = line(panel(&f, NetworkPlot::Loss), "loss");
    assert!(loss[loss.len() - 1] < 0.6, "{}", loss[loss.len() - 1]);
    assert_eq!(f.raster_ms, 500.0);
    assert_eq!(f.groups[0].neurons, 100);
    assert_eq!(panel(&f, NetworkPlot::Trial).lines.len(), 2);
}

/// `digits_test`: with the defaults the test accuracy after the last epoch is at least 80 % (89–92 %
/// seen over seeds 0–2).
#[test]
fn the_digits_are_read() {
    let f = figures("digits", &[]);
    let test = line(panel(&f, NetworkPlot::Accuracy), "test images");
    let last = test[test.len() - 1];
    assert!(last >= 80.0, "{last}");
    assert_eq!(panel(&f, NetworkPlot::Trial).lines.len(), 10);
}

/// `adaptation_index`: the excitatory neuron's last ISI over its first is 48.2 ± 2 (530/11), no
/// bursts; `bursts`: the inhibitory neuron fires at least five bursts in 10 s, and none with A1 = 0.
#[test]
fn gif_neurons_adapt_and_burst() {
    let adapting = figures("adapting", &[]);
    let potential = panel(&adapting, NetworkPlot::Units);
    let ratio = number_after(potential, "(ratio ");
    assert!((ratio - 48.2).abs() < 2.0, "{}", potential.title.en);
    assert_eq!(
        number_after(potential, "); "),
        0.0,
        "{}",
        potential.title.en
    );
    assert_eq!(potential.x.len(), 10_000);
    let bursting = figures("bursting", &[]);
    let bursts = number_after(panel(&bursting, NetworkPlot::Units), "); ");
    assert!(bursts >= 5.0, "{bursts}");
    let tonic = figures("bursting", &[("A1", 0.0)]);
    assert_eq!(number_after(panel(&tonic, NetworkPlot::Units), "); "), 0.0);
}
