//! BrainPlay's lessons: the lesson files of `lessons/` compiled in (`registry`), their format
//! (`content`, specified in `docs/lesson-format.md`) and its cross-checks against the simulation
//! core (`validate`), widget settings, their runs and the measures exercises test (`setting`,
//! `run`, `measure`),
//! exercise checks with bilingual feedback (`check`), and share-link state (`state`).
//!
//! No web dependency: the site and the CLI use the same code, and it builds for
//! `wasm32-unknown-unknown`.

pub mod check;
pub mod content;
pub mod figure;
pub mod figures;
mod link_text;
pub mod markdown;
pub mod measure;
mod percent;
pub mod registry;
pub mod run;
pub mod setting;
pub mod state;
pub mod text;
pub mod validate;

pub use check::{check, reference_answer, wrong_answer, Answer, Verdict};
pub use content::{
    Block, ContentError, Derive, Exercise, FiCurve, Lesson, Plot, Simulator, Task, Widget,
};
pub use measure::{run_measure, Measure, MeasureError};
pub use run::Run;
pub use setting::Setting;
pub use state::{parse_with_lesson, Notice, PageState, WidgetState};
pub use text::{Lang, Text};
pub use validate::validate;
