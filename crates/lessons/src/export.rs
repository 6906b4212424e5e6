//! "Export as BrainPy code": a widget's setting as a runnable BrainPy 2.4 script
//! (`brainplay_export`), for the page's export button and `brainplay export`. A simulator
//! exports its model (the learner's edit or the built-in one), parameters, input, method, step,
//! duration and plots; a sweep, its population and measures against the swept values; a phase
//! plane or line, BrainPy's `PhasePlane2D` or `PhasePlane1D` analysis of its model.

use brainplay_export::{brainpy_script, phase_plane_script, Export, Panel, PlaneExport, Sweep};
use brainplay_sim::{msg, Message};

use crate::content::{Figured, Lesson, Widget};
use crate::setting::{Runnable, Setting};

/// The script of `block` of `lesson` as `setting` sets it, or why it has none (in both
/// languages: the page shows it). The script itself is Python, with English comments.
pub fn script(lesson: &Lesson, block: Figured, setting: &Setting) -> Result<String, Message> {
    let (kind, kind_zh) = match block {
        Figured::Widget(Widget::Simulator(s)) if s.bench.is_none() => ("simulator", "模拟器"),
        Figured::Widget(Widget::Simulator(_)) => ("synapse bench", "突触测试台"),
        Figured::Widget(Widget::FiCurve(_)) => ("f–I curve", "f–I 曲线"),
        Figured::Widget(Widget::PhasePlane(_)) => ("phase plane", "相平面"),
        Figured::Widget(Widget::PhaseLine(_)) => ("phase line", "相线"),
        Figured::Widget(Widget::Network(_)) => ("network", "网络"),
        Figured::SynapsePlot(_) => ("synapse figure", "突触图"),
    };
    if let Figured::Widget(Widget::PhasePlane(plane)) = block {
        let model = setting.model()?;
        let params = crate::setting::pairs(&setting.params);
        let origin = format!("lesson {}, phase plane `{}`", lesson.page_name(), plane.id);
        let starts: Vec<[f64; 2]> = plane.start.iter().chain(&setting.starts).copied().collect();
        return phase_plane_script(&PlaneExport {
            model: &model,
            params: &params,
            x: &plane.x,
            x_range: plane.x_range,
            y: Some((&plane.y, plane.y_range)),
            grid: plane.grid,
            starts: &starts,
            trajectory_ms: plane.trajectory_ms,
            dt_ms: plane.dt_ms,
            origin: &origin,
        });
    }
    if let Figured::Widget(Widget::PhaseLine(line)) = block {
        let model = setting.model()?;
        let params = crate::setting::pairs(&setting.params);
        let origin = format!("lesson {}, phase line `{}`", lesson.page_name(), line.id);
        return phase_plane_script(&PlaneExport {
            model: &model,
            params: &params,
            x: &line.x,
            x_range: line.x_range,
            y: None,
            grid: line.samples,
            starts: &[],
            trajectory_ms: 0.0,
            dt_ms: setting.dt_ms,
            origin: &origin,
        });
    }
    if let Figured::Widget(Widget::FiCurve(curve)) = block {
        let model = setting.model()?;
        let setup = setting.population_setup(&[])?;
        let origin = format!("lesson {}, sweep `{}`", lesson.page_name(), curve.id);
        return brainpy_script(&Export {
            model: &model,
            setup: &setup,
            duration_ms: setting.duration_ms,
            panels: &[],
            origin: &origin,
            sweep: Some(Sweep {
                param: &curve.param,
                measures: &curve.measures,
            }),
        });
    }
    let Figured::Widget(Widget::Simulator(simulator)) = block else {
        let id = block.id();
        return Err(msg!(
            "a {kind} has no BrainPy export yet: simulators export (`{id}` is a {kind})",
            "{kind_zh}还不能导出为 BrainPy 代码，目前只能导出模拟器（`{id}` 是{kind_zh}）"
        ));
    };
    if setting.bench.is_some() {
        return Err(msg!(
            "a synapse on its test bench has no BrainPy export yet (`{}`)",
            "测试台上的突触还不能导出为 BrainPy 代码（`{}`）",
            simulator.id
        ));
    }
    let model = setting.model()?;
    let setup = setting.population_setup(&[])?;
    let panels: Vec<Panel> = simulator
        .plots
        .iter()
        .map(|p| Panel {
            title: p.title.en.clone(),
            vars: p.vars.clone(),
        })
        .collect();
    let origin = format!(
        "lesson {}, {kind} `{}`{}",
        lesson.page_name(),
        simulator.id,
        if setting.source.is_some() {
            " with the learner's edited equations"
        } else {
            ""
        }
    );
    brainpy_script(&Export {
        model: &model,
        setup: &setup,
        duration_ms: setting.duration_ms,
        panels: &panels,
        origin: &origin,
        sweep: None,
    })
}
