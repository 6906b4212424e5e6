//! An input protocol (`crate::input`) as a NumPy function giving the value added to the input
//! parameter at every step, one row per step and one column per neuron. Deterministic terms
//! follow the same step rules as `input::state` (so the values are the page's); the random ones
//! (`ou`, `poisson`) draw from NumPy's generator, so they are the same process, not the same
//! numbers.

use std::fmt::Write;

use brainplay_sim::display::number;
use brainplay_sim::input::{InputSpec, Protocol, Values};

use super::float_array as list;

fn values(v: &Values) -> String {
    match v {
        Values::One(x) => number(*x),
        Values::PerNeuron(xs) => list(xs),
    }
}

/// The `input_protocol(steps, n)` function and the `first_step` rule it uses.
pub fn function(spec: Option<&InputSpec>, seed: u64) -> String {
    let mut out = String::new();
    write_function(&mut out, spec, seed).expect("writing to a String cannot fail");
    out
}

fn write_function(out: &mut String, spec: Option<&InputSpec>, seed: u64) -> std::fmt::Result {
    let terms = spec.map_or(&[][..], |s| s.terms.as_slice());
    out.push_str(
        "def first_step(t_ms):\n    \"\"\"The first step whose time reaches t_ms; a time within a relative 1e-9 of a step\n    boundary counts as on it, so that periods stay whole numbers of steps.\"\"\"\n    steps = t_ms / DT_MS\n    return max(0, math.ceil(steps - 1e-9 * max(abs(steps), 1.0)))\n\n\n",
    );
    writeln!(out, "def input_protocol(steps, n):")?;
    match spec {
        Some(s) => writeln!(out, "    \"\"\"The page's input: {s}\"\"\"")?,
        None => writeln!(out, "    \"\"\"No input protocol: zeros.\"\"\"")?,
    }
    writeln!(out, "    t = np.arange(steps) * DT_MS")?;
    writeln!(out, "    x = np.zeros((steps, n))")?;
    if terms.iter().any(|t| {
        matches!(
            t,
            Protocol::OrnsteinUhlenbeck { .. } | Protocol::Poisson { .. }
        )
    }) {
        writeln!(out, "    rng = np.random.default_rng({seed})")?;
    }
    for term in terms {
        write_term(out, term)?;
    }
    writeln!(out, "    return x")
}

fn write_term(out: &mut String, term: &Protocol) -> std::fmt::Result {
    match term {
        Protocol::Constant { value } => writeln!(out, "    x += {}", values(value)),
        Protocol::Sections {
            values: vs,
            durations_ms,
        } => {
            let vs: Vec<String> = vs.iter().map(values).collect();
            let ds: Vec<String> = durations_ms.iter().map(|d| number(*d)).collect();
            writeln!(
                out,
                "    end = 0  # sections: each value for int(duration / dt) steps"
            )?;
            writeln!(
                out,
                "    for value, duration in zip([{}], [{}]):",
                vs.join(", "),
                ds.join(", ")
            )?;
            writeln!(out, "        start, end = end, end + int(duration / DT_MS)")?;
            writeln!(out, "        x[start:end] += value")
        }
        Protocol::Pulses {
            amp,
            start_ms,
            width_ms,
            period_ms,
            count,
        } => {
            writeln!(out, "    on = np.zeros(steps, dtype=bool)  # pulses")?;
            let limit = count.map_or("True".to_string(), |c| format!("k < {c}"));
            writeln!(out, "    k = 0")?;
            writeln!(
                out,
                "    while {limit} and first_step({} + k * {}) < steps:",
                number(*start_ms),
                number(*period_ms)
            )?;
            writeln!(
                out,
                "        begin = {} + k * {}",
                number(*start_ms),
                number(*period_ms)
            )?;
            writeln!(
                out,
                "        on[first_step(begin):first_step(begin + {})] = True",
                number(*width_ms)
            )?;
            writeln!(out, "        k += 1")?;
            writeln!(out, "    x += np.where(on[:, None], {}, 0.0)", values(amp))
        }
        Protocol::Ramp {
            from,
            to,
            start_ms,
            end_ms,
        } => {
            let (start, end) = (number(*start_ms), number(*end_ms));
            writeln!(out, "    frac = np.zeros(steps)  # ramp")?;
            writeln!(
                out,
                "    first, last = first_step({start}), first_step({end})"
            )?;
            writeln!(
                out,
                "    frac[first:last] = np.clip((t[first:last] - {start}) / ({end} - {start}), 0.0, 1.0)"
            )?;
            writeln!(out, "    frac[last:] = 1.0")?;
            let (a, b) = (values(from), values(to));
            writeln!(out, "    x += {a} + ({b} - {a}) * frac[:, None]")
        }
        Protocol::Sine {
            amp,
            freq_hz,
            phase_rad,
            offset,
        } => writeln!(
            out,
            "    x += {} + {} * np.sin(2 * np.pi * {} * t / 1000 + {})[:, None]",
            values(offset),
            values(amp),
            number(*freq_hz),
            number(*phase_rad)
        ),
        Protocol::OrnsteinUhlenbeck {
            mean,
            sigma,
            tau_ms,
        } => {
            writeln!(
                out,
                "    relax = DT_MS / {}  # Ornstein-Uhlenbeck, Euler-Maruyama",
                number(*tau_ms)
            )?;
            writeln!(out, "    mean = np.broadcast_to({}, (n,))", values(mean))?;
            writeln!(
                out,
                "    noise = np.broadcast_to({}, (n,)) * np.sqrt(2 * relax)",
                values(sigma)
            )?;
            writeln!(out, "    value = mean.copy()")?;
            writeln!(out, "    for i in range(steps):")?;
            writeln!(out, "        x[i] += value")?;
            writeln!(
                out,
                "        value = value + (mean - value) * relax + noise * rng.standard_normal(n)"
            )
        }
        Protocol::Poisson { rate_hz, weight } => writeln!(
            out,
            "    x += np.where(rng.random((steps, n)) <= {} * DT_MS / 1000, {}, 0.0)  # Poisson",
            values(rate_hz),
            values(weight)
        ),
        Protocol::SpikeTimes { times_ms, weight } => {
            writeln!(out, "    for time in {}:  # spikes", list(times_ms))?;
            writeln!(out, "        if first_step(time) < steps:")?;
            writeln!(out, "            x[first_step(time)] += {}", values(weight))
        }
    }
}
