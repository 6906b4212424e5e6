//! A network of neuron populations and fused projections run on the GPU, step for step as
//! `brainplay_sim::network::Network` runs it on the CPU: the same programs (one kernel per
//! population, written from its compiled step), the same connections, the same update order.
//!
//! A submission holds a batch of steps; within it, every population of the order is one
//! dispatch per step (its update, then the delivery of its spikes along its projections), and
//! the dispatches of a pass run in order. What crosses back to the host per batch is each
//! population's spike record (one bit per neuron and step), its recorded neurons' probes and the
//! fault word, never anything per step.

use brainplay_sim::input::InputState;
use brainplay_sim::network::{Network, NetworkOutput, NetworkSetup, Source, Unit};
use brainplay_sim::{msg, Message, NonFinite, Output};
use wgpu::util::DeviceExt;

use crate::context::Gpu;
use crate::wgsl::{self, Outgoing, Place, Records, Unsupported, MAX_GROUPS, STEP_BYTES, WORKGROUP};

/// Steps per submission: long enough that a submission's fixed cost is spread thin, short
/// enough that the spike record of 100 000 neurons stays a few MB and progress is smooth.
pub const BATCH_STEPS: usize = 500;

struct Population {
    n: usize,
    /// Words of its spike record per step, and where its record starts.
    words: usize,
    bits_at: usize,
    /// What it records, if anything, and where in the batch's recordings.
    record: Option<RecordPlace>,
    pipeline: wgpu::ComputePipeline,
    /// The group's input, the same for every neuron (one lane).
    input: Option<InputState>,
}

/// A population's recordings in a batch: `rows × probes` values per step from `at`, after the
/// steps whose index is a multiple of `stride`.
struct RecordPlace {
    rows: usize,
    probes: usize,
    stride: usize,
    at: usize,
}

/// Where a batch's spike record, recordings and fault word are copied for reading: two, so that
/// one batch runs while the last one is read.
struct Staging {
    bits: wgpu::Buffer,
    rec: wgpu::Buffer,
    fault: wgpu::Buffer,
}

/// A submitted batch: its staging buffers, first step and length.
struct Batch {
    staging: usize,
    first: usize,
    steps: usize,
    submission: wgpu::SubmissionIndex,
}

pub struct GpuNetwork {
    device: wgpu::Device,
    queue: wgpu::Queue,
    populations: Vec<Population>,
    order: Vec<Unit>,
    bind_group: wgpu::BindGroup,
    steps: wgpu::Buffer,
    step_stride: usize,
    bits: wgpu::Buffer,
    rec: wgpu::Buffer,
    fault: wgpu::Buffer,
    staging: [Staging; 2],
    /// The batch submitted and not yet read, if any.
    in_flight: Option<Batch>,
    dt_ms: f64,
    /// Steps read back (done).
    step_index: usize,
    outputs: Vec<Output>,
    projections: usize,
    error: Option<NonFinite>,
    failure: Option<Message>,
}

/// The GPU failed during a run.
fn lost() -> Message {
    msg!(
        "the GPU stopped answering (device lost)",
        "GPU 不再响应（设备丢失）"
    )
}

impl GpuNetwork {
    /// The network `setup` on `gpu`, or why it cannot run there: every group a neuron
    /// population whose input is the same for every neuron, every projection fused into its
    /// postsynaptic population without delays and recording nothing. A setup that is
    /// wrong in itself is refused too: the CPU path then says why.
    pub fn new(gpu: &Gpu, setup: &NetworkSetup) -> Result<GpuNetwork, Unsupported> {
        if setup.groups.len() > MAX_GROUPS {
            return Err(Unsupported(msg!(
                "more than {MAX_GROUPS} groups",
                "群体多于 {MAX_GROUPS} 个"
            )));
        }
        let mut inputs = Vec::new();
        for group in &setup.groups {
            let Source::Neurons { setup: own, .. } = &group.source else {
                let name = &group.name;
                return Err(Unsupported(msg!(
                    "group `{name}` is a spike source",
                    "群体 `{name}` 是脉冲源"
                )));
            };
            let input = match &own.input {
                None => None,
                Some(spec) if spec.same_for_every_neuron() => Some(
                    InputState::new(spec, 1, setup.dt_ms, group.seed)
                        .map_err(|e| Unsupported(e.message))?,
                ),
                Some(_) => {
                    let name = &group.name;
                    return Err(Unsupported(msg!(
                        "group `{name}` has an input that differs between neurons",
                        "群体 `{name}` 的输入在神经元之间各不相同"
                    )));
                }
            };
            inputs.push(input);
        }
        if let Some(p) = setup.projections.iter().find(|p| !p.record.is_empty()) {
            let id = &p.id;
            return Err(Unsupported(msg!(
                "projection `{id}` records",
                "投射 `{id}` 需要记录"
            )));
        }
        let network = Network::new(setup).map_err(|e| Unsupported(e.0))?;
        let plan = network.plan();
        if let Some(p) = plan
            .projections
            .iter()
            .find(|p| p.fused_count.is_none() || p.delay_steps > 0)
        {
            let post = p.post;
            return Err(Unsupported(msg!(
                "projection to group {post} keeps its synapses per connection or has a delay",
                "投向群体 {post} 的投射按连接保存突触，或带有延迟"
            )));
        }

        let device = gpu.device.clone();
        let limits = device.limits();
        let step_stride =
            STEP_BYTES.next_multiple_of(limits.min_uniform_buffer_offset_alignment as usize);

        // Where each population's data go in the shared buffers.
        let sizes: Vec<usize> = plan
            .populations
            .iter()
            .map(|sim| {
                sim.expect("every group is a population (checked above)")
                    .neurons()
            })
            .collect();
        let mut blocks_of = vec![Vec::new(); sizes.len()];
        for (k, p) in plan.projections.iter().enumerate() {
            blocks_of[p.post].push(k);
        }
        let mut places = Vec::new();
        let (mut counts_len, mut bits_len) = (0, 0);
        for (g, &n) in sizes.iter().enumerate() {
            places.push((counts_len, bits_len));
            counts_len += 3 * blocks_of[g].len() * n;
            bits_len += BATCH_STEPS * n.div_ceil(32);
        }
        // The connections' place in the shared buffer, filled below straight from the CPU
        // network's lists: a 100 000-neuron network has 2·10⁸ of them, so no second copy.
        let mut csr_len = 0;
        let position = |unit: Unit| plan.order.iter().position(|&u| u == unit);
        let mut outgoing = vec![Vec::new(); sizes.len()];
        for (k, p) in plan.projections.iter().enumerate() {
            // A spike reaches the projection in its own step if the group updates first, and
            // the postsynaptic group in the projection's step if it updates after it.
            let projection = position(Unit::Projection(k));
            let delay = u32::from(position(Unit::Group(p.pre)) > projection)
                + u32::from(position(Unit::Group(p.post)) < projection);
            let rows = csr_len;
            let targets = rows + p.csr.row_start.len();
            csr_len = targets + p.csr.post.len();
            let block = blocks_of[p.post]
                .iter()
                .position(|&b| b == k)
                .expect("listed");
            outgoing[p.pre].push(Outgoing {
                rows: rows as u32,
                targets: targets as u32,
                counts: (places[p.post].0 + 3 * block * sizes[p.post]) as u32,
                n_post: sizes[p.post] as u32,
                delay,
            });
        }
        let mut lane_values: Vec<f32> = Vec::new();
        let mut shaders = Vec::new();
        let mut outputs = Vec::new();
        let mut records_of = Vec::new();
        let mut rec_len = 0;
        for (g, sim) in plan.populations.iter().enumerate() {
            let sim = sim.expect("checked above");
            let listing = sim.listing();
            let recording = sim.recording();
            let record = (!recording.probes.is_empty()).then_some(RecordPlace {
                rows: recording.neurons.len(),
                probes: recording.probes.len(),
                stride: recording.stride,
                at: rec_len,
            });
            if let Some(r) = &record {
                rec_len += BATCH_STEPS * r.rows * r.probes;
            }
            let counts: Vec<usize> = blocks_of[g]
                .iter()
                .map(|&k| {
                    plan.projections[k]
                        .fused_count
                        .expect("fused (checked above)")
                })
                .collect();
            let place = Place {
                lanes: lane_values.len() as u32,
                counts: places[g].0 as u32,
                bits: places[g].1 as u32,
            };
            let records = record.as_ref().map(|r| Records {
                recording: &recording,
                at: r.at as u32,
            });
            let kernel = wgsl::population(&listing, g, &counts, place, &outgoing[g], records)?;
            lane_values.extend(kernel.lanes.iter().flatten().map(|&x| x as f32));
            shaders.push(kernel.shader);
            outputs.push(Output {
                spike_times_ms: vec![Vec::new(); listing.neurons],
                names: recording.names,
                traces: vec![vec![Vec::new(); recording.neurons.len()]; recording.probes.len()],
                ..Output::default()
            });
            records_of.push(record);
        }
        let most = limits
            .max_storage_buffer_binding_size
            .min(limits.max_buffer_size)
            .min(u32::MAX as u64);
        for (what, elements) in [
            (("the connections", "连接"), csr_len),
            (("the registers", "寄存器"), lane_values.len()),
            (("the spike counts", "脉冲计数"), counts_len),
            (("the spike record", "脉冲记录"), bits_len),
            (("the recordings", "记录数据"), rec_len),
        ] {
            if elements as u64 * 4 > most {
                let (need, most) = ((elements * 4) >> 20, most >> 20);
                let (en, zh) = what;
                return Err(Unsupported(Message::new(
                    format!("{en} need {need} MB, more than the GPU's {most} MB per buffer"),
                    format!("{zh}需要 {need} MB，超过了 GPU 每个缓冲区 {most} MB 的上限"),
                )));
            }
        }

        let storage = wgpu::BufferUsages::STORAGE;
        let buffer = |label: &str, size: usize, usage: wgpu::BufferUsages| {
            device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size: size.max(4) as u64,
                usage,
                mapped_at_creation: false,
            })
        };
        let init = |label: &str, words: &[u32], usage: wgpu::BufferUsages| {
            let words = if words.is_empty() { &[0][..] } else { words };
            device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some(label),
                contents: bytemuck::cast_slice(words),
                usage,
            })
        };
        let steps = buffer(
            "steps",
            BATCH_STEPS * step_stride,
            wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
        );
        let lanes = init("lanes", bytemuck::cast_slice(&lane_values), storage);
        let counts = buffer("counts", counts_len * 4, storage);
        let csr = buffer(
            "connections",
            csr_len * 4,
            storage | wgpu::BufferUsages::COPY_DST,
        );
        // In slices of a million, so that the u32 copy stays small.
        let mut words: Vec<u32> = Vec::with_capacity(1 << 20);
        let mut at = 0;
        for list in plan
            .projections
            .iter()
            .flat_map(|p| [&p.csr.row_start, &p.csr.post])
        {
            for slice in list.chunks(1 << 20) {
                words.clear();
                words.extend(slice.iter().map(|&x| x as u32));
                gpu.queue
                    .write_buffer(&csr, (at * 4) as u64, bytemuck::cast_slice(&words));
                at += slice.len();
            }
        }
        let copy_out = wgpu::BufferUsages::COPY_SRC | wgpu::BufferUsages::COPY_DST;
        let bits = buffer("spike record", bits_len * 4, storage | copy_out);
        let fault = init("fault", &[u32::MAX, 0, 0, 0], storage | copy_out);
        let read_back = wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST;
        let rec = buffer("recordings", rec_len * 4, storage | copy_out);
        let staging = [0, 1].map(|_| Staging {
            bits: buffer("spike record staging", bits_len * 4, read_back),
            rec: buffer("recordings staging", rec_len * 4, read_back),
            fault: buffer("fault staging", 16, read_back),
        });

        // Binding 0 is the step block; the shared buffers follow, in the kernels' order
        // (`wgsl::BINDINGS`), with whether the kernels only read them.
        let shared = [
            (&lanes, false),
            (&counts, false),
            (&csr, true),
            (&bits, false),
            (&fault, false),
            (&rec, false),
        ];
        let entry = |binding: usize, ty: wgpu::BufferBindingType, dynamic: bool| {
            wgpu::BindGroupLayoutEntry {
                binding: binding as u32,
                visibility: wgpu::ShaderStages::COMPUTE,
                ty: wgpu::BindingType::Buffer {
                    ty,
                    has_dynamic_offset: dynamic,
                    min_binding_size: None,
                },
                count: None,
            }
        };
        let layout_entries: Vec<wgpu::BindGroupLayoutEntry> =
            [entry(0, wgpu::BufferBindingType::Uniform, true)]
                .into_iter()
                .chain(shared.iter().enumerate().map(|(i, &(_, read_only))| {
                    entry(i + 1, wgpu::BufferBindingType::Storage { read_only }, false)
                }))
                .collect();
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: None,
            entries: &layout_entries,
        });
        let step_block = wgpu::BindingResource::Buffer(wgpu::BufferBinding {
            buffer: &steps,
            offset: 0,
            size: wgpu::BufferSize::new(STEP_BYTES as u64),
        });
        let entries: Vec<wgpu::BindGroupEntry> = [step_block]
            .into_iter()
            .chain(shared.iter().map(|(buffer, _)| buffer.as_entire_binding()))
            .enumerate()
            .map(|(binding, resource)| wgpu::BindGroupEntry {
                binding: binding as u32,
                resource,
            })
            .collect();
        let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: None,
            layout: &layout,
            entries: &entries,
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: None,
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let mut populations = Vec::new();
        let parts = shaders.iter().zip(records_of).zip(inputs).enumerate();
        for (g, ((shader, record), input)) in parts {
            let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
                label: None,
                source: wgpu::ShaderSource::Wgsl(shader.into()),
            });
            let pipeline = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                label: None,
                layout: Some(&pipeline_layout),
                module: &module,
                entry_point: Some("main"),
                compilation_options: Default::default(),
                cache: None,
            });
            populations.push(Population {
                n: sizes[g],
                words: sizes[g].div_ceil(32),
                bits_at: places[g].1,
                record,
                pipeline,
                input,
            });
        }
        Ok(GpuNetwork {
            queue: gpu.queue.clone(),
            populations,
            order: plan.order.to_vec(),
            bind_group,
            steps,
            step_stride,
            bits,
            rec,
            fault,
            staging,
            in_flight: None,
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

    /// Advances `steps` steps; false if a state became non-finite (the error is in the output)
    /// or the GPU failed (`failure`). The next batch is submitted before the last one is read,
    /// so the GPU does not wait for the host.
    pub async fn advance(&mut self, steps: usize) -> bool {
        let mut submitted = self.step_index;
        let end = self.step_index + steps;
        while self.error.is_none() && self.failure.is_none() {
            let next = (submitted < end).then(|| {
                let batch = self.submit(submitted, (end - submitted).min(BATCH_STEPS));
                submitted += batch.steps;
                batch
            });
            if let Some(last) = self.in_flight.take() {
                self.read_back(last).await;
            }
            match next {
                Some(batch) => self.in_flight = Some(batch),
                None => break,
            }
        }
        // A batch still in flight after a fault or failure is dropped unread.
        self.in_flight = None;
        self.error.is_none() && self.failure.is_none()
    }

    /// `advance` waited on natively.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn advance_blocking(&mut self, steps: usize) -> bool {
        pollster::block_on(self.advance(steps))
    }

    /// Writes the step blocks of `steps` steps from `first` and submits their dispatches and the
    /// copies of the spike record and fault word into a free staging pair.
    fn submit(&mut self, first: usize, steps: usize) -> Batch {
        let staging = match &self.in_flight {
            Some(batch) => 1 - batch.staging,
            None => 0,
        };
        let mut blocks = vec![0u8; steps * self.step_stride];
        let mut value = [0.0];
        for (at, block) in blocks.chunks_mut(self.step_stride).enumerate() {
            let step = first + at;
            let head: [u32; 4] = [
                ((step as f64 * self.dt_ms) as f32).to_bits(),
                step as u32,
                at as u32,
                0,
            ];
            block[..16].copy_from_slice(bytemuck::cast_slice(&head));
            for (g, p) in self.populations.iter_mut().enumerate() {
                if let Some(input) = p.input.as_mut() {
                    input.fill(step, &mut value);
                    let at = 16 + 4 * g;
                    block[at..at + 4].copy_from_slice(&(value[0] as f32).to_le_bytes());
                }
            }
        }
        self.queue.write_buffer(&self.steps, 0, &blocks);
        let mut encoder = self.device.create_command_encoder(&Default::default());
        encoder.clear_buffer(&self.bits, 0, None);
        {
            let mut pass = encoder.begin_compute_pass(&Default::default());
            for at in 0..steps {
                let offset = [(at * self.step_stride) as u32];
                pass.set_bind_group(0, &self.bind_group, &offset);
                for &unit in &self.order {
                    // Projections deliver inside their presynaptic population's kernel.
                    if let Unit::Group(g) = unit {
                        let p = &self.populations[g];
                        pass.set_pipeline(&p.pipeline);
                        pass.dispatch_workgroups((p.n as u32).div_ceil(WORKGROUP), 1, 1);
                    }
                }
            }
        }
        let out = &self.staging[staging];
        encoder.copy_buffer_to_buffer(&self.bits, 0, &out.bits, 0, None);
        encoder.copy_buffer_to_buffer(&self.rec, 0, &out.rec, 0, None);
        encoder.copy_buffer_to_buffer(&self.fault, 0, &out.fault, 0, 16);
        let submission = self.queue.submit([encoder.finish()]);
        Batch {
            staging,
            first,
            steps,
            submission,
        }
    }

    /// Reads a batch's spike record and fault word into the outputs.
    async fn read_back(&mut self, batch: Batch) {
        let out = &self.staging[batch.staging];
        let done = &batch.submission;
        let (Some(fault), Some(bits), Some(rec)) = (
            read(&self.device, &out.fault, done).await,
            read(&self.device, &out.bits, done).await,
            read(&self.device, &out.rec, done).await,
        ) else {
            self.failure = Some(lost());
            return;
        };
        // Steps before the faulty one count; its spikes and the later ones do not.
        let faulty = fault[0] as usize;
        let done = match fault[0] {
            u32::MAX => batch.steps,
            _ => faulty.saturating_sub(batch.first).min(batch.steps),
        };
        for (p, output) in self.populations.iter().zip(&mut self.outputs) {
            if let Some(r) = &p.record {
                // The CPU records after the steps whose index is a multiple of the stride.
                let size = r.rows * r.probes;
                for step in (batch.first..batch.first + done).filter(|s| s % r.stride == 0) {
                    output.t_ms.push(step as f64 * self.dt_ms);
                    let values = &rec[r.at + (step - batch.first) * size..][..size];
                    for (row, row_values) in values.chunks(r.probes).enumerate() {
                        for (trace, &v) in output.traces.iter_mut().zip(row_values) {
                            trace[row].push(f32::from_bits(v) as f64);
                        }
                    }
                }
            }
            let record = &bits[p.bits_at..][..batch.steps * p.words];
            for (at, row) in record.chunks(p.words).take(done).enumerate() {
                let t_ms = (batch.first + at) as f64 * self.dt_ms;
                for (w, &word) in row.iter().enumerate() {
                    let mut rest = word;
                    while rest != 0 {
                        let bit = rest.trailing_zeros() as usize;
                        output.spike_times_ms[w * 32 + bit].push(t_ms);
                        rest &= rest - 1;
                    }
                }
            }
            output.steps = batch.first + done;
        }
        self.step_index = batch.first + done;
        if fault[0] != u32::MAX {
            self.error = Some(NonFinite {
                variable: format!("a state of group {}", fault[2]),
                neuron: fault[1] as usize,
                t_ms: faulty as f64 * self.dt_ms,
                value: f64::NAN,
            });
        }
    }

    /// Why the GPU stopped, if it did (not the network's fault: the caller may rerun on the
    /// CPU).
    pub fn failure(&self) -> Option<&Message> {
        self.failure.as_ref()
    }

    pub fn into_output(self) -> NetworkOutput {
        NetworkOutput {
            groups: self.outputs,
            projections: vec![Output::default(); self.projections],
            error: self.error,
        }
    }
}

/// A mappable buffer's words; `None` if it could not be mapped (the device was lost).
async fn read(
    device: &wgpu::Device,
    buffer: &wgpu::Buffer,
    submission: &wgpu::SubmissionIndex,
) -> Option<Vec<u32>> {
    let slice = buffer.slice(..);
    let (sender, receiver) = futures_channel::oneshot::channel();
    slice.map_async(wgpu::MapMode::Read, move |result| {
        let _ = sender.send(result);
    });
    // Natively the callback runs inside `poll`, which waits for this batch only (the next one
    // keeps the GPU busy meanwhile); in the browser the event loop runs it.
    #[cfg(not(target_arch = "wasm32"))]
    let _ = device.poll(wgpu::PollType::Wait {
        submission_index: Some(submission.clone()),
        timeout: None,
    });
    #[cfg(target_arch = "wasm32")]
    let _ = (device, submission);
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
