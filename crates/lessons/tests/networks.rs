//! Lesson 9's network blocks through the figures route, and the numbers its exercises and
//! captions state (curriculum §9.3's auto-checks with their tolerances).

use brainplay_lessons::figure::{Figures, NetworkFigures};
use brainplay_lessons::figures::{compute, Cache, Figured};
use brainplay_lessons::{registry, Setting};

fn network(id: &str) -> NetworkFigures {
    let lesson = registry::lesson(9).expect("lesson 9 exists");
    let block = lesson.figured(id).expect("the block exists");
    let Figured::Widget(widget) = block else {
        panic!("`{id}` is not a widget")
    };
    match compute(block, &Setting::from_widget(widget), &mut Cache::default()).unwrap() {
        Figures::Network(f) => *f,
        other => panic!("not a network: {other:?}"),
    }
}

/// Mean of `values` where `t_ms` lies in [from, to).
fn mean_over(t_ms: &[f64], values: &[f64], from: f64, to: f64) -> f64 {
    let inside: Vec<f64> = t_ms
        .iter()
        .zip(values)
        .filter(|(t, _)| (from..to).contains(*t))
        .map(|(_, v)| *v)
        .collect();
    inside.iter().sum::<f64>() / inside.len() as f64
}

/// The baseline: both groups drawn whole, the E rate between 20 and 100 ms within the
/// exercise's answer ± tolerance (19 ± 3 Hz) and the curriculum's check [12, 30] Hz, and the
/// initial volley above 40 Hz in the first 5 ms.
#[test]
fn baseline_rates() {
    let f = network("ei");
    assert_eq!(f.issues.error, None);
    let sizes: Vec<(usize, usize)> = f.groups.iter().map(|g| (g.neurons, g.shown)).collect();
    assert_eq!(sizes, [(3200, 3200), (800, 800)]);
    let e = &f.groups[0];
    let spikes = e
        .times_ms
        .iter()
        .filter(|t| (20.0..100.0).contains(&f64::from(**t)))
        .count();
    let rate = spikes as f64 / 3200.0 / 0.08;
    assert!((rate - 19.0).abs() <= 3.0, "E rate 20–100 ms: {rate} Hz");
    let volley = f.rates[0]
        .values
        .iter()
        .zip(&f.t_ms)
        .filter(|(_, t)| **t < 5.0);
    assert!(volley.fold(0.0_f64, |m, (v, _)| m.max(*v)) > 40.0);
}

/// Neuron 170's excitatory and inhibitory inputs are large, of opposite sign, and cancel: the
/// mean total is under a fifth of the mean excitatory input (the `cancel` exercise), and the
/// two track each other (correlation of E with −I above 0.5, the curriculum's check).
#[test]
fn one_neuron_is_balanced() {
    let f = network("balance");
    let [ee, ie, total] = [0, 1, 2].map(|k| &f.balance[k].values);
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    assert!(
        mean(ee) > 100.0 && mean(ie) < -100.0,
        "{} {}",
        mean(ee),
        mean(ie)
    );
    assert!(mean(total).abs() < 0.2 * mean(ee), "total {}", mean(total));
    let minus_ie: Vec<f64> = ie.iter().map(|v| -v).collect();
    let (ma, mb) = (mean(ee), mean(&minus_ie));
    let cov: f64 = ee
        .iter()
        .zip(&minus_ie)
        .map(|(a, b)| (a - ma) * (b - mb))
        .sum();
    let var = |v: &[f64], m: f64| v.iter().map(|x| (x - m).powi(2)).sum::<f64>();
    let corr = cov / (var(ee, ma) * var(&minus_ie, mb)).sqrt();
    assert!(corr > 0.5, "correlation {corr}");
}

/// The staircase: every group's settled rate rises at every level (Spearman correlation 1,
/// the curriculum asks ≥ 0.9), by between 10 % and 100 % from 20 to 120 (the exercise's "a
/// little at every step, roughly a third in all").
#[test]
fn staircase_encodes_the_input_monotonically() {
    let f = network("staircase");
    for rates in &f.rates {
        let levels: Vec<f64> = (0..6)
            .map(|k| {
                let start = k as f64 * 1000.0;
                mean_over(&f.t_ms, &rates.values, start + 300.0, start + 900.0)
            })
            .collect();
        assert!(
            levels.windows(2).all(|w| w[1] > w[0]),
            "{}: {levels:?}",
            rates.name
        );
        let gain = levels[5] / levels[0];
        assert!((1.1..2.0).contains(&gain), "{}: {levels:?}", rates.name);
    }
}

/// The sinusoid: the E rate follows the input, its cross-correlation with the input peaking at
/// a lag under 100 ms (the curriculum's check).
#[test]
fn rates_track_a_sinusoid() {
    let f = network("sine");
    let dt = f.t_ms[1] - f.t_ms[0];
    let rate = &f.rates[0].values;
    let lag_of = |lag: usize| -> f64 {
        f.inputs[0]
            .values
            .iter()
            .zip(&rate[lag..])
            .map(|(x, r)| x * r)
            .sum()
    };
    let best = (0..(300.0 / dt) as usize)
        .max_by(|a, b| lag_of(*a).total_cmp(&lag_of(*b)))
        .unwrap();
    let lag_ms = best as f64 * dt;
    assert!(lag_ms < 100.0, "lag {lag_ms} ms");
}

/// The `projections` exercise's table is the network's: each projection's Δg, τ and E as the
/// course's network (`networks::coba_ei`) sets them.
#[test]
fn the_projection_table_is_the_networks() {
    let lesson = registry::lesson(9).unwrap();
    let exercise = lesson
        .exercises()
        .find(|e| e.id == "projections")
        .expect("the exercise exists");
    let brainplay_lessons::content::Task::Table {
        rows,
        options,
        cells,
        ..
    } = &exercise.task
    else {
        panic!("a table")
    };
    let setup = brainplay_sim::networks::coba_ei(&Default::default(), None, 0);
    for ((row, cells), projection) in rows.iter().zip(cells).zip(&setup.projections) {
        assert_eq!(
            row.en,
            format!("{} → {}", projection.pre, projection.post),
            "rows in the network's order"
        );
        for (&option, name) in cells.iter().zip(["g_max", "tau", "E"]) {
            let (_, value) = projection.params.iter().find(|(n, _)| n == name).unwrap();
            let written: f64 = options[option].en.replace('−', "-").parse().unwrap();
            assert_eq!(written, value[0], "{} {name}", row.en);
        }
    }
}
