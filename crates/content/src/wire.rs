//! Messages between the page and its compute workers (postcard over `Uint8Array`). A worker is
//! given each lesson's text once; requests then name a block of it and carry the block's
//! setting, and replies carry what the page draws (`crate::figure`), an exercise's verdict, or
//! what the page needs to know of a model or an input text.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::check::Verdict;
use crate::figure::Figures;
use crate::link::Notice;
use crate::model_info::{ModelInfo, ModelProblem};
use crate::setting::Setting;
use crate::text::{Lang, Text};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Lesson `page` (`NN-slug`) as the site ships it (`Lesson::data_of`), which later requests
    /// refer to.
    Lesson {
        page: String,
        data: Vec<u8>,
    },
    /// The lesson `page` (sent before as `Lesson`) opened with the share link's `query`: its
    /// widgets' settings.
    Open {
        job: u64,
        page: String,
        query: String,
    },
    /// The figures of block `block` of lesson `page` for `setting`.
    Figures {
        job: u64,
        page: String,
        block: String,
        setting: Setting,
    },
    /// The check of exercise `exercise` of lesson `page`, simulating `setting`.
    Check {
        job: u64,
        page: String,
        exercise: String,
        setting: Setting,
    },
    /// Block `block` of lesson `page` as a BrainPy script, for `setting`.
    Export {
        job: u64,
        page: String,
        block: String,
        setting: Setting,
    },
    /// A model text the learner typed.
    /// The share link's query for the page's current settings (by widget id).
    Link {
        job: u64,
        page: String,
        settings: BTreeMap<String, Setting>,
        lang: Lang,
    },
    Describe {
        job: u64,
        text: String,
    },
    /// An input protocol the learner typed.
    CheckInput {
        job: u64,
        text: String,
    },
    /// One of the in-page benchmarks (`bench_*`), by name.
    Bench {
        job: u64,
        name: String,
    },
}

/// A lesson page's start: every widget's setting (defaults with the link's changes), what could
/// not be used of the link, and the models the widgets show (by id; a widget whose link brought
/// edited equations has its edit under the widget's id in `edited`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Opened {
    pub settings: BTreeMap<String, Setting>,
    pub notices: Vec<Notice>,
    pub models: BTreeMap<String, ModelInfo>,
    pub edited: BTreeMap<String, ModelInfo>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// The worker has loaded and listens: messages posted before this are lost.
    Ready,
    Opened {
        job: u64,
        opened: Box<Opened>,
    },
    /// A long computation under way: how far it is, and for a network the figures of what
    /// has been simulated so far.
    Progress {
        job: u64,
        fraction: f64,
        partial: Option<Box<Figures>>,
    },
    Figures {
        job: u64,
        figures: Box<Figures>,
    },
    Verdict {
        job: u64,
        verdict: Verdict,
    },
    Described {
        job: u64,
        model: Result<Box<ModelInfo>, ModelProblem>,
    },
    /// `Err`: the parser's message with a caret under the problem.
    InputChecked {
        job: u64,
        input: Result<(), Text>,
    },
    Measured {
        job: u64,
        ms: f64,
    },
    /// A BrainPy script (`Request::Export`).
    Exported {
        job: u64,
        script: String,
    },
    Linked {
        job: u64,
        query: String,
    },
    Failed {
        job: u64,
        message: Text,
    },
}

pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    postcard::to_allocvec(value).unwrap_or_default()
}

pub fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Option<T> {
    postcard::from_bytes(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Bench;
    use crate::figure::{Issues, RunFigures, Series};

    fn check<T>(message: T)
    where
        T: Serialize + for<'de> Deserialize<'de> + PartialEq + std::fmt::Debug,
    {
        assert_eq!(decode::<T>(&encode(&message)), Some(message));
    }

    #[test]
    fn messages_survive_the_wire() {
        let setting = Setting {
            source: Some("model x".into()),
            params: [("I".to_string(), vec![1.0, 2.0])].into(),
            input: Some("constant(5)".into()),
            method: Some("rk4".into()),
            starts: vec![[0.5, -1.0]],
            bench: Some(Box::new(Bench {
                post: "lif".into(),
                post_params: [("V_rest".to_string(), vec![-60.0])].into(),
                post_init: Default::default(),
                post_input: Some("constant(1)".into()),
                pre: None,
                pre_params: Default::default(),
                pre_init: Default::default(),
                delay_steps: 1,
                conductance_delay_steps: 2,
            })),
            ..Setting::of_model("hh")
        };
        check(Request::Figures {
            job: 7,
            page: "03-hodgkin-huxley".into(),
            block: "ap".into(),
            setting: setting.clone(),
        });
        check(Reply::Opened {
            job: 1,
            opened: Box::new(Opened {
                settings: [("ap".to_string(), setting.clone())].into(),
                notices: vec![Notice::new("ap.x", "no".into(), "不".into())],
                models: [("hh".to_string(), ModelInfo::default())].into(),
                edited: BTreeMap::new(),
            }),
        });
        check(Reply::Figures {
            job: 7,
            figures: Box::new(Figures::Run(RunFigures {
                t_ms: vec![0.0, 0.1],
                plots: vec![vec![Series {
                    name: "V".into(),
                    values: vec![-65.0, f64::INFINITY],
                }]],
                spike_times_ms: vec![vec![]],
                patterns: vec!["tonic".into()],
                issues: Issues::failed(Text::new("V became inf", "V 变成了 inf")),
            })),
        });
        check(Request::Link {
            job: 8,
            page: "03-hodgkin-huxley".into(),
            settings: [("ap".to_string(), setting)].into(),
            lang: crate::text::Lang::Zh,
        });
        check(Reply::Linked {
            job: 8,
            query: "ap.I=7&lang=zh".into(),
        });
        check(Request::Export {
            job: 10,
            page: "03-hodgkin-huxley".into(),
            block: "ap".into(),
            setting: Setting::of_model("hh"),
        });
        check(Reply::Exported {
            job: 10,
            script: "import brainpy as bp\n".into(),
        });
        check(Reply::Verdict {
            job: 8,
            verdict: Verdict {
                correct: false,
                feedback: Text::new("no", "不"),
            },
        });
        check(Reply::Described {
            job: 9,
            model: Err(ModelProblem {
                message: Text::new("expected an expression", "这里应为一个表达式"),
                line: 2,
                column: 9,
            }),
        });
        assert_eq!(decode::<Reply>(&[200, 2, 3]), None);
    }
}
