//! The shipped handwritten digits (`lessons/data/digits.bin`, its README gives the layout and
//! provenance): 8 × 8 images with pixels 0–15 and their labels.

use brainplay_sim::{msg, Message};

/// Pixels per image.
pub const PIXELS: usize = 64;

/// Images and labels.
#[derive(Clone, Debug, PartialEq)]
pub struct Digits {
    pub images: Vec<[u8; PIXELS]>,
    pub labels: Vec<usize>,
}

impl Digits {
    /// Reads the shipped layout: a u16 count, the labels, the images two pixels per byte.
    pub fn from_bytes(bytes: &[u8]) -> Result<Digits, Message> {
        let bad = || msg!("the digits' data are damaged", "手写数字数据已损坏");
        let (count, rest) = bytes.split_at_checked(2).ok_or_else(bad)?;
        let n = u16::from_le_bytes([count[0], count[1]]) as usize;
        let (labels, pixels) = rest.split_at_checked(n).ok_or_else(bad)?;
        if pixels.len() != n * PIXELS / 2 || labels.iter().any(|&l| l > 9) {
            return Err(bad());
        }
        let images = pixels
            .chunks_exact(PIXELS / 2)
            .map(|packed| {
                let mut image = [0; PIXELS];
                for (k, &byte) in packed.iter().enumerate() {
                    image[2 * k] = byte >> 4;
                    image[2 * k + 1] = byte & 0x0f;
                }
                image
            })
            .collect();
        Ok(Digits {
            images,
            labels: labels.iter().map(|&l| l as usize).collect(),
        })
    }

    /// Image `k`'s pixels scaled to [0, 1].
    pub fn intensities(&self, k: usize) -> Vec<f64> {
        self.images[k]
            .iter()
            .map(|&p| f64::from(p) / 15.0)
            .collect()
    }
}
