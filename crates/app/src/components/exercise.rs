//! An auto-checked exercise: numeric answer, multiple choice, or "make the model do X" (checked
//! by a compute worker simulating the learner's current setting of a simulator on the page,
//! with progress and cancel). Feedback says what is wrong; hints come one at a time; the
//! explanation can be revealed.

use brainplay_content::check::{check_typed, option_label, Answer, Verdict};
use brainplay_content::content::{Exercise, Task};
use brainplay_content::setting::Setting;
use brainplay_content::text::{typeset_unit, Text};
use leptos::prelude::*;

use crate::components::job_status::JobStatusView;
use crate::components::markdown::Markdown;
use crate::compute::{use_page, Job, JobStatus, Outcome};
use crate::i18n::{tr, ui, use_lang};
use crate::progress::{mark_solved, use_progress};

#[component]
pub fn ExerciseBlock(
    lesson_number: u32,
    exercise: &'static Exercise,
    /// The current setting of the simulator a simulate exercise names.
    current_setting: Callback<(), Option<Setting>>,
) -> impl IntoView {
    let lang = use_lang();
    let progress = use_progress();
    let verdict = RwSignal::new(None::<Verdict>);
    let hints_shown = RwSignal::new(0usize);
    let revealed = RwSignal::new(false);
    let typed = RwSignal::new(String::new());
    let picked = RwSignal::new(Vec::<usize>::new());
    // A table exercise's cells, row by row (`None`: not filled in yet).
    let cells = RwSignal::new(match &exercise.task {
        Task::Table { rows, columns, .. } => vec![vec![None::<usize>; columns.len()]; rows.len()],
        _ => Vec::new(),
    });
    let id = exercise.id.clone();
    let solved = {
        let id = id.clone();
        Signal::derive(move || progress.progress.with(|p| p.is_solved(lesson_number, &id)))
    };

    let accept = {
        let id = id.clone();
        move |v: Verdict| {
            if v.correct {
                mark_solved(lesson_number, &id);
            }
            verdict.set(Some(v));
        }
    };
    // A simulate exercise's check comes back from a compute worker.
    let job = Job::new();
    {
        let (status, accept) = (job.status, accept.clone());
        Effect::new(move |_| {
            if let JobStatus::Done(outcome) = status.get() {
                if let Outcome::Verdict(v) = outcome.as_ref() {
                    accept(v.clone());
                }
            }
        });
    }
    let submit = {
        let (id, job, page) = (id.clone(), job.clone(), use_page());
        move || {
            let answer = match &exercise.task {
                Task::Numeric { .. } => {
                    Answer::Number(typed.get().trim().parse().unwrap_or(f64::NAN))
                }
                Task::Choice { .. } => Answer::Choice(picked.get()),
                Task::Table { .. } => Answer::Table(cells.get()),
                Task::Simulate { .. } => {
                    if let Some(setting) = current_setting.run(()) {
                        verdict.set(None);
                        job.check(&page, &id, &setting);
                    }
                    return;
                }
            };
            if let Some(verdict) = check_typed(exercise, &answer) {
                accept(verdict);
            }
        }
    };
    let submit_on_enter = submit.clone();

    let answer_area = match &exercise.task {
        Task::Numeric { unit, .. } => view! {
            <div class="answer-row">
                <label>
                    {tr("your_answer", lang)} " "
                    <input
                        type="number"
                        class="answer"
                        step="any"
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev))
                        on:keydown=move |ev: web_sys::KeyboardEvent| {
                            if ev.key() == "Enter" {
                                submit_on_enter();
                            }
                        }
                    />
                </label>
                <span class="unit">{typeset_unit(unit)}</span>
            </div>
        }
        .into_any(),
        Task::Choice {
            options, correct, ..
        } => {
            let single = correct.len() == 1;
            let name = format!("choice-{id}");
            options
                .iter()
                .enumerate()
                .map(|(i, option)| {
                    let option = option.clone();
                    let name = name.clone();
                    view! {
                        <label class="choice">
                            <input
                                type=if single { "radio" } else { "checkbox" }
                                name=name
                                value=i
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    picked.update(|p| {
                                        if single {
                                            p.clear();
                                        }
                                        p.retain(|&x| x != i);
                                        if on {
                                            p.push(i);
                                        }
                                    });
                                }
                            />
                            " " {option_label(i)} ". " {move || option.get(lang.get()).to_string()}
                        </label>
                    }
                })
                .collect_view()
                .into_any()
        }
        Task::Table {
            rows,
            columns,
            options,
            ..
        } => {
            view! { <FillTable rows=rows columns=columns options=options cells=cells /> }.into_any()
        }
        Task::Simulate { .. } => ().into_any(),
    };
    let check_label = match exercise.task {
        Task::Simulate { .. } => "check_setting",
        _ => "check",
    };
    let reveal_text: Option<Text> = match &exercise.task {
        Task::Numeric {
            answer,
            tolerance,
            unit,
            ..
        } => {
            let text = format!("{answer} ± {tolerance} {}", typeset_unit(unit));
            Some(Text::new(text.clone(), text))
        }
        Task::Choice { correct, .. } => {
            let text = correct
                .iter()
                .map(|&i| option_label(i))
                .collect::<Vec<_>>()
                .join(", ");
            Some(Text::new(text.clone(), text))
        }
        Task::Table {
            rows,
            options,
            cells,
            ..
        } => {
            let table = |lang: fn(&Text) -> &str| {
                rows.iter()
                    .zip(cells)
                    .map(|(row, cells)| {
                        let picked: Vec<&str> = cells.iter().map(|&c| lang(&options[c])).collect();
                        format!("{}: {}", lang(row), picked.join(", "))
                    })
                    .collect::<Vec<_>>()
                    .join(" · ")
            };
            Some(Text::new(table(|t| &t.en), table(|t| &t.zh)))
        }
        Task::Simulate { .. } => None,
    };
    let hints = exercise.hints.clone();
    let hint_count = hints.len();
    let no_more_hints = move || hints_shown.get() >= hint_count;

    view! {
        <section class="exercise" id=format!("exercise-{id}") data-solved=move || solved.get().to_string()>
            <h3>
                {tr("exercise", lang)}
                {move || solved.get().then(|| view! { <span class="badge ok">{ui("solved", lang.get())}</span> })}
            </h3>
            <div class="question">
                <Markdown text=Signal::derive(move || exercise.question.get(lang.get()).to_string()) />
            </div>
            <div class="choices">{answer_area}</div>
            <div class="answer-row">
                <button class="primary check" on:click=move |_| submit()>
                    {move || ui(check_label, lang.get())}
                </button>
                <button
                    class="small hint-button"
                    disabled=no_more_hints
                    on:click=move |_| hints_shown.update(|n| *n += 1)
                >
                    {tr("hint", lang)}
                </button>
                <button class="small reveal" on:click=move |_| revealed.set(true)>
                    {tr("reveal", lang)}
                </button>
            </div>
            <JobStatusView job=job />
            {move || {
                hints
                    .iter()
                    .take(hints_shown.get())
                    .map(|h| {
                        let text = h.get(lang.get()).to_string();
                        view! { <div class="hint"><Markdown text=text /></div> }
                    })
                    .collect_view()
            }}
            {move || {
                verdict
                    .get()
                    .map(|v| {
                        let class = if v.correct { "feedback correct" } else { "feedback incorrect" };
                        let head = ui(if v.correct { "correct" } else { "incorrect" }, lang.get());
                        view! {
                            <div class=class>
                                <strong>{head}</strong>
                                " "
                                {v.feedback.get(lang.get()).to_string()}
                            </div>
                        }
                    })
            }}
            <Show when=move || revealed.get() || verdict.with(|v| v.as_ref().is_some_and(|v| v.correct))>
                <div class="explanation">
                    {reveal_text.clone().map(|t| view! { <p class="answer-reveal"><strong>{move || t.get(lang.get()).to_string()}</strong></p> })}
                    <Markdown text=Signal::derive(move || exercise.explanation.get(lang.get()).to_string()) />
                </div>
            </Show>
        </section>
    }
}

/// A table the learner fills in: a drop-down of the options in every cell.
#[component]
fn FillTable(
    rows: &'static [Text],
    columns: &'static [Text],
    options: &'static [Text],
    cells: RwSignal<Vec<Vec<Option<usize>>>>,
) -> impl IntoView {
    let lang = use_lang();
    let header = columns
        .iter()
        .map(|c| view! { <th scope="col">{move || c.get(lang.get()).to_string()}</th> })
        .collect_view();
    let body = rows
        .iter()
        .enumerate()
        .map(|(r, row)| {
            let row_cells = (0..columns.len())
                .map(|c| {
                    let choices = options
                        .iter()
                        .enumerate()
                        .map(|(i, o)| {
                            view! { <option value=i>{move || o.get(lang.get()).to_string()}</option> }
                        })
                        .collect_view();
                    view! {
                        <td>
                            <select
                                class="cell"
                                data-row=r
                                data-column=c
                                aria-label=move || format!(
                                    "{} — {}",
                                    row.get(lang.get()),
                                    columns[c].get(lang.get())
                                )
                                on:change=move |ev| {
                                    let picked = event_target_value(&ev).parse().ok();
                                    cells.update(|t| t[r][c] = picked);
                                }
                            >
                                <option value="">"—"</option>
                                {choices}
                            </select>
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{move || row.get(lang.get()).to_string()}</th>
                    {row_cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="fill-table">
            <thead>
                <tr>
                    <th></th>
                    {header}
                </tr>
            </thead>
            <tbody>{body}</tbody>
        </table>
    }
}
