//! One statement per line: recognises the statement kind and collects unresolved declarations.

use super::expr::{Cursor, Raw, What};
use super::lexer::{lex_line, Tok};
use crate::error::ModelError;
use crate::ir::{Method, ResetOp, Span, SpikeTest};
use crate::msg;

pub struct RawParam {
    pub name: String,
    pub span: Span,
    pub default: f64,
    pub unit: String,
    pub min: f64,
    pub max: f64,
    pub description_en: String,
    pub description_zh: String,
}

pub struct RawState {
    pub name: String,
    pub span: Span,
    pub init: Raw,
    pub unit: String,
    pub description_en: String,
    pub description_zh: String,
}

pub struct RawSpike {
    pub test: SpikeTest,
    pub lhs: Raw,
    pub rhs: Raw,
}

/// `refractory <period> hold <names>`: the period, the held states with their spans, and the
/// statement's span.
pub type RawRefractory = (Raw, Vec<(String, Span)>, Span);

/// Everything a model file declares, names still unresolved.
#[derive(Default)]
pub struct RawModel {
    pub id: Option<(String, Span)>,
    pub title: Option<(String, String)>,
    pub reference: String,
    pub brainpy: String,
    pub method: Option<Method>,
    pub input: Option<(String, Span)>,
    pub params: Vec<RawParam>,
    pub states: Vec<RawState>,
    pub helpers: Vec<(String, Span, Raw)>,
    /// (state name, span of the `dX/dt` token, right-hand side)
    pub derivatives: Vec<(String, Span, Raw)>,
    pub spike: Option<RawSpike>,
    pub resets: Vec<Assignment>,
    pub refractory: Option<RawRefractory>,
    pub on_spike: Vec<Assignment>,
    /// The span of `before` in `on_spike before …`.
    pub on_spike_before: Option<Span>,
    pub on_post_spike: Vec<Assignment>,
    pub output: Option<(String, Span)>,
    pub post: Vec<(String, Span)>,
}

/// `state = expr` or `state += expr`, as in `reset` and `on_spike`.
pub type Assignment = (String, Span, ResetOp, Raw);

const KEYWORDS: [&str; 15] = [
    "model",
    "title",
    "reference",
    "brainpy",
    "method",
    "input",
    "param",
    "state",
    "spike",
    "reset",
    "refractory",
    "on_spike",
    "on_post_spike",
    "output",
    "post",
];

pub fn collect(text: &str) -> Result<RawModel, ModelError> {
    let mut raw = RawModel::default();
    for (index, line) in text.lines().enumerate() {
        let line_no = index + 1;
        let tokens = lex_line(line, line_no)?;
        if tokens.is_empty() {
            continue;
        }
        let mut cur = Cursor::new(line, line_no, &tokens);
        statement(&mut cur, &mut raw)?;
        cur.finish()?;
    }
    Ok(raw)
}

fn statement(cur: &mut Cursor, raw: &mut RawModel) -> Result<(), ModelError> {
    let span = cur.span_here();
    let (word, word_span) = cur.ident((
        "a statement (`param`, `state`, `dX/dt = …`, a helper `x = …`, …)",
        "一条语句（`param`、`state`、`dX/dt = …`、辅助定义 `x = …` 等）",
    ))?;
    let keyword = KEYWORDS.contains(&word.as_str()) && cur.peek() != Some(&Tok::Eq);
    if raw.id.is_none() && !(keyword && word == "model") {
        return Err(ModelError::new(
            msg!(
                "a model file starts with `model <id>`",
                "模型文件要以 `model <id>` 开头"
            ),
            span.line,
            span.column,
            span.length,
        ));
    }
    if !keyword {
        return equation(cur, raw, word, word_span);
    }
    let once = |taken: bool| -> Result<(), ModelError> {
        if taken {
            Err(ModelError::new(
                msg!("`{word}` may appear only once", "`{word}` 只能出现一次"),
                span.line,
                span.column,
                span.length,
            ))
        } else {
            Ok(())
        }
    };
    match word.as_str() {
        "model" => {
            once(raw.id.is_some())?;
            let (id, id_span) = cur.ident(("the model id", "模型标识符"))?;
            let valid = id.starts_with(|c: char| c.is_ascii_lowercase())
                && id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !valid {
                return Err(ModelError::new(
                    msg!(
                        "a model id uses lowercase letters, digits and `_`, starting with a letter",
                        "模型标识符只能由小写字母、数字和 `_` 组成，并以字母开头"
                    ),
                    id_span.line,
                    id_span.column,
                    id_span.length,
                ));
            }
            raw.id = Some((id, id_span));
        }
        "title" => {
            once(raw.title.is_some())?;
            let en = cur.string(("the English title in quotes", "带引号的英文标题"))?;
            let zh = cur.string(("the Chinese title in quotes", "带引号的中文标题"))?;
            raw.title = Some((en, zh));
        }
        "reference" => {
            raw.reference = cur.string(("the reference in quotes", "带引号的参考文献"))?
        }
        "brainpy" => {
            raw.brainpy = cur.string(("the BrainPy class in quotes", "带引号的 BrainPy 类名"))?
        }
        "method" => {
            once(raw.method.is_some())?;
            let (name, name_span) = cur.ident(("an integration method", "积分方法"))?;
            let method = Method::from_name(&name).ok_or_else(|| {
                ModelError::new(
                    msg!(
                        "unknown method `{name}` (use euler, rk2, rk4 or exp_euler)",
                        "未知的积分方法 `{name}`（可用 euler、rk2、rk4 或 exp_euler）"
                    ),
                    name_span.line,
                    name_span.column,
                    name_span.length,
                )
            })?;
            raw.method = Some(method);
        }
        "input" => {
            once(raw.input.is_some())?;
            raw.input = Some(cur.ident(("the name of the input parameter", "输入参数的名称"))?);
        }
        "param" => raw.params.push(param(cur)?),
        "state" => raw.states.push(state(cur)?),
        "spike" => {
            once(raw.spike.is_some())?;
            let lhs = cur.expr()?;
            let test = match cur.peek() {
                Some(Tok::Ge) => SpikeTest::AtLeast,
                Some(Tok::Gt) => SpikeTest::Above,
                Some(Tok::Ident(w)) if w == "crosses" => SpikeTest::Crosses,
                _ => return Err(cur.expected(("`>=`, `>` or `crosses`", "`>=`、`>` 或 `crosses`"))),
            };
            cur.next();
            let rhs = cur.expr()?;
            raw.spike = Some(RawSpike { test, lhs, rhs });
        }
        "reset" => raw
            .resets
            .extend(assignments(cur, ("a state to reset", "要重置的状态变量"))?),
        "on_spike" => {
            once(!raw.on_spike.is_empty())?;
            let before_here = cur.span_here();
            // `before` is a keyword only when a state name follows it (`on_spike before g += …`).
            if cur.peek() == Some(&Tok::Ident("before".into()))
                && matches!(cur.peek_at(1), Some(Tok::Ident(_)))
            {
                cur.next();
                raw.on_spike_before = Some(before_here);
            }
            raw.on_spike.extend(assignments(
                cur,
                (
                    "a state that a presynaptic spike changes",
                    "突触前脉冲所改变的状态变量",
                ),
            )?);
        }
        "on_post_spike" => {
            once(!raw.on_post_spike.is_empty())?;
            raw.on_post_spike.extend(assignments(
                cur,
                (
                    "a state that a postsynaptic spike changes",
                    "突触后脉冲所改变的状态变量",
                ),
            )?);
        }
        "output" => {
            once(raw.output.is_some())?;
            raw.output = Some(cur.ident((
                "the helper or state that is the synaptic current",
                "作为突触电流的辅助定义或状态变量",
            ))?);
        }
        "post" => {
            const POST: What = (
                "a parameter taken from the postsynaptic neuron",
                "取自突触后神经元的参数",
            );
            raw.post.push(cur.ident(POST)?);
            while cur.peek() == Some(&Tok::Comma) {
                cur.next();
                raw.post.push(cur.ident(POST)?);
            }
        }
        "refractory" => {
            once(raw.refractory.is_some())?;
            let period = cur.expr()?;
            match cur.peek() {
                Some(Tok::Ident(w)) if w == "hold" => {
                    cur.next();
                }
                _ => {
                    return Err(cur.expected((
                        "`hold` and the states held while refractory",
                        "`hold` 以及不应期内保持不变的状态变量",
                    )))
                }
            }
            const HOLD: What = ("a state to hold", "要保持不变的状态变量");
            let mut hold = vec![cur.ident(HOLD)?];
            while cur.peek() == Some(&Tok::Comma) {
                cur.next();
                hold.push(cur.ident(HOLD)?);
            }
            raw.refractory = Some((period, hold, span));
        }
        _ => unreachable!("KEYWORDS and this match list the same words"),
    }
    Ok(())
}

/// `x = expr; y += expr; …` (a trailing `;` is allowed).
fn assignments(cur: &mut Cursor, what: What) -> Result<Vec<Assignment>, ModelError> {
    let mut list = Vec::new();
    loop {
        let (name, name_span) = cur.ident(what)?;
        let op = match cur.peek() {
            Some(Tok::Eq) => ResetOp::Set,
            Some(Tok::PlusEq) => ResetOp::Add,
            _ => return Err(cur.expected(("`=` or `+=`", "`=` 或 `+=`"))),
        };
        cur.next();
        list.push((name, name_span, op, cur.expr()?));
        if cur.peek() != Some(&Tok::Semi) {
            return Ok(list);
        }
        cur.next();
        if cur.at_end() {
            return Ok(list);
        }
    }
}

/// `dX/dt = expr` or `name = expr`.
fn equation(
    cur: &mut Cursor,
    raw: &mut RawModel,
    word: String,
    span: Span,
) -> Result<(), ModelError> {
    let derivative = word.len() > 1
        && word.starts_with('d')
        && cur.peek() == Some(&Tok::Slash)
        && cur.peek_at(1) == Some(&Tok::Ident("dt".into()));
    if derivative {
        cur.next();
        let dt = cur.span_here();
        cur.next();
        cur.expect(Tok::Eq, ("`=` after the derivative", "导数后面的 `=`"))?;
        let rhs = cur.expr()?;
        let whole = Span {
            length: dt.column + dt.length - span.column,
            ..span
        };
        raw.derivatives.push((word[1..].to_string(), whole, rhs));
        return Ok(());
    }
    cur.expect(
        Tok::Eq,
        (
            "`=` (a helper definition) or a statement keyword",
            "`=`（辅助定义）或语句关键字",
        ),
    )?;
    let rhs = cur.expr()?;
    raw.helpers.push((word, span, rhs));
    Ok(())
}

fn descriptions(cur: &mut Cursor) -> Result<(String, String), ModelError> {
    let en = cur.string(("the English description in quotes", "带引号的英文说明"))?;
    let zh = cur.string(("the Chinese description in quotes", "带引号的中文说明"))?;
    Ok((en, zh))
}

fn param(cur: &mut Cursor) -> Result<RawParam, ModelError> {
    let (name, span) = cur.ident(("the parameter name", "参数名"))?;
    cur.expect(Tok::Eq, ("`=` and the default value", "`=` 和默认值"))?;
    let default = cur.number(("the default value (a number)", "默认值（一个数）"))?;
    let unit = cur.unit()?;
    match cur.peek() {
        Some(Tok::Ident(w)) if w == "in" => {
            cur.next();
        }
        _ => return Err(cur.expected(("`in [min, max]`", "`in [min, max]`"))),
    }
    cur.expect(Tok::LBracket, ("`[`", "`[`"))?;
    let range_span = cur.span_here();
    let min = cur.number(("the minimum", "最小值"))?;
    cur.expect(Tok::Comma, ("`,`", "`,`"))?;
    let max = cur.number(("the maximum", "最大值"))?;
    cur.expect(Tok::RBracket, ("`]`", "`]`"))?;
    if !(min < max && (min..=max).contains(&default)) {
        return Err(ModelError::new(
            msg!(
                "the range [{min}, {max}] must be increasing and contain the default {default}",
                "范围 [{min}, {max}] 必须从小到大，并且包含默认值 {default}"
            ),
            range_span.line,
            range_span.column,
            range_span.length,
        ));
    }
    let (description_en, description_zh) = descriptions(cur)?;
    Ok(RawParam {
        name,
        span,
        default,
        unit,
        min,
        max,
        description_en,
        description_zh,
    })
}

fn state(cur: &mut Cursor) -> Result<RawState, ModelError> {
    let (name, span) = cur.ident(("the state variable name", "状态变量名"))?;
    cur.expect(Tok::Eq, ("`=` and the initial value", "`=` 和初始值"))?;
    let init = cur.expr()?;
    let unit = cur.unit()?;
    let (description_en, description_zh) = descriptions(cur)?;
    Ok(RawState {
        name,
        span,
        init,
        unit,
        description_en,
        description_zh,
    })
}
