//! A training run's state, as the page holds it: the figures of a training run carry one (so a
//! learner can pause, or save the network to a file), and a setting may start from one (a
//! resumed run, a loaded network). It applies only to a run of the same block with the same
//! parameters and seed, so a resumed run continues exactly (`brainplay_learn::checkpoint`) and
//! a changed slider trains anew.
//!
//! A saved network is a file of its own: a header naming the format and its version, then the
//! checkpoint in postcard. It never goes into a share link (a trained network is tens of
//! kilobytes; a link stays under about 2000 characters).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::text::Text;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The network block it belongs to.
    pub block: String,
    /// The setting's parameter overrides and seed it was trained with.
    pub params: BTreeMap<String, Vec<f64>>,
    pub seed: u64,
    pub iterations: usize,
    /// The trainer's state (parameters, optimiser, curves), written and read by the compute
    /// worker (`brainplay_lessons`): the page only carries it.
    pub state: Vec<u8>,
}

/// What a saved network's file starts with: the format and its version.
const HEADER: &[u8] = b"BrainPlay trained network 1\n";

impl Checkpoint {
    /// The file a learner saves.
    pub fn to_file(&self) -> Vec<u8> {
        let mut bytes = HEADER.to_vec();
        // Serialising plain vectors and maps into memory cannot fail.
        bytes.extend(postcard::to_allocvec(self).unwrap_or_default());
        bytes
    }

    /// A saved network read back for the block `block`, or why the file is not one.
    pub fn from_file(bytes: &[u8], block: &str) -> Result<Checkpoint, Text> {
        let body = bytes.strip_prefix(HEADER).ok_or_else(|| {
            Text::new(
                "This file is not a network saved by BrainPlay.",
                "这个文件不是 BrainPlay 保存的网络。",
            )
        })?;
        let checkpoint: Checkpoint = postcard::from_bytes(body).map_err(|_| {
            Text::new(
                "This network file is damaged and cannot be read.",
                "这个网络文件已损坏，无法读取。",
            )
        })?;
        if checkpoint.block != block {
            let saved = &checkpoint.block;
            return Err(Text::new(
                format!("This file holds the network of `{saved}`, not of `{block}`."),
                format!("这个文件保存的是 `{saved}` 的网络，而不是 `{block}` 的。"),
            ));
        }
        Ok(checkpoint)
    }

    /// Whether a run of `block` with these parameter overrides and seed continues from this.
    pub fn fits(&self, block: &str, params: &BTreeMap<String, Vec<f64>>, seed: u64) -> bool {
        self.block == block && &self.params == params && self.seed == seed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved() -> Checkpoint {
        Checkpoint {
            block: "rnn".into(),
            params: BTreeMap::from([("units".into(), vec![16.0])]),
            seed: 4,
            iterations: 2,
            state: vec![1, 2, 3, 4, 5, 6, 7, 8],
        }
    }

    #[test]
    fn a_saved_network_reads_back_as_it_was() {
        let file = saved().to_file();
        assert_eq!(Checkpoint::from_file(&file, "rnn"), Ok(saved()));
    }

    #[test]
    fn a_wrong_file_is_refused_with_its_reason() {
        let file = saved().to_file();
        let check = |bytes: &[u8], block: &str, en: &str, zh: &str| {
            let error = Checkpoint::from_file(bytes, block).unwrap_err();
            assert!(error.en.contains(en), "{}", error.en);
            assert!(error.zh.contains(zh), "{}", error.zh);
        };
        check(b"hello", "rnn", "not a network saved", "不是 BrainPlay");
        check(&file[..file.len() - 3], "rnn", "damaged", "损坏");
        check(&file, "snn", "not of `snn`", "而不是 `snn`");
    }

    #[test]
    fn a_checkpoint_fits_only_its_own_setting() {
        let c = saved();
        assert!(c.fits("rnn", &c.params, 4));
        assert!(!c.fits("rnn", &c.params, 5));
        assert!(!c.fits("rnn", &BTreeMap::new(), 4));
        assert!(!c.fits("snn", &c.params, 4));
    }
}
