//! Networks: the COBA E/I balanced network of lesson 9 against BrainPy 2.4.6 (tests/data,
//! `coba_ei_network.json`: float32, three seeds, 1000 ms), and the two forms a projection can
//! keep its synapses in against each other.
//!
//! Tolerances. BrainPy and BrainPlay draw different random connections and initial potentials,
//! so the comparison is statistical, between means over three seeds on each side: rates within
//! 5 % (BrainPy's spread over seeds is about 1.5 %, ours about 4 %), the mean ISI CV within 0.15,
//! the fraction of neurons silent after 100 ms within 0.05. Measured: E rate 21.1 Hz against
//! 21.0, CV 1.53 against 1.54; silent 0.125 against 0.167, a gap of 0.04 not yet explained (the
//! mean E input currents are also about 8 % smaller than BrainPy's, 247 / −250 against
//! 268 / −268).

mod common;
use brainplay_sim::connect::Rule;
use brainplay_sim::network::{Form, Group, Network, NetworkSetup, Projection, Source, Unit};
use brainplay_sim::networks::{build, coba_ei, Coba};
use brainplay_sim::{library, stats, Setup};
use common::fixture;
use serde_json::Value;

/// Statistics of one population, as the fixture defines them.
struct PopulationStats {
    rate_0_t_hz: f64,
    rate_100_t_hz: f64,
    silent_100_t: f64,
    cv_isi_mean: f64,
}

fn population_stats(spikes: &[Vec<f64>], t_ms: f64) -> PopulationStats {
    let n = spikes.len() as f64;
    let count = |from: f64| {
        spikes
            .iter()
            .map(|s| s.iter().filter(|&&t| t >= from).count())
            .sum::<usize>() as f64
    };
    let silent = spikes
        .iter()
        .filter(|s| !s.iter().any(|&t| t >= 100.0))
        .count() as f64;
    let cvs: Vec<f64> = spikes
        .iter()
        .map(|s| {
            s.iter()
                .copied()
                .filter(|&t| t >= 100.0)
                .collect::<Vec<_>>()
        })
        .filter(|s| s.len() >= 3)
        .filter_map(|s| stats::cv_isi(&s))
        .collect();
    PopulationStats {
        rate_0_t_hz: count(0.0) / n / (t_ms / 1000.0),
        rate_100_t_hz: count(100.0) / n / ((t_ms - 100.0) / 1000.0),
        silent_100_t: silent / n,
        cv_isi_mean: cvs.iter().sum::<f64>() / cvs.len() as f64,
    }
}

fn close(what: &str, got: f64, want: f64, tol: f64) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got:.4}, BrainPy {want:.4} (tolerance {tol})"
    );
}

/// BrainPy's value of `key` for population `pop`, averaged over its seeds.
fn reference_mean(fixture: &Value, pop: &str, key: &str) -> f64 {
    let seeds = fixture["results"]["per_seed"].as_object().unwrap();
    let values: Vec<f64> = seeds
        .values()
        .map(|s| s[pop][key].as_f64().unwrap())
        .collect();
    values.iter().sum::<f64>() / values.len() as f64
}

#[test]
fn coba_network_fires_as_brainpy_does() {
    let reference = fixture("coba_ei_network");
    let duration_ms = reference["duration_ms"].as_f64().unwrap();
    let seeds = [0, 1, 2];
    let runs: Vec<_> = seeds
        .iter()
        .map(|&seed| {
            let setup = coba_ei(
                &Coba::default(),
                Some("constant(20)".parse().unwrap()),
                seed,
            );
            let out = Network::run(&setup, duration_ms).unwrap();
            assert_eq!(out.error, None);
            out
        })
        .collect();
    for (g, pop) in ["E", "I"].iter().enumerate() {
        let got: Vec<PopulationStats> = runs
            .iter()
            .map(|out| population_stats(&out.groups[g].spike_times_ms, duration_ms))
            .collect();
        let mean =
            |f: fn(&PopulationStats) -> f64| got.iter().map(f).sum::<f64>() / got.len() as f64;
        let want = |key| reference_mean(&reference, pop, key);
        let rate = want("mean_rate_hz_0_T");
        close(
            &format!("{pop} rate 0–T"),
            mean(|s| s.rate_0_t_hz),
            rate,
            0.05 * rate,
        );
        let rate = want("mean_rate_hz_100_T");
        close(
            &format!("{pop} rate 100–T"),
            mean(|s| s.rate_100_t_hz),
            rate,
            0.05 * rate,
        );
        let silent = want("fraction_silent_100_T");
        close(
            &format!("{pop} silent"),
            mean(|s| s.silent_100_t),
            silent,
            0.05,
        );
        close(
            &format!("{pop} CV"),
            mean(|s| s.cv_isi_mean),
            want("cv_isi_mean"),
            0.15,
        );
    }
}

/// A Poisson source of 200 trains driving 50 LIF neurons (held just below threshold by a
/// constant input) through `synapse` (10 % fixed out-degree), kept in `form`, for 300 ms.
fn feedforward(synapse: &str, form: Form) -> brainplay_sim::network::NetworkOutput {
    let lif = library::get("lif").unwrap();
    let groups = vec![
        Group {
            name: "in".into(),
            source: Source::Train {
                n: 200,
                spec: "poisson(rate=40, weight=1)".parse().unwrap(),
            },
            seed: 3,
        },
        Group {
            name: "out".into(),
            source: Source::Neurons {
                model: Box::new(lif),
                setup: Box::new(Setup {
                    n: 50,
                    input: Some("constant(15)".parse().unwrap()),
                    record: vec!["V".into()],
                    ..Setup::default()
                }),
            },
            seed: 4,
        },
    ];
    let synapse = library::get(synapse).unwrap();
    // Excitatory for a neuron between its reset (-5 mV) and threshold (20 mV).
    let mut params = vec![("g_max".to_string(), vec![2.0])];
    if synapse.param_index("E").is_some() {
        params.push(("E".into(), vec![60.0]));
    }
    let projections = vec![Projection {
        pre: "in".into(),
        post: "out".into(),
        params,
        record: vec!["g".into()],
        form,
        ..Projection::new("syn", synapse, Rule::FixedProb { p: 0.1 })
    }];
    let setup = NetworkSetup {
        order: NetworkSetup::projections_first(groups.len(), projections.len()),
        groups,
        projections,
        dt_ms: 0.1,
        seed: 5,
        record_stride: 1,
    };
    Network::run(&setup, 300.0).unwrap()
}

/// Keeping a linear synapse per postsynaptic neuron gives the per-connection result: membrane
/// potentials within 1e-9 relative (only the order of summation differs), the same spikes.
#[test]
fn post_aligned_synapses_equal_per_connection_ones() {
    for synapse in ["expon", "expon_cuba", "dual_expon", "alpha"] {
        let summed = feedforward(synapse, Form::Auto);
        let each = feedforward(synapse, Form::PerConnection);
        // The forms really differ: one row per postsynaptic neuron, or per connection.
        assert_eq!(summed.projections[0].traces[0].len(), 50, "{synapse}");
        assert_eq!(each.projections[0].traces[0].len(), 200 * 5, "{synapse}");
        let (a, b) = (&summed.groups[1], &each.groups[1]);
        assert!(
            a.spike_times_ms.iter().map(Vec::len).sum::<usize>() > 50,
            "{synapse} drives spikes"
        );
        assert_eq!(a.spike_times_ms, b.spike_times_ms, "{synapse}");
        for (x, y) in a.traces[0]
            .iter()
            .flatten()
            .zip(b.traces[0].iter().flatten())
        {
            assert!(
                (x - y).abs() <= 1e-9 * x.abs().max(1.0),
                "{synapse}: V {x} against {y}"
            );
        }
    }
}

/// BrainPy's order (projections, then groups) delays a spike by one step; updating the source
/// before the projection does not.
#[test]
fn update_order_sets_the_latency() {
    let lif = library::get("lif").unwrap();
    let run = |order: Vec<Unit>| {
        let setup = NetworkSetup {
            groups: vec![
                Group {
                    name: "pre".into(),
                    source: Source::Times(vec![vec![1.0]]),
                    seed: 0,
                },
                Group {
                    name: "post".into(),
                    source: Source::Neurons {
                        model: Box::new(lif.clone()),
                        setup: Box::new(Setup::default()),
                    },
                    seed: 0,
                },
            ],
            projections: vec![Projection {
                record: vec!["g".into()],
                ..Projection::new("syn", library::get("expon").unwrap(), Rule::AllToAll)
            }],
            order,
            dt_ms: 0.1,
            seed: 0,
            record_stride: 1,
        };
        let out = Network::run(&setup, 2.0).unwrap();
        let g = out.projections[0].trace("g", 0).unwrap().to_vec();
        g.iter().position(|&v| v > 0.0).unwrap()
    };
    use Unit::{Group as G, Projection as P};
    assert_eq!(run(vec![G(0), P(0), G(1)]), 10);
    assert_eq!(run(vec![P(0), G(0), G(1)]), 11);
}

#[test]
fn malformed_networks_are_refused_with_reasons() {
    let small = Coba {
        scale: 0.0125,
        ..Coba::default()
    };
    let mut setup = coba_ei(&small, Some("constant(20)".parse().unwrap()), 0);
    setup.order.pop();
    let error = Network::new(&setup).err().unwrap().0.en;
    assert!(error.contains("exactly once"), "{error}");
    let mut setup = coba_ei(&small, Some("constant(20)".parse().unwrap()), 0);
    setup.projections[1].post = "X".into();
    let error = Network::new(&setup).err().unwrap().0.en;
    assert!(error.contains("`EI`") && error.contains("`X`"), "{error}");
}

/// A lesson's overrides reach the network: the size scales both populations and divides the
/// spike conductances by √scale; unknown names and bad values are refused with the reason.
#[test]
fn built_in_network_parameters() {
    let input = || Some("constant(20)".parse().unwrap());
    let overrides = [("scale".to_string(), 0.25), ("g_I".to_string(), 5.0)];
    let setup = build("coba_ei", &overrides, input(), 0).unwrap();
    let sizes: Vec<usize> = setup.groups.iter().map(|g| g.source.len()).collect();
    assert_eq!(sizes, [800, 200]);
    let g_max = |k: usize| {
        setup.projections[k]
            .params
            .iter()
            .find(|(n, _)| n == "g_max")
            .unwrap()
            .1[0]
    };
    assert!((g_max(0) - 0.6 * 2.0).abs() < 1e-12 && (g_max(2) - 5.0 * 2.0).abs() < 1e-12);
    for (bad, why) in [("g_X", "no parameter `g_X`"), ("scale", "positive")] {
        let error = build("coba_ei", &[(bad.to_string(), 0.0)], input(), 0).unwrap_err();
        assert!(error.en.contains(why), "{error}");
    }
    assert!(build("nope", &[], input(), 0)
        .unwrap_err()
        .en
        .contains("unknown network"));
}
