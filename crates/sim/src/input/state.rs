//! The input at run time: each term precomputed for the population and step, filled step by
//! step.

use std::f64::consts::PI;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use super::validate::validate;
use super::{InputError, InputSpec, Protocol, Values};
use crate::message::Message;
use crate::msg;

/// The first step whose `t = step * dt` reaches `t_ms`, treating times within
/// a relative 1e-9 of a boundary as on it (see the module docs). Times before
/// 0 map to step 0; absurdly late ones saturate at `usize::MAX`.
fn step_at_or_after(t_ms: f64, dt_ms: f64) -> usize {
    let steps = t_ms / dt_ms;
    // `as` saturates and maps NaN to 0, so no input can panic here.
    (steps - 1e-9 * steps.abs().max(1.0)).ceil() as usize
}

/// One term with everything `fill` needs precomputed, amplitudes expanded to
/// one entry per neuron.
#[derive(Clone, Debug)]
enum Term {
    Constant {
        value: Vec<f64>,
    },
    Sections {
        values: Vec<Vec<f64>>,
        /// Section k covers steps `end_steps[k - 1]..end_steps[k]`.
        end_steps: Vec<usize>,
    },
    Pulses {
        amp: Vec<f64>,
        start_ms: f64,
        width_ms: f64,
        period_ms: f64,
        count: Option<usize>,
    },
    Ramp {
        from: Vec<f64>,
        to: Vec<f64>,
        start_ms: f64,
        end_ms: f64,
        start_step: usize,
        end_step: usize,
    },
    Sine {
        amp: Vec<f64>,
        offset: Vec<f64>,
        freq_hz: f64,
        phase_rad: f64,
    },
    OrnsteinUhlenbeck {
        x: Vec<f64>,
        mean: Vec<f64>,
        /// `sigma * sqrt(2 dt / tau)` per neuron.
        noise: Vec<f64>,
        /// `dt / tau`.
        relax: f64,
    },
    Poisson {
        /// `rate * dt / 1000` per neuron.
        p_spike: Vec<f64>,
        weight: Vec<f64>,
    },
    SpikeTimes {
        /// Sorted; a step listed twice gets the weight twice.
        steps: Vec<usize>,
        weight: Vec<f64>,
    },
}

/// Runtime state of an input for a population of `n` neurons; deterministic
/// given `seed`.
#[derive(Clone, Debug)]
pub struct InputState {
    n: usize,
    dt_ms: f64,
    terms: Vec<Term>,
    rng: ChaCha8Rng,
}

/// Expands `values` to one entry per neuron, or says which argument has the
/// wrong length.
fn per_neuron(values: &Values, n: usize, arg: &str) -> Result<Vec<f64>, Message> {
    match values {
        Values::One(x) => Ok(vec![*x; n]),
        Values::PerNeuron(xs) if xs.len() == n => Ok(xs.clone()),
        Values::PerNeuron(xs) => Err(msg!(
            "`{arg}` has {} per-neuron values but the population has N = {n} neurons",
            "`{arg}` 有 {} 个逐神经元的值，但群体有 N = {n} 个神经元",
            xs.len()
        )),
    }
}

impl Term {
    fn new(protocol: &Protocol, n: usize, dt_ms: f64) -> Result<Term, Message> {
        Ok(match protocol {
            Protocol::Constant { value } => Term::Constant {
                value: per_neuron(value, n, "value")?,
            },
            Protocol::Sections {
                values,
                durations_ms,
            } => {
                let values = values
                    .iter()
                    .enumerate()
                    .map(|(k, v)| per_neuron(v, n, &format!("values[{k}]")))
                    .collect::<Result<_, _>>()?;
                let mut end = 0usize;
                let end_steps = durations_ms
                    .iter()
                    .map(|d| {
                        // Truncation like BrainPy's `int(duration / dt)`.
                        end = end.saturating_add((d / dt_ms) as usize);
                        end
                    })
                    .collect();
                Term::Sections { values, end_steps }
            }
            Protocol::Pulses {
                amp,
                start_ms,
                width_ms,
                period_ms,
                count,
            } => Term::Pulses {
                amp: per_neuron(amp, n, "amp")?,
                start_ms: *start_ms,
                width_ms: *width_ms,
                period_ms: *period_ms,
                count: *count,
            },
            Protocol::Ramp {
                from,
                to,
                start_ms,
                end_ms,
            } => Term::Ramp {
                from: per_neuron(from, n, "from")?,
                to: per_neuron(to, n, "to")?,
                start_ms: *start_ms,
                end_ms: *end_ms,
                start_step: step_at_or_after(*start_ms, dt_ms),
                end_step: step_at_or_after(*end_ms, dt_ms),
            },
            Protocol::Sine {
                amp,
                freq_hz,
                phase_rad,
                offset,
            } => Term::Sine {
                amp: per_neuron(amp, n, "amp")?,
                offset: per_neuron(offset, n, "offset")?,
                freq_hz: *freq_hz,
                phase_rad: *phase_rad,
            },
            Protocol::OrnsteinUhlenbeck {
                mean,
                sigma,
                tau_ms,
            } => {
                let relax = dt_ms / tau_ms;
                if relax >= 2.0 {
                    return Err(msg!(
                        "`tau` ({tau_ms} ms) must exceed dt / 2 = {} ms, or the Euler-Maruyama update diverges",
                        "`tau`（{tau_ms} ms）必须大于 dt / 2 = {} ms，否则 Euler-Maruyama 更新会发散",
                        dt_ms / 2.0
                    ));
                }
                let mean = per_neuron(mean, n, "mean")?;
                let noise_scale = (2.0 * relax).sqrt();
                let noise = per_neuron(sigma, n, "sigma")?
                    .iter()
                    .map(|s| s * noise_scale)
                    .collect();
                Term::OrnsteinUhlenbeck {
                    x: mean.clone(),
                    mean,
                    noise,
                    relax,
                }
            }
            Protocol::Poisson { rate_hz, weight } => Term::Poisson {
                p_spike: per_neuron(rate_hz, n, "rate")?
                    .iter()
                    .map(|r| r * dt_ms / 1000.0)
                    .collect(),
                weight: per_neuron(weight, n, "weight")?,
            },
            Protocol::SpikeTimes { times_ms, weight } => {
                let mut steps: Vec<usize> = times_ms
                    .iter()
                    .map(|&t| step_at_or_after(t, dt_ms))
                    .collect();
                steps.sort_unstable();
                Term::SpikeTimes {
                    steps,
                    weight: per_neuron(weight, n, "weight")?,
                }
            }
        })
    }
}

/// Whether pulse train step `step` is inside a pulse. Pulse k covers steps
/// `on(k)..off(k)`, both monotone in k because all pulses share one width,
/// so the last pulse to have started is on exactly when any pulse is.
fn pulse_on(
    step: usize,
    dt_ms: f64,
    start_ms: f64,
    width_ms: f64,
    period_ms: f64,
    count: Option<usize>,
) -> bool {
    let last = match count {
        Some(0) => return false,
        Some(c) => c - 1,
        None => usize::MAX,
    };
    let start_of = |k: usize| start_ms + k as f64 * period_ms;
    let on = |k: usize| step_at_or_after(start_of(k), dt_ms);
    // A float estimate of the last started pulse, corrected by at most a
    // couple of steps either way against the exact step boundaries.
    let t_ms = step as f64 * dt_ms;
    let mut k = (((t_ms - start_ms) / period_ms).floor().max(0.0) as usize).min(last);
    for _ in 0..2 {
        if k < last && on(k + 1) <= step {
            k += 1;
        }
    }
    for _ in 0..2 {
        if k > 0 && on(k) > step {
            k -= 1;
        }
    }
    on(k) <= step && step < step_at_or_after(start_of(k) + width_ms, dt_ms)
}

fn add(out: &mut [f64], values: &[f64]) {
    out.iter_mut().zip(values).for_each(|(o, v)| *o += v);
}

impl InputState {
    /// Prepares `spec` for `n` neurons at time step `dt_ms`.
    ///
    /// # Errors
    ///
    /// If a per-neuron list's length is not `n` (the message names the term,
    /// the argument, its length and N), `dt_ms` is not positive and finite,
    /// `ou`'s `tau` is not above `dt_ms / 2`, or the spec breaks a rule the
    /// parser enforces (for specs built in code). The position is 0.
    pub fn new(
        spec: &InputSpec,
        n: usize,
        dt_ms: f64,
        seed: u64,
    ) -> Result<InputState, InputError> {
        if !(dt_ms.is_finite() && dt_ms > 0.0) {
            return Err(InputError::new(
                0,
                msg!(
                    "dt_ms must be positive and finite, got {dt_ms}",
                    "时间步长 dt_ms 必须是有限的正数，这里是 {dt_ms}"
                ),
            ));
        }
        let terms = spec
            .terms
            .iter()
            .enumerate()
            .map(|(i, protocol)| {
                validate(protocol)
                    .map_err(|p| p.message)
                    .and_then(|()| Term::new(protocol, n, dt_ms))
                    .map_err(|message| {
                        let (k, name) = (i + 1, protocol.name());
                        InputError::new(
                            0,
                            message.after(msg!("term {k} ({name}): ", "第 {k} 项（{name}）：")),
                        )
                    })
            })
            .collect::<Result<_, _>>()?;
        Ok(InputState {
            n,
            dt_ms,
            terms,
            rng: ChaCha8Rng::seed_from_u64(seed),
        })
    }

    /// Writes this step's input value for each neuron into `out` (len n),
    /// overwriting. No allocation.
    ///
    /// Call it once per step with `step` = 0, 1, 2, … in order: the
    /// stochastic terms advance one step per call.
    ///
    /// # Panics
    ///
    /// If `out.len()` is not the `n` given to [`InputState::new`].
    pub fn fill(&mut self, step: usize, out: &mut [f64]) {
        assert_eq!(
            out.len(),
            self.n,
            "fill: `out` must have one slot per neuron"
        );
        out.fill(0.0);
        let dt_ms = self.dt_ms;
        let t_ms = step as f64 * dt_ms;
        for term in &mut self.terms {
            match term {
                Term::Constant { value } => add(out, value),
                Term::Sections { values, end_steps } => {
                    let k = end_steps.partition_point(|&end| end <= step);
                    if let Some(v) = values.get(k) {
                        add(out, v);
                    }
                }
                Term::Pulses {
                    amp,
                    start_ms,
                    width_ms,
                    period_ms,
                    count,
                } => {
                    if pulse_on(step, dt_ms, *start_ms, *width_ms, *period_ms, *count) {
                        add(out, amp);
                    }
                }
                Term::Ramp {
                    from,
                    to,
                    start_ms,
                    end_ms,
                    start_step,
                    end_step,
                } => {
                    // The boundaries are step indices so that a jump
                    // (`start == end`) lands on a predictable step.
                    let frac = if step < *start_step {
                        0.0
                    } else if step >= *end_step {
                        1.0
                    } else {
                        ((t_ms - *start_ms) / (*end_ms - *start_ms)).clamp(0.0, 1.0)
                    };
                    for ((o, a), b) in out.iter_mut().zip(from.iter()).zip(to.iter()) {
                        *o += a + (b - a) * frac;
                    }
                }
                Term::Sine {
                    amp,
                    offset,
                    freq_hz,
                    phase_rad,
                } => {
                    let s = (2.0 * PI * *freq_hz * t_ms / 1000.0 + *phase_rad).sin();
                    for ((o, a), c) in out.iter_mut().zip(amp.iter()).zip(offset.iter()) {
                        *o += c + a * s;
                    }
                }
                Term::OrnsteinUhlenbeck {
                    x,
                    mean,
                    noise,
                    relax,
                } => {
                    // Output the current state, then advance it: the value at
                    // step s is the state after s updates, `mean` at step 0.
                    add(out, x);
                    for ((xi, m), s) in x.iter_mut().zip(mean.iter()).zip(noise.iter()) {
                        let z: f64 = self.rng.sample(StandardNormal);
                        *xi += (m - *xi) * *relax + s * z;
                    }
                }
                Term::Poisson { p_spike, weight } => {
                    for ((o, p), w) in out.iter_mut().zip(p_spike.iter()).zip(weight.iter()) {
                        let u: f64 = self.rng.random();
                        if u <= *p {
                            *o += w;
                        }
                    }
                }
                Term::SpikeTimes { steps, weight } => {
                    let first = steps.partition_point(|&s| s < step);
                    let last = steps.partition_point(|&s| s <= step);
                    if last > first {
                        let spikes = (last - first) as f64;
                        for (o, w) in out.iter_mut().zip(weight.iter()) {
                            *o += w * spikes;
                        }
                    }
                }
            }
        }
    }
}
