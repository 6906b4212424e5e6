//! BrainPlay's lessons with what needs the simulation core: cross-checks of the lesson files
//! against it (`validate`), runs of widget settings and the measures exercises test (`setting`,
//! `run`, `measure`), every widget's figures (`figures`), exercise checks by simulation
//! (`check`), and reading share links against the models (`state`). The content as data lives
//! in `brainplay-content` and is re-exported here under the same names.
//!
//! No web dependency: the compute worker and the CLI use the same code, and it builds for
//! `wasm32-unknown-unknown`.

pub use brainplay_content::{
    checkpoint, content, figure, link_text, markdown, math, model_info, percent, registry, text,
    wire,
};

pub mod check;
pub mod describe;
pub mod export;
pub mod figures;
pub mod measure;
pub mod run;
pub mod setting;
pub mod state;
pub mod validate;

pub use check::{check, reference_answer, wrong_answer, Answer, Verdict};
pub use content::{
    Block, ContentError, Derive, Exercise, FiCurve, Lesson, Plot, Simulator, Task, Widget,
};
pub use measure::{run_measure, Measure, MeasureError};
pub use model_info::ModelInfo;
pub use run::Run;
pub use setting::{Runnable, Setting};
pub use state::{parse_with_lesson, Notice, PageState, WidgetState};
pub use text::{Lang, Text};
pub use validate::validate;

/// A message of the core as the page's bilingual text.
pub fn bilingual(message: brainplay_sim::Message) -> Text {
    Text::new(message.en, message.zh)
}
