//! The compute worker of lessons 1–11: `compute` built without the learning code, which
//! lessons 12–14's `learn-worker` adds.

fn main() {
    brainplay_worker::compute::serve_requests();
}
