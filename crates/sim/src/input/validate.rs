//! Checks of a protocol's arguments, shared by the parser and `InputState::new`, so that a spec
//! built in code gets the same checks as one parsed from text.

use super::{Protocol, Values};
use crate::message::Message;
use crate::msg;

/// A rejected argument; `index` points into a list argument when one entry
/// is at fault, so the parser can report that entry's position.
pub(super) struct ArgProblem {
    pub(super) arg: &'static str,
    pub(super) index: Option<usize>,
    pub(super) message: Message,
}

fn problem(arg: &'static str, index: Option<usize>, message: Message) -> ArgProblem {
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
    let fail = |(what, what_zh): (&str, &str)| {
        Err(problem(
            arg,
            index,
            msg!("`{arg}` {what}, got {x}", "`{arg}` {what_zh}，这里是 {x}"),
        ))
    };
    if !x.is_finite() {
        return fail(("must be a finite number", "必须是有限的数"));
    }
    match bound {
        Bound::Finite => Ok(()),
        Bound::NonNegative if x < 0.0 => fail(("must not be negative", "不能为负")),
        Bound::Positive if x <= 0.0 => fail(("must be positive", "必须为正")),
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
                    msg!(
                        "`{arg}` has an empty per-neuron list",
                        "`{arg}` 的逐神经元列表是空的"
                    ),
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

pub(super) fn validate(protocol: &Protocol) -> Result<(), ArgProblem> {
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
                    msg!(
                        "`sections` needs at least one value and duration",
                        "`sections` 至少需要一个值和一个时长"
                    ),
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
                    msg!(
                        "`values` has {} entries but `durations` has {}; give one duration per value",
                        "`values` 有 {} 项，而 `durations` 有 {} 项；每个值要配一个时长",
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
                    msg!(
                        "`end` ({end_ms}) must not come before `start` ({start_ms})",
                        "`end`（{end_ms}）不能早于 `start`（{start_ms}）"
                    ),
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
