//! The course's networks as `NetworkSetup`s, built from the library's models.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

use crate::connect::Rule;
use crate::input::InputSpec;
use crate::library;
use crate::network::{Group, NetworkSetup, Projection, Source};
use crate::simulation::Setup;

/// The E/I balanced network of lesson 9 (Vogels & Abbott 2005 as in the course's answer
/// notebook, curriculum §9.2): `n_e` excitatory and `n_i` inhibitory LIF neurons (τ 20 ms,
/// V_rest −60, V_th −50, V_reset −60 mV, 5 ms refractory, V₀ ~ N(−55, 2) mV), exponential COBA
/// synapses (E: Δg 0.6, τ 5 ms, E_syn 0 mV; I: Δg 6.7, τ 10 ms, E_syn −80 mV), each neuron
/// connected to 2 % of each population (fixed out-degree), `input` added to every neuron, dt
/// 0.1 ms, BrainPy's order (projections, then groups). Projections `EE`, `EI`, `IE`, `II` (from,
/// to); groups `E` and `I`. The course's size is 3200 + 800.
pub fn coba_ei(n_e: usize, n_i: usize, input: InputSpec, seed: u64) -> NetworkSetup {
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
        projection("E", "E", 0.6, 5.0, 0.0),
        projection("E", "I", 0.6, 5.0, 0.0),
        projection("I", "E", 6.7, 10.0, -80.0),
        projection("I", "I", 6.7, 10.0, -80.0),
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
