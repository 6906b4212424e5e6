//! Computed figure data (`brainplay_content::figure`) as the plots a block draws: titles and
//! axis labels come from the block, in the page's language.

use brainplay_content::content::Plot;
use brainplay_content::figure::{RunFigures, Series, SweepFigure};
use brainplay_content::text::typeset_unit;

use crate::components::plot::{Figure, Trace};
use crate::i18n::{ui, Lang};

/// Series as a plot's traces.
pub fn traces(series: &[Series]) -> Vec<Trace> {
    series
        .iter()
        .map(|s| Trace {
            name: s.name.clone(),
            values: s.values.clone(),
        })
        .collect()
}

/// `name (unit)` with the unit as printed (`µA/cm²`), or the name alone for a unitless quantity.
pub fn with_unit(name: String, unit: Option<&String>) -> String {
    match unit {
        Some(unit) if !unit.is_empty() && unit != "1" => format!("{name} ({})", typeset_unit(unit)),
        _ => name,
    }
}

/// A simulator's plots.
pub fn run_figures(run: &RunFigures, plots: &[Plot], lang: Lang) -> Vec<Figure> {
    plots
        .iter()
        .zip(&run.plots)
        .map(|(plot, series)| {
            let y_name = plot
                .y_label
                .as_ref()
                .map_or_else(|| plot.vars.join(", "), |t| t.get(lang).to_string());
            Figure {
                title: plot.title.get(lang).to_string(),
                x_label: ui("time_ms", lang).to_string(),
                y_label: with_unit(y_name, plot.y_unit.as_ref()),
                x: run.t_ms.clone(),
                traces: traces(series),
            }
        })
        .collect()
}

/// A sweep's one plot.
pub fn sweep_figure(
    sweep: &SweepFigure,
    title: String,
    x_label: String,
    y_label: String,
) -> Figure {
    Figure {
        title,
        x_label,
        y_label,
        x: sweep.x.clone(),
        traces: traces(&sweep.series),
    }
}
