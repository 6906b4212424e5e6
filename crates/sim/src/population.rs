//! How many neurons a population has: a forced size (the CLI's `--n`), or else the longest
//! per-neuron list among its parameters, initial states and input arguments, which every other
//! list must match (or have one value). The one rule for the site's settings, the lessons and
//! the CLI; `Simulation::new` then checks a concrete setup against it.

use crate::input::InputSpec;

/// The most neurons one run may have: enough for any lesson's sweep, and few enough that a
/// mistyped size fails at once instead of exhausting memory.
pub const MAX_NEURONS: usize = 1_000_000;

/// A list of per-neuron values and the flag it came from, for error messages.
#[derive(Clone, Debug, PartialEq)]
pub struct List {
    pub label: String,
    pub len: usize,
}

/// The per-neuron lists of an input spec, such as the amplitudes in
/// `sections(values=[0, [1, 2, 4], 0], …)`, labelled `<what> sections(values)`.
pub fn input_lists(spec: &InputSpec, what: &str) -> Vec<List> {
    spec.per_neuron_values()
        .into_iter()
        .map(|(function, argument, values)| List {
            label: format!("{what} {function}({argument})"),
            len: values.len(),
        })
        .collect()
}

/// The population size: `forced` if given, else the longest list (1 if none). Every list must
/// have one value or exactly that many. `forced` comes with the reason for its size, as
/// in `--n 5`, for the error message.
pub fn size(forced: Option<(usize, &str)>, lists: &[List]) -> Result<usize, String> {
    let n = match forced {
        Some((n, why)) => {
            if let Some(bad) = lists.iter().find(|l| l.len != 1 && l.len != n) {
                return Err(format!(
                    "{} has {} values but there are {n} neurons ({why}); give 1 or {n} values",
                    bad.label, bad.len
                ));
            }
            n
        }
        None => {
            let Some(longest) = lists.iter().max_by_key(|l| l.len) else {
                return Ok(1);
            };
            if let Some(bad) = lists.iter().find(|l| l.len != 1 && l.len != longest.len) {
                return Err(format!(
                    "{} has {} values but {} has {}; per-neuron lists need equal lengths (or one value)",
                    bad.label, bad.len, longest.label, longest.len
                ));
            }
            longest.len
        }
    };
    if n > MAX_NEURONS {
        return Err(format!(
            "{n} neurons is more than the limit of {MAX_NEURONS}; use fewer values"
        ));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(label: &str, len: usize) -> List {
        List {
            label: label.into(),
            len,
        }
    }

    fn check(forced: Option<usize>, lists: &[List], want: Result<usize, &str>) {
        match (size(forced.map(|n| (n, "--n")), lists), want) {
            (Ok(got), Ok(want)) => assert_eq!(got, want, "{forced:?} {lists:?}"),
            (Err(e), Err(part)) => assert!(e.contains(part), "`{e}` lacks `{part}`"),
            (got, want) => panic!("{forced:?} {lists:?}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn sizes() {
        check(None, &[], Ok(1));
        check(Some(7), &[], Ok(7));
        check(None, &[list("--set I", 3)], Ok(3));
        check(None, &[list("--set I", 3), list("--set gK", 1)], Ok(3));
        check(None, &[list("--set gK", 1), list("--set I", 3)], Ok(3));
        check(
            None,
            &[list("--set I", 3), list("--init V", 3), list("--set gK", 1)],
            Ok(3),
        );
        check(
            None,
            &[list("--set I", 3), list("--set gK", 2)],
            Err("--set gK has 2 values but --set I has 3"),
        );
        check(Some(3), &[list("--set I", 3), list("--set gK", 1)], Ok(3));
        check(
            Some(4),
            &[list("--set I", 3)],
            Err("--set I has 3 values but there are 4 neurons (--n); give 1 or 4 values"),
        );
        check(Some(MAX_NEURONS), &[], Ok(MAX_NEURONS));
        check(Some(MAX_NEURONS + 1), &[], Err("more than the limit"));
        check(
            None,
            &[list("--set I", MAX_NEURONS + 1)],
            Err("more than the limit"),
        );
    }

    #[test]
    fn input_lists_name_their_term_and_argument() {
        let spec = InputSpec::parse(
            "sections(values=[0, [1, 2, 4, 8, 10, 15], 0], durations=[10, 2, 25]) + poisson(rate=[5, 10], weight=1)",
        )
        .unwrap();
        assert_eq!(
            input_lists(&spec, "--input"),
            [
                list("--input sections(values)", 6),
                list("--input poisson(rate)", 2)
            ]
        );
        assert_eq!(
            input_lists(&InputSpec::parse("constant(5)").unwrap(), "--input"),
            []
        );
    }
}
