//! `brainplay export --state LINK [--widget ID] [--out FILE.py]`: a lesson widget's setting as
//! a runnable BrainPy 2.4 script, the page's "BrainPy code" button on the command line
//! (`brainplay_lessons::export`).

use std::fmt::Write as _;
use std::io::Write as _;

use brainplay_lessons::export::script;

use crate::failure::Failure;
use crate::state::block_setting;
use crate::{write, ExportArgs};

pub fn export(a: &ExportArgs, out: &mut String) -> Result<(), Failure> {
    let (lesson, block, setting) = block_setting(&a.state, a.widget.as_deref())?;
    let text = script(lesson, block, &setting).map_err(Failure::usage)?;
    match &a.out {
        Some(path) => {
            let mut file = write::create(path)?;
            file.write_all(text.as_bytes())
                .and_then(|()| file.flush())
                .map_err(|e| Failure::usage(format!("writing {}: {e}", path.display())))?;
            let _ = writeln!(out, "wrote {}", path.display());
        }
        None => out.push_str(&text),
    }
    Ok(())
}
