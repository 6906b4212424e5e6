//! Why a command stopped, and the exit code that tells scripts which kind of stop it was.

use std::fmt;

/// Exit code for anything the user can fix in the command line or the files it names.
pub const EXIT_USAGE: i32 = 2;
/// Exit code for a run that stopped because a state became NaN or infinite; what was computed
/// up to then has been written.
pub const EXIT_NON_FINITE: i32 = 3;

/// A command that did not finish normally. `message` is printed after `error: `; it is one line,
/// except for renderings that point at a column of the user's text with a caret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub code: i32,
    pub message: String,
}

impl Failure {
    /// (The CLI speaks English: a core message prints its English text.)
    pub fn usage(message: impl ToString) -> Failure {
        Failure {
            code: EXIT_USAGE,
            message: message.to_string(),
        }
    }

    pub fn non_finite(message: impl ToString) -> Failure {
        Failure {
            code: EXIT_NON_FINITE,
            message: message.to_string(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Commands write their standard output into a `String` (see `main`), which cannot fail; the
/// conversion only lets `writeln!(out, …)?` be used there.
impl From<fmt::Error> for Failure {
    fn from(_: fmt::Error) -> Failure {
        Failure::usage("internal error: could not format the output")
    }
}
