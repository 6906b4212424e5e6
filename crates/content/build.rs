//! Reads `lessons/*.toml` and writes two tables into `OUT_DIR/catalog.rs`:
//! - `CATALOG`: what the course map needs of each lesson (number, slug, file, titles, summaries,
//!   exercise count), small enough for the site's first load;
//! - `SOURCES`: the files' texts, for the CLI, the tests and `lesson-data` (which writes the
//!   JSON the site ships). The site never names `SOURCES`, so the linker leaves the lesson texts
//!   out of its wasm and the pages fetch them when opened.
//!
//! It also writes `lesson_format.rs`, the hash that names the lesson types' layout.
//!
//! The file name is the lesson's identity (`NN-slug.toml`); a file whose `number` or `slug`
//! disagree with its name stops the build, as does one that is not TOML.

use std::fmt::Write;
use std::path::{Path, PathBuf};

/// The crate's folder, as cargo tells the build script when it runs (`env!` would fix the path
/// the script was compiled in, wrong for a build script reused from a shared target folder).
fn manifest_dir() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
}

/// The files that define the lesson types: the binary lesson data the site ships is read with
/// the layout they give, so their hash names the layout (`content::LESSON_FORMAT`).
const LESSON_TYPES: [&str; 3] = ["src/content.rs", "src/text.rs", "src/measure.rs"];

/// FNV-1a over the lesson types' files (stable across builds and platforms).
fn lesson_format() -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in LESSON_TYPES {
        println!("cargo:rerun-if-changed={file}");
        let text =
            std::fs::read(manifest_dir().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        for byte in text {
            hash = (hash ^ byte as u64).wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

fn main() {
    let dir = manifest_dir().join("../../lessons");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a folder entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();

    let mut catalog = String::new();
    let mut sources = String::new();
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let table: toml::Table = text
            .parse()
            .unwrap_or_else(|e| panic!("lessons/{name} is not TOML: {e}"));
        let number = table.get("number").and_then(toml::Value::as_integer);
        let slug = table.get("slug").and_then(toml::Value::as_str);
        let (Some(number), Some(slug)) = (number, slug) else {
            panic!("lessons/{name}: needs `number` and `slug`");
        };
        assert_eq!(
            name,
            format!("{number:02}-{slug}.toml"),
            "lessons/{name}: the file name must be `NN-slug.toml` from its `number` and `slug`"
        );
        let text_of = |key: &str, lang: &str| -> String {
            table
                .get(key)
                .and_then(|t| t.get(lang))
                .and_then(toml::Value::as_str)
                .unwrap_or_else(|| panic!("lessons/{name}: needs `{key}.{lang}`"))
                .to_string()
        };
        let exercises = table
            .get("blocks")
            .and_then(toml::Value::as_array)
            .map_or(0, |blocks| {
                blocks
                    .iter()
                    .filter(|b| b.get("kind").and_then(toml::Value::as_str) == Some("exercise"))
                    .count()
            });
        writeln!(
            catalog,
            "    CatalogEntry {{ number: {number}, slug: {slug:?}, file: {name:?}, \
             title: [{:?}, {:?}], summary: [{:?}, {:?}], exercises: {exercises} }},",
            text_of("title", "en"),
            text_of("title", "zh"),
            text_of("summary", "en"),
            text_of("summary", "zh"),
        )
        .unwrap();
        let absolute = path.canonicalize().unwrap();
        writeln!(
            sources,
            "    ({number}, include_str!({:?})),",
            absolute.display().to_string()
        )
        .unwrap();
    }
    let n = files.len();
    let out = format!(
        "/// Every lesson file, in course order.\n\
         pub const CATALOG: [CatalogEntry; {n}] = [\n{catalog}];\n\n\
         /// (number, text) of every lesson file, in course order.\n\
         pub const SOURCES: [(u32, &str); {n}] = [\n{sources}];\n"
    );
    let out_dir = std::env::var("OUT_DIR").unwrap();
    std::fs::write(Path::new(&out_dir).join("catalog.rs"), out).expect("write catalog.rs");
    std::fs::write(
        Path::new(&out_dir).join("lesson_format.rs"),
        format!("{:#x}", lesson_format()),
    )
    .expect("write lesson_format.rs");
}
