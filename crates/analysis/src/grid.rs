//! The lattice of a phase-plane box: `grid × grid` nodes from corner to corner, numbered row by
//! row (`k = j * grid + i`, `i` along x), shared by the nullclines and the arrow field.

use brainplay_sim::{msg, SetupError};

use crate::fixed_points::PlaneSpec;

pub(crate) struct Lattice {
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    /// Nodes per axis.
    pub n: usize,
}

impl Lattice {
    /// The lattice of `plane`, refusing boxes that are empty or grids without a cell.
    pub fn of(plane: &PlaneSpec) -> Result<Lattice, SetupError> {
        let (x0, x1) = plane.x_range;
        let (y0, y1) = plane.y_range;
        if !(x0 < x1 && y0 < y1) || plane.grid < 2 {
            return Err(SetupError(msg!(
                "the box needs lo < hi on both axes and a grid of at least 2",
                "两个坐标轴的范围都需要满足 lo < hi，网格至少为 2"
            )));
        }
        Ok(Lattice {
            x_range: plane.x_range,
            y_range: plane.y_range,
            n: plane.grid,
        })
    }

    /// x of node column `i`; fractional `i` gives points between columns (cell centres).
    pub fn x(&self, i: f64) -> f64 {
        let (lo, hi) = self.x_range;
        lo + (hi - lo) * i / (self.n - 1) as f64
    }

    pub fn y(&self, j: f64) -> f64 {
        let (lo, hi) = self.y_range;
        lo + (hi - lo) * j / (self.n - 1) as f64
    }

    /// Coordinates of every node, row by row.
    pub fn nodes(&self) -> (Vec<f64>, Vec<f64>) {
        let count = self.n * self.n;
        let xs = (0..count).map(|k| self.x((k % self.n) as f64)).collect();
        let ys = (0..count).map(|k| self.y((k / self.n) as f64)).collect();
        (xs, ys)
    }
}
