//! Running a widget's setting: a population of one model, or a synapse on its test bench (a
//! circuit). Both give one `Output` under the names lesson files use: a bench records the
//! synapse's own names and the postsynaptic neuron's prefixed `post.`, and its spikes are the
//! postsynaptic neuron's.

use brainplay_sim::circuit::{Circuit, CircuitOutput, CircuitSetup, Projection, Source};
use brainplay_sim::connect::Rule;
use brainplay_sim::{library, msg, Message, Model, Output, Setup, Simulation};

use crate::content::Bench;
use crate::setting::{pairs, Runnable, Setting};

pub use brainplay_content::measure::POST_PREFIX;
/// The projection's id on a bench; the synaptic current is the neuron's helper `I_<id>`
/// (`compose`), `BENCH_CURRENT`.
const BENCH_PROJECTION: &str = "syn";
pub const BENCH_CURRENT: &str = "I_syn";

/// A run in progress.
pub enum Run {
    Population(Box<Simulation>),
    Bench(Box<Circuit>),
}

impl Run {
    /// Starts `setting`'s run on `model` (the library's or an edited one), recording the names of
    /// `record` that it has: an edited model may lack one the lesson records, which leaves a trace
    /// out rather than refusing the run. A bench's neuron models come from the library.
    ///
    /// With `max_samples`, a population records every k-th step so that a trace keeps at most
    /// that many samples (a plot shows a few hundred; a learner's dt of 0.001 ms over a second
    /// would otherwise send megabytes to the page). Measures need every step: they pass `None`.
    pub fn start(
        setting: &Setting,
        model: &Model,
        record: &[String],
        max_samples: Option<usize>,
    ) -> Result<Run, Message> {
        check_cost(setting, record.len())?;
        match &setting.bench {
            None => {
                let recordable: Vec<String> = record
                    .iter()
                    .filter(|name| has_name(model, name))
                    .cloned()
                    .collect();
                let mut setup = setting.population_setup(&recordable)?;
                if let Some(max) = max_samples.filter(|&max| max > 0) {
                    let steps = (setting.duration_ms / setting.dt_ms).max(0.0) as usize;
                    setup.record_stride = steps.div_ceil(max).max(1);
                }
                let sim = Simulation::new(model, &setup).map_err(|e| e.0)?;
                Ok(Run::Population(Box::new(sim)))
            }
            Some(bench) => {
                let setup = circuit_setup(setting, bench, model, record)?;
                let circuit = Circuit::new(&setup).map_err(|e| e.0)?;
                Ok(Run::Bench(Box::new(circuit)))
            }
        }
    }
}

/// The most neuron-steps a run may take (about ten seconds of the simplest models in a browser;
/// lesson 9's 6-s staircase takes 2.4e8, lesson 10's 20 trials 4.4e8) and the most values it may
/// record (`f64`s: 400 MB), whatever a link, a field or a lesson file asks: every run of every
/// route starts here (`Run::start`, and `figures::start` for networks).
pub const MAX_NEURON_STEPS: f64 = 1e9;
/// The same for a network on the GPU (the GPU worker): 100 000 neurons for 20 s of model time,
/// which a fast GPU runs in seconds.
pub const MAX_GPU_NEURON_STEPS: f64 = 2e10;
pub const MAX_RECORDED_VALUES: f64 = 5e7;
/// The most samples a simulator's plotted trace keeps (`Run::start`).
pub const MAX_PLOTTED_SAMPLES: usize = 100_000;

/// Refuses a run beyond those bounds before it starts, saying what would shrink it.
fn check_cost(setting: &Setting, recorded: usize) -> Result<(), Message> {
    let steps = setting.duration_ms / setting.dt_ms;
    if !(steps.is_finite() && steps >= 0.0) {
        return Err(msg!(
            "a run of {} ms at dt {} ms has no number of steps",
            "以 dt = {1} ms 运行 {0} ms 的模拟算不出步数",
            setting.duration_ms,
            setting.dt_ms
        ));
    }
    let neuron_steps = steps * setting.neurons()? as f64;
    within_bounds(neuron_steps)?;
    let values = neuron_steps * recorded.max(1) as f64;
    if values > MAX_RECORDED_VALUES {
        return Err(msg!(
            "this run would record {values:.3e} values, more than the {MAX_RECORDED_VALUES:.0e} \
             a run may keep: raise dt or shorten the run",
            "这次模拟会记录 {values:.3e} 个数值，超过了一次模拟最多能保存的 \
             {MAX_RECORDED_VALUES:.0e} 个：请增大 dt 或缩短模拟时长"
        ));
    }
    Ok(())
}

/// Refuses `neuron_steps` beyond `MAX_NEURON_STEPS`, saying what would shrink the run.
pub fn within_bounds(neuron_steps: f64) -> Result<(), Message> {
    match neuron_steps <= MAX_NEURON_STEPS {
        true => Ok(()),
        false => Err(msg!(
            "this run would take {neuron_steps:.3e} neuron-steps, more than the \
             {MAX_NEURON_STEPS:.0e} a run may: raise dt, shorten the run or use fewer neurons",
            "这次模拟需要 {neuron_steps:.3e} 个神经元·步，超过了一次模拟允许的 \
             {MAX_NEURON_STEPS:.0e} 个：请增大 dt、缩短模拟时长或减少神经元数"
        )),
    }
}

fn circuit_setup(
    setting: &Setting,
    bench: &Bench,
    synapse: &Model,
    record: &[String],
) -> Result<CircuitSetup, Message> {
    let get = |id: &str| {
        library::get(id).ok_or_else(|| msg!("unknown model `{id}`", "未知的模型 `{id}`"))
    };
    let post = get(&bench.post)?;
    let input = setting.input_spec()?;
    let source = match &bench.pre {
        None => Source::Train {
            n: 1,
            spec: input.ok_or_else(|| {
                msg!(
                    "a synapse bench needs an input: the presynaptic spike train",
                    "突触测试台需要一个输入：突触前的脉冲序列"
                )
            })?,
        },
        Some(pre) => Source::Neurons {
            model: Box::new(get(pre)?),
            setup: Box::new(Setup {
                params: pairs(&bench.pre_params),
                init: pairs(&bench.pre_init),
                input,
                ..Setup::default()
            }),
        },
    };
    let (post_record, synapse_record): (Vec<String>, Vec<String>) = (
        record
            .iter()
            .filter_map(|name| name.strip_prefix(POST_PREFIX))
            .filter(|name| has_name(&post, name) || *name == BENCH_CURRENT)
            .map(String::from)
            .collect(),
        record
            .iter()
            .filter(|name| !name.starts_with(POST_PREFIX) && has_name(synapse, name))
            .cloned()
            .collect(),
    );
    Ok(CircuitSetup {
        source,
        projections: vec![Projection {
            params: pairs(&setting.params),
            init: pairs(&setting.init),
            delay_steps: bench.delay_steps,
            conductance_delay_steps: bench.conductance_delay_steps,
            record: synapse_record,
            ..Projection::new(BENCH_PROJECTION, synapse.clone(), Rule::AllToAll)
        }],
        post,
        post_setup: Setup {
            dt_ms: setting.dt_ms,
            method: setting.method()?,
            params: pairs(&bench.post_params),
            init: pairs(&bench.post_init),
            input: bench
                .post_input
                .as_deref()
                .map(|text| {
                    text.parse().map_err(|e: brainplay_sim::input::InputError| {
                        e.message.after(msg!(
                            "postsynaptic input `{text}`: ",
                            "突触后神经元的输入 `{text}`："
                        ))
                    })
                })
                .transpose()?,
            seed: setting.seed,
            record: post_record,
            ..Setup::default()
        },
    })
}

impl Run {
    /// Number of steps `duration_ms` takes (BrainPy: `int(duration / dt)`).
    pub fn steps_for(&self, duration_ms: f64) -> usize {
        match self {
            Run::Population(sim) => sim.steps_for(duration_ms),
            Run::Bench(circuit) => circuit.steps_for(duration_ms),
        }
    }

    pub fn steps_done(&self) -> usize {
        match self {
            Run::Population(sim) => sim.steps_done(),
            Run::Bench(circuit) => circuit.steps_done(),
        }
    }

    /// The neurons whose spikes the output lists (a bench's one postsynaptic neuron).
    pub fn neurons(&self) -> usize {
        match self {
            Run::Population(sim) => sim.neurons(),
            Run::Bench(_) => 1,
        }
    }

    /// Advances `steps` steps; false if a state became non-finite (the error is in the output).
    pub fn advance(&mut self, steps: usize) -> bool {
        match self {
            Run::Population(sim) => sim.advance(steps),
            Run::Bench(circuit) => circuit.advance(steps),
        }
    }

    pub fn into_output(self) -> Output {
        match self {
            Run::Population(sim) => sim.into_output(),
            Run::Bench(circuit) => merge(circuit.into_output()),
        }
    }

    /// Runs `setting` on `model` for its duration, recording every step (what measures need).
    pub fn complete(
        setting: &Setting,
        model: &Model,
        record: &[String],
    ) -> Result<Output, Message> {
        let mut run = Run::start(setting, model, record, None)?;
        let steps = run.steps_for(setting.duration_ms);
        run.advance(steps);
        Ok(run.into_output())
    }
}

/// A bench's recordings as one output: the synapse's names, then the neuron's with `post.`.
fn merge(out: CircuitOutput) -> Output {
    let CircuitOutput {
        synapses,
        post,
        error,
        ..
    } = out;
    let synapse = synapses.into_iter().next().unwrap_or_default();
    let mut names = synapse.names;
    names.extend(post.names.iter().map(|n| format!("{POST_PREFIX}{n}")));
    let mut traces = synapse.traces;
    traces.extend(post.traces);
    let mut warnings = synapse.warnings;
    warnings.extend(post.warnings);
    // Both are recorded at the same steps; a side that records nothing has no times.
    let t_ms = if post.t_ms.is_empty() {
        synapse.t_ms
    } else {
        post.t_ms
    };
    Output {
        steps: post.steps,
        t_ms,
        names,
        traces,
        spike_times_ms: post.spike_times_ms,
        warnings,
        error,
    }
}

fn has_name(model: &Model, name: &str) -> bool {
    model.state_index(name).is_some()
        || model.helper_index(name).is_some()
        || model.param_index(name).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Bench;

    fn bench_setting(synapse: &str) -> Setting {
        Setting {
            input: Some("spikes(times=[1, 3], weight=1)".into()),
            duration_ms: 5.0,
            bench: Some(Box::new(Bench {
                post: "lif".into(),
                post_params: Default::default(),
                post_init: Default::default(),
                post_input: None,
                pre: None,
                pre_params: Default::default(),
                pre_init: Default::default(),
                delay_steps: 0,
                conductance_delay_steps: 0,
            })),
            ..Setting::of_model(synapse)
        }
    }

    /// A bench records the synapse's names as they are and the neuron's with `post.`; a model
    /// that cannot be a synapse (an edit that dropped `output`, a neuron pasted in) is an error
    /// that says why, not a panic.
    #[test]
    fn benches_run_and_refuse_what_is_not_a_synapse() {
        let record = [
            "g".to_string(),
            "post.V".into(),
            "post.I_syn".into(),
            "nope".into(),
        ];
        let expon = library::get("expon").unwrap();
        let out = Run::complete(&bench_setting("expon"), &expon, &record).unwrap();
        assert_eq!(out.names, ["g", "post.V", "post.I_syn"]);
        // The constant names what composing the bench's projection gives.
        assert_eq!(BENCH_CURRENT, format!("I_{BENCH_PROJECTION}"));
        assert_eq!(out.trace("g", 0).unwrap().len(), 50);

        let no_output =
            brainplay_sim::parse_model(&expon.source.replace("output I_syn", "")).unwrap();
        let error = Run::complete(&bench_setting("expon"), &no_output, &record).unwrap_err();
        assert!(error.en.contains("declares no `output`"), "{error}");
        let lif = library::get("lif").unwrap();
        assert!(Run::complete(&bench_setting("lif"), &lif, &record).is_err());
        let mut no_input = bench_setting("expon");
        no_input.input = None;
        let error = Run::complete(&no_input, &expon, &record).unwrap_err();
        assert!(error.en.contains("needs an input"), "{error}");
    }
}
