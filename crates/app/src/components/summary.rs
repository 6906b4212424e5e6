//! Short text summaries of figures for screen readers (a canvas is a picture without words):
//! what is plotted against what, over which range, and each trace's extent. Figures that show
//! their numbers beside them (fixed points, spike counts) use that text instead.

use crate::components::chart::tick;
use crate::components::plot::Figure;
use crate::i18n::Lang;

/// The smallest and largest finite value of `values`.
fn extent<'a>(values: impl IntoIterator<Item = &'a f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |range, &v| match range {
            None => Some((v, v)),
            Some((lo, hi)) => Some((f64::min(lo, v), f64::max(hi, v))),
        })
}

/// "from a to b" in `lang`.
fn range(lang: Lang, (lo, hi): (f64, f64)) -> String {
    match lang {
        Lang::En => format!("from {} to {}", tick(&lo), tick(&hi)),
        Lang::Zh => format!("从 {} 到 {}", tick(&lo), tick(&hi)),
    }
}

/// A time series: its title, the x range and each trace's range.
pub fn plot(figure: &Figure, lang: Lang) -> String {
    let mut parts = vec![figure.title.clone()];
    if let Some(x) = extent(&figure.x) {
        parts.push(format!("{} {}", figure.x_label, range(lang, x)));
    }
    for trace in &figure.traces {
        let name = match trace.name.is_empty() {
            true => &figure.y_label,
            false => &trace.name,
        };
        if let Some(y) = extent(&trace.values) {
            parts.push(format!("{name} {}", range(lang, y)));
        }
    }
    let separator = match lang {
        Lang::En => ". ",
        Lang::Zh => "。",
    };
    parts.retain(|p| !p.is_empty());
    parts.join(separator)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::plot::Trace;

    #[test]
    fn a_plot_names_its_axes_and_ranges() {
        let figure = Figure {
            title: "Membrane potential".into(),
            x_label: "t (ms)".into(),
            y_label: "V (mV)".into(),
            x: vec![0.0, 25.0, 50.0],
            traces: vec![Trace {
                name: String::new(),
                values: vec![-65.0, 40.5, f64::NAN],
            }],
        };
        assert_eq!(
            plot(&figure, Lang::En),
            "Membrane potential. t (ms) from 0 to 50. V (mV) from -65 to 40.5"
        );
        assert_eq!(
            plot(&figure, Lang::Zh),
            "Membrane potential。t (ms) 从 0 到 50。V (mV) 从 -65 到 40.5"
        );
    }
}
