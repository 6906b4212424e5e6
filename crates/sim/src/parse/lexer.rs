//! Splits one line of model text into tokens with their character columns.

use crate::error::ModelError;
use crate::message::Message;
use crate::msg;

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Num(f64),
    Ident(String),
    Str(String),
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Semi,
    Eq,
    PlusEq,
    Ge,
    Gt,
}

impl Tok {
    /// The token as a message names it, in both languages.
    pub fn describe(&self) -> Message {
        let code = |s: &str| Message::new(s, s);
        match self {
            Tok::Num(v) => msg!("number {v}", "数字 {v}"),
            Tok::Ident(s) => code(&format!("`{s}`")),
            Tok::Str(_) => msg!("a quoted string", "带引号的字符串"),
            Tok::Plus => code("`+`"),
            Tok::Minus => code("`-`"),
            Tok::Star => code("`*`"),
            Tok::Slash => code("`/`"),
            Tok::Caret => code("`^`"),
            Tok::LParen => code("`(`"),
            Tok::RParen => code("`)`"),
            Tok::LBracket => code("`[`"),
            Tok::RBracket => code("`]`"),
            Tok::Comma => code("`,`"),
            Tok::Semi => code("`;`"),
            Tok::Eq => code("`=`"),
            Tok::PlusEq => code("`+=`"),
            Tok::Ge => code("`>=`"),
            Tok::Gt => code("`>`"),
        }
    }
}

/// A token and where it sits: 1-based character column, length in characters, and the byte
/// range in the line (for reading raw unit text).
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub column: usize,
    pub length: usize,
    pub byte_start: usize,
    pub byte_end: usize,
}

/// Tokenises `line` (without its newline); a `#` outside a string ends the line.
pub fn lex_line(line: &str, line_no: usize) -> Result<Vec<Token>, ModelError> {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let byte_at = |i: usize| chars.get(i).map_or(line.len(), |c| c.0);
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        let start = i;
        let single = |tok: Tok| Some((tok, 1));
        let simple = match c {
            '+' if chars.get(i + 1).map(|c| c.1) == Some('=') => Some((Tok::PlusEq, 2)),
            '>' if chars.get(i + 1).map(|c| c.1) == Some('=') => Some((Tok::Ge, 2)),
            '+' => single(Tok::Plus),
            '-' => single(Tok::Minus),
            '*' => single(Tok::Star),
            '/' => single(Tok::Slash),
            '^' => single(Tok::Caret),
            '(' => single(Tok::LParen),
            ')' => single(Tok::RParen),
            '[' => single(Tok::LBracket),
            ']' => single(Tok::RBracket),
            ',' => single(Tok::Comma),
            ';' => single(Tok::Semi),
            '=' => single(Tok::Eq),
            '>' => single(Tok::Gt),
            _ => None,
        };
        let (tok, len) = if let Some(found) = simple {
            found
        } else if c == '#' {
            break;
        } else if c.is_whitespace() {
            i += 1;
            continue;
        } else if c == '"' {
            let close = chars[i + 1..]
                .iter()
                .position(|c| c.1 == '"')
                .ok_or_else(|| {
                    ModelError::new(
                        msg!(
                            "unterminated string: add the closing `\"`",
                            "字符串没有结束：请补上结尾的 `\"`"
                        ),
                        line_no,
                        i + 1,
                        1,
                    )
                })?;
            let text = &line[byte_at(i + 1)..byte_at(i + 1 + close)];
            (Tok::Str(text.to_string()), close + 2)
        } else if c.is_ascii_digit() || (c == '.' && next_is_digit(&chars, i)) {
            let len = number_length(&chars, i);
            let text = &line[byte_at(i)..byte_at(i + len)];
            let value: f64 = text.parse().map_err(|_| {
                ModelError::new(
                    msg!("malformed number `{text}`", "数字 `{text}` 的写法有误"),
                    line_no,
                    i + 1,
                    len,
                )
            })?;
            if value.is_infinite() {
                return Err(ModelError::new(
                    msg!(
                        "`{text}` is too large for a number (the largest is about 1.8e308)",
                        "`{text}` 太大，超出了数的范围（最大约为 1.8e308）"
                    ),
                    line_no,
                    i + 1,
                    len,
                ));
            }
            (Tok::Num(value), len)
        } else if c.is_ascii_alphabetic() || c == '_' {
            let len = chars[i..]
                .iter()
                .take_while(|c| c.1.is_ascii_alphanumeric() || c.1 == '_')
                .count();
            (
                Tok::Ident(line[byte_at(i)..byte_at(i + len)].to_string()),
                len,
            )
        } else {
            return Err(ModelError::new(
                msg!("unexpected character `{c}`", "无法识别的字符 `{c}`"),
                line_no,
                i + 1,
                1,
            ));
        };
        i += len;
        tokens.push(Token {
            tok,
            column: start + 1,
            length: len,
            byte_start: byte_at(start),
            byte_end: byte_at(start + len),
        });
    }
    Ok(tokens)
}

fn next_is_digit(chars: &[(usize, char)], i: usize) -> bool {
    chars.get(i + 1).is_some_and(|c| c.1.is_ascii_digit())
}

/// Length of the number starting at `i`: digits, an optional fraction, an optional exponent.
fn number_length(chars: &[(usize, char)], start: usize) -> usize {
    let at = |i: usize| chars.get(i).map(|c| c.1);
    let digits = |mut i: usize| {
        while at(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
        i
    };
    let mut i = digits(start);
    if at(i) == Some('.') {
        i = digits(i + 1);
    }
    if matches!(at(i), Some('e' | 'E')) {
        let mut j = i + 1;
        if matches!(at(j), Some('+' | '-')) {
            j += 1;
        }
        if at(j).is_some_and(|c| c.is_ascii_digit()) {
            i = digits(j);
        }
    }
    // `1.2.3` is one mistyped number, not `1.2` followed by `.3`: take it whole so that it fails
    // to parse and the error shows all of it.
    if at(i) == Some('.') {
        while at(i).is_some_and(|c| c == '.' || c.is_ascii_digit()) {
            i += 1;
        }
    }
    i - start
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(line: &str, expected: &[Tok]) {
        let toks: Vec<Tok> = lex_line(line, 1)
            .unwrap()
            .into_iter()
            .map(|t| t.tok)
            .collect();
        assert_eq!(toks, expected, "lexing {line:?}");
    }

    #[test]
    fn tokens() {
        use Tok::*;
        check(
            "dV/dt = -V # comment",
            &[
                Ident("dV".into()),
                Slash,
                Ident("dt".into()),
                Eq,
                Minus,
                Ident("V".into()),
            ],
        );
        check(
            "1e-3 2.5E+2 .5 3.",
            &[Num(1e-3), Num(250.0), Num(0.5), Num(3.0)],
        );
        check(
            "w += b; V >= x > y",
            &[
                Ident("w".into()),
                PlusEq,
                Ident("b".into()),
                Semi,
                Ident("V".into()),
                Ge,
                Ident("x".into()),
                Gt,
                Ident("y".into()),
            ],
        );
        check(
            "\"膜电位 # not a comment\"",
            &[Str("膜电位 # not a comment".into())],
        );
    }

    #[test]
    fn columns_count_characters() {
        let toks = lex_line("\"电位\" x", 1).unwrap();
        assert_eq!(toks[1].column, 6);
    }

    #[test]
    fn errors_point_at_the_character() {
        let err = lex_line("x = 3 $ 4", 7).unwrap_err();
        assert_eq!((err.line, err.column), (7, 7));
        let err = lex_line("title \"open", 2).unwrap_err();
        assert_eq!((err.line, err.column), (2, 7));
    }
}
