//! Messages between the page and its compute workers (postcard over `Uint8Array`). A worker is
//! given each lesson's text once; requests then name a block of it and carry the block's
//! setting, and replies carry what the page draws (`brainplay_lessons::figure`) or an exercise's
//! verdict. Shared by both binaries of this crate.

use brainplay_lessons::figure::Figures;
use brainplay_lessons::{Setting, Verdict};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// The text of the lesson file `page` (`NN-slug`), which later requests refer to.
    Lesson { page: String, text: String },
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
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// The worker has loaded and listens: messages posted before this are lost.
    Ready,
    Progress {
        job: u64,
        fraction: f64,
    },
    Figures {
        job: u64,
        figures: Box<Figures>,
    },
    Verdict {
        job: u64,
        verdict: Verdict,
    },
    Failed {
        job: u64,
        message: String,
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
    use brainplay_lessons::content::Bench;
    use brainplay_lessons::figure::{Issues, RunFigures, Series};
    use brainplay_lessons::Text;
    use brainplay_sim::Method;

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
            method: Some(Method::Rk4),
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
        check(Request::Check {
            job: 8,
            page: "03-hodgkin-huxley".into(),
            exercise: "q".into(),
            setting,
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
                issues: Issues::failed("V became inf"),
            })),
        });
        check(Reply::Verdict {
            job: 8,
            verdict: Verdict {
                correct: false,
                feedback: Text::new("no", "不"),
            },
        });
        assert_eq!(decode::<Reply>(&[200, 2, 3]), None);
    }
}
