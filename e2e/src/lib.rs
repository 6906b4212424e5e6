//! End-to-end tests of the site as visitors get it: the release build (`cargo xtask dist`) served
//! like GitHub Pages serves it (`server`), in headless Chromium driven through chromedriver
//! (`browser`), with helpers that read as what a person does (`page`).
//!
//! A test is one `with_page` call:
//!
//! ```no_run
//! #[tokio::test]
//! async fn home_page_mounts() -> brainplay_e2e::Result {
//!     brainplay_e2e::with_page(async |page| {
//!         page.open("/").await?;
//!         page.wait_for("#app-ready").await?;
//!         Ok(())
//!     })
//!     .await
//! }
//! ```
//!
//! Which build is tested: `BRAINPLAY_E2E_DIST` (relative to the workspace root), served under
//! `BRAINPLAY_E2E_BASE` (when unset, the base path the build's index.html links its assets with).
//! `cargo xtask test` sets both. Without `BRAINPLAY_E2E_DIST` the tests use `dist/`, and when that
//! does not exist either they pass at once, saying so: `cargo test` works before any site build.

pub mod browser;
pub mod page;
pub mod server;

pub use browser::Gpu;
pub use page::Page;
pub use server::Server;

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

pub type Result<T = ()> = std::result::Result<T, Error>;

/// A failure, as a message for a person: the test harness prints it as it is.
pub struct Error(String);

impl Error {
    pub fn new(message: impl Into<String>) -> Error {
        Error(message.into())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Runs `test` on a fresh browser (no GPU) with the site served; see the crate's documentation for
/// which site. Passes at once when there is no site to test.
pub async fn with_page(test: impl AsyncFnOnce(&Page) -> Result) -> Result {
    with_page_using(Gpu::Off, test).await
}

/// `with_page` with a choice of GPU.
pub async fn with_page_using(gpu: Gpu, test: impl AsyncFnOnce(&Page) -> Result) -> Result {
    let Some(site) = Site::from_env()? else {
        return Ok(());
    };
    let page = Page::start(site.serve()?, gpu).await?;
    let outcome = test(&page).await;
    page.close().await;
    outcome
}

/// A site build and the base path it is served under.
pub struct Site {
    pub dist: PathBuf,
    pub base: String,
}

impl Site {
    /// The build named by the environment (see the crate's documentation), or `None`, with the
    /// reason printed, when there is none to test. A build that is named but missing is an error.
    pub fn from_env() -> Result<Option<Site>> {
        let dist = match std::env::var_os("BRAINPLAY_E2E_DIST") {
            Some(dist) => workspace_root().join(dist),
            None => {
                let dist = workspace_root().join("dist");
                if !dist.exists() {
                    // Straight to stderr: libtest captures print macros, and this must be seen.
                    let _ = writeln!(
                        std::io::stderr(),
                        "skipped: no site build to test (BRAINPLAY_E2E_DIST is unset and {} does not exist; `cargo xtask test` builds and tests it)",
                        dist.display()
                    );
                    return Ok(None);
                }
                dist
            }
        };
        let index = std::fs::read_to_string(dist.join("index.html")).map_err(|error| {
            Error::new(format!(
                "{}: {error} (build the site with `cargo xtask dist`)",
                dist.join("index.html").display()
            ))
        })?;
        let base = match std::env::var("BRAINPLAY_E2E_BASE") {
            Ok(base) => server::normalize_base(&base),
            Err(_) => base_from_index(&index).unwrap_or_else(|| "/".to_string()),
        };
        Ok(Some(Site { dist, base }))
    }

    pub fn serve(&self) -> Result<Server> {
        Server::start(&self.dist, &self.base)
            .map_err(|error| Error::new(format!("serving {}: {error}", self.dist.display())))
    }
}

/// The base path a trunk build was made for: the folder of the wasm module its index.html preloads
/// (`href="/brainplay/brainplay-app-1a2b_bg.wasm"` → `/brainplay/`).
fn base_from_index(index: &str) -> Option<String> {
    let end = index.find(".wasm")?;
    let start = index[..end].rfind(['"', '\''])? + 1;
    let url = &index[start..end];
    let folder = &url[..url.rfind('/')? + 1];
    folder.starts_with('/').then(|| folder.to_string())
}

/// The workspace root: this crate sits directly below it.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("e2e/ has a parent directory")
        .to_path_buf()
}

/// Cargo's target directory, honouring `CARGO_TARGET_DIR` as cargo does.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => workspace_root().join(dir),
        None => workspace_root().join("target"),
    }
}

/// Where screenshots go: `target/e2e-artifacts/`.
pub fn artifacts_dir() -> PathBuf {
    target_dir().join("e2e-artifacts")
}

#[cfg(test)]
mod tests {
    use super::base_from_index;

    #[test]
    fn the_base_path_is_where_the_wasm_module_is() {
        let index = r#"<link rel="modulepreload" href="/brainplay/brainplay-app-9f2c.js" crossorigin=anonymous>
<link rel="preload" href="/brainplay/brainplay-app-9f2c_bg.wasm" crossorigin=anonymous as="fetch" type="application/wasm">"#;
        assert_eq!(base_from_index(index).as_deref(), Some("/brainplay/"));
        let root = "<script type=\"module\">import init from '/app.js'; init({ module_or_path: '/app_bg.wasm' });</script>";
        assert_eq!(base_from_index(root).as_deref(), Some("/"));
        assert_eq!(base_from_index("<p>no module</p>"), None);
    }
}
