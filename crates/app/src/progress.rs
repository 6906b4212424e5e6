//! The learner's progress: which exercises are solved, stored in localStorage as versioned text
//! (`brainplay-progress v1`, then one `NN/exercise` per line).
//!
//! Nothing stored is ever lost: what cannot be read (a record of another format, or single
//! stray lines of this one) is appended, with the time it was found, to a record kept aside
//! under a key of its own, and the learner is told; the readable lines are used. Two tabs never
//! overwrite each other: every write merges what is stored first, and another tab's write (the
//! `storage` event) is merged into this one. A write that fails (storage full or disabled) is
//! shown. Progress can be saved to a file and loaded from one (merged, never replacing). Format
//! v1 is the only one there has been, so there is nothing older to migrate yet; a new version
//! would read v1 here.

use std::collections::BTreeSet;

use leptos::prelude::*;

use crate::components::download;
use crate::i18n::{tr, use_lang};

const KEY: &str = "brainplay.progress";
const ASIDE_KEY: &str = "brainplay.progress.unreadable";
const HEADER: &str = "brainplay-progress v1";
/// The name a saved progress file gets.
const FILE_NAME: &str = "brainplay-progress.txt";

/// Solved exercises as `NN/id` (lesson number, exercise id).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    solved: BTreeSet<String>,
}

impl Progress {
    fn key(lesson: u32, exercise: &str) -> String {
        format!("{lesson:02}/{exercise}")
    }

    pub fn is_solved(&self, lesson: u32, exercise: &str) -> bool {
        self.solved.contains(&Self::key(lesson, exercise))
    }

    pub fn solved_in(&self, lesson: u32) -> usize {
        let prefix = format!("{lesson:02}/");
        self.solved
            .iter()
            .filter(|k| k.starts_with(&prefix))
            .count()
    }

    pub fn mark_solved(&mut self, lesson: u32, exercise: &str) {
        self.solved.insert(Self::key(lesson, exercise));
    }

    /// Adds what `other` has solved (progress only grows).
    pub fn merge(&mut self, other: &Progress) {
        self.solved.extend(other.solved.iter().cloned());
    }

    pub fn to_text(&self) -> String {
        let mut text = String::from(HEADER);
        for key in &self.solved {
            text.push('\n');
            text.push_str(key);
        }
        text
    }

    /// Reads stored text: the progress in its readable lines, and what could not be read (the
    /// whole text if it is not a v1 record, else its stray lines), if anything.
    pub fn read(text: &str) -> (Progress, Option<String>) {
        let mut lines = text.lines();
        if lines.next().map(str::trim_end) != Some(HEADER) {
            let unreadable = (!text.trim().is_empty()).then(|| text.to_string());
            return (Progress::default(), unreadable);
        }
        let mut solved = BTreeSet::new();
        let mut stray = Vec::new();
        for line in lines.map(str::trim_end).filter(|l| !l.is_empty()) {
            if Self::readable_line(line) {
                solved.insert(line.to_string());
            } else {
                stray.push(line);
            }
        }
        let unreadable = (!stray.is_empty()).then(|| stray.join("\n"));
        (Progress { solved }, unreadable)
    }

    fn readable_line(line: &str) -> bool {
        let Some((lesson, id)) = line.split_once('/') else {
            return false;
        };
        lesson.len() == 2
            && lesson.bytes().all(|b| b.is_ascii_digit())
            && !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    }
}

/// The record kept aside with `found` appended under the time it was found: earlier entries
/// stay.
fn kept_aside(existing: Option<&str>, found: &str, when: &str) -> String {
    let entry = format!("--- found unreadable at {when}\n{found}");
    match existing {
        Some(old) if !old.is_empty() => format!("{old}\n{entry}"),
        _ => entry,
    }
}

#[derive(Clone, Copy)]
pub struct ProgressContext {
    pub progress: RwSignal<Progress>,
    /// Set when stored data could not be read (and was kept aside).
    pub unreadable: RwSignal<bool>,
    /// Why the last write failed, if it did.
    pub write_error: RwSignal<Option<String>>,
}

impl ProgressContext {
    /// Reads `text` (stored, from another tab or from a file) into this visit's progress,
    /// keeping aside what cannot be read; says whether something was.
    fn absorb(&self, text: &str) -> bool {
        let (read, unreadable) = Progress::read(text);
        let found_unreadable = unreadable.is_some();
        if let Some(found) = unreadable {
            let when = js_sys::Date::new_0().to_iso_string();
            let aside = kept_aside(
                crate::storage::get(ASIDE_KEY).as_deref(),
                &found,
                &String::from(when),
            );
            if let Err(e) = crate::storage::set(ASIDE_KEY, &aside) {
                self.write_error.set(Some(e));
            }
            self.unreadable.set(true);
        }
        self.progress.update(|p| p.merge(&read));
        found_unreadable
    }

    /// Stores this visit's progress merged with what is stored now (another tab's solutions).
    fn store(&self) {
        if let Some(text) = crate::storage::get(KEY) {
            self.absorb(&text);
        }
        self.write();
    }

    /// Writes this visit's progress as the stored record.
    fn write(&self) {
        let text = self.progress.with_untracked(Progress::to_text);
        self.write_error.set(crate::storage::set(KEY, &text).err());
    }
}

pub fn provide_progress() {
    let context = ProgressContext {
        progress: RwSignal::new(Progress::default()),
        unreadable: RwSignal::new(false),
        write_error: RwSignal::new(None),
    };
    if let Some(text) = crate::storage::get(KEY) {
        if context.absorb(&text) {
            // What was set aside now lives in the aside record only; left in the stored record,
            // it would be set aside again on every visit.
            context.write();
        }
    }
    // Another tab solved something: take it in (it has stored the union already).
    let listener = window_event_listener_untyped("storage", move |_| {
        if let Some(text) = crate::storage::get(KEY) {
            context.absorb(&text);
        }
    });
    // The listener lives as long as the page.
    std::mem::forget(listener);
    provide_context(context);
}

pub fn use_progress() -> ProgressContext {
    expect_context::<ProgressContext>()
}

/// Records a solved exercise and stores the record.
pub fn mark_solved(lesson: u32, exercise: &str) {
    let context = use_progress();
    context.progress.update(|p| p.mark_solved(lesson, exercise));
    context.store();
}

/// What went wrong with the stored progress, on every page.
#[component]
pub fn ProgressNotice() -> impl IntoView {
    let lang = use_lang();
    let context = use_progress();
    view! {
        <p class="notice" id="progress-notice" hidden=move || !context.unreadable.get()>
            {tr("progress_notice", lang)}
        </p>
        <p class="notice" id="progress-write-error" hidden=move || context.write_error.with(Option::is_none)>
            {tr("progress_write_failed", lang)} " "
            {move || context.write_error.get().unwrap_or_default()}
        </p>
    }
}

/// Saving progress to a file and loading it from one (merged with what is here).
#[component]
pub fn ProgressFile() -> impl IntoView {
    let lang = use_lang();
    let context = use_progress();
    let save = move |_| {
        let text = context.progress.with_untracked(Progress::to_text);
        download::text(&text, FILE_NAME, "text/plain");
    };
    let load = move |ev: leptos::ev::Event| {
        let Some(file) = download::chosen(&ev) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
            match text.ok().and_then(|t| t.as_string()) {
                Some(text) => {
                    context.absorb(&text);
                    context.store();
                }
                None => context.unreadable.set(true),
            }
        });
    };
    view! {
        <div class="progress-file">
            <button class="small save-progress" on:click=save>{tr("save_progress", lang)}</button>
            <label class="small load-progress">
                {tr("load_progress", lang)} " "
                <input type="file" accept=".txt,text/plain" on:change=load />
            </label>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `read` makes of `text`: the solved keys and the unreadable part.
    fn check(text: &str, solved: &[&str], unreadable: Option<&str>) {
        let (progress, rest) = Progress::read(text);
        let keys: Vec<&str> = progress.solved.iter().map(String::as_str).collect();
        assert_eq!(keys, solved, "{text:?}");
        assert_eq!(rest.as_deref(), unreadable, "{text:?}");
    }

    #[test]
    fn readable_lines_are_kept_and_the_rest_set_aside() {
        check("brainplay-progress v1", &[], None);
        check(
            "brainplay-progress v1\n03/nernst\n04/ttx_block",
            &["03/nernst", "04/ttx_block"],
            None,
        );
        check("", &[], None);
        // One stray line no longer loses the others.
        check(
            "brainplay-progress v1\n03/nernst\n3/x\n04/ttx_block\n03/Nernst",
            &["03/nernst", "04/ttx_block"],
            Some("3/x\n03/Nernst"),
        );
        // Another format is kept whole.
        check(
            "brainplay-progress v2\n03/x",
            &[],
            Some("brainplay-progress v2\n03/x"),
        );
        check("{\"solved\": []}", &[], Some("{\"solved\": []}"));
        // Windows line ends, as a file saved on Windows has them.
        check(
            "brainplay-progress v1\r\n03/nernst\r\n",
            &["03/nernst"],
            None,
        );
    }

    #[test]
    fn round_trip_and_merge() {
        let mut p = Progress::default();
        p.mark_solved(3, "nernst");
        p.mark_solved(4, "ttx_block");
        assert_eq!(Progress::read(&p.to_text()), (p.clone(), None));
        assert_eq!(p.solved_in(3), 1);
        assert!(p.is_solved(4, "ttx_block"));
        let mut other = Progress::default();
        other.mark_solved(5, "fhn");
        other.mark_solved(3, "nernst");
        other.merge(&p);
        assert_eq!(other.solved.len(), 3);
    }

    proptest::proptest! {
        /// Any stored text reads without a panic and without losing a line: each line after a
        /// v1 header is solved or kept aside, and what was read writes back as read.
        #[test]
        fn any_text_reads_without_losing_a_line(
            text in "(brainplay-progress v1\r?\n)?([0-9a-zA-Z_/ é]{0,10}\r?\n){0,8}",
        ) {
            let (progress, rest) = Progress::read(&text);
            let rest = rest.unwrap_or_default();
            if text.starts_with(HEADER) {
                for line in text.lines().skip(1).map(str::trim_end).filter(|l| !l.is_empty()) {
                    proptest::prop_assert!(
                        progress.solved.contains(line) || rest.lines().any(|r| r == line),
                        "lost {line:?}"
                    );
                }
            } else if !text.trim().is_empty() {
                proptest::prop_assert_eq!(&rest, &text);
            }
            proptest::prop_assert_eq!(Progress::read(&progress.to_text()), (progress, None));
        }
    }

    #[test]
    fn every_unreadable_record_is_kept() {
        let first = kept_aside(None, "garbage one", "2026-12-04T10:00:00Z");
        let second = kept_aside(Some(&first), "garbage two", "2026-12-04T11:00:00Z");
        assert!(
            second.contains("garbage one") && second.contains("garbage two"),
            "{second}"
        );
        assert!(second.contains("2026-12-04T10:00:00Z") && second.contains("2026-12-04T11:00:00Z"));
        assert!(second.starts_with(&first));
    }
}
