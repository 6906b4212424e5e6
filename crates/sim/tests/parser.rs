//! The model language's parser as a specification: what it accepts, what it builds, and for each
//! mistake the message and the exact line and column it points at. See docs/model-language.md.

use brainplay_sim::ir::{BinOp, Expr, Func, ResetOp, SpikeTest, Sym};
use brainplay_sim::{parse_model, Method, Model, Setup, Simulation};

mod model_texts;
use model_texts::{with, BASE};

/// Parsing `text` fails at `line`:`column` with a message containing `message`.
#[track_caller]
fn check_error(text: &str, line: usize, column: usize, message: &str) {
    let err = match parse_model(text) {
        Ok(_) => panic!("expected an error, but this parsed:\n{text}"),
        Err(err) => err,
    };
    assert!(
        err.message.en.contains(message),
        "message {:?} lacks {message:?}\n{text}",
        err.message
    );
    assert_eq!(
        (err.line, err.column),
        (line, column),
        "position of {:?}\n{text}",
        err.message
    );
}

#[track_caller]
fn parse(text: &str) -> Model {
    parse_model(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

mod syntax_errors {
    use super::*;

    #[test]
    fn a_missing_operand_is_expected_where_it_is_missing() {
        let wanted = "expected a number, a name or `(`, found";
        check_error(
            &with("x = a +"),
            5,
            8,
            &format!("{wanted} the end of the line"),
        );
        check_error(&with("x = a * / 2"), 5, 9, &format!("{wanted} `/`"));
        check_error(&with("x ="), 5, 4, wanted);
    }

    #[test]
    fn unbalanced_parentheses() {
        check_error(
            &with("x = (a + 1"),
            5,
            11,
            "expected `)`, found the end of the line",
        );
        check_error(
            &with("x = a + 1)"),
            5,
            10,
            "unexpected `)` after the statement",
        );
        check_error(&with("x = max(a, 1"), 5, 13, "expected `,` or `)`");
    }

    #[test]
    fn malformed_numbers() {
        check_error(&with("x = 1.2.3"), 5, 5, "malformed number `1.2.3`");
        check_error(&with("x = 1..5"), 5, 5, "malformed number `1..5`");
        check_error(
            &with(r#"param b = 1.2.3 mV in [0, 2] "" """#),
            5,
            11,
            "malformed number `1.2.3`",
        );
        check_error(&with("x = a * 1e999"), 5, 9, "`1e999` is too large");
    }

    #[test]
    fn unknown_characters() {
        check_error(&with("x = a $ 1"), 5, 7, "unexpected character `$`");
        check_error(&with("x = α"), 5, 5, "unexpected character `α`");
        check_error(&with("x = a . 1"), 5, 7, "unexpected character `.`");
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        check_error(
            &with(r#"title "电位" "x" y"#),
            5,
            16,
            "unexpected `y` after the statement",
        );
        check_error(
            &with(r#"title "电位电位" "x" $"#),
            5,
            18,
            "unexpected character `$`",
        );
    }

    #[test]
    fn an_unterminated_string_points_at_its_opening_quote() {
        check_error(&with(r#"reference "Hodgkin"#), 5, 11, "unterminated string");
    }

    #[test]
    fn statements_missing_a_part() {
        check_error(
            &with("spike V a"),
            5,
            9,
            "expected `>=`, `>` or `crosses`, found `a`",
        );
        check_error(&with("refractory a V"), 5, 14, "expected `hold`");
        check_error(
            &with("reset V 0"),
            5,
            9,
            "expected `=` or `+=`, found number 0",
        );
        check_error(&with("x + 1"), 5, 3, "expected `=` (a helper definition)");
        check_error(
            &with(r#"param b = 1 1 in [0, 2] "only English""#),
            5,
            39,
            "expected the Chinese description in quotes, found the end of the line",
        );
        check_error(
            &with(r#"param b = 1 1 [0, 2] "" """#),
            5,
            15,
            "expected `in [min, max]`, found `[`",
        );
        check_error(
            &with(r#"state w = 0 "" """#),
            5,
            13,
            "expected a unit (use `1` for dimensionless)",
        );
        check_error(
            &with("method euler rk4"),
            5,
            14,
            "unexpected `rk4` after the statement",
        );
    }

    #[test]
    fn a_line_too_deep_for_the_stack_is_an_error_not_a_crash() {
        let too_deep = "expressions may nest at most 100 levels deep";
        let nested = format!("x = {}a{}", "(".repeat(100_000), ")".repeat(100_000));
        check_error(&with(&nested), 5, 105, too_deep);
        let negated = format!("x = {}a", "-".repeat(100_000));
        check_error(&with(&negated), 5, 105, too_deep);
        let powers = format!("x = a{}", "^a".repeat(100_000));
        check_error(&with(&powers), 5, 205, too_deep);
        let chain = format!("x = a{}", " + a".repeat(100_000));
        check_error(
            &with(&chain),
            5,
            4005,
            "a line may hold at most 1000 operands",
        );
        let calls = format!("x = {}a{}", "exp(".repeat(100_000), ")".repeat(100_000));
        check_error(
            &with(&calls),
            5,
            405,
            "split this one into helper definitions",
        );
    }

    #[test]
    fn the_depth_limits_leave_room_for_any_real_formula() {
        let nested = format!("x = {}a{}", "(".repeat(99), ")".repeat(99));
        parse(&with(&nested));
        parse(&with(&format!("x = a{}", " * a".repeat(999))));
    }
}

mod name_errors {
    use super::*;

    #[test]
    fn unknown_names_and_functions() {
        check_error(&with("x = a + b"), 5, 9, "unknown name `b`");
        check_error(&with("x = exp"), 5, 5, "unknown name `exp`");
        check_error(
            &with("x = foo(a)"),
            5,
            5,
            "unknown function `foo` (known: exp, log,",
        );
    }

    #[test]
    fn functions_take_their_number_of_arguments() {
        check_error(
            &with("x = pow(a)"),
            5,
            5,
            "`pow` takes 2 arguments, found 1",
        );
        check_error(
            &with("x = 1 + exp(a, a)"),
            5,
            9,
            "`exp` takes 1 argument, found 2",
        );
    }

    #[test]
    fn no_name_is_declared_twice() {
        let earlier = "`a` is already declared on line 2";
        check_error(&with(r#"param a = 1 1 in [0, 2] "" """#), 5, 7, earlier);
        check_error(&with(r#"state a = 0 1 "" """#), 5, 7, earlier);
        check_error(&with("a = 2"), 5, 1, earlier);
        check_error(
            &with("x = 1\nx = 2"),
            6,
            1,
            "`x` is already declared on line 5",
        );
        // The later declaration is the one reported, whatever kinds the two are.
        check_error(
            &with(r#"param V = 1 1 in [0, 2] "" """#),
            5,
            7,
            "`V` is already declared on line 3",
        );
    }

    #[test]
    fn reserved_and_function_names_cannot_be_declared() {
        check_error(
            &with(r#"param t = 1 1 in [0, 2] "" """#),
            5,
            7,
            "`t` is reserved",
        );
        check_error(&with("dt = 1"), 5, 1, "`dt` is reserved");
        check_error(
            &with(r#"state exp = 0 1 "" """#),
            5,
            7,
            "`exp` is a function name",
        );
        check_error(&with("sigmoid = a"), 5, 1, "`sigmoid` is a function name");
    }
}

mod rule_errors {
    use super::*;

    /// Synapse statements: `on_spike` assigns states, `old(…)` belongs to it, `output` names a
    /// helper or state and `post` a parameter.
    #[test]
    fn synapse_statements_are_checked() {
        check_error(
            &with("on_spike a += 1"),
            5,
            10,
            "on_spike: `a` is not a state variable",
        );
        check_error(
            &with("on_spike V += old(a)"),
            5,
            19,
            "`old(a)`: `a` is not a state variable",
        );
        check_error(
            &with("x = old(V)"),
            5,
            9,
            "`old(…)` may appear only in `on_spike` and `on_post_spike` statements",
        );
        check_error(
            &with("output a"),
            5,
            8,
            "output: `a` is not a helper or a state",
        );
        check_error(&with("post V"), 5, 6, "post: `V` is not a parameter");
        check_error(
            &with("on_spike V += 1\non_spike V += 2"),
            6,
            1,
            "`on_spike` may appear only once",
        );
        check_error(&with("on_spike before"), 5, 16, "`=` or `+=`");
        check_error(
            &with("on_post_spike V += 1"),
            5,
            15,
            "`on_post_spike` belongs to a synapse",
        );
        let parsed = parse_model(&with(
            "on_spike before V += a; V = old(V) * 2\nI = V * a\noutput I\npost a",
        ))
        .unwrap();
        assert!(parsed.on_spike_before);
        assert_eq!(parsed.on_spike.len(), 2);
        assert_eq!(parsed.post, [0]);
        // `before` followed by an operator is a state named `before`.
        let parsed = parse_model(&with(
            r#"state before = 0 1 "b" "乙"
dbefore/dt = 0
on_spike before += 1"#,
        ))
        .unwrap();
        assert!(!parsed.on_spike_before);
    }

    #[test]
    fn derivatives_belong_to_states() {
        check_error(&with("dW/dt = 1"), 5, 1, "`dW/dt`: `W` is not declared");
        check_error(
            &with("da/dt = 1"),
            5,
            1,
            "`a` is a parameter, not a state variable",
        );
        check_error(
            &with("x = 1\ndx/dt = 1"),
            6,
            1,
            "`x` is a helper definition, not a state variable",
        );
        check_error(&with("dV/dt = 0"), 5, 1, "`dV/dt` is defined twice");
    }

    #[test]
    fn every_state_has_a_derivative() {
        check_error(
            &with(r#"state w = 0 1 "" """#),
            5,
            7,
            "state `w` has no equation `dw/dt = …`",
        );
    }

    #[test]
    fn helper_cycles_are_listed() {
        check_error(
            &with("x = x + 1"),
            5,
            1,
            "helper definitions form a cycle: x → x",
        );
        check_error(
            &with("y = p\np = q * 2\nq = exp(r)\nr = p - a"),
            6,
            1,
            "helper definitions form a cycle: p → q → r → p",
        );
    }

    #[test]
    fn a_model_starts_with_its_id() {
        check_error("", 1, 1, "the text is empty");
        check_error("# only a comment\n\n", 1, 1, "the text is empty");
        check_error(
            "# comment\n\nparam a = 1 1 in [0, 2] \"\" \"\"",
            3,
            1,
            "starts with `model <id>`",
        );
        check_error("model LIF", 1, 7, "a model id uses lowercase letters");
        check_error(&with("model n"), 5, 1, "`model` may appear only once");
    }

    #[test]
    fn resets_and_holds_assign_states_after_a_spike() {
        check_error(
            &with("spike V >= a\nreset a = 0"),
            6,
            7,
            "reset: `a` is not a state variable",
        );
        check_error(
            &with("reset V = 0"),
            5,
            7,
            "`reset` needs a `spike` condition",
        );
        check_error(
            &with("refractory a hold V"),
            5,
            1,
            "`refractory` needs a `spike` condition",
        );
        check_error(
            &with("spike V >= a\nrefractory a hold V, a"),
            6,
            22,
            "hold: `a` is not a state variable",
        );
    }

    #[test]
    fn the_refractory_period_uses_numbers_and_parameters_only() {
        let rule = "the refractory period may use numbers and parameters only";
        check_error(&with("spike V >= a\nrefractory 2 * V hold V"), 6, 16, rule);
        check_error(&with("spike V >= a\nrefractory a + t hold V"), 6, 16, rule);
    }

    #[test]
    fn initial_values_use_parameters_and_earlier_states() {
        let rule = "an initial value may use parameters and the states declared before it";
        let later =
            "model m\nstate u = 2 * V 1 \"\" \"\"\nstate V = 0 1 \"\" \"\"\ndu/dt = 0\ndV/dt = 0";
        check_error(later, 2, 15, rule);
        check_error(
            &with("state w = x 1 \"\" \"\"\nx = a\ndw/dt = 0"),
            5,
            11,
            rule,
        );
        check_error(&with("state w = w 1 \"\" \"\"\ndw/dt = 0"), 5, 11, rule);
    }

    #[test]
    fn a_parameter_range_contains_its_default() {
        let rule = "must be increasing and contain the default";
        check_error(&with(r#"param b = 5 1 in [0, 2] "" """#), 5, 19, rule);
        check_error(&with(r#"param b = 1 1 in [2, 0] "" """#), 5, 19, rule);
        check_error(
            &with(r#"param b = 1 1 in [ -3, -2] "" """#),
            5,
            20,
            "the range [-3, -2]",
        );
    }

    #[test]
    fn methods_are_named_by_the_language_or_brainpy() {
        let rule = "unknown method `rk5` (use euler, rk2, rk4 or exp_euler)";
        check_error(&with("method rk5"), 5, 8, rule);
        check_error(&with("method   rk5"), 5, 10, rule);
    }

    #[test]
    fn the_input_is_a_parameter() {
        check_error(&with("input V"), 5, 7, "input: `V` is not a parameter");
        check_error(&with("input J"), 5, 7, "input: `J` is not a parameter");
    }
}

mod accepted {
    use super::*;

    fn num(v: f64) -> Expr {
        Expr::Num(v)
    }
    fn neg(e: Expr) -> Expr {
        Expr::Neg(Box::new(e))
    }
    fn bin(op: BinOp, a: Expr, b: Expr) -> Expr {
        Expr::Bin(op, Box::new(a), Box::new(b))
    }

    /// The expression `text` over BASE's names (`a` is parameter 0, `V` state 0).
    fn expr(text: &str) -> Expr {
        parse(&with(&format!("x = {text}"))).helpers[0].expr.clone()
    }

    const A: Expr = Expr::Sym(Sym::Param(0));
    const V: Expr = Expr::Sym(Sym::State(0));

    #[test]
    fn operator_precedence_and_associativity() {
        use BinOp::*;
        assert_eq!(expr("-V^2"), neg(bin(Pow, V, num(2.0))));
        assert_eq!(
            expr("2^3^2"),
            bin(Pow, num(2.0), bin(Pow, num(3.0), num(2.0)))
        );
        assert_eq!(expr("a-V-a"), bin(Sub, bin(Sub, A, V), A));
        assert_eq!(expr("a/V/a"), bin(Div, bin(Div, A, V), A));
        assert_eq!(expr("a+V*a"), bin(Add, A, bin(Mul, V, A)));
        assert_eq!(expr("-a*V"), bin(Mul, neg(A), V));
        assert_eq!(expr("2^-a"), bin(Pow, num(2.0), neg(A)));
        assert_eq!(expr("(a+V)*2"), bin(Mul, bin(Add, A, V), num(2.0)));
        assert_eq!(expr("+a"), A);
        assert_eq!(
            expr("max(a, -V) + pow(V, 2)"),
            bin(
                Add,
                Expr::Call(Func::Max, vec![A, neg(V)]),
                Expr::Call(Func::Pow, vec![V, num(2.0)])
            )
        );
        assert_eq!(
            expr("t * dt"),
            bin(Mul, Expr::Sym(Sym::Time), Expr::Sym(Sym::Dt))
        );
    }

    #[test]
    fn number_formats() {
        assert_eq!(expr("10"), num(10.0));
        assert_eq!(expr("-0.5"), neg(num(0.5)));
        assert_eq!(expr("1e-3"), num(1e-3));
        assert_eq!(expr("2.5E+2"), num(250.0));
        assert_eq!(expr(".5"), num(0.5));
        assert_eq!(expr("3."), num(3.0));
        let m = parse(&with(r#"param b = -0.5 1 in [-1e3, 2.5E+2] "" """#));
        assert_eq!(
            (m.params[1].default, m.params[1].min, m.params[1].max),
            (-0.5, -1000.0, 250.0)
        );
    }

    #[test]
    fn comments_and_blank_lines_are_ignored() {
        let text = "# a leading comment\n\nmodel m # the id\n   \n\
                    param a = 1 mV in [0, 2] \"a # not a comment\" \"甲\" # trailing\n\
                    state V = 0 mV \"v\" \"电位\"\n\t\n# dV/dt = 1\ndV/dt = -V / a";
        let m = parse(text);
        assert_eq!(m.id, "m");
        assert_eq!(m.params[0].description_en, "a # not a comment");
        assert_eq!(m.derivatives[0], bin(BinOp::Div, neg(V), A));
    }

    #[test]
    fn header_statements_and_their_defaults() {
        let m = parse(BASE);
        assert_eq!((m.title_en.as_str(), m.title_zh.as_str()), ("m", "m"));
        assert_eq!(m.method, Method::ExpEuler);
        assert_eq!(m.input, None);
        let m = parse(&with(
            "title \"Leaky\" \"泄漏\"\nreference \"R\"\nbrainpy \"brainpy.X\"\nmethod heun\ninput a",
        ));
        assert_eq!(
            (m.title_en.as_str(), m.title_zh.as_str()),
            ("Leaky", "泄漏")
        );
        assert_eq!(
            (m.reference.as_str(), m.brainpy.as_str()),
            ("R", "brainpy.X")
        );
        assert_eq!((m.method, m.input), (Method::Rk2, Some(0)));
    }

    #[test]
    fn declarations_may_come_in_any_order() {
        let m = parse("model m\ndV/dt = x\nx = y * 2\ny = a\nstate V = a mV \"\" \"\"\nparam a = 1 1 in [0, 2] \"\" \"\"");
        assert_eq!(m.helpers.len(), 2);
        assert_eq!(m.helper_order, vec![1, 0], "dependencies first");
        assert_eq!(m.states[0].init, A);
    }

    #[test]
    fn units_are_raw_text() {
        let m = parse(&with(
            "param g = 1 mS/cm2 in [0, 2] \"\" \"\"\nstate w = 2 * a 1/ms \"\" \"\"\ndw/dt = 0",
        ));
        assert_eq!(m.params[1].unit, "mS/cm2");
        assert_eq!(m.states[1].unit, "1/ms");
        assert_eq!(m.states[1].init, bin(BinOp::Mul, num(2.0), A));
    }

    #[test]
    fn spike_tests() {
        let test = |line: &str| parse(&with(line)).spike.unwrap().test;
        assert_eq!(test("spike V >= a"), SpikeTest::AtLeast);
        assert_eq!(test("spike V > a"), SpikeTest::Above);
        assert_eq!(test("spike V crosses a"), SpikeTest::Crosses);
        let spike = parse(&with("spike V - 1 crosses 2 * a")).spike.unwrap();
        assert_eq!(spike.lhs, bin(BinOp::Sub, V, num(1.0)));
        assert_eq!(spike.rhs, bin(BinOp::Mul, num(2.0), A));
    }

    #[test]
    fn reset_lists_and_refractory_holds() {
        let text = with("state w = 0 1 \"\" \"\"\ndw/dt = -w\nspike V >= a\nreset V = 0; w += a;\nreset w = w\nrefractory 2 * a hold V, w");
        let m = parse(&text);
        let resets: Vec<_> = m.resets.iter().map(|r| (r.state, r.op)).collect();
        assert_eq!(
            resets,
            [(0, ResetOp::Set), (1, ResetOp::Add), (1, ResetOp::Set)]
        );
        let refractory = m.refractory.unwrap();
        assert_eq!(refractory.hold, [0, 1]);
        assert_eq!(refractory.period_ms, bin(BinOp::Mul, num(2.0), A));
    }

    #[test]
    fn a_long_chain_of_helpers_is_ordered_without_exhausting_the_stack() {
        // `h0 = h1`, `h1 = h2`, …: ordering h0 walks the whole chain.
        let mut text = with("h20000 = a");
        for i in 0..20_000 {
            text.push_str(&format!("\nh{i} = h{}", i + 1));
        }
        let order = parse(&text).helper_order;
        assert_eq!((order[0], order[1], order[20_000]), (0, 20_000, 1));
    }

    #[test]
    fn a_keyword_followed_by_equals_is_a_helper_name() {
        let m = parse(&with("spike = V * 2\nreset = spike"));
        assert_eq!(m.helpers[0].name, "spike");
        assert_eq!(m.spike, None);
    }
}

/// Whatever the text, the parser returns: no panic, no stack overflow. An error points into the
/// text, and a model it accepts survives printing and typesetting, and runs: a few steps of two
/// neurons end in output, a setup error or a stopped run, never a panic. These are the
/// stable-Rust fuzzing of the model language (nightly's cargo-fuzz cannot be installed here):
/// `cargo xtask test` runs them at proptest's default 256 cases, `cargo xtask fuzz` with
/// `PROPTEST_CASES` and `BRAINPLAY_FUZZ_ROUNDS` raised.
mod robustness {
    use super::*;
    use brainplay_sim::display::model_to_text;
    use brainplay_sim::library::SOURCES;
    use brainplay_sim::mathml::model_mathml;
    use proptest::prelude::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Characters that matter to the lexer, and a few it rejects.
    const ALPHABET: &[char] = &[
        'a', 'd', 'V', 'w', 't', 'e', 'E', '_', '0', '1', '9', '.', '+', '-', '*', '/', '^', '(',
        ')', '[', ']', ',', ';', '=', '>', '"', '#', ' ', '\n', '\t', 'α', '$',
    ];

    /// The property every text must have; `Err` describes the violation.
    fn check_any(text: &str) -> Result<(), String> {
        match parse_model(text) {
            Err(err) => {
                let lines: Vec<&str> = text.lines().collect();
                let line = lines.get(err.line.wrapping_sub(1)).copied().unwrap_or("");
                if !(1..=lines.len() + 1).contains(&err.line)
                    || !(1..=line.chars().count() + 1).contains(&err.column)
                {
                    return Err(format!("{err} points outside the text"));
                }
            }
            Ok(model) => {
                let printed = model_to_text(&model);
                let reparsed = parse_model(&printed).map_err(|e| format!("{e} in\n{printed}"))?;
                if reparsed.without_layout() != model.clone().without_layout() {
                    return Err(format!("printing changed the model:\n{printed}"));
                }
                model_mathml(&model);
                let setup = Setup {
                    n: 2,
                    ..Setup::default()
                };
                let _ = Simulation::run(&model, &setup, 0.5);
            }
        }
        Ok(())
    }

    #[derive(Clone, Copy, Debug)]
    enum Edit {
        Delete(usize),
        Insert(usize, char),
        Replace(usize, char),
    }

    /// Applies `edits`, whose positions wrap around the text's length.
    fn mutate(source: &str, edits: &[Edit]) -> String {
        let mut chars: Vec<char> = source.chars().collect();
        for edit in edits {
            let at = |i: usize, len: usize| i % len.max(1);
            match *edit {
                Edit::Delete(i) if !chars.is_empty() => {
                    chars.remove(at(i, chars.len()));
                }
                Edit::Insert(i, c) => chars.insert(at(i, chars.len() + 1), c),
                Edit::Replace(i, c) if !chars.is_empty() => {
                    let i = at(i, chars.len());
                    chars[i] = c;
                }
                _ => {}
            }
        }
        chars.into_iter().collect()
    }

    /// A built-in model without its full-line comments, so that edits land on statements.
    fn code(model: usize) -> String {
        let lines = SOURCES[model].1.lines();
        let code: Vec<&str> = lines.filter(|l| !l.starts_with('#')).collect();
        code.join("\n")
    }

    fn arb_edit() -> impl Strategy<Value = Edit> {
        let c = prop::sample::select(ALPHABET);
        prop_oneof![
            any::<usize>().prop_map(Edit::Delete),
            (any::<usize>(), c.clone()).prop_map(|(i, c)| Edit::Insert(i, c)),
            (any::<usize>(), c).prop_map(|(i, c)| Edit::Replace(i, c)),
        ]
    }

    proptest! {
        #[test]
        fn arbitrary_strings(text in any::<String>()) {
            check_any(&text).map_err(TestCaseError::fail)?;
        }

        #[test]
        fn strings_of_model_language_tokens(
            text in "(model m\n)?([a-zA-Z_0-9 .=+*/^(),;\"#<>\\[\\]-]{0,40}\n){0,6}",
        ) {
            check_any(&text).map_err(TestCaseError::fail)?;
        }

        #[test]
        fn mutated_builtin_models(
            model in 0..SOURCES.len(),
            edits in prop::collection::vec(arb_edit(), 1..8),
        ) {
            check_any(&mutate(&code(model), &edits)).map_err(TestCaseError::fail)?;
        }
    }

    /// The stable-Rust stand-in for the libFuzzer target (crates/sim/fuzz): a fixed seed, so
    /// every run checks the same 2000 mutations (`BRAINPLAY_FUZZ_ROUNDS` more or fewer).
    #[test]
    fn two_thousand_seeded_mutations_of_the_builtin_models() {
        let rounds: usize = std::env::var("BRAINPLAY_FUZZ_ROUNDS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(2000);
        let mut rng = ChaCha8Rng::seed_from_u64(20_260_127);
        for round in 0..rounds {
            let model = rng.random_range(0..SOURCES.len());
            let source = code(model);
            let edits: Vec<Edit> = (0..rng.random_range(1..=4))
                .map(|_| {
                    let at = rng.random_range(0..=source.len());
                    let c = ALPHABET[rng.random_range(0..ALPHABET.len())];
                    match rng.random_range(0..3) {
                        0 => Edit::Delete(at),
                        1 => Edit::Insert(at, c),
                        _ => Edit::Replace(at, c),
                    }
                })
                .collect();
            let text = mutate(&source, &edits);
            if let Err(problem) = check_any(&text) {
                panic!(
                    "round {round}, {} with {edits:?}: {problem}",
                    SOURCES[model].0
                );
            }
        }
    }
}
