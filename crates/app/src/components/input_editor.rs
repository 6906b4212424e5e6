//! The input protocol, edited without code: a choice of protocol and, for its numeric
//! arguments, the same number fields as parameters; the protocol's text is shown and may be
//! edited directly, with the parser's error shown in place. A malformed edit changes nothing.

use brainplay_sim::input::{InputSpec, Protocol, Values};
use leptos::prelude::*;

use crate::components::param_control::format_value;
use crate::i18n::{ui, use_lang};

/// A protocol of each kind with sensible values, offered when switching kind.
const TEMPLATES: [(&str, &str); 7] = [
    ("none", ""),
    ("constant", "constant(10)"),
    (
        "sections",
        "sections(values=[0, 10, 0], durations=[10, 20, 10])",
    ),
    ("pulses", "pulses(amp=10, start=5, width=2, period=20)"),
    ("ramp", "ramp(from=0, to=20, start=0, end=100)"),
    ("sine", "sine(amp=5, freq=10, offset=5)"),
    ("ou", "ou(mean=5, sigma=2, tau=5)"),
];

fn one(v: &Values) -> Option<f64> {
    match v {
        Values::One(x) => Some(*x),
        Values::PerNeuron(_) => None,
    }
}

/// The scalar arguments of a protocol, by name, in the order the syntax lists them.
fn scalar_args(p: &Protocol) -> Vec<(&'static str, f64)> {
    let mut args = Vec::new();
    let mut push = |name, v: Option<f64>| {
        if let Some(v) = v {
            args.push((name, v));
        }
    };
    match p {
        Protocol::Constant { value } => push("value", one(value)),
        Protocol::Sections { .. } | Protocol::SpikeTimes { .. } => {}
        Protocol::Pulses {
            amp,
            start_ms,
            width_ms,
            period_ms,
            ..
        } => {
            push("amp", one(amp));
            push("start", Some(*start_ms));
            push("width", Some(*width_ms));
            push("period", Some(*period_ms));
        }
        Protocol::Ramp {
            from,
            to,
            start_ms,
            end_ms,
        } => {
            push("from", one(from));
            push("to", one(to));
            push("start", Some(*start_ms));
            push("end", Some(*end_ms));
        }
        Protocol::Sine {
            amp,
            freq_hz,
            offset,
            ..
        } => {
            push("amp", one(amp));
            push("freq", Some(*freq_hz));
            push("offset", one(offset));
        }
        Protocol::OrnsteinUhlenbeck {
            mean,
            sigma,
            tau_ms,
        } => {
            push("mean", one(mean));
            push("sigma", one(sigma));
            push("tau", Some(*tau_ms));
        }
        Protocol::Poisson { rate_hz, weight } => {
            push("rate", one(rate_hz));
            push("weight", one(weight));
        }
    }
    args
}

/// `p` with scalar argument `name` set to `v`.
fn with_arg(p: &Protocol, name: &str, v: f64) -> Protocol {
    let mut p = p.clone();
    let set = |slot: &mut Values| *slot = Values::One(v);
    match (&mut p, name) {
        (Protocol::Constant { value }, "value") => set(value),
        (Protocol::Pulses { amp, .. }, "amp") => set(amp),
        (Protocol::Pulses { start_ms, .. }, "start") => *start_ms = v,
        (Protocol::Pulses { width_ms, .. }, "width") => *width_ms = v,
        (Protocol::Pulses { period_ms, .. }, "period") => *period_ms = v,
        (Protocol::Ramp { from, .. }, "from") => set(from),
        (Protocol::Ramp { to, .. }, "to") => set(to),
        (Protocol::Ramp { start_ms, .. }, "start") => *start_ms = v,
        (Protocol::Ramp { end_ms, .. }, "end") => *end_ms = v,
        (Protocol::Sine { amp, .. }, "amp") => set(amp),
        (Protocol::Sine { freq_hz, .. }, "freq") => *freq_hz = v,
        (Protocol::Sine { offset, .. }, "offset") => set(offset),
        (Protocol::OrnsteinUhlenbeck { mean, .. }, "mean") => set(mean),
        (Protocol::OrnsteinUhlenbeck { sigma, .. }, "sigma") => set(sigma),
        (Protocol::OrnsteinUhlenbeck { tau_ms, .. }, "tau") => *tau_ms = v,
        (Protocol::Poisson { rate_hz, .. }, "rate") => set(rate_hz),
        (Protocol::Poisson { weight, .. }, "weight") => set(weight),
        _ => {}
    }
    p
}

/// Edits `text` (the protocol in the input syntax; empty = no input).
#[component]
pub fn InputEditor(
    #[prop(into)] text: Signal<String>,
    on_change: Callback<String>,
    /// The UI string naming what the input drives (`input`, or `presynaptic` on a bench).
    label: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    let draft = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| draft.set(text.get()));
    let spec = Memo::new(move |_| {
        let t = text.get();
        (!t.trim().is_empty())
            .then(|| InputSpec::parse(&t).ok())
            .flatten()
    });
    let commit = move |t: String| {
        if t.trim().is_empty() {
            error.set(None);
            on_change.run(String::new());
            return;
        }
        match InputSpec::parse(&t) {
            Ok(_) => {
                error.set(None);
                on_change.run(t);
            }
            Err(e) => error.set(Some(e.render(&t))),
        }
    };
    let kind = move || {
        spec.get()
            .and_then(|s| s.terms.first().map(|p| p.name().to_string()))
            .unwrap_or_else(|| "none".into())
    };
    let fields = move || {
        let Some(s) = spec.get() else {
            return Vec::new();
        };
        if s.terms.len() != 1 {
            return Vec::new();
        }
        let term = s.terms[0].clone();
        scalar_args(&term)
            .into_iter()
            .map(|(name, v)| {
                let term = term.clone();
                let target = s.target.clone();
                let on_input = move |ev| {
                    if let Ok(x) = event_target_value(&ev).trim().parse::<f64>() {
                        let next = InputSpec {
                            target: target.clone(),
                            terms: vec![with_arg(&term, name, x)],
                        };
                        commit(next.to_string());
                    }
                };
                view! {
                    <label class="input-arg">
                        <span>{name}</span>
                        <input type="number" prop:value=format_value(v) on:change=on_input />
                    </label>
                }
            })
            .collect::<Vec<_>>()
    };
    view! {
        <div class="input-editor">
            <label>
                {move || ui(label, lang.get())}
                " "
                <select on:change=move |ev| {
                    let chosen = event_target_value(&ev);
                    if let Some((_, template)) = TEMPLATES.iter().find(|t| t.0 == chosen) {
                        commit(template.to_string());
                    }
                }>
                    {TEMPLATES
                        .iter()
                        .map(|(name, _)| {
                            let name = *name;
                            view! { <option value=name selected=move || kind() == name>{name}</option> }
                        })
                        .collect::<Vec<_>>()}
                </select>
            </label>
            <div class="input-args">{fields}</div>
            <input
                type="text"
                class="input-text"
                spellcheck="false"
                prop:value=move || draft.get()
                on:change=move |ev| commit(event_target_value(&ev))
            />
            {move || error.get().map(|e| view! { <pre class="error">{e}</pre> })}
        </div>
    }
}
