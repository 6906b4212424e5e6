//! BrainPlay's lesson content as data, with no simulation in it: the lesson format (`content`,
//! specified in `docs/lesson-format.md`) and the lessons' catalog (`registry`), bilingual text
//! and Markdown, widget settings (`setting`), writing share links (`link`), the data every figure
//! is drawn from (`figure`), measures by name, exercise checks that need no run (`check`), what
//! the page is told of a model (`model_info`) and the messages between the page and its compute
//! worker (`wire`).
//!
//! The site's page links this crate and not the simulation core; `brainplay-lessons` adds what
//! needs a run (validation, runs, figures, checks by simulation, reading share links).

pub mod check;
pub mod checkpoint;
pub mod content;
pub mod datasets;
pub mod figure;
pub mod input_args;
pub mod link;
pub mod link_text;
pub mod markdown;
pub mod math;
pub mod measure;
pub mod model_info;
pub mod percent;
pub mod registry;
pub mod setting;
pub mod text;
pub mod wire;

pub use check::{Answer, Verdict};
pub use content::{Block, Exercise, Lesson, Task, Widget};
pub use setting::Setting;
pub use text::{Lang, Text};
