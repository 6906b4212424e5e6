//! `brainplay figure --state LINK [--widget ID]`: what a lesson's widget shows on the page, by
//! the page's own route (`brainplay_lessons::figures`), for any kind of widget: a simulator's
//! traces (a synapse bench's too), a sweep, a phase plane with its fixed points, bifurcation
//! diagram and two-parameter curves, a phase line, a synapse figure. `--out FILE.json` writes
//! the figure's data; without it a summary of what the figure shows is printed.

use std::fmt::Write as _;
use std::io::Write as _;

use brainplay_lessons::figure::{
    Figures, LineFigure, NetworkFigures, PlaneFigure, ReservoirFigures, RingFigures, RunFigures,
    Series, SweepFigure, TrainingFigures,
};
use brainplay_lessons::figures::{compute, Cache, Figured};
use brainplay_lessons::text::format_number;

use crate::failure::Failure;
use crate::state::block_setting;
use crate::write;
use crate::FigureArgs;

pub fn figure(a: &FigureArgs, out: &mut String) -> Result<(), Failure> {
    let (lesson, block, setting) = block_setting(&a.state, a.widget.as_deref())?;
    let figures = compute(block, &setting, &mut Cache::default()).map_err(Failure::usage)?;
    match &a.out {
        Some(path) => {
            if write::format_of(path)? != write::Format::Json {
                return Err(Failure::usage(format!(
                    "--out {}: a figure is written as JSON (FILE.json)",
                    path.display()
                )));
            }
            let mut file = write::create(path)?;
            serde_json::to_writer(&mut file, &figures)
                .map_err(|e| Failure::usage(format!("writing {}: {e}", path.display())))?;
            file.flush()
                .map_err(|e| Failure::usage(format!("writing {}: {e}", path.display())))?;
            let _ = writeln!(out, "wrote {}", path.display());
        }
        None => {
            let _ = writeln!(
                out,
                "lesson {}, {} `{}`",
                lesson.page_name(),
                kind(block),
                block.id()
            );
            summary(block, &figures, out);
        }
    }
    match figures.error() {
        Some(error) => Err(Failure::non_finite(&error.en)),
        None => Ok(()),
    }
}

fn kind(block: Figured) -> &'static str {
    use brainplay_lessons::content::Widget;
    match block {
        Figured::Widget(Widget::Simulator(s)) if s.bench.is_some() => "synapse bench",
        Figured::Widget(Widget::Simulator(_)) => "simulator",
        Figured::Widget(Widget::FiCurve(_)) => "sweep",
        Figured::Widget(Widget::PhasePlane(_)) => "phase plane",
        Figured::Widget(Widget::PhaseLine(_)) => "phase line",
        Figured::Widget(Widget::Network(_)) => "network",
        Figured::SynapsePlot(_) => "synapse figure",
    }
}

fn summary(block: Figured, figures: &Figures, out: &mut String) {
    match figures {
        Figures::Run(run) => run_summary(block, run, out),
        Figures::Sweep(sweep) => sweep_summary(sweep, out),
        Figures::Plane(plane) => plane_summary(plane, out),
        Figures::Line(line) => line_summary(line, out),
        Figures::Network(network) => network_summary(network, out),
        Figures::Ring(ring) => ring_summary(ring, out),
        Figures::Reservoir(reservoir) => reservoir_summary(reservoir, out),
        Figures::Training(training) => training_summary(training, out),
    }
}

/// Each panel's title (they carry the run's numbers) and its lines' last values.
fn training_summary(f: &TrainingFigures, out: &mut String) {
    for panel in &f.panels {
        let _ = writeln!(out, "{}", panel.title.en);
        for line in &panel.lines {
            if let Some(v) = line.values.last() {
                let _ = writeln!(out, "  {} (last): {}", line.name.en, format_number(*v));
            }
        }
    }
    if let Some(e) = &f.issues.error {
        let _ = writeln!(out, "error: {}", e.en);
    }
}

/// The readout's errors and how saturated the reservoir ran.
fn reservoir_summary(f: &ReservoirFigures, out: &mut String) {
    let error = |e: Option<f64>| e.map_or("—".to_string(), |e| format!("{e:.3e}"));
    let _ = writeln!(
        out,
        "training MSE {}, test MSE {} over {} test samples shown; saturated states {}; recurrent weights drawn with spectral radius {}",
        error(f.train_mse),
        error(f.test_mse),
        f.prediction.len(),
        format_number(f.saturation),
        format_number(f.drawn_radius)
    );
    if let Some(e) = &f.issues.error {
        let _ = writeln!(out, "error: {}", e.en);
    }
}

/// The bump's height and centre at the end and at each snapshot.
fn ring_summary(ring: &RingFigures, out: &mut String) {
    for s in &ring.snapshots {
        let peak = s.u.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let _ = writeln!(
            out,
            "t = {} ms: max u {}",
            format_number(s.t_ms),
            format_number(peak)
        );
    }
    if let (Some(t), Some(c), Some(p)) = (ring.t_ms.last(), ring.centre.last(), ring.peak.last()) {
        let _ = writeln!(
            out,
            "t = {} ms: bump centre {} rad, max u {}",
            format_number(*t),
            format_number(*c),
            format_number(*p)
        );
    }
}

/// Per group: neurons, spikes, mean rate and the smoothed rate's range; the balance neuron's
/// mean currents.
fn network_summary(network: &NetworkFigures, out: &mut String) {
    let duration_s = network.t_ms.last().map_or(0.0, |t| t / 1000.0);
    for (group, rates) in network.groups.iter().zip(&network.rates) {
        let mean = group.spikes as f64 / group.neurons.max(1) as f64 / duration_s.max(1e-9);
        let _ = writeln!(
            out,
            "{}: {} neurons, {} spikes, mean rate {} Hz, population rate {} Hz",
            group.name,
            group.neurons,
            group.spikes,
            format_number(mean),
            range(rates)
        );
    }
    for s in &network.balance {
        let mean = s.values.iter().sum::<f64>() / s.values.len().max(1) as f64;
        let _ = writeln!(
            out,
            "neuron {} {}: mean {}, {}",
            network.balance_neuron,
            s.name,
            format_number(mean),
            range(s)
        );
    }
    for c in &network.choices {
        let decided = c.decision_ms.len();
        let mean = c.decision_ms.iter().sum::<f64>() / decided.max(1) as f64;
        let _ = writeln!(
            out,
            "c = {} %: {} trials, A won {}, {} decided in {} ms on average",
            format_number(c.coherence_pct),
            c.trials,
            c.a_wins,
            decided,
            format_number(mean)
        );
    }
    for w in &network.issues.warnings {
        let _ = writeln!(out, "warning: {}", w.en);
    }
}

/// min … max of a series, ignoring non-finite values.
fn range(s: &Series) -> String {
    let finite = s.values.iter().copied().filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    format!("{} … {}", format_number(lo), format_number(hi))
}

fn run_summary(block: Figured, run: &RunFigures, out: &mut String) {
    let plots = match block {
        Figured::Widget(brainplay_lessons::content::Widget::Simulator(s)) => s.plots.as_slice(),
        _ => &[],
    };
    let _ = writeln!(
        out,
        "{} samples, t = {} … {} ms",
        run.t_ms.len(),
        run.t_ms.first().map_or("-".into(), |t| format_number(*t)),
        run.t_ms.last().map_or("-".into(), |t| format_number(*t))
    );
    for (k, series) in run.plots.iter().enumerate() {
        // A plot of one variable of one neuron names no trace: the plot's variable does.
        let vars = plots.get(k).map(|p| p.vars.join(", ")).unwrap_or_default();
        for s in series {
            let name = if s.name.is_empty() { &vars } else { &s.name };
            let _ = writeln!(out, "{name}: {}", range(s));
        }
    }
    for (k, spikes) in run.spike_times_ms.iter().enumerate() {
        let pattern = run
            .patterns
            .get(k)
            .map_or(String::new(), |p| format!(", {p}"));
        let _ = writeln!(out, "neuron {k}: {} spikes{pattern}", spikes.len());
    }
    for w in &run.issues.warnings {
        let _ = writeln!(out, "warning: {}", w.en);
    }
}

fn sweep_summary(sweep: &SweepFigure, out: &mut String) {
    let mut header = "x".to_string();
    for s in &sweep.series {
        header.push('\t');
        header.push_str(if s.name.is_empty() { "y" } else { &s.name });
    }
    let _ = writeln!(out, "{header}");
    for (i, x) in sweep.x.iter().enumerate() {
        let mut row = format_number(*x);
        for s in &sweep.series {
            row.push('\t');
            row.push_str(&s.values.get(i).map_or("-".into(), |v| format_number(*v)));
        }
        let _ = writeln!(out, "{row}");
    }
}

fn plane_summary(plane: &PlaneFigure, out: &mut String) {
    let _ = writeln!(out, "fixed points ({}, {}):", plane.x_label, plane.y_label);
    for p in &plane.fixed_points {
        let eig: Vec<String> = p
            .eigenvalues
            .iter()
            .map(|(re, im)| format!("{re:.4}{:+.4}i", im))
            .collect();
        let _ = writeln!(
            out,
            "  ({:.4}, {:.4})  {}  λ = {}",
            p.x,
            p.y,
            p.stability,
            eig.join(", ")
        );
    }
    let _ = writeln!(out, "trajectories: {}", plane.trajectories.len());
    if let Some(d) = &plane.bifurcation {
        let _ = writeln!(out, "bifurcation diagram in {}:", d.param);
        for s in &d.special {
            let _ = writeln!(
                out,
                "  {} at {} = {:.5} ({} = {:.4})",
                s.kind, d.param, s.param, d.x_label, s.x
            );
        }
        let _ = writeln!(
            out,
            "  limit cycles at {} values of {}",
            d.cycles.len(),
            d.param
        );
    }
    if let Some(c) = &plane.two_parameter {
        let count = |kind: &str| c.points.iter().filter(|p| p.0 == kind).count();
        let _ = writeln!(
            out,
            "special points in ({}, {}): {} hopf, {} saddle-node",
            c.second,
            c.first,
            count("hopf"),
            count("saddle-node")
        );
    }
}

fn line_summary(line: &LineFigure, out: &mut String) {
    let _ = writeln!(out, "fixed points of {}:", line.x_label);
    for p in &line.fixed_points {
        let stability = if p.stable { "stable" } else { "unstable" };
        let _ = writeln!(out, "  {:.4}  slope {:.4} /ms  {stability}", p.x, p.slope);
    }
    if let Some(d) = &line.diagram {
        let values: Vec<String> = d.saddle_nodes.iter().map(|v| format!("{v:.5}")).collect();
        let _ = writeln!(out, "saddle-nodes in {}: {}", d.param, values.join(", "));
    }
}
