//! Dynamical analysis of the models of `brainplay-sim`: fixed points of a two-variable phase
//! plane found from a grid of Newton starts, their stability from the Jacobian's eigenvalues with
//! BrainPy's labels, and firing patterns named from spike trains (criteria in `patterns`).

pub mod fixed_points;
pub mod patterns;
pub mod stability;

pub use fixed_points::{fixed_points_2d, FixedPoint, PlaneSpec};
pub use patterns::{classify, Pattern};
pub use stability::{classify_2d, Stability};
