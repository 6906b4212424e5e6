//! A static file server that answers like GitHub Pages, for the tests: it serves a build folder under
//! a base path (`/brainplay/` for a project site), and a path with no file behind it gets status 404
//! with the body of the folder's `404.html`. The app is that 404.html too, so a deep link opened
//! cold starts the app, which routes to the page the path names.
//!
//! Standard library only, one thread per connection, `Connection: close`: pages load a handful of
//! files, and a test must see exactly what a plain static host sends.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

/// A running server on 127.0.0.1; it stops when dropped.
pub struct Server {
    address: SocketAddr,
    base: String,
    stopping: Arc<AtomicBool>,
    /// While set, every connection is closed unanswered, as if the network were gone.
    offline: Arc<AtomicBool>,
}

impl Server {
    /// Serves `root` under `base` (normalised to `/…/`) on a free port of 127.0.0.1.
    pub fn start(root: &Path, base: &str) -> io::Result<Server> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let address = listener.local_addr()?;
        let site = Arc::new(Site {
            root: root.to_path_buf(),
            base: normalize_base(base),
        });
        let stopping = Arc::new(AtomicBool::new(false));
        let offline = Arc::new(AtomicBool::new(false));
        let server = Server {
            address,
            base: site.base.clone(),
            stopping: stopping.clone(),
            offline: offline.clone(),
        };
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (site, offline) = (site.clone(), offline.clone());
                thread::spawn(move || {
                    // A client that hangs up early is its own problem; the server goes on.
                    let _ = site.handle(stream, &offline);
                });
            }
        });
        Ok(server)
    }

    /// Stops answering (every request fails as without a network), or answers again.
    pub fn set_offline(&self, offline: bool) {
        self.offline.store(offline, Ordering::SeqCst);
    }

    /// `http://127.0.0.1:PORT`.
    pub fn origin(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The URL of `path` taken relative to the base path: `/` is the site's start page and
    /// `/lesson/03-hodgkin-huxley?lang=en` is `http://127.0.0.1:PORT/brainplay/lesson/03-…?lang=en`.
    pub fn url(&self, path: &str) -> String {
        format!(
            "{}{}{}",
            self.origin(),
            self.base,
            path.trim_start_matches('/')
        )
    }

    /// The base path, `/`-delimited on both sides.
    pub fn base(&self) -> &str {
        &self.base
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        // Wakes the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.address);
    }
}

/// `/`, or the path with one `/` on either side.
pub fn normalize_base(base: &str) -> String {
    let inner = base.trim_matches('/');
    if inner.is_empty() {
        "/".to_string()
    } else {
        format!("/{inner}/")
    }
}

struct Site {
    root: PathBuf,
    base: String,
}

/// What the server sends back for one request.
#[derive(Debug, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// For a redirect.
    pub location: Option<String>,
}

impl Site {
    /// Answers one request, unless the server went offline before it arrived (browsers open
    /// connections ahead of their requests, so this is checked once the request is read).
    fn handle(&self, stream: TcpStream, offline: &AtomicBool) -> io::Result<()> {
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        let mut reader = BufReader::new(stream.try_clone()?);
        let mut request_line = String::new();
        reader.read_line(&mut request_line)?;
        // The headers are read and ignored: nothing here depends on them.
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 || header.trim_end().is_empty() {
                break;
            }
        }
        if offline.load(Ordering::SeqCst) {
            return Ok(());
        }
        let mut parts = request_line.split_whitespace();
        let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let reply = match method {
            "GET" | "HEAD" => self.reply(target),
            _ => text_reply(405, "only GET and HEAD"),
        };
        write_reply(stream, &reply, method == "HEAD")
    }

    fn reply(&self, target: &str) -> Reply {
        let path = target.split(['?', '#']).next().unwrap_or("");
        let Some(path) = percent_decode(path) else {
            return text_reply(400, "bad percent-encoding");
        };
        // GitHub Pages adds the slash to a folder's address; the base path is such a folder.
        if format!("{path}/") == self.base {
            return redirect(&self.base);
        }
        let Some(relative) = path.strip_prefix(&self.base) else {
            // Outside the project site: another site's 404 on GitHub Pages, never this app.
            return text_reply(404, "outside the site's base path");
        };
        let mut file = self.root.clone();
        for component in Path::new(relative).components() {
            match component {
                Component::Normal(name) => file.push(name),
                Component::CurDir => {}
                _ => return self.not_found(),
            }
        }
        if file.is_dir() {
            if !(relative.is_empty() || relative.ends_with('/')) {
                return redirect(&format!("{path}/"));
            }
            file.push("index.html");
        }
        match std::fs::read(&file) {
            Ok(body) => Reply {
                status: 200,
                content_type: content_type(&file),
                body,
                location: None,
            },
            Err(_) => self.not_found(),
        }
    }

    fn not_found(&self) -> Reply {
        match std::fs::read(self.root.join("404.html")) {
            Ok(body) => Reply {
                status: 404,
                content_type: "text/html; charset=utf-8",
                body,
                location: None,
            },
            Err(_) => text_reply(404, "not found (and no 404.html)"),
        }
    }
}

fn text_reply(status: u16, text: &str) -> Reply {
    Reply {
        status,
        content_type: "text/plain; charset=utf-8",
        body: text.as_bytes().to_vec(),
        location: None,
    }
}

fn redirect(location: &str) -> Reply {
    Reply {
        status: 301,
        content_type: "text/plain; charset=utf-8",
        body: Vec::new(),
        location: Some(location.to_string()),
    }
}

fn write_reply(mut stream: TcpStream, reply: &Reply, head_only: bool) -> io::Result<()> {
    let reason = match reply.status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        _ => "Method Not Allowed",
    };
    let mut head = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nConnection: close\r\n",
        reply.status,
        reply.content_type,
        reply.body.len()
    );
    if let Some(location) = &reply.location {
        head.push_str(&format!("Location: {location}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&reply.body)?;
    }
    stream.flush()
}

/// The types a static host sends; `application/wasm` matters: without it browsers refuse to
/// compile the module while it streams in.
fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|extension| extension.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json" | "map") => "application/json",
        Some("webmanifest") => "application/manifest+json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// `%XX` escapes decoded as UTF-8; `None` for a broken escape or invalid UTF-8.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = std::str::from_utf8(bytes.get(index + 1..index + 3)?).ok()?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// A build folder in the target directory, unique per test.
    fn site_folder(name: &str) -> PathBuf {
        let root = crate::target_dir().join("e2e-server-tests").join(name);
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("lessons/intro")).unwrap();
        std::fs::write(root.join("index.html"), "<p>index</p>").unwrap();
        std::fs::write(root.join("404.html"), "<p>app</p>").unwrap();
        std::fs::write(root.join("app_bg.wasm"), b"\0asm").unwrap();
        std::fs::write(root.join("app.js"), "export {}").unwrap();
        std::fs::write(root.join("lessons/intro/index.html"), "<p>intro</p>").unwrap();
        std::fs::write(root.join("a b.txt"), "spaced").unwrap();
        root
    }

    fn site(root: PathBuf, base: &str) -> Site {
        Site {
            root,
            base: normalize_base(base),
        }
    }

    #[test]
    fn files_are_served_under_the_base_path_with_their_types() {
        let site = site(site_folder("types"), "/brainplay/");
        let index = site.reply("/brainplay/");
        assert_eq!(
            (index.status, index.body.as_slice()),
            (200, &b"<p>index</p>"[..])
        );
        assert_eq!(index.content_type, "text/html; charset=utf-8");
        let wasm = site.reply("/brainplay/app_bg.wasm");
        assert_eq!((wasm.status, wasm.content_type), (200, "application/wasm"));
        let js = site.reply("/brainplay/app.js?v=1");
        assert_eq!(
            (js.status, js.content_type),
            (200, "text/javascript; charset=utf-8")
        );
        assert_eq!(site.reply("/brainplay/a%20b.txt").body, b"spaced");
    }

    #[test]
    fn unknown_paths_get_404_with_the_body_of_404_html() {
        let site = site(site_folder("deep-links"), "/brainplay/");
        for path in [
            "/brainplay/lesson/03-hodgkin-huxley",
            "/brainplay/lesson/03-hodgkin-huxley?lang=en&I=12#plot",
            "/brainplay/no/such/file.js",
            "/brainplay/../secret",
        ] {
            let reply = site.reply(path);
            assert_eq!(reply.status, 404, "{path}");
            assert_eq!(reply.body, b"<p>app</p>", "{path}");
            assert_eq!(reply.content_type, "text/html; charset=utf-8", "{path}");
        }
    }

    #[test]
    fn paths_outside_the_base_are_not_the_app() {
        let site = site(site_folder("outside"), "/brainplay/");
        let reply = site.reply("/index.html");
        assert_eq!(reply.status, 404);
        assert_ne!(reply.body, b"<p>app</p>");
    }

    #[test]
    fn folders_get_their_slash_then_their_index() {
        let site = site(site_folder("folders"), "/brainplay");
        let to_base = site.reply("/brainplay");
        assert_eq!(
            (to_base.status, to_base.location.as_deref()),
            (301, Some("/brainplay/"))
        );
        let to_folder = site.reply("/brainplay/lessons/intro");
        assert_eq!(
            to_folder.location.as_deref(),
            Some("/brainplay/lessons/intro/")
        );
        assert_eq!(
            site.reply("/brainplay/lessons/intro/").body,
            b"<p>intro</p>"
        );
        // A folder without an index is a path with no file: the app.
        assert_eq!(site.reply("/brainplay/lessons/").status, 404);
    }

    #[test]
    fn the_root_base_serves_everything() {
        let site = site(site_folder("root"), "/");
        assert_eq!(site.reply("/").body, b"<p>index</p>");
        assert_eq!(site.reply("/app.js").status, 200);
        assert_eq!(site.reply("/lesson/01").body, b"<p>app</p>");
    }

    #[test]
    fn answers_over_http() {
        let server = Server::start(&site_folder("http"), "/brainplay/").unwrap();
        assert_eq!(
            server.url("/lesson/x"),
            format!("{}/brainplay/lesson/x", server.origin())
        );
        let response = |request: &str| {
            let mut stream = TcpStream::connect(server.address).unwrap();
            stream.write_all(request.as_bytes()).unwrap();
            let mut response = String::new();
            stream.read_to_string(&mut response).unwrap();
            response
        };
        let wasm = response("GET /brainplay/app_bg.wasm HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(wasm.starts_with("HTTP/1.1 200 OK\r\n"), "{wasm}");
        assert!(
            wasm.contains("Content-Type: application/wasm\r\n"),
            "{wasm}"
        );
        assert!(wasm.ends_with("\r\n\r\n\0asm"), "{wasm:?}");
        let deep = response("GET /brainplay/lesson/03 HTTP/1.1\r\n\r\n");
        assert!(deep.starts_with("HTTP/1.1 404 Not Found\r\n"), "{deep}");
        assert!(deep.ends_with("<p>app</p>"), "{deep}");
        let head = response("HEAD /brainplay/ HTTP/1.1\r\n\r\n");
        assert!(
            head.contains("Content-Length: 12\r\n") && head.ends_with("\r\n\r\n"),
            "{head}"
        );
    }
}
