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
//! term   := name "(" [arg ("," arg)*] ")"
//! arg    := ident "=" value              constant(...) also takes one positional value
//! value  := number | "[" value ("," value)* "]"
//! number := ["+" | "-"] digits ["." digits] [("e" | "E") ["+" | "-"] digits]
//! ```
//!
//! Whitespace between tokens is ignored. Times are in ms, `freq` and `rate`
//! in Hz, `phase` in radians. The terms are summed. The target names the
//! parameter the input drives; it is kept for the caller and not used here.
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
//! `period`, `sigma` and `rate` must not be negative, `tau` and `period` must
//! be positive, `end` must not come before `start`, and `count` is a whole
//! number.
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
//! offset (0-based) where it was found; the parser never panics.
//! [`InputSpec`]'s `Display` writes a canonical form that parses back to an
//! equal spec.
//!
//! # Stochastic terms
//!
//! `ou` gives every neuron its own process starting at `mean`, advanced once
//! per step with Euler–Maruyama:
//! `x += (mean - x) * dt / tau + sigma * sqrt(2 * dt / tau) * N(0, 1)`.
//! The noise scale makes the stationary standard deviation `sigma`: the
//! discrete update's stationary variance is `sigma² / (1 - dt / (2 tau))`, so
//! the standard deviation is about `dt / (4 tau)` too large (0.25 % at
//! dt = 0.1 ms, tau = 10 ms), and the update diverges unless `dt < 2 tau`.
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
    One(f64),
    PerNeuron(Vec<f64>),
}

/// One term of an input spec. Field units are in the names; amplitude-like
/// fields are [`Values`].
#[derive(Clone, Debug, PartialEq)]
pub enum Protocol {
    Constant {
        value: Values,
    },
    Sections {
        values: Vec<Values>,
        durations_ms: Vec<f64>,
    },
    Pulses {
        amp: Values,
        start_ms: f64,
        width_ms: f64,
        period_ms: f64,
        count: Option<usize>,
    },
    Ramp {
        from: Values,
        to: Values,
        start_ms: f64,
        end_ms: f64,
    },
    Sine {
        amp: Values,
        freq_hz: f64,
        phase_rad: f64,
        offset: Values,
    },
    OrnsteinUhlenbeck {
        mean: Values,
        sigma: Values,
        tau_ms: f64,
    },
    Poisson {
        rate_hz: Values,
        weight: Values,
    },
    SpikeTimes {
        times_ms: Vec<f64>,
        weight: Values,
    },
}

/// A parsed input spec: an optional target parameter and the terms to sum.
#[derive(Clone, Debug, PartialEq)]
pub struct InputSpec {
    pub target: Option<String>,
    pub terms: Vec<Protocol>,
}

/// Why a spec was rejected. `position` is the 0-based byte offset in the
/// parsed text; errors from [`InputState::new`], which sees no text, use 0.
#[derive(Clone, Debug, PartialEq)]
pub struct InputError {
    pub message: String,
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

impl Protocol {
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

/// The functions and the arguments each accepts, in canonical order.
const SIGNATURES: &[(&str, &[&str])] = &[
    ("constant", &["value"]),
    ("sections", &["values", "durations"]),
    ("pulses", &["amp", "start", "width", "period", "count"]),
    ("ramp", &["from", "to", "start", "end"]),
    ("sine", &["amp", "freq", "phase", "offset"]),
    ("ou", &["mean", "sigma", "tau"]),
    ("poisson", &["rate", "weight"]),
    ("spikes", &["times", "weight"]),
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
    name_pos: usize,
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

impl Parser<'_> {
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

    fn ident(&mut self) -> Option<&str> {
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
        let Some(&(name, allowed)) = SIGNATURES.iter().find(|(n, _)| *n == name) else {
            let known: Vec<&str> = SIGNATURES.iter().map(|(n, _)| *n).collect();
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
            return Err(self.expected(&format!("`(` after `{name}`")));
        }
        self.pos += 1;
        let args = self.args(name, allowed)?;
        let args = Args {
            function: name,
            function_pos: name_pos,
            args,
        };
        let protocol = args.build()?;
        validate(&protocol).map_err(|p| InputError::new(args.position(&p), p.message))?;
        Ok(protocol)
    }

    /// Parses the arguments after `(` up to and including `)`.
    fn args(
        &mut self,
        function: &'static str,
        allowed: &'static [&'static str],
    ) -> Result<Vec<Arg>, InputError> {
        let mut args: Vec<Arg> = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b')') {
            self.pos += 1;
            return Ok(args);
        }
        loop {
            self.skip_ws();
            let name_pos = self.pos;
            let arg = if let Some(name) = self.ident() {
                let Some(&name) = allowed.iter().find(|a| **a == name) else {
                    return Err(InputError::new(
                        name_pos,
                        format!(
                            "unknown argument `{name}` for `{function}`; it takes {}",
                            allowed.join(", ")
                        ),
                    ));
                };
                self.skip_ws();
                if self.peek() != Some(b'=') {
                    return Err(self.expected(&format!("`=` after `{name}`")));
                }
                self.pos += 1;
                Arg {
                    name,
                    name_pos,
                    value: self.value(0)?,
                }
            } else {
                let value = self.value(0)?;
                if function != "constant" {
                    return Err(InputError::new(
                        name_pos,
                        format!(
                            "`{function}` takes named arguments like `{}=...`; only constant(...) takes a positional value",
                            allowed[0]
                        ),
                    ));
                }
                Arg {
                    name: "value",
                    name_pos,
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
            (Some(Arg { value: Node::List { items, .. }, .. }), Some(i)) if i < items.len() => {
                items[i].pos()
            }
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

    fn build(&self) -> Result<Protocol, InputError> {
        Ok(match self.function {
            "constant" => Protocol::Constant {
                value: self.values("value")?,
            },
            "sections" => Protocol::Sections {
                values: self.list("values", |node| node_values("values", node))?,
                durations_ms: self.number_list("durations")?,
            },
            "pulses" => Protocol::Pulses {
                amp: self.values("amp")?,
                start_ms: self.number("start")?,
                width_ms: self.number("width")?,
                period_ms: self.number("period")?,
                count: self.count("count")?,
            },
            "ramp" => Protocol::Ramp {
                from: self.values("from")?,
                to: self.values("to")?,
                start_ms: self.number("start")?,
                end_ms: self.number("end")?,
            },
            "sine" => Protocol::Sine {
                amp: self.values("amp")?,
                freq_hz: self.number("freq")?,
                phase_rad: self.optional_number("phase")?,
                offset: self.optional_values("offset")?,
            },
            "ou" => Protocol::OrnsteinUhlenbeck {
                mean: self.values("mean")?,
                sigma: self.values("sigma")?,
                tau_ms: self.number("tau")?,
            },
            "poisson" => Protocol::Poisson {
                rate_hz: self.values("rate")?,
                weight: self.values("weight")?,
            },
            "spikes" => Protocol::SpikeTimes {
                times_ms: self.number_list("times")?,
                weight: self.values("weight")?,
            },
            other => unreachable!("`{other}` is in SIGNATURES but has no builder"),
        })
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
    /// Prepares `spec` for `n` neurons at time step `dt_ms`. Fails if a
    /// per-neuron list's length is not `n`, `dt_ms` is not positive, or the
    /// spec breaks a rule the parser enforces (for specs built in code).
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
        assert_eq!(out.len(), self.n, "fill: `out` must have one slot per neuron");
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
                    let spikes = (last - first) as f64;
                    if spikes > 0.0 {
                        for (o, w) in out.iter_mut().zip(weight.iter()) {
                            *o += w * spikes;
                        }
                    }
                }
            }
        }
    }
}
