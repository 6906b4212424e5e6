//! Both languages say the same thing in the course's words: every text of every lesson (titles,
//! bodies, captions, questions, options, hints, explanations) and every built-in model's title
//! and descriptions carry the same numbers in English and Chinese, and the Chinese texts use the
//! course's terms (`TERMS`).

use brainplay_lessons::registry;
use brainplay_sim::library;
use serde_json::Value;

/// Chinese wordings the site does not use, what it uses instead, and why.
const TERMS: &[(&str, &str, &str)] = &[
    (
        "短时程抑制",
        "短时程压抑",
        "抑制 is inhibition; synaptic depression is 压抑",
    ),
    ("短时抑制", "短时程压抑", "抑制 is inhibition"),
    ("易化与抑制", "易化与压抑", "抑制 is inhibition"),
    ("抑制（恢复）", "压抑（恢复）", "抑制 is inhibition"),
    (
        "脉冲的抑制量",
        "脉冲的压抑量",
        "抑制 is inhibition; LTD is 长时程压抑",
    ),
    (
        "突触前迹",
        "突触前痕迹变量",
        "迹 is a Jacobian's trace; STDP's traces are 痕迹变量",
    ),
    ("突触后迹", "突触后痕迹变量", "迹 is a Jacobian's trace"),
    ("迹模型", "痕迹变量模型", "迹 is a Jacobian's trace"),
    (
        "迹时间常数",
        "痕迹变量的时间常数",
        "迹 is a Jacobian's trace",
    ),
    ("积分–发放", "积分发放", "one name for integrate-and-fire"),
    ("积分-发放", "积分发放", "one name for integrate-and-fire"),
    ("整合发放", "积分发放", "one name for integrate-and-fire"),
    ("积分放电", "积分发放", "one name for integrate-and-fire"),
    (
        "动作电位的解剖",
        "动作电位的各个阶段",
        "a translation of \"anatomy of\"",
    ),
    (
        "鼓起一个小包",
        "一个小的被动去极化",
        "a translation of \"a bump\"",
    ),
];

/// The numbers written in `text` with digits, in order: a run of digits with an optional
/// decimal part, not glued to a name (`RK4`, `x_2` and `h2` are names, not numbers).
fn numbers(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let glued = i > 0 && (bytes[i - 1].is_ascii_alphabetic() || bytes[i - 1] == b'_');
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i + 1 < bytes.len() && bytes[i] == b'.' && bytes[i + 1].is_ascii_digit() {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
        }
        if !glued {
            found.push(&text[start..i]);
        }
    }
    found.sort_unstable();
    found
}

/// Every `{ "en": …, "zh": … }` pair below `value`, with where it is.
fn pairs(value: &Value, place: String, out: &mut Vec<(String, String, String)>) {
    match value {
        Value::Object(map) => {
            if let (2, Some(Value::String(en)), Some(Value::String(zh))) =
                (map.len(), map.get("en"), map.get("zh"))
            {
                out.push((place, en.clone(), zh.clone()));
                return;
            }
            for (key, inner) in map {
                pairs(inner, format!("{place}.{key}"), out);
            }
        }
        Value::Array(items) => {
            for (k, inner) in items.iter().enumerate() {
                pairs(inner, format!("{place}[{k}]"), out);
            }
        }
        _ => {}
    }
}

/// Every text the site shows in both languages: the lessons' and the library models'.
fn all_texts() -> Vec<(String, String, String)> {
    let mut texts = Vec::new();
    for lesson in registry::lessons() {
        let value = serde_json::to_value(lesson).expect("a lesson serialises");
        pairs(&value, format!("lesson {}", lesson.number), &mut texts);
    }
    for id in library::ids().chain(library::synapse_ids()) {
        let model = library::get(id).expect("a built-in model");
        texts.push((
            format!("model {id}: title"),
            model.title_en.clone(),
            model.title_zh.clone(),
        ));
        for p in &model.params {
            let place = format!("model {id}: param {}", p.name);
            texts.push((place, p.description_en.clone(), p.description_zh.clone()));
        }
        for s in &model.states {
            let place = format!("model {id}: state {}", s.name);
            texts.push((place, s.description_en.clone(), s.description_zh.clone()));
        }
    }
    texts
}

#[test]
fn both_languages_give_the_same_numbers() {
    let texts = all_texts();
    assert!(texts.len() > 1000, "only {} texts", texts.len());
    let differ: Vec<String> = texts
        .iter()
        .filter(|(_, en, zh)| numbers(en) != numbers(zh))
        .map(|(place, en, zh)| format!("{place}: en {:?} vs zh {:?}", numbers(en), numbers(zh)))
        .collect();
    assert!(
        differ.is_empty(),
        "{} texts differ in their numbers (write small counts with digits in both languages \
         or in neither):\n{}",
        differ.len(),
        differ.join("\n")
    );
}

#[test]
fn chinese_texts_use_the_course_terms() {
    let mut misuses = Vec::new();
    for (place, _, zh) in all_texts() {
        for (avoid, instead, why) in TERMS {
            if zh.contains(avoid) {
                misuses.push(format!("{place}: `{avoid}` → `{instead}` ({why})"));
            }
        }
    }
    assert!(misuses.is_empty(), "{}", misuses.join("\n"));
}

/// The checks can fail: a number written only in one language, and every listed term.
#[test]
fn the_checks_see_what_they_look_for() {
    assert_eq!(numbers("RK4 at dt = 0.1 ms, x_2 and 20 Hz"), ["0.1", "20"]);
    assert_ne!(
        numbers("fires one spike at I = 3"),
        numbers("I = 3 时发放 1 个")
    );
    for (avoid, instead, _) in TERMS {
        assert!(!instead.contains(avoid), "`{instead}` contains `{avoid}`");
    }
}
