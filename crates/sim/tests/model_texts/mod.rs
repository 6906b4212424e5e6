//! What the tests of the model language share: a valid model to add lines to.

/// A valid model, four lines long; most cases add lines to it.
pub const BASE: &str = r#"model m
param a = 1 mV in [0, 2] "a" "甲"
state V = 0 mV "v" "电位"
dV/dt = -V / a"#;

/// `BASE` followed by `lines`, which start on line 5.
pub fn with(lines: &str) -> String {
    format!("{BASE}\n{lines}")
}
