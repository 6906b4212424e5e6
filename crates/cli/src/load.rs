//! Finding the model a command runs: a built-in id or a model file, with parse errors shown
//! under the line they point at.

use std::path::Path;

use brainplay_sim::{library, parse_model, Model, ModelError};

use crate::failure::Failure;

/// The built-in model `id`, or a message that lists the ids there are.
pub fn builtin(id: &str) -> Result<Model, Failure> {
    library::get(id).ok_or_else(|| {
        let ids: Vec<_> = library::ids().collect();
        Failure::usage(format!(
            "unknown model `{id}`; built-in models are {} (or load a file with --model-file)",
            ids.join(", ")
        ))
    })
}

/// The model in the file at `path`.
pub fn file(path: &Path) -> Result<Model, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure::usage(format!(
            "cannot read model file `{}`: {e}; check the path",
            path.display()
        ))
    })?;
    parse_model(&text).map_err(|e| Failure::usage(render(&path.display().to_string(), &text, &e)))
}

/// `file:line:column: message`, then the offending line with carets under the span, so that the
/// error reads like a compiler's and editors can jump to it.
pub fn render(file: &str, text: &str, error: &ModelError) -> String {
    let mut message = format!("{file}:{}:{}: {}", error.line, error.column, error.message);
    if let Some(line) = text.lines().nth(error.line.saturating_sub(1)) {
        // Columns count characters. Tabs before the column are copied so the caret lines up
        // whatever the terminal's tab width.
        let pad: String = line
            .chars()
            .take(error.column.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let width = error.length.max(1);
        message.push_str(&format!("\n  {line}\n  {pad}{}", "^".repeat(width)));
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, line: usize, column: usize, length: usize, want: &str) {
        let error = ModelError::new(
            brainplay_sim::Message::new("bad", "错"),
            line,
            column,
            length,
        );
        assert_eq!(render("m.model", text, &error), want);
    }

    #[test]
    fn carets_sit_under_the_span() {
        check(
            "model x\nparam a = 1 1 in [0 1] \"\" \"\"\n",
            2,
            21,
            1,
            "m.model:2:21: bad\n  param a = 1 1 in [0 1] \"\" \"\"\n                      ^",
        );
        check(
            "model x\n\tdV/dt = q",
            2,
            10,
            1,
            "m.model:2:10: bad\n  \tdV/dt = q\n  \t        ^",
        );
        check(
            "model x\nstate é = z",
            2,
            11,
            1,
            "m.model:2:11: bad\n  state é = z\n            ^",
        );
        check(
            "model x\nab cd",
            2,
            4,
            2,
            "m.model:2:4: bad\n  ab cd\n     ^^",
        );
        // A position past the last line (an error at the end of the text) has no line to show.
        check("model x", 3, 1, 1, "m.model:3:1: bad");
    }

    #[test]
    fn unknown_ids_list_the_library() {
        let e = builtin("hhh").unwrap_err();
        assert_eq!(e.code, crate::failure::EXIT_USAGE);
        assert!(e.message.contains("unknown model `hhh`"), "{}", e.message);
        // Every built-in id is listed (the library grows, so no fixed list is expected).
        for id in library::ids() {
            assert!(
                e.message.contains(&format!("{id},")) || e.message.contains(&format!("{id} (")),
                "{id}: {}",
                e.message
            );
        }
        assert_eq!(builtin("lif").unwrap().id, "lif");
    }
}
