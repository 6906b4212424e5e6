//! Errors that point into the model text.

use std::fmt;

use crate::message::Message;

/// A problem in a model's text: what is wrong and where (1-based line and column, counted in
/// characters, plus the length of the offending span so an editor can underline it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelError {
    pub message: Message,
    pub line: usize,
    pub column: usize,
    pub length: usize,
}

impl ModelError {
    pub fn new(message: impl Into<Message>, line: usize, column: usize, length: usize) -> Self {
        ModelError {
            message: message.into(),
            line,
            column,
            length: length.max(1),
        }
    }
}

impl ModelError {
    /// The message after where the problem is, in both languages.
    pub fn located(&self) -> Message {
        let (line, column) = (self.line, self.column);
        self.message.clone().after(crate::msg!(
            "line {line}, column {column}: ",
            "第 {line} 行第 {column} 列："
        ))
    }
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for ModelError {}
