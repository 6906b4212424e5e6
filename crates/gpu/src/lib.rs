//! BrainPlay's networks on the GPU: WebGPU in the browser, Vulkan natively (lavapipe in the
//! tests, a real GPU in the bench). The kernels are WGSL written from the same compiled step
//! programs the CPU runs (`brainplay_sim::listing`), so a model a user edits runs on the GPU
//! as it is; the networks' connections and update order are the CPU network's own.
//!
//! Results against the CPU: the GPU computes in f32 where the CPU computes in f64, so
//! trajectories agree to f32 rounding for a while and then part (a spike one step earlier or
//! later changes all that follows): spike statistics are equal, single spike times are not.
//! What is exact is the delivery: spike counts are integers added with atomics, so their order
//! does not matter.

pub mod context;
pub mod network;
pub mod wgsl;

pub use context::{Gpu, NoGpu};
pub use network::GpuNetwork;
pub use wgsl::Unsupported;
