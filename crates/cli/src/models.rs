//! `brainplay models`: the built-in library at a glance, or one model in detail with its source.

use std::fmt::Write;

use brainplay_sim::display::expr_to_string as expr_text;
use brainplay_sim::ir::ResetOp;
use brainplay_sim::{library, Model};

use crate::failure::Failure;

/// Every built-in model, in the order lessons introduce them: neurons, then synapses and rate
/// models.
pub fn list(out: &mut String) -> Result<(), Failure> {
    for (k, id) in library::ids().enumerate() {
        let model = crate::load::builtin(id)?;
        if k > 0 {
            writeln!(out)?;
        }
        summary(&model, out)?;
    }
    writeln!(
        out,
        "\nSynapses and rate models (the site runs synapses on its test benches; `brainplay run` runs a model on its own):"
    )?;
    let others = library::synapse_ids().chain(library::RATE_MODELS.iter().map(|(id, _)| *id));
    for id in others {
        writeln!(out)?;
        summary(&crate::load::builtin(id)?, out)?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "`brainplay models <id>` shows one model with its equations; `brainplay run --model <id>` runs it."
    )?;
    Ok(())
}

/// One model in detail: what `list` shows, Chinese descriptions, equations, and the source.
pub fn detail(model: &Model, out: &mut String) -> Result<(), Failure> {
    summary(model, out)?;
    writeln!(out, "  descriptions (zh):")?;
    for s in &model.states {
        writeln!(out, "    {:<10} {}", s.name, s.description_zh)?;
    }
    for p in &model.params {
        writeln!(out, "    {:<10} {}", p.name, p.description_zh)?;
    }
    writeln!(out, "  equations:")?;
    for &h in &model.helper_order {
        let helper = &model.helpers[h];
        writeln!(
            out,
            "    {} = {}",
            helper.name,
            expr_text(model, &helper.expr)
        )?;
    }
    for (state, derivative) in model.states.iter().zip(&model.derivatives) {
        writeln!(
            out,
            "    d{}/dt = {}",
            state.name,
            expr_text(model, derivative)
        )?;
    }
    match &model.spike {
        Some(spike) => {
            let test = spike.test.keyword();
            writeln!(
                out,
                "    spike {} {test} {}",
                expr_text(model, &spike.lhs),
                expr_text(model, &spike.rhs)
            )?;
        }
        None => writeln!(out, "    (no spike rule: spike counts and rates are 0)")?,
    }
    for reset in &model.resets {
        let op = match reset.op {
            ResetOp::Set => "=",
            ResetOp::Add => "+=",
        };
        writeln!(
            out,
            "    reset {} {op} {}",
            model.states[reset.state].name,
            expr_text(model, &reset.expr)
        )?;
    }
    if let Some(refractory) = &model.refractory {
        let held: Vec<_> = refractory
            .hold
            .iter()
            .map(|&s| model.states[s].name.as_str())
            .collect();
        writeln!(
            out,
            "    refractory {} ms, holding {}",
            expr_text(model, &refractory.period_ms),
            held.join(", ")
        )?;
    }
    writeln!(out, "  source:")?;
    for line in model.source.lines() {
        // Blank source lines stay blank rather than becoming trailing spaces.
        if line.is_empty() {
            writeln!(out)?;
        } else {
            writeln!(out, "    {line}")?;
        }
    }
    Ok(())
}

/// Id, titles, BrainPy class, reference, method, states and parameters.
fn summary(model: &Model, out: &mut String) -> Result<(), Failure> {
    writeln!(out, "{}  {} / {}", model.id, model.title_en, model.title_zh)?;
    writeln!(out, "  BrainPy:   {}", model.brainpy)?;
    writeln!(out, "  reference: {}", model.reference)?;
    let input = model
        .input
        .map_or("none", |p| model.params[p].name.as_str());
    writeln!(
        out,
        "  method:    {}; input parameter: {input}",
        model.method
    )?;
    writeln!(out, "  states (initial value, unit, meaning):")?;
    for s in &model.states {
        writeln!(
            out,
            "    {:<10} = {:<10} {:<8} {}",
            s.name,
            expr_text(model, &s.init),
            s.unit,
            s.description_en
        )?;
    }
    writeln!(out, "  parameters (default, unit, range, meaning):")?;
    for p in &model.params {
        let range = format!("[{}, {}]", p.min, p.max);
        writeln!(
            out,
            "    {:<10} = {:<10} {:<8} {range:<13} {}",
            p.name, p.default, p.unit, p.description_en
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_names_every_model_and_parameter() {
        let mut out = String::new();
        list(&mut out).unwrap();
        let all = library::ids()
            .chain(library::synapse_ids())
            .chain(library::RATE_MODELS.iter().map(|(id, _)| *id));
        for id in all {
            let model = library::get(id).unwrap();
            assert!(out.contains(&model.title_en), "{id}");
            assert!(out.contains(&model.brainpy), "{id}");
            for p in &model.params {
                assert!(out.contains(&p.description_en), "{id}.{}", p.name);
            }
        }
    }

    #[test]
    fn details_show_equations_and_source() {
        let mut out = String::new();
        detail(&library::get("lif").unwrap(), &mut out).unwrap();
        for want in [
            "lif  Leaky integrate-and-fire / 泄漏积分发放模型",
            "V          = V_reset    mV",
            "tau_ref    = 5          ms       [0, 20]       refractory period",
            "dV/dt = (-(V - V_rest) + R * I) / tau",
            "spike V >= V_th",
            "reset V = V_reset",
            "refractory tau_ref ms, holding V",
            "    model lif",
        ] {
            assert!(out.contains(want), "`{want}` missing from\n{out}");
        }
    }
}
