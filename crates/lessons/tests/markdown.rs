//! Every Markdown text of every lesson (bodies, captions, questions, hints, explanations, in both
//! languages) renders to the same HTML as pulldown-cmark with tables, the general renderer the
//! site used before (`brainplay_lessons::markdown`'s documentation says why it changed).

use brainplay_lessons::markdown::to_html;
use brainplay_lessons::math::{to_mathml, typeset};
use brainplay_lessons::{registry, Lang};
use pulldown_cmark::{html, CowStr, Event, Options, Parser};

/// pulldown-cmark's HTML, its math events written as MathML by the same writer (what is
/// compared is where math starts and ends in the Markdown, not the MathML).
fn reference(markdown: &str) -> String {
    let mathml = |latex: &str, display| {
        let html = to_mathml(latex, display).unwrap_or_else(|e| format!("error {e}"));
        Event::InlineHtml(CowStr::from(html))
    };
    let events =
        Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_MATH).map(|event| {
            match event {
                Event::InlineMath(latex) => mathml(&latex, false),
                Event::DisplayMath(latex) => mathml(&latex, true),
                other => other,
            }
        });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// `html` without its code (where `**` is Python's power operator).
fn without_code(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<code") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .split_once("</code>")
            .map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out
}

#[test]
fn every_lesson_text_renders_as_pulldown_cmark_does() {
    let mut checked = 0;
    for lesson in registry::lessons() {
        for block in &lesson.blocks {
            // The block's Markdown texts, as the build typesets them (a copy, for the list).
            let mut block = block.clone();
            for text in block.markdown_mut() {
                for lang in Lang::ALL {
                    let markdown = text.get(lang);
                    // As the site ships it: the build writes the math as MathML.
                    let html = to_html(
                        &typeset(markdown)
                            .unwrap_or_else(|e| panic!("lesson {}: {e}", lesson.number)),
                    );
                    assert_eq!(
                        html,
                        reference(markdown),
                        "lesson {}: {markdown}",
                        lesson.number
                    );
                    // Math is typeset: no `$` left outside code.
                    let prose = without_code(&html);
                    assert!(
                        !prose.contains('$'),
                        "lesson {}: math left as text in: {markdown}",
                        lesson.number
                    );
                    // A `**` that Markdown did not take as strong shows as two asterisks
                    // (CommonMark needs `**` to close before a letter only after a non-punctuation
                    // character: write `**粗体（X）文字**`, not `**粗体（X）**文字`).
                    let prose = without_code(&html);
                    if let Some(at) = prose.find("**") {
                        let context: String = prose[at..].chars().take(60).collect();
                        panic!(
                            "lesson {}: `**` left unrendered: …{context}…",
                            lesson.number
                        );
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 300, "only {checked} texts");
}

/// Whatever a lesson file writes, the rendered HTML opens no script: every link goes to an
/// http(s), relative or `#` target, no attribute value holds a quote or a tag, and the only
/// attributes of a link are its `href` (issue 14; the renderer's `links_cannot_run_script`
/// covers the cases by name). Texts are drawn from the pieces that make links and markup.
mod attribute_safety {
    use super::*;
    use proptest::prelude::*;

    const PIECES: [&str; 29] = [
        "<math>",
        "</math>",
        "<mi>",
        "</mi>",
        "<img src=x onerror=y>",
        "[",
        "]",
        "(",
        ")",
        "](",
        "`",
        "\"",
        "'",
        "<",
        ">",
        "&",
        "*",
        "**",
        " ",
        "\n",
        "x",
        "javascript:",
        "JaVaScRiPt:",
        "data:",
        "http://a.b/",
        "#c",
        "\u{1}",
        "=",
        "onclick",
    ];

    const TAGS: [&str; 22] = [
        "p", "em", "strong", "code", "a", "pre", "ul", "ol", "li", "h3", "h4", "math", "mi", "mn",
        "mo", "mrow", "msub", "msup", "mtext", "table", "tr", "td",
    ];

    /// The `href` values of `html`, each with what follows its closing quote.
    fn hrefs(html: &str) -> Vec<(&str, &str)> {
        let mut found = Vec::new();
        let mut rest = html;
        while let Some(at) = rest.find("<a ") {
            let tag = &rest[at + 3..];
            let value = tag
                .strip_prefix("href=\"")
                .expect("a link starts with its href");
            let end = value.find('"').expect("the href is closed");
            found.push((&value[..end], &value[end + 1..]));
            rest = &value[end..];
        }
        found
    }

    proptest! {
        #[test]
        fn no_text_renders_a_script(pieces in proptest::collection::vec(0..PIECES.len(), 0..40)) {
            let text: String = pieces.iter().map(|&i| PIECES[i]).collect();
            let html = to_html(&text);
            // Only the renderer's own elements (and the math writer's) are tags; the rest of
            // what was written is text.
            for tag in html.split('<').skip(1) {
                let name: String = tag
                    .trim_start_matches('/')
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect();
                prop_assert!(TAGS.contains(&name.as_str()), "<{name} in {html}");
                let inside = &tag[..tag.find('>').unwrap_or(tag.len())];
                prop_assert!(!inside.contains(" on"), "{html}");
            }
            for (value, after) in hrefs(&html) {
                prop_assert!(after.starts_with('>'), "{html}");
                prop_assert!(!value.contains(['<', '>', '"']), "{html}");
                let lower = value.to_ascii_lowercase();
                let scheme_end = lower.find(':');
                let path_start = lower.find(['/', '?', '#']).unwrap_or(lower.len());
                if let Some(k) = scheme_end.filter(|&k| k < path_start) {
                    prop_assert!(matches!(&lower[..k], "http" | "https"), "{html}");
                }
                prop_assert!(!value.contains(char::is_control), "{html}");
            }
        }
    }
}
