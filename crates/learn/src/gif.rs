//! The course-modified generalized integrate-and-fire neuron of lesson 14's working-memory
//! network (curriculum §14.4), stepped as BrainPy's training mode steps it (exponential Euler at
//! dt): two internal currents, I1 (fast, set to A1 by a spike) and I2 (slow, stepped by A2 at a
//! spike), both applied from the step after the spike; V relaxes to V_rest + R(I + I1 + I2) with
//! τ; a spike where V reaches the fixed threshold V_th_inf, which it subtracts (a soft reset).
//! (The course turns its adaptive threshold off.)

/// The neuron's parameters (times in ms).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Gif {
    pub v_rest: f64,
    pub v_th: f64,
    pub r: f64,
    pub tau: f64,
    pub tau_i1: f64,
    pub tau_i2: f64,
    pub a1: f64,
    pub a2: f64,
}

impl Gif {
    /// The course's "excitatory" neuron: strongly adapting (A2 = −0.6, τ_I2 = 2000 ms).
    pub const EXCITATORY: Gif = Gif {
        v_rest: 0.0,
        v_th: 1.0,
        r: 1.0,
        tau: 20.0,
        tau_i1: 10.0,
        tau_i2: 2000.0,
        a1: 0.0,
        a2: -0.6,
    };

    /// The course's "inhibitory" neuron: bursting (A1 = 8, τ_I2 = 1000 ms).
    pub const INHIBITORY: Gif = Gif {
        tau_i2: 1000.0,
        a1: 8.0,
        ..Gif::EXCITATORY
    };

    /// V at every step of a run of `steps` steps of `dt` ms with constant input `input`, from
    /// rest, and the spike times (ms).
    #[inline(never)]
    pub fn run(&self, input: f64, dt: f64, steps: usize) -> (Vec<f64>, Vec<f64>) {
        let [decay, decay_1, decay_2] =
            [self.tau, self.tau_i1, self.tau_i2].map(|tau| (-dt / tau).exp());
        let (mut v, mut i1, mut i2, mut spiked) = (self.v_rest, 0.0, 0.0, false);
        let mut trace = Vec::with_capacity(steps);
        let mut spikes = Vec::new();
        for k in 0..steps {
            i1 = if spiked { self.a1 } else { i1 * decay_1 };
            i2 = i2 * decay_2 + if spiked { self.a2 } else { 0.0 };
            let rest = self.v_rest + self.r * (input + i1 + i2);
            v = rest + (v - rest) * decay;
            spiked = v >= self.v_th;
            if spiked {
                v -= self.v_th;
                spikes.push((k + 1) as f64 * dt);
            }
            trace.push(v);
        }
        (trace, spikes)
    }
}
