//! The input protocol, edited without code: a choice of protocol and a number field for each
//! number the protocol's text holds; the text is shown and may be edited directly. A compute
//! worker checks every edit before it is used, and shows the parser's error in place: a
//! malformed edit changes nothing.

use brainplay_content::input_args::{first_function, number_args, with_number};
use brainplay_content::text::Text;
use leptos::prelude::*;

use crate::components::param_control::format_value;
use crate::compute::{Job, JobStatus, Outcome};
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
    let error = RwSignal::new(None::<Text>);
    Effect::new(move |_| draft.set(text.get()));
    // The text waiting for the worker's check.
    let pending = RwSignal::new(None::<String>);
    let job = Job::new();
    {
        let status = job.status;
        Effect::new(move |_| {
            let JobStatus::Done(outcome) = status.get() else {
                return;
            };
            if let (Outcome::InputChecked(checked), Some(t)) =
                (outcome.as_ref(), pending.get_untracked())
            {
                pending.set(None);
                match checked {
                    Ok(()) => {
                        error.set(None);
                        on_change.run(t);
                    }
                    Err(rendered) => error.set(Some(rendered.clone())),
                }
            }
        });
    }
    let commit = {
        let job = job.clone();
        move |t: String| {
            if t.trim().is_empty() {
                error.set(None);
                on_change.run(String::new());
                return;
            }
            pending.set(Some(t.clone()));
            job.check_input(&t);
        }
    };
    let kind = move || {
        text.with(|t| first_function(t))
            .filter(|name| TEMPLATES.iter().any(|(kind, _)| kind == name))
            .unwrap_or_else(|| "none".into())
    };
    let fields = {
        let commit = commit.clone();
        move || {
            let current = text.get();
            number_args(&current)
                .into_iter()
                .map(|arg| {
                    let (commit, current) = (commit.clone(), current.clone());
                    let label = format!("{} {}", arg.term, arg.name);
                    let value = format_value(arg.value);
                    let on_input = move |ev| {
                        if let Ok(x) = event_target_value(&ev).trim().parse::<f64>() {
                            commit(with_number(&current, &arg, x));
                        }
                    };
                    view! {
                        <label class="input-arg">
                            // The protocol's own names (`pulses width`): code, in every language.
                            <code>{label}</code>
                            <input type="number" prop:value=value on:change=on_input />
                        </label>
                    }
                })
                .collect::<Vec<_>>()
        }
    };
    let choose = commit.clone();
    view! {
        <div class="input-editor">
            <label>
                {move || ui(label, lang.get())}
                " "
                <select on:change=move |ev| {
                    let chosen = event_target_value(&ev);
                    if let Some((_, template)) = TEMPLATES.iter().find(|t| t.0 == chosen) {
                        choose(template.to_string());
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
                aria-label=move || ui("input_protocol_text", lang.get())
                prop:value=move || draft.get()
                on:change=move |ev| commit(event_target_value(&ev))
            />
            {move || error.get().map(|e| view! { <pre class="error">{e.get(lang.get()).to_string()}</pre> })}
        </div>
    }
}
