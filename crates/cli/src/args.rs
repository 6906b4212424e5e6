//! Parsers for the values on the command line: numbers with their constraints, `NAME=v[,v…]`
//! assignments and comma lists of names. Each error is one line that says what was wrong and
//! what would be right; clap prefixes it with the flag it came from.

use brainplay_sim::population::List;
use brainplay_sim::Method;

/// `NAME=v[,v…]` from `--set` or `--init`: one value for every neuron, or one per neuron.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    pub name: String,
    pub values: Vec<f64>,
}

/// The `--set` or `--init` lists under `flag`, for the population-size rule.
pub fn assignment_lists(flag: &str, assignments: &[Assignment]) -> Vec<List> {
    assignments
        .iter()
        .map(|a| List {
            // Flags are the same in every language.
            label: {
                let flag = format!("{flag} {}", a.name);
                brainplay_sim::Message::new(flag.clone(), flag)
            },
            len: a.values.len(),
        })
        .collect()
}

/// Assignments in the form `Setup` takes them.
pub fn pairs(assignments: &[Assignment]) -> Vec<(String, Vec<f64>)> {
    assignments
        .iter()
        .map(|a| (a.name.clone(), a.values.clone()))
        .collect()
}

/// A finite number. Rust's float parser also accepts `inf` and `NaN`, which no simulation
/// setting can use, so they are rejected here with the rest.
pub fn number(text: &str) -> Result<f64, String> {
    let trimmed = text.trim();
    match trimmed.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        Ok(_) => Err(format!("`{trimmed}` is not a finite number")),
        Err(_) => Err(format!("`{trimmed}` is not a number (e.g. 10, -2.5, 1e-3)")),
    }
}

/// A time in ms that must be above zero (dt, duration, sweep step).
pub fn positive_ms(text: &str) -> Result<f64, String> {
    let x = number(text)?;
    if x > 0.0 {
        Ok(x)
    } else {
        Err(format!("must be a positive number of ms, got {x}"))
    }
}

/// A count that must be at least 1 (population size, recording stride).
pub fn at_least_one(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(0) => Err("must be at least 1, got 0".into()),
        Ok(k) => Ok(k),
        Err(_) => Err(format!("`{}` is not a whole number >= 1", text.trim())),
    }
}

/// A random seed: any whole number from 0 to 2^64 - 1.
pub fn seed(text: &str) -> Result<u64, String> {
    text.trim()
        .parse::<u64>()
        .map_err(|_| format!("`{}` is not a whole number >= 0", text.trim()))
}

/// An integration method by the model language's name or one of BrainPy's aliases.
pub fn method(text: &str) -> Result<Method, String> {
    Method::from_name(text.trim()).ok_or_else(|| {
        let names: Vec<_> = Method::ALL.iter().map(|m| m.name()).collect();
        format!(
            "unknown method `{}`; use one of {}",
            text.trim(),
            names.join(", ")
        )
    })
}

/// A name as the model language writes them: a letter or `_`, then letters, digits and `_`.
fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `NAME=v[,v…]`, as in `--set I=10` or `--set I=5,10,15`.
pub fn assignment(text: &str) -> Result<Assignment, String> {
    let Some((name, values)) = text.split_once('=') else {
        return Err(format!(
            "`{text}` is not NAME=value[,value...] (e.g. I=10 or I=5,10,15)"
        ));
    };
    let name = name.trim();
    if !is_name(name) {
        return Err(format!(
            "`{name}` is not a parameter or state name (e.g. I=10 or I=5,10,15)"
        ));
    }
    let values = values
        .split(',')
        .map(|v| number(v).map_err(|e| format!("{name}: {e}")))
        .collect::<Result<Vec<f64>, String>>()?;
    Ok(Assignment {
        name: name.to_string(),
        values,
    })
}

/// A comma list of names, as in `--record V,m,h,n`.
pub fn name_list(text: &str) -> Result<Vec<String>, String> {
    text.split(',')
        .map(|name| {
            let name = name.trim();
            if is_name(name) {
                Ok(name.to_string())
            } else if name.is_empty() {
                Err(format!(
                    "`{text}` has an empty name; write names separated by commas (e.g. V,m,h,n)"
                ))
            } else {
                Err(format!("`{name}` is not a name (e.g. V,m,h,n)"))
            }
        })
        .collect()
}

/// `--record`'s names. A newtype, because clap's derive reads a `Vec` field as a flag that
/// may be repeated, while `--record` takes one comma list.
#[derive(Clone, Debug, PartialEq)]
pub struct NameList(pub Vec<String>);

pub fn record_list(text: &str) -> Result<NameList, String> {
    name_list(text).map(NameList)
}

/// Rejects a name given twice to the same flag: with two values it would be unclear which
/// one the run used.
pub fn no_repeats(flag: &str, assignments: &[Assignment]) -> Result<(), String> {
    for (k, a) in assignments.iter().enumerate() {
        if assignments[..k].iter().any(|b| b.name == a.name) {
            return Err(format!(
                "{flag} {} is given twice; give it once (a list like {}=1,2,3 makes one neuron per value)",
                a.name, a.name
            ));
        }
    }
    Ok(())
}

/// Tidies a time or sweep value computed as `k * step`: `3 * 0.1` is `0.30000000000000004`, and
/// printing that would suggest a precision the grid does not have. Rounding to 1e-9 keeps every
/// value a user can type (no one types more than nine decimals of a ms or a current) and removes
/// the drift.
pub fn tidy(x: f64) -> f64 {
    if x.abs() < 1e6 {
        (x * 1e9).round() / 1e9
    } else {
        x
    }
}

/// The values of an f-I sweep: `from, from + step, …` up to and including `to` (within
/// rounding), each computed as `from + k * step` so that errors do not accumulate.
pub fn sweep(from: f64, to: f64, step: f64) -> Result<Vec<f64>, String> {
    if from > to {
        return Err(format!(
            "--from {from} is above --to {to}; give the smaller value to --from"
        ));
    }
    if step.is_nan() || step <= 0.0 {
        return Err(format!("--step must be positive, got {step}"));
    }
    // The 1e-9 slack keeps `to` when (to - from) / step is a whole number that rounding pushed
    // just below it (0.3 / 0.1 = 2.9999999999999996).
    let count = ((to - from) / step + 1e-9).floor() + 1.0;
    if count > brainplay_sim::population::MAX_NEURONS as f64 {
        return Err(format!(
            "--from {from} --to {to} --step {step} gives {count} values, more than the limit of {} neurons; use a larger --step",
            brainplay_sim::population::MAX_NEURONS
        ));
    }
    Ok((0..count as usize)
        .map(|k| tidy(from + k as f64 * step))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    mod assignments {
        use super::*;

        fn check(text: &str, want: Result<(&str, &[f64]), &str>) {
            let got = assignment(text);
            match (got, want) {
                (Ok(a), Ok((name, values))) => {
                    assert_eq!(
                        (a.name.as_str(), a.values.as_slice()),
                        (name, values),
                        "{text}"
                    )
                }
                (Err(e), Err(part)) => assert!(e.contains(part), "{text}: `{e}` lacks `{part}`"),
                (got, want) => panic!("{text}: got {got:?}, want {want:?}"),
            }
        }

        #[test]
        fn cases() {
            check("I=10", Ok(("I", &[10.0])));
            check("I=5,10,15", Ok(("I", &[5.0, 10.0, 15.0])));
            check(" V_th = -50 ", Ok(("V_th", &[-50.0])));
            check("I=5, 10 ,1e1", Ok(("I", &[5.0, 10.0, 10.0])));
            check("_x=-.5", Ok(("_x", &[-0.5])));
            check("I", Err("is not NAME=value"));
            check("=5", Err("is not a parameter or state name"));
            check("1I=5", Err("`1I` is not a parameter"));
            check("I=", Err("I: `` is not a number"));
            check("I=5,,6", Err("I: `` is not a number"));
            check("I=abc", Err("I: `abc` is not a number"));
            check("I=inf", Err("I: `inf` is not a finite number"));
            check("I=NaN", Err("not a finite number"));
            check("I=1=2", Err("`1=2` is not a number"));
        }
    }

    mod numbers {
        use super::*;

        fn check<T: PartialEq + std::fmt::Debug>(
            parse: fn(&str) -> Result<T, String>,
            text: &str,
            want: Result<T, &str>,
        ) {
            match (parse(text), want) {
                (Ok(got), Ok(want)) => assert_eq!(got, want, "{text}"),
                (Err(e), Err(part)) => assert!(e.contains(part), "{text}: `{e}` lacks `{part}`"),
                (got, want) => panic!("{text}: got {got:?}, want {want:?}"),
            }
        }

        #[test]
        fn cases() {
            check(number, "-2.5", Ok(-2.5));
            check(number, "1e-3", Ok(1e-3));
            check(number, "ten", Err("`ten` is not a number"));
            check(number, "-inf", Err("not a finite number"));
            check(positive_ms, "0.01", Ok(0.01));
            check(positive_ms, "0", Err("positive"));
            check(positive_ms, "-1", Err("positive"));
            check(positive_ms, "x", Err("`x` is not a number"));
            check(at_least_one, "3", Ok(3));
            check(at_least_one, "0", Err("at least 1"));
            check(at_least_one, "-3", Err("not a whole number"));
            check(at_least_one, "2.5", Err("not a whole number"));
            check(seed, "18446744073709551615", Ok(u64::MAX));
            check(seed, "-1", Err("not a whole number"));
            check(method, "rk4", Ok(Method::Rk4));
            check(method, "exp_auto", Ok(Method::ExpEuler));
            check(
                method,
                "rk3",
                Err("unknown method `rk3`; use one of euler, rk2, rk4, exp_euler"),
            );
        }
    }

    mod names {
        use super::*;

        fn check(text: &str, want: Result<&[&str], &str>) {
            match (name_list(text), want) {
                (Ok(got), Ok(want)) => assert_eq!(got, want, "{text}"),
                (Err(e), Err(part)) => assert!(e.contains(part), "{text}: `{e}` lacks `{part}`"),
                (got, want) => panic!("{text}: got {got:?}, want {want:?}"),
            }
        }

        #[test]
        fn cases() {
            check("V", Ok(&["V"]));
            check("V,m, h ,n", Ok(&["V", "m", "h", "n"]));
            check("V,,m", Err("empty name"));
            check("", Err("empty name"));
            check("V,2m", Err("`2m` is not a name"));
        }

        #[test]
        fn repeats() {
            let a = |name: &str| Assignment {
                name: name.into(),
                values: vec![1.0],
            };
            assert_eq!(no_repeats("--set", &[a("I"), a("gK")]), Ok(()));
            let err = no_repeats("--set", &[a("I"), a("gK"), a("I")]).unwrap_err();
            assert!(err.contains("--set I is given twice"), "{err}");
        }
    }

    mod sweeps {
        use super::*;

        fn check(from: f64, to: f64, step: f64, want: Result<&[f64], &str>) {
            match (sweep(from, to, step), want) {
                (Ok(got), Ok(want)) => assert_eq!(got, want, "{from}..{to} by {step}"),
                (Err(e), Err(part)) => assert!(e.contains(part), "`{e}` lacks `{part}`"),
                (got, want) => panic!("{from}..{to} by {step}: got {got:?}, want {want:?}"),
            }
        }

        #[test]
        fn cases() {
            check(0.0, 2.0, 0.5, Ok(&[0.0, 0.5, 1.0, 1.5, 2.0]));
            check(0.0, 0.3, 0.1, Ok(&[0.0, 0.1, 0.2, 0.3]));
            check(5.0, 5.0, 1.0, Ok(&[5.0]));
            check(0.0, 1.0, 0.4, Ok(&[0.0, 0.4, 0.8]));
            check(-1.0, 1.0, 1.0, Ok(&[-1.0, 0.0, 1.0]));
            check(3.0, 1.0, 1.0, Err("--from 3 is above --to 1"));
            check(0.0, 1.0, 0.0, Err("--step must be positive"));
            check(0.0, 1.0, -0.5, Err("--step must be positive"));
            check(0.0, 1e7, 1.0, Err("more than the limit"));
        }

        #[test]
        fn the_lesson_sweep_has_61_values() {
            let values = sweep(0.0, 30.0, 0.5).unwrap();
            assert_eq!(values.len(), 61);
            assert_eq!(values[41], 20.5);
        }
    }
}
