//! Measuring a model: the AUC, and the fixed held-out share of the closed leads.
use super::Example;

/// One closed lead in this many (of each outcome) is held out to measure the model.
pub(super) const HELD_OUT_EVERY: usize = 5;
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

pub(super) fn mix(mut x: u64) -> u64 {
    // splitmix64's finalizer: a fixed, well-spread hash of the lead id.
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Which examples are held out: one in `HELD_OUT_EVERY` of each outcome, chosen by a
/// seeded hash of the lead id (the same leads every time, whatever their order).
pub(super) fn held_out(examples: &[Example]) -> Vec<bool> {
    let mut held = vec![false; examples.len()];
    for outcome in [true, false] {
        let mut indices: Vec<usize> = (0..examples.len())
            .filter(|i| examples[*i].won == outcome)
            .collect();
        indices.sort_by_key(|i| (mix(examples[*i].id as u64 ^ SPLIT_SEED), examples[*i].id));
        for i in indices
            .into_iter()
            .skip(HELD_OUT_EVERY - 1)
            .step_by(HELD_OUT_EVERY)
        {
            held[i] = true;
        }
    }
    held
}
