//! The site's Content-Security-Policy, written into the built `index.html` as a `<meta>` (a
//! static host sets no headers). Scripts come only from the site itself, plus the one inline
//! module script trunk writes to start the app, allowed by its SHA-256 (it names the hashed file
//! names of the build, so the hash is computed after each build); WebAssembly may compile
//! (`'wasm-unsafe-eval'`), nothing else may be evaluated, and nothing is loaded from elsewhere.
//! Inline styles are allowed (plotters sizes text with them); they cannot run code.

use base64::Engine;
use sha2::{Digest, Sha256};

/// The policy for a page whose inline scripts have these hashes (`'sha256-…'` sources).
fn policy(script_hashes: &[String]) -> String {
    let scripts: String = script_hashes.iter().map(|h| format!(" '{h}'")).collect();
    [
        "default-src 'self'".to_string(),
        format!("script-src 'self' 'wasm-unsafe-eval'{scripts}"),
        // plotters measures text with a styled <span> (`setAttribute("style", …)`); an inline
        // style cannot run code, so inline style attributes are allowed and nothing else inline.
        "style-src 'self' 'unsafe-inline'".to_string(),
        "img-src 'self' data: blob:".to_string(),
        "worker-src 'self'".to_string(),
        "connect-src 'self'".to_string(),
        "object-src 'none'".to_string(),
        "base-uri 'self'".to_string(),
        "form-action 'none'".to_string(),
    ]
    .join("; ")
}

/// The contents of every inline `<script>` of `html` (those without `src`).
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find("<script") {
        let Some(tag_end) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open..open + tag_end];
        let body_start = open + tag_end + 1;
        let Some(close) = rest[body_start..].find("</script>") else {
            break;
        };
        if !tag.contains("src=") {
            scripts.push(&rest[body_start..body_start + close]);
        }
        rest = &rest[body_start + close..];
    }
    scripts
}

/// `html` with the policy `<meta>` after its `<meta charset>`, before any script.
pub fn with_policy(html: &str) -> Result<String, String> {
    let hashes: Vec<String> = inline_scripts(html)
        .into_iter()
        .map(|s| {
            let digest = Sha256::digest(s.as_bytes());
            format!(
                "sha256-{}",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    let anchor = "<meta charset=\"utf-8\" />";
    let at = html
        .find(anchor)
        .ok_or("index.html has no <meta charset=\"utf-8\" /> to put the policy after")?
        + anchor.len();
    let meta = format!(
        "\n    <meta http-equiv=\"Content-Security-Policy\" content=\"{}\" />",
        policy(&hashes)
    );
    Ok(format!("{}{meta}{}", &html[..at], &html[at..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inline_script_is_allowed_by_its_hash_and_nothing_else_inline() {
        let html = "<head><meta charset=\"utf-8\" /><script type=\"module\">go()</script>\
                    <script src=\"a.js\"></script></head>";
        let out = with_policy(html).unwrap();
        // sha256("go()"), base64.
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"go()"));
        assert!(out.contains(&format!(
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-{hash}';"
        )));
        assert!(!out.contains("script-src 'self' 'unsafe-inline'"));
        assert!(out.find("Content-Security-Policy").unwrap() < out.find("<script").unwrap());
        assert!(with_policy("<head></head>").is_err());
    }
}
