//! Messages between the page and the simulation worker (bincode over `Uint8Array`): a run
//! request with the model's text (library or edited) and the widget's setting, and the worker's
//! progress and results. Shared by both binaries of this crate.

use std::collections::BTreeMap;

use brainplay_lessons::content::Bench;
use brainplay_lessons::Setting;
use brainplay_sim::{Method, NonFinite, Output};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRequest {
    /// Identifies the run; replies carry it so stale ones can be dropped.
    pub run: u64,
    /// The model in the model language (the library's text, or the learner's edit).
    pub model_source: String,
    /// (id, text) of the other models a synapse bench uses (its neurons), so that the worker
    /// needs no library of its own.
    pub other_models: Vec<(String, String)>,
    pub setting: WireSetting,
    pub record: Vec<String>,
}

/// `Setting` in a serialisable form (the method by name).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WireSetting {
    pub model: String,
    pub params: BTreeMap<String, Vec<f64>>,
    pub init: BTreeMap<String, Vec<f64>>,
    pub input: Option<String>,
    pub method: Option<String>,
    pub dt_ms: f64,
    pub duration_ms: f64,
    pub seed: u64,
    pub bench: Option<WireBench>,
}

/// `Bench` in a serialisable form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WireBench {
    pub post: String,
    pub post_params: BTreeMap<String, Vec<f64>>,
    pub post_init: BTreeMap<String, Vec<f64>>,
    pub post_input: Option<String>,
    pub pre: Option<String>,
    pub pre_params: BTreeMap<String, Vec<f64>>,
    pub pre_init: BTreeMap<String, Vec<f64>>,
    pub delay_steps: usize,
    pub conductance_delay_steps: usize,
}

impl From<&Bench> for WireBench {
    fn from(b: &Bench) -> Self {
        WireBench {
            post: b.post.clone(),
            post_params: b.post_params.clone(),
            post_init: b.post_init.clone(),
            post_input: b.post_input.clone(),
            pre: b.pre.clone(),
            pre_params: b.pre_params.clone(),
            pre_init: b.pre_init.clone(),
            delay_steps: b.delay_steps,
            conductance_delay_steps: b.conductance_delay_steps,
        }
    }
}

impl From<&WireBench> for Bench {
    fn from(b: &WireBench) -> Self {
        Bench {
            post: b.post.clone(),
            post_params: b.post_params.clone(),
            post_init: b.post_init.clone(),
            post_input: b.post_input.clone(),
            pre: b.pre.clone(),
            pre_params: b.pre_params.clone(),
            pre_init: b.pre_init.clone(),
            delay_steps: b.delay_steps,
            conductance_delay_steps: b.conductance_delay_steps,
        }
    }
}

impl From<&Setting> for WireSetting {
    fn from(s: &Setting) -> Self {
        WireSetting {
            model: s.model.clone(),
            params: s.params.clone(),
            init: s.init.clone(),
            input: s.input.clone(),
            method: s.method.map(|m| m.name().to_string()),
            dt_ms: s.dt_ms,
            duration_ms: s.duration_ms,
            seed: s.seed,
            bench: s.bench.as_deref().map(WireBench::from),
        }
    }
}

impl WireSetting {
    pub fn to_setting(&self) -> Setting {
        Setting {
            model: self.model.clone(),
            params: self.params.clone(),
            init: self.init.clone(),
            input: self.input.clone(),
            method: self.method.as_deref().and_then(Method::from_name),
            dt_ms: self.dt_ms,
            duration_ms: self.duration_ms,
            seed: self.seed,
            bench: self.bench.as_ref().map(|b| Box::new(Bench::from(b))),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// The worker has loaded and listens: messages posted before this are lost.
    Ready,
    Progress {
        run: u64,
        fraction: f64,
    },
    Done {
        run: u64,
        output: WireOutput,
    },
    Failed {
        run: u64,
        message: String,
    },
}

/// `Output` in a serialisable form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WireOutput {
    pub steps: usize,
    pub t_ms: Vec<f64>,
    pub names: Vec<String>,
    pub traces: Vec<Vec<Vec<f64>>>,
    pub spike_times_ms: Vec<Vec<f64>>,
    pub warnings: Vec<String>,
    /// variable, neuron, t_ms, value
    pub error: Option<(String, usize, f64, f64)>,
}

impl From<Output> for WireOutput {
    fn from(o: Output) -> Self {
        WireOutput {
            steps: o.steps,
            t_ms: o.t_ms,
            names: o.names,
            traces: o.traces,
            spike_times_ms: o.spike_times_ms,
            warnings: o.warnings,
            error: o.error.map(|e| (e.variable, e.neuron, e.t_ms, e.value)),
        }
    }
}

impl From<WireOutput> for Output {
    fn from(w: WireOutput) -> Self {
        Output {
            steps: w.steps,
            t_ms: w.t_ms,
            names: w.names,
            traces: w.traces,
            spike_times_ms: w.spike_times_ms,
            warnings: w.warnings,
            error: w.error.map(|(variable, neuron, t_ms, value)| NonFinite {
                variable,
                neuron,
                t_ms,
                value,
            }),
        }
    }
}

pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    bincode::serialize(value).unwrap_or_default()
}

pub fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Option<T> {
    bincode::deserialize(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_survive_the_wire() {
        let request = RunRequest {
            run: 7,
            model_source: "model x".into(),
            other_models: vec![("lif".into(), "model lif".into())],
            setting: WireSetting {
                model: "hh".into(),
                params: [("I".to_string(), vec![1.0, 2.0])].into(),
                init: BTreeMap::new(),
                input: Some("constant(5)".into()),
                method: Some("rk4".into()),
                dt_ms: 0.01,
                duration_ms: 50.0,
                seed: 3,
                bench: Some(WireBench {
                    post: "lif".into(),
                    post_params: [("V_rest".to_string(), vec![-60.0])].into(),
                    post_init: BTreeMap::new(),
                    post_input: Some("constant(1)".into()),
                    pre: None,
                    pre_params: BTreeMap::new(),
                    pre_init: BTreeMap::new(),
                    delay_steps: 1,
                    conductance_delay_steps: 2,
                }),
            },
            record: vec!["V".into()],
        };
        assert_eq!(
            decode::<RunRequest>(&encode(&request)),
            Some(request.clone())
        );
        assert_eq!(
            WireSetting::from(&request.setting.to_setting()),
            request.setting
        );
        let reply = Reply::Done {
            run: 7,
            output: WireOutput {
                steps: 2,
                t_ms: vec![0.0, 0.1],
                names: vec!["V".into()],
                traces: vec![vec![vec![-65.0, -64.0]]],
                spike_times_ms: vec![vec![]],
                warnings: vec![],
                error: Some(("V".into(), 0, 0.1, f64::INFINITY)),
            },
        };
        assert_eq!(decode::<Reply>(&encode(&reply)), Some(reply));
        assert_eq!(decode::<Reply>(&[1, 2, 3]), None);
    }
}
