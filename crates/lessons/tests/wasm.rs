//! The lessons in the browser (wasm32, headless Chromium via wasm-bindgen-test): every lesson
//! file parses and validates, and exercise checks give the same verdicts as natively.
#![cfg(target_arch = "wasm32")]

use brainplay_lessons::{check, reference_answer, registry, validate, wrong_answer};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn every_lesson_validates() {
    for lesson in registry::lessons() {
        let file = format!("{}.toml", lesson.page_name());
        assert_eq!(validate(lesson, &file), Vec::<String>::new(), "{file}");
    }
}

/// Reference solutions pass and stated wrong answers fail, simulate exercises included (they
/// run the simulation here, in wasm).
#[wasm_bindgen_test]
fn exercise_checks_agree_with_their_references() {
    for lesson in registry::lessons() {
        for exercise in lesson.exercises() {
            let right = reference_answer(exercise, lesson).unwrap();
            assert!(check(exercise, &right).correct, "{} right", exercise.id);
            let wrong = wrong_answer(exercise, lesson).unwrap();
            assert!(!check(exercise, &wrong).correct, "{} wrong", exercise.id);
        }
    }
}
