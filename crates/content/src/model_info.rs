//! What the page is told of a model, so that it can show sliders and equations without the
//! simulation core: the compute worker describes each model (`brainplay_lessons::describe`).

use serde::{Deserialize, Serialize};

use crate::text::{Lang, Text};

/// A parameter as a slider shows it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ParamInfo {
    pub name: String,
    pub unit: String,
    pub min: f64,
    pub max: f64,
    pub default: f64,
    pub description_en: String,
    pub description_zh: String,
}

impl ParamInfo {
    pub fn description(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.description_en,
            Lang::Zh => &self.description_zh,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    pub id: String,
    /// The model's text in the model language.
    pub source: String,
    /// Its own integration method's name.
    pub method: String,
    pub params: Vec<ParamInfo>,
    /// The equations, one MathML `<math>` element each.
    pub equations: Vec<String>,
    /// A synapse's jumps: (what triggers them, `on_pre_spike` or `on_post_spike`; one MathML
    /// element per statement).
    pub events: Vec<(String, Vec<String>)>,
}

impl ModelInfo {
    pub fn param(&self, name: &str) -> Option<&ParamInfo> {
        self.params.iter().find(|p| p.name == name)
    }
}

/// Why a model text does not parse, at its line and column (1-based).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelProblem {
    /// What is wrong, in both languages (without the place, which `line` and `column` give).
    pub message: Text,
    pub line: usize,
    pub column: usize,
}
