//! The passive cable (lesson 3, the lecture's cable theory): a current switched on at one end
//! of a cable ten length constants long (`brainplay_sim::cable`), drawn along the cable (the
//! profile after τ and at the end of the run, against the lecture's V_ss(x) = λ r_a I₀ e^(−x/λ))
//! and over time at x = 0, λ and 2λ. Computed at once.

use brainplay_sim::cable::Cable;
use brainplay_sim::networks::{self, CABLE};
use brainplay_sim::{msg, Message};

use super::panel::{line, panel};
use crate::content::NetworkPlot;
use crate::figure::TrainingFigures;
use crate::setting::{Runnable, Setting};
use crate::text::Text;

/// The cable is as long as ten of the longest length constants the slider allows, so that its
/// sealed end does not show (e^(−10) of V(0)) and the profile is the semi-infinite one.
const LENGTH_MM: f64 = 20.0;
/// Grid spacing: an error below (dx/λ)²/2 = 1.25e-3 of V(0) for every λ ≥ 0.2 mm.
const DX_MM: f64 = 0.01;
/// The shown part of the cable, in length constants.
const SHOWN_LAMBDAS: f64 = 4.0;
/// Time steps and recorded profiles per run.
const STEPS: usize = 1000;
const RECORDED: usize = 250;

pub fn figures(setting: &Setting) -> Result<TrainingFigures, Message> {
    let overrides = setting.network_params()?;
    let get = networks::values(CABLE, &overrides)?;
    let cable = Cable {
        lambda_mm: get("lambda"),
        tau_ms: get("tau"),
        r_a_mohm_per_mm: get("r_a"),
        length_mm: LENGTH_MM,
        dx_mm: DX_MM,
    };
    let i0 = get("I0");
    let duration_ms = setting.duration_ms;
    if duration_ms <= 0.0 || !duration_ms.is_finite() {
        return Err(msg!(
            "the run needs a positive duration, not {duration_ms} ms",
            "模拟时长必须为正，现在是 {duration_ms} ms"
        ));
    }
    let dt_ms = duration_ms / STEPS as f64;
    let runs = cable.charge(i0, dt_ms, STEPS, STEPS / RECORDED);
    let positions = cable.positions_mm();
    let lambda = cable.lambda_mm;
    let shown = positions
        .iter()
        .take_while(|&&x| x <= SHOWN_LAMBDAS * lambda + 1e-9)
        .count();
    let at_time = |t_ms: f64| {
        let (_, v) = runs
            .iter()
            .min_by(|a, b| (a.0 - t_ms).abs().total_cmp(&(b.0 - t_ms).abs()))
            .expect("a recorded profile");
        v[..shown].to_vec()
    };
    let tau = cable.tau_ms;
    let ratio = ratio_at_lambda(&cable);
    let mut along = panel(
        NetworkPlot::Data,
        Text::new(
            format!("Along the cable: V_ss(λ)/V_ss(0) = {ratio:.3} (e⁻¹ = 0.368)"),
            format!("沿电缆：V_ss(λ)/V_ss(0) = {ratio:.3}（e⁻¹ = 0.368）"),
        ),
        ("x (mm)", "x（mm）"),
        ("V − V_rest (mV)", "V − V_rest（mV）"),
        positions[..shown].to_vec(),
    );
    // The profile after one τ, when the run reaches it.
    if tau <= duration_ms {
        along.lines.push(line(
            &format!("at t = τ = {tau} ms"),
            &format!("t = τ = {tau} ms 时"),
            at_time(tau),
        ));
    }
    along.lines.extend([
        line(
            &format!("at t = {duration_ms} ms"),
            &format!("t = {duration_ms} ms 时"),
            at_time(duration_ms),
        ),
        line(
            "V_ss(x) = λ r_a I₀ e^(−x/λ)",
            "V_ss(x) = λ r_a I₀ e^(−x/λ)",
            positions[..shown]
                .iter()
                .map(|&x| cable.steady_state_infinite(i0, x))
                .collect(),
        ),
    ]);
    let mut over_time = panel(
        NetworkPlot::Units,
        Text::new(
            "Charging after the current is switched on",
            "电流接通后的充电过程",
        ),
        ("t (ms)", "t（ms）"),
        ("V − V_rest (mV)", "V − V_rest（mV）"),
        runs.iter().map(|(t, _)| *t).collect(),
    );
    over_time.lines = [
        (0.0, "x = 0", "x = 0"),
        (1.0, "x = λ", "x = λ"),
        (2.0, "x = 2λ", "x = 2λ"),
    ]
    .into_iter()
    .map(|(k, en, zh)| {
        let values = runs.iter().map(|(_, v)| cable.at(v, k * lambda)).collect();
        line(en, zh, values)
    })
    .collect();
    Ok(TrainingFigures {
        panels: vec![along, over_time],
        ..TrainingFigures::default()
    })
}

/// V_ss(λ)/V_ss(0) of the grid's steady state (the figure's title quotes it); the current
/// scales both, so any will do.
fn ratio_at_lambda(cable: &Cable) -> f64 {
    let v = cable.steady_state(1.0);
    cable.at(&v, cable.lambda_mm) / v[0]
}
