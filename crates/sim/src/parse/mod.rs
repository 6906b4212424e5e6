//! Model text → validated [`Model`]. Errors name the problem and its position; nothing panics.

mod expr;
mod lexer;
mod statements;

use std::collections::HashMap;

use self::expr::Raw;
use self::statements::RawModel;
use crate::error::ModelError;
use crate::ir::{
    Expr, Func, Helper, Method, Model, Param, Refractory, Reset, Span, Spike, State, Sym,
};
use crate::message::Message;
use crate::msg;

fn err_at(message: impl Into<crate::Message>, span: Span) -> ModelError {
    ModelError::new(message, span.line, span.column, span.length)
}

/// Parses and validates a model.
pub fn parse_model(text: &str) -> Result<Model, ModelError> {
    let raw = statements::collect(text)?;
    let Some((id, _)) = raw.id.clone() else {
        return Err(ModelError::new(
            msg!(
                "the text is empty: a model file starts with `model <id>`",
                "文本是空的：模型文件要以 `model <id>` 开头"
            ),
            1,
            1,
            1,
        ));
    };
    let names = declare(&raw)?;
    // `old(…)` belongs to `on_spike` and `on_post_spike` statements only.
    let resolve_on_spike = |e: &Raw| resolve(e, &names);
    let resolve = |e: &Raw| {
        let expr = resolve(e, &names)?;
        match first_old(e) {
            Some(span) if expr.uses_old() => Err(err_at(
                msg!(
                    "`old(…)` may appear only in `on_spike` and `on_post_spike` statements",
                    "`old(…)` 只能出现在 `on_spike` 和 `on_post_spike` 语句中"
                ),
                span,
            )),
            _ => Ok(expr),
        }
    };

    let params = raw
        .params
        .iter()
        .map(|p| Param {
            name: p.name.clone(),
            default: p.default,
            unit: p.unit.clone(),
            min: p.min,
            max: p.max,
            description_en: p.description_en.clone(),
            description_zh: p.description_zh.clone(),
            span: p.span,
        })
        .collect();

    let mut states = Vec::with_capacity(raw.states.len());
    for (i, s) in raw.states.iter().enumerate() {
        let init = resolve(&s.init)?;
        check_only(
            &init,
            &s.init,
            &names,
            &|sym| match sym {
                Sym::Param(_) => true,
                Sym::State(j) => j < i,
                _ => false,
            },
            msg!(
                "an initial value may use parameters and the states declared before it",
                "初始值只能使用参数和在它之前声明的状态变量"
            ),
        )?;
        states.push(State {
            name: s.name.clone(),
            init,
            unit: s.unit.clone(),
            description_en: s.description_en.clone(),
            description_zh: s.description_zh.clone(),
            span: s.span,
        });
    }

    let helpers = raw
        .helpers
        .iter()
        .map(|(name, span, e)| {
            Ok(Helper {
                name: name.clone(),
                expr: resolve(e)?,
                span: *span,
            })
        })
        .collect::<Result<Vec<_>, ModelError>>()?;
    let helper_order = order_helpers(&helpers)?;
    check_expansion(&helpers, &helper_order)?;

    let mut derivatives: Vec<Option<Expr>> = vec![None; raw.states.len()];
    for (name, span, rhs) in &raw.derivatives {
        let index = match names.get(name.as_str()) {
            Some(Sym::State(i)) => *i,
            Some(other) => {
                let (kind, kind_zh) = match other {
                    Sym::Param(_) => ("a parameter", "参数"),
                    Sym::Helper(_) => ("a helper definition", "辅助定义"),
                    _ => ("reserved", "保留名称"),
                };
                return Err(err_at(
                    msg!(
                        "`d{name}/dt`: `{name}` is {kind}, not a state variable",
                        "`d{name}/dt`：`{name}` 是{kind_zh}，不是状态变量"
                    ),
                    *span,
                ));
            }
            None => {
                return Err(err_at(
                    msg!(
                        "`d{name}/dt`: `{name}` is not declared; add `state {name} = <initial value> <unit> \"…\" \"…\"`",
                        "`d{name}/dt`：`{name}` 没有声明；请添加 `state {name} = <initial value> <unit> \"…\" \"…\"`"
                    ),
                    *span,
                ))
            }
        };
        if derivatives[index].is_some() {
            return Err(err_at(
                msg!("`d{name}/dt` is defined twice", "`d{name}/dt` 定义了两次"),
                *span,
            ));
        }
        derivatives[index] = Some(resolve(rhs)?);
    }
    let derivatives = derivatives
        .into_iter()
        .zip(&raw.states)
        .map(|(d, s)| {
            d.ok_or_else(|| {
                err_at(
                    msg!(
                        "state `{0}` has no equation `d{0}/dt = …`",
                        "状态变量 `{0}` 没有方程 `d{0}/dt = …`",
                        s.name
                    ),
                    s.span,
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;

    let spike = match &raw.spike {
        Some(s) => Some(Spike {
            test: s.test,
            lhs: resolve(&s.lhs)?,
            rhs: resolve(&s.rhs)?,
        }),
        None => None,
    };

    let state_of = |name: &str, span: Span, what: &str| match names.get(name) {
        Some(Sym::State(i)) => Ok(*i),
        _ => Err(err_at(
            msg!(
                "{what}: `{name}` is not a state variable",
                "{what}：`{name}` 不是状态变量"
            ),
            span,
        )),
    };
    let resets = raw
        .resets
        .iter()
        .map(|(name, span, op, e)| {
            Ok(Reset {
                state: state_of(name, *span, "reset")?,
                op: *op,
                expr: resolve(e)?,
            })
        })
        .collect::<Result<Vec<_>, ModelError>>()?;
    if !resets.is_empty() && spike.is_none() {
        return Err(err_at(
            msg!(
                "`reset` needs a `spike` condition",
                "`reset` 需要一个 `spike` 条件"
            ),
            raw.resets[0].1,
        ));
    }

    let refractory = match &raw.refractory {
        Some((period, hold, span)) => {
            if spike.is_none() {
                return Err(err_at(
                    msg!(
                        "`refractory` needs a `spike` condition",
                        "`refractory` 需要一个 `spike` 条件"
                    ),
                    *span,
                ));
            }
            let period_ms = resolve(period)?;
            check_only(
                &period_ms,
                period,
                &names,
                &|sym| matches!(sym, Sym::Param(_)),
                msg!(
                    "the refractory period may use numbers and parameters only",
                    "不应期只能使用数字和参数"
                ),
            )?;
            let hold = hold
                .iter()
                .map(|(name, span)| state_of(name, *span, "hold"))
                .collect::<Result<Vec<_>, _>>()?;
            Some(Refractory { period_ms, hold })
        }
        None => None,
    };

    let events = |list: &[statements::Assignment], what: &str| {
        list.iter()
            .map(|(name, span, op, e)| {
                Ok(Reset {
                    state: state_of(name, *span, what)?,
                    op: *op,
                    expr: resolve_on_spike(e)?,
                })
            })
            .collect::<Result<Vec<_>, ModelError>>()
    };
    let on_spike = events(&raw.on_spike, "on_spike")?;
    let on_post_spike = events(&raw.on_post_spike, "on_post_spike")?;
    if !on_post_spike.is_empty() && on_spike.is_empty() {
        return Err(err_at(
            msg!(
                "`on_post_spike` belongs to a synapse: add `on_spike` for its presynaptic spikes",
                "`on_post_spike` 属于突触：请为突触前脉冲添加 `on_spike`"
            ),
            raw.on_post_spike[0].1,
        ));
    }
    let output = match &raw.output {
        Some((name, span)) => match names.get(name.as_str()) {
            Some(sym @ (Sym::Helper(_) | Sym::State(_))) => Some(*sym),
            _ => {
                return Err(err_at(
                    msg!(
                        "output: `{name}` is not a helper or a state",
                        "output：`{name}` 既不是辅助定义也不是状态变量"
                    ),
                    *span,
                ))
            }
        },
        None => None,
    };
    let post = raw
        .post
        .iter()
        .map(|(name, span)| match names.get(name.as_str()) {
            Some(Sym::Param(i)) => Ok(*i),
            _ => Err(err_at(
                msg!(
                    "post: `{name}` is not a parameter (declare it with `param`)",
                    "post：`{name}` 不是参数（请用 `param` 声明它）"
                ),
                *span,
            )),
        })
        .collect::<Result<Vec<_>, ModelError>>()?;

    let input = match &raw.input {
        Some((name, span)) => match names.get(name.as_str()) {
            Some(Sym::Param(i)) => Some(*i),
            _ => {
                return Err(err_at(
                    msg!(
                        "input: `{name}` is not a parameter",
                        "input：`{name}` 不是参数"
                    ),
                    *span,
                ))
            }
        },
        None => None,
    };

    let (title_en, title_zh) = raw
        .title
        .clone()
        .unwrap_or_else(|| (id.clone(), id.clone()));
    Ok(Model {
        id,
        title_en,
        title_zh,
        reference: raw.reference.clone(),
        brainpy: raw.brainpy.clone(),
        method: raw.method.unwrap_or(Method::ExpEuler),
        input,
        params,
        states,
        helpers,
        helper_order,
        derivatives,
        spike,
        resets,
        refractory,
        on_spike,
        on_spike_before: raw.on_spike_before.is_some(),
        on_post_spike,
        output,
        post,
        leading: Vec::new(),
        source: text.to_string(),
    })
}

/// Builds the name table, rejecting duplicates and reserved names.
fn declare(raw: &RawModel) -> Result<HashMap<&str, Sym>, ModelError> {
    let mut names: HashMap<&str, Sym> = HashMap::new();
    let mut spans: HashMap<&str, Span> = HashMap::new();
    let mut decls: Vec<(&str, Span, Sym)> = raw
        .params
        .iter()
        .enumerate()
        .map(|(i, p)| (p.name.as_str(), p.span, Sym::Param(i)))
        .chain(
            raw.states
                .iter()
                .enumerate()
                .map(|(i, s)| (s.name.as_str(), s.span, Sym::State(i))),
        )
        .chain(
            raw.helpers
                .iter()
                .enumerate()
                .map(|(i, h)| (h.0.as_str(), h.1, Sym::Helper(i))),
        )
        .collect();
    // In file order, so that the later of two declarations is the one reported.
    decls.sort_by_key(|(_, span, _)| (span.line, span.column));
    for (name, span, sym) in decls {
        if name == "t" || name == "dt" {
            return Err(err_at(
                msg!(
                    "`{name}` is reserved (time and time step in ms)",
                    "`{name}` 是保留名称（时间和时间步长，单位 ms）"
                ),
                span,
            ));
        }
        if Func::from_name(name).is_some() {
            return Err(err_at(
                msg!(
                    "`{name}` is a function name and cannot be declared",
                    "`{name}` 是函数名，不能用来声明"
                ),
                span,
            ));
        }
        if let Some(first) = spans.get(name) {
            return Err(err_at(
                msg!(
                    "`{name}` is already declared on line {}",
                    "`{name}` 已在第 {} 行声明过",
                    first.line
                ),
                span,
            ));
        }
        names.insert(name, sym);
        spans.insert(name, span);
    }
    Ok(names)
}

fn resolve(raw: &Raw, names: &HashMap<&str, Sym>) -> Result<Expr, ModelError> {
    Ok(match raw {
        Raw::Num(v) => Expr::Num(*v),
        Raw::Name(name, span) => match name.as_str() {
            "t" => Expr::Sym(Sym::Time),
            "dt" => Expr::Sym(Sym::Dt),
            _ => Expr::Sym(*names.get(name.as_str()).ok_or_else(|| {
                err_at(msg!("unknown name `{name}`", "未知的名称 `{name}`"), *span)
            })?),
        },
        Raw::Neg(e) => Expr::Neg(Box::new(resolve(e, names)?)),
        Raw::Bin(op, a, b) => Expr::Bin(
            *op,
            Box::new(resolve(a, names)?),
            Box::new(resolve(b, names)?),
        ),
        Raw::Call(f, args) => Expr::Call(
            *f,
            args.iter()
                .map(|a| resolve(a, names))
                .collect::<Result<_, _>>()?,
        ),
        Raw::Old(name, span) => match names.get(name.as_str()) {
            Some(Sym::State(i)) => Expr::Old(*i),
            _ => {
                return Err(err_at(
                    msg!(
                        "`old({name})`: `{name}` is not a state variable",
                        "`old({name})`：`{name}` 不是状态变量"
                    ),
                    *span,
                ))
            }
        },
    })
}

/// Where the first `old(…)` in `raw` is.
fn first_old(raw: &Raw) -> Option<Span> {
    match raw {
        Raw::Num(_) | Raw::Name(..) => None,
        Raw::Old(_, span) => Some(*span),
        Raw::Neg(e) => first_old(e),
        Raw::Bin(_, a, b) => first_old(a).or_else(|| first_old(b)),
        Raw::Call(_, args) => args.iter().find_map(first_old),
    }
}

/// Rejects symbols that `allowed` refuses, pointing at the first offending name.
fn check_only(
    expr: &Expr,
    raw: &Raw,
    names: &HashMap<&str, Sym>,
    allowed: &dyn Fn(Sym) -> bool,
    rule: Message,
) -> Result<(), ModelError> {
    let mut bad = None;
    expr.for_each_sym(&mut |s| {
        if bad.is_none() && !allowed(s) {
            bad = Some(s);
        }
    });
    let Some(bad) = bad else { return Ok(()) };
    let span = first_span_of(raw, bad, names).unwrap_or_default();
    Err(err_at(rule, span))
}

fn first_span_of(raw: &Raw, target: Sym, names: &HashMap<&str, Sym>) -> Option<Span> {
    match raw {
        Raw::Num(_) => None,
        Raw::Name(name, span) => {
            let sym = match name.as_str() {
                "t" => Some(Sym::Time),
                "dt" => Some(Sym::Dt),
                _ => names.get(name.as_str()).copied(),
            };
            (sym == Some(target)).then_some(*span)
        }
        Raw::Neg(e) => first_span_of(e, target, names),
        Raw::Bin(_, a, b) => {
            first_span_of(a, target, names).or_else(|| first_span_of(b, target, names))
        }
        Raw::Call(_, args) => args.iter().find_map(|a| first_span_of(a, target, names)),
        Raw::Old(name, span) => {
            (names.get(name.as_str()).copied() == Some(target)).then_some(*span)
        }
    }
}

/// How deep and how large a helper's expression may grow once the helpers it reads are written
/// in: the passes that inline helpers (lowering, differentiation, composing a synapse with a
/// neuron) recurse through such chains and copy such trees, so a chain of thousands of helpers
/// would overflow the compute worker's stack and a helper read twice at each of forty levels
/// would build 2⁴⁰ terms. One line may already be 1000 operands deep (`MAX_OPERANDS`); the depth
/// leaves room for about half as much again through helpers, which a test runs on a 1 MiB stack.
const MAX_EXPANDED_DEPTH: u64 = 1500;
const MAX_EXPANDED_TERMS: u64 = 1_000_000;

/// Every helper's expansion within the limits above, or an error at the first that is not.
fn check_expansion(helpers: &[Helper], order: &[usize]) -> Result<(), ModelError> {
    /// (depth, terms) of `e` with the helpers it reads written in.
    fn measure(e: &Expr, known: &[(u64, u64)]) -> (u64, u64) {
        let node = |parts: &mut dyn Iterator<Item = (u64, u64)>| {
            parts.fold((1_u64, 1_u64), |(d, t), (pd, pt)| {
                (d.max(pd.saturating_add(1)), t.saturating_add(pt))
            })
        };
        match e {
            Expr::Sym(Sym::Helper(j)) => known[*j],
            Expr::Num(_) | Expr::Sym(_) | Expr::Old(_) => (1, 1),
            Expr::Neg(a) => node(&mut std::iter::once(measure(a, known))),
            Expr::Bin(_, a, b) => node(&mut [a, b].into_iter().map(|x| measure(x, known))),
            Expr::Call(_, args) => node(&mut args.iter().map(|x| measure(x, known))),
        }
    }
    let mut known = vec![(0, 0); helpers.len()];
    for &i in order {
        let (depth, terms) = measure(&helpers[i].expr, &known);
        let name = &helpers[i].name;
        if depth > MAX_EXPANDED_DEPTH {
            return Err(err_at(
                msg!(
                    "`{name}` nests more than {MAX_EXPANDED_DEPTH} levels deep once the helpers it \
                     reads are written in: use fewer levels of helpers",
                    "把 `{name}` 读取的辅助定义代入后，它的嵌套超过 {MAX_EXPANDED_DEPTH} 层：\
                     请减少辅助定义的层数"
                ),
                helpers[i].span,
            ));
        }
        if terms > MAX_EXPANDED_TERMS {
            return Err(err_at(
                msg!(
                    "`{name}` grows to more than {MAX_EXPANDED_TERMS} terms once the helpers it \
                     reads are written in: read each helper fewer times",
                    "把 `{name}` 读取的辅助定义代入后，它超过 {MAX_EXPANDED_TERMS} 项：\
                     请减少每个辅助定义被读取的次数"
                ),
                helpers[i].span,
            ));
        }
        known[i] = (depth, terms);
    }
    Ok(())
}

/// Topological order of the helpers; a cycle is an error that lists it. Depth-first with an
/// explicit stack, so that a long chain of helpers cannot overflow the call stack.
fn order_helpers(helpers: &[Helper]) -> Result<Vec<usize>, ModelError> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    let deps: Vec<Vec<usize>> = helpers
        .iter()
        .map(|h| {
            let mut deps = Vec::new();
            h.expr.for_each_sym(&mut |s| {
                if let Sym::Helper(j) = s {
                    deps.push(j);
                }
            });
            deps
        })
        .collect();
    let mut marks = vec![Mark::New; helpers.len()];
    let mut order = Vec::with_capacity(helpers.len());
    for root in 0..helpers.len() {
        if marks[root] != Mark::New {
            continue;
        }
        marks[root] = Mark::Active;
        // The helpers being visited, each with the index of its next dependency to visit.
        let mut path = vec![(root, 0)];
        while let Some(top) = path.last_mut() {
            let i = top.0;
            let Some(&j) = deps[i].get(top.1) else {
                marks[i] = Mark::Done;
                order.push(i);
                path.pop();
                continue;
            };
            top.1 += 1;
            match marks[j] {
                Mark::Done => {}
                Mark::New => {
                    marks[j] = Mark::Active;
                    path.push((j, 0));
                }
                Mark::Active => {
                    let start = path.iter().position(|&(p, _)| p == j).unwrap_or(0);
                    let cycle: Vec<&str> = path[start..]
                        .iter()
                        .map(|&(p, _)| p)
                        .chain([j])
                        .map(|p| helpers[p].name.as_str())
                        .collect();
                    let cycle = cycle.join(" → ");
                    return Err(err_at(
                        msg!(
                            "helper definitions form a cycle: {cycle}",
                            "辅助定义构成了循环：{cycle}"
                        ),
                        helpers[j].span,
                    ));
                }
            }
        }
    }
    Ok(order)
}
