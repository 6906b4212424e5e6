//! Every message the core gives the learner is written in English and in Chinese: for each kind
//! of mistake in a model text, an input spec, a setup, a network and a vector field, both
//! languages are there, the Chinese one is Chinese (and has no English words left in it outside
//! code), and the two name the same numbers and the same code (`…`).

use brainplay_sim::connect::Rule;
use brainplay_sim::field::VectorField;
use brainplay_sim::input::{InputSpec, InputState, Protocol, Values};
use brainplay_sim::network::{Group, Network, NetworkSetup, Projection, Source, Unit};
use brainplay_sim::{library, parse_model, Message, Model, Setup, Simulation};

mod model_texts;
use model_texts::with;

/// Model texts that are refused, each for a different reason.
fn bad_models() -> Vec<String> {
    let mut texts: Vec<String> = [
        // Characters, numbers and strings.
        "x = a $ 1",
        "x = α",
        "x = 1.2.3",
        "x = a * 1e999",
        r#"reference "Hodgkin"#,
        // Something missing or left over.
        "x = a +",
        "x = a * / 2",
        "x = (a + 1",
        "x = a + 1)",
        "x = max(a, 1",
        "x = old(3)",
        "spike V a",
        "refractory a V",
        "spike V >= a\nrefractory a hold 3",
        "reset V 0",
        "reset 0",
        "on_spike 1",
        "on_post_spike +",
        "output 5",
        "post 5",
        "x + 1",
        "dV/dt 1",
        "3 = a",
        "title x",
        r#"title "English" 3"#,
        "reference 1",
        "brainpy 1",
        "method 1",
        "input 2",
        "model 3",
        "param 1",
        "param b 1",
        "param b = x",
        r#"param b = 1 1 [0, 2] "" """#,
        r#"param b = 1 1 in 0"#,
        r#"param b = 1 1 in [x"#,
        r#"param b = 1 1 in [0 2]"#,
        r#"param b = 1 1 in [0, x]"#,
        r#"param b = 1 1 in [0, 2 "" """#,
        r#"param b = 1 1 in [0, 2] 5"#,
        r#"param b = 1 1 in [0, 2] "only English""#,
        "state 1",
        "state w 0",
        r#"state w = 0 "" """#,
        "state w = 0",
        "method euler rk4",
        // Limits.
        &format!("x = {}a{}", "(".repeat(200), ")".repeat(200)),
        &format!("x = a{}", " + a".repeat(1200)),
        // Names.
        "x = a + b",
        "x = foo(a)",
        "x = pow(a)",
        "x = 1 + exp(a, a)",
        r#"param a = 1 1 in [0, 2] "" """#,
        r#"param t = 1 1 in [0, 2] "" """#,
        "dt = 1",
        "sigmoid = a",
        // Rules.
        "on_spike a += 1",
        "on_spike V += old(a)",
        "x = old(V)",
        "output a",
        "post V",
        "on_spike V += 1\non_spike V += 2",
        "on_post_spike V += 1",
        "dW/dt = 1",
        "da/dt = 1",
        "x = 1\ndx/dt = 1",
        "dV/dt = 0",
        r#"state w = 0 1 "" """#,
        "x = x + 1",
        "y = p\np = q * 2\nq = exp(r)\nr = p - a",
        "model n",
        "spike V >= a\nreset a = 0",
        "reset V = 0",
        "refractory a hold V",
        "spike V >= a\nrefractory a hold V, a",
        "spike V >= a\nrefractory 2 * V hold V",
        "state w = w 1 \"\" \"\"\ndw/dt = 0",
        r#"param b = 5 1 in [0, 2] "" """#,
        "method rk5",
        "input V",
    ]
    .iter()
    .map(|lines| with(lines))
    .collect();
    texts.extend([
        String::new(),
        "# comment\n\nparam a = 1 1 in [0, 2] \"\" \"\"".to_string(),
        "model LIF".to_string(),
        "\"model\"".to_string(),
        helper_chain(1600, "NEXT + 1"),
        doubling_helpers(40),
    ]);
    texts
}

/// `lines` helpers, each reading the next, the last reading `a`.
fn helper_chain(lines: usize, each: &str) -> String {
    let mut text = with("");
    for i in 0..lines {
        let next = if i + 1 == lines {
            "a".to_string()
        } else {
            format!("h{}", i + 1)
        };
        text.push_str(&format!("h{i} = {}\n", each.replace("NEXT", &next)));
    }
    text
}

/// `a_k = a_{k-1} + a_{k-1}`: 2^levels terms once written out.
fn doubling_helpers(levels: usize) -> String {
    let mut text = with("a0 = a\n");
    for k in 1..=levels {
        text.push_str(&format!("a{k} = a{} + a{}\n", k - 1, k - 1));
    }
    text
}

/// Input specs that do not parse, each for a different reason.
const BAD_SPECS: &[&str] = &[
    "",
    "I_ext: ",
    "constant(1) + foo(2)",
    "constant 5",
    "sine(amp=1, freq=)",
    "sine(amp=1, freq=10, amp=2)",
    "sine(amp=1, freq=10, bogus=2)",
    "sine(amp=1)",
    "sine(1, freq=2)",
    "sine(amp=1 freq=2)",
    "sine(amp 1, freq=2)",
    "constant(5) garbage",
    "constant(5) + é",
    "constant(5",
    "constant(5, 6)",
    "constant(1.2.3)",
    "constant(1e999)",
    "constant(inf)",
    "constant([[[1]]])",
    "constant([])",
    "constant([1, 2",
    "sine(amp=[1, [2]], freq=1)",
    "sine(amp=1, freq=[1, 2])",
    "ou(mean=0, sigma=-1, tau=5)",
    "ou(mean=0, sigma=1, tau=0)",
    "pulses(amp=1, start=0, width=2, period=10, count=2.5)",
    "pulses(amp=1, start=0, width=2, period=10, count=1e17)",
    "sections(values=[1, 2], durations=[1])",
    "sections(values=[], durations=[])",
    "sections(values=[1], durations=[[1]])",
    "ramp(from=0, to=1, start=5, end=4)",
    "spikes(times=3, weight=1)",
];

/// Specs that parse but cannot be prepared for their population and step.
fn bad_input_states() -> Vec<Message> {
    let parse = |s: &str| InputSpec::parse(s).unwrap();
    let built = |protocol| InputSpec {
        target: None,
        terms: vec![protocol],
    };
    let refused = |spec: &InputSpec, n: usize, dt_ms: f64| {
        InputState::new(spec, n, dt_ms, 0)
            .map(|_| ())
            .expect_err("refused")
    };
    let errors = [
        refused(
            &parse("pulses(amp=[1, 2], start=0, width=1, period=2)"),
            3,
            0.1,
        ),
        refused(
            &parse("constant(1) + sections(values=[0, [1, 2, 4], 0], durations=[1, 1, 1])"),
            2,
            0.1,
        ),
        refused(&parse("ou(mean=0, sigma=1, tau=0.04)"), 1, 0.1),
        refused(&parse("constant(1)"), 1, 0.0),
        refused(
            &built(Protocol::OrnsteinUhlenbeck {
                mean: Values::One(0.0),
                sigma: Values::PerNeuron(vec![1.0, -1.0]),
                tau_ms: 5.0,
            }),
            2,
            0.1,
        ),
        refused(
            &built(Protocol::Constant {
                value: Values::One(f64::INFINITY),
            }),
            1,
            0.1,
        ),
        refused(
            &built(Protocol::Constant {
                value: Values::PerNeuron(Vec::new()),
            }),
            1,
            0.1,
        ),
    ];
    errors
        .iter()
        .flat_map(|e| [e.message.clone(), e.with_position()])
        .collect()
}

fn model(text: &str) -> Model {
    parse_model(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// Setups a single population refuses.
fn bad_setups() -> Vec<Message> {
    let lif = library::get("lif").unwrap();
    let base = || Setup {
        n: 3,
        ..Setup::default()
    };
    let input = |s: &str| Some(InputSpec::parse(s).unwrap());
    let nan_start = model(
        "model t\nparam a = -1 1 in [-10, 10] \"a\" \"a\"\nstate x = log(a) 1 \"x\" \"x\"\ndx/dt = -x\n",
    );
    let no_input = model(
        "model t\nparam k = 1 1 in [0, 2] \"k\" \"k\"\nstate x = 0 1 \"x\" \"x\"\ndx/dt = k - x\n",
    );
    let cases: Vec<(&Model, Setup)> = vec![
        (&nan_start, base()),
        (
            &lif,
            Setup {
                params: vec![("tau_m".into(), vec![10.0])],
                ..base()
            },
        ),
        (
            &lif,
            Setup {
                params: vec![("I".into(), vec![1.0, 2.0])],
                ..base()
            },
        ),
        (
            &lif,
            Setup {
                params: vec![("I".into(), vec![f64::NAN])],
                ..base()
            },
        ),
        (&lif, Setup { n: 0, ..base() }),
        (
            &lif,
            Setup {
                dt_ms: -0.1,
                ..base()
            },
        ),
        (
            &lif,
            Setup {
                record_stride: 0,
                ..base()
            },
        ),
        (
            &lif,
            Setup {
                record: vec!["V".into(), "g_Na".into()],
                ..base()
            },
        ),
        (
            &lif,
            Setup {
                record_neurons: vec![5],
                ..base()
            },
        ),
        (
            &lif,
            Setup {
                init: vec![("U".into(), vec![0.0])],
                ..base()
            },
        ),
        (
            &lif,
            Setup {
                init: vec![("V".into(), vec![0.0; 4])],
                ..base()
            },
        ),
        (
            &lif,
            Setup {
                input: input("constant([1, 2])"),
                ..base()
            },
        ),
        (
            &lif,
            Setup {
                dt_ms: 1.0,
                input: input("ou(mean=1, sigma=1, tau=0.4)"),
                ..base()
            },
        ),
        (
            &lif,
            Setup {
                input: input("V: constant(5)"),
                ..base()
            },
        ),
        (
            &no_input,
            Setup {
                input: input("constant(1)"),
                ..base()
            },
        ),
        (
            &lif,
            Setup {
                varying: vec!["W".into()],
                ..base()
            },
        ),
    ];
    cases
        .into_iter()
        .map(|(model, setup)| {
            Simulation::new(model, &setup)
                .map(|_| ())
                .expect_err("refused")
                .0
        })
        .collect()
}

/// A neuron with an input parameter, a parameter named like a prefixed synapse state, and a
/// helper named like a prefixed synapse current.
const NEURON: &str = r#"model nrn
input I
param I = 0 1 in [-100, 100] "i" "电流"
state V = 0 1 "v" "电位"
dV/dt = I - V"#;

/// A linear synapse reading the postsynaptic `V`.
const SYNAPSE: &str = r#"model syn
param g_max = 1 1 in [0, 10] "g" "电导"
param V = 0 1 in [-100, 100] "v" "电位"
state g = 0 1 "g" "电导"
dg/dt = -g
on_spike g += g_max
I = g * (0 - V)
output I
post V"#;

/// Two spike times driving a neuron through one projection `syn`, changed by `change`.
fn network(change: impl FnOnce(&mut NetworkSetup)) -> Message {
    let groups = vec![
        Group {
            name: "pre".into(),
            source: Source::Times(vec![vec![1.0], vec![2.0]]),
            seed: 1,
        },
        Group {
            name: "post".into(),
            source: Source::Neurons {
                model: Box::new(model(NEURON)),
                setup: Box::new(Setup {
                    n: 2,
                    ..Setup::default()
                }),
            },
            seed: 2,
        },
    ];
    let projections = vec![Projection::new("syn", model(SYNAPSE), Rule::AllToAll)];
    let mut setup = NetworkSetup {
        order: NetworkSetup::projections_first(groups.len(), projections.len()),
        groups,
        projections,
        dt_ms: 0.1,
        seed: 3,
        record_stride: 1,
    };
    assert!(Network::new(&setup).is_ok(), "the unchanged network runs");
    change(&mut setup);
    Network::new(&setup).map(|_| ()).expect_err("refused").0
}

/// Two neurons of `NEURON` with `lines` added.
fn neuron_with(lines: &str) -> Source {
    Source::Neurons {
        model: Box::new(model(&format!("{NEURON}\n{lines}"))),
        setup: Box::new(Setup {
            n: 2,
            ..Setup::default()
        }),
    }
}

/// A change to the network of `network`.
type Change = Box<dyn FnOnce(&mut NetworkSetup)>;

fn bad_networks() -> Vec<Message> {
    let changes: Vec<Change> = vec![
        Box::new(|s| s.projections[0].pre = "nowhere".into()),
        Box::new(|s| s.projections[0].post = "nowhere".into()),
        Box::new(|s| s.projections[0].post = "pre".into()),
        Box::new(|s| {
            s.projections[0].synapse = model(&SYNAPSE.replace("on_spike g += g_max", "x = g_max"))
        }),
        Box::new(|s| s.projections[0].synapse = model(&SYNAPSE.replace("output I", "J = I"))),
        Box::new(|s| {
            s.projections[0].synapse = model(&format!(
                "{}\nparam W = 0 1 in [-100, 100] \"w\" \"w\"",
                SYNAPSE
                    .replace("post V", "post W")
                    .replace("(0 - V)", "(0 - W)")
            ))
        }),
        Box::new(|s| {
            s.groups[0].source = Source::Train {
                n: 2,
                spec: "constant([1, 2, 3])".parse().unwrap(),
            }
        }),
        Box::new(|s| s.order.push(Unit::Group(9))),
        Box::new(|s| {
            s.order.pop();
        }),
        Box::new(|s| s.groups[0].source = Source::Times(vec![vec![1.0], vec![-1.0]])),
        Box::new(|s| {
            s.groups[0].source = Source::Times(vec![vec![1.0]; 3]);
            s.projections[0].rule = Rule::OneToOne;
        }),
        Box::new(|s| s.projections[0].rule = Rule::FixedProb { p: 1.5 }),
        Box::new(|s| s.projections[0].params = vec![("g_max".into(), vec![1.0, 2.0, 3.0])]),
        Box::new(|s| {
            s.projections[0].synapse = model(&format!(
                "{}\nparam E = 0 1 in [-100, 100] \"e\" \"反转电位\"",
                SYNAPSE.replace("(0 - V)", "(E - V)")
            ));
            s.projections[0].params = vec![("E".into(), vec![0.0, 1.0, 2.0, 3.0])];
        }),
        Box::new(|s| {
            s.projections[0].params = vec![("g_max".into(), vec![1.0, 2.0, 3.0, 4.0])];
            s.projections[0].init = vec![("g".into(), vec![f64::NAN])];
        }),
        Box::new(|s| s.groups[1].source = neuron_with("param syn_g_max = 0 1 in [0, 1] \"\" \"\"")),
        Box::new(|s| s.groups[1].source = neuron_with("I_syn = V")),
        Box::new(|s| {
            s.groups[1].source = Source::Neurons {
                model: Box::new(model(&NEURON.replace("input I\n", ""))),
                setup: Box::new(Setup {
                    n: 2,
                    ..Setup::default()
                }),
            }
        }),
    ];
    changes.into_iter().map(network).collect()
}

fn bad_fields() -> Vec<Message> {
    let lif = library::get("lif").unwrap();
    let refused = |vars: &[&str], params: &[(&str, f64)], lanes| {
        VectorField::new(&lif, vars, params, &[], lanes)
            .map(|_| ())
            .expect_err("refused")
            .0
    };
    vec![
        refused(&["W"], &[], 4),
        refused(&[], &[], 4),
        refused(&["V"], &[], 0),
        refused(&["V"], &[("zz", 1.0)], 4),
    ]
}

/// The runs of digits in `text`, sorted.
fn numbers(text: &str) -> Vec<String> {
    let mut found: Vec<String> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    found.sort();
    found
}

/// The code spans (`…`) in `text`, sorted.
fn code(text: &str) -> Vec<String> {
    let mut spans: Vec<String> = text
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    spans.sort();
    spans
}

/// `text` without its code spans.
fn prose(text: &str) -> String {
    text.split('`').step_by(2).collect::<Vec<_>>().join(" ")
}

/// English words that belong in no Chinese message (names of models, parameters, functions and
/// units may stand in one).
const ENGLISH: &[&str] = &[
    "a",
    "an",
    "the",
    "of",
    "is",
    "are",
    "not",
    "and",
    "or",
    "in",
    "to",
    "for",
    "with",
    "at",
    "as",
    "be",
    "must",
    "may",
    "only",
    "found",
    "expected",
    "unexpected",
    "end",
    "line",
    "number",
    "name",
    "names",
    "state",
    "states",
    "parameter",
    "helper",
    "unknown",
    "got",
    "has",
    "takes",
    "needs",
    "neuron",
    "neurons",
    "group",
    "projection",
    "term",
    "position",
    "value",
    "values",
    "list",
    "argument",
    "arguments",
    "declared",
    "after",
    "before",
    "cannot",
    "variable",
    "quotes",
    "string",
    "unit",
    "method",
    "function",
    "functions",
];

fn check(label: &str, m: &Message) {
    let (en, zh) = (&m.en, &m.zh);
    assert!(!en.trim().is_empty(), "{label}: empty English: {m:?}");
    assert!(
        zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{label}: the Chinese text has no Chinese: {zh:?} (English: {en:?})"
    );
    assert_ne!(en, zh, "{label}: the same text in both languages");
    assert_eq!(
        numbers(en),
        numbers(zh),
        "{label}: different numbers in\n  {en}\n  {zh}"
    );
    assert_eq!(
        code(en),
        code(zh),
        "{label}: different code in\n  {en}\n  {zh}"
    );
    let zh_prose = prose(zh);
    let english: Vec<&str> = zh_prose
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| ENGLISH.contains(&w.to_ascii_lowercase().as_str()))
        .collect();
    assert!(
        english.is_empty(),
        "{label}: English words {english:?} in the Chinese text {zh:?}"
    );
}

#[test]
fn every_model_error_is_in_both_languages() {
    let texts = bad_models();
    for text in &texts {
        let err = match parse_model(text) {
            Ok(_) => panic!("expected an error, but this parsed:\n{text}"),
            Err(err) => err,
        };
        let label = text
            .lines()
            .last()
            .unwrap_or("")
            .chars()
            .take(60)
            .collect::<String>();
        check(&label, &err.message);
        check(&label, &err.located());
    }
    // Each text fails in its own way: no two give the same message.
    let mut messages: Vec<String> = texts
        .iter()
        .map(|t| parse_model(t).unwrap_err().message.en)
        .collect();
    let n = messages.len();
    messages.sort();
    messages.dedup();
    assert!(
        n - messages.len() < 10,
        "{} of {n} messages repeat",
        n - messages.len()
    );
}

#[test]
fn every_input_error_is_in_both_languages() {
    for text in BAD_SPECS {
        let err = match InputSpec::parse(text) {
            Ok(spec) => panic!("{text:?} parsed as {spec:?}"),
            Err(err) => err,
        };
        check(text, &err.message);
        check(text, &err.with_position());
        // The line and its caret, then the message.
        let (rendered, message) = (err.render(text), &err.message);
        let head = rendered
            .en
            .strip_suffix(&message.en)
            .expect("ends with the message");
        assert_eq!(rendered.zh, format!("{head}{}", message.zh));
    }
    for m in bad_input_states() {
        check("input state", &m);
    }
}

#[test]
fn every_setup_error_is_in_both_languages() {
    for m in bad_setups() {
        check("setup", &m);
    }
    for m in bad_networks() {
        check("network", &m);
    }
    for m in bad_fields() {
        check("vector field", &m);
    }
}

/// Where a Chinese message names code, a number or a Latin word right after Chinese text, a
/// space sets it apart; composed messages too.
#[test]
fn composed_messages_read_as_chinese() {
    let err = parse_model(&with("x = (a + 1")).unwrap_err();
    assert_eq!(err.message.zh, "应为 `)`，实际是行尾");
    let err = parse_model("model 3").unwrap_err();
    assert_eq!(err.message.zh, "应为模型标识符，实际是数字 3");
    let err = InputSpec::parse("constant(5) garbage").unwrap_err();
    assert_eq!(err.message.zh, "应为 `+` 或输入的末尾，实际是 `garbage`");
    assert_eq!(
        err.with_position().zh,
        "应为 `+` 或输入的末尾，实际是 `garbage`（位置 12）"
    );
}
