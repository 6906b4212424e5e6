//! The course-modified GIF neuron's firing patterns (lesson 14, curriculum §14.4, F14.19): its
//! membrane potential under a constant input and its spikes, with the adaptation and bursts the
//! course checks named in the title. Computed at once.

use brainplay_learn::gif::Gif;
use brainplay_sim::networks::{self, GIF};
use brainplay_sim::Message;

use super::panel::{line, panel};
use super::snn::raster;
use crate::content::NetworkPlot;
use crate::figure::TrainingFigures;
use crate::setting::{Runnable, Setting};
use crate::text::Text;

/// The course's step (ms).
const DT_MS: f64 = 1.0;
/// ISIs longer than this separate bursts (the course's burst test: inter-burst > 1 s; this
/// shorter gap also counts bursts that recur faster).
const BURST_GAP_MS: f64 = 100.0;

pub fn figures(setting: &Setting) -> Result<TrainingFigures, Message> {
    let overrides = setting.network_params()?;
    let get = networks::values(GIF, &overrides)?;
    let neuron = Gif {
        tau_i1: get("tau_I1"),
        tau_i2: get("tau_I2"),
        a1: get("A1"),
        a2: get("A2"),
        ..Gif::EXCITATORY
    };
    let steps = (get("duration") / DT_MS).round().max(1.0) as usize;
    let (v, spikes) = neuron.run(get("I"), DT_MS, steps);
    let isis: Vec<f64> = spikes.windows(2).map(|w| w[1] - w[0]).collect();
    let bursts = isis
        .split(|i| *i > BURST_GAP_MS)
        .filter(|b| b.len() >= 4)
        .count();
    let (en, zh) = match (isis.first(), isis.last()) {
        (Some(first), Some(last)) => (
            format!(
                "{} spikes; ISI first {first:.0} ms, last {last:.0} ms (ratio {:.1}); {bursts} bursts of 5 or more",
                spikes.len(),
                last / first
            ),
            format!(
                "{} 个脉冲；第一个 ISI {first:.0} ms，最后一个 {last:.0} ms（比值 {:.1}）；{bursts} 次 5 个以上脉冲的簇发放",
                spikes.len(),
                last / first
            ),
        ),
        _ => (
            format!("{} spikes", spikes.len()),
            format!("{} 个脉冲", spikes.len()),
        ),
    };
    let t_ms: Vec<f64> = (1..=steps).map(|k| k as f64 * DT_MS).collect();
    let mut potential = panel(
        NetworkPlot::Units,
        Text::new(en, zh),
        ("time (ms)", "时间（ms）"),
        ("V", "V"),
        t_ms,
    );
    potential.lines = vec![line("V", "V", v)];
    let trains: Vec<Vec<u32>> = {
        let mut trains = vec![Vec::new(); steps + 1];
        for t in &spikes {
            trains[(t / DT_MS).round() as usize].push(0);
        }
        trains
    };
    Ok(TrainingFigures {
        panels: vec![potential],
        groups: vec![raster("GIF", 1, &trains, DT_MS)],
        raster_ms: steps as f64 * DT_MS,
        ..TrainingFigures::default()
    })
}
