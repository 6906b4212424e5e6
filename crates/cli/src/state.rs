//! `brainplay run --state LINK`: a lesson widget's setting as a share link leaves it, so that a
//! figure seen on the site can be reproduced (and its numbers written) on the command line.

use std::io::Write as _;

use brainplay_lessons::content::Widget;
use brainplay_lessons::figures::Figured;
use brainplay_lessons::{parse_with_lesson, Lesson, Runnable, Setting};
use brainplay_sim::{Model, Setup};

use crate::args::NameList;
use crate::failure::Failure;

/// What one run simulates: from the command line's flags, or from a lesson's share link.
pub struct Plan {
    pub model: Model,
    pub setup: Setup,
    pub duration_ms: f64,
    /// Where the setting came from, for the summary (`lesson 03-hodgkin-huxley, simulator ap`).
    pub origin: Option<String>,
}

/// The run of `widget` (default: the lesson's first simulator) of the lesson `link` names, with
/// the link's settings applied. Keys the link cannot apply are reported on stderr and keep
/// their defaults, as on the site. Records `record`, else the widget's plotted variables (an
/// f–I curve plots none: its model's states), and nothing when `recording` is false.
pub fn plan(
    link: &str,
    widget: Option<&str>,
    recording: bool,
    record: Option<&NameList>,
) -> Result<Plan, Failure> {
    let (lesson, block, setting) = block_setting(link, widget)?;
    let Figured::Widget(widget) = block else {
        return Err(Failure::usage(format!(
            "`{}` is a synapse figure, which `brainplay figure` computes",
            block.id()
        )));
    };
    if let Widget::Network(n) = widget {
        return Err(Failure::usage(format!(
            "`{}` is a network: `brainplay figure` computes its rasters and rates",
            n.id
        )));
    }
    if setting.bench.is_some() {
        return Err(Failure::usage(format!(
            "simulator `{}` is a synapse on a test bench: `brainplay figure` computes what the page shows of it; `run` runs one population",
            widget.id()
        )));
    }
    let (model, mut setup) = setting.setup(&[]).map_err(Failure::usage)?;
    setup.record = match (recording, record, widget) {
        (false, _, _) => Vec::new(),
        (true, Some(names), _) => names.0.clone(),
        (true, None, Widget::Simulator(s)) => {
            let mut names: Vec<String> = Vec::new();
            for var in s.plots.iter().flat_map(|p| &p.vars) {
                if !names.contains(var) {
                    names.push(var.clone());
                }
            }
            names
        }
        (
            true,
            None,
            Widget::FiCurve(_) | Widget::PhasePlane(_) | Widget::PhaseLine(_) | Widget::Network(_),
        ) => model.states.iter().map(|s| s.name.clone()).collect(),
    };
    let kind = match widget {
        Widget::Simulator(_) => "simulator",
        Widget::FiCurve(_) => "f–I curve",
        Widget::PhasePlane(_) => "phase plane (its trajectory run)",
        Widget::PhaseLine(_) => "phase line (a run from the initial state)",
        Widget::Network(_) => "network",
    };
    Ok(Plan {
        model,
        setup,
        duration_ms: setting.duration_ms,
        origin: Some(format!(
            "lesson {}, {kind} `{}`",
            lesson.page_name(),
            widget.id()
        )),
    })
}

/// The block `id` (default: the lesson's first simulator, else its first block with figures)
/// of the lesson `link` names, and its setting with the link's changes applied. Keys the link
/// cannot apply are reported on stderr and keep their defaults, as on the site.
pub fn block_setting(
    link: &str,
    id: Option<&str>,
) -> Result<(&'static Lesson, Figured<'static>, Setting), Failure> {
    let (lesson, state, notices) =
        parse_with_lesson(link).map_err(|e| Failure::usage(format!("--state: {e}")))?;
    for n in &notices {
        notice(&format!("{}: {}", n.key, n.message.en));
    }
    let block = match id {
        Some(id) => lesson.figured(id).ok_or_else(|| {
            Failure::usage(format!(
                "--widget: lesson {} has no widget `{id}`; it has {}",
                lesson.page_name(),
                block_ids(lesson)
            ))
        })?,
        None => lesson
            .simulators()
            .next()
            .map(|s| Figured::Widget(Widget::Simulator(s)))
            .or_else(|| lesson.figured_blocks().next())
            .ok_or_else(|| {
                Failure::usage(format!("lesson {} has no widget", lesson.page_name()))
            })?,
    };
    let id = block.id();
    for other in state.widgets.keys().filter(|other| *other != id) {
        notice(&format!(
            "the link also changes `{other}`, which this command does not use (--widget {other} does)"
        ));
    }
    let mut setting = match block {
        Figured::Widget(w) => Setting::from_widget(w),
        Figured::SynapsePlot(p) => Setting::of_model(p.synapses.first().map_or("", String::as_str)),
    };
    if let Some(changes) = state.widgets.get(id) {
        changes.apply_to(&mut setting);
    }
    Ok((lesson, block, setting))
}

fn block_ids(lesson: &Lesson) -> String {
    let ids: Vec<&str> = lesson.figured_blocks().map(|b| b.id()).collect();
    ids.join(", ")
}

/// A key of the link that was not applied, on stderr.
fn notice(message: &str) {
    let _ = writeln!(std::io::stderr(), "notice: {message}");
}
