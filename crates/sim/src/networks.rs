//! The course's networks as `NetworkSetup`s, built from the library's models, with the
//! parameters a lesson's sliders may set.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

use crate::connect::Rule;
use crate::input::InputSpec;
use crate::ir::{Method, Model, Param, Span};
use crate::library;
use crate::network::{Group, NetworkSetup, Projection, Source};
use crate::simulation::Setup;

/// A parameter of a built-in network, as a slider shows it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NetworkParam {
    pub name: &'static str,
    pub default: f64,
    pub min: f64,
    pub max: f64,
    pub unit: &'static str,
    pub description_en: &'static str,
    pub description_zh: &'static str,
}

/// The built-in networks' ids.
pub const IDS: [&str; 1] = ["coba_ei"];

/// Lesson 9's network: its size as a fraction of the course's, and the conductance one
/// excitatory or inhibitory spike adds.
pub const COBA_PARAMS: [NetworkParam; 3] = [
    NetworkParam {
        name: "scale",
        default: 1.0,
        min: 0.1,
        max: 2.0,
        unit: "1",
        description_en: "network size as a fraction of 3200 E + 800 I (weights scaled by 1/√scale: not in the course)",
        description_zh: "网络规模（相对于 3200 E + 800 I 的比例；权重按 1/√scale 缩放：课程中没有）",
    },
    NetworkParam {
        name: "g_E",
        default: 0.6,
        min: 0.0,
        max: 2.0,
        unit: "1",
        description_en: "conductance an excitatory spike adds (Δg_E)",
        description_zh: "一个兴奋性脉冲增加的电导（Δg_E）",
    },
    NetworkParam {
        name: "g_I",
        default: 6.7,
        min: 0.0,
        max: 20.0,
        unit: "1",
        description_en: "conductance an inhibitory spike adds (Δg_I)",
        description_zh: "一个抑制性脉冲增加的电导（Δg_I）",
    },
];

/// The parameters of built-in network `id`.
pub fn params(id: &str) -> Option<&'static [NetworkParam]> {
    match id {
        "coba_ei" => Some(&COBA_PARAMS),
        _ => None,
    }
}

/// Built-in network `id` as a model with its parameters and nothing else (no states or
/// equations), so that settings, sliders and share links treat a network's parameters as they
/// treat a model's.
pub fn param_model(id: &str) -> Option<Model> {
    let params = params(id)?
        .iter()
        .map(|p| Param {
            name: p.name.to_string(),
            default: p.default,
            unit: p.unit.to_string(),
            min: p.min,
            max: p.max,
            description_en: p.description_en.to_string(),
            description_zh: p.description_zh.to_string(),
            span: Span::default(),
        })
        .collect();
    Some(Model {
        id: id.to_string(),
        title_en: id.to_string(),
        title_zh: id.to_string(),
        reference: String::new(),
        brainpy: String::new(),
        method: Method::ExpEuler,
        input: None,
        params,
        states: Vec::new(),
        helpers: Vec::new(),
        helper_order: Vec::new(),
        derivatives: Vec::new(),
        spike: None,
        resets: Vec::new(),
        refractory: None,
        on_spike: Vec::new(),
        on_spike_before: false,
        on_post_spike: Vec::new(),
        output: None,
        post: Vec::new(),
        leading: Vec::new(),
        source: String::new(),
    })
}

/// Built-in network `id` with parameter overrides (names from `params(id)`), `input` added to
/// every neuron, and `seed` for its connections and initial state.
pub fn build(
    id: &str,
    overrides: &[(String, f64)],
    input: InputSpec,
    seed: u64,
) -> Result<NetworkSetup, String> {
    let known = params(id).ok_or_else(|| format!("unknown network `{id}`"))?;
    let value = |name: &str| known.iter().find(|p| p.name == name).map(|p| p.default);
    for (name, v) in overrides {
        if value(name).is_none() {
            let names: Vec<_> = known.iter().map(|p| p.name).collect();
            return Err(format!(
                "{id} has no parameter `{name}`; it has {}",
                names.join(", ")
            ));
        }
        if !v.is_finite() {
            return Err(format!("`{name}` = {v} is not a finite number"));
        }
    }
    let get = |name: &str| {
        overrides
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
            .or_else(|| value(name))
            .expect("a known parameter")
    };
    let coba = Coba {
        scale: get("scale"),
        g_e: get("g_E"),
        g_i: get("g_I"),
    };
    if coba.scale <= 0.0 {
        return Err(format!("scale must be positive, got {}", coba.scale));
    }
    Ok(coba_ei(&coba, input, seed))
}

/// Lesson 9's network at a size and with spike conductances (`COBA_PARAMS`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Coba {
    /// 1: the course's 3200 + 800 neurons.
    pub scale: f64,
    pub g_e: f64,
    pub g_i: f64,
}

impl Default for Coba {
    fn default() -> Self {
        Coba {
            scale: 1.0,
            g_e: 0.6,
            g_i: 6.7,
        }
    }
}

/// The excitatory neuron whose inputs lesson 9 plots (the course's index 170).
pub const BALANCE_NEURON: usize = 170;

/// The E/I balanced network of lesson 9 (Vogels & Abbott 2005 as in the course's answer
/// notebook, curriculum §9.2): excitatory and inhibitory LIF neurons in the ratio 4 : 1 (τ 20
/// ms, V_rest −60, V_th −50, V_reset −60 mV, 5 ms refractory, V₀ ~ N(−55, 2) mV), exponential
/// COBA synapses (E: τ 5 ms, E_syn 0 mV; I: τ 10 ms, E_syn −80 mV), each neuron connected to 2 %
/// of each population (fixed out-degree), `input` added to every neuron, dt 0.1 ms, BrainPy's
/// order (projections, then groups). Projections `EE`, `EI`, `IE`, `II` (from, to); groups `E`
/// and `I`. At `scale` s the populations have s times the course's 3200 + 800 neurons and the
/// spike conductances are divided by √s, so that the input a neuron's K ∝ s connections bring
/// keeps its balance (K J stays of order √K): not in the course.
pub fn coba_ei(coba: &Coba, input: InputSpec, seed: u64) -> NetworkSetup {
    let n_e = ((3200.0 * coba.scale).round() as usize).max(1);
    let n_i = ((800.0 * coba.scale).round() as usize).max(1);
    let weight = 1.0 / coba.scale.sqrt();
    let lif = library::get("lif").expect("the library has lif");
    let expon = library::get("expon").expect("the library has expon");
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let v0 = Normal::new(-55.0, 2.0).expect("a valid normal distribution");
    let mut population = |name: &str, n: usize, k: u64| {
        let init: Vec<f64> = (0..n).map(|_| v0.sample(&mut rng)).collect();
        let setup = Setup {
            n,
            params: [
                ("tau", 20.0),
                ("V_rest", -60.0),
                ("V_th", -50.0),
                ("V_reset", -60.0),
                ("tau_ref", 5.0),
                ("R", 1.0),
            ]
            .iter()
            .map(|&(p, v)| (p.to_string(), vec![v]))
            .collect(),
            init: vec![("V".into(), init)],
            input: Some(input.clone()),
            ..Setup::default()
        };
        Group {
            name: name.into(),
            source: Source::Neurons {
                model: Box::new(lif.clone()),
                setup: Box::new(setup),
            },
            seed: seed.wrapping_add(k),
        }
    };
    let groups = vec![population("E", n_e, 1), population("I", n_i, 2)];
    let projection = |pre: &str, post: &str, g_max: f64, tau: f64, e: f64| Projection {
        pre: pre.into(),
        post: post.into(),
        params: [("g_max", g_max), ("tau", tau), ("E", e)]
            .iter()
            .map(|&(p, v)| (p.to_string(), vec![v]))
            .collect(),
        ..Projection::new(
            &format!("{pre}{post}"),
            expon.clone(),
            Rule::FixedProb { p: 0.02 },
        )
    };
    let projections = vec![
        projection("E", "E", coba.g_e * weight, 5.0, 0.0),
        projection("E", "I", coba.g_e * weight, 5.0, 0.0),
        projection("I", "E", coba.g_i * weight, 10.0, -80.0),
        projection("I", "I", coba.g_i * weight, 10.0, -80.0),
    ];
    NetworkSetup {
        order: NetworkSetup::projections_first(groups.len(), projections.len()),
        groups,
        projections,
        dt_ms: 0.1,
        seed,
        record_stride: 1,
    }
}
