//! The learner's progress: which exercises are solved, stored in localStorage as versioned text.
//! Unreadable stored data is never overwritten: it is copied aside under a key of its own and
//! reported, and a fresh record starts.

use std::collections::BTreeSet;

use leptos::prelude::*;

const KEY: &str = "brainplay.progress";
const ASIDE_KEY: &str = "brainplay.progress.unreadable";
const HEADER: &str = "brainplay-progress v1";

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

    pub fn to_text(&self) -> String {
        let mut text = String::from(HEADER);
        for key in &self.solved {
            text.push('\n');
            text.push_str(key);
        }
        text
    }

    /// Parses stored text; `None` if it is not a progress record this version can read.
    pub fn from_text(text: &str) -> Option<Progress> {
        let mut lines = text.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let mut solved = BTreeSet::new();
        for line in lines {
            let (lesson, id) = line.split_once('/')?;
            let valid = lesson.len() == 2
                && lesson.bytes().all(|b| b.is_ascii_digit())
                && !id.is_empty()
                && id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !valid {
                return None;
            }
            solved.insert(line.to_string());
        }
        Some(Progress { solved })
    }
}

#[derive(Clone, Copy)]
pub struct ProgressContext {
    pub progress: RwSignal<Progress>,
    /// Set when stored data could not be read (and was kept aside).
    pub unreadable: RwSignal<bool>,
}

pub fn provide_progress() {
    let stored = crate::storage::get(KEY);
    let (progress, unreadable) = match stored.as_deref().map(Progress::from_text) {
        None => (Progress::default(), false),
        Some(Some(p)) => (p, false),
        Some(None) => {
            // Keep the unreadable text where nothing will overwrite it.
            if let Some(text) = &stored {
                if crate::storage::get(ASIDE_KEY).is_none() {
                    crate::storage::set(ASIDE_KEY, text);
                }
            }
            (Progress::default(), true)
        }
    };
    let context = ProgressContext {
        progress: RwSignal::new(progress),
        unreadable: RwSignal::new(unreadable),
    };
    provide_context(context);
}

pub fn use_progress() -> ProgressContext {
    expect_context::<ProgressContext>()
}

/// Records a solved exercise and stores the record.
pub fn mark_solved(lesson: u32, exercise: &str) {
    let context = use_progress();
    context.progress.update(|p| p.mark_solved(lesson, exercise));
    crate::storage::set(KEY, &context.progress.with_untracked(Progress::to_text));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, readable: bool) {
        assert_eq!(Progress::from_text(text).is_some(), readable, "{text:?}");
    }

    #[test]
    fn stored_text_is_read_only_when_well_formed() {
        check("brainplay-progress v1", true);
        check("brainplay-progress v1\n03/nernst\n04/ttx_block", true);
        check("", false);
        check("brainplay-progress v2\n03/x", false);
        check("brainplay-progress v1\n3/nernst", false);
        check("brainplay-progress v1\n03/Nernst", false);
        check("{\"solved\": []}", false);
    }

    #[test]
    fn round_trip() {
        let mut p = Progress::default();
        p.mark_solved(3, "nernst");
        p.mark_solved(4, "ttx_block");
        assert_eq!(Progress::from_text(&p.to_text()), Some(p.clone()));
        assert_eq!(p.solved_in(3), 1);
        assert!(p.is_solved(4, "ttx_block"));
    }
}
