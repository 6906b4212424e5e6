//! A trajectory in a phase plane: the full model simulated from a starting point (spikes and
//! resets as in any run), its two plane variables recorded, and the path split at resets so a
//! reset draws no line across the plane (the course's figure F6.11).

use brainplay_sim::{msg, Model, NonFinite, Setup, SetupError, Simulation};

#[derive(Clone, Debug, PartialEq)]
pub struct TrajectorySpec<'a> {
    pub x: &'a str,
    pub y: &'a str,
    /// Initial `(x, y)`.
    pub start: (f64, f64),
    pub duration_ms: f64,
    pub dt_ms: f64,
    pub params: Vec<(&'a str, f64)>,
    /// Initial values of other states (the rest start at the model's initial values).
    pub init: Vec<(&'a str, f64)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Trajectory {
    /// The path from one reset to the next; the first starts at `start`, each later one at the
    /// state just after a reset.
    pub segments: Vec<Vec<(f64, f64)>>,
    pub spike_times_ms: Vec<f64>,
    /// Where the run stopped early because a state became NaN or infinite.
    pub error: Option<NonFinite>,
}

pub fn trajectory(model: &Model, spec: &TrajectorySpec) -> Result<Trajectory, SetupError> {
    let index = |name: &str| {
        model.state_index(name).ok_or_else(|| {
            SetupError(msg!(
                "`{name}` is not a state of {}",
                "`{name}` 不是 {} 的状态变量",
                model.id
            ))
        })
    };
    let (ix, iy) = (index(spec.x)?, index(spec.y)?);
    let one = |pairs: &[(&str, f64)]| -> Vec<(String, Vec<f64>)> {
        pairs
            .iter()
            .map(|&(name, v)| (name.to_string(), vec![v]))
            .collect()
    };
    let mut init = one(&spec.init);
    init.extend(one(&[(spec.x, spec.start.0), (spec.y, spec.start.1)]));
    let setup = Setup {
        dt_ms: spec.dt_ms,
        params: one(&spec.params),
        init,
        ..Setup::default()
    };
    let mut sim = Simulation::new(model, &setup)?;
    let mut segments = vec![vec![spec.start]];
    for _ in 0..sim.steps_for(spec.duration_ms) {
        if !sim.advance(1) {
            break;
        }
        let point = (sim.state(ix)[0], sim.state(iy)[0]);
        if sim.spiked().is_empty() {
            segments
                .last_mut()
                .expect("starts with a segment")
                .push(point);
        } else {
            segments.push(vec![point]);
        }
    }
    let output = sim.into_output();
    Ok(Trajectory {
        segments,
        spike_times_ms: output.spike_times_ms.first().cloned().unwrap_or_default(),
        error: output.error,
    })
}
