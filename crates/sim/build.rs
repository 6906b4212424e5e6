//! Copies the built-in model files (`models/`, `synapses/`, `rate_models/`) into `OUT_DIR`
//! without their leading comment block, which `library.rs` compiles in.
//!
//! A file's header documents the model for whoever maintains it (sources, the course's
//! notebook, where each value comes from); the program only needs the model itself. The header
//! is more than half of the library's text, and every byte of the library is downloaded with the
//! site's compute worker; the equation editor shows the model from its first statement on.

use std::path::PathBuf;

const FOLDERS: [&str; 3] = ["models", "synapses", "rate_models"];

/// `text` from its first line that is neither a comment nor blank.
fn without_header(text: &str) -> &str {
    let mut rest = text;
    while let Some(line) = rest.lines().next() {
        let trimmed = line.trim();
        if !(trimmed.is_empty() || trimmed.starts_with('#')) {
            break;
        }
        rest = rest[line.len()..].strip_prefix('\n').unwrap_or("");
    }
    rest
}

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    for folder in FOLDERS {
        let from = manifest.join(folder);
        println!("cargo:rerun-if-changed={}", from.display());
        let to = out.join(folder);
        std::fs::create_dir_all(&to).expect("create the output folder");
        for entry in std::fs::read_dir(&from).expect("read a model folder") {
            let path = entry.expect("a folder entry").path();
            if path.extension().is_none_or(|e| e != "model") {
                continue;
            }
            println!("cargo:rerun-if-changed={}", path.display());
            let text = std::fs::read_to_string(&path).expect("read a model file");
            let name = path.file_name().expect("a file name");
            std::fs::write(to.join(name), without_header(&text)).expect("write a model file");
        }
    }
}
