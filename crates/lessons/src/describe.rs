//! What the page is told of a model (`brainplay_content::model_info`), and of a lesson page as
//! it opens with a share link (`brainplay_content::wire::Opened`): the compute worker answers
//! with these, so that the page needs no model parser of its own.

use brainplay_content::model_info::{ModelInfo, ModelProblem, ParamInfo};
use std::collections::BTreeMap;

use brainplay_content::link::PageState;
use brainplay_content::text::Lang;
use brainplay_content::wire::Opened;
use brainplay_sim::{mathml, parse_model, Model};

use crate::bilingual;
use crate::content::Lesson;
use crate::setting::{built_in, Runnable, Setting};
use crate::state;

pub fn model_info(model: &Model) -> ModelInfo {
    ModelInfo {
        id: model.id.clone(),
        source: model.source.clone(),
        method: model.method.name().to_string(),
        params: model
            .params
            .iter()
            .map(|p| ParamInfo {
                name: p.name.clone(),
                unit: p.unit.clone(),
                min: p.min,
                max: p.max,
                default: p.default,
                description_en: p.description_en.clone(),
                description_zh: p.description_zh.clone(),
            })
            .collect(),
        equations: mathml::model_mathml(model),
        events: [
            ("on_pre_spike", &model.on_spike),
            ("on_post_spike", &model.on_post_spike),
        ]
        .into_iter()
        .filter(|(_, list)| !list.is_empty())
        .map(|(label, list)| (label.to_string(), mathml::events_to_mathml(model, list)))
        .collect(),
    }
}

/// A model text the learner typed, described, or where it goes wrong (what, in both languages;
/// where, as its line and column).
pub fn describe(text: &str) -> Result<ModelInfo, ModelProblem> {
    parse_model(text)
        .map(|m| model_info(&m))
        .map_err(|e| ModelProblem {
            message: bilingual(e.message),
            line: e.line,
            column: e.column,
        })
}

/// Lesson `lesson` opened with the share link's `query`: each widget's setting, what the link
/// could not set, the built-in models the widgets show and the edits the link brought.
#[inline(never)]
pub fn open(lesson: &Lesson, query: &str) -> Opened {
    let (page, notices) = state::parse(query, lesson);
    let mut opened = Opened {
        notices,
        ..Opened::default()
    };
    for w in lesson.widgets() {
        let mut setting = Setting::from_widget(w);
        if let Some(changes) = page.widgets.get(w.id()) {
            changes.apply_to(&mut setting);
        }
        if let Some(model) = built_in(&setting.model) {
            opened
                .models
                .insert(setting.model.clone(), model_info(&model));
        }
        if setting.source.is_some() {
            if let Ok(model) = setting.model() {
                opened.edited.insert(w.id().to_string(), model_info(&model));
            }
        }
        opened.settings.insert(w.id().to_string(), setting);
    }
    opened
}

/// The share link's state for `settings` (by widget id) on lesson `lesson` in `lang`: what
/// differs from the lesson's defaults, an edited model stored against its built-in text.
#[inline(never)]
pub fn page_state(lesson: &Lesson, settings: &BTreeMap<String, Setting>, lang: Lang) -> PageState {
    let base = |id: &str| built_in(id).map(|model| model.source);
    PageState::of(lesson, settings, lang, &base)
}

#[cfg(test)]
mod tests {
    use super::*;
    use brainplay_sim::library;

    #[test]
    fn models_are_described_for_sliders_and_equations() {
        let info = model_info(&library::get("hh").unwrap());
        assert_eq!(info.method, "exp_euler");
        let g_na = info.param("gNa").unwrap();
        assert_eq!((g_na.default, g_na.unit.as_str()), (120.0, "mS/cm2"));
        assert!(!g_na.description_zh.is_empty());
        assert!(info.equations.iter().all(|m| m.starts_with("<math")));
        let expon = model_info(&library::get("expon").unwrap());
        assert_eq!(expon.events[0].0, "on_pre_spike");
        let problem = describe("model x\ndV/dt = (").unwrap_err();
        assert_eq!(problem.line, 2);
    }

    #[test]
    fn a_page_opens_with_its_link() {
        let lesson = crate::registry::lesson(3).unwrap();
        let opened = open(lesson, "ap.I=7&nope.x=1");
        assert_eq!(opened.settings["ap"].params["I"], [7.0]);
        assert_eq!(opened.settings.len(), lesson.widgets().count());
        assert_eq!(opened.notices.len(), 1);
        assert!(opened.models.contains_key("hh") && opened.models.contains_key("hh_clamp"));
        assert!(opened.edited.is_empty());
    }

    /// The query the worker writes for the page's settings opens as those settings, an edited
    /// model included, and a page at its defaults writes only the format version and language.
    #[test]
    fn the_link_the_worker_writes_opens_as_the_page_was() {
        let lesson = crate::registry::lesson(3).unwrap();
        let mut settings = open(lesson, "").settings;
        let query = |settings: &BTreeMap<String, Setting>, lang| {
            page_state(lesson, settings, lang).to_query()
        };
        assert_eq!(query(&settings, Lang::Zh), "v=1&lang=zh");
        let ap = settings.get_mut("ap").unwrap();
        ap.params.insert("I".into(), vec![7.0]);
        let source = library::source("hh").unwrap().replace("120", "100");
        ap.source = Some(source);
        let link = query(&settings, Lang::En);
        let reopened = open(lesson, &link);
        assert_eq!(reopened.settings["ap"], settings["ap"], "{link}");
        assert!(reopened.edited.contains_key("ap"));
    }
}
