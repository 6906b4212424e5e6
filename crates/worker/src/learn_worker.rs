//! The compute worker of lessons 12–14: `compute` with the learning code (feature `learn`), so
//! that the other lessons' worker does not carry it.

fn main() {
    brainplay_worker::compute::serve_requests();
}
