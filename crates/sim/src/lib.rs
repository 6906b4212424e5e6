//! BrainPlay's simulation core: the model language, integrators, the neuron and synapse
//! libraries, populations, circuits of synapses between them, inputs, monitors and spike
//! statistics. Pure Rust with no web dependency: same input and seed,
//! same output.
//!
//! The site compiles this crate for speed and its callers for size: the entry points that
//! step a run are `#[inline(never)]`, so their loops are never compiled into a caller's
//! size-optimised code (`brainplay-learn`'s crate comment says more).

pub mod display;
pub mod error;
pub mod ir;
pub mod mathml;
pub mod message;
pub mod parse;

pub use error::ModelError;
pub use ir::{Method, Model};
pub use message::Message;
pub use parse::parse_model;

mod aot;
pub mod cable;
pub mod cann;
pub mod circuit;
pub mod compose;
pub mod connect;
pub mod decision;
mod diff;
pub mod exp;
pub mod field;
mod graph;
pub mod input;
pub mod library;
pub mod linear;
pub mod listing;
mod lower;
pub mod network;
pub mod networks;
mod ops;
pub mod population;
mod program;
pub mod simulation;
pub mod stats;

pub use aot::KERNEL_MODELS;
pub use ops::exprel;
pub use simulation::{NonFinite, Output, Setup, SetupError, Simulation};
