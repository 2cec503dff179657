//! Measuring a model: the AUC and how sure it is, and which closed leads measure it (a
//! fixed held-out share, or every one of them by cross-validation when they are few).
use super::Example;

/// One closed lead in this many (of each outcome) is held out to measure the model; with
/// few closed leads, each of this many folds is held out in turn.
pub(super) const HELD_OUT_EVERY: usize = 5;
/// Below this many closed leads, one held-out fifth would be under 40 leads (an AUC on
/// them swings by ±0.15): every closed lead is measured, by `HELD_OUT_EVERY`-fold
/// cross-validation.
pub const CROSS_VALIDATE_BELOW: usize = 200;
/// Mixes lead ids into the held-out split, so it is fixed but not "every fifth id".
pub(super) const SPLIT_SEED: u64 = 0x5eed_1ead;

/// Area under the ROC curve: the chance that a random won lead scores above a random lost
/// one (ties count half), by ranks (Mann–Whitney). None without both outcomes.
pub fn auc(scores: &[f64], won: &[bool]) -> Option<f64> {
    let positives = won.iter().filter(|w| **w).count();
    let negatives = won.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|a, b| scores[*a].total_cmp(&scores[*b]));
    let mut rank_sum = 0.0;
    let mut start = 0;
    while start < order.len() {
        let mut end = start;
        while end + 1 < order.len() && scores[order[end + 1]] == scores[order[start]] {
            end += 1;
        }
        // Ranks start..=end (1-based: start+1..=end+1) share their average.
        let average_rank = (start + end) as f64 / 2.0 + 1.0;
        rank_sum += order[start..=end].iter().filter(|i| won[**i]).count() as f64 * average_rank;
        start = end + 1;
    }
    let positives = positives as f64;
    Some((rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives as f64))
}

/// A 95% interval around an AUC measured on `won` won and `lost` lost leads, by the
/// Hanley–McNeil standard error (the AUC's variance as a Mann–Whitney statistic), kept
/// within [0, 1]. Wide when either outcome is rare: 10 won and 10 lost leave ±0.2.
pub fn auc_interval(auc: f64, won: usize, lost: usize) -> (f64, f64) {
    let (n1, n0) = (won as f64, lost as f64);
    let q1 = auc / (2.0 - auc);
    let q2 = 2.0 * auc * auc / (1.0 + auc);
    let variance =
        (auc * (1.0 - auc) + (n1 - 1.0) * (q1 - auc * auc) + (n0 - 1.0) * (q2 - auc * auc))
            / (n1 * n0).max(1.0);
    let margin = 1.96 * variance.max(0.0).sqrt();
    ((auc - margin).max(0.0), (auc + margin).min(1.0))
}

pub(super) fn mix(mut x: u64) -> u64 {
    // splitmix64's finalizer: a fixed, well-spread hash of the lead id.
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Each example's fold (0 to `HELD_OUT_EVERY` - 1): the examples of each outcome, in the
/// order of a seeded hash of their lead id, dealt round the folds, so every fold holds a
/// fifth of the wins and a fifth of the losses (the same leads every time, whatever their
/// order). The last fold is the held-out share when one is enough.
pub(super) fn folds(examples: &[Example]) -> Vec<usize> {
    let mut folds = vec![0; examples.len()];
    for outcome in [true, false] {
        let mut indices: Vec<usize> = (0..examples.len())
            .filter(|i| examples[*i].won == outcome)
            .collect();
        indices.sort_by_key(|i| (mix(examples[*i].id as u64 ^ SPLIT_SEED), examples[*i].id));
        for (position, i) in indices.into_iter().enumerate() {
            folds[i] = position % HELD_OUT_EVERY;
        }
    }
    folds
}
