//! Neural codes (lesson 14, curriculum §14.2): a digit's pixels as Poisson spike trains or as
//! one spike each at a latency, and the notebook's series by delta modulation. Computed at once.

use brainplay_learn::coding::{delta, poisson, Latency, LatencyCode};
use brainplay_learn::digits::{Digits, PIXELS};
use brainplay_sim::networks::{self, CODING};
use brainplay_sim::{msg, Message};

use super::panel::{line, panel};
use super::snn::raster;
use crate::content::{Network as NetworkBlock, NetworkPlot};
use crate::figure::TrainingFigures;
use crate::setting::{Runnable, Setting};
use crate::text::Text;

/// The notebook's "fake time-series data" (F14.7).
pub const SERIES: [f64; 11] = [0.0, 1.0, 0.0, 2.0, 8.0, -20.0, 20.0, -5.0, 0.0, 1.0, 0.0];
/// The most steps a code may take.
const MAX_STEPS: usize = 100_000;

/// The figures of the setting's code.
pub fn figures(block: &NetworkBlock, setting: &Setting) -> Result<TrainingFigures, Message> {
    let overrides = setting.network_params()?;
    let get = networks::values(CODING, &overrides)?;
    let flag = |name: &str| get(name) >= 0.5;
    let threshold = get("threshold");
    if get("code").round() == 2.0 {
        return Ok(delta_figures(threshold, flag("off_spike")));
    }
    let digits = Digits::from_bytes(&block.data)?;
    let k = (get("digit").round().max(0.0) as usize).min(digits.images.len().saturating_sub(1));
    let x = digits.intensities(k);
    let (n_time, dt) = (get("n_time"), get("dt"));
    let steps = (n_time / dt).round();
    if !(steps >= 1.0 && steps <= MAX_STEPS as f64) {
        return Err(msg!(
            "n_time / dt gives {steps} steps; 1 to {MAX_STEPS} can be coded",
            "n_time / dt 得到 {steps} 步；只能编码 1 到 {MAX_STEPS} 步"
        ));
    }
    let steps = steps as usize;
    let pixels: Vec<f64> = (0..PIXELS).map(|i| i as f64).collect();
    let mut trains = vec![Vec::new(); steps];
    let (code_line, title) = if get("code").round() == 0.0 {
        let gain = get("gain");
        let spikes = poisson(&x, (0.0, 1.0), gain, steps, setting.seed);
        for (t, row) in spikes.iter().enumerate() {
            trains[t] = (0..PIXELS as u32).filter(|&i| row[i as usize]).collect();
        }
        let rates: Vec<f64> = (0..PIXELS)
            .map(|i| spikes.iter().filter(|row| row[i]).count() as f64 / steps as f64)
            .collect();
        let total: usize = trains.iter().map(Vec::len).sum();
        (
            line("spikes per step", "每步脉冲数", rates),
            Text::new(
                format!(
                    "A {}: each pixel fires with probability {gain}·x per step; {total} spikes",
                    digits.labels[k]
                ),
                format!(
                    "数字 {}：每个像素每步以概率 {gain}·x 发放；共 {total} 个脉冲",
                    digits.labels[k]
                ),
            ),
        )
    } else {
        let code = LatencyCode {
            method: if flag("method") {
                Latency::Log
            } else {
                Latency::Linear
            },
            tau: get("tau"),
            threshold,
            normalize: flag("normalize"),
            clip: flag("clip"),
        };
        let times: Vec<f64> = x
            .iter()
            .enumerate()
            .map(|(i, &v)| match code.spike_step(v, n_time, dt) {
                Some(t) => {
                    trains[t].push(i as u32);
                    t as f64 * dt
                }
                None => f64::NAN,
            })
            .collect();
        let silent = times.iter().filter(|t| t.is_nan()).count();
        (
            line("spike time (ms)", "脉冲时间（ms）", times),
            Text::new(
                format!(
                    "A {}: one spike per pixel, earlier for brighter ones; {silent} pixels silent",
                    digits.labels[k]
                ),
                format!(
                    "数字 {}：每个像素一个脉冲，越亮越早；{silent} 个像素沉默",
                    digits.labels[k]
                ),
            ),
        )
    };
    let mut data = panel(
        NetworkPlot::Data,
        title,
        ("pixel", "像素"),
        ("value", "数值"),
        pixels,
    );
    data.lines = vec![line("intensity x", "亮度 x", x), code_line];
    Ok(TrainingFigures {
        panels: vec![data],
        groups: vec![raster("x", PIXELS, &trains, dt)],
        raster_ms: n_time,
        ..TrainingFigures::default()
    })
}

/// The notebook's series and its delta code: on-spikes as `+`, off-spikes as `−`.
fn delta_figures(threshold: f64, off_spike: bool) -> TrainingFigures {
    let code = delta(&SERIES, threshold, off_spike);
    let at = |value: i8| -> Vec<Vec<u32>> {
        code.iter()
            .map(|&c| if c == value { vec![0] } else { Vec::new() })
            .collect()
    };
    let steps: Vec<f64> = (0..SERIES.len()).map(|t| t as f64).collect();
    let shown: Vec<String> = code.iter().map(i8::to_string).collect();
    let mut data = panel(
        NetworkPlot::Data,
        Text::new(
            format!(
                "Some fake time-series data and its delta code [{}]",
                shown.join(", ")
            ),
            format!("一段虚构的时间序列及其增量编码 [{}]", shown.join(", ")),
        ),
        ("time step", "时间步"),
        ("voltage (mV)", "电压（mV）"),
        steps,
    );
    data.lines = vec![
        line("signal", "信号", SERIES.to_vec()),
        line(
            "code × 10",
            "编码 × 10",
            code.iter().map(|&c| 10.0 * f64::from(c)).collect(),
        ),
    ];
    TrainingFigures {
        panels: vec![data],
        groups: vec![raster("+", 1, &at(1), 1.0), raster("−", 1, &at(-1), 1.0)],
        raster_ms: SERIES.len() as f64,
        ..TrainingFigures::default()
    }
}
