//! One parameter as a slider plus a number field, with its unit, range, description and a reset.
//! A typed value outside the slider's range is accepted and flagged (never clamped); a
//! malformed one is flagged and changes nothing.

use leptos::prelude::*;

use brainplay_content::model_info::ParamInfo;
use brainplay_content::text::typeset_unit;

use crate::i18n::{ui, use_lang};

/// A slider step of about 1/500 of the range, rounded to 1, 2 or 5 times a power of ten.
pub fn slider_step(min: f64, max: f64) -> f64 {
    let raw = ((max - min) / 500.0).max(1e-12);
    let power = 10f64.powf(raw.log10().floor());
    let mantissa = raw / power;
    let nice = if mantissa <= 1.0 {
        1.0
    } else if mantissa <= 2.0 {
        2.0
    } else if mantissa <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * power
}

/// Shortest text that reads back as `value` (no trailing zeros from float formatting).
pub fn format_value(value: f64) -> String {
    let text = format!("{value}");
    if text.len() > 12 {
        format!("{value:.6}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    } else {
        text
    }
}

#[component]
pub fn ParamControl(
    info: ParamInfo,
    #[prop(into)] value: Signal<f64>,
    on_change: Callback<f64>,
) -> impl IntoView {
    let lang = use_lang();
    let problem = RwSignal::new(None::<String>);
    let (min, max, default) = (info.min, info.max, info.default);
    let step = slider_step(min, max);
    let name = info.name.clone();
    let unit = typeset_unit(&info.unit);
    let described = info.clone();
    let apply = move |text: String| match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => {
            let outside = ui("param_outside", lang.get_untracked());
            problem.set((!(min..=max).contains(&v)).then(|| format!("{outside} [{min}, {max}]")));
            on_change.run(v);
        }
        _ => problem.set(Some(format!(
            "“{text}”: {}",
            ui("param_not_a_number", lang.get_untracked())
        ))),
    };
    // Screen readers announce each input by the parameter's name, unit and meaning (the visible
    // label sits beside two inputs, so it names neither by itself).
    let label_info = info.clone();
    let label = move || {
        let unit = match label_info.unit.as_str() {
            "1" => String::new(),
            unit => format!(" ({})", typeset_unit(unit)),
        };
        let lang = lang.get();
        format!(
            "{}{unit}: {}",
            label_info.name,
            label_info.description(lang)
        )
    };
    let range_label = label.clone();
    let number_label = move || format!("{} — {}", label(), ui("param_number", lang.get()));
    let apply_number = apply;
    let name_for_reset = info.name.clone();
    view! {
        <div class="param" data-param=name.clone()>
            <label class="param-name" title=move || described.description(lang.get()).to_string()>
                <span class="name">{name.clone()}</span>
                <span class="unit">{if unit == "1" { String::new() } else { unit.clone() }}</span>
            </label>
            <input
                type="range"
                min=min
                max=max
                step=step
                aria-label=range_label
                prop:value=move || value.get().to_string()
                on:input=move |ev| apply(event_target_value(&ev))
            />
            <input
                type="number"
                class="param-number"
                step=step
                aria-label=number_label
                prop:value=move || format_value(value.get())
                on:change=move |ev| apply_number(event_target_value(&ev))
            />
            <button
                class="small reset"
                title=move || ui("reset", lang.get())
                aria-label=move || format!("{} {}", ui("reset", lang.get()), name_for_reset)
                disabled=move || value.get() == default
                on:click=move |_| {
                    problem.set(None);
                    on_change.run(default);
                }
            >
                "↺"
            </button>
            <span class="param-description">{move || info.description(lang.get()).to_string()}</span>
            {move || problem.get().map(|p| view! { <span class="param-problem">{p}</span> })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slider_steps_are_round_numbers() {
        for (min, max, step) in [
            (0.0, 240.0, 0.5),
            (-20.0, 100.0, 0.5),
            (0.0, 1.0, 0.002),
            (1.0, 5.0, 0.01),
        ] {
            assert!(
                (slider_step(min, max) - step).abs() < 1e-12,
                "[{min}, {max}]"
            );
        }
    }

    #[test]
    fn values_print_without_float_noise() {
        assert_eq!(format_value(0.1 + 0.2), "0.3");
        assert_eq!(format_value(-54.387), "-54.387");
        assert_eq!(format_value(120.0), "120");
    }
}
