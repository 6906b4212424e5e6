//! Writes every lesson file in the binary form the site fetches (`lessons/NN-slug.bin`, see
//! `Lesson::data_of`). Trunk runs it after each build (a hook in `Trunk.toml`), with the folder
//! being built in `TRUNK_STAGING_DIR`; `lesson-data DIR` writes into `DIR/lessons` instead. The
//! data sets lessons learn from go beside them, one file each (`datasets::file`).

use std::path::PathBuf;
use std::process::ExitCode;

use brainplay_content::content::Lesson;
use brainplay_content::datasets;
use brainplay_content::registry::{CATALOG, SOURCES};

fn main() -> ExitCode {
    let root = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("TRUNK_STAGING_DIR").ok());
    let Some(root) = root else {
        eprintln!("usage: lesson-data DIR (or run by trunk, which sets TRUNK_STAGING_DIR)");
        return ExitCode::FAILURE;
    };
    let root = PathBuf::from(root);
    let folder = root.join("lessons");
    if let Err(error) = std::fs::create_dir_all(folder.join("data")) {
        eprintln!("lesson-data: cannot create {}: {error}", folder.display());
        return ExitCode::FAILURE;
    }
    for name in datasets::NAMES {
        let target = root.join(datasets::file(name));
        let bytes = datasets::bytes(name).expect("every listed data set has bytes");
        if let Err(error) = std::fs::write(&target, bytes) {
            eprintln!("lesson-data: {}: {error}", target.display());
            return ExitCode::FAILURE;
        }
    }
    for (entry, (_, source)) in CATALOG.iter().zip(SOURCES) {
        let target = folder.join(entry.data_file());
        let written = Lesson::data_of(source)
            .map_err(|error| format!("lessons/{}: {error}", entry.file))
            .and_then(|data| {
                std::fs::write(&target, data)
                    .map_err(|error| format!("{}: {error}", target.display()))
            });
        if let Err(message) = written {
            eprintln!("lesson-data: {message}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
