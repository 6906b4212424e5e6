//! The Markdown of lesson texts to HTML. Written for the subset the lesson format documents
//! (`docs/lesson-format.md`): paragraphs, `#` headings, `-` and `1.` lists, pipe tables, fenced
//! code blocks, `**strong**`, `*emphasis*`, `` `code` ``, `[links](url)` and math (the MathML
//! that `math::typeset` writes for `$…$` and `$$…$$` when the site is built). A general Markdown crate (pulldown-cmark) cost
//! about 25 KB of the site's 800 KB first load; the tests render every lesson text both ways and
//! require the same HTML.

use crate::math;

/// `markdown` as HTML, block by block, in pulldown-cmark's layout.
pub fn to_html(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    let lines: Vec<&str> = markdown.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_end();
        if line.trim().is_empty() {
            i += 1;
        } else if let Some(lang) = line.strip_prefix("```") {
            i = fenced(&lines, i + 1, lang.trim(), &mut out);
        } else if let Some((level, text)) = heading(line) {
            out.push_str(&format!("<h{level}>{}</h{level}>\n", inline(text)));
            i += 1;
        } else if is_table_start(&lines, i) {
            i = table(&lines, i, &mut out);
        } else if list_item(line).is_some() {
            i = list(&lines, i, &mut out);
        } else {
            i = paragraph(&lines, i, &mut out);
        }
    }
    out
}

/// A fenced code block from line `i` (after the opening fence) to the closing fence.
fn fenced(lines: &[&str], mut i: usize, lang: &str, out: &mut String) -> usize {
    match lang {
        "" => out.push_str("<pre><code>"),
        _ => out.push_str(&format!(
            "<pre><code class=\"language-{}\">",
            escape_attribute(lang)
        )),
    }
    while i < lines.len() && !lines[i].trim_start().starts_with("```") {
        out.push_str(&escape(lines[i]));
        out.push('\n');
        i += 1;
    }
    out.push_str("</code></pre>\n");
    i + 1
}

fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.chars().take_while(|&c| c == '#').count();
    let rest = &line[level..];
    ((1..=6).contains(&level) && rest.starts_with(' ')).then(|| (level, rest.trim()))
}

/// `(ordered, text)` of a list item line.
fn list_item(line: &str) -> Option<(bool, &str)> {
    if let Some(rest) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
        return Some((false, rest));
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let rest = line[digits..].strip_prefix(". ")?;
    (digits > 0).then_some((true, rest))
}

fn list(lines: &[&str], mut i: usize, out: &mut String) -> usize {
    let ordered = list_item(lines[i]).is_some_and(|(o, _)| o);
    out.push_str(if ordered { "<ol>\n" } else { "<ul>\n" });
    while i < lines.len() {
        let Some((_, first)) = list_item(lines[i].trim_end()).filter(|(o, _)| *o == ordered) else {
            break;
        };
        let mut text = first.to_string();
        i += 1;
        // Continuation lines: indented, or lazily continuing the item's paragraph.
        while i < lines.len() {
            let next = lines[i].trim_end();
            if next.trim().is_empty() || list_item(next).is_some() || heading(next).is_some() {
                break;
            }
            text.push('\n');
            text.push_str(next.trim_start());
            i += 1;
        }
        out.push_str(&format!("<li>{}</li>\n", inline(&text)));
        if i < lines.len() && lines[i].trim().is_empty() {
            // A blank line ends the list unless another item follows (a loose list is not used).
            break;
        }
    }
    out.push_str(if ordered { "</ol>\n" } else { "</ul>\n" });
    i
}

fn paragraph(lines: &[&str], mut i: usize, out: &mut String) -> usize {
    let mut text = Vec::new();
    while i < lines.len() {
        let line = lines[i].trim_end();
        if line.trim().is_empty()
            || (!text.is_empty() && (heading(line).is_some() || list_item(line).is_some()))
        {
            break;
        }
        text.push(line.trim_start());
        i += 1;
    }
    out.push_str(&format!("<p>{}</p>\n", inline(&text.join("\n"))));
    i
}

fn cells(line: &str) -> Vec<&str> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    inner.split('|').map(str::trim).collect()
}

fn is_table_start(lines: &[&str], i: usize) -> bool {
    let is_rule = |line: &str| {
        let c = cells(line);
        !c.is_empty()
            && c.iter()
                .all(|cell| !cell.is_empty() && cell.chars().all(|ch| matches!(ch, '-' | ':')))
    };
    lines[i].trim_start().starts_with('|') && lines.get(i + 1).is_some_and(|l| is_rule(l))
}

fn table(lines: &[&str], mut i: usize, out: &mut String) -> usize {
    out.push_str("<table><thead><tr>");
    for cell in cells(lines[i]) {
        out.push_str(&format!("<th>{}</th>", inline(cell)));
    }
    out.push_str("</tr></thead><tbody>\n");
    i += 2;
    while i < lines.len() && lines[i].trim_start().starts_with('|') {
        out.push_str("<tr>");
        for cell in cells(lines[i]) {
            out.push_str(&format!("<td>{}</td>", inline(cell)));
        }
        out.push_str("</tr>\n");
        i += 1;
    }
    out.push_str("</tbody></table>\n");
    i
}

/// Inline markup. Code spans and math are literal, so each is first replaced by a placeholder
/// character (from Unicode's private use area, which lesson texts do not use) that the other
/// markup passes through like a letter, then put back as its HTML.
fn inline(text: &str) -> String {
    let mut literals = Vec::new();
    let mut marked = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(['`', '<']) {
        match literal(&rest[start..]) {
            Some((html, used)) => {
                marked.push_str(&rest[..start]);
                marked.push(placeholder(literals.len()));
                literals.push(html);
                rest = &rest[start + used..];
            }
            None => {
                marked.push_str(&rest[..=start]);
                rest = &rest[start + 1..];
            }
        }
    }
    marked.push_str(rest);
    let mut out = spans(&marked);
    for (k, html) in literals.iter().enumerate() {
        out = out.replace(placeholder(k), html);
    }
    out
}

/// A code span (`` `code` ``) or a `<math>` element at the start of `tail`: its HTML and the
/// bytes it used. Lesson files write math as `$…$`, which the site's build typesets as MathML
/// (`math::typeset`); only MathML made of the elements and attributes that writer uses passes
/// through (anything else is text, so no markup of another kind can reach the page).
fn literal(tail: &str) -> Option<(String, usize)> {
    if let Some(body) = tail.strip_prefix('`') {
        let len = body.find('`')?;
        return Some((format!("<code>{}</code>", escape(&body[..len])), len + 2));
    }
    const END: &str = "</math>";
    let len = tail.find(END)? + END.len();
    let mathml = &tail[..len];
    math::is_safe(mathml).then(|| (mathml.to_string(), len))
}

/// The first of the private-use characters standing for code spans and math.
const PLACEHOLDER: u32 = 0xE000;

fn placeholder(k: usize) -> char {
    char::from_u32(PLACEHOLDER + k as u32).unwrap_or('?')
}

/// Links, `**strong**` and `*emphasis*`.
fn spans(text: &str) -> String {
    let mut out = String::new();
    let mut done = 0;
    let mut at = 0;
    while let Some(offset) = text[at..].find(['[', '*']) {
        let i = at + offset;
        let tail = &text[i..];
        let found = if tail.starts_with('[') {
            link(tail)
        } else {
            delimited(text, i)
        };
        match found {
            Some((html, used)) => {
                out.push_str(&escape(&text[done..i]));
                out.push_str(&html);
                done = i + used;
                at = done;
            }
            None => at = i + 1,
        }
    }
    out.push_str(&escape(&text[done..]));
    out
}

/// `[text](url)` at the start of `tail`: its HTML and the bytes it used. A code span in the
/// URL makes it no link (code binds tighter); a URL with another scheme than http(s) keeps only
/// its text, so a lesson file cannot carry `javascript:` or `data:` links.
fn link(tail: &str) -> Option<(String, usize)> {
    let close = tail.find("](")?;
    let end = close + tail[close..].find(')')?;
    let (label, url) = (&tail[1..close], &tail[close + 2..end]);
    let code_span = |c: char| (PLACEHOLDER..PLACEHOLDER + 0x1000).contains(&u32::from(c));
    if label.contains('[') || url.contains(|c: char| c.is_whitespace() || code_span(c)) {
        return None;
    }
    let html = match safe_url(url) {
        true => format!("<a href=\"{}\">{}</a>", escape_attribute(url), spans(label)),
        false => spans(label),
    };
    Some((html, end + 1))
}

/// Whether `url` is relative (a path or `#fragment`) or http(s). Browsers drop control
/// characters before a scheme, so a URL with any is refused too.
fn safe_url(url: &str) -> bool {
    if url.contains(char::is_control) {
        return false;
    }
    let scheme_end = url.find(':');
    let before_path = url.find(['/', '?', '#']).unwrap_or(url.len());
    match scheme_end.filter(|&k| k < before_path) {
        None => true,
        Some(k) => matches!(url[..k].to_ascii_lowercase().as_str(), "http" | "https"),
    }
}

/// CommonMark's punctuation: ASCII punctuation and the Unicode punctuation lesson texts use
/// (Latin-1, general punctuation such as – and …, CJK and full-width punctuation).
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c, '¡' | '§' | '«' | '¶' | '·' | '»' | '¿')
        || ('\u{2010}'..='\u{2027}').contains(&c)
        || ('\u{2030}'..='\u{205E}').contains(&c)
        || ('\u{3001}'..='\u{3003}').contains(&c)
        || ('\u{3008}'..='\u{3011}').contains(&c)
        || ('\u{3014}'..='\u{301F}').contains(&c)
        || ('\u{FF01}'..='\u{FF0F}').contains(&c)
        || ('\u{FF1A}'..='\u{FF20}').contains(&c)
        || ('\u{FF3B}'..='\u{FF40}').contains(&c)
        || ('\u{FF5B}'..='\u{FF65}').contains(&c)
}

/// Whether a delimiter run between `before` and `after` (None: the text's edge) can open
/// (left-flanking) and close (right-flanking) emphasis, by CommonMark's rules.
fn flanking(before: Option<char>, after: Option<char>) -> (bool, bool) {
    let space = |c: Option<char>| c.is_none_or(char::is_whitespace);
    let punct = |c: Option<char>| c.is_some_and(is_punctuation);
    let opens = !space(after) && (!punct(after) || space(before) || punct(before));
    let closes = !space(before) && (!punct(before) || space(after) || punct(after));
    (opens, closes)
}

/// `**…**` or `*…*` starting at byte `i` of `text`: its HTML and the bytes it used.
fn delimited(text: &str, i: usize) -> Option<(String, usize)> {
    let tail = &text[i..];
    let (marker, tag) = if tail.starts_with("**") {
        ("**", "strong")
    } else {
        ("*", "em")
    };
    let before = text[..i].chars().next_back();
    let body = &tail[marker.len()..];
    if !flanking(before, body.chars().next()).0 {
        return None;
    }
    let mut from = 0;
    while let Some(pos) = body[from..].find(marker) {
        let at = from + pos;
        // For emphasis, `**` inside is strong, not the end.
        let doubled = marker == "*" && body[at..].starts_with("**");
        let after = body[at + marker.len()..].chars().next();
        if !doubled && at > 0 && flanking(body[..at].chars().next_back(), after).1 {
            let html = format!("<{tag}>{}</{tag}>", spans(&body[..at]));
            return Some((html, marker.len() * 2 + at));
        }
        from = at + if doubled { 2 } else { marker.len() };
    }
    None
}

/// Text and code as HTML body text.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An attribute value in double quotes.
fn escape_attribute(text: &str) -> String {
    escape(text).replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::to_html;

    fn check(markdown: &str, html: &str) {
        assert_eq!(to_html(markdown), html, "{markdown}");
    }

    #[test]
    fn the_documented_subset() {
        check("**g**_K", "<p><strong>g</strong>_K</p>\n");
        check(
            "a *b* `c < d` e",
            "<p>a <em>b</em> <code>c &lt; d</code> e</p>\n",
        );
        check("### Title\n\ntext", "<h3>Title</h3>\n<p>text</p>\n");
        check("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n");
        check(
            "1. one\n2. two",
            "<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n",
        );
        check(
            "| a | b |\n|---|---|\n| 1 | 2 |",
            "<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody>\n<tr><td>1</td><td>2</td></tr>\n</tbody></table>\n",
        );
        check(
            "[lesson 5](/lesson/05-x)",
            "<p><a href=\"/lesson/05-x\">lesson 5</a></p>\n",
        );
        check("V < −60 & 2 * 3", "<p>V &lt; −60 &amp; 2 * 3</p>\n");
        check(
            "<math><mi>x</mi></math> and <math display=\"block\"><mi>y</mi></math>",
            "<p><math><mi>x</mi></math> and <math display=\"block\"><mi>y</mi></math></p>\n",
        );
        check(
            "*<math><mi>a</mi><mo>∗</mo><mi>b</mi></math>*",
            "<p><em><math><mi>a</mi><mo>∗</mo><mi>b</mi></math></em></p>\n",
        );
        // Markup that is not the math writer's stays text.
        check(
            "<math><mi onclick=\"x()\">a</mi></math>",
            "<p>&lt;math&gt;&lt;mi onclick=\"x()\"&gt;a&lt;/mi&gt;&lt;/math&gt;</p>\n",
        );
        check(
            "<math><script>x()</script></math>",
            "<p>&lt;math&gt;&lt;script&gt;x()&lt;/script&gt;&lt;/math&gt;</p>\n",
        );
        check(
            "```text\na < b\n```",
            "<pre><code class=\"language-text\">a &lt; b\n</code></pre>\n",
        );
    }

    /// Links can only go to http(s), relative or `#` targets, and nothing breaks out of `href`.
    #[test]
    fn links_cannot_run_script() {
        let cases = [
            ("[x](javascript:void0)", "<p>x</p>\n"),
            ("[x](JaVaScRiPt:void0)", "<p>x</p>\n"),
            ("[x](data:text/html,hi)", "<p>x</p>\n"),
            ("[x](\u{1}javascript:void0)", "<p>x</p>\n"),
            (
                "[x](https://a.org/b)",
                "<p><a href=\"https://a.org/b\">x</a></p>\n",
            ),
            ("[x](#part)", "<p><a href=\"#part\">x</a></p>\n"),
            ("[x](a/b:c)", "<p><a href=\"a/b:c\">x</a></p>\n"),
            ("[x](a\"b)", "<p><a href=\"a&quot;b\">x</a></p>\n"),
            // A code span in the URL is code, not part of a link.
            (
                "[x](a`\" onmouseover=\"alert(1)`)",
                "<p>[x](a<code>\" onmouseover=\"alert(1)</code>)</p>\n",
            ),
        ];
        for (markdown, html) in cases {
            check(markdown, html);
        }
    }
}
