//! The text syntax's parser: hand-written recursive descent over bytes. It only ever steps over
//! ASCII bytes, so every position it reports is a char boundary.

use super::validate::{validate, ArgProblem};
use super::{InputError, InputSpec, Protocol, Values};
use crate::message::{after_chinese, Message};
use crate::msg;

/// A function of the text syntax: its arguments in canonical order, and how
/// to build its protocol from parsed arguments.
struct Function {
    name: &'static str,
    args: &'static [&'static str],
    build: fn(&Args) -> Result<Protocol, InputError>,
}

const FUNCTIONS: &[Function] = &[
    Function {
        name: "constant",
        args: &["value"],
        build: |a| {
            Ok(Protocol::Constant {
                value: a.values("value")?,
            })
        },
    },
    Function {
        name: "sections",
        args: &["values", "durations"],
        build: |a| {
            Ok(Protocol::Sections {
                values: a.list("values", |node| node_values("values", node))?,
                durations_ms: a.number_list("durations")?,
            })
        },
    },
    Function {
        name: "pulses",
        args: &["amp", "start", "width", "period", "count"],
        build: |a| {
            Ok(Protocol::Pulses {
                amp: a.values("amp")?,
                start_ms: a.number("start")?,
                width_ms: a.number("width")?,
                period_ms: a.number("period")?,
                count: a.count("count")?,
            })
        },
    },
    Function {
        name: "ramp",
        args: &["from", "to", "start", "end"],
        build: |a| {
            Ok(Protocol::Ramp {
                from: a.values("from")?,
                to: a.values("to")?,
                start_ms: a.number("start")?,
                end_ms: a.number("end")?,
            })
        },
    },
    Function {
        name: "sine",
        args: &["amp", "freq", "phase", "offset"],
        build: |a| {
            Ok(Protocol::Sine {
                amp: a.values("amp")?,
                freq_hz: a.number("freq")?,
                phase_rad: a.optional_number("phase")?,
                offset: a.optional_values("offset")?,
            })
        },
    },
    Function {
        name: "ou",
        args: &["mean", "sigma", "tau"],
        build: |a| {
            Ok(Protocol::OrnsteinUhlenbeck {
                mean: a.values("mean")?,
                sigma: a.values("sigma")?,
                tau_ms: a.number("tau")?,
            })
        },
    },
    Function {
        name: "poisson",
        args: &["rate", "weight"],
        build: |a| {
            Ok(Protocol::Poisson {
                rate_hz: a.values("rate")?,
                weight: a.values("weight")?,
            })
        },
    },
    Function {
        name: "spikes",
        args: &["times", "weight"],
        build: |a| {
            Ok(Protocol::SpikeTimes {
                times_ms: a.number_list("times")?,
                weight: a.values("weight")?,
            })
        },
    },
];

/// Lists nest at most this deep (`sections(values=[0, [1, 2]])`); the limit
/// also keeps hostile input from overflowing the stack.
const MAX_LIST_DEPTH: usize = 2;

/// Largest `count` accepted: every whole number up to it is exact in `f64`.
const MAX_COUNT: f64 = 9_007_199_254_740_992.0;

enum Node {
    Number { value: f64, pos: usize },
    List { items: Vec<Node>, pos: usize },
}

impl Node {
    fn pos(&self) -> usize {
        match self {
            Node::Number { pos, .. } | Node::List { pos, .. } => *pos,
        }
    }
}

struct Arg {
    name: &'static str,
    value: Node,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_continue(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `["+" | "-"] digits ["." digits] [("e" | "E") ["+" | "-"] digits]`, where
/// either side of the point may be empty but not both.
fn is_number_syntax(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let mut mantissa_digits = digits(&mut i);
    if i < b.len() && b[i] == b'.' {
        i += 1;
        mantissa_digits += digits(&mut i);
    }
    if mantissa_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Parses the text syntax (`InputSpec::parse`).
pub(super) fn spec(text: &str) -> Result<InputSpec, InputError> {
    Parser { text, pos: 0 }.spec()
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    /// How to name what stands at `pos` in an error message.
    fn found(&self, pos: usize) -> Message {
        let rest = self.text.get(pos..).unwrap_or("");
        let code = |s: String| Message::new(s.clone(), s);
        match rest.chars().next() {
            None => msg!("the end of the input", "输入的末尾"),
            Some(c) if c.is_ascii_alphanumeric() || c == '_' => {
                let word: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .take(20)
                    .collect();
                code(format!("`{word}`"))
            }
            Some(c) => code(format!("`{c}`")),
        }
    }

    fn expected(&self, what: Message) -> InputError {
        let found = self.found(self.pos);
        InputError::new(
            self.pos,
            Message::new(
                format!("expected {}, found {}", what.en, found.en),
                format!(
                    "应为{}，实际是{}",
                    after_chinese(&what.zh),
                    after_chinese(&found.zh)
                ),
            ),
        )
    }

    fn ident(&mut self) -> Option<&'a str> {
        let start = self.pos;
        if !self.peek().is_some_and(is_ident_start) {
            return None;
        }
        while self.peek().is_some_and(is_ident_continue) {
            self.pos += 1;
        }
        Some(&self.text[start..self.pos])
    }

    fn spec(&mut self) -> Result<InputSpec, InputError> {
        self.skip_ws();
        let target = self.target();
        let mut terms = Vec::new();
        loop {
            self.skip_ws();
            terms.push(self.term()?);
            self.skip_ws();
            match self.peek() {
                Some(b'+') => self.pos += 1,
                None => break,
                Some(_) => {
                    return Err(
                        self.expected(msg!("`+` or the end of the input", "`+` 或输入的末尾"))
                    )
                }
            }
        }
        Ok(InputSpec { target, terms })
    }

    /// Reads `target:` if the spec starts with one, else leaves `pos` alone.
    fn target(&mut self) -> Option<String> {
        let start = self.pos;
        while self.ident().is_some() {
            if self.peek() != Some(b'.') {
                let end = self.pos;
                self.skip_ws();
                if self.peek() == Some(b':') {
                    self.pos += 1;
                    return Some(self.text[start..end].to_string());
                }
                break;
            }
            self.pos += 1;
        }
        self.pos = start;
        None
    }

    fn term(&mut self) -> Result<Protocol, InputError> {
        let name_pos = self.pos;
        let Some(name) = self.ident() else {
            return Err(self.expected(msg!(
                "a function name like `constant(...)`",
                "函数名，例如 `constant(...)`"
            )));
        };
        let Some(function) = FUNCTIONS.iter().find(|f| f.name == name) else {
            let known: Vec<&str> = FUNCTIONS.iter().map(|f| f.name).collect();
            return Err(InputError::new(
                name_pos,
                Message::new(
                    format!(
                        "unknown function `{name}`; known functions: {}",
                        known.join(", ")
                    ),
                    format!("未知的函数 `{name}`；可用的函数有：{}", known.join("、")),
                ),
            ));
        };
        self.skip_ws();
        if self.peek() != Some(b'(') {
            let name = function.name;
            return Err(self.expected(msg!("`(` after `{name}`", "`{name}` 后面的 `(`")));
        }
        self.pos += 1;
        let args = Args {
            function: function.name,
            function_pos: name_pos,
            args: self.args(function)?,
        };
        let protocol = (function.build)(&args)?;
        validate(&protocol).map_err(|p| InputError::new(args.position(&p), p.message))?;
        Ok(protocol)
    }

    /// Parses the arguments after `(` up to and including `)`.
    fn args(&mut self, function: &'static Function) -> Result<Vec<Arg>, InputError> {
        let allowed = function.args;
        let mut args: Vec<Arg> = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b')') {
            self.pos += 1;
            return Ok(args);
        }
        loop {
            self.skip_ws();
            let name_pos = self.pos;
            let arg = if let Some(word) = self.ident() {
                let known = allowed.iter().copied().find(|a| *a == word);
                self.skip_ws();
                let has_equals = self.peek() == Some(b'=');
                let name = match known {
                    Some(name) if has_equals => name,
                    Some(name) => {
                        return Err(self.expected(msg!("`=` after `{name}`", "`{name}` 后面的 `=`")))
                    }
                    // A word where constant's positional value belongs.
                    None if !has_equals && function.name == "constant" => {
                        let found = self.found(name_pos);
                        return Err(InputError::new(
                            name_pos,
                            Message::new(
                                format!("expected a number or `value=...`, found {}", found.en),
                                format!(
                                    "应为数字或 `value=...`，实际是{}",
                                    after_chinese(&found.zh)
                                ),
                            ),
                        ));
                    }
                    None => {
                        return Err(InputError::new(
                            name_pos,
                            Message::new(
                                format!(
                                    "unknown argument `{word}` for `{}`; it takes {}",
                                    function.name,
                                    allowed.join(", ")
                                ),
                                format!(
                                    "`{}` 没有参数 `{word}`；它的参数有：{}",
                                    function.name,
                                    allowed.join("、")
                                ),
                            ),
                        ))
                    }
                };
                self.pos += 1;
                Arg {
                    name,
                    value: self.value(0)?,
                }
            } else {
                let value = self.value(0)?;
                if function.name != "constant" {
                    return Err(InputError::new(
                        name_pos,
                        msg!(
                            "`{}` takes named arguments like `{}=...`; only constant(...) takes a positional value",
                            "`{}` 的参数要写出名字，例如 `{}=...`；只有 constant(...) 可以直接给值",
                            function.name,
                            allowed[0]
                        ),
                    ));
                }
                if !args.is_empty() {
                    return Err(InputError::new(
                        name_pos,
                        msg!(
                            "constant(...) takes a single value, as in constant(5)",
                            "constant(...) 只接受一个值，例如 constant(5)"
                        ),
                    ));
                }
                Arg {
                    name: "value",
                    value,
                }
            };
            if args.iter().any(|a| a.name == arg.name) {
                return Err(InputError::new(
                    name_pos,
                    msg!("duplicate argument `{}`", "参数 `{}` 重复了", arg.name),
                ));
            }
            args.push(arg);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b')') => {
                    self.pos += 1;
                    return Ok(args);
                }
                _ => return Err(self.expected(msg!("`,` or `)`", "`,` 或 `)`"))),
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, InputError> {
        self.skip_ws();
        match self.peek() {
            Some(b'[') => {
                let pos = self.pos;
                if depth >= MAX_LIST_DEPTH {
                    return Err(InputError::new(
                        pos,
                        msg!(
                            "lists nest at most {MAX_LIST_DEPTH} deep",
                            "列表最多只能嵌套 {MAX_LIST_DEPTH} 层"
                        ),
                    ));
                }
                self.pos += 1;
                let mut items = Vec::new();
                self.skip_ws();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                    return Ok(Node::List { items, pos });
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.skip_ws();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Node::List { items, pos });
                        }
                        _ => return Err(self.expected(msg!("`,` or `]`", "`,` 或 `]`"))),
                    }
                }
            }
            Some(b) if b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.') => self.number(),
            _ => Err(self.expected(msg!("a number or `[`", "数字或 `[`"))),
        }
    }

    fn number(&mut self) -> Result<Node, InputError> {
        let pos = self.pos;
        self.pos += 1;
        // Take the whole run that could belong to the token, so that `1.2.3`
        // or `5abc` is reported as one malformed number; a sign only
        // continues a number right after an exponent marker.
        while let Some(b) = self.peek() {
            let after_exponent = matches!(self.text.as_bytes()[self.pos - 1], b'e' | b'E');
            if is_ident_continue(b) || b == b'.' || (after_exponent && matches!(b, b'+' | b'-')) {
                self.pos += 1;
            } else {
                break;
            }
        }
        let token = &self.text[pos..self.pos];
        let malformed = || {
            InputError::new(
                pos,
                msg!("malformed number `{token}`", "数字 `{token}` 的写法有误"),
            )
        };
        if !is_number_syntax(token) {
            return Err(malformed());
        }
        let value: f64 = token.parse().map_err(|_| malformed())?;
        if !value.is_finite() {
            return Err(InputError::new(
                pos,
                msg!(
                    "number `{token}` is out of range",
                    "数字 `{token}` 超出了范围"
                ),
            ));
        }
        Ok(Node::Number { value, pos })
    }
}

/// The arguments of one call, converted on demand to the types each
/// protocol field needs.
struct Args {
    function: &'static str,
    function_pos: usize,
    args: Vec<Arg>,
}

impl Args {
    fn get(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|a| a.name == name)
    }

    fn required(&self, name: &str) -> Result<&Arg, InputError> {
        self.get(name).ok_or_else(|| {
            InputError::new(
                self.function_pos,
                msg!(
                    "`{}` is missing argument `{name}`",
                    "`{}` 缺少参数 `{name}`",
                    self.function
                ),
            )
        })
    }

    /// Where to report a validation problem: the list entry at fault, else
    /// the argument's value, else (for a defaulted argument) the function.
    fn position(&self, p: &ArgProblem) -> usize {
        match (self.get(p.arg), p.index) {
            (None, _) => self.function_pos,
            (
                Some(Arg {
                    value: Node::List { items, .. },
                    ..
                }),
                Some(i),
            ) if i < items.len() => items[i].pos(),
            (Some(arg), _) => arg.value.pos(),
        }
    }

    fn number(&self, name: &str) -> Result<f64, InputError> {
        match &self.required(name)?.value {
            Node::Number { value, .. } => Ok(*value),
            Node::List { pos, .. } => Err(InputError::new(
                *pos,
                msg!(
                    "`{name}` takes a single number, not a list",
                    "`{name}` 只接受一个数字，不能是列表"
                ),
            )),
        }
    }

    fn values(&self, name: &str) -> Result<Values, InputError> {
        node_values(name, &self.required(name)?.value)
    }

    fn optional_number(&self, name: &str) -> Result<f64, InputError> {
        match self.get(name) {
            Some(_) => self.number(name),
            None => Ok(0.0),
        }
    }

    fn optional_values(&self, name: &str) -> Result<Values, InputError> {
        match self.get(name) {
            Some(_) => self.values(name),
            None => Ok(Values::One(0.0)),
        }
    }

    fn list<T>(
        &self,
        name: &str,
        item: impl Fn(&Node) -> Result<T, InputError>,
    ) -> Result<Vec<T>, InputError> {
        match &self.required(name)?.value {
            Node::List { items, .. } => items.iter().map(item).collect(),
            Node::Number { pos, .. } => Err(InputError::new(
                *pos,
                msg!(
                    "`{name}` takes a list like [10, 2]",
                    "`{name}` 需要一个列表，例如 [10, 2]"
                ),
            )),
        }
    }

    fn number_list(&self, name: &str) -> Result<Vec<f64>, InputError> {
        self.list(name, |node| match node {
            Node::Number { value, .. } => Ok(*value),
            Node::List { pos, .. } => Err(InputError::new(
                *pos,
                msg!(
                    "`{name}` takes a flat list of numbers",
                    "`{name}` 需要一个不嵌套的数字列表"
                ),
            )),
        })
    }

    fn count(&self, name: &str) -> Result<Option<usize>, InputError> {
        if self.get(name).is_none() {
            return Ok(None);
        }
        let count = self.number(name)?;
        let pos = self.required(name)?.value.pos();
        if count < 0.0 || count.fract() != 0.0 {
            return Err(InputError::new(
                pos,
                msg!(
                    "`{name}` must be a whole number of at least 0, got {count}",
                    "`{name}` 必须是不小于 0 的整数，这里是 {count}"
                ),
            ));
        }
        if count > MAX_COUNT {
            return Err(InputError::new(
                pos,
                msg!(
                    "`{name}` must be at most {MAX_COUNT}, got {count}",
                    "`{name}` 最大为 {MAX_COUNT}，这里是 {count}"
                ),
            ));
        }
        // Whole, non-negative and at most 2^53, so the cast is exact.
        Ok(Some(count as usize))
    }
}

fn node_values(name: &str, node: &Node) -> Result<Values, InputError> {
    match node {
        Node::Number { value, .. } => Ok(Values::One(*value)),
        Node::List { items, pos } => {
            if items.is_empty() {
                return Err(InputError::new(
                    *pos,
                    msg!(
                        "`{name}` has an empty list; give one number per neuron",
                        "`{name}` 的列表是空的；请为每个神经元给一个数字"
                    ),
                ));
            }
            items
                .iter()
                .map(|item| match item {
                    Node::Number { value, .. } => Ok(*value),
                    Node::List { pos, .. } => Err(InputError::new(
                        *pos,
                        msg!(
                            "`{name}` takes a number or a flat list with one number per neuron",
                            "`{name}` 需要一个数字，或一个不嵌套的列表（每个神经元一个数字）"
                        ),
                    )),
                })
                .collect::<Result<Vec<f64>, InputError>>()
                .map(Values::PerNeuron)
        }
    }
}
