//! A long computation's reports to the page: its progress about ten times a second, and the
//! figures of what it has computed so far (a network under way) every 400 ms.

use brainplay_content::figure::Figures;
use brainplay_content::wire::Reply;
use web_sys::DedicatedWorkerGlobalScope;

use crate::post;

const PROGRESS_EVERY_MS: f64 = 100.0;
const PARTIAL_EVERY_MS: f64 = 400.0;

pub struct Reporter {
    job: u64,
    last_report: f64,
    last_partial: f64,
}

impl Reporter {
    pub fn new(job: u64) -> Reporter {
        let now = js_sys::Date::now();
        Reporter {
            job,
            last_report: now,
            last_partial: now,
        }
    }

    /// Posts `fraction` done if a report is due, with `partial()` if partial figures are due
    /// too (it is called only then).
    pub fn report(
        &mut self,
        scope: &DedicatedWorkerGlobalScope,
        fraction: f64,
        partial: impl FnOnce() -> Option<Figures>,
    ) {
        let now = js_sys::Date::now();
        if now - self.last_report <= PROGRESS_EVERY_MS {
            return;
        }
        self.last_report = now;
        let partial = match now - self.last_partial > PARTIAL_EVERY_MS {
            true => {
                self.last_partial = now;
                partial().map(Box::new)
            }
            false => None,
        };
        let job = self.job;
        post(
            scope,
            &Reply::Progress {
                job,
                fraction,
                partial,
            },
        );
    }
}
