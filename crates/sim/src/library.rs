//! The built-in neuron library: model files in `models/`, compiled into the binary and parsed
//! by the same parser a user's edits go through.

use crate::ir::Model;
use crate::parse::parse_model;

/// (id, source) of every built-in model, in the order lessons introduce them.
pub const SOURCES: [(&str, &str); 13] = [
    ("hh", include_str!("../models/hh.model")),
    ("hh_clamp", include_str!("../models/hh_clamp.model")),
    ("lif", include_str!("../models/lif.model")),
    ("lif_noref", include_str!("../models/lif_noref.model")),
    ("qif", include_str!("../models/qif.model")),
    ("expif", include_str!("../models/expif.model")),
    ("adex", include_str!("../models/adex.model")),
    ("izhikevich", include_str!("../models/izhikevich.model")),
    ("fhn", include_str!("../models/fhn.model")),
    ("morris_lecar", include_str!("../models/morris_lecar.model")),
    (
        "hindmarsh_rose",
        include_str!("../models/hindmarsh_rose.model"),
    ),
    ("gif", include_str!("../models/gif.model")),
    ("sine_line", include_str!("../models/sine_line.model")),
];

/// (id, source) of every built-in synapse model (`synapses/`): models with `on_spike`
/// statements and an `output` current, which drive neurons in a circuit.
pub const SYNAPSES: [(&str, &str); 9] = [
    ("expon", include_str!("../synapses/expon.model")),
    ("expon_cuba", include_str!("../synapses/expon_cuba.model")),
    ("dual_expon", include_str!("../synapses/dual_expon.model")),
    ("alpha", include_str!("../synapses/alpha.model")),
    ("ampa", include_str!("../synapses/ampa.model")),
    ("gaba_a", include_str!("../synapses/gaba_a.model")),
    ("nmda", include_str!("../synapses/nmda.model")),
    ("stp", include_str!("../synapses/stp.model")),
    ("stdp", include_str!("../synapses/stdp.model")),
];

/// (id, source) of the built-in rate models (`rate_models/`): a learning rule and short-term
/// plasticity driven by a rate, the reduced decision-making model.
pub const RATE_MODELS: [(&str, &str); 3] = [
    ("oja", include_str!("../rate_models/oja.model")),
    ("stp_rate", include_str!("../rate_models/stp_rate.model")),
    ("wong_wang", include_str!("../rate_models/wong_wang.model")),
];

/// The ids of the built-in neuron models.
pub fn ids() -> impl Iterator<Item = &'static str> {
    SOURCES.iter().map(|(id, _)| *id)
}

/// The ids of the built-in synapse models.
pub fn synapse_ids() -> impl Iterator<Item = &'static str> {
    SYNAPSES.iter().map(|(id, _)| *id)
}

/// The text of the built-in model `id`.
pub fn source(id: &str) -> Option<&'static str> {
    SOURCES
        .iter()
        .chain(&SYNAPSES)
        .chain(&RATE_MODELS)
        .find(|(i, _)| *i == id)
        .map(|(_, source)| *source)
}

/// Parses the built-in model (neuron, synapse or rate model) `id`. The library's own tests guarantee every
/// source parses, so `None` means only that no model has this id.
pub fn get(id: &str) -> Option<Model> {
    parse_model(source(id)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_synapse_parses_with_on_spike_and_output() {
        for (id, source) in SYNAPSES {
            let model = parse_model(source).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(model.id, id);
            assert!(
                !model.reference.is_empty() && !model.brainpy.is_empty(),
                "{id}"
            );
            assert!(!model.on_spike.is_empty() && model.output.is_some(), "{id}");
            for p in &model.params {
                assert!(
                    !p.description_en.is_empty() && !p.description_zh.is_empty(),
                    "{id}.{}",
                    p.name
                );
            }
        }
    }

    #[test]
    fn every_model_parses_and_its_id_matches_its_file() {
        for (id, source) in SOURCES {
            let model = parse_model(source).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(model.id, id);
            assert!(
                !model.reference.is_empty() && !model.brainpy.is_empty(),
                "{id}"
            );
            assert!(model.input.is_some(), "{id} declares its input parameter");
            assert!(model.on_spike.is_empty() && model.output.is_none(), "{id}");
            for p in &model.params {
                assert!(
                    !p.description_en.is_empty() && !p.description_zh.is_empty(),
                    "{id}.{}",
                    p.name
                );
            }
        }
    }
}
