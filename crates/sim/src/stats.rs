//! Spike-train statistics.
//!
//! Every function takes one neuron's spike times in ms, in ascending order
//! as a monitor records them.

/// Inter-spike intervals: `t[k + 1] - t[k]` for consecutive spikes, in ms.
/// Empty with fewer than two spikes.
pub fn isis_ms(spike_times_ms: &[f64]) -> Vec<f64> {
    spike_times_ms.windows(2).map(|w| w[1] - w[0]).collect()
}

/// Firing rate in Hz over `[window_start_ms, window_end_ms)`: the number of
/// spikes with `start <= t < end`, divided by the window length in seconds.
/// An empty or inverted window (`end <= start`) has no rate to measure and
/// gives 0.
pub fn firing_rate_hz(spike_times_ms: &[f64], window_start_ms: f64, window_end_ms: f64) -> f64 {
    let window_s = (window_end_ms - window_start_ms) / 1000.0;
    if window_s <= 0.0 {
        return 0.0;
    }
    let count = spike_times_ms
        .iter()
        .filter(|&&t| window_start_ms <= t && t < window_end_ms)
        .count();
    count as f64 / window_s
}

/// Mean inter-spike interval in ms; `None` with fewer than two spikes.
pub fn mean_isi_ms(spike_times_ms: &[f64]) -> Option<f64> {
    let n = spike_times_ms.len();
    // The intervals telescope, so their mean is the span over their count.
    (n >= 2).then(|| (spike_times_ms[n - 1] - spike_times_ms[0]) / (n - 1) as f64)
}

/// Coefficient of variation of the inter-spike intervals: their population
/// standard deviation (ddof 0) divided by their mean. 0 for a perfectly
/// regular train, about 1 for a Poisson process. `None` with fewer than two
/// intervals (three spikes), or when the mean interval is not positive.
pub fn cv_isi(spike_times_ms: &[f64]) -> Option<f64> {
    let isis = isis_ms(spike_times_ms);
    if isis.len() < 2 {
        return None;
    }
    let count = isis.len() as f64;
    let mean = isis.iter().sum::<f64>() / count;
    if mean <= 0.0 {
        return None;
    }
    let variance = isis.iter().map(|isi| (isi - mean).powi(2)).sum::<f64>() / count;
    Some(variance.sqrt() / mean)
}

/// Time in ms from `onset_ms` to the first spike at or after it
/// (`t >= onset`); `None` if no spike comes at or after the onset.
pub fn first_spike_latency_ms(spike_times_ms: &[f64], onset_ms: f64) -> Option<f64> {
    spike_times_ms
        .iter()
        .find(|&&t| t >= onset_ms)
        .map(|t| t - onset_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exact comparisons are fine where the expected values are computed
    /// from the same float operations; elsewhere a small tolerance is used.
    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
    }

    fn close_opt(a: Option<f64>, b: Option<f64>) -> bool {
        match (a, b) {
            (Some(a), Some(b)) => close(a, b),
            (None, None) => true,
            _ => false,
        }
    }

    mod isis {
        use super::*;

        fn check(times_ms: &[f64], want_ms: &[f64]) {
            let got = isis_ms(times_ms);
            assert_eq!(got.len(), want_ms.len(), "isis of {times_ms:?}: {got:?}");
            for (g, w) in got.iter().zip(want_ms) {
                assert!(
                    close(*g, *w),
                    "isis of {times_ms:?}: {got:?}, want {want_ms:?}"
                );
            }
        }

        #[test]
        fn cases() {
            check(&[], &[]);
            check(&[5.0], &[]);
            check(&[5.0, 7.5], &[2.5]);
            check(&[1.0, 3.0, 6.0, 10.0], &[2.0, 3.0, 4.0]);
            check(&[2.0, 2.0], &[0.0]);
        }
    }

    mod rate {
        use super::*;

        fn check(times_ms: &[f64], start_ms: f64, end_ms: f64, want_hz: f64) {
            let got = firing_rate_hz(times_ms, start_ms, end_ms);
            assert!(
                close(got, want_hz),
                "rate of {times_ms:?} in [{start_ms}, {end_ms}): {got}, want {want_hz}"
            );
        }

        #[test]
        fn cases() {
            check(&[], 0.0, 1000.0, 0.0);
            // 3 spikes in 1 s.
            check(&[10.0, 500.0, 999.0], 0.0, 1000.0, 3.0);
            // The window is half-open: a spike at the end is excluded, one
            // at the start included.
            check(&[100.0, 200.0], 100.0, 200.0, 10.0);
            // Spikes outside the window do not count; 2 spikes in 50 ms.
            check(&[5.0, 20.0, 30.0, 80.0], 10.0, 60.0, 40.0);
            check(&[1.0], 5.0, 5.0, 0.0);
            check(&[1.0], 5.0, 2.0, 0.0);
        }
    }

    mod mean_isi {
        use super::*;

        fn check(times_ms: &[f64], want_ms: Option<f64>) {
            let got = mean_isi_ms(times_ms);
            assert!(
                close_opt(got, want_ms),
                "mean isi of {times_ms:?}: {got:?}, want {want_ms:?}"
            );
        }

        #[test]
        fn cases() {
            check(&[], None);
            check(&[3.0], None);
            check(&[3.0, 5.0], Some(2.0));
            check(&[1.0, 3.0, 6.0, 10.0], Some(3.0));
        }
    }

    mod cv {
        use super::*;

        fn check(times_ms: &[f64], want: Option<f64>) {
            let got = cv_isi(times_ms);
            assert!(
                close_opt(got, want),
                "cv of {times_ms:?}: {got:?}, want {want:?}"
            );
        }

        #[test]
        fn cases() {
            check(&[], None);
            check(&[1.0, 2.0], None);
            // Regular train.
            check(&[0.0, 10.0, 20.0, 30.0], Some(0.0));
            // ISIs 2 and 6: mean 4, population std 2.
            check(&[0.0, 2.0, 8.0], Some(0.5));
            // ISIs 2, 3, 4: mean 3, population std sqrt(2/3).
            check(&[1.0, 3.0, 6.0, 10.0], Some((2.0f64 / 3.0).sqrt() / 3.0));
            // All spikes at one time: no interval to normalise by.
            check(&[4.0, 4.0, 4.0], None);
        }
    }

    mod latency {
        use super::*;

        fn check(times_ms: &[f64], onset_ms: f64, want_ms: Option<f64>) {
            let got = first_spike_latency_ms(times_ms, onset_ms);
            assert!(
                close_opt(got, want_ms),
                "latency of {times_ms:?} after {onset_ms}: {got:?}, want {want_ms:?}"
            );
        }

        #[test]
        fn cases() {
            check(&[], 0.0, None);
            check(&[5.0, 12.5, 30.0], 10.0, Some(2.5));
            // A spike exactly at onset has latency 0.
            check(&[5.0, 10.0], 10.0, Some(0.0));
            check(&[5.0, 8.0], 10.0, None);
            check(&[5.0], 0.0, Some(5.0));
        }
    }
}
