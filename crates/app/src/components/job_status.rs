//! A widget's job as the learner sees it: progress with a cancel button while it runs, then what
//! went wrong, if anything (a failure, a run stopped by a non-finite value, warnings).

use brainplay_content::figure::{Figures, Issues};
use leptos::prelude::*;

use crate::compute::{Job, JobStatus, Outcome};
use crate::i18n::{ui, use_lang};

/// The figures of a finished job, if it computed figures.
pub fn done_figures(status: &JobStatus) -> Option<&Figures> {
    match status {
        JobStatus::Done(outcome) => match outcome.as_ref() {
            Outcome::Figures(figures) => Some(figures),
            _ => None,
        },
        _ => None,
    }
}

/// The figures of a finished job, or those a long run has sent while under way.
pub fn figures_so_far(status: &JobStatus) -> Option<&Figures> {
    match status {
        JobStatus::Running {
            partial: Some(figures),
            ..
        } => Some(figures),
        _ => done_figures(status),
    }
}

/// A run's problems; analyses show theirs beside their figures.
fn run_issues(figures: &Figures) -> Option<&Issues> {
    matches!(figures, Figures::Run(_) | Figures::Sweep(_)).then(|| figures.issues())
}

#[component]
pub fn JobStatusView(job: Job) -> impl IntoView {
    let lang = use_lang();
    let status = job.status;
    move || match status.get() {
        JobStatus::Running { fraction, .. } => {
            let job = job.clone();
            view! {
                <div class="run-status">
                    <span>{ui("running", lang.get())}</span>
                    <progress class="progress" max="1" value=fraction></progress>
                    <button class="small cancel" on:click=move |_| job.cancel()>{ui("cancel", lang.get())}</button>
                </div>
            }
            .into_any()
        }
        JobStatus::Cancelled => {
            view! { <p class="notice">{ui("cancelled", lang.get())}</p> }.into_any()
        }
        JobStatus::Failed(message) => {
            view! { <p class="error">{message.get(lang.get()).to_string()}</p> }.into_any()
        }
        done @ JobStatus::Done(_) => {
            let Some(issues) = done_figures(&done).and_then(run_issues) else {
                return ().into_any();
            };
            let lang = lang.get();
            let error = issues.error.as_ref().map(|e| {
                view! { <p class="error run-error">{format!("{}: {}", ui("run_failed", lang), e.get(lang))}</p> }
            });
            let warnings = (!issues.warnings.is_empty()).then(|| {
                view! {
                    <p class="notice warnings">
                        {format!(
                            "{}: {}",
                            ui("warnings", lang),
                            issues.warnings.iter().map(|w| w.get(lang)).collect::<Vec<_>>().join("; ")
                        )}
                    </p>
                }
            });
            view! { {error} {warnings} }.into_any()
        }
        JobStatus::Idle => ().into_any(),
    }
}
