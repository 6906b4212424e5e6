//! The LaTeX subset that lesson texts write math in (`$…$` inline, `$$…$$` displayed) as
//! MathML, which browsers typeset themselves: no math library is shipped to the page. The subset
//! (documented in `docs/lesson-format.md`): letters, numbers and operators; `_` and `^` with one
//! character or a `{group}`; `\frac`, `\sqrt`, `\left`/`\right`, accents (`\dot`, `\bar`, `\hat`,
//! `\tilde`, `\vec`), upright text (`\mathrm`, `\text`, `\operatorname`), `\mathbf`, spaces,
//! Greek letters, the usual relations and operators, and the function names (`\exp`, `\ln`, …).
//! Anything else is an error naming it, so a typo in a lesson file fails its tests instead of
//! showing wrong math.
//!
//! The site's build typesets the lesson files (`typeset`, from `Lesson::data_of`), so the page
//! carries no LaTeX reader: its Markdown renderer lets through MathML that `is_safe` accepts
//! (the elements and attributes written here, nothing else).

/// `markdown` with every `$…$` and `$$…$$` outside code (spans and fenced blocks) written as
/// MathML; the error names the formula and what is wrong with it. Inline math may not start or
/// end with a space, so a lone dollar sign stays text.
pub fn typeset(markdown: &str) -> Result<String, String> {
    let mut out = String::with_capacity(markdown.len() * 3);
    let mut rest = markdown;
    let (mut fenced, mut line_start) = (false, true);
    while let Some(c) = rest.chars().next() {
        let fence = line_start && rest.trim_start_matches([' ', '\t']).starts_with("```");
        fenced ^= fence;
        let used = if fence || fenced {
            // A fence or a line of code: as it is.
            let end = rest.find('\n').map_or(rest.len(), |k| k + 1);
            out.push_str(&rest[..end]);
            end
        } else if c == '`' || c == '$' {
            let (text, used) = span(rest)?;
            out.push_str(&text);
            used
        } else {
            out.push(c);
            c.len_utf8()
        };
        line_start = rest[..used].ends_with('\n');
        rest = &rest[used..];
    }
    Ok(out)
}

/// The code span or math at the start of `tail` as it is to be written, and the bytes it used
/// (a `$` or backtick that opens nothing is itself).
fn span(tail: &str) -> Result<(String, usize), String> {
    if let Some(body) = tail.strip_prefix('`') {
        return Ok(match body.find('`') {
            Some(len) => (tail[..len + 2].to_string(), len + 2),
            None => ("`".to_string(), 1),
        });
    }
    let fence = if tail.starts_with("$$") { "$$" } else { "$" };
    let body = &tail[fence.len()..];
    let display = fence.len() == 2;
    let Some(latex) = body.find(fence).map(|len| &body[..len]) else {
        return Ok((fence.to_string(), fence.len()));
    };
    let spaced = latex.starts_with(char::is_whitespace) || latex.ends_with(char::is_whitespace);
    if latex.trim().is_empty() || (spaced && !display) {
        return Ok(("$".to_string(), 1));
    }
    let mathml = to_mathml(latex, display).map_err(|reason| format!("`{latex}`: {reason}"))?;
    Ok((mathml, latex.len() + 2 * fence.len()))
}

/// Whether `mathml` is one `<math>` element made only of what `to_mathml` writes: its
/// elements, its attributes with plain values, and text with no markup.
pub fn is_safe(mathml: &str) -> bool {
    let Some(mut rest) = mathml.strip_prefix('<') else {
        return false;
    };
    let mut open = Vec::new();
    loop {
        // At a tag, just after its `<`.
        let Some(end) = rest.find('>') else {
            return false;
        };
        let tag = &rest[..end];
        if let Some(name) = tag.strip_prefix('/') {
            if open.pop() != Some(name) {
                return false;
            }
        } else {
            let mut parts = tag.split(' ');
            let name = parts.next().unwrap_or_default();
            let attributes_ok = parts.all(|attribute| {
                attribute.split_once('=').is_some_and(|(key, value)| {
                    let value = value.strip_prefix('"').and_then(|v| v.strip_suffix('"'));
                    ATTRIBUTES.contains(&key)
                        && value.is_some_and(|v| {
                            v.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
                        })
                })
            });
            if !ELEMENTS.contains(&name) || !attributes_ok || (open.is_empty() != (name == "math"))
            {
                return false;
            }
            open.push(name);
        }
        rest = &rest[end + 1..];
        if open.is_empty() {
            return rest.is_empty();
        }
        // Text up to the next tag: no markup, and only the entities `escape` writes.
        let Some(next) = rest.find('<') else {
            return false;
        };
        let text = &rest[..next];
        let entities_ok = text.match_indices('&').all(|(k, _)| {
            ["&amp;", "&lt;", "&gt;"]
                .iter()
                .any(|e| text[k..].starts_with(e))
        });
        if text.contains('>') || !entities_ok {
            return false;
        }
        rest = &rest[next + 1..];
    }
}

/// The elements and attributes `to_mathml` writes.
const ELEMENTS: [&str; 14] = [
    "math", "mrow", "mi", "mn", "mo", "mtext", "msub", "msup", "msubsup", "mfrac", "msqrt",
    "mroot", "mover", "mspace",
];
const ATTRIBUTES: [&str; 5] = ["display", "mathvariant", "accent", "width", "tabindex"];

/// `latex` as a `<math>` element (`display="block"` when displayed), or what is wrong with it.
pub fn to_mathml(latex: &str, display: bool) -> Result<String, String> {
    let mut parser = Parser {
        chars: latex.chars().collect(),
        at: 0,
    };
    let body = parser.row(End::Text)?;
    let open = if display {
        // A displayed formula wider than its column scrolls, so it takes the keyboard's focus
        // too (a scrolled region must be reachable without a mouse).
        "<math display=\"block\" tabindex=\"0\">"
    } else {
        "<math>"
    };
    Ok(format!("{open}{body}</math>"))
}

/// Where a row of items ends.
#[derive(Clone, Copy, PartialEq)]
enum End {
    Text,
    Brace,
    Bracket,
    Right,
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    /// A function's name, applied (U+2061, for screen readers) to what follows, with TeX's
    /// thin space before a bare argument (`ln x`) and none before a bracket (`ln(x)`). A name
    /// not followed by an argument, or with a script (`\log_2`, `\max_x`), stays a plain
    /// identifier (the base of that script).
    fn function(&mut self, name: &str) -> String {
        let at = self.at;
        self.skip_spaces();
        let next = self.peek();
        let left = self.chars[self.at..].starts_with(&['\\', 'l', 'e', 'f', 't']);
        self.at = at;
        match next {
            Some('(' | '[' | '|') => format!("<mi>{name}</mi><mo>\u{2061}</mo>"),
            _ if left => format!("<mi>{name}</mi><mo>\u{2061}</mo>"),
            Some(c) if c.is_alphanumeric() || c == '\\' || c == '{' => {
                format!("<mi>{name}</mi><mo>\u{2061}</mo>{}", space("0.1667em"))
            }
            _ => format!("<mi>{name}</mi>"),
        }
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    /// Items up to `end`, as one `<mrow>` when there are several. Consumes the closing `}`/`]`
    /// (not `\right`, which the caller reads).
    fn row(&mut self, end: End) -> Result<String, String> {
        let mut items = Vec::new();
        loop {
            self.skip_spaces();
            match (self.peek(), end) {
                (None, End::Text) => break,
                (None, _) => return Err("a group is not closed".into()),
                (Some('}'), End::Brace) | (Some(']'), End::Bracket) => {
                    self.at += 1;
                    break;
                }
                (Some('}'), _) => return Err("an unmatched `}`".into()),
                (Some('\\'), End::Right) if self.letters_at(self.at + 1) == "right" => break,
                _ => items.push(self.scripted()?),
            }
        }
        Ok(match items.len() {
            1 => items.remove(0),
            _ => format!("<mrow>{}</mrow>", items.concat()),
        })
    }

    /// An item with its subscript and superscript, in either order.
    fn scripted(&mut self) -> Result<String, String> {
        let base = self.item()?;
        let (mut sub, mut sup) = (None, None);
        loop {
            self.skip_spaces();
            let slot = match self.peek() {
                Some('_') if sub.is_none() => &mut sub,
                Some('^') if sup.is_none() => &mut sup,
                Some('_' | '^') => return Err("a double subscript or superscript".into()),
                Some('\'') => {
                    // A prime is a superscript (x' = x^′).
                    self.at += 1;
                    sup = Some(merge(sup, "<mo>′</mo>"));
                    continue;
                }
                _ => break,
            };
            self.at += 1;
            self.skip_spaces();
            *slot = Some(self.argument()?);
        }
        Ok(match (sub, sup) {
            (None, None) => base,
            (Some(b), None) => format!("<msub>{base}{b}</msub>"),
            (None, Some(p)) => format!("<msup>{base}{p}</msup>"),
            (Some(b), Some(p)) => format!("<msubsup>{base}{b}{p}</msubsup>"),
        })
    }

    /// A command's argument or a script: a `{group}` or one item without scripts.
    fn argument(&mut self) -> Result<String, String> {
        self.skip_spaces();
        match self.peek() {
            Some('{') => {
                self.at += 1;
                self.row(End::Brace)
            }
            None => Err("an argument is missing at the end".into()),
            _ => self.item(),
        }
    }

    /// The raw text of a `{group}` (for `\text` and `\mathrm`).
    fn raw_group(&mut self) -> Result<String, String> {
        self.skip_spaces();
        if self.peek() != Some('{') {
            return Err("text must be written in braces: \\text{…}".into());
        }
        let start = self.at + 1;
        let len = self.chars[start..]
            .iter()
            .position(|&c| c == '}')
            .ok_or("a group is not closed")?;
        self.at = start + len + 1;
        Ok(self.chars[start..start + len].iter().collect())
    }

    fn item(&mut self) -> Result<String, String> {
        let c = self.peek().ok_or("an item is missing")?;
        self.at += 1;
        Ok(match c {
            '{' => self.row(End::Brace)?,
            '\\' => self.command()?,
            '0'..='9' | '.' => {
                let mut number = c.to_string();
                while let Some(d) = self.peek().filter(|d| d.is_ascii_digit() || *d == '.') {
                    number.push(d);
                    self.at += 1;
                }
                format!("<mn>{number}</mn>")
            }
            '-' => "<mo>−</mo>".into(),
            '*' => "<mo>∗</mo>".into(),
            '}' | '_' | '^' | '&' | '#' | '%' | '$' | '~' => {
                return Err(format!("`{c}` cannot start an item"))
            }
            c if c.is_alphabetic() => format!("<mi>{c}</mi>"),
            c => format!("<mo>{}</mo>", escape(&c.to_string())),
        })
    }

    /// The command after a backslash.
    fn command(&mut self) -> Result<String, String> {
        let name: String = self.letters_at(self.at);
        if name.is_empty() {
            // A one-character command: a space or an escaped symbol.
            let c = self.peek().ok_or("a lone backslash at the end")?;
            self.at += 1;
            return Ok(match c {
                ',' => space("0.167em"),
                ':' | '>' => space("0.222em"),
                ';' => space("0.278em"),
                '!' => String::new(),
                ' ' => space("0.25em"),
                '{' | '}' | '%' | '$' | '#' | '&' | '_' | '|' => {
                    format!("<mo>{}</mo>", escape(&c.to_string()))
                }
                '\\' => return Err("line breaks (\\\\) are not supported".into()),
                c => return Err(format!("unknown command \\{c}")),
            });
        }
        self.at += name.chars().count();
        let name = name.as_str();
        if let Some(&(_, symbol)) = GREEK.iter().find(|(n, _)| *n == name) {
            return Ok(format!("<mi>{symbol}</mi>"));
        }
        if let Some(&(_, symbol)) = OPERATORS.iter().find(|(n, _)| *n == name) {
            return Ok(format!("<mo>{symbol}</mo>"));
        }
        if FUNCTIONS.contains(&name) {
            return Ok(self.function(name));
        }
        if let Some(&(_, mark)) = ACCENTS.iter().find(|(n, _)| *n == name) {
            let base = self.argument()?;
            return Ok(format!(
                "<mover accent=\"true\">{base}<mo>{mark}</mo></mover>"
            ));
        }
        Ok(match name {
            "frac" => {
                let numerator = self.argument()?;
                let denominator = self.argument()?;
                format!("<mfrac>{numerator}{denominator}</mfrac>")
            }
            "sqrt" => {
                self.skip_spaces();
                if self.peek() == Some('[') {
                    self.at += 1;
                    let index = self.row(End::Bracket)?;
                    let radicand = self.argument()?;
                    format!("<mroot>{radicand}{index}</mroot>")
                } else {
                    format!("<msqrt>{}</msqrt>", self.argument()?)
                }
            }
            "text" => format!("<mtext>{}</mtext>", escape(&self.raw_group()?)),
            "mathrm" | "operatorname" => upright(&self.raw_group()?, "normal"),
            "mathbf" => upright(&self.raw_group()?, "bold"),
            "quad" => space("1em"),
            "qquad" => space("2em"),
            "left" => {
                let open = self.delimiter()?;
                let inner = self.row(End::Right)?;
                self.at += "\\right".chars().count();
                let close = self.delimiter()?;
                format!("<mrow>{open}{inner}{close}</mrow>")
            }
            "right" => return Err("\\right without \\left".into()),
            _ => return Err(format!("unknown command \\{name}")),
        })
    }

    /// The letters from `at` on (a command's name), without consuming them.
    fn letters_at(&self, at: usize) -> String {
        let letters = self.chars[at..]
            .iter()
            .take_while(|c| c.is_ascii_alphabetic());
        letters.collect()
    }

    /// The delimiter after `\left` or `\right` (`.` for none).
    fn delimiter(&mut self) -> Result<String, String> {
        self.skip_spaces();
        let c = self.peek().ok_or("\\left or \\right needs a delimiter")?;
        self.at += 1;
        let symbol = match c {
            '.' => return Ok(String::new()),
            '(' | ')' | '[' | ']' | '|' => c.to_string(),
            '\\' => {
                let name = self.letters_at(self.at);
                let (symbol, len) = match name.as_str() {
                    "langle" => ("⟨", 6),
                    "rangle" => ("⟩", 6),
                    "lVert" | "rVert" => ("‖", 5),
                    _ if self.peek() == Some('{') => ("{", 1),
                    _ if self.peek() == Some('}') => ("}", 1),
                    _ if self.peek() == Some('|') => ("‖", 1),
                    _ => return Err(format!("unknown delimiter \\{name}")),
                };
                self.at += len;
                symbol.to_string()
            }
            c => return Err(format!("`{c}` is not a delimiter")),
        };
        Ok(format!("<mo>{symbol}</mo>"))
    }
}

/// `sup` with `more` appended (primes after a superscript).
fn merge(sup: Option<String>, more: &str) -> String {
    match sup {
        None => more.to_string(),
        Some(s) => format!("<mrow>{s}{more}</mrow>"),
    }
}

fn space(width: &str) -> String {
    format!("<mspace width=\"{width}\"></mspace>")
}

/// Upright or bold letters: one identifier (`mathvariant` matters only for a single letter,
/// which MathML would otherwise set in italics).
fn upright(text: &str, variant: &str) -> String {
    let text = escape(text.trim());
    match (variant, text.chars().count()) {
        ("normal", 2..) => format!("<mi>{text}</mi>"),
        _ => format!("<mi mathvariant=\"{variant}\">{text}</mi>"),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

const GREEK: [(&str, char); 40] = [
    ("alpha", 'α'),
    ("beta", 'β'),
    ("gamma", 'γ'),
    ("delta", 'δ'),
    ("epsilon", 'ϵ'),
    ("varepsilon", 'ε'),
    ("zeta", 'ζ'),
    ("eta", 'η'),
    ("theta", 'θ'),
    ("vartheta", 'ϑ'),
    ("iota", 'ι'),
    ("kappa", 'κ'),
    ("lambda", 'λ'),
    ("mu", 'μ'),
    ("nu", 'ν'),
    ("xi", 'ξ'),
    ("pi", 'π'),
    ("rho", 'ρ'),
    ("sigma", 'σ'),
    ("tau", 'τ'),
    ("upsilon", 'υ'),
    ("phi", 'ϕ'),
    ("varphi", 'φ'),
    ("chi", 'χ'),
    ("psi", 'ψ'),
    ("omega", 'ω'),
    ("Gamma", 'Γ'),
    ("Delta", 'Δ'),
    ("Theta", 'Θ'),
    ("Lambda", 'Λ'),
    ("Xi", 'Ξ'),
    ("Pi", 'Π'),
    ("Sigma", 'Σ'),
    ("Phi", 'Φ'),
    ("Psi", 'Ψ'),
    ("Omega", 'Ω'),
    ("ell", 'ℓ'),
    ("hbar", 'ℏ'),
    ("infty", '∞'),
    ("partial", '∂'),
];

const OPERATORS: [(&str, &str); 45] = [
    ("cdot", "·"),
    ("times", "×"),
    ("div", "÷"),
    ("pm", "±"),
    ("mp", "∓"),
    ("le", "≤"),
    ("leq", "≤"),
    ("ge", "≥"),
    ("geq", "≥"),
    ("ne", "≠"),
    ("neq", "≠"),
    ("ll", "≪"),
    ("gg", "≫"),
    ("approx", "≈"),
    ("sim", "∼"),
    ("simeq", "≃"),
    ("equiv", "≡"),
    ("propto", "∝"),
    ("to", "→"),
    ("rightarrow", "→"),
    ("leftarrow", "←"),
    ("Rightarrow", "⇒"),
    ("Leftrightarrow", "⇔"),
    ("mapsto", "↦"),
    ("in", "∈"),
    ("notin", "∉"),
    ("subset", "⊂"),
    ("cup", "∪"),
    ("cap", "∩"),
    ("sum", "∑"),
    ("prod", "∏"),
    ("int", "∫"),
    ("nabla", "∇"),
    ("forall", "∀"),
    ("exists", "∃"),
    ("ldots", "…"),
    ("dots", "…"),
    ("cdots", "⋯"),
    ("langle", "⟨"),
    ("rangle", "⟩"),
    ("lfloor", "⌊"),
    ("rfloor", "⌋"),
    ("circ", "∘"),
    ("odot", "⊙"),
    ("top", "⊤"),
];

const FUNCTIONS: [&str; 19] = [
    "exp", "ln", "log", "sin", "cos", "tan", "tanh", "sinh", "cosh", "max", "min", "arg", "argmax",
    "det", "dim", "sgn", "erf", "Re", "Im",
];

const ACCENTS: [(&str, char); 5] = [
    ("dot", '˙'),
    ("bar", '¯'),
    ("hat", '^'),
    ("tilde", '~'),
    ("vec", '→'),
];

#[cfg(test)]
mod tests {
    use super::to_mathml;

    fn check(latex: &str, mathml: &str) {
        assert_eq!(
            to_mathml(latex, false).as_deref(),
            Ok(format!("<math>{mathml}</math>").as_str()),
            "{latex}"
        );
    }

    fn refused(latex: &str, reason: &str) {
        match to_mathml(latex, false) {
            Err(message) => assert!(message.contains(reason), "{latex}: {message}"),
            Ok(mathml) => panic!("{latex} was accepted as {mathml}"),
        }
    }

    #[test]
    fn the_documented_subset() {
        check("x", "<mi>x</mi>");
        check("12.5", "<mn>12.5</mn>");
        check("a - b", "<mrow><mi>a</mi><mo>−</mo><mi>b</mi></mrow>");
        check("g_{\\mathrm{Na}}", "<msub><mi>g</mi><mi>Na</mi></msub>");
        check(
            "e^{-t/\\tau}",
            "<msup><mi>e</mi><mrow><mo>−</mo><mi>t</mi><mo>/</mo><mi>τ</mi></mrow></msup>",
        );
        check("x_i^2", "<msubsup><mi>x</mi><mi>i</mi><mn>2</mn></msubsup>");
        check("x^2_i", "<msubsup><mi>x</mi><mi>i</mi><mn>2</mn></msubsup>");
        check("\\frac{a}{b}", "<mfrac><mi>a</mi><mi>b</mi></mfrac>");
        check("\\sqrt{2}", "<msqrt><mn>2</mn></msqrt>");
        check("\\sqrt[3]{x}", "<mroot><mi>x</mi><mn>3</mn></mroot>");
        check(
            "\\dot{x}",
            "<mover accent=\"true\"><mi>x</mi><mo>˙</mo></mover>",
        );
        check(
            "\\mathrm{d}V",
            "<mrow><mi mathvariant=\"normal\">d</mi><mi>V</mi></mrow>",
        );
        check("\\text{内}", "<mtext>内</mtext>");
        check("a \\le b", "<mrow><mi>a</mi><mo>≤</mo><mi>b</mi></mrow>");
        check(
            "\\exp x",
            "<mrow><mi>exp</mi><mo>\u{2061}</mo><mspace width=\"0.1667em\"></mspace><mi>x</mi></mrow>",
        );
        check(
            "\\ln(x)",
            "<mrow><mi>ln</mi><mo>\u{2061}</mo><mo>(</mo><mi>x</mi><mo>)</mo></mrow>",
        );
        check(
            "\\log_2 x",
            "<mrow><msub><mi>log</mi><mn>2</mn></msub><mi>x</mi></mrow>",
        );
        check(
            "\\left( x \\right)",
            "<mrow><mo>(</mo><mi>x</mi><mo>)</mo></mrow>",
        );
        check("f'", "<msup><mi>f</mi><mo>′</mo></msup>");
        check("a < b", "<mrow><mi>a</mi><mo>&lt;</mo><mi>b</mi></mrow>");
        check("\\text{<b>}", "<mtext>&lt;b&gt;</mtext>");
        check("V_∞", "<msub><mi>V</mi><mo>∞</mo></msub>");
        check("τ", "<mi>τ</mi>");
        assert_eq!(
            to_mathml("x", true).as_deref(),
            Ok("<math display=\"block\" tabindex=\"0\"><mi>x</mi></math>")
        );
    }

    #[test]
    fn lesson_text_is_typeset_outside_code() {
        let typeset = |text: &str| super::typeset(text).unwrap();
        assert_eq!(typeset("a $x$ b"), "a <math><mi>x</mi></math> b");
        assert_eq!(
            typeset("$$\nx\n$$"),
            "<math display=\"block\" tabindex=\"0\"><mi>x</mi></math>"
        );
        assert_eq!(typeset("`$x$` and $5"), "`$x$` and $5");
        assert_eq!(
            typeset("```\n$x$\n```\n$y$"),
            "```\n$x$\n```\n<math><mi>y</mi></math>"
        );
        assert!(super::typeset("$\\nope$").unwrap_err().contains("\\nope"));
    }

    #[test]
    fn only_the_writers_mathml_is_safe() {
        for latex in [
            "x",
            "g_{\\mathrm{Na}}",
            "\\frac{1}{2}",
            "a < b",
            "\\text{<b>&}",
            "\\dot{x}\\,y",
        ] {
            for display in [false, true] {
                let mathml = to_mathml(latex, display).unwrap();
                assert!(super::is_safe(&mathml), "{mathml}");
            }
        }
        for unsafe_markup in [
            "<math><mi onclick=\"x()\">a</mi></math>",
            "<math><script>x()</script></math>",
            "<math><mi>a</mi></math><img src=x>",
            "<math><mtext><img src=x></mtext></math>",
            "<math href=\"javascript:x\"><mi>a</mi></math>",
            "<math><mi>a &quot;</mi></math>",
            "<mi>a</mi>",
            "<math><mi>a</mi>",
            "<math><mi>a</mo></math>",
        ] {
            assert!(!super::is_safe(unsafe_markup), "{unsafe_markup}");
        }
    }

    #[test]
    fn mistakes_are_named() {
        refused("\\fracc{a}{b}", "unknown command \\fracc");
        refused("x_{1", "not closed");
        refused("x}", "unmatched");
        refused("x_1_2", "double");
        refused("\\left( x", "not closed");
        refused("\\text x", "braces");
        refused("\\frac{a}", "missing");
        refused("x^", "missing");
    }
}
