//! Input protocols: what is injected into a neuron population's input
//! parameter (for example `I_ext`) at every time step.
//!
//! # Timing
//!
//! Time step `i` (0-based) advances the model from `t_i = i * dt` to
//! `t_i + dt`; the model sees `t = i * dt`, and the input value for step `i`
//! is held during that step. This follows BrainPy 2.4. [`InputState::fill`]
//! computes `t_ms` exactly as `step as f64 * dt_ms`.
//!
//! A time given in the spec (a pulse start, a spike time, a ramp end) belongs
//! to the first step whose `t` reaches it. Because `i * dt` drifts in floating
//! point (`3 * 0.1` is `0.30000000000000004`), a time that lies within a
//! relative `1e-9` of a step boundary counts as lying on it: step boundaries
//! are computed once as step indices, so a 0.3 ms period stays exactly three
//! steps of 0.1 ms apart even after thousands of repetitions.
//!
//! # Text syntax
//!
//! Used by the CLI `--input` flag and by share links ([`SYNTAX_HELP`] is a
//! terse version for `--help`):
//!
//! ```text
//! spec   := [target ":"] term ("+" term)*
//! target := ident ("." ident)*           e.g. I_ext, E.input
//! term   := ident "(" [arg ("," arg)*] ")"
//! arg    := ident "=" value              constant(...) also takes one positional value
//! value  := number | "[" [value ("," value)*] "]"
//! number := ["+" | "-"] digits ["." digits] [("e" | "E") ["+" | "-"] digits]
//!           (either side of the point may be empty, not both: 5, -2.5, .5, 1e-3)
//! ident  := [A-Za-z_] [A-Za-z0-9_]*
//! ```
//!
//! Whitespace between tokens is ignored; names are case-sensitive. Times are
//! in ms, `freq` and `rate` in Hz, `phase` in radians. The terms are summed.
//! The target names the parameter the input drives; it is kept for the
//! caller and not used here. Lists nest only inside `sections(values=...)`,
//! whose entries may themselves be per-neuron lists.
//!
//! | function | arguments | value at time `t` |
//! |---|---|---|
//! | `constant` | `value`* (or positional) | `value` |
//! | `sections` | `values=[v*, ...]`, `durations=[ms, ...]` | `v_k` for `int(duration_k / dt)` steps each, in order; 0 afterwards (BrainPy `section_input`) |
//! | `pulses` | `amp`*, `start`, `width`, `period`, optional `count` (default: unlimited) | `amp` during `[start + k*period, start + k*period + width)`, `k = 0..count`; 0 otherwise |
//! | `ramp` | `from`*, `to`*, `start`, `end` | `from` before `start`, linear in `t` up to `end`, `to` from `end` on |
//! | `sine` | `amp`*, `freq`, optional `phase=0`, optional `offset`*`=0` | `offset + amp * sin(2π freq t / 1000 + phase)` |
//! | `ou` | `mean`*, `sigma`*, `tau` | Ornstein–Uhlenbeck noise, see below |
//! | `poisson` | `rate`*, `weight`* | `weight` on a step with probability `rate * dt / 1000`, else 0 |
//! | `spikes` | `times=[ms, ...]`, `weight`* | `weight` times the number of spike times that fall on the step |
//!
//! Arguments marked * may be one number, used for every neuron, or a list
//! `[a, b, ...]` with one number per neuron; its length must equal the
//! population size N (checked by [`InputState::new`]). `durations`, `width`,
//! `sigma` and `rate` must not be negative, `period` and `tau` must be
//! positive, `end` must not come before `start`, `count` is a whole number,
//! and `sections` has as many durations as values.
//!
//! Examples:
//!
//! ```text
//! constant(5)
//! I_ext: constant(value=2) + sine(amp=1, freq=10)
//! sections(values=[0, [1, 2, 4, 8, 10, 15], 0], durations=[10, 2, 25])
//! pulses(amp=10, start=5, width=1, period=20, count=3)
//! ramp(from=0, to=20, start=10, end=110)
//! ou(mean=2, sigma=0.5, tau=10)
//! poisson(rate=[5, 10, 20], weight=1.5)
//! spikes(times=[10, 10, 25.5], weight=3)
//! ```
//!
//! The `sections` example is the Hodgkin–Huxley homework protocol: six
//! neurons get a 2 ms pulse with amplitudes 1, 2, 4, 8, 10 and 15 after 10 ms
//! of rest, followed by 25 ms of rest.
//!
//! A malformed spec is an [`InputError`] naming the problem and the byte
//! offset (0-based) where it was found: unknown functions and arguments,
//! missing and duplicate arguments, malformed numbers, out-of-range values
//! and trailing text. The parser never panics. [`InputSpec`]'s `Display`
//! writes a canonical form (arguments in the order above, defaults left out)
//! that parses back to an equal spec.
//!
//! # Stochastic terms
//!
//! `ou` gives every neuron its own process starting at `mean`, advanced once
//! per step with Euler–Maruyama:
//! `x += (mean - x) * dt / tau + sigma * sqrt(2 * dt / tau) * N(0, 1)`.
//! The noise scale makes the stationary standard deviation `sigma` in the
//! continuous-time limit. The discrete update's stationary variance is
//! `sigma² / (1 - dt / (2 tau))`, so its standard deviation is too large by a
//! factor of about `1 + dt / (4 tau)` (0.25 % at dt = 0.1 ms, tau = 10 ms),
//! and it diverges unless `dt < 2 tau`, which [`InputState::new`] checks.
//!
//! `poisson` draws `U(0, 1)` per neuron and step and spikes if
//! `U <= rate * dt / 1000` (BrainPy `PoissonGroup`).
//!
//! All random numbers come from one `ChaCha8Rng` per [`InputState`], seeded
//! with `seed_from_u64(seed)`, drawn term by term and within a term neuron by
//! neuron, so the same spec, N, dt and seed always give the same input.

mod parse;
mod state;
mod validate;

use std::fmt;

use crate::message::Message;
use std::str::FromStr;

pub use state::InputState;

/// The text syntax in a form short enough for a CLI `--help`; the module
/// documentation has the details. Every line under `Examples:` parses.
pub const SYNTAX_HELP: &str = "\
Input spec: [target:] term [+ term ...]; term = name(arg=value, ...)
Times in ms, freq and rate in Hz, phase in rad; terms are summed.
Arguments marked * take one number or a list [a, b, ...] with one number per neuron.
  constant(value*)                    value; constant(5) is short for constant(value=5)
  sections(values=[v*, ...], durations=[ms, ...])
                                      v_k for int(duration_k/dt) steps each, then 0
  pulses(amp*, start, width, period[, count])
                                      amp during [start + k*period, start + k*period + width)
  ramp(from*, to*, start, end)        from before start, linear, to from end on
  sine(amp*, freq[, phase][, offset*])
                                      offset + amp*sin(2*pi*freq*t/1000 + phase)
  ou(mean*, sigma*, tau)              Ornstein-Uhlenbeck noise per neuron, stationary std sigma
  poisson(rate*, weight*)             weight with probability rate*dt/1000 per step and neuron
  spikes(times=[ms, ...], weight*)    weight on the first step with t >= each time
Examples:
  constant(5)
  I_ext: constant(2) + sine(amp=1, freq=10)
  sections(values=[0, [1, 2, 4, 8, 10, 15], 0], durations=[10, 2, 25])
  pulses(amp=10, start=5, width=1, period=20, count=3)
  ramp(from=0, to=20, start=10, end=110)
  ou(mean=2, sigma=0.5, tau=10)
  poisson(rate=[5, 10, 20], weight=1.5)
  spikes(times=[10, 10, 25.5], weight=3)
";

/// An amplitude-like argument: one number for every neuron, or one number
/// per neuron.
#[derive(Clone, Debug, PartialEq)]
pub enum Values {
    /// The same number for every neuron.
    One(f64),
    /// One number per neuron, in neuron index order; the length must be N.
    PerNeuron(Vec<f64>),
}

/// One term of an input spec; the module docs give each one's value over
/// time. Units are in the field names; amplitudes are in the units of the
/// target parameter.
#[derive(Clone, Debug, PartialEq)]
pub enum Protocol {
    /// `constant(value)`.
    Constant {
        /// The input at every step.
        value: Values,
    },
    /// `sections(values=[...], durations=[...])`: `values[k]` for
    /// `int(durations_ms[k] / dt)` steps each, then 0.
    Sections {
        /// One entry per section.
        values: Vec<Values>,
        /// How long each section lasts; as many as `values`.
        durations_ms: Vec<f64>,
    },
    /// `pulses(amp, start, width, period, count)`: `amp` during
    /// `[start + k * period, start + k * period + width)` for `k < count`.
    Pulses {
        /// The input during a pulse; 0 between pulses.
        amp: Values,
        /// When the first pulse starts.
        start_ms: f64,
        /// How long each pulse lasts.
        width_ms: f64,
        /// From one pulse start to the next; positive.
        period_ms: f64,
        /// How many pulses; `None` means unlimited.
        count: Option<usize>,
    },
    /// `ramp(from, to, start, end)`: `from` before `start`, linear up to
    /// `end`, `to` from then on.
    Ramp {
        /// The input up to `start_ms`.
        from: Values,
        /// The input from `end_ms` on.
        to: Values,
        /// When the ramp leaves `from`.
        start_ms: f64,
        /// When the ramp reaches `to`; not before `start_ms`.
        end_ms: f64,
    },
    /// `sine(amp, freq, phase, offset)`:
    /// `offset + amp * sin(2π freq_hz t_ms / 1000 + phase_rad)`.
    Sine {
        /// Peak deviation from `offset`.
        amp: Values,
        /// Oscillation frequency.
        freq_hz: f64,
        /// Phase at t = 0.
        phase_rad: f64,
        /// The value the sine oscillates around.
        offset: Values,
    },
    /// `ou(mean, sigma, tau)`: Ornstein–Uhlenbeck noise, independent per
    /// neuron.
    OrnsteinUhlenbeck {
        /// The starting value and long-run mean.
        mean: Values,
        /// The stationary standard deviation.
        sigma: Values,
        /// The correlation time.
        tau_ms: f64,
    },
    /// `poisson(rate, weight)`: `weight` on a step with probability
    /// `rate_hz * dt_ms / 1000`, independent per neuron.
    Poisson {
        /// Mean spike rate.
        rate_hz: Values,
        /// The input on a step with a spike.
        weight: Values,
    },
    /// `spikes(times=[...], weight)`: `weight` on the first step with
    /// `t >= time`, for each time, for every neuron.
    SpikeTimes {
        /// Spike times in any order; repeats add up.
        times_ms: Vec<f64>,
        /// The input per spike.
        weight: Values,
    },
}

/// A parsed input spec: an optional target parameter and the terms to sum.
#[derive(Clone, Debug, PartialEq)]
pub struct InputSpec {
    /// The parameter the input drives, like `I_ext`; `None` leaves the
    /// choice to the caller.
    pub target: Option<String>,
    /// Summed to give the input.
    pub terms: Vec<Protocol>,
}

/// Why a spec was rejected.
#[derive(Clone, Debug, PartialEq)]
pub struct InputError {
    /// What is wrong, naming the function and argument involved.
    pub message: Message,
    /// The 0-based byte offset in the parsed text; errors from
    /// [`InputState::new`], which sees no text, use 0.
    pub position: usize,
}

impl InputError {
    fn new(position: usize, message: impl Into<Message>) -> InputError {
        InputError {
            message: message.into(),
            position,
        }
    }

    /// The offending line of `text` with a caret under the error position and
    /// the message after it, in both languages.
    pub fn render(&self, text: &str) -> Message {
        // The caret column counts characters, not bytes, so that it lines up
        // under non-ASCII text too.
        let before = text.get(..self.position).unwrap_or(text);
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let column = before[line_start..].chars().count();
        let head = format!("{}\n{}^ ", &text[line_start..line_end], " ".repeat(column));
        self.message.clone().after(Message::new(head.clone(), head))
    }

    /// The message followed by the position, in both languages (what `Display` writes in
    /// English).
    pub fn with_position(&self) -> Message {
        let (en, zh, position) = (&self.message.en, &self.message.zh, self.position);
        crate::msg!("{en} (at position {position})", "{zh}（位置 {position}）")
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.with_position().en)
    }
}

impl std::error::Error for InputError {}

impl InputSpec {
    /// Parses the text syntax described in the [module docs](self).
    ///
    /// # Errors
    ///
    /// If `text` is not a valid spec; the error names the problem and the
    /// byte offset where it was found.
    pub fn parse(text: &str) -> Result<InputSpec, InputError> {
        parse::spec(text)
    }
}

impl FromStr for InputSpec {
    type Err = InputError;

    fn from_str(text: &str) -> Result<InputSpec, InputError> {
        InputSpec::parse(text)
    }
}

/// Writes a number so that it parses back to the same `f64`: plain decimals
/// in the everyday range, exponent form outside it to stay short.
fn write_number(f: &mut fmt::Formatter<'_>, x: f64) -> fmt::Result {
    let magnitude = x.abs();
    if x == 0.0 {
        // Also prints -0 as 0; the two compare equal, so round trips hold.
        write!(f, "0")
    } else if (1e-4..1e15).contains(&magnitude) {
        write!(f, "{x}")
    } else {
        write!(f, "{x:e}")
    }
}

fn write_number_list(f: &mut fmt::Formatter<'_>, xs: &[f64]) -> fmt::Result {
    write!(f, "[")?;
    for (i, &x) in xs.iter().enumerate() {
        if i > 0 {
            write!(f, ", ")?;
        }
        write_number(f, x)?;
    }
    write!(f, "]")
}

impl fmt::Display for Values {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Values::One(x) => write_number(f, *x),
            Values::PerNeuron(xs) => write_number_list(f, xs),
        }
    }
}

impl InputSpec {
    /// Whether every neuron receives the same input at every step: no per-neuron values and
    /// no independent noise.
    pub fn same_for_every_neuron(&self) -> bool {
        self.per_neuron_values().is_empty()
            && !self.terms.iter().any(|t| {
                matches!(
                    t,
                    Protocol::OrnsteinUhlenbeck { .. } | Protocol::Poisson { .. }
                )
            })
    }

    /// Every per-neuron list in the spec, as (function, argument, values), in the order written:
    /// for `sections(values=[0, [1, 2, 4], 0], …)` that is `("sections", "values", [1, 2, 4])`.
    /// Callers size populations and label neurons from it.
    pub fn per_neuron_values(&self) -> Vec<(&'static str, &'static str, &[f64])> {
        self.terms
            .iter()
            .flat_map(|term| {
                term.value_arguments().into_iter().filter_map(
                    move |(argument, values)| match values {
                        Values::PerNeuron(list) => Some((term.name(), argument, list.as_slice())),
                        Values::One(_) => None,
                    },
                )
            })
            .collect()
    }
}

impl Protocol {
    /// The arguments that may hold one value per neuron, by name, in the order written.
    fn value_arguments(&self) -> Vec<(&'static str, &Values)> {
        match self {
            Protocol::Constant { value } => vec![("value", value)],
            Protocol::Sections { values, .. } => values.iter().map(|v| ("values", v)).collect(),
            Protocol::Pulses { amp, .. } => vec![("amp", amp)],
            Protocol::Ramp { from, to, .. } => vec![("from", from), ("to", to)],
            Protocol::Sine { amp, offset, .. } => vec![("amp", amp), ("offset", offset)],
            Protocol::OrnsteinUhlenbeck { mean, sigma, .. } => {
                vec![("mean", mean), ("sigma", sigma)]
            }
            Protocol::Poisson { rate_hz, weight } => vec![("rate", rate_hz), ("weight", weight)],
            Protocol::SpikeTimes { weight, .. } => vec![("weight", weight)],
        }
    }

    /// The function name used in the text syntax.
    pub fn name(&self) -> &'static str {
        match self {
            Protocol::Constant { .. } => "constant",
            Protocol::Sections { .. } => "sections",
            Protocol::Pulses { .. } => "pulses",
            Protocol::Ramp { .. } => "ramp",
            Protocol::Sine { .. } => "sine",
            Protocol::OrnsteinUhlenbeck { .. } => "ou",
            Protocol::Poisson { .. } => "poisson",
            Protocol::SpikeTimes { .. } => "spikes",
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(", self.name())?;
        match self {
            Protocol::Constant { value } => write!(f, "{value}")?,
            Protocol::Sections {
                values,
                durations_ms,
            } => {
                write!(f, "values=[")?;
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{v}")?;
                }
                write!(f, "], durations=")?;
                write_number_list(f, durations_ms)?;
            }
            Protocol::Pulses {
                amp,
                start_ms,
                width_ms,
                period_ms,
                count,
            } => {
                write!(f, "amp={amp}, start=")?;
                write_number(f, *start_ms)?;
                write!(f, ", width=")?;
                write_number(f, *width_ms)?;
                write!(f, ", period=")?;
                write_number(f, *period_ms)?;
                if let Some(count) = count {
                    write!(f, ", count={count}")?;
                }
            }
            Protocol::Ramp {
                from,
                to,
                start_ms,
                end_ms,
            } => {
                write!(f, "from={from}, to={to}, start=")?;
                write_number(f, *start_ms)?;
                write!(f, ", end=")?;
                write_number(f, *end_ms)?;
            }
            Protocol::Sine {
                amp,
                freq_hz,
                phase_rad,
                offset,
            } => {
                write!(f, "amp={amp}, freq=")?;
                write_number(f, *freq_hz)?;
                // Defaults are left out to keep the canonical form short.
                if *phase_rad != 0.0 {
                    write!(f, ", phase=")?;
                    write_number(f, *phase_rad)?;
                }
                if *offset != Values::One(0.0) {
                    write!(f, ", offset={offset}")?;
                }
            }
            Protocol::OrnsteinUhlenbeck {
                mean,
                sigma,
                tau_ms,
            } => {
                write!(f, "mean={mean}, sigma={sigma}, tau=")?;
                write_number(f, *tau_ms)?;
            }
            Protocol::Poisson { rate_hz, weight } => {
                write!(f, "rate={rate_hz}, weight={weight}")?;
            }
            Protocol::SpikeTimes { times_ms, weight } => {
                write!(f, "times=")?;
                write_number_list(f, times_ms)?;
                write!(f, ", weight={weight}")?;
            }
        }
        write!(f, ")")
    }
}

impl fmt::Display for InputSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(target) = &self.target {
            write!(f, "{target}: ")?;
        }
        for (i, term) in self.terms.iter().enumerate() {
            if i > 0 {
                write!(f, " + ")?;
            }
            write!(f, "{term}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
