//! Model-language text for an IR expression, for `brainplay models` (initial values, spike and
//! reset rules). The IR has no printer of its own; this one adds only the parentheses that
//! precedence needs, so the text parses back to the same expression.

use brainplay_sim::ir::{BinOp, Expr, Model};

/// Binding strength of unary minus, between `* /` and `^` as in the model language.
const NEG: u8 = 3;
/// Names, calls and parenthesised expressions never need parentheses.
const ATOM: u8 = 5;

pub fn expr_text(model: &Model, e: &Expr) -> String {
    let mut out = String::new();
    write(model, e, &mut out);
    out
}

fn precedence(e: &Expr) -> u8 {
    match e {
        // A negative literal reads like a unary minus: `(-2)^x`, not `-2^x`.
        Expr::Num(x) if x.is_sign_negative() => NEG,
        Expr::Num(_) | Expr::Sym(_) | Expr::Call(..) => ATOM,
        Expr::Neg(_) => NEG,
        Expr::Bin(op, ..) => op.precedence(),
    }
}

/// Writes `e`, in parentheses if it binds less tightly than `min`.
fn operand(model: &Model, e: &Expr, min: u8, out: &mut String) {
    if precedence(e) < min {
        out.push('(');
        write(model, e, out);
        out.push(')');
    } else {
        write(model, e, out);
    }
}

fn write(model: &Model, e: &Expr, out: &mut String) {
    match e {
        Expr::Num(x) => out.push_str(&x.to_string()),
        Expr::Sym(s) => out.push_str(model.sym_name(*s)),
        Expr::Neg(inner) => {
            out.push('-');
            // `-(a - b)` and `-(-a)` keep their parentheses; `-x^2` means `-(x^2)` already.
            operand(model, inner, NEG + 1, out);
        }
        Expr::Bin(op, a, b) => {
            let p = op.precedence();
            // `+ - * /` group to the left, so a right operand of equal strength needs
            // parentheses (`a - (b - c)`); `^` groups to the right, so the left one does.
            let (left_min, right_min) = if *op == BinOp::Pow {
                (p + 1, p)
            } else {
                (p, p + 1)
            };
            operand(model, a, left_min, out);
            if *op == BinOp::Pow {
                out.push('^');
            } else {
                out.push_str(&format!(" {} ", op.symbol()));
            }
            operand(model, b, right_min, out);
        }
        Expr::Call(f, args) => {
            out.push_str(f.name());
            out.push('(');
            for (k, arg) in args.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                write(model, arg, out);
            }
            out.push(')');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brainplay_sim::parse_model;

    /// Parses `rhs` as the helper `y` of a small model, prints it, and checks the text and that
    /// the text parses back to the same expression.
    fn check(rhs: &str, want: &str) {
        let source = |rhs: &str| {
            format!("model m\nparam a = 1 1 in [0, 2] \"\" \"\"\nparam b = 1 1 in [0, 2] \"\" \"\"\nparam c = 1 1 in [0, 2] \"\" \"\"\nstate x = 0 1 \"\" \"\"\ny = {rhs}\ndx/dt = y\n")
        };
        let model = parse_model(&source(rhs)).unwrap_or_else(|e| panic!("{rhs}: {e}"));
        let got = expr_text(&model, &model.helpers[0].expr);
        assert_eq!(got, want, "{rhs}");
        let again = parse_model(&source(&got)).unwrap_or_else(|e| panic!("{got}: {e}"));
        assert_eq!(again.helpers[0].expr, model.helpers[0].expr, "{rhs}");
    }

    #[test]
    fn cases() {
        check("a + b * c", "a + b * c");
        check("(a + b) * c", "(a + b) * c");
        check("a - (b - c)", "a - (b - c)");
        check("a - b - c", "a - b - c");
        check("a / (b * c)", "a / (b * c)");
        check("a^b^c", "a^b^c");
        check("(a^b)^c", "(a^b)^c");
        check("-a^2", "-a^2");
        check("(-a)^2", "(-a)^2");
        check("-(a + b)", "-(a + b)");
        check("exp(-(x + 65) / 18)", "exp(-(x + 65) / 18)");
        check("max(a, b*2) - t*dt", "max(a, b * 2) - t * dt");
        check("2.5e-3 * x", "0.0025 * x");
    }
}
