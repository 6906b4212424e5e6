//! How an integrator's error shrinks with its time step (lesson 2): one HH neuron run by Euler,
//! RK2, RK4 and exponential Euler at time steps from 0.05 to 0.001 ms, each compared with an RK4
//! run at 0.0002 ms (the largest difference in V at the times every run shares), drawn as
//! log₁₀ error against log₁₀ dt, where a method of order p is a line of slope p. Computed at once.

use brainplay_sim::networks::{self, CONVERGENCE};
use brainplay_sim::{msg, Message};

use super::panel::{line, panel};
use crate::content::NetworkPlot;
use crate::figure::TrainingFigures;
use crate::run::Run;
use crate::setting::{Runnable, Setting};
use crate::text::Text;

/// The time steps compared (ms), from the largest; each divides the first, which sets the
/// shared times.
const STEPS_MS: [f64; 6] = [0.05, 0.025, 0.01, 0.005, 0.0025, 0.001];
/// The reference run's step (ms).
const REFERENCE_MS: f64 = 0.0002;
/// The methods, as the model language names them and as the figure does.
const METHODS: [(&str, &str, &str); 4] = [
    ("euler", "Euler", "欧拉法"),
    ("rk2", "RK2", "RK2"),
    ("rk4", "RK4", "RK4"),
    ("exp_euler", "exponential Euler", "指数欧拉法"),
];
/// The slopes are fitted over the first steps, before round-off flattens the smallest errors.
const FITTED: usize = 4;

/// V of HH at the shared times (every `STEPS_MS[0]`), by `method` at `dt_ms`.
fn potential(setting: &Setting, method: &str, dt_ms: f64) -> Result<Vec<f64>, Message> {
    let mut run = setting.clone();
    run.method = Some(method.to_string());
    run.dt_ms = dt_ms;
    let model = run.model()?;
    let output = Run::complete(&run, &model, &["V".to_string()])?;
    let v = output
        .trace("V", 0)
        .ok_or_else(|| msg!("V was not recorded", "没有记录 V"))?;
    // The trace holds V after each step: the shared times 0.05, 0.1, … ms are its every-th values.
    let every = (STEPS_MS[0] / dt_ms).round() as usize;
    Ok(v.iter().skip(every - 1).step_by(every).copied().collect())
}

/// The least-squares slope of `y` against `x`.
fn slope(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let sxx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
    sxy / sxx
}

pub fn figures(setting: &Setting) -> Result<TrainingFigures, Message> {
    let overrides = setting.network_params()?;
    let get = networks::values(CONVERGENCE, &overrides)?;
    let mut hh = Setting::of_model("hh");
    hh.params.insert("I".into(), vec![get("I")]);
    hh.duration_ms = get("duration");
    let reference = potential(&hh, "rk4", REFERENCE_MS)?;
    let log_dt: Vec<f64> = STEPS_MS.iter().map(|dt| dt.log10()).collect();
    let mut lines = Vec::new();
    let mut slopes = Vec::new();
    for (method, en, zh) in METHODS {
        let errors = STEPS_MS
            .iter()
            .map(|&dt| {
                let v = potential(&hh, method, dt)?;
                let worst = v
                    .iter()
                    .zip(&reference)
                    .map(|(a, b)| (a - b).abs())
                    .fold(0.0, f64::max);
                Ok(worst.max(f64::MIN_POSITIVE).log10())
            })
            .collect::<Result<Vec<f64>, Message>>()?;
        slopes.push((en, zh, slope(&log_dt[..FITTED], &errors[..FITTED])));
        lines.push(line(en, zh, errors));
    }
    let listed = |zh: bool| -> String {
        slopes
            .iter()
            .map(|&(en, name_zh, p)| format!("{} {p:.1}", if zh { name_zh } else { en }))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut errors = panel(
        NetworkPlot::Data,
        Text::new(
            format!("Error against time step; slopes: {}", listed(false)),
            format!("误差与时间步长；斜率：{}", listed(true)),
        ),
        ("log₁₀ dt (ms)", "log₁₀ dt（ms）"),
        ("log₁₀ max |V − V_ref| (mV)", "log₁₀ max |V − V_ref|（mV）"),
        log_dt,
    );
    errors.lines = lines;
    Ok(TrainingFigures {
        panels: vec![errors],
        ..TrainingFigures::default()
    })
}
