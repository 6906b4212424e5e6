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

/// The ids of the built-in models.
pub fn ids() -> impl Iterator<Item = &'static str> {
    SOURCES.iter().map(|(id, _)| *id)
}

/// Parses the built-in model `id`. The library's own tests guarantee every source parses, so
/// `None` means only that no model has this id.
pub fn get(id: &str) -> Option<Model> {
    let (_, source) = SOURCES.iter().find(|(i, _)| *i == id)?;
    parse_model(source).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

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
