//! The helpers that build a training-style figure's panels (lessons 2, 13 and 14): a titled
//! panel over shared x values, and its named lines.

use crate::content::NetworkPlot;
use crate::figure::{Line, Panel};
use crate::text::Text;

pub(super) fn line(en: &str, zh: &str, values: Vec<f64>) -> Line {
    Line {
        name: Text::new(en, zh),
        values,
    }
}

pub(super) fn panel(
    plot: NetworkPlot,
    title: Text,
    x: (&str, &str),
    y: (&str, &str),
    xs: Vec<f64>,
) -> Panel {
    Panel {
        plot,
        title,
        x_label: Text::new(x.0, x.1),
        y_label: Text::new(y.0, y.1),
        x: xs,
        lines: Vec::new(),
    }
}
