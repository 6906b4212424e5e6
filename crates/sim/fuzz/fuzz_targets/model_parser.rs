//! Any text: the parser returns instead of panicking, and a model it accepts compiles and runs
//! without panicking either (a run may still stop early on a non-finite state; that is a result).
#![no_main]

use brainplay_sim::{parse_model, Setup, Simulation};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let Ok(model) = parse_model(text) else {
        return;
    };
    if let Ok(mut simulation) = Simulation::new(&model, &Setup::default()) {
        simulation.advance(10);
    }
});
