//! A widget's parameter sliders: each shows the setting's value and writes a change back into
//! the setting (and so into the share link). What a slider shows of its parameter comes from the
//! compute worker's description of the model (`ModelInfo`).

use brainplay_content::model_info::ModelInfo;
use brainplay_content::Setting;
use leptos::prelude::*;

use crate::components::param_control::ParamControl;
use crate::i18n::{tr, use_lang};

/// The parameters offered as sliders: the block's list (default: all), leaving out those the
/// block sets per neuron (a population's varying parameter is part of the setup, not a knob).
fn control_names(
    model: &ModelInfo,
    controls: Option<&Vec<String>>,
    defaults: &Setting,
) -> Vec<String> {
    let all: Vec<String> = model.params.iter().map(|p| p.name.clone()).collect();
    controls
        .cloned()
        .unwrap_or(all)
        .into_iter()
        .filter(|name| model.param(name).is_some())
        .filter(|name| defaults.params.get(name).is_none_or(|v| v.len() == 1))
        .collect()
}

/// The value of parameter `name`: the setting's, else the block's, else the model's default.
pub fn current_value(setting: &Setting, defaults: &Setting, model: &ModelInfo, name: &str) -> f64 {
    setting
        .params
        .get(name)
        .or_else(|| defaults.params.get(name))
        .and_then(|v| v.first().copied())
        .or_else(|| model.param(name).map(|p| p.default))
        .unwrap_or(f64::NAN)
}

pub fn setting_controls(
    model: &ModelInfo,
    controls: Option<&Vec<String>>,
    defaults: &Setting,
    setting: RwSignal<Setting>,
) -> impl IntoView {
    control_names(model, controls, defaults)
        .into_iter()
        .filter_map(|name| {
            let info = model.param(&name)?.clone();
            let (defaults, m, key) = (defaults.clone(), model.clone(), name.clone());
            let value =
                Signal::derive(move || setting.with(|s| current_value(s, &defaults, &m, &key)));
            let on_change = Callback::new(move |v: f64| {
                setting.update(|s| {
                    s.params.insert(name.clone(), vec![v]);
                })
            });
            Some(view! { <ParamControl info=info value=value on_change=on_change /> })
        })
        .collect_view()
}

/// A block's "Reset all" (back to the block's defaults; the learner's edited equations stay,
/// resetting is about the settings) and "Copy link to this setting".
#[component]
pub fn SettingActions(setting: RwSignal<Setting>, defaults: Setting) -> impl IntoView {
    let lang = use_lang();
    view! {
        <button class="small reset-all" on:click=move |_| {
            let source = setting.with_untracked(|s| s.source.clone());
            setting.set(Setting { source, ..defaults.clone() })
        }>
            {tr("reset_all", lang)}
        </button>
        <crate::share::CopyLink label="copy_setting_link" />
    }
}
