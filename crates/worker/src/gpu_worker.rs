//! The compute worker with the GPU code (feature `gpu`): lesson 9's page starts it instead of
//! the compute worker when the browser has a WebGPU adapter, and it runs the spiking networks
//! there (`crate::gpu`), everything else as the compute worker does.

fn main() {
    brainplay_worker::compute::serve_requests();
}
