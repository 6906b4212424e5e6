//! `brainplay lessons`: the lessons with content and, under each, the ids of its widgets (what
//! `--widget` takes) with their kind and model.

use std::fmt::Write as _;

use brainplay_lessons::content::Widget;
use brainplay_lessons::figures::Figured;
use brainplay_lessons::registry;

use crate::failure::Failure;

pub fn list(out: &mut String) -> Result<(), Failure> {
    for lesson in registry::lessons() {
        let _ = writeln!(out, "{}  {}", lesson.page_name(), lesson.title.en);
        for block in lesson.figured_blocks() {
            let what = match block {
                Figured::Widget(Widget::Simulator(s)) if s.bench.is_some() => {
                    format!(
                        "synapse bench ({} onto {})",
                        s.model,
                        s.bench.as_ref().map_or("", |b| b.post.as_str())
                    )
                }
                Figured::Widget(Widget::Simulator(s)) => format!("simulator ({})", s.model),
                Figured::Widget(Widget::FiCurve(f)) => format!("sweep ({}, {})", f.model, f.param),
                Figured::Widget(Widget::PhasePlane(p)) => {
                    format!("phase plane ({}, {}–{})", p.model, p.x, p.y)
                }
                Figured::Widget(Widget::PhaseLine(l)) => {
                    format!("phase line ({}, {})", l.model, l.x)
                }
                Figured::SynapsePlot(p) => format!("synapse figure ({})", p.synapses.join(", ")),
                Figured::Widget(Widget::Network(n)) => format!("network ({})", n.network),
            };
            let _ = writeln!(out, "  {:<16} {what}", block.id());
        }
    }
    Ok(())
}
