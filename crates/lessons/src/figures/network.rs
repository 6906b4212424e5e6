//! A network block's figures: each group's spike raster, the population rates smoothed over the
//! block's window beside the input, and one excitatory neuron's excitatory, inhibitory and total
//! synaptic input (the course's F9.1–F9.4).

use brainplay_sim::input::InputState;
use brainplay_sim::network::{Network, NetworkOutput, NetworkSetup, Source};
use brainplay_sim::networks::{self, BALANCE_NEURON};
use brainplay_sim::{msg, Message};

use super::{network_block, Cache, Computation};
use crate::bilingual;
use crate::content::{Figured, Network as NetworkBlock, NetworkPlot};
use crate::figure::{Backend, Figures, Issues, NetworkFigures, Raster, Series};
use crate::setting::{Runnable, Setting};

/// Spikes a raster holds at most, over all groups: more would not draw in a frame.
const MAX_RASTER_SPIKES: usize = 60_000;
/// Population rates are given every this many ms.
const RATE_SAMPLE_MS: f64 = 0.5;
/// The currents the balance figure shows: the excitatory and inhibitory projections onto `E`.
const BALANCE_CURRENTS: [&str; 2] = ["I_EE", "I_IE"];

/// A spiking network's run of `total` steps (lesson 9), drawn while it runs.
pub(super) struct NetworkRun {
    network: Box<Network>,
    total: usize,
}

impl NetworkRun {
    pub(super) fn start(block: &NetworkBlock, setting: &Setting) -> Result<NetworkRun, Message> {
        let network = start(block, setting)?;
        let total = network.steps_for(setting.duration_ms);
        Ok(NetworkRun {
            network: Box::new(network),
            total,
        })
    }
}

impl Computation for NetworkRun {
    fn total_steps(&self) -> usize {
        self.total
    }
    fn steps_done(&self) -> usize {
        self.network.steps_done()
    }
    fn neurons(&self) -> usize {
        self.network.neurons()
    }
    fn advance(&mut self, steps: usize) -> bool {
        let left = self.total - self.network.steps_done();
        left > 0 && self.network.advance(steps.min(left)) && self.network.steps_done() < self.total
    }
    fn partial(&self, block: Figured, setting: &Setting) -> Option<Figures> {
        let output = NetworkOutput {
            groups: self.network.group_outputs(),
            ..Default::default()
        };
        let steps = self.network.steps_done();
        let figures = figures(network_block(block).ok()?, setting, output, steps);
        Some(Figures::Network(Box::new(figures)))
    }
    fn finish(
        self: Box<Self>,
        block: Figured,
        setting: &Setting,
        _: &mut Cache,
    ) -> Result<Figures, Message> {
        let block = network_block(block)?;
        let steps = self.network.steps_done();
        let output = self.network.into_output();
        Ok(Figures::Network(Box::new(figures(
            block, setting, output, steps,
        ))))
    }
}

/// On the CPU, a run of a network larger than this scale (8000 neurons) would take minutes per
/// second of model time; the GPU worker runs larger ones.
pub const CPU_MAX_SCALE: f64 = 2.0;

fn start(block: &NetworkBlock, setting: &Setting) -> Result<Network, Message> {
    let scale = setting
        .network_params()?
        .iter()
        .find(|(name, _)| name == "scale")
        .map(|(_, v)| *v);
    if let Some(scale) = scale.filter(|&s| s > CPU_MAX_SCALE) {
        return Err(msg!(
            "scale {scale} needs a GPU (WebGPU): on the CPU a network larger than scale \
             {CPU_MAX_SCALE} would take minutes per second of model time",
            "`scale` = {scale} 的网络需要 GPU（WebGPU）：在 CPU 上，`scale` 大于 \
             {CPU_MAX_SCALE} 的网络每模拟一秒都要算上几分钟"
        ));
    }
    Network::new(&setup(block, setting)?).map_err(|e| e.0)
}

/// The network of `block` as `setting` sets it up, recording what its figures need (as the CPU
/// and the GPU worker run it).
pub(super) fn setup(block: &NetworkBlock, setting: &Setting) -> Result<NetworkSetup, Message> {
    let overrides = setting.network_params()?;
    let input = setting.input_spec()?;
    let mut setup = networks::build(&setting.model, &overrides, input, setting.seed)?;
    setup.dt_ms = setting.dt_ms;
    if block.plots.contains(&NetworkPlot::Balance) {
        if let Some(Source::Neurons { setup: e, .. }) =
            setup.groups.first_mut().map(|g| &mut g.source)
        {
            e.record = BALANCE_CURRENTS.map(String::from).to_vec();
            e.record_neurons = vec![BALANCE_NEURON.min(e.n - 1)];
        }
    }
    Ok(setup)
}

/// The figures of a finished (or stopped) run of `block`.
pub(super) fn figures(
    block: &NetworkBlock,
    setting: &Setting,
    output: NetworkOutput,
    steps: usize,
) -> NetworkFigures {
    let groups: Vec<(&str, &[Vec<f64>])> = ["E", "I"]
        .into_iter()
        .zip(&output.groups)
        .map(|(name, g)| (name, &g.spike_times_ms[..]))
        .collect();
    let spiking = spiking(&groups, steps, setting.dt_ms, block.rate_window_ms);
    let inputs = input_values(setting, &spiking.samples);

    let e = &output.groups[0];
    let balance = match e.traces.len() {
        2 => {
            let (ee, ie) = (&e.traces[0][0], &e.traces[1][0]);
            let total = ee.iter().zip(ie).map(|(a, b)| a + b).collect();
            vec![
                Series {
                    name: "E → E (I_EE)".into(),
                    values: ee.clone(),
                },
                Series {
                    name: "I → E (I_IE)".into(),
                    values: ie.clone(),
                },
                Series {
                    name: "I_EE + I_IE".into(),
                    values: total,
                },
            ]
        }
        _ => Vec::new(),
    };
    NetworkFigures {
        groups: spiking.rasters,
        t_ms: spiking.t_ms,
        rates: spiking.rates,
        inputs,
        balance_t_ms: if balance.is_empty() {
            Vec::new()
        } else {
            e.t_ms.clone()
        },
        balance,
        balance_neuron: BALANCE_NEURON.min(groups[0].1.len().saturating_sub(1)),
        choices: Vec::new(),
        backend: Some(Backend::Cpu),
        issues: Issues {
            error: output.error.as_ref().map(|e| bilingual(e.message())),
            warnings: Vec::new(),
        },
    }
}

/// What a network's groups show: their rasters (sharing `MAX_RASTER_SPIKES` by size) and their
/// population rates, every `RATE_SAMPLE_MS` (`samples`, steps; `t_ms`).
pub(super) struct Spiking {
    pub rasters: Vec<Raster>,
    pub samples: Vec<usize>,
    pub t_ms: Vec<f64>,
    pub rates: Vec<Series>,
}

/// The rasters and rates of the named groups' spike times over `steps` steps of `dt_ms`, rates
/// averaged over `window_ms`.
pub(super) fn spiking(
    groups: &[(&str, &[Vec<f64>])],
    steps: usize,
    dt_ms: f64,
    window_ms: f64,
) -> Spiking {
    let neurons: usize = groups.iter().map(|(_, g)| g.len()).sum();
    let stride = ((RATE_SAMPLE_MS / dt_ms).round() as usize).max(1);
    let samples: Vec<usize> = (0..steps).step_by(stride).collect();
    let window = ((window_ms / dt_ms).round() as usize).max(1);
    Spiking {
        rasters: groups
            .iter()
            .map(|&(name, times)| {
                raster(
                    name,
                    times,
                    MAX_RASTER_SPIKES * times.len() / neurons.max(1),
                )
            })
            .collect(),
        t_ms: samples.iter().map(|&i| i as f64 * dt_ms).collect(),
        rates: groups
            .iter()
            .map(|&(name, times)| Series {
                name: name.to_string(),
                values: population_rate(times, steps, dt_ms, window, &samples),
            })
            .collect(),
        samples,
    }
}

/// A group's raster of at most `budget` spikes: its first neurons, as many as fit.
fn raster(name: &str, times: &[Vec<f64>], budget: usize) -> Raster {
    let mut shown = 0;
    let mut count = 0;
    for neuron in times {
        if count + neuron.len() > budget {
            break;
        }
        count += neuron.len();
        shown += 1;
    }
    let mut raster = Raster {
        name: name.to_string(),
        neurons: times.len(),
        shown,
        spikes: times.iter().map(Vec::len).sum(),
        ..Raster::default()
    };
    for (k, neuron) in times.iter().take(shown).enumerate() {
        raster.times_ms.extend(neuron.iter().map(|&t| t as f32));
        raster
            .indices
            .extend(std::iter::repeat_n(k as u32, neuron.len()));
    }
    raster
}

/// The group's rate (Hz) at the steps `samples`: spikes per neuron and second, averaged over a
/// centred window of `window` steps (BrainPy's `firing_rate`).
fn population_rate(
    times: &[Vec<f64>],
    steps: usize,
    dt: f64,
    window: usize,
    samples: &[usize],
) -> Vec<f64> {
    let mut per_step = vec![0.0; steps];
    for t in times.iter().flatten() {
        let step = (t / dt).round() as usize;
        if let Some(count) = per_step.get_mut(step) {
            *count += 1.0;
        }
    }
    // Running sums make each window's total one subtraction.
    let mut sums = vec![0.0; steps + 1];
    for (i, c) in per_step.iter().enumerate() {
        sums[i + 1] = sums[i] + c;
    }
    let scale = 1000.0 / (times.len().max(1) as f64 * dt * window as f64);
    samples
        .iter()
        .map(|&i| {
            let start = (i + 1).saturating_sub(window.div_ceil(2));
            let end = (start + window).min(steps);
            (sums[end] - sums[start]) * scale
        })
        .collect()
}

/// The input the first neuron receives (every neuron's, unless the input is random) at the
/// steps `samples`; none without an input.
fn input_values(setting: &Setting, samples: &[usize]) -> Vec<Series> {
    let Ok(Some(spec)) = setting.input_spec() else {
        return Vec::new();
    };
    let Ok(mut state) = InputState::new(&spec, 1, setting.dt_ms, setting.seed) else {
        return Vec::new();
    };
    let mut value = [0.0];
    let mut values = Vec::with_capacity(samples.len());
    let mut next = 0;
    for step in 0..samples.last().map_or(0, |&s| s + 1) {
        state.fill(step, &mut value);
        if samples.get(next) == Some(&step) {
            values.push(value[0]);
            next += 1;
        }
    }
    // One series, named by its figure (series names are notation, the same in both languages).
    vec![Series {
        name: String::new(),
        values,
    }]
}
