//! Wang's (2002) decision-making network as the course builds it (curriculum §10.2, the answer
//! notebook's `DecisionMakingNet`): two selective excitatory pools A and B, a non-selective
//! excitatory pool N and an inhibitory pool I of LIF neurons with refractoriness, AMPA, NMDA and
//! GABA_A synapses, Poisson background input to every neuron and a noisy stimulus to A and B.
//!
//! Every recurrent projection of the course is all-to-all with one weight, so every neuron of a
//! pool receives the same recurrent conductance: the weight times the presynaptic pool's spike
//! count (AMPA, GABA_A, kept per postsynaptic pool as BrainPy's `ProjAlignPostMg2` keeps them per
//! neuron) or its summed NMDA gating (`ProjAlignPreMg2`: the NMDA state lives with the
//! presynaptic neuron). A step therefore costs O(N) rather than O(N²), and the projections are a
//! table (`Connection`), which is the course's in-class exercise.
//!
//! The step follows BrainPy's `DynSysGroup`: every projection (reading what the pools sent
//! `DELAY_MS` ago, or the external spikes of the last step), then every pool. A pool's update
//! adds the arrivals to its conductances and decays them (exponential Euler), integrates the
//! membrane with the synaptic current computed from the voltage at the start of the step, holds
//! refractory neurons, resets those that spike, and then advances its NMDA states with the new
//! spikes (`x += spike` after the integration). Exponential Euler is exact for every equation
//! here with the others held, as BrainPy's `exp_auto` on a joint equation.
//!
//! Randomness: each Poisson source (2400 Hz background per neuron; the stimulus to A and B)
//! spikes in a step with probability `rate · dt`, at most once, as BrainPy's `PoissonGroup`. The
//! stimulus rate is redrawn every 50 ms from a normal distribution (negative draws give no
//! spikes, as a negative `rate · dt` does in BrainPy). Spikes are drawn with xoshiro256++,
//! the stimulus with ChaCha8, both seeded by the trial's seed.

use crate::{msg, Message};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::exp::exp;

/// The four pools, in the order the network updates them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Pool {
    A,
    B,
    N,
    I,
}

impl Pool {
    pub const ALL: [Pool; 4] = [Pool::A, Pool::B, Pool::N, Pool::I];

    pub fn name(self) -> &'static str {
        match self {
            Pool::A => "A",
            Pool::B => "B",
            Pool::N => "N",
            Pool::I => "I",
        }
    }

    pub fn from_name(name: &str) -> Option<Pool> {
        Pool::ALL.into_iter().find(|p| p.name() == name)
    }

    pub fn excitatory(self) -> bool {
        self != Pool::I
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The synapse a projection uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Receptor {
    Ampa,
    Nmda,
    Gaba,
}

impl Receptor {
    pub const ALL: [Receptor; 3] = [Receptor::Ampa, Receptor::Nmda, Receptor::Gaba];

    pub fn name(self) -> &'static str {
        match self {
            Receptor::Ampa => "AMPA",
            Receptor::Nmda => "NMDA",
            Receptor::Gaba => "GABA",
        }
    }
}

/// An all-to-all projection from every neuron of `pre` to every neuron of `post` with peak
/// conductance `g_ns` (nS) per presynaptic spike (AMPA, GABA_A) or per unit of NMDA gating.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Connection {
    pub pre: Pool,
    pub post: Pool,
    pub receptor: Receptor,
    pub g_ns: f64,
}

/// Membrane: V_rest = V_L = −70, reset −55, threshold −50 mV; every neuron starts at rest.
const V_REST_MV: f64 = -70.0;
const V_RESET_MV: f64 = -55.0;
const V_TH_MV: f64 = -50.0;
/// Pyramidal cells: τ = 20 ms, R = 1/g_L = 0.04 GΩ (g_L = 25 nS), 2 ms refractory; interneurons:
/// τ = 10 ms, R = 0.05 GΩ, 1 ms. With R in GΩ and currents in pA (nS × mV), R·I is in mV.
const E_CELL: Cell = Cell {
    tau_ms: 20.0,
    r_gohm: 0.04,
    tau_ref_ms: 2.0,
    g_ext_ns: 2.1,
};
const I_CELL: Cell = Cell {
    tau_ms: 10.0,
    r_gohm: 0.05,
    tau_ref_ms: 1.0,
    g_ext_ns: 1.62,
};
/// AMPA: exponential decay 2 ms, reversal 0 mV; GABA_A: 5 ms, −70 mV.
const TAU_AMPA_MS: f64 = 2.0;
const TAU_GABA_MS: f64 = 5.0;
const E_GABA_MV: f64 = -70.0;
/// NMDA (BrainPy's `NMDA` with the course's values): dg/dt = −g/τ_decay + a·x·(1 − g),
/// dx/dt = −x/τ_rise, x += 1 per spike; reversal 0 mV, blocked by magnesium as
/// 1 / (1 + [Mg]/β · e^(−α V)) with [Mg] = 1 mM, α = 0.062 /mV, β = 3.57 mM.
const NMDA_A_PER_MS: f64 = 0.5;
const NMDA_TAU_RISE_MS: f64 = 2.0;
const NMDA_TAU_DECAY_MS: f64 = 100.0;
/// Below this, x is set to 0: it could raise g by at most a·x·τ_rise = 1e-12 more.
const NMDA_X_NEGLIGIBLE: f64 = 1e-12;
const MG_ALPHA_PER_MV: f64 = 0.062;
const MG_OVER_BETA: f64 = 1.0 / 3.57;
/// Every recurrent projection's delay.
pub const DELAY_MS: f64 = 0.5;
/// A trial's choice is read from the last `CHOICE_WINDOW_MS` of the stimulus; its decision time is
/// when the winner's rate, averaged over a centred `DECISION_WINDOW_MS`, first reaches
/// `DECISION_THRESHOLD_HZ` (the definitions of the BrainPy reference runs).
pub const CHOICE_WINDOW_MS: f64 = 200.0;
pub const DECISION_WINDOW_MS: f64 = 50.0;
pub const DECISION_THRESHOLD_HZ: f64 = 15.0;
/// The longest stimulus a trial may have (its rates are drawn in advance).
const MAX_STIMULUS_MS: f64 = 600_000.0;
/// The stimulus rate is redrawn this often.
pub const STIM_SEGMENT_MS: f64 = 50.0;

#[derive(Clone, Copy, Debug, PartialEq)]
struct Cell {
    tau_ms: f64,
    r_gohm: f64,
    tau_ref_ms: f64,
    /// Conductance one background or stimulus spike adds (nS).
    g_ext_ns: f64,
}

/// What a lesson can change of the course's network and trial.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Trial {
    /// Network size relative to the course's 1600 + 400 neurons; recurrent conductances are
    /// divided by it (the course's `scale`).
    pub scale: f64,
    /// Fraction of the excitatory neurons in each selective pool.
    pub f: f64,
    /// Recurrent weight within a selective pool (w+); w− follows so that the average
    /// excitatory weight stays 1.
    pub w_plus: f64,
    /// Coherence c (%): pool A's stimulus has mean μ0 (1 + c/100), B's μ0 (1 − c/100).
    pub coherence_pct: f64,
    pub mu0_hz: f64,
    pub stim_sd_hz: f64,
    pub stim_on_ms: f64,
    pub stim_off_ms: f64,
    pub background_hz: f64,
}

impl Default for Trial {
    /// The course's trial at c = 25.6 %: stimulus from 100 to 1100 ms, then a 500 ms delay.
    fn default() -> Self {
        Trial {
            scale: 1.0,
            f: 0.15,
            w_plus: 1.7,
            coherence_pct: 25.6,
            mu0_hz: 40.0,
            stim_sd_hz: 10.0,
            stim_on_ms: 100.0,
            stim_off_ms: 1100.0,
            background_hz: 2400.0,
        }
    }
}

impl Trial {
    /// w− = 1 − f (w+ − 1) / (1 − f).
    pub fn w_minus(&self) -> f64 {
        1.0 - self.f * (self.w_plus - 1.0) / (1.0 - self.f)
    }

    /// Pool sizes (A, B, N, I) as the course computes them.
    pub fn sizes(&self) -> [usize; 4] {
        let n_e = (1600.0 * self.scale) as usize;
        let n_sel = (self.f * n_e as f64) as usize;
        [n_sel, n_sel, n_e - 2 * n_sel, (400.0 * self.scale) as usize]
    }

    /// The course's projections (the in-class exercise's answer): AMPA and NMDA from each
    /// excitatory pool to every pool, w+ within a selective pool, w− from the other selective
    /// pool and from N to a selective pool, 1 otherwise; GABA_A from I to every pool.
    pub fn connections(&self) -> Vec<Connection> {
        let mut table = Vec::new();
        for pre in [Pool::N, Pool::A, Pool::B] {
            for post in Pool::ALL {
                let factor = self.factor(pre, post);
                let (ampa, nmda) = match post {
                    Pool::I => (0.04, 0.13),
                    _ => (0.05, 0.165),
                };
                for (receptor, g) in [(Receptor::Ampa, ampa), (Receptor::Nmda, nmda)] {
                    table.push(Connection {
                        pre,
                        post,
                        receptor,
                        g_ns: g * factor / self.scale,
                    });
                }
            }
        }
        for post in Pool::ALL {
            table.push(Connection {
                pre: Pool::I,
                post,
                receptor: Receptor::Gaba,
                g_ns: if post == Pool::I { 1.0 } else { 1.3 } / self.scale,
            });
        }
        table
    }

    /// The weight factor of excitatory projection `pre → post`.
    pub fn factor(&self, pre: Pool, post: Pool) -> f64 {
        match (pre, post) {
            (Pool::A, Pool::A) | (Pool::B, Pool::B) => self.w_plus,
            (Pool::A, Pool::B) | (Pool::B, Pool::A) | (Pool::N, Pool::A | Pool::B) => {
                self.w_minus()
            }
            _ => 1.0,
        }
    }

    /// Whether the stimulus is on at `t_ms`.
    fn stimulus_on(&self, t_ms: f64) -> bool {
        (self.stim_on_ms..self.stim_off_ms).contains(&t_ms)
    }
}

/// What a trial chose.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Choice {
    /// The pool that fired more in the last `CHOICE_WINDOW_MS` of the stimulus.
    pub winner: Pool,
    /// The winner's and the loser's rates (Hz) then.
    pub winner_hz: f64,
    pub loser_hz: f64,
    /// Time from the stimulus onset until the winner's rate first reached
    /// `DECISION_THRESHOLD_HZ`; `None` if it never did.
    pub decision_ms: Option<f64>,
}

/// Mean rate (Hz) of neurons `spikes` over `[from_ms, to_ms)`.
pub fn rate_hz(spikes: &[Vec<f64>], from_ms: f64, to_ms: f64) -> f64 {
    let count = spikes
        .iter()
        .flatten()
        .filter(|&&t| t >= from_ms && t < to_ms)
        .count();
    count as f64 * 1000.0 / (spikes.len().max(1) as f64 * (to_ms - from_ms))
}

/// One pool's neurons and what it sends.
struct PoolState {
    cell: Cell,
    v: Vec<f64>,
    t_last_ms: Vec<f64>,
    /// Background and stimulus AMPA conductance, per neuron (nS).
    g_ext: Vec<f64>,
    /// NMDA gating and rise variables per neuron (empty unless an NMDA projection starts here).
    nmda_g: Vec<f64>,
    nmda_x: Vec<f64>,
    /// Recurrent conductances, equal for every neuron of the pool (nS), and this step's
    /// arrivals.
    g_ampa: f64,
    g_gaba: f64,
    g_nmda: f64,
    arriving_ampa: f64,
    arriving_gaba: f64,
    /// Spike counts and summed NMDA gating of the last `delay + 1` steps, a ring indexed by step.
    sent_spikes: Vec<f64>,
    sent_nmda: Vec<f64>,
    spiked: Vec<usize>,
    spike_times_ms: Vec<Vec<f64>>,
}

/// A trial of the network under way.
pub struct Decision {
    trial: Trial,
    connections: Vec<Connection>,
    pools: Vec<PoolState>,
    dt_ms: f64,
    step: usize,
    /// Per stimulus segment, the rates of A's and B's stimulus (Hz).
    segments: Vec<(f64, f64)>,
    rng: Xoshiro256PlusPlus,
}

/// Probability `p` as the threshold a uniform `u64` falls below with that probability.
fn threshold(p: f64) -> u64 {
    if p <= 0.0 {
        0
    } else if p >= 1.0 {
        u64::MAX
    } else {
        (p * 18_446_744_073_709_551_616.0) as u64
    }
}

impl Decision {
    /// A fresh network (every neuron at rest, synapses closed) for `trial` with `connections`,
    /// its randomness from `seed`.
    pub fn new(
        trial: &Trial,
        connections: &[Connection],
        dt_ms: f64,
        seed: u64,
    ) -> Result<Decision, Message> {
        let positive = [("scale", trial.scale), ("dt", dt_ms), ("w+", trial.w_plus)];
        if let Some((name, v)) = positive.iter().find(|(_, v)| !(v.is_finite() && *v > 0.0)) {
            return Err(msg!(
                "{name} must be a positive number, got {v}",
                "{name} 必须是正数，实际是 {v}"
            ));
        }
        let f = trial.f;
        if !(f > 0.0 && f < 0.5) {
            return Err(msg!(
                "f must lie between 0 and 0.5 (two selective pools), got {f}",
                "f 必须在 0 和 0.5 之间（两个选择性群体），实际是 {f}"
            ));
        }
        let finite = [
            (("coherence", "一致性"), trial.coherence_pct),
            (("mu0", "mu0"), trial.mu0_hz),
            (("stimulus s.d.", "刺激标准差"), trial.stim_sd_hz),
            (("stimulus onset", "刺激开始时间"), trial.stim_on_ms),
            (("stimulus offset", "刺激结束时间"), trial.stim_off_ms),
            (("background rate", "背景发放率"), trial.background_hz),
        ];
        if let Some(((en, zh), v)) = finite.iter().find(|(_, v)| !v.is_finite()) {
            return Err(Message::new(
                format!("{en} must be a finite number, got {v}"),
                format!("{zh}必须是有限的数，实际是 {v}"),
            ));
        }
        if let Some(c) = connections.iter().find(|c| !c.g_ns.is_finite()) {
            let (receptor, pre, post, g) = (c.receptor.name(), c.pre.name(), c.post.name(), c.g_ns);
            return Err(msg!(
                "the {receptor} projection {pre} → {post} has a conductance of {g}",
                "{pre} → {post} 的 {receptor} 投射的电导是 {g}"
            ));
        }
        let length = trial.stim_off_ms - trial.stim_on_ms;
        if length > MAX_STIMULUS_MS {
            return Err(msg!(
                "the stimulus may last at most {MAX_STIMULUS_MS} ms, got {length} ms",
                "刺激最多持续 {MAX_STIMULUS_MS} ms，实际是 {length} ms"
            ));
        }
        let sizes = trial.sizes();
        if sizes.contains(&0) {
            let scale = trial.scale;
            return Err(msg!(
                "at scale {scale} and f {f} a pool would be empty",
                "scale 为 {scale}、f 为 {f} 时会有一个群体是空的"
            ));
        }
        let ring = (DELAY_MS / dt_ms).round() as usize + 1;
        let pools = Pool::ALL
            .iter()
            .zip(sizes)
            .map(|(&pool, n)| {
                let nmda = connections
                    .iter()
                    .any(|c| c.pre == pool && c.receptor == Receptor::Nmda);
                PoolState {
                    cell: if pool.excitatory() { E_CELL } else { I_CELL },
                    v: vec![V_REST_MV; n],
                    t_last_ms: vec![f64::NEG_INFINITY; n],
                    g_ext: vec![0.0; n],
                    nmda_g: vec![0.0; if nmda { n } else { 0 }],
                    nmda_x: vec![0.0; if nmda { n } else { 0 }],
                    g_ampa: 0.0,
                    g_gaba: 0.0,
                    g_nmda: 0.0,
                    arriving_ampa: 0.0,
                    arriving_gaba: 0.0,
                    sent_spikes: vec![0.0; ring],
                    sent_nmda: vec![0.0; ring],
                    spiked: Vec::with_capacity(n),
                    spike_times_ms: vec![Vec::new(); n],
                }
            })
            .collect();
        let segments = stimulus_segments(trial, seed)?;
        Ok(Decision {
            trial: *trial,
            connections: connections.to_vec(),
            pools,
            dt_ms,
            step: 0,
            segments,
            rng: Xoshiro256PlusPlus::seed_from_u64(seed),
        })
    }

    pub fn steps_done(&self) -> usize {
        self.step
    }

    /// Steps a run of `duration_ms` takes (BrainPy: `int(duration / dt)`).
    pub fn steps_for(&self, duration_ms: f64) -> usize {
        (duration_ms / self.dt_ms).max(0.0) as usize
    }

    pub fn neurons(&self) -> usize {
        self.pools.iter().map(|p| p.v.len()).sum()
    }

    pub fn trial(&self) -> &Trial {
        &self.trial
    }

    /// Each neuron's spike times (ms) in `pool` so far.
    pub fn spike_times_ms(&self, pool: Pool) -> &[Vec<f64>] {
        &self.pools[pool.index()].spike_times_ms
    }

    /// The stimulus rates (Hz) of A and B at `t_ms`.
    pub fn stimulus_hz(&self, t_ms: f64) -> (f64, f64) {
        if !self.trial.stimulus_on(t_ms) {
            return (0.0, 0.0);
        }
        let segment = ((t_ms - self.trial.stim_on_ms) / STIM_SEGMENT_MS) as usize;
        self.segments[segment.min(self.segments.len() - 1)]
    }

    /// The trial's choice, read from the spikes so far (a trial that has not reached the end of
    /// its stimulus reads the window it has).
    pub fn choice(&self) -> Choice {
        let end = self.trial.stim_off_ms.min(self.step as f64 * self.dt_ms);
        let from = (end - CHOICE_WINDOW_MS).max(self.trial.stim_on_ms);
        let (a, b) = (self.spike_times_ms(Pool::A), self.spike_times_ms(Pool::B));
        let (a_hz, b_hz) = (rate_hz(a, from, end), rate_hz(b, from, end));
        let (winner, spikes, winner_hz, loser_hz) = match a_hz >= b_hz {
            true => (Pool::A, a, a_hz, b_hz),
            false => (Pool::B, b, b_hz, a_hz),
        };
        Choice {
            winner,
            winner_hz,
            loser_hz,
            decision_ms: self.crossing_ms(spikes).map(|t| t - self.trial.stim_on_ms),
        }
    }

    /// When the rate of `spikes` (a centred `DECISION_WINDOW_MS` average) first reaches
    /// `DECISION_THRESHOLD_HZ`.
    fn crossing_ms(&self, spikes: &[Vec<f64>]) -> Option<f64> {
        let steps = self.step;
        let mut per_step = vec![0.0; steps];
        for &t in spikes.iter().flatten() {
            if let Some(count) = per_step.get_mut((t / self.dt_ms).round() as usize) {
                *count += 1.0;
            }
        }
        let window = ((DECISION_WINDOW_MS / self.dt_ms).round() as usize).max(1);
        let threshold = DECISION_THRESHOLD_HZ * spikes.len() as f64 * DECISION_WINDOW_MS / 1000.0;
        let mut sum = 0.0;
        // The window of step i is [i − window/2, i − window/2 + window), clipped to the run.
        let mut from = 0;
        let mut to = 0;
        for i in 0..steps {
            let start = i.saturating_sub(window / 2);
            let end = (start + window).min(steps);
            while to < end {
                sum += per_step[to];
                to += 1;
            }
            while from < start {
                sum -= per_step[from];
                from += 1;
            }
            if sum >= threshold - 1e-9 {
                return Some(i as f64 * self.dt_ms);
            }
        }
        None
    }

    /// Advances `steps` steps.
    #[inline(never)]
    pub fn advance(&mut self, steps: usize) {
        for _ in 0..steps {
            self.step_once();
        }
    }

    fn step_once(&mut self) {
        let n = self.step;
        let dt = self.dt_ms;
        let t_ms = n as f64 * dt;
        // Projections: what the pools sent `DELAY_MS` ago sits in the slot this step overwrites.
        let slot = n % self.pools[0].sent_spikes.len();
        for pool in &mut self.pools {
            pool.arriving_ampa = 0.0;
            pool.arriving_gaba = 0.0;
            pool.g_nmda = 0.0;
        }
        for c in &self.connections {
            let pre = &self.pools[c.pre.index()];
            let (spikes, nmda) = (pre.sent_spikes[slot], pre.sent_nmda[slot]);
            let post = &mut self.pools[c.post.index()];
            match c.receptor {
                Receptor::Ampa => post.arriving_ampa += c.g_ns * spikes,
                Receptor::Gaba => post.arriving_gaba += c.g_ns * spikes,
                Receptor::Nmda => post.g_nmda += c.g_ns * nmda,
            }
        }
        // External spikes were emitted by the Poisson groups in the last step, at its rates.
        let background = if n == 0 {
            0
        } else {
            threshold(self.trial.background_hz * dt / 1000.0)
        };
        let (stim_a, stim_b) = match n {
            0 => (0.0, 0.0),
            _ => self.stimulus_hz(t_ms - dt),
        };
        let stimulus = [
            threshold(stim_a * dt / 1000.0),
            threshold(stim_b * dt / 1000.0),
        ];

        let decay_ampa = (-dt / TAU_AMPA_MS).exp();
        let decay_gaba = (-dt / TAU_GABA_MS).exp();
        for (k, pool) in self.pools.iter_mut().enumerate() {
            let stimulus = stimulus.get(k).copied().unwrap_or(0);
            pool.update(
                t_ms,
                dt,
                (decay_ampa, decay_gaba),
                (background, stimulus),
                &mut self.rng,
            );
            pool.send(slot, dt);
        }
        self.step += 1;
    }
}

impl PoolState {
    /// Decays the conductances with this step's arrivals and integrates the membranes.
    fn update(
        &mut self,
        t_ms: f64,
        dt: f64,
        (decay_ampa, decay_gaba): (f64, f64),
        (background, stimulus): (u64, u64),
        rng: &mut Xoshiro256PlusPlus,
    ) {
        self.g_ampa = (self.g_ampa + self.arriving_ampa) * decay_ampa;
        self.g_gaba = (self.g_gaba + self.arriving_gaba) * decay_gaba;
        let cell = self.cell;
        let decay_v = (-dt / cell.tau_ms).exp();
        let (g_ampa, g_gaba, g_nmda) = (self.g_ampa, self.g_gaba, self.g_nmda);
        self.spiked.clear();
        for i in 0..self.v.len() {
            let mut external = (rng.next_u64() < background) as u8 as f64;
            if stimulus > 0 {
                external += (rng.next_u64() < stimulus) as u8 as f64;
            }
            let g_ext = (self.g_ext[i] + cell.g_ext_ns * external) * decay_ampa;
            self.g_ext[i] = g_ext;
            let v = self.v[i];
            let mg_block = 1.0 / (1.0 + MG_OVER_BETA * exp(-MG_ALPHA_PER_MV * v));
            // pA: AMPA and NMDA reverse at 0 mV.
            let current = -(g_ext + g_ampa + g_nmda * mg_block) * v + g_gaba * (E_GABA_MV - v);
            let v_inf = V_REST_MV + cell.r_gohm * current;
            let mut v_new = v_inf + (v - v_inf) * decay_v;
            if t_ms - self.t_last_ms[i] <= cell.tau_ref_ms {
                v_new = v;
            }
            if v_new >= V_TH_MV {
                v_new = V_RESET_MV;
                self.t_last_ms[i] = t_ms;
                self.spiked.push(i);
                self.spike_times_ms[i].push(t_ms);
            }
            self.v[i] = v_new;
        }
    }

    /// Advances the NMDA states with this step's spikes and writes what the pool sends into
    /// the delay ring.
    fn send(&mut self, slot: usize, dt: f64) {
        let mut summed = 0.0;
        if !self.nmda_g.is_empty() {
            let decay_rise = (-dt / NMDA_TAU_RISE_MS).exp();
            let decay = (-dt / NMDA_TAU_DECAY_MS).exp();
            for (g, x) in self.nmda_g.iter_mut().zip(&mut self.nmda_x) {
                if *x == 0.0 {
                    *g *= decay;
                } else {
                    // g's equation is linear in g with x held: g relaxes to a x / k at rate k.
                    let k = 1.0 / NMDA_TAU_DECAY_MS + NMDA_A_PER_MS * *x;
                    let g_inf = NMDA_A_PER_MS * *x / k;
                    *g = g_inf + (*g - g_inf) * exp(-dt * k);
                    *x *= decay_rise;
                    // What x would still add to g (at most a x τ_rise) is far below g's
                    // precision: most neurons then skip the exponential until their next spike.
                    if *x < NMDA_X_NEGLIGIBLE {
                        *x = 0.0;
                    }
                }
                summed += *g;
            }
            for &i in &self.spiked {
                self.nmda_x[i] += 1.0;
            }
        }
        self.sent_spikes[slot] = self.spiked.len() as f64;
        self.sent_nmda[slot] = summed;
    }
}

/// The stimulus rates of A and B for each 50 ms segment of the stimulus (A's, then B's, drawn
/// from normal distributions around μ0 (1 ± c/100)).
fn stimulus_segments(trial: &Trial, seed: u64) -> Result<Vec<(f64, f64)>, Message> {
    let length = (trial.stim_off_ms - trial.stim_on_ms).max(0.0);
    let count = ((length / STIM_SEGMENT_MS).ceil() as usize).max(1);
    let normal = |mean: f64| {
        Normal::new(mean, trial.stim_sd_hz.max(0.0))
            .map_err(|e| msg!("stimulus distribution: {e}", "刺激的分布：{e}"))
    };
    let a = normal(trial.mu0_hz * (1.0 + trial.coherence_pct / 100.0))?;
    let b = normal(trial.mu0_hz * (1.0 - trial.coherence_pct / 100.0))?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // A negative draw gives no spikes.
    let rates_a: Vec<f64> = (0..count).map(|_| a.sample(&mut rng).max(0.0)).collect();
    let rates_b: Vec<f64> = (0..count).map(|_| b.sample(&mut rng).max(0.0)).collect();
    Ok(rates_a.into_iter().zip(rates_b).collect())
}
