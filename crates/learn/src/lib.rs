//! BrainPlay's learning core (lessons 12–14): the Mackey–Glass series, echo state networks with
//! a ridge-regression readout, the small linear algebra they need (eigenvalues of a general
//! matrix, Cholesky solves), and networks trained by gradient: the course's scalar RNN by
//! real-time recurrent learning, and rate RNNs by backpropagation through time with Adam on a
//! cognitive task; the neural codes of lesson 14 and spiking networks trained by surrogate
//! gradients. Pure Rust, no web dependency: same settings and seed, same result.
//!
//! The site optimises the crates that call this one (`brainplay-lessons`) for size and this one
//! for speed (the workspace's `Cargo.toml`). Code inlined into a size-optimised caller, or a
//! generic function instantiated there, is compiled for size: so every entry point that loops
//! over a run, a series or a batch is `#[inline(never)]` and non-generic (the trainers'
//! `evaluate` run the `f32` networks forward for their callers).

pub mod adam;
pub mod checkpoint;
pub mod coding;
pub mod decision_task;
pub mod digits;
pub mod eigen;
pub mod esn;
pub mod gif;
pub mod krylov;
pub mod mackey_glass;
pub mod rate_rnn;
pub mod ridge;
pub mod rtrl;
pub mod snn;
