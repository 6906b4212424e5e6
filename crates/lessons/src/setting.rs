//! A widget's concrete configuration: what a simulator or f–I block runs with once the learner's
//! sliders, a share link or an exercise's solution have been applied to the block's defaults.

use std::collections::BTreeMap;

use brainplay_sim::input::InputSpec;
use brainplay_sim::population::{self, List};
use brainplay_sim::{library, parse_model, Method, Model, Setup};
use serde::{Deserialize, Serialize};

use crate::content::{Bench, FiCurve, PhaseLine, PhasePlane, Simulator, Widget};

const PHASE_LINE_DT_MS: f64 = 0.1;
/// A phase plane's trajectories at most: the lesson's own and the latest clicks.
pub const MAX_STARTS: usize = 4;
const PHASE_LINE_RUN_MS: f64 = 100.0;

/// Everything a run of one widget needs besides what to record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Setting {
    /// A built-in model id.
    pub model: String,
    /// The learner's edit of the model's text, which runs instead of the built-in model.
    pub source: Option<String>,
    /// Parameter overrides on top of the model's defaults: one value, or one per neuron.
    pub params: BTreeMap<String, Vec<f64>>,
    /// Initial-state overrides, likewise.
    pub init: BTreeMap<String, Vec<f64>>,
    /// An input protocol in `brainplay_sim::input` syntax.
    pub input: Option<String>,
    /// `None`: the model's own method.
    #[serde(with = "method_name")]
    pub method: Option<Method>,
    pub dt_ms: f64,
    pub duration_ms: f64,
    pub seed: u64,
    /// `model` is a synapse on this test bench.
    pub bench: Option<Box<Bench>>,
    /// A phase plane's trajectory start points (x, y): the lesson's own, then the learner's
    /// clicks.
    pub starts: Vec<[f64; 2]>,
}

/// A method travels by its name, as lesson files and share links write it.
mod method_name {
    use brainplay_sim::Method;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(method: &Option<Method>, s: S) -> Result<S::Ok, S::Error> {
        method.map(Method::name).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Method>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|name| {
                Method::from_name(&name)
                    .ok_or_else(|| serde::de::Error::custom(format!("unknown method `{name}`")))
            })
            .transpose()
    }
}

impl Setting {
    /// `model` with its own defaults: no overrides or input, dt 0.1 ms for 100 ms.
    pub fn of_model(model: &str) -> Setting {
        Setting {
            model: model.to_string(),
            source: None,
            params: BTreeMap::new(),
            init: BTreeMap::new(),
            input: None,
            method: None,
            dt_ms: 0.1,
            duration_ms: 100.0,
            seed: 0,
            bench: None,
            starts: Vec::new(),
        }
    }

    /// A simulator block's default setting.
    pub fn from_block(sim: &Simulator) -> Setting {
        Setting {
            model: sim.model.clone(),
            source: None,
            params: sim.params.clone(),
            init: sim.init.clone(),
            input: sim.input.clone(),
            method: sim.method,
            dt_ms: sim.dt_ms,
            duration_ms: sim.duration_ms,
            seed: sim.seed,
            bench: sim.bench.clone().map(Box::new),
            starts: Vec::new(),
        }
    }

    /// An f–I block's default setting: one neuron per swept value, so that each neuron's rate
    /// is one point of the curve.
    pub fn from_fi_curve(fi: &FiCurve) -> Setting {
        Setting {
            params: BTreeMap::from([(fi.param.clone(), fi.values())]),
            dt_ms: fi.dt_ms,
            duration_ms: fi.duration_ms,
            ..Setting::of_model(&fi.model)
        }
    }

    /// A phase plane's parameters; its trajectories run for `trajectory_ms`.
    pub fn from_phase_plane(plane: &PhasePlane) -> Setting {
        Setting {
            params: plane.params.clone(),
            dt_ms: plane.dt_ms,
            duration_ms: plane.trajectory_ms,
            starts: plane.start.into_iter().collect(),
            ..Setting::of_model(&plane.model)
        }
    }

    /// A phase line's parameters. It draws no run; the CLI's `--state` runs the model from its
    /// initial state for this long.
    pub fn from_phase_line(line: &PhaseLine) -> Setting {
        Setting {
            params: line.params.clone(),
            dt_ms: PHASE_LINE_DT_MS,
            duration_ms: PHASE_LINE_RUN_MS,
            ..Setting::of_model(&line.model)
        }
    }

    pub fn from_widget(widget: Widget) -> Setting {
        match widget {
            Widget::Simulator(s) => Setting::from_block(s),
            Widget::FiCurve(f) => Setting::from_fi_curve(f),
            Widget::PhasePlane(p) => Setting::from_phase_plane(p),
            Widget::PhaseLine(l) => Setting::from_phase_line(l),
        }
    }

    /// This setting with some parameters replaced, as an exercise's solution does.
    pub fn with_params(&self, overrides: &BTreeMap<String, Vec<f64>>) -> Setting {
        let mut setting = self.clone();
        for (name, values) in overrides {
            setting.params.insert(name.clone(), values.clone());
        }
        setting
    }

    /// The parsed input protocol; the error names the problem and where it is.
    pub fn input_spec(&self) -> Result<Option<InputSpec>, String> {
        self.input
            .as_deref()
            .map(|text| {
                InputSpec::parse(text).map_err(|e| format!("input `{text}`: {}", e.message))
            })
            .transpose()
    }

    /// The population size: the longest per-neuron list among the parameters, initial states
    /// and input arguments (1 if there is none). Every other list must have one value or as
    /// many.
    pub fn neurons(&self) -> Result<usize, String> {
        self.neurons_with(self.input_spec()?.as_ref())
    }

    fn neurons_with(&self, input: Option<&InputSpec>) -> Result<usize, String> {
        let lists = |map: &BTreeMap<String, Vec<f64>>, what: &str| -> Vec<List> {
            map.iter()
                .map(|(k, v)| List {
                    label: format!("{what}`{k}`"),
                    len: v.len(),
                })
                .collect()
        };
        let mut all = lists(&self.params, "");
        all.extend(lists(&self.init, "initial "));
        if let Some(spec) = input {
            all.extend(population::input_lists(spec, "input"));
        }
        population::size(None, &all)
    }

    /// The model this setting runs: the learner's edit if there is one, else the built-in model.
    pub fn model(&self) -> Result<Model, String> {
        if let Some(source) = &self.source {
            return parse_model(source).map_err(|e| format!("the edited model: {e}"));
        }
        library::get(&self.model).ok_or_else(|| {
            let ids: Vec<_> = library::ids().collect();
            format!(
                "unknown model `{}`; built-in models are {}",
                self.model,
                ids.join(", ")
            )
        })
    }

    /// The model and the `brainplay_sim` setup of a run that records `record`.
    pub fn setup(&self, record: &[String]) -> Result<(Model, Setup), String> {
        Ok((self.model()?, self.population_setup(record)?))
    }

    /// The setup of this setting's population (not a bench), recording `record`.
    pub(crate) fn population_setup(&self, record: &[String]) -> Result<Setup, String> {
        let input = self.input_spec()?;
        let n = self.neurons_with(input.as_ref())?;
        Ok(Setup {
            n,
            dt_ms: self.dt_ms,
            method: self.method,
            params: pairs(&self.params),
            init: pairs(&self.init),
            input,
            seed: self.seed,
            record: record.to_vec(),
            ..Setup::default()
        })
    }
}

pub(crate) fn pairs(map: &BTreeMap<String, Vec<f64>>) -> Vec<(String, Vec<f64>)> {
    map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setting(params: &[(&str, &[f64])], input: Option<&str>) -> Setting {
        Setting {
            model: "hh".into(),
            source: None,
            params: params
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_vec()))
                .collect(),
            init: BTreeMap::new(),
            input: input.map(String::from),
            method: None,
            dt_ms: 0.1,
            duration_ms: 10.0,
            seed: 0,
            bench: None,
            starts: Vec::new(),
        }
    }

    fn check(params: &[(&str, &[f64])], input: Option<&str>, want: Result<usize, &str>) {
        match (setting(params, input).neurons(), want) {
            (Ok(got), Ok(want)) => assert_eq!(got, want, "{params:?} {input:?}"),
            (Err(e), Err(part)) => assert!(e.contains(part), "`{e}` lacks `{part}`"),
            (got, want) => panic!("{params:?} {input:?}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn population_sizes() {
        check(&[], None, Ok(1));
        check(&[("I", &[1.0, 2.0, 4.0])], None, Ok(3));
        check(&[("I", &[1.0, 2.0, 4.0]), ("gK", &[30.0])], None, Ok(3));
        check(
            &[],
            Some("sections(values=[0, [1, 2, 4, 8, 10, 15], 0], durations=[10, 2, 25])"),
            Ok(6),
        );
        check(
            &[("gK", &[30.0, 36.0])],
            Some("pulses(amp=[1, 2, 3], start=1, width=1, period=5)"),
            Err("`gK` has 2 values but input pulses(amp) has 3"),
        );
        check(&[], Some("pulses(amp=1"), Err("input `pulses(amp=1`"));
    }

    #[test]
    fn setups_carry_the_setting() {
        let s = setting(&[("I", &[5.0, 10.0])], Some("constant(1)"));
        let (model, setup) = s.setup(&["V".to_string()]).unwrap();
        assert_eq!(model.id, "hh");
        assert_eq!(setup.n, 2);
        assert_eq!(setup.params, [("I".to_string(), vec![5.0, 10.0])]);
        assert_eq!(setup.record, ["V"]);
        assert!(setup.input.is_some());
        let solved = s.with_params(&BTreeMap::from([("I".to_string(), vec![8.0])]));
        assert_eq!(solved.params["I"], [8.0]);
        let e = Setting {
            model: "hx".into(),
            ..s
        }
        .setup(&[])
        .unwrap_err();
        assert!(
            e.contains("unknown model `hx`; built-in models are hh,"),
            "{e}"
        );
    }
}
