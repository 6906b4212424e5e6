//! The model's equations as MathML, and an "edit equations" mode: the model text in an editor,
//! checked by a compute worker as the learner types; errors are shown at their line and column
//! while the last good model keeps running.

use brainplay_content::model_info::ModelInfo;
use brainplay_content::text::Text;
use leptos::prelude::*;

use crate::compute::{Job, JobStatus, Outcome};
use crate::i18n::{tr, ui, use_lang};

/// The source line of an error with a caret under its column.
fn point_at(source: &str, line: usize, column: usize) -> String {
    let text = source.lines().nth(line.saturating_sub(1)).unwrap_or("");
    format!("{text}\n{}^", " ".repeat(column.saturating_sub(1)))
}

#[component]
pub fn Equations(
    #[prop(into)] model: Signal<ModelInfo>,
    /// A new model to run (`None`: the built-in model again).
    on_model: Callback<Option<ModelInfo>>,
    /// Opens in the editor with `model`'s text (an edit restored from a link).
    #[prop(optional)]
    editing_from_start: bool,
) -> impl IntoView {
    let lang = use_lang();
    let editing = RwSignal::new(editing_from_start);
    let draft = RwSignal::new(if editing_from_start {
        model.with_untracked(|m| m.source.clone())
    } else {
        String::new()
    });
    let error = RwSignal::new(None::<(Text, String)>);
    // Each edit is described by a worker; only the latest edit's answer counts.
    let job = Job::new();
    {
        let status = job.status;
        Effect::new(move |_| {
            let JobStatus::Done(outcome) = status.get() else {
                return;
            };
            if let Outcome::Described(described) = outcome.as_ref() {
                match described {
                    Ok(info) => {
                        error.set(None);
                        on_model.run(Some((**info).clone()));
                    }
                    Err(problem) => error.set(Some((
                        problem.message.clone(),
                        draft.with_untracked(|d| point_at(d, problem.line, problem.column)),
                    ))),
                }
            }
        });
    }
    let equations = move || {
        model.with(|m| {
            let block = |html: &String| {
                let html = html.clone();
                view! { <div class="equation" inner_html=html></div> }
            };
            // A synapse's jumps, under what triggers them.
            let events = m
                .events
                .iter()
                .map(|(label, list)| {
                    let label = label.clone();
                    view! {
                        <p class="event">{move || ui(&label, lang.get())}</p>
                        {list.iter().map(block).collect::<Vec<_>>()}
                    }
                })
                .collect::<Vec<_>>();
            (m.equations.iter().map(block).collect::<Vec<_>>(), events)
        })
    };
    let on_edit = {
        let job = job.clone();
        move |ev| {
            let text = event_target_value(&ev);
            draft.set(text.clone());
            job.describe(&text);
        }
    };
    view! {
        <details class="equations" open=editing_from_start>
            <summary>{tr("equations", lang)}</summary>
            <div class="equation-list">{equations}</div>
            <div class="equation-tools">
                <button
                    class="small"
                    on:click=move |_| {
                        if editing.get() {
                            editing.set(false);
                            error.set(None);
                            job.cancel();
                            on_model.run(None);
                        } else {
                            draft.set(model.with_untracked(|m| m.source.clone()));
                            editing.set(true);
                        }
                    }
                >
                    {move || {
                        ui(if editing.get() { "stop_editing" } else { "edit_equations" }, lang.get())
                    }}
                </button>
            </div>
            <Show when=move || editing.get()>
                <textarea
                    class="model-source"
                    spellcheck="false"
                    aria-label=move || ui("model_source", lang.get())
                    rows="18"
                    prop:value=move || draft.get()
                    on:input=on_edit.clone()
                ></textarea>
                {move || {
                    error
                        .get()
                        .map(|(message, caret)| {
                            view! {
                                <div class="error model-error">
                                    <p>{ui("equation_error", lang.get())}</p>
                                    <p class="message">{message.get(lang.get()).to_string()}</p>
                                    <pre>{caret}</pre>
                                </div>
                            }
                        })
                }}
            </Show>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::point_at;

    #[test]
    fn the_caret_sits_under_the_column() {
        assert_eq!(
            point_at("model x\ndV/dt = V +", 2, 11),
            "dV/dt = V +\n          ^"
        );
    }
}
