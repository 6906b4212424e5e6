//! Dynamical analysis of the models of `brainplay-sim`, on the models' own equations and
//! symbolic Jacobians (`brainplay_sim::field`): fixed points and their stability (BrainPy's
//! labels), nullclines, vector-field arrows, trajectories, one-variable phase lines,
//! one-parameter bifurcation diagrams with saddle-node and Hopf points and their
//! two-parameter curves, the ranges of limit
//! cycles by simulation, rheobase search and
//! firing-pattern names.

pub mod arrows;
pub mod bifurcation;
mod bisect;
pub mod codim2;
pub mod cycles;
pub mod fixed_points;
mod grid;
pub mod nullclines;
pub mod patterns;
pub mod phase_line;
pub mod rheobase;
pub mod stability;
pub mod trajectory;

pub use arrows::{arrows, Arrow};
pub use bifurcation::{
    continue_fixed_points, Branch, BranchPoint, Diagram, SpecialKind, SpecialPoint,
};
pub use codim2::{special_curves, CurvePoint, Sweep};
pub use cycles::{envelopes, CycleSpec, Envelope};
pub use fixed_points::{fixed_points_2d, FixedPoint, PlaneSpec};
pub use nullclines::{nullclines, Nullclines};
pub use patterns::{classify, Pattern};
pub use phase_line::{
    line_diagram, phase_line, LineDiagram, LinePoint, LineSpec, LineStability, PhaseLine,
};
pub use rheobase::{rheobase, RheobaseSpec};
pub use stability::{classify_2d, Stability};
pub use trajectory::{trajectory, Trajectory, TrajectorySpec};
