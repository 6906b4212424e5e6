//! Every page passes axe-core's audit (WCAG 2 A and AA rules) with no serious or critical
//! violation, in both languages, once its first figures have drawn; and every lesson's math is
//! typeset (MathML, no `$` left in the text). axe-core is installed by `cargo xtask ci-setup`
//! from npm and runs inside the e2e browser.

use brainplay_e2e::{target_dir, with_page, Error, Page, Result};
use serde_json::Value;

/// axe-core's browser build, read once per test.
fn axe_source() -> Result<String> {
    let path = target_dir().join("tools/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).map_err(|error| {
        Error::new(format!(
            "{}: {error} (run `cargo xtask ci-setup`, which installs axe-core)",
            path.display()
        ))
    })
}

/// The serious and critical violations on the page, one line each: the rule, its help text
/// and the first few elements it found.
async fn violations(page: &Page, axe: &str) -> Result<Vec<String>> {
    // The page's Content-Security-Policy forbids eval, so axe's source is part of the script
    // itself (WebDriver scripts are not subject to the page's policy).
    let script = format!(
        "{axe}
         ;const done = arguments[arguments.length - 1];
         axe.run(document, {{ runOnly: {{ type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }} }})
            .then(r => done(r.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' +
                     v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ') +
                     (v.nodes.length > 3 ? ' … ' + v.nodes.length + ' in all' : ''))))
            .catch(e => done(['axe failed: ' + e]));"
    );
    let found = page.js_async(&script, Vec::new()).await?;
    Ok(found
        .as_array()
        .map(|list| {
            list.iter()
                .map(|v| v.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default())
}

#[tokio::test]
async fn every_page_passes_the_accessibility_audit() -> Result {
    let axe = axe_source()?;
    with_page(async |page| {
        let found = page
            .gather_on_every_page(async |page, _| violations(page, &axe).await)
            .await?;
        match found.is_empty() {
            true => page.assert_no_errors().await,
            false => Err(Error::new(format!(
                "{} serious or critical accessibility violations:\n{}",
                found.len(),
                found.join("\n")
            ))),
        }
    })
    .await
}

/// Every lesson's formulas are MathML: there is math on the pages that have formulas and no
/// `$` of the LaTeX source is left in any lesson's text (outside code).
#[tokio::test]
async fn every_lessons_math_is_typeset() -> Result {
    with_page(async |page| {
        let lessons = page.lesson_paths().await?;
        let mut problems = Vec::new();
        for lang in ["en", "zh"] {
            for path in &lessons {
                page.open(&format!("{path}?lang={lang}")).await?;
                let number: u32 = path
                    .trim_start_matches("/lesson/")
                    .split('-')
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or_else(|| Error::new(format!("no lesson number in {path}")))?;
                page.wait_for(&format!("#lesson-{number}")).await?;
                let found: Value = page
                    .js(
                        "const main = document.querySelector('main').cloneNode(true);
                         main.querySelectorAll('code, pre, math, textarea, script').forEach(e => e.remove());
                         return [document.querySelectorAll('main .prose math').length,
                                 main.textContent.includes('$')];",
                        Vec::new(),
                    )
                    .await?;
                if found[1] == true {
                    problems.push(format!("{path}?lang={lang}: a `$` left in the text"));
                }
                let lesson_3_to_8 = ["03-", "04-", "05-", "06-", "07-", "08-"]
                    .iter()
                    .any(|n| path.contains(n));
                if lesson_3_to_8 && found[0].as_u64().unwrap_or(0) < 10 {
                    problems.push(format!("{path}?lang={lang}: only {} formulas", found[0]));
                }
            }
        }
        match problems.is_empty() {
            true => page.assert_no_errors().await,
            false => Err(Error::new(problems.join("\n"))),
        }
    })
    .await
}
