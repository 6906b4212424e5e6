//! The number arguments written in an input protocol's text (`pulses(amp=10, start=5, …)`), so
//! that the page can offer a field for each and change one in place, without the simulation
//! core's parser: the text has already been checked by it (the compute worker), and this reader
//! only finds where each number stands. Syntax: `docs/model-language.md`, "Inputs".

use std::ops::Range;

/// A number written as an argument: `amp=10` in `pulses(…)`, or `constant`'s positional value
/// (named `value`). Lists (`amp=[1, 2]`) are not single numbers and are left out.
#[derive(Clone, Debug, PartialEq)]
pub struct NumberArg {
    pub term: String,
    pub name: String,
    pub value: f64,
    /// Where the number stands in the text.
    pub span: Range<usize>,
}

struct Scanner<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Scanner<'a> {
    fn skip_space(&mut self) {
        while self.text[self.at..].starts_with(char::is_whitespace) {
            self.at += self.text[self.at..]
                .chars()
                .next()
                .map_or(1, char::len_utf8);
        }
    }

    /// Consumes `c` (after any space) if it is next.
    fn eat(&mut self, c: char) -> bool {
        self.skip_space();
        if self.text[self.at..].starts_with(c) {
            self.at += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn ident(&mut self) -> Option<&'a str> {
        self.skip_space();
        let rest = &self.text[self.at..];
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let ident = &rest[..len];
        (len > 0 && !ident.starts_with(|c: char| c.is_ascii_digit())).then(|| {
            self.at += len;
            ident
        })
    }

    /// A number, or a list skipped whole (`None` for it).
    fn value(&mut self) -> Result<Option<(f64, Range<usize>)>, ()> {
        self.skip_space();
        if self.text[self.at..].starts_with('[') {
            let mut depth = 0;
            for (i, c) in self.text[self.at..].char_indices() {
                match c {
                    '[' => depth += 1,
                    ']' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    self.at += i + 1;
                    return Ok(None);
                }
            }
            return Err(());
        }
        let rest = &self.text[self.at..];
        let len = rest
            .find(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c)))
            .unwrap_or(rest.len());
        let value: f64 = rest[..len].parse().map_err(|_| ())?;
        let span = self.at..self.at + len;
        self.at += len;
        Ok(Some((value, span)))
    }
}

/// The single-number arguments of `text`, term by term; as many as can be read if the text has
/// a mistake.
pub fn number_args(text: &str) -> Vec<NumberArg> {
    let mut s = Scanner { text, at: 0 };
    let mut args = Vec::new();
    // An optional target, `I:` or `E.input:`.
    let start = s.at;
    let has_target = (|| {
        s.ident()?;
        while s.eat('.') {
            s.ident()?;
        }
        s.eat(':').then_some(())
    })()
    .is_some();
    if !has_target {
        s.at = start;
    }
    let _ = read_terms(&mut s, &mut args);
    args
}

fn read_terms(s: &mut Scanner, args: &mut Vec<NumberArg>) -> Result<(), ()> {
    loop {
        let term = s.ident().ok_or(())?.to_string();
        if !s.eat('(') {
            return Err(());
        }
        if !s.eat(')') {
            loop {
                let before = s.at;
                let name = match s.ident() {
                    Some(name) if s.eat('=') => name.to_string(),
                    // `constant(5)`: the positional value.
                    _ => {
                        s.at = before;
                        "value".to_string()
                    }
                };
                if let Some((value, span)) = s.value()? {
                    args.push(NumberArg {
                        term: term.clone(),
                        name,
                        value,
                        span,
                    });
                }
                if s.eat(')') {
                    break;
                }
                if !s.eat(',') {
                    return Err(());
                }
            }
        }
        if !s.eat('+') {
            return Ok(());
        }
    }
}

/// The name of the first term's function (`pulses`), if the text has one.
pub fn first_function(text: &str) -> Option<String> {
    let after_target = match text.split_once(':') {
        Some((target, rest)) if !target.contains('(') => rest,
        _ => text,
    };
    let mut s = Scanner {
        text: after_target,
        at: 0,
    };
    let name = s.ident()?.to_string();
    s.eat('(').then_some(name)
}

/// `text` with the number of `arg` replaced by `value`.
pub fn with_number(text: &str, arg: &NumberArg, value: f64) -> String {
    format!(
        "{}{value}{}",
        &text[..arg.span.start],
        &text[arg.span.end..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (term, name, value) of each number argument.
    fn check(text: &str, want: &[(&str, &str, f64)]) {
        let got: Vec<(String, String, f64)> = number_args(text)
            .into_iter()
            .map(|a| (a.term, a.name, a.value))
            .collect();
        let want: Vec<(String, String, f64)> = want
            .iter()
            .map(|(t, n, v)| (t.to_string(), n.to_string(), *v))
            .collect();
        assert_eq!(got, want, "{text}");
    }

    #[test]
    fn numbers_are_found_with_their_names() {
        check("constant(10)", &[("constant", "value", 10.0)]);
        check("constant(value=-2.5e1)", &[("constant", "value", -25.0)]);
        check(
            "pulses(amp=10, start=5, width=2, period=20)",
            &[
                ("pulses", "amp", 10.0),
                ("pulses", "start", 5.0),
                ("pulses", "width", 2.0),
                ("pulses", "period", 20.0),
            ],
        );
        check(
            "I: constant(2) + sine(amp=1, freq=10)",
            &[
                ("constant", "value", 2.0),
                ("sine", "amp", 1.0),
                ("sine", "freq", 10.0),
            ],
        );
        check(
            "sections(values=[0, [1, 2, 4], 0], durations=[10, 2, 25])",
            &[],
        );
        check(
            "poisson(rate=[5, 10], weight=.5)",
            &[("poisson", "weight", 0.5)],
        );
        check(
            "E.input: ou(mean=5,sigma=2,tau=5)",
            &[
                ("ou", "mean", 5.0),
                ("ou", "sigma", 2.0),
                ("ou", "tau", 5.0),
            ],
        );
        check("", &[]);
        check("pulses(amp=1", &[("pulses", "amp", 1.0)]);
        check("完全(", &[]);
    }

    #[test]
    fn a_number_is_replaced_in_place() {
        let text = "I: pulses(amp=10, start=5)  + constant(2)";
        let args = number_args(text);
        assert_eq!(
            with_number(text, &args[1], 7.5),
            "I: pulses(amp=10, start=7.5)  + constant(2)"
        );
        assert_eq!(
            with_number(text, &args[2], -1.0),
            "I: pulses(amp=10, start=5)  + constant(-1)"
        );
    }

    #[test]
    fn the_first_function_is_named() {
        assert_eq!(first_function("pulses(amp=1)").as_deref(), Some("pulses"));
        assert_eq!(first_function("I: sine(amp=1)").as_deref(), Some("sine"));
        assert_eq!(first_function(""), None);
        assert_eq!(first_function("nonsense"), None);
    }
}
