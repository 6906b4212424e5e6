//! A widget's parameter sliders: each shows the setting's value and writes a change back into
//! the setting (and so into the share link).

use brainplay_lessons::setting::Setting;
use brainplay_sim::Model;
use leptos::prelude::*;

use crate::components::param_control::{ParamControl, ParamInfo};

/// The slider description of parameter `name` of `model`, if it has one.
fn param_info(model: &Model, name: &str) -> Option<ParamInfo> {
    let p = &model.params[model.param_index(name)?];
    Some(ParamInfo {
        name: p.name.clone(),
        unit: p.unit.clone(),
        min: p.min,
        max: p.max,
        default: p.default,
        description_en: p.description_en.clone(),
        description_zh: p.description_zh.clone(),
    })
}

/// The parameters offered as sliders: the block's list (default: all), leaving out those the
/// block sets per neuron (a population's varying parameter is part of the setup, not a knob).
fn control_names(model: &Model, controls: Option<&Vec<String>>, defaults: &Setting) -> Vec<String> {
    let all: Vec<String> = model.params.iter().map(|p| p.name.clone()).collect();
    controls
        .cloned()
        .unwrap_or(all)
        .into_iter()
        .filter(|name| model.param_index(name).is_some())
        .filter(|name| defaults.params.get(name).is_none_or(|v| v.len() == 1))
        .collect()
}

/// The value of parameter `name`: the setting's, else the block's, else the model's default.
pub fn current_value(setting: &Setting, defaults: &Setting, model: &Model, name: &str) -> f64 {
    setting
        .params
        .get(name)
        .or_else(|| defaults.params.get(name))
        .and_then(|v| v.first().copied())
        .or_else(|| model.param_index(name).map(|i| model.params[i].default))
        .unwrap_or(f64::NAN)
}

pub fn setting_controls(
    model: &Model,
    controls: Option<&Vec<String>>,
    defaults: &Setting,
    setting: RwSignal<Setting>,
) -> impl IntoView {
    control_names(model, controls, defaults)
        .into_iter()
        .filter_map(|name| {
            let info = param_info(model, &name)?;
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
