//! BrainPlay's learning core (lessons 12–14): the Mackey–Glass series, echo state networks with
//! a ridge-regression readout, and the small linear algebra they need (eigenvalues of a general
//! matrix, Cholesky solves). Pure Rust, no web dependency: same settings and seed, same result.

pub mod eigen;
pub mod esn;
pub mod mackey_glass;
pub mod ridge;
