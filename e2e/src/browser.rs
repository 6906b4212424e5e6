//! Headless Chromium through chromedriver: one chromedriver, one browser and one fresh profile per
//! test, so tests share nothing and can run in parallel.

use crate::{Error, Result};
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Whether the browser offers WebGPU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gpu {
    /// No GPU: `navigator.gpu.requestAdapter()` gives null, the CPU fallback path.
    Off,
    /// WebGPU on SwiftShader, Chromium's software Vulkan (adapter vendor `google`, architecture
    /// `swiftshader`): correct but slow, for checking kernels, not timing them.
    SwiftShader,
}

/// Flags for every run (design.md §6): headless as root, and no background traffic, which this
/// machine's closed network would refuse at every start.
const FLAGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,900",
];

/// `Gpu::Off` also turns the GPU process off.
const NO_GPU_FLAGS: &[&str] = &["--disable-gpu"];

/// WebGPU through SwiftShader (design.md §6).
const SWIFTSHADER_FLAGS: &[&str] = &[
    "--enable-unsafe-webgpu",
    "--enable-features=Vulkan",
    "--use-vulkan=swiftshader",
    "--use-webgpu-adapter=swiftshader",
    "--disable-vulkan-surface",
];

/// How many times `Browser::start` tries.
const START_ATTEMPTS: u32 = 3;

/// Collects what went wrong on a page from its first script on: uncaught errors, content security
/// policy violations, failed loads of
/// scripts and the wasm module, unhandled promise rejections and `console.error` (where a Rust panic
/// lands). A test's failure message shows them.
const ERROR_COLLECTOR: &str = r#"
window.__e2eErrors = [];
addEventListener('error', (event) => {
  const source = event.target && (event.target.src || event.target.href);
  const tag = event.target && event.target.tagName ? `<${event.target.tagName.toLowerCase()}>` : 'page';
  window.__e2eErrors.push(source ? `failed to load ${source}` : String(event.message || event.error || `error event on ${tag}`));
}, true);
addEventListener('unhandledrejection', (event) => {
  const reason = event.reason;
  window.__e2eErrors.push(`unhandled rejection: ${reason && reason.stack ? reason.stack : reason}`);
});
addEventListener('securitypolicyviolation', (event) => {
  const where = event.target && event.target.tagName ? ` on <${event.target.tagName.toLowerCase()} class="${event.target.className}">` : '';
  window.__e2eErrors.push(`content security policy: ${event.violatedDirective} blocked ${event.blockedURI || 'inline code'}${where}: ${event.sample || ''} (${event.sourceFile}:${event.lineNumber}:${event.columnNumber})`);
});
const consoleError = console.error;
console.error = (...args) => {
  window.__e2eErrors.push(args.map(String).join(' '));
  consoleError.apply(console, args);
};
"#;

/// A browser session, with the chromedriver that runs it and its own profile folder.
pub struct Browser {
    client: Client,
    driver: Chromedriver,
    profile: PathBuf,
}

impl Browser {
    /// Starts chromedriver and Chromium. A start that fails to connect is tried again with a
    /// fresh chromedriver: on a loaded machine a port it was given can be taken before it
    /// listens (tests start browsers in parallel).
    pub async fn start(gpu: Gpu) -> Result<Browser> {
        let mut attempt = 1;
        loop {
            match Browser::start_once(gpu).await {
                Err(error) if attempt < START_ATTEMPTS => {
                    eprintln!("browser start {attempt} of {START_ATTEMPTS} failed: {error}");
                    attempt += 1;
                }
                result => return result,
            }
        }
    }

    async fn start_once(gpu: Gpu) -> Result<Browser> {
        let driver = Chromedriver::start()?;
        let profile = fresh_profile()?;
        let mut args: Vec<String> = FLAGS.iter().map(|flag| flag.to_string()).collect();
        let gpu_flags = match gpu {
            Gpu::Off => NO_GPU_FLAGS,
            Gpu::SwiftShader => SWIFTSHADER_FLAGS,
        };
        args.extend(gpu_flags.iter().map(|flag| flag.to_string()));
        args.push(format!("--user-data-dir={}", profile.display()));
        let mut capabilities = Capabilities::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        capabilities.insert("goog:chromeOptions".into(), json!({ "args": args }));
        let client = match ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver.url())
            .await
        {
            Ok(client) => client,
            Err(error) => {
                let _ = std::fs::remove_dir_all(&profile);
                return Err(Error::new(format!(
                    "could not start headless Chromium through {}: {error}",
                    driver.path.display()
                )));
            }
        };
        let browser = Browser {
            client,
            driver,
            profile,
        };
        browser
            .devtools(
                "Page.addScriptToEvaluateOnNewDocument",
                json!({ "source": ERROR_COLLECTOR }),
            )
            .await?;
        Ok(browser)
    }

    /// The WebDriver client, for what the helpers of `Page` do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Ends the session (Chromium quits), then chromedriver; the profile folder is removed.
    pub async fn close(self) {
        let Browser {
            client,
            driver,
            profile,
        } = self;
        let _ = client.close().await;
        drop(driver);
        let _ = std::fs::remove_dir_all(profile);
    }

    /// Cuts the page off the network (or connects it again), as DevTools' "Offline".
    pub async fn set_offline(&self, offline: bool) -> Result {
        self.devtools("Network.enable", serde_json::json!({}))
            .await?;
        self.devtools(
            "Network.emulateNetworkConditions",
            serde_json::json!({
                "offline": offline,
                "latency": 0,
                "downloadThroughput": -1,
                "uploadThroughput": -1,
            }),
        )
        .await
    }

    /// Turns the window into a phone's touch screen: `width` × `height` CSS pixels at `scale`
    /// device pixels each, touch events instead of a mouse (and `pointer: coarse`).
    pub async fn emulate_touch_screen(&self, width: u32, height: u32, scale: f64) -> Result {
        self.devtools(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": scale, "mobile": true }),
        )
        .await?;
        self.devtools(
            "Emulation.setTouchEmulationEnabled",
            json!({ "enabled": true, "maxTouchPoints": 5 }),
        )
        .await
    }

    /// Saves the page's downloads into `dir`.
    pub async fn download_to(&self, dir: &Path) -> Result {
        self.devtools(
            "Browser.setDownloadBehavior",
            json!({ "behavior": "allow", "downloadPath": dir.display().to_string() }),
        )
        .await
    }

    /// A finger's tap at (`x`, `y`), in CSS pixels from the top left of the viewport.
    pub async fn tap(&self, x: f64, y: f64) -> Result {
        self.devtools(
            "Input.dispatchTouchEvent",
            json!({ "type": "touchStart", "touchPoints": [{ "x": x, "y": y }] }),
        )
        .await?;
        self.devtools(
            "Input.dispatchTouchEvent",
            json!({ "type": "touchEnd", "touchPoints": [] }),
        )
        .await
    }

    /// A Chrome DevTools Protocol command, through chromedriver's `goog/cdp/execute`.
    async fn devtools(&self, method: &'static str, params: serde_json::Value) -> Result {
        self.client
            .issue_cmd(DevTools { method, params })
            .await
            .map(drop)
            .map_err(|error| Error::new(format!("DevTools {method}: {error}")))
    }
}

#[derive(Debug)]
struct DevTools {
    method: &'static str,
    params: serde_json::Value,
}

impl WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> std::result::Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.method, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// The chromedriver to start: `CHROMEDRIVER` (the variable wasm-bindgen-test-runner reads too), else
/// Debian's `/usr/bin/chromedriver`, else the one on PATH. `cargo xtask ci-setup` checks the same.
pub fn chromedriver_path() -> PathBuf {
    if let Some(path) = std::env::var_os("CHROMEDRIVER") {
        return path.into();
    }
    let debian = Path::new("/usr/bin/chromedriver");
    if debian.is_file() {
        debian.to_path_buf()
    } else {
        "chromedriver".into()
    }
}

/// A chromedriver process on a free port of 127.0.0.1. Dropping it kills its process group, which
/// holds the Chromium it started, so a panicking test leaves no browser behind.
struct Chromedriver {
    child: Child,
    port: u16,
    path: PathBuf,
}

impl Chromedriver {
    fn start() -> Result<Chromedriver> {
        let path = chromedriver_path();
        let port = free_port()?;
        let child = Command::new(&path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|error| {
                Error::new(format!(
                    "could not start {}: {error} (install it with `cargo xtask ci-setup`, or set CHROMEDRIVER)",
                    path.display()
                ))
            })?;
        let mut driver = Chromedriver { child, port, path };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = driver.child.try_wait() {
                return Err(Error::new(format!(
                    "{} exited at start-up ({status})",
                    driver.path.display()
                )));
            }
            if Instant::now() > deadline {
                return Err(Error::new(format!(
                    "{} did not listen on port {port} within 20 s",
                    driver.path.display()
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(driver)
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // The group's id is chromedriver's pid (`process_group(0)`); `kill -- -PGID` signals it all.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nobody listened on a moment ago. Another process could take it before chromedriver does;
/// on a test machine that race is rare enough, and it fails loudly.
fn free_port() -> Result<u16> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|error| Error::new(format!("no free port on 127.0.0.1: {error}")))
}

/// An empty Chromium profile folder for one browser.
fn fresh_profile() -> Result<PathBuf> {
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let profile = std::env::temp_dir().join(format!(
        "brainplay-e2e-{}-{}",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&profile);
    std::fs::create_dir_all(&profile)
        .map_err(|error| Error::new(format!("{}: {error}", profile.display())))?;
    Ok(profile)
}
