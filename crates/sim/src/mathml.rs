//! Presentation MathML for the equations panel: a model's helpers and derivatives typeset as the
//! textbook writes them (fractions, powers, subscripts, Greek letters) from the same IR that runs.
//!
//! Every function here writes a single element per expression, so results nest inside `<mfrac>`
//! and `<msup>`. Operators that look like ASCII in source (minus, dot, invisible function
//! application) are written as character references; letters are written as themselves.

use crate::display::number;
use crate::ir::{BinOp, Expr, Func, Model, Reset, ResetOp, Sym};

/// Binding strengths as typeset. Fractions and powers are laid out in two dimensions, so they
/// need parentheses only as the base of a power.
const SUM: u8 = 1;
const PRODUCT: u8 = 2;
const NEGATION: u8 = 3;
const SCRIPT: u8 = 4;
const ATOM: u8 = 5;

const MINUS: &str = "<mo>&#x2212;</mo>";
const TIMES: &str = "<mo>&#x22C5;</mo>";
const APPLY: &str = "<mo>&#x2061;</mo>";

/// `expr` as one MathML element (no `<math>` wrapper), to embed in other markup.
pub fn expr_to_mathml(model: &Model, expr: &Expr) -> String {
    let mut w = Writer {
        model,
        out: String::new(),
    };
    w.element(expr);
    w.out
}

/// `dX/dt = …` for state `state` as a block `<math>` element.
pub fn equation_to_mathml(model: &Model, state: usize) -> String {
    format!(
        "<math display=\"block\"><mfrac><mrow><mi>d</mi>{}</mrow><mrow><mi>d</mi><mi>t</mi></mrow></mfrac><mo>=</mo>{}</math>",
        name_to_mathml(&model.states[state].name),
        expr_to_mathml(model, &model.derivatives[state])
    )
}

/// `name = …` for helper `helper` as a block `<math>` element.
pub fn helper_to_mathml(model: &Model, helper: usize) -> String {
    let h = &model.helpers[helper];
    format!(
        "<math display=\"block\">{}<mo>=</mo>{}</math>",
        name_to_mathml(&h.name),
        expr_to_mathml(model, &h.expr)
    )
}

/// The statements a spike runs, one block `<math>` each: `x ← x + …` for `+=`, `x ← …` for `=`.
pub fn events_to_mathml(model: &Model, statements: &[Reset]) -> Vec<String> {
    statements
        .iter()
        .map(|r| {
            let target = name_to_mathml(&model.states[r.state].name);
            let value = expr_to_mathml(model, &r.expr);
            let value = match r.op {
                ResetOp::Set => value,
                ResetOp::Add => format!("<mrow>{target}<mo>+</mo>{value}</mrow>"),
            };
            format!("<math display=\"block\">{target}<mo>&#x2190;</mo>{value}</math>")
        })
        .collect()
}

/// Every equation of the model: the helpers in source order, then the derivatives in state order.
pub fn model_mathml(model: &Model) -> Vec<String> {
    let helpers = (0..model.helpers.len()).map(|i| helper_to_mathml(model, i));
    let derivatives = (0..model.states.len()).map(|i| equation_to_mathml(model, i));
    helpers.chain(derivatives).collect()
}

/// A declared name as one element. What follows the first `_` is a subscript (further `_`
/// separate subscript parts with commas), and so are trailing digits of the stem (`Q10`, `k1`).
/// Greek letter names become letters (`tau_w` → τ_w, `Delta` → Δ) and a subscript `inf` becomes
/// ∞ (`M_inf`, the steady state).
pub fn name_to_mathml(name: &str) -> String {
    let mut parts = name.split('_');
    let base = parts.next().unwrap_or_default();
    let stem_len = base.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let (stem, index) = base.split_at(stem_len);
    if stem.is_empty() {
        return format!("<mi>{}</mi>", escape(name));
    }
    let subscripts: Vec<String> = Some(index)
        .into_iter()
        .chain(parts)
        .filter(|p| !p.is_empty())
        .map(|p| if p == "inf" { mi("∞") } else { word(p) })
        .collect();
    match subscripts.len() {
        0 => word(stem),
        1 => format!("<msub>{}{}</msub>", word(stem), subscripts[0]),
        _ => format!(
            "<msub>{}<mrow>{}</mrow></msub>",
            word(stem),
            subscripts.join("<mo>,</mo>")
        ),
    }
}

/// One part of a name: a Greek letter, a number, or the text itself.
fn word(text: &str) -> String {
    if let Some(letter) = greek(text) {
        mi(letter)
    } else if text.bytes().all(|b| b.is_ascii_digit()) {
        format!("<mn>{text}</mn>")
    } else {
        mi(&escape(text))
    }
}

fn mi(text: &str) -> String {
    format!("<mi>{text}</mi>")
}

fn greek(name: &str) -> Option<&'static str> {
    const LETTERS: [(&str, &str, &str); 24] = [
        ("alpha", "α", "Α"),
        ("beta", "β", "Β"),
        ("gamma", "γ", "Γ"),
        ("delta", "δ", "Δ"),
        ("epsilon", "ε", "Ε"),
        ("zeta", "ζ", "Ζ"),
        ("eta", "η", "Η"),
        ("theta", "θ", "Θ"),
        ("iota", "ι", "Ι"),
        ("kappa", "κ", "Κ"),
        ("lambda", "λ", "Λ"),
        ("mu", "μ", "Μ"),
        ("nu", "ν", "Ν"),
        ("xi", "ξ", "Ξ"),
        ("omicron", "ο", "Ο"),
        ("pi", "π", "Π"),
        ("rho", "ρ", "Ρ"),
        ("sigma", "σ", "Σ"),
        ("tau", "τ", "Τ"),
        ("upsilon", "υ", "Υ"),
        ("phi", "φ", "Φ"),
        ("chi", "χ", "Χ"),
        ("psi", "ψ", "Ψ"),
        ("omega", "ω", "Ω"),
    ];
    LETTERS.iter().find_map(|&(latin, lower, upper)| {
        if name == latin {
            Some(lower)
        } else {
            // `Delta` is capitalised: the first letter upper case, the rest as in `delta`.
            let mut chars = name.chars();
            let first = chars.next()?;
            (first.is_ascii_uppercase()
                && first.to_ascii_lowercase() == latin.chars().next()?
                && chars.as_str() == &latin[1..])
                .then_some(upper)
        }
    })
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A literal's text is `1e-7` style when it is very large or small; typeset as a power of ten.
fn is_scientific(v: f64) -> bool {
    number(v).contains('e')
}

fn level(expr: &Expr) -> u8 {
    match expr {
        Expr::Num(v) if v.is_sign_negative() => NEGATION,
        Expr::Num(v) if is_scientific(*v) => SCRIPT,
        Expr::Num(_) | Expr::Sym(_) | Expr::Old(_) => ATOM,
        Expr::Neg(_) => NEGATION,
        Expr::Bin(BinOp::Add | BinOp::Sub, ..) => SUM,
        Expr::Bin(BinOp::Mul, ..) => PRODUCT,
        Expr::Bin(BinOp::Div | BinOp::Pow, ..) | Expr::Call(Func::Pow, _) => SCRIPT,
        Expr::Call(..) => ATOM,
    }
}

/// Whether the typeset expression starts with a minus sign; such an expression is put in
/// parentheses after another operator (`a + (−b)`, not `a + −b`).
fn leads_with_minus(expr: &Expr) -> bool {
    match expr {
        Expr::Num(v) => v.is_sign_negative(),
        Expr::Neg(_) => true,
        Expr::Bin(BinOp::Add | BinOp::Sub | BinOp::Mul, a, _) => {
            level(a) >= level(expr) && leads_with_minus(a)
        }
        _ => false,
    }
}

struct Writer<'a> {
    model: &'a Model,
    out: String,
}

impl Writer<'_> {
    /// Writes `expr` as exactly one element.
    fn element(&mut self, expr: &Expr) {
        match expr {
            Expr::Num(v) if !v.is_sign_negative() => self.number(*v),
            Expr::Sym(sym) => self.symbol(*sym),
            Expr::Old(i) => {
                let name = format!("{}_old", self.model.states[*i].name);
                self.out.push_str(&name_to_mathml(&name));
            }
            Expr::Bin(BinOp::Div, a, b) => {
                self.out.push_str("<mfrac>");
                self.element(a);
                self.element(b);
                self.out.push_str("</mfrac>");
            }
            Expr::Bin(BinOp::Pow, a, b) => self.power(a, b),
            Expr::Call(Func::Pow, args) => self.power(&args[0], &args[1]),
            Expr::Call(Func::Sqrt, args) => {
                self.out.push_str("<msqrt>");
                self.row(&args[0]);
                self.out.push_str("</msqrt>");
            }
            Expr::Call(Func::Abs, args) => {
                self.out.push_str("<mrow><mo>|</mo>");
                self.row(&args[0]);
                self.out.push_str("<mo>|</mo></mrow>");
            }
            _ => {
                self.out.push_str("<mrow>");
                self.row(expr);
                self.out.push_str("</mrow>");
            }
        }
    }

    /// Writes the contents of a row: operands and operators without an enclosing `<mrow>`.
    fn row(&mut self, expr: &Expr) {
        match expr {
            Expr::Num(v) if v.is_sign_negative() => {
                self.out.push_str(MINUS);
                self.number(-v);
            }
            Expr::Neg(e) => {
                self.out.push_str(MINUS);
                self.operand(e, SCRIPT);
            }
            Expr::Bin(op @ (BinOp::Add | BinOp::Sub | BinOp::Mul), a, b) => {
                let strength = level(expr);
                // A left-leaning chain of one strength (`a + b - c`, `a⋅b⋅c`) stays one flat row.
                if level(a) == strength {
                    self.row(a);
                } else {
                    self.operand(a, strength);
                }
                self.out.push_str(match op {
                    BinOp::Add => "<mo>+</mo>",
                    BinOp::Sub => MINUS,
                    _ => TIMES,
                });
                if leads_with_minus(b) {
                    self.parenthesised(b);
                } else {
                    self.operand(b, strength + 1);
                }
            }
            Expr::Call(func, args) => {
                self.out.push_str(&mi(func.name()));
                self.out.push_str(APPLY);
                self.out.push_str("<mrow><mo>(</mo>");
                if let [arg] = args.as_slice() {
                    self.row(arg);
                } else {
                    for (i, arg) in args.iter().enumerate() {
                        if i > 0 {
                            self.out.push_str("<mo>,</mo>");
                        }
                        self.element(arg);
                    }
                }
                self.out.push_str("<mo>)</mo></mrow>");
            }
            _ => self.element(expr),
        }
    }

    /// Writes `expr` as one element, in parentheses if it binds less tightly than `min`.
    fn operand(&mut self, expr: &Expr, min: u8) {
        if level(expr) < min {
            self.parenthesised(expr);
        } else {
            self.element(expr);
        }
    }

    fn parenthesised(&mut self, expr: &Expr) {
        self.out.push_str("<mrow><mo>(</mo>");
        self.row(expr);
        self.out.push_str("<mo>)</mo></mrow>");
    }

    /// The exponent is raised, so it never needs parentheses; the base must be an atom.
    fn power(&mut self, base: &Expr, exponent: &Expr) {
        self.out.push_str("<msup>");
        self.operand(base, ATOM);
        self.element(exponent);
        self.out.push_str("</msup>");
    }

    fn symbol(&mut self, sym: Sym) {
        match sym {
            Sym::Time => self.out.push_str("<mi>t</mi>"),
            Sym::Dt => self.out.push_str("<mrow><mi>Δ</mi><mi>t</mi></mrow>"),
            _ => self.out.push_str(&name_to_mathml(self.model.sym_name(sym))),
        }
    }

    /// A non-negative literal; `1.5e-7` becomes 1.5 × 10⁻⁷.
    fn number(&mut self, v: f64) {
        let text = number(v);
        let Some((mantissa, exponent)) = text.split_once('e') else {
            self.out.push_str(&format!("<mn>{text}</mn>"));
            return;
        };
        let power = match exponent.strip_prefix('-') {
            Some(digits) => {
                format!("<msup><mn>10</mn><mrow>{MINUS}<mn>{digits}</mn></mrow></msup>")
            }
            None => format!("<msup><mn>10</mn><mn>{exponent}</mn></msup>"),
        };
        if mantissa == "1" {
            self.out.push_str(&power);
        } else {
            self.out.push_str(&format!(
                "<mrow><mn>{mantissa}</mn><mo>&#x00D7;</mo>{power}</mrow>"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::{RATE_MODELS, SOURCES, SYNAPSES};
    use crate::parse_model;

    /// Declares the names the expressions below use, textbook-style names included.
    const SYMBOLS: &str = r#"model m
        param a = 1 1 in [0, 2] "" ""
        param b = 1 1 in [0, 2] "" ""
        param c = 1 1 in [0, 2] "" ""
        param tau = 1 ms in [0, 2] "" ""
        param tau_w = 1 ms in [0, 2] "" ""
        state V = 0 mV "" ""
        dV/dt = -V / tau"#;

    fn symbols() -> Model {
        parse_model(SYMBOLS).unwrap()
    }

    /// `text`, parsed over `SYMBOLS`, typesets as `expected`. In `expected`, `−` `⋅` and `⁡`
    /// stand for the character references of minus, dot and function application.
    fn check(text: &str, expected: &str) {
        let source = format!("{SYMBOLS}\nx = {text}");
        let model = parse_model(&source).unwrap_or_else(|e| panic!("{text}: {e}"));
        let expected = expected
            .replace('−', MINUS)
            .replace('⋅', TIMES)
            .replace('⁡', APPLY);
        assert_eq!(
            expr_to_mathml(&model, &model.helpers[0].expr),
            expected,
            "{text}"
        );
    }

    #[test]
    fn division_is_a_fraction_and_needs_no_parentheses() {
        check("a / b", "<mfrac><mi>a</mi><mi>b</mi></mfrac>");
        check(
            "(a + b) / c",
            "<mfrac><mrow><mi>a</mi><mo>+</mo><mi>b</mi></mrow><mi>c</mi></mfrac>",
        );
        check(
            "a * (b / c)",
            "<mrow><mi>a</mi>⋅<mfrac><mi>b</mi><mi>c</mi></mfrac></mrow>",
        );
    }

    #[test]
    fn sums_and_products_are_flat_rows_with_parentheses_where_precedence_needs_them() {
        check(
            "a + b * c",
            "<mrow><mi>a</mi><mo>+</mo><mrow><mi>b</mi>⋅<mi>c</mi></mrow></mrow>",
        );
        check("a - b - c", "<mrow><mi>a</mi>−<mi>b</mi>−<mi>c</mi></mrow>");
        check(
            "a - (b - c)",
            "<mrow><mi>a</mi>−<mrow><mo>(</mo><mi>b</mi>−<mi>c</mi><mo>)</mo></mrow></mrow>",
        );
        check(
            "(a + b) * c",
            "<mrow><mrow><mo>(</mo><mi>a</mi><mo>+</mo><mi>b</mi><mo>)</mo></mrow>⋅<mi>c</mi></mrow>",
        );
        check(
            "a + -b",
            "<mrow><mi>a</mi><mo>+</mo><mrow><mo>(</mo>−<mi>b</mi><mo>)</mo></mrow></mrow>",
        );
        check(
            "-(a * b)",
            "<mrow>−<mrow><mo>(</mo><mi>a</mi>⋅<mi>b</mi><mo>)</mo></mrow></mrow>",
        );
    }

    #[test]
    fn powers_are_superscripts_with_an_atomic_base() {
        check("-a^2", "<mrow>−<msup><mi>a</mi><mn>2</mn></msup></mrow>");
        check(
            "(-a)^2",
            "<msup><mrow><mo>(</mo>−<mi>a</mi><mo>)</mo></mrow><mn>2</mn></msup>",
        );
        check(
            "a^(b + c)",
            "<msup><mi>a</mi><mrow><mi>b</mi><mo>+</mo><mi>c</mi></mrow></msup>",
        );
        check(
            "(a^b)^c",
            "<msup><mrow><mo>(</mo><msup><mi>a</mi><mi>b</mi></msup><mo>)</mo></mrow><mi>c</mi></msup>",
        );
        check(
            "pow(a + b, 2)",
            "<msup><mrow><mo>(</mo><mi>a</mi><mo>+</mo><mi>b</mi><mo>)</mo></mrow><mn>2</mn></msup>",
        );
    }

    #[test]
    fn functions() {
        check(
            "exp(-V / tau_w)",
            "<mrow><mi>exp</mi>⁡<mrow><mo>(</mo><mfrac><mrow>−<mi>V</mi></mrow>\
             <msub><mi>τ</mi><mi>w</mi></msub></mfrac><mo>)</mo></mrow></mrow>",
        );
        check(
            "max(a, b)",
            "<mrow><mi>max</mi>⁡<mrow><mo>(</mo><mi>a</mi><mo>,</mo><mi>b</mi><mo>)</mo></mrow></mrow>",
        );
        check(
            "sqrt(a + b)",
            "<msqrt><mi>a</mi><mo>+</mo><mi>b</mi></msqrt>",
        );
        check(
            "abs(V - a)",
            "<mrow><mo>|</mo><mi>V</mi>−<mi>a</mi><mo>|</mo></mrow>",
        );
    }

    #[test]
    fn numbers_time_and_step() {
        check("0.07", "<mn>0.07</mn>");
        check(
            "1e-7 * a",
            "<mrow><msup><mn>10</mn><mrow>−<mn>7</mn></mrow></msup>⋅<mi>a</mi></mrow>",
        );
        check(
            "2.5e20",
            "<mrow><mn>2.5</mn><mo>&#x00D7;</mo><msup><mn>10</mn><mn>20</mn></msup></mrow>",
        );
        check(
            "t + dt",
            "<mrow><mi>t</mi><mo>+</mo><mrow><mi>Δ</mi><mi>t</mi></mrow></mrow>",
        );
        let negative = expr_to_mathml(&symbols(), &Expr::Num(-3.0));
        assert_eq!(negative, format!("<mrow>{MINUS}<mn>3</mn></mrow>"));
    }

    #[test]
    fn names_get_subscripts_and_greek_letters() {
        for (name, expected) in [
            ("V", "<mi>V</mi>"),
            ("gNa", "<mi>gNa</mi>"),
            ("V_rest", "<msub><mi>V</mi><mi>rest</mi></msub>"),
            ("tau_w", "<msub><mi>τ</mi><mi>w</mi></msub>"),
            ("alpha_m", "<msub><mi>α</mi><mi>m</mi></msub>"),
            ("delta_T", "<msub><mi>δ</mi><mi>T</mi></msub>"),
            ("Delta", "<mi>Δ</mi>"),
            ("phi", "<mi>φ</mi>"),
            ("betax", "<mi>betax</mi>"),
            ("TAU", "<mi>TAU</mi>"),
            ("Q10", "<msub><mi>Q</mi><mn>10</mn></msub>"),
            ("M_inf", "<msub><mi>M</mi><mi>∞</mi></msub>"),
            (
                "V_th_inf",
                "<msub><mi>V</mi><mrow><mi>th</mi><mo>,</mo><mi>∞</mi></mrow></msub>",
            ),
            ("_x", "<mi>_x</mi>"),
            ("x&y<z>", "<mi>x&amp;y&lt;z&gt;</mi>"),
        ] {
            assert_eq!(name_to_mathml(name), expected, "{name}");
        }
    }

    #[test]
    fn a_derivative_is_a_block_equation_with_d_over_dt() {
        assert_eq!(
            equation_to_mathml(&symbols(), 0),
            format!(
                "<math display=\"block\"><mfrac><mrow><mi>d</mi><mi>V</mi></mrow>\
                 <mrow><mi>d</mi><mi>t</mi></mrow></mfrac><mo>=</mo>\
                 <mfrac><mrow>{MINUS}<mi>V</mi></mrow><mi>τ</mi></mfrac></math>"
            )
        );
    }

    /// Checks that every opened tag is closed in order and that the text is one `<math>`
    /// element; returns the first problem.
    fn tag_problem(markup: &str) -> Option<String> {
        let mut open: Vec<&str> = Vec::new();
        let mut rest = markup;
        let mut top_level = 0;
        while let Some(start) = rest.find('<') {
            let end = start + rest[start..].find('>')?;
            let tag = &rest[start + 1..end];
            rest = &rest[end + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                if open.pop() != Some(name) {
                    return Some(format!("`</{name}>` closes nothing open"));
                }
            } else {
                let name = tag.split_whitespace().next().unwrap_or_default();
                top_level += open.is_empty() as usize;
                open.push(name);
            }
        }
        if !open.is_empty() {
            return Some(format!("unclosed: {open:?}"));
        }
        (top_level != 1 || !markup.starts_with("<math display=\"block\">"))
            .then(|| "not a single <math> element".into())
    }

    #[test]
    fn the_tag_checker_finds_unbalanced_markup() {
        assert_eq!(
            tag_problem("<math display=\"block\"><mi>x</mi></math>"),
            None
        );
        assert!(tag_problem("<math display=\"block\"><mi>x</math>").is_some());
        assert!(tag_problem("<math display=\"block\"><mi>x</mi>").is_some());
        assert!(tag_problem("<math display=\"block\"></math><mi>x</mi>").is_some());
    }

    #[test]
    fn every_builtin_model_renders_balanced_markup() {
        for (id, source) in SOURCES.iter().chain(&SYNAPSES).chain(&RATE_MODELS) {
            let model = parse_model(source).unwrap();
            let equations = model_mathml(&model);
            assert_eq!(equations.len(), model.helpers.len() + model.states.len());
            let events = events_to_mathml(&model, &model.on_spike)
                .into_iter()
                .chain(events_to_mathml(&model, &model.on_post_spike));
            for markup in equations.into_iter().chain(events) {
                assert_eq!(tag_problem(&markup), None, "{id}: {markup}");
            }
        }
    }

    #[test]
    fn hh_rates_typeset_as_in_the_textbook() {
        let (_, source) = SOURCES.iter().find(|(id, _)| *id == "hh").unwrap();
        let model = parse_model(source).unwrap();
        let beta_h = model.helper_index("beta_h").unwrap();
        assert_eq!(
            helper_to_mathml(&model, beta_h)
                .replace(MINUS, "−")
                .replace(APPLY, "⁡"),
            "<math display=\"block\"><msub><mi>β</mi><mi>h</mi></msub><mo>=</mo><mfrac><mn>1</mn>\
             <mrow><mn>1</mn><mo>+</mo><mrow><mi>exp</mi>⁡<mrow><mo>(</mo><mfrac><mrow>−<mrow>\
             <mo>(</mo><mi>V</mi><mo>+</mo><mn>35</mn><mo>)</mo></mrow></mrow><mn>10</mn></mfrac>\
             <mo>)</mo></mrow></mrow></mrow></mfrac></math>"
        );
    }
}
