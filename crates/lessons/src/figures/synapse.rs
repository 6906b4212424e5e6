//! The figures of `synapse_plot` blocks, computed by simulating the synapses on the test bench
//! (one population run each):
//! - kinetics: every synapse's conductance `g` after one presynaptic spike at t = 0, scaled to
//!   its own peak, so rise and decay compare at a glance;
//! - the STDP window: one pre–post pair per connection (one-to-one), the postsynaptic neurons
//!   kicked over threshold by a strong 0.1 ms pulse at `WINDOW_POST_MS`, the presynaptic spikes
//!   placed before and after; the weight change of each pair against t_post − t_pre.

use brainplay_sim::circuit::{Circuit, CircuitSetup, Projection, Source};
use brainplay_sim::connect::Rule;
use brainplay_sim::{library, msg, Message, Model, Setup};

use crate::content::{SynapsePlot, SynapsePlotKind};
use crate::figure::{Series, SweepFigure};

const DT_MS: f64 = 0.1;
/// When the postsynaptic neurons of the STDP window spike.
const WINDOW_POST_MS: f64 = 100.0;
/// A pulse that takes the library's LIF over threshold within its one step.
const WINDOW_KICK: &str = "pulses(amp=5000, start=100, width=0.1, period=1000, count=1)";

/// A synapse figure, computed in `finish` and remembered until its block changes.
#[cfg(feature = "neurons")]
pub(super) struct SynapseFigure;

#[cfg(feature = "neurons")]
impl super::Computation for SynapseFigure {
    fn finish(
        self: Box<Self>,
        block: crate::content::Figured,
        _: &crate::setting::Setting,
        cache: &mut super::Cache,
    ) -> Result<crate::figure::Figures, Message> {
        use crate::figure::{Figures, Issues};
        let crate::content::Figured::SynapsePlot(plot) = block else {
            return Err(msg!(
                "this block is not a synapse figure",
                "这个块不是突触图"
            ));
        };
        let figure = super::cache::remember(&mut cache.synapse_plots, &plot.id, plot, || {
            compute(plot).unwrap_or_else(|error| SweepFigure {
                issues: Issues::failed(crate::bilingual(error)),
                ..SweepFigure::default()
            })
        });
        Ok(Figures::Sweep(figure))
    }
}

pub fn compute(block: &SynapsePlot) -> Result<SweepFigure, Message> {
    let synapses = block
        .synapses
        .iter()
        .map(|id| {
            library::get(id).ok_or_else(|| msg!("unknown synapse `{id}`", "未知的突触 `{id}`"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    match block.plot {
        SynapsePlotKind::Kinetics => kinetics(&synapses, block.span_ms),
        SynapsePlotKind::StdpWindow => {
            let synapse = synapses
                .first()
                .ok_or_else(|| msg!("the STDP window needs a synapse", "STDP 窗口需要一个突触"))?;
            stdp_window(synapse, block.span_ms, block.step_ms)
        }
    }
}

fn bench(source: Source, synapse: &Model, rule: Rule, post: Setup) -> Result<Circuit, Message> {
    let setup = CircuitSetup {
        source,
        projections: vec![Projection {
            record: vec!["g".into(), "w".into()]
                .into_iter()
                .filter(|n: &String| synapse.state_index(n).is_some())
                .collect(),
            ..Projection::new("syn", synapse.clone(), rule)
        }],
        post: library::get("lif")
            .ok_or_else(|| msg!("the library has no lif", "模型库中没有 lif"))?,
        post_setup: Setup {
            dt_ms: DT_MS,
            ..post
        },
    };
    Circuit::new(&setup).map_err(|e| e.0)
}

fn kinetics(synapses: &[Model], span_ms: f64) -> Result<SweepFigure, Message> {
    let mut x = Vec::new();
    let mut series = Vec::new();
    for synapse in synapses {
        let source = Source::Times(vec![vec![0.0]]);
        let mut circuit = bench(source, synapse, Rule::AllToAll, Setup::default())?;
        let steps = circuit.steps_for(span_ms);
        circuit.advance(steps);
        let out = circuit.into_output();
        let g = out.synapses[0]
            .trace("g", 0)
            .ok_or_else(|| msg!("{} has no state `g`", "{} 没有状态变量 `g`", synapse.id))?;
        let peak = g.iter().fold(0.0_f64, |m, &v| m.max(v.abs()));
        let scaled = g
            .iter()
            .map(|v| if peak > 0.0 { v / peak } else { 0.0 })
            .collect();
        series.push(Series {
            name: synapse.id.clone(),
            values: scaled,
        });
        x = out.synapses[0].t_ms.clone();
    }
    Ok(SweepFigure {
        x,
        series,
        ..SweepFigure::default()
    })
}

fn stdp_window(synapse: &Model, span_ms: f64, step_ms: f64) -> Result<SweepFigure, Message> {
    if !(step_ms > 0.0 && span_ms > 0.0 && span_ms < WINDOW_POST_MS) {
        return Err(msg!(
            "the window needs 0 < step and 0 < span < {WINDOW_POST_MS} ms",
            "STDP 窗口需要 0 < step 且 0 < span < {WINDOW_POST_MS} ms"
        ));
    }
    let count = (span_ms / step_ms).floor() as i64;
    let delays: Vec<f64> = (-count..=count)
        .filter(|k| *k != 0)
        .map(|k| k as f64 * step_ms)
        .collect();
    if synapse.state_index("w").is_none() {
        return Err(msg!(
            "{} has no weight state `w`",
            "{} 没有权重状态变量 `w`",
            synapse.id
        ));
    }
    let source = Source::Times(delays.iter().map(|d| vec![WINDOW_POST_MS - d]).collect());
    let post = Setup {
        n: delays.len(),
        input: Some(
            WINDOW_KICK
                .parse()
                .map_err(|e: brainplay_sim::input::InputError| e.message)?,
        ),
        ..Setup::default()
    };
    let mut circuit = bench(source, synapse, Rule::OneToOne, post)?;
    let steps = circuit.steps_for(2.0 * WINDOW_POST_MS);
    circuit.advance(steps);
    let out = circuit.into_output();
    let kicked = out
        .post
        .spike_times_ms
        .iter()
        .all(|times| times.len() == 1 && (times[0] - WINDOW_POST_MS).abs() < DT_MS / 2.0);
    if !kicked {
        return Err(msg!(
            "the postsynaptic neurons should spike once, at {WINDOW_POST_MS} ms",
            "突触后神经元应当在 {WINDOW_POST_MS} ms 时发放，且只发放一次"
        ));
    }
    let trace = |k: usize| out.synapses[0].trace("w", k).unwrap_or_default();
    let change: Vec<f64> = (0..delays.len())
        .map(|k| {
            let w_k = trace(k);
            let first = w_k.first().copied().unwrap_or_default();
            let last = w_k.last().copied().unwrap_or_default();
            // The state after step 0 is the start: no pair acts that early.
            last - first
        })
        .collect();
    Ok(SweepFigure {
        x: delays,
        series: vec![Series {
            name: "Δw".into(),
            values: change,
        }],
        ..SweepFigure::default()
    })
}
