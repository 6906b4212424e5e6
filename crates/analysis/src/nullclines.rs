//! Nullclines of a two-variable phase plane by marching squares: the field's sign at every node
//! of the lattice (and at cell centres, to settle saddle cells), one crossing per edge with a
//! sign change, each refined by bisection along its edge, joined cell by cell into polylines.

use brainplay_sim::field::VectorField;
use brainplay_sim::{Model, SetupError};

use crate::bisect::{bisect, Brackets};
use crate::fixed_points::PlaneSpec;
use crate::grid::Lattice;

/// The branches of both nullclines as polylines; a closed branch repeats its first point last.
#[derive(Clone, Debug, PartialEq)]
pub struct Nullclines {
    /// Where `dx/dt = 0`.
    pub x: Vec<Vec<(f64, f64)>>,
    /// Where `dy/dt = 0`.
    pub y: Vec<Vec<(f64, f64)>>,
}

/// The nullclines inside the box, found on the `plane.grid × plane.grid` lattice: branches that
/// pass between nodes without changing sign on any edge (e.g. a tangency) are missed, finer
/// grids resolve more.
pub fn nullclines(model: &Model, plane: &PlaneSpec) -> Result<Nullclines, SetupError> {
    let lattice = Lattice::of(plane)?;
    let n = lattice.n;
    let cells = n - 1;
    // Nodes first, then cell centres: one evaluation for all the signs marching squares needs.
    let (mut xs, mut ys) = lattice.nodes();
    for c in 0..cells * cells {
        xs.push(lattice.x((c % cells) as f64 + 0.5));
        ys.push(lattice.y((c / cells) as f64 + 0.5));
    }
    let vars = [plane.x, plane.y];
    let mut field = VectorField::new(model, &vars, &plane.params, &plane.held, xs.len())?;
    field.eval(&[&xs, &ys]);

    let edges = Edges { n };
    let mut brackets = Brackets {
        from: vec![Vec::new(), Vec::new()],
        to: vec![Vec::new(), Vec::new()],
        component: Vec::new(),
        from_nonneg: Vec::new(),
    };
    // Per component: the crossing on each edge (index into `brackets`) and the segments joining
    // crossings within a cell.
    let mut segments: [Vec<(usize, usize)>; 2] = [Vec::new(), Vec::new()];
    for (component, segments) in segments.iter_mut().enumerate() {
        let values = field.derivative(component);
        let sign = |k: usize| values[k].is_finite().then_some(values[k] >= 0.0);
        let mut crossing = vec![None; edges.count()];
        for (e, slot) in crossing.iter_mut().enumerate() {
            let (a, b) = edges.ends(e);
            if let (Some(sa), Some(sb)) = (sign(a), sign(b)) {
                if sa != sb {
                    *slot = Some(brackets.len());
                    brackets.from[0].push(xs[a]);
                    brackets.from[1].push(ys[a]);
                    brackets.to[0].push(xs[b]);
                    brackets.to[1].push(ys[b]);
                    brackets.component.push(component);
                    brackets.from_nonneg.push(sa);
                }
            }
        }
        for c in 0..cells * cells {
            let (i, j) = (c % cells, c / cells);
            let corners = [
                j * n + i,
                j * n + i + 1,
                (j + 1) * n + i + 1,
                (j + 1) * n + i,
            ];
            let Some(s) = corners.iter().map(|&k| sign(k)).collect::<Option<Vec<_>>>() else {
                continue;
            };
            // Bottom, right, top, left: the edge between corners m and m + 1.
            let sides = [
                edges.horizontal(i, j),
                edges.vertical(i + 1, j),
                edges.horizontal(i, j + 1),
                edges.vertical(i, j),
            ];
            let cut: Vec<usize> = (0..4)
                .filter(|&m| s[m] != s[(m + 1) % 4])
                .filter_map(|m| crossing[sides[m]])
                .collect();
            match cut[..] {
                [p, q] => segments.push((p, q)),
                [bottom, right, top, left] => {
                    // A saddle cell: the centre's sign says which diagonal pair is connected.
                    let centre = values[n * n + c];
                    if (centre >= 0.0) == s[0] {
                        segments.extend([(bottom, right), (top, left)]);
                    } else {
                        segments.extend([(left, bottom), (right, top)]);
                    }
                }
                _ => {}
            }
        }
    }

    let points = if brackets.len() == 0 {
        Vec::new()
    } else {
        let mut refine =
            VectorField::new(model, &vars, &plane.params, &plane.held, brackets.len())?;
        let t = bisect(&mut refine, &brackets);
        let p = brackets.points(&t);
        p[0].iter().copied().zip(p[1].iter().copied()).collect()
    };
    let [x_segments, y_segments] = segments;
    Ok(Nullclines {
        x: polylines(&x_segments, &points),
        y: polylines(&y_segments, &points),
    })
}

/// Edge numbering of the lattice: horizontal edges `(i, j)–(i + 1, j)` first, then vertical
/// edges `(i, j)–(i, j + 1)`, so neighbouring cells name a shared edge alike.
struct Edges {
    n: usize,
}

impl Edges {
    fn count(&self) -> usize {
        2 * self.n * (self.n - 1)
    }

    fn horizontal(&self, i: usize, j: usize) -> usize {
        j * (self.n - 1) + i
    }

    fn vertical(&self, i: usize, j: usize) -> usize {
        self.n * (self.n - 1) + j * self.n + i
    }

    /// The two nodes of edge `e`.
    fn ends(&self, e: usize) -> (usize, usize) {
        let n = self.n;
        let horizontal = n * (n - 1);
        if e < horizontal {
            let (i, j) = (e % (n - 1), e / (n - 1));
            (j * n + i, j * n + i + 1)
        } else {
            let k = e - horizontal;
            (k, k + n)
        }
    }
}

/// Chains segments into polylines. Each crossing lies on an edge shared by at most two cells,
/// so it has at most two neighbours: open branches are walked from an end, what remains are
/// loops.
fn polylines(segments: &[(usize, usize)], points: &[(f64, f64)]) -> Vec<Vec<(f64, f64)>> {
    let mut neighbours = vec![Vec::new(); points.len()];
    for &(p, q) in segments {
        neighbours[p].push(q);
        neighbours[q].push(p);
    }
    let mut visited = vec![false; points.len()];
    let mut lines = Vec::new();
    let ends = (0..points.len()).filter(|&p| neighbours[p].len() == 1);
    let loops = (0..points.len()).filter(|&p| neighbours[p].len() == 2);
    for start in ends.chain(loops) {
        if visited[start] {
            continue;
        }
        let mut path = vec![start];
        visited[start] = true;
        let mut at = start;
        while let Some(&next) = neighbours[at].iter().find(|&&m| !visited[m]) {
            visited[next] = true;
            path.push(next);
            at = next;
        }
        if path.len() > 2 && neighbours[at].contains(&start) {
            path.push(start);
        }
        lines.push(path.iter().map(|&p| points[p]).collect());
    }
    lines
}
