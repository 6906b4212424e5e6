//! The vector field on the lattice of a box, for drawing arrows: each node's direction of motion
//! and its speed (to colour the arrows), from one evaluation of the field over all nodes.

use brainplay_sim::field::VectorField;
use brainplay_sim::{Model, SetupError};

use crate::fixed_points::PlaneSpec;
use crate::grid::Lattice;

#[derive(Clone, Debug, PartialEq)]
pub struct Arrow {
    pub x: f64,
    pub y: f64,
    /// Unit direction `(dx/dt, dy/dt) / speed` in the variables' own units; `(0, 0)` where the
    /// field vanishes.
    pub direction: (f64, f64),
    /// `|(dx/dt, dy/dt)|` per ms, mixing the two variables' units as they come.
    pub speed: f64,
}

/// One arrow per node of the `plane.grid × plane.grid` lattice, row by row from the lower-left
/// corner.
pub fn arrows(model: &Model, plane: &PlaneSpec) -> Result<Vec<Arrow>, SetupError> {
    let lattice = Lattice::of(plane)?;
    let (xs, ys) = lattice.nodes();
    let mut field = VectorField::new(
        model,
        &[plane.x, plane.y],
        &plane.params,
        &plane.held,
        xs.len(),
    )?;
    field.eval(&[&xs, &ys]);
    let arrows = (0..xs.len())
        .map(|k| {
            let (f, g) = (field.derivative(0)[k], field.derivative(1)[k]);
            let speed = f.hypot(g);
            let direction = if speed > 0.0 {
                (f / speed, g / speed)
            } else {
                (0.0, 0.0)
            };
            Arrow {
                x: xs[k],
                y: ys[k],
                direction,
                speed,
            }
        })
        .collect();
    Ok(arrows)
}
