//! The data sets lessons learn from (`lessons/data/`, with their provenance and licences in its
//! README). A lesson names one in a network block; reading the lesson file copies its bytes into
//! the block. The site ships each as a file of its own (`file`), fetched by the compute worker
//! when a block that learns from it first runs, so that no other page and no first plot waits
//! for it: the wasm files link these bytes only through `Lesson::parse`, which the site never
//! runs.

/// 1000 handwritten digits, 8 × 8 pixels of 0–15 (lesson 14).
const DIGITS: &[u8] = include_bytes!("../../../lessons/data/digits.bin");

/// One image of each digit, in class order (lesson 14's codes).
const TEN_DIGITS: &[u8] = include_bytes!("../../../lessons/data/ten_digits.bin");

/// The data sets' names.
pub const NAMES: [&str; 2] = ["digits", "ten_digits"];

/// The bytes of data set `name`.
pub fn bytes(name: &str) -> Option<&'static [u8]> {
    match name {
        "digits" => Some(DIGITS),
        "ten_digits" => Some(TEN_DIGITS),
        _ => None,
    }
}

/// Where the site ships data set `name`, relative to its root (`lesson-data` writes it there).
pub fn file(name: &str) -> String {
    format!("lessons/data/{name}.bin")
}
