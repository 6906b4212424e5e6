//! A browser on the site: the helpers tests are written with. Each helper that takes a CSS selector
//! first waits for it, so a test reads as what a person does, without sleeps.

use crate::browser::{Browser, Gpu};
use crate::server::Server;
use crate::{artifacts_dir, Error, Result};
use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::{Client, Locator};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::Duration;

/// How long a selector may take to appear. Generous: the first wait covers loading and compiling
/// the wasm module on a busy 2-core machine.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// How often and how many times a redraw counter is polled (15 s in all).
const REDRAW_POLL: Duration = Duration::from_millis(50);
const REDRAW_POLLS: usize = 300;

pub struct Page {
    browser: Browser,
    server: Server,
}

impl Page {
    pub async fn start(server: Server, gpu: Gpu) -> Result<Page> {
        let browser = Browser::start(gpu).await?;
        Ok(Page { browser, server })
    }

    pub fn server(&self) -> &Server {
        &self.server
    }

    /// The WebDriver client, for what these helpers do not cover.
    pub fn client(&self) -> &Client {
        self.browser.client()
    }

    /// Navigates to `path` under the site's base path, as a link opened cold: `/`,
    /// `/lesson/03-hodgkin-huxley?lang=en`.
    pub async fn open(&self, path: &str) -> Result {
        let url = self.server.url(path);
        self.client()
            .goto(&url)
            .await
            .map_err(|error| Error::new(format!("opening {url}: {error}")))
    }

    /// The first element matching `selector`, once there is one.
    pub async fn wait_for(&self, selector: &str) -> Result<Element> {
        self.wait_for_within(selector, DEFAULT_TIMEOUT).await
    }

    /// On timeout the error shows where the page is, its script errors and the start of its text,
    /// and a screenshot is saved.
    pub async fn wait_for_within(&self, selector: &str, timeout: Duration) -> Result<Element> {
        let found = self
            .client()
            .wait()
            .at_most(timeout)
            .every(Duration::from_millis(50))
            .for_element(Locator::Css(selector))
            .await;
        match found {
            Ok(element) => Ok(element),
            Err(CmdError::WaitTimeout) => Err(self
                .describe_failure(&format!(
                    "timed out after {} s waiting for `{selector}`",
                    timeout.as_secs_f64()
                ))
                .await),
            Err(error) => Err(Error::new(format!("waiting for `{selector}`: {error}"))),
        }
    }

    /// The rendered text of the first element matching `selector`.
    pub async fn text(&self, selector: &str) -> Result<String> {
        let element = self.wait_for(selector).await?;
        element
            .text()
            .await
            .map_err(|error| Error::new(format!("reading the text of `{selector}`: {error}")))
    }

    /// An attribute of the first element matching `selector`; `None` when it is not set.
    pub async fn attribute(&self, selector: &str, name: &str) -> Result<Option<String>> {
        let element = self.wait_for(selector).await?;
        element.attr(name).await.map_err(|error| {
            Error::new(format!(
                "reading attribute `{name}` of `{selector}`: {error}"
            ))
        })
    }

    /// Sets the range input `selector` to `value` and dispatches `input`, as dragging the slider
    /// does. Returns the value the input took (the browser clamps it and rounds it to `step`).
    pub async fn set_range(&self, selector: &str, value: f64) -> Result<f64> {
        self.wait_for(selector).await?;
        let taken = self
            .js(
                "const input = document.querySelector(arguments[0]);
                 input.value = String(arguments[1]);
                 input.dispatchEvent(new Event('input', { bubbles: true }));
                 return Number(input.value);",
                vec![json!(selector), json!(value)],
            )
            .await?;
        taken
            .as_f64()
            .ok_or_else(|| Error::new(format!("`{selector}` has no numeric value: {taken}")))
    }

    /// Scrolls the first element matching `selector` to the middle of the view (clear of the
    /// sticky header), as a reader does to reach a block further down.
    pub async fn scroll_to(&self, selector: &str) -> Result {
        self.js(
            "document.querySelector(arguments[0]).scrollIntoView({ block: 'center' });",
            vec![json!(selector)],
        )
        .await
        .map(drop)
    }

    pub async fn click(&self, selector: &str) -> Result {
        let element = self.wait_for(selector).await?;
        element
            .click()
            .await
            .map_err(|error| Error::new(format!("clicking `{selector}`: {error}")))
    }

    /// Runs `script` as a function body (`arguments[i]` are `args`) and returns what it returns.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.client()
            .execute(script, args)
            .await
            .map_err(|error| Error::new(format!("running script: {error}\n{script}")))
    }

    /// Sets the text of the field `selector` to `text` and dispatches `input`, as typing does.
    pub async fn type_text(&self, selector: &str, text: &str) -> Result {
        self.wait_for(selector).await?;
        self.js(
            "const el = document.querySelector(arguments[0]);
             el.value = arguments[1];
             el.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![json!(selector), json!(text)],
        )
        .await
        .map(drop)
    }

    /// The value of the field `selector`.
    pub async fn field_text(&self, selector: &str) -> Result<String> {
        self.wait_for(selector).await?;
        let value = self
            .js(
                "return document.querySelector(arguments[0]).value;",
                vec![json!(selector)],
            )
            .await?;
        Ok(value.as_str().unwrap_or_default().to_string())
    }

    /// What `script` returns, as a list of strings (entries that are not strings left out).
    pub async fn js_strings(&self, script: &str, args: Vec<Value>) -> Result<Vec<String>> {
        let value = self.js(script, args).await?;
        Ok(value
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Like `js`, for a script that finishes by calling its last argument with the result.
    pub async fn js_async(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.client()
            .execute_async(script, args)
            .await
            .map_err(|error| Error::new(format!("running async script: {error}\n{script}")))
    }

    /// The lesson pages' paths (`/lesson/NN-slug`), as the course map links them; an error
    /// unless it links all 14.
    pub async fn lesson_paths(&self) -> Result<Vec<String>> {
        self.open("/?lang=en").await?;
        self.wait_for("a.lesson-card").await?;
        let paths = self
            .js_strings(
                "return Array.from(document.querySelectorAll('a.lesson-card'))
                     .map(a => new URL(a.href).pathname.replace(/^.*\\/lesson\\//, '/lesson/'));",
                vec![],
            )
            .await?;
        match paths.len() {
            14 => Ok(paths),
            n => Err(Error::new(format!(
                "the course map links {n} lessons, not 14"
            ))),
        }
    }

    /// What `look` finds on every page of the site (the home page and the 14 lessons, in both
    /// languages) once its first figures have had time to draw, each finding prefixed by the
    /// page's address. `look` gets the page and its language code.
    pub async fn gather_on_every_page(
        &self,
        look: impl AsyncFn(&Page, &str) -> Result<Vec<String>>,
    ) -> Result<Vec<String>> {
        let lessons = self.lesson_paths().await?;
        let mut found = Vec::new();
        for lang in ["en", "zh"] {
            for path in std::iter::once("/".to_string()).chain(lessons.iter().cloned()) {
                self.open(&format!("{path}?lang={lang}")).await?;
                self.wait_for("main").await?;
                // The first figures draw (their canvases and summaries are part of the page).
                tokio::time::sleep(Duration::from_millis(1500)).await;
                for finding in look(self, lang).await? {
                    found.push(format!("{path}?lang={lang}: {finding}"));
                }
            }
        }
        Ok(found)
    }

    /// Saves the visible page as `target/e2e-artifacts/NAME.png` and returns that path.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        let png = self
            .client()
            .screenshot()
            .await
            .map_err(|error| Error::new(format!("taking screenshot {name}: {error}")))?;
        let dir = artifacts_dir();
        let path = dir.join(format!("{name}.png"));
        std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(&path, png))
            .map_err(|error| Error::new(format!("{}: {error}", path.display())))?;
        Ok(path)
    }

    /// What went wrong on the page since it was opened: uncaught errors, failed loads, unhandled
    /// rejections, `console.error` (a Rust panic's message lands there).
    pub async fn errors(&self) -> Result<Vec<String>> {
        let errors = self
            .js("return window.__e2eErrors || [];", Vec::new())
            .await?;
        Ok(errors
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .map(|error| error.as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Fails, with the page's errors, when there are any.
    pub async fn assert_no_errors(&self) -> Result {
        let errors = self.errors().await?;
        if errors.is_empty() {
            Ok(())
        } else {
            Err(self.describe_failure("the page reported errors").await)
        }
    }

    /// The redraw counter (`data-drawn`) of the canvas inside `widget` (a CSS selector), once it
    /// has drawn at least once. The app increments it after every redraw.
    pub async fn drawn(&self, widget: &str) -> Result<u64> {
        let selector = format!("{widget} canvas[data-drawn]");
        self.wait_for(&selector).await?;
        for _ in 0..REDRAW_POLLS {
            let value = self.attribute(&selector, "data-drawn").await?;
            let n: u64 = value.as_deref().unwrap_or("0").parse().unwrap_or(0);
            if n > 0 {
                return Ok(n);
            }
            tokio::time::sleep(REDRAW_POLL).await;
        }
        Err(Error::new(format!("`{selector}` never drew")))
    }

    /// Waits until the canvas inside `widget` has redrawn past `count`.
    pub async fn redrawn_after(&self, widget: &str, count: u64) -> Result<u64> {
        for _ in 0..REDRAW_POLLS {
            let n = self.drawn(widget).await?;
            if n > count {
                return Ok(n);
            }
            tokio::time::sleep(REDRAW_POLL).await;
        }
        Err(Error::new(format!("`{widget}` did not redraw")))
    }

    /// Waits until the canvas inside `widget` shows something else than `image` (its data URL
    /// before a change): the first redraws after a change may still show the old figures, as
    /// some plots also follow the setting itself.
    pub async fn redrawn_differently(&self, widget: &str, image: &str) -> Result {
        let mut drawn = self.drawn(widget).await?;
        for _ in 0..20 {
            if self.canvas_image(widget).await? != image {
                return Ok(());
            }
            drawn = self.redrawn_after(widget, drawn).await?;
        }
        Err(Error::new(format!(
            "`{widget}` kept drawing the same picture"
        )))
    }

    /// The canvas inside `widget` as a data URL, to tell whether a picture changed.
    pub async fn canvas_image(&self, widget: &str) -> Result<String> {
        let value = self
            .js(
                "return document.querySelector(arguments[0]).toDataURL();",
                vec![json!(format!("{widget} canvas"))],
            )
            .await?;
        Ok(value.as_str().unwrap_or_default().to_string())
    }

    /// Types `value` into numeric exercise `exercise`, presses its check button, and returns the
    /// feedback's class (`feedback correct` or `feedback incorrect`).
    pub async fn answer_exercise(&self, exercise: &str, value: &str) -> Result<String> {
        let input = format!("#exercise-{exercise} input.answer");
        self.wait_for(&input).await?;
        self.js(
            "const el = document.querySelector(arguments[0]);
             el.value = arguments[1];
             el.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![json!(input), json!(value)],
        )
        .await?;
        self.click(&format!("#exercise-{exercise} button.check"))
            .await?;
        let feedback = format!("#exercise-{exercise} .feedback");
        self.wait_for(&feedback).await?;
        Ok(self
            .attribute(&feedback, "class")
            .await?
            .unwrap_or_default())
    }

    /// Answers numeric exercise `exercise` with `value`; an error unless the verdict is right
    /// (`correct`) or wrong (not `correct`).
    pub async fn expect_verdict(&self, exercise: &str, value: &str, correct: bool) -> Result {
        let class = self.answer_exercise(exercise, value).await?;
        let marked_correct = class.contains("correct") && !class.contains("incorrect");
        if marked_correct == correct {
            Ok(())
        } else {
            let want = if correct { "right" } else { "wrong" };
            Err(Error::new(format!(
                "exercise `{exercise}`: {value} should be marked {want}, feedback class `{class}`"
            )))
        }
    }

    /// Cuts the page off the network, or connects it again.
    pub async fn set_offline(&self, offline: bool) -> Result {
        self.browser.set_offline(offline).await
    }

    /// Turns the window into a phone's touch screen (`Browser::emulate_touch_screen`); open a
    /// page afterwards.
    pub async fn emulate_touch_screen(&self, width: u32, height: u32, scale: f64) -> Result {
        self.browser
            .emulate_touch_screen(width, height, scale)
            .await
    }

    /// Saves the page's downloads into `dir`.
    pub async fn download_to(&self, dir: &std::path::Path) -> Result {
        self.browser.download_to(dir).await
    }

    /// Chooses the file at `path` in the file field `selector`, as a learner picking it.
    pub async fn choose_file(&self, selector: &str, path: &std::path::Path) -> Result {
        self.wait_for(selector)
            .await?
            .send_keys(&path.display().to_string())
            .await
            .map_err(|error| {
                Error::new(format!(
                    "choosing {} in `{selector}`: {error}",
                    path.display()
                ))
            })
    }

    /// Taps the middle of the first element matching `selector` with a finger, after scrolling it
    /// into view.
    pub async fn tap(&self, selector: &str) -> Result {
        self.scroll_to(selector).await?;
        let centre = self
            .js(
                "const r = document.querySelector(arguments[0]).getBoundingClientRect();
                 return [r.left + r.width / 2, r.top + r.height / 2];",
                vec![json!(selector)],
            )
            .await?;
        let (Some(x), Some(y)) = (centre[0].as_f64(), centre[1].as_f64()) else {
            return Err(Error::new(format!(
                "`{selector}` has no position: {centre}"
            )));
        };
        self.browser.tap(x, y).await
    }

    pub async fn close(self) {
        self.browser.close().await;
    }

    /// `what`, with where the page is, its errors, the start of its text and a screenshot named after
    /// the test (libtest names each test's thread after it).
    async fn describe_failure(&self, what: &str) -> Error {
        let mut message = what.to_string();
        if let Ok(url) = self.client().current_url().await {
            message.push_str(&format!("\n  page: {url}"));
        }
        match self.errors().await {
            Ok(errors) if errors.is_empty() => message.push_str("\n  page errors: none"),
            Ok(errors) => {
                message.push_str("\n  page errors:");
                for error in errors {
                    message.push_str(&format!("\n    {error}"));
                }
            }
            Err(error) => message.push_str(&format!("\n  page errors unknown: {error}")),
        }
        // Resource timing has each response's status: a 404 for the wasm module or a script shows
        // a base-path mistake at once.
        let failed_requests = self
            .js(
                "return performance.getEntriesByType('resource')
                   .filter((entry) => entry.responseStatus >= 400 && !entry.name.endsWith('/favicon.ico'))
                   .map((entry) => `${entry.name} (${entry.responseStatus})`);",
                Vec::new(),
            )
            .await
            .ok()
            .and_then(|requests| requests.as_array().cloned())
            .unwrap_or_default();
        for request in failed_requests {
            message.push_str(&format!(
                "\n  failed request: {}",
                request.as_str().unwrap_or_default()
            ));
        }
        let text = self
            .js(
                "return document.body ? document.body.innerText : '';",
                Vec::new(),
            )
            .await
            .ok()
            .and_then(|text| text.as_str().map(str::to_string))
            .unwrap_or_default();
        let excerpt: String = text.chars().take(400).collect();
        message.push_str(&format!("\n  page text: {excerpt:?}"));
        let name = format!(
            "failure-{}",
            std::thread::current()
                .name()
                .unwrap_or("unnamed")
                .replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "_")
        );
        match self.screenshot(&name).await {
            Ok(path) => message.push_str(&format!("\n  screenshot: {}", path.display())),
            Err(error) => message.push_str(&format!("\n  no screenshot: {error}")),
        }
        Error::new(message)
    }
}
