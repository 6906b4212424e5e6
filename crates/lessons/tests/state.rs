//! Share links: reading them (with notices for whatever cannot be applied), writing them, and
//! the round trip between the two, on the demo lesson (`tests/data/03-demo.toml`: simulators
//! `ap` (hh, one neuron, dt 0.05) and `pop` (hh, six neurons), f–I curve `fi` (lif, sweeps I)).
// Native only: proptest is a native dev-dependency; tests/wasm.rs covers the browser.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use brainplay_lessons::content::Widget;
use brainplay_lessons::{
    parse_with_lesson, Lang, Lesson, PageState, Runnable, Setting, WidgetState,
};
use brainplay_lessons::{registry, state};
use brainplay_sim::Method;
use proptest::prelude::*;

fn demo() -> Lesson {
    Lesson::parse(include_str!("data/03-demo.toml")).expect("the demo lesson parses")
}

/// Parsing `query` applies what `want` (a normalised query) says, with a notice for each
/// `(key, part of the English message)` in `notices`, in order.
fn check(query: &str, want: &str, notices: &[(&str, &str)]) {
    let (state, got) = state::parse(query, &demo());
    assert_eq!(state.to_query(), want, "{query}");
    assert_eq!(
        got.len(),
        notices.len(),
        "{query}: notices {got:#?}, want {notices:?}"
    );
    for (notice, (key, part)) in got.iter().zip(notices) {
        assert_eq!(notice.key, *key, "{query}: {notice:?}");
        assert!(
            notice.message.en.contains(part),
            "{query}: `{}` lacks `{part}`",
            notice.message.en
        );
        assert!(!notice.message.zh.is_empty(), "{query}: {notice:?}");
    }
}

#[test]
fn valid_links() {
    check("", "", &[]);
    check("?", "", &[]);
    check("?ap.I=10", "v=1&ap.I=10", &[]);
    check("v=1&lang=zh", "v=1&lang=zh", &[]);
    check("lang=en", "v=1&lang=en", &[]);
    check("&&ap.I=1e1&", "v=1&ap.I=10", &[]);
    check(
        "ap.seed=7&ap.dt=0.01&ap.method=rk4&ap.gNa=0&lang=zh&v=1",
        "v=1&lang=zh&ap.gNa=0&ap.method=rk4&ap.dt=0.01&ap.seed=7",
        &[],
    );
    check("ap.input=constant(5)", "v=1&ap.input=constant(5)", &[]);
    check(
        "ap.input=I:+constant(2)+%2B+sine(amp=1,+freq=10)",
        "v=1&ap.input=I:+constant(2)+%2B+sine(amp=1,+freq=10)",
        &[],
    );
    check(
        "pop.gK=30,31,32,33,34,35",
        "v=1&pop.gK=30,31,32,33,34,35",
        &[],
    );
    check("pop.gK=20", "v=1&pop.gK=20", &[]);
    check(
        "fi.tau=20&fi.input=constant(1)",
        "v=1&fi.tau=20&fi.input=constant(1)",
        &[],
    );
}

#[test]
fn default_values_are_dropped_silently() {
    // The block's own input, written differently.
    check(
        "ap.input=pulses(amp=10,start=5,width=2,period=100)",
        "",
        &[],
    );
    // exp_auto is BrainPy's name for hh's default method.
    check("ap.method=exp_auto", "", &[]);
    check("ap.dt=0.05&ap.seed=0&ap.gNa=120", "", &[]);
    // `pop` gives every neuron gK = 36 as a list.
    check("pop.gK=36", "", &[]);
    check("pop.gK=36,36,36,36,36,36", "", &[]);
}

#[test]
fn malformed_links_give_notices_and_the_rest_applies() {
    check(
        "?ap.I=abc",
        "",
        &[("ap.I", "`abc` is not a number; `ap.I` keeps its default")],
    );
    check("ap.I=inf", "", &[("ap.I", "`inf` is not a number")]);
    check("ap.I=1,,2", "", &[("ap.I", "`` is not a number")]);
    check(
        "?ap.gNa=99999&ap.I=10",
        "v=1&ap.I=10",
        &[(
            "ap.gNa",
            "99999 is outside the range [0, 240] mS/cm2 of `gNa`; `ap.gNa` keeps its default",
        )],
    );
    check(
        "?zz.I=1&ap.I=10",
        "v=1&ap.I=10",
        &[(
            "zz.I",
            "this lesson has no simulator `zz` (it has: ap, pop, fi, pp, syn, line); `zz.I` is ignored",
        )],
    );
    check(
        "?ap.foo=1&ap.I=10",
        "v=1&ap.I=10",
        &[(
            "ap.foo",
            "`foo` is not a parameter of hh; `ap.foo` is ignored",
        )],
    );
    check(
        "?v=9&ap.I=10",
        "v=1&ap.I=10",
        &[("v", "made by a newer BrainPlay (format version 9)")],
    );
    check("v=one", "", &[("v", "`v=one` is not a format version")]);
    check(
        "?lang=fr&ap.I=10",
        "v=1&ap.I=10",
        &[("lang", "unknown language `fr`; use en or zh")],
    );
    check(
        "%ZZ&ap.I=10",
        "v=1&ap.I=10",
        &[(
            "%ZZ",
            "`%ZZ` is not valid percent-encoding; `%ZZ` is ignored",
        )],
    );
    check(
        "ap.I=%ZZ",
        "",
        &[(
            "ap.I",
            "the value of `ap.I`: `%ZZ` is not valid percent-encoding",
        )],
    );
    check("ap.I", "", &[("ap.I", "`ap.I` has no value")]);
    check("ap.I=", "", &[("ap.I", "`ap.I` has no value")]);
    check(
        "ap.I=10&ap.I=20",
        "v=1&ap.I=10",
        &[(
            "ap.I",
            "`ap.I` is given more than once; only the first is read",
        )],
    );
    check(
        "lesson=3&ap.I=10",
        "v=1&ap.I=10",
        &[("lesson", "unknown setting `lesson`")],
    );
    check(
        "ap.input=pulses(amp%3D1",
        "",
        &[("ap.input", "`pulses(amp=1` is not a valid input spec")],
    );
    check(
        "ap.input=constant(value=[1,2])",
        "",
        &[(
            "ap.input",
            "do not fit the simulator's 1 neuron(s): give 1 value or 1",
        )],
    );
    check(
        "ap.method=rk9",
        "",
        &[(
            "ap.method",
            "unknown method `rk9`; use euler, rk2, rk4, exp_euler",
        )],
    );
    for dt in ["0", "5", "-0.1", "x"] {
        check(
            &format!("ap.dt={dt}"),
            "",
            &[("ap.dt", "must be a number of ms in (0, 1]")],
        );
    }
    check("ap.dt=0.000001", "", &[("ap.dt", "more than the")]);
    check(
        "ap.seed=-1",
        "",
        &[("ap.seed", "must be a whole number from 0 to")],
    );
    check(
        "pop.I=1,2,3",
        "",
        &[(
            "pop.I",
            "3 values given, but the simulator has 6 neuron(s): give 1 or 6",
        )],
    );
    check(
        "fi.I=3",
        "",
        &[(
            "fi.I",
            "`I` is swept by the f–I curve `fi` and cannot be set",
        )],
    );
    check(
        "lang=zh&ap.I=abc&ap.gK=30&zz.x=1&v=1",
        "v=1&lang=zh&ap.gK=30",
        &[("ap.I", "not a number"), ("zz.x", "no simulator `zz`")],
    );
}

#[test]
fn states_apply_to_a_widget_setting() {
    let lesson = demo();
    let (state, notices) = state::parse(
        "ap.gNa=0&ap.dt=0.01&ap.input=constant(1)&ap.method=rk4&ap.seed=3",
        &lesson,
    );
    assert!(notices.is_empty(), "{notices:?}");
    let mut setting = Setting::from_block(lesson.simulator("ap").unwrap());
    state.widgets["ap"].apply_to(&mut setting);
    assert_eq!(setting.params["gNa"], [0.0]);
    assert_eq!(setting.dt_ms, 0.01);
    assert_eq!(setting.input.as_deref(), Some("constant(1)"));
    assert_eq!(setting.method.as_deref(), Some("rk4"));
    assert_eq!(setting.seed, 3);
    assert_eq!(setting.duration_ms, 30.0);
}

#[test]
fn links_that_name_their_lesson() {
    let fails = |link: &str, part: &str| {
        let e = parse_with_lesson(link).unwrap_err();
        assert!(e.contains(part), "{link}: `{e}` lacks `{part}`");
    };
    fails("", "name the lesson");
    fails("ap.I=10", "name the lesson");
    fails(
        "lesson=99&ap.I=10",
        "no lesson `99`; lessons with content: ",
    );
    fails("https://example.org/about?x=1", "name the lesson");
    fails("https://example.org/lesson/?x=1", "name the lesson");
    fails(
        "https://example.org/lesson/99-nothing",
        "no lesson `99-nothing`",
    );
    fails("lesson=%ZZ", "`%ZZ` is not valid");
    for lesson in registry::lessons() {
        let name = lesson.page_name();
        for link in [
            format!("lesson={}&lang=zh", lesson.number),
            format!("lesson={name}&lang=zh"),
            format!("https://example.org/brainplay/lesson/{name}?lang=zh#top"),
            format!("/lesson/{name}/?lang=zh"),
            format!("https://example.org/?lesson={}&lang=zh", lesson.slug),
            format!(
                "https://example.org/lesson/{name}?lesson={}&lang=zh",
                lesson.number
            ),
        ] {
            let (found, state, notices) = parse_with_lesson(&link).unwrap();
            assert_eq!(found, lesson, "{link}");
            assert_eq!(state.lang, Some(Lang::Zh), "{link}");
            assert!(notices.is_empty(), "{link}: {notices:?}");
        }
        let other = if lesson.number == 14 {
            1
        } else {
            lesson.number + 1
        };
        fails(
            &format!("https://example.org/lesson/{name}?lesson={other}"),
            "the link names two lessons",
        );
    }
}

/// `defaults` changed in every way the page lets a learner change widget `w`: a slider, the
/// equations (a comment added), and for simulators the method, dt and seed, for phase planes a
/// click.
fn edited(w: Widget, defaults: &Setting) -> Setting {
    let mut s = defaults.clone();
    let model = s.model().unwrap();
    let swept = match w {
        Widget::FiCurve(f) => f.param.as_str(),
        _ => "",
    };
    let slider = model
        .params
        .iter()
        .find(|p| p.name != swept && defaults.params.get(&p.name).is_none_or(|v| v.len() == 1));
    if let Some(p) = slider {
        let value = if p.default == p.min { p.max } else { p.min };
        s.params.insert(p.name.clone(), vec![value]);
    }
    if !matches!(w, Widget::Network(_)) {
        s.source = Some(format!("{}\n# edited in the browser\n", model.source));
    }
    match w {
        Widget::Simulator(_) => {
            s.seed = 7;
            s.dt_ms = if defaults.dt_ms * 2.0 <= 1.0 {
                defaults.dt_ms * 2.0
            } else {
                defaults.dt_ms / 2.0
            };
            let own = s.method().unwrap().unwrap_or(model.method);
            s.method = Some(if own == Method::Rk4 { "euler" } else { "rk4" }.to_string());
        }
        Widget::PhasePlane(p) => s.starts.push([p.x_range[0], p.y_range[1]]),
        Widget::Network(_) => s.seed = 7,
        Widget::FiCurve(_) | Widget::PhaseLine(_) => {}
    }
    s
}

/// Every widget of every lesson: a setting changed in every way the page allows survives its
/// link (written by `PageState::of`, read by `PageState::parse`, applied to the defaults), with
/// no notice, and a link with one such widget changed stays under 2000 characters.
#[test]
fn every_widget_of_every_lesson_round_trips() {
    let mut widgets = 0;
    for lesson in registry::lessons() {
        let mut all = BTreeMap::new();
        for w in lesson.widgets() {
            let setting = edited(w, &Setting::from_widget(w));
            let one = BTreeMap::from([(w.id().to_string(), setting.clone())]);
            let query = PageState::of(lesson, &one, Lang::Zh, &|id: &str| {
                brainplay_sim::library::source(id).map(String::from)
            })
            .to_query();
            assert!(query.len() < 2000, "{}: {} characters", w.id(), query.len());
            all.insert(w.id().to_string(), setting);
            widgets += 1;
        }
        let query = PageState::of(lesson, &all, Lang::En, &|id: &str| {
            brainplay_sim::library::source(id).map(String::from)
        })
        .to_query();
        let (state, notices) = state::parse(&query, lesson);
        assert!(notices.is_empty(), "lesson {}: {notices:?}", lesson.number);
        assert_eq!(state.lang, Some(Lang::En));
        for w in lesson.widgets() {
            let mut got = Setting::from_widget(w);
            if let Some(changes) = state.widgets.get(w.id()) {
                changes.apply_to(&mut got);
            }
            assert_eq!(got, all[w.id()], "lesson {} `{}`", lesson.number, w.id());
        }
    }
    assert!(widgets >= 30, "{widgets}");
}

/// An edited model or start points that cannot be used keep the defaults, with a notice.
#[test]
fn bad_models_and_start_points_give_notices() {
    let broken = "model broken\ndV/dt = (";
    let encoded = {
        // What the page would write for it, had it been accepted.
        let mut s = Setting::from_block(demo().simulator("ap").unwrap());
        let defaults = s.clone();
        s.source = Some(broken.into());
        let base = brainplay_sim::library::source("hh").unwrap();
        let state = WidgetState::between(&defaults, &s, base);
        let q = PageState {
            lang: None,
            widgets: BTreeMap::from([("ap".to_string(), state)]),
        }
        .to_query();
        q.split_once("ap.model=").unwrap().1.to_string()
    };
    check(
        &format!("ap.model={encoded}"),
        "",
        &[("ap.model", "does not parse")],
    );
    check("ap.model=1.2.3", "", &[("ap.model", "not an edited model")]);
    check("ap.start=1,2", "", &[("ap.start", "is not a phase plane")]);
}

/// A state of the demo lesson whose every value is valid and differs from the default.
fn states() -> impl Strategy<Value = PageState> {
    let lang = prop::option::of(prop_oneof![Just(Lang::En), Just(Lang::Zh)]);
    let ap = (
        prop::option::of(0.0..=240.0f64),
        prop::option::of(-20.0..=100.0f64),
        prop::option::of(prop_oneof![
            Just("constant(5)".to_string()),
            Just("ramp(from=0, to=20, start=5, end=25)".to_string()),
            Just("I: constant(2) + sine(amp=1, freq=10)".to_string()),
            Just("ou(mean=2, sigma=0.5, tau=10)".to_string()),
        ]),
        prop::option::of(prop_oneof![
            Just(Method::Euler),
            Just(Method::Rk2),
            Just(Method::Rk4)
        ]),
        prop::option::of(0.01..=1.0f64),
        prop::option::of(1..=u64::MAX),
    )
        .prop_map(|(g_na, i, input, method, dt_ms, seed)| {
            let mut params = BTreeMap::new();
            if let Some(x) = g_na.filter(|x| *x != 120.0) {
                params.insert("gNa".to_string(), vec![x]);
            }
            if let Some(x) = i.filter(|x| *x != 0.0) {
                params.insert("I".to_string(), vec![x]);
            }
            WidgetState {
                params,
                input,
                method: method.map(|m| m.name().to_string()),
                dt_ms: dt_ms.filter(|dt| *dt != 0.05),
                seed,
                ..WidgetState::default()
            }
        });
    let pop = prop::option::of(prop::collection::vec(0.0..=100.0f64, 6)).prop_map(|g_k| {
        let mut w = WidgetState::default();
        if let Some(values) = g_k.filter(|v| v.iter().any(|x| *x != 36.0)) {
            w.params.insert("gK".to_string(), values);
        }
        w
    });
    (lang, ap, pop).prop_map(|(lang, ap, pop)| {
        let widgets = [("ap", ap), ("pop", pop)]
            .into_iter()
            .filter(|(_, w)| !w.is_empty())
            .map(|(id, w)| (id.to_string(), w))
            .collect();
        PageState { lang, widgets }
    })
}

proptest! {
    #[test]
    fn written_links_read_back_without_notices(state in states()) {
        let query = state.to_query();
        let (parsed, notices) = state::parse(&query, &demo());
        prop_assert!(notices.is_empty(), "{query}: {notices:?}");
        prop_assert_eq!(parsed, state, "{}", query);
    }

    #[test]
    fn any_text_reads_without_panicking_and_rereads_cleanly(text in any::<String>()) {
        let lesson = demo();
        let (state, _) = state::parse(&text, &lesson);
        let (again, notices) = state::parse(&state.to_query(), &lesson);
        prop_assert!(notices.is_empty(), "{notices:?}");
        prop_assert_eq!(again, state);
    }

    #[test]
    fn link_like_text_reads_without_panicking(text in "[a-z.=&%+0-9,()A-F_ -]{0,60}") {
        let lesson = demo();
        let (state, _) = state::parse(&text, &lesson);
        let (again, notices) = state::parse(&state.to_query(), &lesson);
        prop_assert!(notices.is_empty(), "{notices:?}");
        prop_assert_eq!(again, state);
        let _ = parse_with_lesson(&text);
    }

    #[test]
    fn an_unknown_widget_is_always_named(value in any::<String>()) {
        let (_, notices) = state::parse(&format!("zz.I={value}"), &demo());
        prop_assert!(notices.iter().any(|n| n.key == "zz.I"), "{notices:?}");
    }
}

/// An edit of any library model travels in a link as its change, which reads back exactly; a
/// small edit takes a few dozen characters.
#[test]
fn edits_of_library_models_stay_short() {
    use brainplay_lessons::link_text::{decode, encode};
    for id in brainplay_sim::library::ids() {
        let base = brainplay_sim::library::source(id).unwrap();
        for (text, longest) in [
            (base.to_string(), 40),
            (format!("{base}\n# a note\n"), 60),
            (base.replacen('=', "= 2 *", 1), 60),
        ] {
            let encoded = encode(&text, base);
            assert_eq!(decode(&encoded, base).as_deref(), Ok(text.as_str()), "{id}");
            assert!(encoded.len() <= longest, "{id}: {encoded}");
        }
    }
}
