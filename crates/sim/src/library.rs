//! The built-in neuron library: model files in `models/`, compiled into the binary (without
//! their header comments, `build.rs`) and parsed by the same parser a user's edits go through.

use crate::ir::Model;
use crate::parse::parse_model;

/// (id, source) of every built-in model, in the order lessons introduce them.
pub const SOURCES: [(&str, &str); 13] = [
    (
        "hh",
        include_str!(concat!(env!("OUT_DIR"), "/models/hh.model")),
    ),
    (
        "hh_clamp",
        include_str!(concat!(env!("OUT_DIR"), "/models/hh_clamp.model")),
    ),
    (
        "lif",
        include_str!(concat!(env!("OUT_DIR"), "/models/lif.model")),
    ),
    (
        "lif_noref",
        include_str!(concat!(env!("OUT_DIR"), "/models/lif_noref.model")),
    ),
    (
        "qif",
        include_str!(concat!(env!("OUT_DIR"), "/models/qif.model")),
    ),
    (
        "expif",
        include_str!(concat!(env!("OUT_DIR"), "/models/expif.model")),
    ),
    (
        "adex",
        include_str!(concat!(env!("OUT_DIR"), "/models/adex.model")),
    ),
    (
        "izhikevich",
        include_str!(concat!(env!("OUT_DIR"), "/models/izhikevich.model")),
    ),
    (
        "fhn",
        include_str!(concat!(env!("OUT_DIR"), "/models/fhn.model")),
    ),
    (
        "morris_lecar",
        include_str!(concat!(env!("OUT_DIR"), "/models/morris_lecar.model")),
    ),
    (
        "hindmarsh_rose",
        include_str!(concat!(env!("OUT_DIR"), "/models/hindmarsh_rose.model")),
    ),
    (
        "gif",
        include_str!(concat!(env!("OUT_DIR"), "/models/gif.model")),
    ),
    (
        "sine_line",
        include_str!(concat!(env!("OUT_DIR"), "/models/sine_line.model")),
    ),
];

/// (id, source) of every built-in synapse model (`synapses/`): models with `on_spike`
/// statements and an `output` current, which drive neurons in a circuit.
pub const SYNAPSES: [(&str, &str); 11] = [
    (
        "expon",
        include_str!(concat!(env!("OUT_DIR"), "/synapses/expon.model")),
    ),
    (
        "expon_cuba",
        include_str!(concat!(env!("OUT_DIR"), "/synapses/expon_cuba.model")),
    ),
    (
        "dual_expon",
        include_str!(concat!(env!("OUT_DIR"), "/synapses/dual_expon.model")),
    ),
    (
        "alpha",
        include_str!(concat!(env!("OUT_DIR"), "/synapses/alpha.model")),
    ),
    (
        "ampa",
        include_str!(concat!(env!("OUT_DIR"), "/synapses/ampa.model")),
    ),
    (
        "gaba_a",
        include_str!(concat!(env!("OUT_DIR"), "/synapses/gaba_a.model")),
    ),
    (
        "nmda",
        include_str!(concat!(env!("OUT_DIR"), "/synapses/nmda.model")),
    ),
    (
        "stp",
        include_str!(concat!(env!("OUT_DIR"), "/synapses/stp.model")),
    ),
    (
        "tf_std",
        include_str!(concat!(env!("OUT_DIR"), "/synapses/tf_std.model")),
    ),
    (
        "std",
        include_str!(concat!(env!("OUT_DIR"), "/synapses/std.model")),
    ),
    (
        "stdp",
        include_str!(concat!(env!("OUT_DIR"), "/synapses/stdp.model")),
    ),
];

/// (id, source) of the built-in rate models (`rate_models/`): a learning rule and short-term
/// plasticity driven by a rate, the reduced decision-making model.
pub const RATE_MODELS: [(&str, &str); 3] = [
    (
        "oja",
        include_str!(concat!(env!("OUT_DIR"), "/rate_models/oja.model")),
    ),
    (
        "stp_rate",
        include_str!(concat!(env!("OUT_DIR"), "/rate_models/stp_rate.model")),
    ),
    (
        "wong_wang",
        include_str!(concat!(env!("OUT_DIR"), "/rate_models/wong_wang.model")),
    ),
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

    /// The compiled-in texts start at their `model` statement: the header comments stay in the
    /// repository's files (`build.rs`), and the rest of each file is kept as written.
    #[test]
    fn built_in_texts_are_the_files_without_their_headers() {
        for (id, source) in SOURCES.iter().chain(&SYNAPSES).chain(&RATE_MODELS) {
            assert!(source.starts_with(&format!("model {id}\n")), "{id}");
            let folder = ["models", "synapses", "rate_models"]
                .iter()
                .map(|f| format!("{}/{f}/{id}.model", env!("CARGO_MANIFEST_DIR")))
                .find(|p| std::path::Path::new(p).exists())
                .expect("the model's file");
            let file = std::fs::read_to_string(folder).unwrap();
            assert!(file.ends_with(source) && file.len() > source.len(), "{id}");
        }
    }

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
