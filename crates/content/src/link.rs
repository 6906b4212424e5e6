//! Share-link state (`docs/lesson-format.md`, "Share links"): what a link changes on a lesson
//! page, `?v=1&lang=zh&ap.I=10&ap.gNa=0`, and how it is written. Reading a link checks it
//! against the models (`brainplay_lessons::state`); writing it needs nothing but the settings,
//! so the page does it on every change.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::content::Lesson;
use crate::link_text;
use crate::percent;
use crate::setting::Setting;
use crate::text::{Lang, Text};

/// The share-link format version this code reads and writes (`v=1`).
pub const FORMAT_VERSION: u32 = 1;

/// What a link changes on a page: the language and, per widget, the settings that differ from
/// the widget's defaults.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct PageState {
    pub lang: Option<Lang>,
    /// By widget id; only widgets with a change.
    pub widgets: BTreeMap<String, WidgetState>,
}

/// The changes to one widget. A parameter has one value for every neuron or one per neuron
/// (`ap.I=1,2,4`).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct WidgetState {
    /// The learner's edit of the model's text (`ap.model=`, see `link_text`).
    pub source: Option<Edit>,
    pub params: BTreeMap<String, Vec<f64>>,
    pub input: Option<String>,
    pub method: Option<String>,
    pub dt_ms: Option<f64>,
    pub seed: Option<u64>,
    /// A phase plane's trajectory starts (`pp.start=-2,-0.5;1,1`).
    pub starts: Option<Vec<[f64; 2]>>,
}

/// An edited model: the built-in model's text it started from (what the link stores the change
/// against) and the edited text.
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    pub base: String,
    pub text: String,
}

/// A key of a link that was not applied, and why.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Notice {
    pub key: String,
    pub message: Text,
}

impl Notice {
    pub fn new(key: &str, en: String, zh: String) -> Notice {
        Notice {
            key: key.to_string(),
            message: Text::new(en, zh),
        }
    }
}

impl WidgetState {
    pub fn is_empty(&self) -> bool {
        self == &WidgetState::default()
    }

    /// The changes from a widget's `defaults` to `setting`, as a link stores them; `base` is
    /// the built-in model's text, which an edit is stored against.
    pub fn between(defaults: &Setting, setting: &Setting, base: &str) -> WidgetState {
        let params = setting
            .params
            .iter()
            .filter(|(name, values)| defaults.params.get(*name) != Some(*values))
            .map(|(name, values)| (name.clone(), values.clone()))
            .collect();
        WidgetState {
            source: changed(&setting.source, &defaults.source)
                .cloned()
                .flatten()
                .map(|text| Edit {
                    base: base.to_string(),
                    text,
                }),
            params,
            input: (setting.input != defaults.input)
                .then(|| setting.input.clone().unwrap_or_default()),
            method: changed(&setting.method, &defaults.method)
                .cloned()
                .flatten(),
            dt_ms: changed(setting.dt_ms, defaults.dt_ms),
            seed: changed(setting.seed, defaults.seed),
            starts: changed(&setting.starts, &defaults.starts).cloned(),
        }
    }

    /// Applies these changes to a widget's default setting.
    pub fn apply_to(&self, setting: &mut Setting) {
        if let Some(edit) = &self.source {
            setting.source = Some(edit.text.clone());
        }
        if let Some(starts) = &self.starts {
            setting.starts = starts.clone();
        }
        for (name, values) in &self.params {
            setting.params.insert(name.clone(), values.clone());
        }
        if let Some(input) = &self.input {
            setting.input = Some(input.clone());
        }
        if let Some(method) = &self.method {
            setting.method = Some(method.clone());
        }
        if let Some(dt_ms) = self.dt_ms {
            setting.dt_ms = dt_ms;
        }
        if let Some(seed) = self.seed {
            setting.seed = seed;
        }
    }
}

impl PageState {
    /// The query string of this state, without `?`: `v=1` first, then `lang`, then each
    /// widget's keys in a stable order. Empty for a state that changes nothing.
    pub fn to_query(&self) -> String {
        self.to_query_with(&link_text::deflate)
    }

    /// The edited models' texts as `link_text::middle` gives them, in the order `to_query`
    /// writes them (what a caller with its own compressor compresses first).
    pub fn edit_middles(&self) -> Vec<&str> {
        let edits = self.widgets.values().filter_map(|w| w.source.as_ref());
        edits.map(|e| link_text::middle(&e.text, &e.base)).collect()
    }

    /// `to_query` with the edits' middles deflated by `deflate` (`link_text::encode_with`).
    pub fn to_query_with(&self, deflate: &dyn Fn(&[u8]) -> Vec<u8>) -> String {
        if self.lang.is_none() && self.widgets.values().all(WidgetState::is_empty) {
            return String::new();
        }
        // Written in place: smaller code than a list of formatted parts (the compute worker,
        // which writes links, is measured in bytes).
        let mut query = format!("v={FORMAT_VERSION}");
        if let Some(lang) = self.lang {
            let _ = write!(query, "&lang={lang}");
        }
        for (id, w) in &self.widgets {
            let id = percent::encode(id);
            // The model first: the parameters after it are read against it.
            if let Some(edit) = &w.source {
                let edit = link_text::encode_with(&edit.text, &edit.base, deflate);
                let _ = write!(query, "&{id}.model={edit}");
            }
            for (name, values) in &w.params {
                let _ = write!(query, "&{id}.{}=", percent::encode(name));
                for (k, v) in values.iter().enumerate() {
                    let comma = if k > 0 { "," } else { "" };
                    let _ = write!(query, "{comma}{v}");
                }
            }
            if let Some(input) = &w.input {
                let _ = write!(query, "&{id}.input={}", percent::encode(input));
            }
            if let Some(method) = &w.method {
                let _ = write!(query, "&{id}.method={method}");
            }
            if let Some(dt_ms) = w.dt_ms {
                let _ = write!(query, "&{id}.dt={dt_ms}");
            }
            if let Some(seed) = w.seed {
                let _ = write!(query, "&{id}.seed={seed}");
            }
            if let Some(starts) = &w.starts {
                let _ = write!(query, "&{id}.start=");
                for (k, [x, y]) in starts.iter().enumerate() {
                    let semicolon = if k > 0 { ";" } else { "" };
                    let _ = write!(query, "{semicolon}{x},{y}");
                }
            }
        }
        query
    }

    /// The state of a page whose widgets have `settings` (by id; a widget without one is at its
    /// defaults); `bases` gives a built-in model's text by id, for edited models.
    pub fn of(
        lesson: &Lesson,
        settings: &BTreeMap<String, Setting>,
        lang: Lang,
        bases: &dyn Fn(&str) -> Option<String>,
    ) -> PageState {
        // Inserted one by one: collecting into a map would sort, and a stable sort's code is
        // several kilobytes of the compute worker that writes links.
        let mut widgets = BTreeMap::new();
        for w in lesson.widgets() {
            let Some(setting) = settings.get(w.id()) else {
                continue;
            };
            // The built-in text matters only to an edited model (its change is stored).
            let base = match setting.source {
                Some(_) => bases(&setting.model).unwrap_or_default(),
                None => String::new(),
            };
            let state = WidgetState::between(&Setting::from_widget(w), setting, &base);
            if !state.is_empty() {
                widgets.insert(w.id().to_string(), state);
            }
        }
        PageState {
            lang: Some(lang),
            widgets,
        }
    }
}

/// `value` where it differs from `default`.
fn changed<T: PartialEq>(value: T, default: T) -> Option<T> {
    (value != default).then_some(value)
}
