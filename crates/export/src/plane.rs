//! A phase plane or phase line as BrainPy's own analysis (`bp.analysis.PhasePlane2D` and
//! `PhasePlane1D`, the course's tools): the model's class as for a run, its derivative methods
//! analysed over the page's ranges with the page's parameters: nullclines, vector field, fixed
//! points and the trajectories from the page's start points (a line: its field and fixed
//! points).

use std::fmt::Write;

use brainplay_sim::ir::{Model, Sym};

use super::names::Names;
use super::{definitions, float, neuron, overrides, prelude};

/// An analysed state and its range.
type Axis = (usize, [f64; 2]);

/// What to export of a phase plane (or, without `y`, a phase line).
pub struct PlaneExport<'a> {
    pub model: &'a Model,
    /// Parameter overrides, one value each.
    pub params: &'a [(String, Vec<f64>)],
    pub x: &'a str,
    pub x_range: [f64; 2],
    /// The vertical state and its range; `None` for a phase line.
    pub y: Option<(&'a str, [f64; 2])>,
    /// Grid nodes per axis on the page; BrainPy's resolution is the same spacing. Its analysis
    /// sees the derivatives per second, not per ms: its fixed-point search stops at an absolute
    /// residual, which per-ms rates of 1e-4 (lesson 10's decision model) meet almost anywhere,
    /// and the time unit changes neither the fixed points nor their stability.
    pub grid: usize,
    pub starts: &'a [[f64; 2]],
    pub trajectory_ms: f64,
    pub dt_ms: f64,
    pub origin: &'a str,
}

/// The script, or why this plane cannot be exported.
pub fn phase_plane_script(e: &PlaneExport) -> Result<String, brainplay_sim::Message> {
    if let Some(why) = neuron::unsupported(e.model) {
        return Err(why);
    }
    let state = |name: &str| {
        e.model.state_index(name).ok_or_else(|| {
            let id = &e.model.id;
            brainplay_sim::msg!(
                "`{id}` has no state `{name}`",
                "`{id}` 没有状态变量 `{name}`"
            )
        })
    };
    let x = state(e.x)?;
    let y =
        e.y.map(|(name, range)| state(name).map(|i| (i, range)))
            .transpose()?;
    let analysed: Vec<Axis> = std::iter::once((x, e.x_range)).chain(y).collect();
    let names = Names::of(e.model);
    let params = overrides(e.model, &names, e.params, true)?;
    let step = |range: [f64; 2]| (range[1] - range[0]) / e.grid.max(2) as f64;
    // The input parameter is an argument of the derivatives (the others are attributes).
    let input = e.model.input.filter(|&p| {
        analysed
            .iter()
            .any(|&(s, _)| neuron::mentions(e.model, &e.model.derivatives[s], Sym::Param(p)))
    });
    let input_value = input.map(|p| {
        let name = &e.model.params[p].name;
        e.params
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.first().copied())
            .unwrap_or(e.model.params[p].default)
    });

    let analyzer = if e.y.is_some() {
        "PhasePlane2D"
    } else {
        "PhasePlane1D"
    };
    let mut out = String::new();
    let w = &mut out;
    prelude(
        w,
        e.model,
        e.origin,
        &format!(
            "The page's phase {} as BrainPy's {analyzer} analysis: the same model, parameters and\nranges, written for BrainPy 2.4.",
            if e.y.is_some() { "plane" } else { "line" }
        ),
        "Run `python this_file.py` to see the figure, or `python this_file.py --save out.json` to\nwrite the fixed points as JSON. BrainPy's trajectories follow the equations only (a spiking\nmodel's reset is not applied), and its time axis is in seconds (see per_second).",
    );
    let _ = writeln!(w, "import functools\n");
    let _ = writeln!(w, "DT_MS = {}", float(e.dt_ms));
    definitions(w, e.model, e.model.method, &[]);
    let mut args = vec!["1".to_string()];
    args.extend(params);
    let _ = writeln!(
        w,
        "model = {}({})",
        neuron::class_name(e.model),
        args.join(", ")
    );
    let held: Vec<String> = e
        .model
        .states
        .iter()
        .enumerate()
        .filter(|&(i, _)| analysed.iter().all(|&(s, _)| s != i))
        .map(|(i, _)| format!("'{0}': model.{0}.value[0]", names.states[i]))
        .collect();
    let _ = write!(
        w,
        r#"

def per_second(derivative):
    """The derivative per second instead of per ms: the same fixed points and stability, and
    residuals large enough for BrainPy's fixed-point search to tell apart."""
    @functools.wraps(derivative)
    def scaled(*args, **kwargs):
        return 1000.0 * derivative(*args, **kwargs)
    return scaled


"#
    );
    let var = |&(s, _): &Axis| &names.states[s];
    let listed = |item: &dyn Fn(&Axis) -> String| -> String {
        analysed.iter().map(item).collect::<Vec<_>>().join(", ")
    };
    let _ = writeln!(w, "analysis = bp.analysis.{analyzer}(");
    let _ = writeln!(
        w,
        "    model=[{}],",
        listed(&|a| format!("per_second(model.d{})", var(a)))
    );
    let _ = writeln!(
        w,
        "    target_vars={{{}}},",
        listed(&|a| format!("'{}': [{}, {}]", var(a), float(a.1[0]), float(a.1[1])))
    );
    if !held.is_empty() {
        let _ = writeln!(w, "    fixed_vars={{{}}},", held.join(", "));
    }
    if let (Some(p), Some(value)) = (input, input_value) {
        let _ = writeln!(
            w,
            "    pars_update={{'{}': {}}},",
            names.params[p],
            float(value)
        );
    }
    let _ = writeln!(
        w,
        "    resolutions={{{}}},",
        listed(&|a| format!("'{}': {}", var(a), float(step(a.1))))
    );
    let _ = writeln!(w, ")");
    let Some((y, _)) = y else {
        let _ = write!(
            w,
            r#"
if '--save' in sys.argv:
    points = analysis.plot_fixed_point(with_plot=False, with_return=True)
    with open(sys.argv[sys.argv.index('--save') + 1], 'w') as file:
        json.dump({{'fixed_points': np.asarray(points).reshape(-1, 1).tolist()}}, file)
else:
    import matplotlib.pyplot as plt
    analysis.plot_vector_field()
    analysis.plot_fixed_point()
    plt.show()
"#
        );
        return Ok(out);
    };
    let (px, py) = (&names.states[x], &names.states[y]);
    let starts: Vec<String> = e
        .starts
        .iter()
        .map(|[a, b]| format!("{{'{px}': [{}], '{py}': [{}]}}", float(*a), float(*b)))
        .collect();
    let _ = write!(
        w,
        r#"
if '--save' in sys.argv:
    # The fixed points are searched from the nullclines' points, as on a figure.
    analysis.plot_nullcline(with_plot=False)
    points = analysis.plot_fixed_point(with_plot=False, with_return=True)
    with open(sys.argv[sys.argv.index('--save') + 1], 'w') as file:
        json.dump({{'fixed_points': np.asarray(points).reshape(-1, 2).tolist()}}, file)
else:
    analysis.plot_nullcline()
    analysis.plot_vector_field()
    analysis.plot_fixed_point()
    for start in [{starts}]:
        analysis.plot_trajectory(start, duration={duration} / 1000.0, dt=DT_MS / 1000.0)
    analysis.show_figure()
"#,
        starts = starts.join(", "),
        duration = float(e.trajectory_ms)
    );
    Ok(out)
}
