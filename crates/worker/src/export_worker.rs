//! The BrainPy export worker: writes a widget's setting as a BrainPy script
//! (`brainplay_lessons::export`). Started by the page only when a learner asks for the code, so
//! the export never adds to what a lesson page downloads before its first plot.

use std::collections::BTreeMap;

use brainplay_content::wire::{Reply, Request};
use brainplay_lessons::{export, Lesson};
use brainplay_sim::msg;
use brainplay_worker::{failed, lesson, no_block, post, serve};

fn main() {
    let mut lessons: BTreeMap<String, Lesson> = BTreeMap::new();
    serve(move |scope, request| match request {
        Request::Lesson { page, data } => {
            if let Ok(lesson) = Lesson::from_data(&data) {
                lessons.insert(page, lesson);
            }
        }
        Request::Export {
            job,
            page,
            block,
            setting,
        } => {
            let script = lesson(&lessons, &page).and_then(|lesson| {
                let figured = lesson
                    .figured(&block)
                    .ok_or_else(|| no_block(&page, &block))?;
                export::script(lesson, figured, &setting)
            });
            let reply = match script {
                Ok(script) => Reply::Exported { job, script },
                Err(message) => failed(job, message),
            };
            post(scope, &reply);
        }
        Request::Open { job, .. }
        | Request::Figures { job, .. }
        | Request::Check { job, .. }
        | Request::Describe { job, .. }
        | Request::Link { job, .. }
        | Request::CheckInput { job, .. }
        | Request::Bench { job, .. } => post(
            scope,
            &failed(
                job,
                msg!(
                    "the export worker only writes BrainPy code",
                    "导出线程只生成 BrainPy 代码"
                ),
            ),
        ),
    });
}
