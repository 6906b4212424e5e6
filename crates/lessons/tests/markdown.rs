//! Every Markdown text of every lesson (bodies, captions, questions, hints, explanations, in both
//! languages) renders to the same HTML as pulldown-cmark with tables, the general renderer the
//! site used before (`brainplay_lessons::markdown`'s documentation says why it changed).

use brainplay_lessons::content::Block;
use brainplay_lessons::markdown::to_html;
use brainplay_lessons::{registry, Lang, Text};
use pulldown_cmark::{html, Options, Parser};

fn reference(markdown: &str) -> String {
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(markdown, Options::ENABLE_TABLES));
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

fn texts(block: &Block) -> Vec<&Text> {
    match block {
        Block::Text { body } => vec![body],
        Block::Simulator(s) => s.caption.iter().collect(),
        Block::FiCurve(_) => vec![],
        Block::PhasePlane(p) => p.caption.iter().collect(),
        Block::PhaseLine(l) => l.caption.iter().collect(),
        Block::SynapsePlot(s) => s.caption.iter().collect(),
        Block::Network(n) => n.caption.iter().collect(),
        Block::Exercise(e) => [&e.question, &e.explanation]
            .into_iter()
            .chain(&e.hints)
            .collect(),
    }
}

#[test]
fn every_lesson_text_renders_as_pulldown_cmark_does() {
    let mut checked = 0;
    for lesson in registry::lessons() {
        for block in &lesson.blocks {
            for text in texts(block) {
                for lang in Lang::ALL {
                    let markdown = text.get(lang);
                    let html = to_html(markdown);
                    assert_eq!(
                        html,
                        reference(markdown),
                        "lesson {}: {markdown}",
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
