//! Reading share links (`docs/lesson-format.md`, "Share links") into the settings they change,
//! checked against the models: `?v=1&lang=zh&ap.I=10&ap.gNa=0`. Writing them is
//! `brainplay_content::link`.
//!
//! A link is user text: whatever it holds, parsing never fails. A key that cannot be applied
//! (unknown, malformed, out of range) becomes a `Notice` naming it, keeps its default, and the
//! rest of the link is applied.

use std::collections::{BTreeMap, BTreeSet};

use brainplay_sim::input::InputSpec;
use brainplay_sim::{parse_model, Method, Model};

pub use brainplay_content::link::*;

use crate::content::{Lesson, Widget};
use crate::link_text;
use crate::percent;
use crate::registry;
use crate::setting::{built_in, Runnable, Setting, MAX_STARTS};
use crate::text::Lang;
use crate::validate::{MAX_DT_MS, MAX_NEURON_STEPS};

struct Defaults<'a> {
    widget: Widget<'a>,
    model: Model,
    setting: Setting,
    neurons: usize,
}

impl<'a> Defaults<'a> {
    fn of(widget: Widget<'a>) -> Option<Defaults<'a>> {
        let model = built_in(widget.model())?;
        let setting = Setting::from_widget(widget);
        let neurons = setting.neurons().ok()?;
        Some(Defaults {
            widget,
            model,
            setting,
            neurons,
        })
    }

    /// The default of parameter `i` of `model` (the library's, or an edit of it) in this widget.
    fn param_default(&self, model: &Model, i: usize) -> Vec<f64> {
        let p = &model.params[i];
        self.setting
            .params
            .get(&p.name)
            .cloned()
            .unwrap_or_else(|| vec![p.default])
    }
}

/// Reads a query string (with or without its leading `?`) for a page of `lesson`.
pub fn parse(query: &str, lesson: &Lesson) -> (PageState, Vec<Notice>) {
    let mut state = PageState::default();
    let mut notices = Vec::new();
    let mut seen = BTreeSet::new();
    let mut defaults: BTreeMap<String, Option<Defaults>> = BTreeMap::new();
    let query = query.strip_prefix('?').unwrap_or(query);
    for segment in query.split('&').filter(|s| !s.is_empty()) {
        let (raw_key, raw_value) = segment.split_once('=').unwrap_or((segment, ""));
        let key = match percent::decode(raw_key) {
            Ok(key) => key,
            Err(e) => {
                notices.push(Notice::new(
                    raw_key,
                    format!("{}; `{raw_key}` is ignored", e.en),
                    format!("{}；已忽略 `{raw_key}`", e.zh),
                ));
                continue;
            }
        };
        let value = match percent::decode(raw_value) {
            Ok(value) => value,
            Err(e) => {
                notices.push(Notice::new(
                    &key,
                    format!("the value of `{key}`: {}; it keeps its default", e.en),
                    format!("`{key}` 的值：{}；保持默认值", e.zh),
                ));
                continue;
            }
        };
        if !segment.contains('=') || value.is_empty() {
            notices.push(Notice::new(
                &key,
                format!("`{key}` has no value; it keeps its default"),
                format!("`{key}` 没有值；保持默认值"),
            ));
            continue;
        }
        if !seen.insert(key.clone()) {
            notices.push(Notice::new(
                &key,
                format!("`{key}` is given more than once; only the first is read"),
                format!("`{key}` 出现了多次；只读取第一个"),
            ));
            continue;
        }
        let applied = match key.split_once('.') {
            None => apply_page_key(&mut state, &key, &value),
            Some((id, field)) => {
                let d = defaults
                    .entry(id.to_string())
                    .or_insert_with(|| lesson.widget(id).and_then(Defaults::of));
                match d {
                    None => Err(unknown_widget(lesson, id, &key)),
                    Some(d) => {
                        let widget = state.widgets.entry(id.to_string()).or_default();
                        let applied = apply_widget_key(widget, d, &key, field, &value);
                        if widget.is_empty() {
                            state.widgets.remove(id);
                        }
                        applied
                    }
                }
            }
        };
        if let Err(notice) = applied {
            notices.push(notice);
        }
    }
    (state, notices)
}

fn apply_page_key(state: &mut PageState, key: &str, value: &str) -> Result<(), Notice> {
    match key {
            "v" => match value.parse::<u32>() {
                Ok(FORMAT_VERSION) => Ok(()),
                Ok(v) if v > FORMAT_VERSION => Err(Notice::new(
                    key,
                    format!("this link was made by a newer BrainPlay (format version {v}); it is read as version {FORMAT_VERSION}, so some settings may be lost"),
                    format!("此链接来自更新版本的 BrainPlay（格式版本 {v}）；按版本 {FORMAT_VERSION} 读取，部分设置可能丢失"),
                )),
                _ => Err(Notice::new(
                    key,
                    format!("`v={value}` is not a format version; the link is read as version {FORMAT_VERSION}"),
                    format!("`v={value}` 不是有效的格式版本；按版本 {FORMAT_VERSION} 读取"),
                )),
            },
            "lang" => match Lang::from_code(value) {
                Some(lang) => {
                    state.lang = Some(lang);
                    Ok(())
                }
                None => Err(Notice::new(
                    key,
                    format!("unknown language `{value}`; use en or zh"),
                    format!("未知语言 `{value}`；请使用 en 或 zh"),
                )),
            },
            _ => Err(Notice::new(
                key,
                format!("unknown setting `{key}`; it is ignored"),
                format!("未知设置 `{key}`；已忽略"),
            )),
        }
}

fn unknown_widget(lesson: &Lesson, id: &str, key: &str) -> Notice {
    let ids: Vec<String> = lesson.widgets().map(|w| w.id().to_string()).collect();
    Notice::new(
        key,
        format!(
            "this lesson has no simulator `{id}` (it has: {}); `{key}` is ignored",
            ids.join(", ")
        ),
        format!(
            "本课没有模拟器 `{id}`（现有：{}）；已忽略 `{key}`",
            ids.join("、")
        ),
    )
}

/// Applies `<id>.<field>=<value>` to `w` if the value is valid and differs from the default.
fn apply_widget_key(
    w: &mut WidgetState,
    d: &Defaults,
    key: &str,
    field: &str,
    value: &str,
) -> Result<(), Notice> {
    let keeps_default = |en: String, zh: String| {
        Notice::new(
            key,
            format!("{en}; `{key}` keeps its default"),
            format!("{zh}；`{key}` 保持默认值"),
        )
    };
    if let (Widget::Network(n), "model" | "method" | "start") = (d.widget, field) {
        return Err(Notice::new(
            key,
            format!(
                "network `{}` has no {field} to set; `{key}` is ignored",
                n.id
            ),
            format!("网络 `{}` 没有可设置的 {field}；已忽略 `{key}`", n.id),
        ));
    }
    match field {
        "model" => {
            let text = link_text::decode(value, &d.model.source).map_err(|e| {
                keeps_default(
                    format!("the edited model in the link is {}", e.en),
                    format!("链接中编辑过的模型无法读取（{}）", e.zh),
                )
            })?;
            if let Err(e) = parse_model(&text) {
                let e = e.located();
                return Err(keeps_default(
                    format!("the edited model in the link does not parse: {}", e.en),
                    format!("链接中编辑过的模型有错误：{}", e.zh),
                ));
            }
            if text != d.model.source {
                w.source = Some(Edit {
                    base: d.model.source.clone(),
                    text,
                });
            }
            Ok(())
        }
        "start" => {
            if !matches!(d.widget, Widget::PhasePlane(_)) {
                return Err(Notice::new(
                    key,
                    format!(
                        "`{}` is not a phase plane; `{key}` is ignored",
                        d.widget.id()
                    ),
                    format!("`{}` 不是相平面；已忽略 `{key}`", d.widget.id()),
                ));
            }
            let starts = value
                .split(';')
                .map(
                    |pair| match pair.split(',').map(number).collect::<Vec<_>>()[..] {
                        [Some(x), Some(y)] => Some([x, y]),
                        _ => None,
                    },
                )
                .collect::<Option<Vec<[f64; 2]>>>()
                .filter(|s| s.len() <= MAX_STARTS)
                .ok_or_else(|| {
                    keeps_default(
                        format!(
                            "start points are `x,y` pairs separated by `;`, at most {MAX_STARTS}"
                        ),
                        format!("起点写作以 `;` 分隔的 `x,y`，最多 {MAX_STARTS} 个"),
                    )
                })?;
            if starts != d.setting.starts {
                w.starts = Some(starts);
            }
            Ok(())
        }
        "input" => {
            let spec = InputSpec::parse(value).map_err(|e| {
                keeps_default(
                    format!("`{value}` is not a valid input spec: {e}"),
                    format!(
                        "`{value}` 不是有效的输入设定：{}（位置 {}）",
                        e.message.zh, e.position
                    ),
                )
            })?;
            let mut setting = d.setting.clone();
            setting.input = Some(value.to_string());
            match setting.neurons() {
                Ok(n) if n == d.neurons => {}
                _ => {
                    return Err(keeps_default(
                        format!("the input's per-neuron lists do not fit the simulator's {n} neuron(s): give 1 value or {n}", n = d.neurons),
                        format!("输入的逐神经元列表与该模拟器的 {n} 个神经元不符：请给 1 或 {n} 个值", n = d.neurons),
                    ))
                }
            }
            let default = d.setting.input_spec().ok().flatten();
            if default.as_ref() != Some(&spec) {
                w.input = Some(value.to_string());
            }
            Ok(())
        }
        "method" => {
            let method = Method::from_name(value).ok_or_else(|| {
                let names: Vec<_> = Method::ALL.iter().map(|m| m.name()).collect();
                keeps_default(
                    format!("unknown method `{value}`; use {}", names.join(", ")),
                    format!("未知积分方法 `{value}`；可用 {}", names.join("、")),
                )
            })?;
            let default = d.setting.method().ok().flatten().unwrap_or(d.model.method);
            if method != default {
                w.method = Some(method.name().to_string());
            }
            Ok(())
        }
        "dt" => {
            let dt_ms = number(value)
                .filter(|dt| *dt > 0.0 && *dt <= MAX_DT_MS)
                .ok_or_else(|| {
                    keeps_default(
                        format!("dt = `{value}` must be a number of ms in (0, {MAX_DT_MS}]"),
                        format!("dt = `{value}` 必须是 (0, {MAX_DT_MS}] 之间的毫秒数"),
                    )
                })?;
            let steps = (d.setting.duration_ms / dt_ms).floor() * d.neurons as f64;
            if steps > MAX_NEURON_STEPS {
                return Err(keeps_default(
                    format!("dt = {dt_ms} ms would take {steps} neuron steps, more than the {MAX_NEURON_STEPS} a widget may run"),
                    format!("dt = {dt_ms} ms 需要 {steps} 个神经元步，超过上限 {MAX_NEURON_STEPS}"),
                ));
            }
            if dt_ms != d.setting.dt_ms {
                w.dt_ms = Some(dt_ms);
            }
            Ok(())
        }
        "seed" => {
            let seed = value.parse::<u64>().map_err(|_| {
                keeps_default(
                    format!(
                        "seed = `{value}` must be a whole number from 0 to {}",
                        u64::MAX
                    ),
                    format!("seed = `{value}` 必须是 0 到 {} 之间的整数", u64::MAX),
                )
            })?;
            if seed != d.setting.seed {
                w.seed = Some(seed);
            }
            Ok(())
        }
        name => {
            // An edited model earlier in the link is what its parameters belong to.
            let edited = w.source.as_ref().and_then(|e| parse_model(&e.text).ok());
            let model = edited.as_ref().unwrap_or(&d.model);
            let Some(i) = model.param_index(name) else {
                return Err(Notice::new(
                    key,
                    format!(
                        "`{name}` is not a parameter of {}; `{key}` is ignored",
                        model.id
                    ),
                    format!("`{name}` 不是 {} 模型的参数；已忽略 `{key}`", model.id),
                ));
            };
            if let Widget::FiCurve(fi) = d.widget {
                if fi.param == name {
                    return Err(Notice::new(
                        key,
                        format!("`{name}` is swept by the f–I curve `{}` and cannot be set; `{key}` is ignored", fi.id),
                        format!("`{name}` 是 f–I 曲线 `{}` 的扫描参数，不能设置；已忽略 `{key}`", fi.id),
                    ));
                }
            }
            let values = value
                .split(',')
                .map(|x| number(x).ok_or(x))
                .collect::<Result<Vec<f64>, &str>>()
                .map_err(|bad| {
                    keeps_default(
                        format!("`{bad}` is not a number"),
                        format!("`{bad}` 不是数字"),
                    )
                })?;
            let p = &model.params[i];
            if let Some(x) = values.iter().find(|x| !(p.min..=p.max).contains(*x)) {
                return Err(keeps_default(
                    format!(
                        "{x} is outside the range [{}, {}] {} of `{name}`",
                        p.min, p.max, p.unit
                    ),
                    format!("{x} 超出 `{name}` 的范围 [{}, {}] {}", p.min, p.max, p.unit),
                ));
            }
            if values.len() != 1 && values.len() != d.neurons {
                return Err(keeps_default(
                    format!(
                        "{} values given, but the simulator has {} neuron(s): give 1 or {}",
                        values.len(),
                        d.neurons,
                        d.neurons
                    ),
                    format!(
                        "给出了 {} 个值，但该模拟器有 {} 个神经元：请给 1 或 {} 个值",
                        values.len(),
                        d.neurons,
                        d.neurons
                    ),
                ));
            }
            if !same_per_neuron(&values, &d.param_default(model, i), d.neurons) {
                w.params.insert(name.to_string(), values);
            }
            Ok(())
        }
    }
}

/// Whether two parameter values give every one of `neurons` neurons the same value (`36` and
/// `36,36,36` do).
fn same_per_neuron(a: &[f64], b: &[f64], neurons: usize) -> bool {
    let at = |v: &[f64], k: usize| if v.len() == 1 { v[0] } else { v[k] };
    (0..neurons).all(|k| at(a, k) == at(b, k))
}

/// A finite number; Rust's parser also takes `inf` and `NaN`, which no setting can use.
fn number(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Reads a link that names its lesson, for the command line: a query with `lesson=3` (or
/// `lesson=03-hodgkin-huxley`), or a page URL `…/lesson/03-hodgkin-huxley?ap.I=10`. The error
/// says how to name a lesson, or which lessons there are.
pub fn parse_with_lesson(link: &str) -> Result<(&'static Lesson, PageState, Vec<Notice>), String> {
    let link = link.trim();
    let link = link.split_once('#').map_or(link, |(before, _)| before);
    let (path, query) = match link.split_once('?') {
        Some((path, query)) => (path, query),
        None if link.contains('/') => (link, ""),
        None => ("", link),
    };
    // `…/lesson/NN-slug`; a path without a `lesson` segment leaves the naming to `lesson=`.
    let mut segments = path.split('/').filter(|s| !s.is_empty());
    let from_path = segments
        .find(|s| *s == "lesson")
        .and_then(|_| segments.next());
    let mut from_key = None;
    let mut rest = Vec::new();
    for segment in query.split('&') {
        match segment.split_once('=') {
            Some(("lesson", name)) => from_key = Some(percent::decode(name).map_err(|e| e.en)?),
            _ => rest.push(segment),
        }
    }
    let name = match (from_path, from_key.as_deref()) {
        (Some(a), Some(b)) if registry::find(a) != registry::find(b) => {
            return Err(format!(
                "the link names two lessons, `{a}` in its path and `lesson={b}`; give one"
            ))
        }
        (Some(name), _) | (None, Some(name)) => name,
        (None, None) => {
            return Err(
                "name the lesson: `lesson=3&ap.I=10`, or a page link …/lesson/03-hodgkin-huxley?ap.I=10"
                    .to_string(),
            )
        }
    };
    let lesson = registry::find(name).ok_or_else(|| {
        let pages: Vec<String> = registry::CATALOG.iter().map(|e| e.page_name()).collect();
        format!(
            "no lesson `{name}`; lessons with content: {}",
            pages.join(", ")
        )
    })?;
    let (state, notices) = parse(&rest.join("&"), lesson);
    Ok((lesson, state, notices))
}
