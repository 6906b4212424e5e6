//! Lesson 9's E/I network for 1 s of model time on the GPU and on the CPU, at growing sizes:
//! each network built once (the GPU's setup, connections built and uploaded and kernels
//! compiled, timed apart), then three consecutive seconds timed, and their median; and the size
//! from which the GPU is faster (the crossover that picks the default backend).
//!
//! `BRAINPLAY_GPU_SCALES` (default `0.25,0.5,1,2.5,5,10,25`: 1000 to 100 000 neurons) and
//! `BRAINPLAY_CPU_MAX_SCALE` (default 5: the CPU takes seconds per second above) choose the
//! sizes. The lesson's network keeps its input at 20 while its weights shrink by 1/√scale, so
//! large networks fire slowly (1 Hz at 100 000 neurons); `BRAINPLAY_BUSY_INPUTS` (default
//! `40,80`) adds rows for the largest size with stronger inputs, more spikes to deliver. On a
//! software adapter only the smallest size runs.

use std::time::{Duration, Instant};

use brainplay_gpu::{Gpu, GpuNetwork};
use brainplay_sim::input::InputSpec;
use brainplay_sim::network::{Network, NetworkSetup};
use brainplay_sim::networks::{coba_ei, Coba};

const MODEL_MS: f64 = 1000.0;
const RUNS: usize = 3;

fn median(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64()
}

fn numbers(var: &str, default: &str) -> Vec<f64> {
    std::env::var(var)
        .unwrap_or_else(|_| default.into())
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().parse().expect("a list of numbers"))
        .collect()
}

fn network(scale: f64, input: f64) -> NetworkSetup {
    let input = InputSpec::parse(&format!("constant({input})")).unwrap();
    coba_ei(
        &Coba {
            scale,
            ..Coba::default()
        },
        Some(input),
        1,
    )
}

/// (setup s, median s per model second, E rate Hz), or why the GPU refused.
fn on_gpu(gpu: &Gpu, setup: &NetworkSetup) -> Result<(f64, f64, f64), String> {
    let start = Instant::now();
    let mut network = GpuNetwork::new(gpu, setup).map_err(|e| e.0.en)?;
    let setup_s = start.elapsed().as_secs_f64();
    let steps = network.steps_for(MODEL_MS);
    let times = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            assert!(network.advance_blocking(steps), "{:?}", network.failure());
            start.elapsed()
        })
        .collect();
    let e = &network.group_outputs()[0].spike_times_ms;
    let spikes: usize = e.iter().map(Vec::len).sum();
    let rate_hz = spikes as f64 / e.len() as f64 / (RUNS as f64 * MODEL_MS / 1000.0);
    Ok((setup_s, median(times), rate_hz))
}

fn on_cpu(setup: &NetworkSetup) -> f64 {
    let mut network = Network::new(setup).unwrap();
    let steps = network.steps_for(MODEL_MS);
    median(
        (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                network.advance(steps);
                start.elapsed()
            })
            .collect(),
    )
}

/// The name a filter given to `cargo bench -- FILTER` must be part of for this bench to run.
const NAME: &str = "gpu_network";

fn main() {
    // `cargo bench` passes `--bench`, and a filter if given, as criterion benches get them.
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if filters.iter().any(|f| !NAME.contains(f.as_str())) {
        return;
    }
    let gpu = match Gpu::open_blocking() {
        Ok(gpu) => gpu,
        Err(e) => return println!("gpu: not measured ({e})"),
    };
    let software = match gpu.software {
        true => " — a software adapter: correctness only, its times say nothing",
        false => "",
    };
    println!("gpu: {}{software}", gpu.name);
    let cpu_max = numbers("BRAINPLAY_CPU_MAX_SCALE", "5")[0];
    // A software adapter is 5–20× slower than the CPU: one small size shows it works.
    let (default_scales, default_busy) = match gpu.software {
        true => ("0.25", ""),
        false => ("0.25,0.5,1,2.5,5,10,25", "40,80"),
    };
    let scales = numbers("BRAINPLAY_GPU_SCALES", default_scales);
    let mut crossover = None;
    println!(
        "{:>8} {:>6} {:>9} {:>9} {:>9} {:>8} {:>7}",
        "neurons", "input", "setup s", "gpu s", "cpu s", "gpu/cpu", "E Hz"
    );
    let mut rows: Vec<(f64, f64)> = scales.iter().map(|&s| (s, 20.0)).collect();
    if let Some(&largest) = scales.last() {
        let busy = numbers("BRAINPLAY_BUSY_INPUTS", default_busy);
        rows.extend(busy.into_iter().map(|input| (largest, input)));
    }
    for (scale, input) in rows {
        let setup = network(scale, input);
        let neurons: usize = setup.groups.iter().map(|g| g.source.len()).sum();
        let (setup_s, gpu_s, rate_hz) = match on_gpu(&gpu, &setup) {
            Ok(measured) => measured,
            Err(e) => {
                println!("{neurons:>8} {input:>6} refused: {e}");
                continue;
            }
        };
        let cpu_s = (scale <= cpu_max && input == 20.0).then(|| on_cpu(&setup));
        if crossover.is_none() && cpu_s.is_some_and(|c| gpu_s < c) {
            crossover = Some(neurons);
        }
        let cpu_text = cpu_s.map_or("-".to_string(), |c| format!("{c:.3}"));
        let ratio = cpu_s.map_or("-".to_string(), |c| format!("{:.2}", gpu_s / c));
        println!(
            "{neurons:>8} {input:>6} {setup_s:>9.3} {gpu_s:>9.3} {cpu_text:>9} {ratio:>8} {rate_hz:>7.1}"
        );
    }
    match crossover {
        Some(n) => println!("crossover: the GPU is faster from {n} neurons"),
        None => println!("crossover: the GPU was not faster at any size measured on the CPU"),
    }
}
