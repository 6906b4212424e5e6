//! Fills in the service worker (`web/sw.js`) of a built site: the list of its files, which the
//! worker caches when it installs, and a version named by their contents, so that each build
//! gets a cache of its own.

use sha2::{Digest, Sha256};
use std::fs;
use std::path::Path;

/// Files of the build the service worker does not cache: itself, and the host's 404 page (both at
/// the top of the build).
const NOT_CACHED: [&str; 2] = ["sw.js", "404.html"];

/// Writes the file list and the version into `dist/sw.js`.
pub fn fill_in_service_worker(dist: &Path) -> Result<(), String> {
    let list: Vec<String> = crate::site::files_below(dist)?
        .into_iter()
        .filter(|file| !NOT_CACHED.contains(&file.as_str()))
        .collect();
    let mut hash = Sha256::new();
    for file in &list {
        hash.update(file.as_bytes());
        hash.update(fs::read(dist.join(file)).map_err(|e| format!("{file}: {e}"))?);
    }
    let version: String = hash.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let quoted: Vec<String> = list.iter().map(|f| format!("\"{f}\"")).collect();
    let path = dist.join("sw.js");
    let script = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    if !script.contains("__BRAINPLAY_FILES__") {
        return Err(format!("{} has no file list to fill in", path.display()));
    }
    let script = script
        .replace("__BRAINPLAY_VERSION__", &version)
        .replace("__BRAINPLAY_FILES__", &format!("[{}]", quoted.join(", ")));
    fs::write(&path, script).map_err(|e| format!("{}: {e}", path.display()))
}
