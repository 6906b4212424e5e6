//! Rheobase by bisection over populations: the smallest value of a parameter (the model's input by
//! default) at which the neuron fires at least once within a duration. Each round simulates one
//! population spanning the current bracket (one neuron per value, a single run) and narrows the
//! bracket to the pair of neighbouring values where firing starts, so a round shrinks it
//! `POPULATION - 1` times instead of twice.

use brainplay_sim::{msg, Model, Setup, SetupError, Simulation};

/// Values tried per round.
const POPULATION: usize = 16;

/// What to search: the parameter, the bracket, and how long each neuron may take to fire.
#[derive(Clone, Debug, PartialEq)]
pub struct RheobaseSpec<'a> {
    /// `None`: the model's input parameter.
    pub param: Option<&'a str>,
    /// The rheobase must lie in `(low, high]`: `low` does not fire, `high` does.
    pub low: f64,
    pub high: f64,
    pub duration_ms: f64,
    /// Stop once the bracket is at most this wide.
    pub tolerance: f64,
    /// Everything else of the runs (dt, method, other parameters, initial states); its `n` and
    /// any value it gives the searched parameter are replaced.
    pub setup: Setup,
}

/// The final bracket `(low, high)`: `low` does not fire within the duration, `high` does.
pub fn rheobase(model: &Model, spec: &RheobaseSpec) -> Result<(f64, f64), SetupError> {
    let param = match spec.param {
        Some(name) => name,
        None => model
            .input
            .map(|i| model.params[i].name.as_str())
            .ok_or_else(|| {
                SetupError(msg!(
                    "{} declares no input parameter; name the parameter to search",
                    "{} 没有声明输入参数；请指定要搜索的参数",
                    model.id
                ))
            })?,
    };
    let (mut low, mut high) = (spec.low, spec.high);
    if !(low.is_finite() && high.is_finite() && low < high) {
        return Err(SetupError(msg!(
            "the rheobase bracket [{low}, {high}] is empty",
            "基强度的搜索区间 [{low}, {high}] 为空"
        )));
    }
    // False for NaN too.
    let positive = spec.tolerance > 0.0;
    if !positive {
        return Err(SetupError(msg!(
            "the rheobase tolerance must be positive",
            "基强度的容差必须为正"
        )));
    }
    while high - low > spec.tolerance {
        let values: Vec<f64> = (0..POPULATION)
            .map(|k| low + (high - low) * k as f64 / (POPULATION - 1) as f64)
            .collect();
        let fires = fires_within(model, spec, param, &values)?;
        let Some(first) = fires.iter().position(|&f| f) else {
            return Err(SetupError(msg!(
                "{0} does not fire within {1} ms for `{param}` up to {high}",
                "`{param}` 增大到 {high} 时，{0} 在 {1} ms 内仍不发放",
                model.id,
                spec.duration_ms
            )));
        };
        // Only the first round can get here: later rounds start from a low end that did not fire.
        if first == 0 {
            return Err(SetupError(msg!(
                "{} already fires at `{param}` = {low}; lower the bracket",
                "{} 在 `{param}` = {low} 时已经发放；请降低搜索区间",
                model.id
            )));
        }
        (low, high) = (values[first - 1], values[first]);
    }
    Ok((low, high))
}

/// Whether each neuron, with the searched parameter at its value, spikes within the duration.
fn fires_within(
    model: &Model,
    spec: &RheobaseSpec,
    param: &str,
    values: &[f64],
) -> Result<Vec<bool>, SetupError> {
    let mut setup = spec.setup.clone();
    setup.n = values.len();
    setup.params.retain(|(name, _)| name != param);
    setup.params.push((param.to_string(), values.to_vec()));
    let output = Simulation::run(model, &setup, spec.duration_ms)?;
    if let Some(error) = output.error {
        return Err(SetupError(error.message()));
    }
    Ok(output
        .spike_times_ms
        .iter()
        .map(|s| !s.is_empty())
        .collect())
}
