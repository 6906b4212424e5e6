//! Lesson 14: the neural codes against the curriculum's exact outputs (§14.2), and the spiking
//! network's backward pass against finite differences (§14.3).

mod common;

use brainplay_learn::coding::{delta, poisson, Latency, LatencyCode};
use brainplay_learn::snn::{random_task, Snn, SnnShape, Spike, SpikeBatch};
use common::check_gradient;

/// Latency codes: (code, x, n_time ms, dt ms, expected step).
#[test]
fn latency_codes_give_the_curriculums_steps() {
    let log = LatencyCode {
        method: Latency::Log,
        tau: 1.0,
        threshold: 0.1,
        normalize: true,
        clip: false,
    };
    let linear = LatencyCode {
        method: Latency::Linear,
        tau: 1.0,
        threshold: 0.0,
        normalize: false,
        clip: true,
    };
    let clipped = LatencyCode {
        threshold: 0.01,
        ..linear
    };
    let snn = LatencyCode {
        method: Latency::Log,
        tau: 20.0,
        threshold: 0.2,
        normalize: false,
        clip: false,
    };
    let cases = [
        // 4.9·ln(1/0.9) = 0.516 ms → step 5; 4.9·ln(0.5/0.4) = 1.093 ms → step 11.
        (log, 1.0, 5.0, 0.1, Some(5)),
        (log, 0.5, 5.0, 0.1, Some(11)),
        (log, 0.1, 5.0, 0.1, None),
        (log, 0.0, 5.0, 0.1, None),
        // 0.9·(1 − x): black pixels at 0.9 ms (step 9), white at 0.
        (linear, 0.0, 5.0, 0.1, Some(9)),
        (linear, 1.0, 5.0, 0.1, Some(0)),
        (linear, 0.5, 5.0, 0.1, Some(5)),
        (clipped, 0.005, 5.0, 0.1, None),
        (clipped, 0.02, 5.0, 0.1, Some(9)),
        // The SNN's code: round(19·ln(x/(x − 0.2))): x = 1 → step 4; x ≤ 0.2 → none.
        (snn, 1.0, 20.0, 1.0, Some(4)),
        (snn, 0.2, 20.0, 1.0, None),
    ];
    for (code, x, n_time, dt, expected) in cases {
        assert_eq!(code.spike_step(x, n_time, dt), expected, "{code:?} at {x}");
    }
}

/// Delta modulation of the notebook's series, threshold 4 with off-spikes.
#[test]
fn delta_modulation_gives_the_curriculums_spikes() {
    let data = [0.0, 1.0, 0.0, 2.0, 8.0, -20.0, 20.0, -5.0, 0.0, 1.0, 0.0];
    assert_eq!(delta(&data, 4.0, true), [0, 0, 0, 0, 1, -1, 1, -1, 1, 0, 0]);
    assert_eq!(delta(&data, 4.0, false), [0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0]);
}

/// Poisson spikes: a white pixel (255 of 255) fires every step; with gain 0.25 at 5000 steps its
/// rate is 0.25 ± 0.02; a black pixel never fires.
#[test]
fn poisson_rates_follow_the_pixels() {
    let spikes = poisson(&[255.0, 0.0], (0.0, 255.0), 1.0, 50, 0);
    assert!(spikes.iter().all(|s| s[0] && !s[1]));
    let spikes = poisson(&[255.0, 0.0], (0.0, 255.0), 0.25, 5000, 1);
    let rate = spikes.iter().filter(|s| s[0]).count() as f64 / 5000.0;
    assert!((rate - 0.25).abs() < 0.02, "{rate}");
    assert!(spikes.iter().all(|s| !s[1]));
}

/// With a smooth spike the backward pass is the exact gradient: every parameter's derivative
/// within 1e-6 of the largest one's size from central differences (step 1e-6), on a small
/// network with inputs, recurrence and the max-over-time readout.
#[test]
fn bptt_through_smooth_spikes_is_the_gradient() {
    let shape = SnnShape {
        spike: Spike::Sigmoid { width: 0.3 },
        ..SnnShape::course(7, 5, 3)
    };
    let batch = {
        let mut b = random_task(3, 7, 25, 150.0, 4);
        b.labels = vec![0, 2, 1];
        b
    };
    for seed in 0..3 {
        let snn: Snn<f64> = Snn::new(shape, 10.0, seed);
        let gradient = snn.gradient(&batch, &snn.forward(&batch));
        let loss = |theta: &[f64]| {
            let snn = Snn {
                shape,
                theta: theta.to_vec(),
            };
            snn.score(&batch, &snn.forward(&batch)).loss
        };
        check_gradient(&snn.theta, &gradient, loss, &format!("seed {seed}"));
    }
}

/// A spike batch keeps exactly the spikes it was given, by step and trial.
#[test]
fn spike_batches_keep_their_spikes() {
    let trials = vec![vec![vec![0, 3], vec![], vec![2]], vec![vec![1], vec![1, 2]]];
    let batch = SpikeBatch::new(4, &trials, vec![0, 1]);
    assert_eq!(batch.steps, 3);
    assert_eq!(batch.active(0, 0), [0, 3]);
    assert_eq!(batch.active(1, 1), [1, 2]);
    assert_eq!(batch.active(2, 1), [] as [u32; 0]);
}

/// The course's GIF firing patterns (§14.4, dt = 1 ms, 10 s): the "excitatory" neuron at input 3
/// adapts with ISIs 11, 16, 34, 350 ms and then 529–530 ms, 6 spikes in the first second and 2 in
/// the last (the curriculum's reference simulation, exactly); the "inhibitory" neuron at input 2
/// fires bursts of 7–9 spikes with ISIs of 1–7 ms, 1.65–1.69 s apart (curriculum: 8–9 spikes,
/// 2–7 ms, 1.65–1.69 s).
#[test]
fn gif_neurons_adapt_and_burst_as_in_the_course() {
    use brainplay_learn::gif::Gif;
    let isis = |s: &[f64]| -> Vec<f64> { s.windows(2).map(|w| w[1] - w[0]).collect() };
    let (_, spikes) = Gif::EXCITATORY.run(3.0, 1.0, 10_000);
    let isi = isis(&spikes);
    assert_eq!(isi[..4], [11.0, 16.0, 34.0, 350.0]);
    assert!(
        isi[4..].iter().all(|i| (529.0..=530.0).contains(i)),
        "{isi:?}"
    );
    assert_eq!(spikes.iter().filter(|t| **t <= 1000.0).count(), 6);
    assert_eq!(spikes.iter().filter(|t| **t > 9000.0).count(), 2);
    let (_, spikes) = Gif::INHIBITORY.run(2.0, 1.0, 10_000);
    let isi = isis(&spikes);
    let bursts: Vec<&[f64]> = isi.split(|i| *i > 1000.0).collect();
    let gaps: Vec<f64> = isi.iter().copied().filter(|i| *i > 1000.0).collect();
    assert!(
        gaps.len() >= 5 && gaps.iter().all(|g| (1650.0..=1690.0).contains(g)),
        "{gaps:?}"
    );
    for burst in &bursts {
        assert!((6..=8).contains(&burst.len()), "{burst:?}");
        assert!(burst.iter().all(|i| (1.0..=7.0).contains(i)), "{burst:?}");
    }
}
