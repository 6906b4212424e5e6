//! Where a model keeps moving once it has settled, at many values of one parameter in a single
//! population run (one neuron per value). Beside a bifurcation diagram's fixed-point branches
//! the range each state sweeps shows the limit cycles (or repetitive spiking, resets included)
//! and their amplitude, as BrainPy's diagrams do by simulation.

use brainplay_sim::{msg, Model, Setup, SetupError, Simulation};

#[derive(Clone, Debug, PartialEq)]
pub struct CycleSpec<'a> {
    /// The state whose range is measured.
    pub x: &'a str,
    /// The parameter varied across the population, and its values.
    pub param: &'a str,
    pub values: Vec<f64>,
    /// The other parameters (one value each).
    pub params: Vec<(&'a str, f64)>,
    /// Initial states other than the model's own.
    pub init: Vec<(&'a str, f64)>,
    /// Run this long before measuring, for transients to die out.
    pub settle_ms: f64,
    /// Then take the minimum and maximum over this long.
    pub measure_ms: f64,
    pub dt_ms: f64,
}

/// The range of `x` at one parameter value. A stable fixed point gives `min ≈ max`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Envelope {
    pub param: f64,
    pub min: f64,
    pub max: f64,
}

impl Envelope {
    pub fn amplitude(&self) -> f64 {
        self.max - self.min
    }
}

/// One envelope per value of `spec.values`, in order. A neuron whose state stops being finite
/// ends the run for all of them, which is reported as an error.
pub fn envelopes(model: &Model, spec: &CycleSpec) -> Result<Vec<Envelope>, SetupError> {
    let ix = model.state_index(spec.x).ok_or_else(|| {
        SetupError(msg!(
            "`{}` is not a state of {}",
            "`{}` 不是 {} 的状态变量",
            spec.x,
            model.id
        ))
    })?;
    if !(spec.settle_ms >= 0.0 && spec.measure_ms > 0.0) {
        return Err(SetupError(msg!(
            "cycles need settle_ms ≥ 0 and measure_ms > 0",
            "寻找极限环需要 settle_ms ≥ 0 且 measure_ms > 0"
        )));
    }
    let one = |pairs: &[(&str, f64)]| -> Vec<(String, Vec<f64>)> {
        pairs
            .iter()
            .filter(|(name, _)| *name != spec.param)
            .map(|&(name, v)| (name.to_string(), vec![v]))
            .collect()
    };
    let mut params = one(&spec.params);
    params.push((spec.param.to_string(), spec.values.clone()));
    let setup = Setup {
        n: spec.values.len(),
        dt_ms: spec.dt_ms,
        params,
        init: one(&spec.init),
        ..Setup::default()
    };
    let mut sim = Simulation::new(model, &setup)?;
    let settle = sim.steps_for(spec.settle_ms);
    let measure = sim.steps_for(spec.measure_ms).max(1);
    let mut envelopes: Vec<Envelope> = spec
        .values
        .iter()
        .map(|&param| Envelope {
            param,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        })
        .collect();
    let finished = sim.advance(settle)
        && (0..measure).all(|_| {
            let ok = sim.advance(1);
            for (e, &v) in envelopes.iter_mut().zip(sim.state(ix)) {
                e.min = e.min.min(v);
                e.max = e.max.max(v);
            }
            ok
        });
    if !finished {
        let error = sim.output().error.clone();
        return Err(SetupError(match error {
            Some(e) => e.message().after(msg!(
                "the run for the cycles stopped: ",
                "用于寻找极限环的模拟中止："
            )),
            None => msg!(
                "the run for the cycles stopped early",
                "用于寻找极限环的模拟提前中止"
            ),
        }));
    }
    Ok(envelopes)
}
