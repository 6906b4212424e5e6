//! A phase line's figures: dx/dt against x for a one-variable model with its fixed points, and
//! with a bifurcation axis the fixed points at every value of one parameter and the saddle-nodes
//! where pairs of them meet.

use brainplay_analysis::{line_diagram, phase_line, LineSpec, LineStability};
use brainplay_sim::Model;

use super::cache::{remember, Cache};
use super::{params_except, single_params, variable_label};
use crate::bilingual;
use crate::content::PhaseLine;
use crate::figure::{Issues, LineDiagramFigure, LineFigure, LinePoint};
use crate::setting::Setting;

fn line_spec<'a>(block: &'a PhaseLine, params: Vec<(&'a str, f64)>) -> LineSpec<'a> {
    LineSpec {
        x: &block.x,
        range: (block.x_range[0], block.x_range[1]),
        params,
        held: vec![],
        samples: block.samples,
    }
}

pub(super) fn figure(
    model: &Model,
    block: &PhaseLine,
    setting: &Setting,
    cache: &mut Cache,
) -> LineFigure {
    let owned = single_params(setting);
    let mut figure = LineFigure {
        x_label: variable_label(model, &block.x),
        ..LineFigure::default()
    };
    match phase_line(model, &line_spec(block, params_except(&owned, &[]))) {
        Ok(line) => {
            figure.fixed_points = line
                .fixed_points
                .iter()
                .map(|p| LinePoint {
                    x: p.x,
                    slope: p.slope,
                    stable: p.stability == LineStability::Stable,
                })
                .collect();
            (figure.xs, figure.dxdt) = (line.xs, line.dxdt);
        }
        Err(e) => figure.issues = Issues::failed(bilingual(e.0)),
    }
    if let Some(axis) = &block.bifurcation {
        let params = params_except(&owned, &[&axis.param]);
        let inputs = (&setting.source, block, &params);
        figure.diagram = Some(remember(
            &mut cache.line_diagrams,
            &block.id,
            inputs,
            || {
                let mut diagram = LineDiagramFigure {
                    param: axis.param.clone(),
                    param_label: variable_label(model, &axis.param),
                    ..LineDiagramFigure::default()
                };
                let range = (axis.range[0], axis.range[1]);
                match line_diagram(
                    model,
                    &line_spec(block, params.clone()),
                    &axis.param,
                    range,
                    axis.steps,
                ) {
                    Ok(d) => {
                        diagram.points = d
                            .points
                            .iter()
                            .map(|(param, p)| (*param, p.x, p.stability == LineStability::Stable))
                            .collect();
                        diagram.saddle_nodes = d.saddle_nodes;
                    }
                    Err(e) => diagram.issues = Issues::failed(bilingual(e.0)),
                }
                diagram
            },
        ));
    }
    figure
}
