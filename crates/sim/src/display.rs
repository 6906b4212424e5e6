//! Models and expressions back to model-language text: what the site shows after a structural
//! edit, and the proof (by round trip) that the parser loses nothing but layout and comments.

use std::fmt::{self, Write};

use crate::ir::{BinOp, Expr, Func, Model, Reset, ResetOp, Sym};

/// Binding strengths, matching the parser's grammar: `+ -`, `* /`, unary `-`, `^`, atoms.
const SUM: u8 = 1;
const PRODUCT: u8 = 2;
const NEGATION: u8 = 3;
const POWER: u8 = 4;
const ATOM: u8 = 5;

/// How a language writes the parts of an expression that differ between the model language
/// and the languages models are exported to (BrainPy's Python): names, `old(x)`, functions
/// and the power operator. Precedence and associativity are the same in all of them.
pub trait Spelling {
    fn sym(&self, f: &mut dyn Write, sym: Sym) -> fmt::Result;
    fn old(&self, f: &mut dyn Write, state: usize) -> fmt::Result;
    fn func(&self, func: Func) -> &str;
    /// The power operator with its spacing.
    fn power(&self) -> &str;
}

/// The model language itself.
struct ModelText<'a>(&'a Model);

impl Spelling for ModelText<'_> {
    fn sym(&self, f: &mut dyn Write, sym: Sym) -> fmt::Result {
        f.write_str(self.0.sym_name(sym))
    }

    fn old(&self, f: &mut dyn Write, state: usize) -> fmt::Result {
        write!(f, "old({})", self.0.states[state].name)
    }

    fn func(&self, func: Func) -> &str {
        func.name()
    }

    fn power(&self) -> &str {
        "^"
    }
}

/// An expression printed in the model language with the fewest parentheses that reparse to the
/// same tree.
pub struct ExprDisplay<'a> {
    pub model: &'a Model,
    pub expr: &'a Expr,
}

impl fmt::Display for ExprDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_expr(f, &ModelText(self.model), self.expr, SUM)
    }
}

/// Shorthand for `ExprDisplay { model, expr }.to_string()`.
pub fn expr_to_string(model: &Model, expr: &Expr) -> String {
    ExprDisplay { model, expr }.to_string()
}

/// How tightly `expr` binds as printed. A negative literal prints with a leading `-`, so it binds
/// like a negation.
fn level(expr: &Expr) -> u8 {
    match expr {
        Expr::Num(v) if v.is_sign_negative() => NEGATION,
        Expr::Num(_) | Expr::Sym(_) | Expr::Call(..) | Expr::Old(_) => ATOM,
        Expr::Neg(_) => NEGATION,
        Expr::Bin(op, ..) => match op {
            BinOp::Add | BinOp::Sub => SUM,
            BinOp::Mul | BinOp::Div => PRODUCT,
            BinOp::Pow => POWER,
        },
    }
}

/// `expr` as `spelling` writes it, with the fewest parentheses that keep its tree.
pub fn spell(spelling: &dyn Spelling, expr: &Expr) -> String {
    let mut out = String::new();
    write_expr(&mut out, spelling, expr, SUM).expect("writing to a String cannot fail");
    out
}

/// Writes `expr`, in parentheses if it binds less tightly than `min` demands.
fn write_expr(f: &mut dyn Write, spelling: &dyn Spelling, expr: &Expr, min: u8) -> fmt::Result {
    if level(expr) < min {
        f.write_char('(')?;
        write_expr(f, spelling, expr, SUM)?;
        return f.write_char(')');
    }
    match expr {
        Expr::Num(v) => f.write_str(&number(*v)),
        Expr::Sym(s) => spelling.sym(f, *s),
        Expr::Old(i) => spelling.old(f, *i),
        Expr::Neg(e) => {
            f.write_char('-')?;
            write_expr(f, spelling, e, NEGATION)
        }
        Expr::Bin(op, a, b) => {
            // `+ - * /` are left-associative, so an equal-strength right operand needs
            // parentheses. `^` takes an atom as its base and a unary expression as its exponent.
            let (left, right) = match op {
                BinOp::Pow => (ATOM, NEGATION),
                _ => (level(expr), level(expr) + 1),
            };
            write_expr(f, spelling, a, left)?;
            match op {
                BinOp::Pow => f.write_str(spelling.power())?,
                _ => write!(f, " {} ", op.symbol())?,
            }
            write_expr(f, spelling, b, right)
        }
        Expr::Call(func, args) => {
            write!(f, "{}(", spelling.func(*func))?;
            for (i, arg) in args.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write_expr(f, spelling, arg, SUM)?;
            }
            f.write_char(')')
        }
    }
}

/// The shortest text that reads back as exactly `v` (finite, as every parsed literal is); very
/// large and very small magnitudes in exponent form rather than as long runs of zeros.
pub fn number(v: f64) -> String {
    let magnitude = v.abs();
    if magnitude != 0.0 && !(1e-4..1e15).contains(&magnitude) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// The whole model as model-language text: header, parameters, states, helpers (source order),
/// derivatives (state order), then the spike, reset and refractory rules. Comments and layout
/// of the original are not kept; `parse_model` of the result gives back the same model.
pub fn model_to_text(model: &Model) -> String {
    let mut out = String::new();
    write_model(&mut out, model).expect("writing to a String cannot fail");
    out
}

fn write_model(out: &mut String, m: &Model) -> fmt::Result {
    let expr = |e| ExprDisplay { model: m, expr: e };
    writeln!(out, "model {}", m.id)?;
    writeln!(out, "title \"{}\" \"{}\"", m.title_en, m.title_zh)?;
    if !m.reference.is_empty() {
        writeln!(out, "reference \"{}\"", m.reference)?;
    }
    if !m.brainpy.is_empty() {
        writeln!(out, "brainpy \"{}\"", m.brainpy)?;
    }
    writeln!(out, "method {}", m.method)?;
    if let Some(i) = m.input {
        writeln!(out, "input {}", m.params[i].name)?;
    }
    writeln!(out)?;
    for p in &m.params {
        writeln!(
            out,
            "param {} = {} {} in [{}, {}] \"{}\" \"{}\"",
            p.name,
            number(p.default),
            p.unit,
            number(p.min),
            number(p.max),
            p.description_en,
            p.description_zh
        )?;
    }
    writeln!(out)?;
    for s in &m.states {
        // A unit such as `(mV)` would otherwise turn an initial value ending in a name into a
        // function call.
        let init = if s.unit.starts_with('(') {
            format!("({})", expr(&s.init))
        } else {
            expr(&s.init).to_string()
        };
        writeln!(
            out,
            "state {} = {init} {} \"{}\" \"{}\"",
            s.name, s.unit, s.description_en, s.description_zh
        )?;
    }
    if !m.helpers.is_empty() {
        writeln!(out)?;
    }
    for h in &m.helpers {
        writeln!(out, "{} = {}", h.name, expr(&h.expr))?;
    }
    writeln!(out)?;
    for (s, d) in m.states.iter().zip(&m.derivatives) {
        writeln!(out, "d{}/dt = {}", s.name, expr(d))?;
    }
    if let Some(spike) = &m.spike {
        let test = spike.test.keyword();
        writeln!(
            out,
            "\nspike {} {test} {}",
            expr(&spike.lhs),
            expr(&spike.rhs)
        )?;
    }
    let assignments = |list: &[Reset]| -> String {
        let texts: Vec<String> = list
            .iter()
            .map(|r| {
                let op = match r.op {
                    ResetOp::Set => "=",
                    ResetOp::Add => "+=",
                };
                let value = ExprDisplay {
                    model: m,
                    expr: &r.expr,
                };
                format!("{} {op} {value}", m.states[r.state].name)
            })
            .collect();
        texts.join("; ")
    };
    if !m.resets.is_empty() {
        writeln!(out, "reset {}", assignments(&m.resets))?;
    }
    if let Some(r) = &m.refractory {
        let hold: Vec<&str> = r.hold.iter().map(|&i| m.states[i].name.as_str()).collect();
        writeln!(
            out,
            "refractory {} hold {}",
            expr(&r.period_ms),
            hold.join(", ")
        )?;
    }
    if !m.on_spike.is_empty() {
        let before = if m.on_spike_before { "before " } else { "" };
        writeln!(out, "\non_spike {before}{}", assignments(&m.on_spike))?;
    }
    if !m.on_post_spike.is_empty() {
        writeln!(out, "on_post_spike {}", assignments(&m.on_post_spike))?;
    }
    if let Some(output) = m.output {
        writeln!(out, "output {}", m.sym_name(output))?;
    }
    if !m.post.is_empty() {
        let names: Vec<&str> = m.post.iter().map(|&i| m.params[i].name.as_str()).collect();
        writeln!(out, "post {}", names.join(", "))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::ir::{Func, Sym};
    use crate::library::{RATE_MODELS, SOURCES, SYNAPSES};
    use crate::parse_model;

    /// A model whose symbols the expression tests use: params `a b c`, states `V w`, helper `h`.
    const SYMBOLS: &str = "model m
        param a = 1 1 in [0, 2] \"\" \"\"
        param b = 1 1 in [0, 2] \"\" \"\"
        param c = 1 1 in [0, 2] \"\" \"\"
        state V = 0 1 \"\" \"\"
        state w = 0 1 \"\" \"\"
        h = a
        dw/dt = 0";

    fn symbols() -> Model {
        parse_model(&format!("{SYMBOLS}\ndV/dt = 0")).unwrap()
    }

    /// The model with `dV/dt = text`, so the expression can be read back from `derivatives[0]`.
    fn parse_expr(text: &str) -> Expr {
        let source = format!("{SYMBOLS}\ndV/dt = {text}");
        let model = parse_model(&source).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        model.derivatives[0].clone()
    }

    /// Parsing `text` and printing it again gives `printed`.
    fn check(text: &str, printed: &str) {
        let model = symbols();
        assert_eq!(expr_to_string(&model, &parse_expr(text)), printed, "{text}");
    }

    #[test]
    fn parentheses_only_where_precedence_and_associativity_need_them() {
        check("a - (b - c)", "a - (b - c)");
        check("(a - b) - c", "a - b - c");
        check("a - (b + c)", "a - (b + c)");
        check("a + (b - c)", "a + (b - c)");
        check("a / (b * c)", "a / (b * c)");
        check("(a / b) * c", "a / b * c");
        check("a * (b / c)", "a * (b / c)");
        check("(a + b) * c", "(a + b) * c");
        check("a + b * c", "a + b * c");
        check("-(a^2)", "-a^2");
        check("(-a)^2", "(-a)^2");
        check("a^(b^c)", "a^b^c");
        check("(a^b)^c", "(a^b)^c");
        check("a^(-b)", "a^-b");
        check("a^(b * c)", "a^(b * c)");
        check("-(a * b)", "-(a * b)");
        check("(-a) * b", "-a * b");
        check("a * (-b)", "a * -b");
        check("a - (-b)", "a - -b");
        check("-(-a)", "--a");
        check("-(a + b)", "-(a + b)");
        check("pow((a + b), 2) + max(t, dt)", "pow(a + b, 2) + max(t, dt)");
        check("exp(-(V + 65) / 18)", "exp(-(V + 65) / 18)");
        check("+a", "a");
    }

    #[test]
    fn numbers_print_in_their_shortest_exact_form() {
        check("0.5 + 2.5E+2 + 1e-3 + 3.", "0.5 + 250 + 0.001 + 3");
        check("1e-7 + 1e20 + 123456.75", "1e-7 + 1e20 + 123456.75");
        let model = symbols();
        assert_eq!(expr_to_string(&model, &Expr::Num(-2.0)), "-2");
        let base = Expr::Bin(
            BinOp::Pow,
            Box::new(Expr::Num(-2.0)),
            Box::new(Expr::Num(2.0)),
        );
        assert_eq!(expr_to_string(&model, &base), "(-2)^2");
    }

    #[test]
    fn every_builtin_model_survives_printing_and_reparsing() {
        for (id, source) in SOURCES.iter().chain(&SYNAPSES).chain(&RATE_MODELS) {
            let model = parse_model(source).unwrap();
            let text = model_to_text(&model);
            let reparsed = parse_model(&text).unwrap_or_else(|e| panic!("{id}: {e}\n{text}"));
            assert_eq!(reparsed.without_layout(), model.without_layout(), "{id}");
        }
    }

    #[test]
    fn the_printed_lif_model_reads_like_the_hand_written_one() {
        let (_, source) = SOURCES.iter().find(|(id, _)| *id == "lif").unwrap();
        let text = model_to_text(&parse_model(source).unwrap());
        assert!(text.starts_with("model lif\ntitle \"Leaky integrate-and-fire"));
        for line in [
            "param V_reset = -5 mV in [-80, 20] \"reset potential\" \"重置电位\"",
            "state V = V_reset mV \"membrane potential\" \"膜电位\"",
            "dV/dt = (-(V - V_rest) + R * I) / tau",
            "spike V >= V_th",
            "reset V = V_reset",
            "refractory tau_ref hold V",
        ] {
            assert!(text.lines().any(|l| l == line), "{line}\n{text}");
        }
    }

    #[test]
    fn a_parenthesised_unit_does_not_turn_the_initial_value_into_a_call() {
        let source =
            "model m\nparam a = 1 1 in [0, 2] \"\" \"\"\nstate V = (a) (mV) \"\" \"\"\ndV/dt = 0";
        let model = parse_model(source).unwrap();
        let reparsed = parse_model(&model_to_text(&model)).unwrap();
        assert_eq!(reparsed.without_layout(), model.without_layout());
    }

    /// Random trees over the symbols of `SYMBOLS`. Literals are non-negative because the parser
    /// reads `-3` as a negation of `3`.
    fn arb_expr() -> impl Strategy<Value = Expr> {
        use proptest::num::f64::{NORMAL, POSITIVE, SUBNORMAL, ZERO};
        let literal = prop_oneof![
            (0u32..1000).prop_map(|n| Expr::Num(f64::from(n) / 4.0)),
            (POSITIVE | NORMAL | SUBNORMAL | ZERO).prop_map(Expr::Num),
        ];
        let symbol = prop_oneof![
            (0..3usize).prop_map(Sym::Param),
            (0..2usize).prop_map(Sym::State),
            Just(Sym::Helper(0)),
            Just(Sym::Time),
            Just(Sym::Dt),
        ]
        .prop_map(Expr::Sym);
        let leaf = prop_oneof![literal, symbol];
        leaf.prop_recursive(6, 48, 2, |inner| {
            let op = prop_oneof![
                Just(BinOp::Add),
                Just(BinOp::Sub),
                Just(BinOp::Mul),
                Just(BinOp::Div),
                Just(BinOp::Pow),
            ];
            prop_oneof![
                inner.clone().prop_map(|e| Expr::Neg(Box::new(e))),
                (op, inner.clone(), inner.clone()).prop_map(|(op, a, b)| Expr::Bin(
                    op,
                    Box::new(a),
                    Box::new(b)
                )),
                (0..Func::ALL.len(), inner.clone(), inner).prop_map(|(f, a, b)| {
                    let func = Func::ALL[f];
                    let args = if func.arity() == 1 {
                        vec![a]
                    } else {
                        vec![a, b]
                    };
                    Expr::Call(func, args)
                }),
            ]
        })
    }

    proptest! {
        #[test]
        fn printed_expressions_parse_back_to_the_same_tree(expr in arb_expr()) {
            let text = expr_to_string(&symbols(), &expr);
            prop_assert_eq!(parse_expr(&text), expr, "printed as {}", text);
        }
    }
}
