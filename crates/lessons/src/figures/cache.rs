//! What the analyses remember between requests (phase planes, diagrams, synapse figures).

use std::collections::BTreeMap;
use std::fmt::Debug;

use crate::figure::SweepFigure;
#[cfg(feature = "analysis")]
use crate::figure::{DiagramFigure, LineDiagramFigure, PlaneFigure, TwoParameterFigure};

/// The latest costly part of each widget, with what it was computed from.
#[derive(Default)]
pub struct Cache {
    #[cfg(feature = "analysis")]
    pub(super) planes: BTreeMap<String, (String, PlaneFigure)>,
    #[cfg(feature = "analysis")]
    pub(super) diagrams: BTreeMap<String, (String, DiagramFigure)>,
    #[cfg(feature = "analysis")]
    pub(super) two_parameter: BTreeMap<String, (String, TwoParameterFigure)>,
    #[cfg(feature = "analysis")]
    pub(super) line_diagrams: BTreeMap<String, (String, LineDiagramFigure)>,
    pub(super) synapse_plots: BTreeMap<String, (String, SweepFigure)>,
}

/// `compute()`'s value for widget `id` from `inputs`: the remembered one if `inputs` are
/// those it was computed from.
pub(super) fn remember<T: Clone>(
    map: &mut BTreeMap<String, (String, T)>,
    id: &str,
    inputs: impl Debug,
    compute: impl FnOnce() -> T,
) -> T {
    let key = format!("{inputs:?}");
    if let Some((k, value)) = map.get(id) {
        if *k == key {
            return value.clone();
        }
    }
    let value = compute();
    map.insert(id.to_string(), (key, value.clone()));
    value
}
