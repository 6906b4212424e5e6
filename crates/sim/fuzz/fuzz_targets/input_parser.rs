//! Any text: the input-protocol parser returns instead of panicking, an error renders, and an
//! accepted spec prints to text that parses back to it and produces input for a few steps.
#![no_main]

use brainplay_sim::input::{InputSpec, InputState};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let spec = match InputSpec::parse(text) {
        Ok(spec) => spec,
        Err(err) => {
            err.render(text);
            return;
        }
    };
    assert_eq!(InputSpec::parse(&spec.to_string()).as_ref(), Ok(&spec));
    if let Ok(mut state) = InputState::new(&spec, 1, 0.1, 0) {
        let mut out = [0.0];
        for step in 0..10 {
            state.fill(step, &mut out);
        }
    }
});
