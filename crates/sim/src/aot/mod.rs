//! Ahead-of-time kernels for the built-in models.
//!
//! The interpreter pays a few nanoseconds per instruction, which dominates single-neuron runs
//! (an HH step is about 90 instructions). For each model of `KERNEL_MODELS` and its default method,
//! `kernels.rs` holds the model's per-step program written out as straight-line Rust, generated
//! from the model text by the test below, so the compiler keeps every intermediate value in
//! registers. A kernel is used only when the program being run has the same fingerprint as the
//! one it was generated from (same instructions, registers and operand kinds; constants and
//! parameter values are read from the registers at run time), so it computes bit for bit what
//! the interpreter computes — which the tests also check. Edited models are interpreted.

use crate::ir::{Method, Model};
use crate::program::Kernel;

/// The built-in models with kernels: those the lessons run (a test in `brainplay-lessons` keeps
/// this true). The library's other models, which only the editor and the CLI use, are
/// interpreted: their kernels would add to the compute worker's download for no lesson.
pub const KERNEL_MODELS: [&str; 11] = [
    "hh",
    "hh_clamp",
    "lif",
    "lif_noref",
    "qif",
    "expif",
    "adex",
    "izhikevich",
    "fhn",
    "sine_line",
    "gif",
];

/// The networks' neurons with kernels: a built-in neuron with the synapses of its incoming
/// projections fused in (`crate::compose`, named after the projections), as lesson 9's COBA
/// network composes them, for the default method and shared parameters. The spikes each
/// projection brings and the synaptic states' values are parameters set every step, which the
/// kernel reads per neuron. A test keeps this list and the network in step.
pub const KERNEL_COMPOSED: [&str; 2] = ["lif+EE+IE", "lif+EI+II"];

/// Whether a run of `model` under `method` is compiled for a kernel (`canonical_kinds`): a model
/// with kernels, under its default method.
pub(crate) fn compiled_for_kernel(model: &Model, method: Method) -> bool {
    let id = model.id.as_str();
    method == model.method && (KERNEL_MODELS.contains(&id) || KERNEL_COMPOSED.contains(&id))
}

/// Which parameters a kernel reads per neuron. Reading a shared value once instead of a lane
/// array per parameter keeps a population's memory traffic to its states, so the common case
/// (everything shared but the input, as in an f–I sweep) has a kernel of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamShape {
    /// Every parameter but the model's input has one value for all neurons.
    Shared,
    /// Any parameter may differ between neurons.
    PerNeuron,
}

impl ParamShape {
    #[cfg(test)]
    pub const ALL: [ParamShape; 2] = [ParamShape::Shared, ParamShape::PerNeuron];

    /// The shape that fits these per-neuron parameter values.
    pub fn of(model: &Model, params: &[Vec<f64>]) -> ParamShape {
        let shared = params.iter().enumerate().all(|(i, values)| {
            model.input == Some(i) || values.iter().all(|v| v.to_bits() == values[0].to_bits())
        });
        if shared {
            ParamShape::Shared
        } else {
            ParamShape::PerNeuron
        }
    }
}

#[rustfmt::skip]
mod kernels;

/// The kernel generated for `model_id` under `method` and `shape`, with the fingerprint of its
/// program.
pub fn kernel(model_id: &str, method: Method, shape: ParamShape) -> Option<(u64, Kernel)> {
    kernels::lookup(model_id, method, shape)
}

#[cfg(test)]
mod tests {
    use super::{ParamShape, KERNEL_COMPOSED, KERNEL_MODELS};
    use crate::ir::Model;
    use crate::library::SOURCES;
    use crate::lower::Slots;
    use crate::network::{Network, Source};
    use crate::networks::{coba_ei, Coba};
    use crate::parse_model;
    use crate::program::Program;
    use crate::simulation::{canonical_kinds, step_program_graph};
    use crate::{Setup, Simulation};

    const KERNELS_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/aot/kernels.rs");

    fn generate() -> String {
        let mut lookup = String::new();
        let mut kernels = String::new();
        for (id, source) in SOURCES.iter().filter(|(id, _)| KERNEL_MODELS.contains(id)) {
            let model = parse_model(source).unwrap();
            for shape in ParamShape::ALL {
                let program = canonical_program(&model, shape);
                let name = format!("{id}_{}_{shape:?}", model.method.name()).to_lowercase();
                lookup.push_str(&format!(
                    "        (\"{id}\", Method::{:?}, ParamShape::{shape:?}) => Some((0x{:016x}, {name})),\n",
                    model.method,
                    program.fingerprint()
                ));
                kernels.push('\n');
                kernels.push_str(&program.kernel_source(&name));
            }
        }
        // The networks' composed neurons, as lesson 9's network composes them.
        let network = Network::new(&coba_ei(&Coba::default(), None, 0)).unwrap();
        // Neurons that differ only in their parameters' values share a program: one kernel.
        let mut written: Vec<(u64, String)> = Vec::new();
        for (id, sim) in KERNEL_COMPOSED.iter().zip(network.populations()) {
            let program = sim.step_program();
            let fingerprint = program.fingerprint();
            let name = match written.iter().find(|(f, _)| *f == fingerprint) {
                Some((_, name)) => name.clone(),
                None => {
                    let name = format!("{}_exp_euler_shared", id.replace('+', "_")).to_lowercase();
                    kernels.push('\n');
                    kernels.push_str(&program.kernel_source(&name));
                    written.push((fingerprint, name.clone()));
                    name
                }
            };
            lookup.push_str(&format!(
                "        (\"{id}\", Method::ExpEuler, ParamShape::Shared) => Some((0x{fingerprint:016x}, {name})),\n"
            ));
        }
        format!(
            "// @generated by `BRAINPLAY_UPDATE_AOT=1 cargo test -p brainplay-sim aot`; do not edit.\n\
             // Each kernel is one built-in model's per-step program (crate::program) written out.\n\n\
             use super::ParamShape;\n\
             use crate::ir::Method;\n\
             use crate::ops::{{self, Bin, Un}};\n\
             use crate::program::Kernel;\n\n\
             /// Register `r`: `lanes` values.\n\
             fn lanes_of(regs: &[f64], r: usize, lanes: usize) -> &[f64] {{\n    \
             &regs[r * lanes..][..lanes]\n}}\n\n\
             /// The first `n` registers (the states, written in place) and the rest.\n\
             fn split_states(regs: &mut [f64], n: usize, lanes: usize) -> (&mut [f64], &[f64]) {{\n    \
             let (states, rest) = regs.split_at_mut(n * lanes);\n    \
             (states, rest)\n}}\n\n\
             pub fn lookup(model_id: &str, method: Method, shape: ParamShape) -> Option<(u64, Kernel)> {{\n    \
             match (model_id, method, shape) {{\n{lookup}        _ => None,\n    }}\n}}\n{kernels}"
        )
    }

    /// Every built-in model with a kernel, driven hard enough to spike, gives bit-identical
    /// results with its kernel and with the interpreter, for one neuron and for a population;
    /// the others run on the interpreter.
    #[test]
    fn kernels_match_the_interpreter_exactly() {
        let drive = [
            ("hh", 10.0),
            ("hh_clamp", 0.0),
            ("lif", 30.0),
            ("lif_noref", 30.0),
            ("qif", 10.0),
            ("expif", 10.0),
            ("adex", 65.0),
            ("izhikevich", 10.0),
            ("fhn", 0.8),
            ("morris_lecar", 100.0),
            ("hindmarsh_rose", 2.0),
            ("gif", 1.5),
            ("sine_line", 1.5),
        ];
        assert_eq!(drive.len(), SOURCES.len());
        for (id, current) in drive {
            let model = crate::library::get(id).unwrap();
            if !KERNEL_MODELS.contains(&id) {
                let sim = Simulation::new(&model, &Setup::default()).unwrap();
                assert!(!sim.uses_kernel(), "{id}");
                continue;
            }
            // Per-neuron currents (shared kernels), then a per-neuron second parameter too.
            let input = model.params[model.input.unwrap()].name.clone();
            // Models with a single parameter have no second one to vary.
            let first_other = model.params.iter().find(|p| p.name != input);
            for (n, vary_other) in [(1, false), (5, false), (5, true)] {
                let currents: Vec<f64> = (0..n).map(|k| current + 2.0 * k as f64).collect();
                let mut params = vec![(input.clone(), currents)];
                if let Some(first_other) = first_other.filter(|_| vary_other) {
                    let other = (0..n)
                        .map(|k| first_other.default + 1e-3 * k as f64)
                        .collect();
                    params.push((first_other.name.clone(), other));
                }
                let run = |force_interpreter| {
                    let setup = Setup {
                        n,
                        params: params.clone(),
                        record: model.states.iter().map(|s| s.name.clone()).collect(),
                        force_interpreter,
                        ..Setup::default()
                    };
                    let mut sim = Simulation::new(&model, &setup).unwrap();
                    assert_eq!(sim.uses_kernel(), !force_interpreter, "{id}");
                    sim.advance(3000);
                    sim.into_output()
                };
                let (aot, interpreted) = (run(false), run(true));
                assert!(aot.error.is_none(), "{id}: {:?}", aot.error);
                assert_eq!(
                    aot.spike_times_ms, interpreted.spike_times_ms,
                    "{id}, n = {n}"
                );
                assert_eq!(aot.trace_bits(), interpreted.trace_bits(), "{id}, n = {n}");
            }
        }
    }

    /// The program a kernel of `shape` is generated from, compiled as `Simulation` does.
    fn canonical_program(model: &Model, shape: ParamShape) -> Program {
        let (graph, outputs, _) = step_program_graph(model, model.method);
        let kinds = canonical_kinds(model, Slots::of(model), shape, &[]);
        let mut program = Program::compile(&graph, &outputs, &kinds, 1);
        program.set_state_outputs(model.states.len());
        program
    }

    /// Lesson 9's network gives bit-identical spikes and traces with its neurons' kernels and
    /// with the interpreter, driven or not, at two sizes.
    #[test]
    fn composed_kernels_match_the_interpreter_exactly() {
        for (scale, input) in [(0.25, None), (0.5, Some("constant(2)"))] {
            let run = |force_interpreter: bool| {
                let input = input.map(|text| crate::input::InputSpec::parse(text).unwrap());
                let mut setup = coba_ei(
                    &Coba {
                        scale,
                        ..Coba::default()
                    },
                    input,
                    7,
                );
                for group in &mut setup.groups {
                    if let Source::Neurons { setup, .. } = &mut group.source {
                        setup.force_interpreter = force_interpreter;
                        setup.record = vec!["V".into()];
                        setup.record_neurons = vec![0, 5];
                    }
                }
                let mut network = Network::new(&setup).unwrap();
                assert!(
                    network
                        .populations()
                        .all(|p| p.uses_kernel() != force_interpreter),
                    "scale {scale}: kernels used unless forced off"
                );
                network.advance(2000);
                network.into_output()
            };
            let (aot, interpreted) = (run(false), run(true));
            assert!(aot.error.is_none(), "{:?}", aot.error);
            let spikes: usize = aot
                .groups
                .iter()
                .flat_map(|g| &g.spike_times_ms)
                .map(Vec::len)
                .sum();
            assert!(
                spikes > 100,
                "scale {scale}: the network is active ({spikes} spikes)"
            );
            for (a, b) in aot.groups.iter().zip(&interpreted.groups) {
                assert_eq!(a.spike_times_ms, b.spike_times_ms, "scale {scale}");
                assert_eq!(a.trace_bits(), b.trace_bits(), "scale {scale}");
            }
        }
    }

    /// Every model of `KERNEL_MODELS` has a kernel of each shape for its default method.
    #[test]
    fn every_kernel_model_has_matching_kernels() {
        for id in KERNEL_MODELS {
            let (_, source) = SOURCES
                .iter()
                .find(|(i, _)| *i == id)
                .expect("a built-in model");
            let model = parse_model(source).unwrap();
            for shape in ParamShape::ALL {
                let (fingerprint, _) = super::kernel(id, model.method, shape).unwrap();
                assert_eq!(
                    canonical_program(&model, shape).fingerprint(),
                    fingerprint,
                    "{id}"
                );
            }
        }
    }

    #[test]
    fn kernels_are_up_to_date() {
        let fresh = generate();
        let current = std::fs::read_to_string(KERNELS_PATH).unwrap_or_default();
        if fresh != current {
            if std::env::var_os("BRAINPLAY_UPDATE_AOT").is_some() {
                std::fs::write(KERNELS_PATH, fresh).unwrap();
            } else {
                panic!(
                    "src/aot/kernels.rs is stale: a built-in model or the compiler changed; \
                     run `BRAINPLAY_UPDATE_AOT=1 cargo test -p brainplay-sim aot`"
                );
            }
        }
    }
}
