//! The web site: `cargo xtask serve` (trunk's development server), `cargo xtask dist` (the release
//! build for a static host) and the first-load size that `dist` prints and `bench` holds to its bar.
//!
//! trunk always runs with `--offline`, so it never tries to download a tool, and with npm's binaryen
//! first on PATH: Debian's wasm-opt 108 emits release builds that Chromium rejects (design.md §6).

use crate::cmd::{self, path_with, program, target_dir, workspace_root, Result};
use flate2::write::GzEncoder;
use flate2::Compression;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where `cargo xtask serve` listens: this machine only.
const SERVE_ADDRESS: &str = "127.0.0.1";
const SERVE_PORT: &str = "8080";

/// The extensions of what a browser fetches to run the app.
const CODE_EXTENSIONS: &[&str] = &["wasm", "js", "css"];
/// The compute worker's files (`crates/worker`, trunk names them after its binary): fetched when a
/// lesson page first needs a computation, not by the home page.
const WORKER_PREFIX: &str = "worker";
/// The learning worker's files: the compute worker with the learning code, fetched instead of it
/// by the pages whose networks learn (`learning_worker = true` in their lesson file).
const LEARN_WORKER_PREFIX: &str = "learn-worker";
/// The GPU worker's files: the compute worker with the GPU code, fetched instead of it by the
/// pages with spiking networks (`gpu_worker = true`) where the browser has WebGPU.
const GPU_WORKER_PREFIX: &str = "gpu-worker";
/// The BrainPy export worker's files: fetched only when a learner asks for a widget's code.
const EXPORT_WORKER_PREFIX: &str = "export-worker";
/// Every worker binary's files, with what `dist` calls them.
const WORKERS: [(&str, &str); 4] = [
    ("compute worker (lessons 1–11)", WORKER_PREFIX),
    ("learning worker (lessons 12–14)", LEARN_WORKER_PREFIX),
    ("GPU worker (lesson 9 with WebGPU)", GPU_WORKER_PREFIX),
    (
        "BrainPy export worker (when asked for code)",
        EXPORT_WORKER_PREFIX,
    ),
];

/// Tools installed from npm. Inside the target directory: ignored by git, and rebuilt on demand like
/// any build output.
pub fn tools_dir() -> PathBuf {
    target_dir().join("tools")
}

/// npm binaryen's `bin` folder, which holds the `wasm-opt` trunk must find first.
pub fn binaryen_bin_dir() -> PathBuf {
    tools_dir()
        .join("node_modules")
        .join("binaryen")
        .join("bin")
}

/// The release build: exactly what a static host serves.
pub fn dist_dir() -> PathBuf {
    workspace_root().join("dist")
}

/// `trunk serve` on 127.0.0.1:8080: a development build, rebuilt and reloaded on every change. It
/// builds into the target directory, so that it never replaces the release build in `dist/`.
pub fn serve() -> Result {
    cmd::run(
        trunk()?
            .args([
                "serve",
                "--offline",
                "--address",
                SERVE_ADDRESS,
                "--port",
                SERVE_PORT,
                "--dist",
            ])
            .arg(target_dir().join("trunk-serve")),
    )
}

/// Builds the site for release into `dist/`, for a host that serves it under `base_path` (`/` for a
/// domain of its own, `/brainplay/` for a GitHub Pages project site), and prints its first-load size.
pub fn dist(base_path: &str) -> Result<PathBuf> {
    build(&dist_dir(), base_path, &[])
}

/// The site as `dist` builds it, with the benchmark hooks (the `bench` features of the page and
/// the worker), into `target/dist-bench`: what `cargo xtask bench` times.
pub fn dist_with_benchmarks(base_path: &str) -> Result<PathBuf> {
    build(&target_dir().join("dist-bench"), base_path, &["bench"])
}

fn build(dist: &Path, base_path: &str, features: &[&str]) -> Result<PathBuf> {
    let dist = dist.to_path_buf();
    let base = normalize_base_path(base_path);
    let mut trunk = trunk()?;
    trunk.args([
        "build",
        "--release",
        "--offline",
        "--public-url",
        &base,
        "--dist",
    ]);
    trunk.arg(&dist);
    if !features.is_empty() {
        trunk.args(["--features", &features.join(",")]);
    }
    cmd::run(&mut trunk)?;
    let index = dist.join("index.html");
    let html = fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    fs::write(&index, crate::csp::with_policy(&html)?)
        .map_err(|e| format!("{}: {e}", index.display()))?;
    crate::offline::fill_in_service_worker(&dist)?;
    // GitHub Pages answers a path it has no file for with 404.html. As a copy of the app it turns a
    // deep link opened cold (`/brainplay/lesson/03-…`) into the app, whose router shows that lesson.
    fs::copy(dist.join("index.html"), dist.join("404.html"))
        .map_err(|error| format!("copying dist/index.html to dist/404.html: {error}"))?;
    println!("\nbuilt {} for {base}", dist.display());
    print_assets("first load (the page)", &first_load(&dist)?);
    for (title, prefix) in WORKERS {
        print_assets(title, &worker_files(&dist, prefix)?);
    }
    print_assets("lesson files (one per page)", &lesson_files(&dist)?);
    print_lesson_pages(&lesson_pages(&dist)?);
    print_assets(
        "data sets (when a block learns from one)",
        &data_files(&dist)?,
    );
    Ok(dist)
}

/// How many of the page wasm's largest items the breakdown lists.
const BREAKDOWN_ITEMS: &str = "25";

/// The largest contributors to the page's wasm, by twiggy over a release build of the page that
/// keeps its function names (the shipped file has none), so that the next change sees where the
/// bytes go. twiggy is installed on first use; a failure is printed and does not stop the bench.
pub fn print_wasm_breakdown() {
    println!("\nthe page's wasm, largest items (twiggy top, a release build with names)");
    if let Err(error) = wasm_breakdown() {
        println!("not measured: {error}");
    }
}

fn wasm_breakdown() -> Result {
    if !cmd::succeeds(program("twiggy").arg("--version")) {
        cmd::run(crate::setup::cargo_install().args(["--locked", "twiggy"]))?;
    }
    cmd::run(crate::cmd::cargo().args([
        "build",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "brainplay-app",
        "--bin",
        "brainplay-app",
    ]))?;
    let wasm = target_dir().join("wasm32-unknown-unknown/release/brainplay-app.wasm");
    cmd::run(
        program("twiggy")
            .args(["top", "-n", BREAKDOWN_ITEMS])
            .arg(&wasm),
    )
}

/// trunk, with npm binaryen's `wasm-opt` ahead of any other on PATH.
fn trunk() -> Result<Command> {
    let bin = binaryen_bin_dir();
    if !bin.join("wasm-opt").is_file() {
        return Err(format!(
            "{} is missing: run `cargo xtask ci-setup` to install the site's tools",
            bin.join("wasm-opt").display()
        ));
    }
    let mut command = program("trunk");
    command.env("PATH", path_with(&bin)?);
    Ok(command)
}

/// `/`-delimited on both sides, as trunk's `--public-url` and the site's links expect: `brainplay`,
/// `/brainplay` and `/brainplay/` are all `/brainplay/`. A full URL is left as it is.
fn normalize_base_path(base_path: &str) -> String {
    if base_path.contains("://") {
        return base_path.to_string();
    }
    let inner = base_path.trim_matches('/');
    if inner.is_empty() {
        "/".to_string()
    } else {
        format!("/{inner}/")
    }
}

/// One file of the first load.
pub struct Asset {
    /// Relative to `dist/`, with `/` separators.
    pub path: String,
    pub bytes: u64,
    /// At gzip level 9, as a static host would send it.
    pub gzip_bytes: u64,
}

/// What every page loads before the app runs: each `.wasm`, `.js` and `.css` file under `dist`
/// but the workers', sorted by path.
pub fn first_load(dist: &Path) -> Result<Vec<Asset>> {
    let mut assets = assets_under(dist, dist, CODE_EXTENSIONS)?;
    assets.retain(|asset| !WORKERS.iter().any(|(_, prefix)| is_worker(asset, prefix)));
    Ok(assets)
}

/// The files of the worker binary `prefix` (one of `WORKERS`).
pub fn worker_files(dist: &Path, prefix: &str) -> Result<Vec<Asset>> {
    let mut assets = assets_under(dist, dist, CODE_EXTENSIONS)?;
    assets.retain(|asset| is_worker(asset, prefix));
    Ok(assets)
}

fn is_worker(asset: &Asset, prefix: &str) -> bool {
    !asset.path.contains('/') && asset.path.starts_with(prefix)
}

/// The lesson files in `dist/lessons/`, which a lesson page fetches when it opens.
pub fn lesson_files(dist: &Path) -> Result<Vec<Asset>> {
    let mut assets = assets_under(dist, &dist.join("lessons"), &["bin"])?;
    // The data sets below it are counted apart (`data_files`).
    assets.retain(|asset| !asset.path.starts_with(&format!("{DATA_FOLDER}/")));
    Ok(assets)
}

/// What each lesson page downloads before its first plot, by lesson file: the first load, its
/// compute worker (the learning worker where its lesson file says `learning_worker = true`, the
/// GPU worker, in a browser with WebGPU, where it says `gpu_worker = true`) and its lesson file,
/// in gzipped bytes.
pub fn lesson_pages(dist: &Path) -> Result<Vec<(String, u64)>> {
    let first = total_gzip_bytes(&first_load(dist)?);
    let compute = total_gzip_bytes(&worker_files(dist, WORKER_PREFIX)?);
    let learning = total_gzip_bytes(&worker_files(dist, LEARN_WORKER_PREFIX)?);
    let gpu = total_gzip_bytes(&worker_files(dist, GPU_WORKER_PREFIX)?);
    lesson_files(dist)?
        .into_iter()
        .map(|lesson| {
            let worker = if lesson_says(&lesson.path, "learning_worker")? {
                learning
            } else if lesson_says(&lesson.path, "gpu_worker")? {
                gpu.max(compute)
            } else {
                compute
            };
            Ok((lesson.path, first + worker + lesson.gzip_bytes))
        })
        .collect()
}

/// Whether the source `lessons/NN-slug.toml` of the lesson shipped as `file`
/// (`lessons/NN-slug.bin`) sets the top-level flag `key = true` (flags the lesson tests hold to
/// the page's networks).
fn lesson_says(file: &str, key: &str) -> Result<bool> {
    let source = workspace_root().join(Path::new(file).with_extension("toml"));
    let text =
        fs::read_to_string(&source).map_err(|error| format!("{}: {error}", source.display()))?;
    Ok(text.lines().any(|line| {
        line.split_once('=')
            .is_some_and(|(k, value)| k.trim() == key && value.trim() == "true")
    }))
}

fn print_lesson_pages(pages: &[(String, u64)]) {
    println!(
        "
lesson pages until the first plot (first load + compute worker + lesson file), gzip -9"
    );
    for (file, bytes) in pages {
        println!("{file:<40}  {:>8.1} KB", *bytes as f64 / 1000.0);
    }
}

/// The data sets in `dist/lessons/data/`, which the worker fetches when a block that learns
/// from one first runs (never before a page's first plot).
pub fn data_files(dist: &Path) -> Result<Vec<Asset>> {
    assets_under(dist, &dist.join(DATA_FOLDER), &["bin"])
}

/// Where `lesson-data` writes the data sets (`brainplay_content::datasets::file`).
const DATA_FOLDER: &str = "lessons/data";

fn assets_under(root: &Path, dir: &Path, extensions: &[&str]) -> Result<Vec<Asset>> {
    let mut assets = Vec::new();
    for relative in files_below(dir)? {
        let counted = Path::new(&relative)
            .extension()
            .and_then(|extension| extension.to_str())
            .is_some_and(|extension| extensions.contains(&extension));
        if !counted {
            continue;
        }
        let path = dir.join(&relative);
        let bytes = fs::read(&path).map_err(|error| format!("{}: {error}", path.display()))?;
        let from_root = path.strip_prefix(root).unwrap_or(&path);
        assets.push(Asset {
            path: from_root.to_string_lossy().replace('\\', "/"),
            bytes: bytes.len() as u64,
            gzip_bytes: gzip_len(&bytes),
        });
    }
    Ok(assets)
}

/// Every file below `dir`, as paths relative to it with `/`, sorted.
pub fn files_below(dir: &Path) -> Result<Vec<String>> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result {
        let entries = fs::read_dir(dir).map_err(|error| format!("{}: {error}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|error| format!("{}: {error}", dir.display()))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            match path.is_dir() {
                true => walk(&path, &format!("{prefix}{name}/"), out)?,
                false => out.push(format!("{prefix}{name}")),
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(dir, "", &mut files)?;
    files.sort();
    Ok(files)
}

/// The first load's gzipped bytes: what a visitor downloads before the app runs.
pub fn total_gzip_bytes(assets: &[Asset]) -> u64 {
    assets.iter().map(|asset| asset.gzip_bytes).sum()
}

/// A table of `assets` headed `title`, with their total.
fn print_assets(title: &str, assets: &[Asset]) {
    let width = assets
        .iter()
        .map(|asset| asset.path.len())
        .chain([title.chars().count()])
        .max()
        .unwrap_or(0);
    println!("\n{:<width$}  {:>12}  {:>12}", title, "bytes", "gzip -9");
    for asset in assets {
        println!(
            "{:<width$}  {:>12}  {:>12}",
            asset.path, asset.bytes, asset.gzip_bytes
        );
    }
    let bytes: u64 = assets.iter().map(|asset| asset.bytes).sum();
    let gzip_bytes = total_gzip_bytes(assets);
    println!(
        "{:<width$}  {bytes:>12}  {gzip_bytes:>12}  ({:.1} KB gzipped)",
        "total",
        gzip_bytes as f64 / 1000.0
    );
}

fn gzip_len(bytes: &[u8]) -> u64 {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder
        .write_all(bytes)
        .expect("writing to a Vec cannot fail");
    let compressed = encoder.finish().expect("writing to a Vec cannot fail");
    compressed.len() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths_are_slash_delimited() {
        for (given, normalized) in [
            ("/", "/"),
            ("", "/"),
            ("brainplay", "/brainplay/"),
            ("/brainplay", "/brainplay/"),
            ("/brainplay/", "/brainplay/"),
            ("/a/b/", "/a/b/"),
            ("https://example.org/x/", "https://example.org/x/"),
        ] {
            assert_eq!(normalize_base_path(given), normalized, "{given:?}");
        }
    }

    #[test]
    fn first_load_counts_the_pages_wasm_js_and_css_at_any_depth_and_nothing_else() {
        let dist = target_dir().join("xtask-test-first-load");
        let _ = fs::remove_dir_all(&dist);
        fs::create_dir_all(dist.join("snippets/app")).unwrap();
        let script = "console.log('BrainPlay');\n".repeat(100);
        fs::write(dist.join("app.js"), &script).unwrap();
        fs::write(dist.join("app_bg.wasm"), [0u8; 4096]).unwrap();
        fs::write(dist.join("style.css"), "body { margin: 0 }").unwrap();
        fs::write(dist.join("snippets/app/inline0.js"), "export {}").unwrap();
        fs::write(dist.join("worker_bg.wasm"), [0u8; 64]).unwrap();
        fs::write(dist.join("worker.js"), "export {}").unwrap();
        fs::write(dist.join("export-worker_bg.wasm"), [0u8; 64]).unwrap();
        fs::write(dist.join("learn-worker_bg.wasm"), [0u8; 64]).unwrap();
        fs::write(dist.join("index.html"), "<!DOCTYPE html>").unwrap();
        fs::write(dist.join("favicon.png"), [1u8; 64]).unwrap();

        let assets = first_load(&dist).unwrap();
        let paths: Vec<&str> = assets.iter().map(|asset| asset.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "app.js",
                "app_bg.wasm",
                "snippets/app/inline0.js",
                "style.css"
            ]
        );
        assert_eq!(assets[0].bytes, script.len() as u64);
        assert!(assets[0].gzip_bytes < assets[0].bytes / 10);
        assert_eq!(
            total_gzip_bytes(&assets),
            assets.iter().map(|asset| asset.gzip_bytes).sum::<u64>()
        );
        let worker: Vec<String> = worker_files(&dist, WORKER_PREFIX)
            .unwrap()
            .into_iter()
            .map(|asset| asset.path)
            .collect();
        assert_eq!(worker, ["worker.js", "worker_bg.wasm"]);
        let export: Vec<String> = worker_files(&dist, EXPORT_WORKER_PREFIX)
            .unwrap()
            .into_iter()
            .map(|asset| asset.path)
            .collect();
        assert_eq!(export, ["export-worker_bg.wasm"]);
        let learn: Vec<String> = worker_files(&dist, LEARN_WORKER_PREFIX)
            .unwrap()
            .into_iter()
            .map(|asset| asset.path)
            .collect();
        assert_eq!(learn, ["learn-worker_bg.wasm"]);
        fs::remove_dir_all(&dist).unwrap();
    }
}
