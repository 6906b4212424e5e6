//! Stepping allocates nothing, a population's or a circuit's: the per-step work runs on buffers
//! sized when the simulation is built. (Recorded samples and spike times are stored as they arrive, so this is measured with
//! nothing recorded and no spikes.) A counting global allocator counts the allocations of the
//! thread that steps, and only while it steps: the test harness's own threads allocate at
//! moments of their choosing (a CI run once saw 4 of them inside the window).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use brainplay_sim::circuit::{Circuit, CircuitSetup, Projection, Source};
use brainplay_sim::connect::Rule;
use brainplay_sim::{library, Setup, Simulation};

struct Counting;

thread_local! {
    /// `Some(count)` while this thread is being measured. Const-initialised without a
    /// destructor, so reading it from the allocator allocates nothing itself.
    static ALLOCATIONS: Cell<Option<usize>> = const { Cell::new(None) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|count| count.set(count.get().map(|n| n + 1)));
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn check(model_id: &str, n: usize, input: Option<&str>, force_interpreter: bool) {
    let model = library::get(model_id).unwrap();
    let setup = Setup {
        n,
        input: input.map(|text| text.parse().unwrap()),
        force_interpreter,
        ..Setup::default()
    };
    let mut sim = Simulation::new(&model, &setup).unwrap();
    ALLOCATIONS.with(|count| count.set(Some(0)));
    let finished = sim.advance(1000);
    let during = ALLOCATIONS.with(|count| count.take()).unwrap();
    assert!(finished, "{model_id}: stopped early");
    assert!(
        sim.output().spike_times_ms.iter().all(Vec::is_empty),
        "{model_id}: spiked"
    );
    assert_eq!(
        during, 0,
        "{model_id} (n = {n}, interpreter: {force_interpreter})"
    );
}

#[test]
fn stepping_allocates_nothing() {
    // Below threshold, so nothing spikes: kernels and interpreter, one neuron and a population,
    // with and without an input protocol (noise included).
    for force_interpreter in [false, true] {
        check("hh", 1, None, force_interpreter);
        check("lif", 1000, Some("constant(10)"), force_interpreter);
        check(
            "adex",
            300,
            Some("ou(mean=0, sigma=0.5, tau=5)"),
            force_interpreter,
        );
    }
}

/// A circuit steps without allocating too (spike times aside, so no presynaptic spikes here):
/// 5 silent sources onto 10 neurons through all-to-all synapses, with and without delays.
fn check_circuit(synapse: &str, delay_steps: usize, conductance_delay_steps: usize) {
    let setup = CircuitSetup {
        source: Source::Times(vec![vec![]; 5]),
        projections: vec![Projection {
            delay_steps,
            conductance_delay_steps,
            ..Projection::new("syn", library::get(synapse).unwrap(), Rule::AllToAll)
        }],
        post: library::get("lif").unwrap(),
        post_setup: Setup {
            n: 10,
            ..Setup::default()
        },
    };
    let mut circuit = Circuit::new(&setup).unwrap();
    ALLOCATIONS.with(|count| count.set(Some(0)));
    let finished = circuit.advance(1000);
    let during = ALLOCATIONS.with(|count| count.take()).unwrap();
    assert!(finished, "{synapse}: stopped early");
    assert_eq!(
        during, 0,
        "{synapse} circuit (delays {delay_steps}, {conductance_delay_steps})"
    );
}

#[test]
fn circuits_step_without_allocating() {
    check_circuit("expon", 0, 0);
    check_circuit("stp", 1, 2);
}

/// A CANN ring steps without allocating (each variant).
#[test]
fn cann_steps_without_allocating() {
    use brainplay_sim::cann::{Cann, CannParams, Variant};
    for variant in [
        Variant::Basic,
        Variant::Adaptation {
            m: 0.5,
            tau_v_ms: 10.0,
        },
        Variant::Plasticity {
            tau_f_ms: 1.0,
            tau_d_ms: 50.0,
            g_base: 0.5,
        },
    ] {
        let mut cann = Cann::new(
            CannParams {
                variant,
                ..CannParams::default()
            },
            0.1,
        )
        .unwrap();
        let input = vec![1.0; 512];
        cann.step(&input);
        ALLOCATIONS.with(|count| count.set(Some(0)));
        for _ in 0..100 {
            cann.step(&input);
        }
        let during = ALLOCATIONS.with(|count| count.take()).unwrap();
        assert_eq!(during, 0, "{variant:?}");
    }
}

/// So does a network of two populations and four projections (lesson 9's at an eighth of its
/// size, without excitation and with an input that silences it after the first steps).
#[test]
fn networks_step_without_allocating() {
    let setup = brainplay_sim::networks::coba_ei(
        &brainplay_sim::networks::Coba {
            scale: 0.125,
            g_e: 0.0,
            ..Default::default()
        },
        Some("constant(-20)".parse().unwrap()),
        0,
    );
    let mut network = brainplay_sim::network::Network::new(&setup).unwrap();
    // Neurons that start above threshold spike at once.
    network.advance(100);
    ALLOCATIONS.with(|count| count.set(Some(0)));
    let finished = network.advance(1000);
    let during = ALLOCATIONS.with(|count| count.take()).unwrap();
    assert!(finished, "stopped early");
    assert_eq!(during, 0, "COBA network");
}

/// And lesson 10's decision network: its projections, conductances, NMDA states and delay rings
/// are sized at the start (here without any input, so nothing spikes and no spike time is kept).
#[test]
fn the_decision_network_steps_without_allocating() {
    use brainplay_sim::decision::{Decision, Trial};
    let trial = Trial {
        scale: 0.25,
        mu0_hz: 0.0,
        background_hz: 0.0,
        ..Trial::default()
    };
    let mut network = Decision::new(&trial, &trial.connections(), 0.1, 0).unwrap();
    network.advance(100);
    ALLOCATIONS.with(|count| count.set(Some(0)));
    network.advance(2000);
    let during = ALLOCATIONS.with(|count| count.take()).unwrap();
    assert_eq!(during, 0, "decision network");
}
