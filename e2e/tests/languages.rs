//! Each language's page speaks only that language: the Chinese pages have no English sentence
//! outside code, math, model text and proper names, and the English pages no Chinese, once the
//! first figures have drawn (issue 13). Text marked with its own language (`lang`, like the
//! language switch's name of the other language) and the input protocol's function names
//! (code) are left out.

use brainplay_e2e::{with_page, Error, Page, Result};
use serde_json::{json, Value};

/// The page's words outside code, math and the model editor, and the runs of three or more
/// English words in them (`zh`), or the Chinese characters (`en`).
async fn foreign(page: &Page, lang: &str) -> Result<Vec<String>> {
    let found: Value = page
        .js(
            "const skip = 'code, pre, math, textarea, script, style, select, .equations, .brainpy-code, [lang]';
             const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
             const texts = [];
             for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                 if (!n.parentElement.closest(skip)) texts.push(n.textContent);
             }
             const text = texts.join('\\n');
             if (arguments[0] === 'zh') {
                 return (text.match(/[A-Za-z][A-Za-z'’-]+(?:[ ,:;.]+[A-Za-z][A-Za-z'’-]+){2,}/g) || []);
             }
             return (text.match(/[^\\n]{0,20}[\\u4e00-\\u9fff]+[^\\n]{0,20}/g) || []);",
            vec![json!(lang)],
        )
        .await?;
    Ok(found
        .as_array()
        .map(|runs| {
            runs.iter()
                .map(|r| r.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default())
}

#[tokio::test]
async fn each_language_page_speaks_its_language() -> Result {
    with_page(async |page| {
        let problems = page
            .gather_on_every_page(async |page, lang| foreign(page, lang).await)
            .await?;
        match problems.is_empty() {
            true => page.assert_no_errors().await,
            false => Err(Error::new(format!(
                "{} runs of the other language:\n{}",
                problems.len(),
                problems.join("\n")
            ))),
        }
    })
    .await
}
