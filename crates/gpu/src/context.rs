//! The GPU a run uses: the adapter the platform offers (the browser's WebGPU, or Vulkan
//! natively), opened with the largest buffers it allows.

use std::fmt;

use brainplay_sim::{msg, Message};

/// Why no GPU run is possible; the caller runs on the CPU.
#[derive(Clone, Debug, PartialEq)]
pub struct NoGpu(pub Message);

impl fmt::Display for NoGpu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// An open device.
pub struct Gpu {
    pub device: wgpu::Device,
    pub queue: wgpu::Queue,
    /// The adapter's name and backend, to show the user which one runs.
    pub name: String,
    /// Whether the adapter is a software rasteriser (lavapipe, SwiftShader): right results,
    /// no speed.
    pub software: bool,
}

impl Gpu {
    /// The platform's preferred adapter, or why there is none (no WebGPU in this browser, no
    /// Vulkan driver, a refused request).
    pub async fn open() -> Result<Gpu, NoGpu> {
        let instance = wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle());
        let adapter = instance
            .request_adapter(&wgpu::RequestAdapterOptions {
                power_preference: wgpu::PowerPreference::HighPerformance,
                ..Default::default()
            })
            .await
            .map_err(|e| NoGpu(msg!("no GPU adapter: {e}", "没有可用的 GPU 适配器：{e}")))?;
        let info = adapter.get_info();
        // Everything the adapter allows: a large network's connections need big buffers.
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("brainplay"),
                required_limits: adapter.limits(),
                ..Default::default()
            })
            .await
            .map_err(|e| {
                NoGpu(msg!(
                    "the GPU refused a device: {e}",
                    "GPU 拒绝创建设备：{e}"
                ))
            })?;
        let software = info.device_type == wgpu::DeviceType::Cpu;
        Ok(Gpu {
            device,
            queue,
            // Browsers often keep the adapter's description to themselves.
            name: match info.name.is_empty() {
                true => format!("{:?}", info.backend),
                false => format!("{} ({:?})", info.name, info.backend),
            },
            software,
        })
    }

    /// `Gpu::open` waited on natively.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn open_blocking() -> Result<Gpu, NoGpu> {
        pollster::block_on(Gpu::open())
    }
}
