//! Firing patterns from a spike train under a step of constant input (the taxonomy of Markram
//! et al. 2004 used in the course, curriculum §5 and §6.4).
//!
//! With `T` the duration of the step, spike times `t_k` and inter-spike intervals `ISI_k`, the
//! rules are tried in this order; the first that holds names the pattern:
//!
//! 1. **silent**: no spike.
//! 2. **transient**: the neuron stops: no spike in the last half of the step (`t_last < T/2`).
//! 3. **delayed**: the first spike comes late: `t_1 > 0.2 T`.
//! 4. **bursting**: groups of spikes separated by pauses, repeatedly: the longest ISI exceeds 4×
//!    the shortest, and with the threshold `θ = √(shortest · longest)` at least two ISIs are long
//!    (`≥ θ`) and no two long ISIs are adjacent (every pause is followed by a burst).
//! 5. **irregular**: the later half of the ISIs is not regular (coefficient of variation ≥ 0.2):
//!    a train whose rhythm never settles.
//! 6. **initial burst**: only the start is fast: the first ISI is shorter than a quarter of the
//!    last ISI.
//! 7. **adapting**: the ISIs lengthen: last ISI > 1.5× the first.
//! 8. **tonic**: otherwise (regular firing).
//!
//! Fewer than three spikes give too few ISIs for rules 4–7; such a train that passed rules 1–3 is
//! called tonic.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    Silent,
    Transient,
    Delayed,
    Bursting,
    InitialBurst,
    Adapting,
    Irregular,
    Tonic,
}

impl Pattern {
    pub fn label(self) -> &'static str {
        match self {
            Pattern::Silent => "silent",
            Pattern::Transient => "transient",
            Pattern::Delayed => "delayed",
            Pattern::Bursting => "bursting",
            Pattern::InitialBurst => "initial burst",
            Pattern::Adapting => "adapting",
            Pattern::Irregular => "irregular",
            Pattern::Tonic => "tonic",
        }
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The pattern of `spike_times_ms` (sorted) under a step that starts at 0 and lasts `duration_ms`.
pub fn classify(spike_times_ms: &[f64], duration_ms: f64) -> Pattern {
    let Some((&first, &last)) = spike_times_ms.first().zip(spike_times_ms.last()) else {
        return Pattern::Silent;
    };
    if last < duration_ms / 2.0 {
        return Pattern::Transient;
    }
    if first > 0.2 * duration_ms {
        return Pattern::Delayed;
    }
    let isis: Vec<f64> = spike_times_ms.windows(2).map(|w| w[1] - w[0]).collect();
    if isis.len() < 2 {
        return Pattern::Tonic;
    }
    let shortest = isis.iter().copied().fold(f64::INFINITY, f64::min);
    let longest = isis.iter().copied().fold(0.0, f64::max);
    if longest > 4.0 * shortest {
        let threshold = (shortest * longest).sqrt();
        let long: Vec<bool> = isis.iter().map(|&isi| isi >= threshold).collect();
        let pauses = long.iter().filter(|&&l| l).count();
        let adjacent = long.windows(2).any(|w| w[0] && w[1]);
        if pauses >= 2 && !adjacent {
            return Pattern::Bursting;
        }
    }
    if cv(&isis[isis.len() / 2..]) >= 0.2 {
        return Pattern::Irregular;
    }
    let (first_isi, last_isi) = (isis[0], isis[isis.len() - 1]);
    if first_isi < 0.25 * last_isi {
        return Pattern::InitialBurst;
    }
    if last_isi > 1.5 * first_isi {
        return Pattern::Adapting;
    }
    Pattern::Tonic
}

/// Coefficient of variation (population standard deviation over mean).
fn cv(values: &[f64]) -> f64 {
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let variance = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / values.len() as f64;
    variance.sqrt() / mean
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(spikes: &[f64], duration: f64, want: Pattern) {
        assert_eq!(classify(spikes, duration), want, "{spikes:?}");
    }

    #[test]
    fn hand_made_trains() {
        check(&[], 500.0, Pattern::Silent);
        check(&[10.0, 40.0], 500.0, Pattern::Transient);
        check(
            &[150.0, 220.0, 290.0, 360.0, 430.0],
            500.0,
            Pattern::Delayed,
        );
        check(
            &[10.0, 60.0, 110.0, 160.0, 210.0, 260.0],
            300.0,
            Pattern::Tonic,
        );
        check(
            &[
                10.0, 20.0, 32.0, 46.0, 62.0, 80.0, 100.0, 122.0, 146.0, 172.0,
            ],
            200.0,
            Pattern::Adapting,
        );
        let irregular = [5.0, 9.0, 30.0, 34.0, 90.0, 160.0, 165.0, 250.0, 280.0];
        check(&irregular, 300.0, Pattern::Irregular);
    }
}
