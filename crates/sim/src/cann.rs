//! The continuous attractor neural network of lesson 11 (curriculum §11): a ring of rate
//! neurons with Gaussian recurrent excitation and divisive global inhibition, as the course's
//! `CANN1D`, with spike-frequency adaptation (`CANN1D_SFA`) or short-term plasticity
//! (`CANN1D_STP`) as variants.
//!
//! Each step (forward Euler, the course's `odeint` default):
//!   r = u² / (1 + k Σ u²),  I_rec = W r,  τ du/dt = −u + I_rec + I_ext (− v),
//!   SFA: τ_v dv/dt = −v + m u, then u ← max(u, 0);
//!   STP: I_rec = W ((g + G(1 − g)) h r), dg/dt = −g/τ_f + G(1 − g) r,
//!        dh/dt = (1 − h)/τ_d − (g + G(1 − g)) h r, then u ← max(u, 0).
//!
//! The course places the neurons at `linspace(−π, π, N)`, both ends included, so the first and
//! the last neuron sit at the same point of the ring and the spacing is 2π/(N − 1). The weight
//! W_ij = J0 exp(−½ (d_ij/a)²)/(√(2π) a) depends on the ring distance d_ij, that is on
//! (j − i) modulo N − 1: the product W r is a circular convolution over N − 1 points of r with
//! the two coinciding neurons' rates added. It is computed by a real FFT (`RealFft`: rustfft's
//! radix-4 on half the points, used directly because its planner and `realfft` would add 100 KB
//! to the compute worker) in O(N log N) per
//! step instead of the dense O(N²): as a linear convolution with the kernel over
//! −(N − 2)…N − 2 (periodic in N − 1), zero-padded to a power of two at least 2(N − 1), where
//! the FFT is fastest and nothing wraps around.

use std::f64::consts::PI;

use rustfft::algorithm::Radix4;
use rustfft::num_complex::Complex;
use rustfft::{Fft, FftDirection};

/// What the ring's neurons do besides the basic dynamics.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Variant {
    Basic,
    /// Spike-frequency adaptation: strength `m`, time constant `tau_v_ms`.
    Adaptation {
        m: f64,
        tau_v_ms: f64,
    },
    /// Short-term plasticity: facilitation and depression time constants and the baseline
    /// release probability `g_base` (the course's G).
    Plasticity {
        tau_f_ms: f64,
        tau_d_ms: f64,
        g_base: f64,
    },
}

/// The ring's parameters (the course's names).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CannParams {
    pub n: usize,
    pub tau_ms: f64,
    /// Strength of the global inhibition.
    pub k: f64,
    /// Width of the recurrent excitation and of the stimulus (rad).
    pub a: f64,
    /// Strength of the recurrent excitation.
    pub j0: f64,
    pub variant: Variant,
}

/// The course's ring size.
pub const RING_NEURONS: usize = 512;

impl Default for CannParams {
    /// The course's `CANN1D` defaults.
    fn default() -> Self {
        CannParams {
            n: RING_NEURONS,
            tau_ms: 1.0,
            k: 8.1,
            a: 0.5,
            j0: 4.0,
            variant: Variant::Basic,
        }
    }
}

/// `d` wrapped onto the ring, in (−π, π] (numpy's `remainder`, then minus 2π above π).
pub fn ring_distance(d: f64) -> f64 {
    let r = d.rem_euclid(2.0 * PI);
    if r > PI {
        r - 2.0 * PI
    } else {
        r
    }
}

/// The neurons' preferred positions: `linspace(−π, π, n)`.
pub fn positions(n: usize) -> Vec<f64> {
    let step = 2.0 * PI / (n.max(2) - 1) as f64;
    (0..n).map(|i| -PI + i as f64 * step).collect()
}

/// The course's stimulus at `position`: A exp(−¼ (d/a)²) on every neuron.
pub fn stimulus(x: &[f64], position: f64, a: f64, amplitude: f64) -> Vec<f64> {
    x.iter()
        .map(|&xi| {
            let d = ring_distance(xi - position) / a;
            amplitude * (-0.25 * d * d).exp()
        })
        .collect()
}

/// The bump's centre: the angle of the population vector Σ u_i e^{i x_i}.
pub fn centre(u: &[f64], x: &[f64]) -> f64 {
    let (s, c) = u.iter().zip(x).fold((0.0, 0.0), |(s, c), (&ui, &xi)| {
        (s + ui * xi.sin(), c + ui * xi.cos())
    });
    s.atan2(c)
}

pub struct Cann {
    params: CannParams,
    dt_ms: f64,
    pub u: Vec<f64>,
    /// Adaptation (SFA) or release probability g (STP).
    pub v: Vec<f64>,
    /// Available fraction h (STP).
    pub h: Vec<f64>,
    /// The kernel's transform (padded, module documentation), scaled for `RealFft::inverse`.
    kernel: Vec<Complex<f64>>,
    /// N − 1: the distinct points of the ring.
    distinct: usize,
    fft: RealFft,
    signal: Vec<f64>,
    spectrum: Vec<Complex<f64>>,
    /// What the recurrent connections carry this step, and what they deliver.
    rates: Vec<f64>,
    recurrent: Vec<f64>,
}

impl Cann {
    pub fn new(params: CannParams, dt_ms: f64) -> Result<Cann, crate::Message> {
        let n = params.n;
        if n < 3 {
            return Err(crate::msg!(
                "a ring needs at least 3 neurons, got {n}",
                "环上至少要有 3 个神经元，实际是 {n} 个"
            ));
        }
        if !(params.a > 0.0 && params.tau_ms > 0.0 && dt_ms > 0.0) {
            return Err(crate::msg!(
                "the width a, τ and dt must be positive",
                "宽度 a、τ 和 dt 都必须为正"
            ));
        }
        let m = n - 1;
        let size = (2 * m).next_power_of_two();
        let step = 2.0 * PI / m as f64;
        let norm = params.j0 / ((2.0 * PI).sqrt() * params.a);
        // Offsets −(m − 1)…m − 1 at their indices modulo `size`; the rest stays zero.
        let mut signal = vec![0.0; size];
        for d in 1 - m as i64..m as i64 {
            let dist = ring_distance(d as f64 * step) / params.a;
            signal[d.rem_euclid(size as i64) as usize] = norm * (-0.5 * dist * dist).exp();
        }
        let mut fft = RealFft::new(size);
        let mut kernel = vec![Complex::new(0.0, 0.0); size / 2 + 1];
        fft.forward(&signal, &mut kernel);
        let scale = 1.0 / (size / 2) as f64;
        kernel.iter_mut().for_each(|k| *k *= scale);
        let (v0, h0) = match params.variant {
            Variant::Plasticity { .. } => (0.0, 1.0),
            _ => (0.0, 0.0),
        };
        Ok(Cann {
            params,
            dt_ms,
            u: vec![0.0; n],
            v: vec![v0; n],
            h: vec![h0; n],
            kernel,
            distinct: m,
            spectrum: vec![Complex::new(0.0, 0.0); size / 2 + 1],
            signal,
            fft,
            rates: vec![0.0; n],
            recurrent: vec![0.0; n],
        })
    }

    pub fn params(&self) -> &CannParams {
        &self.params
    }

    /// W · `self.rates` into `self.recurrent` (module documentation: a circular convolution
    /// over the N − 1 distinct points).
    fn convolve(&mut self) {
        let m = self.distinct;
        self.signal[..m].copy_from_slice(&self.rates[..m]);
        // The last neuron is the first one's point.
        self.signal[0] += self.rates[m];
        self.signal[m..].fill(0.0);
        self.fft.forward(&self.signal, &mut self.spectrum);
        for (b, k) in self.spectrum.iter_mut().zip(&self.kernel) {
            *b *= k;
        }
        self.fft.inverse(&self.spectrum, &mut self.signal);
        // Kernel symmetry makes the correlation the course writes (Σ_j W(x_j − x_i) r_j) the
        // same as this convolution.
        self.recurrent[..m].copy_from_slice(&self.signal[..m]);
        self.recurrent[m] = self.signal[0];
    }

    /// One Euler step with external input `input` (one value per neuron); it allocates nothing.
    #[inline(never)]
    pub fn step(&mut self, input: &[f64]) {
        let p = self.params;
        let dt = self.dt_ms;
        let sum_sq: f64 = self.u.iter().map(|u| u * u).sum();
        let divisor = 1.0 + p.k * sum_sq;
        // One loop per variant, so that each is plain array arithmetic.
        match p.variant {
            Variant::Plasticity { g_base, .. } => {
                let ((rates, u), (g, h)) = ((&mut self.rates, &self.u), (&self.v, &self.h));
                for i in 0..u.len() {
                    rates[i] = (g[i] + g_base * (1.0 - g[i])) * h[i] * (u[i] * u[i] / divisor);
                }
            }
            _ => {
                for (r, u) in self.rates.iter_mut().zip(&self.u) {
                    *r = u * u / divisor;
                }
            }
        }
        self.convolve();
        let (u, rec) = (&mut self.u, &self.recurrent);
        match p.variant {
            Variant::Basic => {
                for i in 0..u.len() {
                    u[i] += dt * (-u[i] + rec[i] + input[i]) / p.tau_ms;
                }
            }
            Variant::Adaptation { m, tau_v_ms } => {
                let v = &mut self.v;
                for i in 0..u.len() {
                    let du = (-u[i] + rec[i] + input[i] - v[i]) / p.tau_ms;
                    let dv = (-v[i] + m * u[i]) / tau_v_ms;
                    u[i] = (u[i] + dt * du).max(0.0);
                    v[i] += dt * dv;
                }
            }
            Variant::Plasticity {
                tau_f_ms,
                tau_d_ms,
                g_base,
            } => {
                let (g, h) = (&mut self.v, &mut self.h);
                for i in 0..u.len() {
                    let r = u[i] * u[i] / divisor;
                    let release = g[i] + g_base * (1.0 - g[i]);
                    let du = (-u[i] + rec[i] + input[i]) / p.tau_ms;
                    let dg = -g[i] / tau_f_ms + g_base * (1.0 - g[i]) * r;
                    let dh = (1.0 - h[i]) / tau_d_ms - release * h[i] * r;
                    u[i] = (u[i] + dt * du).max(0.0);
                    g[i] += dt * dg;
                    h[i] += dt * dh;
                }
            }
        }
    }
}

/// The discrete Fourier transform of a real signal of even length N through a complex FFT of
/// N/2 points (the even samples as real parts, the odd ones as imaginary parts, then separated
/// with the twiddles e^(−2πik/N)): half the work of a complex transform of N points.
struct RealFft {
    half: usize,
    forward: Radix4<f64>,
    inverse: Radix4<f64>,
    /// e^(−2πik/N) for k = 0…N/2.
    twiddles: Vec<Complex<f64>>,
    packed: Vec<Complex<f64>>,
    scratch: Vec<Complex<f64>>,
}

impl RealFft {
    /// `len`: a power of two, at least 8.
    fn new(len: usize) -> RealFft {
        let half = len / 2;
        let forward = Radix4::new(half, FftDirection::Forward);
        let inverse = Radix4::new(half, FftDirection::Inverse);
        let scratch_len = forward
            .get_inplace_scratch_len()
            .max(inverse.get_inplace_scratch_len());
        let twiddles = (0..=half)
            .map(|k| Complex::from_polar(1.0, -2.0 * PI * k as f64 / len as f64))
            .collect();
        RealFft {
            half,
            forward,
            inverse,
            twiddles,
            packed: vec![Complex::new(0.0, 0.0); half],
            scratch: vec![Complex::new(0.0, 0.0); scratch_len],
        }
    }

    /// X_k for k = 0…N/2 of the real signal `x` (N points).
    fn forward(&mut self, x: &[f64], spectrum: &mut [Complex<f64>]) {
        let m = self.half;
        for (z, pair) in self.packed.iter_mut().zip(x.chunks_exact(2)) {
            *z = Complex::new(pair[0], pair[1]);
        }
        self.forward
            .process_with_scratch(&mut self.packed, &mut self.scratch);
        for (k, out) in spectrum.iter_mut().enumerate() {
            // Indices modulo m, without dividing: only k = 0 and k = m wrap.
            let (at, mirror_at) = match k {
                0 => (0, 0),
                k if k == m => (0, 0),
                k => (k, m - k),
            };
            let z = self.packed[at];
            let mirror = self.packed[mirror_at].conj();
            let even = (z + mirror) * 0.5;
            // (z − mirror) / 2i
            let odd = (z - mirror) * Complex::new(0.0, -0.5);
            *out = even + self.twiddles[k] * odd;
        }
    }

    /// The real signal (N points) whose transform is `spectrum` (k = 0…N/2), times N/2.
    fn inverse(&mut self, spectrum: &[Complex<f64>], x: &mut [f64]) {
        let m = self.half;
        for (k, z) in self.packed.iter_mut().enumerate() {
            let mirror = spectrum[m - k].conj();
            let even = (spectrum[k] + mirror) * 0.5;
            let odd = (spectrum[k] - mirror) * 0.5 * self.twiddles[k].conj();
            *z = even + Complex::new(0.0, 1.0) * odd;
        }
        self.inverse
            .process_with_scratch(&mut self.packed, &mut self.scratch);
        for (pair, z) in x.chunks_exact_mut(2).zip(&self.packed) {
            pair[0] = z.re;
            pair[1] = z.im;
        }
    }
}
