//! The value of a measure (`brainplay_content::measure`) in a run, and why there may be none.

use std::fmt;

use brainplay_sim::{Message, NonFinite, Output};

pub use brainplay_content::measure::Measure;

use crate::run::Run;
use crate::setting::{Runnable, Setting};
use crate::text::{format_number, Text};

/// Why a measure has no value.
#[derive(Clone, Debug, PartialEq)]
pub enum MeasureError {
    /// The setting cannot be simulated (a bad input spec, unknown names, …).
    Setup(Message),
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

/// The value of `measure` for `neuron` in `output`, a run of `duration_ms`.
pub fn value_of(
    measure: &Measure,
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
    match measure {
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

impl MeasureError {
    /// What went wrong, for a learner, in both languages.
    pub fn text(&self) -> Text {
        match self {
            MeasureError::Setup(why) => Text::new(
                format!("This setting cannot be simulated: {}", why.en),
                format!("该设置无法模拟：{}", why.zh),
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
    value_of(measure, &output, neuron, setting.duration_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let got = value_of(&Measure::parse(measure).unwrap(), &output(), neuron, 500.0);
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
            Err(MeasureError::Setup(why)) if why.en.contains("input `constant(`")
        ));
    }
}
