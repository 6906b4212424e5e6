//! A network of neuron populations and fused projections run on the GPU, step for step as
//! `brainplay_sim::network::Network` runs it on the CPU: the same programs (one kernel per
//! population, written from its compiled step), the same connections, the same update order.
//!
//! A submission holds a batch of steps; within it, every unit of the order is one dispatch per
//! step (a projection's delivery, a population's update), and the dispatches of a pass run in
//! order. What crosses back to the host per batch is each population's spike record (one bit
//! per neuron and step) and the fault word, never anything per step.

use brainplay_sim::input::InputState;
use brainplay_sim::network::{Network, NetworkOutput, NetworkSetup, Source, Unit};
use brainplay_sim::{NonFinite, Output};
use wgpu::util::DeviceExt;

use crate::context::Gpu;
use crate::wgsl::{self, Unsupported, MAX_GROUPS, STEP_BYTES, WORKGROUP};

/// Steps per submission: long enough that a submission's fixed cost is spread thin, short
/// enough that the spike record of 100 000 neurons stays a few MB and progress is smooth.
pub const BATCH_STEPS: usize = 500;

/// Workgroups that share out a step's presynaptic spikes.
const DELIVERY_WORKGROUPS: usize = 1024;

struct Population {
    n: usize,
    words: usize,
    pipeline: wgpu::ComputePipeline,
    bind_group: wgpu::BindGroup,
    spike_bits: wgpu::Buffer,
    staging: wgpu::Buffer,
    /// The group's input, the same for every neuron (one lane).
    input: Option<InputState>,
}

struct Delivery {
    pipeline: wgpu::ComputePipeline,
    bind_group: wgpu::BindGroup,
    workgroups: u32,
}

pub struct GpuNetwork {
    device: wgpu::Device,
    queue: wgpu::Queue,
    populations: Vec<Population>,
    deliveries: Vec<Delivery>,
    order: Vec<Unit>,
    steps: wgpu::Buffer,
    step_stride: usize,
    fault: wgpu::Buffer,
    fault_staging: wgpu::Buffer,
    dt_ms: f64,
    step_index: usize,
    outputs: Vec<Output>,
    projections: usize,
    error: Option<NonFinite>,
    failure: Option<String>,
}

const LOST: &str = "the GPU stopped answering (device lost)";

/// Why a network runs on the CPU instead (`Unsupported`), or the GPU failed.
fn unsupported(why: impl Into<String>) -> Unsupported {
    Unsupported(why.into())
}

impl GpuNetwork {
    /// The network `setup` on `gpu`, or why it cannot run there: every group a neuron
    /// population whose input is the same for every neuron, every projection fused into its
    /// postsynaptic population without delays, nothing recorded but spikes. A setup that is
    /// wrong in itself is refused too: the CPU path then says why.
    pub fn new(gpu: &Gpu, setup: &NetworkSetup) -> Result<GpuNetwork, Unsupported> {
        if setup.groups.len() > MAX_GROUPS {
            return Err(unsupported(format!("more than {MAX_GROUPS} groups")));
        }
        let mut inputs = Vec::new();
        for group in &setup.groups {
            let Source::Neurons { setup: own, .. } = &group.source else {
                return Err(unsupported(format!(
                    "group `{}` is a spike source",
                    group.name
                )));
            };
            if !own.record.is_empty() {
                return Err(unsupported(format!(
                    "group `{}` records traces",
                    group.name
                )));
            }
            let input = match &own.input {
                None => None,
                Some(spec) if spec.same_for_every_neuron() => Some(
                    InputState::new(spec, 1, setup.dt_ms, group.seed)
                        .map_err(|e| unsupported(e.to_string()))?,
                ),
                Some(_) => {
                    return Err(unsupported(format!(
                        "group `{}` has an input that differs between neurons",
                        group.name
                    )))
                }
            };
            inputs.push(input);
        }
        if let Some(p) = setup.projections.iter().find(|p| !p.record.is_empty()) {
            return Err(unsupported(format!("projection `{}` records", p.id)));
        }
        let network = Network::new(setup).map_err(|e| unsupported(e.0))?;
        let plan = network.plan();
        if let Some(p) = plan
            .projections
            .iter()
            .find(|p| p.fused_count.is_none() || p.delay_steps > 0)
        {
            return Err(unsupported(format!(
                "projection to group {} keeps its synapses per connection or has a delay",
                p.post
            )));
        }

        let device = gpu.device.clone();
        let limits = device.limits();
        let step_stride =
            STEP_BYTES.next_multiple_of(limits.min_uniform_buffer_offset_alignment as usize);
        let storage = wgpu::BufferUsages::STORAGE;
        let buffer = |label: &str, size: usize, usage: wgpu::BufferUsages| {
            device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size: size.max(4) as u64,
                usage,
                mapped_at_creation: false,
            })
        };
        let words = |values: &[u32]| -> Vec<u8> {
            let values = if values.is_empty() { &[0][..] } else { values };
            bytemuck::cast_slice(values).to_vec()
        };
        let init = |label: &str, contents: &[u8], usage: wgpu::BufferUsages| {
            device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some(label),
                contents,
                usage,
            })
        };
        let fits = |what: &str, bytes: usize| {
            let most = limits
                .max_storage_buffer_binding_size
                .min(limits.max_buffer_size);
            match bytes as u64 <= most {
                true => Ok(()),
                false => Err(unsupported(format!(
                    "{what} need {} MB, more than the GPU's {} MB per buffer",
                    bytes >> 20,
                    most >> 20
                ))),
            }
        };
        let steps = buffer(
            "steps",
            BATCH_STEPS * step_stride,
            wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
        );
        let fault = init(
            "fault",
            &words(&[u32::MAX, 0, 0, 0]),
            storage | wgpu::BufferUsages::COPY_SRC,
        );
        let fault_staging = buffer(
            "fault staging",
            16,
            wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
        );
        let layout = |entries: &[(bool, bool)]| {
            let mut list = vec![wgpu::BindGroupLayoutEntry {
                binding: 0,
                visibility: wgpu::ShaderStages::COMPUTE,
                ty: wgpu::BindingType::Buffer {
                    ty: wgpu::BufferBindingType::Uniform,
                    has_dynamic_offset: true,
                    min_binding_size: None,
                },
                count: None,
            }];
            for (i, &(read_only, _)) in entries.iter().enumerate() {
                list.push(wgpu::BindGroupLayoutEntry {
                    binding: i as u32 + 1,
                    visibility: wgpu::ShaderStages::COMPUTE,
                    ty: wgpu::BindingType::Buffer {
                        ty: wgpu::BufferBindingType::Storage { read_only },
                        has_dynamic_offset: false,
                        min_binding_size: None,
                    },
                    count: None,
                });
            }
            device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
                label: None,
                entries: &list,
            })
        };
        let step_binding = wgpu::BindingResource::Buffer(wgpu::BufferBinding {
            buffer: &steps,
            offset: 0,
            size: wgpu::BufferSize::new(STEP_BYTES as u64),
        });
        let pipeline = |shader: &str, layout: &wgpu::BindGroupLayout| {
            let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
                label: None,
                source: wgpu::ShaderSource::Wgsl(shader.into()),
            });
            let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
                label: None,
                bind_group_layouts: &[Some(layout)],
                immediate_size: 0,
            });
            device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                label: None,
                layout: Some(&pipeline_layout),
                module: &module,
                entry_point: Some("main"),
                compilation_options: Default::default(),
                cache: None,
            })
        };

        let population_layout = layout(&[(false, false); 6]);
        let delivery_layout = layout(&[
            (true, false),
            (true, false),
            (true, false),
            (true, false),
            (false, false),
        ]);
        let mut populations = Vec::new();
        // Per group: its counts buffer and spike lists, which deliveries bind too.
        let mut shared = Vec::new();
        for (g, sim) in plan.populations.iter().enumerate() {
            let sim = sim.expect("every group is a population (checked above)");
            let listing = sim.listing();
            let n = listing.neurons;
            let counts: Vec<usize> = plan
                .projections
                .iter()
                .filter(|p| p.post == g)
                .map(|p| p.fused_count.expect("fused (checked above)"))
                .collect();
            let kernel = wgsl::population(&listing, g, &counts)?;
            fits("a population's registers", kernel.lanes.len() * n * 4)?;
            let lane_values: Vec<f32> = kernel.lanes.iter().flatten().map(|&x| x as f32).collect();
            let lanes = init(
                "lanes",
                bytemuck::cast_slice(if lane_values.is_empty() {
                    &[0.0f32][..]
                } else {
                    &lane_values
                }),
                storage,
            );
            let count_buffer = buffer("counts", counts.len() * n * 4, storage);
            let fired = buffer("fired", 3 * n * 4, storage);
            let fired_count = init("fired count", &words(&[0, 0, 0, 0]), storage);
            let words_per_step = n.div_ceil(32);
            let bits_bytes = BATCH_STEPS * words_per_step * 4;
            let spike_bits = buffer(
                "spike bits",
                bits_bytes,
                storage | wgpu::BufferUsages::COPY_SRC | wgpu::BufferUsages::COPY_DST,
            );
            let staging = buffer(
                "spike staging",
                bits_bytes,
                wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            );
            let entries: Vec<wgpu::BindGroupEntry> = [
                &lanes,
                &count_buffer,
                &fired,
                &fired_count,
                &spike_bits,
                &fault,
            ]
            .iter()
            .enumerate()
            .map(|(i, b)| wgpu::BindGroupEntry {
                binding: i as u32 + 1,
                resource: b.as_entire_binding(),
            })
            .chain([wgpu::BindGroupEntry {
                binding: 0,
                resource: step_binding.clone(),
            }])
            .collect();
            let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
                label: None,
                layout: &population_layout,
                entries: &entries,
            });
            populations.push(Population {
                n,
                words: words_per_step,
                pipeline: pipeline(&kernel.shader, &population_layout),
                bind_group,
                spike_bits,
                staging,
                input: inputs[g].take(),
            });
            shared.push((count_buffer, fired, fired_count, n));
        }
        let position = |unit: Unit| plan.order.iter().position(|&u| u == unit);
        let mut deliveries = Vec::new();
        let mut blocks = vec![0; plan.populations.len()];
        for (k, p) in plan.projections.iter().enumerate() {
            let block = blocks[p.post];
            blocks[p.post] += 1;
            let this_step = position(Unit::Group(p.pre)) < position(Unit::Projection(k));
            let (_, fired, fired_count, n_pre) = &shared[p.pre];
            let (counts, _, _, n_post) = &shared[p.post];
            fits("the connections", p.csr.post.len() * 4)?;
            let row_start: Vec<u32> = p.csr.row_start.iter().map(|&x| x as u32).collect();
            let targets: Vec<u32> = p.csr.post.iter().map(|&x| x as u32).collect();
            let row_start = init("row start", &words(&row_start), storage);
            let targets = init("targets", &words(&targets), storage);
            let entries: Vec<wgpu::BindGroupEntry> =
                [&row_start, &targets, fired, fired_count, counts]
                    .iter()
                    .enumerate()
                    .map(|(i, b)| wgpu::BindGroupEntry {
                        binding: i as u32 + 1,
                        resource: b.as_entire_binding(),
                    })
                    .chain([wgpu::BindGroupEntry {
                        binding: 0,
                        resource: step_binding.clone(),
                    }])
                    .collect();
            let shader = wgsl::propagation(*n_pre, *n_post, block, this_step);
            deliveries.push(Delivery {
                pipeline: pipeline(&shader, &delivery_layout),
                bind_group: device.create_bind_group(&wgpu::BindGroupDescriptor {
                    label: None,
                    layout: &delivery_layout,
                    entries: &entries,
                }),
                workgroups: (*n_pre).min(DELIVERY_WORKGROUPS) as u32,
            });
        }
        let outputs = populations
            .iter()
            .map(|p| Output {
                spike_times_ms: vec![Vec::new(); p.n],
                ..Output::default()
            })
            .collect();
        Ok(GpuNetwork {
            queue: gpu.queue.clone(),
            populations,
            deliveries,
            order: plan.order.to_vec(),
            steps,
            step_stride,
            fault,
            fault_staging,
            dt_ms: plan.dt_ms,
            step_index: plan.steps_done,
            outputs,
            projections: plan.projections.len(),
            error: None,
            failure: None,
            device,
        })
    }

    /// Number of steps `duration_ms` takes (as the CPU network counts them).
    pub fn steps_for(&self, duration_ms: f64) -> usize {
        (duration_ms / self.dt_ms).max(0.0) as usize
    }

    pub fn steps_done(&self) -> usize {
        self.step_index
    }

    pub fn neurons(&self) -> usize {
        self.populations.iter().map(|p| p.n).sum()
    }

    /// What each group has recorded so far (its spike times).
    pub fn group_outputs(&self) -> &[Output] {
        &self.outputs
    }

    /// Advances `steps` steps; false if a state became non-finite (the error is in the output).
    pub async fn advance(&mut self, steps: usize) -> bool {
        let mut left = steps;
        while left > 0 && self.error.is_none() && self.failure.is_none() {
            let batch = left.min(BATCH_STEPS);
            self.submit(batch);
            if !self.read_back(batch).await {
                return false;
            }
            left -= batch;
        }
        self.error.is_none() && self.failure.is_none()
    }

    /// `advance` waited on natively.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn advance_blocking(&mut self, steps: usize) -> bool {
        pollster::block_on(self.advance(steps))
    }

    /// Writes the batch's step blocks and submits its dispatches and the copies back.
    fn submit(&mut self, batch: usize) {
        let mut blocks = vec![0u8; batch * self.step_stride];
        let mut value = [0.0];
        for (at, block) in blocks.chunks_mut(self.step_stride).enumerate() {
            let step = self.step_index + at;
            let head: [u32; 8] = [
                ((step as f64 * self.dt_ms) as f32).to_bits(),
                step as u32,
                at as u32,
                (step % 3) as u32,
                ((step + 2) % 3) as u32,
                ((step + 1) % 3) as u32,
                0,
                0,
            ];
            block[..32].copy_from_slice(bytemuck::cast_slice(&head));
            for (g, p) in self.populations.iter_mut().enumerate() {
                if let Some(input) = p.input.as_mut() {
                    input.fill(step, &mut value);
                    let at = 32 + 4 * g;
                    block[at..at + 4].copy_from_slice(&(value[0] as f32).to_le_bytes());
                }
            }
        }
        self.queue.write_buffer(&self.steps, 0, &blocks);
        let mut encoder = self.device.create_command_encoder(&Default::default());
        for p in &self.populations {
            encoder.clear_buffer(&p.spike_bits, 0, None);
        }
        {
            let mut pass = encoder.begin_compute_pass(&Default::default());
            for at in 0..batch {
                let offset = [(at * self.step_stride) as u32];
                for &unit in &self.order {
                    let (pipeline, bind_group, workgroups) = match unit {
                        Unit::Projection(k) => {
                            let d = &self.deliveries[k];
                            (&d.pipeline, &d.bind_group, d.workgroups)
                        }
                        Unit::Group(g) => {
                            let p = &self.populations[g];
                            (&p.pipeline, &p.bind_group, (p.n as u32).div_ceil(WORKGROUP))
                        }
                    };
                    pass.set_pipeline(pipeline);
                    pass.set_bind_group(0, bind_group, &offset);
                    pass.dispatch_workgroups(workgroups, 1, 1);
                }
            }
        }
        for p in &self.populations {
            let bytes = (batch * p.words * 4) as u64;
            encoder.copy_buffer_to_buffer(&p.spike_bits, 0, &p.staging, 0, bytes);
        }
        encoder.copy_buffer_to_buffer(&self.fault, 0, &self.fault_staging, 0, 16);
        self.queue.submit([encoder.finish()]);
    }

    /// Reads the batch's spike record and fault word; false on a fault.
    async fn read_back(&mut self, batch: usize) -> bool {
        let Some(fault) = read(&self.device, &self.fault_staging, 16).await else {
            return self.lost();
        };
        let fault_step = fault[0] as usize;
        // Steps up to the faulty one count; its spikes and the later ones do not.
        let done = match fault[0] {
            u32::MAX => batch,
            _ => fault_step - self.step_index,
        };
        for (p, output) in self.populations.iter().zip(&mut self.outputs) {
            let Some(bits) = read(&self.device, &p.staging, batch * p.words * 4).await else {
                self.failure = Some(LOST.into());
                return false;
            };
            for (at, row) in bits.chunks(p.words).take(done).enumerate() {
                let t_ms = (self.step_index + at) as f64 * self.dt_ms;
                for (w, &word) in row.iter().enumerate() {
                    let mut rest = word;
                    while rest != 0 {
                        let bit = rest.trailing_zeros() as usize;
                        output.spike_times_ms[w * 32 + bit].push(t_ms);
                        rest &= rest - 1;
                    }
                }
            }
        }
        self.step_index += done;
        for output in &mut self.outputs {
            output.steps = self.step_index;
        }
        if fault[0] != u32::MAX {
            self.error = Some(NonFinite {
                variable: format!("a state of group {}", fault[2]),
                neuron: fault[1] as usize,
                t_ms: fault_step as f64 * self.dt_ms,
                value: f64::NAN,
            });
            return false;
        }
        true
    }

    fn lost(&mut self) -> bool {
        self.failure = Some(LOST.into());
        false
    }

    /// Why the GPU stopped, if it did (not the network's fault: the caller may rerun on the
    /// CPU).
    pub fn failure(&self) -> Option<&str> {
        self.failure.as_deref()
    }

    pub fn into_output(self) -> NetworkOutput {
        NetworkOutput {
            groups: self.outputs,
            projections: vec![Output::default(); self.projections],
            error: self.error,
        }
    }
}

/// The first `bytes` bytes of a mappable buffer, as words.
/// `None` if the buffer could not be mapped (the device was lost).
async fn read(device: &wgpu::Device, buffer: &wgpu::Buffer, bytes: usize) -> Option<Vec<u32>> {
    if bytes == 0 {
        return Some(Vec::new());
    }
    let slice = buffer.slice(..bytes as u64);
    let (sender, receiver) = futures_channel::oneshot::channel();
    slice.map_async(wgpu::MapMode::Read, move |result| {
        let _ = sender.send(result);
    });
    // Natively the callback runs inside `poll`; in the browser the event loop runs it.
    #[cfg(not(target_arch = "wasm32"))]
    let _ = device.poll(wgpu::PollType::wait_indefinitely());
    #[cfg(target_arch = "wasm32")]
    let _ = device;
    if !matches!(receiver.await, Ok(Ok(()))) {
        return None;
    }
    let words = slice
        .get_mapped_range()
        .map(|view| bytemuck::cast_slice(&view).to_vec())
        .ok();
    buffer.unmap();
    words
}
