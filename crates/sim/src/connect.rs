//! Connections between a presynaptic and a postsynaptic population, stored sparse (CSR by
//! presynaptic neuron) so that a spike touches only its own synapses.

use rand::seq::index::sample;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::message::Message;
use crate::msg;

/// How presynaptic neurons connect to postsynaptic ones.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rule {
    /// Neuron k to neuron k (equal sizes).
    OneToOne,
    /// Every pair, self-pairs included.
    AllToAll,
    /// Every presynaptic neuron gets exactly `floor(p · n_post)` distinct targets chosen at
    /// random (BrainPy's `FixedProb` for its CSR layers: a fixed out-degree).
    FixedProb { p: f64 },
}

/// The synapses in presynaptic order: those of presynaptic neuron `j` are
/// `row_start[j]..row_start[j + 1]`, and synapse `c` ends on neuron `post[c]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Csr {
    pub row_start: Vec<usize>,
    pub post: Vec<usize>,
}

impl Csr {
    pub fn build(rule: Rule, n_pre: usize, n_post: usize, seed: u64) -> Result<Csr, Message> {
        let mut row_start = Vec::with_capacity(n_pre + 1);
        row_start.push(0);
        let mut post = Vec::new();
        match rule {
            Rule::OneToOne => {
                if n_pre != n_post {
                    return Err(msg!(
                        "one_to_one needs equal sizes, got {n_pre} presynaptic and {n_post} postsynaptic neurons",
                        "one_to_one 要求两端大小相同，这里突触前有 {n_pre} 个神经元，突触后有 {n_post} 个"
                    ));
                }
                for k in 0..n_pre {
                    post.push(k);
                    row_start.push(k + 1);
                }
            }
            Rule::AllToAll => {
                post.reserve_exact(n_pre * n_post);
                for _ in 0..n_pre {
                    post.extend(0..n_post);
                    row_start.push(post.len());
                }
            }
            Rule::FixedProb { p } => {
                if !(0.0..=1.0).contains(&p) {
                    return Err(msg!(
                        "fixed_prob needs 0 ≤ p ≤ 1, got {p}",
                        "fixed_prob 要求 0 ≤ p ≤ 1，这里 p = {p}"
                    ));
                }
                let degree = (p * n_post as f64).floor() as usize;
                // Exactly this many: a large network's list is not grown by doubling.
                post.reserve_exact(n_pre * degree);
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                for _ in 0..n_pre {
                    let mut targets = sample(&mut rng, n_post, degree).into_vec();
                    targets.sort_unstable();
                    post.extend(targets);
                    row_start.push(post.len());
                }
            }
        }
        Ok(Csr { row_start, post })
    }

    pub fn len(&self) -> usize {
        self.post.len()
    }

    pub fn is_empty(&self) -> bool {
        self.post.is_empty()
    }

    /// The synapses of presynaptic neuron `j`.
    pub fn row(&self, j: usize) -> std::ops::Range<usize> {
        self.row_start[j]..self.row_start[j + 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (rule, n_pre, n_post) → synapses per presynaptic neuron, all targets in range and
    /// distinct within a row.
    fn check(rule: Rule, n_pre: usize, n_post: usize, degree: usize) {
        let csr = Csr::build(rule, n_pre, n_post, 7).unwrap();
        assert_eq!(csr.row_start.len(), n_pre + 1);
        for j in 0..n_pre {
            let row = &csr.post[csr.row(j)];
            assert_eq!(row.len(), degree, "{rule:?} row {j}");
            assert!(row.iter().all(|&k| k < n_post));
            assert!(
                row.windows(2).all(|w| w[0] < w[1]),
                "{rule:?} row {j}: {row:?}"
            );
        }
    }

    #[test]
    fn rules_give_their_degrees() {
        check(Rule::OneToOne, 5, 5, 1);
        check(Rule::AllToAll, 3, 4, 4);
        check(Rule::FixedProb { p: 0.2 }, 50, 100, 20);
        check(Rule::FixedProb { p: 1.0 }, 2, 3, 3);
        check(Rule::FixedProb { p: 0.0 }, 2, 3, 0);
        assert_eq!(
            Csr::build(Rule::OneToOne, 5, 5, 0).unwrap().post,
            [0, 1, 2, 3, 4]
        );
    }

    #[test]
    fn fixed_prob_is_seeded_and_bad_sizes_are_errors() {
        let rule = Rule::FixedProb { p: 0.1 };
        assert_eq!(Csr::build(rule, 20, 50, 3), Csr::build(rule, 20, 50, 3));
        assert_ne!(Csr::build(rule, 20, 50, 3), Csr::build(rule, 20, 50, 4));
        assert!(Csr::build(Rule::OneToOne, 2, 3, 0).is_err());
        assert!(Csr::build(Rule::FixedProb { p: 1.5 }, 2, 3, 0).is_err());
    }
}
