//! Dynamical analysis of the models of `brainplay-sim`: fixed points of a two-variable phase
//! plane found from a grid of Newton starts, and their stability from the Jacobian's
//! eigenvalues, with BrainPy's labels.

pub mod fixed_points;
pub mod stability;

pub use fixed_points::{fixed_points_2d, FixedPoint, PlaneSpec};
pub use stability::{classify_2d, Stability};
