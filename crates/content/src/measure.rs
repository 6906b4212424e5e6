//! What an exercise or a sweep measures in a run (the table in `docs/lesson-format.md`), by
//! name, and how a measured value reads in feedback. The values themselves are computed from a
//! run by `brainplay_lessons::measure`.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::text::{format_number, Text};

/// Recorded names of the postsynaptic neuron on a synapse bench start with this (`post.V`).
pub const POST_PREFIX: &str = "post.";

/// A number computed from one neuron of a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Measure {
    /// Spikes during the run.
    SpikeCount,
    /// Spike count / run duration in s.
    RateHz,
    /// Time of the first spike.
    FirstSpikeMs,
    /// Mean inter-spike interval.
    MeanIsiMs,
    /// Maximum of a recorded variable (`max:V`).
    Max(String),
    /// Minimum of a recorded variable (`min:V`).
    Min(String),
    /// Last recorded value of a variable (`final:V`).
    Final(String),
}

const SIMPLE: [(&str, Measure); 4] = [
    ("spike_count", Measure::SpikeCount),
    ("rate_hz", Measure::RateHz),
    ("first_spike_ms", Measure::FirstSpikeMs),
    ("mean_isi_ms", Measure::MeanIsiMs),
];

impl Measure {
    /// `spike_count`, `rate_hz`, `first_spike_ms`, `mean_isi_ms`, `max:<var>`, `min:<var>` or
    /// `final:<var>`. Whether `<var>` exists is a question for the model (see `validate`).
    pub fn parse(text: &str) -> Result<Measure, String> {
        if let Some((_, m)) = SIMPLE.iter().find(|(name, _)| *name == text) {
            return Ok(m.clone());
        }
        let of_var = text.split_once(':').and_then(|(kind, var)| {
            let var = var.to_string();
            // A name, or a bench's postsynaptic `post.name`.
            let name = var.strip_prefix(POST_PREFIX).unwrap_or(&var);
            let ok =
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            match kind {
                "max" if ok => Some(Measure::Max(var)),
                "min" if ok => Some(Measure::Min(var)),
                "final" if ok => Some(Measure::Final(var)),
                _ => None,
            }
        });
        of_var.ok_or_else(|| {
            format!("unknown measure `{text}`; use spike_count, rate_hz, first_spike_ms, mean_isi_ms, max:<var>, min:<var> or final:<var>")
        })
    }

    /// The recorded variable the measure reads, if any.
    pub fn var(&self) -> Option<&str> {
        match self {
            Measure::Max(v) | Measure::Min(v) | Measure::Final(v) => Some(v),
            _ => None,
        }
    }

    /// The unit a value of this measure is in (empty for counts and model variables, whose
    /// unit the model knows).
    pub fn unit(&self) -> &'static str {
        match self {
            Measure::RateHz => "Hz",
            Measure::FirstSpikeMs | Measure::MeanIsiMs => "ms",
            _ => "",
        }
    }

    /// A sentence stating `value` of `neuron` in a run of `neurons` neurons, for feedback:
    /// "The neuron fired 3 spikes" / "神经元发放了 3 个峰电位".
    pub fn describe(&self, value: f64, neuron: usize, neurons: usize) -> Text {
        let (who_en, who_zh, of_en) = if neurons == 1 {
            (
                "The neuron".to_string(),
                "神经元".to_string(),
                String::new(),
            )
        } else {
            (
                format!("Neuron {neuron}"),
                format!("神经元 {neuron} "),
                format!(" of neuron {neuron}"),
            )
        };
        let x = format_number(value);
        match self {
            Measure::SpikeCount => Text::new(
                format!(
                    "{who_en} fired {x} spike{}",
                    if value == 1.0 { "" } else { "s" }
                ),
                format!("{who_zh}发放了 {x} 个峰电位"),
            ),
            Measure::RateHz => Text::new(
                format!("{who_en} fired at {x} Hz"),
                format!("{who_zh}的发放频率为 {x} Hz"),
            ),
            Measure::FirstSpikeMs => Text::new(
                format!("{who_en} fired its first spike at t = {x} ms"),
                format!("{who_zh}的第一个峰电位出现在 t = {x} ms"),
            ),
            Measure::MeanIsiMs => Text::new(
                format!("The mean inter-spike interval{of_en} is {x} ms"),
                format!("{who_zh}的平均峰间间隔为 {x} ms"),
            ),
            Measure::Max(v) => Text::new(
                format!("The maximum of `{v}`{of_en} is {x}"),
                format!("{who_zh}的 `{v}` 最大值为 {x}"),
            ),
            Measure::Min(v) => Text::new(
                format!("The minimum of `{v}`{of_en} is {x}"),
                format!("{who_zh}的 `{v}` 最小值为 {x}"),
            ),
            Measure::Final(v) => Text::new(
                format!("The final value of `{v}`{of_en} is {x}"),
                format!("{who_zh}的 `{v}` 最终值为 {x}"),
            ),
        }
    }
}

impl TryFrom<String> for Measure {
    type Error = String;

    fn try_from(text: String) -> Result<Measure, String> {
        Measure::parse(&text)
    }
}

impl From<Measure> for String {
    fn from(measure: Measure) -> String {
        measure.to_string()
    }
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Measure::Max(v) => write!(f, "max:{v}"),
            Measure::Min(v) => write!(f, "min:{v}"),
            Measure::Final(v) => write!(f, "final:{v}"),
            simple => {
                let (name, _) = SIMPLE.iter().find(|(_, m)| m == simple).expect("listed");
                f.write_str(name)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for text in [
            "spike_count",
            "rate_hz",
            "first_spike_ms",
            "mean_isi_ms",
            "max:V",
            "min:I_Na",
            "final:w",
        ] {
            assert_eq!(Measure::parse(text).unwrap().to_string(), text);
        }
        for bad in ["", "spikes", "max:", "max:V+1", "peak:V", "max", "Max:V"] {
            let e = Measure::parse(bad).unwrap_err();
            assert!(e.contains(&format!("unknown measure `{bad}`")), "{e}");
        }
    }

    #[test]
    fn descriptions_read_as_sentences() {
        let d = Measure::SpikeCount.describe(1.0, 0, 1);
        assert_eq!(
            d,
            Text::new("The neuron fired 1 spike", "神经元发放了 1 个峰电位")
        );
        let d = Measure::MeanIsiMs.describe(21.23456, 2, 6);
        assert_eq!(
            d.en,
            "The mean inter-spike interval of neuron 2 is 21.23 ms"
        );
        assert_eq!(d.zh, "神经元 2 的平均峰间间隔为 21.23 ms");
    }
}
