//! How many neurons a population has: a forced size (the CLI's `--n`), or else the longest
//! per-neuron list among its parameters, initial states and input arguments, which every other
//! list must match (or have one value). The one rule for the site's settings, the lessons and
//! the CLI; `Simulation::new` then checks a concrete setup against it.

use crate::input::InputSpec;
use crate::{msg, Message};

/// The most neurons one run may have: enough for any lesson's sweep, and few enough that a
/// mistyped size fails at once instead of exhausting memory.
pub const MAX_NEURONS: usize = 1_000_000;

/// A list of per-neuron values and what it is (a flag, a parameter), for error messages.
#[derive(Clone, Debug, PartialEq)]
pub struct List {
    pub label: Message,
    pub len: usize,
}

/// The per-neuron lists of an input spec, such as the amplitudes in
/// `sections(values=[0, [1, 2, 4], 0], …)`, labelled `<what> sections(values)`.
pub fn input_lists(spec: &InputSpec, what: &Message) -> Vec<List> {
    spec.per_neuron_values()
        .into_iter()
        .map(|(function, argument, values)| List {
            label: Message::new(
                format!("{} {function}({argument})", what.en),
                format!("{} {function}({argument})", what.zh),
            ),
            len: values.len(),
        })
        .collect()
}

/// The population size: `forced` if given, else the longest list (1 if none). Every list must
/// have one value or exactly that many. `forced` comes with the reason for its size, as
/// in `--n 5`, for the error message.
pub fn size(forced: Option<(usize, &str)>, lists: &[List]) -> Result<usize, Message> {
    let n = match forced {
        Some((n, why)) => {
            if let Some(bad) = lists.iter().find(|l| l.len != 1 && l.len != n) {
                let (label, len) = (&bad.label, bad.len);
                return Err(Message::new(
                    format!(
                        "{} has {len} values but there are {n} neurons ({why}); give 1 or {n} values",
                        label.en
                    ),
                    format!(
                        "{} 有 {len} 个值，但神经元有 {n} 个（{why}）；请给 1 个或 {n} 个值",
                        label.zh
                    ),
                ));
            }
            n
        }
        None => {
            let Some(longest) = lists.iter().max_by_key(|l| l.len) else {
                return Ok(1);
            };
            if let Some(bad) = lists.iter().find(|l| l.len != 1 && l.len != longest.len) {
                let (len, longest_len) = (bad.len, longest.len);
                return Err(Message::new(
                    format!(
                        "{} has {len} values but {} has {longest_len}; per-neuron lists need equal lengths (or one value)",
                        bad.label.en, longest.label.en
                    ),
                    format!(
                        "{} 有 {len} 个值，而 {} 有 {longest_len} 个；逐个神经元给出的列表长度必须相同（或只给 1 个值）",
                        bad.label.zh, longest.label.zh
                    ),
                ));
            }
            longest.len
        }
    };
    if n > MAX_NEURONS {
        return Err(msg!(
            "{n} neurons is more than the limit of {MAX_NEURONS}; use fewer values",
            "{n} 个神经元超过了 {MAX_NEURONS} 个的上限；请少给一些值"
        ));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(label: &str, len: usize) -> List {
        List {
            label: Message::new(label, label),
            len,
        }
    }

    fn check(forced: Option<usize>, lists: &[List], want: Result<usize, &str>) {
        match (size(forced.map(|n| (n, "--n")), lists), want) {
            (Ok(got), Ok(want)) => assert_eq!(got, want, "{forced:?} {lists:?}"),
            (Err(e), Err(part)) => assert!(e.en.contains(part), "`{e}` lacks `{part}`"),
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
            input_lists(&spec, &Message::new("--input", "--input")),
            [
                list("--input sections(values)", 6),
                list("--input poisson(rate)", 2)
            ]
        );
        assert_eq!(
            input_lists(
                &InputSpec::parse("constant(5)").unwrap(),
                &Message::new("--input", "--input")
            ),
            []
        );
    }
}
