//! What an exercise measures in a run (the table in `docs/lesson-format.md`), and how a measured
//! value reads in feedback.

use std::fmt;

use brainplay_sim::{NonFinite, Output};
use serde::Deserialize;

use crate::run::Run;

use crate::setting::Setting;
use crate::text::{format_number, Text};

/// A number computed from one neuron of a run.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
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

/// Why a measure has no value.
#[derive(Clone, Debug, PartialEq)]
pub enum MeasureError {
    /// The setting cannot be simulated (a bad input spec, unknown names, …).
    Setup(String),
    /// A state became NaN or infinite and the run stopped.
    Stopped(NonFinite),
    /// `first_spike_ms` of a neuron that never fired.
    NoSpike,
    /// `mean_isi_ms` needs two spikes; the neuron fired this many.
    TooFewSpikes(usize),
    /// The variable was not recorded in the output.
    NotRecorded(String),
    /// The run has only `neurons` neurons.
    NoNeuron { neuron: usize, neurons: usize },
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
            let name = var.strip_prefix(crate::run::POST_PREFIX).unwrap_or(&var);
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

    /// The measure of `neuron` in `output`, a run of `duration_ms`.
    pub fn of(
        &self,
        output: &Output,
        neuron: usize,
        duration_ms: f64,
    ) -> Result<f64, MeasureError> {
        let neurons = output.spike_times_ms.len();
        let spikes = output
            .spike_times_ms
            .get(neuron)
            .ok_or(MeasureError::NoNeuron { neuron, neurons })?;
        let trace = |var: &str| {
            output
                .trace(var, neuron)
                .filter(|t| !t.is_empty())
                .ok_or_else(|| MeasureError::NotRecorded(var.to_string()))
        };
        match self {
            Measure::SpikeCount => Ok(spikes.len() as f64),
            Measure::RateHz => Ok(spikes.len() as f64 / (duration_ms / 1000.0)),
            Measure::FirstSpikeMs => spikes.first().copied().ok_or(MeasureError::NoSpike),
            Measure::MeanIsiMs => brainplay_sim::stats::mean_isi_ms(spikes)
                .ok_or(MeasureError::TooFewSpikes(spikes.len())),
            Measure::Max(v) => Ok(trace(v)?.iter().copied().fold(f64::NEG_INFINITY, f64::max)),
            Measure::Min(v) => Ok(trace(v)?.iter().copied().fold(f64::INFINITY, f64::min)),
            Measure::Final(v) => trace(v).map(|t| t[t.len() - 1]),
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

impl MeasureError {
    /// What went wrong, for a learner, in both languages.
    pub fn text(&self) -> Text {
        match self {
            MeasureError::Setup(why) => Text::new(
                format!("This setting cannot be simulated: {why}"),
                format!("该设置无法模拟：{why}"),
            ),
            MeasureError::Stopped(e) => Text::new(
                format!("The simulation stopped: {e}. A smaller dt or another method may keep it finite."),
                format!(
                    "模拟中止：神经元 {} 的 `{}` 在 t = {} ms 变为 {}。减小 dt 或换一种积分方法也许能避免。",
                    e.neuron,
                    e.variable,
                    format_number(e.t_ms),
                    e.value
                ),
            ),
            MeasureError::NoSpike => Text::new(
                "The neuron did not fire, so there is no first spike.",
                "神经元没有发放，因此没有第一个峰电位。",
            ),
            MeasureError::TooFewSpikes(n) => Text::new(
                format!("The neuron fired {n} spike{}; a mean inter-spike interval needs at least 2.", if *n == 1 { "" } else { "s" }),
                format!("神经元只发放了 {n} 个峰电位；平均峰间间隔至少需要 2 个。"),
            ),
            MeasureError::NotRecorded(v) => Text::new(
                format!("`{v}` was not recorded."),
                format!("没有记录 `{v}`。"),
            ),
            MeasureError::NoNeuron { neuron, neurons } => Text::new(
                format!("There is no neuron {neuron}: the run has {neurons}."),
                format!("没有神经元 {neuron}：这次模拟只有 {neurons} 个神经元。"),
            ),
        }
    }
}

impl fmt::Display for MeasureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().en)
    }
}

impl std::error::Error for MeasureError {}

/// Simulates `setting` natively and measures `neuron`. A run that stops on a NaN has no
/// measure: what it computed up to then does not describe the setting.
pub fn run_measure(
    setting: &Setting,
    measure: &Measure,
    neuron: usize,
) -> Result<f64, MeasureError> {
    let record: Vec<String> = measure.var().map(String::from).into_iter().collect();
    let model = setting.model().map_err(MeasureError::Setup)?;
    let output = Run::complete(setting, &model, &record).map_err(MeasureError::Setup)?;
    if let Some(e) = output.error {
        return Err(MeasureError::Stopped(e));
    }
    measure.of(&output, neuron, setting.duration_ms)
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

    fn output() -> Output {
        Output {
            t_ms: vec![0.0, 0.1, 0.2],
            steps: 3,
            names: vec!["V".into()],
            traces: vec![vec![vec![-70.0, 30.0, -75.0], vec![-70.0, -69.0, -68.5]]],
            spike_times_ms: vec![vec![2.0, 12.0, 32.0], vec![]],
            ..Output::default()
        }
    }

    fn check(measure: &str, neuron: usize, want: Result<f64, MeasureError>) {
        let got = Measure::parse(measure)
            .unwrap()
            .of(&output(), neuron, 500.0);
        assert_eq!(got, want, "{measure} of neuron {neuron}");
    }

    #[test]
    fn values() {
        check("spike_count", 0, Ok(3.0));
        check("spike_count", 1, Ok(0.0));
        check("rate_hz", 0, Ok(6.0));
        check("first_spike_ms", 0, Ok(2.0));
        check("first_spike_ms", 1, Err(MeasureError::NoSpike));
        check("mean_isi_ms", 0, Ok(15.0));
        check("mean_isi_ms", 1, Err(MeasureError::TooFewSpikes(0)));
        check("max:V", 0, Ok(30.0));
        check("min:V", 0, Ok(-75.0));
        check("final:V", 1, Ok(-68.5));
        check("max:m", 0, Err(MeasureError::NotRecorded("m".into())));
        check(
            "spike_count",
            2,
            Err(MeasureError::NoNeuron {
                neuron: 2,
                neurons: 2,
            }),
        );
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

    #[test]
    fn runs_are_measured() {
        let setting = Setting {
            params: [("I".to_string(), vec![0.0, 30.0])].into(),
            ..Setting::of_model("lif")
        };
        assert_eq!(run_measure(&setting, &Measure::SpikeCount, 0), Ok(0.0));
        let count = run_measure(&setting, &Measure::SpikeCount, 1).unwrap();
        assert!(count >= 5.0, "{count}");
        // From V_reset = -5 towards V_rest = 0 without reaching it.
        let max_v = run_measure(&setting, &Measure::Max("V".into()), 0).unwrap();
        assert!((-5.0..0.0).contains(&max_v), "{max_v}");
        let bad = Setting {
            input: Some("constant(".into()),
            ..setting
        };
        assert!(matches!(
            run_measure(&bad, &Measure::SpikeCount, 0),
            Err(MeasureError::Setup(why)) if why.contains("input `constant(`")
        ));
    }
}
