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

use std::f64::consts::PI;
use std::fmt;
use std::str::FromStr;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

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
    pub message: String,
    /// The 0-based byte offset in the parsed text; errors from
    /// [`InputState::new`], which sees no text, use 0.
    pub position: usize,
}

impl InputError {
    fn new(position: usize, message: impl Into<String>) -> InputError {
        InputError {
            message: message.into(),
            position,
        }
    }

    /// The offending line of `text` with a caret under the error position and
    /// the message after it, for terminal output.
    pub fn render(&self, text: &str) -> String {
        // The caret column counts characters, not bytes, so that it lines up
        // under non-ASCII text too.
        let before = text.get(..self.position).unwrap_or(text);
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let column = before[line_start..].chars().count();
        format!(
            "{}\n{}^ {}",
            &text[line_start..line_end],
            " ".repeat(column),
            self.message
        )
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at position {})", self.message, self.position)
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
        Parser { text, pos: 0 }.spec()
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

// ---------------------------------------------------------------------------
// Validation shared by the parser and `InputState::new`, so that a spec built
// in code gets the same checks as one parsed from text.

/// A rejected argument; `index` points into a list argument when one entry
/// is at fault, so the parser can report that entry's position.
struct ArgProblem {
    arg: &'static str,
    index: Option<usize>,
    message: String,
}

fn problem(arg: &'static str, index: Option<usize>, message: String) -> ArgProblem {
    ArgProblem {
        arg,
        index,
        message,
    }
}

#[derive(Clone, Copy)]
enum Bound {
    Finite,
    NonNegative,
    Positive,
}

fn check_number(
    arg: &'static str,
    index: Option<usize>,
    x: f64,
    bound: Bound,
) -> Result<(), ArgProblem> {
    let fail = |what: &str| Err(problem(arg, index, format!("`{arg}` {what}, got {x}")));
    if !x.is_finite() {
        return fail("must be a finite number");
    }
    match bound {
        Bound::Finite => Ok(()),
        Bound::NonNegative if x < 0.0 => fail("must not be negative"),
        Bound::Positive if x <= 0.0 => fail("must be positive"),
        Bound::NonNegative | Bound::Positive => Ok(()),
    }
}

fn check_values(
    arg: &'static str,
    index: Option<usize>,
    values: &Values,
    bound: Bound,
) -> Result<(), ArgProblem> {
    match values {
        Values::One(x) => check_number(arg, index, *x, bound),
        Values::PerNeuron(xs) => {
            if xs.is_empty() {
                return Err(problem(
                    arg,
                    index,
                    format!("`{arg}` has an empty per-neuron list"),
                ));
            }
            xs.iter().enumerate().try_for_each(|(i, &x)| {
                // Inside `sections` the entry index is the useful one.
                check_number(arg, index.or(Some(i)), x, bound)
            })
        }
    }
}

fn check_list(arg: &'static str, xs: &[f64], bound: Bound) -> Result<(), ArgProblem> {
    xs.iter()
        .enumerate()
        .try_for_each(|(i, &x)| check_number(arg, Some(i), x, bound))
}

fn validate(protocol: &Protocol) -> Result<(), ArgProblem> {
    use Bound::{Finite, NonNegative, Positive};
    match protocol {
        Protocol::Constant { value } => check_values("value", None, value, Finite),
        Protocol::Sections {
            values,
            durations_ms,
        } => {
            if values.is_empty() {
                return Err(problem(
                    "values",
                    None,
                    "`sections` needs at least one value and duration".into(),
                ));
            }
            for (i, v) in values.iter().enumerate() {
                check_values("values", Some(i), v, Finite)?;
            }
            check_list("durations", durations_ms, NonNegative)?;
            if values.len() != durations_ms.len() {
                return Err(problem(
                    "durations",
                    None,
                    format!(
                        "`values` has {} entries but `durations` has {}; give one duration per value",
                        values.len(),
                        durations_ms.len()
                    ),
                ));
            }
            Ok(())
        }
        Protocol::Pulses {
            amp,
            start_ms,
            width_ms,
            period_ms,
            count: _,
        } => {
            check_values("amp", None, amp, Finite)?;
            check_number("start", None, *start_ms, Finite)?;
            check_number("width", None, *width_ms, NonNegative)?;
            check_number("period", None, *period_ms, Positive)
        }
        Protocol::Ramp {
            from,
            to,
            start_ms,
            end_ms,
        } => {
            check_values("from", None, from, Finite)?;
            check_values("to", None, to, Finite)?;
            check_number("start", None, *start_ms, Finite)?;
            check_number("end", None, *end_ms, Finite)?;
            if end_ms < start_ms {
                return Err(problem(
                    "end",
                    None,
                    format!("`end` ({end_ms}) must not come before `start` ({start_ms})"),
                ));
            }
            Ok(())
        }
        Protocol::Sine {
            amp,
            freq_hz,
            phase_rad,
            offset,
        } => {
            check_values("amp", None, amp, Finite)?;
            check_number("freq", None, *freq_hz, Finite)?;
            check_number("phase", None, *phase_rad, Finite)?;
            check_values("offset", None, offset, Finite)
        }
        Protocol::OrnsteinUhlenbeck {
            mean,
            sigma,
            tau_ms,
        } => {
            check_values("mean", None, mean, Finite)?;
            check_values("sigma", None, sigma, NonNegative)?;
            check_number("tau", None, *tau_ms, Positive)
        }
        Protocol::Poisson { rate_hz, weight } => {
            check_values("rate", None, rate_hz, NonNegative)?;
            check_values("weight", None, weight, Finite)
        }
        Protocol::SpikeTimes { times_ms, weight } => {
            check_list("times", times_ms, Finite)?;
            check_values("weight", None, weight, Finite)
        }
    }
}

// ---------------------------------------------------------------------------
// Parser: hand-written recursive descent over bytes. It only ever steps over
// ASCII bytes, so every position it reports is a char boundary.

/// A function of the text syntax: its arguments in canonical order, and how
/// to build its protocol from parsed arguments.
struct Function {
    name: &'static str,
    args: &'static [&'static str],
    build: fn(&Args) -> Result<Protocol, InputError>,
}

const FUNCTIONS: &[Function] = &[
    Function {
        name: "constant",
        args: &["value"],
        build: |a| {
            Ok(Protocol::Constant {
                value: a.values("value")?,
            })
        },
    },
    Function {
        name: "sections",
        args: &["values", "durations"],
        build: |a| {
            Ok(Protocol::Sections {
                values: a.list("values", |node| node_values("values", node))?,
                durations_ms: a.number_list("durations")?,
            })
        },
    },
    Function {
        name: "pulses",
        args: &["amp", "start", "width", "period", "count"],
        build: |a| {
            Ok(Protocol::Pulses {
                amp: a.values("amp")?,
                start_ms: a.number("start")?,
                width_ms: a.number("width")?,
                period_ms: a.number("period")?,
                count: a.count("count")?,
            })
        },
    },
    Function {
        name: "ramp",
        args: &["from", "to", "start", "end"],
        build: |a| {
            Ok(Protocol::Ramp {
                from: a.values("from")?,
                to: a.values("to")?,
                start_ms: a.number("start")?,
                end_ms: a.number("end")?,
            })
        },
    },
    Function {
        name: "sine",
        args: &["amp", "freq", "phase", "offset"],
        build: |a| {
            Ok(Protocol::Sine {
                amp: a.values("amp")?,
                freq_hz: a.number("freq")?,
                phase_rad: a.optional_number("phase")?,
                offset: a.optional_values("offset")?,
            })
        },
    },
    Function {
        name: "ou",
        args: &["mean", "sigma", "tau"],
        build: |a| {
            Ok(Protocol::OrnsteinUhlenbeck {
                mean: a.values("mean")?,
                sigma: a.values("sigma")?,
                tau_ms: a.number("tau")?,
            })
        },
    },
    Function {
        name: "poisson",
        args: &["rate", "weight"],
        build: |a| {
            Ok(Protocol::Poisson {
                rate_hz: a.values("rate")?,
                weight: a.values("weight")?,
            })
        },
    },
    Function {
        name: "spikes",
        args: &["times", "weight"],
        build: |a| {
            Ok(Protocol::SpikeTimes {
                times_ms: a.number_list("times")?,
                weight: a.values("weight")?,
            })
        },
    },
];

/// Lists nest at most this deep (`sections(values=[0, [1, 2]])`); the limit
/// also keeps hostile input from overflowing the stack.
const MAX_LIST_DEPTH: usize = 2;

/// Largest `count` accepted: every whole number up to it is exact in `f64`.
const MAX_COUNT: f64 = 9_007_199_254_740_992.0;

enum Node {
    Number { value: f64, pos: usize },
    List { items: Vec<Node>, pos: usize },
}

impl Node {
    fn pos(&self) -> usize {
        match self {
            Node::Number { pos, .. } | Node::List { pos, .. } => *pos,
        }
    }
}

struct Arg {
    name: &'static str,
    value: Node,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_continue(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `["+" | "-"] digits ["." digits] [("e" | "E") ["+" | "-"] digits]`, where
/// either side of the point may be empty but not both.
fn is_number_syntax(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let mut mantissa_digits = digits(&mut i);
    if i < b.len() && b[i] == b'.' {
        i += 1;
        mantissa_digits += digits(&mut i);
    }
    if mantissa_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    /// How to name what stands at `pos` in an error message.
    fn found(&self, pos: usize) -> String {
        let rest = self.text.get(pos..).unwrap_or("");
        match rest.chars().next() {
            None => "the end of the input".into(),
            Some(c) if c.is_ascii_alphanumeric() || c == '_' => {
                let word: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .take(20)
                    .collect();
                format!("`{word}`")
            }
            Some(c) => format!("`{c}`"),
        }
    }

    fn expected(&self, what: &str) -> InputError {
        InputError::new(
            self.pos,
            format!("expected {what}, found {}", self.found(self.pos)),
        )
    }

    fn ident(&mut self) -> Option<&'a str> {
        let start = self.pos;
        if !self.peek().is_some_and(is_ident_start) {
            return None;
        }
        while self.peek().is_some_and(is_ident_continue) {
            self.pos += 1;
        }
        Some(&self.text[start..self.pos])
    }

    fn spec(&mut self) -> Result<InputSpec, InputError> {
        self.skip_ws();
        let target = self.target();
        let mut terms = Vec::new();
        loop {
            self.skip_ws();
            terms.push(self.term()?);
            self.skip_ws();
            match self.peek() {
                Some(b'+') => self.pos += 1,
                None => break,
                Some(_) => return Err(self.expected("`+` or the end of the input")),
            }
        }
        Ok(InputSpec { target, terms })
    }

    /// Reads `target:` if the spec starts with one, else leaves `pos` alone.
    fn target(&mut self) -> Option<String> {
        let start = self.pos;
        while self.ident().is_some() {
            if self.peek() != Some(b'.') {
                let end = self.pos;
                self.skip_ws();
                if self.peek() == Some(b':') {
                    self.pos += 1;
                    return Some(self.text[start..end].to_string());
                }
                break;
            }
            self.pos += 1;
        }
        self.pos = start;
        None
    }

    fn term(&mut self) -> Result<Protocol, InputError> {
        let name_pos = self.pos;
        let Some(name) = self.ident() else {
            return Err(self.expected("a function name like `constant(...)`"));
        };
        let Some(function) = FUNCTIONS.iter().find(|f| f.name == name) else {
            let known: Vec<&str> = FUNCTIONS.iter().map(|f| f.name).collect();
            return Err(InputError::new(
                name_pos,
                format!(
                    "unknown function `{name}`; known functions: {}",
                    known.join(", ")
                ),
            ));
        };
        self.skip_ws();
        if self.peek() != Some(b'(') {
            return Err(self.expected(&format!("`(` after `{}`", function.name)));
        }
        self.pos += 1;
        let args = Args {
            function: function.name,
            function_pos: name_pos,
            args: self.args(function)?,
        };
        let protocol = (function.build)(&args)?;
        validate(&protocol).map_err(|p| InputError::new(args.position(&p), p.message))?;
        Ok(protocol)
    }

    /// Parses the arguments after `(` up to and including `)`.
    fn args(&mut self, function: &'static Function) -> Result<Vec<Arg>, InputError> {
        let allowed = function.args;
        let mut args: Vec<Arg> = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b')') {
            self.pos += 1;
            return Ok(args);
        }
        loop {
            self.skip_ws();
            let name_pos = self.pos;
            let arg = if let Some(word) = self.ident() {
                let known = allowed.iter().copied().find(|a| *a == word);
                self.skip_ws();
                let has_equals = self.peek() == Some(b'=');
                let name = match known {
                    Some(name) if has_equals => name,
                    Some(name) => return Err(self.expected(&format!("`=` after `{name}`"))),
                    // A word where constant's positional value belongs.
                    None if !has_equals && function.name == "constant" => {
                        return Err(InputError::new(
                            name_pos,
                            format!(
                                "expected a number or `value=...`, found {}",
                                self.found(name_pos)
                            ),
                        ))
                    }
                    None => {
                        return Err(InputError::new(
                            name_pos,
                            format!(
                                "unknown argument `{word}` for `{}`; it takes {}",
                                function.name,
                                allowed.join(", ")
                            ),
                        ))
                    }
                };
                self.pos += 1;
                Arg {
                    name,
                    value: self.value(0)?,
                }
            } else {
                let value = self.value(0)?;
                if function.name != "constant" {
                    return Err(InputError::new(
                        name_pos,
                        format!(
                            "`{}` takes named arguments like `{}=...`; only constant(...) takes a positional value",
                            function.name, allowed[0]
                        ),
                    ));
                }
                if !args.is_empty() {
                    return Err(InputError::new(
                        name_pos,
                        "constant(...) takes a single value, as in constant(5)",
                    ));
                }
                Arg {
                    name: "value",
                    value,
                }
            };
            if args.iter().any(|a| a.name == arg.name) {
                return Err(InputError::new(
                    name_pos,
                    format!("duplicate argument `{}`", arg.name),
                ));
            }
            args.push(arg);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b')') => {
                    self.pos += 1;
                    return Ok(args);
                }
                _ => return Err(self.expected("`,` or `)`")),
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, InputError> {
        self.skip_ws();
        match self.peek() {
            Some(b'[') => {
                let pos = self.pos;
                if depth >= MAX_LIST_DEPTH {
                    return Err(InputError::new(
                        pos,
                        format!("lists nest at most {MAX_LIST_DEPTH} deep"),
                    ));
                }
                self.pos += 1;
                let mut items = Vec::new();
                self.skip_ws();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                    return Ok(Node::List { items, pos });
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.skip_ws();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Node::List { items, pos });
                        }
                        _ => return Err(self.expected("`,` or `]`")),
                    }
                }
            }
            Some(b) if b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.') => self.number(),
            _ => Err(self.expected("a number or `[`")),
        }
    }

    fn number(&mut self) -> Result<Node, InputError> {
        let pos = self.pos;
        self.pos += 1;
        // Take the whole run that could belong to the token, so that `1.2.3`
        // or `5abc` is reported as one malformed number; a sign only
        // continues a number right after an exponent marker.
        while let Some(b) = self.peek() {
            let after_exponent = matches!(self.text.as_bytes()[self.pos - 1], b'e' | b'E');
            if is_ident_continue(b) || b == b'.' || (after_exponent && matches!(b, b'+' | b'-')) {
                self.pos += 1;
            } else {
                break;
            }
        }
        let token = &self.text[pos..self.pos];
        let malformed = || InputError::new(pos, format!("malformed number `{token}`"));
        if !is_number_syntax(token) {
            return Err(malformed());
        }
        let value: f64 = token.parse().map_err(|_| malformed())?;
        if !value.is_finite() {
            return Err(InputError::new(
                pos,
                format!("number `{token}` is out of range"),
            ));
        }
        Ok(Node::Number { value, pos })
    }
}

/// The arguments of one call, converted on demand to the types each
/// protocol field needs.
struct Args {
    function: &'static str,
    function_pos: usize,
    args: Vec<Arg>,
}

impl Args {
    fn get(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|a| a.name == name)
    }

    fn required(&self, name: &str) -> Result<&Arg, InputError> {
        self.get(name).ok_or_else(|| {
            InputError::new(
                self.function_pos,
                format!("`{}` is missing argument `{name}`", self.function),
            )
        })
    }

    /// Where to report a validation problem: the list entry at fault, else
    /// the argument's value, else (for a defaulted argument) the function.
    fn position(&self, p: &ArgProblem) -> usize {
        match (self.get(p.arg), p.index) {
            (None, _) => self.function_pos,
            (
                Some(Arg {
                    value: Node::List { items, .. },
                    ..
                }),
                Some(i),
            ) if i < items.len() => items[i].pos(),
            (Some(arg), _) => arg.value.pos(),
        }
    }

    fn number(&self, name: &str) -> Result<f64, InputError> {
        match &self.required(name)?.value {
            Node::Number { value, .. } => Ok(*value),
            Node::List { pos, .. } => Err(InputError::new(
                *pos,
                format!("`{name}` takes a single number, not a list"),
            )),
        }
    }

    fn values(&self, name: &str) -> Result<Values, InputError> {
        node_values(name, &self.required(name)?.value)
    }

    fn optional_number(&self, name: &str) -> Result<f64, InputError> {
        match self.get(name) {
            Some(_) => self.number(name),
            None => Ok(0.0),
        }
    }

    fn optional_values(&self, name: &str) -> Result<Values, InputError> {
        match self.get(name) {
            Some(_) => self.values(name),
            None => Ok(Values::One(0.0)),
        }
    }

    fn list<T>(
        &self,
        name: &str,
        item: impl Fn(&Node) -> Result<T, InputError>,
    ) -> Result<Vec<T>, InputError> {
        match &self.required(name)?.value {
            Node::List { items, .. } => items.iter().map(item).collect(),
            Node::Number { pos, .. } => Err(InputError::new(
                *pos,
                format!("`{name}` takes a list like [10, 2]"),
            )),
        }
    }

    fn number_list(&self, name: &str) -> Result<Vec<f64>, InputError> {
        self.list(name, |node| match node {
            Node::Number { value, .. } => Ok(*value),
            Node::List { pos, .. } => Err(InputError::new(
                *pos,
                format!("`{name}` takes a flat list of numbers"),
            )),
        })
    }

    fn count(&self, name: &str) -> Result<Option<usize>, InputError> {
        if self.get(name).is_none() {
            return Ok(None);
        }
        let count = self.number(name)?;
        let pos = self.required(name)?.value.pos();
        if count < 0.0 || count.fract() != 0.0 {
            return Err(InputError::new(
                pos,
                format!("`{name}` must be a whole number of at least 0, got {count}"),
            ));
        }
        if count > MAX_COUNT {
            return Err(InputError::new(
                pos,
                format!("`{name}` must be at most {MAX_COUNT}, got {count}"),
            ));
        }
        // Whole, non-negative and at most 2^53, so the cast is exact.
        Ok(Some(count as usize))
    }
}

fn node_values(name: &str, node: &Node) -> Result<Values, InputError> {
    match node {
        Node::Number { value, .. } => Ok(Values::One(*value)),
        Node::List { items, pos } => {
            if items.is_empty() {
                return Err(InputError::new(
                    *pos,
                    format!("`{name}` has an empty list; give one number per neuron"),
                ));
            }
            items
                .iter()
                .map(|item| match item {
                    Node::Number { value, .. } => Ok(*value),
                    Node::List { pos, .. } => Err(InputError::new(
                        *pos,
                        format!(
                            "`{name}` takes a number or a flat list with one number per neuron"
                        ),
                    )),
                })
                .collect::<Result<Vec<f64>, InputError>>()
                .map(Values::PerNeuron)
        }
    }
}

// ---------------------------------------------------------------------------
// Runtime

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
fn per_neuron(values: &Values, n: usize, arg: &str) -> Result<Vec<f64>, String> {
    match values {
        Values::One(x) => Ok(vec![*x; n]),
        Values::PerNeuron(xs) if xs.len() == n => Ok(xs.clone()),
        Values::PerNeuron(xs) => Err(format!(
            "`{arg}` has {} per-neuron values but the population has N = {n} neurons",
            xs.len()
        )),
    }
}

impl Term {
    fn new(protocol: &Protocol, n: usize, dt_ms: f64) -> Result<Term, String> {
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
                    return Err(format!(
                        "`tau` ({tau_ms} ms) must exceed dt / 2 = {} ms, or the Euler-Maruyama update diverges",
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
                format!("dt_ms must be positive and finite, got {dt_ms}"),
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
                        InputError::new(
                            0,
                            format!("term {} ({}): {message}", i + 1, protocol.name()),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> InputSpec {
        InputSpec::parse(text).unwrap_or_else(|e| panic!("{text:?}: {}", e.render(text)))
    }

    /// The input at every step in `0..steps`, calling `fill` in order.
    fn run(text: &str, n: usize, dt_ms: f64, steps: usize, seed: u64) -> Vec<Vec<f64>> {
        let mut state = InputState::new(&parse(text), n, dt_ms, seed)
            .unwrap_or_else(|e| panic!("{text:?}: {e}"));
        let mut out = vec![f64::NAN; n];
        (0..steps)
            .map(|step| {
                state.fill(step, &mut out);
                out.clone()
            })
            .collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
    }

    mod deterministic {
        use super::*;

        /// Runs `text` and compares the per-neuron values at chosen steps.
        fn check(text: &str, n: usize, dt_ms: f64, want: &[(usize, &[f64])]) {
            let last = want.iter().map(|(step, _)| *step).max().unwrap_or(0);
            let got = run(text, n, dt_ms, last + 1, 0);
            for (step, values) in want {
                let g = &got[*step];
                assert!(
                    g.len() == values.len()
                        && g.iter().zip(values.iter()).all(|(a, b)| close(*a, *b)),
                    "{text:?} at step {step}: got {g:?}, want {values:?}"
                );
            }
        }

        #[test]
        fn constant() {
            check(
                "constant(5)",
                2,
                0.1,
                &[(0, &[5.0, 5.0]), (1000, &[5.0, 5.0])],
            );
            check(
                "constant(value=-1.5)",
                1,
                0.1,
                &[(0, &[-1.5]), (7, &[-1.5])],
            );
            check(
                "constant([1, 2, 3])",
                3,
                0.1,
                &[(0, &[1.0, 2.0, 3.0]), (9, &[1.0, 2.0, 3.0])],
            );
            check(
                "constant(1) + constant([1, 2])",
                2,
                0.1,
                &[(0, &[2.0, 3.0])],
            );
        }

        #[test]
        fn sections() {
            let pulse: &[f64] = &[1.0, 2.0];
            check(
                "sections(values=[0, [1, 2], 0], durations=[1, 0.5, 1])",
                2,
                0.1,
                &[
                    (0, &[0.0, 0.0]),
                    (9, &[0.0, 0.0]),
                    (10, pulse),
                    (14, pulse),
                    (15, &[0.0, 0.0]),
                ],
            );
            // Lengths truncate like Python's int(): 0.3 / 0.1 is
            // 2.9999999999999996, so the first section lasts 2 steps.
            check(
                "sections(values=[1, 2], durations=[0.3, 0.2])",
                1,
                0.1,
                &[
                    (0, &[1.0]),
                    (1, &[1.0]),
                    (2, &[2.0]),
                    (3, &[2.0]),
                    (4, &[0.0]),
                    (100, &[0.0]),
                ],
            );
            // A section shorter than a step is skipped.
            check(
                "sections(values=[7, 3], durations=[0.05, 1])",
                1,
                0.1,
                &[(0, &[3.0]), (9, &[3.0]), (10, &[0.0])],
            );
        }

        #[test]
        fn pulses() {
            let (on, off): (&[f64], &[f64]) = (&[2.0], &[0.0]);
            let text = "pulses(amp=2, start=1, width=0.3, period=1, count=3)";
            check(
                text,
                1,
                0.1,
                &[
                    (9, off),
                    (10, on),
                    (12, on),
                    (13, off),
                    (20, on),
                    (22, on),
                    (23, off),
                    (30, on),
                    (32, on),
                    (33, off),
                    (40, off),
                ],
            );
            check(
                "pulses(amp=[1, -1], start=0, width=0.2, period=0.5)",
                2,
                0.1,
                &[
                    (0, &[1.0, -1.0]),
                    (2, &[0.0, 0.0]),
                    (5, &[1.0, -1.0]),
                    (5000, &[1.0, -1.0]),
                ],
            );
            check(
                "pulses(amp=1, start=0, width=1, period=2, count=0)",
                1,
                0.1,
                &[(0, off)],
            );
            // Overlapping pulses (width > period) merge rather than add.
            check(
                "pulses(amp=1, start=0, width=3, period=2)",
                1,
                0.5,
                &[(0, &[1.0]), (5, &[1.0]), (99, &[1.0])],
            );
        }

        /// t = step * dt drifts (3000 * 0.1 != 300.00000000000006, the start
        /// of pulse 1000), but pulse edges are step indices and stay put.
        #[test]
        fn pulses_do_not_drift() {
            let got = run(
                "pulses(amp=1, start=0, width=0.1, period=0.3)",
                1,
                0.1,
                3010,
                0,
            );
            for (step, values) in got.iter().enumerate() {
                let want = if step % 3 == 0 { 1.0 } else { 0.0 };
                assert_eq!(values[0], want, "step {step}");
            }
        }

        #[test]
        fn ramp() {
            let text = "ramp(from=[0, 1], to=10, start=1, end=2)";
            check(
                text,
                2,
                0.1,
                &[
                    (0, &[0.0, 1.0]),
                    (10, &[0.0, 1.0]),
                    (15, &[5.0, 5.5]),
                    (19, &[9.0, 9.1]),
                    (20, &[10.0, 10.0]),
                    (300, &[10.0, 10.0]),
                ],
            );
            // start == end is a step change on the step that reaches it.
            check(
                "ramp(from=0, to=1, start=0.3, end=0.3)",
                1,
                0.1,
                &[(2, &[0.0]), (3, &[1.0])],
            );
        }

        #[test]
        fn sine() {
            // 10 Hz: a quarter period is 25 ms, i.e. 50 steps of 0.5 ms.
            check(
                "sine(amp=2, freq=10, offset=[0, 1])",
                2,
                0.5,
                &[
                    (0, &[0.0, 1.0]),
                    (50, &[2.0, 3.0]),
                    (100, &[0.0, 1.0]),
                    (150, &[-2.0, -1.0]),
                ],
            );
            check(
                "sine(amp=[1, 3], freq=0, phase=1.5707963267948966)",
                2,
                0.1,
                &[(0, &[1.0, 3.0]), (77, &[1.0, 3.0])],
            );
        }

        #[test]
        fn sum_of_terms() {
            check(
                "I: constant(1) + pulses(amp=2, start=1, width=1, period=5) + ramp(from=0, to=1, start=0, end=1)",
                1,
                0.5,
                &[(0, &[1.0]), (1, &[1.5]), (2, &[4.0]), (4, &[2.0])],
            );
        }
    }

    /// The Hodgkin–Huxley homework protocol: 37 ms at dt 0.1 is 370 steps,
    /// rest for 100, a 2 ms pulse with per-neuron amplitudes, rest again.
    #[test]
    fn sections_reproduce_hh_homework_protocol() {
        let text = "sections(values=[0, [1, 2, 4, 8, 10, 15], 0], durations=[10, 2, 25])";
        let amps = [1.0, 2.0, 4.0, 8.0, 10.0, 15.0];
        let got = run(text, 6, 0.1, 400, 0);
        for (step, values) in got.iter().enumerate() {
            let want = if (100..120).contains(&step) {
                amps
            } else {
                [0.0; 6]
            };
            assert_eq!(values, &want, "step {step}");
        }
    }

    mod spike_times {
        use super::*;

        /// The steps that receive input and the value there (one neuron).
        fn check(times: &str, dt_ms: f64, want: &[(usize, f64)]) {
            let text = format!("spikes(times={times}, weight=1.5)");
            let got: Vec<(usize, f64)> = run(&text, 1, dt_ms, 100, 0)
                .iter()
                .enumerate()
                .filter(|(_, v)| v[0] != 0.0)
                .map(|(step, v)| (step, v[0]))
                .collect();
            assert_eq!(got, want, "{text}");
        }

        #[test]
        fn cases() {
            check("[]", 0.1, &[]);
            // First step with t >= time; 0.3 and 0.7 are not multiples of
            // 0.1 in floating point but land on steps 3 and 7.
            check(
                "[0, 0.3, 0.7, 2.55]",
                0.1,
                &[(0, 1.5), (3, 1.5), (7, 1.5), (26, 1.5)],
            );
            // Unsorted, repeated and negative times.
            check("[5, 1, 1, -3]", 1.0, &[(0, 1.5), (1, 3.0), (5, 1.5)]);
            check("[0.25, 0.26]", 0.25, &[(1, 1.5), (2, 1.5)]);
        }

        #[test]
        fn every_neuron_gets_its_weight() {
            let got = run("spikes(times=[0.2], weight=[1, -2, 3])", 3, 0.1, 4, 0);
            assert_eq!(got[2], vec![1.0, -2.0, 3.0]);
            assert_eq!(got[3], vec![0.0; 3]);
        }
    }

    mod ornstein_uhlenbeck {
        use super::*;

        /// Sample mean and std over all neurons and the steps after
        /// `burn_in`, against the stationary values `mean` and `sigma`.
        fn check(
            text: &str,
            n: usize,
            dt_ms: f64,
            steps: usize,
            burn_in: usize,
            want: (f64, f64),
            tol: (f64, f64),
        ) {
            let got = run(text, n, dt_ms, steps, 7);
            let samples: Vec<f64> = got[burn_in..].iter().flatten().copied().collect();
            let count = samples.len() as f64;
            let mean = samples.iter().sum::<f64>() / count;
            let std = (samples.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / count).sqrt();
            assert!(
                (mean - want.0).abs() <= tol.0,
                "{text}: mean {mean}, want {} ± {}",
                want.0,
                tol.0
            );
            assert!(
                (std - want.1).abs() <= tol.1,
                "{text}: std {std}, want {} ± {}",
                want.1,
                tol.1
            );
        }

        #[test]
        fn stationary_statistics() {
            // 200 neurons x 250 ms after a 50 ms (10 tau) burn-in: with a
            // correlation time of tau = 5 ms that is about 200 * 250 / 10 =
            // 5000 independent samples, so the mean's standard error is
            // sigma / 70 = 0.03 and the std's about 1 % of sigma. The
            // tolerances are 5 standard errors; the Euler-Maruyama bias
            // (0.5 % here, see the module docs) fits inside.
            check(
                "ou(mean=3, sigma=2, tau=5)",
                200,
                0.1,
                3000,
                500,
                (3.0, 2.0),
                (0.15, 0.1),
            );
            check(
                "ou(mean=-1, sigma=0.5, tau=20)",
                400,
                0.5,
                1000,
                200,
                (-1.0, 0.5),
                (0.05, 0.03),
            );
            // No noise: each neuron sits at its own mean.
            check(
                "ou(mean=4, sigma=0, tau=5)",
                3,
                0.1,
                100,
                0,
                (4.0, 0.0),
                (1e-12, 1e-12),
            );
        }

        #[test]
        fn starts_at_mean_per_neuron() {
            let got = run("ou(mean=[1, -1], sigma=[1, 0], tau=5)", 2, 0.1, 50, 3);
            assert_eq!(got[0], vec![1.0, -1.0]);
            assert!(got[1..].iter().all(|v| v[1] == -1.0));
            assert!(got[1..].iter().any(|v| v[0] != 1.0));
        }

        #[test]
        fn seed_decides_output() {
            let text = "ou(mean=0, sigma=1, tau=5) + poisson(rate=100, weight=1)";
            let a = run(text, 5, 0.1, 200, 42);
            assert_eq!(a, run(text, 5, 0.1, 200, 42));
            assert_ne!(a, run(text, 5, 0.1, 200, 43));
        }
    }

    mod poisson {
        use super::*;

        /// Spike counts per neuron over `steps` against a binomial with
        /// p = rate * dt / 1000, within 5 standard deviations.
        fn check(text: &str, rates_hz: &[f64], weights: &[f64], dt_ms: f64, steps: usize) {
            let n = rates_hz.len();
            let got = run(text, n, dt_ms, steps, 11);
            for i in 0..n {
                let values: Vec<f64> = got.iter().map(|v| v[i]).collect();
                assert!(
                    values.iter().all(|&v| v == 0.0 || v == weights[i]),
                    "{text}: neuron {i} got a value other than 0 or its weight"
                );
                let spikes = values.iter().filter(|&&v| v != 0.0).count() as f64;
                let p = rates_hz[i] * dt_ms / 1000.0;
                let expected = steps as f64 * p;
                let sd = (steps as f64 * p * (1.0 - p)).sqrt();
                assert!(
                    (spikes - expected).abs() <= 5.0 * sd,
                    "{text}: neuron {i} spiked {spikes} times, want {expected} ± {}",
                    5.0 * sd
                );
            }
        }

        #[test]
        fn empirical_rate() {
            check(
                "poisson(rate=50, weight=1)",
                &[50.0; 20],
                &[1.0; 20],
                0.1,
                20_000,
            );
            check(
                "poisson(rate=[0, 200, 10], weight=[1, 3, -2])",
                &[0.0, 200.0, 10.0],
                &[1.0, 3.0, -2.0],
                0.5,
                20_000,
            );
            // p = 1: a spike every step.
            check(
                "poisson(rate=10000, weight=2)",
                &[10000.0],
                &[2.0],
                0.1,
                100,
            );
        }
    }

    mod state_errors {
        use super::*;

        fn check(spec: &InputSpec, n: usize, dt_ms: f64, want: &[&str]) {
            let Err(err) = InputState::new(spec, n, dt_ms, 0) else {
                panic!("{spec} with n = {n}, dt = {dt_ms} was accepted");
            };
            for part in want {
                assert!(
                    err.message.contains(part),
                    "{spec}: {:?} lacks {part:?}",
                    err.message
                );
            }
        }

        #[test]
        fn cases() {
            let amp2 = parse("pulses(amp=[1, 2], start=0, width=1, period=2)");
            check(
                &amp2,
                3,
                0.1,
                &["term 1 (pulses)", "`amp`", "has 2", "N = 3"],
            );
            let hh = parse("constant(1) + sections(values=[0, [1, 2, 4], 0], durations=[1, 1, 1])");
            check(
                &hh,
                2,
                0.1,
                &["term 2 (sections)", "`values[1]`", "has 3", "N = 2"],
            );
            check(
                &parse("sine(amp=1, freq=1, offset=[1, 2])"),
                1,
                0.1,
                &["`offset`", "has 2", "N = 1"],
            );
            check(
                &parse("ou(mean=0, sigma=1, tau=0.04)"),
                1,
                0.1,
                &["`tau`", "0.05"],
            );
            check(&parse("constant(1)"), 1, 0.0, &["dt_ms"]);
            check(&parse("constant(1)"), 1, f64::NAN, &["dt_ms"]);
            // Specs built in code get the parser's checks.
            let negative_sigma = InputSpec {
                target: None,
                terms: vec![Protocol::OrnsteinUhlenbeck {
                    mean: Values::One(0.0),
                    sigma: Values::PerNeuron(vec![1.0, -1.0]),
                    tau_ms: 5.0,
                }],
            };
            check(&negative_sigma, 2, 0.1, &["`sigma` must not be negative"]);
            let infinite = InputSpec {
                target: None,
                terms: vec![Protocol::Constant {
                    value: Values::One(f64::INFINITY),
                }],
            };
            check(&infinite, 1, 0.1, &["`value` must be a finite number"]);
        }
    }

    mod parse_errors {
        use super::*;

        fn check(text: &str, position: usize, message: &str) {
            match InputSpec::parse(text) {
                Ok(spec) => panic!("{text:?} parsed as {spec:?}"),
                Err(err) => assert!(
                    err.position == position && err.message.contains(message),
                    "{text:?}: got {err}, want position {position} and {message:?}"
                ),
            }
        }

        #[test]
        fn cases() {
            check("", 0, "expected a function name");
            check("   ", 3, "expected a function name");
            check("I_ext: ", 7, "found the end of the input");
            check("constant(1) + foo(2)", 14, "unknown function `foo`");
            check("constant 5", 9, "expected `(` after `constant`");
            check(
                "sine(amp=1, freq=)",
                17,
                "expected a number or `[`, found `)`",
            );
            check(
                "sine(amp=1, freq=10, amp=2)",
                21,
                "duplicate argument `amp`",
            );
            check(
                "sine(amp=1, freq=10, bogus=2)",
                21,
                "unknown argument `bogus` for `sine`",
            );
            check("sine(amp=1)", 0, "`sine` is missing argument `freq`");
            check("I: sine(amp=1)", 3, "missing argument `freq`");
            check("sine(1, freq=2)", 5, "takes named arguments");
            check(
                "sine(amp=1 freq=2)",
                11,
                "expected `,` or `)`, found `freq`",
            );
            check("sine(amp 1, freq=2)", 9, "expected `=` after `amp`");
            check(
                "constant(5) garbage",
                12,
                "expected `+` or the end of the input, found `garbage`",
            );
            check("constant(5) +", 13, "found the end of the input");
            check("constant(5) + é", 14, "found `é`");
            check("constant(5", 10, "expected `,` or `)`");
            check("constant(5, 6)", 12, "single value");
            check("constant(1.2.3)", 9, "malformed number `1.2.3`");
            check("constant(5abc)", 9, "malformed number `5abc`");
            check("constant(-)", 9, "malformed number `-`");
            check("constant(1e999)", 9, "out of range");
            check(
                "constant(inf)",
                9,
                "expected a number or `value=...`, found `inf`",
            );
            check(
                "sine(amp=1, freq=nan)",
                17,
                "expected a number or `[`, found `nan`",
            );
            check("constant([[[1]]])", 11, "nest at most 2");
            check("constant([])", 9, "empty list");
            check("sine(amp=[1, [2]], freq=1)", 13, "flat list");
            check("sine(amp=1, freq=[1, 2])", 17, "single number");
            check(
                "ou(mean=0, sigma=-1, tau=5)",
                17,
                "`sigma` must not be negative",
            );
            check(
                "ou(mean=0, sigma=[1, -1], tau=5)",
                21,
                "`sigma` must not be negative",
            );
            check("ou(mean=0, sigma=1, tau=0)", 24, "`tau` must be positive");
            check(
                "poisson(rate=-5, weight=1)",
                13,
                "`rate` must not be negative",
            );
            check(
                "pulses(amp=1, start=0, width=-2, period=3)",
                29,
                "`width` must not be negative",
            );
            check(
                "pulses(amp=1, start=0, width=2, period=0)",
                39,
                "`period` must be positive",
            );
            check(
                "pulses(amp=1, start=0, width=2, period=10, count=2.5)",
                49,
                "whole number",
            );
            check(
                "sections(values=[0, 1], durations=[10, -2])",
                39,
                "`durations` must not be negative",
            );
            check(
                "sections(values=[1, 2], durations=[1])",
                34,
                "one duration per value",
            );
            check("sections(values=[], durations=[])", 16, "at least one");
            check(
                "ramp(from=0, to=1, start=5, end=4)",
                32,
                "must not come before",
            );
            check("spikes(times=3, weight=1)", 13, "takes a list");
        }

        #[test]
        fn render_points_at_the_position() {
            let text = "sine(amp=1, freq=)";
            let err = InputSpec::parse(text).unwrap_err();
            assert_eq!(
                err.render(text),
                "sine(amp=1, freq=)\n                 ^ expected a number or `[`, found `)`"
            );
            assert_eq!(
                err.to_string(),
                "expected a number or `[`, found `)` (at position 17)"
            );
        }
    }

    mod canonical_form {
        use super::*;

        /// `text` parses, displays as `canonical`, and that parses back
        /// to the same spec.
        fn check(text: &str, canonical: &str) {
            let spec = parse(text);
            assert_eq!(spec.to_string(), canonical, "{text:?}");
            assert_eq!(
                canonical.parse::<InputSpec>().as_ref(),
                Ok(&spec),
                "{canonical:?}"
            );
        }

        #[test]
        fn cases() {
            check("constant(5)", "constant(5)");
            check(" constant ( value = +5.0 ) ", "constant(5)");
            check("E.input:constant([1,2])", "E.input: constant([1, 2])");
            check(
                "sections(values=[0,[1,2,4,8,10,15],0],durations=[10,2,25])",
                "sections(values=[0, [1, 2, 4, 8, 10, 15], 0], durations=[10, 2, 25])",
            );
            check(
                "pulses(count=3, period=20, width=1, start=5, amp=10)",
                "pulses(amp=10, start=5, width=1, period=20, count=3)",
            );
            check(
                "sine(amp=1, freq=10, phase=0, offset=0)",
                "sine(amp=1, freq=10)",
            );
            check(
                "sine(amp=1, freq=10, offset=[0, 0])",
                "sine(amp=1, freq=10, offset=[0, 0])",
            );
            check(
                "ou(mean=.5, sigma=1E-7, tau=1e20)",
                "ou(mean=0.5, sigma=1e-7, tau=1e20)",
            );
            check(
                "ramp(from=0, to=1, start=-0, end=0.1)",
                "ramp(from=0, to=1, start=0, end=0.1)",
            );
            check(
                "poisson(rate=5, weight=1)+spikes(times=[], weight=2)",
                "poisson(rate=5, weight=1) + spikes(times=[], weight=2)",
            );
        }

        #[test]
        fn help_examples_parse() {
            let examples = SYNTAX_HELP
                .split("Examples:\n")
                .nth(1)
                .expect("an Examples section");
            let mut count = 0;
            for line in examples.lines().map(str::trim).filter(|l| !l.is_empty()) {
                parse(line);
                count += 1;
            }
            assert!(count >= 8);
        }
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn finite() -> BoxedStrategy<f64> {
            prop_oneof![
                -1e3..1e3f64,
                any::<f64>().prop_filter("finite", |x| x.is_finite()),
                Just(0.0),
                Just(-0.0),
                Just(5e-324),
                Just(f64::MAX),
            ]
            .boxed()
        }

        fn non_negative() -> BoxedStrategy<f64> {
            finite().prop_map(f64::abs).boxed()
        }

        fn positive() -> BoxedStrategy<f64> {
            non_negative().prop_filter("positive", |x| *x > 0.0).boxed()
        }

        fn values(item: BoxedStrategy<f64>) -> BoxedStrategy<Values> {
            prop_oneof![
                item.clone().prop_map(Values::One),
                prop::collection::vec(item, 1..4).prop_map(Values::PerNeuron),
            ]
            .boxed()
        }

        fn protocol() -> impl Strategy<Value = Protocol> {
            let times = || prop::collection::vec(finite(), 0..4);
            prop_oneof![
                values(finite()).prop_map(|value| Protocol::Constant { value }),
                prop::collection::vec((values(finite()), non_negative()), 1..4).prop_map(|s| {
                    let (values, durations_ms) = s.into_iter().unzip();
                    Protocol::Sections {
                        values,
                        durations_ms,
                    }
                }),
                (
                    values(finite()),
                    finite(),
                    non_negative(),
                    positive(),
                    prop::option::of(0..=u32::MAX as usize)
                )
                    .prop_map(|(amp, start_ms, width_ms, period_ms, count)| {
                        Protocol::Pulses {
                            amp,
                            start_ms,
                            width_ms,
                            period_ms,
                            count,
                        }
                    }),
                (values(finite()), values(finite()), finite(), finite()).prop_map(
                    |(from, to, a, b)| Protocol::Ramp {
                        from,
                        to,
                        start_ms: a.min(b),
                        end_ms: a.max(b)
                    }
                ),
                (values(finite()), finite(), finite(), values(finite())).prop_map(
                    |(amp, freq_hz, phase_rad, offset)| {
                        Protocol::Sine {
                            amp,
                            freq_hz,
                            phase_rad,
                            offset,
                        }
                    }
                ),
                (values(finite()), values(non_negative()), positive()).prop_map(
                    |(mean, sigma, tau_ms)| Protocol::OrnsteinUhlenbeck {
                        mean,
                        sigma,
                        tau_ms
                    }
                ),
                (values(non_negative()), values(finite()))
                    .prop_map(|(rate_hz, weight)| Protocol::Poisson { rate_hz, weight }),
                (times(), values(finite()))
                    .prop_map(|(times_ms, weight)| Protocol::SpikeTimes { times_ms, weight }),
            ]
        }

        fn spec() -> impl Strategy<Value = InputSpec> {
            (
                prop::option::of("[A-Za-z_][A-Za-z0-9_]{0,6}(\\.[A-Za-z_][A-Za-z0-9_]{0,6}){0,2}"),
                prop::collection::vec(protocol(), 1..4),
            )
                .prop_map(|(target, terms)| InputSpec { target, terms })
        }

        /// Canonical texts of valid specs with a few characters deleted,
        /// pieces of the syntax inserted, or the tail cut off: near misses
        /// that get deep into the parser, and some that still parse.
        fn mutated() -> impl Strategy<Value = String> {
            let pieces = "constant sections pulses ramp sine ou poisson spikes value amp start \
                tau rate weight times ( ) [ ] , = + : . - e 1 0 2.5 1e3 -4 [1, 2]";
            let pieces: Vec<&str> = pieces.split_whitespace().chain([" "]).collect();
            let edit = (
                any::<prop::sample::Index>(),
                0..3u8,
                prop::sample::select(pieces),
            );
            (spec(), prop::collection::vec(edit, 0..3)).prop_map(|(spec, edits)| {
                // The canonical text is ASCII, so every byte offset is a
                // char boundary.
                let mut text = spec.to_string();
                for (at, kind, piece) in edits {
                    let at = at.index(text.len() + 1);
                    match kind {
                        0 if at < text.len() => {
                            text.remove(at);
                        }
                        1 => text.insert_str(at, piece),
                        _ => text.truncate(at),
                    }
                }
                text
            })
        }

        /// Parsing never panics, and whatever parses round-trips.
        fn check(text: &str) -> Result<(), TestCaseError> {
            if let Ok(spec) = InputSpec::parse(text) {
                let canonical = spec.to_string();
                prop_assert_eq!(
                    InputSpec::parse(&canonical),
                    Ok(spec),
                    "{:?} -> {:?}",
                    text,
                    canonical
                );
            }
            Ok(())
        }

        proptest! {
            #[test]
            fn arbitrary_strings(text in any::<String>()) {
                check(&text)?;
            }

            #[test]
            fn near_misses(text in mutated()) {
                check(&text)?;
            }

            #[test]
            fn deep_nesting(depth in 0usize..10_000) {
                check(&format!("constant({}", "[".repeat(depth)))?;
            }

            #[test]
            fn specs_round_trip(spec in spec()) {
                let text = spec.to_string();
                prop_assert_eq!(InputSpec::parse(&text), Ok(spec), "{}", text);
            }
        }
    }
}
