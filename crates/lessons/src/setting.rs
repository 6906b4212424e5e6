//! Running a setting (`brainplay_content::setting`): its model (the learner's edit or the
//! built-in one), method, input protocol, population size and `brainplay_sim` setup.

use std::collections::BTreeMap;

use brainplay_sim::input::InputSpec;
use brainplay_sim::population::{self, List};
use brainplay_sim::{library, msg, parse_model, Message, Method, Model, Setup};

pub use brainplay_content::setting::*;

/// What it takes to run a `Setting`.
pub trait Runnable {
    /// The parsed input protocol; the error names the problem and where it is.
    fn input_spec(&self) -> Result<Option<InputSpec>, Message>;

    /// The population size: the longest per-neuron list among the parameters, initial states
    /// and input arguments (1 if there is none). Every other list must have one value or as
    /// many.
    fn neurons(&self) -> Result<usize, Message>;

    /// The model this setting runs: the learner's edit if there is one, else the built-in model.
    fn model(&self) -> Result<Model, Message>;

    /// The integration method, if the setting names one.
    fn method(&self) -> Result<Option<Method>, Message>;

    /// The model and the `brainplay_sim` setup of a run that records `record`.
    fn setup(&self, record: &[String]) -> Result<(Model, Setup), Message>;

    /// The setup of this setting's population (not a bench), recording `record`.
    fn population_setup(&self, record: &[String]) -> Result<Setup, Message>;

    /// A network's parameter overrides (`brainplay_sim::networks`): one value each.
    fn network_params(&self) -> Result<Vec<(String, f64)>, Message>;
}

impl Runnable for Setting {
    fn network_params(&self) -> Result<Vec<(String, f64)>, Message> {
        self.params
            .iter()
            .map(|(name, values)| match values.as_slice() {
                [value] => Ok((name.clone(), *value)),
                _ => Err(msg!(
                    "`{name}` takes one value for the whole network",
                    "`{name}` 对整个网络只能取一个值"
                )),
            })
            .collect()
    }

    fn input_spec(&self) -> Result<Option<InputSpec>, Message> {
        self.input
            .as_deref()
            .map(|text| {
                InputSpec::parse(text)
                    .map_err(|e| e.message.after(msg!("input `{text}`: ", "输入 `{text}`：")))
            })
            .transpose()
    }

    fn neurons(&self) -> Result<usize, Message> {
        neurons_with(self, self.input_spec()?.as_ref())
    }

    fn model(&self) -> Result<Model, Message> {
        if let Some(source) = &self.source {
            return parse_model(source).map_err(|e| {
                e.located()
                    .after(msg!("the edited model: ", "编辑后的模型"))
            });
        }
        built_in(&self.model).ok_or_else(|| {
            let ids: Vec<_> = library::ids().collect();
            Message::new(
                format!(
                    "unknown model `{}`; built-in models are {}",
                    self.model,
                    ids.join(", ")
                ),
                format!("未知的模型 `{}`；内置模型有 {}", self.model, ids.join("、")),
            )
        })
    }

    fn method(&self) -> Result<Option<Method>, Message> {
        self.method
            .as_deref()
            .map(|name| {
                Method::from_name(name)
                    .ok_or_else(|| msg!("unknown method `{name}`", "未知的积分方法 `{name}`"))
            })
            .transpose()
    }

    fn setup(&self, record: &[String]) -> Result<(Model, Setup), Message> {
        Ok((self.model()?, self.population_setup(record)?))
    }

    fn population_setup(&self, record: &[String]) -> Result<Setup, Message> {
        let input = self.input_spec()?;
        let n = neurons_with(self, input.as_ref())?;
        Ok(Setup {
            n,
            dt_ms: self.dt_ms,
            method: Runnable::method(self)?,
            params: pairs(&self.params),
            init: pairs(&self.init),
            input,
            seed: self.seed,
            record: record.to_vec(),
            ..Setup::default()
        })
    }
}

fn neurons_with(setting: &Setting, input: Option<&InputSpec>) -> Result<usize, Message> {
    let lists = |map: &BTreeMap<String, Vec<f64>>, (en, zh): (&str, &str)| -> Vec<List> {
        map.iter()
            .map(|(k, v)| List {
                label: Message::new(format!("{en}`{k}`"), format!("{zh}`{k}`")),
                len: v.len(),
            })
            .collect()
    };
    let mut all = lists(&setting.params, ("", ""));
    all.extend(lists(&setting.init, ("initial ", "初始值 ")));
    if let Some(spec) = input {
        all.extend(population::input_lists(
            spec,
            &Message::new("input", "输入"),
        ));
    }
    population::size(None, &all)
}

pub(crate) fn pairs(map: &BTreeMap<String, Vec<f64>>) -> Vec<(String, Vec<f64>)> {
    map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// Built-in model `id`, or for a network's id its parameters as a model
/// (`brainplay_sim::networks::param_model`).
pub fn built_in(id: &str) -> Option<Model> {
    library::get(id).or_else(|| brainplay_sim::networks::param_model(id))
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
            resume: None,
        }
    }

    fn check(params: &[(&str, &[f64])], input: Option<&str>, want: Result<usize, &str>) {
        match (setting(params, input).neurons(), want) {
            (Ok(got), Ok(want)) => assert_eq!(got, want, "{params:?} {input:?}"),
            (Err(e), Err(part)) => assert!(e.en.contains(part), "`{e}` lacks `{part}`"),
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
            e.en.contains("unknown model `hx`; built-in models are hh,"),
            "{e}"
        );
    }

    /// The lesson format's table of method names (which the page knows without the core) is
    /// the core's.
    #[test]
    fn the_content_method_table_is_the_cores() {
        use brainplay_content::content::{method_name, METHODS};
        let names: Vec<&str> = METHODS.iter().map(|(name, _)| *name).collect();
        assert_eq!(names, Method::ALL.map(Method::name));
        for (name, aliases) in METHODS {
            for alias in aliases.iter().chain([&name]) {
                assert_eq!(Method::from_name(alias).map(Method::name), Some(name));
                assert_eq!(method_name(alias), Some(name));
            }
        }
        assert_eq!(method_name("rk3"), None);
        assert_eq!(Method::from_name("rk3"), None);
    }
}
