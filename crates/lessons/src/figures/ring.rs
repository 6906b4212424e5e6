//! A ring attractor's figures (lesson 11, the course's F11.1–F11.21): the activity profile at
//! chosen times with the input, the bump's centre against the stimulus' position, and the
//! activity over position and time.

use brainplay_sim::cann::{centre, positions, Cann};
use brainplay_sim::networks::{self, RingDrive};
use brainplay_sim::{msg, Message};

use crate::bilingual;
use crate::content::Network as NetworkBlock;
use crate::figure::{Issues, RingFigures, Snapshot};
use crate::setting::{Runnable, Setting};

/// Rows of the activity figure at most, and neurons averaged into one column.
const ACTIVITY_ROWS: usize = 200;
const ACTIVITY_POOL: usize = 4;
/// Points of the centre figure at most.
const CENTRE_POINTS: usize = 4000;

/// A ring run under way, recording what its figures show.
pub struct RingRun {
    drive: RingDrive,
    cann: Cann,
    dt_ms: f64,
    x: Vec<f64>,
    input: Vec<f64>,
    steps: usize,
    total: usize,
    snapshot_steps: Vec<usize>,
    centre_stride: usize,
    activity_stride: usize,
    figures: RingFigures,
}

impl RingRun {
    pub fn start(block: &NetworkBlock, setting: &Setting) -> Result<RingRun, Message> {
        let ring = networks::ring(&setting.network_params()?)?;
        let dt_ms = setting.dt_ms;
        let cann = Cann::new(ring.params, dt_ms)?;
        let x = positions(ring.params.n);
        let total = (setting.duration_ms / dt_ms).max(0.0) as usize;
        let figures = RingFigures {
            activity_x: x
                .chunks(ACTIVITY_POOL)
                .map(|c| c.iter().sum::<f64>() / c.len() as f64)
                .collect(),
            x: x.clone(),
            ..RingFigures::default()
        };
        Ok(RingRun {
            drive: RingDrive::new(ring, setting.seed)?,
            cann,
            dt_ms,
            input: vec![0.0; x.len()],
            x,
            steps: 0,
            total,
            snapshot_steps: block
                .snapshots_ms
                .iter()
                .map(|t| (t / dt_ms).round() as usize)
                .collect(),
            centre_stride: total.div_ceil(CENTRE_POINTS).max(1),
            activity_stride: total.div_ceil(ACTIVITY_ROWS).max(1),
            figures,
        })
    }

    pub fn steps_done(&self) -> usize {
        self.steps
    }

    pub fn total_steps(&self) -> usize {
        self.total
    }

    pub fn neurons(&self) -> usize {
        self.x.len()
    }

    /// Advances up to `steps` steps; false once the run is complete.
    pub fn advance(&mut self, steps: usize) -> bool {
        for _ in 0..steps.min(self.total - self.steps) {
            self.step();
        }
        self.steps < self.total
    }

    /// One step: the stimulus where it is now (plus noise), then the record of the state after
    /// it, labelled with the step's start (the course's convention).
    fn step(&mut self) {
        let i = self.steps;
        let t_ms = i as f64 * self.dt_ms;
        let at = self.drive.fill(t_ms, &self.x, &mut self.input);
        self.cann.step(&self.input);
        let u = &self.cann.u;
        let f = &mut self.figures;
        if i.is_multiple_of(self.centre_stride) {
            f.t_ms.push(t_ms);
            f.centre.push(centre(u, &self.x));
            f.stimulus.push(at.unwrap_or(f64::NAN));
            f.peak
                .push(u.iter().copied().fold(f64::NEG_INFINITY, f64::max));
        }
        if i.is_multiple_of(self.activity_stride) {
            f.activity_t_ms.push(t_ms);
            f.activity.push(
                u.chunks(ACTIVITY_POOL)
                    .map(|c| (c.iter().sum::<f64>() / c.len() as f64) as f32)
                    .collect(),
            );
        }
        if self.snapshot_steps.contains(&i) {
            f.snapshots.push(Snapshot {
                t_ms,
                u: u.clone(),
                input: self.input.clone(),
            });
        }
        self.steps += 1;
    }

    /// The figures recorded so far.
    pub fn figures(&self) -> RingFigures {
        let finite = self.cann.u.iter().all(|u| u.is_finite());
        RingFigures {
            issues: Issues {
                error: (!finite).then(|| {
                    bilingual(msg!(
                        "the activity became infinite: lower J0 or raise k",
                        "活动变成了无穷大：请降低 J0 或增大 k"
                    ))
                }),
                warnings: Vec::new(),
            },
            ..self.figures.clone()
        }
    }
}
