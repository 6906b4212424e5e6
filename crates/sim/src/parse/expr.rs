//! Expressions: a token cursor and a precedence-climbing parser into unresolved expressions.

use super::lexer::{Tok, Token};
use crate::error::ModelError;
use crate::ir::{BinOp, Func, Span};
use crate::message::{after_chinese, Message};
use crate::msg;

/// What a statement expects at some point, as an error names it: (English, Chinese).
pub type What<'a> = (&'a str, &'a str);

/// An expression whose names are not yet resolved (declarations may come later in the file).
#[derive(Clone, Debug, PartialEq)]
pub enum Raw {
    Num(f64),
    Name(String, Span),
    Neg(Box<Raw>),
    Bin(BinOp, Box<Raw>, Box<Raw>),
    Call(Func, Vec<Raw>),
    /// `old(x)`: the name inside and its span.
    Old(String, Span),
}

/// Every pass over an expression (this parser included) recurses once per level of the tree, so
/// unbounded input could overflow the stack, the browser's small one included. Real formulas stay
/// far below these limits; helper definitions split longer ones.
const MAX_NESTING: usize = 100;
const MAX_OPERANDS: usize = 1000;

/// Walks the tokens of one line.
pub struct Cursor<'a> {
    pub line: &'a str,
    pub line_no: usize,
    tokens: &'a [Token],
    pos: usize,
    /// Calls of `unary` on this line, which bounds the depth of the trees built...
    operands: usize,
    /// ...and calls of `unary` now running, which bounds the recursion.
    nesting: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(line: &'a str, line_no: usize, tokens: &'a [Token]) -> Self {
        Cursor {
            line,
            line_no,
            tokens,
            pos: 0,
            operands: 0,
            nesting: 0,
        }
    }

    pub fn peek(&self) -> Option<&'a Tok> {
        self.tokens.get(self.pos).map(|t| &t.tok)
    }

    pub fn peek_at(&self, ahead: usize) -> Option<&'a Tok> {
        self.tokens.get(self.pos + ahead).map(|t| &t.tok)
    }

    pub fn next(&mut self) -> Option<&'a Token> {
        let t = self.tokens.get(self.pos);
        self.pos += t.is_some() as usize;
        t
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.tokens.len()
    }

    /// The span of the current token, or of the end of the line.
    pub fn span_here(&self) -> Span {
        match self.tokens.get(self.pos) {
            Some(t) => Span {
                line: self.line_no,
                column: t.column,
                length: t.length,
            },
            None => Span {
                line: self.line_no,
                column: self.line.chars().count() + 1,
                length: 1,
            },
        }
    }

    pub fn error_here(&self, message: impl Into<crate::Message>) -> ModelError {
        let s = self.span_here();
        ModelError::new(message, s.line, s.column, s.length)
    }

    /// An error that says what was expected and what was found instead.
    pub fn expected(&self, what: What) -> ModelError {
        let found = self
            .peek()
            .map_or_else(|| msg!("the end of the line", "行尾"), Tok::describe);
        self.error_here(Message::new(
            format!("expected {}, found {}", what.0, found.en),
            format!(
                "应为{}，实际是{}",
                after_chinese(what.1),
                after_chinese(&found.zh)
            ),
        ))
    }

    pub fn expect(&mut self, tok: Tok, what: What) -> Result<(), ModelError> {
        if self.peek() == Some(&tok) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.expected(what))
        }
    }

    pub fn ident(&mut self, what: What) -> Result<(String, Span), ModelError> {
        let span = self.span_here();
        match self.peek() {
            Some(Tok::Ident(name)) => {
                self.pos += 1;
                Ok((name.clone(), span))
            }
            _ => Err(self.expected(what)),
        }
    }

    pub fn string(&mut self, what: What) -> Result<String, ModelError> {
        match self.peek() {
            Some(Tok::Str(s)) => {
                self.pos += 1;
                Ok(s.clone())
            }
            _ => Err(self.expected(what)),
        }
    }

    /// A signed number literal.
    pub fn number(&mut self, what: What) -> Result<f64, ModelError> {
        let negative = self.peek() == Some(&Tok::Minus);
        let start = self.pos;
        self.pos += negative as usize;
        match self.peek() {
            Some(Tok::Num(v)) => {
                self.pos += 1;
                Ok(if negative { -v } else { *v })
            }
            _ => {
                self.pos = start;
                Err(self.expected(what))
            }
        }
    }

    /// A unit: the raw text up to the next whitespace or quote, e.g. `uA/cm2`.
    pub fn unit(&mut self) -> Result<String, ModelError> {
        const UNIT: What = (
            "a unit (use `1` for dimensionless)",
            "单位（无量纲时写 `1`）",
        );
        let Some(first) = self.tokens.get(self.pos) else {
            return Err(self.expected(UNIT));
        };
        if matches!(first.tok, Tok::Str(_)) {
            return Err(self.expected(UNIT));
        }
        let rest = &self.line[first.byte_start..];
        let len = rest
            .find(|c: char| c.is_whitespace() || c == '"')
            .unwrap_or(rest.len());
        let end = first.byte_start + len;
        while self
            .tokens
            .get(self.pos)
            .is_some_and(|t| t.byte_start < end)
        {
            if self.tokens[self.pos].byte_end > end {
                return Err(
                    self.error_here(msg!("put a space after the unit", "单位后面要留一个空格"))
                );
            }
            self.pos += 1;
        }
        Ok(rest[..len].to_string())
    }

    pub fn finish(&self) -> Result<(), ModelError> {
        match self.peek() {
            None => Ok(()),
            Some(t) => {
                let t = t.describe();
                Err(self.error_here(Message::new(
                    format!("unexpected {} after the statement", t.en),
                    format!("语句后面多了{}", after_chinese(&t.zh)),
                )))
            }
        }
    }

    pub fn expr(&mut self) -> Result<Raw, ModelError> {
        let mut lhs = self.term()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Plus) => BinOp::Add,
                Some(Tok::Minus) => BinOp::Sub,
                _ => return Ok(lhs),
            };
            self.pos += 1;
            lhs = Raw::Bin(op, Box::new(lhs), Box::new(self.term()?));
        }
    }

    fn term(&mut self) -> Result<Raw, ModelError> {
        let mut lhs = self.unary()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Star) => BinOp::Mul,
                Some(Tok::Slash) => BinOp::Div,
                _ => return Ok(lhs),
            };
            self.pos += 1;
            lhs = Raw::Bin(op, Box::new(lhs), Box::new(self.unary()?));
        }
    }

    /// Every operand, at every level of nesting, is parsed here: the place to enforce the limits.
    fn unary(&mut self) -> Result<Raw, ModelError> {
        self.operands += 1;
        if self.operands > MAX_OPERANDS {
            return Err(self.error_here(msg!(
                "a line may hold at most {MAX_OPERANDS} operands; \
                 split the expression into helper definitions",
                "一行最多只能有 {MAX_OPERANDS} 个操作数；请把表达式拆成几个辅助定义"
            )));
        }
        if self.nesting == MAX_NESTING {
            return Err(self.error_here(msg!(
                "expressions may nest at most {MAX_NESTING} levels deep (parentheses, functions, \
                 signs and powers); split this one into helper definitions",
                "表达式最多只能嵌套 {MAX_NESTING} 层（括号、函数、正负号和乘方）；\
                 请把它拆成几个辅助定义"
            )));
        }
        self.nesting += 1;
        let operand = self.signed();
        self.nesting -= 1;
        operand
    }

    fn signed(&mut self) -> Result<Raw, ModelError> {
        if self.peek() == Some(&Tok::Minus) {
            self.pos += 1;
            return Ok(Raw::Neg(Box::new(self.unary()?)));
        }
        if self.peek() == Some(&Tok::Plus) {
            self.pos += 1;
            return self.unary();
        }
        self.power()
    }

    /// `a ^ b` binds tighter than unary minus on its left and is right-associative.
    fn power(&mut self) -> Result<Raw, ModelError> {
        let base = self.atom()?;
        if self.peek() == Some(&Tok::Caret) {
            self.pos += 1;
            let exponent = self.unary()?;
            return Ok(Raw::Bin(BinOp::Pow, Box::new(base), Box::new(exponent)));
        }
        Ok(base)
    }

    fn atom(&mut self) -> Result<Raw, ModelError> {
        let span = self.span_here();
        match self.peek() {
            Some(Tok::Num(v)) => {
                self.pos += 1;
                Ok(Raw::Num(*v))
            }
            Some(Tok::LParen) => {
                self.pos += 1;
                let inner = self.expr()?;
                self.expect(Tok::RParen, ("`)`", "`)`"))?;
                Ok(inner)
            }
            Some(Tok::Ident(name)) if name == "old" && self.peek_at(1) == Some(&Tok::LParen) => {
                self.pos += 2;
                let (inner, inner_span) =
                    self.ident(("a state variable inside `old(…)`", "`old(…)` 中的状态变量"))?;
                self.expect(Tok::RParen, ("`)`", "`)`"))?;
                Ok(Raw::Old(inner, inner_span))
            }
            Some(Tok::Ident(name)) if self.peek_at(1) == Some(&Tok::LParen) => {
                let func = Func::from_name(name).ok_or_else(|| {
                    let names: Vec<_> = Func::ALL.iter().map(|f| f.name()).collect();
                    let (known, known_zh) = (names.join(", "), names.join("、"));
                    self.error_here(msg!(
                        "unknown function `{name}` (known: {known})",
                        "未知的函数 `{name}`（可用的函数：{known_zh}）"
                    ))
                })?;
                self.pos += 2;
                let mut args = vec![self.expr()?];
                while self.peek() == Some(&Tok::Comma) {
                    self.pos += 1;
                    args.push(self.expr()?);
                }
                self.expect(Tok::RParen, ("`,` or `)`", "`,` 或 `)`"))?;
                if args.len() != func.arity() {
                    let (name, arity, found) = (func.name(), func.arity(), args.len());
                    let s = if arity == 1 { "" } else { "s" };
                    return Err(ModelError::new(
                        msg!(
                            "`{name}` takes {arity} argument{s}, found {found}",
                            "`{name}` 需要 {arity} 个参数，这里有 {found} 个"
                        ),
                        span.line,
                        span.column,
                        span.length,
                    ));
                }
                Ok(Raw::Call(func, args))
            }
            Some(Tok::Ident(name)) => {
                self.pos += 1;
                Ok(Raw::Name(name.clone(), span))
            }
            _ => Err(self.expected(("a number, a name or `(`", "数字、名称或 `(`"))),
        }
    }
}
